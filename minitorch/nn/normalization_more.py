"""More normalisation layers: ``GroupNorm``, ``InstanceNorm1d/2d/3d``, ``RMSNorm`` and
``LocalResponseNorm`` (the functions are in ``nn/functional/normalization_more.py``).

GroupNorm normalises each group of channels of each sample, InstanceNorm each channel of
each sample (optionally keeping running averages like BatchNorm), RMSNorm divides by the
root mean square over the last dims (no centring), and LocalResponseNorm divides by the
energy of the neighbouring channels (AlexNet's).
"""
import numbers

from .. import checks
from .. import dtypes
from ..creation import ones, zeros
from . import functional as F
from .module import Module
from .normalization import _BatchNorm, reset_affine
from .parameter import Parameter


def _affine(module, shape, affine, bias, dtype, device):
    """weight (ones) and bias (zeros) of ``shape`` when ``affine``; registered as None otherwise."""
    dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
    module.weight = Parameter(ones(*shape, dtype=dtype, device=device)) if affine else None
    module.bias = Parameter(zeros(*shape, dtype=dtype, device=device)) if affine and bias else None


class GroupNorm(Module):
    """Group normalisation of (N, C, *) inputs: see ``F.group_norm``.

    ``weight`` (init 1) and ``bias`` (init 0) have shape (num_channels,) when ``affine``.

    >>> import minitorch
    >>> minitorch.nn.GroupNorm(2, 4)
    GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)
    """

    def __init__(self, num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None, *, bias=True):
        super().__init__()
        self.num_groups = checks.integer("GroupNorm", "num_groups", num_groups, minimum=1)
        self.num_channels = checks.integer("GroupNorm", "num_channels", num_channels, minimum=1)
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups}).")
        self.eps, self.affine = eps, affine
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)
        _affine(self, (num_channels,), affine, bias, dtype, device)

    reset_parameters = reset_affine  # weight 1 and bias 0

    def forward(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, " \
               f"bias={self.bias is not None}"


class _InstanceNorm(_BatchNorm):
    """Shared by InstanceNorm1d/2d/3d: BatchNorm's parameters and buffers (off by default), per-sample
    statistics. A subclass sets ``ranks``: (batched, unbatched) input ranks."""

    def __init__(self, num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None,
                 dtype=None, *, bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    def forward(self, input):
        name = type(self).__name__
        if input.ndim not in self.ranks:
            raise ValueError(f"{name}: expected a {self.ranks[0]}-D or {self.ranks[1]}-D input, got shape "
                             f"{tuple(input.shape)}.")
        if input.ndim == self.ranks[1]:  # one unbatched sample
            return self.forward(input.unsqueeze(0)).squeeze(0)
        if input.shape[1] != self.num_features and self.affine:
            raise ValueError(f"{name}({self.num_features}) expects {self.num_features} channels in dim 1, got "
                             f"input of shape {tuple(input.shape)}.")
        use_input_stats = self.training or not self.track_running_stats
        momentum = 0.0 if self.momentum is None else self.momentum  # as PyTorch: None leaves the stats as they are
        return F.instance_norm(input, self.running_mean, self.running_var, self.weight, self.bias, use_input_stats,
                               momentum, self.eps)


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation of (N, C, L) or (C, L) inputs: each channel of each sample on its own.

    >>> import minitorch
    >>> minitorch.nn.InstanceNorm1d(3)
    InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=False)
    """

    ranks = (3, 2)


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation of (N, C, H, W) or (C, H, W) inputs: each channel of each sample on its own.

    >>> import minitorch
    >>> tuple(minitorch.nn.InstanceNorm2d(2, affine=True)(minitorch.randn(3, 2, 4, 4)).shape)
    (3, 2, 4, 4)
    """

    ranks = (4, 3)


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation of (N, C, D, H, W) or (C, D, H, W) inputs.

    >>> import minitorch
    >>> tuple(minitorch.nn.InstanceNorm3d(2)(minitorch.randn(2, 2, 2, 2)).shape)
    (2, 2, 2, 2)
    """

    ranks = (5, 4)


class RMSNorm(Module):
    """Root-mean-square normalisation over the last dims: see ``F.rms_norm``.

    ``weight`` (init 1) has shape ``normalized_shape`` when ``elementwise_affine``.

    >>> import minitorch
    >>> minitorch.nn.RMSNorm(3)
    RMSNorm((3,), eps=None, elementwise_affine=True)
    """

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None):
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, numbers.Integral) else tuple(normalized_shape)
        self.normalized_shape = checks.sizes("RMSNorm", shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        self.register_parameter("weight", None)
        dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape, dtype=dtype, device=device))

    reset_parameters = reset_affine  # weight 1

    def forward(self, x):
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class LocalResponseNorm(Module):
    """Normalisation across neighbouring channels: see ``F.local_response_norm``. No parameters.

    >>> import minitorch
    >>> minitorch.nn.LocalResponseNorm(2)
    LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)
    """

    def __init__(self, size, alpha=0.0001, beta=0.75, k=1.0):
        super().__init__()
        self.size = checks.integer("LocalResponseNorm", "size", size, minimum=1)
        self.alpha, self.beta, self.k = alpha, beta, k

    def forward(self, input):
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
