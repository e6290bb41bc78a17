"""Square-matrix ops: ``Det`` (determinant) and ``Inverse``, batched over leading dims.

Both backwards come from d(A^-1) = -A^-1 dA A^-1:

    d det(A) = det(A) tr(A^-1 dA)      so  dL/dA = g det(A) A^-T
    d A^-1   = -A^-1 dA A^-1            so  dL/dA = -A^-T G A^-T

They need A^-1, so the gradient of a singular matrix is not defined here (numpy raises
``LinAlgError`` in backward; PyTorch goes through an SVD instead).
"""
from ..autograd.function import Op
from ..device import array_module


def _transpose(a):
    return a.swapaxes(-1, -2)


class Det(Op):
    """y = det(A);  dL/dA = dL/dy cof(A), the cofactor matrix (det(A) A^-T when A is invertible).

    With A = U diag(s) V^T: cof(A) = det(U) det(V) U diag(p) V^T, p_i the product of the s_j with
    j != i, which also holds for a singular A (where A^-T does not exist; PyTorch 2.13 gives 0 there,
    which finite differences contradict: det([[1 + e, 2], [2, 4]]) = 4e)."""

    @staticmethod
    def forward(ctx, a):
        xp = array_module(a)
        y = xp.linalg.det(a)
        ctx.save_for_backward(a, y)
        return xp.asarray(y, dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        a, _ = ctx.saved_arrays
        xp = array_module(a)
        u, s, vh = xp.linalg.svd(a)
        ones = xp.ones_like(s[..., :1])
        before = xp.cumprod(xp.concatenate([ones, s[..., :-1]], axis=-1), axis=-1)  # s_0 ... s_(i-1)
        after = xp.flip(xp.cumprod(xp.flip(xp.concatenate([s[..., 1:], ones], axis=-1), -1), axis=-1), -1)
        signs = xp.linalg.det(u) * xp.linalg.det(vh)
        cofactor = (u * (before * after)[..., None, :]) @ vh * signs[..., None, None]
        return grad[..., None, None] * cofactor


class Inverse(Op):
    """Y = A^-1;  dL/dA = -Y^T dL/dY Y^T."""

    @staticmethod
    def forward(ctx, a):
        y = array_module(a).linalg.inv(a)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_arrays
        y_t = _transpose(y)
        return -(y_t @ grad @ y_t)
