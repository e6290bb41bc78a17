"""Numerics made of other ops: cov, corrcoef, addr, diagflat, sum_to_size, dsplit, the out-of-place
scatters (select_scatter, slice_scatter, diagonal_scatter), index_reduce and frexp; and histogram,
which no gradient flows through.

Each is a composition (matmul and sums for cov, an indexed write into a clone for the scatters,
``scatter_reduce`` for index_reduce, a product with a power of two for frexp's mantissa), so its
gradient comes from the ops it is made of.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call the ops (``minitorch.functions``) through other methods.
"""

import numpy as np

from .. import checks
from ..autograd.function import tensor_class
from ..device import array_module
from ..functions._util import broadcasts_to
from ..return_types import return_type

FrexpResult = return_type("frexp", ["mantissa", "exponent"])
HistogramResult = return_type("histogram", ["hist", "bin_edges"])


class NumericsMethods:
    """cov, corrcoef, addr, diagflat, sum_to_size, dsplit, *_scatter, index_reduce, frexp, histogram."""

    __slots__ = ()

    def cov(self, *, correction=1, fweights=None, aweights=None):
        """The covariance matrix of the variables in the rows of self (observations in the columns; a
        1-D tensor is one variable), with integer frequency weights ``fweights`` and observation
        weights ``aweights``; ``correction=1`` is Bessel's (the unbiased estimate).

        >>> import minitorch
        >>> minitorch.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]).cov()
        tensor([[ 1., -1.],
                [-1.,  1.]])
        """
        if self.ndim > 2:
            raise RuntimeError(f"cov: expected input to have two or fewer dimensions, got {self.ndim}.")
        x = self._float().reshape(1, -1) if self.ndim < 2 else self._float()
        observations = x.shape[1]
        weights = None
        for name, w in (("fweights", fweights), ("aweights", aweights)):
            if w is not None:
                w = checks.tensor("cov", name, w)
                if w.ndim > 1 or w.numel() != observations:
                    raise RuntimeError(f"cov: expected {name} to be a 1-D tensor of {observations} elements "
                                       f"(one per observation, a column of input), got shape {tuple(w.shape)}.")
                weights = w if weights is None else weights * w
        if weights is None:
            mean, factor = x.mean(1, keepdim=True), observations - correction
        else:
            total = weights.sum()
            mean = (x * weights).sum(1, keepdim=True) / total
            factor = total if correction == 0 else total - correction if aweights is None else \
                total - correction * (weights * aweights).sum() / total
        centred = x - mean
        product = (centred if weights is None else centred * weights) @ centred.t()
        factor = factor.clamp(min=0) if isinstance(factor, tensor_class()) else max(factor, 0)
        return (product / factor).squeeze()

    def corrcoef(self):
        """The Pearson correlation coefficients of the variables in the rows of self: cov divided by
        the outer product of the standard deviations, clamped to [-1, 1].

        >>> import minitorch
        >>> minitorch.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.5]]).corrcoef()
        tensor([[ 1.0000, -0.9820],
                [-0.9820,  1.0000]])
        """
        c = self.cov()
        if c.ndim == 0:
            return c / c
        deviation = c.diagonal().sqrt()
        return (c / deviation.unsqueeze(1) / deviation).clamp(-1, 1)

    def addr(self, vec1, vec2, *, beta=1, alpha=1):
        """beta * self + alpha * outer(vec1, vec2) (self broadcast to (len(vec1), len(vec2)); with beta
        0, self is ignored, NaN included).

        >>> import minitorch
        >>> minitorch.zeros(2, 2).addr(minitorch.tensor([1.0, 2.0]), minitorch.tensor([3.0, 4.0]), alpha=2)
        tensor([[ 6.,  8.],
                [12., 16.]])
        """
        vec1, vec2 = checks.tensor("addr", "vec1", vec1), checks.tensor("addr", "vec2", vec2)
        if vec1.ndim != 1 or vec2.ndim != 1:
            raise RuntimeError(f"addr: vec1 and vec2 must be 1-D, got shapes {tuple(vec1.shape)} and "
                               f"{tuple(vec2.shape)}. Flatten them first.")
        shape = (vec1.shape[0], vec2.shape[0])
        if not broadcasts_to(self.shape, shape):
            raise RuntimeError(f"addr: input of shape {tuple(self.shape)} does not broadcast to the outer "
                               f"product's shape {shape}.")
        product = vec1.outer(vec2) if alpha == 1 else alpha * vec1.outer(vec2)
        if beta == 0:
            return product + self.new_zeros(())
        return product + (self if beta == 1 else beta * self)

    def addr_(self, vec1, vec2, *, beta=1, alpha=1):
        """In place: self = beta * self + alpha * outer(vec1, vec2); returns self. See ``addr``.

        >>> import minitorch
        >>> x = minitorch.ones(2, 2)
        >>> x.addr_(minitorch.tensor([1.0, 2.0]), minitorch.tensor([3.0, 4.0])) is x, x.tolist()
        (True, [[4.0, 5.0], [7.0, 9.0]])
        """
        return self._update("addr_", self.addr, vec1, vec2, beta=beta, alpha=alpha)

    def diagflat(self, offset=0):
        """A 2-D tensor with the flattened self on its ``offset``-th diagonal, zeros elsewhere.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2]]).diagflat(1).tolist()
        [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
        """
        return self.reshape(-1).diag(checks.integer("diagflat", "offset", offset))

    def sum_to_size(self, *args, size=None):
        """Self summed down to ``size`` (given as f(2, 3), f((2, 3)) or f(size=(2, 3))), a shape that
        broadcasts to self's (the backward of a broadcast).

        >>> import minitorch
        >>> minitorch.ones(2, 3).sum_to_size(1, 3).tolist()
        [[2.0, 2.0, 2.0]]
        """
        size = checks.sizes("sum_to_size", args, size)
        if not broadcasts_to(size, self.shape):
            raise RuntimeError(f"sum_to_size: size {tuple(size)} is not expandable to size {tuple(self.shape)}: "
                               f"each of its sizes, aligned from the right, must be 1 or self's.")
        lead = self.ndim - len(size)
        result = self.sum(tuple(range(lead))) if lead else self
        kept = tuple(i for i, s in enumerate(size) if s == 1 and result.shape[i] != 1)
        return result.sum(kept, keepdim=True) if kept else result

    def dsplit(self, indices_or_sections):
        """``tensor_split`` along dim 2 of a tensor with at least 3 dimensions.

        >>> import minitorch
        >>> [p.shape for p in minitorch.zeros(1, 2, 4).dsplit(2)]
        [minitorch.Size([1, 2, 2]), minitorch.Size([1, 2, 2])]
        """
        if self.ndim < 3:
            raise RuntimeError(f"dsplit: expects a tensor with at least 3 dimensions, got {self.ndim}. "
                               f"Use hsplit or vsplit, or add dimensions first.")
        return self._hv_split("dsplit", indices_or_sections, 2)

    def _scattered(self, op, index, src):
        """A copy of self with self[index] = src, src of exactly the shape of self[index]."""
        src = checks.tensor(op, "src", src)
        target = self[index]
        if src.shape != target.shape:
            raise RuntimeError(f"{op}: expected src to have the shape of the slice it replaces, "
                               f"{tuple(target.shape)}, got {tuple(src.shape)}.")
        out = self.clone()
        out[index] = src
        return out

    def select_scatter(self, src, dim, index):
        """A copy of self with ``self.select(dim, index)`` replaced by src; differentiable in both.

        >>> import minitorch
        >>> minitorch.zeros(2, 2).select_scatter(minitorch.ones(2), 0, 1).tolist()
        [[0.0, 0.0], [1.0, 1.0]]
        """
        dim = checks.dim("select_scatter", dim, self.ndim)
        index = checks.integer("select_scatter", "index", index)
        return self._scattered("select_scatter", (slice(None),) * dim + (index,), src)

    def slice_scatter(self, src, dim=0, start=None, end=None, step=1):
        """A copy of self with the slice ``start:end:step`` of dim replaced by src; differentiable in both.

        >>> import minitorch
        >>> minitorch.zeros(4).slice_scatter(minitorch.ones(2), start=1, step=2).tolist()
        [0.0, 1.0, 0.0, 1.0]
        """
        dim = checks.dim("slice_scatter", dim, self.ndim)
        return self._scattered("slice_scatter", (slice(None),) * dim + (slice(start, end, step),), src)

    def diagonal_scatter(self, src, offset=0, dim1=0, dim2=1):
        """A copy of self with ``self.diagonal(offset, dim1, dim2)`` replaced by src; differentiable in both.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).diagonal_scatter(minitorch.ones(2), 1).tolist()
        [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
        """
        dim1, dim2 = checks.dim("diagonal_scatter", dim1, self.ndim), checks.dim("diagonal_scatter", dim2, self.ndim)
        if dim1 == dim2:
            raise RuntimeError(f"diagonal_scatter: dim1 and dim2 must differ, both are {dim1}.")
        offset = checks.integer("diagonal_scatter", "offset", offset)
        length = self.diagonal(offset, dim1, dim2).shape[-1]
        rows = self.new_tensor(np.arange(length) + max(-offset, 0), dtype=None).long()
        columns = self.new_tensor(np.arange(length) + max(offset, 0), dtype=None).long()
        moved = self.movedim((dim1, dim2), (-2, -1))
        out = moved._scattered("diagonal_scatter", (Ellipsis, rows, columns), src)
        return out.movedim((-2, -1), (dim1, dim2))

    def index_reduce(self, dim, index, source, reduce, *, include_self=True):
        """self with the slices of source reduced into the slices ``index`` picks along dim:
        ``reduce`` is "prod", "mean", "amax" or "amin"; ``include_self`` counts self's slice in.

        >>> import minitorch
        >>> x = minitorch.ones(3)
        >>> x.index_reduce(0, minitorch.tensor([0, 0, 2]), minitorch.tensor([2.0, 3.0, 5.0]), "prod").tolist()
        [6.0, 1.0, 5.0]
        """
        checks.choice("index_reduce", "reduce", reduce, ("prod", "mean", "amax", "amin"), error=RuntimeError)
        source = checks.tensor("index_reduce", "source", source)
        index = checks.tensor("index_reduce", "index", index)
        dim = checks.dim("index_reduce", dim, self.ndim)
        if index.ndim > 1 or index.numel() != (source.shape[dim] if source.ndim else 1):
            raise IndexError(f"index_reduce: index must be 1-D with one entry per slice of source along dim "
                             f"{dim}, got index of shape {tuple(index.shape)} and source of shape "
                             f"{tuple(source.shape)}.")
        placed = [1] * source.ndim
        placed[dim] = -1
        spread = index.reshape(placed).expand(*source.shape) if source.ndim else index.reshape(())
        return self.scatter_reduce(dim, spread, source, reduce, include_self=include_self)

    def index_reduce_(self, dim, index, source, reduce, *, include_self=True):
        """In place: self = self.index_reduce(dim, index, source, reduce, include_self=...); returns self.

        >>> import minitorch
        >>> x = minitorch.ones(3)
        >>> x.index_reduce_(0, minitorch.tensor([2]), minitorch.tensor([5.0]), "amax").tolist()
        [1.0, 1.0, 5.0]
        """
        return self._update("index_reduce_", self.index_reduce, dim, index, source, reduce, include_self=include_self)

    def histogram(self, bins, *, range=None, weight=None, density=False):
        """(hist, bin_edges): the counts (or weights' sums) of self's elements in ``bins`` equal bins
        over ``range`` (default: self's min to max), or in the bins between the edges of a 1-D tensor
        ``bins``; ``density`` divides by the total and the bin widths. No gradient flows through it.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 1.0]).histogram(bins=4, range=(0.0, 3.0)).hist
        tensor([0., 2., 1., 0.])
        """
        if not self.is_floating_point():
            raise RuntimeError(f"histogram: input must be a floating-point tensor, got {self.dtype!r}.")
        edges = bins._array if isinstance(bins, tensor_class()) else checks.integer(
            "histogram", "bins", bins, minimum=1, range_error=RuntimeError)
        weights = None if weight is None else checks.tensor("histogram", "weight", weight)._array.reshape(-1)
        hist, bin_edges = array_module(self._array).histogram(self._array.reshape(-1), edges, range=range,
                                                              weights=weights, density=density)
        make = lambda a: type(self)._make(a.astype(self._array.dtype), False, None, self.device)  # noqa: E731
        return HistogramResult(make(hist), make(bin_edges))

    def frexp(self):
        """(mantissa, exponent) with self = mantissa * 2^exponent and |mantissa| in [1/2, 1); the
        exponent is int32. The mantissa is self times the constant 2^-exponent (exact: a power of
        two), so its gradient is 2^-exponent, as PyTorch's.

        >>> import minitorch
        >>> minitorch.tensor([8.0, 0.3]).frexp()
        minitorch.return_types.frexp(
        mantissa=tensor([0.5000, 0.6000]),
        exponent=tensor([ 4, -1],
        dtype=minitorch.int32))
        """
        if not self.is_floating_point():
            raise RuntimeError(f"frexp: only supports floating-point dtypes, got {self.dtype!r}. Use .float() first.")
        _, exponent = np.frexp(self._array)
        scale = type(self)._make(np.ldexp(np.ones_like(self._array), -exponent), False, None, self.device)
        return FrexpResult(self * scale, type(self)._make(exponent.astype(np.int32), False, None, self.device))
