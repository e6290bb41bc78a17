"""Power, Abs, Softplus, Softmax, StickBreaking, LowerCholesky, Compose, Independent, Reshape and
CumulativeDistribution transforms: forward, inverse, log|det J| and their gradients against PyTorch's, the
log-determinant against the numerical Jacobian (float64), shapes, constraints, equality and caching."""
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

# name: (make(lib, transforms module), input domain, whether log|det J| exists, input event shape)
TRANSFORMS = {
    "Power": (lambda lib, T: T.PowerTransform(lib.tensor(2.5, dtype=lib.float64)), "positive", True, ()),
    "PowerInverse": (lambda lib, T: T.PowerTransform(lib.tensor(-0.5, dtype=lib.float64)).inv, "positive", True, ()),
    "Abs": (lambda lib, T: T.AbsTransform(), "real", False, ()),
    "Softplus": (lambda lib, T: T.SoftplusTransform(), "real", True, ()),
    "Softmax": (lambda lib, T: T.SoftmaxTransform(), "real", False, (3,)),
    "StickBreaking": (lambda lib, T: T.StickBreakingTransform(), "real", True, (3,)),
    "LowerCholesky": (lambda lib, T: T.LowerCholeskyTransform(), "real", False, (3, 3)),
    "Compose": (lambda lib, T: T.ComposeTransform([T.ExpTransform(), T.AffineTransform(1.0, 2.0),
                                                   T.PowerTransform(lib.tensor(0.5, dtype=lib.float64))]),
                "real", True, ()),
    "ComposeVector": (lambda lib, T: T.ComposeTransform([T.AffineTransform(1.0, 2.0), T.StickBreakingTransform()]),
                      "real", True, (3,)),
    "Independent": (lambda lib, T: T.IndependentTransform(T.SigmoidTransform(), 2), "real", True, (2, 3)),
    "Reshape": (lambda lib, T: T.ReshapeTransform((2, 3), (3, 2)), "real", True, (2, 3)),
    "Cdf": (lambda lib, T: T.CumulativeDistributionTransform(lib.distributions.Normal(0.5, 2.0)), "real", True, ()),
    "Identity": (lambda lib, T: T.identity_transform, "real", True, ()),
}


@st.composite
def inputs(draw, name):
    """A float64 input: batch dims then the transform's event shape."""
    batch = draw(S.shapes(max_dims=2, max_side=3))
    positive = TRANSFORMS[name][1] == "positive"
    return draw(S.arrays(batch + TRANSFORMS[name][3], elements=S.grid(0.25, 3) if positive else S.grid(-2, 2),
                         unique=False))


def _run(lib, name, x):
    import importlib

    make, _, has_jacobian, _ = TRANSFORMS[name]
    t = make(lib, importlib.import_module(f"{lib.__name__}.distributions.transforms"))
    leaf = lib.tensor(x, requires_grad=True)
    y = t(leaf)
    out = {"y": y, "inverse": t.inv(y.detach())}
    if has_jacobian:
        out["log_det"] = t.log_abs_det_jacobian(leaf, y)
    sum((v * (1 + lib.arange(v.numel(), dtype=v.dtype).reshape(v.shape) % 3)).sum()
        for v in out.values() if v.requires_grad).backward()
    out = {k: v.detach().numpy() for k, v in out.items()}
    out["grad"] = leaf.grad.numpy()
    out["shapes"] = (tuple(t.forward_shape(tuple(x.shape))), tuple(t.inverse_shape(tuple(y.shape))))
    out["constraints"] = (repr(t.domain), repr(t.codomain), t.domain.event_dim, t.codomain.event_dim, t.bijective)
    return out


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
@given(data=st.data())
def test_matches_torch(name, data):
    torch = pytest.importorskip("torch")
    x = data.draw(inputs(name))
    ours, theirs = _run(minitorch, name, x), _run(torch, name, x)
    assert ours.keys() == theirs.keys()
    for key in ours:
        if isinstance(ours[key], np.ndarray):
            assert ours[key].shape == theirs[key].shape, key
            np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-9, atol=1e-12, err_msg=key)
        else:
            assert ours[key] == theirs[key], key


@pytest.mark.parametrize("name", ["Power", "Softplus", "StickBreaking", "Compose", "ComposeVector", "Cdf"])
@given(data=st.data())
def test_log_det_is_the_numerical_jacobians_and_inverse_round_trips(name, data):
    x = data.draw(inputs(name))
    t = TRANSFORMS[name][0](minitorch, MT)
    np.testing.assert_allclose(t.inv(t(T(x))).numpy(), x, rtol=1e-9, atol=1e-9)
    event = TRANSFORMS[name][3]
    flat = x.reshape(-1, *event) if event else x.reshape(-1, 1)
    for row in flat:
        f = (lambda v: t(T(v)).numpy()[:-1]) if name in ("StickBreaking", "ComposeVector") else \
            (lambda v: t(T(v)).numpy())
        h = 1e-6
        jac = np.stack([(f(row + h * e) - f(row - h * e)) / (2 * h) for e in np.eye(row.size)], -1)
        expected = np.log(abs(np.linalg.det(jac.reshape(row.size, row.size))))
        value = t.log_abs_det_jacobian(T(row if event else row[0]), t(T(row if event else row[0])))
        np.testing.assert_allclose(value.numpy(), expected, rtol=1e-6, atol=1e-6)
    leaf = T(x, requires_grad=True)
    assert gradcheck(lambda v: t.log_abs_det_jacobian(v, t(v)), [leaf])


def test_stick_breaking_maps_onto_the_simplex_and_logistic_normal_uses_it():
    y = MT.StickBreakingTransform()(minitorch.randn(5, 4))
    assert y.shape == (5, 5) and bool(D.constraints.simplex.check(y).all())
    d = D.TransformedDistribution(D.Normal(minitorch.zeros(4), 1.0), MT.StickBreakingTransform())
    assert d.event_shape == (5,) and d.sample((2,)).shape == (2, 5)


def test_equality_caching_and_errors():
    assert MT.AbsTransform() == MT.AbsTransform() and MT.SoftplusTransform() != MT.ExpTransform()
    assert MT.PowerTransform(T(2.0)) == MT.PowerTransform(T(2.0)) != MT.PowerTransform(T(3.0))
    assert MT.ExpTransform().inv == MT.ExpTransform().inv
    assert MT.ComposeTransform([MT.ExpTransform()]) == MT.ComposeTransform([MT.ExpTransform()])
    t = MT.ComposeTransform([MT.ExpTransform(), MT.SoftplusTransform()], cache_size=1)
    x = T([0.5])
    y = t(x)
    assert t.inv(y) is x and t.parts[0]._cache_size == 1
    assert MT.ExpTransform().with_cache(1)._cache_size == 1
    assert MT.ComposeTransform([MT.ExpTransform(), MT.SigmoidTransform()]).sign == 1
    with pytest.raises(ValueError, match="different numbers of elements"):
        MT.ReshapeTransform((2, 3), (4,))
    with pytest.raises(TypeError, match="ComposeTransform"):
        MT.ComposeTransform([MT.ExpTransform(), "exp"])
    with pytest.raises(NotImplementedError):
        MT.AffineTransform(0.0, 1.0).with_cache(1)
    assert MT.identity_transform(x) is x


def test_docstring_examples():
    import doctest

    import minitorch.distributions.event_transforms as module
    assert doctest.testmod(module).failed == 0
