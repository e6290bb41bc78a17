"""The fused attention backward with d=128's thread shape, and its dynamic shared memory (issue 14).

At d=128 in float32 the backward keeps 64-key tiles and 256 threads: 88 KiB of shared memory,
one dynamic buffer that the launch opts in to past 48 KiB (kernels/attention_backward.py). The
production tiling is slow under the simulator, so these tests give a small tiling the same
per-thread shape: TK = 4 keys, DJ = 8 columns of dK and dV and DQ = 8 of dQ a thread, i.e.
(BT, BQ, TK) = (16, 4, 4) at d=32 (d=128 / 4), and compare with the unfused numpy composite
of tests/kernels/test_kernels.py; then the production tiling once (on a real GPU only, through
``benchmarks/gpu.py``: the launch's opt-in to 88 KiB), and the host's choice of tiling and of
the dynamic shared memory it launches with.
"""
import types

import numpy as np
import pytest

from kernels import _numba
from kernels import attention as _attention
from kernels.attention_backward import backward_head_dim, backward_shared_arrays
from tests.kernels.test_kernels import (DTYPES, assert_close, attention,
                                        attention_reference_backward, make_mask, random)

LIKE_D128 = _attention.BackwardTiling(16, 4, 4)      # 16 threads; at d=32 DJ = DQ = 8


def backward_matches_unfused(b, h, nq, nk, d, causal, mask, tiling, dtype, seed=30):
    rng = np.random.default_rng(seed)
    q, k, v = (random(rng, (b, h, n, d), dtype) for n in (nq, nk, nk))
    do = random(rng, (b, h, nq, d), dtype)
    keep = make_mask(rng, mask, b, h, nq, nk)
    o, lse = attention.attention_forward(q, k, v, mask=keep, causal=causal)
    grads = attention.attention_backward(q, k, v, o, lse, do, mask=keep, causal=causal,
                                         tiling=tiling)
    expected = attention_reference_backward(q, k, v, do, keep=keep, causal=causal)
    for got, want, x in zip(grads, expected, (q, k, v)):
        assert got.shape == x.shape
        assert_close(got, want.astype(dtype), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("nq, nk, d, causal, mask", [
    (11, 37, 32, False, None),             # three key blocks, three query steps
    (21, 18, 29, True, "full"),            # d padded to 32; causal with nq > nk
    (6, 23, 32, True, "padding"),          # causal with nq < nk; batch 0 fully padded out
])
def test_backward_with_the_d128_thread_shape_matches_unfused(nq, nk, d, causal, mask, dtype):
    padded = backward_head_dim(d, LIKE_D128)
    assert padded == 32 and padded // LIKE_D128.bq == 8            # DJ, as at d=128
    backward_matches_unfused(2, 1, nq, nk, d, causal, mask, LIKE_D128, dtype)


@pytest.mark.skipif(_numba.SIMULATOR, reason="256 simulated threads at d=128 take ~25 s; the "
                    "tests above run its thread shape, test_kernels.py its tiling at d=3")
def test_production_backward_at_d128_matches_unfused():
    """The 256-thread tiling with its 88 KiB of dynamic shared memory (the launch's opt-in past
    48 KiB), once, on a small shape: on a real GPU (``benchmarks/gpu.py``)."""
    tiling = _attention.backward_tiling(np.float32, 128, simulated=False)
    assert tiling == (64, 16, 4)
    backward_matches_unfused(1, 1, 5, 9, 128, True, None, tiling, np.float32)


def test_backward_tilings_and_their_shared_memory():
    """d=128 float32 takes d=64's tiling where dynamic shared memory allows (88 KiB, beyond the
    48 KiB of static shared memory), the 128-thread one within 48 KiB."""
    f32, f64 = np.dtype(np.float32), np.dtype(np.float64)
    tiling = _attention.backward_tiling(f32, 128, simulated=False)
    assert _attention.backward_shared_bytes(tiling, 128, 4) == 88 * 1024
    assert _attention.backward_tiling(f32, 64, simulated=False) == tiling
    assert _attention.backward_tiling(f32, 128, simulated=False, limit=48 * 1024) == (32, 8, 2)
    for dtype in (f32, f64):
        for d in range(1, _attention.MAX_HEAD_DIM + 1):
            tiling = _attention.backward_tiling(dtype, d, simulated=False)
            assert _attention.backward_shared_bytes(tiling, d, dtype.itemsize) \
                <= _numba.OPT_IN_SHARED_BYTES
            assert _attention.backward_accumulators(tiling, d, dtype.itemsize) \
                <= _attention.MAX_ACCUMULATORS
    if _numba.SIMULATOR:
        assert _numba.shared_limit() == _numba.OPT_IN_SHARED_BYTES


def test_the_launch_asks_for_the_kernels_dynamic_shared_memory(monkeypatch):
    launches = []
    monkeypatch.setattr(_attention, "launch",
                        lambda kernel, grid, block, *args, shared_bytes: launches.append(
                            (grid, block, shared_bytes)))
    x = np.ones((2, 3, 5, 128), dtype=np.float32)
    attention.attention_backward(x, x, x, x, np.zeros((2, 3, 5), np.float32), x,
                                 tiling=(64, 16, 4))
    assert launches == [((1, 3, 2), 256, 88 * 1024)]


def test_shared_views_tile_one_buffer():
    """The backward's arrays lie one after the other in its buffer, each 16-byte aligned."""
    arrays = backward_shared_arrays(_attention.BackwardTiling(64, 16, 4), 128)
    assert list(arrays) == ["sp", "sds", "sk", "sv", "sq", "sdo"]
    sizes = [int(np.prod(shape)) for shape in arrays.values()]
    assert sum(sizes) * 4 == 88 * 1024 and all(size % 4 == 0 for size in sizes)
    if _numba.SIMULATOR:                 # a numpy view of the buffer: writes land in it
        buffer = np.zeros(40, np.float32)
        view = _numba.shared_view(np.float32, 8, (4, 8))(buffer)
        view[1, 2] = 5
        assert view.shape == (4, 8) and buffer[8 + 1 * 8 + 2] == 5


def test_a_kernel_is_opted_in_once_per_argument_types(monkeypatch):
    """``launch``'s opt-in past 48 KiB (a GPU path: here with a stand-in for numba's dispatcher
    and the driver call): compiled-kernel look-up and attribute once per argument types and
    size, again for a new layout or a larger size."""
    allowed = []
    monkeypatch.setattr(_numba, "_allow_dynamic_shared",
                        lambda function, size: allowed.append((function, size)))
    monkeypatch.setattr(_numba, "_OPTED_IN", {})
    monkeypatch.setattr(_numba.cuda, "get_current_device", lambda: types.SimpleNamespace(id=0))

    class Dispatcher:
        """Compiles (looks up) a kernel per argument types, as numba's CUDADispatcher."""
        def typeof_pyval(self, value):
            return _numba._argument_key(value)

        def compile(self, argtypes):
            library = type("Library", (), {"get_cufunc": lambda self: argtypes})()
            return type("Kernel", (), {"_codelibrary": library})()

    kernel, x = Dispatcher(), np.ones((4, 8), np.float32)
    for args, size in [((x, 1.0), 60000), ((x + 1, 2.0), 60000), ((x, 1.0), 50000),
                       ((x.T, 1.0), 60000), ((x, 1.0), 90000)]:
        _numba._opt_in(kernel, args, size)
    c_layout, transposed = (tuple(map(_numba._argument_key, (y, 1.0))) for y in (x, x.T))
    assert allowed == [(c_layout, 60000), (transposed, 60000), (c_layout, 90000)]
