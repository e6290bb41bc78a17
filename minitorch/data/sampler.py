"""Samplers: the order in which a ``DataLoader`` visits a dataset's indices, as ``torch.utils.data``.

A sampler is an iterable of indices (``SequentialSampler``, ``RandomSampler``, ...); a
``BatchSampler`` groups another sampler's indices into lists, one list per batch. Random samplers
draw from ``generator`` (a ``minitorch.Generator``) or, without one, from the default generator, so
``minitorch.manual_seed`` repeats them. The draws are numpy's, so a seeded order differs from
PyTorch's seeded order; what matches is every property (each index once, the weights, the lengths).
"""
import numpy as np

from ..tensor import Tensor
from .dataset import _rng


def flag(op, name, value, error=TypeError):
    """``value`` as a bool, else ``error`` (PyTorch raises TypeError or ValueError, by argument)."""
    if not isinstance(value, (bool, np.bool_)):
        raise error(f"{op}: {name} must be True or False, got {name}={value!r}.")
    return bool(value)


def count(op, name, value):
    """A positive number of samples; PyTorch raises ValueError for 0, -1 and 2.5 alike."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{op}: {name} must be a positive integer, got {name}={value!r}.")
    return int(value)


class Sampler:
    """Base class of samplers: subclasses define ``__iter__`` (the indices) and usually ``__len__``.

    ``data_source`` is accepted for PyTorch's older code and ignored, as in PyTorch.
    """

    def __init__(self, data_source=None):
        pass

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__(self).")


class SequentialSampler(Sampler):
    """The indices ``0, 1, ..., len(data_source) - 1`` in order."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """The indices of ``data_source`` in random order: a permutation, or draws with replacement.

    Without replacement, ``num_samples`` (default ``len(data_source)``) indices come from
    consecutive permutations, so each index appears ``num_samples // n`` or one more times. With
    ``replacement=True`` each of the ``num_samples`` indices is drawn uniformly on its own.
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = flag("RandomSampler", "replacement", replacement)
        self._num_samples = num_samples
        self.generator = generator
        _rng("RandomSampler", generator)
        count("RandomSampler", "num_samples", self.num_samples)

    @property
    def num_samples(self):
        """How many indices one pass yields (``len(data_source)`` unless given)."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        """Draws as they are asked for (32 at a time with replacement, one permutation at a time
        without), as PyTorch's: ``num_samples`` may be huge, as in an endless loader's sampler."""
        n, rng, left = len(self.data_source), _rng("RandomSampler", self.generator), self.num_samples
        while left > 0:
            drawn = rng.integers(0, n, size=min(32, left)) if self.replacement else rng.permutation(n)[:left]
            left -= len(drawn)
            yield from drawn.tolist()

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices``, each once, in a random order (a fresh one every pass)."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator
        _rng("SubsetRandomSampler", generator)

    def __iter__(self):
        order = _rng("SubsetRandomSampler", self.generator).permutation(len(self.indices))
        return (self.indices[i] for i in order.tolist())

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices ``i`` drawn with probability ``weights[i] / sum(weights)``.

    With ``replacement=False`` an index is drawn at most once (each draw among those left, with
    their weights), so ``num_samples`` may not exceed the number of non-zero weights.
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        op = "WeightedRandomSampler"
        self.num_samples = count(op, "num_samples", num_samples)
        self.replacement = flag(op, "replacement", replacement, ValueError)  # PyTorch's type here
        values = weights.detach().numpy() if isinstance(weights, Tensor) else weights
        self.weights = np.asarray(values, dtype=np.float64)
        if self.weights.ndim != 1:
            raise ValueError(f"{op}: weights must be a 1-D sequence, got shape {self.weights.shape}.")
        if not (np.isfinite(self.weights).all() and (self.weights >= 0).all() and self.weights.sum() > 0):
            raise RuntimeError(
                f"{op}: weights must be finite, non-negative and not all zero, got {self.weights.tolist()}."
            )
        if not self.replacement and self.num_samples > np.count_nonzero(self.weights):
            raise RuntimeError(
                f"{op}: cannot draw num_samples={self.num_samples} indices without replacement from "
                f"{np.count_nonzero(self.weights)} non-zero weights; lower num_samples or set "
                f"replacement=True."
            )
        self.generator = generator
        _rng(op, generator)

    def __iter__(self):
        rng = _rng("WeightedRandomSampler", self.generator)
        p = self.weights / self.weights.sum()
        draws = rng.choice(len(p), size=self.num_samples, replace=self.replacement, p=p)
        return iter(draws.tolist())

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler):
    """Group the indices of ``sampler`` into lists of ``batch_size`` (the last shorter, or dropped).

    >>> list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False))
    [[0, 1, 2], [3, 4, 5], [6]]
    >>> list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=True))
    [[0, 1, 2], [3, 4, 5]]
    """

    def __init__(self, sampler, batch_size, drop_last):
        self.sampler = sampler
        self.batch_size = count("BatchSampler", "batch_size", batch_size)
        self.drop_last = flag("BatchSampler", "drop_last", drop_last, ValueError)  # PyTorch's type here

    def __iter__(self):
        batch = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        whole, rest = divmod(len(self.sampler), self.batch_size)
        return whole + (1 if rest and not self.drop_last else 0)


__all__ = [
    "Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler",
    "BatchSampler",
]
