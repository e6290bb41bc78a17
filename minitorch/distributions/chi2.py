"""The chi-squared distribution: a gamma with concentration ``df / 2`` and rate 1/2."""
from . import constraints
from .gamma import Gamma
from .utils import broadcast_all

__all__ = ["Chi2"]


class Chi2(Gamma):
    """Chi2(df): the sum of ``df`` squared standard normals, Gamma(df / 2, 1 / 2).

    >>> from minitorch.distributions import Chi2
    >>> Chi2(3.0).variance.item()
    6.0
    """

    arg_constraints = {"df": constraints.positive}

    def __init__(self, df, validate_args=None):
        (df,) = broadcast_all(df)
        super().__init__(0.5 * df, 0.5, validate_args)

    @property
    def df(self):
        """The degrees of freedom: twice the concentration."""
        return self.concentration * 2
