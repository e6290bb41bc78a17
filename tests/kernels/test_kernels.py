"""Rung 1 of the kernel ladder: every kernel against numpy, under Numba's CUDA simulator (CI)
and, unchanged, on a real GPU (rung 3: ``benchmarks/gpu.py`` runs this file there).

Shapes are small and awkward (sides that are not multiples of the tile, sides of 1, odd head
dims) and most tests use tiny tilings, because the simulator runs one OS thread per CUDA
thread; each production configuration still runs once on a small shape. float64 results must
match to ~1e-12, float32 ones to float32 rounding.

The tests are written with numpy arrays. Under the simulator the kernels take them as they
are; on a real GPU (``MINITORCH_REAL_GPU=1 python -m pytest tests/kernels``) the kernel modules
are wrapped by ``on_device`` below, which moves every array argument to the GPU with cupy
(strides kept, so transposed and broadcast views stay views) and brings results back.
"""
import functools
import math
import types

import numpy as np
import pytest

pytest.importorskip("numba")
from kernels import _numba  # noqa: E402
from kernels import attention as _attention  # noqa: E402
from kernels import matmul as _matmul  # noqa: E402
from kernels import softmax as _softmax  # noqa: E402

SIMULATOR = _numba.SIMULATOR
if not SIMULATOR and not _numba.cuda.is_available():
    pytest.skip("no GPU, and numba was imported without NUMBA_ENABLE_CUDASIM=1 (tests/conftest.py "
                "sets it unless MINITORCH_REAL_GPU=1)", allow_module_level=True)
cupy = None if SIMULATOR else pytest.importorskip("cupy")


def to_gpu(x):
    """A numpy array as a cupy array with the same shape and strides (views stay views)."""
    if not isinstance(x, np.ndarray):
        return x
    base = x
    while isinstance(base.base, np.ndarray):
        base = base.base
    if x is base or not base.flags.c_contiguous or x.size == 0:
        return cupy.asarray(x)
    offset = x.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    flat = cupy.asarray(base).ravel()[offset // x.itemsize:]
    return cupy.lib.stride_tricks.as_strided(flat, x.shape, x.strides)


def to_host(x):
    if isinstance(x, tuple):
        return tuple(to_host(y) for y in x)
    return cupy.asnumpy(x) if isinstance(x, cupy.ndarray) else x


def on_device(module):
    """``module`` under the simulator; on a GPU, its functions with numpy in and numpy out."""
    if SIMULATOR:
        return module

    def wrap(fn):
        @functools.wraps(fn)
        def call(*args, **kwargs):
            args = [to_gpu(a) for a in args]
            kwargs = {key: to_gpu(value) for key, value in kwargs.items()}
            return to_host(fn(*args, **kwargs))
        return call

    public = {name: getattr(module, name) for name in dir(module) if not name.startswith("_")}
    return types.SimpleNamespace(**{
        name: wrap(value) if isinstance(value, types.FunctionType) else value
        for name, value in public.items()})


matmul, softmax, attention = (on_device(m) for m in (_matmul, _softmax, _attention))

TOL = {np.float32: dict(rtol=2e-5, atol=2e-5), np.float64: dict(rtol=1e-12, atol=1e-12)}
DTYPES = [np.float32, np.float64]
TINY = matmul.Tiling(8, 8, 8, 2, 2)          # 4 x 4 threads, 2 x 2 outputs each
TALL = matmul.Tiling(16, 8, 8, 4, 2)         # non-square: 4 x 4 threads, 4 x 2 outputs each
WIDE = matmul.Tiling(16, 16, 8, 2, 8)        # 8 columns a thread, in two groups of 4 (as LARGE)


def random(rng, shape, dtype=np.float64):
    return rng.standard_normal(shape).astype(dtype)


def assert_close(actual, expected, dtype):
    assert actual.dtype == dtype
    np.testing.assert_allclose(actual, expected, **TOL[dtype])


# ----------------------------------------------------------------------------- matmul

MATMUL_KERNELS = {
    "naive": dict(kernel="naive", tile=4),
    "tiled": dict(kernel="tiled", tile=4),
    "register": dict(kernel="register", tiling=TINY),
    "register_tall": dict(kernel="register", tiling=TALL),
    "register_wide": dict(kernel="register", tiling=WIDE),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", MATMUL_KERNELS)
@pytest.mark.parametrize("m, k, n", [(5, 7, 9), (1, 1, 1), (9, 1, 3)])
def test_matmul_kernels_on_awkward_shapes(name, dtype, m, k, n):
    rng = np.random.default_rng(0)
    a, b = random(rng, (m, k), dtype), random(rng, (k, n), dtype)
    assert_close(matmul.matmul(a, b, **MATMUL_KERNELS[name]), a @ b, dtype)


@pytest.mark.parametrize("a_shape, b_shape", [
    ((2, 3, 4), (4, 5)),           # b broadcast over the batch (stride 0)
    ((3, 4), (2, 4, 5)),           # a broadcast
    ((2, 1, 3, 4), (3, 4, 2)),     # batch axes broadcast against each other
    ((4,), (2, 4, 3)),             # 1-D operands, numpy's rules
    ((2, 3, 4), (4,)),
    ((4,), (4,)),
])
def test_matmul_batched_and_broadcast(a_shape, b_shape):
    rng = np.random.default_rng(1)
    a, b = random(rng, a_shape), random(rng, b_shape)
    out = matmul.matmul(a, b, tiling=TINY)
    assert out.shape == np.matmul(a, b).shape
    assert_close(out, np.matmul(a, b), np.float64)


@pytest.mark.parametrize("tiling", [TINY, WIDE], ids=["tiny", "wide"])
@pytest.mark.parametrize("k", [16, 13])
def test_register_matmul_interior_and_edge_tiles(tiling, k):
    """Interior tiles (whole tiles, K a multiple of BK: the unchecked loads) next to edge tiles,
    in both operand layouts, over several K slices (the prefetch of the next one)."""
    rng = np.random.default_rng(7)
    a, b = random(rng, (19, k), np.float32), random(rng, (k, 21), np.float32)
    assert_close(matmul.matmul(a, b, tiling=tiling), a @ b, np.float32)
    at, bt = np.ascontiguousarray(a.T), np.ascontiguousarray(b.T)
    out = matmul.matmul(at.T, bt.T, tiling=tiling)
    assert_close(out, a @ b, np.float32)


def test_register_matmul_rejects_tilings_it_cannot_stage():
    with pytest.raises(ValueError, match="BK must be 8"):
        matmul.register_kernel(np.dtype(np.float32), matmul.Tiling(8, 8, 4, 2, 2))
    with pytest.raises(ValueError, match="stage whole elements"):
        matmul.register_kernel(np.dtype(np.float32), matmul.Tiling(8, 24, 8, 2, 2))


def test_matmul_transposed_operands_are_read_through_strides():
    rng = np.random.default_rng(2)
    a = random(rng, (2, 7, 5), np.float32).transpose(0, 2, 1)    # (2, 5, 7), neither C nor F
    b = random(rng, (6, 7), np.float32).T                        # (7, 6), Fortran order
    assert not a.flags.c_contiguous and not b.flags.c_contiguous
    for kernel in ("register", "tiled"):
        out = matmul.matmul(a, b, kernel=kernel, tiling=TALL, tile=4)
        assert_close(out, a @ b, np.float32)


@pytest.mark.parametrize("tiling", [matmul.SMALL, matmul.LARGE], ids=["small", "large"])
def test_matmul_production_tiling(tiling):
    rng = np.random.default_rng(3)
    a, b = random(rng, (3, 5), np.float32), random(rng, (5, 2), np.float32)
    assert_close(matmul.matmul(a, b, tiling=tiling), a @ b, np.float32)


def test_matmul_large_tiling_interior_tile():
    """One whole 128 x 128 tile and two K slices: LARGE's unchecked path and its fragments."""
    rng = np.random.default_rng(8)
    a, b = random(rng, (128, 16), np.float32), random(rng, (16, 128), np.float32)
    assert_close(matmul.matmul(a, b, tiling=matmul.LARGE), a @ b, np.float32)


def test_matmul_default_kernel_and_tiling_choice():
    expected = matmul.SIMULATED if SIMULATOR else matmul.LARGE
    assert matmul.choose_tiling(4096, 4096, 1) == expected
    assert matmul.choose_tiling(64, 64, 1, simulated=False) == matmul.SMALL
    assert matmul.choose_tiling(4096, 4096, 1, simulated=False) == matmul.LARGE
    assert matmul.choose_tiling(4096, 4096, 1, simulated=False, dtype=np.float64) == matmul.SMALL
    assert matmul.threads(matmul.LARGE) == matmul.threads(matmul.SMALL) == 256
    rng = np.random.default_rng(4)
    a, b = random(rng, (2, 3), np.float32), random(rng, (3, 3))
    out = matmul.matmul(a, b)                                    # float32 @ float64 -> float64
    assert_close(out, a @ b, np.float64)


def test_matmul_splits_grids_past_cudas_limits(monkeypatch):
    """Over 65535 row tiles or batch entries, matmul3d launches several grids (here the limit is
    lowered to 2 so that a small problem needs 3 x 2 launches)."""
    monkeypatch.setattr(_matmul, "MAX_GRID_YZ", 2)
    rng = np.random.default_rng(9)
    a, b = random(rng, (3, 37, 5), np.float32), random(rng, (3, 5, 6), np.float32)
    assert_close(matmul.matmul(a, b, tiling=TINY), a @ b, np.float32)


def test_matmul_edges_and_errors():
    assert matmul.matmul(np.ones((0, 3)), np.ones((3, 2)), tiling=TINY).shape == (0, 2)
    np.testing.assert_array_equal(matmul.matmul(np.ones((2, 0)), np.ones((0, 3)), tiling=TINY),
                                  np.zeros((2, 3)))
    with pytest.raises(ValueError, match="do not match"):
        matmul.matmul(np.ones((2, 3)), np.ones((4, 2)))
    with pytest.raises(TypeError, match="float32 and float64"):
        matmul.matmul(np.ones((2, 2), dtype=np.int64), np.ones((2, 2), dtype=np.int64))
    with pytest.raises(ValueError, match="kernel must be"):
        matmul.matmul(np.ones((2, 2)), np.ones((2, 2)), kernel="magic")


def linear_gradient(f, x, grad):
    """dL/dx for L = sum(f(x) * grad) with f linear, one basis vector at a time (independent
    of the formulas under test)."""
    out = np.zeros(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = 1
        out[i] = np.sum(f(e.reshape(x.shape)) * grad)
    return out.reshape(x.shape)


@pytest.mark.parametrize("a_shape, b_shape", [
    ((2, 3, 5), (5, 4)),            # Linear layer: the batch folds into one product for dB
    ((3, 5), (2, 5, 4)),            # dA summed over the batch a was broadcast along
    ((2, 1, 3, 2), (3, 2, 1)),      # both broadcast
    ((3,), (2, 3, 2)),              # 1-D operands
    ((2, 3), (3,)),
])
def test_matmul_backward(a_shape, b_shape):
    rng = np.random.default_rng(5)
    a, b = random(rng, a_shape), random(rng, b_shape)
    grad = random(rng, np.matmul(a, b).shape)
    da, db = matmul.matmul_backward(a, b, grad, tiling=TINY)
    assert da.shape == a.shape and db.shape == b.shape
    assert_close(da, linear_gradient(lambda x: np.matmul(x, b), a, grad), np.float64)
    assert_close(db, linear_gradient(lambda x: np.matmul(a, x), b, grad), np.float64)


def test_matmul_backward_float32_with_the_teaching_kernels():
    rng = np.random.default_rng(6)
    a, b = random(rng, (5, 3), np.float32), random(rng, (3, 6), np.float32)
    grad = random(rng, (5, 6), np.float32)
    for kernel in ("naive", "tiled"):
        da, db = matmul.matmul_backward(a, b, grad, kernel=kernel, tile=4)
        assert_close(da, grad @ b.T, np.float32)
        assert_close(db, a.T @ grad, np.float32)


# ----------------------------------------------------------------------------- softmax

def softmax_reference(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 13), (2, 3, 1), (5,), (1, 8)])
def test_softmax_forward(shape, dtype):
    rng = np.random.default_rng(7)
    x = random(rng, shape, dtype) * 4
    x.reshape(-1, shape[-1])[0, 0] = 1000      # stability: exp(1000) would overflow
    if shape[-1] > 2:
        x.reshape(-1, shape[-1])[-1, :2] = -np.inf     # masked scores, first in the row
    y = softmax.softmax(x, threads=8)
    assert_close(y, softmax_reference(x.astype(np.float64)).astype(dtype), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_backward_against_the_jacobian(dtype):
    rng = np.random.default_rng(8)
    x, dy = random(rng, (4, 11), dtype), random(rng, (4, 11), dtype)
    y = softmax_reference(x.astype(np.float64))
    # dx = J^T dy with J = diag(y) - y y^T, row by row
    expected = np.stack([(np.diag(r) - np.outer(r, r)).T @ g for r, g in zip(y, dy)])
    dx = softmax.softmax_backward(y.astype(dtype), dy, threads=8)
    assert_close(dx, expected.astype(dtype), dtype)


def test_softmax_edges():
    assert softmax.softmax(np.ones((2, 0))).shape == (2, 0)
    assert_close(softmax.softmax(np.array(3.0)), np.array(1.0), np.float64)
    with pytest.raises(ValueError, match="differ in shape"):
        softmax.softmax_backward(np.ones((2, 3)), np.ones((3, 2)))


def test_softmax_production_threads_on_a_long_row():
    rng = np.random.default_rng(9)
    x, dy = random(rng, (1, 300), np.float32), random(rng, (1, 300), np.float32)
    y = softmax.softmax(x, threads=128)
    assert_close(y, softmax_reference(x), np.float32)
    dx = softmax.softmax_backward(y, dy, threads=128)
    assert_close(dx, y * (dy - (dy * y).sum(-1, keepdims=True)), np.float32)


# ----------------------------------------------------------------------------- attention

def attention_reference(q, k, v, keep=None, causal=False, scale=None):
    """Unfused attention in float64: (o, lse, p, scale); fully masked rows give o = 0, lse = inf."""
    q, k, v = (x.astype(np.float64) for x in (q, k, v))
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    s = scale * q @ np.swapaxes(k, -1, -2)
    allowed = np.ones(s.shape, dtype=bool)
    if keep is not None:
        allowed &= keep
    if causal:
        nq, nk = s.shape[-2:]
        allowed &= np.arange(nk)[None, :] <= np.arange(nq)[:, None]
    s = np.where(allowed, s, -np.inf)
    m = s.max(axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    e = np.exp(s - m)
    l = e.sum(axis=-1, keepdims=True)
    p = e / np.where(l > 0, l, 1)
    with np.errstate(divide="ignore"):
        lse = np.where(l[..., 0] > 0, m[..., 0] + np.log(l[..., 0]), np.inf)
    return p @ v, lse, p, scale


def attention_reference_backward(q, k, v, do, **options):
    o, _, p, scale = attention_reference(q, k, v, **options)
    dv = np.swapaxes(p, -1, -2) @ do
    dp = do @ np.swapaxes(v, -1, -2)
    ds = p * (dp - (do * o).sum(axis=-1, keepdims=True))
    return scale * ds @ k, scale * np.swapaxes(ds, -1, -2) @ q, dv


def make_mask(rng, kind, b, h, nq, nk):
    """None, a key-padding mask (b, 1, 1, nk) or a full (b, h, nq, nk) one; True = attend."""
    if kind is None:
        return None
    if kind == "padding":
        keep = rng.random((b, 1, 1, nk)) > 0.3
        keep[0, ..., :] = False                        # batch 0: every key padded out
        keep[-1, ..., 0] = True
        return keep
    keep = rng.random((b, h, nq, nk)) > 0.4
    keep[0, 0, 1, :] = False                           # one fully masked row
    return keep


ATTENTION_CASES = [
    # b, h, nq, nk, d, causal, mask, tiling
    (1, 2, 5, 7, 3, False, None, (4, 4, 2, 2)),
    (2, 1, 9, 6, 17, True, None, (4, 4, 2, 2)),        # causal with nq > nk
    (1, 1, 6, 9, 33, True, None, (4, 8, 2, 4)),        # causal with nq < nk, non-square tiles
    (2, 2, 7, 7, 4, False, "padding", (8, 4, 2, 2)),
    (1, 2, 5, 8, 5, True, "full", (4, 4, 2, 2)),
    (1, 1, 1, 1, 1, False, None, (4, 4, 2, 2)),        # sides of 1
    # the head dims of real models; N not a multiple of the tile (swizzled tiles, staged loads)
    (1, 1, 13, 11, 64, True, "full", (8, 8, 2, 2)),
    (2, 1, 3, 10, 128, False, "padding", (8, 8, 2, 2)),
    (1, 1, 21, 19, 64, False, None, (16, 16, 4, 4)),   # four key tiles, TR = TC = VEC
    (1, 1, 6, 9, 7, True, "padding", (4, 4, 1, 1)),    # a score a thread (float64 at d=128)
]
#: (BT, BQ, TK) of the backward: several key and query steps, TK = VEC (LDS.128) and not
BACKWARD_TILINGS = {(4, 4, 2, 2): (8, 2, 2), (4, 8, 2, 4): (16, 4, 4), (8, 4, 2, 2): (4, 4, 1),
                    (8, 8, 2, 2): (8, 4, 2), (16, 16, 4, 4): (16, 4, 4), (4, 4, 1, 1): (4, 2, 1)}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("b, h, nq, nk, d, causal, mask, tiling", ATTENTION_CASES)
def test_attention_forward_matches_unfused(b, h, nq, nk, d, causal, mask, tiling, dtype):
    rng = np.random.default_rng(10)
    q, k, v = (random(rng, (b, h, n, d), dtype) for n in (nq, nk, nk))
    keep = make_mask(rng, mask, b, h, nq, nk)
    o, lse = attention.attention_forward(q, k, v, mask=keep, causal=causal, tiling=tiling)
    ro, rlse, _, _ = attention_reference(q, k, v, keep=keep, causal=causal)
    assert o.shape == q.shape and lse.shape == (b, h, nq)
    assert_close(o, ro.astype(dtype), dtype)
    assert_close(lse, rlse.astype(dtype), dtype)       # inf where a row is fully masked


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("b, h, nq, nk, d, causal, mask, tiling", ATTENTION_CASES)
def test_attention_backward_matches_unfused(b, h, nq, nk, d, causal, mask, tiling, dtype):
    rng = np.random.default_rng(11)
    q, k, v = (random(rng, (b, h, n, d), dtype) for n in (nq, nk, nk))
    do = random(rng, (b, h, nq, d), dtype)
    keep = make_mask(rng, mask, b, h, nq, nk)
    o, lse = attention.attention_forward(q, k, v, mask=keep, causal=causal, tiling=tiling)
    grads = attention.attention_backward(q, k, v, o, lse, do, mask=keep, causal=causal,
                                         tiling=BACKWARD_TILINGS[tiling])
    expected = attention_reference_backward(q, k, v, do, keep=keep, causal=causal)
    for got, want, x in zip(grads, expected, (q, k, v)):
        assert got.shape == x.shape
        assert_close(got, want.astype(dtype), dtype)


def test_attention_reference_backward_matches_finite_differences():
    """The numpy composite the kernels are checked against is itself right."""
    rng = np.random.default_rng(12)
    q, k, v = random(rng, (1, 1, 3, 2)), random(rng, (1, 1, 4, 2)), random(rng, (1, 1, 4, 2))
    do = random(rng, (1, 1, 3, 2))
    options = dict(keep=np.array([True, False, True, True])[None, None, None], causal=True)
    grads = attention_reference_backward(q, k, v, do, **options)
    for i, x in enumerate((q, k, v)):
        numeric = np.zeros(x.size)
        for j in range(x.size):
            shifted = [y.copy() for y in (q, k, v)]
            for sign in (1, -1):
                shifted[i].flat[j] = x.flat[j] + sign * 1e-6
                numeric[j] += sign * np.sum(attention_reference(*shifted, **options)[0] * do)
        np.testing.assert_allclose(grads[i].ravel(), numeric / 2e-6, atol=1e-6)


def test_attention_fully_masked_rows_give_zeros_not_nan():
    rng = np.random.default_rng(13)
    q, k, v, do = (random(rng, (1, 1, 3, 4)) for _ in range(4))
    keep = np.zeros((1, 1, 3, 3), dtype=bool)
    keep[0, 0, 1] = True                               # only row 1 attends anything
    o, lse = attention.attention_forward(q, k, v, mask=keep, tiling=(4, 4, 2, 2))
    assert np.all(o[0, 0, [0, 2]] == 0) and np.all(np.isinf(lse[0, 0, [0, 2]]))
    assert np.isfinite(lse[0, 0, 1])
    dq, dk, dv = attention.attention_backward(q, k, v, o, lse, do, mask=keep, tiling=(8, 2, 2))
    assert all(np.isfinite(g).all() for g in (dq, dk, dv))
    assert np.all(dq[0, 0, [0, 2]] == 0)


def test_attention_production_tiling():
    """The default (production) tilings, once, on one small awkward shape."""
    rng = np.random.default_rng(14)
    q, k, v, do = (random(rng, (1, 1, n, 3), np.float32) for n in (5, 7, 7, 5))
    forward = attention.forward_tiling(np.float32, 3, simulated=False)
    backward = attention.backward_tiling(np.float32, 3, simulated=False)
    assert forward == (64, 64, 4, 4) and backward == (64, 16, 4)     # 256 threads each
    o, lse = attention.attention_forward(q, k, v, causal=True, tiling=forward)
    ro, rlse, _, _ = attention_reference(q, k, v, causal=True)
    assert_close(o, ro.astype(np.float32), np.float32)
    assert_close(lse, rlse.astype(np.float32), np.float32)
    grads = attention.attention_backward(q, k, v, o, lse, do, causal=True, tiling=backward)
    for got, want in zip(grads, attention_reference_backward(q, k, v, do, causal=True)):
        assert_close(got, want.astype(np.float32), np.float32)


def test_attention_3d_inputs_and_explicit_scale():
    rng = np.random.default_rng(15)
    q, k, v, do = (random(rng, (2, n, 3)) for n in (4, 5, 5, 4))
    keep = rng.random((2, 4, 5)) > 0.3
    keep[..., 0] = True
    o, lse = attention.attention_forward(q, k, v, mask=keep, scale=0.3, tiling=(4, 4, 2, 2))
    ro, rlse, _, _ = attention_reference(q, k, v, keep=keep, scale=0.3)
    assert_close(o, ro, np.float64)
    assert_close(lse, rlse, np.float64)
    grads = attention.attention_backward(q, k, v, o, lse, do, mask=keep, scale=0.3,
                                         tiling=(8, 2, 2))
    for got, want in zip(grads, attention_reference_backward(q, k, v, do, keep=keep, scale=0.3)):
        assert_close(got, want, np.float64)


def test_attention_backward_without_queries_and_bad_tilings():
    k = v = np.ones((1, 1, 3, 4))
    q = o = do = np.ones((1, 1, 0, 4))
    dq, dk, dv = attention.attention_backward(q, k, v, o, np.ones((1, 1, 0)), do)
    assert dq.shape == q.shape and np.all(dk == 0) and np.all(dv == 0)
    with pytest.raises(ValueError, match="power of 2"):
        _attention.backward_kernel(np.float32, 4, False, False, (8, 4, 4))     # 2 key groups


@pytest.mark.parametrize("simulated", [False, True])
def test_attention_tilings_fit_in_shared_memory_for_every_head_dim(simulated):
    for dtype in DTYPES:
        size = np.dtype(dtype).itemsize
        for d in range(1, attention.MAX_HEAD_DIM + 1):
            forward = attention.forward_tiling(dtype, d, simulated)
            backward = attention.backward_tiling(dtype, d, simulated)
            assert attention.forward_shared_bytes(forward, d, size) <= 48 * 1024
            assert attention.backward_shared_bytes(backward, d, size) <= (    # dynamic: opted in
                48 * 1024 if simulated else _numba.OPT_IN_SHARED_BYTES)
            assert simulated or attention.backward_accumulators(backward, d, size) <= 64


def test_attention_errors():
    x = np.ones((1, 1, 2, 4))
    with pytest.raises(ValueError, match="head dim"):
        attention.attention_forward(*(np.ones((1, 1, 2, 129)),) * 3)
    with pytest.raises(TypeError, match="boolean"):
        attention.attention_forward(x, x, x, mask=np.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match="k and v"):
        attention.attention_forward(x, np.ones((1, 1, 3, 4)), np.ones((1, 1, 3, 5)))
    with pytest.raises(TypeError, match="float32 and float64"):
        attention.attention_forward(*(np.ones((1, 1, 2, 4), dtype=np.int32),) * 3)
