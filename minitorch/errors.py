"""Errors that name the op, the shapes and what to do.

``ShapeError`` derives from both ``RuntimeError`` (what PyTorch raises for shape
problems) and ``ValueError`` (what Python code usually expects), so either
``except`` clause catches it.
"""


class ShapeError(RuntimeError, ValueError):
    """Shapes that do not fit an op, in forward or (after a hand-written backward) in backward."""


class InPlaceModificationError(RuntimeError):
    """A tensor that backward needs was changed in place after the op that saved it."""


class DeviceError(RuntimeError, ValueError):
    """A device name minitorch does not know ('tpu'): a RuntimeError, as PyTorch raises, and a
    ValueError, as minitorch raised before (so either ``except`` clause catches it)."""


class DTypeError(RuntimeError, TypeError):
    """A tensor of a dtype the op does not take (an int64 image into a float layer): a RuntimeError,
    as PyTorch raises for it, and a TypeError, as the wrong type it is (either ``except`` catches it)."""


class IndexBoundsError(IndexError, RuntimeError):
    """An index out of a dimension's range where PyTorch raises either class, depending on the
    kernel it picks (``index_select``: IndexError along some dims, RuntimeError along others)."""
