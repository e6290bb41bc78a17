"""``minitorch.nn.parallel``: ``DistributedDataParallel`` (one replica per rank, gradients averaged over
ranks; see ``minitorch.distributed``) and ``DataParallel`` (single process: a pass-through)."""
from .data_parallel import DataParallel
from .distributed import DistributedDataParallel

__all__ = ["DataParallel", "DistributedDataParallel"]
