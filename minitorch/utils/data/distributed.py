"""``minitorch.utils.data.distributed``, as ``torch.utils.data.distributed``.

The code lives in ``minitorch.data.distributed``.
"""
from ...data.distributed import *  # noqa: F403  (re-exported: this module is an alias)
from ...data.distributed import __all__  # noqa: F401
