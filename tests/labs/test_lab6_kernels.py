"""Lab 6: CUDA kernels under Numba's CUDA simulator (``kernels/matmul.py``, ``kernels/softmax.py``).

The simulator runs every CUDA thread as a Python thread, so shapes are small, and the blocks
too (4 x 4 threads for matmul, 4 threads a row for softmax). Shapes are "awkward": not
multiples of the tile, so the edge handling is tested as well.
"""
import numpy as np
import pytest

numba = pytest.importorskip("numba")
if not numba.config.ENABLE_CUDASIM:
    pytest.skip("the kernel labs run under Numba's CUDA simulator: set NUMBA_ENABLE_CUDASIM=1 before "
                "numba is imported (tests/conftest.py does)", allow_module_level=True)

from kernels import matmul, softmax  # noqa: E402  (after the simulator check)

TOL = {np.float32: dict(rtol=2e-5, atol=2e-5), np.float64: dict(rtol=1e-12, atol=1e-12)}


def random(shape, dtype=np.float64, seed=0, scale=1.0):
    return (scale * np.random.default_rng(seed).standard_normal(shape)).astype(dtype)


def softmax_np(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ----------------------------------------------------------------------------- 6.1 tiled matmul

@pytest.mark.task(id="6.1")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("m, k, n", [(5, 7, 6), (4, 4, 4), (1, 9, 3)])
def test_tiled_matmul(m, k, n, dtype):
    a, b = random((m, k), dtype), random((k, n), dtype, seed=1)
    out = matmul.matmul(a, b, kernel="tiled", tile=4)
    assert out.dtype == dtype
    np.testing.assert_allclose(out, a @ b, **TOL[dtype])


@pytest.mark.task(id="6.1")
def test_tiled_matmul_batched_and_transposed():
    a, b = random((2, 3, 5)), random((6, 5), seed=1).T  # b is a transposed (strided) view
    np.testing.assert_allclose(matmul.matmul(a, b, kernel="tiled", tile=4), a @ b, **TOL[np.float64])


# ----------------------------------------------------------------------------- 6.2 online softmax

@pytest.mark.task(id="6.2")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(3, 11), (2, 3, 4), (1, 1)])
def test_softmax_kernel(shape, dtype):
    x = random(shape, dtype, scale=3.0)
    out = softmax.softmax(x, threads=4)
    np.testing.assert_allclose(out, softmax_np(x.astype(np.float64)), **TOL[dtype])


@pytest.mark.task(id="6.2")
def test_softmax_kernel_large_and_masked_scores():
    x = np.array([[1000.0, 999.0, -np.inf, 998.0, 1000.0, 0.0], [-np.inf, 5.0, -np.inf, 4.0, 3.0, 2.0]])
    out = softmax.softmax(x, threads=4)
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out, softmax_np(x), **TOL[np.float64])


# ----------------------------------------------------------------------------- 6.3 softmax backward

@pytest.mark.task(id="6.3")
@pytest.mark.parametrize("shape", [(3, 11), (2, 2, 5)])
def test_softmax_backward_kernel(shape):
    y, dy = softmax_np(random(shape)), random(shape, seed=1)
    expected = y * (dy - (dy * y).sum(axis=-1, keepdims=True))
    np.testing.assert_allclose(softmax.softmax_backward(y, dy, threads=4), expected, **TOL[np.float64])
