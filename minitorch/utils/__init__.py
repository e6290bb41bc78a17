"""PyTorch's spellings of minitorch modules: ``minitorch.utils.data`` holds ``minitorch.data``'s names."""
from . import data

__all__ = ["data"]
