"""The differentiable ops, one ``Function`` class each, forward and backward by hand.

    arithmetic  Add Sub Mul Div Pow Neg
    pointwise   Exp Log Sqrt Abs Tanh Sigmoid ReLU GELU Clamp
    reduction   Sum Mean Max Min Var LogSumExp
    shape       Reshape Permute Expand
    indexing    GetItem Cat Stack Where MaskedFill
    linalg      MatMul Linear
    softmax     Softmax LogSoftmax
    conversion  Clone Cast ToDevice
    loss        BinaryCrossEntropy
    conv        Im2Col ToNCHW (conv2d: im2col, one matmul, back to NCHW images)
    pool        MaxPool2d AvgPool2d AdaptiveAvgPool2d
    normalization  BatchNorm LayerNorm
    embedding   Embedding
    padding     Pad
    attention   FusedAttention (the CUDA kernel; the CPU composite is in nn/attention.py)
"""
from .arithmetic import Add, Div, Mul, Neg, Pow, Sub
from .attention import FusedAttention
from .conv import Im2Col, ToNCHW
from .conversion import Cast, Clone, ToDevice
from .embedding import Embedding
from .indexing import Cat, GetItem, MaskedFill, Stack, Where
from .linalg import Linear, MatMul
from .loss import BinaryCrossEntropy
from .normalization import BatchNorm, LayerNorm
from .padding import Pad
from .pointwise import GELU, Abs, Clamp, Exp, Log, ReLU, Sigmoid, Sqrt, Tanh
from .pool import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from .reduction import LogSumExp, Max, Mean, Min, Sum, Var
from .shape import Expand, Permute, Reshape
from .softmax import LogSoftmax, Softmax

__all__ = [
    "Add", "Sub", "Mul", "Div", "Pow", "Neg",
    "Exp", "Log", "Sqrt", "Abs", "Tanh", "Sigmoid", "ReLU", "GELU", "Clamp",
    "FusedAttention",
    "Sum", "Mean", "Max", "Min", "Var", "LogSumExp",
    "Reshape", "Permute", "Expand",
    "GetItem", "Cat", "Stack", "Where", "MaskedFill",
    "MatMul", "Linear", "Softmax", "LogSoftmax", "Clone", "Cast", "ToDevice", "BinaryCrossEntropy",
    "Im2Col", "ToNCHW", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "BatchNorm", "LayerNorm", "Embedding", "Pad",
]
