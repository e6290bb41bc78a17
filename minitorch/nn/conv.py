"""Convolution layers: ``Conv1d``, ``Conv2d``, ``Conv3d``, ``ConvTranspose1d``, ``ConvTranspose2d``,
``ConvTranspose3d``; and
``Unfold``/``Fold``, the im2col and col2im steps they are made of, as layers."""

from .. import checks
from .. import dtypes
from ..creation import empty
from . import functional as F
from . import init
from .functional.conv import _sizes
from .module import Module
from .parameter import Parameter

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _ntuple(op, name, value, dims, minimum):
    """An int or a sequence of ``dims`` ints as a ``dims``-tuple (layers keep their sizes as tuples)."""
    return tuple(_sizes(op, name, value, dims, minimum, 0)[-dims:])


class _ConvNd(Module):
    """What the convolution layers share: argument checks, parameters, initialisation and repr.

    A subclass sets ``dims`` (1, 2 or 3) and ``transposed``. The weight is (out_channels,
    in_channels / groups, *kernel_size), or (in_channels, out_channels / groups, *kernel_size)
    for a transposed convolution; ``bias`` is (out_channels,). Initialisation (PyTorch's):
    ``weight`` by ``kaiming_uniform_(a=sqrt(5))``, which works out to U(-1/sqrt(fan_in),
    1/sqrt(fan_in)) with fan_in = weight.shape[1] * prod(kernel_size), and ``bias`` from the
    same range.
    """

    dims = 2
    transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                 padding_mode, device, dtype, output_padding=0):
        super().__init__()
        op, dims = type(self).__name__, self.dims
        self.in_channels = checks.integer(op, "in_channels", in_channels, minimum=1)
        self.out_channels = checks.integer(op, "out_channels", out_channels, minimum=1)
        self.groups = checks.integer(op, "groups", groups, minimum=1)
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{op}: in_channels ({in_channels}) and out_channels ({out_channels}) must both be "
                f"divisible by groups ({groups})."
            )
        self.kernel_size = _ntuple(op, "kernel_size", kernel_size, dims, 1)
        self.stride = _ntuple(op, "stride", stride, dims, 1)
        self.dilation = _ntuple(op, "dilation", dilation, dims, 1)
        self.output_padding = _ntuple(op, "output_padding", output_padding, dims, 0)
        if isinstance(padding, str) and not self.transposed:
            if padding not in ("valid", "same"):
                raise ValueError(f"{op}: padding must be 'valid', 'same', an int or a tuple, got {padding!r}.")
            if padding == "same" and self.stride != (1,) * dims:
                raise ValueError(f"{op}: padding='same' is not supported for strided convolutions.")
            self.padding = padding
        else:
            self.padding = _ntuple(op, "padding", padding, dims, 0)
        self.padding_mode = checks.choice(op, "padding_mode", padding_mode, PADDING_MODES)
        if self.transposed and padding_mode != "zeros":
            raise ValueError(f'{op}: only "zeros" padding mode is supported, got padding_mode={padding_mode!r}.')
        dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
        channels = (in_channels, out_channels // groups) if self.transposed else (out_channels, in_channels // groups)
        self.weight = Parameter(empty(*channels, *self.kernel_size, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(empty(out_channels, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw fresh weights and bias (from the seeded generator; see ``manual_seed``)."""
        init.default_layer_init_(self.weight, self.bias)

    def extra_repr(self):
        zeros, ones = (0,) * self.dims, (1,) * self.dims
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != zeros:
            text += f", padding={self.padding}"
        if self.dilation != ones:
            text += f", dilation={self.dilation}"
        if self.output_padding != zeros:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class _Conv(_ConvNd):
    """A convolution layer (``Conv1d``, ``Conv2d``, ``Conv3d``): its padding may copy the border (``padding_mode``)."""

    def _border(self):
        """F.pad's amounts ((left, right) for the last axis, then (top, bottom)) for a padding_mode
        other than zeros."""
        if self.padding == "valid":
            return (0, 0) * self.dims
        if self.padding == "same":
            totals = [d * (k - 1) for k, d in zip(self.kernel_size, self.dilation)]
        else:
            totals = [2 * p for p in self.padding]
        return tuple(side for t in reversed(totals) for side in (t // 2, t - t // 2))

    def forward(self, input):
        padding = self.padding
        if self.padding_mode != "zeros":  # pad with copies of the border first, then convolve unpadded
            input, padding = F.pad(input, self._border(), mode=self.padding_mode), 0
        conv = (F.conv1d, F.conv2d, F.conv3d)[self.dims - 1]
        return conv(input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class Conv1d(_Conv):
    """A 1-D convolution layer over (N, C, L) signals: ``y = conv1d(x, weight, bias, stride, padding, dilation, groups)``.

    - ``weight``: (out_channels, in_channels / groups, kL); ``bias``: (out_channels,)
    - input (N, in_channels, L) or (in_channels, L) -> output (N, out_channels, L_out),
      L_out = (L + 2 padding - dilation (kL - 1) - 1) // stride + 1 (see ``F.conv1d``)
    - ``padding``: an int, "valid" or "same"; ``padding_mode``: "zeros", "reflect", "replicate" or "circular"
    """

    dims = 1

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype)


class Conv2d(_Conv):
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
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype)


class Conv3d(_Conv):
    """A 3-D convolution layer over volumes (N, C, D, H, W): ``y = conv3d(x, weight, bias, stride, padding,
    dilation, groups)`` (see ``F.conv3d``).

    - ``weight``: (out_channels, in_channels / groups, kD, kH, kW); ``bias``: (out_channels,)
    - input (N, in_channels, D, H, W) or (in_channels, D, H, W) -> output (N, out_channels, D_out, H_out, W_out)
    - ``padding``: an int, a triple, "valid" or "same"; ``padding_mode``: "zeros", "reflect", "replicate" or "circular"

    >>> import minitorch
    >>> layer = minitorch.nn.Conv3d(2, 4, 3, padding=1)
    >>> tuple(layer(minitorch.ones(1, 2, 3, 5, 5)).shape)
    (1, 4, 3, 5, 5)
    """

    dims = 3

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype)


class _ConvTranspose(_ConvNd):
    """A transposed convolution layer (``ConvTranspose1d``, ``ConvTranspose2d``, ``ConvTranspose3d``)."""

    transposed = True

    def _output_padding(self, input, output_size):
        """The output_padding that gives ``output_size`` (the spatial sizes, optionally after N and C)."""
        op, dims = type(self).__name__, self.dims
        sizes = tuple(output_size)[-dims:] if len(output_size) in (dims, dims + 2) else None
        if sizes is None:
            raise ValueError(f"{op}: output_size must have {dims} or {dims + 2} elements, got {tuple(output_size)}.")
        spatial = tuple(input.shape[-dims:])
        smallest = [(n - 1) * s - 2 * p + d * (k - 1) + 1 for n, s, p, d, k in
                    zip(spatial, self.stride, self.padding, self.dilation, self.kernel_size)]
        largest = [low + s - 1 for low, s in zip(smallest, self.stride)]
        if any(not low <= size <= high for size, low, high in zip(sizes, smallest, largest)):
            raise ValueError(
                f"{op}: requested an output size of {sizes}, but valid sizes range from {tuple(smallest)} to "
                f"{tuple(largest)} (for an input of {spatial})."
            )
        return tuple(size - low for size, low in zip(sizes, smallest))

    def forward(self, input, output_size=None):
        output_padding = self.output_padding if output_size is None else self._output_padding(input, output_size)
        conv = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[self.dims - 1]
        return conv(input, self.weight, self.bias, self.stride, self.padding, output_padding, self.groups,
                    self.dilation)


class ConvTranspose1d(_ConvTranspose):
    """A 1-D transposed convolution layer ("deconvolution"), the adjoint of ``Conv1d`` (see ``F.conv_transpose1d``).

    - ``weight``: (in_channels, out_channels / groups, kL); ``bias``: (out_channels,)
    - input (N, in_channels, L) or (in_channels, L) -> output (N, out_channels, L_out),
      L_out = (L - 1) stride - 2 padding + dilation (kL - 1) + output_padding + 1
    - ``forward(input, output_size=None)``: ``output_size`` picks the output_padding that gives it
    """

    dims = 1

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype, output_padding)


class ConvTranspose2d(_ConvTranspose):
    """A 2-D transposed convolution layer ("deconvolution"), the adjoint of ``Conv2d``: it upsamples
    (stride 2 doubles H and W), as in decoders and GAN generators (see ``F.conv_transpose2d``).

    - ``weight``: (in_channels, out_channels / groups, kH, kW); ``bias``: (out_channels,)
    - input (N, in_channels, H, W) or (in_channels, H, W) -> output (N, out_channels, H_out, W_out),
      H_out = (H - 1) stride - 2 padding + dilation (kH - 1) + output_padding + 1
    - ``forward(input, output_size=None)``: ``output_size`` picks the output_padding that gives it
      (a strided Conv2d maps several input sizes onto one output size; this chooses among them)
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype, output_padding)


class ConvTranspose3d(_ConvTranspose):
    """A 3-D transposed convolution layer, the adjoint of ``Conv3d``: it upsamples volumes (see
    ``F.conv_transpose3d``).

    - ``weight``: (in_channels, out_channels / groups, kD, kH, kW); ``bias``: (out_channels,)
    - output (N, out_channels, D_out, H_out, W_out), D_out = (D - 1) stride - 2 padding + dilation (kD - 1)
      + output_padding + 1 (H, W alike)
    - ``forward(input, output_size=None)``: ``output_size`` picks the output_padding that gives it

    >>> import minitorch
    >>> layer = minitorch.nn.ConvTranspose3d(2, 4, 2, stride=2)
    >>> tuple(layer(minitorch.ones(1, 2, 3, 5, 5)).shape)
    (1, 4, 6, 10, 10)
    """

    dims = 3

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype, output_padding)


class Unfold(Module):
    """Every sliding window of (N, C, H, W) images as a column: (N, C*kH*kW, L) (see ``F.unfold``)."""

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, input):
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
                f"stride={self.stride}")


class Fold(Module):
    """Columns (N, C*kH*kW, L) added back into (N, C, *output_size) images, the adjoint of
    ``Unfold`` (see ``F.fold``)."""

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input):
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self):
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")
