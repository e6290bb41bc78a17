"""PyTorch's ready-made parametrizations (``torch.nn.utils.parametrizations``), built on
``parametrize.register_parametrization``: ``weight_norm``, ``spectral_norm`` and ``orthogonal``.

Each is a small module whose ``forward`` maps the stored tensor(s) to the weight with engine ops
(so its gradient is the ops' hand-written backwards), and whose ``right_inverse`` chooses what to
store for a given weight. The state-dict keys are PyTorch's: ``parametrizations.weight.original0``
and ``original1`` (weight_norm's g and v), ``parametrizations.weight.0._u`` and ``_v`` (spectral
norm's power-iteration vectors), ``parametrizations.weight.0.base`` (orthogonal's base).
The hook-based forms (``nn.utils.weight_norm``, ``nn.utils.spectral_norm``) are in
``weight_norm.py`` and ``spectral_norm.py``.
"""
from ... import linalg
from ...autograd.grad_mode import no_grad
from ...creation import eye, randn, zeros_like
from ...dtypes import finfo
from ...joining import cat
from ...tensor import Tensor
from ..conv import _ConvTranspose
from ..functional import normalize
from ..module import Module
from . import parametrize
from .weight_norm import _norm_except_dim

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]


def _tensor_named(module, name):
    """``module.<name>``, which must be a tensor (a parameter or a buffer)."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    return weight


# ---------------------------------------------------------------------------------- weight norm
class _WeightNorm(Module):
    """weight = g * v / ||v|| (the norm over every dim but ``dim``; ``dim=-1``: the whole tensor)."""

    def __init__(self, dim=0):
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g, weight_v):
        """g * v / ||v||, from the magnitude g (``original0``) and the direction v (``original1``)."""
        return weight_v * (weight_g / _norm_except_dim(weight_v, self.dim))

    def right_inverse(self, weight):
        """(g, v) = (||weight||, weight)."""
        return _norm_except_dim(weight, self.dim), weight


def weight_norm(module, name="weight", dim=0):
    """Reparametrize ``module.<name>`` as g * v / ||v||, stored as ``parametrizations.<name>.original0``
    (g) and ``original1`` (v); ``dim=None`` takes the norm of the whole tensor. Returns ``module``.

    As PyTorch's, ``load_state_dict`` renames a checkpoint's old ``<name>_g``/``<name>_v`` keys (from
    ``nn.utils.weight_norm``) to these (a load-state-dict pre hook).

    >>> import minitorch
    >>> m = weight_norm(minitorch.nn.Linear(3, 2))
    >>> tuple(m.parametrizations.weight.original0.shape), tuple(m.parametrizations.weight.original1.shape)
    ((2, 1), (2, 3))
    """
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def rename_old_keys(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs):
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module._register_load_state_dict_pre_hook(rename_old_keys)
    return module


# -------------------------------------------------------------------------------- spectral norm
class _SpectralNorm(Module):
    """weight / sigma, sigma the largest singular value of the weight as a matrix (``dim`` first),
    estimated by power iteration on the buffers ``_u`` and ``_v`` (a 1-D weight: weight / ||weight||)."""

    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError(f"Dimension out of range (expected to be in range of [-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but "
                             f"got n_power_iterations={n_power_iterations}")
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            weight_mat = self._reshape_weight_to_matrix(weight)
            h, w = weight_mat.shape
            with no_grad():
                u = randn(h, dtype=weight.dtype, device=weight.device)
                v = randn(w, dtype=weight.dtype, device=weight.device)
            self.register_buffer("_u", normalize(u, dim=0, eps=self.eps))
            self.register_buffer("_v", normalize(v, dim=0, eps=self.eps))
            self._power_method(weight_mat, 15)

    def _reshape_weight_to_matrix(self, weight):
        """The weight as a matrix: ``dim`` first, the other dims flattened."""
        if self.dim != 0:
            weight = weight.permute(self.dim, *(d for d in range(weight.ndim) if d != self.dim))
        return weight.flatten(1)

    def _power_method(self, weight_mat, n_power_iterations):
        """``n_power_iterations`` steps u = normalize(W v), v = normalize(W^T u), in place, outside the graph."""
        with no_grad():
            for _ in range(n_power_iterations):
                self._u.copy_(normalize(weight_mat @ self._v, dim=0, eps=self.eps))
                self._v.copy_(normalize(weight_mat.mT @ self._u, dim=0, eps=self.eps))

    def forward(self, weight):
        """weight / (u . W v), after a power-iteration step in training mode."""
        if weight.ndim == 1:
            return normalize(weight, dim=0, eps=self.eps)
        weight_mat = self._reshape_weight_to_matrix(weight)
        if self.training:
            self._power_method(weight_mat, self.n_power_iterations)
        sigma = (self._u.clone() * (weight_mat @ self._v.clone())).sum()
        return weight / sigma

    def right_inverse(self, value):
        """The weight is stored as it is (its scale is lost in forward anyway)."""
        return value


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """Divide ``module.<name>`` by its spectral norm on every access (stored as
    ``parametrizations.<name>.original``; buffers ``parametrizations.<name>.0._u`` and ``_v``).

    ``dim`` (the output dim) defaults to 1 for transposed convolutions, else 0. Returns ``module``.

    >>> import minitorch
    >>> m = spectral_norm(minitorch.nn.Linear(3, 2))
    >>> sorted(m.state_dict())
    ['bias', 'parametrizations.weight.0._u', 'parametrizations.weight.0._v', 'parametrizations.weight.original']
    """
    weight = _tensor_named(module, name)
    if dim is None:
        dim = 1 if isinstance(module, _ConvTranspose) else 0
    parametrize.register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module


# ----------------------------------------------------------------------------------- orthogonal
_ORTHOGONAL_MAPS = ("matrix_exp", "cayley", "householder")


def _householder_product(A, tau):
    """The first k columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^T, v_i column i of ``A`` below the
    diagonal with a 1 on it (LAPACK's ``orgqr``), as a graph of engine ops."""
    n, k = A.shape[-2], A.shape[-1]
    identity = eye(n, dtype=A.dtype, device=A.device)
    below = A.tril(-1)
    Q = identity.expand(*A.shape[:-2], n, n)
    for i in range(k):
        v = below[..., :, i] + identity[:, i]
        Q = Q - (tau[..., i, None, None] * (Q @ v[..., :, None])) * v[..., None, :]
    return Q[..., :k]


def _is_orthogonal(Q):
    """Whether Q^T Q is the identity, to 10 n eps."""
    n, k = Q.shape[-2], Q.shape[-1]
    eps = 10.0 * n * finfo(Q.dtype).eps
    return bool((Q.mT @ Q - eye(k, dtype=Q.dtype, device=Q.device)).abs().le(eps).all())


def _make_orthogonal(A):
    """The Q of A = QR with diag(R) >= 0 (the columns' signs flipped where R's diagonal is negative)."""
    Q, R = linalg.qr(A)
    return Q * R.diagonal(dim1=-2, dim2=-1).sgn().unsqueeze(-2)


class _Orthogonal(Module):
    """An orthogonal weight (orthonormal columns, or rows for a wide one): ``base @ map(X)``, map the
    matrix exponential or the Cayley transform of the skew-symmetric X - X^T, or a product of
    Householder reflections; ``base`` (a buffer) is the orthogonal matrix the weight started at."""

    def __init__(self, weight, orthogonal_map, *, use_trivialization=True):
        super().__init__()
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X):
        """The orthogonal matrix (or batch of them) that X maps to."""
        n, k = X.shape[-2], X.shape[-1]
        transposed = n < k
        if transposed:
            X, n, k = X.mT, k, n
        if self.orthogonal_map in ("matrix_exp", "cayley"):
            X = X.tril()
            if n != k:
                X = cat([X, X.new_zeros(n, n - k).expand(*X.shape[:-2], -1, -1)], dim=-1)
            A = X - X.mT
            if self.orthogonal_map == "matrix_exp":
                Q = linalg.matrix_exp(A)
            else:
                identity = eye(n, dtype=A.dtype, device=A.device)
                Q = linalg.solve(identity - 0.5 * A, identity + 0.5 * A)
            Q = Q[..., :k]
        else:
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            Q = _householder_product(A, tau) * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        if "base" in self._buffers:
            Q = self.base @ Q
        return Q.mT if transposed else Q

    def right_inverse(self, Q):
        """Store Q (made orthogonal if it is not) as ``base``; the original becomes -I, which
        every map sends to the identity."""
        if Q.shape != self.shape:
            raise ValueError(f"Expected a matrix or batch of matrices of shape {self.shape}. "
                             f"Got a tensor of shape {Q.shape}.")
        if "base" not in self._buffers:
            raise NotImplementedError(
                "orthogonal(use_trivialization=False): minitorch has no geqrf to store a weight as Householder "
                "vectors; use the default use_trivialization=True." if self.orthogonal_map == "householder" else
                "It is not possible to assign to the matrix exponential or the Cayley parametrizations when "
                "use_trivialization=False.")
        with no_grad():
            Q_init = Q
            n, k = Q.shape[-2], Q.shape[-1]
            if n < k:
                Q, n, k = Q.mT, k, n
            if n != k:
                Q = cat([Q, randn(*Q.shape[:-2], n, n - k, dtype=Q.dtype, device=Q.device)], dim=-1)
                Q = _make_orthogonal(Q)
            else:
                Q = Q.clone() if _is_orthogonal(Q) else _make_orthogonal(Q)
            self.base = Q
            return zeros_like(Q_init) - eye(*Q_init.shape[-2:], dtype=Q.dtype, device=Q.device)


def orthogonal(module, name="weight", orthogonal_map=None, *, use_trivialization=True):
    """Keep ``module.<name>`` (a matrix, or a batch of them) orthogonal: Q^T Q = I for a tall one.

    ``orthogonal_map``: "matrix_exp" (the default for square weights), "cayley" or "householder"
    (the default otherwise). With ``use_trivialization`` (the default) the starting weight is kept
    as the buffer ``parametrizations.<name>.0.base`` and the map moves away from it. Returns ``module``.

    >>> import minitorch
    >>> m = orthogonal(minitorch.nn.Linear(3, 3))
    >>> bool(((m.weight.T @ m.weight - minitorch.eye(3)).abs() < 1e-5).all())
    True
    """
    weight = _tensor_named(module, name)
    if weight.ndim < 2:
        raise ValueError(f"Expected a matrix or batch of matrices. Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        orthogonal_map = "matrix_exp" if weight.shape[-2] == weight.shape[-1] else "householder"
    if orthogonal_map not in _ORTHOGONAL_MAPS:
        raise ValueError(f'orthogonal_map has to be one of "matrix_exp", "cayley", "householder". Got: {orthogonal_map}')
    orth = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module
