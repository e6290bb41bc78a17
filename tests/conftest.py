"""Shared test setup: the CUDA simulator, and the hypothesis profile.

The CUDA simulator. Numba reads ``NUMBA_ENABLE_CUDASIM`` once, when it is first
imported, so it is set here, before anything imports minitorch (which imports
numba). With it, the "cuda" device and every kernel run on the CPU, thread by
thread, so the whole GPU path is tested on machines without a GPU. On a machine
with a GPU, ``MINITORCH_REAL_GPU=1 pytest tests/kernels tests/gpu`` runs the same
tests on the real device instead (``benchmarks/gpu.py`` does that).

The hypothesis profile (see ``minitorch/testing/profiles.py``):
``HYPOTHESIS_PROFILE=grading pytest`` picks one by name; with ``CI`` set the
``ci`` profile runs, otherwise the quick ``dev`` one.
"""
import os
import sys

if os.environ.get("MINITORCH_REAL_GPU") != "1":
    if "numba" in sys.modules and os.environ.get("NUMBA_ENABLE_CUDASIM") != "1":
        raise RuntimeError(
            "numba was imported before tests/conftest.py could switch on the CUDA simulator; "
            "run pytest without plugins that import numba, or set NUMBA_ENABLE_CUDASIM=1."
        )
    os.environ["NUMBA_ENABLE_CUDASIM"] = "1"

try:
    from minitorch.testing.profiles import load_profile
except ImportError:  # hypothesis missing: its tests fail on import and say so; the others still run
    pass
else:
    load_profile()
