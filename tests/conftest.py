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



# Tests skipped for want of an optional package (PyTorch for the comparisons, mpi4py for real MPI
# ranks, sklearn, ...) are remembered in pytest's cache. After installing the extras,
# ``python -m pytest --rerun-skipped`` runs just those tests again (``.ci/run`` does this), so a
# newcomer's plain ``python -m pytest`` needs no multi-gigabyte download and CI still runs every
# comparison.
SKIPPED_KEY = "minitorch/skipped_for_a_missing_package"
MISSING_PACKAGE = ("could not import", "not installed")
_skipped_for_a_package = []


def pytest_addoption(parser):
    parser.addoption("--rerun-skipped", action="store_true",
                     help="run only the tests that the last run skipped for a missing optional package")


def _note_skip(report):
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if report.skipped and any(words in reason for words in MISSING_PACKAGE):
        _skipped_for_a_package.append(report.nodeid)


pytest_collectreport = pytest_runtest_logreport = _note_skip


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--rerun-skipped"):
        return
    wanted = config.cache.get(SKIPPED_KEY, []) if getattr(config, "cache", None) else []
    keep = [i for i in items if any(i.nodeid == w or i.nodeid.startswith(w + "::") for w in wanted)]
    config.hook.pytest_deselected(items=[i for i in items if i not in keep])
    items[:] = keep


def pytest_sessionfinish(session, exitstatus):
    if session.config.getoption("--rerun-skipped") and exitstatus == 5:  # pytest's "no tests ran"
        print("\n--rerun-skipped: the last run skipped no test for a missing package; nothing to run.")
        session.exitstatus = 0
    cache = getattr(session.config, "cache", None)  # None under -p no:cacheprovider
    if cache is not None and not session.config.getoption("--rerun-skipped"):
        cache.set(SKIPPED_KEY, sorted(set(_skipped_for_a_package)))


def pytest_terminal_summary(terminalreporter, config):
    if _skipped_for_a_package and not config.getoption("--rerun-skipped"):
        terminalreporter.write_line(
            f"{len(set(_skipped_for_a_package))} tests or modules were skipped for a missing optional package "
            f"(PyTorch for the comparisons with PyTorch, mpi4py for real MPI ranks). To run them: "
            f"pip install torch (its CPU build is enough) and pip install -e \".[distributed]\", then "
            f"python -m pytest --rerun-skipped"
        )
