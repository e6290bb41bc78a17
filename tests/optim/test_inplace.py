"""``add_scaled_`` (SGD's last step) gives exactly numpy's ``p -= lr * g``, on every layout."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minitorch.optim.inplace import add_scaled_


@given(st.sampled_from([np.float32, np.float64]), st.integers(0, 2**32 - 1),
       st.floats(-10, 10, allow_nan=False))
def test_bitwise_equal_to_numpy_in_place(dtype, seed, alpha):
    rng = np.random.default_rng(seed)
    p, g = (rng.standard_normal((7, 5)).astype(dtype) for _ in range(2))
    expected = p.copy()
    expected += alpha * g
    out = add_scaled_(p, g, alpha)
    assert out is p and np.array_equal(p, expected)


@pytest.mark.parametrize("make", [
    lambda p, g: (p.T, g.T),                                  # Fortran order
    lambda p, g: (p[:, ::2], g[:, ::2]),                      # strided views
    lambda p, g: (p, g.astype(np.float64)),                   # mixed dtypes
    lambda p, g: (p, g[:1]),                                  # a broadcast gradient
], ids=["transposed", "strided", "mixed-dtype", "broadcast"])
def test_other_layouts_take_numpys_expression(make):
    rng = np.random.default_rng(0)
    p, g = make(rng.standard_normal((4, 6)).astype(np.float32), rng.standard_normal((4, 6)).astype(np.float32))
    expected = p.copy()
    expected += 0.5 * g
    add_scaled_(p, g, 0.5)
    np.testing.assert_array_equal(p, expected)
