"""Products and matrix structure: ``mm``, ``bmm``, ``dot``, ``outer``, ``addmm``, ``kron``, ``cross``,
``tril``, ``triu``, ``diagonal``, ``diag``, ``diag_embed``, ``trace``.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
Every product here is ``matmul`` (``MatMul``) with PyTorch's stricter shape rules, or
elementwise arithmetic; the matrix-structure methods pick (``GetItem``), place
(``IndexPut``) or mask (``MaskedFill``), so none needs an op of its own.
"""

from .. import checks
from .. import functions as ops
from ..autograd.composite import composite, shown_as
from ..autograd.names import rename, renamed
from ..device import array_module
from ..functions._util import broadcast_shapes, broadcasts_to
from ..return_types import return_type
from .shape import _distinct_axes

SVDResult = return_type("svd", ["U", "S", "V"])


class LinalgMethods:
    """Products and matrix structure: ``mm``, ``bmm``, ``dot``, ``outer``, ``addmm``, ``tril``, ``diagonal``..."""

    __slots__ = ()

    def _dims(self, op, other, ndim, name="input"):
        """Refuse operands that are not ``ndim``-dimensional, of different dtypes or on different
        devices, as PyTorch does."""
        checks.same_device(op, **{name: self, "other": other})
        for what, t in ((name, self), ("other", other)):
            if t.ndim != ndim:
                raise RuntimeError(f"{op}: {what} must be {ndim}-D, got shape {tuple(t.shape)}.")
        if self.dtype != other.dtype:
            raise RuntimeError(f"{op}: both operands must have the same dtype, got {self.dtype} and {other.dtype}.")

    def _same_length(self, op, other):
        """Refuse operands that are not 1-D tensors of one length and dtype, as PyTorch does."""
        self._dims(op, checks.tensor(op, "other", other), 1)
        if self.shape != other.shape:
            raise RuntimeError(f"{op}: both tensors must have the same number of elements, got shapes "
                               f"{tuple(self.shape)} and {tuple(other.shape)}.")

    @renamed("DotBackward0")
    def dot(self, tensor):
        """The dot product sum_i a_i b_i of two 1-D tensors of the same length.

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).dot(minitorch.tensor([3, 4]))
        tensor(11)
        """
        self._same_length("dot", tensor)
        return self @ tensor

    def vdot(self, other):
        """sum_i conj(a_i) b_i of two 1-D tensors: ``dot`` for real tensors.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).vdot(minitorch.tensor([3.0, 4.0]))
        tensor(11.)
        """
        self._same_length("vdot", other)
        return self @ other

    def inner(self, other):
        """sum over the last dimension of both: out[i.., j..] = sum_k a[i.., k] b[j.., k]
        (a product when either is 0-d).

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).inner(minitorch.tensor([1, 1])).tolist()
        [3, 7]
        """
        if checks.tensor("inner", "other", other).ndim == 0 or self.ndim == 0:
            return self * other
        if self.shape[-1] != other.shape[-1]:
            raise RuntimeError(f"inner: last dimensions differ: shapes {tuple(self.shape)} and {tuple(other.shape)}.")
        size = self.shape[-1]
        flat = self.reshape(-1, size) @ other.reshape(-1, size).t()
        return flat.reshape(self.shape[:-1] + other.shape[:-1])

    def outer(self, vec2):
        """out[i, j] = a_i b_j for two 1-D tensors.

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).outer(minitorch.tensor([1, 10])).tolist()
        [[1, 10], [2, 20]]
        """
        if checks.tensor("outer", "vec2", vec2).ndim != 1 or self.ndim != 1:
            raise RuntimeError(f"outer: both operands must be 1-D, got shapes {tuple(self.shape)} and {tuple(vec2.shape)}.")
        return self.reshape(-1, 1) * vec2  # as PyTorch: a column view of self times vec2

    ger = outer

    @renamed("MvBackward0")
    def mv(self, vec):
        """The matrix-vector product of a 2-D and a 1-D tensor.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).mv(minitorch.tensor([1, 1])).tolist()
        [3, 7]
        """
        if checks.tensor("mv", "vec", vec).ndim != 1 or self.ndim != 2:
            raise RuntimeError(f"mv: needs a 2-D and a 1-D tensor, got shapes {tuple(self.shape)} and {tuple(vec.shape)}.")
        return _lined_up("mv", self, vec) @ vec

    def mm(self, mat2):
        """The matrix product of two 2-D tensors (no broadcasting: see ``matmul``).

        >>> import minitorch
        >>> minitorch.tensor([[1, 2]]).mm(minitorch.tensor([[3], [4]])).tolist()
        [[11]]
        """
        self._dims("mm", mat2, 2, "self")
        return _lined_up("mm", self, mat2) @ mat2

    @renamed("BmmBackward0")
    def bmm(self, mat2):
        """Batched matrix products of two 3-D tensors with the same batch size: (b, n, m) @ (b, m, p).

        >>> import minitorch
        >>> minitorch.zeros(5, 2, 3).bmm(minitorch.zeros(5, 3, 4)).shape
        minitorch.Size([5, 2, 4])
        """
        self._dims("bmm", mat2, 3, "self")
        if self.shape[0] != mat2.shape[0]:
            raise RuntimeError(f"bmm: batch sizes differ: shapes {tuple(self.shape)} and {tuple(mat2.shape)}.")
        return _lined_up("bmm", self, mat2) @ mat2

    def _add_product(self, op, product, beta, alpha):
        """beta * self + alpha * product, self broadcast to the product's shape (with beta = 0,
        self's values are ignored, NaNs included, as in PyTorch)."""
        if not broadcasts_to(self.shape, product.shape):
            raise RuntimeError(f"{op}: input of shape {tuple(self.shape)} does not broadcast to the "
                               f"product's shape {tuple(product.shape)}.")
        scaled = product if alpha == 1 else product * alpha
        if beta == 0:
            return scaled
        return (self if beta == 1 else self * beta) + scaled

    @shown_as("AddmmBackward0", inputs=3)
    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        """beta * self + alpha * (mat1 @ mat2), with self broadcast to the product's shape.

        >>> import minitorch
        >>> minitorch.ones(2, 2).addmm(minitorch.eye(2), minitorch.eye(2), alpha=3).tolist()
        [[4.0, 1.0], [1.0, 4.0]]
        """
        return self._add_product("addmm", mat1.mm(mat2), beta, alpha)

    def addmv(self, mat, vec, *, beta=1, alpha=1):
        """beta * self + alpha * (mat @ vec).

        >>> import minitorch
        >>> minitorch.ones(2).addmv(minitorch.eye(2), minitorch.tensor([1.0, 2.0]), beta=2).tolist()
        [3.0, 4.0]
        """
        return self._add_product("addmv", mat.mv(vec), beta, alpha)

    def addbmm(self, batch1, batch2, *, beta=1, alpha=1):
        """beta * self + alpha * sum_b (batch1[b] @ batch2[b]).

        >>> import minitorch
        >>> minitorch.zeros(2, 2).addbmm(minitorch.ones(3, 2, 1), minitorch.ones(3, 1, 2)).tolist()
        [[3.0, 3.0], [3.0, 3.0]]
        """
        return self._add_product("addbmm", batch1.bmm(batch2).sum(0), beta, alpha)

    def baddbmm(self, batch1, batch2, *, beta=1, alpha=1):
        """beta * self + alpha * (batch1 @ batch2), batch by batch.

        >>> import minitorch
        >>> minitorch.ones(3, 2, 2).baddbmm(minitorch.ones(3, 2, 1), minitorch.ones(3, 1, 2)).shape
        minitorch.Size([3, 2, 2])
        """
        return self._add_product("baddbmm", batch1.bmm(batch2), beta, alpha)

    def kron(self, other):
        """The Kronecker product: every element of self times a whole copy of ``other``, in blocks.

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).kron(minitorch.tensor([1, 10])).tolist()
        [1, 10, 2, 20]
        """
        ndim = max(self.ndim, checks.tensor("kron", "other", other).ndim)
        a = self.reshape((1,) * (ndim - self.ndim) + self.shape)
        b = other.reshape((1,) * (ndim - other.ndim) + other.shape)
        spread_a = [n for size in a.shape for n in (size, 1)]   # a's index i, then room for b's j
        spread_b = [n for size in b.shape for n in (1, size)]
        product = a.reshape(spread_a) * b.reshape(spread_b)
        return rename(product.reshape(tuple(p * q for p, q in zip(a.shape, b.shape))), "UnsafeViewBackward0")

    @shown_as("LinalgCrossBackward0", inputs=2)
    def cross(self, other, dim=None):
        """The cross product of 3-vectors along ``dim`` (by default the first dimension of size 3):
        c_i = a_{i+1} b_{i+2} - a_{i+2} b_{i+1}, indices mod 3; the operands broadcast.

        >>> import minitorch
        >>> minitorch.tensor([1, 0, 0]).cross(minitorch.tensor([0, 1, 0])).tolist()
        [0, 0, 1]
        """
        if self.ndim != other.ndim:
            raise RuntimeError(f"cross: inputs must have the same number of dimensions, got shapes "
                               f"{tuple(self.shape)} and {tuple(other.shape)}.")
        if self.ndim == 0:  # PyTorch's class: no dimension to take the product along
            raise IndexError("cross: the inputs are 0-d; cross needs a dimension of size 3.")
        checks.same_dtype("cross", input=self, other=other)
        a, b = _broadcast_pair(self, other)
        if dim is None:
            dim = next((d for d, n in enumerate(a.shape) if n == 3), None)
            if dim is None:
                raise RuntimeError(f"cross: no dimension of size 3 in shape {tuple(a.shape)}.")
        axis = a._axis("cross", dim)
        if a.shape[axis] != 3:
            raise RuntimeError(f"cross: dim {dim} must have size 3, got shape {tuple(a.shape)}.")
        return a.roll(-1, axis) * b.roll(-2, axis) - a.roll(-2, axis) * b.roll(-1, axis)

    # ----------------------------------------------------------------- matrix structure
    def _triangle(self, op, diagonal, lower):
        diagonal = checks.integer(op, "diagonal", diagonal)
        if self.ndim < 2:
            raise RuntimeError(f"{op}: input must have at least 2 dimensions, got {self.ndim} (shape {tuple(self.shape)}).")
        n, m = self.shape[-2:]
        below = array_module(self._array).tri(n, m, diagonal if lower else diagonal - 1, dtype=bool)
        return ops.MaskedFill.apply(self, ~below if lower else below, 0)

    @renamed("TrilBackward0")
    def tril(self, diagonal=0):
        """The lower triangle: elements above diagonal ``diagonal`` (0: the main one) set to 0.

        >>> import minitorch
        >>> minitorch.ones(2, 2).tril().tolist()
        [[1.0, 0.0], [1.0, 1.0]]
        """
        return self._triangle("tril", diagonal, lower=True)

    @renamed("TriuBackward0")
    def triu(self, diagonal=0):
        """The upper triangle: elements below diagonal ``diagonal`` (0: the main one) set to 0.

        >>> import minitorch
        >>> minitorch.ones(2, 2).triu(1).tolist()
        [[0.0, 1.0], [0.0, 0.0]]
        """
        return self._triangle("triu", diagonal, lower=False)

    @renamed("DiagonalBackward0")
    def diagonal(self, offset=0, dim1=0, dim2=1):
        """The elements x[.., i, .., i + offset, ..] of the planes of ``dim1`` and ``dim2``, as a
        last dimension (offset > 0: above the main diagonal): a view, as PyTorch's (writing into it
        writes into self).

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 2], [3, 4]])
        >>> x.diagonal().tolist(), x.diagonal(1).tolist()
        ([1, 4], [2])
        """
        offset = checks.integer("diagonal", "offset", offset)
        if self.ndim < 2:
            raise RuntimeError(f"diagonal: input must have at least 2 dimensions, got shape {tuple(self.shape)}.")
        axes = _distinct_axes("diagonal", (dim1, dim2), self.ndim)
        planes = self if axes == (self.ndim - 2, self.ndim - 1) else self.movedim(axes, (-2, -1))
        return ops.Diagonal.apply(planes, offset)

    @shown_as("DiagEmbedBackward0")
    def diag_embed(self, offset=0, dim1=-2, dim2=-1):
        """The last dimension of self written on diagonal ``offset`` of new (n, n) planes at
        ``dim1``, ``dim2`` (zeros elsewhere): the inverse of ``diagonal``.

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).diag_embed().tolist()
        [[1, 0], [0, 2]]
        """
        offset = checks.integer("diag_embed", "offset", offset)
        x = self.reshape(1) if self.ndim == 0 else self
        size = x.shape[-1] + abs(offset)
        rows = array_module(self._array).arange(x.shape[-1]) - min(offset, 0)
        zeros = x.new_zeros(x.shape[:-1] + (size, size))
        planes = ops.IndexPut.apply(zeros, x, (Ellipsis, rows, rows + offset), False)
        ndim = planes.ndim
        return planes.movedim((-2, -1), (checks.dim("diag_embed", dim1, ndim), checks.dim("diag_embed", dim2, ndim)))

    def diag(self, diagonal=0):
        """A 1-D tensor written on diagonal ``diagonal`` of a square matrix, or the diagonal of a
        2-D tensor as a 1-D one (a copy, not a view: ``diagonal`` gives the view).

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).diag().tolist(), minitorch.tensor([[1, 2], [3, 4]]).diag().tolist()
        ([[1, 0], [0, 2]], [1, 4])
        """
        if self.ndim == 1:
            return self.diag_embed(diagonal)
        if self.ndim == 2:
            return composite("DiagonalBackward0_copy", lambda t: t.diagonal(diagonal).clone(), self)
        raise RuntimeError(f"diag: input must be 1-D or 2-D, got shape {tuple(self.shape)}.")

    @shown_as("TraceBackward0")
    def trace(self):
        """The sum of the main diagonal of a 2-D tensor.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).trace()
        tensor(5)
        """
        if self.ndim != 2:
            raise RuntimeError(f"trace: expects a matrix (2-D tensor), got shape {tuple(self.shape)}.")
        return self.diagonal().sum()

    def _square(self, op):
        if self.ndim < 2 or self.shape[-1] != self.shape[-2]:
            raise RuntimeError(f"{op}: A must be batches of square matrices, but they are "
                               f"{'x'.join(map(str, self.shape[-2:])) or 'a scalar'} (shape {tuple(self.shape)}).")
        checks.floating(op, self)

    def det(self):
        """det(A) of a square matrix (or of each in a batch (*, n, n)); dL/dA = dL/dy det(A) A^-T.

        >>> import minitorch
        >>> minitorch.tensor([[2.0, 1.0], [1.0, 3.0]]).det()
        tensor(5.)
        """
        self._square("det")
        return ops.Det.apply(self)

    def inverse(self):
        """A^-1 of a square matrix (or of each in a batch (*, n, n)); dL/dA = -A^-T (dL/dY) A^-T.

        >>> import minitorch
        >>> minitorch.tensor([[2.0, 0.0], [0.0, 4.0]]).inverse().tolist()
        [[0.5, 0.0], [0.0, 0.25]]
        """
        with checks.called_as("inverse", "linalg.inv"):
            return _linalg().inv(self)

    # -------------------------------------- decompositions and matrix functions (minitorch.linalg)
    def svd(self, some=True, compute_uv=True):
        """(U, S, V) with A = U diag(S) V^T (``some=False``: U and V square); with
        ``compute_uv=False`` U and V are zeros, as PyTorch's. See ``minitorch.linalg.svd``.

        >>> import minitorch
        >>> minitorch.tensor([[3.0, 0.0], [0.0, -4.0]]).svd().S.tolist()
        [4.0, 3.0]
        """
        with checks.called_as("svd", "linalg.svd"):
            U, S, Vh = _linalg().svd(self, full_matrices=not some)
        if not compute_uv:
            m, n = self.shape[-2:]
            return SVDResult(U.new_zeros(self.shape[:-2] + (m, m)), S, Vh.new_zeros(self.shape[:-2] + (n, n)))
        return SVDResult(U, S, Vh.mT)

    def qr(self, some=True):
        """(Q, R) with A = Q R: ``minitorch.linalg.qr`` with mode "reduced" (``some=False``: "complete").

        >>> import minitorch
        >>> minitorch.tensor([[0.0, 2.0], [1.0, 0.0]]).qr().R.abs().tolist()
        [[1.0, 0.0], [0.0, 2.0]]
        """
        with checks.called_as("qr", "linalg.qr"):
            return _linalg().qr(self, "reduced" if some else "complete")

    def cholesky(self, upper=False):
        """L with A = L L^T (``upper=True``: U with A = U^T U): ``minitorch.linalg.cholesky``.

        >>> import minitorch
        >>> minitorch.tensor([[4.0, 2.0], [2.0, 5.0]]).cholesky().tolist()
        [[2.0, 0.0], [1.0, 2.0]]
        """
        with checks.called_as("cholesky", "linalg.cholesky"):
            return _linalg().cholesky(self, upper=upper)

    def cholesky_solve(self, input2, upper=False):
        """X with A X = self, given A's Cholesky factor ``input2`` (see ``minitorch.cholesky_solve``).

        >>> import minitorch
        >>> minitorch.tensor([[8.0]]).cholesky_solve(minitorch.tensor([[2.0]])).tolist()
        [[2.0]]
        """
        return _linalg().solves.cholesky_solve(self, input2, upper)

    def cholesky_inverse(self, upper=False):
        """A^-1 from its Cholesky factor self (see ``minitorch.cholesky_inverse``).

        >>> import minitorch
        >>> minitorch.tensor([[2.0]]).cholesky_inverse().tolist()
        [[0.25]]
        """
        return _linalg().solves.cholesky_inverse(self, upper)

    def triangular_solve(self, A, upper=True, transpose=False, unitriangular=False):
        """(X, A.clone()) with A X = self for triangular A (see ``minitorch.triangular_solve``).

        >>> import minitorch
        >>> minitorch.tensor([[4.0]]).triangular_solve(minitorch.tensor([[2.0]])).solution.tolist()
        [[2.0]]
        """
        return _linalg().solves.triangular_solve(self, A, upper, transpose, unitriangular)

    def logdet(self):
        """log det(A): nan where the determinant is negative (see ``minitorch.linalg.slogdet``).

        >>> import minitorch
        >>> minitorch.tensor([[2.0, 0.0], [0.0, 3.0]]).logdet().exp()
        tensor(6.)
        """
        return _linalg().solves.logdet(self)

    def slogdet(self):
        """(sign, logabsdet) of det(A): ``minitorch.linalg.slogdet``.

        >>> import minitorch
        >>> minitorch.tensor([[-2.0, 0.0], [0.0, 1.0]]).slogdet().sign
        tensor(-1.)
        """
        with checks.called_as("slogdet", "linalg.slogdet"):
            return _linalg().slogdet(self)

    def pinverse(self, rcond=1e-15):
        """The pseudo-inverse, singular values at or below rcond * the largest dropped (``linalg.pinv``).

        >>> import minitorch
        >>> minitorch.tensor([[4.0]]).pinverse().tolist()
        [[0.25]]
        """
        return _linalg().solves.pinverse(self, rcond)

    def matrix_power(self, n):
        """A^n for an integer n (n < 0: of A^-1): ``minitorch.linalg.matrix_power``.

        >>> import minitorch
        >>> minitorch.tensor([[1, 1], [0, 1]]).matrix_power(2).tolist()
        [[1, 2], [0, 1]]
        """
        with checks.called_as("matrix_power", "linalg.matrix_power"):
            return _linalg().matrix_power(self, n)

    def matrix_exp(self):
        """exp(A) = sum_k A^k / k!: ``minitorch.linalg.matrix_exp``.

        >>> import minitorch
        >>> minitorch.zeros(1, 1).matrix_exp().tolist()
        [[1.0]]
        """
        with checks.called_as("matrix_exp", "linalg.matrix_exp"):
            return _linalg().matrix_exp(self)


def _linalg():
    """``minitorch.linalg``, which builds on Tensor (so it is imported when first used)."""
    from .. import linalg

    return linalg


def _lined_up(op, a, b):
    """``a``, after checking that its last dimension matches b's first (of the matrix part)."""
    k = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if a.shape[-1] != k:
        raise RuntimeError(f"{op}: shapes {tuple(a.shape)} and {tuple(b.shape)} cannot be multiplied "
                           f"({a.shape[-1]} columns against {k} rows).")
    return a


def _broadcast_pair(a, b):
    """``a`` and ``b`` expanded to their common shape."""
    shape = broadcast_shapes("cross", a.shape, b.shape)
    return a.expand(shape), b.expand(shape)
