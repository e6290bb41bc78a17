"""Padding layers: ``ZeroPad``, ``ConstantPad``, ``ReflectionPad``, ``ReplicationPad`` and
``CircularPad`` for 1, 2 and 3 spatial dims, each ``F.pad`` with its mode and amounts.

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


def _layer(name, base, dims, mode, summary):
    """One padding layer class: ``base`` with ``dims`` and ``mode`` set, and its docstring."""
    shape = {1: "(N, C, W) or (C, W)", 2: "(N, C, H, W) or (C, H, W)", 3: "(N, C, D, H, W) or (C, D, H, W)"}[dims]
    doc = f"{summary} the last {dims} dim(s) of {shape} inputs: ``F.pad(x, padding, mode={mode!r})``."
    return type(name, (base,), {"__doc__": doc, "dims": dims, "mode": mode, "__module__": __name__})


ZeroPad1d = _layer("ZeroPad1d", _ZeroPadNd, 1, "constant", "Pads with zeros")
ZeroPad2d = _layer("ZeroPad2d", _ZeroPadNd, 2, "constant", "Pads with zeros")
ZeroPad3d = _layer("ZeroPad3d", _ZeroPadNd, 3, "constant", "Pads with zeros")
ConstantPad1d = _layer("ConstantPad1d", _ConstantPadNd, 1, "constant", "Pads with a constant value")
ConstantPad2d = _layer("ConstantPad2d", _ConstantPadNd, 2, "constant", "Pads with a constant value")
ConstantPad3d = _layer("ConstantPad3d", _ConstantPadNd, 3, "constant", "Pads with a constant value")
ReflectionPad1d = _layer("ReflectionPad1d", _PadNd, 1, "reflect", "Mirrors (without the edge)")
ReflectionPad2d = _layer("ReflectionPad2d", _PadNd, 2, "reflect", "Mirrors (without the edge)")
ReflectionPad3d = _layer("ReflectionPad3d", _PadNd, 3, "reflect", "Mirrors (without the edge)")
ReplicationPad1d = _layer("ReplicationPad1d", _PadNd, 1, "replicate", "Repeats the edge of")
ReplicationPad2d = _layer("ReplicationPad2d", _PadNd, 2, "replicate", "Repeats the edge of")
ReplicationPad3d = _layer("ReplicationPad3d", _PadNd, 3, "replicate", "Repeats the edge of")
CircularPad1d = _layer("CircularPad1d", _PadNd, 1, "circular", "Wraps around")
CircularPad2d = _layer("CircularPad2d", _PadNd, 2, "circular", "Wraps around")
CircularPad3d = _layer("CircularPad3d", _PadNd, 3, "circular", "Wraps around")
