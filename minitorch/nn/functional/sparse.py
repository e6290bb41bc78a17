"""Lookups and padding: ``embedding`` (rows of a weight matrix picked by integer indices; repeated
indices add their gradients) and ``pad`` (constant, reflect, replicate, circular).
"""
import numpy as np

from ... import functions as ops
from ...errors import ShapeError
from ...functions.padding import NUMPY_MODES as _COPY_MODES
from ._checks import check_tensors


def embedding(input, weight, padding_idx=None):
    """Look up rows: y[..., :] = weight[input[...], :], for integer indices of any shape and a
    weight (num_embeddings, embedding_dim). The ``padding_idx`` row gets no gradient."""
    op = "embedding"
    check_tensors(op, input=input, weight=weight)
    if input._array.dtype.kind not in "iu":
        raise TypeError(
            f"{op}: input must hold integer indices (an int64 tensor), got {input.dtype!r}. "
            f"Convert it with .long()."
        )
    if weight.ndim != 2:
        raise ShapeError(
            f"{op}: weight must be 2-D (num_embeddings, embedding_dim), got shape {tuple(weight.shape)}."
        )
    num = weight.shape[0]
    index = input._array
    bad = (index < 0) | (index >= num)
    if bad.any():
        raise IndexError(
            f"{op}: index {index[bad].flat[0]} is out of range for {num} embeddings: indices must be in "
            f"[0, {num}). Check the vocabulary size (num_embeddings)."
        )
    if padding_idx is not None:
        if isinstance(padding_idx, bool) or not isinstance(padding_idx, (int, np.integer)) or not (
                -num <= padding_idx < num):
            raise ValueError(f"{op}: padding_idx must be an int in [-{num}, {num}), got {padding_idx!r}.")
        padding_idx = int(padding_idx) % num
    return ops.Embedding.apply(input, weight, padding_idx)


def pad(input, pad, mode="constant", value=None):
    """Pad the last dims of ``input``; ``pad`` lists (before, after) amounts from the LAST dim back:
    (left, right) pads the last dim, (left, right, top, bottom) the last two, and so on.

    - ``"constant"``: fill with ``value`` (default 0); negative amounts crop.
    - ``"reflect"`` (mirror, edge not repeated), ``"replicate"`` (edge repeated), ``"circular"``
      (wrap around): for the last 1 to 3 dims of an input with one or two more dims.
    """
    op = "pad"
    check_tensors(op, input=input)
    amounts = tuple(pad)
    if len(amounts) % 2 or len(amounts) // 2 > input.ndim or not all(
            isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in amounts):
        raise ValueError(
            f"{op}: pad must be an even-length sequence of ints with at most 2 * ndim = {2 * input.ndim} "
            f"entries ((before, after) for the last dim first), got {pad!r}."
        )
    count = len(amounts) // 2
    pairs = [(0, 0)] * (input.ndim - count) + [(int(amounts[2 * k]), int(amounts[2 * k + 1]))
                                                 for k in reversed(range(count))]
    sizes = input.shape
    if mode == "constant":
        for size, (before, after) in zip(sizes, pairs):
            if size + before + after < 0:
                raise ShapeError(
                    f"{op}: the input of shape {tuple(sizes)} padded by {pad!r} would have a negative size."
                )
        return ops.Pad.apply(input, tuple(pairs), mode, 0 if value is None else value)
    if mode not in _COPY_MODES:
        raise ValueError(
            f"{op}: mode must be 'constant', 'reflect', 'replicate' or 'circular', got {mode!r}."
        )
    if value is not None and value != 0:
        raise ValueError(f"{op}: mode {mode!r} copies pixels and takes no value (got value={value!r}).")
    if not 1 <= count <= 3 or input.ndim not in (count + 1, count + 2):
        raise ShapeError(
            f"{op}: mode {mode!r} pads the last 1 to 3 dims of an input with one or two more dims "
            f"(e.g. (N, C, H, W) with 4 pad values); got {len(amounts)} pad values for shape {tuple(sizes)}."
        )
    for size, (before, after) in zip(sizes, pairs):
        limit = size - 1 if mode == "reflect" else size
        if min(before, after) < 0 or max(before, after) > limit or size == 0:
            raise ValueError(
                f"{op}: mode {mode!r} needs padding amounts between 0 and {limit} for a dim of size "
                f"{size} (input shape {tuple(sizes)}), got {before} and {after}."
            )
    return ops.Pad.apply(input, tuple(pairs), mode, None)
