"""The ops, one ``Op`` class each, forward and backward written by hand on raw arrays.

Adding an op (the whole recipe):

1. Can it be written with ops that exist (``std`` is ``var().sqrt()``, ``softplus`` is
   ``log(1 + exp(x))``...)? Then it is a composition: a Tensor method or an
   ``nn.functional`` function with no backward of its own. Write a new ``Op`` only when
   numerics or memory demand it, and say which in its docstring (``loss.py``'s
   ``BinaryCrossEntropy`` does: log of a clamped probability, without the intermediate).
2. The ``Op`` class goes in its family's file below. Its docstring's first line is the
   math: ``y = ...;  dy/dx = ...``. ``forward(ctx, *arrays)`` saves what backward needs;
   ``backward(ctx, grad)`` returns one gradient per input (``unbroadcast`` it to the input's
   shape). An op no gradient flows through sets ``differentiable = False`` (``logical.py``).
3. The Tensor method, in its family's mixin (``minitorch/tensor_methods/``): check the
   arguments with ``minitorch.checks`` (dims, integers, floating-point inputs; never inside
   ``forward``), then call ``ops.<Class>.apply``. Give it a docstring with an example: it is
   doctested.
4. One line in its family's module of ``catalog/``: the function form ``minitorch.<name>`` is
   made from it, and ``tests/test_catalog.py`` then checks the surfaces against PyTorch's
   signature and tests the op for free: for the families unary, binary, reduction and logical
   forward against the numpy reference, gradcheck in float64, PyTorch's values and gradients
   and the cuda device; an op of family "other" lists ``Case`` calls (one expression run with
   minitorch and with torch) that get the same tests, on cupy-like arrays too.
5. Nothing to import: every ``Op`` defined in a family module of ``FAMILIES`` (below) is
   ``minitorch.functions.<Class>`` (``ops.<Class>`` in the mixins). A new family module joins
   ``FAMILIES``. Backward runs on raw arrays, outside the graph: there are no higher-order
   gradients, by design.

The families:

    arithmetic  Add Sub Mul Div Pow Neg
    pointwise   Exp Log Sqrt Rsqrt Reciprocal Sin Abs Tanh Sigmoid ReLU GELU Clamp NanToNum
                Maximum Minimum Fmax Fmin CopySign NextAfter Lerp
    trig        Cos Tan Asin Acos Atan Sinh Cosh Asinh Acosh Atanh Atan2 Hypot Sinc
    explog      Log2 Log10 Log1p Exp2 Expm1 Erf Erfc Erfinv LogAddExp LogAddExp2 XLogY
    gamma       Lgamma Polygamma Zeta (lgamma, digamma, polygamma, mvlgamma, zeta: written here, numpy has none)
    bessel      I0 I0e I1 I1e (the modified Bessel functions of orders 0 and 1)
    gaussian    Ndtr LogNdtr Ndtri Erfcx (the normal CDF, its log and inverse, accurate in the tails)
    entropy     Entr XLog1pY (-x ln x and x ln(1 + y), 0 where x is 0)
    rounding    Floor Ceil Trunc Round Sign Heaviside Fmod Remainder FloorDivide TruncDivide
    bitwise     BitwiseAnd BitwiseOr BitwiseXor BitwiseNot LeftShift RightShift Gcd Lcm (no gradient)
    reduction   Sum Mean Max Min Var LogSumExp Prod Norm
    scan        CumSum CumProd LogCumSumExp CumExtremeIndex (cumsum ... cummax)
    sort        TakeAlong TakeTied QuantilePosition (the gradients of sort, topk, median, quantile)
                SortIndex SelectIndex ModeIndex Unique BinCount Histc SearchSorted (no gradient)
    shape       Reshape Permute Expand Flip Roll Repeat
    strided     AsStrided (as_strided, as_strided_: a view of the storage with strides of one's choice), Diagonal
    indexing    GetItem IndexPut Cat Stack Where MaskedFill NonZero
    scatter     ScatterReduce (gather, scatter, scatter_add: GetItem and IndexPut)
    einsum      Einsum
    linalg      MatMul Linear
    matrix      Det Inverse
    decomposition  Cholesky QR SVD Eigh (minitorch.linalg; several outputs packed in one array)
    solve       Solve SlogDet PseudoInverse MatrixExp (minitorch.linalg)
    softmax     Softmax LogSoftmax
    conversion  Clone Cast ToDevice
    logical     Eq Ne Lt Le Gt Ge LogicalAnd LogicalOr LogicalXor LogicalNot IsNan IsFinite IsInf IsPosInf IsNegInf
                IsReal SignBit IsClose All Any
                ArgMax ArgMin (no gradient: differentiable = False)
    inplace     Copy (copy_, fill_ in the graph) WriteThroughView (an in-place op on a view, on its base);
                the arithmetic of in-place updates outside the graph (add_, clamp_, ...)
    loss        BinaryCrossEntropy
    ctc         CTCLoss (ctc_loss: the alpha and beta recursions of connectionist temporal classification)
    conv        Im2Col ToNCHW (conv2d: im2col, one matmul, back to NCHW images) Col2Im (its adjoint:
                fold, conv_transpose2d)
    pool        MaxPool2d AvgPool2d AdaptiveAvgPool2d AdaptiveMaxPool2d
    resample    Interpolate (nearest and linear resizing)
    normalization  BatchNorm LayerNorm
    embedding   Embedding
    activation  Softplus ELU (softplus, logsigmoid, mish; elu, selu, celu: stable for any input)
    padding     Pad
    attention   FusedAttention (the CUDA kernel; the CPU composite is in nn/attention.py)
    catalog     every op once: its classes, its surfaces, PyTorch's signature, its tests
"""
from . import (
    activation, arithmetic, attention, bessel, bitwise, conv, conversion, ctc, decomposition, einsum, embedding,
    entropy, explog, gamma, gaussian,
    indexing, inplace, linalg, logical, loss, matrix, normalization, padding, pointwise, pool, reduction,
    resample, rounding, scan, scatter, shape, softmax, solve, sort, strided, trig,
)
from ..autograd.function import Op

#: The family modules: every ``Op`` class defined in one of them is ``minitorch.functions.<Class>``.
FAMILIES = (
    activation, arithmetic, attention, bessel, bitwise, conv, conversion, ctc, decomposition, einsum, embedding,
    entropy, explog, gamma, gaussian,
    indexing, inplace, linalg, logical, loss, matrix, normalization, padding, pointwise, pool, reduction,
    resample, rounding, scan, scatter, shape, softmax, solve, sort, strided, trig,
)

_OPS = {
    name: value for family in FAMILIES for name, value in vars(family).items()
    if isinstance(value, type) and issubclass(value, Op) and value.__module__ == family.__name__
}
globals().update(_OPS)

__all__ = sorted(_OPS)
