"""``Tensor``: an n-dimensional array that remembers how it was computed.

A Tensor wraps one numpy array (``_array``) and adds what autograd needs:

- ``requires_grad``: should backward compute d(loss)/d(this tensor)?
- ``grad``: where that gradient lands (on leaves, and on tensors that called ``retain_grad()``);
- ``grad_fn``: the op (an ``Op`` node) that produced it, ``None`` for leaves;
- a version counter, bumped by every in-place change, so that backward can
  refuse to use an array that was overwritten after an op saved it.

What stays here is the tensor's state (its array, dtype, device, graph node and version
counter), leaving the graph (``item``, ``numpy``), autograd, and dtype/device moves. The op
surface is inherited from one mixin per family of ops (``minitorch/tensor_methods/``): each
method checks its arguments (``minitorch.checks``) and calls one op's ``Op.apply``
(``minitorch.functions``); the arithmetic itself, in-place updates included, lives there.
"""
from . import checks, device_checks, dtypes
from . import functions as ops
from .api import Size
from .autograd import engine
from .autograd.function import use_tensor_class
from .autograd.grad_mode import _InferenceMode
from .autograd.names import present
from .device import as_device, check_device, names_a_device
from .errors import ShapeError
from .printing import tensor_repr
from .tensor_methods import (
    ArithmeticMethods, InPlaceMethods, LogicalMethods, PointwiseMethods, ReductionMethods, ScanMethods,
    ShapeMethods, SortMethods, IndexingMethods, LinalgMethods, TrigMethods, RoundingMethods, BitwiseMethods,
    RandomMethods, AutogradMethods, SpecialMethods, NumericsMethods, OddsMethods,
)


class Tensor(ArithmeticMethods, LogicalMethods, PointwiseMethods, ReductionMethods, ScanMethods, SortMethods,
             ShapeMethods, IndexingMethods, LinalgMethods, TrigMethods, RoundingMethods, BitwiseMethods,
             InPlaceMethods, RandomMethods, AutogradMethods, SpecialMethods, NumericsMethods, OddsMethods):
    """An array with autograd. Create one with ``minitorch.tensor(data)`` (or zeros, randn, ...)."""

    __slots__ = ("_array", "requires_grad", "_grad", "_node", "_version", "_device", "_view", "__weakref__",
                 "_inference")  # _inference: set (True) only on tensors made in inference_mode (is_inference)
    __array_priority__ = 1000  # numpy_array + tensor goes to Tensor.__radd__
    __hash__ = object.__hash__  # comparisons return tensors, so hash by identity

    def __init__(self, *args, device=None):
        """PyTorch's legacy constructor (``minitorch.tensor(...)`` is the one to prefer):
        ``Tensor(2, 3)`` or ``Tensor(size)`` an uninitialised tensor of that shape, ``Tensor()`` an
        empty one, ``Tensor([1, 2])`` the values, always in the default float dtype (float32), and
        ``Tensor(t)`` ``t`` itself under a new name (same memory, dtype and graph)."""
        from .legacy import legacy_new  # legacy builds on this module

        if len(args) == 1 and isinstance(args[0], Tensor) and device is None:
            source = args[0]
        else:
            source = legacy_new("Tensor", dtypes.get_default_dtype(), args, device)
        self._array, self._version, self._device = source._array, source._version, source._device
        self._node, self._view = source._node, source._view  # _view: a view's base and how it was taken
        self._grad = None
        self.requires_grad = source.requires_grad

    @property
    def grad(self):
        """The gradient that backward accumulated here (None until then): a tensor of self's shape,
        dtype and device. Assigning one checks those three, as PyTorch does.

        >>> import minitorch
        >>> w = minitorch.tensor([1.0, 2.0], requires_grad=True)
        >>> w.grad is None
        True
        >>> (3 * w).sum().backward()
        >>> w.grad
        tensor([3., 3.])
        """
        return self._grad

    @grad.setter
    def grad(self, value):
        self._grad = None if value is None else checks.assigned_grad(self, value)

    @classmethod
    def _make(cls, array, requires_grad, node, device="cpu"):
        """Wrap an array an op produced (no copy, no checks): the fast path of ``Op.apply``."""
        t = object.__new__(cls)
        t._array = array
        t.requires_grad = requires_grad
        t._grad = None
        t._node = node
        t._version = [0]
        t._view = None
        t._device = device if device.__class__ is str else check_device(device)
        if _InferenceMode.enabled:
            t._inference = True
        return t

    # ----------------------------------------------------------------- properties
    @property
    def shape(self):
        """The size of each dimension, a ``minitorch.Size`` (a tuple, as PyTorch's ``torch.Size``).

        >>> import minitorch
        >>> minitorch.zeros(2, 3).shape
        minitorch.Size([2, 3])
        """
        return Size(self._array.shape)

    @property
    def dtype(self):
        """The element type: ``minitorch.float32``, ``int64``, ``bool``, ...

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).dtype
        minitorch.int64
        >>> minitorch.tensor([1.0, 2.0]).dtype
        minitorch.float32
        """
        return dtypes.from_numpy_dtype(self._array.dtype)

    @property
    def device(self):
        """Where the values live, a ``minitorch.device``: cpu (numpy) or cuda:0 (cupy, or numpy under
        the CUDA simulator). It also equals its string, so ``t.device == "cpu"`` works.

        >>> import minitorch
        >>> minitorch.zeros(2).device
        device(type='cpu')
        """
        return as_device(self._device)

    @property
    def is_cuda(self):
        """Whether the tensor lives on the "cuda" device.

        >>> import minitorch
        >>> minitorch.zeros(2).is_cuda
        False
        """
        return self._device == "cuda"

    @property
    def ndim(self):
        """The number of dimensions.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).ndim
        2
        """
        return self._array.ndim

    @property
    def is_leaf(self):
        """True for tensors no recorded op produced: only leaves get ``.grad`` by default.

        >>> import minitorch
        >>> w = minitorch.ones(2, requires_grad=True)
        >>> w.is_leaf, (w * 2).is_leaf
        (True, False)
        """
        return self._node is None

    @property
    def grad_fn(self):
        """The op (an ``Op`` node) that produced this tensor, under PyTorch's name, or None for a leaf.
        Reading it from a piece of ``split``/``unbind`` whose base changed in place since is refused.

        >>> import minitorch
        >>> w = minitorch.ones(2, requires_grad=True)
        >>> w.grad_fn is None, type((w * w).grad_fn).__name__, (w * w).grad_fn.name()
        (True, 'MulBackward0', 'MulBackward0')
        """
        if self._view is not None:
            self._view.check_pieces(self, "grad_fn")
        return present(self._node)

    @property
    def data(self):
        """This tensor's values as a new leaf that shares memory and version, outside the graph.

        >>> import minitorch
        >>> w = minitorch.ones(2, requires_grad=True)
        >>> w.data.requires_grad, w.data.is_leaf
        (False, True)
        """
        t = Tensor._make(self._array, False, None, self._device)
        t._version = self._version
        return t

    @data.setter
    def data(self, value):
        array = self._on_my_device(value)
        if array.shape != self._array.shape:
            raise ShapeError(
                f"data: cannot assign values of shape {tuple(array.shape)} to a tensor of shape "
                f"{tuple(self.shape)}."
            )
        self._array = array.astype(self._array.dtype, copy=False)
        self._version[0] += 1

    @property
    def _version_value(self):
        return self._version[0]

    @property
    def T(self):
        """All dimensions reversed (the transpose, for a matrix).

        >>> import minitorch
        >>> minitorch.tensor([[1, 2, 3]]).T.tolist()
        [[1], [2], [3]]
        """
        return self.permute(*reversed(range(self.ndim)))

    @property
    def mT(self):
        """The last two dimensions swapped (a batch of transposed matrices).

        >>> import minitorch
        >>> minitorch.zeros(5, 2, 3).mT.shape
        minitorch.Size([5, 3, 2])
        """
        return self.transpose(-2, -1)

    def size(self, dim=None):
        """The shape (a ``minitorch.Size``), or the size of one dimension with ``dim``.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3)
        >>> x.size(), x.size(-1)
        (minitorch.Size([2, 3]), 3)
        """
        return self.shape if dim is None else self.shape[dim]

    def dim(self):
        """The number of dimensions (also ``ndim``).

        >>> import minitorch
        >>> minitorch.zeros(2, 3).dim()
        2
        """
        return self._array.ndim

    def numel(self):
        """The number of elements.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).numel()
        6
        """
        return self._array.size

    def is_floating_point(self):
        """Whether the dtype is a floating-point one (only those can require grad).

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).is_floating_point(), minitorch.tensor([1.0]).is_floating_point()
        (False, True)
        """
        return self._array.dtype.kind == "f"

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    # ---------------------------------------------------------- leaving the graph
    def item(self):
        """The value of a one-element tensor as a Python number.

        >>> import minitorch
        >>> minitorch.tensor([[2.5]]).item()
        2.5
        """
        if self._array.size != 1:
            raise RuntimeError(
                f"item(): a Tensor with {self._array.size} elements cannot be converted to a Python number "
                f"(only one-element tensors can), this one has shape {tuple(self.shape)}."
            )
        device_checks.flush()
        return self._array.reshape(()).item()

    def numpy(self):
        """The underlying numpy array (shared memory). Call ``detach()`` first if it requires grad.

        >>> import minitorch
        >>> x = minitorch.zeros(2)
        >>> a = x.numpy()
        >>> a[0] = 7.0          # same memory: the tensor sees it
        >>> x.tolist()
        [7.0, 0.0]
        """
        if self._device != "cpu":
            raise TypeError(
                "numpy(): this tensor is on 'cuda'; copy it to the host first with .cpu().numpy()."
            )
        if self.requires_grad:
            raise RuntimeError(
                "numpy(): this tensor requires grad, and the array would leave the graph unnoticed. "
                "Use tensor.detach().numpy()."
            )
        return self._array

    def tolist(self):
        """The values as (nested) Python lists of numbers, copied to the host.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).tolist()
        [[1, 2], [3, 4]]
        """
        return self.cpu()._array.tolist()

    def __array__(self, dtype=None, copy=None):
        array = self.cpu()._array
        return array if dtype is None else array.astype(dtype)

    def _scalar(self, kind):
        """The one element, for ``float(t)``/``int(t)``: a ValueError otherwise, as PyTorch's."""
        if self._array.size != 1:
            raise ValueError(
                f"{kind}(): only one-element tensors can be converted to Python scalars, this one "
                f"has shape {tuple(self.shape)}. Index it (t[0]) or reduce it (t.sum()) first."
            )
        device_checks.flush()
        return self._array.reshape(()).item()

    def __float__(self):
        return float(self._scalar("float"))

    def __int__(self):
        return int(self._scalar("int"))

    def __bool__(self):
        if self._array.size != 1:
            raise RuntimeError(
                f"The truth value of a tensor of shape {tuple(self.shape)} is ambiguous: use "
                f".any() or .all()."
            )
        device_checks.flush()
        return bool(self._array.reshape(()))

    def __index__(self):
        if self._array.dtype.kind not in "iu" or self._array.size != 1:
            raise TypeError("only one-element integer tensors can be used as an index")
        return int(self.item())

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.shape[0]))

    def __repr__(self):
        """``tensor([1.0000, 2.5000])``, as PyTorch prints (``minitorch.set_printoptions`` tunes it).

        >>> import minitorch
        >>> minitorch.tensor([[1, 20], [3, 4]])
        tensor([[ 1, 20],
                [ 3,  4]])
        """
        return tensor_repr(self)

    def __format__(self, format_spec):
        """``f"{loss:.4f}"``: a 0-d tensor formats its value; any other tensor takes only ``{}``.

        >>> import minitorch
        >>> f"{minitorch.tensor(0.123456):.3f}"
        '0.123'
        """
        if self._array.ndim == 0:
            return self.item().__format__(format_spec)
        return object.__format__(self, format_spec)

    # ------------------------------------------------------------------- autograd
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute d(self)/d(leaf) for every leaf that requires grad, adding it to ``leaf.grad``.

        - ``gradient``: dLoss/d(self); needed unless self holds a single number.
        - Gradients *accumulate* across calls: call ``optimizer.zero_grad()`` between steps.
        - ``retain_graph=False`` (the default) frees each op's saved arrays as soon as its
          backward has run: memory stays flat during training, and a second ``backward()``
          through the same graph raises an error. Pass ``retain_graph=True`` to keep the graph
          for another backward (for example two losses sharing a forward pass).
        - ``inputs``: a tensor or a sequence of them; only their ``.grad`` receives the gradient
          (computed tensors in it too), no other leaf's.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0], requires_grad=True)
        >>> (x * x).sum().backward()    # d(sum x^2)/dx = 2x
        >>> x.grad.tolist()
        [2.0, 4.0]
        """
        if create_graph:
            raise NotImplementedError(
                "backward(create_graph=True): higher-order gradients are not supported; every "
                "op's backward works on raw arrays, outside the graph."
            )
        engine.run_backward(self, gradient, bool(retain_graph), inputs)

    @property
    def retains_grad(self):
        """Whether backward keeps this non-leaf tensor's ``.grad`` (``retain_grad()`` was called); False for leaves.

        >>> import minitorch
        >>> y = minitorch.ones(2, requires_grad=True) * 2
        >>> y.retains_grad, (y.retain_grad(), y.retains_grad)[1]
        (False, True)
        """
        retained = None if self._node is None else self._node.__dict__.get("retained")
        return retained is not None and retained() is self

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf tensor too after ``backward()`` (leaves always keep it).

        Returns None, as PyTorch's does.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0], requires_grad=True)
        >>> y = x * 3
        >>> y.retain_grad()
        >>> y.sum().backward()
        >>> y.grad.tolist()
        [1.0, 1.0]
        """
        if not self.requires_grad:
            raise RuntimeError("retain_grad(): this tensor does not require grad.")
        engine.retain_grad(self)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place on a leaf; returns self.

        >>> import minitorch
        >>> minitorch.zeros(2).requires_grad_()
        tensor([0., 0.], requires_grad=True)
        """
        if requires_grad and self._array.dtype.kind != "f":
            raise RuntimeError(
                f"requires_grad_(): only floating-point tensors can require gradients, this one is "
                f"{self.dtype!r}. Convert it first with .float()."
            )
        if not requires_grad and self._node is not None:
            raise RuntimeError(
                "requires_grad_(False) on a non-leaf tensor (one computed by an op): use .detach() to get "
                "a copy outside the graph."
            )
        self.requires_grad = bool(requires_grad)
        return self

    def detach(self):
        """The same values (shared memory) as a new leaf that is not part of any graph.

        >>> import minitorch
        >>> y = minitorch.ones(2, requires_grad=True) * 2
        >>> y.detach()
        tensor([2., 2.])
        """
        return self.data

    def clone(self, *, memory_format=None):
        """A copy of this tensor; gradients flow back to the original (``memory_format`` is PyTorch's:
        the copy is row-major whatever it says).

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> y = x.clone()
        >>> y[0] = 5.0
        >>> x.tolist(), y.tolist()
        ([1.0, 2.0], [5.0, 2.0])
        """
        return ops.Clone.apply(self)

    # ------------------------------------------------------------------ dtypes
    def to(self, *args, dtype=None, device=None, non_blocking=False, copy=False, memory_format=None):
        """``to(dtype)``, ``to(device)`` or both (differentiable); returns self when nothing changes,
        unless ``copy``. ``non_blocking`` and ``memory_format`` are PyTorch's, accepted and ignored
        (copies are synchronous and every tensor is contiguous).

        >>> import minitorch
        >>> x = minitorch.tensor([1, 2])
        >>> x.to(minitorch.float64)
        tensor([1., 2.], dtype=minitorch.float64)
        >>> x.to("cpu") is x
        True
        """
        for a in args:
            if names_a_device(a) or isinstance(a, int) and not isinstance(a, bool):  # to(0): GPU number 0
                device = a
            elif isinstance(a, Tensor):
                dtype, device = a.dtype, a.device
            else:
                dtype = a
        out = self
        device = None if device is None else check_device(device, "to")
        if device is not None and device != self._device:
            if device == "cpu":
                device_checks.flush()  # the host reads device values: report the checks queued there
            out = ops.ToDevice.apply(out, device)
        dtype = dtypes.to_dtype(dtype)
        if dtype is not None and dtype.np_dtype != out._array.dtype:
            out = ops.Cast.apply(out, dtype.np_dtype)
        return ops.Clone.apply(out) if copy and out is self else out

    def type(self, dtype=None, non_blocking=False):
        """With no argument, the legacy type name (``"minitorch.FloatTensor"``, ``"minitorch.cuda.LongTensor"``);
        else this tensor converted to ``dtype``: a dtype, a legacy type (``minitorch.DoubleTensor``) or its name.

        >>> import minitorch
        >>> minitorch.tensor([1.7, -1.7]).type(minitorch.int64).tolist()
        [1, -1]
        >>> minitorch.zeros(1).type(), minitorch.zeros(1).type("torch.DoubleTensor").dtype
        ('minitorch.FloatTensor', minitorch.float64)
        """
        if dtype is None:
            return f"minitorch.{'cuda.' if self.is_cuda else ''}{dtypes.legacy_type_name(self.dtype)}"
        return self.to(dtypes.from_legacy_type(dtype))

    def type_as(self, other):
        """This tensor converted to ``other``'s dtype.

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).type_as(minitorch.zeros(1)).dtype
        minitorch.float32
        """
        return self.to(other.dtype)

    def float(self):
        """This tensor as float32 (itself if it already is).

        >>> import minitorch
        >>> minitorch.tensor([1, 2]).float()
        tensor([1., 2.])
        """
        return self.to(dtypes.float32)

    def double(self):
        """This tensor as float64 (itself if it already is).

        >>> import minitorch
        >>> minitorch.tensor([1.5]).double()
        tensor([1.5000], dtype=minitorch.float64)
        """
        return self.to(dtypes.float64)

    def half(self):
        """This tensor as float16 (itself if it already is).

        >>> import minitorch
        >>> minitorch.tensor([1.5]).half()
        tensor([1.5000], dtype=minitorch.float16)
        """
        return self.to(dtypes.float16)

    def long(self):
        """This tensor as int64; the gradient does not flow back through the rounding.

        >>> import minitorch
        >>> minitorch.tensor([1.7, -1.7]).long()
        tensor([ 1, -1])
        """
        return self.to(dtypes.int64)

    def int(self):
        """This tensor as int32.

        >>> import minitorch
        >>> minitorch.tensor([2.5]).int()
        tensor([2], dtype=minitorch.int32)
        """
        return self.to(dtypes.int32)

    def short(self):
        """This tensor as int16.

        >>> import minitorch
        >>> minitorch.tensor([-2.5]).short()
        tensor([-2], dtype=minitorch.int16)
        """
        return self.to(dtypes.int16)

    def char(self):
        """This tensor as int8 (PyTorch's name for it: a C ``char``).

        >>> import minitorch
        >>> minitorch.tensor([100]).char()
        tensor([100], dtype=minitorch.int8)
        """
        return self.to(dtypes.int8)

    def byte(self):
        """This tensor as uint8.

        >>> import minitorch
        >>> minitorch.tensor([3.9]).byte()
        tensor([3], dtype=minitorch.uint8)
        """
        return self.to(dtypes.uint8)

    def bool(self):
        """This tensor as bool (nonzero is True).

        >>> import minitorch
        >>> minitorch.tensor([0.0, 2.0]).bool()
        tensor([False,  True])
        """
        return self.to(dtypes.bool_)

    def cpu(self):
        """This tensor on the CPU (a copy if it is on "cuda"; itself if it is on the CPU already).

        >>> import minitorch
        >>> x = minitorch.ones(2)
        >>> x.cpu() is x
        True
        """
        return self.to("cpu")

    def cuda(self, device=None):
        """This tensor on the GPU (or the CUDA simulator); see ``minitorch.cuda.is_available()``.

        >>> import minitorch
        >>> x = minitorch.ones(2)
        >>> if minitorch.cuda.is_available():   # a GPU, or NUMBA_ENABLE_CUDASIM=1 (as in the tests)
        ...     print(x.cuda().is_cuda, x.cuda().cpu().tolist())
        True [1.0, 1.0]
        """
        return self.to("cuda" if device is None else f"cuda:{device}" if isinstance(device, int) else device)

use_tensor_class(Tensor)
