"""Shape, indexing and linear-algebra ops beyond the basics (split, flip, gather, scatter_reduce,
einsum, mm, ...): hypothesis gradchecks of their ops, PyTorch's indexing rule for gets and sets,
PyTorch's dtypes and errors, and the memory-layout methods.

Each op's values and gradients against PyTorch, its gradcheck on fixed inputs and its "cuda"
run are the ``Case`` calls of its catalog entry (tests/test_catalog.py); this file adds drawn
shapes, integer dtypes, the error types and edge cases.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S


def torch_or_skip():
    return pytest.importorskip("torch")


# ------------------------------------------------------------------ drawn gradchecks
@given(data=st.data())
def test_flip_roll_repeat_gradcheck(data):
    x = data.draw(S.tensors(S.shapes(min_dims=1)))
    dim = data.draw(S.dim(x.shape))
    reps = data.draw(st.lists(st.integers(1, 3), min_size=x.ndim, max_size=x.ndim + 1))
    shift = data.draw(st.integers(-5, 5))
    assert gradcheck(lambda t: t.flip(dim) * t.roll(shift, dim) + t.roll(shift).sum(), [x])
    assert gradcheck(lambda t: t.repeat(*reps), [x])


@given(data=st.data())
def test_gather_scatter_gradcheck(data):
    shape = data.draw(S.shapes(min_dims=1))
    both = data.draw(S.arrays((2,) + shape))  # distinct values in x and src: amax/amin meet no tie (a kink)
    x, src = (minitorch.tensor(a, requires_grad=True) for a in both)
    dim = data.draw(S.dim(x.shape))
    index = minitorch.tensor(data.draw(S.arrays(x.shape, dtype=np.int64, elements=st.integers(0, x.shape[dim] - 1),
                                                unique=False)))
    reduce = data.draw(st.sampled_from(["sum", "mean", "amax", "amin", "prod"]))
    include_self = data.draw(st.booleans())
    assert gradcheck(lambda t: t.gather(dim, index), [x])
    assert gradcheck(lambda t, s: t.scatter_add(dim, index, s), [x, src])
    assert gradcheck(lambda t, s: t.scatter_reduce(dim, index, s, reduce, include_self=include_self), [x, src])


@given(data=st.data())
def test_index_put_family_gradcheck(data):
    x = data.draw(S.tensors(S.shapes(min_dims=1)))
    dim = data.draw(S.dim(x.shape))
    picks = data.draw(st.lists(st.integers(0, x.shape[dim] - 1), min_size=1, max_size=4))
    index = minitorch.tensor(picks)
    source = data.draw(S.tensors(x.shape[:dim % x.ndim] + (len(picks),) + x.shape[dim % x.ndim + 1:]))
    assert gradcheck(lambda t, s: t.index_add(dim, index, s, alpha=2.0), [x, source])
    assert gradcheck(lambda t: t.index_select(dim, index) * 2, [x])


@given(data=st.data())
def test_einsum_gradcheck(data):
    n, k, m = (data.draw(st.integers(1, 3)) for _ in range(3))
    a, b = data.draw(S.tensors((n, k))), data.draw(S.tensors((k, m)))
    c = data.draw(S.tensors((k, k)))
    assert gradcheck(lambda s, t: minitorch.einsum("ij,jk->ik", s, t), [a, b])
    assert gradcheck(lambda s, t: minitorch.einsum("ij,jj->i", s, t), [a, c])
    assert gradcheck(lambda s: minitorch.einsum("...j->...", s), [a])


@given(data=st.data())
def test_triangles_diagonals_gradcheck(data):
    x = data.draw(S.tensors(S.shapes(min_dims=2)))
    offset = data.draw(st.integers(-2, 2))
    assert gradcheck(lambda t: t.tril(offset) + t.triu(-offset), [x])
    assert gradcheck(lambda t: t.diagonal(offset, -1, 0).diag_embed(offset), [x])


# --------------------------------------------------------------- PyTorch's indexing rule
INDEXES = [
    (0, slice(None), [0, 1, 2]),
    (slice(None), 1, [0, 2]),
    ([0, 1], slice(None), 0),
    ([1, 0], 0, [0, 1]),
    (None, 1, slice(None), [2, 0]),
    (Ellipsis, 0, [1, 1]),
    (1, [[0, 1], [2, 2]], slice(1, None)),
    (0, slice(None), [True, False, True]),
]


@pytest.mark.parametrize("index", INDEXES, ids=str)
def test_ints_beside_index_arrays_follow_pytorch(index):
    torch = torch_or_skip()
    a = np.arange(18.0).reshape(2, 3, 3)
    ours, theirs = minitorch.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    out, expected = ours[index], theirs[index]
    np.testing.assert_array_equal(out.detach().numpy(), expected.detach().numpy())
    weights = np.arange(out.numel(), dtype=np.float64).reshape(out.shape)
    (out * minitorch.tensor(weights)).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(ours.grad.numpy(), theirs.grad.numpy())
    x, y = minitorch.zeros(2, 3, 3), torch.zeros(2, 3, 3)
    x[index] = minitorch.tensor(weights) + 1
    y[index] = torch.tensor(weights).float() + 1
    np.testing.assert_array_equal(x.numpy(), y.numpy())
    on_cuda = minitorch.tensor(a).to("cuda")[index]
    np.testing.assert_array_equal(on_cuda.cpu().numpy(), expected.detach().numpy())


# ------------------------------------------------------------------ dtypes as PyTorch's
INT_CALLS = [
    lambda m, x: x.tril(),
    lambda m, x: x.repeat(2, 1),
    lambda m, x: x.flip(0),
    lambda m, x: x.gather(1, m.tensor([[0, 0], [1, 0]])),
    lambda m, x: x.scatter_reduce(0, m.tensor([[0, 0], [0, 0]]), x, "mean"),
    lambda m, x: x.scatter_reduce(0, m.tensor([[1, 0], [1, 0]]), x * 3, "prod", include_self=False),
    lambda m, x: m.einsum("ij,jk", x, x),
    lambda m, x: x.mm(x),
    lambda m, x: x.trace(),
    lambda m, x: x.kron(x),
    lambda m, x: x.diag(),
    lambda m, x: x.nonzero(),
    lambda m, x: x.take(m.tensor([3, 0])),
    lambda m, x: x.index_add(0, m.tensor([1]), x[:1]),
    lambda m, x: m.cartesian_prod(x[0], x[1]),
    lambda m, x: x.masked_select(x > 1),
]


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool", "float32"])
@pytest.mark.parametrize("call", INT_CALLS)
def test_dtypes_as_pytorch(call, dtype):
    torch = torch_or_skip()
    a = np.array([[1, 2], [0, 3]])
    if dtype == "bool" and call in (INT_CALLS[4], INT_CALLS[5], INT_CALLS[6], INT_CALLS[7], INT_CALLS[8], INT_CALLS[9],
                                    INT_CALLS[13], INT_CALLS[15]):
        return  # arithmetic on bool: PyTorch refuses or promotes as an arithmetic op, not this file's concern
    outs = [call(lib, lib.tensor(a).to(getattr(lib, dtype))) for lib in (minitorch, torch)]
    assert str(outs[0].dtype).split(".")[-1] == str(outs[1].dtype).split(".")[-1]
    np.testing.assert_array_equal(outs[0].numpy(), outs[1].numpy())


# ------------------------------------------------------------------ ties and zeros
@pytest.mark.parametrize("reduce", ["amax", "amin", "prod", "mean"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_ties_and_zeros_as_pytorch(reduce, include_self):
    torch = torch_or_skip()
    x = np.array([1.0, 0.0, 2.0, 3.0])
    src = np.array([1.0, 2.0, 0.0, 0.0, 3.0, 5.0])
    index = [0, 0, 1, 1, 3, 2]
    grads = []
    for lib in (minitorch, torch):
        a, s = lib.tensor(x, requires_grad=True), lib.tensor(src, requires_grad=True)
        out = a.scatter_reduce(0, lib.tensor(index), s, reduce, include_self=include_self)
        (out * lib.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
        grads.append((out.detach().numpy(), a.grad.numpy(), s.grad.numpy()))
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs)


# ------------------------------------------------------------------------- errors
ERRORS = [
    (lambda m: m.zeros(2, 3).permute(1, 2), IndexError, "permute"),
    (lambda m: m.zeros(2, 3).permute(0, 0), RuntimeError, "permute"),
    (lambda m: m.zeros(2, 3, 4).flatten(2, 1), RuntimeError, "flatten"),
    (lambda m: m.zeros(2, 3).split(0), RuntimeError, "split"),
    (lambda m: m.zeros(6).split([1, 2]), RuntimeError, "split"),
    (lambda m: m.zeros(2, 3).chunk(0), RuntimeError, "chunk"),
    (lambda m: m.zeros(2, 3).narrow(0, 1, 5), RuntimeError, "narrow"),
    (lambda m: m.zeros(2, 3).select(0, 5), IndexError, "select"),
    (lambda m: m.zeros(2, 3).select(2, 0), IndexError, "select"),
    (lambda m: m.zeros(2, 3).repeat(2), RuntimeError, "repeat"),
    (lambda m: m.zeros(2, 3).gather(0, m.tensor([[5]])), RuntimeError, "gather"),
    (lambda m: m.zeros(2, 3).gather(0, m.tensor([0])), RuntimeError, "gather"),
    (lambda m: m.zeros(2, 3).index_select(0, m.tensor([5])), IndexError, "index_select"),
    (lambda m: m.zeros(2, 3).index_select(0, m.tensor([0.0])), RuntimeError, "index_select"),
    (lambda m: m.zeros(2, 3).scatter(0, m.tensor([[5]]), 1.0), RuntimeError, "scatter"),
    (lambda m: m.zeros(2, 3).take(m.tensor([9])), IndexError, "take"),
    (lambda m: m.zeros(2, 3).put(m.tensor([6]), m.ones(1)), IndexError, "put"),
    (lambda m: m.zeros(2, 3).index_copy(0, m.tensor([2]), m.ones(1, 3)), IndexError, "index_copy"),
    (lambda m: m.zeros(2, 3).index_add(0, m.tensor([2]), m.ones(1, 3)), RuntimeError, "index_add"),
    (lambda m: m.zeros(2, 3).diagonal(0, 0, 0), RuntimeError, "diagonal"),
    (lambda m: m.zeros(2, 3).movedim(0, 5), IndexError, "movedim"),
    (lambda m: m.zeros(2, 3).unflatten(1, (2, 2)), RuntimeError, "unflatten"),
    (lambda m: m.einsum("ij,jk", m.zeros(2, 3), m.zeros(2, 3)), RuntimeError, "einsum"),
    (lambda m: m.zeros(2, 3).mm(m.zeros(2, 3)), RuntimeError, "mm"),
    (lambda m: m.zeros(2, 3).dot(m.zeros(2, 3)), RuntimeError, "dot"),
    (lambda m: m.zeros(2, 3).roll(1, (0, 1)), RuntimeError, "roll"),
    (lambda m: m.zeros(2, 3).tril(0.5), TypeError, "tril"),
    (lambda m: m.zeros(3).trace(), RuntimeError, "trace"),
    (lambda m: m.zeros(2, 3, 4).t(), RuntimeError, "t"),
    (lambda m: m.zeros(3).H, RuntimeError, "H"),
    (lambda m: m.zeros(2, 3).flip(0, 0), RuntimeError, "flip"),
    (lambda m: m.zeros(2, 3).masked_scatter(m.tensor([True, False, True]), m.zeros(3)), RuntimeError, "masked_scatter"),
    (lambda m: m.zeros(6).vsplit(2), RuntimeError, "vsplit"),
    (lambda m: m.zeros(6).hsplit(4), RuntimeError, "hsplit"),
    (lambda m: m.zeros(2, 3).cross(m.zeros(2, 3), dim=0), RuntimeError, "cross"),
    (lambda m: m.zeros(2, 3).bmm(m.zeros(2, 3, 1)), RuntimeError, "bmm"),
]


@pytest.mark.parametrize("call, error, op", ERRORS, ids=[e[2] + str(i) for i, e in enumerate(ERRORS)])
def test_errors_as_pytorch(call, error, op):
    with pytest.raises(error, match=op):
        call(minitorch)
    torch = pytest.importorskip("torch")
    with pytest.raises(error):
        call(torch)


# ------------------------------------------------------------------ small methods
LAYOUT = [
    lambda m: m.zeros(2, 3, 4).stride(),
    lambda m: m.zeros(2, 3, 4).permute(2, 0, 1).stride(),
    lambda m: m.zeros(2, 3, 4).stride(-2),
    lambda m: m.zeros(2, 1).expand(2, 5).stride(),
    lambda m: m.zeros(4, 5)[1:, 2:].storage_offset(),
    lambda m: m.zeros(4, 5)[1].t().storage_offset(),
    lambda m: (m.zeros(2, 3).is_contiguous(), m.zeros(2, 3).t().is_contiguous(), m.zeros(1, 3).t().is_contiguous()),
    lambda m: (m.zeros(2, 3, 4).dim_order(), m.zeros(2, 3, 4).permute(2, 0, 1).dim_order()),
    lambda m: (m.zeros(2).element_size(), m.zeros(2, dtype=m.float64).element_size(), m.zeros(2, dtype=m.bool).element_size()),
    lambda m: m.zeros(2, 3).nelement(),
    lambda m: m.zeros(4)[2:].data_ptr() - m.zeros(4).data_ptr() != 0,
    lambda m: [str(t.dtype).split(".")[-1] for t in (m.tensor([1]).new_zeros(2), m.tensor([1.0]).new_ones((2, 2)),
                                                     m.tensor([1]).new_full((2,), 3.5), m.tensor([1.0], dtype=m.float64).new_tensor([1]),
                                                     m.tensor([1]).new_empty(2, dtype=m.float32))],
    lambda m: m.tensor([1, 2]).new_full((2,), 3.7).tolist(),
    lambda m: (m.zeros(2, 3).t().shape, m.zeros(3).t().shape, m.zeros(2, 3).H.shape, m.zeros(4, 2, 3).mH.shape),
    lambda m: m.zeros(1, 2, 1, 3).squeeze((0, 2)).shape,
    lambda m: m.zeros(2, 3).unsqueeze(-3).shape,
    lambda m: m.arange(12).view(-1, 4).view(3, 2, -1).shape,
]


@pytest.mark.parametrize("call", LAYOUT)
def test_small_methods_as_pytorch(call):
    torch = torch_or_skip()
    ours, theirs = call(minitorch), call(torch)
    assert tuple(ours) == tuple(theirs) if isinstance(ours, tuple) else ours == theirs


def test_splits_are_views_and_flip_is_a_copy():
    x = minitorch.arange(6.0)
    first, _ = x.split(3)
    first[0] = 10.0
    assert x[0].item() == 10.0
    x.flip(0)[0] = -1.0
    assert x[-1].item() == 5.0


def test_scatter_in_place_and_nonzero_on_cuda():
    x = minitorch.zeros(2, 3).to("cuda")
    x.scatter_(1, minitorch.tensor([[2], [0]]).to("cuda"), 1.0)
    assert x.device == "cuda"
    assert x.nonzero().cpu().tolist() == [[0, 2], [1, 0]]
