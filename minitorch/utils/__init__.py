"""``minitorch.utils.data`` is ``minitorch.data``, spelled as PyTorch spells it."""
from .. import data

__all__ = ["data"]
