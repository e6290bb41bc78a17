"""``minitorch.utils.data.sampler``, as ``torch.utils.data.sampler`` (code in ``minitorch.data.sampler``)."""
from ...data.sampler import *  # noqa: F403  (re-exported: this module is an alias)
from ...data.sampler import __all__  # noqa: F401
