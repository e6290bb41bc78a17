"""``minitorch.testing.gradcheck`` itself: it must pass right gradients and catch wrong ones."""
import re

import numpy as np
import pytest

import minitorch
from minitorch.autograd import Op
from minitorch.testing import GradcheckError, gradcheck


class Square(Op):
    """y = x^2; dy/dx = 2x (right)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * 2 * x


class SquareForgotTheTwo(Op):
    """y = x^2 with a wrong backward: dy/dx = x (the factor 2 is missing)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * x


class MulWrongSecondGrad(Op):
    """z = a * b with dz/db wrong (returns b instead of a); dz/da is right."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        return grad * b, grad * b


def x64(*values):
    return minitorch.tensor(np.array(values, dtype=np.float64), requires_grad=True)


def test_passes_a_right_backward():
    assert gradcheck(Square.apply, x64(1.5, -2.0, 0.25)) is True
    assert gradcheck(Square.apply, [x64(1.5, -2.0, 0.25)], mode="random") is True


def test_catches_a_wrong_backward_and_says_where():
    with pytest.raises(GradcheckError) as info:
        gradcheck(SquareForgotTheTwo.apply, x64(1.5, -2.0, 0.25))
    message = str(info.value)
    assert "SquareForgotTheTwo.apply" in message
    assert "input 0" in message and "element (0,)" in message
    # Numbers found: analytic x * w, numeric 2 x * w for the same cotangent w; the ratio is 2.
    analytic = float(re.search(r"analytic (\S+),", message).group(1))
    numeric = float(re.search(r"numeric (\S+) ", message).group(1))
    assert numeric == pytest.approx(2 * analytic, rel=1e-6)
    assert isinstance(info.value, AssertionError)  # so pytest reports it as a failed check


def test_names_the_input_whose_gradient_is_wrong():
    a, b = x64(1.0, 2.0), x64(3.0, -1.0)
    with pytest.raises(GradcheckError, match=r"input 1 \(shape \(2,\)\), element \(0,\)"):
        gradcheck(MulWrongSecondGrad.apply, (a, b))
    # With b constant, only a's gradient (the right one) is checked.
    assert gradcheck(MulWrongSecondGrad.apply, (a, b.detach()))


def test_names_a_lambda_and_a_multidimensional_element():
    x = minitorch.tensor(np.arange(1.0, 7.0).reshape(2, 3), requires_grad=True)
    with pytest.raises(GradcheckError, match=r"<lambda>.*input 0 \(shape \(2, 3\)\), element \(0, 0\)"):
        gradcheck(lambda x: SquareForgotTheTwo.apply(x).sum(1), x)


def test_random_mode_catches_the_wrong_backward_too():
    x = minitorch.tensor(np.linspace(0.5, 3.0, 200), requires_grad=True)
    assert gradcheck(Square.apply, x, mode="random")
    with pytest.raises(GradcheckError, match="SquareForgotTheTwo.apply.*random unit direction"):
        gradcheck(SquareForgotTheTwo.apply, x, mode="random")


def test_random_mode_checks_each_input():
    a, b = x64(1.0, 2.0, 4.0), x64(3.0, -1.0, 0.5)
    with pytest.raises(GradcheckError, match="input 1"):
        gradcheck(MulWrongSecondGrad.apply, (a, b), mode="random")


def test_raise_exception_false_returns_false():
    assert gradcheck(SquareForgotTheTwo.apply, x64(1.0, 2.0), raise_exception=False) is False
    assert gradcheck(Square.apply, x64(1.0, 2.0), raise_exception=False) is True


def test_refuses_float32_and_says_why():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="float32.*float64") as info:
        gradcheck(Square.apply, x)
    assert "digits" in str(info.value) and ".double()" in str(info.value)


def test_refuses_a_float32_output():
    with pytest.raises(TypeError, match="output 0 has dtype minitorch.float32"):
        gradcheck(lambda x: x.float() * 2, x64(1.0, 2.0))


def test_refuses_inputs_that_need_no_grad():
    with pytest.raises(ValueError, match="no input requires grad"):
        gradcheck(Square.apply, x64(1.0).detach())


def test_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        gradcheck(Square.apply, x64(1.0), mode="fast")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_nan_gradients_fail_instead_of_passing_silently():
    # sqrt at 0: the analytic gradient is inf and the numeric one NaN; they must not "agree".
    with pytest.raises(GradcheckError, match="element"):
        gradcheck(lambda x: x.sqrt(), x64(0.0, 1.0))


def test_a_kink_is_reported():
    # relu at exactly 0: analytic 0, numeric 0.5 * w; the strategies' grid avoids such points.
    with pytest.raises(GradcheckError, match="kink"):
        gradcheck(lambda x: x.relu(), x64(0.0))


def test_leaves_the_inputs_alone():
    x = x64(1.0, 2.0)
    x.grad = minitorch.tensor(np.array([7.0, 7.0]))
    gradcheck(Square.apply, x)
    assert x.tolist() == [1.0, 2.0] and x.grad.tolist() == [7.0, 7.0]


def test_several_outputs_and_non_tensor_arguments():
    x = minitorch.tensor(np.array([[1.0, 4.0, 2.0], [3.0, 0.5, 6.0]]), requires_grad=True)
    # max(dim) returns (values, indices): the int64 indices have no gradient and are skipped.
    assert gradcheck(lambda x, dim: tuple(x.max(dim=dim)), (x, 1)) is True
    assert gradcheck(lambda x, k: (Square.apply(x), x * k), (x, 3.0)) is True
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: (x * 2, SquareForgotTheTwo.apply(x)), x)


# ------------------------------------------------------------------ the strategies and profiles
from hypothesis import find, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from minitorch.testing import profiles  # noqa: E402
from minitorch.testing import strategies as S  # noqa: E402


@given(S.tensors())
def test_grid_values_have_no_zero_no_ties_and_wide_gaps(t):
    values = np.sort(t.detach().numpy().ravel())
    assert t.dtype == minitorch.float64 and t.requires_grad
    assert (values != 0).all()
    assert (np.abs(values / S.STEP - np.round(values / S.STEP)) == 0.5).all()  # off the integer grid
    assert (np.diff(values) >= S.STEP).all()  # unique, and gaps far above gradcheck's eps


@given(S.tensors(requires_grad=False, elements=S.grid(0.25, 4.0), dtype=minitorch.float32))
def test_tensors_options(t):
    assert t.dtype == minitorch.float32 and not t.requires_grad
    assert (t.numpy() > 0.25).all() and (t.numpy() < 4.0).all()


@given(S.broadcastable_shape_pairs())
def test_broadcastable_pairs_broadcast(pair):
    np.broadcast_shapes(*pair)


@given(S.matmul_shapes())
def test_matmul_shapes_multiply(pair):
    a, b = (np.ones(s) for s in pair)
    assert len(pair[0]) >= 1 and len(pair[1]) >= 1
    assert (minitorch.tensor(a) @ minitorch.tensor(b)).shape == (a @ b).shape


@given(st.data())
def test_reduction_dims_are_valid(data):
    shape = data.draw(S.shapes())
    dim = data.draw(S.reduction_dims(shape))
    assert dim is None or isinstance(dim, (int, tuple))
    np.testing.assert_allclose(minitorch.ones(shape).sum(dim).numpy(),
                               np.ones(shape).sum(axis=dim if shape else None))


def _batch_broadcasts(pair):
    a, b = pair
    if len(a) < 3 or len(b) < 3:
        return False
    both = np.broadcast_shapes(a[:-2], b[:-2])
    return both != a[:-2] and both != b[:-2]


@pytest.mark.parametrize("strategy, condition", [
    (S.matmul_shapes(), lambda p: len(p[0]) == 1 and len(p[1]) == 1),
    (S.matmul_shapes(), lambda p: len(p[0]) == 1 and len(p[1]) >= 3),
    (S.matmul_shapes(), _batch_broadcasts),
    (S.broadcastable_shape_pairs(), lambda p: len(p[0]) != len(p[1]) and 1 in p[0] and 3 in p[1]),
    (S.reduction_dims((2, 3, 4)), lambda d: isinstance(d, int) and d < 0),
    (S.reduction_dims((2, 3, 4)), lambda d: isinstance(d, tuple) and len(d) > 1 and min(d) < 0),
    (S.reduction_dims((2, 3, 4)), lambda d: d is None),
    (S.shapes(), lambda s: s == ()),
])
def test_strategies_reach_the_awkward_cases(strategy, condition):
    """The cases that break backward rules (1-D matmul operands, broadcast batch dims, negative
    dims, 0-d tensors) must be drawn: ``find`` fails if none turns up."""
    find(strategy, condition, settings=settings(max_examples=2000, database=None))


def test_profiles_are_registered_and_loadable(monkeypatch):
    original = settings.get_current_profile_name()
    try:
        assert profiles.load_profile("grading") == "grading"
        assert settings.default.derandomize and settings.default.database is None
        assert settings.default.deadline is None and settings.default.print_blob
        monkeypatch.setenv("HYPOTHESIS_PROFILE", "ci")
        assert profiles.load_profile() == "ci"
        monkeypatch.delenv("HYPOTHESIS_PROFILE")
        monkeypatch.delenv("CI", raising=False)
        assert profiles.load_profile() == "dev"
        with pytest.raises(ValueError, match="unknown hypothesis profile"):
            profiles.load_profile("fast")
    finally:
        settings.load_profile(original)
