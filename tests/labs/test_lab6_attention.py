"""Lab 6, task 6.9: the flash-attention forward kernel (``kernels/attention_forward.py``) under the simulator.

Expected values follow from identities, not from another implementation of attention:

- with q = 0 every visible key scores the same, so a row's output is the mean of its visible
  values and its log-sum-exp is log(number of visible keys);
- with q = e_0 and k[:, 0] = log(w) / scale, row scores are log(w_j), so softmax gives w / sum w:
  the output is the w-weighted mean of v, and lse = log(sum w). Rising w moves the row maximum
  at every key tile, which only a correct rescaling survives.

The simulator's tiling is 8 x 8 (16 threads a block); N = 19 keys make three key tiles, the last
one ragged.
"""
import math

import numpy as np
import pytest

numba = pytest.importorskip("numba")
if not numba.config.ENABLE_CUDASIM:
    pytest.skip("the kernel labs run under Numba's CUDA simulator: set NUMBA_ENABLE_CUDASIM=1 before "
                "numba is imported (tests/conftest.py does)", allow_module_level=True)

from kernels import attention  # noqa: E402  (after the simulator check)

N, D = 19, 8
TOL = {np.float32: dict(rtol=2e-5, atol=2e-5), np.float64: dict(rtol=1e-12, atol=1e-12)}


def values(dtype=np.float64, seed=0):
    return np.random.default_rng(seed).standard_normal((1, 2, N, D)).astype(dtype)


def weighted(w, dtype=np.float64):
    """(q, k) whose scaled scores are log(w[j]) in every row, for positive weights w (N,)."""
    q = np.zeros((1, 2, N, D), dtype)
    q[..., 0] = 1
    k = np.random.default_rng(1).standard_normal((1, 2, N, D)).astype(dtype)
    k[..., 0] = np.log(w) * math.sqrt(D)      # scale = 1 / sqrt(D)
    return q, k


@pytest.mark.task(id="6.9")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_equal_scores_give_the_mean_of_the_values(dtype):
    v = values(dtype)
    o, lse = attention.attention_forward(np.zeros_like(v), values(dtype, 1), v)
    np.testing.assert_allclose(o, np.broadcast_to(v.mean(axis=2, keepdims=True), v.shape), **TOL[dtype],
                               err_msg="task 6.9: equal scores must weigh every key the same")
    np.testing.assert_allclose(lse, np.full(lse.shape, math.log(N)), **TOL[dtype])


@pytest.mark.task(id="6.9")
def test_causal_rows_average_the_keys_up_to_themselves():
    v = values()
    o, lse = attention.attention_forward(np.zeros_like(v), values(seed=1), v, causal=True)
    counts = np.arange(1, N + 1)[:, None]
    np.testing.assert_allclose(o, np.cumsum(v, axis=2) / counts, **TOL[np.float64],
                               err_msg="task 6.9: causal row i averages the values of keys 0..i")
    np.testing.assert_allclose(lse[0, 0], np.log(counts[:, 0]), **TOL[np.float64])


@pytest.mark.task(id="6.9")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_maximum_that_moves_every_tile_is_rescaled(dtype):
    w = np.exp(np.linspace(0.0, 9.0, N))          # rising weights: each tile holds the new maximum
    q, k = weighted(w, dtype)
    v = values(dtype)
    o, lse = attention.attention_forward(q, k, v)
    mean = np.einsum("j,bhjd->bhd", w / w.sum(), v)[:, :, None]   # the w-weighted mean of the values
    np.testing.assert_allclose(o, np.broadcast_to(mean, v.shape), **TOL[dtype],
                               err_msg="task 6.9: the accumulator and l must be rescaled by exp2(m_old - m_new) "
                                       "whenever a tile raises the maximum")
    np.testing.assert_allclose(lse, np.full(lse.shape, math.log(w.sum())), rtol=1e-5 if dtype == np.float32
                               else 1e-12)


@pytest.mark.task(id="6.9")
def test_masked_keys_count_for_nothing_and_a_fully_masked_row_gives_zero_and_inf():
    v = values()
    keep = np.ones((1, 2, N, N), dtype=bool)
    keep[..., 5:11] = False                       # the middle keys of every row
    keep[0, 1, 7] = False                         # one row sees nothing
    o, lse = attention.attention_forward(np.zeros_like(v), values(seed=1), v, mask=keep)
    visible = np.concatenate([v[:, :, :5], v[:, :, 11:]], axis=2).mean(axis=2, keepdims=True)
    expected = np.broadcast_to(visible, v.shape).copy()
    expected[0, 1, 7] = 0
    np.testing.assert_allclose(o, expected, **TOL[np.float64], err_msg="task 6.9: masked keys get probability 0")
    assert lse[0, 1, 7] == math.inf and np.isfinite(np.delete(lse[0, 1], 7)).all()
    np.testing.assert_allclose(lse[0, 0], np.full(N, math.log(N - 6)), **TOL[np.float64])
