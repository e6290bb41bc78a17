"""``minitorch.utils.data``: ``minitorch.data`` as PyTorch spells it (``torch.utils.data``).

Every name is the same object as in ``minitorch.data`` (where the code lives); the submodules
``dataloader``, ``dataset``, ``sampler`` and ``distributed`` hold the names that PyTorch's
submodules of the same names hold, so ``from torch.utils.data.sampler import ...`` ports too.
"""
from ...data import *  # noqa: F403  (re-exported: this module is an alias)
from ...data import __all__ as _data_names
from . import dataloader, dataset, distributed, sampler

__all__ = [*_data_names, "dataloader", "dataset", "distributed", "sampler"]
