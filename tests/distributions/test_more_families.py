"""Gamma, Chi2, Beta, Dirichlet, Poisson and MultivariateNormal: values and gradients against PyTorch's on
hypothesis-drawn float64 parameters, float64 gradchecks, KL pairs, sample statistics, validation, repr,
expand, the docstring examples and the cuda device giving the CPU's numbers."""
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
REAL = S.grid(-3, 3)
POSITIVE = S.grid(0.25, 3)
UNIT = S.grid(0.05, 0.95)
COUNT = st.sampled_from([0.0, 1.0, 2.0, 5.0])
TOL = {"rtol": 1e-8, "atol": 2e-8}  # PyTorch's float64 trigamma (in entropy gradients) is off by ~1e-9 (mpmath)

# name: (make(lib distributions module, *parameter tensors), parameter domains, value domain, vector, entropy)
FAMILIES = {
    "Gamma": (lambda D, a, b: D.Gamma(a, b), (POSITIVE, POSITIVE), POSITIVE, False, True),
    "Chi2": (lambda D, df: D.Chi2(df), (POSITIVE,), POSITIVE, False, True),
    "Beta": (lambda D, a, b: D.Beta(a, b), (POSITIVE, POSITIVE), UNIT, False, True),
    "Dirichlet": (lambda D, a: D.Dirichlet(a), (POSITIVE,), UNIT, True, True),
    "Poisson": (lambda D, rate: D.Poisson(rate), (POSITIVE,), COUNT, False, False),
    "Binomial": (lambda D, p: D.Binomial(5, p), (UNIT,), COUNT, False, True),
    "BinomialLogits": (lambda D, logits: D.Binomial(5, logits=logits), (REAL,), COUNT, False, True),
    "Geometric": (lambda D, p: D.Geometric(p), (UNIT,), COUNT, False, True),
    "GeometricLogits": (lambda D, logits: D.Geometric(logits=logits), (REAL,), COUNT, False, True),
    "StudentT": (lambda D, df, loc, scale: D.StudentT(df, loc, scale), (POSITIVE, REAL, POSITIVE), REAL, False, True),
}
KL_PAIRS = ["Gamma", "Beta", "Dirichlet", "Poisson", "Geometric", "Binomial"]


@st.composite
def parameters(draw, name):
    """float64 parameter arrays of one batch shape (with a last dim K >= 2 for Dirichlet)."""
    vector, domains = FAMILIES[name][3], FAMILIES[name][1]
    shape = draw(S.shapes(min_dims=1 if vector else 0, max_dims=2, max_side=3))
    if vector:
        shape = shape[:-1] + (max(shape[-1], 2),)
    return [draw(S.arrays(shape, elements=domain, unique=False)) for domain in domains]


@st.composite
def values(draw, name, shape):
    """float64 values in the family's support (normalized onto the simplex for Dirichlet)."""
    value = draw(S.arrays(shape, elements=FAMILIES[name][2], unique=False))
    return value / value.sum(-1, keepdims=True) if FAMILIES[name][3] else value


def _results(lib, name, params, value):
    """log_prob, entropy, mean, mode and variance, with the gradients of their weighted sum."""
    make, _, _, _, has_entropy = FAMILIES[name]
    leaves = [lib.tensor(p, requires_grad=True) for p in params]
    d = make(lib.distributions, *leaves)
    out = {"log_prob": d.log_prob(lib.tensor(value)), "mean": d.mean, "mode": d.mode, "variance": d.variance}
    if has_entropy:
        out["entropy"] = d.entropy()
    backward_of_weighted_sum(lib, out.values())
    out.update({f"grad {k}": p.grad for k, p in enumerate(leaves)})
    return {k: v.detach().numpy() for k, v in out.items()}


@pytest.mark.parametrize("name", sorted(FAMILIES))
@given(data=st.data())
def test_values_and_gradients_match_torch(name, data):
    torch = pytest.importorskip("torch")
    params = data.draw(parameters(name))
    value = data.draw(values(name, params[0].shape))
    ours, theirs = _results(minitorch, name, params, value), _results(torch, name, params, value)
    assert ours.keys() == theirs.keys()
    for key in ours:
        assert ours[key].shape == theirs[key].shape and ours[key].dtype == theirs[key].dtype, key
        np.testing.assert_allclose(ours[key], theirs[key], err_msg=key, equal_nan=True, **TOL)


@pytest.mark.parametrize("name", sorted(FAMILIES))
@given(data=st.data())
def test_log_prob_and_entropy_gradcheck(name, data):
    make, _, _, _, has_entropy = FAMILIES[name]
    params = data.draw(parameters(name))
    value = T(data.draw(values(name, params[0].shape)))
    leaves = [T(p, requires_grad=True) for p in params]
    assert gradcheck(lambda *ps: make(D, *ps).log_prob(value), leaves)
    if has_entropy:
        assert gradcheck(lambda *ps: make(D, *ps).entropy(), leaves)


@pytest.mark.parametrize("name", KL_PAIRS)
@given(data=st.data())
def test_kl_divergence_matches_torch_and_gradchecks(name, data):
    torch = pytest.importorskip("torch")
    make = FAMILIES[name][0]
    p_params, q_params = data.draw(parameters(name)), None
    q_params = [data.draw(S.arrays(p.shape, elements=dom, unique=False)) for p, dom in zip(p_params, FAMILIES[name][1])]
    results = []
    for lib in (minitorch, torch):
        leaves = [lib.tensor(a, requires_grad=True) for a in p_params + q_params]
        half = len(p_params)
        kl = lib.distributions.kl_divergence(make(lib.distributions, *leaves[:half]), make(lib.distributions,
                                                                                             *leaves[half:]))
        kl.sum().backward()
        results.append([kl.detach().numpy()] + [t.grad.numpy() for t in leaves])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, **TOL)
    leaves = [T(a, requires_grad=True) for a in p_params + q_params]
    half = len(p_params)
    assert gradcheck(lambda *ps: D.kl_divergence(make(D, *ps[:half]), make(D, *ps[half:])), leaves)


# ----- MultivariateNormal -----

@st.composite
def mvn_parameters(draw):
    """A float64 loc of shape batch + (k,) and a well-conditioned covariance of shape batch' + (k, k)."""
    k = draw(st.integers(1, 3))
    batch = draw(S.shapes(max_dims=1, max_side=2))
    loc = draw(S.arrays(batch + (k,), elements=S.grid(-2, 2), unique=False))
    a = draw(S.arrays(draw(st.sampled_from([(), batch])) + (k, k), elements=S.grid(-1, 1), unique=False))
    return loc, a @ np.swapaxes(a, -1, -2) + np.eye(k)


def _mvn(D, loc, matrix, kind):
    return D.MultivariateNormal(loc, **{kind: matrix})


def _matrix(cov, kind):
    return {"covariance_matrix": cov, "precision_matrix": np.linalg.inv(cov),
            "scale_tril": np.linalg.cholesky(cov)}[kind]


KINDS = ["covariance_matrix", "precision_matrix", "scale_tril"]


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_multivariate_normal_matches_torch(kind, data):
    torch = pytest.importorskip("torch")
    loc, cov = data.draw(mvn_parameters())
    matrix = _matrix(cov, kind)
    value = data.draw(S.arrays((2,) + loc.shape, elements=S.grid(-3, 3), unique=False))
    q_loc = loc[::-1].copy()
    results = []
    for lib in (minitorch, torch):
        leaves = [lib.tensor(loc, requires_grad=True), lib.tensor(matrix, requires_grad=True)]
        d = _mvn(lib.distributions, *leaves, kind)
        q = lib.distributions.MultivariateNormal(lib.tensor(q_loc), scale_tril=lib.tensor(np.linalg.cholesky(cov)) * 2)
        out = [d.log_prob(lib.tensor(value)), d.entropy(), d.mean, d.variance, d.covariance_matrix,
               d.precision_matrix, d.scale_tril, lib.distributions.kl_divergence(d, q)]
        sum((t * (i + 1)).sum() for i, t in enumerate(out)).backward()
        results.append([t.detach().numpy() for t in out + [leaves[0].grad, leaves[1].grad]])
    for ours, theirs in zip(*results):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_multivariate_normal_gradcheck(kind, data):
    loc, cov = data.draw(mvn_parameters())
    leaves = [T(loc, requires_grad=True), T(_matrix(cov, kind), requires_grad=True)]
    value = T(loc + 0.5)

    def make(loc, matrix):  # a perturbed matrix stays symmetric (lower for scale_tril): cholesky reads one half
        return _mvn(D, loc, matrix.tril() if kind == "scale_tril" else (matrix + matrix.mT) / 2, kind)

    def draw(*ps):
        minitorch.manual_seed(0)
        return make(*ps).rsample((2,))

    assert gradcheck(lambda *ps: make(*ps).log_prob(value), leaves)
    assert gradcheck(lambda *ps: make(*ps).entropy(), leaves)
    assert gradcheck(draw, leaves)
    other = D.MultivariateNormal(T(loc * 0), T(cov * 2))
    assert gradcheck(lambda *ps: D.kl_divergence(make(*ps), other), leaves)


# ----- behaviour -----

@pytest.mark.parametrize("make, mean, var", [
    (lambda: D.Gamma(0.5, 2.0), 0.25, 0.125),
    (lambda: D.Gamma(3.0, 0.5), 6.0, 12.0),
    (lambda: D.Chi2(4.0), 4.0, 8.0),
    (lambda: D.Beta(2.0, 5.0), 2 / 7, 10 / (49 * 8)),
    (lambda: D.Poisson(3.5), 3.5, 3.5),
    (lambda: D.Geometric(0.25), 3.0, 12.0),
    (lambda: D.Binomial(10, T(0.3)), 3.0, 2.1),
    (lambda: D.StudentT(6.0, 1.0, 2.0), 1.0, 6.0),
])
def test_sample_statistics(make, mean, var):
    minitorch.manual_seed(0)
    x = make().sample((20000,)).double()
    assert abs(x.mean().item() - mean) < 4 * math.sqrt(var / 20000)
    assert abs(x.var().item() / var - 1) < 0.1


def test_dirichlet_and_multivariate_normal_sample_statistics():
    minitorch.manual_seed(0)
    conc = T([1.0, 2.0, 3.0])
    x = D.Dirichlet(conc).sample((20000,)).double()
    np.testing.assert_allclose(x.sum(-1).numpy(), 1.0, rtol=1e-6)  # float32 draws
    np.testing.assert_allclose(x.mean(0).numpy(), [1 / 6, 2 / 6, 3 / 6], atol=0.01)
    cov = np.array([[2.0, 0.5], [0.5, 1.0]])
    y = D.MultivariateNormal(T([1.0, -1.0]), T(cov.tolist())).sample((20000,)).double().numpy()
    np.testing.assert_allclose(y.mean(0), [1.0, -1.0], atol=0.05)
    np.testing.assert_allclose(np.cov(y.T), cov, atol=0.1)


@pytest.mark.parametrize("make, batch, event", [
    (lambda: D.Gamma(T([1.0, 2.0]), 1.0), (2,), ()),
    (lambda: D.Chi2(T([1.0, 2.0])), (2,), ()),
    (lambda: D.Beta(T([1.0, 2.0]), 3.0), (2,), ()),
    (lambda: D.Poisson(T([1.0, 2.0])), (2,), ()),
    (lambda: D.Geometric(T([0.1, 0.5])), (2,), ()),
    (lambda: D.Binomial(T([3.0, 0.0]), T([0.1, 0.5])), (2,), ()),
    (lambda: D.StudentT(T([1.0, 2.0])), (2,), ()),
    (lambda: D.Dirichlet(T([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])), (2,), (3,)),
    (lambda: D.MultivariateNormal(T([[0.0, 1.0], [1.0, 0.0]]), scale_tril=minitorch.eye(2)), (2,), (2,)),
])
def test_shapes_dtypes_expand_and_sampling(make, batch, event):
    d = make()
    assert d.batch_shape == batch and d.event_shape == event
    for sample_shape in [(), (3,), (2, 1)]:
        x = d.sample(sample_shape)
        assert x.shape == sample_shape + batch + event and x.dtype == minitorch.float32 and not x.requires_grad
        assert d.log_prob(x).shape == sample_shape + batch
    big = d.expand((4,) + batch)
    assert big.batch_shape == (4,) + batch and big.event_shape == event
    assert big.sample().shape == (4,) + batch + event
    assert big.log_prob(d.sample()).shape == (4,) + batch


def test_repr_as_in_pytorch():
    assert repr(D.Gamma(2.0, 4.0)) == "Gamma(concentration: 2.0, rate: 4.0)"
    assert repr(D.Chi2(3.0)) == "Chi2()"
    assert repr(D.Beta(1.0, 2.0)) == "Beta()"
    assert repr(D.Poisson(2.0)) == "Poisson(rate: 2.0)"
    assert repr(D.Dirichlet(minitorch.ones(3))) == "Dirichlet(concentration: minitorch.Size([3]))"
    assert repr(D.MultivariateNormal(minitorch.zeros(2), minitorch.eye(2))) == \
        "MultivariateNormal(loc: minitorch.Size([2]), covariance_matrix: minitorch.Size([2, 2]))"
    assert repr(D.constraints.positive_definite) == "PositiveDefinite()"
    assert repr(D.constraints.lower_cholesky) == "LowerCholesky()"


@pytest.mark.parametrize("call, message", [
    (lambda: D.Gamma(0.0, 1.0), r"parameter concentration .* GreaterThan\(lower_bound=0.0\)"),
    (lambda: D.Beta(1.0, -1.0), r"parameter concentration\b"),
    (lambda: D.Dirichlet(T([1.0, -1.0])), r"IndependentConstraint\(GreaterThan\(lower_bound=0.0\), 1\)"),
    (lambda: D.Dirichlet(T(1.0)), "concentration must be at least one-dimensional"),
    (lambda: D.Poisson(-1.0), r"parameter rate .* GreaterThanEq\(lower_bound=0.0\)"),
    (lambda: D.Geometric(1.5), r"parameter probs .* Interval\(lower_bound=0.0, upper_bound=1.0\)"),
    (lambda: D.Geometric(0.5, 0.0), "Either `probs` or `logits` must be specified, but not both"),
    (lambda: D.StudentT(0.0), r"parameter df .* GreaterThan\(lower_bound=0.0\)"),
    (lambda: D.Binomial(2.5, T(0.5)), r"parameter total_count .* IntegerGreaterThan\(lower_bound=0\)"),
    (lambda: D.Binomial(3, T(0.5)).log_prob(T(4.0)), r"within the support \(IntegerInterval\(lower_bound=0, upper_bound"),
    (lambda: D.Poisson(1.0).log_prob(T(1.5)), r"within the support \(IntegerGreaterThan\(lower_bound=0\)\)"),
    (lambda: D.Beta(1.0, 1.0).log_prob(T(1.5)), r"within the support \(Interval"),
    (lambda: D.Dirichlet(T([1.0, 1.0])).log_prob(T([0.5, 0.6])), r"within the support \(Simplex\(\)\)"),
    (lambda: D.Gamma(1.0, 1.0).log_prob(T(-1.0)), r"within the support \(GreaterThanEq"),
    (lambda: D.MultivariateNormal(minitorch.zeros(2)), "Exactly one of covariance_matrix or precision_matrix"),
    (lambda: D.MultivariateNormal(minitorch.zeros(2), minitorch.eye(2), scale_tril=minitorch.eye(2)),
     "Exactly one of"),
    (lambda: D.MultivariateNormal(T(0.0), minitorch.eye(1)), "loc must be at least one-dimensional"),
    (lambda: D.MultivariateNormal(minitorch.zeros(2), minitorch.eye(3)), r"shape batch \+ \(2, 2\)"),
    (lambda: D.MultivariateNormal(minitorch.zeros(2), minitorch.ones(2)), "at least two-dimensional"),
    (lambda: D.MultivariateNormal(minitorch.zeros(2), T([[1.0, 2.0], [2.0, 1.0]])), r"PositiveDefinite\(\)"),
    (lambda: D.MultivariateNormal(minitorch.zeros(2), scale_tril=minitorch.ones(2, 2)), r"LowerCholesky\(\)"),
])
def test_validation_errors_are_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_not_implemented_as_in_pytorch():
    with pytest.raises(NotImplementedError):
        D.Poisson(1.0).entropy()
    with pytest.raises(NotImplementedError, match="Inhomogeneous total count not supported by `entropy`"):
        D.Binomial(T([1.0, 2.0]), T(0.5)).entropy()
    with pytest.raises(NotImplementedError, match="q.total_count > p.total_count"):
        D.kl_divergence(D.Binomial(2, T(0.5)), D.Binomial(3, T(0.5)))
    assert D.Binomial(2, T(0.5)).enumerate_support().tolist() == [0.0, 1.0, 2.0]


def test_cuda_gives_the_cpu_numbers():
    on = {}
    for device in ("cpu", "cuda"):
        conc, rate = T([0.5, 2.0], device=device), T([1.0, 3.0], device=device)
        gamma, dirichlet = D.Gamma(conc, rate), D.Dirichlet(conc)
        mvn = D.MultivariateNormal(rate, T([[2.0, 0.5], [0.5, 1.0]], device=device))
        minitorch.manual_seed(5)
        draws = [gamma.sample((3,)), dirichlet.sample((2,)), mvn.rsample((2,)), D.Poisson(rate).sample((2,))]
        assert all(x.device == device for x in draws)
        half = T([0.5, 0.5], device=device)
        values = draws + [gamma.log_prob(half), gamma.entropy(), dirichlet.log_prob(half), dirichlet.entropy(),
                          mvn.log_prob(half), mvn.entropy(), D.kl_divergence(gamma, D.Gamma(rate, conc)),
                          D.kl_divergence(mvn, D.MultivariateNormal(conc, scale_tril=mvn.scale_tril * 2))]
        on[device] = [v.cpu().numpy() for v in values]
    for cpu, cuda in zip(on["cpu"], on["cuda"]):
        np.testing.assert_allclose(cuda, cpu, rtol=1e-5)


@pytest.mark.parametrize("module", ["gamma", "chi2", "dirichlet", "beta", "poisson", "binomial", "geometric", "studentT",
                                    "multivariate_normal"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module("minitorch.distributions." + module),
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_unvalidated_gamma_without_a_draw_gives_nan_rather_than_looping():
    with np.errstate(invalid="ignore"):
        x = D.Gamma(T([0.0, -1.0, math.nan, 0.5]), 1.0, validate_args=False).sample((2,))
    assert x[:, :3].isnan().all() and bool((x[:, 3] > 0).all())
