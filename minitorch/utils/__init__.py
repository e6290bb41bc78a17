"""PyTorch's spellings of minitorch modules: ``minitorch.utils.data`` holds ``minitorch.data``'s names;
``minitorch.utils.checkpoint`` is activation checkpointing (``checkpoint``, ``checkpoint_sequential``)."""
from . import checkpoint, data

__all__ = ["checkpoint", "data"]
