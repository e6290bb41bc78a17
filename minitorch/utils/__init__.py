"""PyTorch's spellings of minitorch modules: ``minitorch.utils.data`` is ``minitorch.data``."""
from . import data

__all__ = ["data"]
