"""Matrix decompositions, batched over leading dims: ``Cholesky``, ``QR``, ``SVD``, ``Eigh``
(``minitorch.linalg.cholesky``, ``qr``, ``svd``, ``eigh`` and the functions made from them).

An op with several outputs (Q and R; U, S and Vh; eigenvalues and eigenvectors) returns them
packed into one array: each output flattened over its own dims and joined along the last axis
(``pack``). ``minitorch.linalg`` takes them apart again with views (``unpack``), so that one
backward sees the gradients of all outputs at once: the formulas of svd and eigh need them
together. Notation: X^T swaps the last two dims; G_X is dL/dX; k = min(m, n).

The vectors of svd and eigh are fixed only up to sign (and, where values repeat, up to any
rotation within the repeated values' space). Where values repeat, backward refuses a loss that
uses their vectors (``_over_gaps``), as a RuntimeError that says so, instead of returning
infinities or a wrong 0.
"""
import math

from ..autograd.function import Op
from ..device import array_module


def _t(a):
    return a.swapaxes(-1, -2)


def pack(batch, *arrays):
    """``arrays`` (each of shape ``batch + its own``) flattened past ``batch`` and joined: one array."""
    return array_module(arrays[0]).concatenate([a.reshape(*batch, -1) for a in arrays], axis=-1)


def unpack(packed, shapes):
    """The inverse of ``pack`` (for arrays and Tensors alike): the pieces of the last axis, reshaped."""
    batch, start, pieces = tuple(packed.shape[:-1]), 0, []
    for shape in shapes:
        size = math.prod(shape)
        pieces.append(packed[..., start:start + size].reshape(*batch, *shape))
        start += size
    return pieces


def _over_gaps(op, numerator, values, used):
    """numerator_ij / (values_j - values_i) off the diagonal, 0 on it: the factor that rotates the
    vectors. Where two values coincide that quotient is 0 / 0 for any loss that does not depend on
    the choice of basis, and has no value otherwise: refused if the loss uses (``used``) either of
    the two vectors, 0 if it uses neither."""
    xp = array_module(values)
    eps = xp.finfo(values.dtype).eps
    gaps = values[..., None, :] - values[..., :, None]
    scale = xp.abs(values).max(axis=-1, keepdims=True)[..., None] + eps
    tied = xp.abs(gaps) <= 100 * eps * scale  # the diagonal too: its quotient is 0
    pairs = tied & ~xp.eye(values.shape[-1], dtype=bool)
    if bool((pairs & (used[..., None, :] | used[..., :, None])).any()):
        raise RuntimeError(
            f"{op}: backward is not defined here: the input has repeated "
            f"{'singular values' if 'svd' in op else 'eigenvalues'} and the loss uses their vectors, which are any basis of a shared space (the gradient "
            f"depends on which one was returned, or is 0/0). Use only the values there, or perturb the input.")
    return xp.where(tied, 0, numerator / xp.where(tied, 1, gaps))


class Cholesky(Op):
    """A = L L^T (L lower);  G_A = sym(L^-T Phi(L^T G_L) L^-1), Phi: lower triangle, diagonal halved.

    Only the lower triangle of A is read; the gradient is symmetric (sym(X) = (X + X^T) / 2), as
    PyTorch's. ``upper`` gives U = L^T instead.
    """

    op_name = "linalg_cholesky"

    @staticmethod
    def forward(ctx, a, upper):
        lower = array_module(a).linalg.cholesky(a)
        ctx.save_for_backward(lower)
        ctx.upper = upper
        return _t(lower).copy() if upper else lower

    @staticmethod
    def backward(ctx, grad):
        (lower,) = ctx.saved_arrays
        xp = array_module(lower)
        grad_l = xp.tril(_t(grad) if ctx.upper else grad)
        phi = xp.tril(_t(lower) @ grad_l)
        phi -= 0.5 * phi * xp.eye(lower.shape[-1], dtype=lower.dtype)
        inverse = xp.linalg.inv(lower)
        grad_a = _t(inverse) @ phi @ inverse
        return 0.5 * (grad_a + _t(grad_a)), None


class QR(Op):
    """A = Q R, packed (Q, R);  G_A = (G_Q + Q copyltu(M)) R^-T,  M = R G_R^T - G_Q^T Q  (m >= n).

    copyltu(M) is the symmetric matrix with M's lower triangle. A wide A (m < n) is [X | Y] with
    R = [U | V]: X = Q U is a square QR and V = Q^T Y, so G_Y = Q G_V and X's gradient is the
    formula above with G_Q + Y G_V^T for G_Q and G_U for G_R. The backward needs the (leading
    square) R invertible: A of full rank (and mode "reduced" when m > n), as PyTorch.
    """

    op_name = "linalg_qr"

    @staticmethod
    def forward(ctx, a, mode):
        q, r = array_module(a).linalg.qr(a, mode=mode)
        ctx.save_for_backward(q, r)
        ctx.mode = mode
        return pack(a.shape[:-2], q, r)

    @staticmethod
    def backward(ctx, grad):
        q, r = ctx.saved_arrays
        m, n = q.shape[-2], r.shape[-1]
        if ctx.mode == "complete" and m > n:
            raise RuntimeError(f"linalg_qr: backward is not defined for mode='complete' on a matrix with more rows "
                               f"than columns (got {m} x {n}; its extra columns of Q are any completion): use "
                               f"mode='reduced'.")
        grad_q, grad_r = unpack(grad, (q.shape[-2:], r.shape[-2:]))
        if m >= n:
            return _qr_backward(q, r, grad_q, grad_r), None
        u, v, grad_u, grad_v = r[..., :m], r[..., m:], grad_r[..., :m], grad_r[..., m:]
        grad_x = _qr_backward(q, u, grad_q + (q @ v) @ _t(grad_v), grad_u)
        return array_module(q).concatenate([grad_x, q @ grad_v], axis=-1), None


def _qr_backward(q, r, grad_q, grad_r):
    """G_A of A = Q R with R square (n x n) and invertible (see ``QR``)."""
    xp = array_module(q)
    product = r @ _t(grad_r) - _t(grad_q) @ q
    lower = xp.tril(product, -1)
    copyltu = lower + _t(lower) + product * xp.eye(r.shape[-1], dtype=q.dtype)
    return _t(xp.linalg.solve(r, _t(grad_q + q @ copyltu)))


class SVD(Op):
    """A = U diag(S) Vh, packed (U, S, Vh);  G_A = U [(J S + S K) / E + diag(G_S)] Vh + the
    parts off the range: (I - U U^T) G_U S^-1 Vh (m > k) or U S^-1 G_Vh (I - Vh^T Vh) (n > k),

    with J = U^T G_U - G_U^T U, K = Vh G_Vh^T - G_Vh Vh^T and E_ij = S_j^2 - S_i^2. With ``full_matrices`` the extra columns of U (rows of Vh) are any
    orthonormal completion: they get no gradient, as in PyTorch.
    """

    op_name = "linalg_svd"

    @staticmethod
    def forward(ctx, a, full_matrices):
        u, s, vh = array_module(a).linalg.svd(a, full_matrices=full_matrices)
        ctx.save_for_backward(u, s, vh)
        return pack(a.shape[:-2], u, s, vh)

    @staticmethod
    def backward(ctx, grad):
        u, s, vh = ctx.saved_arrays
        grad_u, grad_s, grad_vh = unpack(grad, (u.shape[-2:], s.shape[-1:], vh.shape[-2:]))
        m, n, k = u.shape[-2], vh.shape[-1], s.shape[-1]
        u, grad_u, vh, grad_vh = u[..., :k], grad_u[..., :k], vh[..., :k, :], grad_vh[..., :k, :]
        j, kk = _t(u) @ grad_u, vh @ _t(grad_vh)
        rotation = (j - _t(j)) * s[..., None, :] + s[..., :, None] * (kk - _t(kk))
        used = (grad_u != 0).any(axis=-2) | (grad_vh != 0).any(axis=-1)
        inner = _over_gaps("linalg_svd", rotation, s * s, used)
        inner = inner + grad_s[..., None] * array_module(s).eye(k, dtype=s.dtype)
        if m > k:
            grad_u_scaled = grad_u / s[..., None, :]
            return (u @ inner + grad_u_scaled - u @ (_t(u) @ grad_u_scaled)) @ vh, None
        if n > k:
            grad_vh_scaled = grad_vh / s[..., :, None]
            return u @ (inner @ vh + grad_vh_scaled - (grad_vh_scaled @ _t(vh)) @ vh), None
        return u @ inner @ vh, None


class Eigh(Op):
    """A = V diag(w) V^T for symmetric A, packed (w, V);  G_A = V [diag(G_w) + K / E] V^T,

    with K = (V^T G_V - G_V^T V) / 2 and E_ij = w_j - w_i. Only the triangle ``uplo`` of A is read;
    the gradient is symmetric, as PyTorch's.
    """

    op_name = "linalg_eigh"

    @staticmethod
    def forward(ctx, a, uplo):
        w, v = array_module(a).linalg.eigh(a, UPLO=uplo)
        ctx.save_for_backward(w, v)
        return pack(a.shape[:-2], w, v)

    @staticmethod
    def backward(ctx, grad):
        w, v = ctx.saved_arrays
        n = w.shape[-1]
        grad_w, grad_v = unpack(grad, ((n,), (n, n)))
        product = _t(v) @ grad_v
        inner = _over_gaps("linalg_eigh", 0.5 * (product - _t(product)), w, (grad_v != 0).any(axis=-2))
        inner = inner + grad_w[..., None] * array_module(w).eye(n, dtype=w.dtype)
        return v @ inner @ _t(v), None
