"""Resizing layers: ``Upsample`` (``F.interpolate`` as a layer), ``UpsamplingNearest2d`` and
``UpsamplingBilinear2d`` (its two classic settings). No parameters."""
from . import functional as F
from .module import Module


class Upsample(Module):
    """Resize (N, C, L) signals, (N, C, H, W) images or (N, C, D, H, W) volumes to ``size`` or by
    ``scale_factor`` (one of the two), with ``mode`` "nearest", "nearest-exact", "linear",
    "bilinear", "trilinear" or "area" (see ``F.interpolate``). A ``scale_factor`` is kept as a
    float (or a tuple of floats), as in PyTorch."""

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None):
        super().__init__()
        self.size = size
        if isinstance(scale_factor, (tuple, list)):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor is not None else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self):
        where = f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        return f"{where}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """``Upsample(size, scale_factor, mode="nearest")`` for (N, C, H, W) images."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """``Upsample(size, scale_factor, mode="bilinear", align_corners=True)`` for (N, C, H, W) images."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
