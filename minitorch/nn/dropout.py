"""``Dropout``: randomly zero activations while training, to regularise; ``Dropout1d/2d/3d`` zero
whole channels, ``AlphaDropout`` and ``FeatureAlphaDropout`` keep SELU networks self-normalising."""
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


class _DropoutNd(Module):
    """A dropout layer that calls ``function(input, p, training)``; a subclass names the function."""

    function = None

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        self.p = checks.real(type(self).__name__, "p (a probability)", p, minimum=0, maximum=1)
        self.inplace = inplace

    def forward(self, input):
        return self.function(input, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    """Zero whole channels of (N, C, L) or (C, L) inputs while training: see ``F.dropout1d``.

    >>> import minitorch
    >>> minitorch.nn.Dropout1d(0.2)
    Dropout1d(p=0.2, inplace=False)
    """

    function = staticmethod(F.dropout1d)


class Dropout2d(_DropoutNd):
    """Zero whole channels of (N, C, H, W) inputs while training: see ``F.dropout2d``.

    >>> import minitorch
    >>> minitorch.nn.Dropout2d()
    Dropout2d(p=0.5, inplace=False)
    """

    function = staticmethod(F.dropout2d)


class Dropout3d(_DropoutNd):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) inputs while training: see ``F.dropout3d``.

    >>> import minitorch
    >>> minitorch.nn.Dropout3d()
    Dropout3d(p=0.5, inplace=False)
    """

    function = staticmethod(F.dropout3d)


class AlphaDropout(_DropoutNd):
    """Dropout for SELU networks (keeps mean 0 and variance 1) while training: see ``F.alpha_dropout``.

    >>> import minitorch
    >>> minitorch.nn.AlphaDropout()
    AlphaDropout(p=0.5, inplace=False)
    """

    function = staticmethod(F.alpha_dropout)


class FeatureAlphaDropout(_DropoutNd):
    """``AlphaDropout`` of whole channels of (N, C, *) inputs: see ``F.feature_alpha_dropout``.

    >>> import minitorch
    >>> minitorch.nn.FeatureAlphaDropout(0.1)
    FeatureAlphaDropout(p=0.1, inplace=False)
    """

    function = staticmethod(F.feature_alpha_dropout)
