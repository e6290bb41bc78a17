"""Regressions found by running tinygrad's torch-oracle op tests (test/backend/test_ops.py) with
minitorch standing in for torch: each test pins one divergence from PyTorch that was fixed.

- an index tuple holding tuples (``x[1, (2, 1, 0), None, c]``) picks as lists do (was: numpy's
  basic-index meaning, a wrong shape);
- ``arange``/``linspace``/``logspace`` with ``dtype=bool`` raise NotImplementedError (was: values);
- cumprod's backward over an empty dim (was: a numpy error);
- ``clamp(min > max)`` gives ``max`` everywhere with a zero gradient (was: an error);
  ``clamp()`` with neither bound and the bad ``rounding_mode``/``indexing``/``reduce`` strings
  raise RuntimeError, as PyTorch (were ValueError);
- ``std_mean``/``var_mean`` take ``axis=``;
- ``F.pad`` in reflect/replicate/circular mode crops with negative amounts, and replicate pads
  beyond the dim's size (were errors);
- ``F.scaled_dot_product_attention(..., enable_gqa=True)`` and ``x.view(dtype)`` (were missing).

The comparisons with PyTorch skip where it is not installed; the gradchecks always run.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.nn.functional as F
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

RNG = np.random.default_rng(0)
X6 = RNG.uniform(-2, 2, (2, 5, 6, 5, 3, 4))
C = RNG.integers(-5, 5, (1, 1, 4, 1, 1, 1))
E = RNG.integers(0, 1, (1, 1, 1, 1, 6, 1))
PAD_CASES = [  # (shape, pad, mode)
    ((3, 3, 3, 3), (-1, 2, 2, -1), "reflect"),
    ((1, 1, 5, 5), (3, -3, 0, -3), "reflect"),
    ((1, 1, 5, 5), (3, -5, 1, -5), "reflect"),
    ((3, 3, 3, 3), (-1, 2, 2, -1), "replicate"),
    ((1, 1, 5, 5), (1, -5, 0, 30), "replicate"),
    ((1, 1, 5, 5), (2, -1, -2, 1), "circular"),
    ((2, 5), (-2, -2), "reflect"),
]


def _same_as_torch(fn, *arrays, grad=True):
    """fn(minitorch, *tensors) against fn(torch, *tensors): values, dtype and (float) gradients."""
    torch = pytest.importorskip("torch")
    mine = [minitorch.tensor(a, requires_grad=grad) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=grad) for a in arrays]
    got, want = fn(minitorch, *mine), fn(torch, *theirs)
    got_values, want_values = got.detach().numpy(), want.detach().numpy()
    assert got_values.shape == want_values.shape and got_values.dtype == want_values.dtype
    np.testing.assert_allclose(got_values, want_values, rtol=1e-6, atol=1e-9)
    if grad:
        got.sum().backward()
        want.sum().backward()
        for m, t in zip(mine, theirs):
            np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("pick", [
    lambda lib, x: x[1, (2, 1, 0), None, lib.tensor(C), (2, 1, 0), lib.tensor(E)],
    lambda lib, x: x[(1, 0), lib.tensor(C[0, 0]).clamp(0, 2), 0],
    lambda lib, x: x[:, ((2,), (1,), (0,)), 3, (2, 1, 0)],
])
def test_tuples_inside_an_index_pick_like_lists(pick):
    _same_as_torch(pick, X6)


def test_tuples_inside_an_index_give_the_list_result():
    x = minitorch.tensor(X6)
    np.testing.assert_array_equal(x[0, (2, 1), None, (0, 0)].numpy(), x[0, [2, 1], None, [0, 0]].numpy())


@pytest.mark.parametrize("make", [
    lambda lib: lib.arange(3, dtype=lib.bool),
    lambda lib: lib.linspace(5, 10, 3, dtype=lib.bool),
    lambda lib: lib.logspace(0, 1, 3, dtype=lib.bool),
])
def test_ranges_of_bool_raise_as_in_pytorch(make):
    with pytest.raises(NotImplementedError, match="bool"):
        make(minitorch)


def test_ranges_of_bool_raise_in_pytorch_too():
    torch = pytest.importorskip("torch")
    with pytest.raises(NotImplementedError):
        torch.linspace(5, 10, 3, dtype=torch.bool)


@pytest.mark.parametrize("shape, dim", [((2, 0, 4), 1), ((0, 3), 0), ((2, 3, 0), 2)])
def test_cumprod_over_an_empty_dim_has_an_empty_gradient(shape, dim):
    x = minitorch.zeros(shape, requires_grad=True)
    x.cumprod(dim).sum().backward()
    assert x.grad.shape == x.shape
    _same_as_torch(lambda lib, t: lib.cumprod(t, dim=dim), np.zeros(shape))


def test_clamp_with_min_above_max_gives_max_and_no_gradient():
    x = minitorch.tensor([-1.0, 0.5, 2.0, 5.0], requires_grad=True)
    y = x.clip(3, 0)
    y.sum().backward()
    assert y.tolist() == [0.0, 0.0, 0.0, 0.0] and x.grad.tolist() == [0.0, 0.0, 0.0, 0.0]
    _same_as_torch(lambda lib, t: t.clip(3, 0), RNG.uniform(-4, 4, (4, 5)))


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
@pytest.mark.parametrize("call", [
    lambda lib: lib.ones(2).clamp(),
    lambda lib: lib.ones(2).div(lib.ones(2), rounding_mode="typo"),
    lambda lib: lib.meshgrid(lib.ones(2), indexing="bad"),
    lambda lib: lib.zeros(2, 3).scatter_reduce(0, lib.zeros(2, 3, dtype=lib.int64), lib.ones(2, 3), reduce="INVALID"),
    lambda lib: lib.zeros(2, 3).scatter(0, lib.zeros(2, 3, dtype=lib.int64), lib.ones(2, 3), reduce="typo"),
])
def test_bad_mode_strings_raise_runtime_errors_as_pytorch(call):
    with pytest.raises(RuntimeError):
        call(minitorch)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch)


@pytest.mark.parametrize("name", ["std_mean", "var_mean"])
def test_std_mean_and_var_mean_take_axis(name):
    x = RNG.normal(size=(3, 4, 5, 6))
    for got, want in zip(getattr(minitorch, name)(minitorch.tensor(x), axis=(1, 2)),
                         getattr(minitorch, name)(minitorch.tensor(x), dim=(1, 2))):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    _same_as_torch(lambda lib, t: lib.stack(getattr(lib, name)(t, axis=(1, 2))), x)


@pytest.mark.parametrize("shape, pad, mode", PAD_CASES)
def test_pad_copy_modes_crop_with_negative_amounts_as_pytorch(shape, pad, mode):
    _same_as_torch(lambda lib, t: lib.nn.functional.pad(t, pad, mode=mode), RNG.normal(size=shape))


@pytest.mark.parametrize("mode", ["reflect", "circular"])
def test_pad_copy_modes_still_refuse_too_much_padding(mode):
    with pytest.raises(ValueError, match="at most"):
        F.pad(minitorch.zeros(1, 1, 5), (6, -3), mode=mode)


@given(x=S.tensors(shape=(1, 2, 4, 5)), mode=st.sampled_from(["reflect", "replicate", "circular"]),
       amounts=st.tuples(*[st.integers(-2, 2)] * 4))
def test_pad_with_negative_amounts_gradcheck(x, mode, amounts):
    assert gradcheck(lambda t: F.pad(t, amounts, mode=mode), (x,))


def test_sdpa_enable_gqa_shares_key_and_value_heads():
    q, k, v = RNG.normal(size=(2, 8, 5, 4)), RNG.normal(size=(2, 2, 6, 4)), RNG.normal(size=(2, 2, 6, 3))
    _same_as_torch(lambda lib, *t: lib.nn.functional.scaled_dot_product_attention(*t, enable_gqa=True), q, k, v)
    with pytest.raises(RuntimeError, match="multiple"):
        three_heads = minitorch.zeros(2, 3, 6, 4)
        F.scaled_dot_product_attention(minitorch.tensor(q), three_heads, three_heads, enable_gqa=True)


@given(q=S.tensors(shape=(1, 4, 2, 3)), k=S.tensors(shape=(1, 2, 3, 3)), v=S.tensors(shape=(1, 2, 3, 2)))
def test_sdpa_enable_gqa_gradcheck(q, k, v):
    assert gradcheck(lambda *t: F.scaled_dot_product_attention(*t, enable_gqa=True), (q, k, v))


@pytest.mark.parametrize("dtype", ["int32", "int16", "int64", "uint8", "float64", "float32"])
def test_view_as_another_dtype_reads_the_same_bytes(dtype):
    x = RNG.normal(size=(3, 4)).astype(np.float32)
    got = minitorch.tensor(x).view(getattr(minitorch, dtype)).numpy()
    np.testing.assert_array_equal(got, x.view(np.dtype(dtype)))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(got, torch.tensor(x).view(getattr(torch, dtype)).numpy())


def test_view_as_another_dtype_refuses_a_strided_last_dim():
    with pytest.raises(RuntimeError, match="contiguous"):
        minitorch.zeros(4, 3).t().view(minitorch.int64)
