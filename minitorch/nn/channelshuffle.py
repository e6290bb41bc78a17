"""``ChannelShuffle`` (ShuffleNet), ``F.channel_shuffle`` as a layer. No parameters."""
from .. import checks
from . import functional as F
from .module import Module


class ChannelShuffle(Module):
    """Interleave the channels of (N, C, *) inputs across ``groups`` groups (see ``F.channel_shuffle``).

    >>> import minitorch
    >>> minitorch.nn.ChannelShuffle(3)(minitorch.arange(6.0).reshape(1, 6, 1)).flatten().tolist()
    [0.0, 2.0, 4.0, 1.0, 3.0, 5.0]
    """

    def __init__(self, groups):
        super().__init__()
        self.groups = checks.integer("ChannelShuffle", "groups", groups, minimum=1)

    def forward(self, input):
        return F.channel_shuffle(input, self.groups)

    def extra_repr(self):
        return f"groups={self.groups}"
