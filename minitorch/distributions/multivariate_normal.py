"""The multivariate normal distribution N(loc, Sigma), parameterized through the Cholesky factor L of Sigma.

Give exactly one of ``covariance_matrix`` (Sigma), ``precision_matrix`` (Sigma^-1) or ``scale_tril`` (L,
lower-triangular with a positive diagonal, Sigma = L L^T). Densities solve ``L y = x - loc`` by
``linalg.solve_triangular`` instead of inverting Sigma; ``rsample`` is ``loc + L eps``, so its gradient
reaches ``loc`` and the matrix.
"""
import math

from ..api import Size
from ..creation import randn
from ..linalg import cholesky, inv, solve_triangular
from ..numerics import broadcast_shapes
from . import constraints
from .distribution import Distribution
from .utils import lazy_property

__all__ = ["MultivariateNormal"]


def _batch_mahalanobis(scale_tril, diff):
    """``|L^-1 diff|^2`` over the last dim: the squared Mahalanobis distance for ``Sigma = L L^T``."""
    shape = broadcast_shapes(scale_tril.shape[:-2], diff.shape[:-1])
    n = diff.shape[-1]
    y = solve_triangular(scale_tril.expand(tuple(shape) + (n, n)), diff.expand(tuple(shape) + (n,)).unsqueeze(-1),
                         upper=False)
    return (y.squeeze(-1) ** 2).sum(-1)


def _half_log_det(scale_tril):
    """``log det(L)``, half the log-determinant of ``Sigma = L L^T``."""
    return scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)


class MultivariateNormal(Distribution):
    """N(loc, Sigma): ``log p(x) = -(k log(2 pi) + |L^-1 (x - loc)|^2) / 2 - log det L``, Sigma = L L^T.

    >>> import minitorch
    >>> from minitorch.distributions import MultivariateNormal
    >>> d = MultivariateNormal(minitorch.zeros(2), covariance_matrix=minitorch.eye(2))
    >>> d
    MultivariateNormal(loc: minitorch.Size([2]), covariance_matrix: minitorch.Size([2, 2]))
    >>> round(d.log_prob(minitorch.zeros(2)).item(), 4)
    -1.8379
    """

    arg_constraints = {"loc": constraints.real_vector, "covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite, "scale_tril": constraints.lower_cholesky}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc, covariance_matrix=None, precision_matrix=None, scale_tril=None, validate_args=None):
        if loc.dim() < 1:
            raise ValueError("MultivariateNormal: loc must be at least one-dimensional, got a 0-dim tensor.")
        given = [(name, m) for name, m in (("covariance_matrix", covariance_matrix),
                                           ("precision_matrix", precision_matrix), ("scale_tril", scale_tril))
                 if m is not None]
        if len(given) != 1:
            raise ValueError("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.")
        name, matrix = given[0]
        if matrix.dim() < 2:
            raise ValueError(f"MultivariateNormal: {name} must be at least two-dimensional, with optional "
                             f"leading batch dimensions; got shape {tuple(matrix.shape)}.")
        n = loc.shape[-1]
        if tuple(matrix.shape[-2:]) != (n, n):
            raise ValueError(f"MultivariateNormal: {name} must be of shape batch + ({n}, {n}) to match loc's "
                             f"last dim, got shape {tuple(matrix.shape)}.")
        batch_shape = broadcast_shapes(matrix.shape[:-2], loc.shape[:-1])
        setattr(self, name, matrix.expand(tuple(batch_shape) + (n, n)))
        self.loc = loc.expand(tuple(batch_shape) + (n,))
        super().__init__(batch_shape, (n,), validate_args=validate_args)
        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = cholesky(matrix)
        else:
            self._unbroadcasted_scale_tril = cholesky(inv(matrix))

    def expand(self, batch_shape, _instance=None):
        """The distribution over a larger ``batch_shape``; the Cholesky factor is shared, not expanded."""
        new = self.__new__(type(self)) if _instance is None else _instance
        batch_shape = Size(batch_shape)
        n = self._event_shape[0]
        for name, value in self.__dict__.items():
            if name in ("covariance_matrix", "precision_matrix", "scale_tril"):
                value = value.expand(tuple(batch_shape) + (n, n))
            new.__dict__[name] = value
        new.loc = self.loc.expand(tuple(batch_shape) + (n,))
        new._batch_shape = batch_shape
        return new

    @lazy_property
    def scale_tril(self):
        """L, the lower Cholesky factor of the covariance, of shape ``batch_shape + (k, k)``."""
        return self._unbroadcasted_scale_tril.expand(tuple(self._batch_shape) + 2 * tuple(self._event_shape))

    @lazy_property
    def covariance_matrix(self):
        """Sigma = L L^T."""
        L = self._unbroadcasted_scale_tril
        return (L @ L.mT).expand(tuple(self._batch_shape) + 2 * tuple(self._event_shape))

    @lazy_property
    def precision_matrix(self):
        """Sigma^-1."""
        return inv(self.covariance_matrix)

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        """The diagonal of Sigma: the row sums of L squared."""
        return (self._unbroadcasted_scale_tril ** 2).sum(-1).expand(tuple(self._batch_shape) +
                                                                    tuple(self._event_shape))

    def rsample(self, sample_shape=Size()):
        """``loc + L eps``, ``eps ~ N(0, I)``: differentiable in ``loc`` and the matrix."""
        eps = randn(self._extended_shape(sample_shape), dtype=self.loc.dtype, device=self.loc.device)
        return self.loc + (self._unbroadcasted_scale_tril @ eps.unsqueeze(-1)).squeeze(-1)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        M = _batch_mahalanobis(self._unbroadcasted_scale_tril, value - self.loc)
        k = self._event_shape[0]
        return -0.5 * (k * math.log(2 * math.pi) + M) - _half_log_det(self._unbroadcasted_scale_tril)

    def entropy(self):
        """``k (1 + log(2 pi)) / 2 + log det L``."""
        k = self._event_shape[0]
        H = 0.5 * k * (1.0 + math.log(2 * math.pi)) + _half_log_det(self._unbroadcasted_scale_tril)
        return H.expand(self._batch_shape)
