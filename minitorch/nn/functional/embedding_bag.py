"""``embedding_bag``: the sum, mean or max of the embeddings of each bag of indices, without
building the (indices, dim) embeddings per bag by hand.

The looked-up rows (``embedding``, times ``per_sample_weights``) are added (``index_add``) or
maximised (``scatter_reduce``) into the row of their bag; the ``padding_idx`` entries, and those
after the last offset, go to one extra row that is then dropped. The gradients come from
``embedding`` and those two ops. Nothing is read back from a GPU: each index finds its bag on the
device (``searchsorted`` in the offsets), and the offsets' values are checked there
(``device_checks``: deferred to the next host read on a GPU, as PyTorch's device asserts).
"""
import numpy as np

from ... import checks, device_checks
from ...device import array_module
from ...tensor import Tensor
from ._checks import check_param, check_tensors
from .sparse import embedding


def _bag_of_each_index(op, input, offsets, include_last_offset):
    """(the number of bags, the bag of every index of the flattened input as an int64 array on
    its device); an index in no bag (after the last offset) gets the number of bags."""
    xp = array_module(input.device)
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError(f"{op}: offsets must be None for a 2-D input (each row is a bag), got a tensor.")
        return input.shape[0], xp.repeat(xp.arange(input.shape[0]), input.shape[1])
    if input.ndim != 1 or offsets is None or offsets.ndim != 1 or offsets.shape[0] < 1 + include_last_offset:
        raise ValueError(
            f"{op}: expected a 2-D input (bags, indices), or a 1-D input with 1-D offsets (where each bag "
            f"starts; at least {1 + include_last_offset} of them); got input of shape {tuple(input.shape)} and "
            f"offsets {None if offsets is None else tuple(offsets.shape)}."
        )
    if offsets._array.dtype.kind not in "iu":
        raise TypeError(f"{op}: offsets must be an integer tensor, got {offsets.dtype!r}.")
    checks.same_device(op, input=input, offsets=offsets)
    starts, total = offsets._array.astype(np.int64), input.numel()
    bad = xp.concatenate([starts[:1] != 0, xp.diff(starts) < 0, starts[-1:] > total])
    device_checks.fail_if(bad, ValueError, lambda: (
        f"{op}: offsets must start at 0, never decrease and stay within the {total} indices, got "
        f"{offsets._array.tolist()}."))  # deferred on a GPU: indices in no valid bag are left out
    bags = starts.shape[0] - include_last_offset
    bag = xp.searchsorted(starts, xp.arange(total), side="right") - 1
    return bags, xp.where(bag < 0, bags, bag)  # bag < 0: before a first offset above 0 (deferred error)


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """y[b] = reduce over the indices k of bag b of weight[k] (times per_sample_weights[k] for "sum"):
    ``mode`` "sum", "mean" or "max"; an empty bag gives zeros, ``padding_idx`` entries are left out.

    Bags are the rows of a 2-D input, or the slices of a 1-D input that start at ``offsets``
    (with ``include_last_offset``, offsets' last entry is where the last bag ends).

    >>> import minitorch
    >>> weight = minitorch.arange(6.0).reshape(3, 2)
    >>> minitorch.nn.functional.embedding_bag(minitorch.tensor([0, 2, 1]), weight, minitorch.tensor([0, 2]))
    tensor([[2., 3.],
            [2., 3.]])
    """
    op = "embedding_bag"
    check_tensors(op, input=input, weight=weight)
    checks.choice(op, "mode", mode, ("sum", "mean", "max"))
    bags, bag = _bag_of_each_index(op, input, offsets, include_last_offset)
    flat = input.reshape(-1)
    rows = embedding(flat, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq)
    if per_sample_weights is not None:
        if mode != "sum":
            raise NotImplementedError(f"{op}: per_sample_weights is only supported with mode='sum', got {mode!r}.")
        check_param(op, "per_sample_weights", per_sample_weights, tuple(input.shape), weight.dtype)
        rows = rows * per_sample_weights.reshape(-1, 1)
    if padding_idx is not None:  # left out of every bag (and of the mean's count)
        bag = array_module(bag).where(flat._array == padding_idx % weight.shape[0], bags, bag)
    slot = Tensor._make(bag, False, None, weight.device)  # row ``bags``: what no bag takes, dropped
    out = rows.new_zeros((bags + 1, weight.shape[1]))
    if mode == "max":  # an empty bag keeps its zeros, as in PyTorch
        return out.scatter_reduce(0, slot.unsqueeze(1).expand(rows.shape), rows, "amax", include_self=False)[:bags]
    total = out.index_add(0, slot, rows)[:bags]
    if mode == "sum":
        return total
    counts = rows.new_zeros(bags + 1).index_add(0, slot, rows.new_ones(rows.shape[0]))[:bags]
    return total / counts.clamp(min=1).unsqueeze(1)
