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
    """y = det(A);  dL/dA = dL/dy det(A) A^-T."""

    @staticmethod
    def forward(ctx, a):
        xp = array_module(a)
        y = xp.linalg.det(a)
        ctx.save_for_backward(a, y)
        return xp.asarray(y, dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        a, y = ctx.saved_arrays
        inverse_t = _transpose(array_module(a).linalg.inv(a))
        return (grad * y)[..., None, None] * inverse_t


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
