"""``Tensor``: an n-dimensional array that remembers how it was computed.

A Tensor wraps one numpy array (``_array``) and adds what autograd needs:

- ``requires_grad``: should backward compute d(loss)/d(this tensor)?
- ``grad``: where that gradient lands (on leaves, and on tensors that called ``retain_grad()``);
- ``grad_fn``: the op (an ``Op`` node) that produced it, ``None`` for leaves;
- a version counter, bumped by every in-place change, so that backward can
  refuse to use an array that was overwritten after an op saved it.

Every method that computes something checks its arguments (``minitorch.checks``) and calls
one op's ``Op.apply`` (``minitorch.functions``, imported here as ``ops``); the
arithmetic itself, in-place updates included, lives there. What stays here is the tensor's
state: its array, dtype, device, graph node and version counter.
"""
import builtins
from collections import namedtuple

import numpy as np

from . import checks, dtypes
from . import functions as ops
from .autograd import engine
from .autograd.function import use_tensor_class
from .autograd.grad_mode import _GradMode
from .device import check_device, move
from .errors import ShapeError
from .functions import inplace
from .random import rng

MaxResult = namedtuple("MaxResult", ["values", "indices"])
MinResult = namedtuple("MinResult", ["values", "indices"])

_PYTHON_NUMBERS = (int, float, bool, np.number, np.bool_)


def _unwrap_index(index):
    """Turn Tensors inside an index into arrays (int tensors pick, bool tensors mask)."""
    if isinstance(index, Tensor):
        return index._array
    if isinstance(index, tuple):  # lists inside too: backward must see them as index arrays
        return tuple(_unwrap_index(i) for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _promote(fn, a, b):
    """PyTorch's type promotion where it differs from numpy's, for a binary op on tensor ``a``.

    An integer tensor meeting a float tensor takes the float's dtype; meeting a Python
    float it becomes float32; true division of integers gives float32.
    """
    b_is_tensor = isinstance(b, Tensor)
    b_float = b._array.dtype.kind == "f" if b_is_tensor else isinstance(b, (float, np.floating))
    a_float = a._array.dtype.kind == "f"
    if a_float and b_is_tensor and not b_float:
        b = b.to(a.dtype)
    elif not a_float and b_float:
        a = a.to(b.dtype if b_is_tensor else dtypes.float32)
    elif not a_float and not b_float and fn is ops.Div:
        a = a.float()
        b = b.float() if b_is_tensor else b
    return a, b


class Tensor:
    """An array with autograd. Create one with ``minitorch.tensor(data)`` (or zeros, randn, ...)."""

    __slots__ = ("_array", "requires_grad", "grad", "_node", "_version", "_device", "__weakref__")
    __array_priority__ = 1000  # numpy_array + tensor goes to Tensor.__radd__
    __hash__ = object.__hash__  # comparisons return tensors, so hash by identity

    def __init__(self, data, dtype=None, requires_grad=False):
        self._array = dtypes.as_array(data.detach().cpu()._array if isinstance(data, Tensor) else data, dtype)
        self._node = None
        self._version = [0]
        self._device = "cpu"
        self.grad = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, array, requires_grad, node, device="cpu"):
        """Wrap an array an op produced (no copy, no checks): the fast path of ``Op.apply``."""
        t = object.__new__(cls)
        t._array = array
        t.requires_grad = requires_grad
        t.grad = None
        t._node = node
        t._version = [0]
        t._device = device
        return t

    # ----------------------------------------------------------------- properties
    @property
    def shape(self):
        """The size of each dimension, a tuple (PyTorch's ``torch.Size`` is a tuple too).

        >>> import minitorch
        >>> minitorch.zeros(2, 3).shape
        (2, 3)
        """
        return self._array.shape

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
        """Where the values live: "cpu" (numpy) or "cuda" (cupy, or numpy under the CUDA simulator)."""
        return self._device

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
        """True for tensors no recorded op produced: only leaves get ``.grad`` by default."""
        return self._node is None

    @property
    def grad_fn(self):
        """The op (an ``Op`` node) that produced this tensor, or None for a leaf."""
        return self._node

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
        (5, 3, 2)
        """
        return self.transpose(-2, -1)

    def size(self, dim=None):
        """The shape (a tuple), or the size of one dimension with ``dim``.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3)
        >>> x.size(), x.size(-1)
        ((2, 3), 3)
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
            raise ValueError(
                f"item(): only one-element tensors can be converted to a Python number, this one "
                f"has shape {tuple(self.shape)}."
            )
        return self._array.reshape(()).item()

    def numpy(self):
        """The underlying numpy array (shared memory). Call ``detach()`` first if it requires grad."""
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

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __bool__(self):
        if self._array.size != 1:
            raise RuntimeError(
                f"The truth value of a tensor of shape {tuple(self.shape)} is ambiguous: use "
                f".any() or .all()."
            )
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
        body = np.array2string(self.cpu()._array, separator=", ", prefix="tensor(", precision=4)
        extras = [] if self._device == "cpu" else [f"device='{self._device}'"]
        if self._array.dtype not in (np.float32, np.int64, np.bool_) or self._array.size == 0:
            extras.append(f"dtype={self.dtype!r}")
        if self._node is not None:
            extras.append(f"grad_fn={self._node!r}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body] + extras) + ")"

    # ------------------------------------------------------------------- autograd
    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        """Compute d(self)/d(leaf) for every leaf that requires grad, adding it to ``leaf.grad``.

        - ``gradient``: dLoss/d(self); needed unless self holds a single number.
        - Gradients *accumulate* across calls: call ``optimizer.zero_grad()`` between steps.
        - ``retain_graph=False`` (the default) frees each op's saved arrays as soon as its
          backward has run: memory stays flat during training, and a second ``backward()``
          through the same graph raises an error. Pass ``retain_graph=True`` to keep the graph
          for another backward (for example two losses sharing a forward pass).
        """
        if create_graph:
            raise NotImplementedError(
                "backward(create_graph=True): higher-order gradients are not supported; every "
                "op's backward works on raw arrays, outside the graph."
            )
        engine.run_backward(self, gradient, bool(retain_graph))

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf tensor too after ``backward()`` (leaves always keep it)."""
        if not self.requires_grad:
            raise RuntimeError("retain_grad(): this tensor does not require grad.")
        engine.retain_grad(self)
        return self

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
                "requires_grad_(False) on a tensor computed by an op: use .detach() to get a copy "
                "outside the graph."
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

    def clone(self):
        """A copy of this tensor; gradients flow back to the original.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> y = x.clone()
        >>> y[0] = 5.0
        >>> x.tolist(), y.tolist()
        ([1.0, 2.0], [5.0, 2.0])
        """
        return ops.Clone.apply(self)

    # ------------------------------------------------------------------ arithmetic
    def _binary(self, fn, other, reflected=False):
        if isinstance(other, np.generic):  # a numpy scalar such as np.sqrt(d) acts as a Python
            other = other.item()  # number, as in PyTorch: x / np.sqrt(d) stays float32
        if not isinstance(other, (Tensor, *_PYTHON_NUMBERS)):
            other = Tensor._make(np.asarray(other), False, None).to(self._device)
        a = self
        if a._array.dtype.kind != "f" or (isinstance(other, Tensor) and other._array.dtype.kind != "f"):
            a, other = _promote(fn, a, other)
        return fn.apply(other, a) if reflected else fn.apply(a, other)

    def __add__(self, other):
        """self + other, elementwise, broadcast (also ``x.add(other)``); integers meeting floats promote as in PyTorch.

        >>> import minitorch
        >>> (minitorch.tensor([1.0, 2.0]) + minitorch.tensor([[10.0], [20.0]])).tolist()
        [[11.0, 12.0], [21.0, 22.0]]
        """
        return self._binary(ops.Add, other)

    def __radd__(self, other):
        return self._binary(ops.Add, other, reflected=True)

    def __sub__(self, other):
        """self - other, elementwise, broadcast (also ``x.sub(other)``).

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x.sub(minitorch.tensor([0.5, 3.0])).tolist(), (1 - x).tolist()
        ([0.5, -1.0], [0.0, -1.0])
        """
        return self._binary(ops.Sub, other)

    def __rsub__(self, other):
        return self._binary(ops.Sub, other, reflected=True)

    def __mul__(self, other):
        """self * other, elementwise, broadcast (also ``x.mul(other)``).

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x.mul(minitorch.tensor([3.0, 4.0])).tolist(), (2 * x).tolist()
        ([3.0, 8.0], [2.0, 4.0])
        """
        return self._binary(ops.Mul, other)

    def __rmul__(self, other):
        return self._binary(ops.Mul, other, reflected=True)

    def __truediv__(self, other):
        """self / other, elementwise, broadcast (also ``x.div(other)``); integers divide to float32, as in PyTorch.

        >>> import minitorch
        >>> minitorch.tensor([1, 3]).div(2)
        tensor([0.5, 1.5])
        >>> (1 / minitorch.tensor([2.0, 4.0])).tolist()
        [0.5, 0.25]
        """
        return self._binary(ops.Div, other)

    def __rtruediv__(self, other):
        return self._binary(ops.Div, other, reflected=True)

    def __pow__(self, other):
        """self ** other, elementwise, broadcasting (see ``pow``).

        >>> import minitorch
        >>> (minitorch.tensor([1.0, 2.0, 3.0]) ** 2).tolist()
        [1.0, 4.0, 9.0]
        """
        return self._binary(ops.Pow, other)

    def pow(self, exponent):
        """self ** exponent, elementwise (``exponent`` a tensor or a number).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 3.0]).pow(2).tolist()
        [1.0, 4.0, 9.0]
        >>> minitorch.tensor([4.0, 9.0]).pow(0.5).tolist()
        [2.0, 3.0]
        """
        return self._binary(ops.Pow, exponent)

    def __rpow__(self, other):
        return self._binary(ops.Pow, other, reflected=True)

    def __matmul__(self, other):
        """The matrix product self @ other (also ``x.matmul(other)``): 1-D, 2-D, batched and broadcast, as ``torch.matmul``.

        >>> import minitorch
        >>> a = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> a.matmul(minitorch.tensor([[1.0], [1.0]])).tolist()
        [[3.0], [7.0]]
        >>> (a @ minitorch.tensor([1.0, 0.0])).tolist()
        [1.0, 3.0]
        """
        return self._binary(ops.MatMul, other)

    def __rmatmul__(self, other):
        return self._binary(ops.MatMul, other, reflected=True)

    def __neg__(self):
        """-self, elementwise (also ``x.neg()``).

        >>> import minitorch
        >>> minitorch.tensor([1.0, -2.0]).neg().tolist()
        [-1.0, 2.0]
        """
        return ops.Neg.apply(self)

    def __abs__(self):
        """|self|, elementwise (also ``x.abs()``); its gradient is sign(x), 0 at x = 0.

        >>> import minitorch
        >>> minitorch.tensor([-1, 2]).abs().tolist()
        [1, 2]
        >>> abs(minitorch.tensor([-1.5]))
        tensor([1.5])
        """
        return ops.Abs.apply(self)

    add = __add__
    sub = __sub__
    mul = __mul__
    div = __truediv__
    matmul = __matmul__
    neg = __neg__
    abs = __abs__

    # ---------------------------------------------- comparisons (no gradient flows)
    def __eq__(self, other):
        """self == other, elementwise, as a bool tensor (also ``x.eq(other)``); no gradient flows.

        >>> import minitorch
        >>> (minitorch.tensor([1, 2, 3]) == 2).tolist()
        [False, True, False]
        """
        return ops.Eq.apply(self, other)

    def __ne__(self, other):
        """self != other, elementwise, as a bool tensor (also ``x.ne(other)``).

        >>> import minitorch
        >>> (minitorch.tensor([1, 2, 3]) != minitorch.tensor([1, 0, 3])).tolist()
        [False, True, False]
        """
        return ops.Ne.apply(self, other)

    def __lt__(self, other):
        """self < other, elementwise, as a bool tensor (also ``x.lt(other)``).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 3.0]).lt(2).tolist()
        [True, False, False]
        """
        return ops.Lt.apply(self, other)

    def __le__(self, other):
        """self <= other, elementwise, as a bool tensor (also ``x.le(other)``).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 3.0]).le(2).tolist()
        [True, True, False]
        """
        return ops.Le.apply(self, other)

    def __gt__(self, other):
        """self > other, elementwise, as a bool tensor (also ``x.gt(other)``).

        >>> import minitorch
        >>> (minitorch.tensor([1.0, 2.0, 3.0]) > 2).tolist()
        [False, False, True]
        """
        return ops.Gt.apply(self, other)

    def __ge__(self, other):
        """self >= other, elementwise, as a bool tensor (also ``x.ge(other)``).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 3.0]).ge(2).tolist()
        [False, True, True]
        """
        return ops.Ge.apply(self, other)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def __invert__(self):
        """~x: logical not of a bool tensor (an integer tensor is refused).

        >>> import minitorch
        >>> (~minitorch.tensor([True, False])).tolist()
        [False, True]
        """
        if self._array.dtype != np.bool_:
            raise TypeError(f"~ is defined for bool tensors only, this one is {self.dtype!r}.")
        return ops.LogicalNot.apply(self)

    def __and__(self, other):
        """self & other: logical and, elementwise, broadcasting (see ``logical_and``).

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0, 3.0])
        >>> ((x > 1) & (x < 3)).tolist()
        [False, True, False]
        """
        return ops.LogicalAnd.apply(self, other)

    def __or__(self, other):
        """self | other: logical or, elementwise, broadcasting (see ``logical_or``).

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0, 3.0])
        >>> ((x < 2) | (x > 2)).tolist()
        [True, False, True]
        """
        return ops.LogicalOr.apply(self, other)

    def logical_not(self):
        """not self, elementwise, as a bool tensor (nonzero counts as True).

        >>> import minitorch
        >>> minitorch.tensor([0, 1, 2]).logical_not().tolist()
        [True, False, False]
        """
        return ops.LogicalNot.apply(self)

    def logical_and(self, other):
        """self and other, elementwise, as a bool tensor (``&`` on bool tensors).

        >>> import minitorch
        >>> minitorch.tensor([True, True, False]).logical_and(minitorch.tensor([True, False, False])).tolist()
        [True, False, False]
        """
        return ops.LogicalAnd.apply(self, other)

    def logical_or(self, other):
        """self or other, elementwise, as a bool tensor (``|`` on bool tensors).

        >>> import minitorch
        >>> minitorch.tensor([True, True, False]).logical_or(minitorch.tensor([True, False, False])).tolist()
        [True, True, False]
        """
        return ops.LogicalOr.apply(self, other)

    def all(self):
        """True (a 0-d bool tensor) if every element is nonzero.

        >>> import minitorch
        >>> minitorch.tensor([True, False]).all()
        tensor(False)
        >>> bool(minitorch.tensor([1, 2]).all())
        True
        """
        return ops.All.apply(self)

    def any(self):
        """True (a 0-d bool tensor) if some element is nonzero.

        >>> import minitorch
        >>> minitorch.tensor([True, False]).any()
        tensor(True)
        """
        return ops.Any.apply(self)

    def isnan(self):
        """True where an element is NaN.

        >>> import minitorch
        >>> minitorch.tensor([1.0, float('nan')]).isnan().tolist()
        [False, True]
        """
        return ops.IsNan.apply(self)

    def isfinite(self):
        """True where an element is neither NaN nor +-inf.

        >>> import minitorch
        >>> minitorch.tensor([1.0, float('inf'), float('nan')]).isfinite().tolist()
        [True, False, False]
        """
        return ops.IsFinite.apply(self)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """|self - other| <= atol + rtol * |other|, elementwise, as a bool tensor.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).isclose(minitorch.tensor([1.0 + 1e-7, 2.1])).tolist()
        [True, False]
        """
        return ops.IsClose.apply(self, other, rtol, atol, equal_nan)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """Whether every element satisfies ``isclose``, as a Python bool.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).allclose(minitorch.tensor([1.0, 2.0 + 1e-7]))
        True
        """
        return bool(self.isclose(other, rtol, atol, equal_nan).all())

    # ---------------------------------------------------------------- elementwise
    def _float(self):
        """Self, or a float32 copy of an integer tensor: exp(int) is float32, as in PyTorch."""
        return self if self._array.dtype.kind == "f" else self.float()

    def exp(self):
        """e^x, elementwise; an integer tensor is made float32 first, as in PyTorch.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).exp()
        tensor([1.    , 2.7183])
        """
        return ops.Exp.apply(self._float())

    def log(self):
        """ln x (natural logarithm), elementwise; an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([1, 100]).log()
        tensor([0.    , 4.6052])
        """
        return ops.Log.apply(self._float())

    def sqrt(self):
        """sqrt(x), elementwise; an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([1, 4, 9]).sqrt()
        tensor([1., 2., 3.])
        """
        return ops.Sqrt.apply(self._float())

    def sin(self):
        """sin x, elementwise (x in radians); an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 3.14159265 / 2]).sin()
        tensor([0., 1.])
        """
        return ops.Sin.apply(self._float())

    def tanh(self):
        """tanh(x) = (e^x - e^-x) / (e^x + e^-x), elementwise; its gradient is 1 - tanh(x)^2.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).tanh()
        tensor([0.    , 0.7616])
        """
        return ops.Tanh.apply(self._float())

    def sigmoid(self):
        """sigmoid(x) = 1 / (1 + e^-x), elementwise, computed without overflow for large |x|.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 2.0]).sigmoid()
        tensor([0.5   , 0.8808])
        """
        return ops.Sigmoid.apply(self._float())

    def relu(self):
        """max(x, 0), elementwise; its gradient is 0 for x <= 0 and 1 above.

        >>> import minitorch
        >>> minitorch.tensor([-1.0, 0.0, 2.0]).relu().tolist()
        [0.0, 0.0, 2.0]
        """
        return ops.ReLU.apply(self)

    def clamp(self, min=None, max=None):
        """Each element limited to [min, max] (either may be None); also ``clip``. The gradient is 1 inside, 0 outside.

        >>> import minitorch
        >>> minitorch.tensor([-2.0, 0.5, 3.0]).clamp(-1, 1).tolist()
        [-1.0, 0.5, 1.0]
        >>> minitorch.tensor([-2, 5]).clamp(min=0).tolist()
        [0, 5]
        """
        if min is None and max is None:
            raise ValueError("clamp: give at least one of min and max.")
        return ops.Clamp.apply(self, min, max)

    clip = clamp

    def softmax(self, dim):
        """exp(x) / sum(exp(x)) along ``dim``, computed stably (the maximum is subtracted first).

        >>> import minitorch
        >>> minitorch.tensor([[0.0, 0.0], [0.0, 1.0]]).softmax(dim=1)
        tensor([[0.5   , 0.5   ],
                [0.2689, 0.7311]])
        """
        return ops.Softmax.apply(self._float(), self._axis("softmax", dim))

    def log_softmax(self, dim):
        """x - logsumexp(x) along ``dim``: the log of softmax without its underflow.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 0.0]).log_softmax(dim=0)
        tensor([-0.6931, -0.6931])
        """
        return ops.LogSoftmax.apply(self._float(), self._axis("log_softmax", dim))

    # ----------------------------------------------------------------- reductions
    def _axes(self, op, dim):
        return checks.dims(op, dim, self.ndim)

    def _axis(self, op, dim):
        return checks.dim(op, dim, self.ndim)

    def sum(self, dim=None, keepdim=False):
        """Sum over ``dim`` (an int, a tuple, or None for every element).

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 2], [3, 4]])
        >>> x.sum(), x.sum(dim=0).tolist(), x.sum(dim=1, keepdim=True).tolist()
        (tensor(10), [4, 6], [[3], [7]])
        """
        return ops.Sum.apply(self, self._axes("sum", dim), keepdim)

    def mean(self, dim=None, keepdim=False):
        """The mean over ``dim`` (an int, a tuple, or None for every element); floating-point tensors only.

        >>> import minitorch
        >>> minitorch.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(dim=1).tolist()
        [1.5, 3.5]
        """
        checks.floating("mean", self)
        return ops.Mean.apply(self, self._axes("mean", dim), keepdim)

    def var(self, dim=None, keepdim=False, correction=1, unbiased=None):
        """Variance over ``dim``; ``correction=1`` divides by n - 1 (unbiased), 0 by n.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0, 3.0, 4.0])
        >>> x.var().item(), x.var(correction=0).item()
        (1.6666666269302368, 1.25)
        """
        checks.floating("var", self)
        if unbiased is not None:
            correction = 1 if unbiased else 0
        return ops.Var.apply(self, self._axes("var", dim), keepdim, correction)

    def std(self, dim=None, keepdim=False, correction=1, unbiased=None):
        """sqrt(var(...)): the standard deviation over ``dim``; ``correction=1`` divides by n - 1.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 3.0])
        >>> x.std(), x.std(correction=0)
        (tensor(1.4142), tensor(1.))
        """
        return self.var(dim, keepdim, correction, unbiased).sqrt()

    def logsumexp(self, dim, keepdim=False):
        """log(sum(exp(x))) over ``dim``, without overflow for large x.

        >>> import minitorch
        >>> minitorch.tensor([[0.0, 0.0], [100.0, 100.0]]).logsumexp(dim=1)  # e^100 overflows float32
        tensor([  0.6931, 100.6931])
        """
        checks.floating("logsumexp", self)
        return ops.LogSumExp.apply(self, self._axes("logsumexp", dim), keepdim)

    def _extreme(self, fn, arg, result, dim, keepdim):
        """max or min: of everything, over a tuple of dims, or (values, indices) along one dim."""
        if dim is None:
            return fn.apply(self, self._axes(fn.__name__.lower(), None), False)
        if isinstance(dim, (tuple, list)):
            return fn.apply(self, self._axes(fn.__name__.lower(), dim), keepdim)
        axis = self._axis(fn.__name__.lower(), dim)
        values = fn.apply(self, (axis,), keepdim)
        return result(values, arg.apply(self, axis, keepdim))

    def max(self, dim=None, keepdim=False):
        """The maximum: of everything (dim=None), or (values, indices) along an int ``dim``,
        or the values over a tuple of dims.

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 5], [7, 2]])
        >>> x.max()
        tensor(7)
        >>> x.max(dim=1)
        MaxResult(values=tensor([5, 7]), indices=tensor([1, 0]))
        """
        return self._extreme(ops.Max, ops.ArgMax, MaxResult, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        """Like ``max``, for the minimum.

        >>> import minitorch
        >>> values, indices = minitorch.tensor([[1, 5], [7, 2]]).min(dim=0)
        >>> values.tolist(), indices.tolist()
        ([1, 2], [0, 1])
        """
        return self._extreme(ops.Min, ops.ArgMin, MinResult, dim, keepdim)

    def amax(self, dim=None, keepdim=False):
        """The maximum over ``dim`` (an int, a tuple, or None for all), values only; ties share the gradient.

        >>> import minitorch
        >>> minitorch.tensor([[1, 5], [7, 2]]).amax(dim=1).tolist()
        [5, 7]
        """
        return ops.Max.apply(self, self._axes("amax", dim), keepdim)

    def amin(self, dim=None, keepdim=False):
        """The minimum over ``dim`` (an int, a tuple, or None for all), values only; ties share the gradient.

        >>> import minitorch
        >>> minitorch.tensor([[1, 5], [7, 2]]).amin(dim=0).tolist()
        [1, 2]
        """
        return ops.Min.apply(self, self._axes("amin", dim), keepdim)

    def argmax(self, dim=None, keepdim=False):
        """The index (int64) of the largest element: of the flattened tensor, or along ``dim``.

        >>> import minitorch
        >>> minitorch.tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(dim=1).tolist()
        [1, 0]
        """
        if dim is None:
            return ops.ArgMax.apply(self, None, False)
        return ops.ArgMax.apply(self, self._axis("argmax", dim), keepdim)

    def argmin(self, dim=None, keepdim=False):
        """The index (int64) of the smallest element: of the flattened tensor, or along ``dim``.

        >>> import minitorch
        >>> x = minitorch.tensor([[1, 5], [7, 2]])
        >>> x.argmin(), x.argmin(dim=0).tolist()
        (tensor(0), [0, 1])
        """
        if dim is None:
            return ops.ArgMin.apply(self, None, False)
        return ops.ArgMin.apply(self, self._axis("argmin", dim), keepdim)

    # ---------------------------------------------------------------------- shape
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

    # ------------------------------------------------------------------ dtypes
    def to(self, *args, dtype=None, device=None):
        """``to(dtype)``, ``to(device)`` or both (differentiable); returns self when nothing changes.

        >>> import minitorch
        >>> x = minitorch.tensor([1, 2])
        >>> x.to(minitorch.float64)
        tensor([1., 2.], dtype=minitorch.float64)
        >>> x.to("cpu") is x
        True
        """
        for a in args:
            if isinstance(a, str) and a.split(":")[0] in ("cpu", "cuda"):
                device = a
            elif isinstance(a, Tensor):
                dtype, device = a.dtype, a.device
            else:
                dtype = a
        out = self
        if device is not None and check_device(device) != self._device:
            out = ops.ToDevice.apply(out, check_device(device))
        dtype = dtypes.to_dtype(dtype)
        if dtype is not None and dtype.np_dtype != out._array.dtype:
            out = ops.Cast.apply(out, dtype.np_dtype)
        return out

    def type(self, dtype):
        """This tensor converted to ``dtype`` (``x.type(minitorch.float64)``).

        >>> import minitorch
        >>> minitorch.tensor([1.7, -1.7]).type(minitorch.int64).tolist()
        [1, -1]
        """
        return self.to(dtype)

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
        tensor([1.5], dtype=minitorch.float64)
        """
        return self.to(dtypes.float64)

    def half(self):
        """This tensor as float16 (itself if it already is).

        >>> import minitorch
        >>> minitorch.tensor([1.5]).half()
        tensor([1.5], dtype=minitorch.float16)
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

    def bool(self):
        """This tensor as bool (nonzero is True).

        >>> import minitorch
        >>> minitorch.tensor([0.0, 2.0]).bool()
        tensor([False,  True])
        """
        return self.to(dtypes.bool_)

    def cpu(self):
        """This tensor on the CPU (a copy if it is on "cuda")."""
        return self.to("cpu")

    def cuda(self, device=None):
        """This tensor on the GPU (or the CUDA simulator); see ``minitorch.cuda.is_available()``."""
        return self.to("cuda" if device is None else f"cuda:{device}" if isinstance(device, int) else device)

    # ------------------------------------------------------------------ in place
    def _writable(self, op):
        """Check that ``op`` may change this tensor in place, and bump its version."""
        if self.requires_grad and _GradMode.enabled:
            what = "a leaf tensor that requires grad" if self._node is None else "a tensor in the graph"
            raise RuntimeError(
                f"{op}: cannot change {what} in place while gradients are recorded: backward would "
                f"use the wrong values. Write x = x + y instead of x += y, or wrap parameter updates "
                f"in `with minitorch.no_grad():`."
            )
        array = self._array
        # numpy marks broadcast views read-only; cupy has no such flag, so look for repeated elements
        broadcast = any(stride == 0 and size > 1 for stride, size in zip(array.strides, array.shape))
        if broadcast or not getattr(array.flags, "writeable", True):
            raise RuntimeError(
                f"{op}: this tensor is a read-only view (made by expand or broadcasting); call "
                f".clone() first to get a copy you can change."
            )
        self._version[0] += 1
        return array

    def _in_place(self, op, ufunc, other):
        array = self._writable(op)
        inplace.combine(op, array, ufunc, other._array if isinstance(other, Tensor) else other)
        return self

    def add_(self, other, alpha=1):
        """self += alpha * other, in place (``other`` must broadcast to self's shape); returns self.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x.add_(minitorch.tensor([1.0, 1.0]), alpha=2).tolist()
        [3.0, 4.0]
        """
        return self._in_place("add_", np.add, other if alpha == 1 else other * alpha)

    def sub_(self, other, alpha=1):
        """self -= alpha * other, in place; returns self.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x -= 1
        >>> x.tolist()
        [0.0, 1.0]
        """
        return self._in_place("sub_", np.subtract, other if alpha == 1 else other * alpha)

    def mul_(self, other):
        """self *= other, in place; returns self.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).mul_(3).tolist()
        [3.0, 6.0]
        """
        return self._in_place("mul_", np.multiply, other)

    def div_(self, other):
        """self /= other, in place; returns self.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).div_(2).tolist()
        [0.5, 1.0]
        """
        return self._in_place("div_", np.true_divide, other)

    __iadd__, __isub__, __imul__, __itruediv__ = add_, sub_, mul_, div_

    def _on_my_device(self, value):
        """``value`` (a Tensor on any device, a numpy array, nested lists) as an array on this
        tensor's device, to be written into it (cupy refuses host arrays there)."""
        if not isinstance(value, Tensor):
            value = Tensor._make(np.asarray(value), False, None)
        return value._array if value._device == self._device else move(value._array, self._device)

    def copy_(self, source):
        """Copy ``source``'s values (broadcast to this shape) in, from any device.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 2)
        >>> x.copy_(minitorch.tensor([1.0, 2.0])).tolist()
        [[1.0, 2.0], [1.0, 2.0]]
        """
        self._writable("copy_")[...] = self._on_my_device(source)
        return self

    def fill_(self, value):
        """Every element set to ``value``, in place; returns self.

        >>> import minitorch
        >>> minitorch.zeros(3).fill_(7).tolist()
        [7.0, 7.0, 7.0]
        """
        self._writable("fill_")[...] = value
        return self

    def zero_(self):
        """Every element set to 0, in place; returns self.

        >>> import minitorch
        >>> minitorch.ones(2).zero_().tolist()
        [0.0, 0.0]
        """
        return self.fill_(0)

    def clamp_(self, min=None, max=None):
        """Each element limited to [min, max], in place; returns self.

        >>> import minitorch
        >>> minitorch.tensor([-2.0, 0.5, 3.0]).clamp_(min=0.0).tolist()
        [0.0, 0.5, 3.0]
        """
        inplace.clamp(self._writable("clamp_"), min, max)
        return self

    def uniform_(self, a=0.0, b=1.0, generator=None):
        """Filled in place with draws from U(a, b) (``minitorch.manual_seed`` makes them repeatable).

        >>> import minitorch
        >>> x = minitorch.zeros(100).uniform_(-1.0, 1.0)
        >>> bool(((x >= -1) & (x < 1)).all())
        True
        """
        self._writable("uniform_")[...] = self._on_my_device(rng(generator).uniform(a, b, self.shape))
        return self

    def normal_(self, mean=0.0, std=1.0, generator=None):
        """Filled in place with draws from N(mean, std^2).

        >>> import minitorch
        >>> minitorch.zeros(2, 3).normal_(mean=0.0, std=0.02).shape
        (2, 3)
        """
        self._writable("normal_")[...] = self._on_my_device(rng(generator).normal(mean, std, self.shape))
        return self

    def __setitem__(self, index, value):
        """In place: x[index] = value (a number, or values broadcast to the selection); bumps the version.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3)
        >>> x[0, 1:] = 5.0
        >>> x[1] = minitorch.tensor([1.0, 2.0, 3.0])
        >>> x.tolist()
        [[0.0, 5.0, 5.0], [1.0, 2.0, 3.0]]
        """
        if isinstance(value, Tensor) and value.requires_grad and _GradMode.enabled:
            raise RuntimeError(
                "__setitem__: assigning a tensor that requires grad into another tensor would cut it "
                "out of the graph (no gradient would reach it). Build the result with minitorch.cat, "
                "stack, where or masked_fill instead, or assign value.detach() if that is intended."
            )
        array = self._writable("__setitem__")
        if not isinstance(value, _PYTHON_NUMBERS):
            value = self._on_my_device(value)
        array[_unwrap_index(index)] = value


use_tensor_class(Tensor)
