"""Lazy layers: ``LazyLinear``, ``LazyConv1d/2d/3d``, ``LazyConvTranspose1d/2d/3d``,
``LazyBatchNorm1d/2d/3d``, ``LazyInstanceNorm1d/2d/3d``, which learn their input size
(in_features, in_channels, num_features) from the first input they see.

Until then their parameters and buffers are empty; the first ``forward`` gives each its shape
in place (the same Parameter objects, so an optimiser built earlier still holds them), draws
the initial values as the plain layer would, and turns the module into that plain layer
(``type(layer)`` becomes ``Linear``, ``Conv2d``, ``BatchNorm2d``), as PyTorch does.
"""
from ..creation import empty
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .linear import Linear
from .normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d
from .normalization_more import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d


class _LazyModule:
    """The shared first call. A subclass names ``cls_to_become``, ``_input_size(input)`` (the size it
    learns) and ``_shapes(size)``: the full shape of each parameter or buffer that depends on it."""

    cls_to_become = None

    def _uninitialised(self):
        """Empty every parameter and buffer whose shape depends on the input size (size 0)."""
        for name, shape in self._shapes(0).items():
            tensor = getattr(self, name)
            if tensor is not None:
                tensor._array = empty(*shape, dtype=tensor.dtype, device=tensor.device)._array

    def has_uninitialized_params(self):
        """True until the first call has shaped the parameters."""
        return type(self) is not self.cls_to_become

    def forward(self, *args):
        size = self._input_size(args[0])
        self._learn(size)
        for name, shape in self._shapes(size).items():
            tensor = getattr(self, name)
            if tensor is not None:  # reshaped in place: optimisers and state keep the same object
                tensor._array = empty(*shape, dtype=tensor.dtype, device=tensor.device)._array
        self.__class__ = self.cls_to_become
        self.reset_parameters()
        return self.forward(*args)


class LazyLinear(_LazyModule, Linear):
    """``Linear`` whose ``in_features`` is the last dim of the first input (0 until then).

    >>> import minitorch
    >>> layer = minitorch.nn.LazyLinear(3)
    >>> y = layer(minitorch.ones(2, 5))
    >>> type(layer).__name__, tuple(layer.weight.shape)
    ('Linear', (3, 5))
    """

    cls_to_become = Linear

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        Linear.__init__(self, 0, out_features, bias, device, dtype)

    def _input_size(self, input):
        return input.shape[-1]

    def _learn(self, size):
        self.in_features = size

    def _shapes(self, size):
        return {"weight": (self.out_features, size)}

    def reset_parameters(self):
        if self.in_features:  # nothing to draw while the weight is empty
            Linear.reset_parameters(self)


class _LazyConv(_LazyModule):
    """A convolution whose ``in_channels`` is the channel dim of the first input (0 until then)."""

    def __init__(self, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", device=None, dtype=None):
        self.cls_to_become.__init__(self, groups, out_channels, kernel_size, stride, padding, dilation, groups,
                                    bias, padding_mode, device, dtype)
        self.in_channels = 0
        self._uninitialised()

    def reset_parameters(self):
        """Nothing to draw before the first input gives the channels (so building one leaves the random
        stream alone, as in PyTorch); the first call draws them, as the convolution it becomes."""

    def _input_size(self, input):
        if input.dim() not in (self.dims + 1, self.dims + 2):
            raise RuntimeError(
                f"Expected {self.dims + 1}D (unbatched) or {self.dims + 2}D (batched) input to {type(self).__name__}, "
                f"but got input of size: {input.shape}")
        return input.shape[-self.dims - 1]

    def _learn(self, size):
        if size % self.groups:
            raise ValueError(
                f"{type(self).__name__}: the input's {size} channels must be divisible by groups ({self.groups})."
            )
        self.in_channels = size

    def _shapes(self, size):
        return {"weight": (self.out_channels, size // self.groups, *self.kernel_size)}


class LazyConv1d(_LazyConv, Conv1d):
    """``Conv1d`` whose ``in_channels`` is the channel dim of the first input (0 until then)."""

    cls_to_become = Conv1d


class LazyConv2d(_LazyConv, Conv2d):
    """``Conv2d`` whose ``in_channels`` is the channel dim of the first input (0 until then).

    >>> import minitorch
    >>> layer = minitorch.nn.LazyConv2d(4, 3)
    >>> y = layer(minitorch.ones(1, 2, 5, 5))
    >>> type(layer).__name__, tuple(layer.weight.shape)
    ('Conv2d', (4, 2, 3, 3))
    """

    cls_to_become = Conv2d


class LazyConv3d(_LazyConv, Conv3d):
    """``Conv3d`` whose ``in_channels`` is the channel dim of the first input (0 until then).

    >>> import minitorch
    >>> layer = minitorch.nn.LazyConv3d(4, 3)
    >>> y = layer(minitorch.ones(1, 2, 3, 3, 3))
    >>> type(layer).__name__, tuple(layer.weight.shape)
    ('Conv3d', (4, 2, 3, 3, 3))
    """

    cls_to_become = Conv3d


class _LazyConvTranspose(_LazyConv):
    """A transposed convolution whose ``in_channels`` is the channel dim of the first input (0 until then);
    its weight is (in_channels, out_channels / groups, *kernel_size)."""

    def __init__(self, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True,
                 dilation=1, padding_mode="zeros", device=None, dtype=None):
        self.cls_to_become.__init__(self, groups, out_channels, kernel_size, stride, padding, output_padding, groups,
                                    bias, dilation, padding_mode, device, dtype)
        self.in_channels = 0
        self._uninitialised()

    def _shapes(self, size):
        return {"weight": (size, self.out_channels // self.groups, *self.kernel_size)}


class LazyConvTranspose1d(_LazyConvTranspose, ConvTranspose1d):
    """``ConvTranspose1d`` whose ``in_channels`` is the channel dim of the first input (0 until then)."""

    cls_to_become = ConvTranspose1d


class LazyConvTranspose2d(_LazyConvTranspose, ConvTranspose2d):
    """``ConvTranspose2d`` whose ``in_channels`` is the channel dim of the first input (0 until then).

    >>> import minitorch
    >>> layer = minitorch.nn.LazyConvTranspose2d(4, 3)
    >>> y = layer(minitorch.ones(1, 2, 5, 5))
    >>> type(layer).__name__, tuple(layer.weight.shape)
    ('ConvTranspose2d', (2, 4, 3, 3))
    """

    cls_to_become = ConvTranspose2d


class LazyConvTranspose3d(_LazyConvTranspose, ConvTranspose3d):
    """``ConvTranspose3d`` whose ``in_channels`` is the channel dim of the first input (0 until then)."""

    cls_to_become = ConvTranspose3d


class _LazyBatchNorm(_LazyModule):
    """A batch normalisation whose ``num_features`` is the channel dim of the first input (0 until then)."""

    def __init__(self, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None,
                 *, bias=True):
        self.cls_to_become.__init__(self, 1, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)
        self.num_features = 0
        self._uninitialised()

    def _input_size(self, input):
        return input.shape[1]

    def _learn(self, size):
        self.num_features = size

    def _shapes(self, size):
        return {name: (size,) for name in ("weight", "bias", "running_mean", "running_var")}


class LazyBatchNorm1d(_LazyBatchNorm, BatchNorm1d):
    """``BatchNorm1d`` whose ``num_features`` is the channel dim of the first input (0 until then)."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyBatchNorm, BatchNorm2d):
    """``BatchNorm2d`` whose ``num_features`` is the channel dim of the first input (0 until then).

    >>> import minitorch
    >>> layer = minitorch.nn.LazyBatchNorm2d()
    >>> y = layer(minitorch.randn(2, 3, 4, 4))
    >>> type(layer).__name__, tuple(layer.running_mean.shape)
    ('BatchNorm2d', (3,))
    """

    cls_to_become = BatchNorm2d


class LazyBatchNorm3d(_LazyBatchNorm, BatchNorm3d):
    """``BatchNorm3d`` whose ``num_features`` is the channel dim of the first input (0 until then)."""

    cls_to_become = BatchNorm3d


class _LazyInstanceNorm(_LazyBatchNorm):
    """An instance normalisation whose ``num_features`` is the channel dim of the first input,
    batched or not (0 until then). Its defaults are PyTorch's for the lazy form: affine and
    tracking running statistics."""

    def _input_size(self, input):
        return input.shape[1 if input.ndim == self.ranks[0] else 0]


class LazyInstanceNorm1d(_LazyInstanceNorm, InstanceNorm1d):
    """``InstanceNorm1d`` whose ``num_features`` is the channel dim of the first input (0 until then)."""

    cls_to_become = InstanceNorm1d


class LazyInstanceNorm2d(_LazyInstanceNorm, InstanceNorm2d):
    """``InstanceNorm2d`` whose ``num_features`` is the channel dim of the first input (0 until then).

    >>> import minitorch
    >>> layer = minitorch.nn.LazyInstanceNorm2d()
    >>> y = layer(minitorch.randn(3, 4, 4))
    >>> type(layer).__name__, tuple(layer.weight.shape)
    ('InstanceNorm2d', (3,))
    """

    cls_to_become = InstanceNorm2d


class LazyInstanceNorm3d(_LazyInstanceNorm, InstanceNorm3d):
    """``InstanceNorm3d`` whose ``num_features`` is the channel dim of the first input (0 until then)."""

    cls_to_become = InstanceNorm3d
