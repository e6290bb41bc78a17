"""Pooling layers (no parameters): ``MaxPool1d/2d/3d``, ``AvgPool1d/2d/3d``, ``AdaptiveAvgPool1d/2d/3d``,
``AdaptiveMaxPool1d/2d/3d``, ``LPPool1d/2d/3d``, ``MaxUnpool1d/2d/3d`` and ``FractionalMaxPool2d/3d``.

Each 1-D and 3-D layer is its 2-D sibling's code with its own function of ``nn.functional``."""
from . import functional as F
from .functional.conv import _sizes
from .module import Module


class _MaxPoolNd(Module):
    """Max pooling; the subclass names the function (``F.max_pool1d`` or ``F.max_pool2d``)."""

    function = None

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input):
        return self.function(input, self.kernel_size, self.stride, self.padding, self.dilation,
                                   ceil_mode=self.ceil_mode, return_indices=self.return_indices)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """The maximum of each kernel_size window of (N, C, L) signals (see ``F.max_pool1d``);
    ``stride`` defaults to ``kernel_size``. With ``return_indices=True`` it returns (values, indices)."""

    function = staticmethod(F.max_pool1d)


class MaxPool2d(_MaxPoolNd):
    """The maximum of each kernel_size window (see ``F.max_pool2d``); ``stride`` defaults to
    ``kernel_size``. With ``return_indices=True`` it returns (values, indices)."""

    function = staticmethod(F.max_pool2d)


class AvgPool1d(Module):
    """The mean of each kernel_size window of (N, C, L) signals (see ``F.avg_pool1d``); ``stride``
    defaults to ``kernel_size``. Sizes are kept as 1-tuples, as PyTorch keeps them."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__()
        op = "AvgPool1d"
        self.kernel_size = (_sizes(op, "kernel_size", kernel_size, 1, 1, 1)[1],)
        self.stride = self.kernel_size if stride is None else (_sizes(op, "stride", stride, 1, 1, 1)[1],)
        self.padding = (_sizes(op, "padding", padding, 1, 0, 0)[1],)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(Module):
    """The mean of each kernel_size window (see ``F.avg_pool2d``); ``stride`` defaults to ``kernel_size``."""

    function = staticmethod(F.avg_pool2d)

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input):
        return self.function(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                             self.count_include_pad, self.divisor_override)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptivePool(Module):
    """Pooling to a fixed ``output_size``; the subclass names the function."""

    function = None

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        return self.function(input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePool):
    """Average pooling of (N, C, L) signals to ``output_size`` positions for any L (see ``F.adaptive_avg_pool1d``)."""

    function = staticmethod(F.adaptive_avg_pool1d)


class AdaptiveAvgPool2d(_AdaptivePool):
    """Average pooling to a fixed ``output_size`` (H_out, W_out) for any input size (see
    ``F.adaptive_avg_pool2d``); ``AdaptiveAvgPool2d(1)`` is global average pooling."""

    function = staticmethod(F.adaptive_avg_pool2d)


class _AdaptiveMaxPool(_AdaptivePool):
    """Adaptive max pooling; with ``return_indices=True`` it returns (values, indices)."""

    def __init__(self, output_size, return_indices=False):
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input):
        return self.function(input, self.output_size, self.return_indices)


class AdaptiveMaxPool1d(_AdaptiveMaxPool):
    """Max pooling of (N, C, L) signals to ``output_size`` positions for any L (see ``F.adaptive_max_pool1d``)."""

    function = staticmethod(F.adaptive_max_pool1d)


class AdaptiveMaxPool2d(_AdaptiveMaxPool):
    """Max pooling to a fixed ``output_size`` (H_out, W_out) for any input size (see
    ``F.adaptive_max_pool2d``); ``AdaptiveMaxPool2d(1)`` is global max pooling."""

    function = staticmethod(F.adaptive_max_pool2d)


class MaxPool3d(_MaxPoolNd):
    """The maximum of each kernel_size window of (N, C, D, H, W) volumes (see ``F.max_pool3d``);
    ``stride`` defaults to ``kernel_size``. With ``return_indices=True`` it returns (values, indices).

    >>> import minitorch
    >>> tuple(minitorch.nn.MaxPool3d(2)(minitorch.ones(1, 1, 4, 4, 4)).shape)
    (1, 1, 2, 2, 2)
    """

    function = staticmethod(F.max_pool3d)


class AvgPool3d(AvgPool2d):
    """The mean of each kernel_size window of (N, C, D, H, W) volumes (see ``F.avg_pool3d``);
    ``stride`` defaults to ``kernel_size``.

    >>> import minitorch
    >>> minitorch.nn.AvgPool3d(2)(minitorch.ones(1, 1, 2, 2, 2)).flatten().tolist()
    [1.0]
    """

    function = staticmethod(F.avg_pool3d)


class AdaptiveAvgPool3d(_AdaptivePool):
    """Average pooling of (N, C, D, H, W) volumes to a fixed ``output_size`` (D_out, H_out, W_out)
    for any input size (see ``F.adaptive_avg_pool3d``)."""

    function = staticmethod(F.adaptive_avg_pool3d)


class AdaptiveMaxPool3d(_AdaptiveMaxPool):
    """Max pooling of (N, C, D, H, W) volumes to a fixed ``output_size`` (D_out, H_out, W_out) for
    any input size (see ``F.adaptive_max_pool3d``)."""

    function = staticmethod(F.adaptive_max_pool3d)


class _LPPool(Module):
    """Power-average pooling; the subclass names the function (``F.lp_pool1d``, ...)."""

    function = None

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type, self.kernel_size, self.stride, self.ceil_mode = norm_type, kernel_size, stride, ceil_mode

    def forward(self, input):
        return self.function(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)

    def extra_repr(self):
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPool):
    """(sum over each window of x^p)^(1/p) of (N, C, L) signals, p = ``norm_type`` (see ``F.lp_pool1d``).

    >>> import minitorch
    >>> minitorch.nn.LPPool1d(2, 2)(minitorch.tensor([[[3.0, 4.0]]])).flatten().tolist()
    [5.0]
    """

    function = staticmethod(F.lp_pool1d)


class LPPool2d(_LPPool):
    """(sum over each window of x^p)^(1/p) of (N, C, H, W) images (see ``F.lp_pool2d``)."""

    function = staticmethod(F.lp_pool2d)


class LPPool3d(_LPPool):
    """(sum over each window of x^p)^(1/p) of (N, C, D, H, W) volumes (see ``F.lp_pool3d``)."""

    function = staticmethod(F.lp_pool3d)


class _MaxUnpool(Module):
    """Max unpooling; the subclass names ``dims`` and the function. Sizes are kept as tuples, as PyTorch keeps them."""

    dims, function = 1, None

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        op, dims = type(self).__name__, self.dims
        self.kernel_size = tuple(_sizes(op, "kernel_size", kernel_size, dims, 1, 1)[-dims:])
        self.stride = self.kernel_size if stride is None else tuple(_sizes(op, "stride", stride, dims, 1, 1)[-dims:])
        self.padding = tuple(_sizes(op, "padding", padding, dims, 0, 0)[-dims:])

    def forward(self, input, indices, output_size=None):
        return self.function(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpool):
    """The inverse of ``MaxPool1d(return_indices=True)``: ``forward(input, indices, output_size=None)``
    puts each value back at its index, zeros elsewhere (see ``F.max_unpool1d``).

    >>> import minitorch
    >>> y, i = minitorch.nn.MaxPool1d(2, return_indices=True)(minitorch.tensor([[[1.0, 3.0, 2.0, 0.0]]]))
    >>> minitorch.nn.MaxUnpool1d(2)(y, i).flatten().tolist()
    [0.0, 3.0, 2.0, 0.0]
    """

    dims, function = 1, staticmethod(F.max_unpool1d)


class MaxUnpool2d(_MaxUnpool):
    """The inverse of ``MaxPool2d(return_indices=True)`` (see ``F.max_unpool2d``)."""

    dims, function = 2, staticmethod(F.max_unpool2d)


class MaxUnpool3d(_MaxUnpool):
    """The inverse of ``MaxPool3d(return_indices=True)`` (see ``F.max_unpool3d``)."""

    dims, function = 3, staticmethod(F.max_unpool3d)


class _FractionalMaxPool(Module):
    """Fractional max pooling; the subclass names ``dims`` and the function."""

    dims, function = 2, None

    def __init__(self, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None):
        super().__init__()
        op = type(self).__name__
        if output_size is None and output_ratio is None:
            raise ValueError(f"{op} requires specifying either an output size, or a pooling ratio.")
        if output_size is not None and output_ratio is not None:
            raise ValueError(f"{op}: only one of output_size and output_ratio may be specified.")
        if output_ratio is not None:
            ratios = output_ratio if isinstance(output_ratio, (tuple, list)) else (output_ratio,) * self.dims
            for r in ratios:
                if not 0 < r < 1:
                    raise ValueError(f"{op}: output_ratio must be between 0 and 1 (got {output_ratio!r}).")
        self.kernel_size, self.output_size, self.output_ratio = kernel_size, output_size, output_ratio
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)

    def forward(self, input):
        return self.function(input, self.kernel_size, self.output_size, self.output_ratio, self.return_indices,
                             _random_samples=self._random_samples)


class FractionalMaxPool2d(_FractionalMaxPool):
    """Max pooling of (N, C, H, W) images with random, non-integer strides, to ``output_size`` or
    ``output_ratio`` times the input (see ``F.fractional_max_pool2d``); fresh windows each call
    unless ``_random_samples`` (N, C, 2) fixes them.

    >>> import minitorch
    >>> tuple(minitorch.nn.FractionalMaxPool2d(2, output_ratio=0.5)(minitorch.ones(1, 1, 6, 8)).shape)
    (1, 1, 3, 4)
    """

    dims, function = 2, staticmethod(F.fractional_max_pool2d)


class FractionalMaxPool3d(_FractionalMaxPool):
    """Fractional max pooling of (N, C, D, H, W) volumes (see ``FractionalMaxPool2d``);
    ``_random_samples`` is (N, C, 3)."""

    dims, function = 3, staticmethod(F.fractional_max_pool3d)
