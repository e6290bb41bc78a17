"""Implicit reparameterization (``rsample`` of Gamma, Chi2, Beta, Dirichlet, StudentT): the derivative of a
gamma draw against finite differences of the inverse CDF at fixed uniform noise (float64), against PyTorch's
``_standard_gamma_grad``, and the gradients of Monte Carlo means against the exact gradients of the means
(and PyTorch's), on CPU and cuda; ``Gamma.cdf`` (the incomplete gamma function) with its gradients."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.distributions as D
from minitorch.distributions.implicit import standard_gamma_grad
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

CONCENTRATION = S.grid(0.05, 12)
PROBABILITY = st.floats(0.02, 0.98)


def _gamma_cdf(a, x):
    """P(a, x) by its series ``x^a e^-x sum_n x^n / Gamma(a + n + 1)``, scalar by scalar (a test's own)."""
    term = math.exp(a * math.log(x) - x - math.lgamma(a + 1))
    total, n = term, 0
    while term > 1e-18 * total:
        n += 1
        term *= x / (a + n)
        total += term
    return total


def _gamma_icdf(a, u):
    """x with P(a, x) = u, by bisection (in log x, to full float64 precision)."""
    lo, hi = -700.0, math.log(200.0)
    for _ in range(120):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _gamma_cdf(a, math.exp(mid)) < u else (lo, mid)
    return math.exp(0.5 * (lo + hi))


@given(a=CONCENTRATION, u=PROBABILITY)
def test_derivative_matches_finite_differences_of_the_inverse_cdf(a, u):
    h = 1e-5 * a
    fd = (_gamma_icdf(a + h, u) - _gamma_icdf(a - h, u)) / (2 * h)
    x = _gamma_icdf(a, u)
    ours = standard_gamma_grad(np.array([a]), np.array([x]))[0]
    np.testing.assert_allclose(ours, fd, rtol=1e-5, atol=1e-12)


def test_derivative_stays_finite_and_exact_far_from_the_bulk():
    a = np.array([1e-3, 0.1, 1.0, 50.0, 5000.0, 5000.0, 2.0, -1.0, 2.0])
    x = np.array([1e-300, 1e-8, 30.0, 20.0, 4800.0, 5200.0, 1e-5, 1.0, 0.0])
    grad = standard_gamma_grad(a, x)
    assert np.isfinite(grad[:7]).all() and np.isnan(grad[7:]).all()
    assert standard_gamma_grad(a.astype(np.float32), x.astype(np.float32)).dtype == np.float32


@given(a=st.lists(CONCENTRATION, min_size=1, max_size=6), x=S.grid(0.01, 25))
def test_derivative_matches_pytorch_standard_gamma_grad(a, x):
    torch = pytest.importorskip("torch")
    a = np.array(a)
    x = np.full_like(a, x)
    theirs = torch._standard_gamma_grad(torch.tensor(a), torch.tensor(x)).numpy()
    np.testing.assert_allclose(standard_gamma_grad(a, x), theirs, rtol=3e-3)  # PyTorch's are fitted approximations


N = 40000


def _mean_gradients(lib, make, params, device="cpu", n=N):
    """The gradients of the Monte Carlo mean of ``w x`` over ``n`` rsample draws ``x`` (``w = 1, 2, ...`` along the
    last dim) with respect to each parameter."""
    leaves = [lib.tensor(p, dtype=lib.float64, device=device, requires_grad=True) for p in params]
    d = make(lib.distributions, *leaves)
    lib.manual_seed(0)
    x = d.rsample((n,))
    assert x.requires_grad and d.has_rsample
    (x * lib.arange(1, x.shape[-1] + 1, device=device)).mean().backward()
    return [leaf.grad.cpu().numpy() for leaf in leaves]


# name: (make, parameters, the exact gradients of E[mean(w x)])
CASES = {
    "Gamma": (lambda D, a, b: D.Gamma(a, b), ([0.4, 3.0], [2.0, 0.5]), [[0.25, 2.0], [-0.05, -12.0]]),
    "Chi2": (lambda D, df: D.Chi2(df), ([0.7, 5.0],), [[0.5, 1.0]]),
    "Beta": (lambda D, a, b: D.Beta(a, b), ([0.5, 4.0], [1.5, 2.0]),
             [[1.5 / 4 / 2, 2 * 2.0 / 36 / 2], [-0.5 / 4 / 2, -2 * 4.0 / 36 / 2]]),
    "Dirichlet": (lambda D, a: D.Dirichlet(a), ([0.5, 1.0, 2.5],), [[-0.125, -0.125 / 3, 0.125 / 3]]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rsample_gradients_give_the_gradient_of_the_mean(name):
    make, params, expected = CASES[name]
    for grad, exact in zip(_mean_gradients(minitorch, make, params), expected):
        np.testing.assert_allclose(grad, exact, atol=0.03 * np.abs(exact).max() + 1e-9)


def test_beta_rsample_gradients_of_the_first_moment_per_draw():
    a, b = minitorch.tensor(2.0, requires_grad=True), minitorch.tensor(3.0, requires_grad=True)
    x = D.Beta(a, b).rsample((N,))
    x.mean().backward()  # d/da a/(a+b) = b/(a+b)^2, d/db = -a/(a+b)^2
    assert abs(a.grad.item() - 0.12) < 0.005 and abs(b.grad.item() + 0.08) < 0.005


def test_studentt_rsample_gradients_of_the_second_moment():
    df, loc, scale = (minitorch.tensor(v, dtype=minitorch.float64, requires_grad=True) for v in (6.0, 0.5, 2.0))
    minitorch.manual_seed(1)
    x = D.StudentT(df, loc, scale).rsample((4 * N,))
    (x ** 2).mean().backward()  # E x^2 = scale^2 df / (df - 2) + loc^2
    np.testing.assert_allclose([df.grad.item(), loc.grad.item(), scale.grad.item()],
                               [-2 * 4.0 / 16, 1.0, 2 * 2.0 * 6 / 4], rtol=0.1)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rsample_gradient_statistics_match_pytorch(name):
    torch = pytest.importorskip("torch")
    make, params, expected = CASES[name]
    ours, theirs = _mean_gradients(minitorch, make, params), _mean_gradients(torch, make, params)
    for mine, torchs, exact in zip(ours, theirs, expected):
        np.testing.assert_allclose(mine, torchs, atol=0.05 * np.abs(exact).max() + 1e-9)


def test_sample_carries_no_gradient_and_has_rsample_as_pytorch():
    a = minitorch.tensor([1.0, 2.0], requires_grad=True)
    for d in (D.Gamma(a, 1.0), D.Chi2(a), D.Beta(a, a), D.Dirichlet(a), D.StudentT(a)):
        assert d.has_rsample and not d.sample().requires_grad and d.rsample().requires_grad


def test_cuda_gives_the_cpu_gradients():
    make, params, _ = CASES["Gamma"]
    np.testing.assert_allclose(_mean_gradients(minitorch, make, params, "cuda", n=100),
                               _mean_gradients(minitorch, make, params, n=100), rtol=1e-10)


# ----- Gamma.cdf: the regularized incomplete gamma function, an op with both derivatives -----

@st.composite
def gamma_cdf_case(draw):
    shape = draw(S.shapes(max_dims=2, max_side=3))
    return [draw(S.arrays(shape, elements=S.grid(lo, hi), unique=False)) for lo, hi in ((0.1, 8), (0.25, 3), (0.05, 6))]


@given(case=gamma_cdf_case())
def test_gamma_cdf_gradcheck_including_the_concentration(case):
    leaves = [minitorch.tensor(v, requires_grad=True) for v in case]
    assert gradcheck(lambda a, b, x: D.Gamma(a, b).cdf(x), leaves)
    assert gradcheck(lambda a, b, x: D.InverseGamma(a, b).cdf(x), leaves)


@given(case=gamma_cdf_case())
def test_gamma_cdf_matches_torch(case):
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        a, b, x = (lib.tensor(v, requires_grad=True) for v in case)
        out = [lib.distributions.Gamma(a, b).cdf(x), lib.distributions.InverseGamma(a, b).cdf(x),
               lib.distributions.Chi2(a).cdf(x)]
        sum(o.sum() for o in out).backward(inputs=[b, x]) if lib is torch else sum(o.sum() for o in out).backward()
        results.append([o.detach().numpy() for o in out] + [b.grad.numpy(), x.grad.numpy()])
    for ours, theirs in zip(*results):  # PyTorch's gammainc is ~1e-10 off for a ~ 100 (mpmath); it has no d/da
        np.testing.assert_allclose(ours, theirs, rtol=1e-8, atol=1e-12)


def test_gamma_cdf_edges_and_cuda():
    from minitorch.distributions.implicit import gamma_cdf
    cdf, density, grad_a = gamma_cdf(np.array([1.0, 0.5, 2.0, 3.0, -1.0]), np.array([0.0, 0.0, 0.0, -1.0, 1.0]))
    np.testing.assert_array_equal(cdf[:4], 0.0)
    np.testing.assert_array_equal(density[:4], [1.0, np.inf, 0.0, 0.0])
    assert np.isnan(cdf[4]) and np.isnan(density[4]) and np.isnan(grad_a[4])
    assert abs(gamma_cdf(np.array(5000.0), np.array(4900.0))[0] - 0.07794495622651391) < 1e-12  # mpmath
    with pytest.raises(ValueError, match="within the support"):
        D.Gamma(1.0, 1.0).cdf(minitorch.tensor(-1.0))
    on = {}
    for device in ("cpu", "cuda"):
        a = minitorch.tensor([0.5, 3.0], dtype=minitorch.float64, device=device, requires_grad=True)
        out = D.Gamma(a, 2.0).cdf(minitorch.tensor([0.2, 1.5], dtype=minitorch.float64, device=device))
        out.sum().backward()
        on[device] = [out.detach().cpu().numpy(), a.grad.cpu().numpy()]
    for cpu, cuda in zip(on["cpu"], on["cuda"]):
        np.testing.assert_allclose(cuda, cpu, rtol=1e-12)
