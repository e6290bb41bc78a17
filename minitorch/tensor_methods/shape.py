"""Shape and indexing: ``reshape``, ``view``, ``permute``, ``expand``, ``x[index]``, ``masked_fill``...

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
import builtins

import numpy as np

from .. import checks
from .. import functions as ops
from ..autograd.function import tensor_class


def _unwrap_index(index):
    """Turn Tensors inside an index into arrays (int tensors pick, bool tensors mask)."""
    if isinstance(index, tensor_class()):
        return index._array
    if isinstance(index, tuple):  # lists inside too: backward must see them as index arrays
        return tuple(_unwrap_index(i) for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    return index


class ShapeMethods:
    """Shape and indexing: ``reshape``, ``view``, ``permute``, ``expand``, ``x[index]``, ``masked_fill``..."""

    __slots__ = ()

    def reshape(self, *shape):
        """The same elements in a new shape (one size may be -1); a view where numpy can make one.

        >>> import minitorch
        >>> minitorch.arange(6).reshape(2, -1).shape
        (2, 3)
        """
        shape = checks.sizes("reshape", shape)
        if shape == self.shape:
            return self
        return ops.Reshape.apply(self, shape)

    def view(self, *shape):
        """Like ``reshape``, but only as a view of the same memory, as in PyTorch: raises where
        the layout would need a copy (a transposed tensor flattened, say); use ``reshape`` there.

        >>> import minitorch
        >>> minitorch.arange(6).view(3, 2).tolist()
        [[0, 1], [2, 3], [4, 5]]
        """
        out = self.reshape(*shape)
        if out is not self and out.numel() > 1 and not np.may_share_memory(out._array, self._array):
            raise RuntimeError(
                f"view: a tensor of shape {tuple(self.shape)} with strides "
                f"{tuple(s // self._array.itemsize for s in self._array.strides)} cannot be viewed as "
                f"{tuple(out.shape)} without copying. Use .reshape(...) (which copies when it must), "
                f"or .contiguous().view(...)."
            )
        return out

    def view_as(self, other):
        """This tensor reshaped to ``other``'s shape.

        >>> import minitorch
        >>> minitorch.arange(4).view_as(minitorch.zeros(2, 2)).tolist()
        [[0, 1], [2, 3]]
        """
        return self.reshape(other.shape)

    def flatten(self, start_dim=0, end_dim=-1):
        """Dimensions ``start_dim`` to ``end_dim`` merged into one.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3, 4)
        >>> x.flatten().shape, x.flatten(start_dim=1).shape
        ((24,), (2, 12))
        """
        if self.ndim == 0:
            return self.reshape(1)
        start, end = self._axis("flatten", start_dim), self._axis("flatten", end_dim)
        shape = self.shape[:start] + (-1,) + self.shape[end + 1 :]
        return self.reshape(shape)

    def unsqueeze(self, dim):
        """A new dimension of size 1 inserted at ``dim``.

        >>> import minitorch
        >>> x = minitorch.tensor([1, 2])
        >>> x.unsqueeze(0).tolist(), x.unsqueeze(-1).shape
        ([[1, 2]], (2, 1))
        """
        axis = checks.dim("unsqueeze", dim, self.ndim + 1)
        return self.reshape(self.shape[:axis] + (1,) + self.shape[axis:])

    def squeeze(self, dim=None):
        """Dimensions of size 1 removed: all of them, or only those among ``dim``.

        >>> import minitorch
        >>> x = minitorch.zeros(1, 2, 1)
        >>> x.squeeze().shape, x.squeeze(0).shape, x.squeeze(1).shape
        ((2,), (2, 1), (1, 2, 1))
        """
        if dim is None:
            return self.reshape(tuple(s for s in self.shape if s != 1))
        axes = self._axes("squeeze", dim)
        return self.reshape(tuple(s for i, s in enumerate(self.shape) if not (i in axes and s == 1)))

    def permute(self, *dims):
        """The dimensions reordered: ``x.permute(2, 0, 1)`` puts the last first.

        >>> import minitorch
        >>> minitorch.zeros(2, 3, 4).permute(2, 0, 1).shape
        (4, 2, 3)
        """
        dims = checks.sizes("permute", dims)
        return ops.Permute.apply(self, tuple(d % builtins.max(self.ndim, 1) for d in dims))

    def transpose(self, dim0, dim1):
        """Dimensions ``dim0`` and ``dim1`` swapped.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2, 3]]).transpose(0, 1).tolist()
        [[1], [2], [3]]
        """
        a, b = self._axis("transpose", dim0), self._axis("transpose", dim1)
        order = list(range(self.ndim))
        order[a], order[b] = order[b], order[a]
        return ops.Permute.apply(self, tuple(order))

    def expand(self, *sizes):
        """A broadcast view with sizes ``sizes`` (-1 keeps a size): size-1 dims repeat without copying.

        >>> import minitorch
        >>> minitorch.tensor([[1], [2]]).expand(2, 3).tolist()
        [[1, 1, 1], [2, 2, 2]]
        """
        sizes = checks.sizes("expand", sizes)
        offset = len(sizes) - self.ndim
        shape = tuple(self.shape[i - offset] if s == -1 and i >= offset else s for i, s in enumerate(sizes))
        return ops.Expand.apply(self, shape)

    def expand_as(self, other):
        """This tensor expanded (broadcast) to ``other``'s shape.

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).expand_as(minitorch.zeros(2, 2)).tolist()
        [[1, 2], [1, 2]]
        """
        return self.expand(other.shape)

    def contiguous(self):
        """This tensor with its elements in row-major order: itself if they already are, else a copy.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3).T
        >>> x.contiguous().view(-1).shape
        (6,)
        """
        if self._array.flags.c_contiguous:
            return self
        return ops.Clone.apply(self)

    def __getitem__(self, index):
        """x[index], as in numpy and PyTorch: ints, slices, None, ..., int tensors or lists (pick),
        bool tensors (mask). Gradients flow back to the picked elements.

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 2, 3], [4, 5, 6]])
        >>> x[0].tolist(), x[:, 1:].tolist(), x[x > 4].tolist(), x[1, [0, 2]].tolist()
        ([1, 2, 3], [[2, 3], [5, 6]], [5, 6], [4, 6])
        """
        return ops.GetItem.apply(self, _unwrap_index(index))

    def masked_fill(self, mask, value):
        """A copy with ``value`` wherever the bool ``mask`` (broadcast) is True; no gradient reaches those places.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0, 3.0])
        >>> x.masked_fill(x > 1, 0.0).tolist()
        [1.0, 0.0, 0.0]
        """
        mask = self._on_my_device(mask)
        if mask.dtype != np.bool_:
            raise TypeError(f"masked_fill: the mask must be a bool tensor, got dtype {mask.dtype}.")
        return ops.MaskedFill.apply(self, mask, value)
