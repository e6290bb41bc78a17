"""Sorting and order statistics: ``sort``, ``topk``, ``kthvalue``, ``median``, ``mode``, ``quantile``;
counting: ``unique``, ``bincount``, ``histc``.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call ``Op.apply`` (``minitorch.functions``, here ``ops``). The
order statistics find indices with an op that has no gradient, then take the values with
``ops.TakeAlong``, which carries the gradient back to the elements taken.
"""

import numpy as np

from .. import checks, dtypes
from .. import functions as ops
from ..autograd.composite import composite, shown_as
from ..autograd.names import rename, renamed
from ..autograd.function import tensor_class
from ..return_types import return_type
from .reduction import dim_alias

SortResult = return_type("sort", ["values", "indices"])
TopKResult = return_type("topk", ["values", "indices"])
KthvalueResult = return_type("kthvalue", ["values", "indices"])
MedianResult = return_type("median", ["values", "indices"])
ModeResult = return_type("mode", ["values", "indices"])

INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


class SortMethods:
    """Sorting and order statistics: ``sort``, ``topk``, ``kthvalue``, ``median``, ``mode``, ``quantile``..."""

    __slots__ = ()

    def _take(self, result, index_op, name, dim, keepdim, *args):
        """(values, indices) along ``dim``: ``index_op`` picks the indices, ``TakeAlong`` the values."""
        x, axis = self._along(name, dim)
        indices = index_op.apply(x, axis, *args)
        values = ops.TakeAlong.apply(x, indices, axis)
        if not keepdim and index_op is not ops.SortIndex:
            values, indices = values.squeeze(axis), indices.squeeze(axis)
        return result(self._unalong(values), self._unalong(indices))

    def _size_along(self, name, dim):
        return self.shape[checks.dim(name, dim, self.ndim)] if self.ndim else 1

    @dim_alias
    @renamed("SortBackward0")
    def sort(self, dim=-1, descending=False, *, stable=False):
        """(values, indices) sorted along ``dim``; equal elements keep their order (every sort is stable,
        so ``stable`` changes nothing), NaN counts as the largest value.

        >>> import minitorch
        >>> minitorch.tensor([3, 1, 2]).sort(descending=True)
        minitorch.return_types.sort(
        values=tensor([3, 2, 1]),
        indices=tensor([0, 2, 1]))
        """
        return self._take(SortResult, ops.SortIndex, "sort", dim, True, bool(descending))

    @dim_alias
    def argsort(self, dim=-1, descending=False, *, stable=False):
        """The indices (int64) that sort the tensor along ``dim`` (stable, as ``sort``).

        >>> import minitorch
        >>> minitorch.tensor([3, 1, 2, 1]).argsort().tolist()
        [1, 3, 2, 0]
        """
        x, axis = self._along("argsort", dim)
        return self._unalong(ops.SortIndex.apply(x, axis, bool(descending)))

    def msort(self):
        """The tensor sorted along its first dim: ``sort(dim=0).values``.

        >>> import minitorch
        >>> minitorch.tensor([[2, 1], [1, 3]]).msort().tolist()
        [[1, 1], [2, 3]]
        """
        return self.sort(dim=0).values

    def _rank(self, name, k, dim, low):
        """``k`` checked against the size along ``dim``: an int from ``low`` up to the size."""
        k, size = checks.integer(name, "k", k), self._size_along(name, dim)
        if not low <= k <= size:
            raise RuntimeError(f"{name}: k must be between {low} and the size of dim {dim} ({size}), got {k}.")
        return k

    @dim_alias
    @renamed("TopkBackward0")
    def topk(self, k, dim=None, largest=True, sorted=True):
        """(values, indices) of the ``k`` largest elements along ``dim`` (the last when None), largest first;
        the ``k`` smallest, smallest first, with ``largest=False``. Among equal values the original
        order is kept (PyTorch leaves it unspecified); ``sorted=False`` returns them sorted too.

        >>> import minitorch
        >>> minitorch.tensor([1, 5, 3, 4]).topk(2)
        minitorch.return_types.topk(
        values=tensor([5, 4]),
        indices=tensor([1, 3]))
        """
        dim = -1 if dim is None else dim
        k = self._rank("topk", k, dim, 0)
        return self._take(TopKResult, ops.SortIndex, "topk", dim, True, bool(largest), k)

    @dim_alias
    @shown_as("KthvalueBackward0")
    def kthvalue(self, k, dim=-1, keepdim=False):
        """(values, indices) of the ``k``-th smallest element along ``dim`` (k = 1 is the smallest).

        >>> import minitorch
        >>> minitorch.tensor([[3.0, 1.0, 2.0]]).kthvalue(2, dim=1)
        minitorch.return_types.kthvalue(
        values=tensor([2.]),
        indices=tensor([2]))
        """
        k = self._rank("kthvalue", k, dim, 1)
        return self._take(KthvalueResult, ops.SelectIndex, "kthvalue", dim, keepdim, k - 1, "kthvalue")

    def _median(self, name, dim, keepdim, ignore_nan):
        if dim is None:  # one node over self, as PyTorch's MedianBackward0 / NanmedianBackward0
            return composite(f"{name.capitalize()}Backward0", lambda t: t._median_of_all(name, ignore_nan), self)
        return composite(f"{name.capitalize()}Backward1",
                         lambda t: t._median_along(name, dim, keepdim, ignore_nan), self)

    def _median_along(self, name, dim, keepdim, ignore_nan):
        x, axis = self._along(name, dim)
        return self._take(MedianResult, ops.SelectIndex, name, dim, keepdim, x._median_rank(axis, ignore_nan), name)

    def _median_of_all(self, name, ignore_nan):
        flat = self.reshape(-1)
        if flat.shape[0] == 0:
            return tensor_class()._make(np.full((), np.nan, self._array.dtype), False, None, self._device)
        k = flat._median_rank(0, ignore_nan)
        return ops.TakeTied.apply(flat, ops.SelectIndex.apply(flat, 0, k, name))

    def _median_rank(self, axis, ignore_nan):
        """The 0-based rank of the (lower) median along ``axis``: one per slice when NaNs are left out."""
        if not ignore_nan or not self.is_floating_point():
            return (self.shape[axis] - 1) // 2
        valid = self.isnan().logical_not().sum(axis, keepdim=True)._array
        return np.maximum((valid - 1) // 2, 0)

    @dim_alias
    def median(self, dim=None, keepdim=False):
        """The median: of all elements (a tensor; the gradient is shared by the elements equal to it), or
        (values, indices) along ``dim``. With an even count, the lower of the two middle values; NaN if
        there is a NaN.

        >>> import minitorch
        >>> x = minitorch.tensor([[1.0, 4.0, 2.0, 3.0]])
        >>> x.median()
        tensor(2.)
        >>> x.median(dim=1)
        minitorch.return_types.median(
        values=tensor([2.]),
        indices=tensor([2]))
        """
        return self._median("median", dim, keepdim, False)

    @dim_alias
    def nanmedian(self, dim=None, keepdim=False):
        """Like ``median``, with the NaNs left out (NaN only where everything is NaN).

        >>> import minitorch
        >>> minitorch.tensor([1.0, float("nan"), 3.0, 2.0]).nanmedian()
        tensor(2.)
        """
        return self._median("nanmedian", dim, keepdim, True)

    @dim_alias
    def mode(self, dim=-1, keepdim=False):
        """(values, indices) of the most frequent value along ``dim``: the smallest of those equally
        frequent, at its last position (as PyTorch).

        >>> import minitorch
        >>> minitorch.tensor([3, 1, 3, 1, 2]).mode()
        minitorch.return_types.mode(
        values=tensor(1),
        indices=tensor(3))
        """
        return self._take(ModeResult, ops.ModeIndex, "mode", dim, keepdim)

    def _quantile(self, name, q, dim, keepdim, interpolation):
        checks.floating(name, self)
        checks.choice(name, "interpolation", interpolation, INTERPOLATIONS)
        qs = q if isinstance(q, tensor_class()) else tensor_class()._make(np.asarray(q, float), False, None)
        qs = qs.to(self.dtype).to(self._device)
        if qs.ndim > 1 or not (qs >= 0).logical_and(qs <= 1).all().item():
            raise RuntimeError(f"{name}: q must be a number or a 1-d tensor of numbers in [0, 1], got {q!r}.")
        x, axis = (self.reshape(-1), 0) if dim is None else self._along(name, dim)
        ranked = x.sort(axis).values
        position = ops.QuantilePosition.apply(ranked, qs.reshape(-1), axis, name == "nanquantile", interpolation)
        below = position.long()
        above = below + (position > below).long()
        low, high = ops.TakeAlong.apply(ranked, below, axis), ops.TakeAlong.apply(ranked, above, axis)
        out = low.lerp(high, position - below)  # from the nearer end, as PyTorch's
        out = out if axis == 0 else out.movedim(axis, 0)
        if keepdim:
            out = out.reshape((-1,) + (1,) * self.ndim) if dim is None else out.unsqueeze(axis + 1)
        return rename(out.squeeze(0), "SqueezeBackward4") if qs.ndim == 0 else out

    @dim_alias
    def quantile(self, q, dim=None, keepdim=False, *, interpolation="linear"):
        """The ``q``-quantiles along ``dim`` (of all elements when None), by linear interpolation between
        the two nearest ranks (or ``interpolation`` "lower", "higher", "midpoint", "nearest"); NaN where
        there is a NaN. A 1-d ``q`` adds a first dim, one entry per q.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0, 3.0, 4.0])
        >>> x.quantile(0.5), x.quantile(minitorch.tensor([0.0, 0.25])).tolist()
        (tensor(2.5000), [1.0, 1.75])
        """
        return self._quantile("quantile", q, dim, keepdim, interpolation)

    @dim_alias
    def nanquantile(self, q, dim=None, keepdim=False, *, interpolation="linear"):
        """Like ``quantile``, with the NaNs left out (NaN only where everything is NaN).

        >>> import minitorch
        >>> minitorch.tensor([1.0, float("nan"), 3.0]).nanquantile(0.5)
        tensor(2.)
        """
        return self._quantile("nanquantile", q, dim, keepdim, interpolation)

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        """The distinct values, sorted (also with ``sorted=False``); with ``return_inverse`` the index of
        each element's value among them, with ``return_counts`` how often each occurs. With ``dim``, the
        distinct slices along it.

        >>> import minitorch
        >>> minitorch.tensor([3, 1, 3, 2]).unique(return_inverse=True, return_counts=True)
        (tensor([1, 2, 3]), tensor([2, 0, 2, 1]), tensor([1, 1, 2]))
        """
        return self._unique("unique", False, return_inverse, return_counts, dim)

    def unique_consecutive(self, return_inverse=False, return_counts=False, dim=None):
        """Like ``unique``, collapsing only runs of equal neighbours (nothing is sorted).

        >>> import minitorch
        >>> minitorch.tensor([1, 1, 2, 2, 1]).unique_consecutive(return_counts=True)
        (tensor([1, 2, 1]), tensor([2, 2, 1]))
        """
        return self._unique("unique_consecutive", True, return_inverse, return_counts, dim)

    def _unique(self, name, consecutive, return_inverse, return_counts, dim):
        axis = None if dim is None else checks.dim(name, dim, self.ndim)
        parts = ["values"] + ["inverse"] * bool(return_inverse) + ["counts"] * bool(return_counts)
        found = tuple(ops.Unique.apply(self, axis, consecutive, part) for part in parts)
        return found if len(found) > 1 else found[0]

    def bincount(self, weights=None, minlength=0):
        """out[v] = how often v occurs in this 1-d tensor of non-negative integers (or the sum of ``weights``
        there), for v = 0 .. max(max + 1, ``minlength``) - 1.

        >>> import minitorch
        >>> minitorch.tensor([0, 2, 2]).bincount().tolist()
        [1, 0, 2]
        """
        minlength = checks.integer("bincount", "minlength", minlength, minimum=0)
        if self.ndim != 1 or self.is_floating_point() or self.dtype == dtypes.bool_:
            raise RuntimeError(f"bincount: expected a 1-d tensor of integers, got {self.dtype!r} of shape "
                               f"{tuple(self.shape)}.")
        if self.numel() and self.min().item() < 0:
            raise RuntimeError("bincount: the values must be non-negative, got a negative one.")
        if weights is not None and tuple(weights.shape) != tuple(self.shape):
            raise RuntimeError(f"bincount: weights must have the input's shape {tuple(self.shape)}, "
                               f"got {tuple(weights.shape)}.")
        return ops.BinCount.apply(self, weights, minlength)

    def histc(self, bins=100, min=0, max=0):
        """A histogram: the count of elements in each of ``bins`` equal bins over [min, max] (the data's
        range when both are 0); elements outside are left out.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 1.0]).histc(bins=4, min=0, max=3).tolist()
        [0.0, 2.0, 1.0, 0.0]
        """
        checks.floating("histc", self)
        bins = checks.integer("histc", "bins", bins, minimum=1)
        low, high = checks.real("histc", "min", min), checks.real("histc", "max", max)
        if low > high:
            raise RuntimeError(f"histc: max must be at least min, got min={low} and max={high}.")
        return ops.Histc.apply(self, bins, low, high)
