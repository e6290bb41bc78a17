"""Cauchy, HalfNormal, HalfCauchy, Gumbel, Weibull, Pareto, InverseGamma, FisherSnedecor and Kumaraswamy:
log_prob, cdf, icdf, entropy, mean, mode and variance (those PyTorch has) with their gradients against PyTorch's
on hypothesis-drawn float64 parameters, float64 gradchecks, rsample gradients and sample statistics, expand,
validation, repr, the docstring examples and the cuda device."""
import doctest
import importlib
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from tests.distributions.grad_helpers import backward_of_weighted_sum
import minitorch.distributions as D
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

T = minitorch.tensor
REAL, POSITIVE, UNIT = S.grid(-3, 3), S.grid(0.3, 3), S.grid(0.05, 0.95)

ALL = ("log_prob", "cdf", "icdf", "entropy", "mean", "mode", "variance")
# name: (make(lib distributions module, *parameters), parameter domains[, the statistics compared (default ALL)])
FAMILIES = {
    "Cauchy": (lambda D, loc, scale: D.Cauchy(loc, scale), (REAL, POSITIVE)),
    "HalfNormal": (lambda D, scale: D.HalfNormal(scale), (POSITIVE,)),
    "HalfCauchy": (lambda D, scale: D.HalfCauchy(scale), (POSITIVE,)),
    "Gumbel": (lambda D, loc, scale: D.Gumbel(loc, scale), (REAL, POSITIVE)),
    "Weibull": (lambda D, scale, k: D.Weibull(scale, k), (POSITIVE, POSITIVE)),
    "Pareto": (lambda D, scale, alpha: D.Pareto(scale, alpha), (POSITIVE, S.grid(2.1, 5))),  # alpha <= 2: below
    "InverseGamma": (lambda D, a, b: D.InverseGamma(a, b), (S.grid(2.1, 5), POSITIVE),  # needs Gamma.cdf:
                     ("log_prob", "entropy", "mean", "mode", "variance")),         # not in minitorch
    "FisherSnedecor": (lambda D, d1, d2: D.FisherSnedecor(d1, d2), (POSITIVE, S.grid(0.3, 8)),
                       ("log_prob", "mean", "mode", "variance")),
    "Kumaraswamy": (lambda D, a, b: D.Kumaraswamy(a, b), (POSITIVE, POSITIVE),  # PyTorch's mode is NaN for b > 1
                    ("log_prob", "cdf", "icdf", "entropy", "mean", "variance")),
}


@st.composite
def cases(draw, name):
    """float64 parameters of one batch shape, a value in the support and a probability."""
    shape = draw(S.shapes(max_dims=2, max_side=3))
    params = [draw(S.arrays(shape, elements=domain, unique=False)) for domain in FAMILIES[name][1]]
    value = draw(S.arrays(shape, elements=POSITIVE if name != "Cauchy" and name != "Gumbel" else REAL, unique=False))
    if name == "Kumaraswamy":
        value = value / 3.1
    if name == "Pareto":
        value = value + params[0]  # x >= scale
    if name == "Gumbel":  # within the base uniform's support once pulled back (PyTorch refuses the rest too)
        value = params[0] + params[1] * np.clip(value, -1.5, 2.5)
    return params, value, draw(S.arrays(shape, elements=UNIT, unique=False))


def _statistics(name):
    return FAMILIES[name][2] if len(FAMILIES[name]) > 2 else ALL


def _results(lib, name, params, value, prob):
    """Each statistic, and the gradients of the weighted sum of the finite ones."""
    leaves = [lib.tensor(p, requires_grad=True) for p in params]
    d = FAMILIES[name][0](lib.distributions, *leaves)
    compute = {"log_prob": lambda: d.log_prob(lib.tensor(value)), "cdf": lambda: d.cdf(lib.tensor(value)),
               "icdf": lambda: d.icdf(lib.tensor(prob)), "entropy": d.entropy, "mean": lambda: d.mean,
               "mode": lambda: d.mode, "variance": lambda: d.variance}
    out = {key: compute[key]() for key in _statistics(name)}
    backward_of_weighted_sum(lib, out.values())
    out.update({f"grad {k}": p.grad for k, p in enumerate(leaves)})
    return {k: v.detach().numpy() for k, v in out.items()}


@pytest.mark.parametrize("name", sorted(FAMILIES))
@given(data=st.data())
def test_values_and_gradients_match_torch(name, data):
    torch = pytest.importorskip("torch")
    params, value, prob = data.draw(cases(name))
    ours, theirs = _results(minitorch, name, params, value, prob), _results(torch, name, params, value, prob)
    for key in theirs:
        assert ours[key].shape == theirs[key].shape and ours[key].dtype == theirs[key].dtype, key
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-8, atol=1e-10, err_msg=key, equal_nan=True)


@pytest.mark.parametrize("name", sorted(FAMILIES))
@given(data=st.data())
def test_gradcheck(name, data):
    params, value, prob = data.draw(cases(name))
    leaves = [T(p, requires_grad=True) for p in params]
    make = FAMILIES[name][0]
    for statistic in set(_statistics(name)) & {"log_prob", "cdf", "icdf", "entropy"}:
        argument = {"log_prob": T(value), "cdf": T(value), "icdf": T(prob)}.get(statistic)
        assert gradcheck(lambda *ps: getattr(make(D, *ps), statistic)(*([argument] if argument is not None else [])),
                         leaves), statistic


def test_pareto_infinite_moments_have_no_nan_gradient():
    """For alpha <= 1 (mean) and <= 2 (variance) the moments are inf and carry zero gradient (PyTorch's carry
    NaN to scale: 0 * inf in its backward)."""
    scale, alpha = T([1.0, 1.0, 1.0], requires_grad=True), T([0.5, 1.0, 1.5], requires_grad=True)
    d = D.Pareto(scale, alpha)
    assert d.mean.tolist()[:2] == [math.inf] * 2 and d.variance.tolist() == [math.inf] * 3
    (minitorch.where(d.mean.isfinite(), d.mean, 0.0).sum() + minitorch.where(d.variance.isfinite(), d.variance, 0.0)
     .sum()).backward()
    assert scale.grad.tolist()[:2] == [0.0, 0.0] and alpha.grad.tolist()[:2] == [0.0, 0.0]
    assert abs(alpha.grad[2].item() + 4.0) < 1e-6  # d/da a / (a - 1) = -1 / (a - 1)^2


MOMENTS = {  # parameters with a finite mean and variance (none for the Cauchys: the median and quartiles)
    "HalfNormal": [1.5], "Gumbel": [0.5, 2.0], "Weibull": [2.0, 1.5], "Pareto": [1.0, 5.0], "InverseGamma": [6.0, 2.0],
    "FisherSnedecor": [8.0, 12.0], "Kumaraswamy": [2.0, 0.7],
}


@pytest.mark.parametrize("name", sorted(MOMENTS))
def test_rsample_statistics_and_gradients(name):
    leaves = [T(v, dtype=minitorch.float64, requires_grad=True) for v in MOMENTS[name]]
    d = FAMILIES[name][0](D, *leaves)
    assert d.has_rsample
    minitorch.manual_seed(0)
    x = d.rsample((100000,))
    x.mean().backward()
    assert abs(x.mean().item() - d.mean.item()) < 0.02 * d.stddev.item()
    assert abs(x.var().item() / d.variance.item() - 1) < 0.05
    mean_grads = [leaf.grad.item() for leaf in leaves]
    for leaf in leaves:
        leaf.grad = None
    FAMILIES[name][0](D, *leaves).mean.backward()
    np.testing.assert_allclose(mean_grads, [0.0 if leaf.grad is None else leaf.grad.item() for leaf in leaves],
                               rtol=0.03, atol=0.01)


@pytest.mark.parametrize("name", ["Cauchy", "HalfCauchy"])
def test_cauchy_sample_quantiles(name):
    d = FAMILIES[name][0](D, *[T(v) for v in ([1.0, 2.0] if name == "Cauchy" else [2.0])])
    minitorch.manual_seed(0)
    x = d.sample((100000,)).numpy()
    for p in (0.25, 0.5, 0.75):
        assert abs(np.quantile(x, p) - d.icdf(T(p)).item()) < 0.05


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_shapes_expand_validation_and_dtype(name):
    make, domains = FAMILIES[name][:2]
    params = [T([[1.0, 2.0]]) for _ in domains]
    d = make(D, *params)
    assert d.batch_shape == (1, 2) and d.event_shape == ()
    big = d.expand((3, 2))
    assert big.batch_shape == (3, 2) and big.sample((4,)).shape == (4, 3, 2) and big.mean.shape == (3, 2)
    assert big.log_prob(big.sample()).shape == (3, 2)
    assert make(D, *[T([1.0], dtype=minitorch.float64) for _ in domains]).sample().dtype == minitorch.float64
    with pytest.raises(ValueError, match="to satisfy the constraint"):
        make(D, *[T([-1.0]) for _ in domains])
    if name != "Cauchy" and name != "Gumbel":
        with pytest.raises(ValueError, match="within the support"):
            make(D, *params).log_prob(T([[-1.0, 0.5]]))


def test_kumaraswamy_mode_and_straight_through_rsample():
    d = D.Kumaraswamy(T([2.0, 0.5]), T([3.0, 2.0]))
    x = np.linspace(0.001, 0.999, 9999)
    density = d.log_prob(T(x, dtype=minitorch.float64).reshape(-1, 1)).exp().numpy()
    assert abs(d.mode[0].item() - x[density[:, 0].argmax()]) < 1e-3 and np.isnan(d.mode[1].item())
    p = T([0.2, 0.8], requires_grad=True)
    draw = D.OneHotCategoricalStraightThrough(p).rsample((3,))
    assert draw.shape == (3, 2) and bool((draw.sum(-1) == 1).all())
    (draw * T([1.0, 2.0])).sum().backward()
    np.testing.assert_allclose(p.grad.numpy(), [3 * (1 - 1.8), 3 * (2 - 1.8)], atol=1e-6)  # d/dp of w p / sum(p)


def test_repr_as_in_pytorch():
    torch = pytest.importorskip("torch")
    for name, (make, domains, *_) in FAMILIES.items():
        ours, theirs = repr(make(D, *[1.0] * len(domains))), repr(make(torch.distributions, *[1.0] * len(domains)))
        assert ours == theirs, name


@pytest.mark.parametrize("module", ["cauchy", "half_normal", "half_cauchy", "gumbel", "weibull", "pareto", "inverse_gamma",
                                    "fishersnedecor", "kumaraswamy", "categorical"])
def test_docstring_examples(module):
    assert doctest.testmod(importlib.import_module(f"minitorch.distributions.{module}")).failed == 0


def test_cuda_gives_the_cpu_numbers():
    on = {}
    for device in ("cpu", "cuda"):
        leaves = [T([0.5, 2.0], dtype=minitorch.float64, device=device, requires_grad=True) for _ in range(2)]
        values = []
        for name, (make, domains, *_) in FAMILIES.items():
            d = make(D, *leaves[:len(domains)])
            value = T([0.25, 0.5] if name == "Kumaraswamy" else [2.5, 3.0], dtype=minitorch.float64, device=device)
            values.append(d.log_prob(value).sum() + (d.entropy().sum() if name != "FisherSnedecor" else 0))
        sum(values).backward()
        on[device] = [v.detach().cpu().numpy() for v in values] + [leaf.grad.cpu().numpy() for leaf in leaves]
    for cpu, cuda in zip(on["cpu"], on["cuda"]):
        np.testing.assert_allclose(cuda, cpu, rtol=1e-10)
    assert math.isfinite(on["cpu"][0])
