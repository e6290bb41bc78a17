"""``biject_to`` and ``transform_to``: the same transforms as PyTorch's for each constraint, onto the constraint,
inverted exactly, with errors for unregistered constraints."""
import doctest

import numpy as np
import pytest

import minitorch
from minitorch.distributions import biject_to, constraints, transform_to
from minitorch.distributions.constraint_registry import ConstraintRegistry

CONSTRAINTS = {  # name: (make(constraints module), event shape)
    "real": (lambda C: C.real, ()), "positive": (lambda C: C.positive, ()), "nonnegative": (lambda C: C.nonnegative, ()),
    "greater_than": (lambda C: C.greater_than(2.0), ()), "greater_than_eq": (lambda C: C.greater_than_eq(-1.0), ()),
    "less_than": (lambda C: C.less_than(1.0), ()), "unit_interval": (lambda C: C.unit_interval, ()),
    "interval": (lambda C: C.interval(-1.0, 2.0), ()), "half_open": (lambda C: C.half_open_interval(0.0, 1.0), ()),
    "simplex": (lambda C: C.simplex, (3,)), "real_vector": (lambda C: C.real_vector, (3,)),
    "independent": (lambda C: C.independent(C.positive, 1), (3,)), "lower_cholesky": (lambda C: C.lower_cholesky, (3, 3)),
}


@pytest.mark.parametrize("name", sorted(CONSTRAINTS))
@pytest.mark.parametrize("registry", ["biject_to", "transform_to"])
def test_maps_onto_the_constraint_and_back(name, registry):
    make, event = CONSTRAINTS[name]
    constraint = make(constraints)
    lookup = {"biject_to": biject_to, "transform_to": transform_to}[registry]
    if registry == "biject_to" and name == "lower_cholesky":
        with pytest.raises(NotImplementedError, match="Cannot transform _LowerCholesky constraints"):
            lookup(constraint)
        return
    t = lookup(constraint)
    u = minitorch.tensor(np.random.default_rng(0).normal(size=(4,) + event))
    x = t(u)
    assert bool(constraint.check(x).all())
    if t.bijective:
        np.testing.assert_allclose(t(t.inv(x)).numpy(), x.numpy(), rtol=1e-6, atol=1e-6)
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.distributions, registry)(make(torch.distributions.constraints))
    assert repr(t) == repr(theirs)
    np.testing.assert_allclose(x.numpy(), theirs(torch.tensor(u.numpy())).numpy(), rtol=1e-6, atol=1e-7)


def test_register_and_errors():
    registry = ConstraintRegistry()
    with pytest.raises(NotImplementedError, match="Cannot transform _Real constraints"):
        registry(constraints.real)
    registry.register(constraints.real)(lambda c: "made")
    assert registry(constraints.real) == "made"
    with pytest.raises(TypeError, match="Constraint subclass or instance"):
        registry.register(int, lambda c: None)


def test_docstring_examples():
    import minitorch.distributions.constraint_registry as module
    assert doctest.testmod(module).failed == 0
