"""Shape and indexing: ``reshape``, ``view``, ``permute``, ``expand``, ``x[index]``, ``masked_fill``...

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
import builtins

import numpy as np

from .. import checks, device_checks, dtypes
from .. import functions as ops
from ..autograd.composite import shown_as
from ..autograd.names import renamed
from ..autograd.function import keep_versions, tensor_class
from ..device import array_module
from ..functions._util import broadcast_shapes
from ..functions.strided import address, check_geometry, storage


def _unwrap_index(index):
    """Turn Tensors inside an index into arrays (int tensors pick, bool tensors mask)."""
    if isinstance(index, tensor_class()):
        return index._array
    if isinstance(index, tuple):  # lists and tuples inside too: backward must see them as index arrays
        return tuple(_unwrap_index(list(i) if isinstance(i, tuple) else i) for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _indexing_name(index):
    """PyTorch's node for ``x[index]``: the last of its steps that is not a whole dimension's ``:`` is
    a select (an integer) or a slice; an index with tensors, lists, None or ``...`` is an Index."""
    steps = [i for i in (index if isinstance(index, tuple) else (index,)) if not (isinstance(i, slice) and i == slice(None))]
    if not all(isinstance(i, (int, np.integer, slice)) and not isinstance(i, bool) for i in steps):
        return None
    return "SelectBackward0" if steps and not isinstance(steps[-1], slice) else "SliceBackward0"


def _creation():
    """``minitorch.creation``, imported when first needed (it imports the Tensor this mixin builds)."""
    from .. import creation

    return creation


def _distinct_axes(op, dims, ndim):
    """``dims`` (ints, negatives allowed) as axes; naming one dimension twice is a RuntimeError."""
    axes = tuple(checks.dim(op, d, ndim) for d in dims)
    if len(set(axes)) != len(axes):
        raise RuntimeError(f"{op}: dims {tuple(dims)} name the same dimension twice.")
    return axes


def _as_dims(dims):
    """An int or a sequence of ints (PyTorch accepts both for dims) as a tuple."""
    return tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)


def _put_index(array, dim, size):
    """An index array of ``index_put`` for a dimension of ``size``, its values checked to lie in
    [-size, size) (deferred on a GPU, ``device_checks``: 0 stands in for a bad value)."""
    bad = (array < -size) | (array >= size)
    if device_checks.fail_if(bad, IndexError, lambda: (
            f"index_put: index {array[bad].flat[0]} is out of bounds for dimension {dim} with size {size}.")):
        return array_module(array).where(bad, 0, array)
    return array


class ShapeMethods:
    """Shape and indexing: ``reshape``, ``view``, ``permute``, ``expand``, ``x[index]``, ``masked_fill``..."""

    __slots__ = ()

    def reshape(self, *args, shape=None):
        """The same elements in a new shape (one size may be -1); a view where numpy can make one.

        >>> import minitorch
        >>> minitorch.arange(6).reshape(2, -1).shape
        minitorch.Size([2, 3])
        """
        shape = checks.sizes("reshape", args, shape, "shape")
        if shape == self.shape:
            return self
        return ops.Reshape.apply(self, shape)

    def view(self, *args, size=None, dtype=None):
        """Like ``reshape``, but only as a view of the same memory, as in PyTorch: raises where
        the layout would need a copy (a transposed tensor flattened, say); use ``reshape`` there.
        ``view(dtype)`` reads the same bytes as another dtype (no gradient through it).

        >>> import minitorch
        >>> minitorch.arange(6).view(3, 2).tolist()
        [[0, 1], [2, 3], [4, 5]]
        >>> minitorch.tensor([1.0, -2.0]).view(minitorch.int32).tolist()
        [1065353216, -1073741824]
        """
        if dtype is not None or len(args) == 1 and isinstance(args[0], dtypes.DType):
            dtype = dtype or args[0]
            return self.view(self.shape) if dtype == self.dtype else self._bits_as(dtype)
        with checks.called_as("view", "reshape"):
            out = self.reshape(*args, shape=size)
        if out is not self and out.numel() > 1 and not np.may_share_memory(out._array, self._array):
            raise RuntimeError(
                f"view: a tensor of shape {tuple(self.shape)} with strides "
                f"{tuple(s // self._array.itemsize for s in self._array.strides)} cannot be viewed as "
                f"{tuple(out.shape)} without copying. Use .reshape(...) (which copies when it must), "
                f"or .contiguous().view(...)."
            )
        return out

    def _bits_as(self, dtype):
        """``view(dtype)``: the bytes of this tensor read as ``dtype``; the last dim grows or
        shrinks by the ratio of the item sizes."""
        if dtype.np_dtype is None:
            raise TypeError(f"view: minitorch has no {dtype} arrays to read the bytes as; use a numpy dtype.")
        try:
            bits = self._array.view(dtype.np_dtype)
        except ValueError:
            raise RuntimeError(
                f"view: cannot read a tensor of shape {tuple(self.shape)} and dtype {self.dtype} as {dtype}: "
                f"its last dim must be contiguous and hold a multiple of {dtype.itemsize} bytes. "
                f"Use .contiguous(), or .to({dtype}) for a conversion of the values."
            ) from None
        return type(self)._make(bits, False, None, self.device)

    def view_as(self, other):
        """This tensor reshaped to ``other``'s shape.

        >>> import minitorch
        >>> minitorch.arange(4).view_as(minitorch.zeros(2, 2)).tolist()
        [[0, 1], [2, 3]]
        """
        return self.reshape(other.shape)

    def ravel(self):
        """The elements as one dimension, in row-major order: a view when the layout allows, a copy otherwise.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).t().ravel().tolist()
        [1, 3, 2, 4]
        """
        return self.reshape(-1)

    def flatten(self, start_dim=0, end_dim=-1):
        """Dimensions ``start_dim`` to ``end_dim`` merged into one.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3, 4)
        >>> x.flatten().shape, x.flatten(start_dim=1).shape
        (minitorch.Size([24]), minitorch.Size([2, 12]))
        """
        if self.ndim == 0:
            return self.reshape(1)
        start, end = self._axis("flatten", start_dim), self._axis("flatten", end_dim)
        if start > end:
            raise RuntimeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}.")
        shape = self.shape[:start] + (-1,) + self.shape[end + 1 :]
        return self.reshape(shape)

    @renamed("UnsqueezeBackward0")
    def unsqueeze(self, dim):
        """A new dimension of size 1 inserted at ``dim``.

        >>> import minitorch
        >>> x = minitorch.tensor([1, 2])
        >>> x.unsqueeze(0).tolist(), x.unsqueeze(-1).shape
        ([[1, 2]], minitorch.Size([2, 1]))
        """
        axis = checks.dim("unsqueeze", dim, self.ndim + 1)
        return self.reshape(self.shape[:axis] + (1,) + self.shape[axis:])

    @renamed(lambda self, dim=None: "SqueezeBackward0" if dim is None else "SqueezeBackward1")
    def squeeze(self, dim=None):
        """Dimensions of size 1 removed: all of them, or only those among ``dim``.

        >>> import minitorch
        >>> x = minitorch.zeros(1, 2, 1)
        >>> x.squeeze().shape, x.squeeze(0).shape, x.squeeze(1).shape
        (minitorch.Size([2]), minitorch.Size([2, 1]), minitorch.Size([1, 2, 1]))
        """
        if dim is None:
            return self.reshape(tuple(s for s in self.shape if s != 1))
        axes = self._axes("squeeze", dim)
        return self.reshape(tuple(s for i, s in enumerate(self.shape) if not (i in axes and s == 1)))

    def permute(self, *args, dims=None):
        """The dimensions reordered: ``x.permute(2, 0, 1)`` puts the last first.

        >>> import minitorch
        >>> minitorch.zeros(2, 3, 4).permute(2, 0, 1).shape
        minitorch.Size([4, 2, 3])
        """
        dims = checks.sizes("permute", args, dims, "dims")
        if len(dims) != self.ndim:
            raise RuntimeError(
                f"permute: dims {dims} must name each of the tensor's {self.ndim} dimension(s) once."
            )
        return ops.Permute.apply(self, _distinct_axes("permute", dims, self.ndim))

    @renamed("TransposeBackward0")
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

    def expand(self, *args, size=None):
        """A broadcast view with sizes ``sizes`` (-1 keeps a size): size-1 dims repeat without copying.

        >>> import minitorch
        >>> minitorch.tensor([[1], [2]]).expand(2, 3).tolist()
        [[1, 1, 1], [2, 2, 2]]
        """
        sizes = checks.sizes("expand", args, size)
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

    def contiguous(self, memory_format=None):
        """This tensor with its elements in row-major order: itself if they already are, else a copy.
        ``memory_format`` is PyTorch's; every format gives the row-major layout here.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3).T
        >>> x.contiguous().view(-1).shape
        minitorch.Size([6])
        """
        if self._array.flags.c_contiguous:
            return self
        return ops.Clone.apply(self)

    @renamed(lambda self, index: _indexing_name(index))
    def __getitem__(self, index):
        """x[index], as in numpy and PyTorch: ints, slices, None, ..., int tensors or lists (pick),
        bool tensors (mask). Gradients flow back to the picked elements.

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 2, 3], [4, 5, 6]])
        >>> x[0].tolist(), x[:, 1:].tolist(), x[x > 4].tolist(), x[1, [0, 2]].tolist()
        ([1, 2, 3], [[2, 3], [5, 6]], [5, 6], [4, 6])
        """
        self._check_index(index)
        picked = ops.GetItem.apply(self, _unwrap_index(index))
        return keep_versions(picked, *(index if isinstance(index, tuple) else (index,)))

    def _check_index(self, index):
        """Refuse what PyTorch refuses in ``x[index]``: a slice step below 1, a str, an index tensor
        on another device than x (a cpu one may index any tensor), a bool mask whose shape is not
        that of the dimensions it covers."""
        dim = 0  # the first dimension of x that the next part indexes (None after an Ellipsis)
        for part in index if isinstance(index, tuple) else (index,):
            if isinstance(part, slice) and part.step is not None and part.step <= 0:
                raise ValueError(f"index: slice step must be greater than zero, got {part.step} in {part}. "
                                 f"Use .flip(dim) to reverse a dimension.")
            if isinstance(part, str):
                raise TypeError(f"index: a str cannot index a tensor, got {part!r}. Use ints, slices, None, "
                                f"... or integer or bool tensors.")
            covers = 1
            if isinstance(part, tensor_class()):
                if part.device.type != "cpu" and part.device != self.device:
                    raise RuntimeError(f"index: indices on {str(part.device)!r} cannot index a tensor on "
                                       f"{str(self.device)!r}; indices must be on the cpu or on the tensor's "
                                       f"device. Move them with .to({str(self.device)!r}).")
                if part.dtype == dtypes.bool_:
                    covers = part.ndim
                    covered = tuple(self.shape[dim:dim + covers]) if dim is not None else tuple(part.shape)
                    if covered != tuple(part.shape):
                        raise IndexError(f"index: the mask of shape {tuple(part.shape)} does not match the "
                                         f"shape {covered} of the dimensions from {dim} of the tensor of shape "
                                         f"{tuple(self.shape)} that it indexes.")
            if part is Ellipsis:
                dim = None
            elif dim is not None and part is not None and not isinstance(part, bool):
                dim += covers

    def masked_fill(self, mask, value):
        """A copy with ``value`` wherever the bool ``mask`` (broadcast) is True; no gradient reaches those places.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0, 3.0])
        >>> x.masked_fill(x > 1, 0.0).tolist()
        [1.0, 0.0, 0.0]
        """
        checks.same_device("masked_fill", self=self, mask=mask)
        array = self._on_my_device(mask)
        if array.dtype != np.bool_:
            raise RuntimeError(f"masked_fill: the mask must be a bool tensor, got dtype {array.dtype}.")
        if getattr(value, "ndim", 0):
            raise RuntimeError(f"masked_fill: value must be a number or a 0-d tensor, got a tensor of shape "
                               f"{tuple(value.shape)}.")
        shape = broadcast_shapes("masked_fill", self.shape, array.shape)  # PyTorch broadcasts the input too
        x = self if shape == self.shape else self.expand(shape)
        return keep_versions(ops.MaskedFill.apply(x, array, value), mask, what="its mask")

    def index_put(self, indices, values, accumulate=False):
        """A copy with ``values`` (broadcast) at ``self[indices]``, added there with ``accumulate``
        (repeated places adding up); ``indices`` is a tuple of int or bool tensors, one per dimension.

        >>> import minitorch
        >>> x = minitorch.zeros(3)
        >>> x.index_put((minitorch.tensor([0, 0, 2]),), minitorch.tensor(1.0), accumulate=True).tolist()
        [2.0, 0.0, 1.0]
        """
        if not isinstance(indices, (tuple, list)) or not all(isinstance(i, tensor_class()) for i in indices):
            raise TypeError(f"index_put: indices must be a tuple of Tensors, got {type(indices).__name__}.")
        if checks.tensor("index_put", "values", values).dtype != self.dtype:
            raise RuntimeError(f"index_put: values must have the tensor's dtype {self.dtype!r}, got "
                               f"{values.dtype!r}. Convert them with .to(...) first.")
        checks.same_device("index_put", self=self, values=values)  # index tensors may stay on the cpu, as in PyTorch
        if any(i.is_floating_point() for i in indices):
            raise IndexError("index_put: index tensors must be integer or bool tensors, got a floating one.")
        if len(indices) > self.ndim:
            raise IndexError(f"index_put: {len(indices)} index tensors for a tensor of {self.ndim} dimension(s).")
        index = tuple(self._on_my_device(i) for i in indices)
        if all(i.dtype != dtypes.bool_ for i in indices):  # (a mask may span several dimensions)
            index = tuple(_put_index(array, dim, size) for dim, (array, size) in enumerate(zip(index, self.shape)))
        return keep_versions(ops.IndexPut.apply(self, values, index, bool(accumulate)), *indices)

    # ------------------------------------------------------------ more views of the same elements
    def reshape_as(self, other):
        """This tensor reshaped to ``other``'s shape.

        >>> import minitorch
        >>> minitorch.arange(6).reshape_as(minitorch.zeros(3, 2)).shape
        minitorch.Size([3, 2])
        """
        return self.reshape(other.shape)

    def unflatten(self, dim, sizes):
        """Dimension ``dim`` split into ``sizes`` (one of them may be -1): the inverse of ``flatten``.

        >>> import minitorch
        >>> minitorch.zeros(2, 6).unflatten(1, (3, -1)).shape
        minitorch.Size([2, 3, 2])
        """
        axis = self._axis("unflatten", dim)
        sizes = checks.sizes("unflatten", (sizes,))
        known = int(np.prod([s for s in sizes if s != -1]))
        if sizes.count(-1) > 1 or (-1 not in sizes and known != self.shape[axis]) or (
                -1 in sizes and (known == 0 or self.shape[axis] % known)):
            raise RuntimeError(
                f"unflatten: sizes {sizes} do not multiply to the size {self.shape[axis]} of dim {dim}."
            )
        return self.reshape(self.shape[:axis] + sizes + self.shape[axis + 1:])

    def movedim(self, source, destination):
        """Dimension(s) ``source`` moved to position(s) ``destination``, the others keeping their order.

        >>> import minitorch
        >>> minitorch.zeros(2, 3, 4).movedim(0, -1).shape
        minitorch.Size([3, 4, 2])
        """
        source = _distinct_axes("movedim", _as_dims(source), self.ndim)
        destination = _distinct_axes("movedim", _as_dims(destination), self.ndim)
        if len(source) != len(destination):
            raise RuntimeError(f"movedim: source {source} and destination {destination} differ in length.")
        rest = iter(d for d in range(self.ndim) if d not in source)
        placed = dict(zip(destination, source))
        return ops.Permute.apply(self, tuple(placed[i] if i in placed else next(rest) for i in range(self.ndim)))

    moveaxis = movedim

    def swapaxes(self, axis0, axis1):
        """Dimensions ``axis0`` and ``axis1`` swapped (``transpose``'s numpy name).

        >>> import minitorch
        >>> minitorch.zeros(2, 3).swapaxes(0, 1).shape
        minitorch.Size([3, 2])
        """
        return self.transpose(axis0, axis1)

    def swapdims(self, dim0, dim1):
        """Dimensions ``dim0`` and ``dim1`` swapped (same as ``transpose``).

        >>> import minitorch
        >>> minitorch.zeros(2, 3, 4).swapdims(0, 2).shape
        minitorch.Size([4, 3, 2])
        """
        return self.transpose(dim0, dim1)

    @renamed("TBackward0")
    def t(self):
        """The transpose of a matrix; a 0-d or 1-D tensor is returned as it is.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2]]).t().tolist()
        [[1], [2]]
        """
        if self.ndim > 2:
            raise RuntimeError(f"t: expects a tensor with at most 2 dimensions, got shape {tuple(self.shape)}; use .mT.")
        return self.transpose(0, 1) if self.ndim == 2 else self

    @property
    def H(self):
        """The conjugate transpose of a matrix (the transpose: minitorch's tensors are real).

        >>> import minitorch
        >>> minitorch.zeros(2, 3).H.shape
        minitorch.Size([3, 2])
        """
        if self.ndim != 2:
            raise RuntimeError(f"H: only for matrices (2-D tensors), got {self.ndim}-D; use .mH for batches.")
        return self.transpose(0, 1)

    @property
    def mH(self):
        """The last two dimensions swapped, conjugated (real tensors: ``mT``).

        >>> import minitorch
        >>> minitorch.zeros(4, 2, 3).mH.shape
        minitorch.Size([4, 3, 2])
        """
        if self.ndim < 2:
            raise RuntimeError(f"mH: only for matrices or batches of matrices, got {self.ndim}-D.")
        return self.transpose(-2, -1)

    def broadcast_to(self, shape):
        """This tensor broadcast to ``shape`` (a view, as ``expand``).

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).broadcast_to((3, 2)).shape
        minitorch.Size([3, 2])
        """
        with checks.called_as("broadcast_to", "expand"):
            return self.expand(shape)

    # ----------------------------------------------------------------- pieces along a dimension
    def _piece(self, axis, start, stop):
        """Elements ``start:stop`` along ``axis`` (a view, with gradient)."""
        return self[(slice(None),) * axis + (slice(start, stop),)]

    def _pieces(self, axis, bounds):
        """The pieces between consecutive ``bounds`` along ``axis``, as a tuple."""
        return tuple(self._piece(axis, a, b) for a, b in zip(bounds[:-1], bounds[1:]))

    @staticmethod
    def _several(op, pieces):
        """``pieces``, marked as the views that ``op`` (split, unbind) returns together: as in
        PyTorch, none may be changed in place in the graph (``autograd.function.View``)."""
        for number, piece in enumerate(pieces):
            if piece._view is not None:
                piece._view.one_of_several(op)
            if piece._node is not None:  # which output of the op it is, in next_functions (as PyTorch's)
                piece._node.output_nr = number
        return pieces

    def _split_axis(self, op, dim):
        if self.ndim == 0:
            raise RuntimeError(f"{op}: expects a tensor with at least 1 dimension, got a 0-d tensor.")
        return self._axis(op, dim)

    @renamed(lambda self, split_size, dim=0: "SplitWithSizesBackward0" if isinstance(split_size, (tuple, list)) else "SplitBackward0")
    def split(self, split_size, dim=0):
        """Pieces of ``split_size`` elements along ``dim`` (the last may be shorter), or pieces
        of the listed sizes (``split_size`` a list).

        >>> import minitorch
        >>> [p.tolist() for p in minitorch.arange(5).split(2)], [p.shape for p in minitorch.arange(5).split([1, 4])]
        ([[0, 1], [2, 3], [4]], [minitorch.Size([1]), minitorch.Size([4])])
        """
        axis = self._split_axis("split", dim)
        size = self.shape[axis]
        if isinstance(split_size, (tuple, list)):
            sections = checks.sizes("split", (split_size,))
            if builtins.sum(sections) != size or builtins.min(sections, default=0) < 0:
                raise RuntimeError(f"split: sizes {list(sections)} must be non-negative and sum to {size}, "
                                   f"the size of dim {dim}.")
            return self._several("split", self._pieces(axis, np.cumsum((0,) + sections).tolist()))
        step = checks.integer("split", "split_size", split_size)
        if step < 0 or (step == 0 and size):
            raise RuntimeError(f"split: split_size must be positive (0 only for an empty dim), got {step}.")
        return self._several("split", self._pieces(axis, list(range(0, size, step or 1)) + [size])) if size else (self,)

    def split_with_sizes(self, split_sizes, dim=0):
        """``split`` with a list of sizes: pieces of the listed sizes along ``dim``.

        >>> import minitorch
        >>> [p.tolist() for p in minitorch.arange(5).split_with_sizes([2, 3])]
        [[0, 1], [2, 3, 4]]
        """
        if not isinstance(split_sizes, (tuple, list)):
            raise TypeError(f"split_with_sizes: split_sizes must be a list or tuple of ints, got "
                            f"{type(split_sizes).__name__}; split(split_size) takes one size.")
        return self.split(list(split_sizes), dim)

    def unsafe_split(self, split_size, dim=0):
        """``split`` whose pieces may be changed in place while gradients are recorded, as PyTorch's
        ``unsafe_split``: the caller promises not to use the other pieces after such a change.

        >>> import minitorch
        >>> x = minitorch.ones(4, requires_grad=True)
        >>> a, b = (x * 2).unsafe_split(2)
        >>> a.add_(1).sum().backward(); x.grad.tolist()
        [2.0, 2.0, 0.0, 0.0]
        """
        return self._not_several(self.split(split_size, dim))

    def unsafe_chunk(self, chunks, dim=0):
        """``chunk`` whose pieces may be changed in place while gradients are recorded (see
        ``unsafe_split``).

        >>> import minitorch
        >>> [p.tolist() for p in minitorch.arange(5).unsafe_chunk(2)]
        [[0, 1, 2], [3, 4]]
        """
        return self._not_several(self.chunk(chunks, dim))

    @staticmethod
    def _not_several(pieces):
        """``pieces`` as independent views: the unsafe forms lift ``_several``'s mark."""
        for piece in pieces:
            if piece._view is not None:
                piece._view.several = piece._view.version = None
        return pieces

    def tensor_split(self, indices_or_sections, dim=0):
        """``n`` pieces of sizes differing by at most one (the first ones longer), or the pieces
        between the given indices, along ``dim``.

        >>> import minitorch
        >>> [p.tolist() for p in minitorch.arange(5).tensor_split(2)], [p.tolist() for p in minitorch.arange(5).tensor_split([1, 3])]
        ([[0, 1, 2], [3, 4]], [[0], [1, 2], [3, 4]])
        """
        axis = self._split_axis("tensor_split", dim)
        size = self.shape[axis]
        if isinstance(indices_or_sections, tensor_class()):
            indices_or_sections = indices_or_sections.tolist()
        if isinstance(indices_or_sections, (tuple, list)):
            indices = checks.sizes("tensor_split", (indices_or_sections,))
            bounds = [0, *(builtins.min(builtins.max(i + size if i < 0 else i, 0), size) for i in indices), size]
            return tuple(self._piece(axis, a, builtins.max(a, b)) for a, b in zip(bounds[:-1], bounds[1:]))
        n = checks.integer("tensor_split", "sections", indices_or_sections)
        if n <= 0:
            raise RuntimeError(f"tensor_split: the number of sections must be positive, got {n}.")
        sizes = [size // n + (i < size % n) for i in range(n)]
        return self._pieces(axis, np.cumsum([0] + sizes).tolist())

    def chunk(self, chunks, dim=0):
        """At most ``chunks`` pieces of equal size (the last may be shorter) along ``dim``.

        >>> import minitorch
        >>> [p.tolist() for p in minitorch.arange(5).chunk(3)]
        [[0, 1], [2, 3], [4]]
        """
        chunks = checks.integer("chunk", "chunks", chunks)
        if chunks <= 0:
            raise RuntimeError(f"chunk: chunks must be positive, got {chunks}.")
        size = self.shape[self._split_axis("chunk", dim)]
        if size == 0:
            return self.tensor_split(chunks, dim)
        return self.split(-(-size // chunks), dim)

    def _hv_split(self, op, indices_or_sections, dim):
        if isinstance(indices_or_sections, (int, np.integer)) and self.shape[dim] % builtins.max(indices_or_sections, 1):
            raise RuntimeError(f"{op}: dim {dim} of size {self.shape[dim]} does not split into "
                               f"{indices_or_sections} equal pieces.")
        return self.tensor_split(indices_or_sections, dim)

    def hsplit(self, indices_or_sections):
        """``tensor_split`` along dim 1 (dim 0 for a 1-D tensor); a number of sections must divide evenly.

        >>> import minitorch
        >>> [p.shape for p in minitorch.zeros(2, 4).hsplit(2)]
        [minitorch.Size([2, 2]), minitorch.Size([2, 2])]
        """
        if self.ndim == 0:
            raise RuntimeError("hsplit: expects a tensor with at least 1 dimension, got a 0-d tensor.")
        return self._hv_split("hsplit", indices_or_sections, 1 if self.ndim > 1 else 0)

    def vsplit(self, indices_or_sections):
        """``tensor_split`` along dim 0 of a tensor with at least 2 dimensions.

        >>> import minitorch
        >>> [p.shape for p in minitorch.zeros(4, 2).vsplit([1])]
        [minitorch.Size([1, 2]), minitorch.Size([3, 2])]
        """
        if self.ndim < 2:
            raise RuntimeError(f"vsplit: expects a tensor with at least 2 dimensions, got {self.ndim}.")
        return self._hv_split("vsplit", indices_or_sections, 0)

    @renamed("UnbindBackward0")
    def unbind(self, dim=0):
        """The slices along ``dim``, each without that dimension, as a tuple.

        >>> import minitorch
        >>> [t.tolist() for t in minitorch.tensor([[1, 2], [3, 4]]).unbind(1)]
        [[1, 3], [2, 4]]
        """
        axis = self._split_axis("unbind", dim)
        return self._several("unbind", tuple(self.select(axis, i) for i in range(self.shape[axis])))

    def narrow(self, dim, start, length):
        """Elements ``start`` to ``start + length`` along ``dim`` (a view; a negative start counts from the end).

        >>> import minitorch
        >>> minitorch.arange(6).narrow(0, 2, 3).tolist()
        [2, 3, 4]
        """
        axis = self._split_axis("narrow", dim)
        size = self.shape[axis]
        start = checks.integer("narrow", "start", start)
        length = checks.integer("narrow", "length", length)
        if not -size <= start <= size:  # PyTorch's classes: a start out of range is an IndexError
            raise IndexError(f"narrow: start {start} is out of range for dim {dim} of size {size} "
                             f"(expected -{size} to {size}).")
        begin = start + size if start < 0 else start
        if length < 0 or begin + length > size:
            raise RuntimeError(f"narrow: start {start} and length {length} do not fit in dim {dim} of size {size}.")
        return self._piece(axis, begin, begin + length)

    @renamed("SelectBackward0")
    def select(self, dim, index):
        """The slice at ``index`` along ``dim``, that dimension removed (a view): x.select(1, 0) is x[:, 0].

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).select(1, 0).tolist()
        [1, 3]
        """
        axis = self._split_axis("select", dim)
        index = checks.integer("select", "index", index)
        if not -self.shape[axis] <= index < self.shape[axis]:
            raise IndexError(f"select: index {index} is out of range for dim {dim} of size {self.shape[axis]}.")
        return self[(slice(None),) * axis + (index,)]

    # --------------------------------------------------------------- repeats, flips, rolls
    def repeat(self, *args, repeats=None):
        """The tensor tiled ``repeats[i]`` times along dim i (extra repeats add leading dims).

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).repeat(2, 2).tolist()
        [[1, 2, 1, 2], [1, 2, 1, 2]]
        """
        repeats = checks.sizes("repeat", args, repeats, "repeats")
        if len(repeats) < self.ndim or builtins.min(repeats, default=0) < 0:
            raise RuntimeError(f"repeat: needs one non-negative count per dimension ({self.ndim}), got {repeats}.")
        return ops.Repeat.apply(self, repeats)

    def tile(self, dims):
        """``repeat``, with missing leading counts taken as 1.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2]]).tile((2,)).tolist()
        [[1, 2, 1, 2]]
        """
        dims = checks.sizes("tile", (dims,))
        with checks.called_as("tile", "repeat"):
            return self.repeat((1,) * (self.ndim - len(dims)) + dims)

    def repeat_interleave(self, repeats=None, dim=None, *, output_size=None):
        """Each element repeated ``repeats`` times (an int, or one count per element) along ``dim``
        (of the flattened tensor for None). ``output_size`` is accepted and checked.

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).repeat_interleave(2).tolist(), minitorch.tensor([[1], [2]]).repeat_interleave(minitorch.tensor([1, 2]), dim=0).tolist()
        ([1, 1, 2, 2], [[1], [2], [2]])
        """
        if repeats is None:  # minitorch.repeat_interleave(counts): 0, 1, ... each repeated counts[i] times
            return _creation().arange(len(self), device=self.device).repeat_interleave(self)
        x = self.reshape(-1) if dim is None else self
        axis = x._split_axis("repeat_interleave", 0 if dim is None else dim)
        counts = repeats._array if isinstance(repeats, tensor_class()) else checks.integer(
            "repeat_interleave", "repeats", repeats)
        xp = array_module(x._array)
        if xp.ndim(counts) and len(counts) != x.shape[axis] or bool((xp.asarray(counts) < 0).any()):
            raise RuntimeError(f"repeat_interleave: repeats must be non-negative, one per element of dim "
                               f"{axis} (size {x.shape[axis]}), got {xp.ndim(counts) and len(counts)}.")
        index = xp.repeat(xp.arange(x.shape[axis]), counts)
        if output_size is not None and output_size != len(index):
            raise RuntimeError(f"repeat_interleave: output_size {output_size} != {len(index)} elements.")
        if xp.ndim(counts) == 0:  # one count: each element spread along a new dim and copied (PyTorch's graph)
            spread = x.unsqueeze(axis + 1)
            copies = spread.expand(*spread.shape[:axis + 1], int(counts), *spread.shape[axis + 2:]).clone()
            return copies.reshape(*x.shape[:axis], len(index), *x.shape[axis + 1:])
        return x[(slice(None),) * axis + (index,)]

    def flip(self, *args, dims=None):
        """The elements in reverse order along each of ``dims`` (a copy, as in PyTorch).

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).flip(0).tolist()
        [[3, 4], [1, 2]]
        """
        dims = checks.sizes("flip", args, dims, "dims")
        return ops.Flip.apply(self, _distinct_axes("flip", dims, self.ndim) if self.ndim else ())

    def fliplr(self):
        """Flipped left-right: ``flip(1)`` of a tensor with at least 2 dimensions.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2]]).fliplr().tolist()
        [[2, 1]]
        """
        if self.ndim < 2:
            raise RuntimeError(f"fliplr: the input must have at least 2 dimensions, got {self.ndim}.")
        return self.flip(1)

    def flipud(self):
        """Flipped up-down: ``flip(0)`` of a tensor with at least 1 dimension.

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).flipud().tolist()
        [2, 1]
        """
        if self.ndim < 1:
            raise RuntimeError("flipud: the input must have at least 1 dimension, got a 0-d tensor.")
        return self.flip(0)

    @shown_as("Rot90Backward0")
    def rot90(self, k=1, dims=(0, 1)):
        """Rotated by 90 degrees ``k`` times in the plane of ``dims``, from the first towards the second.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).rot90().tolist()
        [[2, 4], [1, 3]]
        """
        k = checks.integer("rot90", "k", k)
        if len(dims) != 2 or self.ndim < 2:
            raise RuntimeError(f"rot90: needs 2 dims and a tensor with at least 2 dimensions, got dims {dims} "
                               f"for {self.ndim} dimension(s).")
        a, b = _distinct_axes("rot90", dims, self.ndim)
        k %= 4
        if k == 1:
            return self.flip(b).transpose(a, b)
        if k == 3:
            return self.flip(a).transpose(a, b)
        return self.flip(a, b) if k == 2 else self.clone()

    def roll(self, shifts, dims=None):
        """Elements shifted cyclically by ``shifts`` along ``dims`` (of the flattened tensor for None).

        >>> import minitorch
        >>> minitorch.tensor([1, 2, 3]).roll(1).tolist()
        [3, 1, 2]
        """
        shifts = checks.sizes("roll", (_as_dims(shifts),))
        axes = None if dims is None else _as_dims(dims)
        if len(shifts) != (1 if axes is None else len(axes)):
            raise RuntimeError(f"roll: shifts {shifts} and dims {dims} must have the same length.")
        if axes is not None:
            axes = tuple(self._axis("roll", d) for d in axes)
        return ops.Roll.apply(self, shifts, axes)

    # ----------------------------------------------------------------- memory layout
    def stride(self, dim=None):
        """How many elements to step in memory to move by one along each dimension (or along ``dim``).

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3)
        >>> x.stride(), x.t().stride(), x.stride(-1)
        ((3, 1), (1, 3), 1)
        """
        strides = tuple(s // self._array.itemsize for s in self._array.strides)
        return strides if dim is None else strides[self._axis("stride", dim)]

    def element_size(self):
        """The size of one element in bytes.

        >>> import minitorch
        >>> minitorch.zeros(2).element_size(), minitorch.zeros(2, dtype=minitorch.float64).element_size()
        (4, 8)
        """
        return self._array.itemsize

    @property
    def itemsize(self):
        """The size of one element in bytes (``element_size()``).

        >>> import minitorch
        >>> minitorch.zeros(2, dtype=minitorch.float64).itemsize
        8
        """
        return self._array.itemsize

    @property
    def nbytes(self):
        """The bytes the elements take: ``numel() * itemsize``.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).nbytes
        24
        """
        return self._array.size * self._array.itemsize

    def ndimension(self):
        """The number of dimensions (``dim()``, the older spelling).

        >>> import minitorch
        >>> minitorch.zeros(2, 3).ndimension()
        2
        """
        return self._array.ndim

    @property
    def is_cpu(self):
        """Whether the tensor lives on the CPU.

        >>> import minitorch
        >>> minitorch.zeros(1).is_cpu
        True
        """
        return self.device.type == "cpu"

    def get_device(self):
        """The index of the GPU the tensor lives on, or -1 on the CPU.

        >>> import minitorch
        >>> minitorch.zeros(1).get_device()
        -1
        """
        return -1 if self.device.type == "cpu" else (self.device.index or 0)

    def is_signed(self):
        """Whether the dtype holds negative numbers (False for uint8 and bool).

        >>> import minitorch
        >>> minitorch.tensor([1]).is_signed(), minitorch.tensor([1], dtype=minitorch.uint8).is_signed()
        (True, False)
        """
        return self._array.dtype.kind in "if"

    def is_pinned(self, device=None):
        """False: minitorch does not page-lock host memory (``pin_memory`` returns the tensor as it is).

        >>> import minitorch
        >>> minitorch.zeros(1).is_pinned()
        False
        """
        return False

    @property
    def output_nr(self):
        """Which output of its op this tensor is (0 for the first, or for a leaf), as in ``next_functions``.

        >>> import minitorch
        >>> minitorch.ones(4, requires_grad=True).split(2)[1].output_nr
        1
        """
        return 0 if self._node is None else self._node.__dict__.get("output_nr", 0)

    def is_same_size(self, other):
        """Whether ``other`` has the same shape.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).is_same_size(minitorch.ones(2, 3))
        True
        """
        return self.shape == checks.tensor("is_same_size", "other", other).shape

    def is_nonzero(self):
        """The truth of a one-element tensor, as a Python bool (more or fewer elements: RuntimeError).

        >>> import minitorch
        >>> minitorch.tensor([3]).is_nonzero()
        True
        """
        if self._array.size != 1:
            raise RuntimeError(f"is_nonzero: Boolean value of Tensor with {'no values' if self._array.size == 0 else 'more than one value'} "
                               f"is ambiguous (shape {tuple(self.shape)}); reduce it first, e.g. with .any() or .all().")
        return bool(self.item())

    def equal(self, other):
        """True if ``other`` has the same shape and values (a Python bool; ``minitorch.equal``).

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).equal(minitorch.tensor([1, 2]))
        True
        """
        checks.tensors("equal", [self, other])
        return self.shape == other.shape and bool((self == other).all())

    def new(self, *args):
        """PyTorch's legacy constructor in self's dtype and on self's device: ``x.new(2, 3)`` (sizes,
        uninitialised), ``x.new([1, 2])`` (values), ``x.new()`` (empty). Prefer ``new_empty``/``new_tensor``.

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).new([1.7]).dtype
        minitorch.int64
        """
        from ..legacy import legacy_new  # legacy builds on Tensor

        return legacy_new("new", self.dtype, args, self.device)

    def nelement(self):
        """The number of elements (same as ``numel``).

        >>> import minitorch
        >>> minitorch.zeros(2, 3).nelement()
        6
        """
        return self.numel()

    def is_contiguous(self, memory_format=None):
        """Whether the elements lie in memory in row-major order with no gaps (dims of size 1 aside);
        with ``memory_format=minitorch.channels_last`` (or ``channels_last_3d``), whether they lie in
        N, H, W, C order (N, D, H, W, C), as a permute of a row-major NHWC array does.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3)
        >>> x.is_contiguous(), x.t().is_contiguous()
        (True, False)
        """
        name = getattr(memory_format, "name", "contiguous_format")
        if name in ("channels_last", "channels_last_3d"):
            rank = 4 if name == "channels_last" else 5
            if self.ndim != rank:
                return False
            return bool(self._array.transpose(0, *range(2, rank), 1).flags.c_contiguous)
        return bool(self._array.flags.c_contiguous)

    @property
    def layout(self):
        """How the tensor is stored: always ``minitorch.strided`` (dense, with strides).

        >>> import minitorch
        >>> minitorch.zeros(2).layout
        minitorch.strided
        """
        from ..api import strided

        return strided

    def data_ptr(self):
        """The address of the first element in memory (numpy's, or cupy's on a GPU), an int.
        Two tensors sharing memory at the same place have the same ``data_ptr``.

        >>> import minitorch
        >>> x = minitorch.zeros(4)
        >>> x[1:].data_ptr() - x.data_ptr() == x.element_size()
        True
        """
        return address(self._array)

    def storage_offset(self):
        """How many elements into the memory it shares (its storage) this tensor starts.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3)
        >>> x.storage_offset(), x[1, 1:].storage_offset()
        (0, 4)
        """
        return storage(self._array)[1]

    def as_strided(self, size, stride, storage_offset=None):
        """A view of this tensor's storage (the memory it shares with the tensors it is a view of) with
        the given ``size``, ``stride`` and ``storage_offset``, in elements; ``storage_offset=None`` is this
        tensor's own. The storage, not the tensor: ``x[1:].as_strided((2,), (1,), 0)`` starts at ``x[0]``.
        Elements may repeat (a stride of 0, overlapping windows); each copy passes its gradient back.
        Writes through the view change the tensor, and the other way round.

        >>> import minitorch
        >>> x = minitorch.arange(6.0)
        >>> x.as_strided((2, 3), (3, 1)).tolist()
        [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
        >>> x.as_strided((3, 2), (1, 1), 1).tolist()     # overlapping windows of 2, from x[1]
        [[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]]
        >>> x[4:].as_strided((2,), (1,)).tolist()        # from where x[4:] starts
        [4.0, 5.0]
        """
        size, stride, storage_offset = check_geometry("as_strided", size, stride, storage_offset)
        offset = self.storage_offset() if storage_offset is None else storage_offset
        return ops.AsStrided.apply(self, size, stride, offset)

    def dim_order(self):
        """The dimensions from outermost to innermost in memory (by stride, largest first).

        >>> import minitorch
        >>> minitorch.zeros(2, 3, 4).dim_order(), minitorch.zeros(2, 3, 4).permute(2, 0, 1).dim_order()
        ((0, 1, 2), (1, 2, 0))
        """
        strides = self.stride()
        return tuple(sorted(range(self.ndim), key=lambda d: -strides[d]))

    # ------------------------------------------------------------- new tensors like this one
    def _new(self, make, size, dtype, device, requires_grad, *args, named=None):
        return make(checks.sizes(make.__name__, size, named), *args, dtype=dtype or self.dtype,
                    device=device or self.device, requires_grad=requires_grad)

    def new_zeros(self, *args, size=None, dtype=None, device=None, requires_grad=False):
        """Zeros of shape ``size``, with this tensor's dtype and device unless given.

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).new_zeros(2, 2).tolist()
        [[0, 0], [0, 0]]
        """
        return self._new(_creation().zeros, args, dtype, device, requires_grad, named=size)

    def new_ones(self, *args, size=None, dtype=None, device=None, requires_grad=False):
        """Ones of shape ``size``, with this tensor's dtype and device unless given.

        >>> import minitorch
        >>> minitorch.tensor([1.5]).new_ones(2).tolist()
        [1.0, 1.0]
        """
        return self._new(_creation().ones, args, dtype, device, requires_grad, named=size)

    def new_empty(self, *args, size=None, dtype=None, device=None, requires_grad=False):
        """A tensor of shape ``size`` (zero-filled here), with this tensor's dtype and device unless given.

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).new_empty(3).shape
        minitorch.Size([3])
        """
        return self._new(_creation().zeros, args, dtype, device, requires_grad, named=size)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        """``fill_value`` in shape ``size``, with this tensor's dtype and device unless given.

        >>> import minitorch
        >>> minitorch.tensor([1.0]).new_full((2,), 7).tolist()
        [7.0, 7.0]
        """
        return _creation().full(checks.sizes("new_full", (size,)), fill_value, dtype=dtype or self.dtype,
                             device=device or self.device, requires_grad=requires_grad)

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
        """A new tensor of ``data`` (copied), with this tensor's dtype and device unless given.

        >>> import minitorch
        >>> minitorch.zeros(1, dtype=minitorch.float64).new_tensor([1, 2]).dtype
        minitorch.float64
        """
        if isinstance(data, tensor_class()):
            data = data.detach().cpu()
        return _creation().tensor(data, dtype=dtype or self.dtype, device=device or self.device,
                               requires_grad=requires_grad)
