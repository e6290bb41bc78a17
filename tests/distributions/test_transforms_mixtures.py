"""Transforms, TransformedDistribution, MixtureSameFamily and the relaxed (Gumbel-softmax) distributions:
values and gradients against PyTorch's on hypothesis-drawn float64 parameters, float64 gradchecks,
sample shapes and statistics, validation errors, repr and the docstring examples."""
import doctest
import importlib
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.distributions as D
from minitorch.distributions import transforms as MT
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

T = minitorch.tensor
REAL = S.grid(-2, 2)
POSITIVE = S.grid(0.25, 2)
UNIT = S.grid(0.05, 0.95)
# name: (transforms given the library's transforms module and a scale tensor, where values lie)
TRANSFORMS = {
    "exp": (lambda TM, s: [TM.ExpTransform()], POSITIVE),
    "sigmoid": (lambda TM, s: [TM.SigmoidTransform()], UNIT),
    "tanh": (lambda TM, s: [TM.TanhTransform()], S.grid(-0.9, 0.9)),
    "affine": (lambda TM, s: [TM.AffineTransform(1.0, -s)], REAL),
    "affine, exp": (lambda TM, s: [TM.AffineTransform(0.5, s), TM.ExpTransform()], POSITIVE),
    "affine event_dim=1": (lambda TM, s: [TM.AffineTransform(-1.0, s, event_dim=1)], REAL),
}


def _transformed(lib, name, loc, scale):
    return lib.distributions.TransformedDistribution(lib.distributions.Normal(loc, scale),
                                                     TRANSFORMS[name][0](lib.distributions.transforms, scale))


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
@given(data=st.data())
def test_transformed_distribution_matches_torch(name, data):
    torch = pytest.importorskip("torch")
    shape = data.draw(S.shapes(min_dims=1, max_dims=2, max_side=3))
    loc, scale = data.draw(S.arrays(shape, elements=REAL, unique=False)), data.draw(
        S.arrays(shape, elements=POSITIVE, unique=False))
    value = data.draw(S.arrays(shape, elements=TRANSFORMS[name][1], unique=False))
    results = []
    for lib in (minitorch, torch):
        leaves = [lib.tensor(loc, requires_grad=True), lib.tensor(scale, requires_grad=True)]
        d = _transformed(lib, name, *leaves)
        out = [d.log_prob(lib.tensor(value))]
        if "event_dim" not in name:
            out += [d.cdf(lib.tensor(value)), d.icdf(lib.tensor(np.full(shape, 0.3)))]
        sum((t * (i + 1)).sum() for i, t in enumerate(out)).backward()
        results.append([t.detach().numpy() for t in out + [leaf.grad for leaf in leaves]] +
                       [np.array(d.batch_shape), np.array(d.event_shape)])
    for ours, theirs in zip(*results):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
@given(data=st.data())
def test_transformed_distribution_gradcheck(name, data):
    shape = data.draw(S.shapes(min_dims=1, max_dims=2, max_side=3))
    leaves = [T(data.draw(S.arrays(shape, elements=REAL, unique=False)), requires_grad=True),
              T(data.draw(S.arrays(shape, elements=POSITIVE, unique=False)), requires_grad=True)]
    value = T(data.draw(S.arrays(shape, elements=TRANSFORMS[name][1], unique=False)))

    def draw(*ps):
        minitorch.manual_seed(0)
        return _transformed(minitorch, name, *ps).rsample((2,))

    assert gradcheck(lambda *ps: _transformed(minitorch, name, *ps).log_prob(value), leaves)
    assert gradcheck(draw, leaves)


def test_transforms_behave_as_in_pytorch():
    x = T([-1.0, 0.5])
    for t in (MT.ExpTransform(), MT.SigmoidTransform(), MT.TanhTransform(), MT.AffineTransform(1.0, 2.0)):
        np.testing.assert_allclose(t.inv(t(x)).numpy(), x.numpy(), rtol=1e-5)
        assert t.inv.inv is t and t.bijective and t.sign == 1
        assert t.inv.domain is t.codomain and t.inv.codomain is t.domain
    assert MT.ExpTransform() == MT.ExpTransform() and MT.ExpTransform() != MT.TanhTransform()
    assert repr(MT.ExpTransform().inv) == "_InverseTransform(ExpTransform())"
    assert repr(MT.TanhTransform().codomain) == "Interval(lower_bound=-1.0, upper_bound=1.0)"
    assert MT.AffineTransform(0.0, -2.0).sign == -1
    assert MT.AffineTransform(0.0, T([-2.0, 3.0])).sign.tolist() == [-1.0, 1.0]
    cached = MT.TanhTransform(cache_size=1)
    y = cached(T([30.0]))
    assert cached.inv(y).tolist() == [30.0]  # atanh(1.0) would be inf: the cache returns the input
    np.testing.assert_allclose(MT.ExpTransform().inv.log_abs_det_jacobian(T(1.0), T(0.0)).item(), -0.0)


@pytest.mark.parametrize("call, message", [
    (lambda: MT.ExpTransform(cache_size=2), "cache_size must be 0 or 1"),
    (lambda: D.TransformedDistribution(D.Normal(0.0, 1.0), [3]), "transforms must be a Transform or a list"),
    (lambda: D.TransformedDistribution(D.Normal(0.0, 1.0), MT.ExpTransform()).log_prob(T(-1.0)),
     r"within the support \(GreaterThan\(lower_bound=0.0\)\)"),
])
def test_transform_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_transformed_distribution_shapes_repr_and_sampling():
    d = D.TransformedDistribution(D.Normal(T([0.0, 1.0]), 0.5), [MT.ExpTransform()])
    assert repr(d) == "TransformedDistribution()" and d.has_rsample and repr(d.support) == "GreaterThan(lower_bound=0.0)"
    assert d.sample((3,)).shape == (3, 2) and bool((d.sample((3,)) > 0).all())
    assert d.expand((4, 2)).sample().shape == (4, 2)
    v = D.TransformedDistribution(D.Normal(T([0.0, 1.0]), 0.5), [MT.AffineTransform(0.0, 2.0, event_dim=1)])
    assert v.batch_shape == () and v.event_shape == (2,) and v.log_prob(T([0.0, 1.0])).shape == ()
    assert repr(v.support) == "IndependentConstraint(Real(), 1)"
    minitorch.manual_seed(0)
    x = D.TransformedDistribution(D.Normal(0.0, 0.5), [MT.ExpTransform()]).sample((20000,)).double()
    assert abs(x.mean().item() - math.exp(0.125)) < 0.02


# ----- MixtureSameFamily -----

@st.composite
def mixture_parameters(draw):
    """Weights (batch + (k,)), component locs and scales (batch + (k,) + (event,)), an event size or None."""
    batch = draw(S.shapes(max_dims=1, max_side=2))
    k, event = draw(st.integers(1, 3)), draw(st.sampled_from([None, 2]))
    comp = batch + (k,) + ((event,) if event else ())
    return (draw(S.arrays(batch + (k,), elements=POSITIVE, unique=False)),
            draw(S.arrays(comp, elements=REAL, unique=False)), draw(S.arrays(comp, elements=POSITIVE, unique=False)),
            event)


def _mixture(lib, weights, loc, scale, event):
    D = lib.distributions
    comp = D.Normal(loc, scale)
    return D.MixtureSameFamily(D.Categorical(weights), D.Independent(comp, 1) if event else comp)


@given(data=st.data())
def test_mixture_matches_torch(data):
    torch = pytest.importorskip("torch")
    weights, loc, scale, event = data.draw(mixture_parameters())
    value_shape = (2,) + weights.shape[:-1] + ((event,) if event else ())
    value = data.draw(S.arrays(value_shape, elements=REAL, unique=False))
    results = []
    for lib in (minitorch, torch):
        leaves = [lib.tensor(a, requires_grad=True) for a in (weights, loc, scale)]
        d = _mixture(lib, *leaves, event)
        out = [d.log_prob(lib.tensor(value)), d.mean, d.variance] + ([] if event else [d.cdf(lib.tensor(value))])
        sum((t * (i + 1)).sum() for i, t in enumerate(out)).backward()
        results.append([t.detach().numpy() for t in out + [leaf.grad for leaf in leaves]])
    for ours, theirs in zip(*results):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


@given(data=st.data())
def test_mixture_log_prob_gradcheck(data):
    weights, loc, scale, event = data.draw(mixture_parameters())
    leaves = [T(a, requires_grad=True) for a in (weights, loc, scale)]
    value = T(np.zeros(weights.shape[:-1] + ((event,) if event else ())) + 0.3)
    assert gradcheck(lambda *ps: _mixture(minitorch, *ps, event).log_prob(value), leaves)


def test_mixture_samples_shapes_statistics_and_repr():
    gmm = D.MixtureSameFamily(D.Categorical(T([0.3, 0.7])), D.Normal(T([-2.0, 2.0]), T([0.5, 1.0])))
    minitorch.manual_seed(0)
    x = gmm.sample((20000,)).double()
    assert abs(x.mean().item() - gmm.mean.item()) < 0.05 and abs(x.var().item() / gmm.variance.item() - 1) < 0.05
    vec = D.MixtureSameFamily(D.Categorical(minitorch.ones(4, 3)), D.Independent(D.Normal(minitorch.zeros(4, 3, 2),
                                                                                           1.0), 1))
    assert vec.batch_shape == (4,) and vec.event_shape == (2,)
    assert vec.sample((5,)).shape == (5, 4, 2) and vec.log_prob(vec.sample((5,))).shape == (5, 4)
    assert vec.expand((6, 4)).sample().shape == (6, 4, 2)
    assert not gmm.has_rsample
    assert repr(gmm).startswith("MixtureSameFamily(\n  Categorical(probs: minitorch.Size([2])")


@pytest.mark.parametrize("call, message", [
    (lambda: D.MixtureSameFamily(D.Normal(0.0, 1.0), D.Normal(minitorch.zeros(3), 1.0)), "instance of .*Categorical"),
    (lambda: D.MixtureSameFamily(D.Categorical(minitorch.ones(3)), 3), "instance of .*Distribution"),
    (lambda: D.MixtureSameFamily(D.Categorical(minitorch.ones(2)), D.Normal(minitorch.zeros(3), 1.0)),
     r"\(2\) does not equal `component_distribution.batch_shape\[-1\]` \(3\)"),
    (lambda: D.MixtureSameFamily(D.Categorical(minitorch.ones(2, 3)), D.Normal(minitorch.zeros(4, 3), 1.0)),
     "is not compatible"),
])
def test_mixture_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ----- relaxed distributions -----

RELAXED = {"RelaxedBernoulli": ("relaxed_bernoulli", False), "LogitRelaxedBernoulli": ("relaxed_bernoulli", False),
           "RelaxedOneHotCategorical": ("relaxed_categorical", True),
           "ExpRelaxedCategorical": ("relaxed_categorical", True)}


def _relaxed(lib, name, temperature, logits):
    cls = getattr(importlib.import_module(lib.__name__ + ".distributions." + RELAXED[name][0]), name)
    return cls(temperature, logits=logits)


def _relaxed_value(name, u):
    """A value in the support from numbers in (0, 1): normalized onto the simplex, logs or logits as needed."""
    v = u / u.sum(-1, keepdims=True) if RELAXED[name][1] else u
    return np.log(v) if name.startswith("Exp") else np.log(v) - np.log1p(-v) if name.startswith("Logit") else v


@pytest.mark.parametrize("name", sorted(RELAXED))
@given(data=st.data())
def test_relaxed_log_prob_matches_torch_and_gradchecks(name, data):
    torch = pytest.importorskip("torch")
    shape = data.draw(S.shapes(min_dims=1, max_dims=2, max_side=3))
    logits = data.draw(S.arrays(shape, elements=REAL, unique=False))
    temperature = data.draw(S.arrays((), elements=POSITIVE))
    value = _relaxed_value(name, data.draw(S.arrays(shape, elements=UNIT, unique=False)))
    results = []
    for lib in (minitorch, torch):
        leaves = [lib.tensor(temperature, requires_grad=True), lib.tensor(logits, requires_grad=True)]
        lp = _relaxed(lib, name, *leaves).log_prob(lib.tensor(value))
        lp.sum().backward()
        results.append([lp.detach().numpy()] + [leaf.grad.numpy() for leaf in leaves])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    leaves = [T(temperature, requires_grad=True), T(logits, requires_grad=True)]

    def draw(*ps):
        minitorch.manual_seed(0)
        return _relaxed(minitorch, name, *ps).rsample((2,))

    assert gradcheck(lambda *ps: _relaxed(minitorch, name, *ps).log_prob(T(value)), leaves)
    assert gradcheck(draw, leaves)


def test_relaxed_samples_shapes_and_low_temperature():
    d = D.RelaxedOneHotCategorical(T(0.05), logits=T([[0.0, 1.0, 2.0], [2.0, 0.0, 0.0]]))
    assert d.batch_shape == (2,) and d.event_shape == (3,) and repr(d) == "RelaxedOneHotCategorical()"
    minitorch.manual_seed(0)
    x = d.rsample((2000,))
    assert x.shape == (2000, 2, 3)
    np.testing.assert_allclose(x.sum(-1).numpy(), 1.0, rtol=1e-5)
    assert float((x.max(-1)[0] > 0.9).float().mean()) > 0.9  # nearly one-hot
    np.testing.assert_allclose(x.mean(0).numpy(), D.Categorical(logits=d.logits).probs.numpy(), atol=0.05)
    b = D.RelaxedBernoulli(0.5, probs=T([0.2, 0.8]))
    assert b.temperature.dtype == minitorch.float32 and b.sample((4,)).shape == (4, 2)
    assert bool(((b.sample((100,)) > 0) & (b.sample((100,)) < 1)).all())
    assert b.expand((3, 2)).rsample().shape == (3, 2)


@pytest.mark.parametrize("module", ["transforms", "transformed_distribution", "mixture_same_family",
                                    "relaxed_bernoulli", "relaxed_categorical"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module("minitorch.distributions." + module),
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_cuda_gives_the_cpu_numbers():
    on = {}
    for device in ("cpu", "cuda"):
        loc, scale = T([0.0, 1.0], device=device), T([1.0, 2.0], device=device)
        gmm = D.MixtureSameFamily(D.Categorical(T([0.3, 0.7], device=device)), D.Normal(loc, scale))
        squashed = D.TransformedDistribution(D.Normal(loc, scale), [MT.TanhTransform(), MT.AffineTransform(1.0, 2.0)])
        relaxed = D.RelaxedOneHotCategorical(T(0.5, device=device), logits=loc)
        minitorch.manual_seed(5)
        draws = [gmm.sample((3,)), squashed.rsample((2,)), relaxed.rsample((2,))]
        assert all(x.device == device for x in draws)
        half = T([0.5, 0.25], device=device)
        values = draws + [gmm.log_prob(half), gmm.mean, gmm.variance, squashed.log_prob(half),
                          relaxed.log_prob(T([0.4, 0.6], device=device))]
        on[device] = [v.cpu().numpy() for v in values]
    for cpu, cuda in zip(on["cpu"], on["cuda"]):
        np.testing.assert_allclose(cuda, cpu, rtol=1e-5)
