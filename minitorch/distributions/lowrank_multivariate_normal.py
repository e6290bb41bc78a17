"""The low-rank multivariate normal: N(loc, W W^T + diag(D)) with a k x m ``cov_factor`` W, m << k.

Nothing k x k is formed for densities: the matrix determinant lemma gives ``log det(W W^T + D) = log det C +
sum log D`` and the Woodbury identity ``x^T (W W^T + D)^-1 x = x^T D^-1 x - |L_C^-1 W^T D^-1 x|^2``, both through
the m x m "capacitance" ``C = I + W^T D^-1 W = L_C L_C^T``. ``rsample`` is ``loc + W e_1 + sqrt(D) e_2``.
"""
import math

from ..api import Size
from ..creation import eye, randn
from ..joining import broadcast_tensors
from ..linalg import cholesky, solve_triangular
from . import constraints
from .distribution import Distribution
from .multivariate_normal import _batch_mahalanobis, _half_log_det
from .utils import lazy_property

__all__ = ["LowRankMultivariateNormal"]


def _capacitance_tril(factor, diag):
    """The Cholesky factor of ``C = I + W^T D^-1 W``."""
    m = factor.shape[-1]
    return cholesky((factor.mT / diag.unsqueeze(-2)) @ factor + eye(m, dtype=factor.dtype, device=factor.device))


class LowRankMultivariateNormal(Distribution):
    """N(loc, W W^T + diag(D)): ``log p(x) = -(k log(2 pi) + mahalanobis + log det) / 2`` by Woodbury's identity.

    >>> import minitorch
    >>> from minitorch.distributions import LowRankMultivariateNormal
    >>> d = LowRankMultivariateNormal(minitorch.zeros(2), minitorch.tensor([[1.0], [0.0]]), minitorch.ones(2))
    >>> d.covariance_matrix.tolist(), round(d.log_prob(minitorch.zeros(2)).item(), 4)
    ([[2.0, 0.0], [0.0, 1.0]], -2.1845)
    """

    arg_constraints = {"loc": constraints.real_vector, "cov_factor": constraints.independent(constraints.real, 2),
                       "cov_diag": constraints.independent(constraints.positive, 1)}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc, cov_factor, cov_diag, validate_args=None):
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        event_shape = loc.shape[-1:]
        if cov_factor.dim() < 2:
            raise ValueError("cov_factor must be at least two-dimensional, with optional leading batch dimensions")
        if cov_factor.shape[-2:-1] != event_shape:
            raise ValueError(f"cov_factor must be a batch of matrices with shape {event_shape[0]} x m")
        if cov_diag.shape[-1:] != event_shape:
            raise ValueError(f"cov_diag must be a batch of vectors with shape {event_shape}")
        try:
            loc_, self.cov_factor, diag_ = broadcast_tensors(loc.unsqueeze(-1), cov_factor, cov_diag.unsqueeze(-1))
        except (RuntimeError, ValueError) as e:
            raise ValueError(f"Incompatible batch shapes: loc {tuple(loc.shape)}, cov_factor {tuple(cov_factor.shape)}, "
                             f"cov_diag {tuple(cov_diag.shape)}") from e
        self.loc, self.cov_diag = loc_[..., 0], diag_[..., 0]
        self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag = cov_factor, cov_diag
        self._capacitance_tril = _capacitance_tril(cov_factor, cov_diag)
        super().__init__(self.loc.shape[:-1], event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        batch_shape = Size(batch_shape)
        new.loc = self.loc.expand(tuple(batch_shape) + tuple(self._event_shape))
        new.cov_factor = self.cov_factor.expand(tuple(batch_shape) + tuple(self.cov_factor.shape[-2:]))
        new.cov_diag = self.cov_diag.expand(tuple(batch_shape) + tuple(self._event_shape))
        new._unbroadcasted_cov_factor = self._unbroadcasted_cov_factor
        new._unbroadcasted_cov_diag = self._unbroadcasted_cov_diag
        new._capacitance_tril = self._capacitance_tril
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @lazy_property
    def variance(self):
        """The diagonal of the covariance: ``sum_j W_ij^2 + D_i``."""
        variance = (self._unbroadcasted_cov_factor ** 2).sum(-1) + self._unbroadcasted_cov_diag
        return variance.expand(tuple(self._batch_shape) + tuple(self._event_shape))

    @lazy_property
    def covariance_matrix(self):
        """``W W^T + diag(D)`` (k x k)."""
        W = self._unbroadcasted_cov_factor
        matrix = W @ W.mT + self._unbroadcasted_cov_diag.diag_embed()
        return matrix.expand(tuple(self._batch_shape) + tuple(self._event_shape) * 2)

    @lazy_property
    def precision_matrix(self):
        """``D^-1 - A^T A`` with ``A = L_C^-1 W^T D^-1`` (Woodbury)."""
        A = solve_triangular(self._capacitance_tril, self._unbroadcasted_cov_factor.mT /
                             self._unbroadcasted_cov_diag.unsqueeze(-2), upper=False)
        matrix = self._unbroadcasted_cov_diag.reciprocal().diag_embed() - A.mT @ A
        return matrix.expand(tuple(self._batch_shape) + tuple(self._event_shape) * 2)

    @lazy_property
    def scale_tril(self):
        """The Cholesky factor of the covariance."""
        return cholesky(self.covariance_matrix)

    def _log_det(self):
        """``log det(W W^T + D) = 2 log det L_C + sum log D``."""
        return 2 * _half_log_det(self._capacitance_tril) + self._unbroadcasted_cov_diag.log().sum(-1)

    def rsample(self, sample_shape=Size()):
        """``loc + W e_1 + sqrt(D) e_2`` for standard normal ``e_1`` (m) and ``e_2`` (k): differentiable."""
        shape = self._extended_shape(sample_shape)
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        eps_w = randn(tuple(shape[:-1]) + (W.shape[-1],), dtype=self.loc.dtype, device=self.loc.device)
        eps_d = randn(tuple(shape), dtype=self.loc.dtype, device=self.loc.device)
        return self.loc + (W @ eps_w.unsqueeze(-1)).squeeze(-1) + D.sqrt() * eps_d

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        diff = value - self.loc
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        projected = ((W.mT / D.unsqueeze(-2)) @ diff.unsqueeze(-1)).squeeze(-1)  # W^T D^-1 x
        mahalanobis = (diff ** 2 / D).sum(-1) - _batch_mahalanobis(self._capacitance_tril, projected)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + mahalanobis + self._log_det())

    def entropy(self):
        """``(k (1 + log(2 pi)) + log det) / 2``."""
        entropy = 0.5 * (self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + self._log_det())
        return entropy.expand(self._batch_shape)
