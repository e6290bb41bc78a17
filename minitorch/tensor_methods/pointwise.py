"""Elementwise math (``exp``, ``log``, ``tanh``, ``relu``, ``clamp``...) and softmax along a dim.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
import numbers
import warnings

from .. import checks, dtypes
from .. import functions as ops
from ..autograd.composite import shown_as
from ..autograd.names import renamed
from ..autograd.function import tensor_class
from ..errors import DTypeError
from .arithmetic import floating_operand



def _promoted_triple(op, x, tensor1, tensor2):
    """addcmul's and addcdiv's three tensors (Python numbers are refused, as in PyTorch), on one
    device and in their common dtype (PyTorch's promotion of the three; ``value`` takes no part)."""
    checks.same_device(op, input=x, tensor1=checks.tensor(op, "tensor1", tensor1),
                       tensor2=checks.tensor(op, "tensor2", tensor2))
    dtype = dtypes.common_dtype(x, tensor1, tensor2)
    if dtype == dtypes.bool_:
        raise RuntimeError(f"{op}: not defined for bool tensors (as in PyTorch); convert with .long() or .float().")
    return tuple(t if t.dtype == dtype else t.to(dtype) for t in (x, tensor1, tensor2))

def _value_first(op, tensor1, tensor2, value_first, value):
    """``(tensor1, tensor2, value)`` of ``x.addcmul(t1, t2, value=v)``, also from PyTorch's deprecated
    order ``x.addcmul_(v, t1, t2)`` (a number, then two tensors: old Adam and RMSprop loops), which
    PyTorch still accepts with a warning."""
    if not value_first:
        return tensor1, tensor2, value
    if len(value_first) > 1 or not isinstance(tensor1, numbers.Number):
        raise TypeError(f"{op}() takes (tensor1, tensor2, *, value=1), or the deprecated (value, tensor1, "
                        f"tensor2); got {2 + len(value_first)} positional arguments.")
    warnings.warn(f"This overload of {op} is deprecated: {op}(Number value, Tensor tensor1, Tensor tensor2). "
                  f"Use {op}(Tensor tensor1, Tensor tensor2, *, Number value=1) instead.", UserWarning, stacklevel=3)
    return tensor2, value_first[0], tensor1


class PointwiseMethods:
    """Elementwise math (``exp``, ``log``, ``tanh``, ``relu``, ``clamp``...) and softmax along a dim."""

    __slots__ = ()

    def _float(self):
        """Self, or a float32 copy of an integer tensor: exp(int) is float32, as in PyTorch."""
        return self if self._array.dtype.kind == "f" else self.float()

    def _floating(self, op):
        """Self, refused unless floating-point: softmax of an integer tensor is not defined in PyTorch."""
        if self._array.dtype.kind != "f":
            raise RuntimeError(f"{op}: not implemented for integer or bool tensors, got {self.dtype!r}. "
                               f"Use .float() first, or pass dtype=minitorch.float32.")
        return self

    def exp(self):
        """e^x, elementwise; an integer tensor is made float32 first, as in PyTorch.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).exp()
        tensor([1.0000, 2.7183])
        """
        return ops.Exp.apply(self._float())

    def log(self):
        """ln x (natural logarithm), elementwise; an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([1, 100]).log()
        tensor([0.0000, 4.6052])
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
        tensor([0.0000, 0.7616])
        """
        return ops.Tanh.apply(self._float())

    def sigmoid(self):
        """sigmoid(x) = 1 / (1 + e^-x), elementwise, computed without overflow for large |x|.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 2.0]).sigmoid()
        tensor([0.5000, 0.8808])
        """
        return ops.Sigmoid.apply(self._float())

    def relu(self):
        """max(x, 0), elementwise; its gradient is 0 for x <= 0 and 1 above.

        >>> import minitorch
        >>> minitorch.tensor([-1.0, 0.0, 2.0]).relu().tolist()
        [0.0, 0.0, 2.0]
        """
        if self._array.dtype.kind == "b":
            raise RuntimeError("relu: bool inputs are not supported, got minitorch.bool. Use .float() or .long() first.")
        return ops.ReLU.apply(self)

    @renamed(lambda self, min=None, max=None: "ClampBackward0" if isinstance(min, tensor_class()) or isinstance(max, tensor_class()) else None)
    def clamp(self, min=None, max=None):
        """Each element limited to [min, max] (either may be None); also ``clip``. The gradient is 1 inside, 0 outside.

        >>> import minitorch
        >>> minitorch.tensor([-2.0, 0.5, 3.0]).clamp(-1, 1).tolist()
        [-1.0, 0.5, 1.0]
        >>> minitorch.tensor([-2, 5]).clamp(min=0).tolist()
        [0, 5]
        """
        if min is None and max is None:
            raise RuntimeError("clamp: give at least one of min and max (both are None).")
        checks.same_device("clamp", input=self, min=min, max=max)
        dtype = dtypes.common_dtype(self, *(b for b in (min, max) if b is not None))  # PyTorch's promotion
        return ops.Clamp.apply(self if dtype == self.dtype else self.to(dtype), min, max)

    clip = clamp

    def logit(self, eps=None):
        """log(p / (1 - p)), the inverse of sigmoid, with p = self clamped to [eps, 1 - eps] when ``eps``
        is given (the gradient is then 0 where it clamps, as PyTorch's).

        >>> import minitorch
        >>> minitorch.tensor([0.5, 0.75]).logit().tolist()
        [0.0, 1.0986123085021973]
        """
        p = self if eps is None else self.clamp(eps, 1 - eps)
        return p.log() - (-p).log1p()

    @renamed(lambda self, min: "ClampMinBackward1" if isinstance(min, tensor_class()) else "ClampMinBackward0")
    def clamp_min(self, min):
        """Each element at least ``min`` (a number or a tensor): ``clamp(min=min)``.

        >>> import minitorch
        >>> minitorch.tensor([-2.0, 0.5]).clamp_min(0).tolist()
        [0.0, 0.5]
        """
        return self.clamp(min=min)

    @renamed(lambda self, max: "ClampMaxBackward1" if isinstance(max, tensor_class()) else "ClampMaxBackward0")
    def clamp_max(self, max):
        """Each element at most ``max`` (a number or a tensor): ``clamp(max=max)``.

        >>> import minitorch
        >>> minitorch.tensor([-2.0, 0.5]).clamp_max(0).tolist()
        [-2.0, 0.0]
        """
        return self.clamp(max=max)

    def softmax(self, dim, *, dtype=None):
        """exp(x) / sum(exp(x)) along ``dim``, computed stably (the maximum is subtracted first).

        >>> import minitorch
        >>> minitorch.tensor([[0.0, 0.0], [0.0, 1.0]]).softmax(dim=1)
        tensor([[0.5000, 0.5000],
                [0.2689, 0.7311]])
        """
        x = self if dtype is None else self.to(dtype)  # PyTorch casts first
        return ops.Softmax.apply(x._floating("softmax"), x._axis("softmax", dim))

    def log_softmax(self, dim, *, dtype=None):
        """x - logsumexp(x) along ``dim``: the log of softmax without its underflow.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 0.0]).log_softmax(dim=0)
        tensor([-0.6931, -0.6931])
        """
        x = self if dtype is None else self.to(dtype)  # PyTorch casts first
        return ops.LogSoftmax.apply(x._floating("log_softmax"), x._axis("log_softmax", dim))

    def rsqrt(self):
        """1 / sqrt(x), elementwise (inf at 0); an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 4.0]).rsqrt()
        tensor([1.0000, 0.5000])
        """
        return ops.Rsqrt.apply(self._float())

    def reciprocal(self):
        """1 / x, elementwise (inf at 0); an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([2, 4]).reciprocal()
        tensor([0.5000, 0.2500])
        """
        return ops.Reciprocal.apply(self._float())

    def log2(self):
        """log2 x, elementwise; an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([1, 8]).log2()
        tensor([0., 3.])
        """
        return ops.Log2.apply(self._float())

    def log10(self):
        """log10 x, elementwise; an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 10.0, 1000.0], dtype=minitorch.float64).log10().tolist()
        [0.0, 1.0, 3.0]
        """
        return ops.Log10.apply(self._float())

    def log1p(self):
        """ln(1 + x), elementwise, accurate where x is tiny (1 + x would round x away).

        >>> import minitorch
        >>> minitorch.tensor([1e-10], dtype=minitorch.float64).log1p().item()
        9.999999999500001e-11
        """
        return ops.Log1p.apply(self._float())

    def exp2(self):
        """2^x, elementwise; an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([0, 3, -1]).exp2()
        tensor([1.0000, 8.0000, 0.5000])
        """
        return ops.Exp2.apply(self._float())

    def expm1(self):
        """e^x - 1, elementwise, accurate where x is tiny (e^x - 1 would cancel).

        >>> import minitorch
        >>> minitorch.tensor([1e-10], dtype=minitorch.float64).expm1().item()
        1.00000000005e-10
        """
        return ops.Expm1.apply(self._float())

    def erf(self):
        """The error function erf x = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).erf()
        tensor([0.0000, 0.8427])
        """
        return ops.Erf.apply(self._float())

    def erfc(self):
        """1 - erf x, elementwise, without the cancellation of 1 - erf x for large x.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 5.0], dtype=minitorch.float64).erfc().tolist()
        [1.0, 1.53745979442803...e-12]
        """
        return ops.Erfc.apply(self._float())

    def erfinv(self):
        """The inverse of erf on (-1, 1): erf(erfinv(y)) = y; +-inf at +-1, NaN beyond.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 0.5, 1.0]).erfinv()
        tensor([0.0000, 0.4769,    inf])
        """
        return ops.Erfinv.apply(self._float())

    def logaddexp(self, other):
        """ln(e^self + e^other), elementwise, broadcast, without overflow for large values.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1000.0]).logaddexp(minitorch.tensor([0.0, 1000.0]))
        tensor([6.9315e-01, 1.0007e+03])
        """
        other = checks.tensor("logaddexp", "other", other)
        return self._binary(ops.LogAddExp, floating_operand("logaddexp", self, other))

    def xlogy(self, other):
        """self * ln(other), elementwise, broadcast, and 0 where self is 0 (even where other is 0).

        >>> import minitorch
        >>> minitorch.tensor([0.0, 2.0]).xlogy(minitorch.tensor([0.0, 1.0]))
        tensor([0., 0.])
        """
        return self._binary(ops.XLogY, other, floating=True)

    def maximum(self, other):
        """The larger of self and other, elementwise, broadcast (NaN if either is NaN). At a tie each
        gets half the gradient.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 5.0]).maximum(minitorch.tensor([3.0, 2.0]))
        tensor([3., 5.])
        """
        return self._binary(ops.Maximum, checks.tensor("maximum", "other", other))

    def minimum(self, other):
        """The smaller of self and other, elementwise, broadcast (NaN if either is NaN).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 5.0]).minimum(minitorch.tensor([3.0, 2.0]))
        tensor([1., 2.])
        """
        return self._binary(ops.Minimum, checks.tensor("minimum", "other", other))

    def fmax(self, other):
        """The larger of self and other, elementwise, ignoring NaN (NaN only where both are).

        >>> import minitorch
        >>> minitorch.tensor([1.0, float('nan')]).fmax(minitorch.tensor([float('nan'), 2.0]))
        tensor([1., 2.])
        """
        return self._binary(ops.Fmax, checks.tensor("fmax", "other", other))

    def fmin(self, other):
        """The smaller of self and other, elementwise, ignoring NaN (NaN only where both are).

        >>> import minitorch
        >>> minitorch.tensor([1.0, float('nan')]).fmin(minitorch.tensor([float('nan'), 2.0]))
        tensor([1., 2.])
        """
        return self._binary(ops.Fmin, checks.tensor("fmin", "other", other))

    def logaddexp2(self, other):
        """log2(2^self + 2^other), elementwise, broadcast, without overflow for large values.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1000.0]).logaddexp2(minitorch.tensor([0.0, 1000.0])).tolist()
        [1.0, 1001.0]
        """
        other = checks.tensor("logaddexp2", "other", other)
        return self._binary(ops.LogAddExp2, floating_operand("logaddexp2", self, other))

    def ldexp(self, other):
        """self * 2^other, elementwise, broadcast (a float result, as in PyTorch).

        >>> import minitorch
        >>> minitorch.tensor([1, 3]).ldexp(minitorch.tensor([3, -1]))
        tensor([8.0000, 1.5000])
        """
        other = checks.tensor("ldexp", "other", other)
        if self.is_floating_point() and other.dtype is dtypes.bool_:  # PyTorch has no kernel for it
            raise NotImplementedError("ldexp: a bool exponent with a floating-point tensor is not supported "
                                      "(as in PyTorch); convert it first: x.ldexp(other.int()).")
        dtype = dtypes.common_dtype(self, other)
        dtype = dtype if dtype.is_floating_point else dtypes.get_default_dtype()
        return self.to(dtype) * other.to(dtype).exp2()

    def nextafter(self, other):
        """The next floating-point value after self towards other, elementwise, broadcast (self where
        they are equal). The gradient passes to self unchanged, as PyTorch's.

        >>> import minitorch
        >>> (minitorch.tensor([1.0]).nextafter(minitorch.tensor([2.0])) - 1).item() == 2.0 ** -23
        True
        """
        other = checks.tensor("nextafter", "other", other)
        return self._binary(ops.NextAfter, floating_operand("nextafter", self, other))

    def copysign(self, other):
        """|self| with the sign of other, elementwise, broadcast (a float result, as in PyTorch).

        >>> import minitorch
        >>> minitorch.tensor([1, 2, -3]).copysign(minitorch.tensor([-1.0, 0.0, 1.0]))
        tensor([-1.,  2.,  3.])
        """
        return self._binary(ops.CopySign, other, floating=True)

    @renamed(lambda self, end, weight: "LerpBackward1" if isinstance(weight, tensor_class()) else None)
    def lerp(self, end, weight):
        """self + weight * (end - self): the point ``weight`` of the way from self to end (a number or a
        tensor, broadcast). self and end must be floating point of the same dtype, as in PyTorch.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 10.0]).lerp(minitorch.tensor([1.0, 20.0]), 0.25)
        tensor([ 0.2500, 12.5000])
        """
        checks.tensor("lerp", "end", end)
        Tensor = tensor_class()
        if isinstance(weight, Tensor) and weight.ndim == 0 and end.dtype == self.dtype:
            # PyTorch promotes a 0-d weight with the ends (a 0-d float weight makes integer ends float)
            dtype = dtypes.common_dtype(self, end, weight)
            if dtype.is_floating_point:
                self, end, weight = self.to(dtype), end.to(dtype), weight.to(dtype)
        checks.floating("lerp", self)
        for name, other in (("end", end), ("weight", weight)):
            if isinstance(other, Tensor) and other.dtype != self.dtype:
                raise RuntimeError(f"lerp: {name} must have the input's dtype {self.dtype!r}, got {other.dtype!r}.")
        return ops.Lerp.apply(self, end, weight)

    def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
        """NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (by default 0 and the
        dtype's largest and lowest finite values); the gradient is 1 where x is finite, else 0.

        >>> import minitorch
        >>> minitorch.tensor([float('nan'), float('inf'), 1.0]).nan_to_num(posinf=9.0)
        tensor([0., 9., 1.])
        """
        if not self.is_floating_point():
            return self.clone()
        return ops.NanToNum.apply(self, nan, posinf, neginf)

    def addcmul(self, tensor1, tensor2, *value_first, value=1):
        """self + value * tensor1 * tensor2, elementwise, broadcast.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 1.0]).addcmul(minitorch.tensor([2.0, 3.0]), minitorch.tensor([4.0, 5.0]), value=0.5)
        tensor([5.0000, 8.5000])
        """
        tensor1, tensor2, value = _value_first("addcmul", tensor1, tensor2, value_first, value)
        return self._addcmul(tensor1, tensor2, value=value)

    @shown_as("AddcmulBackward0", inputs=3)
    def _addcmul(self, tensor1, tensor2, *, value=1):
        """``addcmul`` once its arguments are in PyTorch's current order."""
        x, tensor1, tensor2 = _promoted_triple("addcmul", self, tensor1, tensor2)
        return x + value * tensor1 * tensor2  # PyTorch's order: (value * tensor1) * tensor2

    def addcdiv(self, tensor1, tensor2, *value_first, value=1):
        """self + value * tensor1 / tensor2, elementwise, broadcast (integer tensor1 and tensor2 are refused,
        as PyTorch refuses their integer division here).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 1.0]).addcdiv(minitorch.tensor([2.0, 3.0]), minitorch.tensor([4.0, 5.0]), value=2)
        tensor([2.0000, 2.2000])
        """
        tensor1, tensor2, value = _value_first("addcdiv", tensor1, tensor2, value_first, value)
        return self._addcdiv(tensor1, tensor2, value=value)

    @shown_as("AddcdivBackward0", inputs=3)
    def _addcdiv(self, tensor1, tensor2, *, value=1):
        """``addcdiv`` once its arguments are in PyTorch's current order."""
        x, t1, t2 = _promoted_triple("addcdiv", self, tensor1, tensor2)
        if not (tensor1.is_floating_point() or tensor2.is_floating_point()):  # as given, before promotion
            raise DTypeError("addcdiv: tensor1 and tensor2 are both integer tensors; integer division is not "
                               "supported here (as in PyTorch). Use .float() on one of them first.")
        return x + value * t1 / t2  # PyTorch's order: (value * tensor1) / tensor2
