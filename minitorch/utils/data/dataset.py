"""``minitorch.utils.data.dataset``, as ``torch.utils.data.dataset`` (code in ``minitorch.data.dataset``)."""
from ...data.dataset import *  # noqa: F403  (re-exported: this module is an alias)
from ...data.dataset import __all__  # noqa: F401
