"""Transforms made of transforms (``ComposeTransform``, ``IndependentTransform``) and transforms of whole
events (vectors onto the simplex, matrices onto Cholesky factors, reshapes, a distribution's CDF).

All are importable from ``minitorch.distributions.transforms``, as PyTorch spells them.

    >>> import minitorch
    >>> from minitorch.distributions.transforms import StickBreakingTransform
    >>> y = StickBreakingTransform()(minitorch.zeros(3))  # R^3 onto the 4-simplex: the centre
    >>> [round(v, 4) for v in y.tolist()]
    [0.25, 0.25, 0.25, 0.25]
"""
import functools
import operator

from .. import dtypes
from ..api import Size
from ..checks import integer
from ..nn.functional import logsigmoid, pad
from . import constraints
from .transforms import Transform, _ParameterFree
from .utils import sum_rightmost

__all__ = ["ComposeTransform", "CumulativeDistributionTransform", "IndependentTransform", "LowerCholeskyTransform",
           "ReshapeTransform", "SoftmaxTransform", "StickBreakingTransform", "identity_transform"]


def _with_event_dim(constraint, event_dim):
    """``constraint`` over ``event_dim`` rightmost dims (unchanged when it already covers as many)."""
    extra = event_dim - constraint.event_dim
    return constraints.independent(constraint, extra) if extra > 0 else constraint


class ComposeTransform(Transform):
    """``parts`` applied in order, ``y = f_n(...f_1(x))``; ``log |det J|`` is the sum of the parts' (each summed
    over the dims that later parts treat as one event). With no parts it is the identity."""

    def __init__(self, parts, cache_size=0):
        if not all(isinstance(part, Transform) for part in parts):
            raise TypeError(f"ComposeTransform: parts must be Transforms, got {parts!r}.")
        if cache_size:
            parts = [part.with_cache(cache_size) for part in parts]
        super().__init__(cache_size=cache_size)
        self.parts = list(parts)

    def __eq__(self, other):
        return isinstance(other, ComposeTransform) and self.parts == other.parts

    __hash__ = Transform.__hash__

    @property
    def domain(self):
        """The first part's domain, over as many dims as the whole composition treats as one event."""
        if not self.parts:
            return constraints.real
        event_dim = self.parts[-1].codomain.event_dim
        for part in reversed(self.parts):
            event_dim = max(event_dim + part.domain.event_dim - part.codomain.event_dim, part.domain.event_dim)
        return _with_event_dim(self.parts[0].domain, event_dim)

    @property
    def codomain(self):
        """The last part's codomain, over as many dims as the whole composition treats as one event."""
        if not self.parts:
            return constraints.real
        event_dim = self.parts[0].domain.event_dim
        for part in self.parts:
            event_dim = max(event_dim + part.codomain.event_dim - part.domain.event_dim, part.codomain.event_dim)
        return _with_event_dim(self.parts[-1].codomain, event_dim)

    @property
    def bijective(self):
        return all(part.bijective for part in self.parts)

    @property
    def sign(self):
        """The product of the parts' signs."""
        return functools.reduce(operator.mul, (part.sign for part in self.parts), 1)

    @property
    def inv(self):
        """The inverses of the parts, in reverse order."""
        if self._inv is None:
            self._inv = ComposeTransform([part.inv for part in reversed(self.parts)])
            self._inv._inv = self
        return self._inv

    def with_cache(self, cache_size=1):
        return self if self._cache_size == cache_size else ComposeTransform(self.parts, cache_size=cache_size)

    def _call(self, x):
        for part in self.parts:
            x = part(x)
        return x

    def log_abs_det_jacobian(self, x, y):
        if not self.parts:
            return x.new_zeros(x.shape)
        xs = [x]
        for part in self.parts[:-1]:
            xs.append(part(xs[-1]))
        xs.append(y)
        terms, event_dim = [], self.domain.event_dim
        for part, before, after in zip(self.parts, xs[:-1], xs[1:]):
            terms.append(sum_rightmost(part.log_abs_det_jacobian(before, after), event_dim - part.domain.event_dim))
            event_dim += part.codomain.event_dim - part.domain.event_dim
        return functools.reduce(operator.add, terms)

    def forward_shape(self, shape):
        for part in self.parts:
            shape = part.forward_shape(shape)
        return shape

    def inverse_shape(self, shape):
        for part in reversed(self.parts):
            shape = part.inverse_shape(shape)
        return shape

    def __repr__(self):
        return "ComposeTransform(\n    " + ",\n    ".join(repr(part) for part in self.parts) + "\n)"


#: The transform that changes nothing: a composition of no parts.
identity_transform = ComposeTransform([])


class IndependentTransform(Transform):
    """``base_transform`` over events of ``reinterpreted_batch_ndims`` more rightmost dims: ``log |det J|`` is
    summed over them."""

    def __init__(self, base_transform, reinterpreted_batch_ndims, cache_size=0):
        super().__init__(cache_size=cache_size)
        self.base_transform = base_transform.with_cache(cache_size)
        self.reinterpreted_batch_ndims = integer("IndependentTransform", "reinterpreted_batch_ndims",
                                                 reinterpreted_batch_ndims, minimum=0)

    def with_cache(self, cache_size=1):
        return self if self._cache_size == cache_size else \
            IndependentTransform(self.base_transform, self.reinterpreted_batch_ndims, cache_size=cache_size)

    @property
    def domain(self):
        return constraints.independent(self.base_transform.domain, self.reinterpreted_batch_ndims)

    @property
    def codomain(self):
        return constraints.independent(self.base_transform.codomain, self.reinterpreted_batch_ndims)

    @property
    def bijective(self):
        return self.base_transform.bijective

    @property
    def sign(self):
        return self.base_transform.sign

    def _call(self, x):
        if x.dim() < self.domain.event_dim:
            raise ValueError("Too few dimensions on input")
        return self.base_transform(x)

    def _inverse(self, y):
        if y.dim() < self.codomain.event_dim:
            raise ValueError("Too few dimensions on input")
        return self.base_transform.inv(y)

    def log_abs_det_jacobian(self, x, y):
        return sum_rightmost(self.base_transform.log_abs_det_jacobian(x, y), self.reinterpreted_batch_ndims)

    def forward_shape(self, shape):
        return self.base_transform.forward_shape(shape)

    def inverse_shape(self, shape):
        return self.base_transform.inverse_shape(shape)

    def __repr__(self):
        return f"IndependentTransform({self.base_transform!r}, {self.reinterpreted_batch_ndims})"


class ReshapeTransform(Transform):
    """Events of ``in_shape`` reshaped to ``out_shape`` (as many elements); ``log |det J| = 0``."""

    bijective = True

    def __init__(self, in_shape, out_shape, cache_size=0):
        self.in_shape, self.out_shape = Size(in_shape), Size(out_shape)
        if self.in_shape.numel() != self.out_shape.numel():
            raise ValueError(f"in_shape, out_shape have different numbers of elements: "
                             f"{tuple(self.in_shape)} vs {tuple(self.out_shape)}")
        super().__init__(cache_size=cache_size)

    def with_cache(self, cache_size=1):
        return self if self._cache_size == cache_size else \
            ReshapeTransform(self.in_shape, self.out_shape, cache_size=cache_size)

    @property
    def domain(self):
        return constraints.independent(constraints.real, len(self.in_shape))

    @property
    def codomain(self):
        return constraints.independent(constraints.real, len(self.out_shape))

    def _call(self, x):
        return x.reshape(tuple(x.shape[:x.dim() - len(self.in_shape)]) + tuple(self.out_shape))

    def _inverse(self, y):
        return y.reshape(tuple(y.shape[:y.dim() - len(self.out_shape)]) + tuple(self.in_shape))

    def log_abs_det_jacobian(self, x, y):
        return x.new_zeros(tuple(x.shape[:x.dim() - len(self.in_shape)]))

    def _swap(self, shape, old, new):
        """``shape`` with its trailing ``old`` event replaced by ``new``."""
        cut = len(shape) - len(old)
        if cut < 0 or tuple(shape[cut:]) != tuple(old):
            raise ValueError(f"Shape mismatch: expected {tuple(shape[cut:])} but got {tuple(old)}")
        return Size(tuple(shape[:cut]) + tuple(new))

    def forward_shape(self, shape):
        return self._swap(shape, self.in_shape, self.out_shape)

    def inverse_shape(self, shape):
        return self._swap(shape, self.out_shape, self.in_shape)


class SoftmaxTransform(_ParameterFree):
    """``y = softmax(x)`` onto the simplex: not invertible (adding a constant to x changes nothing); ``inv``
    gives ``log y``, one preimage."""

    domain = constraints.real_vector
    codomain = constraints.simplex

    def _call(self, x):
        exp = (x - x.max(-1, keepdim=True)[0]).exp()
        return exp / exp.sum(-1, keepdim=True)

    def _inverse(self, y):
        return y.log()


def _stick_offsets(k, like):
    """``log(k), log(k - 1), ..., log(1)``: shifting ``x`` by them maps 0 onto the simplex's centre."""
    return (k + 1 - like.new_ones(k).cumsum(-1)).log()


class StickBreakingTransform(_ParameterFree):
    """R^K onto the (K+1)-simplex by breaking a stick: ``z_k = sigmoid(x_k - log(K + 1 - k))``, ``y_k = z_k
    prod_(j<k) (1 - z_j)`` and the rest ``prod_j (1 - z_j)`` last. The Jacobian is triangular, so
    ``log |det J| = sum_k log y_k + log(1 - z_k)``."""

    domain = constraints.real_vector
    codomain = constraints.simplex
    bijective = True

    def _call(self, x):
        z = (x - _stick_offsets(x.shape[-1], x)).sigmoid()
        rest = (1 - z).cumprod(-1)
        return pad(z, (0, 1), value=1.0) * pad(rest, (1, 0), value=1.0)

    def _inverse(self, y):
        head = y[..., :-1]
        rest = (1 - head.cumsum(-1)).clamp(min=dtypes.finfo(y.dtype).tiny)
        return head.log() - rest.log() + _stick_offsets(head.shape[-1], y)

    def log_abs_det_jacobian(self, x, y):
        shifted = x - _stick_offsets(x.shape[-1], x)
        return (logsigmoid(-shifted) + y[..., :-1].log()).sum(-1)

    def forward_shape(self, shape):
        if len(shape) < 1:
            raise ValueError("Too few dimensions on input")
        return Size(tuple(shape[:-1]) + (shape[-1] + 1,))

    def inverse_shape(self, shape):
        if len(shape) < 1:
            raise ValueError("Too few dimensions on input")
        return Size(tuple(shape[:-1]) + (shape[-1] - 1,))


class LowerCholeskyTransform(_ParameterFree):
    """A square matrix onto a Cholesky factor: its strictly lower triangle kept, its diagonal exponentiated
    (the upper triangle dropped, so not invertible; ``inv`` takes the log of the diagonal)."""

    domain = constraints.independent(constraints.real, 2)
    codomain = constraints.lower_cholesky

    def _call(self, x):
        return x.tril(-1) + x.diagonal(dim1=-2, dim2=-1).exp().diag_embed()

    def _inverse(self, y):
        return y.tril(-1) + y.diagonal(dim1=-2, dim2=-1).log().diag_embed()


class CumulativeDistributionTransform(Transform):
    """``y = F(x)``, the CDF of a continuous ``distribution``, onto [0, 1]; ``inv`` is its ``icdf`` and
    ``log |dy/dx|`` its ``log_prob``."""

    codomain = constraints.unit_interval
    bijective = True
    sign = +1

    def __init__(self, distribution, cache_size=0):
        super().__init__(cache_size=cache_size)
        self.distribution = distribution

    def with_cache(self, cache_size=1):
        return self if self._cache_size == cache_size else \
            CumulativeDistributionTransform(self.distribution, cache_size=cache_size)

    @property
    def domain(self):
        return self.distribution.support

    def _call(self, x):
        return self.distribution.cdf(x)

    def _inverse(self, y):
        return self.distribution.icdf(y)

    def log_abs_det_jacobian(self, x, y):
        return self.distribution.log_prob(x)
