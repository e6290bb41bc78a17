"""Picking and placing by index tensors: ``gather``, ``scatter``, ``index_select``, ``index_add``,
``masked_select``, ``nonzero``, ``take``, ``put``...

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
Picking is ``GetItem`` (its backward adds the gradient back at the picked places); placing is
``IndexPut`` (its backward picks); ``scatter_reduce`` has an op of its own. Index values are
checked here, with PyTorch's error type for each op (an IndexError for index_select, take,
put, index_copy, index_fill and index_add; a RuntimeError for gather and scatter).
"""
import numpy as np

from .. import checks, device_checks, dtypes
from .. import functions as ops
from ..autograd.composite import shown_as
from ..autograd.names import renamed
from ..autograd.function import keep_versions, tensor_class
from ..device import array_module
from ..errors import IndexBoundsError
from ..functions._util import broadcast_shapes
from ..functions.scatter import along

_REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


class IndexingMethods:
    """Picking and placing by index tensors: ``gather``, ``scatter``, ``index_select``, ``take``..."""

    __slots__ = ()

    def _index(self, op, index, size, dim, error=RuntimeError, negative=False):
        """``index`` (an integer Tensor) as an int64 array on this device, each value checked
        against ``size`` (deferred on a GPU, ``device_checks``: 0 stands in for a bad value);
        ``negative``: values from -size count from the end, as in PyTorch."""
        if not isinstance(index, tensor_class()) or index._array.dtype.kind not in "iu":
            what = index.dtype if isinstance(index, tensor_class()) else type(index).__name__
            raise RuntimeError(f"{op}: index must be an integer (int64) tensor, got {what}.")
        checks.same_device(op, self=self, index=index)
        array = self._on_my_device(index).astype(np.int64, copy=False)
        low = -size if negative else 0
        bad = (array < low) | (array >= size)
        if device_checks.fail_if(bad, error, lambda values=array: (
                f"{op}: index {values[bad].flat[0]} is out of bounds for dimension {dim} with size {size}.")):
            array = array_module(array).where(bad, 0, array)
        return array % size if negative and size else array

    def _same_dtype(self, op, other):
        if other.dtype != self.dtype:
            raise RuntimeError(f"{op}: self ({self.dtype}) and source ({other.dtype}) must have the same dtype.")
        return other

    def _gather_place(self, op, dim, index, *others):
        """gather's and scatter's addressing (``functions.scatter.along``), checked: index has
        self's number of dimensions and is no larger than self (off ``dim``) and than ``others``."""
        if self.ndim == 0:
            raise RuntimeError(f"{op}: expects a tensor with at least 1 dimension, got a 0-d tensor.")
        axis = self._axis(op, dim)
        array = self._index(op, index, self.shape[axis], dim)
        if array.ndim != self.ndim:
            raise RuntimeError(f"{op}: index must have as many dimensions as self ({self.ndim}), "
                               f"got shape {tuple(array.shape)}.")
        too_big = [d for d in range(array.ndim) for t in (self, *others)
                   if array.shape[d] > t.shape[d] and (d != axis or t is not self)]
        if too_big:
            raise RuntimeError(f"{op}: index of shape {tuple(array.shape)} is larger than self {tuple(self.shape)} "
                               f"(off dim {dim}) or src at dim {too_big[0]}.")
        return along(array, axis)

    @renamed("GatherBackward0")
    def gather(self, dim, index, *, sparse_grad=False):
        """out[i][j] = self[index[i][j]][j] for dim 0 (self[i][index[i][j]] for dim 1, ...).
        ``sparse_grad`` is accepted; gradients are dense here.

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 2], [3, 4]])
        >>> x.gather(1, minitorch.tensor([[0, 0], [1, 0]])).tolist()
        [[1, 1], [4, 3]]
        """
        return keep_versions(ops.GetItem.apply(self, self._gather_place("gather", dim, index)), index)

    def _scatter_source(self, op, index, src, value):
        """The values scatter writes: src cut to index's shape, or ``value`` as a 0-d tensor."""
        if isinstance(src, tensor_class()):
            checks.same_device(op, self=self, src=src)
            self._same_dtype(op, src)
            return src if src.shape == index.shape else src[tuple(slice(0, n) for n in index.shape)]
        value = value if src is None else src
        if value is None:
            raise TypeError(f"{op}: give src (a tensor) or value (a number).")
        return tensor_class()._make(np.asarray(value, dtype=self._array.dtype), False, None, self.device)

    @renamed("ScatterBackward0")
    def scatter(self, dim, index, src=None, value=None, *, reduce=None):
        """A copy with out[index[i][j]][j] = src[i][j] for dim 0 (and so on), or ``value`` there;
        ``reduce`` ('add', 'multiply') combines with the values already there instead.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).scatter(0, minitorch.tensor([[1, 0, 1]]), 5.0).tolist()
        [[0.0, 5.0, 0.0], [5.0, 0.0, 5.0]]
        """
        source = self._scatter_source("scatter", index, src, value)
        place = self._gather_place("scatter", dim, index, *([source] if source.ndim else []))
        if reduce is not None:
            reduce = {"add": "sum", "multiply": "prod"}[checks.choice("scatter", "reduce", reduce, ("add", "multiply"), error=RuntimeError)]
            return keep_versions(ops.ScatterReduce.apply(self, source.expand(index.shape), place, reduce, True), index)
        return keep_versions(ops.IndexPut.apply(self, source, place, False), index)

    def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
        """``scatter`` in place (in the graph, gradients flow to self's other elements and to src); returns self.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).scatter_(1, minitorch.tensor([[2], [0]]), 1.0).tolist()
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
        """
        return self._update("scatter_", self.scatter, dim, index, src, value, reduce=reduce)

    @renamed("ScatterAddBackward0")
    def scatter_add(self, dim, index, src):
        """A copy with src[i][j] added at out[index[i][j]][j] for dim 0 (and so on); repeats add up.

        >>> import minitorch
        >>> minitorch.zeros(3).scatter_add(0, minitorch.tensor([0, 2, 0]), minitorch.ones(3)).tolist()
        [2.0, 0.0, 1.0]
        """
        source = self._scatter_source("scatter_add", index, src, None)
        place = self._gather_place("scatter_add", dim, index, source)
        return keep_versions(ops.IndexPut.apply(self, source, place, True), index)

    def scatter_reduce(self, dim, index, src, reduce, *, include_self=True):
        """Each src[i][j] meets out[index[i][j]][j] (dim 0; and so on), and every such group is
        reduced by ``reduce``: 'sum', 'prod', 'mean', 'amax' or 'amin', with self's element there
        when ``include_self``.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 10.0])
        >>> x.scatter_reduce(0, minitorch.tensor([0, 0, 1]), minitorch.tensor([2.0, 5.0, 3.0]), "amax").tolist()
        [5.0, 10.0]
        """
        reduce = checks.choice("scatter_reduce", "reduce", reduce, _REDUCTIONS, error=RuntimeError)
        source = self._scatter_source("scatter_reduce", index, src, None)
        place = self._gather_place("scatter_reduce", dim, index, source)
        return ops.ScatterReduce.apply(self, source, place, reduce, bool(include_self))

    # ------------------------------------------------------------- whole slices along a dim
    def _slices(self, op, dim, index, error, negative=False, vector_error=IndexError, source=None):
        """(x, the numpy index that picks ``index``'s slices of x along ``dim``, the axis), with x
        self or, for a 0-d self, self as one element (``_unalong`` puts the result back);
        ``source`` (index_add, index_copy) is checked (``_source``) before index's values."""
        x, axis = self._along(op, dim)
        if isinstance(index, tensor_class()) and index.ndim > 1:
            raise vector_error(f"{op}: index must be a vector (0-d or 1-D), got shape {tuple(index.shape)}.")
        if source is not None:
            self._source(op, axis, index.numel() if isinstance(index, tensor_class()) else 1, source)
        array = x._index(op, index, x.shape[axis], dim, error, negative).reshape(-1)
        return x, (slice(None),) * axis + (array,), axis

    @renamed("IndexSelectBackward0")
    def index_select(self, dim, index):
        """The slices at ``index`` (a 0-d or 1-D int tensor) along ``dim``, in that order.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).index_select(0, minitorch.tensor([1, 1, 0])).tolist()
        [[3, 4], [3, 4], [1, 2]]
        """
        x, place, axis = self._slices("index_select", dim, index, IndexBoundsError)
        if self.ndim == 0 and len(place[axis]) != 1:
            raise RuntimeError(f"index_select: a 0-d self takes exactly one index, got {len(place[axis])}.")
        return keep_versions(self._unalong(ops.GetItem.apply(x, place)), index)

    def _source(self, op, axis, count, source):
        """``source`` checked against self (as given, 0-d or not) and ``count`` indices along
        ``axis`` in PyTorch's order and error classes, which differ between index_copy and
        index_add: self's dtype, ``count`` slices along ``axis`` and self's sizes off it."""
        checks.tensor(op, "source", source)
        copy = op == "index_copy"
        fits = (f"{op}: source of shape {tuple(source.shape)} does not fit {count} indices along dim {axis} "
                f"of self {tuple(self.shape)}")
        one_index = IndexError(f"{fits}: a 0-d source takes exactly one index.") if not source.ndim and count != 1 else None
        if copy and source.ndim and self.ndim and source.ndim != self.ndim:
            raise IndexError(f"{fits}: give source self's number of dimensions ({self.ndim}).")
        if copy and one_index:  # index_copy checks it before the dtype, index_add after
            raise one_index
        self._same_dtype(op, source)
        if one_index:
            raise one_index
        def off(t):  # t's sizes off ``axis``: index_add keeps all when either is 0-d
            return t.shape[:axis] + t.shape[axis + 1:] if t.ndim and (copy or self.ndim and source.ndim) else t.shape
        counted = source.ndim == 0 or axis < source.ndim and source.shape[axis] == count
        if off(source) != off(self) or not (copy or counted):
            raise RuntimeError(f"{fits}: give it self's sizes off dim {axis} and {count} along it.")
        if not counted:
            raise IndexError(f"{fits}: give it {count} slices along dim {axis}.")

    @renamed("IndexAddBackward0")
    def index_add(self, dim, index, source, *, alpha=1):
        """A copy with alpha * source's slices added at ``index`` along ``dim`` (repeats add up).

        >>> import minitorch
        >>> minitorch.zeros(3).index_add(0, minitorch.tensor([0, 0]), minitorch.tensor([1.0, 2.0])).tolist()
        [3.0, 0.0, 0.0]
        """
        x, place, _ = self._slices("index_add", dim, index, IndexBoundsError, source=source)
        return self._unalong(ops.IndexPut.apply(x, source if alpha == 1 else source * alpha, place, True))

    def index_copy(self, dim, index, source):
        """A copy with the slices at ``index`` along ``dim`` replaced by ``source``'s.

        >>> import minitorch
        >>> minitorch.zeros(3).index_copy(0, minitorch.tensor([2]), minitorch.tensor([7.0])).tolist()
        [0.0, 0.0, 7.0]
        """
        x, place, _ = self._slices("index_copy", dim, index, IndexError, source=source)
        return self._unalong(ops.IndexPut.apply(x, source, place, False))

    def index_fill(self, dim, index, value):
        """A copy with ``value`` (a number or a 0-d tensor) in the slices at ``index`` along ``dim``.

        >>> import minitorch
        >>> minitorch.zeros(2, 2).index_fill(1, minitorch.tensor([0]), -1.0).tolist()
        [[-1.0, 0.0], [-1.0, 0.0]]
        """
        x, place, _ = self._slices("index_fill", dim, index, IndexError, negative=True,
                                   vector_error=RuntimeError)  # PyTorch's class for a 2-D index here
        if isinstance(value, tensor_class()):
            if value.ndim:
                raise RuntimeError(f"index_fill: value must be a number or a 0-d tensor, got shape {tuple(value.shape)}.")
            value = value.to(dtype=self.dtype)
        else:
            value = self._scatter_source("index_fill", None, None, value)
        return self._unalong(ops.IndexPut.apply(x, value, place, False))

    def unfold(self, dimension, size, step):
        """Every window of ``size`` elements along ``dimension``, ``step`` apart, as a new last dim:
        that dimension becomes the number of windows, (n - size) // step + 1.

        >>> import minitorch
        >>> minitorch.arange(5).unfold(0, 2, 2).tolist()
        [[0, 1], [2, 3]]
        """
        axis = self._axis("unfold", dimension) if self.ndim else 0
        length = self.shape[axis] if self.ndim else 1
        size, step = checks.integer("unfold", "size", size), checks.integer("unfold", "step", step)
        if not 0 <= size <= length:  # PyTorch's class for both: RuntimeError
            raise RuntimeError(f"unfold: size must be between 0 and {length} (the length of dimension "
                               f"{dimension}), got {size}.")
        if step < 1:
            raise RuntimeError(f"unfold: step must be at least 1, got {step}.")
        xp = array_module(self._array)
        windows = xp.arange(0, length - size + 1, step)[:, None] + xp.arange(size)[None, :]
        if not self.ndim:
            return ops.GetItem.apply(self.reshape(1), (windows[0],))
        picked = ops.GetItem.apply(self, (slice(None),) * axis + (windows,))
        return picked.movedim(axis + 1, -1)

    def where(self, condition, other):
        """self where ``condition`` is True, else ``other`` (``minitorch.where(condition, self, other)``).

        >>> import minitorch
        >>> x = minitorch.tensor([-1.0, 2.0])
        >>> x.where(x > 0, 0.0).tolist()
        [0.0, 2.0]
        """
        checks.bool_tensor("where", "condition", condition)
        dtype = dtypes.common_dtype(self, other)
        if isinstance(other, tensor_class()):
            checks.same_device("where", condition=condition, input=self, other=other)
            other = other.to(dtype)
        else:  # a number: a numpy scalar of the dtype, which mixes with numpy and cupy arrays alike
            checks.same_device("where", condition=condition, input=self)
            other = dtype.np_dtype.type(other)
        picked = ops.Where.apply(condition._array, self.to(dtype), other)
        return keep_versions(picked, condition, what="its condition")

    # --------------------------------------------------------------------------- masks
    def _bool_mask(self, op, mask, shape):  # not `_mask`: numpy.ma reads that name
        if not isinstance(mask, tensor_class()) or mask._array.dtype != np.bool_:
            raise RuntimeError(f"{op}: mask must be a bool tensor, got {getattr(mask, 'dtype', type(mask).__name__)}.")
        checks.same_device(op, self=self, mask=mask)
        return np.broadcast_to(self._on_my_device(mask), shape)

    @shown_as("MaskedSelectBackward0")
    def masked_select(self, mask):
        """The elements where the bool ``mask`` is True (both broadcast), as a 1-D tensor.

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 2], [3, 4]])
        >>> x.masked_select(x > 1).tolist()
        [2, 3, 4]
        """
        shape = broadcast_shapes("masked_select", self.shape, getattr(mask, "shape", ()))
        picked = ops.GetItem.apply(self.expand(shape), self._bool_mask("masked_select", mask, shape))
        return keep_versions(picked, mask, what="its mask")

    def masked_scatter(self, mask, source):
        """A copy with ``source``'s first elements, in order, at the places where ``mask`` is True
        (self and mask broadcast, as in PyTorch).

        >>> import minitorch
        >>> x = minitorch.zeros(4)
        >>> x.masked_scatter(minitorch.tensor([True, False, True, False]), minitorch.tensor([1.0, 2.0, 3.0])).tolist()
        [1.0, 0.0, 2.0, 0.0]
        """
        checks.tensor("masked_scatter", "source", source)
        shape = broadcast_shapes("masked_scatter", self.shape, getattr(mask, "shape", ()))
        (place,) = self._bool_mask("masked_scatter", mask, shape).reshape(-1).nonzero()  # in row-major order
        if self._same_dtype("masked_scatter", source).numel() < len(place):
            raise RuntimeError(f"masked_scatter: mask has {len(place)} True values but source only {source.numel()} elements.")
        flat = ops.IndexPut.apply(self.expand(shape).reshape(-1), source.reshape(-1)[:len(place)], place, False)
        return flat.reshape(shape)

    def nonzero(self, *, as_tuple=False):
        """The coordinates of the nonzero elements: an (n, ndim) int64 tensor, or (``as_tuple``)
        one 1-D tensor per dimension, which indexes them: x[x.nonzero(as_tuple=True)].

        >>> import minitorch
        >>> x = minitorch.tensor([[0, 1], [2, 0]])
        >>> x.nonzero().tolist(), [t.tolist() for t in x.nonzero(as_tuple=True)]
        ([[0, 1], [1, 0]], [[0, 1], [1, 0]])
        """
        if as_tuple:
            flat = self.reshape(-1) if self.ndim == 0 else self
            return ops.NonZero.apply(flat).unbind(1)
        return ops.NonZero.apply(self)

    def argwhere(self):
        """The coordinates of the nonzero elements, an (n, ndim) int64 tensor (``nonzero()``).

        >>> import minitorch
        >>> minitorch.tensor([0, 3, 0, 4]).argwhere().tolist()
        [[1], [3]]
        """
        return self.nonzero()

    # ------------------------------------------------------------- the flattened tensor
    def take(self, index):
        """The elements of the flattened tensor at ``index`` (negative counts from the end),
        in index's shape.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).take(minitorch.tensor([0, -1])).tolist()
        [1, 4]
        """
        array = self._index("take", index, self.numel(), None, IndexError, negative=True)
        return keep_versions(ops.GetItem.apply(self.reshape(-1), array), index)

    @renamed("GatherBackward0")
    def take_along_dim(self, indices, dim=None):
        """``gather`` along ``dim`` with self and ``indices`` broadcast off ``dim``; with dim None,
        elements of the flattened tensor.

        >>> import minitorch
        >>> x = minitorch.tensor([[3, 1], [2, 4]])
        >>> x.take_along_dim(x.argmax(1, keepdim=True), 1).tolist()
        [[3], [4]]
        """
        if dim is None:
            return self.reshape(-1).gather(0, indices.reshape(-1))
        axis = self._axis("take_along_dim", dim)
        if indices.ndim != self.ndim:
            raise RuntimeError(f"take_along_dim: input and indices need the same number of dimensions, "
                               f"got {self.ndim} and {indices.ndim}.")
        shape = broadcast_shapes("take_along_dim", self.shape[:axis] + self.shape[axis + 1:],
                                 indices.shape[:axis] + indices.shape[axis + 1:])
        array = self._index("take_along_dim", indices, self.shape[axis], dim, negative=True)
        x = self.expand(shape[:axis] + (self.shape[axis],) + shape[axis:])
        array = np.broadcast_to(array, shape[:axis] + (indices.shape[axis],) + shape[axis:])
        return ops.GetItem.apply(x, along(array, axis))

    def put(self, index, source, accumulate=False):
        """A copy with ``source``'s elements written (``accumulate``: added) at ``index`` of the
        flattened tensor (negative counts from the end).

        >>> import minitorch
        >>> minitorch.zeros(2, 2).put(minitorch.tensor([0, 3]), minitorch.tensor([1.0, 2.0])).tolist()
        [[1.0, 0.0], [0.0, 2.0]]
        """
        self._same_dtype("put", checks.tensor("put", "source", source))  # first, as in PyTorch
        array = self._index("put", index, self.numel(), None, IndexError, negative=True).reshape(-1)
        if source.numel() != array.size:
            raise IndexError(f"put: source has {source.numel()} elements, index {array.size}: give as many.")
        flat = ops.IndexPut.apply(self.reshape(-1), source.reshape(-1), array, bool(accumulate))
        return flat.reshape(self.shape)
