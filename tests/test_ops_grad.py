"""Every op's hand-written backward against finite differences (``minitorch.testing.gradcheck``).

Shapes come from hypothesis, broadcasting included; values come from the offset grid of
``minitorch.testing.strategies`` so that no example sits on a kink (relu at 0, a max tie).
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch
from minitorch import functions as ops
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

POSITIVE = S.grid(0.25, 4.0)  # log, sqrt and fractional powers need x > 0
AWAY_FROM_ZERO = st.one_of(S.grid(0.5, 4.0), S.grid(-4.0, -0.5))  # denominators


def check(fn, *inputs, **kwargs):
    assert gradcheck(fn, inputs, **kwargs)


# ------------------------------------------------------------------ arithmetic
# (each binary op with both operands requiring grad: tests/test_catalog.py)
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}


@pytest.mark.parametrize("op", sorted(BINARY))
@given(data=st.data())
def test_binary_one_operand_without_grad(op, data):
    shape_a, shape_b = data.draw(S.broadcastable_shape_pairs())
    a = data.draw(S.tensors(shape_a, requires_grad=False))
    b = data.draw(S.tensors(shape_b, elements=AWAY_FROM_ZERO))
    check(BINARY[op], a, b)


SCALAR_FORMS = {
    "x + 2.5": lambda x: x + 2.5,
    "2.5 + x": lambda x: 2.5 + x,
    "x - 2.5": lambda x: x - 2.5,
    "2.5 - x": lambda x: 2.5 - x,
    "x * 3": lambda x: x * 3,
    "-1.5 * x": lambda x: -1.5 * x,
    "x / 1.5": lambda x: x / 1.5,
    "1.5 / x": lambda x: 1.5 / x,
    "x ** 2": lambda x: x**2,
    "x ** 3": lambda x: x**3,
    "x ** -1": lambda x: x**-1,
    "2 ** x": lambda x: 2**x,
    "0.5 ** x": lambda x: 0.5**x,
    "-x": lambda x: -x,
    "x.neg()": lambda x: x.neg(),
}


@pytest.mark.parametrize("form", sorted(SCALAR_FORMS))
@given(data=st.data())
def test_python_scalar_operands(form, data):
    x = data.draw(S.tensors(elements=AWAY_FROM_ZERO))
    check(SCALAR_FORMS[form], x)


@given(data=st.data())
def test_pow_both_operands(data):
    shape_a, shape_b = data.draw(S.broadcastable_shape_pairs())
    a = data.draw(S.tensors(shape_a, elements=S.grid(0.5, 2.0), unique=False))  # pow has no kinks
    b = data.draw(S.tensors(shape_b, elements=S.grid(-2.0, 2.0)))
    check(lambda a, b: a**b, a, b)


@given(x=S.tensors(elements=POSITIVE))
def test_fractional_power(x):
    check(lambda x: x**0.5, x)
    check(lambda x: x**-1.5, x)


# ------------------------------------------------------------------ pointwise
# (the unary ops of the catalog are gradchecked by tests/test_catalog.py)
POINTWISE = {
    "sigmoid_large": (lambda x: x.sigmoid(), S.grid(-12.0, 12.0)),
    "gelu": (lambda x: ops.GELU.apply(x, "none"), None),
    "gelu_tanh": (lambda x: ops.GELU.apply(x, "tanh"), None),
    "clamp": (lambda x: x.clamp(-1.0, 2.0), None),
    "clamp_min": (lambda x: x.clamp(min=0.5), None),
    "clamp_max": (lambda x: x.clamp(max=-0.25), None),
    "minitorch.exp": (minitorch.exp, None),
    "minitorch.relu": (minitorch.relu, None),
}


@pytest.mark.parametrize("name", sorted(POINTWISE))
@given(data=st.data())
def test_pointwise(name, data):
    fn, elements = POINTWISE[name]
    check(fn, data.draw(S.tensors(elements=elements)))


# ------------------------------------------------------------------ reductions
# (sum, mean, amax, amin: tests/test_catalog.py)
REDUCTIONS = {
    "logsumexp": lambda x, dim, keepdim: x.logsumexp(dim, keepdim),
    "var": lambda x, dim, keepdim: x.var(dim, keepdim),
    "var_biased": lambda x, dim, keepdim: x.var(dim, keepdim, correction=0),
    "std": lambda x, dim, keepdim: x.std(dim, keepdim),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@given(data=st.data())
def test_reduction(name, data):
    # var and std divide by n - 1: every reduced size must be at least 2.
    shape = data.draw(S.shapes(min_dims=1, min_side=2) if name in ("var", "std") else S.shapes())
    x = data.draw(S.tensors(shape))
    dim = data.draw(S.reduction_dims(shape))
    if name in ("logsumexp",) and dim is None:
        dim = tuple(range(len(shape)))  # PyTorch's logsumexp requires dim
    keepdim = data.draw(st.booleans())
    check(lambda x: REDUCTIONS[name](x, dim, keepdim), x)


@pytest.mark.parametrize("which", ["max", "min"])
@given(data=st.data())
def test_max_min(which, data):
    shape = data.draw(S.shapes(min_dims=1))
    x = data.draw(S.tensors(shape))
    dim, keepdim = data.draw(S.dim(shape)), data.draw(st.booleans())
    check(lambda x: getattr(x, which)(), x)
    check(lambda x: getattr(x, which)(dim, keepdim).values, x)
    check(lambda x: getattr(x, which)(dim=(dim,), keepdim=keepdim), x)
    check(lambda x: getattr(minitorch, which)(x, dim).values, x)


def test_max_tie_shares_the_gradient():
    x = minitorch.tensor([1.0, 3.0, 3.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.5, 0.5, 0.0])


# ------------------------------------------------------------------ shape ops
@given(data=st.data())
def test_reshape_and_view(data):
    shape = data.draw(S.shapes())
    x = data.draw(S.tensors(shape))
    target = tuple(data.draw(st.permutations(shape))) + (1,)
    check(lambda x: x.reshape(target) * 1.0, x)
    check(lambda x: x.contiguous().view(-1), x)
    check(lambda x: minitorch.reshape(x, (1, -1)), x)


@given(data=st.data())
def test_transpose_permute_T(data):
    shape = data.draw(S.shapes(min_dims=1))
    x = data.draw(S.tensors(shape))
    d0, d1 = data.draw(S.dim(shape)), data.draw(S.dim(shape))
    order = data.draw(st.permutations(range(len(shape))))
    check(lambda x: x.transpose(d0, d1), x)
    check(lambda x: x.permute(*order), x)
    check(lambda x: minitorch.permute(x, order), x)
    check(lambda x: x.T, x)


@given(data=st.data())
def test_unsqueeze_squeeze_flatten(data):
    shape = data.draw(S.shapes(max_dims=4, max_side=3))
    x = data.draw(S.tensors(shape))
    ndim = len(shape)
    new = data.draw(st.integers(-ndim - 1, ndim))
    check(lambda x: x.unsqueeze(new), x)
    check(lambda x: x.squeeze(), x)
    if ndim:
        dim = data.draw(S.dim(shape))
        check(lambda x: x.squeeze(dim), x)
        start = data.draw(st.integers(0, ndim - 1))
        end = data.draw(st.integers(start, ndim - 1))
        check(lambda x: x.flatten(start, end), x)
    check(lambda x: x.flatten(), x)


@given(data=st.data())
def test_expand(data):
    shape, other = data.draw(S.broadcastable_shape_pairs())
    target = np.broadcast_shapes(shape, other)
    x = data.draw(S.tensors(shape))
    check(lambda x: x.expand(*target), x)
    check(lambda x: x.expand(target) * 2.0, x)  # a tuple works too
    if shape:
        with_minus_one = target[: len(target) - len(shape)] + (-1,) * len(shape)
        check(lambda x: x.expand(with_minus_one), x)


# ------------------------------------------------------------------ indexing and joining
@given(data=st.data())
def test_getitem_basic(data):
    shape = data.draw(S.shapes())
    x = data.draw(S.tensors(shape))
    index = data.draw(S.basic_indices(shape))
    check(lambda x: x[index], x)


@given(data=st.data())
def test_getitem_integer_array_with_repeats(data):
    shape = data.draw(S.shapes(min_dims=1))
    x = data.draw(S.tensors(shape))
    n = shape[0]
    picks = data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=2 * n + 2))
    idx = minitorch.tensor(picks)
    check(lambda x: x[idx], x)
    check(lambda x: x[picks], x)  # a plain list indexes the same way
    if len(shape) >= 2:
        m = shape[1]
        cols = minitorch.tensor(data.draw(st.lists(st.integers(0, m - 1), min_size=len(picks),
                                                   max_size=len(picks))))
        check(lambda x: x[:, cols], x)
        check(lambda x: x[idx, cols], x)  # pairs (picks[i], cols[i]), repeats included


def test_getitem_repeated_index_accumulates():
    x = minitorch.tensor([1.0, 2.0, 3.0], dtype=minitorch.float64, requires_grad=True)
    x[minitorch.tensor([0, 2, 0, 0])].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 0.0, 1.0])


@given(data=st.data())
def test_getitem_boolean_mask(data):
    shape = data.draw(S.shapes(min_dims=1))
    x = data.draw(S.tensors(shape))
    mask = data.draw(hnp.arrays(np.bool_, shape))
    rows = data.draw(hnp.arrays(np.bool_, shape[:1]))
    check(lambda x: x[minitorch.tensor(mask)], x)
    check(lambda x: x[minitorch.tensor(rows)], x)
    check(lambda x: x[x > 0.5], x)


@given(data=st.data())
def test_cat_and_stack(data):
    shape = data.draw(S.shapes(min_dims=1))
    dim = data.draw(S.dim(shape))
    count = data.draw(st.integers(1, 3))
    cat_inputs = []
    for _ in range(count):
        size = list(shape)
        size[dim] = data.draw(st.integers(1, 3))
        cat_inputs.append(data.draw(S.tensors(tuple(size))))
    check(lambda *xs: minitorch.cat(list(xs), dim), *cat_inputs)
    stack_inputs = [data.draw(S.tensors(shape)) for _ in range(count)]
    new_dim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    check(lambda *xs: minitorch.stack(xs, new_dim), *stack_inputs)


@given(data=st.data())
def test_where(data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=4))
    condition = minitorch.tensor(data.draw(hnp.arrays(np.bool_, shapes.input_shapes[0])))
    a = data.draw(S.tensors(shapes.input_shapes[1]))
    b = data.draw(S.tensors(shapes.input_shapes[2]))
    check(lambda a, b: minitorch.where(condition, a, b), a, b)


@st.composite
def mask_for(draw, shape):
    """A bool mask whose shape broadcasts *to* ``shape``: some leading dims dropped, some sizes 1."""
    keep = draw(st.integers(0, len(shape)))
    mask_shape = tuple(draw(st.sampled_from([1, s])) for s in shape[len(shape) - keep:])
    return minitorch.tensor(draw(hnp.arrays(np.bool_, mask_shape)))


@given(data=st.data())
def test_masked_fill(data):
    shape = data.draw(S.shapes())
    x = data.draw(S.tensors(shape))
    mask = data.draw(mask_for(shape))
    check(lambda x: x.masked_fill(mask, -1e9) * 1.0, x)
    check(lambda x: minitorch.masked_fill(x, mask, 0.0), x)


# ------------------------------------------------------------------ matmul, softmax, copies
@given(data=st.data())
def test_matmul(data):
    shape_a, shape_b = data.draw(S.matmul_shapes())
    a, b = data.draw(S.tensors(shape_a)), data.draw(S.tensors(shape_b))
    check(lambda a, b: a @ b, a, b)
    check(lambda a, b: minitorch.matmul(a, b), a, b.detach())


@pytest.mark.parametrize("shapes", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
                                    ((5, 2, 3), (3, 4)), ((3,), (5, 3, 2)), ((2, 1, 2, 3), (4, 3, 2))])
def test_matmul_fixed_shapes(shapes):
    minitorch.manual_seed(0)
    a, b = (minitorch.randn(*s, dtype=minitorch.float64, requires_grad=True) for s in shapes)
    check(lambda a, b: a @ b, a, b)


@given(data=st.data())
def test_linear(data):
    """The fused linear op, x (..., in) W^T + b, with and without bias, and leading batch dims."""
    batch = data.draw(S.shapes(min_dims=0, max_dims=2))
    n_in, n_out = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    x, w, b = data.draw(S.tensors(batch + (n_in,))), data.draw(S.tensors((n_out, n_in))), data.draw(S.tensors((n_out,)))
    check(lambda x, w, b: ops.Linear.apply(x, w, b), x, w, b)
    check(lambda x, w: ops.Linear.apply(x, w, None), x, w)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@given(data=st.data())
def test_softmax(name, data):
    shape = data.draw(S.shapes(min_dims=1))
    x = data.draw(S.tensors(shape))
    dim = data.draw(S.dim(shape))
    check(lambda x: getattr(x, name)(dim), x)
    check(lambda x: getattr(minitorch, name)(x, dim), x)


@given(x=S.tensors())
def test_clone_and_cast(x):
    check(lambda x: x.clone(), x)
    check(lambda x: ops.Cast.apply(x, np.float64), x)
    check(lambda x: x.double() * 2.0, x)


def test_cast_gradient_returns_to_the_input_dtype():
    x = minitorch.tensor([1.0, -2.0, 3.0], requires_grad=True)  # float32
    w = minitorch.tensor([0.5, 2.0, -1.0], dtype=minitorch.float64)
    (x.double() * w).sum().backward()
    assert x.grad.dtype == minitorch.float32
    np.testing.assert_array_equal(x.grad.numpy(), np.float32([0.5, 2.0, -1.0]))


# ------------------------------------------------------------------ compositions
@given(data=st.data())
def test_composed_mlp_layer(data):
    """A linear layer, a nonlinearity and a loss: many backward rules chained together."""
    n, d, h = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    x = data.draw(S.tensors((n, d), requires_grad=False))
    w, b = data.draw(S.tensors((d, h))), data.draw(S.tensors((h,)))
    check(lambda w, b: (x @ w + b).tanh().log_softmax(-1).mean(), w, b)
    check(lambda w, b: ((x @ w + b).sigmoid() - 0.5).pow(2).sum(), w, b)


@given(x=S.tensors(S.shapes(min_dims=1)))
def test_tensor_used_twice(x):
    check(lambda x: x * x.exp() + x.sum(), x)
