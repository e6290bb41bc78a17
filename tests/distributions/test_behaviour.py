"""The distributions' behaviour: sample shapes, dtypes and statistics, seeding, validation errors,
repr, expand, Independent, enumerate_support, the KL registry, a REINFORCE and a VAE step against
PyTorch's gradients, and the cuda device giving the CPU's numbers."""
import doctest
import importlib
import math
import warnings

import numpy as np
import pytest

import minitorch
import minitorch.distributions as D
import minitorch.nn.functional as F
from minitorch.distributions import constraints

T = minitorch.tensor
BATCH = T([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])  # batch shape (3, 2)
MAKERS = {  # distribution with batch shape (3, 2): its event shape
    "Normal": (lambda: D.Normal(BATCH, 1.0), ()),
    "LogNormal": (lambda: D.LogNormal(BATCH, 0.5), ()),
    "Laplace": (lambda: D.Laplace(BATCH, 2.0), ()),
    "Exponential": (lambda: D.Exponential(BATCH), ()),
    "Uniform": (lambda: D.Uniform(BATCH, BATCH + 1), ()),
    "Bernoulli": (lambda: D.Bernoulli(BATCH), ()),
    "Categorical": (lambda: D.Categorical(BATCH.unsqueeze(-1).expand(3, 2, 4)), ()),
    "OneHotCategorical": (lambda: D.OneHotCategorical(logits=BATCH.unsqueeze(-1).expand(3, 2, 4)), (4,)),
    "Independent": (lambda: D.Independent(D.Normal(BATCH.unsqueeze(0), 1.0), 1), (2,)),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_sample_shapes_dtypes_and_log_prob_shapes(name):
    make, event_shape = MAKERS[name]
    d = make()
    batch_shape = (1, 3) if name == "Independent" else (3, 2)
    assert d.batch_shape == batch_shape and d.event_shape == event_shape
    for sample_shape in [(), (5,), (2, 1)]:
        x = d.sample(sample_shape)
        assert x.shape == sample_shape + batch_shape + event_shape
        assert x.dtype == (minitorch.int64 if name == "Categorical" else minitorch.float32)
        assert not x.requires_grad
        assert d.log_prob(x).shape == sample_shape + batch_shape
    assert d.entropy().shape == batch_shape
    expanded = d.expand((4,) + batch_shape)
    assert expanded.sample().shape == (4,) + batch_shape + event_shape
    assert expanded.log_prob(d.sample()).shape == (4,) + batch_shape


def test_rsample_carries_the_gradient_and_sample_does_not():
    loc, scale = T([0.0, 1.0], requires_grad=True), T([1.0, 2.0], requires_grad=True)
    d = D.Normal(loc, scale)
    assert not d.sample().requires_grad
    d.rsample((3,)).sum().backward()
    np.testing.assert_allclose(loc.grad.numpy(), [3.0, 3.0])
    assert scale.grad.shape == (2,)


@pytest.mark.parametrize("make, mean, var", [
    (lambda: D.Normal(2.0, 3.0), 2.0, 9.0),
    (lambda: D.LogNormal(0.0, 0.5), math.exp(0.125), math.expm1(0.25) * math.exp(0.25)),
    (lambda: D.Laplace(-1.0, 0.5), -1.0, 0.5),
    (lambda: D.Exponential(4.0), 0.25, 1 / 16),
    (lambda: D.Uniform(-1.0, 3.0), 1.0, 16 / 12),
    (lambda: D.Bernoulli(0.3), 0.3, 0.21),
    (lambda: D.Categorical(T([0.1, 0.2, 0.7])), 1.6, 0.44),
])
def test_sample_statistics(make, mean, var):
    minitorch.manual_seed(0)
    x = make().sample((20000,)).double()
    assert abs(x.mean().item() - mean) < 4 * math.sqrt(var / 20000)
    assert abs(x.var().item() / var - 1) < 0.1


def test_a_seed_repeats_the_samples():
    d = D.Categorical(logits=T([[0.0, 1.0, 2.0]]))
    minitorch.manual_seed(3)
    first = d.sample((10,)).tolist(), D.Normal(0.0, 1.0).rsample((4,)).tolist()
    minitorch.manual_seed(3)
    assert (d.sample((10,)).tolist(), D.Normal(0.0, 1.0).rsample((4,)).tolist()) == first


def test_parameters_are_normalised_as_in_pytorch():
    c = D.Categorical(T([1.0, 1.0, 2.0]))
    np.testing.assert_allclose(c.probs.numpy(), [0.25, 0.25, 0.5])
    logits = T([1.0, 2.0, 3.0])
    np.testing.assert_allclose(D.Categorical(logits=logits).logits.numpy(),
                               (logits - logits.logsumexp(-1)).numpy(), rtol=1e-6)
    assert D.Bernoulli(0.5).probs.item() == 0.5 and D.Bernoulli(logits=0.0).probs.item() == 0.5


def test_categorical_log_prob_broadcasts_values_against_the_batch():
    d = D.Categorical(T([[0.2, 0.8], [0.5, 0.5], [0.1, 0.9]]))
    out = d.log_prob(T([[0], [1]]))
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out.numpy(), np.log([[0.2, 0.5, 0.1], [0.8, 0.5, 0.9]]), rtol=1e-6)


def test_repr_and_constraints_print_as_in_pytorch():
    assert repr(D.Categorical(T([0.2, 0.8]))) == "Categorical(probs: minitorch.Size([2]))"
    assert repr(D.Normal(0.0, 1.0)) == "Normal(loc: 0.0, scale: 1.0)"
    assert repr(D.Independent(D.Bernoulli(T([0.5, 0.5])), 1)) == "Independent(Bernoulli(probs: minitorch.Size([2])), 1)"
    assert repr(constraints.positive) == "GreaterThan(lower_bound=0.0)"
    assert repr(constraints.real_vector) == "IndependentConstraint(Real(), 1)"
    assert repr(D.Categorical(T([0.2, 0.8])).support) == "IntegerInterval(lower_bound=0, upper_bound=1)"
    assert repr(D.Uniform.support) == "DependentProperty()"


@pytest.mark.parametrize("call, message", [
    (lambda: D.Normal(0.0, -1.0), r"Expected parameter scale \(Tensor of shape \(\)\) of distribution Normal\(loc: "
                                  r"0.0, scale: -1.0\) to satisfy the constraint GreaterThan\(lower_bound=0.0\)"),
    (lambda: D.Categorical(T([0.5, -0.5, 1.0])), "to satisfy the constraint Simplex()"),
    (lambda: D.Bernoulli(T(1.5)), r"constraint Interval\(lower_bound=0.0, upper_bound=1.0\)"),
    (lambda: D.Uniform(1.0, 0.0), r"Expected parameter low .* LessThan\(upper_bound=0.0\)"),
    (lambda: D.Categorical(T([0.5]), T([0.5])), "Either `probs` or `logits` must be specified, but not both"),
    (lambda: D.Categorical(T(0.5)), "`probs` parameter must be at least one-dimensional"),
    (lambda: D.Normal([0.0], 1.0), "Input arguments must all be instances of numbers.Number or Tensor"),
    (lambda: D.Categorical(T([0.5, 0.5])).log_prob(T(2)), r"to be within the support \(IntegerInterval"),
    (lambda: D.Exponential(1.0).log_prob(T(-1.0)), r"within the support \(GreaterThanEq\(lower_bound=0.0\)\)"),
    (lambda: D.Bernoulli(0.3).log_prob(T(0.5)), r"within the support \(Boolean\(\)\)"),
    (lambda: D.Normal(0.0, 1.0).log_prob(1.0), "The value argument to log_prob must be a Tensor"),
    (lambda: D.Normal(T([0.0, 1.0]), 1.0).log_prob(T([1.0, 2.0, 3.0])), "Value is not broadcastable"),
    (lambda: D.OneHotCategorical(T([0.5, 0.5])).log_prob(T([1.0, 0.0, 0.0])), "right-most size of value must match"),
    (lambda: D.Independent(D.Normal(T([0.0]), 1.0), 2), r"Expected reinterpreted_batch_ndims <= len"),
    (lambda: D.Distribution.set_default_validate_args(3), "value must be True or False"),
])
def test_validation_errors_are_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_validation_can_be_switched_off():
    assert D.Normal(0.0, -1.0, validate_args=False).scale.item() == -1.0
    assert D.Uniform(0.0, 1.0, validate_args=False).log_prob(T(2.0)).item() == -math.inf
    D.Distribution.set_default_validate_args(False)
    try:
        assert D.Exponential(-1.0).rate.item() == -1.0
    finally:
        D.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        D.Exponential(-1.0)


def test_other_errors():
    with pytest.raises(TypeError, match="Categorical: `probs` must be a Tensor, got list"):
        D.Categorical([0.5, 0.5])
    with pytest.raises(NotImplementedError, match="Categorical has no reparameterized sampler"):
        D.Categorical(T([0.5, 0.5])).rsample()
    with pytest.raises(NotImplementedError, match="Enumeration over cartesian product"):
        D.Independent(D.Bernoulli(T([0.5])), 1).enumerate_support()
    with pytest.raises(TypeError, match="Expected type_p to be a Distribution subclass"):
        D.register_kl(int, D.Normal)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        assert D.Normal(0.0, 1.0).sample_n(3).shape == (3,)


def test_enumerate_support():
    d = D.Categorical(T([[0.2, 0.8], [0.5, 0.5], [0.1, 0.9]]))
    assert d.enumerate_support().tolist() == [[0, 0, 0], [1, 1, 1]]
    assert d.enumerate_support(expand=False).shape == (2, 1)
    assert D.Bernoulli(T([0.2, 0.8])).enumerate_support().tolist() == [[0.0, 0.0], [1.0, 1.0]]
    assert D.OneHotCategorical(T([0.2, 0.8])).enumerate_support().tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_independent_sums_over_the_reinterpreted_dims():
    base = D.Normal(T([[0.0, 1.0, 2.0]]), T([1.0, 2.0, 3.0]))
    d = D.Independent(base, 1)
    x = T([[0.5, 0.5, 0.5]])
    np.testing.assert_allclose(d.log_prob(x).numpy(), base.log_prob(x).sum(-1).numpy(), rtol=1e-6)
    np.testing.assert_allclose(d.entropy().numpy(), base.entropy().sum(-1).numpy(), rtol=1e-6)
    assert d.has_rsample and not d.has_enumerate_support
    assert d.support.event_dim == 1


def test_kl_registry_picks_the_most_specific_pair_and_refuses_a_missing_one():
    class MyNormal(D.Normal):
        """A subclass: KL(Normal || Normal) applies to it until it registers its own."""

    p, q = MyNormal(0.0, 1.0), D.Normal(1.0, 1.0)
    assert D.kl_divergence(p, q).item() == pytest.approx(0.5)
    D.register_kl(MyNormal, D.Normal)(lambda p, q: minitorch.tensor(7.0))
    assert D.kl_divergence(p, q).item() == 7.0
    assert D.kl_divergence(D.Normal(0.0, 1.0), q).item() == pytest.approx(0.5)
    with pytest.raises(NotImplementedError, match=r"No KL\(p \|\| q\) is implemented for p type Normal and q"):
        D.kl_divergence(D.Normal(0.0, 1.0), D.Bernoulli(0.5))


def _policy_gradient(lib, weight, states, actions, returns):
    """A REINFORCE step with an entropy bonus, written as PyTorch's examples write it."""
    w = lib.tensor(weight, requires_grad=True)
    probs = lib.nn.functional.softmax(lib.tensor(states) @ w, dim=1)
    m = lib.distributions.Categorical(probs)
    loss = (-m.log_prob(lib.tensor(actions)) * lib.tensor(returns)).sum() - 0.01 * m.entropy().sum()
    loss.backward()
    return loss.item(), w.grad.numpy()


def test_reinforce_step_matches_torch_given_the_same_actions():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    weight, states, returns = rng.standard_normal((4, 3)), rng.standard_normal((5, 4)), rng.standard_normal(5)
    minitorch.manual_seed(0)
    actions = D.Categorical(logits=T(states) @ T(weight)).sample().numpy()
    ours, theirs = _policy_gradient(minitorch, weight, states, actions, returns), \
        _policy_gradient(torch, weight, states, actions, returns)
    assert ours[0] == pytest.approx(theirs[0], rel=1e-10)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-10)


def _vae_loss(lib, mu, log_var, x, eps):
    """A VAE's loss: the reparameterized code through a decoder, and the KL to N(0, I), as PyTorch code writes it."""
    D_ = lib.distributions
    mu, log_var = lib.tensor(mu, requires_grad=True), lib.tensor(log_var, requires_grad=True)
    q = D_.Independent(D_.Normal(mu, (0.5 * log_var).exp()), 1)
    z = mu + (0.5 * log_var).exp() * lib.tensor(eps)  # rsample with the same noise in both libraries
    recon = D_.Independent(D_.Bernoulli(logits=z), 1).log_prob(lib.tensor(x))
    prior = D_.Independent(D_.Normal(lib.zeros_like(mu), lib.ones_like(mu)), 1)
    loss = (D_.kl_divergence(q, prior) - recon).mean()
    loss.backward()
    return loss.item(), mu.grad.numpy(), log_var.grad.numpy()


def test_vae_step_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    args = rng.standard_normal((4, 3)), rng.standard_normal((4, 3)), rng.integers(0, 2, (4, 3)).astype(float), \
        rng.standard_normal((4, 3))
    for ours, theirs in zip(_vae_loss(minitorch, *args), _vae_loss(torch, *args)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_one_hot_sample_and_mode():
    d = D.OneHotCategorical(T([[0.1, 0.9], [0.8, 0.2]]))
    assert d.mode.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    assert F.one_hot(d.sample((50,)).argmax(-1), 2).sum(-1).eq(1).all()


def test_cuda_gives_the_cpu_numbers():
    on = {}
    for device in ("cpu", "cuda"):
        loc, scale = T([0.0, 1.0], device=device), T([1.0, 2.0], device=device)
        normal = D.Normal(loc, scale)
        cat = D.Categorical(logits=T([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]], device=device))
        minitorch.manual_seed(5)
        draws = [normal.rsample((3,)), cat.sample((4,))]
        assert all(x.device == device for x in draws)
        values = draws + [normal.log_prob(T([0.5, 0.5], device=device)), normal.entropy(), cat.entropy(),
                          cat.log_prob(T([0, 2], device=device)), D.kl_divergence(normal, D.Normal(loc + 1, scale))]
        on[device] = [v.cpu().numpy() for v in values]
    for cpu, cuda in zip(on["cpu"], on["cuda"]):
        np.testing.assert_allclose(cuda, cpu, rtol=1e-6)


@pytest.mark.parametrize("module", ["__init__", "constraints", "utils", "distribution", "normal", "categorical",
                                    "bernoulli", "uniform", "exponential", "laplace", "independent", "kl"])
def test_docstring_examples_run(module):
    name = "minitorch.distributions" + ("" if module == "__init__" else "." + module)
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
