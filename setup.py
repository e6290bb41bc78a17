"""The one install recipe: ``pip install -e .`` for the framework, extras for the rest.

    pip install -e ".[dev]"     tests: pytest, hypothesis, and NVVM for the kernel compile checks
    pip install -e ".[gpu]"     an NVIDIA GPU with CUDA 12: cupy and numba-cuda
    pip install -e ".[gpu-cu13]" the same for CUDA 13
    pip install -e ".[bench]"   benchmarks: PyTorch (install its CPU build) and the peers
    pip install -e ".[distributed]"  mpi4py with an MPI from PyPI, for data-parallel training
    pip install -e ".[docs]"    the lessons as a book: `mkdocs serve` (mkdocs.yml), and its browser test
    pip install -e ".[notebooks]"  JupyterLab opening the .py lessons as notebooks: `jupyter lab lessons/`
"""
from setuptools import find_packages, setup

# NVIDIA's CUDA wheels exist for Linux and Windows only; macOS installs skip them.
HAS_CUDA_WHEELS = "platform_system == 'Linux' or platform_system == 'Windows'"

setup(
    name="minitorch",
    version="0.1.0",
    description="An educational deep-learning framework written from scratch: tensors, autograd, "
    "nn, optim, and Numba CUDA kernels",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["minitorch", "minitorch.*", "kernels", "kernels.*"]),
    package_data={"minitorch.data": ["files/*.npz", "files/*.gz", "files/*.md"]},
    install_requires=[
        "numpy>=2.0",
        "numba>=0.60",
        "matplotlib>=3.7",
        "tqdm>=4.60",
    ],
    extras_require={
        "dev": [
            "pytest>=8.3",
            "pytest-timeout>=2.1",
            "hypothesis>=6.100",
            # reads the lessons' percent format as notebooks (tests/lessons/test_notebooks.py)
            "jupytext>=1.16",
            f"numba-cuda[cu12]>=0.25; {HAS_CUDA_WHEELS}",
            # disassembles ptxas's machine code for kernels.ptx's loop report (any CUDA >= 13
            # nvdisasm reads sm_80 and sm_90 cubins)
            f"nvidia-cuda-nvdisasm>=13.2; {HAS_CUDA_WHEELS}",
        ],
        # numba-cuda 0.25 is the first to pass cupy arrays by DLPack: no stream sync per array
        "gpu": [f"numba-cuda[cu12]>=0.25; {HAS_CUDA_WHEELS}", f"cupy-cuda12x>=13; {HAS_CUDA_WHEELS}"],
        "gpu-cu13": [f"numba-cuda[cu13]>=0.25; {HAS_CUDA_WHEELS}", f"cupy-cuda13x>=13; {HAS_CUDA_WHEELS}"],
        "bench": ["torch>=2.1", "micrograd>=0.1", "tinygrad>=0.9"],
        # lesson 12: MPI from PyPI wheels (mpiexec lands in the environment's bin folder)
        "distributed": ["mpi4py>=4.0", "mpich; platform_system != 'Windows'", "impi-rt; platform_system == 'Windows'"],
        # the book (mkdocs.yml): lessons executed by mkdocs-jupyter, API pages by mkdocstrings, MathJax
        # served from the site; Selenium drives Chromium in tests/docs/test_book_in_browser.py
        "docs": ["mkdocs>=1.6", "mkdocs-material>=9.5", "mkdocs-jupyter>=0.25", "mkdocstrings[python]>=0.26",
                 "ipykernel>=6.29", "jupyter-server-mathjax>=0.2.6", "selenium>=4.20"],
        # `jupyter lab lessons/` opens the percent-format lessons as notebooks (jupytext's contents manager)
        "notebooks": ["jupyterlab>=4.2", "jupytext>=1.16", "ipykernel>=6.29"],
    },
    entry_points={"console_scripts": ["minitorch-examples=minitorch.examples.__main__:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Intended Audience :: Education",
        "Topic :: Scientific/Engineering :: Artificial Intelligence",
    ],
)
