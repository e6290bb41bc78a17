"""index_select, index_add, index_fill, index_copy, masked_scatter and put on 0-d tensors and
broadcast masks, and ldexp's bool exponent: values, gradients and error classes as PyTorch's (issue 13)."""
import numpy as np
import pytest

import minitorch
from minitorch.testing import gradcheck

#: (name, fn(lib, x, source), x's shape, source's shape): the calls PyTorch runs.
CALLS = [
    ("index_copy 0-d", lambda lib, x, s: x.index_copy(0, lib.tensor([0]), s), (), (1,)),
    ("index_copy 0-d, dim -1, 0-d index", lambda lib, x, s: x.index_copy(-1, lib.tensor(0), s), (), ()),
    ("index_copy 2-D", lambda lib, x, s: x.index_copy(1, lib.tensor([2, 0]), s), (2, 3), (2, 2)),
    ("masked_scatter 0-d, (2,) mask", lambda lib, x, s: x.masked_scatter(lib.tensor([True, False]), s), (), (2,)),
    ("masked_scatter 0-d, 0-d mask", lambda lib, x, s: x.masked_scatter(lib.tensor(True), s), (), (2,)),
    ("masked_scatter (1, 2), (3, 1) mask",
     lambda lib, x, s: x.masked_scatter(lib.tensor([[True], [False], [True]]), s), (1, 2), (5,)),
    ("put 0-d", lambda lib, x, s: x.put(lib.tensor([-1]), s), (), (1,)),
    ("put 2-D, accumulate", lambda lib, x, s: x.put(lib.tensor([0, 3, 0]), s, accumulate=True), (2, 2), (3,)),
]


def _tensors(lib, x_shape, s_shape):
    x = np.arange(1.0, 1 + int(np.prod(x_shape))).reshape(x_shape)
    s = 10 * np.arange(1.0, 1 + int(np.prod(s_shape))).reshape(s_shape)
    return (lib.tensor(x, dtype=lib.float64, requires_grad=True),
            lib.tensor(s, dtype=lib.float64, requires_grad=True))


@pytest.mark.parametrize("name, fn, x_shape, s_shape", CALLS, ids=[c[0] for c in CALLS])
def test_values_and_gradients_as_torch(name, fn, x_shape, s_shape):
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        x, s = _tensors(lib, x_shape, s_shape)
        out = fn(lib, x, s)
        weight = lib.arange(1.0, 1 + out.numel(), dtype=lib.float64).reshape(tuple(out.shape))
        (out * weight).sum().backward()
        results.append((tuple(out.shape), out.tolist(), x.grad.tolist(), s.grad.tolist()))
    assert results[0] == results[1], name


@pytest.mark.parametrize("name, fn, x_shape, s_shape", CALLS, ids=[c[0] for c in CALLS])
def test_gradcheck(name, fn, x_shape, s_shape):
    assert gradcheck(lambda x, s: fn(minitorch, x, s), _tensors(minitorch, x_shape, s_shape))


@pytest.mark.parametrize("fn, error", [
    (lambda lib: lib.ones(()).index_copy(0, lib.tensor([1]), lib.ones(1)), IndexError),
    (lambda lib: lib.ones(()).index_copy(1, lib.tensor([0]), lib.ones(1)), IndexError),
    (lambda lib: lib.ones(()).index_copy(0, lib.tensor([1]), lib.ones(1, dtype=lib.int64)), RuntimeError),
    (lambda lib: lib.ones(()).put(lib.tensor([1]), lib.ones(1)), IndexError),
    (lambda lib: lib.ones(()).put(lib.tensor([1]), lib.ones(1, dtype=lib.int64)), RuntimeError),
    (lambda lib: lib.ones(2, 2).put(lib.tensor([1]), lib.ones(2)), IndexError),
    (lambda lib: lib.ones(()).masked_scatter(lib.tensor([True, True]), lib.ones(1)), RuntimeError),
    (lambda lib: lib.ones(2).masked_scatter(lib.tensor([True, True, False]), lib.ones(3)), RuntimeError),
    (lambda lib: lib.ones(()).masked_scatter_(lib.tensor([True, False]), lib.ones(2)), RuntimeError),
    (lambda lib: lib.ones(2).ldexp(lib.tensor([True, False])), NotImplementedError),
])
def test_errors_as_torch(fn, error):
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        with pytest.raises(error):
            fn(lib)


def test_ldexp_names_the_op_and_computes_other_bool_exponents():
    with pytest.raises(NotImplementedError, match="ldexp.*bool exponent.*int"):
        minitorch.ones(2, dtype=minitorch.float64).ldexp(minitorch.tensor([True, False]))
    assert minitorch.tensor([1, 3]).ldexp(minitorch.tensor([True, False])).tolist() == [2.0, 3.0]


# ---------------------------------------------------- index_select, index_add, index_fill, index_copy
def _index_call(op, dim, index):
    """fn(lib, x, source) for one of the four ``index_*`` ops along ``dim`` at ``index`` (a list or int,
    made a tensor on x's device); index_fill's value is the source itself (PyTorch takes a 0-d tensor
    only), without its gradient."""
    calls = {
        "index_select": lambda lib, x, s: x.index_select(dim, lib.tensor(index, device=x.device)),
        "index_add": lambda lib, x, s: x.index_add(dim, lib.tensor(index, device=x.device), s, alpha=3),
        "index_copy": lambda lib, x, s: x.index_copy(dim, lib.tensor(index, device=x.device), s),
        "index_fill": lambda lib, x, s: x.index_fill(dim, lib.tensor(index, device=x.device), s.detach()),
    }
    return calls[op]


#: (op, x's shape, source's shape, index, dim) over 0-d and 1-D self, 0-d/(1,)/(1, 1) sources,
#: 0-d and 1-D index, dims 0 and -1 (index_select takes no source: one source shape).
INDEX_GRID = [(op, x_shape, s_shape, index, dim)
              for op in ("index_select", "index_add", "index_copy", "index_fill")
              for x_shape in ((), (1,), (3,))
              for s_shape in (((),) if op == "index_select" else ((), (1,), (1, 1), (2,)))
              for index in (0, [0], [0, 0], [-1])
              for dim in (0, -1)]


def _run(lib, op, x_shape, s_shape, index, dim):
    """((shape, values) or the class of the error, (x's gradient, source's) or the class of the
    backward's error)."""
    x, s = _tensors(lib, x_shape, s_shape)
    try:
        out = _index_call(op, dim, index)(lib, x, s)
    except (IndexError, RuntimeError, ValueError, TypeError) as error:
        return "IndexError" if isinstance(error, IndexError) else type(error).__name__, None
    weight = lib.arange(1.0, 1 + out.numel(), dtype=lib.float64).reshape(tuple(out.shape))
    try:
        (out * weight).sum().backward()
    except RuntimeError as error:
        return (tuple(out.shape), out.tolist()), type(error).__name__
    return (tuple(out.shape), out.tolist()), (x.grad.tolist(), None if s.grad is None else s.grad.tolist())


@pytest.mark.parametrize("op, x_shape, s_shape, index, dim", INDEX_GRID)
def test_index_ops_on_zero_d_as_torch(op, x_shape, s_shape, index, dim):
    """Values, gradients, or the error class (IndexBoundsError counts as PyTorch's IndexError).
    PyTorch's backward fails where a 0-d self takes several indices (index_copy from a (2,)
    source); minitorch's gives the gradient (checked by gradcheck below)."""
    torch = pytest.importorskip("torch")
    (mine, my_grads), (theirs, their_grads) = (_run(lib, op, x_shape, s_shape, index, dim)
                                               for lib in (minitorch, torch))
    assert mine == theirs
    assert my_grads == their_grads or their_grads == "RuntimeError" and x_shape == () and index == [0, 0]


@pytest.mark.parametrize("op, x_shape, s_shape, index, dim", [
    ("index_select", (), (), 0, 0), ("index_select", (), (), [0], -1),
    ("index_add", (), (), [0], 0), ("index_add", (), (), 0, -1), ("index_add", (3,), (1,), [2], 0),
    ("index_copy", (), (1,), [0], 0), ("index_copy", (3,), (), 0, -1),
    ("index_fill", (), (), [0, 0], 0), ("index_fill", (), (), [-1], -1),
])
def test_index_ops_on_zero_d_gradcheck(op, x_shape, s_shape, index, dim):
    """float64 gradcheck (index_fill's value without its gradient, as ``_index_call`` gives it)."""
    fn = _index_call(op, dim, index)
    x, s = _tensors(minitorch, x_shape, s_shape)
    assert gradcheck(lambda x, s: fn(minitorch, x, s), (x, s.detach() if op == "index_fill" else s))


@pytest.mark.parametrize("fn, error, match", [
    (lambda: minitorch.ones(()).index_select(0, minitorch.tensor([0, 0])), RuntimeError,
     "index_select.*0-d self.*one index"),
    (lambda: minitorch.ones(3).index_copy(0, minitorch.tensor([0]), minitorch.ones(1, 1)), IndexError,
     r"index_copy.*\(1, 1\).*number of dimensions \(1\)"),
    (lambda: minitorch.ones(3).index_add(0, minitorch.tensor(0), minitorch.ones(())), RuntimeError,
     r"index_add.*shape \(\).*self \(3,\)"),
    (lambda: minitorch.ones(()).index_add(0, minitorch.tensor([0, 0]), minitorch.ones(())), IndexError,
     "index_add.*0-d source takes exactly one index"),
    (lambda: minitorch.ones(()).index_fill(0, minitorch.tensor([[0]]), 1.0), RuntimeError, "index_fill.*vector"),
    (lambda: minitorch.ones(()).index_add(0, minitorch.tensor([1]), minitorch.ones(())), IndexError,
     "index_add.*index 1 is out of bounds"),
])
def test_index_ops_name_the_op_and_the_shapes(fn, error, match):
    with pytest.raises(error, match=match):
        fn()


@pytest.mark.parametrize("op, x_shape, s_shape, index, dim", [
    ("index_select", (), (), [0], 0), ("index_add", (), (), 0, -1),
    ("index_copy", (), (1,), [0], 0), ("index_fill", (), (), [0, -1], 0),
])
def test_index_ops_on_zero_d_same_on_cuda(op, x_shape, s_shape, index, dim):
    fn = _index_call(op, dim, index)
    x, s = _tensors(minitorch, x_shape, s_shape)
    on_cpu = fn(minitorch, x, s)
    on_cuda = fn(minitorch, x.detach().to("cuda"), s.detach().to("cuda"))
    assert on_cuda.device == "cuda" and on_cuda.cpu().tolist() == on_cpu.tolist()
