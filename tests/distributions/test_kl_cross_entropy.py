"""KL divergences between different families (PyTorch's registered pairs): values and gradients against
PyTorch's on hypothesis-drawn float64 parameters, float64 gradchecks, Monte Carlo estimates, and +inf where
q's support misses p's."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.distributions as D
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

T = minitorch.tensor

REAL, POSITIVE = S.grid(-2, 2), S.grid(0.3, 3)
# family: (parameter domains, make(lib distributions module, *parameters))
FAMILIES = {
    "Normal": ((REAL, POSITIVE), lambda D, loc, scale: D.Normal(loc, scale)),
    "Laplace": ((REAL, POSITIVE), lambda D, loc, scale: D.Laplace(loc, scale)),
    "Exponential": ((POSITIVE,), lambda D, rate: D.Exponential(rate)),
    "Gamma": ((POSITIVE, POSITIVE), lambda D, a, b: D.Gamma(a, b)),
    "Chi2": ((POSITIVE,), lambda D, df: D.Chi2(df)),
    "Beta": ((POSITIVE, POSITIVE), lambda D, a, b: D.Beta(a, b)),
    "Uniform": ((S.grid(0.02, 0.45), S.grid(0.55, 0.98)), lambda D, low, high: D.Uniform(low, high)),
    "WideUniform": ((S.grid(-2, -0.1), S.grid(1.1, 3)), lambda D, low, high: D.Uniform(low, high)),
    "Bernoulli": ((S.grid(0.05, 0.95),), lambda D, p: D.Bernoulli(p)),
    "Poisson": ((POSITIVE,), lambda D, rate: D.Poisson(rate)),
    "Binomial": ((S.grid(0.05, 0.95),), lambda D, p: D.Binomial(4, p)),
    "Gumbel": ((REAL, POSITIVE), lambda D, loc, scale: D.Gumbel(loc, scale)),
    "Pareto": ((S.grid(0.3, 1.0), S.grid(2.1, 4)), lambda D, scale, alpha: D.Pareto(scale, alpha)),
    "HighPareto": ((S.grid(1.0, 2.0), S.grid(2.1, 4)), lambda D, scale, alpha: D.Pareto(scale, alpha)),
    "HighUniform": ((S.grid(1.0, 1.5), S.grid(1.6, 3)), lambda D, low, high: D.Uniform(low, high)),
    "Cauchy": ((REAL, POSITIVE), lambda D, loc, scale: D.Cauchy(loc, scale)),
    "HalfNormal": ((POSITIVE,), lambda D, scale: D.HalfNormal(scale)),
}
FINITE = [("Bernoulli", "Poisson"), ("Beta", "Exponential"), ("Beta", "Gamma"), ("Beta", "Normal"),
          ("Beta", "WideUniform"), ("Exponential", "Gamma"), ("Exponential", "Normal"), ("Gamma", "Exponential"),
          ("Gamma", "Normal"), ("Chi2", "Normal"), ("Laplace", "Normal"), ("Normal", "Laplace"), ("Uniform", "Beta"),
          ("Uniform", "Exponential"), ("Uniform", "Gamma"), ("Uniform", "Normal"), ("WideUniform", "Normal"),
          ("Cauchy", "Cauchy"), ("HalfNormal", "HalfNormal"), ("Exponential", "Gumbel"), ("Gamma", "Gumbel"),
          ("Normal", "Gumbel"), ("Uniform", "Gumbel"), ("Gumbel", "Gumbel"), ("Gumbel", "Normal"), ("Pareto", "Exponential"),
          ("Pareto", "Gamma"), ("Pareto", "Normal"), ("HighPareto", "Pareto"), ("HighUniform", "Pareto")]
INFINITE = [("Exponential", "Beta"), ("Exponential", "Uniform"), ("Gamma", "Beta"), ("Gamma", "Uniform"),
            ("Laplace", "Beta"), ("Laplace", "Exponential"), ("Laplace", "Gamma"), ("Laplace", "Uniform"),
            ("Normal", "Beta"), ("Normal", "Exponential"), ("Normal", "Gamma"), ("Normal", "Uniform"),
            ("Poisson", "Bernoulli"), ("Poisson", "Binomial"), ("Beta", "Uniform"), ("WideUniform", "Beta"),
            ("WideUniform", "Exponential"), ("WideUniform", "Gamma"), ("Beta", "Pareto"), ("Exponential", "Pareto"),
            ("Gamma", "Pareto"), ("Laplace", "Pareto"), ("Normal", "Pareto"), ("Gumbel", "Beta"), ("Gumbel", "Exponential"),
            ("Gumbel", "Gamma"), ("Gumbel", "Pareto"), ("Gumbel", "Uniform"), ("Pareto", "Beta"), ("Pareto", "Uniform"),
            ("Uniform", "Pareto")]


@st.composite
def pair_parameters(draw, pair):
    """float64 parameter arrays for p and q, all of one drawn shape."""
    shape = draw(S.shapes(max_dims=2, max_side=3))
    return [[draw(S.arrays(shape, elements=domain, unique=False)) for domain in FAMILIES[name][0]]
            for name in pair]


def _kl(lib, pair, params, **kwargs):
    leaves = [[lib.tensor(a, **kwargs) for a in ps] for ps in params]
    p, q = (FAMILIES[name][1](lib.distributions, *ls) for name, ls in zip(pair, leaves))
    return lib.distributions.kl_divergence(p, q), leaves[0] + leaves[1]


@pytest.mark.parametrize("pair", FINITE, ids="-".join)
@given(data=st.data())
def test_matches_torch_values_and_gradients(pair, data):
    torch = pytest.importorskip("torch")
    params = data.draw(pair_parameters(pair))
    results = []
    for lib in (minitorch, torch):
        kl, leaves = _kl(lib, pair, params, requires_grad=True)
        kl.sum().backward()
        results.append([kl.detach().numpy()] + [leaf.grad.numpy() for leaf in leaves])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-8, atol=2e-8)  # PyTorch's trigamma: ~1e-9 off


@pytest.mark.parametrize("pair", FINITE, ids="-".join)
@given(data=st.data())
def test_gradcheck(pair, data):
    params = data.draw(pair_parameters(pair))
    half = len(params[0])
    leaves = [minitorch.tensor(a, requires_grad=True) for a in params[0] + params[1]]
    make_p, make_q = (FAMILIES[name][1] for name in pair)
    assert gradcheck(lambda *ls: D.kl_divergence(make_p(D, *ls[:half]), make_q(D, *ls[half:])), leaves)


P_PARAMETERS = {"Bernoulli": [0.3], "Uniform": [0.2, 0.7], "WideUniform": [-1.0, 1.5], "HighUniform": [1.2, 2.0],
                "Pareto": [0.5, 4.5], "HighPareto": [1.2, 4.5]}
Q_PARAMETERS = {"WideUniform": [-0.5, 1.5], "Pareto": [1.0, 2.5]}


@pytest.mark.parametrize("pair", FINITE, ids="-".join)
def test_monte_carlo_estimate(pair):
    params = [[np.array(v) for v in table.get(name, default)[:len(FAMILIES[name][0])]]
              for table, name, default in ((P_PARAMETERS, pair[0], [1.3, 0.4]), (Q_PARAMETERS, pair[1], [0.2, 1.7]))]
    kl, _ = _kl(minitorch, pair, params)
    p, q = (FAMILIES[name][1](D, *[minitorch.tensor(a) for a in ps]) for name, ps in zip(pair, params))
    minitorch.manual_seed(0)
    x = p.sample((200000,))
    estimate = (p.log_prob(x) - q.log_prob(x)).mean().item()
    assert abs(estimate - kl.item()) < 0.02 * max(1.0, kl.item())


@pytest.mark.parametrize("pair", INFINITE, ids="-".join)
def test_infinite_where_q_misses_part_of_p_as_torch(pair):
    params = [[np.array([v, v + 0.1]) for v in (0.5, 1.5)[:len(FAMILIES[name][0])]] for name in pair]
    for i, name in enumerate(pair):
        if "Uniform" in name:
            params[i] = [np.array([-0.5, -0.1]), np.array([2.0, 0.9])] if name == "WideUniform" \
                else [np.array([0.1, 0.0]), np.array([1.0, 0.9])]
    kl, _ = _kl(minitorch, pair, params, requires_grad=True)
    assert kl.shape == (2,) and np.isinf(kl.detach().numpy()).all()
    torch = pytest.importorskip("torch")
    theirs, _ = _kl(torch, pair, params)
    np.testing.assert_array_equal(kl.detach().numpy(), theirs.numpy())


def test_subclasses_dispatch_and_the_docstring():
    assert np.isinf(D.kl_divergence(D.Normal(0.0, 1.0), D.Chi2(2.0)).item())
    assert D.kl_divergence(D.Pareto(T([0.5, 2.0]), 3.0), D.Pareto(1.0, 3.0)).tolist()[0] == np.inf
    import doctest

    import minitorch.distributions.kl_cross_entropy as module
    assert doctest.testmod(module).failed == 0
