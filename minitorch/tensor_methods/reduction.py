"""Reductions over dims: ``sum``, ``mean``, ``var``, ``max`` (values and indices), ``argmax``...

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
from collections import namedtuple

from .. import checks
from .. import functions as ops


MaxResult = namedtuple("MaxResult", ["values", "indices"])
MinResult = namedtuple("MinResult", ["values", "indices"])


class ReductionMethods:
    """Reductions over dims: ``sum``, ``mean``, ``var``, ``max`` (values and indices), ``argmax``..."""

    __slots__ = ()

    def _axes(self, op, dim):
        return checks.dims(op, dim, self.ndim)

    def _axis(self, op, dim):
        return checks.dim(op, dim, self.ndim)

    def sum(self, dim=None, keepdim=False):
        """Sum over ``dim`` (an int, a tuple, or None for every element).

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 2], [3, 4]])
        >>> x.sum(), x.sum(dim=0).tolist(), x.sum(dim=1, keepdim=True).tolist()
        (tensor(10), [4, 6], [[3], [7]])
        """
        return ops.Sum.apply(self, self._axes("sum", dim), keepdim)

    def mean(self, dim=None, keepdim=False):
        """The mean over ``dim`` (an int, a tuple, or None for every element); floating-point tensors only.

        >>> import minitorch
        >>> minitorch.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(dim=1).tolist()
        [1.5, 3.5]
        """
        checks.floating("mean", self)
        return ops.Mean.apply(self, self._axes("mean", dim), keepdim)

    def var(self, dim=None, keepdim=False, correction=1, unbiased=None):
        """Variance over ``dim``; ``correction=1`` divides by n - 1 (unbiased), 0 by n.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0, 3.0, 4.0])
        >>> x.var().item(), x.var(correction=0).item()
        (1.6666666269302368, 1.25)
        """
        checks.floating("var", self)
        if unbiased is not None:
            correction = 1 if unbiased else 0
        return ops.Var.apply(self, self._axes("var", dim), keepdim, correction)

    def std(self, dim=None, keepdim=False, correction=1, unbiased=None):
        """sqrt(var(...)): the standard deviation over ``dim``; ``correction=1`` divides by n - 1.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 3.0])
        >>> x.std(), x.std(correction=0)
        (tensor(1.4142), tensor(1.))
        """
        return self.var(dim, keepdim, correction, unbiased).sqrt()

    def logsumexp(self, dim, keepdim=False):
        """log(sum(exp(x))) over ``dim``, without overflow for large x.

        >>> import minitorch
        >>> minitorch.tensor([[0.0, 0.0], [100.0, 100.0]]).logsumexp(dim=1)  # e^100 overflows float32
        tensor([  0.6931, 100.6931])
        """
        checks.floating("logsumexp", self)
        return ops.LogSumExp.apply(self, self._axes("logsumexp", dim), keepdim)

    def _extreme(self, fn, arg, result, dim, keepdim):
        """max or min: of everything, over a tuple of dims, or (values, indices) along one dim."""
        if dim is None:
            return fn.apply(self, self._axes(fn.__name__.lower(), None), False)
        if isinstance(dim, (tuple, list)):
            return fn.apply(self, self._axes(fn.__name__.lower(), dim), keepdim)
        axis = self._axis(fn.__name__.lower(), dim)
        values = fn.apply(self, (axis,), keepdim)
        return result(values, arg.apply(self, axis, keepdim))

    def max(self, dim=None, keepdim=False):
        """The maximum: of everything (dim=None), or (values, indices) along an int ``dim``,
        or the values over a tuple of dims.

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 5], [7, 2]])
        >>> x.max()
        tensor(7)
        >>> x.max(dim=1)
        MaxResult(values=tensor([5, 7]), indices=tensor([1, 0]))
        """
        return self._extreme(ops.Max, ops.ArgMax, MaxResult, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        """Like ``max``, for the minimum.

        >>> import minitorch
        >>> values, indices = minitorch.tensor([[1, 5], [7, 2]]).min(dim=0)
        >>> values.tolist(), indices.tolist()
        ([1, 2], [0, 1])
        """
        return self._extreme(ops.Min, ops.ArgMin, MinResult, dim, keepdim)

    def amax(self, dim=None, keepdim=False):
        """The maximum over ``dim`` (an int, a tuple, or None for all), values only; ties share the gradient.

        >>> import minitorch
        >>> minitorch.tensor([[1, 5], [7, 2]]).amax(dim=1).tolist()
        [5, 7]
        """
        return ops.Max.apply(self, self._axes("amax", dim), keepdim)

    def amin(self, dim=None, keepdim=False):
        """The minimum over ``dim`` (an int, a tuple, or None for all), values only; ties share the gradient.

        >>> import minitorch
        >>> minitorch.tensor([[1, 5], [7, 2]]).amin(dim=0).tolist()
        [1, 2]
        """
        return ops.Min.apply(self, self._axes("amin", dim), keepdim)

    def argmax(self, dim=None, keepdim=False):
        """The index (int64) of the largest element: of the flattened tensor, or along ``dim``.

        >>> import minitorch
        >>> minitorch.tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(dim=1).tolist()
        [1, 0]
        """
        if dim is None:
            return ops.ArgMax.apply(self, None, False)
        return ops.ArgMax.apply(self, self._axis("argmax", dim), keepdim)

    def argmin(self, dim=None, keepdim=False):
        """The index (int64) of the smallest element: of the flattened tensor, or along ``dim``.

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 5], [7, 2]])
        >>> x.argmin(), x.argmin(dim=0).tolist()
        (tensor(0), [0, 1])
        """
        if dim is None:
            return ops.ArgMin.apply(self, None, False)
        return ops.ArgMin.apply(self, self._axis("argmin", dim), keepdim)
