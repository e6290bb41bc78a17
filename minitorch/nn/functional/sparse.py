"""Lookups and padding: ``embedding`` (rows of a weight matrix picked by integer indices; repeated
indices add their gradients) and ``pad`` (constant, reflect, replicate, circular).
"""
import numpy as np

from ... import device_checks
from ... import functions as ops
from ...autograd.grad_mode import no_grad
from ...autograd.names import rename
from ...device import array_module
from ...errors import ShapeError
from ...functions.padding import NUMPY_MODES as _COPY_MODES
from ...tensor import Tensor
from ._checks import check_tensors


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Look up rows: y[..., :] = weight[input[...], :], for integer indices of any shape and a
    weight (num_embeddings, embedding_dim). The ``padding_idx`` row gets no gradient.

    - ``max_norm``: first rescale, in place in ``weight``, each looked-up row whose ``norm_type``-norm
      exceeds it to norm max_norm (as PyTorch: w * max_norm / (norm + 1e-7)); no gradient flows
      through that rescaling.
    - ``scale_grad_by_freq``: divide each row's gradient by how often its index occurs in ``input``.
    - ``sparse``: PyTorch's sparse gradient; minitorch has no sparse tensors, so the gradient is dense.
    """
    op = "embedding"
    check_tensors(op, input=input, weight=weight)
    if input._array.dtype.kind not in "iu":
        raise RuntimeError(
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
    if device_checks.fail_if(bad, IndexError, lambda: (
            f"{op}: index {index[bad].flat[0]} is out of range for {num} embeddings: indices must be in "
            f"[0, {num}). Check the vocabulary size (num_embeddings).")):
        input = Tensor._make(array_module(index).where(bad, 0, index), False, None, input.device)  # row 0 stands in
    if padding_idx is not None:
        if isinstance(padding_idx, bool) or not isinstance(padding_idx, (int, np.integer)) or not (
                -num <= padding_idx < num):
            raise ValueError(f"{op}: padding_idx must be an int in [-{num}, {num}), got {padding_idx!r}.")
        padding_idx = int(padding_idx) % num
    if max_norm is not None:
        _renorm_rows(weight, input._array, max_norm, norm_type)
    return ops.Embedding.apply(input, weight, padding_idx, bool(scale_grad_by_freq))


def _renorm_rows(weight, index, max_norm, norm_type):
    """Rows ``index`` of ``weight`` with a ``norm_type``-norm above ``max_norm`` scaled to that norm, in place."""
    xp = array_module(weight._array)
    rows = xp.unique(index.reshape(-1))
    with no_grad():
        norms = weight[Tensor._make(rows, False, None, weight.device)].norm(p=norm_type, dim=1, keepdim=True)
        scale = (max_norm / (norms + 1e-7)).clamp(max=1.0)
        weight._writable("embedding")[rows] *= scale._array


def pad(input, pad, mode="constant", value=None):
    """Pad the last dims of ``input``; ``pad`` lists (before, after) amounts from the LAST dim back:
    (left, right) pads the last dim, (left, right, top, bottom) the last two, and so on.

    - ``"constant"``: fill with ``value`` (default 0); negative amounts crop.
    - ``"reflect"`` (mirror, edge not repeated), ``"replicate"`` (edge repeated), ``"circular"``
      (wrap around): for the last 1 to 3 dims of an input with one or two more dims; negative
      amounts crop here too.
    """
    op = "pad"
    check_tensors(op, input=input)
    amounts = tuple(pad)
    if len(amounts) % 2 or len(amounts) // 2 > input.ndim or not all(
            isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in amounts):
        raise RuntimeError(
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
        raise NotImplementedError(  # PyTorch's class for a padding mode it does not have
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
        limit = {"reflect": size - 1, "circular": size + min(before, 0) + min(after, 0)}.get(mode)
        if (limit is not None and max(before, after) > limit) or size + before + after < 0 or size == 0:
            most = "" if limit is None else f"of at most {limit} "
            raise ValueError(
                f"{op}: mode {mode!r} needs padding amounts {most}for a non-empty dim of size {size} "
                f"(negative amounts crop, the whole dim at most; input shape {tuple(sizes)}), "
                f"got {before} and {after}."
            )
    if min(min(pair) for pair in pairs) >= 0:
        padded = ops.Pad.apply(input, tuple(pairs), mode, None)
        kind = {"reflect": "Reflection", "replicate": "Replication"}.get(mode)
        return padded if kind is None else rename(padded, f"{kind}Pad{count}DBackward0")  # PyTorch's names
    # negative amounts crop, as in PyTorch: after reflecting or replicating, before wrapping around
    positive = tuple((max(b, 0), max(a, 0)) for b, a in pairs)
    if mode == "circular":
        return ops.Pad.apply(_crop(input, pairs), positive, mode, None)
    return _crop(ops.Pad.apply(input, positive, mode, None), pairs)


def _crop(input, pairs):
    """``input`` without the elements that the negative (before, after) amounts of ``pairs`` remove."""
    return input[tuple(slice(-min(b, 0), n + min(a, 0)) for n, (b, a) in zip(input.shape, pairs))]
