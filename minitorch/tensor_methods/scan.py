"""Scans along one dim: ``cumsum``, ``cumprod``, ``logcumsumexp``, ``cummax``, ``cummin``, and ``diff``.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
A 0-d tensor scans as a tensor of one element, as in PyTorch.
"""

from .. import checks
from .. import functions as ops
from ..autograd.names import renamed
from ..return_types import return_type
from .reduction import dim_alias

CummaxResult = return_type("cummax", ["values", "indices"])
CumminResult = return_type("cummin", ["values", "indices"])


class ScanMethods:
    """Scans along one dim: ``cumsum``, ``cumprod``, ``logcumsumexp``, ``cummax``, ``cummin``, and ``diff``."""

    __slots__ = ()

    def _scan(self, op, name, dim, *args):
        """``op`` along ``dim``, in the shape of the input."""
        x, axis = self._along(name, dim)
        return self._unalong(op.apply(x, axis, *args))

    @dim_alias
    def cumsum(self, dim, *, dtype=None):
        """y_j = x_0 + ... + x_j along ``dim``; integers and bools give int64.

        >>> import minitorch
        >>> minitorch.tensor([1, 2, 3]).cumsum(dim=0).tolist()
        [1, 3, 6]
        """
        return self._accumulating(dtype)._scan(ops.CumSum, "cumsum", dim)

    @dim_alias
    def cumprod(self, dim, *, dtype=None):
        """y_j = x_0 * ... * x_j along ``dim``; integers and bools give int64. The gradient is exact with zeros.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 3.0]).cumprod(dim=0).tolist()
        [1.0, 2.0, 6.0]
        """
        return self._accumulating(dtype)._scan(ops.CumProd, "cumprod", dim)

    @dim_alias
    def logcumsumexp(self, dim):
        """y_j = log(e^x_0 + ... + e^x_j) along ``dim``, without overflow for large x.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 0.0, 1000.0]).logcumsumexp(dim=0)
        tensor([0.0000e+00, 6.9315e-01, 1.0000e+03])
        """
        checks.floating("logcumsumexp", self)
        return self._scan(ops.LogCumSumExp, "logcumsumexp", dim)

    def _cumulative_extreme(self, name, dim, largest, result):
        x, axis = self._along(name, dim)
        indices = ops.CumExtremeIndex.apply(x, axis, largest)
        return result(self._unalong(ops.TakeAlong.apply(x, indices, axis)), self._unalong(indices))

    @dim_alias
    @renamed("CummaxBackward0")
    def cummax(self, dim):
        """(values, indices) of the running maximum along ``dim``; on ties the latest index, as in PyTorch.

        >>> import minitorch
        >>> minitorch.tensor([1, 3, 2, 3]).cummax(dim=0)
        minitorch.return_types.cummax(
        values=tensor([1, 3, 3, 3]),
        indices=tensor([0, 1, 1, 3]))
        """
        return self._cumulative_extreme("cummax", dim, True, CummaxResult)

    @dim_alias
    def cummin(self, dim):
        """(values, indices) of the running minimum along ``dim``; on ties the latest index.

        >>> import minitorch
        >>> minitorch.tensor([3, 1, 2, 1]).cummin(dim=0).indices.tolist()
        [0, 1, 1, 3]
        """
        return self._cumulative_extreme("cummin", dim, False, CumminResult)

    @dim_alias
    def diff(self, n=1, dim=-1, prepend=None, append=None):
        """y_i = x_(i+1) - x_i along ``dim``, ``n`` times over (for bools: x_(i+1) != x_i);
        ``prepend``/``append`` are joined on first.

        >>> import minitorch
        >>> x = minitorch.tensor([1, 4, 9, 16])
        >>> x.diff().tolist(), x.diff(n=2).tolist()
        ([3, 5, 7], [2, 2])
        """
        if self.ndim == 0:
            raise RuntimeError("diff: expected a tensor with at least one dimension, got a 0-d tensor.")
        axis = checks.dim("diff", dim, self.ndim)
        n = checks.integer("diff", "n", n, minimum=0)
        parts = [t for t in (prepend, self, append) if t is not None]
        x = ops.Cat.apply(axis, *parts) if len(parts) > 1 else self
        head = (slice(None),) * axis
        for _ in range(n):
            later, earlier = x[head + (slice(1, None),)], x[head + (slice(None, -1),)]
            x = later != earlier if x.dtype.name == "bool" else later - earlier
        return x
