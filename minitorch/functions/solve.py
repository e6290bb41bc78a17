"""Solves and matrix functions, batched over leading dims: ``Solve``, ``SlogDet``, ``PseudoInverse``,
``MatrixExp`` (``minitorch.linalg.solve``, ``slogdet``, ``pinv``, ``matrix_exp``; ``lstsq``,
``cholesky_solve`` and ``solve_triangular`` are made from them).

X^T swaps the last two dims; G is dL/d(output).
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module
from ._util import unbroadcast


def _t(a):
    return a.swapaxes(-1, -2)


class Solve(Op):
    """X = A^-1 B (A X = B);  G_B = A^-T G,  G_A = -G_B X^T (batch dims broadcast, then summed back)."""

    op_name = "linalg_solve"

    @staticmethod
    def forward(ctx, a, b):
        xp = array_module(a)
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        x = xp.linalg.solve(xp.broadcast_to(a, batch + a.shape[-2:]), xp.broadcast_to(b, batch + b.shape[-2:]))
        ctx.save_for_backward(a, x)
        ctx.b_shape = b.shape
        return x

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_arrays
        xp = array_module(a)
        grad_b = xp.linalg.solve(xp.broadcast_to(_t(a), x.shape[:-2] + a.shape[-2:]), grad)
        grad_a = unbroadcast(-(grad_b @ _t(x)), a.shape) if ctx.needs_input_grad[0] else None
        return grad_a, unbroadcast(grad_b, ctx.b_shape)


class SlogDet(Op):
    """(sign, log|det A|), packed as a last dim of 2;  G_A = G_logabsdet A^-T (the sign: no gradient)."""

    op_name = "linalg_slogdet"

    @staticmethod
    def forward(ctx, a):
        xp = array_module(a)
        sign, logabsdet = xp.linalg.slogdet(a)
        ctx.save_for_backward(a)
        return xp.stack([sign, logabsdet], axis=-1).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_arrays
        return grad[..., 1, None, None] * _t(array_module(a).linalg.inv(a)), None


class PseudoInverse(Op):
    """P = A^+ (singular values at or below ``cutoff`` dropped);  G_A = -P^T G P^T
    + (I - A P) G^T P P^T + P^T P G^T (I - P A), the derivative for a rank that does not change."""

    op_name = "linalg_pinv"

    @staticmethod
    def forward(ctx, a, atol, rtol):
        xp = array_module(a)
        u, s, vh = xp.linalg.svd(a, full_matrices=False)
        largest = s.max(axis=-1, keepdims=True) if s.shape[-1] else s[..., :1]
        cutoff = xp.maximum(atol, rtol * largest)
        kept = (s > cutoff) & (s > 0)
        inverse_s = xp.where(kept, 1 / xp.where(kept, s, 1), 0).astype(a.dtype)
        p = (_t(vh) * inverse_s[..., None, :]) @ _t(u)
        ctx.save_for_backward(a, p)
        return p

    @staticmethod
    def backward(ctx, grad):
        a, p = ctx.saved_arrays
        pt, grad_t = _t(p), _t(grad)
        off_range = grad_t @ p @ pt - a @ (p @ (grad_t @ (p @ pt)))          # (I - A P) G^T P P^T
        off_kernel = pt @ (p @ grad_t) - ((pt @ p) @ (grad_t @ p)) @ a       # P^T P G^T (I - P A)
        return -(pt @ grad @ pt) + off_range + off_kernel, None, None


#: The coefficients of the [13/13] Pade approximant of exp, and the largest 1-norm it takes
#: unscaled to double precision (Higham, "The scaling and squaring method for the matrix
#: exponential revisited", 2005).
_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152


def expm(a):
    """exp(A) of each matrix by scaling and squaring: exp(A) = r(A / 2^s)^(2^s), r the [13/13]
    Pade approximant and s the least power that brings the 1-norm of A / 2^s under theta_13."""
    xp = array_module(a)
    b = _PADE13
    norm = xp.abs(a).sum(axis=-2).max(axis=-1) if a.shape[-1] else xp.zeros(a.shape[:-2])
    powers = xp.ceil(xp.log2(xp.maximum(norm / _THETA13, 1.0))).astype(int)
    scaled = a / (2.0 ** powers)[..., None, None].astype(a.dtype)
    eye = xp.eye(a.shape[-1], dtype=a.dtype)
    a2 = scaled @ scaled
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = scaled @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * eye)
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * eye
    out = xp.linalg.solve(v - u, v + u)
    for step in range(int(powers.max()) if powers.size else 0):
        out = xp.where((step < powers)[..., None, None], out @ out, out)
    return out


class MatrixExp(Op):
    """Y = exp(A) = sum_k A^k / k!;  G_A = the top-right block of exp([[A^T, G], [0, A^T]]).

    The block identity: the derivative of exp at A in direction E is the top-right block of
    exp([[A, E], [0, A]]); its adjoint (the gradient) is the same with A^T and E = G.
    """

    op_name = "matrix_exp"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return expm(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_arrays
        xp = array_module(a)
        n = a.shape[-1]
        top = xp.concatenate([_t(a), grad], axis=-1)
        bottom = xp.concatenate([xp.zeros_like(a), _t(a)], axis=-1)
        return expm(xp.concatenate([top, bottom], axis=-2))[..., :n, n:]
