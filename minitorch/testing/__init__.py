"""Tools for testing ops and models: ``gradcheck`` plus hypothesis strategies and profiles.

- ``minitorch.testing.gradcheck(fn, inputs)``: the analytic gradient against finite differences.
- ``minitorch.testing.assert_close(actual, expected)``: PyTorch's closeness assertion and messages.
- ``minitorch.testing.strategies``: hypothesis strategies for shapes and tensors whose values
  stay away from kinks and ties (needs ``hypothesis``: ``pip install -e ".[dev]"``).
- ``minitorch.testing.profiles``: the ``dev``, ``ci`` and ``grading`` hypothesis profiles.

The last two import hypothesis, so they are imported on their own:
``from minitorch.testing import strategies``.
"""
from .comparison import assert_close
from .gradcheck import GradcheckError, autograd_gradcheck, gradcheck

__all__ = ["gradcheck", "autograd_gradcheck", "GradcheckError", "assert_close"]
