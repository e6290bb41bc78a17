"""Pointwise math beyond the catalog's shared tests: PyTorch's integer and bool semantics for every
operator (``+ - * / // % & | ^ << >> ~ **``, reflected and in place), result dtypes, the edges of
pow's gradient, the zero gradient of steps, ties of maximum/fmax, erfinv's accuracy, and gradchecks
over hypothesis-drawn inputs for the ops of family "other" (fmod, remainder, fmax, fmin, lerp...).

The catalog (``minitorch/functions/catalog/``) already runs the unary/binary/logical entries
(forward against numpy, gradcheck, PyTorch, cuda); the tests here compare with PyTorch where it
is installed and skip those comparisons where it is not.
"""
import math
import operator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

INT64 = np.array([5, -3, 0, 7, -8], dtype=np.int64)
UINT8 = np.array([5, 3, 0, 200, 255], dtype=np.uint8)
BOOL = np.array([True, False, True, False, True])
FLOAT32 = np.array([1.5, -2.25, 0.0, 3.0, -0.5], dtype=np.float32)
DIVISORS = {  # second operands without zeros, so that integer division is defined
    "int64": np.array([3, -2, 1, 5, 7], dtype=np.int64),
    "uint8": np.array([3, 2, 1, 5, 7], dtype=np.uint8),
    "int32": np.array([3, -2, 1, 5, 7], dtype=np.int32),
}
OPERANDS = {"int64": INT64, "uint8": UINT8, "bool": BOOL, "float32": FLOAT32, "int32": DIVISORS["int32"]}

BINARY_OPERATORS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "//": operator.floordiv,
    "%": operator.mod, "&": operator.and_, "|": operator.or_, "^": operator.xor, "<<": operator.lshift,
    ">>": operator.rshift, "**": operator.pow,
}
IN_PLACE_OPERATORS = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv, "%=": operator.imod, "//=": operator.ifloordiv, "&=": operator.iand, "|=": operator.ior,
    "^=": operator.ixor, "<<=": operator.ilshift, ">>=": operator.irshift,
}


def _run(lib, call, values):
    """``call(*operands)`` in ``lib`` (arrays become tensors), or the exception it raised."""
    operands = [lib.tensor(v) if isinstance(v, np.ndarray) else v for v in values]
    try:
        return call(*operands)
    except (TypeError, ValueError, RuntimeError) as error:  # RuntimeError includes NotImplementedError
        return error


def _same_as_torch(call, *values):
    """Same values and dtype as PyTorch, or an error where PyTorch raises one."""
    torch = pytest.importorskip("torch")
    ours, theirs = _run(minitorch, call, values), _run(torch, call, values)
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), f"PyTorch raises {theirs!r}; minitorch returned {ours!r}"
        return
    assert not isinstance(ours, Exception), f"minitorch raised {ours!r}; PyTorch returned {theirs!r}"
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1], (ours, theirs)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


# ------------------------------------------------- operators: PyTorch's integer and bool semantics
@pytest.mark.parametrize("symbol", BINARY_OPERATORS)
@pytest.mark.parametrize("left, right", [
    ("int64", "int64"), ("int64", "uint8"), ("uint8", "uint8"), ("uint8", "int64"), ("bool", "bool"),
    ("bool", "int64"), ("int64", "bool"), ("int64", "float32"), ("float32", "int64"), ("int64", "int32"),
])
def test_operators_on_two_tensors(symbol, left, right):
    divisor = DIVISORS.get(right, OPERANDS[right])
    if symbol == "**" and right != "float32":
        divisor = np.abs(divisor)  # integers to negative powers are refused by both
    _same_as_torch(BINARY_OPERATORS[symbol], OPERANDS[left], divisor)


@pytest.mark.parametrize("symbol", BINARY_OPERATORS)
@pytest.mark.parametrize("dtype", ["int64", "uint8", "bool", "float32"])
@pytest.mark.parametrize("number", [3, -2, 2.5, True])
def test_operators_with_a_python_number_on_either_side(symbol, dtype, number):
    if symbol == "**" and dtype != "float32" and number == -2:
        pytest.skip("integers to negative integer powers: an error in both (checked below)")
    if symbol == "**" and dtype == "bool" and number is True:
        pytest.skip("PyTorch's bool ** True is a copy of the bool tensor, bool ** bool tensor an error")
    tensor = OPERANDS[dtype] if symbol not in ("//", "%") else DIVISORS.get(dtype, OPERANDS[dtype])
    _same_as_torch(BINARY_OPERATORS[symbol], tensor, number)
    if not (symbol in ("**", "<<", ">>") and dtype == "uint8"):  # beyond the type's range: C leaves it open
        _same_as_torch(BINARY_OPERATORS[symbol], number, tensor)


@pytest.mark.parametrize("symbol", IN_PLACE_OPERATORS)
@pytest.mark.parametrize("left, right", [("int64", "int64"), ("uint8", "int64"), ("bool", "bool"),
                                         ("int64", "bool"), ("bool", "int64"), ("int64", "float32"),
                                         ("float32", "int64")])
def test_in_place_operators(symbol, left, right):
    def call(a, b):
        a = a.clone()
        IN_PLACE_OPERATORS[symbol](a, b)
        return a

    _same_as_torch(call, OPERANDS[left], DIVISORS.get(right, OPERANDS[right]))


def test_integer_powers_with_negative_exponents():
    _same_as_torch(lambda a, b: a**b, np.array([-1, 1, 2, -2, 0]), np.array([-3, -2, -1, -2, 3]))
    _same_as_torch(lambda b: 3**b, np.array([2, -1]))
    with pytest.raises(RuntimeError, match="negative integer powers"):
        minitorch.tensor([2]) ** -1


def test_bool_arithmetic_is_refused():
    mask = minitorch.tensor([True, False])
    for call in (lambda: mask - 1, lambda: 1 - mask, lambda: -mask, lambda: mask**mask,
                 lambda: minitorch.tensor([1.0, 2.0]) - mask, lambda: mask.sub(mask)):
        with pytest.raises(RuntimeError, match="bool"):
            call()
    with pytest.raises(TypeError, match="abs"):
        mask.abs()
    assert (mask + mask).tolist() == [True, False] and (mask * 3).tolist() == [3, 0]


@pytest.mark.parametrize("dtype", ["int64", "uint8", "bool", "float32"])
def test_invert(dtype):
    _same_as_torch(operator.invert, OPERANDS[dtype])


def test_and_or_on_integers_are_bitwise_and_on_bools_logical():
    a, b = minitorch.tensor([1, -8, 6, 12]), minitorch.tensor([3, 3, 3, 10])
    assert (a & b).tolist() == [1, 0, 2, 8] and (a | b).tolist() == [3, -5, 7, 14]
    x = minitorch.tensor([1.0, 2.0, 3.0])
    assert ((x > 1) & (x < 3)).tolist() == [False, True, False]
    assert ((x < 2) | (x > 2)).dtype == minitorch.bool


def test_shifts_past_the_width_and_by_negative_amounts():
    _same_as_torch(lambda a, b: a << b, np.array([8, -8, 1, 3]), np.array([64, 70, 63, -1]))
    _same_as_torch(lambda a, b: a >> b, np.array([8, -8, 1, -3]), np.array([64, 70, -1, -1]))
    _same_as_torch(lambda a: a << 1, np.array([200], dtype=np.uint8))
    x = minitorch.tensor([8, -8])
    assert (x >> minitorch.tensor([-1, 70])).tolist() == [0, -1]
    assert (x << 64).tolist() == [0, 0]


def test_float_operands_of_bitwise_ops_are_refused_with_the_op_named():
    x = minitorch.tensor([1.5])
    for call, name in ((lambda: x & x, "bitwise_and"), (lambda: x | 1, "bitwise_or"), (lambda: ~x, "bitwise_not"),
                       (lambda: minitorch.tensor([1]) << 1.5, "bitwise_left_shift"),
                       (lambda: minitorch.tensor([True]) >> minitorch.tensor([True]), "bitwise_right_shift")):
        with pytest.raises(TypeError if name == "bitwise_not" else RuntimeError, match=name):  # as PyTorch
            call()


@pytest.mark.parametrize("call", [lambda a: a // 0, lambda a: a % 0, lambda a: a.fmod(0),
                                  lambda a: a.div(0, rounding_mode="trunc"), lambda a: 7 // (a * 0)])
def test_integer_division_by_zero_is_an_error_float_division_is_not(call):
    with pytest.raises(RuntimeError, match="division by zero"):
        call(minitorch.tensor([5, -3]))
    assert call(minitorch.tensor([5.0, -3.0])).dtype == minitorch.float32


def test_div_rounding_modes():
    a, b = np.array([7, -7, 7, -7]), np.array([2, 2, -2, -2])
    for mode in (None, "trunc", "floor"):
        _same_as_torch(lambda x, y: x.div(y, rounding_mode=mode), a, b)
        _same_as_torch(lambda x, y: x.div(y, rounding_mode=mode), a.astype(np.float32) + 0.5, b)
        _same_as_torch(lambda x, y: x.divide(y, rounding_mode=mode), a, 3)
    with pytest.raises(RuntimeError, match="rounding_mode"):
        minitorch.tensor([1.0]).div(2, rounding_mode="round")


# ------------------------------------------------------------------- result dtypes
UNARY = ["cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "sinc", "deg2rad",
         "rad2deg", "rsqrt", "reciprocal", "square", "log2", "log10", "log1p", "exp2", "expm1", "erf", "erfc",
         "erfinv", "floor", "ceil", "trunc", "round", "frac", "sign", "sgn", "signbit", "isinf", "isposinf",
         "isneginf", "isreal", "nan_to_num", "bitwise_not", "negative", "absolute", "fix"]


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", ["int64", "uint8", "bool", "float32"])
def test_unary_dtypes_as_torch(name, dtype):
    if name in ("negative",) and dtype == "bool":
        pytest.skip("-bool: refused by both (test_bool_arithmetic_is_refused)")
    values = OPERANDS[dtype] if name not in ("acosh",) else OPERANDS[dtype] + (1 if dtype != "bool" else 0)
    _same_as_torch(lambda x: getattr(x, name)(), values)


BINARY = ["atan2", "hypot", "logaddexp", "xlogy", "maximum", "minimum", "fmax", "fmin", "copysign", "fmod",
          "remainder", "floor_divide", "float_power", "true_divide", "bitwise_and", "bitwise_left_shift"]


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("left, right", [("int64", "int64"), ("bool", "int64"), ("int64", "float32"),
                                         ("float32", "float32"), ("uint8", "int64")])
def test_binary_dtypes_as_torch(name, left, right):
    _same_as_torch(lambda a, b: getattr(a, name)(b), OPERANDS[left], DIVISORS.get(right, OPERANDS[right]))


def test_heaviside_needs_one_dtype():
    _same_as_torch(lambda x, v: x.heaviside(v), np.array([-1.0, 0.0, 2.0]), np.array([0.5]))
    _same_as_torch(lambda x, v: x.heaviside(v), np.array([-1, 0, 2]), np.array([7]))
    with pytest.raises(TypeError, match="heaviside"):
        minitorch.tensor([1, 0]).heaviside(minitorch.tensor([0.5]))


def test_lerp_addcmul_addcdiv_dtypes_and_errors():
    _same_as_torch(lambda a, b: a.lerp(b, 0.25), FLOAT32, FLOAT32[::-1].copy())
    _same_as_torch(lambda a, b, c: a.addcmul(b, c, value=2), INT64, INT64, DIVISORS["int64"])
    _same_as_torch(lambda a, b, c: a.addcdiv(b, c, value=0.5), FLOAT32, FLOAT32, FLOAT32 + 4)
    with pytest.raises(RuntimeError, match="lerp"):
        minitorch.tensor([1, 2]).lerp(minitorch.tensor([3, 4]), 0.5)
    with pytest.raises(RuntimeError, match="lerp: end"):
        minitorch.tensor([1.0]).lerp(minitorch.tensor([2.0], dtype=minitorch.float64), 0.5)
    with pytest.raises(TypeError, match="addcdiv"):
        minitorch.tensor([1]).addcdiv(minitorch.tensor([1]), minitorch.tensor([2]))


def test_round_with_decimals_as_torch():
    x = np.array([1.2345, 2.5, -0.5, 1234.5, 0.125, -2.675], dtype=np.float32)
    for decimals in (0, 1, 2, -1, -2):
        _same_as_torch(lambda t: t.round(decimals=decimals), x)
        _same_as_torch(lambda t: t.round(decimals=decimals), x.astype(np.float64))
    with pytest.raises(TypeError, match="round"):
        minitorch.tensor([1, 2]).round(decimals=1)
    assert minitorch.tensor([1, 2]).round().tolist() == [1, 2]


# ------------------------------------------------------------------- in-place forms
@pytest.mark.parametrize("name, args", [
    ("cos", ()), ("floor", ()), ("round", ()), ("clamp", (0.0, 1.0)), ("fmod", (0.75,)), ("remainder", (-0.75,)),
    ("lerp", (np.zeros(5, dtype=np.float32), 0.5)), ("nan_to_num", ()), ("square", ()), ("erfinv", ()),
    ("atan2", (np.ones(5, dtype=np.float32),)), ("copysign", (-1.0,)), ("divide", (2.0,)), ("sign", ()),
])
def test_in_place_forms_match_torch(name, args):
    def call(x, *rest):
        y = x.clone()
        out = getattr(y, f"{name}_")(*rest)
        assert out is y
        return y

    values = FLOAT32 / 4 if name == "erfinv" else FLOAT32
    _same_as_torch(call, values, *args)


def test_in_place_forms_refuse_a_result_the_tensor_cannot_hold():
    x = minitorch.tensor([1, 2])
    with pytest.raises(RuntimeError, match="sin_"):
        x.sin_()
    with pytest.raises(RuntimeError, match="bitwise_or_"):
        minitorch.tensor([True]).bitwise_or_(minitorch.tensor([2]))
    assert x.floor_().tolist() == [1, 2] and x.bitwise_left_shift_(1).tolist() == [2, 4]
    leaf = minitorch.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="cos_"):
        leaf.cos_()
    with minitorch.no_grad():
        leaf.cos_()
    assert np.isclose(leaf.item(), math.cos(1.0))


# ------------------------------------------------------------------- gradients at the edges
def _grads(fn, *values):
    inputs = [minitorch.tensor(v, dtype=minitorch.float64, requires_grad=True) for v in values]
    fn(*inputs).sum().backward()
    return [t.grad.tolist() for t in inputs]


def test_pow_gradient_edges_as_torch():
    assert _grads(lambda x: x**0, [0.0, 1.0]) == [[0.0, 0.0]]  # x ** 0 is constant: slope 0, not nan
    (grad,) = _grads(lambda x: 0**x, [-1.0, 0.0, 2.0])
    assert grad == [-math.inf, 0.0, 0.0]  # 0 ** x: -inf at x = -1, 0 where the base is 0 and x >= 0
    (grad,) = _grads(lambda x: (-2) ** x, [2.0, 0.5])
    assert all(math.isnan(g) for g in grad)  # no real log of -2
    ga, gb = _grads(lambda a, b: a**b, [0.0, 0.0, -2.0, 0.0], [-1.0, 0.0, 2.0, 2.0])
    assert ga == [-math.inf, 0.0, -4.0, 0.0] and gb[0] == -math.inf and gb[1] == gb[3] == 0.0 and math.isnan(gb[2])
    x = minitorch.tensor([2.0, 3.0], requires_grad=True)  # float32 stays float32
    (2 ** x).sum().backward()
    assert x.grad.dtype == minitorch.float32


def test_pow_gradient_edges_match_torch():
    torch = pytest.importorskip("torch")
    cases = [(lambda a, b: a**b, [0.0, 0.0, -2.0, 0.0, 2.0], [-1.0, 0.0, 2.0, 2.0, 0.5]),
             (lambda a, b: 0**b + a**0, [0.0, 1.0, 0.0, -3.0, 2.0], [-1.0, 0.0, 2.0, 1.5, -0.5])]
    for fn, a, b in cases:
        grads = []
        for lib in (minitorch, torch):
            ta, tb = (lib.tensor(v, dtype=lib.float64, requires_grad=True) for v in (a, b))
            fn(ta, tb).sum().backward()
            grads.append([ta.grad.numpy(), tb.grad.numpy()])
        for ours, theirs in zip(*grads):
            np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc", "round", "sign", "sgn"])
def test_steps_have_zero_gradient(name):
    (grad,) = _grads(lambda x: getattr(x, name)() * 3, [-1.5, 0.0, 0.25, 2.0])
    assert grad == [0.0, 0.0, 0.0, 0.0]
    (grad,) = _grads(lambda x: x.frac(), [-1.5, 0.25])
    assert grad == [1.0, 1.0]


def test_ties_of_maximum_split_and_of_fmax_go_to_the_first():
    a, b = [1.0, 2.0, 3.0, -5.5], [1.0, 1.0, 4.0, 2.0]
    assert _grads(lambda x, y: x.maximum(y), a, b) == [[0.5, 1.0, 0.0, 0.0], [0.5, 0.0, 1.0, 1.0]]
    assert _grads(lambda x, y: x.minimum(y), a, b) == [[0.5, 0.0, 1.0, 1.0], [0.5, 1.0, 0.0, 0.0]]
    assert _grads(lambda x, y: x.fmax(y), a, b) == [[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]]
    assert _grads(lambda x, y: x.fmin(y), a, b) == [[1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 0.0]]
    nan = float("nan")
    assert _grads(lambda x, y: x.fmax(y), [1.0, nan], [nan, 2.0]) == [[1.0, 0.0], [0.0, 1.0]]


def test_nan_to_num_and_xlogy_and_copysign_gradients_as_torch():
    torch = pytest.importorskip("torch")
    nan, inf = float("nan"), float("inf")
    cases = [(lambda lib, x, y: lib.nan_to_num(x, posinf=5.0) * 2, [nan, inf, 1.0], [0.0, 0.0, 0.0]),
             (lambda lib, x, y: lib.xlogy(x, y), [0.0, 0.0, 1.0, 2.0], [0.0, -1.0, 2.0, nan]),
             (lambda lib, x, y: lib.copysign(x, y), [0.0, 2.0, -3.0], [-1.0, -1.0, 1.0]),
             (lambda lib, x, y: lib.atan2(x, y) + lib.sinc(x), [0.0, 3.0], [0.0, 4.0]),
             (lambda lib, x, y: lib.logaddexp(x, y), [-inf, 1.0], [-inf, 2.0])]
    for fn, a, b in cases:
        results = []
        for lib in (minitorch, torch):
            x, y = (lib.tensor(v, dtype=lib.float64, requires_grad=True) for v in (a, b))
            out = fn(lib, x, y)
            out.sum().backward()
            results.append([out.detach().numpy()] + [t.grad.numpy() for t in (x, y) if t.grad is not None])
        for ours, theirs in zip(*results):
            np.testing.assert_allclose(ours, theirs, rtol=1e-12)


# ------------------------------------------------------------------- accuracy
def test_erfinv_inverts_erf_to_the_last_digits():
    y = np.concatenate([np.linspace(-0.999, 0.999, 201), 1 - np.logspace(-15, -1, 15), [0.0, 1e-300]])
    x = minitorch.tensor(y, dtype=minitorch.float64).erfinv().numpy()
    np.testing.assert_allclose(np.vectorize(math.erf)(x), y, rtol=1e-15, atol=1e-16)
    np.testing.assert_allclose(np.vectorize(math.erfc)(x[-17:-2]), 1 - y[-17:-2], rtol=1e-12)
    ends = minitorch.tensor([1.0, -1.0, 1.5, float("nan")]).erfinv().tolist()
    assert ends[:2] == [math.inf, -math.inf] and all(math.isnan(v) for v in ends[2:])


@pytest.mark.parametrize("name, low, high", [("asin", -0.99, 0.99), ("acos", -0.99, 0.99), ("atanh", -0.99, 0.99),
                                             ("acosh", 1.01, 30.0), ("erfinv", -0.999, 0.999),
                                             ("log1p", -0.99, 1e-8), ("expm1", -1e-8, 1e-8), ("erfc", -3, 25)])
def test_values_and_gradients_inside_the_domain_as_torch(name, low, high):
    torch = pytest.importorskip("torch")
    a = np.linspace(low, high, 23)
    results = []
    for lib in (minitorch, torch):
        x = lib.tensor(a, requires_grad=True)
        out = getattr(x, name)()
        out.sum().backward()
        results.append((out.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-10, atol=1e-300)


# ------------------------------------------------------------------- gradchecks (family "other")
@given(data=st.data())
def test_gradcheck_of_the_ops_with_kinks_and_extra_arguments(data):
    shape_a, shape_b = data.draw(S.broadcastable_shape_pairs())
    a = data.draw(S.tensors(shape_a))
    # b lies off a's grid by 1/128: no ties between a and b, and a + 1/256 is never a whole multiple of b
    off_grid = st.one_of(S.grid(0.5, 3.0), S.grid(-3.0, -0.5)).map(lambda v: v + 1 / 128)
    b = data.draw(S.tensors(shape_b, elements=off_grid))
    w = data.draw(S.tensors(shape_b, elements=S.grid(-1.0, 2.0)))
    assert gradcheck(lambda s, t: s.fmax(t) + s.fmin(t), [a, b])
    assert gradcheck(lambda s, t, u: s.lerp(t, u) + s.lerp(t, 0.75) + s.addcmul(t, u, value=0.5)
                     + s.addcdiv(u, t), [a, b, w])
    # fmod and remainder jump where a / b is whole, which a + 1/256 never is
    assert gradcheck(lambda s, t: (s + 1 / 256).fmod(t) + (s + 1 / 256).remainder(t), [a, b])
    y = data.draw(S.tensors(shape_a, elements=S.grid(-0.96875, 0.96875, 1 / 64)))
    assert gradcheck(lambda s: s.erfinv(), [y])
