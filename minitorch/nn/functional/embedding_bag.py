"""``embedding_bag``: the sum, mean or max of the embeddings of each bag of indices, without
building the (indices, dim) embeddings per bag by hand.

The looked-up rows (``embedding``, times ``per_sample_weights``) are laid out as a
(bags, longest bag, dim) table by one index (a zero row fills the short bags and the
``padding_idx`` entries), then reduced along the bag: the gradients come from ``embedding``,
indexing and the reduction.
"""
import numpy as np

from ... import checks
from ...creation import tensor
from ...namespace import cat
from ._checks import check_param, check_tensors
from .sparse import embedding


def _bounds(op, input, offsets, include_last_offset):
    """(start, end) of every bag in the flattened input, as numpy arrays."""
    total = input.numel()
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError(f"{op}: offsets must be None for a 2-D input (each row is a bag), got a tensor.")
        starts = np.arange(input.shape[0]) * input.shape[1]
        return starts, starts + input.shape[1]
    if input.ndim != 1 or offsets is None or offsets.ndim != 1:
        raise ValueError(
            f"{op}: expected a 2-D input (bags, indices), or a 1-D input with 1-D offsets (where each bag "
            f"starts); got input of shape {tuple(input.shape)} and offsets "
            f"{None if offsets is None else tuple(offsets.shape)}."
        )
    if offsets._array.dtype.kind not in "iu":
        raise TypeError(f"{op}: offsets must be an integer tensor, got {offsets.dtype!r}.")
    bounds = np.asarray(offsets.cpu().numpy(), dtype=np.int64)
    if not include_last_offset:
        bounds = np.append(bounds, total)
    if bounds.size < 2 or bounds[0] != 0 or (np.diff(bounds) < 0).any() or bounds[-1] > total:
        raise ValueError(
            f"{op}: offsets must start at 0, never decrease and stay within the {total} indices, got "
            f"{offsets.tolist()}."
        )
    return bounds[:-1], bounds[1:]


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
    starts, ends = _bounds(op, input, offsets, include_last_offset)
    flat = input.reshape(-1)
    rows = embedding(flat, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq)
    if per_sample_weights is not None:
        if mode != "sum":
            raise NotImplementedError(f"{op}: per_sample_weights is only supported with mode='sum', got {mode!r}.")
        check_param(op, "per_sample_weights", per_sample_weights, tuple(input.shape), weight.dtype)
        rows = rows * per_sample_weights.reshape(-1, 1)
    lengths = ends - starts
    longest = max(int(lengths.max(initial=0)), 1)
    slot = starts[:, None] + np.arange(longest)
    valid = np.arange(longest) < lengths[:, None]
    if padding_idx is not None:
        index = np.asarray(flat.cpu().numpy())
        valid &= index[np.minimum(slot, max(index.size - 1, 0))] != padding_idx % weight.shape[0]
    filler = rows.new_zeros((1, weight.shape[1]))
    bags = cat([rows, filler])[tensor(np.where(valid, slot, rows.shape[0]), device=weight.device)]
    counts = valid.sum(1)
    if mode == "max":
        left_out = tensor(~valid[..., None], device=weight.device)
        empty = tensor(counts[:, None] == 0, device=weight.device)
        return bags.masked_fill(left_out, float("-inf")).max(1).values.masked_fill(empty, 0.0)
    total = bags.sum(1)
    if mode == "sum":
        return total
    return total / tensor(np.maximum(counts, 1)[:, None], dtype=weight.dtype, device=weight.device)
