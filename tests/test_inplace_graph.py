"""In-place writes into the graph, as PyTorch records them: an in-place op whose argument requires
grad makes its target require grad (``b.add_(x * 2)`` on a plain buffer), ``x[index] = v`` carries
gradients to ``v`` and to the rest of ``x``, ``copy_``/``fill_``/``zero_``/``scatter_``... on graph
tensors, and in-place ops on views (``y[0].mul_(2)``, ``y.t().add_(1)``) become writes into the
base (``WriteThroughView``). Each program runs under minitorch and PyTorch: same values, same
gradients; a float64 gradcheck where inputs are drawn."""
import numpy as np
import pytest
from hypothesis import given

import minitorch
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S


def _buffer_add(lib, x):
    b = lib.zeros(3, 4, dtype=lib.float64)
    b.add_(x * 2)
    b.sub_(x.exp(), alpha=0.5)
    return b


def _setitem(lib, x):
    y = x * 1
    y[0] = x[1] * x[2]  # an int row
    y[:, 1] = 5.0  # a slice, a number: no gradient there
    y[y > 1.0] = 0.0  # a mask
    y[[2, 1], [3, 0]] = x[0, :2] ** 2  # index arrays
    y[2, :, None][[0, 3]] = x[1, :2, None].sin()  # an int and an index array: PyTorch's placement
    return y


def _fill_into_zeros(lib, x):
    out = lib.zeros(4, 3, dtype=lib.float64)  # a common pattern: out[i] = f(x)
    for i in range(4):
        out[i] = x[:, i].tanh()
    return out * out


def _fills_and_copies(lib, x):
    y, z, w = x * 2, x + 1, x * x
    y.fill_(x[0, 0] * 3)  # a 0-d tensor that requires grad
    z.zero_()
    w[1:].copy_(x[0])  # a broadcast source, through a view
    return y + z + w


def _index_writes(lib, x):
    y, z, w, v = x * 1, x * 2, x * 3, x * 4
    y.index_fill_(1, lib.tensor([0, 2]), -1.0)
    z.index_copy_(0, lib.tensor([2, 0]), x[:2] ** 2)
    w.masked_scatter_(x > 0.3, x.exp().reshape(-1))
    v.scatter_(1, lib.tensor([[1, 0], [3, 3], [2, 1]]), x[:, :2].cos())
    return y + z + w + v


def _views(lib, x):
    y = x * 1
    y[0].mul_(2)  # a row
    y.t().add_(x[:, :1].t())  # a transpose, broadcast argument
    y.view(-1)[5:9].zero_()  # a flat view of a slice
    y.narrow(1, 1, 2).copy_(x[:, 2:] ** 2)  # narrow
    y[:, 3][1].div_(4)  # a view of a view: a 0-d element
    return y * y


def _stale_views(lib, x):
    out = lib.zeros(3, 4, dtype=lib.float64)
    first = out[0]  # taken before the base takes a history
    row = x * 1
    col = row[:, 2]
    out[1:] = x[:2] * 3  # the base takes a history: the view joins it when next used
    out[0] = x[2]
    row.mul_(x)  # col's base changed: col sees the new values and gradients
    return out.sum(0) + col.sum() + first * first


def _saved_only_for_another_input(lib, x):
    h = x + 0
    m = h * 3  # Mul needs h's values only for the gradient of 3: it keeps none of them
    d = h / 4
    h.copy_(h * 5)
    return m + d + h


PROGRAMS = [_buffer_add, _setitem, _fill_into_zeros, _fills_and_copies, _index_writes, _views, _stale_views,
            _saved_only_for_another_input]
START = np.linspace(-1.3, 1.7, 12).reshape(3, 4)


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__[1:])
def test_in_place_writes_give_pytorchs_values_and_gradients(program):
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        x = lib.tensor(START, requires_grad=True)
        out = program(lib, x)
        assert out.requires_grad
        (out * lib.tensor(np.cos(np.arange(out.numel())).reshape(out.shape))).sum().backward()
        results.append((out.detach().numpy(), x.grad.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


@given(S.arrays(shape=(3, 4), permuted=False))  # view(-1) needs a contiguous layout, as in PyTorch
def test_in_place_writes_gradcheck(x0):
    x = minitorch.tensor(x0, requires_grad=True)
    for program in (_buffer_add, _fill_into_zeros, _fills_and_copies, _views, _stale_views):
        assert gradcheck(lambda t: program(minitorch, t), [x])


def test_an_argument_that_requires_grad_puts_the_target_in_the_graph():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    b = minitorch.zeros(2)
    assert b.add_(x * 2) is b
    assert b.requires_grad and not b.is_leaf and b.grad_fn is not None
    b.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    c = minitorch.zeros(2)
    c.add_(x.detach())  # nothing requires grad: a plain write
    assert not c.requires_grad and c.is_leaf


def test_a_float64_argument_into_a_float32_target_keeps_its_dtype_and_gradient():
    x = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    b = minitorch.zeros(2)
    b.add_(x)
    b.sum().backward()
    assert b.dtype == minitorch.float32 and x.grad.dtype == minitorch.float64 and x.grad.tolist() == [1.0, 1.0]


def test_integer_indexing_gives_a_view_as_basic_indexing_does():
    y = minitorch.tensor([1.0, 2.0])
    y[0].mul_(5)
    assert y.tolist() == [5.0, 2.0]
    m = minitorch.zeros(2, 3)
    element, row = m[1, 2], m[..., 1]
    element.add_(7)
    row.add_(1)
    assert m.tolist() == [[0.0, 1.0, 0.0], [0.0, 1.0, 7.0]]
    assert element._version is m._version and row._version is m._version
    picked = m[[0, 1], 2]  # index arrays copy, as in PyTorch
    picked.add_(100)
    assert m[:, 2].tolist() == [0.0, 7.0]


def test_what_pytorch_refuses_is_refused():
    leaf = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="add_: a leaf tensor that requires grad"):
        leaf.add_(1)
    with pytest.raises(RuntimeError, match="mul_: a view of a leaf tensor that requires grad"):
        leaf[:1].mul_(2)
    with pytest.raises(RuntimeError, match="__setitem__: a leaf tensor"):
        leaf[0] = 3.0
    y = leaf * 1
    with minitorch.no_grad():
        taken = y[:1]
    with pytest.raises(RuntimeError, match="mul_: this view was taken in no_grad mode"):
        taken.mul_(2)
    with pytest.raises(RuntimeError, match="__setitem__: cannot put a value of shape \\(3,\\)"):
        (leaf * 1)[:] = minitorch.ones(3, requires_grad=True)
    with pytest.raises(minitorch.ShapeError, match="add_: a value of shape \\(3,\\)"):
        minitorch.zeros(2).add_(minitorch.ones(3, requires_grad=True))
    with pytest.raises(RuntimeError, match="add_: the result is float32.*int64"):
        minitorch.zeros(2, dtype=minitorch.int64).add_(leaf.float())
    with minitorch.no_grad():  # outside the graph everything is a plain write
        leaf.add_(1)
        leaf[:1].mul_(2)
    assert leaf.tolist() == [4.0, 3.0] and leaf.is_leaf


def test_a_view_write_on_cuda_gives_the_cpus_values_and_gradients():
    if not minitorch.cuda.is_available():
        pytest.skip("no cuda device: set NUMBA_ENABLE_CUDASIM=1 (the tests' conftest does) or use a GPU")
    results = []
    for device in ("cpu", "cuda"):
        x = minitorch.tensor(START, requires_grad=True, device=device)
        out = _views(minitorch, x) + _setitem(minitorch, x)
        out.sum().backward()
        assert out.device == device and x.grad.device == device
        results.append((out.detach().cpu().numpy(), x.grad.cpu().numpy()))
    for on_cpu, on_cuda in zip(*results):
        np.testing.assert_allclose(on_cuda, on_cpu, rtol=1e-12)


def test_a_pickled_or_copied_view_leaves_its_base_behind():
    import copy
    import pickle

    big = minitorch.zeros(1000, 10)
    row = big[3]
    assert row._view.base is big
    for copied in (pickle.loads(pickle.dumps(row)), copy.deepcopy(row)):
        assert copied._view is None and copied.shape == (10,)
    assert len(pickle.dumps(row)) < 2000  # not the 80 kB of the base
