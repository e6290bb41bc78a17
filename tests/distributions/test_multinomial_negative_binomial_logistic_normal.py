"""Multinomial, NegativeBinomial and LogisticNormal: log_prob, entropy and moments with their gradients against
PyTorch's on hypothesis-drawn float64 parameters, float64 gradchecks, sample statistics, validation, expand,
repr, the docstring examples and the cuda device."""
import doctest
import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.distributions as D
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

T = minitorch.tensor


@st.composite
def multinomial_case(draw):
    """(probabilities or logits, counts summing to n, n, whether logits)."""
    batch = draw(S.shapes(max_dims=1, max_side=3))
    k = draw(st.integers(2, 4))
    n = draw(st.integers(1, 5))
    param = draw(S.arrays(batch + (k,), elements=S.grid(0.1, 2), unique=False))
    cuts = np.sort(np.array(draw(st.lists(st.integers(0, n), min_size=k - 1, max_size=k - 1))))
    counts = np.diff(np.concatenate([[0], cuts, [n]])).astype(np.float64)
    return param, np.broadcast_to(counts, batch + (k,)).copy(), n, draw(st.booleans())


def _multinomial(lib, case):
    param, counts, n, logits = case
    leaf = lib.tensor(param, requires_grad=True)
    d = lib.distributions.Multinomial(n, logits=leaf) if logits else lib.distributions.Multinomial(n, probs=leaf)
    out = [d.log_prob(lib.tensor(counts)), d.entropy(), d.mean, d.variance]
    sum((t * (1 + lib.arange(t.numel(), dtype=t.dtype).reshape(t.shape) % 3)).sum() for t in out).backward()
    return [t.detach().numpy() for t in out] + [leaf.grad.numpy()]


@given(case=multinomial_case())
def test_multinomial_matches_torch(case):
    torch = pytest.importorskip("torch")
    for ours, theirs in zip(_multinomial(minitorch, case), _multinomial(torch, case)):
        # PyTorch's entropy takes lgamma(n + 1) of an integer tensor, in float32: ~1e-9 off
        np.testing.assert_allclose(ours, theirs, rtol=1e-7, atol=1e-12)


@given(case=multinomial_case())
def test_multinomial_gradcheck(case):
    param, counts, n, logits = case
    make = (lambda p: D.Multinomial(n, logits=p)) if logits else (lambda p: D.Multinomial(n, probs=p))
    leaf = T(param, requires_grad=True)
    assert gradcheck(lambda p: make(p).log_prob(T(counts)), [leaf])
    assert gradcheck(lambda p: make(p).entropy(), [leaf])


@st.composite
def negative_binomial_case(draw):
    shape = draw(S.shapes(max_dims=2, max_side=3))
    total = draw(S.arrays(shape, elements=S.grid(0.25, 5), unique=False))
    use_logits = draw(st.booleans())
    param = draw(S.arrays(shape, elements=S.grid(-2, 2) if use_logits else S.grid(0.05, 0.95), unique=False))
    value = draw(S.arrays(shape, elements=st.sampled_from([0.0, 1.0, 2.0, 7.0]), unique=False))
    return total, param, use_logits, value


def _negative_binomial(lib, case):
    total, param, use_logits, value = case
    leaves = [lib.tensor(total, requires_grad=True), lib.tensor(param, requires_grad=True)]
    d = lib.distributions.NegativeBinomial(leaves[0], **{"logits" if use_logits else "probs": leaves[1]})
    out = [d.log_prob(lib.tensor(value)), d.mean, d.variance, d.mode]
    sum((t * (1 + lib.arange(t.numel(), dtype=t.dtype).reshape(t.shape) % 3)).sum() for t in out[:3]).backward()
    return [t.detach().numpy() for t in out] + [leaf.grad.numpy() for leaf in leaves]


@given(case=negative_binomial_case())
def test_negative_binomial_matches_torch(case):
    torch = pytest.importorskip("torch")
    for ours, theirs in zip(_negative_binomial(minitorch, case), _negative_binomial(torch, case)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


@given(case=negative_binomial_case())
def test_negative_binomial_gradcheck(case):
    total, param, use_logits, value = case
    leaves = [T(total, requires_grad=True), T(param, requires_grad=True)]
    assert gradcheck(lambda r, p: D.NegativeBinomial(r, **{"logits" if use_logits else "probs": p}).log_prob(T(value)),
                     leaves)


@st.composite
def logistic_normal_case(draw):
    shape = draw(S.shapes(min_dims=1, max_dims=2, max_side=3))
    loc = draw(S.arrays(shape, elements=S.grid(-2, 2), unique=False))
    scale = draw(S.arrays(shape, elements=S.grid(0.3, 2), unique=False))
    x = draw(S.arrays(shape[:-1] + (shape[-1] + 1,), elements=S.grid(0.1, 2), unique=False))
    return loc, scale, x / x.sum(-1, keepdims=True)


def _logistic_normal(lib, case):
    loc, scale, value = case
    leaves = [lib.tensor(loc, requires_grad=True), lib.tensor(scale, requires_grad=True)]
    d = lib.distributions.LogisticNormal(*leaves)
    log_prob = d.log_prob(lib.tensor(value))
    log_prob.sum().backward()
    return [log_prob.detach().numpy(), tuple(d.batch_shape), tuple(d.event_shape)] + [leaf.grad.numpy() for leaf in leaves]


@given(case=logistic_normal_case())
def test_logistic_normal_matches_torch_and_gradchecks(case):
    loc, scale, value = case
    assert gradcheck(lambda m, s: D.LogisticNormal(m, s).log_prob(T(value)), [T(loc, requires_grad=True),
                                                                               T(scale, requires_grad=True)])
    torch = pytest.importorskip("torch")
    for ours, theirs in zip(_logistic_normal(minitorch, case), _logistic_normal(torch, case)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_binomial_log_prob_gradient_at_even_odds():
    """d/dp sum_k log p(k) = sum_k k / p - (n - k) / (1 - p): 0 at p = 1/2 (the Multinomial's entropy uses it)."""
    p = T([0.5, 0.3], dtype=minitorch.float64, requires_grad=True)
    d = D.Binomial(2, p)
    d.log_prob(d.enumerate_support(expand=False)).sum().backward()
    np.testing.assert_allclose(p.grad.numpy(), [0.0, 3 / 0.3 - 3 / 0.7], atol=1e-12)


def test_sample_statistics():
    minitorch.manual_seed(0)
    p = T([0.2, 0.3, 0.5])
    x = D.Multinomial(10, p).sample((20000,))
    assert x.shape == (20000, 3) and bool((x.sum(-1) == 10).all())
    np.testing.assert_allclose(x.mean(0).numpy(), [2.0, 3.0, 5.0], atol=0.05)
    np.testing.assert_allclose(x.var(0).numpy(), [1.6, 2.1, 2.5], rtol=0.05)
    d = D.NegativeBinomial(T([3.0, 0.5]), T([0.4, 0.7]))
    y = d.sample((40000,))
    np.testing.assert_allclose(y.mean(0).numpy(), d.mean.numpy(), rtol=0.03)
    np.testing.assert_allclose(y.var(0).numpy(), d.variance.numpy(), rtol=0.06)
    z = D.LogisticNormal(T([0.0, 1.0]), T([1.0, 0.5])).rsample((5,))
    assert z.shape == (5, 3) and bool(D.constraints.simplex.check(z).all())


def test_validation_expand_and_errors():
    with pytest.raises(NotImplementedError, match="inhomogeneous total_count"):
        D.Multinomial(T(3), T([0.5, 0.5]))
    with pytest.raises(ValueError, match="within the support"):
        D.Multinomial(3, T([0.5, 0.5])).log_prob(T([3.0, 1.0]))
    with pytest.raises(ValueError, match="to satisfy the constraint"):
        D.NegativeBinomial(-1.0, T(0.5))
    big = D.Multinomial(3, T([0.5, 0.5])).expand((4,))
    assert big.batch_shape == (4,) and big.sample().shape == (4, 2) and big.entropy().shape == (4,)
    nb = D.NegativeBinomial(2.0, T([0.3])).expand((2, 1))
    assert nb.sample().shape == (2, 1) and nb.log_prob(T(1.0)).shape == (2, 1)
    ln = D.LogisticNormal(T([0.0, 1.0]), 1.0).expand((3,))
    assert ln.batch_shape == (3,) and ln.event_shape == (3,) and ln.sample().shape == (3, 3)
    assert D.LogisticNormal(0.0, 1.0).event_shape == (2,)


def test_repr_as_in_pytorch():
    torch = pytest.importorskip("torch")
    for make in (lambda D, t: D.Multinomial(3, t.tensor([0.5, 0.5])), lambda D, t: D.NegativeBinomial(2.0, t.tensor(0.5)),
                 lambda D, t: D.LogisticNormal(t.tensor([0.0]), 1.0)):
        assert repr(make(D, minitorch)) == repr(make(torch.distributions, torch))


@pytest.mark.parametrize("module", ["multinomial", "negative_binomial", "logistic_normal"])
def test_docstring_examples(module):
    assert doctest.testmod(importlib.import_module(f"minitorch.distributions.{module}")).failed == 0


def test_cuda_gives_the_cpu_numbers():
    on = {}
    for device in ("cpu", "cuda"):
        p = T([0.2, 0.3, 0.5], dtype=minitorch.float64, device=device, requires_grad=True)
        r = T([2.0, 3.0, 0.5], dtype=minitorch.float64, device=device, requires_grad=True)
        counts = T([1.0, 0.0, 2.0], dtype=minitorch.float64, device=device)
        values = [D.Multinomial(3, p).log_prob(counts), D.Multinomial(3, p).entropy(),
                  D.NegativeBinomial(r, p).log_prob(counts).sum(),
                  D.LogisticNormal(p[:2], r[:2]).log_prob(p.detach())]
        sum(values).backward()
        on[device] = [v.detach().cpu().numpy() for v in values] + [p.grad.cpu().numpy(), r.grad.cpu().numpy()]
    for cpu, cuda in zip(on["cpu"], on["cuda"]):
        np.testing.assert_allclose(cuda, cpu, rtol=1e-10)
