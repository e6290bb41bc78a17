"""Scatter with a reduction: ``scatter_reduce`` (sum, prod, mean, amax, amin).

``gather`` is ``x[along(index, dim)]`` (``GetItem``) and ``scatter``/``scatter_add`` write
with ``IndexPut`` at the same place; only the reductions that are not a plain write or add
need an op of their own. Every source element ``src[i][j][k]`` meets the output element at
``along(index, dim)`` (index[i][j][k] on ``dim``, its own coordinate on the others); the
elements that meet at one place form a group, reduced together with ``x``'s element there
when ``include_self``.
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module


def along(index, dim):
    """The numpy index that sends ``index[i][j][k]`` along ``dim`` and keeps i, j, k elsewhere:
    the addressing of gather, scatter and take_along_dim."""
    ### BEGIN SOLUTION 2.11: return the index tuple that sends index[i][j][k] along dim and keeps its own coordinates elsewhere
    xp = array_module(index)
    ndim = index.ndim
    coordinates = [xp.arange(n).reshape([-1 if i == axis else 1 for i in range(ndim)])
                   for axis, n in enumerate(index.shape)]
    coordinates[dim] = index
    return tuple(coordinates)
    ### END SOLUTION


_UFUNCS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}


class ScatterReduce(Op):
    """y[g] = reduce(x[g] if include_self, src elements of group g), y = x where no src lands;
    dL/dsrc, dL/dx: sum and mean pass dL/dy (divided by the group size for mean), prod passes
    dL/dy times the product of the group's other elements, amax/amin pass dL/dy shared evenly
    among the elements equal to the result.
    """

    @staticmethod
    def forward(ctx, x, src, index, reduce, include_self):
        xp = array_module(x)
        ufunc = getattr(xp, _UFUNCS[reduce].__name__)
        hit = xp.zeros(x.shape, dtype=bool)
        hit[index] = True
        out = x.copy()
        if not include_self:  # start each group from its first element (amax, amin) or the identity
            out[index] = src if reduce in ("amax", "amin") else (1 if reduce == "prod" else 0)
        ufunc.at(out, index, src)
        count = xp.zeros(x.shape, dtype=x.dtype)
        xp.add.at(count, index, 1)
        count += include_self | ~hit  # x's own element counts where it takes part
        if reduce == "mean":
            out = out / count if x.dtype.kind == "f" else out // count
        ctx.index, ctx.reduce, ctx.include_self = index, reduce, include_self
        ctx.save_for_backward(x, src)
        ctx.out, ctx.hit, ctx.count = out, hit, count
        return out

    @staticmethod
    def backward(ctx, grad):
        x, src = ctx.saved_arrays
        index, reduce = ctx.index, ctx.reduce
        own = ctx.include_self | ~ctx.hit  # where x's element is part of the result
        if reduce in ("sum", "mean"):
            share = grad / ctx.count if reduce == "mean" else grad
            return share * own, share[index], None, None, None
        if reduce == "prod":
            factor_x, factor_src = _product_of_others(x, src, index, own, ctx.out)
        else:  # amax, amin: the elements equal to the result share its gradient (x's element
            self_tie = x == ctx.out  # counts as one of them even without include_self, as in PyTorch)
            factor_x, factor_src = self_tie & own, src == ctx.out[index]
            ties = self_tie.astype(grad.dtype)
            array_module(grad).add.at(ties, index, factor_src)
            grad = grad / ties
        return grad * factor_x, grad[index] * factor_src, None, None, None


def _product_of_others(x, src, index, own, out):
    """For prod: d y / d element, the product of the group's other elements, zeros included
    exactly (no division by a zero element)."""
    xp = array_module(x)
    zeros = xp.where(own, x == 0, False).astype(np.int64)
    xp.add.at(zeros, index, src == 0)
    nonzero_product = xp.where(own & (x != 0), x, 1).astype(out.dtype)
    xp.multiply.at(nonzero_product, index, xp.where(src == 0, 1, src))

    def factor(values, at):
        quotient = out[at] / xp.where(values == 0, 1, values)
        lone_zero = (zeros[at] == 1) & (values == 0)
        return xp.where(zeros[at] == 0, quotient, xp.where(lone_zero, nonzero_product[at], 0))

    everything = tuple(slice(None) for _ in x.shape)
    return factor(x, everything) * own, factor(src, index)
