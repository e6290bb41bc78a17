"""Picking and placing by index tensors: ``gather``, ``scatter``, ``index_select``, ``index_add``,
``masked_select``, ``nonzero``, ``take``, ``put``...

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
Picking is ``GetItem`` (its backward adds the gradient back at the picked places); placing is
``IndexPut`` (its backward picks); ``scatter_reduce`` has an op of its own. Index values are
checked here, with PyTorch's error type for each op (an IndexError for index_select, take,
put, index_copy and index_fill; a RuntimeError for gather, scatter and index_add).
"""
import numpy as np

from .. import checks, dtypes
from .. import functions as ops
from ..autograd.function import keep_versions, tensor_class
from ..autograd.grad_mode import _GradMode
from ..device import array_module
from ..functions._util import broadcast_shapes
from ..functions.scatter import along

_REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


class IndexingMethods:
    """Picking and placing by index tensors: ``gather``, ``scatter``, ``index_select``, ``take``..."""

    __slots__ = ()

    def _index(self, op, index, size, dim, error=RuntimeError, negative=False):
        """``index`` (an integer Tensor) as an int64 array on this device, each value checked
        against ``size``; ``negative``: values from -size count from the end, as in PyTorch."""
        if not isinstance(index, tensor_class()) or index._array.dtype.kind not in "iu":
            what = index.dtype if isinstance(index, tensor_class()) else type(index).__name__
            raise RuntimeError(f"{op}: index must be an integer (int64) tensor, got {what}.")
        checks.same_device(op, self=self, index=index)
        array = self._on_my_device(index).astype(np.int64, copy=False)
        low = -size if negative else 0
        bad = array[(array < low) | (array >= size)]
        if bad.size:
            raise error(f"{op}: index {int(bad[0])} is out of bounds for dimension {dim} with size {size}.")
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
            self._same_dtype(op, src)
            return src[tuple(slice(0, n) for n in index.shape)]
        value = value if src is None else src
        if value is None:
            raise TypeError(f"{op}: give src (a tensor) or value (a number).")
        return tensor_class()._make(np.asarray(value, dtype=self._array.dtype), False, None, self.device)

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
        """``scatter`` in place (no gradient reaches src through it); returns self.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).scatter_(1, minitorch.tensor([[2], [0]]), 1.0).tolist()
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
        """
        if isinstance(src, tensor_class()) and src.requires_grad and _GradMode.enabled:
            raise RuntimeError("scatter_: src requires grad and an in-place scatter would cut it out of the "
                               "graph; use out = x.scatter(...) instead.")
        return self.copy_(self.detach().scatter(dim, index, src, value, reduce=reduce))

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
    def _slices(self, op, dim, index, error, negative=False):
        """The numpy index that picks ``index``'s slices along ``dim``, and the axis."""
        if self.ndim == 0:
            raise RuntimeError(f"{op}: expects a tensor with at least 1 dimension, got a 0-d tensor.")
        axis = self._axis(op, dim)
        if isinstance(index, tensor_class()) and index.ndim > 1:
            raise IndexError(f"{op}: index must be a vector (0-d or 1-D), got shape {tuple(index.shape)}.")
        array = self._index(op, index, self.shape[axis], dim, error, negative).reshape(-1)
        return (slice(None),) * axis + (array,), axis

    def index_select(self, dim, index):
        """The slices at ``index`` (a 1-D int tensor) along ``dim``, in that order.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).index_select(0, minitorch.tensor([1, 1, 0])).tolist()
        [[3, 4], [3, 4], [1, 2]]
        """
        place, _ = self._slices("index_select", dim, index, IndexError)
        return keep_versions(ops.GetItem.apply(self, place), index)

    def _source(self, op, axis, place, source):
        """``source`` checked: self's dtype, and self's shape with ``len(index)`` along ``axis``."""
        self._same_dtype(op, source)
        shape = self.shape[:axis] + (len(place[axis]),) + self.shape[axis + 1:]
        if source.shape != shape and source.numel() != 1:
            raise RuntimeError(f"{op}: source of shape {tuple(source.shape)} must have shape {shape}.")
        return source

    def index_add(self, dim, index, source, *, alpha=1):
        """A copy with alpha * source's slices added at ``index`` along ``dim`` (repeats add up).

        >>> import minitorch
        >>> minitorch.zeros(3).index_add(0, minitorch.tensor([0, 0]), minitorch.tensor([1.0, 2.0])).tolist()
        [3.0, 0.0, 0.0]
        """
        place, axis = self._slices("index_add", dim, index, RuntimeError)
        source = self._source("index_add", axis, place, source)
        return ops.IndexPut.apply(self, source if alpha == 1 else source * alpha, place, True)

    def index_copy(self, dim, index, source):
        """A copy with the slices at ``index`` along ``dim`` replaced by ``source``'s.

        >>> import minitorch
        >>> minitorch.zeros(3).index_copy(0, minitorch.tensor([2]), minitorch.tensor([7.0])).tolist()
        [0.0, 0.0, 7.0]
        """
        place, axis = self._slices("index_copy", dim, index, IndexError)
        return ops.IndexPut.apply(self, self._source("index_copy", axis, place, source), place, False)

    def index_fill(self, dim, index, value):
        """A copy with ``value`` (a number or a 0-d tensor) in the slices at ``index`` along ``dim``.

        >>> import minitorch
        >>> minitorch.zeros(2, 2).index_fill(1, minitorch.tensor([0]), -1.0).tolist()
        [[-1.0, 0.0], [-1.0, 0.0]]
        """
        place, _ = self._slices("index_fill", dim, index, IndexError, negative=True)
        if isinstance(value, tensor_class()):
            if value.ndim:
                raise RuntimeError(f"index_fill: value must be a number or a 0-d tensor, got shape {tuple(value.shape)}.")
            value = value.to(dtype=self.dtype)
        else:
            value = self._scatter_source("index_fill", None, None, value)
        return ops.IndexPut.apply(self, value, place, False)

    def unfold(self, dimension, size, step):
        """Every window of ``size`` elements along ``dimension``, ``step`` apart, as a new last dim:
        that dimension becomes the number of windows, (n - size) // step + 1.

        >>> import minitorch
        >>> minitorch.arange(5).unfold(0, 2, 2).tolist()
        [[0, 1], [2, 3]]
        """
        axis = self._axis("unfold", dimension) if self.ndim else 0
        length = self.shape[axis] if self.ndim else 1
        size = checks.integer("unfold", "size", size, minimum=0, maximum=length)
        step = checks.integer("unfold", "step", step, minimum=1)
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
    def _mask(self, op, mask, shape):
        if not isinstance(mask, tensor_class()) or mask._array.dtype != np.bool_:
            raise RuntimeError(f"{op}: mask must be a bool tensor, got {getattr(mask, 'dtype', type(mask).__name__)}.")
        checks.same_device(op, self=self, mask=mask)
        return np.broadcast_to(self._on_my_device(mask), shape)

    def masked_select(self, mask):
        """The elements where the bool ``mask`` is True (both broadcast), as a 1-D tensor.

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 2], [3, 4]])
        >>> x.masked_select(x > 1).tolist()
        [2, 3, 4]
        """
        shape = broadcast_shapes("masked_select", self.shape, getattr(mask, "shape", ()))
        picked = ops.GetItem.apply(self.expand(shape), self._mask("masked_select", mask, shape))
        return keep_versions(picked, mask, what="its mask")

    def masked_scatter(self, mask, source):
        """A copy with ``source``'s first elements, in order, at the places where ``mask`` is True.

        >>> import minitorch
        >>> x = minitorch.zeros(4)
        >>> x.masked_scatter(minitorch.tensor([True, False, True, False]), minitorch.tensor([1.0, 2.0, 3.0])).tolist()
        [1.0, 0.0, 2.0, 0.0]
        """
        if broadcast_shapes("masked_scatter", self.shape, getattr(mask, "shape", ())) != self.shape:
            raise RuntimeError(f"masked_scatter: mask of shape {tuple(mask.shape)} must broadcast to {tuple(self.shape)}.")
        place = self._mask("masked_scatter", mask, self.shape).nonzero()
        count = len(place[0]) if place else 0
        if self._same_dtype("masked_scatter", source).numel() < count:
            raise RuntimeError(f"masked_scatter: mask has {count} True values but source only {source.numel()} elements.")
        return ops.IndexPut.apply(self, source.reshape(-1)[:count], place, False)

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
        array = self._index("put", index, self.numel(), None, IndexError, negative=True).reshape(-1)
        if self._same_dtype("put", source).numel() != array.size:
            raise RuntimeError(f"put: source has {source.numel()} elements, index {array.size}.")
        flat = ops.IndexPut.apply(self.reshape(-1), source.reshape(-1), array, bool(accumulate))
        return flat.reshape(self.shape)
