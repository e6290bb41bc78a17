"""``Distribution``: the base class of every probability distribution (PyTorch's interface).

A distribution holds tensors of parameters. Its ``batch_shape`` is the shape over which the
parameters vary (independent distributions side by side), its ``event_shape`` the shape of one
draw (``()`` for a number, ``(k,)`` for a one-hot vector). ``sample(sample_shape)`` and
``rsample`` return ``sample_shape + batch_shape + event_shape``; ``log_prob(value)`` and
``entropy()`` return one number per batch element (``sample_shape + batch_shape``), built from
minitorch's tensor ops, so their gradients come from the ops' hand-written backwards.

Validation (on unless ``python -O``, as in PyTorch; ``validate_args=`` or
``Distribution.set_default_validate_args`` switch it) checks the parameters against
``arg_constraints`` when the distribution is made and the values given to ``log_prob`` against
``support``: a value outside is a ValueError.
"""
import warnings

from ..api import Size
from ..autograd import no_grad
from ..tensor import Tensor
from . import constraints
from .utils import lazy_property

__all__ = ["Distribution"]


class Distribution:
    """A probability distribution over tensors of shape ``batch_shape + event_shape``.

    >>> import minitorch
    >>> from minitorch.distributions import Normal
    >>> Normal(minitorch.zeros(2), 1.0).batch_shape
    minitorch.Size([2])
    """

    has_rsample = False
    has_enumerate_support = False
    _validate_args = __debug__

    @staticmethod
    def set_default_validate_args(value):
        """Switch validation on (True) or off (False) for every distribution made afterwards."""
        if value not in (True, False):
            raise ValueError(f"Distribution.set_default_validate_args: value must be True or False, got {value!r}.")
        Distribution._validate_args = value

    def __init__(self, batch_shape=Size(), event_shape=Size(), validate_args=None):
        self._batch_shape = Size(batch_shape)
        self._event_shape = Size(event_shape)
        if validate_args is not None:
            self._validate_args = validate_args
        if self._validate_args:
            self._check_parameters()

    def _check_parameters(self):
        """Raise a ValueError for a parameter outside its ``arg_constraints`` set."""
        for name, constraint in self.arg_constraints.items():
            if constraints.is_dependent(constraint):
                continue
            if name not in self.__dict__ and isinstance(getattr(type(self), name, None), lazy_property):
                continue  # made from another parameter only when asked for
            value = getattr(self, name)
            if not bool(constraint.check(value).all()):
                raise ValueError(
                    f"Expected parameter {name} ({type(value).__name__} of shape {tuple(value.shape)}) of "
                    f"distribution {self!r} to satisfy the constraint {constraint!r}, but found invalid "
                    f"values:\n{value}"
                )

    @property
    def batch_shape(self):
        """The shape over which the parameters are batched."""
        return self._batch_shape

    @property
    def event_shape(self):
        """The shape of one sample, without batching."""
        return self._event_shape

    @property
    def arg_constraints(self):
        """The constraint each parameter (by name) must satisfy."""
        raise NotImplementedError(f"{type(self).__name__} does not define arg_constraints.")

    @property
    def support(self):
        """The constraint that the values of the distribution satisfy."""
        raise NotImplementedError(f"{type(self).__name__} does not define support.")

    @property
    def mean(self):
        """The mean, of shape ``batch_shape + event_shape``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement mean.")

    @property
    def mode(self):
        """The most likely value, of shape ``batch_shape + event_shape``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement mode.")

    @property
    def variance(self):
        """The variance, of shape ``batch_shape + event_shape``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement variance.")

    @property
    def stddev(self):
        """The standard deviation: the square root of ``variance``."""
        return self.variance.sqrt()

    def expand(self, batch_shape, _instance=None):
        """The distribution with its parameters expanded (not copied) to the larger ``batch_shape``;
        the parameters are not checked again."""
        batch_shape = Size(batch_shape)
        new = self.__new__(type(self)) if _instance is None else _instance
        kept = len(self._batch_shape)
        for name, value in self.__dict__.items():
            if isinstance(value, Tensor):  # a parameter: batch_shape + its own trailing dims
                value = value.expand(tuple(batch_shape) + tuple(value.shape[kept:]))
            new.__dict__[name] = value
        new._batch_shape = batch_shape
        return new

    def sample(self, sample_shape=Size()):
        """A sample (no gradient) of shape ``sample_shape + batch_shape + event_shape``."""
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=Size()):
        """A reparameterized sample: a differentiable function of the parameters and of noise."""
        raise NotImplementedError(f"{type(self).__name__} has no reparameterized sampler (rsample); "
                                  f"use sample(), which carries no gradient.")

    def sample_n(self, n):
        """``n`` samples: ``sample((n,))`` (PyTorch deprecates this spelling)."""
        warnings.warn("`sample_n(n)` will be deprecated. Use `sample((n,))` instead.", FutureWarning, stacklevel=2)
        return self.sample(Size((n,)))

    def log_prob(self, value):
        """The log of the density (or mass) at ``value``, of shape ``value``'s batch shape."""
        raise NotImplementedError(f"{type(self).__name__} does not implement log_prob.")

    def cdf(self, value):
        """The cumulative distribution function at ``value``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement cdf.")

    def icdf(self, value):
        """The inverse of the cumulative distribution function at ``value``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement icdf.")

    def enumerate_support(self, expand=True):
        """Every value of a discrete distribution along dim 0 (expanded over the batch if ``expand``)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement enumerate_support.")

    def entropy(self):
        """The entropy, of shape ``batch_shape``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement entropy.")

    def perplexity(self):
        """``exp(entropy())``."""
        return self.entropy().exp()

    def _extended_shape(self, sample_shape=Size()):
        """``sample_shape + batch_shape + event_shape``, the shape of a sample."""
        return Size(tuple(Size(sample_shape)) + tuple(self._batch_shape) + tuple(self._event_shape))

    def _validate_sample(self, value):
        """Raise a ValueError unless ``value`` is a tensor that fits the shapes and lies in the support."""
        if not isinstance(value, Tensor):
            raise ValueError(f"The value argument to log_prob must be a Tensor, got {type(value).__name__}.")
        start = value.dim() - len(self._event_shape)
        if tuple(value.shape[start:]) != tuple(self._event_shape):
            raise ValueError(f"The right-most size of value must match event_shape: "
                             f"{value.size()} vs {self._event_shape}.")
        expected = self._extended_shape()
        for i, j in zip(reversed(value.shape), reversed(expected)):
            if i != 1 and j != 1 and i != j:
                raise ValueError(f"Value is not broadcastable with batch_shape+event_shape: "
                                 f"{value.size()} vs {expected}.")
        if not bool(self.support.check(value).all()):
            raise ValueError(
                f"Expected value argument ({type(value).__name__} of shape {tuple(value.shape)}) to be within "
                f"the support ({self.support!r}) of the distribution {self!r}, but found invalid values:\n{value}"
            )

    def __repr__(self):
        shown = {name: self.__dict__[name] for name in self.arg_constraints if name in self.__dict__}
        args = ", ".join(f"{name}: {value if value.numel() == 1 else value.size()}" for name, value in shown.items())
        return f"{type(self).__name__}({args})"
