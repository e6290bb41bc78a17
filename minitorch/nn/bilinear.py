"""``Bilinear``: y = x1^T A x2 + b, one learned matrix A_o per output feature."""
import math

from .. import checks
from .. import dtypes
from ..creation import empty
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter


class Bilinear(Module):
    """y[..., o] = input1 @ weight[o] @ input2 + bias[o]: see ``F.bilinear``.

    ``weight`` (out_features, in1_features, in2_features) and ``bias`` (out_features,) are drawn
    from U(-1/sqrt(in1_features), 1/sqrt(in1_features)), as PyTorch's.

    >>> import minitorch
    >>> minitorch.nn.Bilinear(2, 3, 4)
    Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True)
    """

    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in1_features = checks.integer("Bilinear", "in1_features", in1_features, minimum=1)
        self.in2_features = checks.integer("Bilinear", "in2_features", in2_features, minimum=0)
        self.out_features = checks.integer("Bilinear", "out_features", out_features, minimum=0)
        dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
        self.weight = Parameter(empty(out_features, in1_features, in2_features, dtype=dtype, device=device))
        self.register_parameter("bias", None)
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dtype, device=device))
        self.reset_parameters()

    def reset_parameters(self):
        """Draw weight and bias from U(-1/sqrt(in1_features), 1/sqrt(in1_features))."""
        bound = 1 / math.sqrt(self.in1_features)
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1, input2):
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self):
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
