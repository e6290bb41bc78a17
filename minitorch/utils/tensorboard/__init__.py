"""``minitorch.utils.tensorboard``: PyTorch's ``torch.utils.tensorboard``, so that
``from torch.utils.tensorboard import SummaryWriter`` ports. The event files are written by hand
(TFRecord framing with CRC32C, protobuf encoding, PNG images): neither tensorboard nor protobuf is
needed to write them, only to view them (``pip install tensorboard``; ``tensorboard --logdir runs``).
"""
from .writer import SummaryWriter

__all__ = ["SummaryWriter"]
