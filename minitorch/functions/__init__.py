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
"""
from .arithmetic import Add, Div, Mul, Neg, Pow, Sub
from .conversion import Cast, Clone, ToDevice
from .indexing import Cat, GetItem, MaskedFill, Stack, Where
from .linalg import Linear, MatMul
from .loss import BinaryCrossEntropy
from .pointwise import GELU, Abs, Clamp, Exp, Log, ReLU, Sigmoid, Sqrt, Tanh
from .reduction import LogSumExp, Max, Mean, Min, Sum, Var
from .shape import Expand, Permute, Reshape
from .softmax import LogSoftmax, Softmax

__all__ = [
    "Add", "Sub", "Mul", "Div", "Pow", "Neg",
    "Exp", "Log", "Sqrt", "Abs", "Tanh", "Sigmoid", "ReLU", "GELU", "Clamp",
    "Sum", "Mean", "Max", "Min", "Var", "LogSumExp",
    "Reshape", "Permute", "Expand",
    "GetItem", "Cat", "Stack", "Where", "MaskedFill",
    "MatMul", "Linear", "Softmax", "LogSoftmax", "Clone", "Cast", "ToDevice", "BinaryCrossEntropy",
]
