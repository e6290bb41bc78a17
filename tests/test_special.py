"""Special functions (``minitorch/functions/gamma.py``, ``bessel.py``, ``gaussian.py``, ``entropy.py``)
and ``minitorch.special``: values over wide ranges against mpmath and PyTorch, float64 gradchecks
over hypothesis-drawn inputs, dtypes, errors. The catalog's cases (``catalog/special.py``) add the
shared tests: PyTorch's values and gradients, gradcheck, and the ``cuda`` device.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch.functions import gamma, gaussian
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

RNG = np.random.default_rng(0)
#: Wide test values: negative non-integers, tiny, moderate and huge magnitudes.
WIDE = np.concatenate([RNG.uniform(-30, 30, 300), RNG.uniform(0, 3, 200), 10 ** RNG.uniform(-300, 300, 50),
                       -RNG.uniform(0, 5, 50), [0.5, 1.0, 2.0, 3.0, -0.5, -2.5, 1e-8, 1e6, 171.6]])


def _close(ours, reference, rtol, atol=0.0):
    np.testing.assert_allclose(ours, reference, rtol=rtol, atol=atol, equal_nan=True)


# ----------------------------------------------------------------- values
def test_lgamma_and_polygamma_against_mpmath():
    mpmath = pytest.importorskip("mpmath")
    x = np.concatenate([RNG.uniform(-20, 20, 60), RNG.uniform(0.3, 3.3, 60), [1.0, 2.0, 1 + 1e-9, 50.5, -7.3]])
    x = x[np.abs(x - np.round(x)) > 1e-3]  # away from the poles, where finite precision decides
    _close(gamma.lgamma(x), [float(mpmath.loggamma(v).real) for v in x], rtol=1e-13, atol=1e-15)
    for n in (0, 1, 2, 5, 30):
        _close(gamma.polygamma(n, x), [float(mpmath.polygamma(n, v)) for v in x], rtol=1e-12, atol=1e-15)


def test_zeta_against_mpmath_and_pytorch():
    mpmath = pytest.importorskip("mpmath")
    torch = pytest.importorskip("torch")
    s = np.array([2.0, 3.5, 1.0001, 7.3, 2.0, 1000.0, 1.5, 3.0, 2.5])
    q = np.array([1.0, 0.7, 0.5, 1e-3, 1e10, 2.0, 30.0, -2.5, 0.25])
    _close(gamma.zeta(s, q), [float(mpmath.zeta(a, b)) for a, b in zip(s, q)], rtol=1e-14)
    s, q = np.array([1.0, 0.5, 2.0, 2.5, 2.0, np.nan]), np.array([1.0, 1.0, -1.0, -2.5, 0.0, 1.0])
    np.testing.assert_array_equal(minitorch.special.zeta(minitorch.tensor(s), minitorch.tensor(q)).numpy(),
                                  torch.special.zeta(torch.tensor(s), torch.tensor(q)).numpy())


def test_zeta_has_no_gradient_in_its_first_argument():
    s = minitorch.tensor([2.0], requires_grad=True)
    with pytest.raises(NotImplementedError, match="derivative with respect to s"):
        minitorch.special.zeta(s, minitorch.tensor([1.5])).sum().backward()


def test_lgamma_is_exactly_zero_at_one_and_two():
    assert gamma.lgamma(np.array([1.0, 2.0])).tolist() == [0.0, 0.0]


def test_gamma_family_against_pytorch_over_a_wide_range():
    torch = pytest.importorskip("torch")
    x = torch.tensor(WIDE)
    _close(gamma.lgamma(WIDE), torch.lgamma(x).numpy(), rtol=1e-12, atol=1e-13)
    for n in (0, 2, 3, 4):  # (PyTorch's order 1, trigamma, is accurate to 5e-10 only: mpmath above)
        _close(gamma.polygamma(n, WIDE), torch.polygamma(n, x).numpy(), rtol=1e-11, atol=1e-13)


def test_gamma_family_edges_as_pytorch():
    torch = pytest.importorskip("torch")
    edges = np.array([0.0, -0.0, -1.0, -2.0, np.inf, -np.inf, np.nan])
    for ours, theirs in ((minitorch.lgamma, torch.lgamma), (minitorch.digamma, torch.digamma)):
        np.testing.assert_array_equal(ours(minitorch.tensor(edges)).numpy(), theirs(torch.tensor(edges)).numpy())


@pytest.mark.parametrize("name", ["i0", "i0e", "i1", "i1e"])
def test_bessel_against_pytorch(name):
    torch = pytest.importorskip("torch")
    x = np.concatenate([RNG.uniform(-50, 50, 300), RNG.uniform(-3, 3, 100), RNG.uniform(-720, 720, 100),
                        [0.0, -0.0, 29.999, 30.001, np.inf, -np.inf, np.nan]])
    ours = getattr(minitorch.special, name)(minitorch.tensor(x)).numpy()
    _close(ours, getattr(torch.special, name)(torch.tensor(x)).numpy(), rtol=1e-14)


def test_normal_functions_against_pytorch_in_the_tails():
    torch = pytest.importorskip("torch")
    x = np.concatenate([RNG.uniform(-50, 50, 300), -10 ** RNG.uniform(0, 8, 50), 10 ** RNG.uniform(0, 300, 50),
                        [0.0, 9.999, 10.0001, -26.5, -27.0, np.inf, -np.inf, np.nan]])
    p = np.concatenate([RNG.uniform(0, 1, 300), 10 ** RNG.uniform(-300, 0, 100), 1 - 10 ** RNG.uniform(-16, 0, 100),
                        [0.0, 1.0, 0.5, -0.1, 1.1, np.nan]])
    for name, values in (("erfcx", x), ("log_ndtr", x), ("ndtri", p)):
        ours = getattr(minitorch.special, name)(minitorch.tensor(values)).numpy()
        _close(ours, getattr(torch.special, name)(torch.tensor(values)).numpy(), rtol=1e-13, atol=1e-300)


def test_ndtr_keeps_its_relative_precision_in_the_lower_tail():
    mpmath = pytest.importorskip("mpmath")
    x = np.array([-3.0, -8.0, -20.0, -37.5, 0.5, 6.0])
    # (PyTorch computes (1 + erf(x / sqrt 2)) / 2, which is 0 below x = -8.3)
    _close(gaussian.ndtr(x), [float(mpmath.ncdf(v)) for v in x], rtol=1e-12)  # (x / sqrt 2 is rounded)


def test_entr_and_xlog1py_zero_where_the_factor_is_zero():
    torch = pytest.importorskip("torch")
    x = [0.0, -1.0, 2.0, float("nan"), float("inf")]
    np.testing.assert_array_equal(minitorch.special.entr(minitorch.tensor(x)).numpy(),
                                  torch.special.entr(torch.tensor(x)).numpy())
    a, b = [0.0, 0.0, 2.0, 0.0], [-1.0, float("nan"), 1.0, 3.0]
    np.testing.assert_allclose(minitorch.special.xlog1py(minitorch.tensor(a), minitorch.tensor(b)).numpy(),
                               torch.special.xlog1py(torch.tensor(a), torch.tensor(b)).numpy())


# ----------------------------------------------------------------- gradients
UNARY = {
    "lgamma": (lambda x: x.lgamma(), S.grid(-4, 6)),
    "digamma": (lambda x: x.digamma(), S.grid(-4, 6)),
    "polygamma": (lambda x: minitorch.polygamma(2, x), S.grid(-4, 6)),
    "mvlgamma": (lambda x: x.mvlgamma(3), S.grid(1.25, 6)),
    "i0": (lambda x: x.i0(), None),
    "i0e": (minitorch.special.i0e, None),
    "i1": (minitorch.special.i1, None),
    "i1e": (minitorch.special.i1e, None),
    "ndtr": (minitorch.special.ndtr, None),
    "ndtri": (minitorch.special.ndtri, S.grid(0.0, 1.0, 1 / 64)),
    "log_ndtr": (minitorch.special.log_ndtr, None),
    "erfcx": (minitorch.special.erfcx, None),
    "entr": (minitorch.special.entr, S.grid(0.25, 4)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(data=st.data())
def test_gradcheck(name, data):
    fn, elements = UNARY[name]
    x = minitorch.tensor(data.draw(S.arrays(elements=elements)), requires_grad=True)
    assert gradcheck(fn, [x])


@given(data=st.data())
def test_zeta_gradcheck(data):
    s = minitorch.tensor(data.draw(S.arrays((3, 1), elements=S.grid(1.25, 6))))
    q = minitorch.tensor(data.draw(S.arrays((4,), elements=S.grid(0.25, 4))), requires_grad=True)
    assert gradcheck(lambda q: minitorch.special.zeta(s, q), [q])


@given(data=st.data())
def test_xlog1py_gradcheck(data):
    x = minitorch.tensor(data.draw(S.arrays((3, 1))), requires_grad=True)
    y = minitorch.tensor(data.draw(S.arrays((4,), elements=S.grid(-0.75, 4))), requires_grad=True)
    assert gradcheck(minitorch.special.xlog1py, [x, y])


def test_gradients_at_zero_as_pytorch():
    torch = pytest.importorskip("torch")
    for name in ("i0e", "i1", "i1e", "entr"):
        grads = []
        for lib in (minitorch, torch):
            x = lib.tensor([0.0, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
            getattr(lib.special, name)(x).sum().backward()
            grads.append(x.grad.numpy())
        np.testing.assert_allclose(*grads, rtol=1e-12, equal_nan=True, err_msg=name)


# ----------------------------------------------------------------- surfaces, dtypes, errors
def test_special_has_pytorchs_names():
    torch = pytest.importorskip("torch")
    for name in minitorch.special.__all__:
        assert hasattr(torch.special, name), name
    x = [0.2, 0.7]
    for name in ("expit", "logit", "gammaln", "psi", "erf", "erfc", "erfinv", "exp2", "expm1", "log1p", "sinc", "i0"):
        ours = getattr(minitorch.special, name)(minitorch.tensor(x, dtype=minitorch.float64)).numpy()
        np.testing.assert_allclose(ours, getattr(torch.special, name)(torch.tensor(x, dtype=torch.float64)).numpy(),
                                   rtol=1e-12, err_msg=name)
    t = minitorch.tensor([[0.2, 0.7], [1.5, 2.5]])
    tt = torch.tensor([[0.2, 0.7], [1.5, 2.5]])
    for ours, theirs in ((minitorch.special.softmax(t, 1), torch.special.softmax(tt, 1)),
                         (minitorch.special.log_softmax(t, 0), torch.special.log_softmax(tt, 0)),
                         (minitorch.special.logsumexp(t, 1), torch.special.logsumexp(tt, 1)),
                         (minitorch.special.round(t, decimals=1), torch.special.round(tt, decimals=1)),
                         (minitorch.special.multigammaln(t + 1, 2), torch.special.multigammaln(tt + 1, 2)),
                         (minitorch.special.xlogy(2.0, t), torch.special.xlogy(2.0, tt)),
                         (minitorch.special.polygamma(3, t), torch.special.polygamma(3, tt))):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5)


def test_integers_are_computed_in_float32_and_float32_stays():
    for fn in (minitorch.lgamma, minitorch.digamma, minitorch.i0, minitorch.special.ndtr, minitorch.special.i1e,
               minitorch.special.entr, lambda x: x.mvlgamma(1), lambda x: x.polygamma(2)):
        assert fn(minitorch.tensor([1, 2])).dtype == minitorch.float32
        assert fn(minitorch.tensor([1.0, 2.0])).dtype == minitorch.float32
        assert fn(minitorch.tensor([1.0, 2.0], dtype=minitorch.float64)).dtype == minitorch.float64


def test_in_place_forms():
    x = minitorch.tensor([0.5, 3.0])
    expected = x.polygamma(2)
    assert x.polygamma_(2) is x and minitorch.allclose(x, expected)


def test_bad_arguments_say_what_to_do():
    x = minitorch.tensor([1.0])
    with pytest.raises(RuntimeError, match="polygamma: n must be >= 0"):
        x.polygamma(-1)
    with pytest.raises(TypeError, match="polygamma: n must be an integer"):
        minitorch.polygamma(1.5, x)
    with pytest.raises(RuntimeError, match="mvlgamma: p has to be greater than or equal to 1"):
        x.mvlgamma(0)
    with pytest.raises(TypeError, match="special.ndtr: input must be a Tensor"):
        minitorch.special.ndtr(0.5)


@pytest.mark.parametrize("name", ["minitorch.special", "minitorch.tensor_methods.special"])
def test_docstring_examples_run(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
