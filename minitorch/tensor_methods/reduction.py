"""Reductions over dims: ``sum``, ``mean``, ``var``, ``max`` (values and indices), ``argmax``, ``prod``, ``norm``...

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
Every method that takes ``dim`` also takes numpy's name for it, ``axis`` (as PyTorch does).
"""
import functools

from .. import checks, dtypes
from .. import functions as ops
from ..autograd.composite import shown_as
from ..autograd.names import renamed
from ..autograd.function import tensor_class
from ..return_types import return_type

MaxResult = return_type("max", ["values", "indices"])
MinResult = return_type("min", ["values", "indices"])
AminmaxResult = return_type("aminmax", ["min", "max"])


def dim_alias(method):
    """Let ``method`` take ``axis=`` / ``keepdims=`` as other names for ``dim=`` / ``keepdim=`` (numpy's
    names; PyTorch accepts both)."""

    @functools.wraps(method)
    def with_axis(self, *args, **kwargs):
        for numpy_name, name in (("axis", "dim"), ("keepdims", "keepdim")):
            if numpy_name in kwargs:
                if name in kwargs:
                    raise TypeError(f"{method.__name__}(): got both {name} and {numpy_name}; "
                                    f"{numpy_name} is another name for {name}.")
                kwargs[name] = kwargs.pop(numpy_name)
        return method(self, *args, **kwargs)

    return with_axis


class ReductionMethods:
    """Reductions over dims: ``sum``, ``mean``, ``var``, ``max`` (values and indices), ``argmax``..."""

    __slots__ = ()

    def _axes(self, op, dim):
        return checks.dims(op, dim, self.ndim)

    def _axis(self, op, dim):
        return checks.dim(op, dim, self.ndim)

    def _along(self, op, dim):
        """(x, axis) for an op along one ``dim``: a 0-d tensor goes as one element, as in PyTorch."""
        axis = checks.dim(op, dim, self.ndim)
        return (self.reshape(1) if self.ndim == 0 else self), axis

    def _unalong(self, out):
        """The result of an op along one dim back in a 0-d tensor's shape (see ``_along``)."""
        return out.reshape(()) if self.ndim == 0 and out.ndim else out

    def _accumulating(self, dtype):
        """self as ``dtype`` if given, else integers and bools widened to int64 (sums and products)."""
        dtype = dtypes.to_dtype(dtype)
        if dtype is None and not self.is_floating_point():
            dtype = dtypes.int64
        return self if dtype is None else self.to(dtype)

    def _nonempty(self, op, dim, axes):
        """Refuse a max/min over nothing: it has no value (a sum over nothing is 0, a product 1)."""
        if dim is None and self._array.size == 0:
            error = IndexError if op.startswith("arg") else RuntimeError  # as PyTorch
            raise error(f"{op}(): the tensor is empty (shape {tuple(self.shape)}) and has no {op}. "
                        f"Pass dim= to reduce over a dimension that is not empty.")
        for axis in axes:
            if self.shape[axis] == 0:
                raise IndexError(f"{op}(): dimension {axis} of shape {tuple(self.shape)} is empty, so it has "
                                 f"no {op}.")
        return axes

    @dim_alias
    @renamed(lambda self, dim=None, *args, **kwargs: "SumBackward0" if dim is None else "SumBackward1")
    def sum(self, dim=None, keepdim=False, *, dtype=None):
        """Sum over ``dim`` (an int, a tuple, or None for every element).

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 2], [3, 4]])
        >>> x.sum(), x.sum(dim=0).tolist(), x.sum(dim=1, keepdim=True).tolist()
        (tensor(10), [4, 6], [[3], [7]])

        Integers and bools sum as int64; ``dtype`` converts first (``x.sum(dtype=minitorch.float64)``).
        """
        return ops.Sum.apply(self._accumulating(dtype), self._axes("sum", dim), keepdim)

    @dim_alias
    @renamed(lambda self, dim=None, *args, **kwargs: "MeanBackward0" if dim is None else "MeanBackward1")
    def mean(self, dim=None, keepdim=False, *, dtype=None):
        """The mean over ``dim`` (an int, a tuple, or None for every element); floating-point tensors only,
        or converted first to a floating ``dtype``.

        >>> import minitorch
        >>> minitorch.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(dim=1).tolist()
        [1.5, 3.5]
        >>> minitorch.tensor([1, 2]).mean(dtype=minitorch.float64)
        tensor(1.5000, dtype=minitorch.float64)
        """
        x = self if dtype is None else self.to(dtypes.to_dtype(dtype))
        checks.floating("mean", x)
        return ops.Mean.apply(x, x._axes("mean", dim), keepdim)

    @dim_alias
    @renamed(lambda self, dim=None, *args, **kwargs: "ProdBackward0" if dim is None else "ProdBackward1")
    def prod(self, dim=None, keepdim=False, *, dtype=None):
        """prod_i x_i: the product of all elements, or along one ``dim``; integers and bools give int64.

        The gradient is exact with zeros in the input (it never divides by x_i).

        >>> import minitorch
        >>> x = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> x.prod(), x.prod(dim=1).tolist()
        (tensor(24.), [2.0, 12.0])
        """
        axes = self._axes("prod", None if dim is None else checks.integer("prod", "dim", dim))
        return ops.Prod.apply(self._accumulating(dtype), axes, keepdim and dim is not None)

    @dim_alias
    @shown_as("NansumBackward0")
    def nansum(self, dim=None, keepdim=False, *, dtype=None):
        """The sum over ``dim`` with NaNs counted as 0 (they get no gradient).

        >>> import minitorch
        >>> minitorch.tensor([1.0, float("nan"), 2.0]).nansum()
        tensor(3.)
        """
        x = self.masked_fill(self.isnan(), 0) if self.is_floating_point() else self
        with checks.called_as("nansum", "sum"):
            return x.sum(dim, keepdim, dtype=dtype)

    @dim_alias
    def nanmean(self, dim=None, keepdim=False, *, dtype=None):
        """The mean over ``dim`` of the elements that are not NaN (NaN where all are).

        >>> import minitorch
        >>> minitorch.tensor([1.0, float("nan"), 2.0]).nanmean()
        tensor(1.5000)
        """
        x = self if dtype is None else self.to(dtypes.to_dtype(dtype))
        checks.floating("nanmean", x)
        return x.nansum(dim, keepdim) / x.isnan().logical_not().sum(dim, keepdim)

    @dim_alias
    def count_nonzero(self, dim=None):
        """The number of nonzero elements over ``dim`` (an int, a tuple, or None for all), int64.

        >>> import minitorch
        >>> minitorch.tensor([[0, 1], [2, 3]]).count_nonzero(dim=0).tolist()
        [1, 2]
        """
        with checks.called_as("count_nonzero", "sum"):
            return (self != 0).sum(dim)

    def aminmax(self, *, dim=None, keepdim=False):
        """(min, max) over one ``dim`` or all elements, in one call; ties share each gradient.

        >>> import minitorch
        >>> minitorch.tensor([[1, 5], [7, 2]]).aminmax(dim=1)
        minitorch.return_types.aminmax(
        min=tensor([1, 2]),
        max=tensor([5, 7]))
        """
        if dim is not None:
            dim = checks.integer("aminmax", "dim", dim)
        return AminmaxResult(self.amin(dim, keepdim), self.amax(dim, keepdim))

    @dim_alias
    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        """(sum_i |x_i|^p)^(1/p) over ``dim`` (all elements when None): p = 2 ("fro") is the Euclidean
        length, 1 the sum of |x_i|, inf the largest |x_i|, -inf the smallest, 0 the count of nonzeros.

        The gradient at x = 0 is 0, as PyTorch's. ``dtype`` converts first.

        >>> import minitorch
        >>> x = minitorch.tensor([3.0, -4.0])
        >>> x.norm(), x.norm(1), x.norm(float("inf"))
        (tensor(5.), tensor(7.), tensor(4.))
        """
        x = self if dtype is None else self.to(dtypes.to_dtype(dtype))
        checks.floating("norm", x)
        if p == "nuc":
            raise NotImplementedError("norm: p='nuc' (the nuclear norm) needs singular values, which "
                                      "minitorch does not compute. Use p='fro' or a number.")
        p = 2.0 if p == "fro" else checks.real("norm", "p", p)
        return ops.Norm.apply(x, p, x._axes("norm", dim), keepdim)

    def renorm(self, p, dim, maxnorm):
        """Each slice along ``dim`` whose p-norm exceeds ``maxnorm`` scaled by maxnorm / (norm + 1e-7),
        as PyTorch, to norm ``maxnorm``; the others unchanged. Differentiable.

        >>> import minitorch
        >>> minitorch.tensor([[3.0, 4.0], [0.3, 0.4]]).renorm(2, 0, 1.0)
        tensor([[0.6000, 0.8000],
                [0.3000, 0.4000]])
        """
        if self.ndim < 2:
            raise RuntimeError(f"renorm: the input needs at least 2 dimensions, got {self.ndim}.")
        axis = checks.dim("renorm", dim, self.ndim)
        p = checks.positive("renorm", "p", p, range_error=RuntimeError)
        maxnorm = checks.real("renorm", "maxnorm", maxnorm, minimum=0, range_error=RuntimeError)
        others = tuple(d for d in range(self.ndim) if d != axis)
        norms = checks.floating("renorm", self).norm(p, dim=others, keepdim=True)
        return self * (maxnorm / (norms + 1e-7)).clamp(max=1.0)

    @shown_as("DistBackward0", inputs=2)
    def dist(self, other, p=2):
        """||self - other||_p: the p-norm of the difference (the two broadcast).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 1.0]).dist(minitorch.tensor([4.0, 5.0]))
        tensor(5.)
        """
        return (self - checks.tensor("dist", "other", other)).norm(p)

    @dim_alias
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
        checks.real("var", "correction", correction)
        return ops.Var.apply(self, self._axes("var", dim), keepdim, correction)

    @dim_alias
    def std(self, dim=None, keepdim=False, correction=1, unbiased=None):
        """sqrt(var(...)): the standard deviation over ``dim``; ``correction=1`` divides by n - 1.
        Its gradient is 0 where the values are all equal, as PyTorch's.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 3.0])
        >>> x.std(), x.std(correction=0)
        (tensor(1.4142), tensor(1.))
        """
        checks.floating("std", self)
        if unbiased is not None:
            correction = 1 if unbiased else 0
        checks.real("std", "correction", correction)
        return ops.Std.apply(self, self._axes("std", dim), keepdim, correction)

    @dim_alias
    def logsumexp(self, dim, keepdim=False):
        """log(sum(exp(x))) over ``dim``, without overflow for large x.

        >>> import minitorch
        >>> minitorch.tensor([[0.0, 0.0], [100.0, 100.0]]).logsumexp(dim=1)  # e^100 overflows float32
        tensor([  0.6931, 100.6931])
        """
        checks.floating("logsumexp", self)
        return ops.LogSumExp.apply(self, self._axes("logsumexp", dim), keepdim)

    def _extreme(self, fn, arg, result, dim, keepdim):
        """max or min: of everything, over a tuple of dims, (values, indices) along one dim, or elementwise
        with another tensor (``maximum``/``minimum``, for ``x.max(other)``)."""
        name = fn.__name__.lower()
        if isinstance(dim, tensor_class()):
            return getattr(self, f"{name}imum")(dim)
        if dim is None or isinstance(dim, (tuple, list)):
            axes = self._nonempty(name, dim, self._axes(name, dim))
            return fn.apply(self, axes, keepdim and dim is not None)
        x, axis = self._along(name, dim)
        values = fn.apply(x, x._nonempty(name, dim, (axis,)), keepdim)
        return result(self._unalong(values), self._unalong(arg.apply(x, axis, keepdim)))

    @dim_alias
    @renamed(lambda self, dim=None, *args, **kwargs: None if dim is None else "MaxBackward0")
    def max(self, dim=None, keepdim=False):
        """The maximum: of everything (dim=None), or (values, indices) along an int ``dim``,
        or the values over a tuple of dims; ``x.max(other)`` with a tensor is ``maximum(x, other)``.

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 5], [7, 2]])
        >>> x.max()
        tensor(7)
        >>> x.max(dim=1)
        minitorch.return_types.max(
        values=tensor([5, 7]),
        indices=tensor([1, 0]))
        """
        return self._extreme(ops.Max, ops.ArgMax, MaxResult, dim, keepdim)

    @dim_alias
    def min(self, dim=None, keepdim=False):
        """Like ``max``, for the minimum; ``x.min(other)`` with a tensor is ``minimum(x, other)``.

        >>> import minitorch
        >>> values, indices = minitorch.tensor([[1, 5], [7, 2]]).min(dim=0)
        >>> values.tolist(), indices.tolist()
        ([1, 2], [0, 1])
        """
        return self._extreme(ops.Min, ops.ArgMin, MinResult, dim, keepdim)

    @dim_alias
    @renamed("AmaxBackward0")
    def amax(self, dim=None, keepdim=False):
        """The maximum over ``dim`` (an int, a tuple, or None for all), values only; ties share the gradient.

        >>> import minitorch
        >>> minitorch.tensor([[1, 5], [7, 2]]).amax(dim=1).tolist()
        [5, 7]
        """
        return ops.Max.apply(self, self._nonempty("amax", dim, self._axes("amax", dim)), keepdim)

    @dim_alias
    @renamed("AminBackward0")
    def amin(self, dim=None, keepdim=False):
        """The minimum over ``dim`` (an int, a tuple, or None for all), values only; ties share the gradient.

        >>> import minitorch
        >>> minitorch.tensor([[1, 5], [7, 2]]).amin(dim=0).tolist()
        [1, 2]
        """
        return ops.Min.apply(self, self._nonempty("amin", dim, self._axes("amin", dim)), keepdim)

    def _arg(self, op, name, dim, keepdim):
        """argmax or argmin: of the flattened tensor (dim=None), or along one dim."""
        if dim is None:
            self._nonempty(name, None, ())
            return op.apply(self, None, False)
        x, axis = self._along(name, dim)
        x._nonempty(name, dim, (axis,))
        return self._unalong(op.apply(x, axis, keepdim))

    @dim_alias
    def argmax(self, dim=None, keepdim=False):
        """The index (int64) of the largest element: of the flattened tensor, or along ``dim``.

        >>> import minitorch
        >>> minitorch.tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(dim=1).tolist()
        [1, 0]
        """
        return self._arg(ops.ArgMax, "argmax", dim, keepdim)

    @dim_alias
    def argmin(self, dim=None, keepdim=False):
        """The index (int64) of the smallest element: of the flattened tensor, or along ``dim``.

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 5], [7, 2]])
        >>> x.argmin(), x.argmin(dim=0).tolist()
        (tensor(0), [0, 1])
        """
        return self._arg(ops.ArgMin, "argmin", dim, keepdim)
