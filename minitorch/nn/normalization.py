"""Normalisation layers: ``BatchNorm1d``, ``BatchNorm2d``, ``BatchNorm3d`` and ``LayerNorm``.

BatchNorm normalises each channel with the statistics of the current batch while
training, and keeps exponential running averages of them for evaluation:

    running_mean <- (1 - momentum) running_mean + momentum batch_mean
    running_var  <- (1 - momentum) running_var  + momentum batch_var_unbiased

(``momentum=None``: a plain cumulative average, momentum = 1 / num_batches_tracked).
In ``eval()`` mode it normalises with the running averages, so an example's output
no longer depends on the rest of its batch. LayerNorm normalises each example over
its last dims and behaves the same in both modes.
"""
import numbers

from .. import checks
from .. import dtypes
from ..creation import ones, tensor, zeros
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter



def reset_affine(module):
    """weight to 1 and bias to 0, where the module has them: a normalisation layer starts as the
    plain normalisation. (The ``reset_parameters`` of LayerNorm, GroupNorm, RMSNorm, ...)"""
    if module.weight is not None:
        init.ones_(module.weight)
    if getattr(module, "bias", None) is not None:
        init.zeros_(module.bias)

class _BatchNorm(Module):
    """Shared by BatchNorm1d, BatchNorm2d and BatchNorm3d, which differ only in the input ranks they accept."""

    ranks = ()

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None, *, bias=True):
        super().__init__()
        name = type(self).__name__
        checks.integer(name, "num_features", num_features, minimum=1)
        if momentum is not None:
            checks.real(name, "momentum (or None)", momentum, minimum=0, maximum=1)
        self.num_features = int(num_features)
        self.eps, self.momentum = checks.real(name, "eps", eps, minimum=0), momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
        if affine:
            self.weight = Parameter(ones(num_features, dtype=dtype, device=device))
            if bias:
                self.bias = Parameter(zeros(num_features, dtype=dtype, device=device))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, dtype=dtype, device=device))
            self.register_buffer("running_var", ones(num_features, dtype=dtype, device=device))
            self.register_buffer("num_batches_tracked", tensor(0, dtype=dtypes.int64, device=device))
        else:
            for buffer in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(buffer, None)

    def reset_running_stats(self):
        """Running mean 0, running variance 1, no batches seen."""
        if self.track_running_stats:
            init.zeros_(self.running_mean)
            init.ones_(self.running_var)
            init.zeros_(self.num_batches_tracked)

    def reset_parameters(self):
        """Reset the running statistics, and weight to 1 and bias to 0."""
        self.reset_running_stats()
        reset_affine(self)

    def forward(self, input):
        name = type(self).__name__
        if input.ndim not in self.ranks:
            expected = " or ".join(f"{r}-D" for r in self.ranks)
            raise ValueError(f"{name}: expected {expected} input, got shape {tuple(input.shape)}.")
        if input.shape[1] != self.num_features:
            raise RuntimeError(
                f"{name}({self.num_features}) expects {self.num_features} channels in dim 1, got input of "
                f"shape {tuple(input.shape)}. Set num_features to the number of channels."
            )
        ### BEGIN SOLUTION 4.10: count the batch, pick the momentum (None: a cumulative average) and the statistics F.batch_norm uses and updates
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # cumulative average over every batch so far (the count not read back)
                momentum = 1.0 / self.num_batches_tracked.double()
        # Batch statistics while training, and in eval mode when there are no running statistics.
        use_batch_stats = self.training or self.running_mean is None
        track = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if track else None, self.running_var if track else None,
                            self.weight, self.bias, use_batch_stats, momentum, self.eps)
        ### END SOLUTION

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) inputs, per channel C (see the module docstring).

    ``weight`` (gamma, init 1) and ``bias`` (beta, init 0) have shape (C,) when ``affine``;
    buffers ``running_mean``, ``running_var``, ``num_batches_tracked`` when ``track_running_stats``.
    """

    ranks = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) inputs, per channel C (see the module docstring).

    ``weight`` (gamma, init 1) and ``bias`` (beta, init 0) have shape (C,) when ``affine``;
    buffers ``running_mean``, ``running_var``, ``num_batches_tracked`` when ``track_running_stats``.
    """

    ranks = (4,)


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of (N, C, D, H, W) volumes, per channel C (see the module docstring).

    ``weight`` (gamma, init 1) and ``bias`` (beta, init 0) have shape (C,) when ``affine``;
    buffers ``running_mean``, ``running_var``, ``num_batches_tracked`` when ``track_running_stats``.

    >>> import minitorch
    >>> tuple(minitorch.nn.BatchNorm3d(2)(minitorch.randn(3, 2, 2, 2, 2)).shape)
    (3, 2, 2, 2, 2)
    """

    ranks = (5,)


class LayerNorm(Module):
    """Layer normalisation over the last dims (``normalized_shape``) of each example: see ``F.layer_norm``.

    ``weight`` (init 1) and ``bias`` (init 0) have shape ``normalized_shape`` when
    ``elementwise_affine`` (``bias=False`` drops the bias).
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, device=None,
                 dtype=None):
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, numbers.Number) else tuple(normalized_shape)
        self.normalized_shape = checks.sizes("LayerNorm", shape)
        if not self.normalized_shape or min(self.normalized_shape) < 1:
            raise ValueError(
                f"LayerNorm: normalized_shape must hold positive sizes, got {normalized_shape!r}."
            )
        self.eps, self.elementwise_affine = eps, elementwise_affine
        dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape, dtype=dtype, device=device))
            if bias:
                self.bias = Parameter(zeros(*self.normalized_shape, dtype=dtype, device=device))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    reset_parameters = reset_affine

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")
