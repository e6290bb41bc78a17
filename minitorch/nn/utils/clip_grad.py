"""Gradient clipping: rescale gradients whose joint norm is too large, or clamp each element.

The total norm treats all gradients as one long vector:
``total = (sum_i |g_i|^p)^(1/p)`` (the largest |g_i| for ``norm_type=inf``). Clipping by norm
multiplies every gradient by ``min(1, max_norm / (total + 1e-6))``: the direction of the update
is kept, only its length shrinks. Used against exploding gradients (RNNs, transformers).
``norm_type=0`` counts nonzero values instead (PyTorch: the number of gradients with one).
``foreach`` (PyTorch's choice of a fused kernel) is accepted and changes nothing here.
"""
import math
import warnings

import numpy as np

from ... import checks
from ...device import array_module, move
from ...tensor import Tensor


def _tensors(tensors):
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _grads(parameters):
    return [p.grad for p in _tensors(parameters) if p.grad is not None]


def _norm(values, norm_type):
    """The norm of order ``norm_type`` of a 1-D float64 array of absolute values, as a 0-d array of
    its device (no host read); order 0 counts the nonzero values."""
    ### BEGIN SOLUTION 5.11: return the norm of order norm_type (inf: the largest; 0: the count of nonzero values) as a 0-d float64 array of values' module
    xp = array_module(values)
    if norm_type == math.inf:
        norm = values.max() if values.size else 0.0
    elif norm_type == 0:
        norm = xp.count_nonzero(values)
    else:
        norm = xp.sum(values**norm_type) ** (1.0 / norm_type)
    return xp.asarray(norm, np.float64)  # numpy gives scalars, cupy 0-d arrays
    ### END SOLUTION


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm of order ``norm_type`` of all ``tensors`` taken together, as a 0-d tensor on the
    first tensor's device (computed there in float64: no copy to the host)."""
    tensors = _tensors(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return Tensor._make(np.asarray(0.0, np.float32), False, None)
    ### BEGIN SOLUTION 5.11: return the joint norm (the norm of the per-tensor norms) as a 0-d tensor of the first tensor's device and dtype; a non-finite norm with error_if_nonfinite is a RuntimeError
    device = tensors[0].device
    xp = array_module(tensors[0]._array)
    norms = [move(_norm(abs(t._array.ravel()).astype(np.float64), norm_type), device) for t in tensors]
    total = _norm(xp.stack(norms), norm_type)  # the norm of the norms, as PyTorch
    if error_if_nonfinite and not math.isfinite(float(total)):  # a host read, as in PyTorch
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is {float(total)}, "
            f"so clipping cannot help. Look for a NaN/inf in the loss or a too-large learning rate; "
            f"pass error_if_nonfinite=False to clip anyway."
        )
    return Tensor._make(total.astype(tensors[0]._array.dtype), False, None, device)
    ### END SOLUTION


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Multiply every gradient by ``min(1, max_norm / (total_norm + 1e-6))``, in place.

    The factor is computed where ``total_norm`` lives and every gradient is multiplied by it
    (by 1 when no clipping is needed), so that nothing waits for the GPU to decide.
    """
    ### BEGIN SOLUTION 5.11: scale every gradient of parameters in place by the clipping factor, without reading total_norm on the host
    if not isinstance(total_norm, Tensor):
        total_norm = Tensor._make(np.asarray(float(total_norm), np.float64), False, None)
    clip_coef = (float(max_norm) / (total_norm.detach().double() + 1e-6)).clamp(max=1.0)
    for g in _grads(parameters):
        g.mul_(clip_coef.to(g.device, g.dtype))
    ### END SOLUTION


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Rescale gradients in place so that their joint norm is at most ``max_norm``; returns the
    total norm before clipping (see the module docstring)."""
    checks.real("clip_grad_norm_", "max_norm", max_norm, error=ValueError)  # PyTorch's float(max_norm)
    parameters = _tensors(parameters)
    total = get_total_norm(_grads(parameters), norm_type, error_if_nonfinite)
    clip_grads_with_norm_(parameters, max_norm, total)
    return total


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element into ``[-clip_value, clip_value]``, in place."""
    clip_value = float(clip_value)
    for g in _grads(parameters):
        g.clamp_(-clip_value, clip_value)


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Deprecated: ``clip_grad_norm_`` (same arguments), with PyTorch's FutureWarning."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of `torch.nn.utils.clip_grad_norm_`.",
                  FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)
