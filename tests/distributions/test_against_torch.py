"""Every distribution against PyTorch's on hypothesis-drawn float64 parameters: log_prob, entropy,
mean, mode, variance, stddev, cdf and icdf values, their gradients with respect to the parameters,
KL divergences and theirs; and float64 gradchecks of log_prob, entropy, rsample and KL (no torch needed).
"""
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.distributions as D
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

REAL = S.grid(-3, 3)
POSITIVE = S.grid(0.25, 3)
PROBABILITY = S.grid(0.05, 0.95)


@dataclass(frozen=True)
class Family:
    """How to build one distribution from parameter tensors (``make(D, *params)``, D the library's
    distributions module), where its parameters and values lie, and which properties it has."""

    make: object
    domains: tuple            # one strategy of elements per parameter
    value: str                # real, positive, unit (for Uniform: inside [low, low + width)), binary, index, one_hot
    vector: bool = False      # parameters have a last dim of K categories
    properties: tuple = ("mean", "mode", "variance", "stddev")
    rsample: bool = True
    cdf: bool = False


FAMILIES = {
    "Normal": Family(lambda D, loc, scale: D.Normal(loc, scale), (REAL, POSITIVE), "real", cdf=True),
    "LogNormal": Family(lambda D, loc, scale: D.LogNormal(loc, scale), (REAL, POSITIVE), "positive"),
    "Laplace": Family(lambda D, loc, scale: D.Laplace(loc, scale), (REAL, POSITIVE), "real", cdf=True),
    "Exponential": Family(lambda D, rate: D.Exponential(rate), (POSITIVE,), "positive", cdf=True),
    "Uniform": Family(lambda D, low, width: D.Uniform(low, low + width), (REAL, POSITIVE), "unit", cdf=True),
    "Bernoulli": Family(lambda D, p: D.Bernoulli(p), (PROBABILITY,), "binary", rsample=False),
    "BernoulliLogits": Family(lambda D, logits: D.Bernoulli(logits=logits), (REAL,), "binary", rsample=False),
    "Categorical": Family(lambda D, p: D.Categorical(p), (POSITIVE,), "index", vector=True, properties=("mode",),
                          rsample=False),
    "CategoricalLogits": Family(lambda D, logits: D.Categorical(logits=logits), (REAL,), "index", vector=True,
                                properties=("mode",), rsample=False),
    "OneHotCategorical": Family(lambda D, p: D.OneHotCategorical(p), (POSITIVE,), "one_hot", vector=True,
                                rsample=False),
    "Independent": Family(lambda D, loc, scale: D.Independent(D.Normal(loc, scale), 1), (REAL, POSITIVE), "real",
                          vector=True),
}
KL_PAIRS = ["Normal", "LogNormal", "Laplace", "Exponential", "Uniform", "Bernoulli", "Categorical",
            "OneHotCategorical", "Independent"]


@st.composite
def parameters(draw, family):
    """float64 parameter arrays of one batch shape (plus K >= 2 categories for a vector family)."""
    shape = draw(S.shapes(min_dims=1 if family.vector else 0, max_dims=2, max_side=3))
    if family.vector:
        shape = shape[:-1] + (max(shape[-1], 2),)
    return [draw(S.arrays(shape, elements=domain, unique=False)) for domain in family.domains]


@st.composite
def values(draw, family, params):
    """float64 values in the family's support, of the distribution's batch and event shape."""
    shape, kind = params[0].shape, family.value
    if kind == "index":
        return draw(S.arrays(shape[:-1], elements=st.sampled_from(np.arange(shape[-1], dtype=float)), unique=False))
    if kind == "one_hot":
        return np.eye(shape[-1])[draw(values(Family(None, (), "index"), params)).astype(int)]
    elements = {"real": REAL, "positive": POSITIVE, "unit": PROBABILITY, "binary": st.sampled_from([0.0, 1.0])}[kind]
    value = draw(S.arrays(shape, elements=elements, unique=False))
    return params[0] + value * params[1] if kind == "unit" else value


def _value_tensor(lib, family, value):
    return lib.tensor(value.astype(np.int64) if family.value == "index" else value)


def _results(lib, family, params, value, grads):
    """The numbers to compare: log_prob, entropy, properties, cdf/icdf; with the parameters' gradients
    of their weighted sum when ``grads``."""
    leaves = [lib.tensor(p, requires_grad=grads) for p in params]
    d = family.make(lib.distributions, *leaves)
    out = {"log_prob": d.log_prob(_value_tensor(lib, family, value)), "entropy": d.entropy()}
    out.update({name: getattr(d, name) for name in family.properties})
    if family.cdf:
        out["cdf"] = d.cdf(lib.tensor(value))
        out["icdf"] = d.icdf(lib.tensor(np.full(value.shape, 0.3)))
    if grads:
        rng = np.random.default_rng(0)
        total = sum((t * lib.tensor(rng.uniform(0.5, 1.5, tuple(t.shape)))).sum()
                    for t in out.values() if t.is_floating_point() and t.requires_grad)
        total.backward()
        out.update({f"grad {k}": p.grad for k, p in enumerate(leaves)})
    return {k: v.detach().cpu().numpy() for k, v in out.items()}


@pytest.mark.parametrize("name", sorted(FAMILIES))
@given(data=st.data())
def test_values_and_gradients_match_torch(name, data):
    torch = pytest.importorskip("torch")
    family = FAMILIES[name]
    params = data.draw(parameters(family))
    value = data.draw(values(family, params))
    ours, theirs = _results(minitorch, family, params, value, True), _results(torch, family, params, value, True)
    assert ours.keys() == theirs.keys()
    for key in ours:
        assert ours[key].shape == theirs[key].shape, key
        assert ours[key].dtype == theirs[key].dtype, key
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=key)


@pytest.mark.parametrize("name", KL_PAIRS)
@given(data=st.data())
def test_kl_divergence_and_its_gradient_match_torch(name, data):
    torch = pytest.importorskip("torch")
    family = FAMILIES[name]
    p_params = data.draw(parameters(family))
    q_params = [data.draw(S.arrays(p.shape, elements=dom, unique=False)) for p, dom in zip(p_params, family.domains)]
    results = []
    for lib in (minitorch, torch):
        leaves = [lib.tensor(a, requires_grad=True) for a in p_params + q_params]
        half = len(p_params)
        kl = lib.distributions.kl_divergence(family.make(lib.distributions, *leaves[:half]),
                                             family.make(lib.distributions, *leaves[half:]))
        lib.where(kl.detach().isfinite(), kl, lib.zeros_like(kl)).sum().backward()  # inf: q misses p's support
        results.append([kl.detach().numpy()] + [t.grad.numpy() for t in leaves])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", sorted(FAMILIES))
@given(data=st.data())
def test_log_prob_and_entropy_gradcheck(name, data):
    family = FAMILIES[name]
    params = data.draw(parameters(family))
    value = _value_tensor(minitorch, family, data.draw(values(family, params)))
    leaves = [minitorch.tensor(p, requires_grad=True) for p in params]
    assert gradcheck(lambda *ps: family.make(D, *ps).log_prob(value), leaves)
    assert gradcheck(lambda *ps: family.make(D, *ps).entropy(), leaves)


@pytest.mark.parametrize("name", [n for n in sorted(FAMILIES) if FAMILIES[n].rsample])
@given(data=st.data())
def test_rsample_gradcheck(name, data):
    family = FAMILIES[name]
    leaves = [minitorch.tensor(p, requires_grad=True) for p in data.draw(parameters(family))]

    def draw(*ps):
        minitorch.manual_seed(0)  # the same noise at every evaluation: only the parameters move
        return family.make(D, *ps).rsample((2,))

    assert gradcheck(draw, leaves)


@pytest.mark.parametrize("name", ["Normal", "Laplace", "Exponential", "Bernoulli", "Categorical", "Uniform"])
@given(data=st.data())
def test_kl_gradcheck(name, data):
    family = FAMILIES[name]
    p_params = data.draw(parameters(family))
    q_params = [data.draw(S.arrays(p.shape, elements=dom, unique=False)) for p, dom in zip(p_params, family.domains)]
    if name == "Uniform":  # q's interval holds p's, so the divergence is finite
        q_params = [p_params[0] - q_params[1], p_params[1] + 2 * q_params[1]]
    leaves = [minitorch.tensor(a, requires_grad=True) for a in p_params + q_params]
    half = len(p_params)
    assert gradcheck(lambda *ps: D.kl_divergence(family.make(D, *ps[:half]), family.make(D, *ps[half:])), leaves)
