"""The CUDA simulator gives all threads of a block the same shared array, even under races.

numba-cuda's simulator allocates a block's shared array when the first thread reaches the
line and lets the others look it up, without a lock; a thread switch between the look-up and
the store hands two threads different arrays (about 1 launch in 300 under forced switching
here, more under load). ``kernels/_numba.py`` makes the allocation atomic; this test forces
thread switches at every few bytecodes and checks that every thread gets the same array.
"""
import sys
import threading

import numpy as np
import pytest

numba = pytest.importorskip("numba")
if not numba.config.ENABLE_CUDASIM:
    pytest.skip("simulator only (NUMBA_ENABLE_CUDASIM=1)", allow_module_level=True)

from numba.cuda.simulator import kernelapi  # noqa: E402

from kernels import _numba  # noqa: E402,F401  (installs the atomic shared-array allocation)


def arrays_seen_by(threads):
    shared, barrier = kernelapi.FakeCUDAShared(0), threading.Barrier(threads)
    got = [None] * threads

    def thread(i):
        barrier.wait()                              # all reach the allocation at once
        got[i] = shared.array(8, np.float64)

    workers = [threading.Thread(target=thread, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return {id(a) for a in got}


def test_threads_of_a_block_share_one_array_under_forced_switching():
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        distinct = [len(arrays_seen_by(16)) for _ in range(300)]
    finally:
        sys.setswitchinterval(interval)
    assert max(distinct) == 1


def test_lines_still_get_their_own_arrays():
    shared = kernelapi.FakeCUDAShared(0)
    a = shared.array(4, np.float32)
    b = shared.array((2, 3), numba.float64)         # numba types are accepted, as before
    assert a is not b and a.dtype == np.float32 and b.dtype == np.float64 and b.shape == (2, 3)
    assert shared.array(0, numba.float32).size == 0   # dynamic shared memory (none asked for here)
