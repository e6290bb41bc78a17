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
3. The Tensor method, in its family's mixin (``minitorch/tensor_methods/``): check the arguments with ``minitorch.checks``
   (dims, integers, floating-point inputs; never inside ``forward``), then call
   ``ops.<Class>.apply``. Give it a docstring with an example: it is doctested.
4. One line in ``catalog.py``: the function form ``minitorch.<name>`` is made from it, and
   ``tests/test_catalog.py`` then checks the surfaces against PyTorch's signature and, for the
   families unary, binary, reduction and logical, tests the op for free: forward against the
   numpy reference, gradcheck in float64, PyTorch's values and gradients, the cuda device.
5. Import the class here (``__all__`` lists every ``Op`` imported). Backward runs on raw
   arrays, outside the graph: there are no higher-order gradients, by design.

The families:

    arithmetic  Add Sub Mul Div Pow Neg
    pointwise   Exp Log Sqrt Sin Abs Tanh Sigmoid ReLU GELU Clamp
    reduction   Sum Mean Max Min Var LogSumExp
    shape       Reshape Permute Expand
    indexing    GetItem Cat Stack Where MaskedFill
    linalg      MatMul Linear
    softmax     Softmax LogSoftmax
    conversion  Clone Cast ToDevice
    logical     Eq Ne Lt Le Gt Ge LogicalAnd LogicalOr LogicalNot IsNan IsFinite IsClose All Any
                ArgMax ArgMin (no gradient: differentiable = False)
    inplace     the arithmetic of in-place updates (add_, clamp_, ...): no graph node
    loss        BinaryCrossEntropy
    conv        Im2Col ToNCHW (conv2d: im2col, one matmul, back to NCHW images)
    pool        MaxPool2d AvgPool2d AdaptiveAvgPool2d
    normalization  BatchNorm LayerNorm
    embedding   Embedding
    padding     Pad
    attention   FusedAttention (the CUDA kernel; the CPU composite is in nn/attention.py)
    catalog     every op once: its classes, its surfaces, PyTorch's signature, its tests
"""
from .arithmetic import Add, Div, Mul, Neg, Pow, Sub
from .attention import FusedAttention
from .conv import Im2Col, ToNCHW
from .conversion import Cast, Clone, ToDevice
from .embedding import Embedding
from .indexing import Cat, GetItem, MaskedFill, Stack, Where
from .linalg import Linear, MatMul
from .logical import (
    All, Any, ArgMax, ArgMin, Eq, Ge, Gt, IsClose, IsFinite, IsNan, Le, LogicalAnd, LogicalNot, LogicalOr,
    Lt, Ne,
)
from .loss import BinaryCrossEntropy
from .normalization import BatchNorm, LayerNorm
from .padding import Pad
from .pointwise import GELU, Abs, Clamp, Exp, Log, ReLU, Sigmoid, Sin, Sqrt, Tanh
from .pool import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from .reduction import LogSumExp, Max, Mean, Min, Sum, Var
from .shape import Expand, Permute, Reshape
from .softmax import LogSoftmax, Softmax

from ..autograd.function import Op

__all__ = sorted(name for name, value in dict(globals()).items() if isinstance(value, type) and issubclass(value, Op)
                 and value is not Op)
