"""Reductions, scans and sorting beyond the catalog's shared tests: ties (which index PyTorch picks),
NaNs, zeros in products, empty tensors, integer dtypes, ``axis=``, and hypothesis gradchecks in float64.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

NAN = float("nan")


def _torch():
    return pytest.importorskip("torch")


def _pair(torch, array, requires_grad=False):
    return (minitorch.tensor(array, requires_grad=requires_grad), torch.tensor(array, requires_grad=requires_grad))


def _same(ours, theirs):
    """Same values (NaN where PyTorch has NaN) and same dtype."""
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12, atol=1e-12)


def _tie_heavy(seed, shape, low=0, high=3):
    """Small integers as floats: every slice has ties."""
    return np.random.default_rng(seed).integers(low, high, shape).astype(np.float64)


# ----------------------------------------------------------------- ties: the indices PyTorch picks
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("shape, dim", [((7,), 0), ((4, 6), 1), ((5, 4), 0), ((2, 3, 8), -1)])
def test_order_statistics_pick_pytorchs_indices_among_ties(seed, shape, dim):
    torch = _torch()
    a = _tie_heavy(seed, shape)
    ours, theirs = _pair(torch, a)
    n = shape[dim]
    calls = [
        lambda t: t.sort(dim), lambda t: t.sort(dim, descending=True), lambda t: t.median(dim),
        lambda t: t.kthvalue(1 + seed % n, dim), lambda t: t.mode(dim), lambda t: t.cummax(dim),
        lambda t: t.cummin(dim), lambda t: t.nanmedian(dim, keepdim=True),
    ]
    for call in calls:
        for mine, pytorchs in zip(call(ours), call(theirs)):
            _same(mine, pytorchs)


def test_topk_among_ties_takes_the_right_values_in_the_original_order():
    torch = _torch()
    a = np.array([1.0, 1.0, 1.0, 2.0, 2.0, 2.0])
    for sort in (True, False):
        values, indices = minitorch.tensor(a).topk(4, sorted=sort)
        _same(values, torch.tensor(a).topk(4).values)
        assert indices.tolist() == [3, 4, 5, 0]  # stable; PyTorch's CPU order among ties is unspecified


@pytest.mark.parametrize("a", [[1.0, NAN, 0.0, NAN], [NAN, 2.0, 1.0], [3.0, 1.0, NAN, 1.0, NAN]])
def test_nans_sort_last_and_win_medians_and_running_extremes(a):
    torch = _torch()
    ours, theirs = _pair(torch, np.array(a))
    for call in (lambda t: t.sort(), lambda t: t.sort(descending=True), lambda t: t.median(0),
                 lambda t: t.nanmedian(0), lambda t: t.cummax(0), lambda t: t.cummin(0)):
        for mine, pytorchs in zip(call(ours), call(theirs)):
            _same(mine, pytorchs)
    for call in (lambda t: t.median(), lambda t: t.nanmedian(), lambda t: t.quantile(0.3),
                 lambda t: t.nanquantile(0.3)):
        _same(call(ours), call(theirs))
    q = [0.0, 0.5, 1.0]
    _same(ours.nanquantile(minitorch.tensor(q, dtype=minitorch.float64)),
          theirs.nanquantile(torch.tensor(q, dtype=torch.float64)))


def test_all_nan_slices():
    torch = _torch()
    ours, theirs = _pair(torch, np.array([[NAN, NAN], [1.0, NAN]]))
    for call in (lambda t: t.nanmedian(1), lambda t: t.median(1)):
        for mine, pytorchs in zip(call(ours), call(theirs)):
            _same(mine, pytorchs)
    _same(ours.nanquantile(0.5, dim=1), theirs.nanquantile(0.5, dim=1))


# ----------------------------------------------------------------- gradients where ties or zeros matter
@pytest.mark.parametrize("seed", range(4))
def test_gradients_through_ties_follow_pytorch(seed):
    torch = _torch()
    a = _tie_heavy(seed, (4, 5))
    w = np.random.default_rng(seed + 10).standard_normal((4, 5))
    calls = [
        lambda t: t.sort(1).values, lambda t: t.median(1).values[:, None], lambda t: t.median().reshape(1, 1),
        lambda t: t.nanmedian().reshape(1, 1), lambda t: t.kthvalue(3, 0, keepdim=True).values,
        lambda t: t.mode(1, keepdim=True).values, lambda t: t.cummax(1).values, lambda t: t.amax(1, keepdim=True),
        lambda t: t.norm(float("inf"), 1, keepdim=True), lambda t: t.quantile(0.4, dim=1, keepdim=True),
    ]  # not topk: which of several tied elements PyTorch's CPU topk returns is unspecified
    for call in calls:
        grads = []
        for lib in (minitorch, torch):
            x = lib.tensor(a - 1.0, requires_grad=True)
            out = call(x)
            (out * lib.tensor(w[: out.shape[0], : out.shape[1]])).sum().backward()
            grads.append(x.grad.numpy())
        np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("a", [[2.0, 3.0, 4.0], [2.0, 0.0, 3.0], [0.0, 5.0, 0.0], [[1.0, 0.0], [0.0, 0.0]]])
def test_prod_and_cumprod_gradients_with_zeros_as_pytorch(a):
    torch = _torch()
    for call in (lambda t: t.prod(), lambda t: t.prod(0), lambda t: t.cumprod(0), lambda t: t.cumprod(-1)):
        grads = []
        for lib in (minitorch, torch):
            x = lib.tensor(a, dtype=lib.float64, requires_grad=True)
            out = call(x)
            _ = (out * lib.arange(1, out.numel() + 1, dtype=lib.float64).reshape(out.shape)).sum().backward()
            grads.append(x.grad.numpy())
        np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


def test_norm_at_zero_and_logcumsumexp_far_apart_as_pytorch():
    torch = _torch()
    for a, call in [([0.0, 0.0], lambda t: t.norm()), ([0.0, 1.0], lambda t: t.norm(1)),
                    ([0.0, 1.0], lambda t: t.norm(0.5)), ([1.0, -3.0, 3.0], lambda t: t.norm(float("inf"))),
                    ([-1000.0, 0.0, 1.0, 800.0], lambda t: t.logcumsumexp(0))]:
        grads, outs = [], []
        for lib in (minitorch, torch):
            x = lib.tensor(a, dtype=lib.float64, requires_grad=True)
            out = call(x)
            out.sum().backward()
            outs.append(out.detach().numpy())
            grads.append(x.grad.numpy())
        np.testing.assert_allclose(outs[0], outs[1], rtol=1e-12)
        np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


# ----------------------------------------------------------------- hypothesis gradchecks (float64)
@given(data=st.data())
def test_gradcheck_prod_and_scans(data):
    shape = data.draw(S.shapes(min_dims=1))
    x = data.draw(S.tensors(shape, elements=S.grid(-2, 2)))
    dim = data.draw(S.dim(shape))
    assert gradcheck(lambda t: t.prod(dim), [x])
    assert gradcheck(lambda t: t.prod(), [x])
    for name in ("cumsum", "cumprod", "logcumsumexp"):
        assert gradcheck(lambda t: getattr(t, name)(dim), [x])
    assert gradcheck(lambda t: t.cummax(dim).values + t.cummin(dim).values, [x])


@given(data=st.data())
def test_gradcheck_sorting_and_order_statistics(data):
    shape = data.draw(S.shapes(min_dims=1))
    x = data.draw(S.tensors(shape))
    dim = data.draw(S.dim(shape))
    k = data.draw(st.integers(1, shape[dim]))
    assert gradcheck(lambda t: t.sort(dim, descending=True).values, [x])
    assert gradcheck(lambda t: t.topk(k, dim).values, [x])
    assert gradcheck(lambda t: t.kthvalue(k, dim).values + t.median(dim).values, [x])
    assert gradcheck(lambda t: t.median() + t.quantile(0.3) + t.quantile(0.8, dim=dim), [x])


@given(data=st.data())
def test_gradcheck_norms(data):
    shape = data.draw(S.shapes())
    x = data.draw(S.tensors(shape))
    dim = data.draw(S.reduction_dims(shape))
    p = data.draw(st.sampled_from([2, 1, 3, 0.5, float("inf"), -float("inf")]))
    assert gradcheck(lambda t: t.norm(p, dim), [x])


# ----------------------------------------------------------------- dtypes, empties, aliases, errors
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool", "float32", "float64"])
def test_integer_and_bool_accumulation_dtypes_as_pytorch(dtype):
    torch = _torch()
    a = np.array([[1, 0, 2], [3, 1, 1]]).astype(dtype)
    ours, theirs = minitorch.tensor(a), torch.tensor(a)
    for call in (lambda t: t.sum(), lambda t: t.sum(0), lambda t: t.prod(), lambda t: t.prod(1),
                 lambda t: t.cumsum(1), lambda t: t.cumprod(0), lambda t: t.nansum(), lambda t: t.count_nonzero(0),
                 lambda t: t.all(1), lambda t: t.any(0, keepdim=True), lambda t: t.sort(0).values,
                 lambda t: t.amax(1), lambda t: t.unique(), lambda t: t.diff(dim=0)):
        _same(call(ours), call(theirs))


def test_sum_and_mean_with_dtype():
    torch = _torch()
    a = np.array([1, 2, 4])
    ours, theirs = minitorch.tensor(a), torch.tensor(a)
    _same(ours.sum(dtype=minitorch.float32), theirs.sum(dtype=torch.float32))
    _same(ours.mean(dtype=minitorch.float64), theirs.mean(dtype=torch.float64))
    _same(minitorch.mean(ours, 0, dtype=minitorch.float32), torch.mean(theirs, 0, dtype=torch.float32))


def test_reductions_over_nothing():
    empty = minitorch.zeros(0, 3)
    assert empty.sum().item() == 0 and empty.prod().item() == 1
    assert empty.sum(0).tolist() == [0, 0, 0] and empty.prod(0).tolist() == [1, 1, 1]
    assert empty.logsumexp((0, 1)).item() == -np.inf
    assert empty.amax(1).shape == (0,) and np.isnan(minitorch.zeros(0).median().item())
    with pytest.raises(RuntimeError, match="max"):
        empty.max()
    with pytest.raises(IndexError, match="amin.*empty"):
        empty.amin(0)
    with pytest.raises(IndexError, match="argmax"):
        empty.argmax()


def test_axis_is_another_name_for_dim():
    torch = _torch()
    a = np.random.default_rng(3).standard_normal((3, 4))
    ours, theirs = minitorch.tensor(a), torch.tensor(a)
    for call in (lambda t: t.sum(axis=1), lambda t: t.mean(axis=0), lambda t: t.max(axis=1).values,
                 lambda t: t.argmin(axis=0), lambda t: t.std(axis=1), lambda t: t.prod(axis=0),
                 lambda t: t.cumsum(axis=1), lambda t: t.sort(axis=0).values, lambda t: t.median(axis=1).values,
                 lambda t: t.quantile(0.5, axis=1), lambda t: t.logsumexp(axis=1), lambda t: (t > 0).all(axis=1),
                 lambda t: t.topk(2, axis=0).values, lambda t: t.nanmean(axis=0), lambda t: t.diff(axis=0)):
        _same(call(ours), call(theirs))
    with pytest.raises(TypeError, match="axis"):
        ours.sum(dim=0, axis=1)


def test_max_and_min_with_another_tensor_are_maximum_and_minimum():
    if not hasattr(minitorch.Tensor, "maximum"):
        pytest.skip("Tensor.maximum is not there yet")
    a, b = minitorch.tensor([1.0, 5.0]), minitorch.tensor([3.0, 2.0])
    assert a.max(b).tolist() == [3.0, 5.0] and minitorch.min(a, b).tolist() == [1.0, 2.0]


def test_bad_arguments_name_the_op():
    x = minitorch.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="topk: k"):
        x.topk(3)
    with pytest.raises(RuntimeError, match="kthvalue: k"):
        x.kthvalue(0)
    with pytest.raises(RuntimeError, match="quantile: q"):
        x.quantile(1.5)
    with pytest.raises(ValueError, match="interpolation"):
        x.quantile(0.5, interpolation="cubic")
    with pytest.raises(NotImplementedError, match="nuc"):
        x.norm("nuc")
    with pytest.raises(RuntimeError, match="floating-point"):
        minitorch.tensor([1, 2]).quantile(0.5)
    with pytest.raises(RuntimeError, match="bincount"):
        minitorch.tensor([-1, 2]).bincount()
    with pytest.raises(IndexError, match="sort"):
        x.sort(dim=1)


# ----------------------------------------------------------------- counting and searching
def test_unique_and_unique_consecutive_as_pytorch():
    torch = _torch()
    a = np.array([[1, 2, 1], [0, 0, 5], [1, 2, 1], [0, 0, 5], [3, 3, 3]])
    ours, theirs = minitorch.tensor(a), torch.tensor(a)
    for call in (lambda t: t.unique(return_inverse=True, return_counts=True),
                 lambda t: t.unique(dim=0, return_inverse=True, return_counts=True),
                 lambda t: t.unique(dim=1), lambda t: t.unique_consecutive(return_counts=True),
                 lambda t: t.unique_consecutive(dim=0, return_inverse=True, return_counts=True)):
        for mine, pytorchs in zip(call(ours), call(theirs)):
            _same(mine, pytorchs)


def test_searching_binning_and_histograms_as_pytorch():
    torch = _torch()
    rng = np.random.default_rng(4)
    seq = np.sort(rng.integers(0, 6, (3, 5)), axis=1)
    values = rng.integers(-1, 7, (3, 4))
    for right in (False, True):
        _same(minitorch.searchsorted(minitorch.tensor(seq), minitorch.tensor(values), right=right),
              torch.searchsorted(torch.tensor(seq), torch.tensor(values), right=right))
        _same(minitorch.bucketize(minitorch.tensor(values), minitorch.tensor(seq[0]), right=right, out_int32=True),
              torch.bucketize(torch.tensor(values), torch.tensor(seq[0]), right=right, out_int32=True))
    order = np.argsort(values[0])
    _same(minitorch.searchsorted(minitorch.tensor(values[0]), minitorch.tensor(3), sorter=minitorch.tensor(order)),
          torch.searchsorted(torch.tensor(values[0]), 3, sorter=torch.tensor(order)))
    data = rng.standard_normal(50).astype(np.float32)
    for args in ((), (7,), (4, -1.0, 1.0)):
        _same(minitorch.tensor(data).histc(*args), torch.tensor(data).histc(*args))
    labels = np.array([0, 3, 3, 1])
    _same(minitorch.tensor(labels).bincount(minlength=6), torch.tensor(labels).bincount(minlength=6))
    weights = np.array([0.5, 1.0, 2.0, 0.25], dtype=np.float32)
    _same(minitorch.tensor(labels).bincount(minitorch.tensor(weights)),
          torch.tensor(labels).bincount(torch.tensor(weights)))


def test_quantile_interpolations_and_shapes_as_pytorch():
    torch = _torch()
    a = np.random.default_rng(5).standard_normal((3, 5))
    q = np.array([0.0, 0.1, 0.5, 0.75, 1.0])
    ours, theirs = minitorch.tensor(a), torch.tensor(a)
    for how in ("linear", "lower", "higher", "midpoint", "nearest"):
        for dim, keepdim in ((None, False), (None, True), (0, False), (1, True)):
            _same(ours.quantile(minitorch.tensor(q), dim, keepdim, interpolation=how),
                  theirs.quantile(torch.tensor(q), dim, keepdim, interpolation=how))
            _same(ours.nanquantile(0.3, dim, keepdim, interpolation=how),
                  theirs.nanquantile(0.3, dim, keepdim, interpolation=how))


# ----------------------------------------------------------------- the cuda device (the simulator here)
def test_ties_and_nans_on_cuda_give_the_cpus_results():
    a = _tie_heavy(7, (4, 6))
    a[1, 2] = NAN
    x = minitorch.tensor(a)
    calls = [lambda t: t.sort(1), lambda t: t.median(1), lambda t: t.nanmedian(1), lambda t: t.mode(0),
             lambda t: t.kthvalue(2, 1), lambda t: t.cummax(1), lambda t: t.topk(3, 1),
             lambda t: t.topk(2, 0, False, False), lambda t: (t.prod(1),),
             lambda t: (t.nanquantile(0.3, 1),), lambda t: (t.unique(),), lambda t: (t.cumprod(0),)]
    for call in calls:
        for on_cpu, on_cuda in zip(call(x), call(x.to("cuda"))):
            assert on_cuda.device == "cuda"
            np.testing.assert_array_equal(on_cuda.cpu().numpy(), on_cpu.numpy())
