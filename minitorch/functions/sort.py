"""Sorting, selecting and counting: sort orders, top-k, k-th values, medians, modes; unique values,
bin counts, histograms and binary searches.

Each of these ops splits into two: an op with no gradient finds *which* elements (int64
indices: ``SortIndex``, ``SelectIndex``, ``ModeIndex``), and ``TakeAlong`` takes them from ``x``, the op that
gradients flow through (back to the elements that were taken; ``TakeTied`` shares it among
equal elements). A quantile's ranks (``QuantilePosition``) carry the gradient of ``q``.
Ties are broken as PyTorch breaks them on the CPU: sorts and medians are stable, a k-th value
of several equal elements is the one PyTorch's quickselect lands on, a mode is the smallest of
the most frequent values, at its last position.

The counting ops (``Unique``, ``BinCount``, ``Histc``, ``SearchSorted``) have no gradient either.
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module, move
from ._util import scatter_add
from .scan import running


def stable_argsort(x, axis, descending=False):
    """The indices that sort ``x`` along ``axis``; equal elements keep their order, NaN counts as largest.

    Descending: sort the reversed array ascending and reverse the result, so that equal elements
    still appear in their original order.
    """
    xp = array_module(x)
    if not descending:
        return xp.argsort(x, axis=axis, kind="stable")
    n = x.shape[axis]
    return n - 1 - xp.flip(xp.argsort(xp.flip(x, axis), axis=axis, kind="stable"), axis)


class TakeAlong(Op):
    """y = x[..., index, ...] along ``axis``;  dL/dx adds each dL/dy back where its element came from.

    The gradient of sort, topk, kthvalue, median, mode, cummax and cummin: the element that was
    taken gets the gradient (once per time it was taken), all others get 0.
    """

    keeps = ("index",)

    @staticmethod
    def forward(ctx, x, index, axis):
        ctx.shape, ctx.index, ctx.axis = x.shape, index, axis
        return array_module(x).take_along_axis(x, index, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        xp, index = array_module(grad), ctx.index
        out = xp.zeros(ctx.shape, dtype=grad.dtype)
        grid = [xp.arange(n).reshape([-1 if a == i else 1 for a in range(index.ndim)])
                for i, n in enumerate(index.shape)]
        grid[ctx.axis] = index
        scatter_add(out, tuple(grid), grad)  # cummax takes an element more than once
        return out


class TakeTied(Op):
    """y = x[index] (one element of a 1-d x, as a 0-d array);  dy/dx_i = 1/m for each of the m elements
    equal to it, 0 elsewhere: the whole-tensor median's gradient, shared by its ties as PyTorch shares it."""

    @staticmethod
    def forward(ctx, x, index):
        y = x[index[0]]
        ctx.save_for_backward(x)
        ctx.y = y
        return y

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        ties = (x == ctx.y) | ((x != x) & (ctx.y != ctx.y))
        return grad * ties / ties.sum()


class QuantilePosition(Op):
    """y = q (n - 1): the fractional rank of each ``q`` along ``axis`` of the sorted ``ranked``, with n the
    count of values (of non-NaN values, ``ignore_nan``);  dy/dq = n - 1.

    The rank is rounded as ``interpolation`` says (then dy/dq = 0), and is n - 1, a NaN, where a NaN
    is not ignored. The result has one entry per q along ``axis``.
    """

    @staticmethod
    def forward(ctx, ranked, q, axis, ignore_nan, interpolation):
        xp, n = array_module(ranked), ranked.shape[axis]
        nan = (ranked != ranked).sum(axis=axis, keepdims=True)
        q = q.reshape([-1 if a == axis else 1 for a in range(ranked.ndim)])
        scale = xp.maximum((n - nan if ignore_nan else n) - 1, 0).astype(ranked.dtype)
        if not ignore_nan:
            scale = xp.where(nan > 0, 0, scale)
        position = q * scale
        if interpolation != "linear":
            low, high = xp.floor(position), xp.ceil(position)
            position = {"lower": low, "higher": high, "midpoint": (low + high) / 2,
                        "nearest": xp.round(position)}[interpolation]
            scale = xp.zeros_like(scale)
        ctx.scale, ctx.axis = scale, axis
        return xp.where(nan > 0, n - 1, position).astype(ranked.dtype) if not ignore_nan else position

    @staticmethod
    def backward(ctx, grad):
        others = tuple(a for a in range(grad.ndim) if a != ctx.axis)
        return None, (grad * ctx.scale).sum(axis=others)


class SortIndex(Op):
    """The order that sorts ``x`` along ``axis`` (stable; NaN last ascending, first descending), int64;
    with ``k``, only the first k of it (``topk``). Among equal values ``topk`` keeps the original order:
    PyTorch leaves that order unspecified (its CPU kernel's depends on the C++ library's unstable
    partial sort), so both are right, and the values are the same."""

    differentiable = False

    @staticmethod
    def forward(ctx, x, axis, descending, k=None):
        order = stable_argsort(x, axis, descending).astype(np.int64)
        return order if k is None else array_module(x).take(order, array_module(x).arange(k), axis=axis)


def _quickselect(row, k):
    """The position in ``row`` (1-D) of its k-th smallest value (0-based), as PyTorch's CPU kernel finds it.

    A median-of-three quickselect (Hoare partition, NaN counted as largest) that swaps positions
    along with values, so that among equal values it ends on the same one as PyTorch.
    """
    values, where = list(row), list(range(len(row)))

    def above(a, b):  # a > b, with NaN above everything
        return (a != a and b == b) or a > b

    def swap(i, j):
        values[i], values[j] = values[j], values[i]
        where[i], where[j] = where[j], where[i]

    low, high = 0, len(values) - 1
    while high > low + 1:
        swap(low + (high - low) // 2, low + 1)
        for i, j in ((low + 1, high), (low, high), (low + 1, low)):
            if above(values[i], values[j]):
                swap(i, j)
        i, j, pivot = low + 1, high, values[low]
        while True:
            i += 1
            while above(pivot, values[i]):
                i += 1
            j -= 1
            while above(values[j], pivot):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(low, j)
        if j <= k:
            low = i
        if j >= k:
            high = j - 1
    if high == low + 1 and above(values[low], values[high]):
        swap(low, high)
    return where[k]


class SelectIndex(Op):
    """The index of the k-th smallest element along ``axis`` (``k`` 0-based: an int, or an int64 array of
    one k per slice, for ``nanmedian``), int64. Ties are broken by ``rule``, as PyTorch breaks them:

    - "median", "nanmedian": the k-th position of a stable sort; for "median" the first NaN of a
      slice that has one;
    - "kthvalue": where a stable sort finds the value tied with another, PyTorch's quickselect is
      replayed on that slice to land on the same one of the equal elements.
    """

    differentiable = False

    @staticmethod
    def forward(ctx, x, axis, k, rule):
        xp = array_module(x)
        moved = xp.moveaxis(x, axis, -1)
        rows = moved.reshape(-1, moved.shape[-1])
        ks = xp.broadcast_to(xp.asarray(k).reshape(-1), (rows.shape[0],))[:, None]
        index = xp.take_along_axis(stable_argsort(rows, -1), ks, axis=-1)[:, 0]
        if rule == "kthvalue":
            chosen = xp.take_along_axis(rows, index[:, None], axis=-1)
            tied = ((rows == chosen) | ((rows != rows) & (chosen != chosen))).sum(axis=-1) > 1
            for r in np.flatnonzero(move(tied, "cpu")):
                index[r] = _quickselect(move(rows[r], "cpu").tolist(), int(ks[r, 0]))
        if rule == "median" and x.dtype.kind == "f":
            nan = rows != rows
            index = xp.where(nan.any(axis=-1), xp.argmax(nan, axis=-1), index)
        return xp.moveaxis(index.reshape(moved.shape[:-1] + (1,)), -1, axis).astype(np.int64)


class ModeIndex(Op):
    """The index of the most frequent value along ``axis`` (the smallest such value; its last position), int64."""

    differentiable = False

    @staticmethod
    def forward(ctx, x, axis):
        xp = array_module(x)
        moved = xp.moveaxis(x, axis, -1)
        n = moved.shape[-1]
        order = stable_argsort(moved, -1)
        ranked = xp.take_along_axis(moved, order, axis=-1)
        position = xp.arange(n)
        new_run = xp.ones(ranked.shape, dtype=bool)
        new_run[..., 1:] = ranked[..., 1:] != ranked[..., :-1]
        ends_run = xp.roll(new_run, -1, axis=-1)
        ends_run[..., -1] = True
        start = running(xp.maximum, xp.where(new_run, position, 0), -1)
        end = xp.flip(running(xp.minimum, xp.flip(xp.where(ends_run, position, n), -1), -1), -1)
        best = xp.argmax(end - start, axis=-1)[..., None]  # the first longest run: the smallest value
        last = xp.take_along_axis(end, best, axis=-1)  # the stable sort puts its last position last
        return xp.moveaxis(xp.take_along_axis(order, last, axis=-1), -1, axis).astype(np.int64)


class Unique(Op):
    """The sorted distinct values of ``x`` (of its slices along ``axis`` when given), or with ``part``
    "inverse" the index of each element's value among them, or "counts" how often each occurs.

    ``consecutive``: only runs of equal neighbours collapse (``unique_consecutive``), nothing is sorted.
    """

    differentiable = False

    @staticmethod
    def forward(ctx, x, axis, consecutive, part):
        xp = array_module(x)
        moved = x.reshape(-1) if axis is None else xp.moveaxis(x, axis, 0)
        rows = moved.reshape(moved.shape[0], int(np.prod(moved.shape[1:])))  # -1 fails on an empty tensor
        if consecutive:
            new = xp.ones(rows.shape[0], dtype=bool)
            new[1:] = (rows[1:] != rows[:-1]).any(axis=1)
            starts = xp.flatnonzero(new)
            values, inverse = rows[starts], xp.cumsum(new) - 1
            counts = xp.diff(xp.append(starts, rows.shape[0]))
        else:
            values, inverse, counts = xp.unique(rows, axis=0, return_inverse=True, return_counts=True)
        if part == "inverse":
            return inverse.reshape(x.shape if axis is None else (-1,)).astype(np.int64)
        if part == "counts":
            return counts.astype(np.int64)
        values = values.reshape((-1,) + moved.shape[1:])
        return values if axis is None else xp.moveaxis(values, 0, axis)


class BinCount(Op):
    """out[v] = the number of times v occurs in ``x`` (or the sum of ``weights`` there), for v = 0..max."""

    op_name = "bincount"  # for error messages

    differentiable = False

    @staticmethod
    def forward(ctx, x, weights, minlength):
        out = array_module(x).bincount(x, weights, minlength)
        if weights is None:
            return out.astype(np.int64)
        return out.astype(weights.dtype if weights.dtype.kind == "f" else np.float64)


class Histc(Op):
    """A histogram of ``x``: ``bins`` equal bins over [low, high] (the data's range when both are 0);
    values outside are left out, the last bin includes ``high``."""

    differentiable = False

    @staticmethod
    def forward(ctx, x, bins, low, high):
        xp = array_module(x)
        if low == high == 0 and x.size:
            low, high = x.min().item(), x.max().item()
        if low == high:
            low, high = low - 1, high + 1
        counts, _ = xp.histogram(x, bins=bins, range=(low, high))  # leaves out what lies outside
        return counts.astype(x.dtype)


class SearchSorted(Op):
    """For each value, the index at which it would go in ``sequence`` (sorted along its last dim)
    to keep it sorted: before equal elements, or after them with ``right``."""

    op_name = "searchsorted"  # for error messages

    differentiable = False

    @staticmethod
    def forward(ctx, sequence, values, right, dtype):
        xp = array_module(sequence)
        if sequence.ndim == 1:
            return xp.searchsorted(sequence, values, side="right" if right else "left").astype(dtype)
        below = (sequence[..., None, :] <= values[..., None]) if right else (sequence[..., None, :] < values[..., None])
        return below.sum(axis=-1).astype(dtype)
