"""The Tensor's op surface, one mixin per family of ops, as ``minitorch/functions/`` groups the ops.

``minitorch.Tensor`` (``minitorch/tensor.py``) holds the tensor's state (array, dtype, device,
graph node, version counter) and inherits its methods from these classes:

    arithmetic  + - * / ** @, add, sub, mul, div, pow, neg, abs
    logical     == != < <= > >=, logical_*, isnan, isfinite, isinf, signbit, isclose, all, any
    pointwise   exp, log, sqrt, rsqrt, sin, tanh, sigmoid, relu, clamp, softmax, log_softmax, log2, erf,
                maximum, minimum, fmax, fmin, lerp, copysign, nan_to_num, addcmul, addcdiv...
    trig        cos, tan, asin..atanh (and arcsin..arctanh), atan2, hypot, sinc, deg2rad, rad2deg
    special     lgamma, digamma, polygamma, mvlgamma, i0 (the rest of torch.special: minitorch.special)
    numerics    cov, corrcoef, addr, diagflat, sum_to_size, dsplit, select/slice/diagonal_scatter, index_reduce, frexp,
                histogram
    rounding    floor, ceil, trunc, round, frac, sign, heaviside, fmod, % (remainder), // (floor_divide)
    bitwise     & | ^ ~ << >>, bitwise_and, bitwise_or, bitwise_xor, bitwise_not, bitwise_*_shift
    reduction   sum, mean, var, std, max, min, amax, amin, argmax, argmin, logsumexp, prod, norm, nansum...
    scan        cumsum, cumprod, logcumsumexp, cummax, cummin, diff
    sort        sort, argsort, topk, kthvalue, median, mode, quantile, unique, bincount, histc
    shape       reshape, view, flatten, squeeze, permute, transpose, expand, x[index], masked_fill,
                split, chunk, narrow, select, repeat, flip, roll, movedim, stride, new_zeros...
    indexing    gather, scatter, scatter_reduce, index_select, index_add, masked_select, nonzero, take, put
    linalg      mm, bmm, dot, outer, inner, addmm, kron, cross, tril, triu, diagonal, diag, trace
    inplace     add_, sub_, mul_, div_, copy_, fill_, zero_, clamp_, uniform_, normal_, x[index] = v,
                and <name>_ of the pointwise, trig, rounding and bitwise ops (%= //= &= |= ^= <<= >>=)
    random      bernoulli, multinomial, bernoulli_, random_, exponential_, geometric_, cauchy_, log_normal_
    autograd    register_hook, detach_, pin_memory, share_memory_, is_shared
    odds        resize, resize_as (deprecated), is_inference, new_empty_strided, bfloat16 (refused), apply_,
                map_, narrow_copy, nonzero_static, is_sparse and the other flags of what minitorch lacks

A method checks its arguments (``minitorch.checks``) and calls one op's ``Op.apply``; the
arithmetic itself lives in ``minitorch/functions/``. A new op's method goes into its family's
mixin here (see the recipe in ``minitorch/functions/__init__.py``).
"""
from .arithmetic import ArithmeticMethods
from .autograd import AutogradMethods
from .bitwise import BitwiseMethods
from .indexing import IndexingMethods
from .inplace import InPlaceMethods
from .linalg import LinalgMethods
from .logical import LogicalMethods
from .numerics import NumericsMethods
from .odds import OddsMethods
from .pointwise import PointwiseMethods
from .random import RandomMethods
from .reduction import MaxResult, MinResult, ReductionMethods
from .rounding import RoundingMethods
from .scan import ScanMethods
from .shape import ShapeMethods
from .sort import SortMethods
from .special import SpecialMethods
from .trig import TrigMethods

__all__ = [
    "ArithmeticMethods", "LogicalMethods", "PointwiseMethods", "ReductionMethods", "ShapeMethods",
    "InPlaceMethods", "MaxResult", "MinResult", "ScanMethods", "SortMethods",
    "IndexingMethods", "LinalgMethods", "TrigMethods", "RoundingMethods", "BitwiseMethods", "RandomMethods",
    "AutogradMethods", "SpecialMethods", "NumericsMethods", "OddsMethods",
]
