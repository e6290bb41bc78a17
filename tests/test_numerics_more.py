"""The remaining top-level numerics (``minitorch/numerics.py``, ``minitorch/windows.py``,
``minitorch/tensor_methods/numerics.py``): values against PyTorch, float64 gradchecks over
hypothesis-drawn inputs, and errors of PyTorch's types. The catalog's cases
(``catalog/numerics.py``) add PyTorch's gradients and the ``cuda`` device.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

WINDOWS = ["hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window"]


# ----------------------------------------------------------------- values against PyTorch
@pytest.mark.parametrize("name", WINDOWS)
def test_windows_as_pytorch(name):
    torch = pytest.importorskip("torch")
    for length in (0, 1, 2, 5, 8):
        for periodic in (True, False):
            ours = getattr(minitorch, name)(length, periodic, dtype=minitorch.float64)
            theirs = getattr(torch, name)(length, periodic, dtype=torch.float64)
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), atol=1e-12)
    assert getattr(minitorch, name)(4).dtype == minitorch.float32
    assert getattr(minitorch, name)(3, requires_grad=True).requires_grad


def test_window_parameters_and_errors():
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(minitorch.kaiser_window(6, True, 3.5).numpy(), torch.kaiser_window(6, True, 3.5).numpy(),
                               rtol=1e-6)
    np.testing.assert_allclose(minitorch.hamming_window(6, False, 0.6, 0.3).numpy(),
                               torch.hamming_window(6, False, 0.6, 0.3).numpy(), rtol=1e-6)
    with pytest.raises(RuntimeError, match="non-negative window_length"):
        minitorch.hann_window(-1)
    with pytest.raises(RuntimeError, match="floating point dtypes"):
        minitorch.hann_window(4, dtype=minitorch.int64)


@pytest.mark.parametrize("kwargs", [{}, {"spacing": 2.0}, {"dim": 1, "edge_order": 2}, {"spacing": [2.0, 3.0]},
                                    {"spacing": "x", "dim": 1}, {"spacing": "x", "dim": -1, "edge_order": 2},
                                    {"dim": [0]}])
def test_gradient_as_pytorch(kwargs):
    torch = pytest.importorskip("torch")
    y = np.array([[1.0, 2.0, 4.0, 7.0], [2.0, 5.0, 9.0, 11.0], [0.0, 1.0, -1.0, 3.0]])
    x = np.array([0.0, 1.0, 3.0, 4.5])
    results = []
    for lib in (minitorch, torch):
        given_kwargs = {k: (lib.tensor(x),) if v == "x" else v for k, v in kwargs.items()}
        results.append([g.numpy() for g in lib.gradient(lib.tensor(y), **given_kwargs)])
    assert len(results[0]) == len(results[1])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)


def test_histogram_as_pytorch():
    torch = pytest.importorskip("torch")
    data = np.random.default_rng(0).standard_normal(50)
    for bins, kwargs in ((10, {}), (4, {"range": (-1.0, 1.0)}), ("edges", {"density": True}),
                         (5, {"weight": "w", "density": True})):
        results = []
        for lib in (minitorch, torch):
            b = lib.tensor([-2.0, -0.5, 0.0, 0.3, 2.0], dtype=lib.float64) if bins == "edges" else bins
            k = {n: lib.tensor(np.abs(data)) if v == "w" else v for n, v in kwargs.items()}
            hist, edges = lib.histogram(lib.tensor(data), b, **k)
            results.append((hist.numpy(), edges.numpy()))
        for ours, theirs in zip(*results):
            np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_membership_indices_and_shapes_as_pytorch():
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        assert lib.isin(lib.tensor([1, 2, 3]), lib.tensor([2, 5])).tolist() == [False, True, False]
        assert lib.isin(lib.tensor([1.0, 2.0]), 2.0, invert=True).tolist() == [True, False]
        assert bool(lib.isin(2, lib.tensor([1, 2])))
        assert [t.tolist() for t in lib.unravel_index(lib.tensor([-1, 5, 0]), (2, 3))] == [[1, 1, 0], [2, 2, 0]]
        assert tuple(lib.broadcast_shapes((2, 1), (3, 1, 1), 1)) == (3, 2, 1)
        assert lib.scalar_tensor(3).dtype == lib.float32 and lib.scalar_tensor(2, dtype=lib.float64).item() == 2.0
        assert lib.typename(lib.zeros(1)) == "torch.FloatTensor" and lib.typename(lib.tensor([1])) == "torch.LongTensor"
        assert lib.typename(3) == "int"


def test_compositions_as_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    a, v = rng.standard_normal((3, 4)), rng.standard_normal(4)
    for call in (lambda lib: lib.block_diag(lib.tensor([[1, 2]]), lib.tensor(3.0), lib.tensor([4, 5])),
                 lambda lib: lib.vander(lib.tensor([1, 2, 3])),
                 lambda lib: lib.combinations(lib.tensor([1, 2, 3, 4]), 3),
                 lambda lib: lib.combinations(lib.tensor([1.0, 2.0]), r=3),
                 lambda lib: lib.combinations(lib.tensor([1.0, 2.0]), r=0),
                 lambda lib: lib.trapezoid(lib.tensor([1, 4, 9])),
                 lambda lib: lib.row_stack([lib.tensor([1, 2]), lib.tensor([3, 4])]),
                 lambda lib: lib.tensor(a).cov(fweights=lib.tensor([1, 2, 3, 1]), aweights=lib.tensor(np.abs(v))),
                 lambda lib: lib.tensor([[0, 1, 2], [2, 1, 5]]).corrcoef(),
                 lambda lib: lib.tensor(a).sum_to_size(1, 4),
                 lambda lib: lib.tensor([1.0, 2.0, 3.0]).addr(lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0, 5.0]),
                                                              beta=0),
                 lambda lib: lib.tensor([[float("nan")]]).addr(lib.tensor([1.0]), lib.tensor([3.0]), beta=0),
                 lambda lib: lib.tensor([0.0, -3.5, 1e-310, float("inf")]).frexp().mantissa,
                 lambda lib: lib.tensor([0.0, -3.5, 1e-310]).frexp().exponent):
        ours, theirs = call(minitorch), call(torch)
        assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype)[10:] == str(theirs.dtype)[6:]
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_in_place_forms():
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        x = lib.ones(3, 2)
        x.index_reduce_(0, lib.tensor([0, 0, 2]), lib.tensor([[2.0, 3.0], [5.0, 1.0], [4.0, 4.0]]), "prod")
        y = lib.ones(2, 2)
        y.addr_(lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0]), alpha=2)
        results.append((x.numpy(), y.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs)


# ----------------------------------------------------------------- gradients
@given(data=st.data())
def test_cov_and_corrcoef_gradcheck(data):
    x = minitorch.tensor(data.draw(S.arrays((3, 4))), requires_grad=True)
    w = minitorch.tensor(data.draw(S.arrays((4,), elements=S.grid(0.25, 2))), requires_grad=True)
    assert gradcheck(lambda x, w: (x.cov(aweights=w), x.corrcoef()), [x, w])


@given(data=st.data())
def test_integration_and_differences_gradcheck(data):
    y = minitorch.tensor(data.draw(S.arrays((3, 4))), requires_grad=True)
    x = minitorch.tensor(data.draw(S.arrays((4,), elements=S.grid(0.25, 2))).cumsum(), requires_grad=True)
    assert gradcheck(lambda y, x: (minitorch.trapezoid(y, x), minitorch.cumulative_trapezoid(y, dim=0)), [y, x])
    assert gradcheck(lambda y: minitorch.gradient(y, spacing=(x.detach(),), dim=1, edge_order=2)
                     + minitorch.gradient(y, edge_order=1), [y])


@given(data=st.data())
def test_vander_gradcheck(data):
    x = minitorch.tensor(data.draw(S.arrays((3,))), requires_grad=True)
    assert gradcheck(lambda x: minitorch.vander(x, N=4), [x])


@given(data=st.data(), offset=st.integers(-1, 1))
def test_scatters_gradcheck(data, offset):
    x = minitorch.tensor(data.draw(S.arrays((3, 3))), requires_grad=True)
    src = minitorch.tensor(data.draw(S.arrays((3 - abs(offset),))), requires_grad=True)
    assert gradcheck(lambda x, s: (x.diagonal_scatter(s, offset), x.select_scatter(s[:1].expand(3), 1, offset),
                                   x.slice_scatter(s[:1].expand(1, 3), start=1, end=2)), [x, src])


# ----------------------------------------------------------------- errors of PyTorch's types
@pytest.mark.parametrize("call, error", [
    (lambda lib: lib.zeros(2, 2, 2).cov(), RuntimeError),
    (lambda lib: lib.zeros(2, 3).cov(fweights=lib.tensor([1, 2])), RuntimeError),
    (lambda lib: lib.zeros(2, 2).addr(lib.zeros(2, 1), lib.zeros(2)), RuntimeError),
    (lambda lib: lib.zeros(2, 3).sum_to_size(2, 2), RuntimeError),
    (lambda lib: lib.zeros(2, 4).dsplit(2), RuntimeError),
    (lambda lib: lib.zeros(2, 3).select_scatter(lib.zeros(2), 0, 0), RuntimeError),
    (lambda lib: lib.zeros(3, 3).diagonal_scatter(lib.zeros(2)), RuntimeError),
    (lambda lib: lib.zeros(3).index_reduce(0, lib.tensor([0]), lib.ones(1), "sum"), RuntimeError),
    (lambda lib: lib.tensor([1, 2]).frexp(), RuntimeError),
    (lambda lib: lib.combinations(lib.zeros(2, 2)), RuntimeError),
    (lambda lib: lib.block_diag(lib.zeros(1, 1, 1)), RuntimeError),
    (lambda lib: lib.vander(lib.zeros(2, 2)), RuntimeError),
    (lambda lib: lib.unravel_index(lib.tensor([0.5]), (2,)), TypeError),
    (lambda lib: lib.broadcast_shapes((2,), (3,)), RuntimeError),
    (lambda lib: lib.gradient(lib.zeros(3), edge_order=3), RuntimeError),
    (lambda lib: lib.gradient(lib.zeros(2), edge_order=2), RuntimeError),
    (lambda lib: lib.histogram(lib.tensor([1, 2]), 3), RuntimeError),
])
def test_errors_as_pytorch(call, error):
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        with pytest.raises(error):
            call(lib)


@pytest.mark.parametrize("name", ["minitorch.numerics", "minitorch.windows", "minitorch.tensor_methods.numerics"])
def test_docstring_examples_run(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_non_differentiable_numerics_keep_device_arrays(monkeypatch):
    """On a real GPU (here tests/gpu/fake_cupy.py, the stand-in for cupy that tests/gpu uses),
    isin, unravel_index, histogram, frexp and the windows give cupy arrays, with the CPU's values."""
    import importlib.util
    import pathlib
    import sys

    spec = importlib.util.spec_from_file_location("cupy", pathlib.Path(__file__).parent / "gpu" / "fake_cupy.py")
    fake_cupy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fake_cupy)
    monkeypatch.setitem(sys.modules, "cupy", fake_cupy)
    monkeypatch.setattr(minitorch.cuda, "_state", lambda: (True, False, "a fake GPU"))
    x = minitorch.tensor([[1.0, 2.0, 7.0], [-3.5, 2.0, 0.25]])
    calls = (lambda t: minitorch.isin(t, 2.0), lambda t: minitorch.isin(t, t[0]),
             lambda t: minitorch.unravel_index(t.long().abs(), (2, 4))[1], lambda t: t.histogram(3).hist,
             lambda t: t.frexp().exponent, lambda t: minitorch.special.i1e(t) + minitorch.special.zeta(t.abs() + 1.5, 2.0))
    for call in calls:
        ours = call(x.to("cuda"))
        assert isinstance(ours._array, fake_cupy.ndarray)
        np.testing.assert_allclose(ours.cpu().numpy(), call(x).numpy())
    for name in WINDOWS:
        assert isinstance(getattr(minitorch, name)(5, device="cuda")._array, fake_cupy.ndarray)
