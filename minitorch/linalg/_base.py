"""What the functions of ``minitorch.linalg`` share: ``LinAlgError``, the checks of their matrix
arguments, and PyTorch's ``out=``."""
import contextlib

import numpy as np

from .. import checks
from ..creation import _out


class LinAlgError(RuntimeError):
    """A matrix the computation cannot take: singular (inv, solve) or not positive-definite
    (cholesky). PyTorch's ``torch.linalg.LinAlgError``, a RuntimeError as there.

    >>> import minitorch
    >>> try:
    ...     minitorch.linalg.inv(minitorch.zeros(2, 2))
    ... except minitorch.linalg.LinAlgError as error:
    ...     print(str(error)[:43])
    linalg.inv: the input matrix is singular, s
    """


@contextlib.contextmanager
def raising(op, what):
    """Turn numpy's ``LinAlgError`` inside the block into ours, saying ``what`` went wrong and what to do."""
    try:
        yield
    except np.linalg.LinAlgError as error:
        raise LinAlgError(f"{op}: {what} (numpy: {error}).") from None


SINGULAR = ("the input matrix is singular, so it has no inverse; check its rank (linalg.matrix_rank), or use "
            "linalg.pinv or linalg.lstsq for a least-squares answer")


def matrices(op, A, name="A", square=False):
    """``A``, once checked to be a floating-point tensor of (batches of) matrices, square if asked."""
    checks.tensor(op, name, A)
    if A.ndim < 2:
        raise RuntimeError(f"{op}: {name} must have at least 2 dimensions (a matrix or a batch of them), "
                           f"got shape {tuple(A.shape)}.")
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{op}: {name} must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices (shape {tuple(A.shape)}).")
    if not A.is_floating_point():
        raise RuntimeError(f"{op}: expected a floating point tensor as {name}, got {A.dtype!r}. Use .double() "
                           f"or .float() first.")
    return A


def into(op, result, out):
    """``result``, or with ``out=`` the given tensor (or tuple of tensors) holding its values."""
    if out is None:
        return result
    if isinstance(result, tuple):
        for target, value in zip(out, result):
            _out(op, value, target)
        return type(result)(*out)
    return _out(op, result, out)

