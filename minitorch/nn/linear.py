"""``Linear`` (y = x W^T + b) and ``Identity`` (y = x)."""


from .. import checks
from .. import dtypes
from ..creation import empty
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter


class Identity(Module):
    """Returns its input unchanged (a placeholder, e.g. to remove a layer). Arguments are ignored."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Linear(Module):
    """A fully connected layer: ``y = x @ weight.T + bias``.

    - ``weight``: shape (out_features, in_features); ``bias``: shape (out_features,)
    - input (*, in_features) -> output (*, out_features)

    Initialisation (PyTorch's): ``weight`` by ``kaiming_uniform_(a=sqrt(5))``, which works out to
    U(-1/sqrt(in_features), 1/sqrt(in_features)), and ``bias`` from the same range.
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features = checks.size("Linear", "in_features", in_features)
        self.out_features = checks.size("Linear", "out_features", out_features)
        ### BEGIN SOLUTION 3.20: make the weight and (or no) bias Parameters of the given dtype and device, then initialise them
        dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
        self.weight = Parameter(empty(out_features, in_features, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()
        ### END SOLUTION

    def reset_parameters(self):
        """Draw fresh weights and bias (from the seeded generator; see ``manual_seed``)."""
        ### BEGIN SOLUTION 3.20: draw fresh weights and bias with PyTorch's default layer initialisation
        init.default_layer_init_(self.weight, self.bias)
        ### END SOLUTION

    def forward(self, input):
        ### BEGIN SOLUTION 3.20: the layer applied to input (one graph node)
        return F.linear(input, self.weight, self.bias)
        ### END SOLUTION

    def extra_repr(self):
        bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={bias}"
