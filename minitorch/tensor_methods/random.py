"""The Tensor's random methods: ``bernoulli``, ``multinomial`` and the in-place fills ``bernoulli_``,
``random_``, ``exponential_``, ``geometric_``, ``cauchy_``, ``log_normal_`` (``uniform_`` and
``normal_`` sit with the other in-place methods). Draws come from the seeded generator on the
CPU (see ``minitorch.random``), then are written into the tensor on its device.
"""
import numpy as np

from .. import functions as ops
from ..random import rng


def _sampling():
    """``minitorch.sampling``, imported when first needed (it imports the Tensor this mixin builds)."""
    from .. import sampling

    return sampling


def _random_bounds(dtype, low, high):
    """[low, high) for ``random_``: by default every integer the dtype holds exactly."""
    if high is None:
        if dtype.is_floating_point:
            high = 2 ** (np.finfo(dtype.np_dtype).nmant + 1) + 1
        elif dtype.np_dtype == np.bool_:
            high = 2
        else:
            high = int(np.iinfo(dtype.np_dtype).max) + 1
    if not low < high:
        raise RuntimeError(f"random_: expects 'from' to be less than 'to', but got from={low} >= to={high}.")
    return low, high


class RandomMethods:
    """Random sampling methods of ``Tensor``."""

    __slots__ = ()

    def _fill_random(self, op, draws):
        """Write ``draws`` (values of self's shape) into self; returns self. As in PyTorch, a tensor
        in the graph takes the fill as its history (no gradient flows back through it), and a leaf
        that requires grad is refused outside ``no_grad`` (``_records``)."""
        draws = self._on_my_device(np.asarray(draws).astype(self._array.dtype))
        if self._records(op):
            return self._store(op, ops.Copy.apply(self, draws))
        self._writable(op)[...] = draws
        return self

    def bernoulli(self, p=None, *, generator=None):
        """``out_i ~ Bernoulli(self_i)`` (see ``minitorch.bernoulli``).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 0.0]).bernoulli().tolist()
        [1.0, 0.0]
        """
        return _sampling().bernoulli(self, p, generator=generator)

    def multinomial(self, num_samples, replacement=False, *, generator=None):
        """Category indices drawn with probabilities proportional to this tensor's weights
        (see ``minitorch.multinomial``).

        >>> import minitorch
        >>> minitorch.tensor([0.0, 3.0]).multinomial(1).tolist()
        [1]
        """
        return _sampling().multinomial(self, num_samples, replacement, generator=generator)

    def bernoulli_(self, p=0.5, *, generator=None):
        """Filled in place with 1 with probability ``p`` (a number, or a tensor broadcast to this shape), else 0.

        >>> import minitorch
        >>> minitorch.zeros(3).bernoulli_(1.0).tolist()
        [1.0, 1.0, 1.0]
        """
        probabilities = np.broadcast_to(_sampling()._host(p) if hasattr(p, "_array") else p, self.shape)
        _sampling()._check_probabilities("bernoulli_", probabilities)
        return self._fill_random("bernoulli_", rng(generator).random(self.shape) < probabilities)

    def random_(self, *args, generator=None, **kwargs):
        """Filled in place with integers drawn uniformly: ``random_(to)`` from [0, to),
        ``random_(from, to)`` from [from, to), ``random_()`` over every integer the dtype holds exactly.

        >>> import minitorch
        >>> bool((minitorch.zeros(50).random_(3, 5) >= 3).all())
        True
        """
        bounds = [*args, *(kwargs.pop(name) for name in ("from", "to") if name in kwargs)]
        if kwargs or len(bounds) > 2:
            raise TypeError(f"random_() takes random_(to), random_(from, to) or random_(); got {args}, {kwargs}.")
        low, high = (0, None) if not bounds else (0, bounds[0]) if len(bounds) == 1 else bounds
        low, high = _random_bounds(self.dtype, low, high)
        return self._fill_random("random_", rng(generator).integers(low, high, self.shape, dtype=np.int64
                                                                      if high <= 2**63 else np.uint64))

    def exponential_(self, lambd=1.0, *, generator=None):
        """Filled in place with draws from the exponential distribution of rate ``lambd`` (mean 1/lambd).

        >>> import minitorch
        >>> bool((minitorch.zeros(20).exponential_(2.0) >= 0).all())
        True
        """
        if not lambd > 0:
            raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}.")
        return self._fill_random("exponential_", rng(generator).exponential(1.0 / lambd, self.shape))

    def geometric_(self, p, *, generator=None):
        """Filled in place with draws from the geometric distribution: the number of Bernoulli(p)
        trials up to and including the first success (1, 2, ...).

        >>> import minitorch
        >>> minitorch.zeros(3).geometric_(1.0).tolist()
        [1.0, 1.0, 1.0]
        """
        if not 0 < p <= 1:
            raise RuntimeError(f"geometric_ expects p to be in (0, 1], but got p={p}.")
        return self._fill_random("geometric_", rng(generator).geometric(p, self.shape))

    def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
        """Filled in place with draws from the Cauchy distribution ``median + sigma * tan(pi * (U - 1/2))``.

        >>> import minitorch
        >>> minitorch.zeros(2).cauchy_(median=3.0, sigma=0.0).tolist()
        [3.0, 3.0]
        """
        return self._fill_random("cauchy_", median + sigma * rng(generator).standard_cauchy(self.shape))

    def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
        """Filled in place with ``exp(N(mean, std^2))`` draws.

        >>> import minitorch
        >>> bool((minitorch.zeros(5).log_normal_() > 0).all())
        True
        """
        return self._fill_random("log_normal_", rng(generator).lognormal(mean, std, self.shape))
