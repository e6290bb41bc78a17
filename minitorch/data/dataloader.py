"""``DataLoader``: walk a dataset in (shuffled) mini-batches; ``default_collate``: samples -> batch.

One epoch is one pass of ``for batch in loader``. With ``shuffle=True`` every
epoch visits every sample exactly once, in a new random order drawn from
``generator`` (or the default generator, so ``minitorch.manual_seed`` repeats it).
"""
import math
import numbers
from collections.abc import Mapping

import numpy as np

from ..creation import from_numpy, tensor
from ..namespace import stack
from ..tensor import Tensor
from .dataset import Subset, TensorDataset, _rng


def _check_same_shapes(shapes, kind):
    if len(set(shapes)) > 1:
        raise ValueError(
            f"default_collate: cannot stack {kind} of different shapes {sorted(set(shapes))} into one batch; "
            f"make every sample the same shape (pad or crop) or pass DataLoader(collate_fn=...)."
        )


def default_collate(batch):
    """Turn a list of samples into one batch, keeping the samples' structure.

    - tensors of one shape ``s`` -> one tensor of shape ``(len(batch), *s)``
    - numpy arrays and numpy scalars -> one tensor, keeping their dtype
    - Python numbers -> a 1-D tensor: floats give float32 (minitorch's default;
      PyTorch's collate gives float64 here), ints give int64, bools give bool
    - strings -> the list of strings, unchanged
    - dicts -> a dict of batches, key by key
    - tuples and lists -> a list of batches, position by position (as PyTorch;
      a namedtuple stays a namedtuple), so ``x, y = batch`` works
    """
    if len(batch) == 0:
        raise ValueError("default_collate: the batch is empty; there is nothing to collate.")
    elem = batch[0]
    if isinstance(elem, Tensor):
        _check_same_shapes([tuple(t.shape) for t in batch], "tensors")
        return stack(batch)
    if isinstance(elem, np.ndarray):
        _check_same_shapes([np.shape(a) for a in batch], "arrays")
        return from_numpy(np.stack(batch))
    if isinstance(elem, (np.number, np.bool_)):  # before Python numbers: np.float64 is a float
        return from_numpy(np.array(batch))
    if isinstance(elem, numbers.Number):
        return tensor(batch)
    if isinstance(elem, (str, bytes)):
        return list(batch)
    if isinstance(elem, Mapping):
        for sample in batch:
            if set(sample) != set(elem):
                raise ValueError(
                    f"default_collate: dict samples must all have the same keys, got {sorted(elem)} "
                    f"and {sorted(sample)}."
                )
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, (tuple, list)):
        if len({len(sample) for sample in batch}) > 1:
            raise ValueError(
                f"default_collate: tuple/list samples must all have the same length, "
                f"got lengths {sorted({len(sample) for sample in batch})}."
            )
        columns = [default_collate(list(column)) for column in zip(*batch)]
        return type(elem)(*columns) if hasattr(elem, "_fields") else columns
    raise TypeError(
        f"default_collate: don't know how to batch samples of type {type(elem).__name__}; "
        f"samples may be tensors, numpy arrays, numbers, strings, or tuples/lists/dicts of these. "
        f"Pass DataLoader(collate_fn=...) to batch other types."
    )


def _tensor_rows(dataset, order):
    """``(tensors, rows)`` when ``dataset`` is a TensorDataset, or a Subset of one, else ``(None, order)``.

    ``rows`` are the rows of the tensors that the dataset indices ``order`` stand for. Exact types
    only: a subclass may change ``__getitem__`` (to augment data, say), and then each sample counts.
    """
    rows, base = order, dataset
    while type(base) is Subset:
        rows = np.asarray(base.indices, dtype=np.int64)[rows]
        base = base.dataset
    if type(base) is TensorDataset:
        return base.tensors, rows
    return None, order


def _check_flag(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"DataLoader: {name} must be True or False, got {value!r}.")


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` samples.

    Each epoch takes the indices ``0 .. len(dataset)-1`` (a fresh random
    permutation when ``shuffle=True``), cuts them into consecutive groups of
    ``batch_size`` (the last one smaller, or dropped when ``drop_last=True``),
    and turns each group into a batch with ``collate_fn`` (``default_collate``).

    For a ``TensorDataset`` (or a ``Subset`` of one) with the default collate,
    a batch is cut from each tensor with the whole index array at once
    (``X[indices]``) instead of one sample at a time: same batches, much faster.
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, collate_fn=None,
                 generator=None):
        if not (hasattr(dataset, "__getitem__") and hasattr(dataset, "__len__")):
            raise TypeError(
                f"DataLoader: the dataset must define __getitem__ and __len__ (a map-style dataset), "
                f"got a {type(dataset).__name__}."
            )
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size!r}.")
        _check_flag("shuffle", shuffle)
        _check_flag("drop_last", drop_last)
        if collate_fn is not None and not callable(collate_fn):
            raise TypeError(f"DataLoader: collate_fn must be a function or None, got {collate_fn!r}.")
        _rng("DataLoader", generator)  # checks the generator's type now rather than at the first epoch
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.collate_fn = default_collate if collate_fn is None else collate_fn
        self.generator = generator

    def __len__(self):
        """The number of batches in one epoch."""
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        order = _rng("DataLoader", self.generator).permutation(n) if self.shuffle else np.arange(n)
        return self._batches(order[: len(self) * self.batch_size])

    def _batches(self, order):
        fast = self.collate_fn is default_collate
        tensors, rows = _tensor_rows(self.dataset, order) if fast else (None, order)
        for start in range(0, len(order), self.batch_size):
            if tensors is not None:
                yield [t[rows[start:start + self.batch_size]] for t in tensors]
            else:
                indices = order[start:start + self.batch_size]
                yield self.collate_fn([self.dataset[int(i)] for i in indices])
