"""Pooling layers (no parameters): ``MaxPool1d``/``MaxPool2d``, ``AvgPool1d``/``AvgPool2d``,
``AdaptiveAvgPool1d``/``AdaptiveAvgPool2d``, ``AdaptiveMaxPool1d``/``AdaptiveMaxPool2d``.

Each 1-D layer is its 2-D sibling's code with the 1-D function of ``nn.functional``."""
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
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
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
