"""Datasets: anything with ``dataset[i]`` and ``len(dataset)``, or a stream (``IterableDataset``).

``TensorDataset(X, y)`` pairs rows of tensors, ``Subset`` picks some indices of
another dataset, ``ConcatDataset`` / ``ChainDataset`` put datasets end to end,
``StackDataset`` zips them, and ``random_split`` cuts a dataset into random,
disjoint parts (train / validation / test), as in ``torch.utils.data``.
"""
import bisect
import itertools
import math
import numbers

from ..random import Generator, default_generator, rng
from ..tensor import Tensor

__all__ = [
    "Dataset", "IterableDataset", "TensorDataset", "StackDataset", "ConcatDataset", "ChainDataset", "Subset",
    "random_split",
]


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

    def __add__(self, other):
        """``a + b`` is ``ConcatDataset([a, b])``."""
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """Base class for datasets that are streams: subclasses define ``__iter__()``, not indexing.

    A ``DataLoader`` reads it in order (no sampler, no shuffle). With ``num_workers > 0`` each
    worker process iterates its own copy, so ``__iter__`` should use ``get_worker_info()`` to
    yield only its share, as in PyTorch.
    """

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__(self).")

    def __len__(self):
        raise TypeError(
            f"{type(self).__name__} is a stream without a length: define __len__(self) to give "
            f"len(dataset) and len(DataLoader(dataset)) a value."
        )

    def __add__(self, other):
        """``a + b`` is ``ChainDataset([a, b])``."""
        return ChainDataset([self, other])


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
        picked = [self.indices[i] for i in index] if isinstance(index, list) else self.indices[index]
        try:
            return self.dataset[picked]
        except IndexError as e:
            raise IndexError(f"Subset: sample {index} is index {picked} of the dataset, which refuses it "
                             f"({e}). Check the indices the Subset was made with.") from None

    def __len__(self):
        return len(self.indices)


class ConcatDataset(Dataset):
    """Map-style datasets end to end: indices ``0 .. len(a)-1`` are ``a``'s, then ``b``'s, ...

    ``cumulative_sizes[k]`` is the total length of the first ``k + 1`` datasets.
    """

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets is empty; give at least one dataset.")
        for k, dataset in enumerate(self.datasets):
            if isinstance(dataset, IterableDataset):
                raise TypeError(
                    f"ConcatDataset: dataset {k} is an IterableDataset, which has no indices; "
                    f"use ChainDataset to put streams end to end."
                )
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, index):
        n = len(self)
        if not -n <= index < n:
            raise IndexError(f"ConcatDataset: index {index} is out of range for {n} samples.")
        index %= n
        k = bisect.bisect_right(self.cumulative_sizes, index)
        return self.datasets[k][index - (self.cumulative_sizes[k - 1] if k else 0)]


class ChainDataset(IterableDataset):
    """Iterable datasets one after another: all of the first stream, then the second, ..."""

    def __init__(self, datasets):
        self.datasets = datasets

    def __iter__(self):
        for k, dataset in enumerate(self.datasets):
            if not isinstance(dataset, IterableDataset):
                raise TypeError(
                    f"ChainDataset: dataset {k} is a {type(dataset).__name__}, not an IterableDataset."
                )
            yield from dataset

    def __len__(self):
        return sum(len(dataset) for dataset in self.datasets)


class StackDataset(Dataset):
    """Datasets side by side: ``StackDataset(a, b)[i] == (a[i], b[i])``; with keywords, a dict.

    >>> StackDataset(image=[10, 11], label=[0, 1])[1]
    {'image': 11, 'label': 1}
    """

    def __init__(self, *args, **kwargs):
        if args and kwargs:
            raise ValueError(
                "StackDataset: give datasets either by position (tuples) or by keyword (dicts), not both."
            )
        if not (args or kwargs):
            raise ValueError("StackDataset: give at least one dataset.")
        self.datasets = args or kwargs
        lengths = {len(d) for d in (args or kwargs.values())}
        if len(lengths) > 1:
            raise ValueError(
                f"StackDataset: the datasets must all have the same length, got lengths {sorted(lengths)}."
            )
        self._length = lengths.pop()

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {key: dataset[index] for key, dataset in self.datasets.items()}
        return tuple(dataset[index] for dataset in self.datasets)

    def __len__(self):
        return self._length


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


def random_split(dataset, lengths, generator=default_generator):
    """Split ``dataset`` into disjoint, randomly chosen ``Subset`` objects of the given lengths.

    ``lengths`` are either ints that add up to ``len(dataset)`` or fractions that
    add up to 1 (``[0.8, 0.2]``); with fractions, each part gets
    ``floor(n * fraction)`` samples and the leftover ones go to the first parts,
    one each. The shuffle draws from ``generator`` (a ``minitorch.Generator``; by default
    ``minitorch.default_generator``, as PyTorch's), so ``minitorch.manual_seed`` makes it repeat.
    """
    counts = _split_lengths(lengths, len(dataset))
    order = _rng("random_split", generator).permutation(len(dataset)).tolist()
    parts, start = [], 0
    for count in counts:
        parts.append(Subset(dataset, order[start:start + count]))
        start += count
    return parts
