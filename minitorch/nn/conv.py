"""``Conv2d``: a learned 2-D convolution over NCHW images."""

from .. import checks
from .. import dtypes
from ..creation import empty
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class Conv2d(Module):
    """A 2-D convolution layer: ``y = conv2d(x, weight, bias, stride, padding, dilation, groups)``.

    - ``weight``: (out_channels, in_channels / groups, kH, kW); ``bias``: (out_channels,)
    - input (N, in_channels, H, W) or (in_channels, H, W) -> output (N, out_channels, H_out, W_out),
      H_out = (H + 2 padding - dilation (kH - 1) - 1) // stride + 1 (see ``F.conv2d``)
    - ``padding``: an int, a pair, "valid" or "same"; ``padding_mode``: what the border holds,
      "zeros" (default), "reflect", "replicate" or "circular" (see ``F.pad``)

    Initialisation (PyTorch's): ``weight`` by ``kaiming_uniform_(a=sqrt(5))``, which works out to
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = in_channels / groups * kH * kW, and ``bias``
    from the same range.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        op = "Conv2d"
        self.in_channels = checks.integer(op, "in_channels", in_channels, minimum=1)
        self.out_channels = checks.integer(op, "out_channels", out_channels, minimum=1)
        self.groups = checks.integer(op, "groups", groups, minimum=1)
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{op}: in_channels ({in_channels}) and out_channels ({out_channels}) must both be "
                f"divisible by groups ({groups})."
            )
        self.kernel_size = checks.pair(op, "kernel_size", kernel_size, 1)
        self.stride = checks.pair(op, "stride", stride, 1)
        self.dilation = checks.pair(op, "dilation", dilation, 1)
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ValueError(f"{op}: padding must be 'valid', 'same', an int or a pair, got {padding!r}.")
            if padding == "same" and self.stride != (1, 1):
                raise ValueError(f"{op}: padding='same' is not supported for strided convolutions.")
            self.padding = padding
        else:
            self.padding = checks.pair(op, "padding", padding, 0)
        self.padding_mode = checks.choice(op, "padding_mode", padding_mode, PADDING_MODES)
        dtype = dtypes.to_dtype(dtype) or dtypes.float32
        shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = Parameter(empty(*shape, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(empty(out_channels, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw fresh weights and bias (from the seeded generator; see ``manual_seed``)."""
        init.default_layer_init_(self.weight, self.bias)

    def _border(self):
        """F.pad's amounts (left, right, top, bottom) for a padding_mode other than zeros."""
        if self.padding == "valid":
            return (0, 0, 0, 0)
        if self.padding == "same":
            totals = [d * (k - 1) for k, d in zip(self.kernel_size, self.dilation)]
            return (totals[1] // 2, totals[1] - totals[1] // 2, totals[0] // 2, totals[0] - totals[0] // 2)
        return (self.padding[1], self.padding[1], self.padding[0], self.padding[0])

    def forward(self, input):
        padding = self.padding
        if self.padding_mode != "zeros":  # pad with copies of the border first, then convolve unpadded
            input, padding = F.pad(input, self._border(), mode=self.padding_mode), 0
        return F.conv2d(input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)

    def extra_repr(self):
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text
