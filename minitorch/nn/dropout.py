"""``Dropout``: randomly zero activations while training, to regularise."""
from .. import checks
from . import functional as F
from .module import Module


class Dropout(Module):
    """In training mode, zero each element with probability ``p`` and scale the rest by 1/(1-p)
    (so the expected value is unchanged); in eval mode, return the input unchanged.

    ``inplace`` is accepted for compatibility with PyTorch code; minitorch always returns a new tensor.
    """

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        checks.real("Dropout", "p (a probability)", p, minimum=0, maximum=1)
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
