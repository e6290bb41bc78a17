"""In-place updates (``add_``, ``fill_``, ``x[i] = v``...): the values change where they lie, and
the version counter bumps.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
Outside the graph an update is plain array arithmetic (``functions/inplace.py``). In the graph
(gradients recorded, and self or an argument requires grad) the tensor takes the op as its
history, as in PyTorch (``_rebase``); an update of a view becomes one of its base.
"""
import warnings

import numpy as np

from .. import checks, dtypes
from .. import functions as ops
from ..autograd.function import tensor_class
from ..autograd.grad_mode import _GradMode, no_grad
from ..device import array_module, move
from ..functions import inplace
from ..functions.indexing import torch_steps
from ..functions.strided import laid_out_like, storage
from ..random import rng
from .arithmetic import PYTHON_NUMBERS, _not_bool, result_type
from .shape import _unwrap_index


class InPlaceMethods:
    """In-place updates (``add_``, ``fill_``, ``x[i] = v``...): the values change, the version bumps."""

    __slots__ = ()

    def _writable(self, op, rebase=False):
        """Check that ``op`` may change this tensor's array in place, bump its version and return the
        array (``rebase``: the caller records the change in the graph, see ``_rebase``)."""
        if self.requires_grad and _GradMode.enabled and not rebase:
            what = ("a leaf tensor that requires grad" if self._node is None else
                    "a tensor in the graph (minitorch refuses to have it modified in place, so that no op "
                    "that saved it sees a new version in backward)")
            raise RuntimeError(
                f"{op}: {what} cannot be changed in place (an in-place operation) while gradients are recorded: "
                f"backward would use the wrong values. Write x = x + y instead of x += y, or wrap "
                f"parameter updates in `with minitorch.no_grad():`."
            )
        array = self._array
        # numpy marks broadcast views read-only; cupy has no such flag, so look for repeated elements
        # (an empty array has none, whatever its strides)
        broadcast = array.size > 0 and any(stride == 0 and size > 1 for stride, size in zip(array.strides, array.shape))
        if broadcast or not getattr(array.flags, "writeable", True):
            raise RuntimeError(
                f"{op}: this tensor is a read-only view (made by expand or broadcasting); call "
                f".clone() first to get a copy you can change."
            )
        self._version[0] += 1
        return array

    def _in_place(self, op, ufunc, other):
        if self._records(op, other):
            inplace.check_fits(op, np.shape(other), self._array)
            return self._store(op, getattr(self, OUT_OF_PLACE[ufunc])(other))
        array = self._writable(op)
        dtype = array.dtype  # a float tensor holds any result; for others, PyTorch's result dtype
        if dtype.kind != "f":
            dtype = result_type(self, other)
            dtype = dtypes.get_default_dtype().np_dtype if ufunc is np.true_divide else dtype
        inplace.combine(op, array, ufunc, other._array if isinstance(other, tensor_class()) else other, dtype)
        return self

    def add_(self, other, alpha=1):
        """self += alpha * other, in place (``other`` must broadcast to self's shape); returns self.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x.add_(minitorch.tensor([1.0, 1.0]), alpha=2).tolist()
        [3.0, 4.0]
        """
        other, alpha = _alpha_first("add_", other, alpha)
        return self._in_place("add_", np.add, other if alpha == 1 else other * alpha)

    def sub_(self, other, alpha=1):
        """self -= alpha * other, in place; returns self.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x -= 1
        >>> x.tolist()
        [0.0, 1.0]
        """
        other, alpha = _alpha_first("sub_", other, alpha)
        other = _not_bool("Subtraction", self, other if alpha == 1 else other * alpha)
        return self._in_place("sub_", np.subtract, other)

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
    multiply_, subtract_ = mul_, sub_

    def _records(self, op, *args):
        """Whether an in-place ``op`` on self with ``args`` goes into the graph: as in PyTorch, when
        gradients are recorded and self or one of ``args`` requires grad. Refuses what PyTorch
        refuses: a leaf that requires grad, a view of one, a view taken in no_grad mode."""
        view = self._view
        if not _GradMode.enabled:
            return False
        if view is not None:
            view.refresh(self, op)  # its base may have taken a history since the view was taken
        if not (self.requires_grad or (view is not None and view.base.requires_grad)
                or any(isinstance(a, tensor_class()) and a.requires_grad for a in args)):
            return False
        if view is not None and view.in_no_grad:
            raise RuntimeError(
                f"{op}: this view was taken in no_grad mode and is being changed in place with grad mode "
                f"on, which is ambiguous (PyTorch forbids it too). Take the view and change it both "
                f"inside the no_grad block, or both outside it.")
        if view is not None and view.several is not None:
            raise RuntimeError(
                f"{op}: this tensor is one of the pieces that {view.several} returns (views of one tensor), "
                f"and PyTorch does not allow such a piece to be changed in place while gradients are recorded. "
                f"Change a copy (piece = piece.clone(), then {op} on it), use the out-of-place op "
                f"(piece = piece + y instead of piece += y), or change the whole tensor before taking the pieces.")
        owner = self if view is None else view.base
        if owner.requires_grad and owner._node is None:
            raise RuntimeError(
                f"{op}: {'a view of ' if view is not None else ''}a leaf tensor that requires grad cannot be "
                f"used in an in-place operation while gradients are recorded: backward would use the wrong "
                f"values. "
                f"Write x = x + y instead of x += y, or wrap parameter updates in `with minitorch.no_grad():`.")
        return True

    def _update(self, op, method, *args, **kwargs):
        """``x.<name>_(...)``: ``method(*args, **kwargs)`` (self's out-of-place ``<name>``) written
        into self, in the graph if ``_records`` says so; returns self."""
        if self._records(op, *args, *kwargs.values()):
            return self._store(op, method(*args, **kwargs))
        with no_grad():
            result = method(*args, **kwargs)
        return self._store(op, result)

    def _store(self, op, result):
        """Write ``result``, the out-of-place value of ``op`` on self, into self; returns self."""
        if result.requires_grad and _GradMode.enabled:
            return self._rebase(op, result)
        inplace.assign(op, self._writable(op), result._array)
        return self

    def _rebase(self, op, result):
        """PyTorch's in-place op in the graph: the new values go into self's array (views and
        aliases see them, the version bumps, so an op that saved the old values refuses to run
        backward), and self's history becomes ``result``'s: gradients flow through ``op``'s backward.
        On a view, the base takes the history (``WriteThroughView``: the values written into the
        view's part of it), and the view its part of the base's new history."""
        inplace.check_fits(op, result.shape, self._array)
        inplace.check_holds(op, self._array, result._array.dtype)
        result = result.to(self.dtype)
        self._keep_old_values(result)
        view = self._view
        if view is None:
            inplace.assign(op, self._writable(op, rebase=True), result._array)
            self._node, self.requires_grad = result._node, True
        else:
            base = view.base  # where the view's elements sit in it: their flat indices, in the view's shape
            flat_indices = array_module(base._array).arange(base.numel()).reshape(base.shape)  # laid out as base
            places = tensor_class()._make(laid_out_like(base._array, flat_indices), False, None, base._device)
            places = view.replay(places)._array
            written = inplace.WriteThroughView.apply(base, result, self._writable(op, rebase=True), places)
            base._node, base.requires_grad = written._node, True
            view.refresh(self, op)
        return self

    def _keep_old_values(self, result):
        """The ops that computed ``result`` from self (``leaky_relu(x, inplace=True)`` is several)
        and saved self's old values get a copy of them, as PyTorch's in-place ops save the original;
        ``REBASE_DEPTH`` bounds that search."""
        old, copy = self._array, []
        nodes, seen = [result._node], set()
        for _ in range(REBASE_DEPTH):
            ahead = []
            for node in nodes:
                if node is self._node or id(node) in seen or not hasattr(node, "saved_arrays"):
                    continue  # self's own history, a leaf, or a node already visited
                seen.add(id(node))
                if any(saved is old for saved in node.saved_arrays):
                    copy = copy or [old.copy()]
                    node.saved_arrays = tuple(copy[0] if saved is old else saved for saved in node.saved_arrays)
                    node.saved_versions = [v for v in node.saved_versions if v[0] is not self._version]
                ahead.extend(edge for edge in node.edges or () if edge is not None)
            nodes = ahead

    def _as_value(self, value):
        """A value to write into self: a Tensor converted to self's dtype and device (differentiably),
        a number as it is, anything else (a numpy array, nested lists) as an array on self's device."""
        if isinstance(value, tensor_class()):
            return value.to(self.dtype, self._device)
        return value if isinstance(value, PYTHON_NUMBERS) else self._on_my_device(value)

    def _on_my_device(self, value):
        """``value`` (a Tensor on any device, a numpy array, nested lists) as an array on this
        tensor's device, to be written into it (cupy refuses host arrays there)."""
        if not isinstance(value, tensor_class()):
            value = tensor_class()._make(np.asarray(value), False, None)
        return value._array if value._device == self._device else move(value._array, self._device)

    def copy_(self, src, non_blocking=False):
        """Copy ``src``'s values (broadcast to this shape) in, from any device and of any dtype;
        gradients flow to ``src``. ``non_blocking`` is accepted: copies are synchronous here.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 2)
        >>> x.copy_(minitorch.tensor([1.0, 2.0])).tolist()
        [[1.0, 2.0], [1.0, 2.0]]
        """
        if self._records("copy_", src):
            return self._store("copy_", ops.Copy.apply(self, self._as_value(src)))
        inplace.assign("copy_", self._writable("copy_"), self._on_my_device(src), check_dtype=False)
        return self

    def _reshaped(self, op, view):
        """Make self ``view(self)`` (a view of self's elements in another shape), in place; returns
        self. As in PyTorch the version bumps (ops that saved self refuse to run backward) and, in
        the graph (``_records``), self's history becomes the view op's; a view of another tensor
        stays one, with the new view op as its last step."""
        records = self._records(op)  # False: self has no history to take (or gradients are off)
        result = view(self)
        self._version[0] += 1
        self._array = result._array
        if records:
            self._node = result._node
        if self._view is not None:
            self._view = result._view
        return self

    def unsqueeze_(self, dim):
        """In place: self becomes ``self.unsqueeze(dim)`` (a new dimension of size 1); returns self.

        >>> import minitorch
        >>> minitorch.zeros(2).unsqueeze_(0).shape
        minitorch.Size([1, 2])
        """
        return self._reshaped("unsqueeze_", lambda x: x.unsqueeze(dim))

    def squeeze_(self, dim=None):
        """In place: self becomes ``self.squeeze(dim)`` (size-1 dimensions dropped); returns self.

        >>> import minitorch
        >>> minitorch.zeros(1, 2, 1).squeeze_().shape
        minitorch.Size([2])
        """
        return self._reshaped("squeeze_", lambda x: x.squeeze() if dim is None else x.squeeze(dim))

    def t_(self):
        """In place: self becomes ``self.t()`` (a matrix transposed); returns self.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).t_().shape
        minitorch.Size([3, 2])
        """
        return self._reshaped("t_", lambda x: x.t())

    def transpose_(self, dim0, dim1):
        """In place: self becomes ``self.transpose(dim0, dim1)`` (two dimensions swapped); returns self.

        >>> import minitorch
        >>> minitorch.zeros(2, 3, 4).transpose_(0, 2).shape
        minitorch.Size([4, 3, 2])
        """
        return self._reshaped("transpose_", lambda x: x.transpose(dim0, dim1))

    swapdims_ = transpose_

    def swapaxes_(self, axis0, axis1):
        """In place: self becomes ``self.swapaxes(axis0, axis1)`` (``transpose_``); returns self.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).swapaxes_(0, 1).shape
        minitorch.Size([3, 2])
        """
        return self._reshaped("swapaxes_", lambda x: x.transpose(axis0, axis1))

    def as_strided_(self, size, stride, storage_offset=None):
        """In place: self becomes ``self.as_strided(size, stride, storage_offset)`` (a view of its storage
        with those sizes and strides; ``storage_offset=None`` keeps self's own); returns self.

        >>> import minitorch
        >>> x = minitorch.arange(6.0)
        >>> x.as_strided_((2, 2), (1, 2), 1).tolist()
        [[1.0, 3.0], [2.0, 4.0]]
        """
        return self._reshaped("as_strided_", lambda x: x.as_strided(size, stride, storage_offset))

    def resize_(self, *sizes, size=None, memory_format=None):
        """In place: self takes the shape ``sizes``, contiguous, reading its storage (the memory it shares
        with its views and bases) from its storage offset on, as PyTorch's; returns self. A tensor that
        requires grad cannot be resized, as in PyTorch. ``memory_format`` is accepted (contiguous).

        Within the storage, self keeps sharing it with every tensor that does. Past its end PyTorch
        grows the storage itself, and every tensor on it follows; numpy's memory cannot grow, so here
        self moves alone to new memory that holds the old storage's values (new elements are 0, where
        PyTorch's are uninitialised), and the tensors that shared the old storage no longer share self's.

        >>> import minitorch
        >>> minitorch.arange(6).resize_(2, 2).tolist()
        [[0, 1], [2, 3]]
        >>> x = minitorch.arange(6)
        >>> x[3:].resize_(2).tolist(), x[::2].resize_(2).tolist()   # the storage from the offset on
        ([3, 4], [0, 1])
        """
        shape = checks.sizes("resize_", sizes, size)
        if min(shape, default=0) < 0:
            raise RuntimeError(f"resize_: sizes must be non-negative, got {list(shape)}.")
        if self.requires_grad:
            raise RuntimeError(
                "resize_: cannot resize a tensor that requires grad (PyTorch refuses it too, even in no_grad "
                "mode). Resize a copy outside the graph (x.detach().clone().resize_(...)), or use "
                "reshape/view for the same number of elements.")
        flat, offset = storage(self._writable("resize_"))
        count = int(np.prod(shape))
        if offset + count > flat.size:  # past the storage's end: new memory, the old storage copied in
            flat, old = array_module(flat).zeros(offset + count, flat.dtype), flat
            flat[:old.size] = old
        self._array, self._view = flat[offset:offset + count].reshape(shape), None
        return self

    def resize_as_(self, the_template, memory_format=None):
        """In place: self takes ``the_template``'s shape (``resize_``); returns self.

        >>> import minitorch
        >>> minitorch.arange(4).resize_as_(minitorch.zeros(2, 2)).tolist()
        [[0, 1], [2, 3]]
        """
        return self.resize_(the_template.shape)

    def fill_(self, value):
        """Every element set to ``value``, in place; returns self.

        >>> import minitorch
        >>> minitorch.zeros(3).fill_(7).tolist()
        [7.0, 7.0, 7.0]
        """
        return self._fill("fill_", value)

    def zero_(self):
        """Every element set to 0, in place; returns self.

        >>> import minitorch
        >>> minitorch.ones(2).zero_().tolist()
        [0.0, 0.0]
        """
        return self._fill("zero_", 0)

    def float_power_(self, exponent):
        """self = self ** exponent computed in float64, in place: only a float64 tensor can hold it (as in
        PyTorch, which refuses other dtypes rather than rounding). Returns self.

        >>> import minitorch
        >>> minitorch.tensor([2.0, 3.0], dtype=minitorch.float64).float_power_(2).tolist()
        [4.0, 9.0]
        """
        if self.dtype != dtypes.float64:
            raise RuntimeError(f"float_power_: the base has dtype {self.dtype} but the result is float64, which it "
                               f"cannot hold; call x = x.float_power(exponent) or convert with .double() first.")
        return self._update("float_power_", self.float_power, exponent)

    def fill_diagonal_(self, fill_value, wrap=False):
        """The main diagonal set to ``fill_value``, in place (every dim of the same size beyond 2-d);
        with ``wrap=True`` a tall matrix's diagonal starts again below, after one skipped row. Returns self.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).fill_diagonal_(5).tolist()
        [[5.0, 0.0, 0.0], [0.0, 5.0, 0.0]]
        """
        if self.ndim < 2:
            raise RuntimeError(f"fill_diagonal_: dimensions must be larger than 1, got shape {tuple(self.shape)}.")
        if self.ndim > 2 and len(set(self.shape)) != 1:
            raise RuntimeError(f"fill_diagonal_: all dimensions of input must be of equal length, got shape "
                               f"{tuple(self.shape)}.")
        marks = np.zeros(tuple(self.shape), bool)
        np.fill_diagonal(marks, True, wrap=bool(wrap))
        index = tuple(self.new_tensor(i, dtype=dtypes.int64) for i in np.nonzero(marks))
        self[index] = fill_value
        return self

    def _fill(self, op, value):
        """fill_ and zero_, their errors naming ``op``."""
        if getattr(value, "ndim", 0):
            raise RuntimeError(f"{op}: only a number or a 0-d tensor can fill a tensor, got a tensor of shape "
                               f"{tuple(value.shape)}. Use copy_ to copy values in.")
        if self._records(op, value):
            return self._store(op, ops.Copy.apply(self, self._as_value(value)))
        self._writable(op)[...] = self._on_my_device(value) if isinstance(value, tensor_class()) else value
        return self

    def clamp_(self, min=None, max=None):
        """Each element limited to [min, max], in place; returns self.

        >>> import minitorch
        >>> minitorch.tensor([-2.0, 0.5, 3.0]).clamp_(min=0.0).tolist()
        [0.0, 0.5, 3.0]
        """
        bounds = [b for b in (min, max) if b is not None]
        if not bounds:
            raise RuntimeError("clamp_: give at least one of min and max (both are None).")
        if self._records("clamp_", min, max):
            return self._store("clamp_", self.clamp(min, max))
        dtype = dtypes.common_dtype(self, *bounds).np_dtype
        min, max = (b if b is None or isinstance(b, PYTHON_NUMBERS) else self._on_my_device(b) for b in (min, max))
        inplace.clamp("clamp_", self._writable("clamp_"), min, max, dtype)
        return self

    def uniform_(self, a=0.0, b=1.0, generator=None):
        """Filled in place with draws from U(a, b) (``minitorch.manual_seed`` makes them repeatable).

        >>> import minitorch
        >>> x = minitorch.zeros(100).uniform_(-1.0, 1.0)
        >>> bool(((x >= -1) & (x < 1)).all())
        True
        """
        return self._fill_random("uniform_", rng(generator).uniform(a, b, self.shape))

    def normal_(self, mean=0.0, std=1.0, generator=None):
        """Filled in place with draws from N(mean, std^2).

        >>> import minitorch
        >>> minitorch.zeros(2, 3).normal_(mean=0.0, std=0.02).shape
        minitorch.Size([2, 3])
        """
        return self._fill_random("normal_", rng(generator).normal(mean, std, self.shape))

    def __setitem__(self, index, value):
        """In place: x[index] = value (a number, or values broadcast to the selection); bumps the version.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3)
        >>> x[0, 1:] = 5.0
        >>> x[1] = minitorch.tensor([1.0, 2.0, 3.0])
        >>> x.tolist()
        [[0.0, 5.0, 5.0], [1.0, 2.0, 3.0]]
        """
        if isinstance(value, tensor_class()) and value.ndim and value.shape[0] == 1:
            # PyTorch drops a value's leading size-1 dims first: x[i] = model(row) with a (1, 1) output
            kept = next((d for d, n in enumerate(value.shape) if n != 1), value.ndim)
            value = value.reshape(value.shape[kept:])
        try:
            if self._records("__setitem__", value):
                self._store("__setitem__", ops.IndexPut.apply(self, self._as_value(value), _unwrap_index(index), False))
                return
            array = self._writable("__setitem__")
            if not isinstance(value, PYTHON_NUMBERS):
                value = self._on_my_device(value)
            *basic, last = torch_steps(_unwrap_index(index))  # PyTorch's placement of index arrays
            for step in basic:
                array = array[step]
            array[last] = value
        except ValueError:  # numpy's broadcast message names neither the op nor the tensor
            raise RuntimeError(
                f"__setitem__: cannot put a value of shape {tuple(np.shape(value))} into the selection of "
                f"shape {tuple(self.detach()[index].shape)} of a tensor of shape {tuple(self.shape)}: the "
                f"value must broadcast to the selection."
            ) from None


def _alpha_first(op, other, alpha):
    """``(other, alpha)`` of ``x.add_(other, alpha)``, also from PyTorch's deprecated order
    ``x.add_(alpha, other)`` (a number, then a tensor: old SGD loops' ``p.data.add_(-lr, p.grad)``),
    which PyTorch still accepts with a warning."""
    if isinstance(other, PYTHON_NUMBERS) and isinstance(alpha, tensor_class()):
        warnings.warn(f"This overload of {op} is deprecated: {op}(Number alpha, Tensor other). Use "
                      f"{op}(Tensor other, *, Number alpha=1) instead.", UserWarning, stacklevel=3)
        return alpha, other
    return other, alpha


#: The out-of-place method of each in-place arithmetic update, for tensors in the graph (``_rebase``).
OUT_OF_PLACE = {np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "div"}

#: How many ops back from an in-place op's result ``_rebase`` looks for ops that saved the old values.
REBASE_DEPTH = 8

#: The ops whose in-place form ``<name>_`` computes ``self.<name>(...)`` and writes it into self
#: (``x.floor_()``, ``x.bitwise_and_(y)``, ``x %= 3``), as PyTorch's in-place forms of them do; each
#: with the arguments of its doctested example (``x`` and ``y`` two tensors of the example's dtype).
IN_PLACE_FORMS = {
    **dict.fromkeys((
        "exp", "log", "sqrt", "rsqrt", "reciprocal", "square", "sin", "abs", "absolute", "neg", "negative",
        "tanh", "sigmoid", "log2", "log10", "log1p", "exp2", "expm1", "erf", "erfc", "erfinv", "nan_to_num",
        "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "arcsin", "arccos",
        "arctan", "arcsinh", "arccosh", "arctanh", "sinc", "deg2rad", "rad2deg", "floor", "ceil", "trunc",
        "fix", "round", "frac", "sign", "sgn", "lgamma", "digamma", "i0",
    ), ""),
    "polygamma": "1", "mvlgamma": "1",
    **dict.fromkeys((
        "xlogy", "copysign", "divide", "true_divide", "atan2", "arctan2", "hypot", "heaviside", "fmod",
        "remainder", "floor_divide", "ldexp", "nextafter",
    ), "y"),
    "pow": "2", "lerp": "y, 0.5", "addcmul": "y, y", "addcdiv": "y, y",
    "masked_fill": "x > 1, 0.0", "index_add": "0, minitorch.tensor([1]), y[:1]",
    "index_fill": "0, minitorch.tensor([0]), -1.0", "index_copy": "0, minitorch.tensor([1]), y[:1]",
    "masked_scatter": "x > 1, y", "index_put": "(minitorch.tensor([1]),), y[:1]",
    "put": "minitorch.tensor([1]), y[:1]",
    **dict.fromkeys(("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift"),
                    "y"),
    "bitwise_not": "", "gcd": "y", "lcm": "y",
    **dict.fromkeys(("eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
                     "not_equal", "logical_and", "logical_or", "logical_xor"), "y"),
    "logical_not": "", "relu": "", "tril": "", "triu": "", "cumsum": "0", "cumprod": "0",
    "clip": "0.6, 1.0", "clamp_min": "1.0", "clamp_max": "1.0",
    "scatter_add": "0, minitorch.tensor([1, 0]), y", "scatter_reduce": "0, minitorch.tensor([1, 0]), y, 'amax'",
    "addmv": "minitorch.eye(2), y", "logit": "0.2",
    "addmm": "y, y", "addbmm": "y[None], y[None]", "renorm": "2, 0, 1.0", "baddbmm": "y, y",
}
_EXAMPLE_VALUES = {"float": "[0.5, 2.0]), minitorch.tensor([1.5, 3.0])", "int": "[5, 12]), minitorch.tensor([3, 2])",
                   "matrix": "[[0.5, 2.0], [1.5, 3.0]]), minitorch.tensor([[1.5, 3.0], [0.5, 2.0]])",
                   "batch": "[[[0.5, 2.0], [1.5, 3.0]]]), minitorch.tensor([[[1.5, 3.0], [0.5, 2.0]]])"}


def example_kind(name):
    """Which of ``_EXAMPLE_VALUES`` the example of ``<name>_`` uses: integers for the bitwise ops,
    matrices or batches of them for the matrix ops, else two floats."""
    if name.startswith("bitwise") or name in ("gcd", "lcm"):
        return "int"
    return {"tril": "matrix", "triu": "matrix", "addmm": "matrix", "addbmm": "matrix", "renorm": "matrix",
            "baddbmm": "batch"}.get(name, "float")


def _in_place_form(name, example_args):
    """``<name>_``: ``self.<name>(*args, **kwargs)`` written into self (``_update``)."""

    def method(self, *args, **kwargs):
        return self._update(f"{name}_", getattr(self, name), *args, **kwargs)

    values = _EXAMPLE_VALUES[example_kind(name)]
    method.__name__ = method.__qualname__ = f"{name}_"
    method.__doc__ = (
        f"In place: self = self.{name}(...), written into self (same shape, a dtype self can hold); "
        f"returns self. See ``{name}``.\n\n"
        f"        >>> import minitorch\n"
        f"        >>> x, y = minitorch.tensor({values}\n"
        f"        >>> expected = x.{name}({example_args})\n"
        f"        >>> x.{name}_({example_args}) is x, minitorch.allclose(x.double(), expected.double(), equal_nan=True)\n"
        f"        (True, True)\n"
    )
    return method


for _name, _args in IN_PLACE_FORMS.items():
    setattr(InPlaceMethods, f"{_name}_", _in_place_form(_name, _args))
del _name, _args
InPlaceMethods.__imod__ = InPlaceMethods.remainder_
InPlaceMethods.__ifloordiv__ = InPlaceMethods.floor_divide_
InPlaceMethods.__ipow__ = InPlaceMethods.pow_
InPlaceMethods.__iand__, InPlaceMethods.__ior__ = InPlaceMethods.bitwise_and_, InPlaceMethods.bitwise_or_
InPlaceMethods.__ixor__ = InPlaceMethods.bitwise_xor_
InPlaceMethods.__ilshift__ = InPlaceMethods.bitwise_left_shift_
InPlaceMethods.__irshift__ = InPlaceMethods.bitwise_right_shift_
