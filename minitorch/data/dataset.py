"""Datasets: anything with ``dataset[i]`` and ``len(dataset)``.

``TensorDataset(X, y)`` pairs rows of tensors, ``Subset`` picks some indices of
another dataset, and ``random_split`` cuts a dataset into random, disjoint
parts (train / validation / test), as in ``torch.utils.data``.
"""
import math
import numbers

from ..random import Generator, rng
from ..tensor import Tensor


def _rng(op, generator):
    """The numpy generator behind ``generator`` (or the default one), after checking its type."""
    if generator is not None and not isinstance(generator, Generator):
        raise TypeError(
            f"{op}: generator must be a minitorch.Generator or None, got {type(generator).__name__}."
        )
    return rng(generator)


class Dataset:
    """Base class for map-style datasets: subclasses define ``__getitem__(i)`` and ``__len__()``.

    ``dataset[i]`` returns the i-th sample, for 0 <= i < len(dataset); a sample
    is usually a tuple ``(input, target)``.
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(self, index).")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __len__(self).")


class TensorDataset(Dataset):
    """Samples are rows of tensors: ``dataset[i] == (tensors[0][i], tensors[1][i], ...)``.

    All tensors must have the same size along dimension 0 (one row per sample).
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor, e.g. TensorDataset(X, y).")
        for k, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"TensorDataset: argument {k} is a {type(t).__name__}, not a Tensor; "
                    f"wrap it with minitorch.tensor(...) first."
                )
            if t.ndim == 0:
                raise ValueError(
                    f"TensorDataset: argument {k} is a 0-dimensional tensor; it needs one row per sample."
                )
        sizes = [t.shape[0] for t in tensors]
        if len(set(sizes)) > 1:
            shapes = ", ".join(str(tuple(t.shape)) for t in tensors)
            raise ValueError(
                f"TensorDataset: all tensors must have the same size in dimension 0 (one row per sample), "
                f"got shapes {shapes}."
            )
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``: ``subset[i] == dataset[indices[i]]``."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index):
        return self.dataset[self.indices[index]]

    def __len__(self):
        return len(self.indices)


def _split_lengths(lengths, n):
    """Turn ``lengths`` (ints summing to n, or fractions summing to 1) into ints summing to n."""
    lengths = list(lengths)
    if any(isinstance(x, bool) or not isinstance(x, numbers.Real) for x in lengths):
        raise TypeError(f"random_split: lengths must be ints or fractions, got {lengths!r}.")
    if any(x < 0 for x in lengths):
        raise ValueError(f"random_split: lengths must not be negative, got {lengths!r}.")
    if all(isinstance(x, numbers.Integral) for x in lengths):
        if sum(lengths) != n:
            raise ValueError(
                f"random_split: the lengths {lengths!r} add up to {sum(lengths)}, "
                f"but the dataset has {n} samples; they must add up to exactly {n}."
            )
        return [int(x) for x in lengths]
    if any(x > 1 for x in lengths) or not math.isclose(sum(lengths), 1.0, abs_tol=1e-6):
        raise ValueError(
            f"random_split: fractions must lie in [0, 1] and add up to 1, got {lengths!r} "
            f"(sum {sum(lengths):g}); give either fractions or integer lengths, not both."
        )
    # floor each share, then hand the leftover samples out one by one, first part first
    counts = [math.floor(n * x) for x in lengths]
    for k in range(n - sum(counts)):
        counts[k % len(counts)] += 1
    return counts


def random_split(dataset, lengths, generator=None):
    """Split ``dataset`` into disjoint, randomly chosen ``Subset`` objects of the given lengths.

    ``lengths`` are either ints that add up to ``len(dataset)`` or fractions that
    add up to 1 (``[0.8, 0.2]``); with fractions, each part gets
    ``floor(n * fraction)`` samples and the leftover ones go to the first parts,
    one each. The shuffle draws from ``generator`` (a ``minitorch.Generator``) or
    from the default generator, so ``minitorch.manual_seed`` makes it repeat.
    """
    counts = _split_lengths(lengths, len(dataset))
    order = _rng("random_split", generator).permutation(len(dataset)).tolist()
    parts, start = [], 0
    for count in counts:
        parts.append(Subset(dataset, order[start:start + count]))
        start += count
    return parts
