"""``default_collate``: a list of samples -> one batch; ``default_convert``: numpy -> tensors.

Both follow ``torch.utils.data``'s rules, type by type, so a batch has PyTorch's structure and
dtypes (Python floats give float64, as in PyTorch).
"""
import numbers
from collections.abc import Mapping, Sequence

import numpy as np

from ..creation import from_numpy, tensor
from ..dtypes import float64
from ..errors import ShapeError
from ..namespace import stack
from ..tensor import Tensor


def _check_same(values, what, aspect):
    """ShapeError (a RuntimeError, as PyTorch's, and a ValueError) when ``values`` are not all equal."""
    if len(set(values)) > 1:
        raise ShapeError(
            f"default_collate: {what} must all have the same {aspect} to be batched, got different "
            f"{aspect}s {sorted(set(values))}; make every sample the same {aspect} (pad or crop) or pass "
            f"DataLoader(collate_fn=...)."
        )


def _is_numeric_array(value):
    """A numpy array or scalar of numbers or bools (not strings or objects), as PyTorch converts."""
    return isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind in "biufc"


def default_collate(batch):
    """Turn a list of samples into one batch, keeping the samples' structure, as PyTorch's.

    - tensors of one shape ``s`` -> one tensor of shape ``(len(batch), *s)``
    - numpy arrays and numpy scalars -> one tensor, keeping their dtype
    - Python floats -> a float64 tensor, ints -> int64, bools -> bool (PyTorch's dtypes)
    - strings and bytes -> the samples as they came (a list, or a tuple inside a tuple sample)
    - dicts -> a dict of batches, key by key
    - tuples and lists -> a list of batches, position by position (a namedtuple stays a
      namedtuple), so ``x, y = batch`` works

    >>> default_collate([(1, 2.0), (3, 4.0)])
    [tensor([1, 3]), tensor([2., 4.], dtype=minitorch.float64)]
    """
    if len(batch) == 0:
        raise ValueError("default_collate: the batch is empty; there is nothing to collate.")
    elem = batch[0]
    if isinstance(elem, Tensor):
        _check_same([tuple(t.shape) for t in batch], "tensors", "shape")
        return stack(list(batch))
    if _is_numeric_array(elem):
        _check_same([np.shape(a) for a in batch], "arrays", "shape")
        return from_numpy(np.stack(batch))
    if isinstance(elem, numbers.Integral):  # bools too: bool is an int, and tensor() keeps them bool
        return tensor(list(batch))
    if isinstance(elem, numbers.Real):
        return tensor(list(batch), dtype=float64)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, Mapping):
        other = next((sample for sample in batch if set(sample) != set(elem)), None)
        if other is not None:
            raise ValueError(
                f"default_collate: dict samples must all have the same keys, got "
                f"{sorted(map(repr, elem))} and {sorted(map(repr, other))}."
            )
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a namedtuple
        return type(elem)(*(default_collate(column) for column in zip(*batch)))
    if isinstance(elem, Sequence):
        _check_same([len(sample) for sample in batch], "tuple/list samples", "length")
        return [default_collate(column) for column in zip(*batch)]
    raise TypeError(
        f"default_collate: don't know how to batch samples of type {type(elem).__name__}; "
        f"samples may be tensors, numpy arrays of numbers, numbers, strings, or tuples/lists/dicts "
        f"of these. Pass DataLoader(collate_fn=...) to batch other types."
    )


def default_convert(data):
    """Turn numpy arrays and numpy scalars into tensors, inside any dicts, tuples and lists.

    What ``DataLoader(batch_size=None)`` applies to each sample (no batching). Other values
    (tensors, Python numbers, strings) come back as they are; tuples come back as lists, as in
    PyTorch.

    >>> import numpy as np
    >>> default_convert({"x": np.zeros(2), "id": 3})
    {'x': tensor([0., 0.], dtype=minitorch.float64), 'id': 3}
    """
    if _is_numeric_array(data):
        return from_numpy(np.asarray(data))
    if isinstance(data, Mapping):
        return {key: default_convert(value) for key, value in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(value) for value in data))
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        return [default_convert(value) for value in data]
    return data
