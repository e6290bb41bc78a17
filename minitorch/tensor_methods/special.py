"""Special functions that PyTorch has as Tensor methods: lgamma, digamma, polygamma, mvlgamma, i0.

The rest of ``torch.special`` (i0e, i1, ndtr, erfcx, entr, ...) is no Tensor method in PyTorch;
``minitorch.special`` has them all. An integer or bool tensor is made float32 first, as in PyTorch.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
import math

from .. import checks
from .. import functions as ops


class SpecialMethods:
    """Special functions: lgamma, digamma, polygamma, mvlgamma, i0."""

    __slots__ = ()

    def lgamma(self):
        """ln |Gamma(x)|, elementwise (+inf at 0 and the negative integers); its gradient is digamma.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 0.5, 10.0]).lgamma()
        tensor([ 0.0000,  0.5724, 12.8018])
        """
        return ops.Lgamma.apply(self._float())

    def digamma(self):
        """psi(x) = d/dx ln Gamma(x), elementwise (-inf at 0, NaN at the negative integers).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 0.5]).digamma()
        tensor([-0.5772, -1.9635])
        """
        return ops.Polygamma.apply(0, self._float())

    def polygamma(self, n):
        """The n-th derivative of digamma (n >= 0; 0 is digamma itself), elementwise.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).polygamma(1)
        tensor([1.6449, 0.6449])
        """
        n = checks.integer("polygamma", "n", n)
        if n < 0:
            raise RuntimeError(f"polygamma: n must be >= 0 (the order of the derivative of digamma), got {n}.")
        return ops.Polygamma.apply(n, self._float())

    def mvlgamma(self, p):
        """The multivariate log-gamma function of dimension p:
        p (p - 1) / 4 ln pi + sum_(j < p) lgamma(x - j / 2), elementwise.

        >>> import minitorch
        >>> minitorch.tensor([2.5]).mvlgamma(2)
        tensor([0.8570])
        """
        p = checks.integer("mvlgamma", "p", p)
        if p < 1:
            raise RuntimeError(f"mvlgamma: p has to be greater than or equal to 1, got {p}.")
        x = self._float()
        halves = x.new_tensor([j / 2 for j in range(p)])
        return (x.unsqueeze(-1) - halves).lgamma().sum(-1) + p * (p - 1) / 4 * math.log(math.pi)

    def i0(self):
        """The modified Bessel function of the first kind of order 0, elementwise; its gradient is i1.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).i0()
        tensor([1.0000, 1.2661])
        """
        return ops.I0.apply(self._float())
