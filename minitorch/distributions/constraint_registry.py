"""``biject_to`` and ``transform_to``: from a constraint to a transform that maps unconstrained reals onto it.

An optimizer works on unconstrained numbers; ``transform_to(constraint)(u)`` turns them into a valid
parameter (``transform_to(constraints.positive)`` is ``exp`` then ``+ 0``), and ``.inv`` goes back.
``biject_to`` promises a bijection (the simplex: stick-breaking, one coordinate fewer), ``transform_to``
only a map onto the set (the simplex: softmax). Each registry looks a constraint up by its exact class;
``register`` adds a class (or the class of an instance) with a factory ``constraint -> Transform``.

    >>> import minitorch
    >>> from minitorch.distributions import biject_to, constraints
    >>> t = biject_to(constraints.interval(-1.0, 1.0))
    >>> t(minitorch.tensor(0.0)).item(), round(t.inv(minitorch.tensor(0.5)).item(), 4)
    (0.0, 1.0986)
"""
import numbers

from . import constraints
from .transforms import (
    AffineTransform, ComposeTransform, ExpTransform, IndependentTransform, LowerCholeskyTransform, SigmoidTransform,
    SoftmaxTransform, StickBreakingTransform, identity_transform,
)

__all__ = ["ConstraintRegistry", "biject_to", "transform_to"]


class ConstraintRegistry:
    """Constraint classes -> factories of transforms onto them."""

    def __init__(self):
        self._registry = {}

    def register(self, constraint, factory=None):
        """Register ``factory`` for a Constraint subclass (or an instance's class); a decorator without ``factory``."""
        if factory is None:
            return lambda factory: self.register(constraint, factory)
        if isinstance(constraint, constraints.Constraint):
            constraint = type(constraint)
        if not isinstance(constraint, type) or not issubclass(constraint, constraints.Constraint):
            raise TypeError(f"Expected constraint to be either a Constraint subclass or instance, but got {constraint}")
        self._registry[constraint] = factory
        return factory

    def __call__(self, constraint):
        """The transform onto ``constraint``; NotImplementedError for an unregistered class."""
        factory = self._registry.get(type(constraint))
        if factory is None:
            raise NotImplementedError(f"Cannot transform {type(constraint).__name__} constraints")
        return factory(constraint)


biject_to = ConstraintRegistry()
transform_to = ConstraintRegistry()


def _register_both(constraint_class, factory):
    for registry in (biject_to, transform_to):
        registry.register(constraint_class, factory)


def _is(value, number):
    """Whether a bound is the plain number ``number`` (a tensor bound never is)."""
    return isinstance(value, numbers.Number) and value == number


def _greater_than(c):
    """``lower_bound + exp(u)``."""
    return ComposeTransform([ExpTransform(), AffineTransform(c.lower_bound, 1)])


def _interval(c):
    """``lower_bound + (upper_bound - lower_bound) sigmoid(u)`` (just the sigmoid onto [0, 1])."""
    if _is(c.lower_bound, 0) and _is(c.upper_bound, 1):
        return SigmoidTransform()
    return ComposeTransform([SigmoidTransform(), AffineTransform(c.lower_bound, c.upper_bound - c.lower_bound)])


_register_both(constraints._Real, lambda c: identity_transform)
_register_both(constraints._GreaterThan, _greater_than)
_register_both(constraints._GreaterThanEq, _greater_than)
_register_both(constraints._LessThan, lambda c: ComposeTransform([ExpTransform(), AffineTransform(c.upper_bound, -1)]))
_register_both(constraints._Interval, _interval)
_register_both(constraints._HalfOpenInterval, _interval)
for _registry in (biject_to, transform_to):  # the base's transform from the same registry, over more dims
    _registry.register(constraints._IndependentConstraint, lambda c, registry=_registry: IndependentTransform(
        registry(c.base_constraint), c.reinterpreted_batch_ndims))
biject_to.register(constraints._Simplex, lambda c: StickBreakingTransform())
transform_to.register(constraints._Simplex, lambda c: SoftmaxTransform())
transform_to.register(constraints._LowerCholesky, lambda c: LowerCholeskyTransform())
