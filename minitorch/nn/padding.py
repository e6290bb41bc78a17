"""Padding layers: ``ZeroPad``, ``ConstantPad``, ``ReflectionPad``, ``ReplicationPad`` and
``CircularPad`` for 1, 2 and 3 spatial dims, each ``F.pad`` with its mode and amounts. Inputs are
(N, C, W) or (C, W) for the 1d layers, (N, C, H, W) or (C, H, W) for 2d, (N, C, D, H, W) or (C, D, H, W)
for 3d.

``padding`` is an int (the same on every side) or a tuple (left, right[, top, bottom[, front,
back]]): the last dim first, as ``F.pad`` takes it.
"""
from .. import checks
from . import functional as F
from .module import Module


class _PadNd(Module):
    """Pads the last ``dims`` dims of its input with ``mode``; a subclass sets ``dims`` and ``mode``."""

    dims = 1
    mode = "constant"

    def __init__(self, padding):
        super().__init__()
        name = type(self).__name__
        sides = (padding,) * (2 * self.dims) if not isinstance(padding, (tuple, list)) else tuple(padding)
        if len(sides) != 2 * self.dims:
            raise ValueError(f"{name}: padding must be an int or a tuple of {2 * self.dims} ints, got {padding!r}.")
        self.padding = tuple(checks.integer(name, "padding", side) for side in sides)

    def forward(self, input):
        return F.pad(input, self.padding, self.mode, getattr(self, "value", None))

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    """Pads with a constant ``value``."""

    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = checks.real(type(self).__name__, "value", value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_PadNd):
    """Pads with zeros."""

    def __init__(self, padding):
        super().__init__(padding)
        self.value = 0.0


class _ReflectionPadNd(_PadNd):
    """Pads by mirroring the input, the edge not repeated."""

    mode = "reflect"


class _ReplicationPadNd(_PadNd):
    """Pads by repeating the edge values."""

    mode = "replicate"


class _CircularPadNd(_PadNd):
    """Pads by wrapping around: the other end's values."""

    mode = "circular"


class ZeroPad1d(_ZeroPadNd):
    """Pads the last dim (W) with zeros: ``F.pad(x, padding)``."""

    dims = 1


class ZeroPad2d(_ZeroPadNd):
    """Pads the last 2 dims (H, W) with zeros: ``F.pad(x, padding)``."""

    dims = 2


class ZeroPad3d(_ZeroPadNd):
    """Pads the last 3 dims (D, H, W) with zeros: ``F.pad(x, padding)``."""

    dims = 3


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dim (W) with ``value``: ``F.pad(x, padding, value=value)``."""

    dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last 2 dims (H, W) with ``value``: ``F.pad(x, padding, value=value)``."""

    dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last 3 dims (D, H, W) with ``value``: ``F.pad(x, padding, value=value)``."""

    dims = 3


class ReflectionPad1d(_ReflectionPadNd):
    """Pads the last dim (W) by mirroring, edge excluded: ``F.pad(x, padding, mode="reflect")``."""

    dims = 1


class ReflectionPad2d(_ReflectionPadNd):
    """Pads the last 2 dims (H, W) by mirroring, edge excluded: ``F.pad(x, padding, mode="reflect")``."""

    dims = 2


class ReflectionPad3d(_ReflectionPadNd):
    """Pads the last 3 dims (D, H, W) by mirroring, edge excluded: ``F.pad(x, padding, mode="reflect")``."""

    dims = 3


class ReplicationPad1d(_ReplicationPadNd):
    """Pads the last dim (W) by repeating the edge: ``F.pad(x, padding, mode="replicate")``."""

    dims = 1


class ReplicationPad2d(_ReplicationPadNd):
    """Pads the last 2 dims (H, W) by repeating the edge: ``F.pad(x, padding, mode="replicate")``."""

    dims = 2


class ReplicationPad3d(_ReplicationPadNd):
    """Pads the last 3 dims (D, H, W) by repeating the edge: ``F.pad(x, padding, mode="replicate")``."""

    dims = 3


class CircularPad1d(_CircularPadNd):
    """Pads the last dim (W) by wrapping around: ``F.pad(x, padding, mode="circular")``."""

    dims = 1


class CircularPad2d(_CircularPadNd):
    """Pads the last 2 dims (H, W) by wrapping around: ``F.pad(x, padding, mode="circular")``."""

    dims = 2


class CircularPad3d(_CircularPadNd):
    """Pads the last 3 dims (D, H, W) by wrapping around: ``F.pad(x, padding, mode="circular")``."""

    dims = 3
