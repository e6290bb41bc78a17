"""``TransformedDistribution``: the distribution of ``y = f_n(...f_1(x))`` for ``x`` from a base distribution.

Draws push the base's draws through the transforms; ``log_prob`` pulls ``y`` back and subtracts each
transform's log-Jacobian (the change-of-variables formula). ``rsample`` keeps the base's gradient path.

    >>> import minitorch
    >>> from minitorch.distributions import Normal, TransformedDistribution
    >>> from minitorch.distributions.transforms import ExpTransform
    >>> d = TransformedDistribution(Normal(0.0, 1.0), [ExpTransform()])  # a log-normal
    >>> round(d.log_prob(minitorch.tensor(1.0)).item(), 4)
    -0.9189
"""
from ..api import Size
from ..autograd import no_grad
from . import constraints
from .distribution import Distribution
from .independent import Independent
from .transforms import Transform
from .utils import sum_rightmost

__all__ = ["TransformedDistribution"]


class TransformedDistribution(Distribution):
    """The distribution of ``transforms`` (a Transform or a list, applied in order) of ``base_distribution``."""

    arg_constraints = {}

    def __init__(self, base_distribution, transforms, validate_args=None):
        if isinstance(transforms, Transform):
            transforms = [transforms]
        if not isinstance(transforms, (list, tuple)) or not all(isinstance(t, Transform) for t in transforms):
            raise ValueError(f"TransformedDistribution: transforms must be a Transform or a list of Transforms, "
                             f"got {transforms!r}.")
        self.transforms = list(transforms)
        base_event_dim = len(base_distribution.event_shape)
        event_dim = max([base_event_dim] + [t.codomain.event_dim for t in self.transforms])
        if event_dim > base_event_dim:  # a transform of vectors makes the base's rightmost batch dims an event
            base_distribution = Independent(base_distribution, event_dim - base_event_dim)
        self.base_dist = base_distribution
        shape = tuple(base_distribution.batch_shape) + tuple(base_distribution.event_shape)
        for t in self.transforms:  # a transform may reshape the events (stick-breaking adds a coordinate)
            shape = tuple(t.forward_shape(shape))
        cut = len(shape) - event_dim
        super().__init__(shape[:cut], shape[cut:], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        batch_shape = Size(batch_shape)
        new.transforms = self.transforms
        new.base_dist = self.base_dist.expand(tuple(batch_shape) + tuple(self.base_dist.batch_shape[
            len(self.base_dist.batch_shape) - (len(self._event_shape) - len(self.base_dist.event_shape)):]))
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def has_rsample(self):
        return self.base_dist.has_rsample

    @constraints.dependent_property
    def support(self):
        """The last transform's codomain (the base's support with no transforms), over the event's dims."""
        if not self.transforms:
            return self.base_dist.support
        codomain = self.transforms[-1].codomain
        extra = len(self._event_shape) - codomain.event_dim
        return constraints.independent(codomain, extra) if extra else codomain

    def sample(self, sample_shape=Size()):
        """The base's draw pushed through the transforms (no gradient)."""
        with no_grad():
            x = self.base_dist.sample(sample_shape)
            for t in self.transforms:
                x = t(x)
            return x

    def rsample(self, sample_shape=Size()):
        """The base's reparameterized draw pushed through the transforms: differentiable."""
        x = self.base_dist.rsample(sample_shape)
        for t in self.transforms:
            x = t(x)
        return x

    def log_prob(self, value):
        """``log p_base(x) - sum_i log |det J_i|``, pulling ``value`` back through the transforms."""
        if self._validate_args:
            self._validate_sample(value)
        event_dim = len(self._event_shape)
        log_prob, y = 0.0, value
        for t in reversed(self.transforms):
            x = t.inv(y)
            event_dim += t.domain.event_dim - t.codomain.event_dim
            log_prob = log_prob - sum_rightmost(t.log_abs_det_jacobian(x, y), event_dim - t.domain.event_dim)
            y = x
        return log_prob + sum_rightmost(self.base_dist.log_prob(y), event_dim - len(self.base_dist.event_shape))

    def _monotonize_cdf(self, value):
        """``value``, or ``1 - value`` where the composed transforms decrease."""
        sign = 1
        for t in self.transforms:
            sign = sign * t.sign
        if isinstance(sign, int) and sign == 1:
            return value
        return sign * (value - 0.5) + 0.5

    def cdf(self, value):
        """The base's cdf at the pulled-back value (transforms are monotone)."""
        for t in reversed(self.transforms):
            value = t.inv(value)
        if self._validate_args:
            self.base_dist._validate_sample(value)
        return self._monotonize_cdf(self.base_dist.cdf(value))

    def icdf(self, value):
        """The base's icdf pushed through the transforms."""
        value = self.base_dist.icdf(self._monotonize_cdf(value))
        for t in self.transforms:
            value = t(value)
        return value
