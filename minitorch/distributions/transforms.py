"""Transforms: invertible maps ``y = f(x)`` with ``log |det df/dx|``, for ``TransformedDistribution``.

A transform maps its ``domain`` onto its ``codomain``; ``t(x)`` is ``f(x)``, ``t.inv(y)`` is ``f^-1(y)``
(``t.inv`` is a transform too) and ``t.log_abs_det_jacobian(x, y)`` is what a density changes by:
``log q(y) = log p(x) - log |f'(x)|``. ``cache_size=1`` keeps the last pair, so that the inverse of a
value just made returns the exact ``x`` (``TanhTransform``'s inverse loses precision near +-1).

    >>> import minitorch
    >>> from minitorch.distributions.transforms import ExpTransform
    >>> t = ExpTransform()
    >>> t(minitorch.tensor(0.0)).item(), t.inv(minitorch.tensor(1.0)).item()
    (1.0, 0.0)
"""
import math
import numbers

from .. import dtypes
from ..creation import full_like
from ..nn.functional import softplus
from ..numerics import broadcast_shapes
from . import constraints
from .utils import broadcast_all

__all__ = [
    "AbsTransform", "AffineTransform", "ComposeTransform", "CumulativeDistributionTransform", "ExpTransform",
    "IndependentTransform", "LowerCholeskyTransform", "PowerTransform", "ReshapeTransform", "SigmoidTransform",
    "SoftmaxTransform", "SoftplusTransform", "StickBreakingTransform",
    "TanhTransform", "Transform", "identity_transform",
]


class Transform:
    """An invertible map with a computable log-Jacobian; subclasses define ``_call``, ``_inverse`` and
    ``log_abs_det_jacobian`` (and ``domain``, ``codomain``, ``bijective``, ``sign``)."""

    bijective = False
    domain = constraints.real
    codomain = constraints.real

    def __init__(self, cache_size=0):
        if cache_size not in (0, 1):
            raise ValueError(f"cache_size must be 0 or 1, got {cache_size!r}.")
        self._cache_size = cache_size
        self._cached_x_y = None, None
        self._inv = None

    @property
    def event_dim(self):
        """How many rightmost dims the transform treats as one event (those of its domain)."""
        return self.domain.event_dim

    @property
    def sign(self):
        """+1 for an increasing map, -1 for a decreasing one."""
        raise NotImplementedError(f"{type(self).__name__} does not define sign.")

    @property
    def inv(self):
        """The inverse transform: ``t.inv(t(x)) == x``."""
        if self._inv is None:
            self._inv = _InverseTransform(self)
        return self._inv

    def __call__(self, x):
        """``f(x)`` (the cached ``y`` when ``x`` is the last input, with ``cache_size=1``)."""
        if self._cache_size == 0:
            return self._call(x)
        x_old, y_old = self._cached_x_y
        if x is x_old:
            return y_old
        y = self._call(x)
        self._cached_x_y = x, y
        return y

    def _inv_call(self, y):
        """``f^-1(y)`` (the cached ``x`` when ``y`` is the last output, with ``cache_size=1``)."""
        if self._cache_size == 0:
            return self._inverse(y)
        x_old, y_old = self._cached_x_y
        if y is y_old:
            return x_old
        x = self._inverse(y)
        self._cached_x_y = x, y
        return x

    def _call(self, x):
        raise NotImplementedError(f"{type(self).__name__} does not implement its forward map.")

    def _inverse(self, y):
        raise NotImplementedError(f"{type(self).__name__} does not implement its inverse.")

    def log_abs_det_jacobian(self, x, y):
        """``log |df/dx|`` at ``x`` (with ``y = f(x)``), elementwise over the batch."""
        raise NotImplementedError(f"{type(self).__name__} does not implement log_abs_det_jacobian.")

    def forward_shape(self, shape):
        """The shape of ``t(x)`` for an ``x`` of ``shape`` (the same, unless the transform reshapes events)."""
        return shape

    def inverse_shape(self, shape):
        """The shape of ``t.inv(y)`` for a ``y`` of ``shape``."""
        return shape

    def with_cache(self, cache_size=1):
        """This transform with ``cache_size`` (a copy when it differs)."""
        if self._cache_size == cache_size:
            return self
        if type(self).__init__ is Transform.__init__:
            return type(self)(cache_size=cache_size)
        raise NotImplementedError(f"{type(self)}.with_cache is not implemented")

    def __repr__(self):
        return type(self).__name__ + "()"


class _ParameterFree(Transform):
    """A transform without parameters: any two of one class are equal (as in PyTorch)."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(type(self))


class _InverseTransform(Transform):
    """The inverse of a transform: domain and codomain swapped, the log-Jacobian negated."""

    def __init__(self, transform):
        super().__init__(cache_size=transform._cache_size)
        self._inv = transform

    @property
    def domain(self):
        return self._inv.codomain

    @property
    def codomain(self):
        return self._inv.domain

    @property
    def bijective(self):
        return self._inv.bijective

    @property
    def sign(self):
        return self._inv.sign

    def __call__(self, x):
        return self._inv._inv_call(x)

    def log_abs_det_jacobian(self, x, y):
        """``-log |df/dx|`` at ``f^-1(x) = y``."""
        return -self._inv.log_abs_det_jacobian(y, x)

    def forward_shape(self, shape):
        return self._inv.inverse_shape(shape)

    def inverse_shape(self, shape):
        return self._inv.forward_shape(shape)

    def with_cache(self, cache_size=1):
        return self._inv.with_cache(cache_size).inv

    def __eq__(self, other):
        return isinstance(other, _InverseTransform) and self._inv == other._inv

    def __hash__(self):
        return hash((_InverseTransform, self._inv))

    def __repr__(self):
        return f"_InverseTransform({self._inv!r})"


class ExpTransform(_ParameterFree):
    """``y = exp(x)``; ``log |dy/dx| = x``."""

    codomain = constraints.positive
    bijective = True
    sign = +1

    def _call(self, x):
        return x.exp()

    def _inverse(self, y):
        return y.log()

    def log_abs_det_jacobian(self, x, y):
        return x


class SigmoidTransform(_ParameterFree):
    """``y = sigmoid(x)``, kept inside (0, 1); ``log |dy/dx| = -softplus(-x) - softplus(x)``."""

    codomain = constraints.unit_interval
    bijective = True
    sign = +1

    def _call(self, x):
        info = dtypes.finfo(x.dtype)
        return x.sigmoid().clamp(min=info.tiny, max=1.0 - info.eps)

    def _inverse(self, y):
        info = dtypes.finfo(y.dtype)
        y = y.clamp(min=info.tiny, max=1.0 - info.eps)
        return y.log() - (-y).log1p()

    def log_abs_det_jacobian(self, x, y):
        return -softplus(-x) - softplus(x)


class TanhTransform(_ParameterFree):
    """``y = tanh(x)``; ``log |dy/dx| = 2 (log 2 - x - softplus(-2 x))`` (stable for large |x|)."""

    codomain = constraints.interval(-1.0, 1.0)
    bijective = True
    sign = +1

    def _call(self, x):
        return x.tanh()

    def _inverse(self, y):
        return y.atanh()

    def log_abs_det_jacobian(self, x, y):
        return 2.0 * (math.log(2.0) - x - softplus(-2.0 * x))


def _same(a, b):
    """Whether two numbers or tensors are equal everywhere."""
    if isinstance(a, numbers.Number) and isinstance(b, numbers.Number):
        return a == b
    return bool((a == b).all())


class AffineTransform(Transform):
    """``y = loc + scale x``; ``log |dy/dx| = log |scale|`` (summed over ``event_dim`` rightmost dims)."""

    bijective = True

    def __init__(self, loc, scale, event_dim=0, cache_size=0):
        super().__init__(cache_size=cache_size)
        self.loc, self.scale, self._event_dim = loc, scale, event_dim

    @property
    def event_dim(self):
        return self._event_dim

    @property
    def domain(self):
        return constraints.independent(constraints.real, self._event_dim) if self._event_dim else constraints.real

    codomain = domain

    def __eq__(self, other):
        """Equal loc and scale (numbers or tensors, everywhere)."""
        return isinstance(other, AffineTransform) and _same(self.loc, other.loc) and _same(self.scale, other.scale)

    __hash__ = Transform.__hash__

    @property
    def sign(self):
        """The sign of ``scale`` (a number, or a tensor of signs)."""
        if isinstance(self.scale, numbers.Real):
            return 1 if float(self.scale) > 0 else -1 if float(self.scale) < 0 else 0
        return self.scale.sign()

    def _call(self, x):
        return self.loc + self.scale * x

    def _inverse(self, y):
        return (y - self.loc) / self.scale

    def log_abs_det_jacobian(self, x, y):
        shape = tuple(x.shape)
        if isinstance(self.scale, numbers.Real):
            result = full_like(x, math.log(abs(self.scale)))
        else:
            result = self.scale.abs().log()
        if self._event_dim:
            result = result.reshape(tuple(result.shape[:result.dim() - self._event_dim]) + (-1,)).sum(-1)
            shape = shape[:len(shape) - self._event_dim]
        return result.expand(shape)


class AbsTransform(_ParameterFree):
    """``y = |x|``: not invertible; ``inv`` picks the non-negative preimage ``x = y``."""

    codomain = constraints.positive

    def _call(self, x):
        return x.abs()

    def _inverse(self, y):
        return y


class SoftplusTransform(_ParameterFree):
    """``y = log(1 + e^x)``; ``x = y + log(-expm1(-y))``; ``log |dy/dx| = -softplus(-x)`` (log sigmoid x)."""

    codomain = constraints.positive
    bijective = True
    sign = +1

    def _call(self, x):
        return softplus(x)

    def _inverse(self, y):
        return (-(-y).expm1()).log() + y

    def log_abs_det_jacobian(self, x, y):
        return -softplus(-x)


class PowerTransform(Transform):
    """``y = x^exponent`` on the positive numbers; ``log |dy/dx| = log |exponent y / x|``."""

    domain = constraints.positive
    codomain = constraints.positive
    bijective = True

    def __init__(self, exponent, cache_size=0):
        super().__init__(cache_size=cache_size)
        (self.exponent,) = broadcast_all(exponent)

    def with_cache(self, cache_size=1):
        return self if self._cache_size == cache_size else PowerTransform(self.exponent, cache_size=cache_size)

    @property
    def sign(self):
        """The sign of ``exponent`` (a tensor)."""
        return self.exponent.sign()

    def __eq__(self, other):
        return isinstance(other, PowerTransform) and bool(self.exponent.eq(other.exponent).all())

    __hash__ = Transform.__hash__

    def _call(self, x):
        return x.pow(self.exponent)

    def _inverse(self, y):
        return y.pow(1 / self.exponent)

    def log_abs_det_jacobian(self, x, y):
        return (self.exponent * y / x).abs().log()

    def forward_shape(self, shape):
        return broadcast_shapes(shape, tuple(self.exponent.shape))

    inverse_shape = forward_shape


from .event_transforms import (  # noqa: E402  (they build on Transform above)
    ComposeTransform, CumulativeDistributionTransform, IndependentTransform, LowerCholeskyTransform, ReshapeTransform,
    SoftmaxTransform, StickBreakingTransform, identity_transform,
)
