"""Errors that name the op, the shapes and what to do.

``ShapeError`` derives from both ``RuntimeError`` (what PyTorch raises for shape
problems) and ``ValueError`` (what Python code usually expects), so either
``except`` clause catches it.
"""


class ShapeError(RuntimeError, ValueError):
    """Shapes that do not fit an op, in forward or (after a hand-written backward) in backward."""


class InPlaceModificationError(RuntimeError):
    """A tensor that backward needs was changed in place after the op that saved it."""
