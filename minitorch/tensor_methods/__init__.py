"""The Tensor's op surface, one mixin per family of ops, as ``minitorch/functions/`` groups the ops.

``minitorch.Tensor`` (``minitorch/tensor.py``) holds the tensor's state (array, dtype, device,
graph node, version counter) and inherits its methods from these classes:

    arithmetic  + - * / ** @, add, sub, mul, div, pow, neg, abs
    logical     == != < <= > >= & | ~, logical_*, isnan, isfinite, isclose, all, any
    pointwise   exp, log, sqrt, sin, tanh, sigmoid, relu, clamp, softmax, log_softmax
    reduction   sum, mean, var, std, max, min, amax, amin, argmax, argmin, logsumexp
    shape       reshape, view, flatten, squeeze, permute, transpose, expand, x[index], masked_fill
    inplace     add_, sub_, mul_, div_, copy_, fill_, zero_, clamp_, uniform_, normal_, x[index] = v

A method checks its arguments (``minitorch.checks``) and calls one op's ``Op.apply``; the
arithmetic itself lives in ``minitorch/functions/``. A new op's method goes into its family's
mixin here (see the recipe in ``minitorch/functions/__init__.py``).
"""
from .arithmetic import ArithmeticMethods
from .inplace import InPlaceMethods
from .logical import LogicalMethods
from .pointwise import PointwiseMethods
from .reduction import MaxResult, MinResult, ReductionMethods
from .shape import ShapeMethods

__all__ = [
    "ArithmeticMethods", "LogicalMethods", "PointwiseMethods", "ReductionMethods", "ShapeMethods",
    "InPlaceMethods", "MaxResult", "MinResult",
]
