"""Gradient utilities: clipping by norm or by value, and flattening parameters into one vector.

``nn.utils.rnn`` (the submodule) pads and packs batches of sequences of different lengths.
"""
import math

import numpy as np

from ...autograd.grad_mode import no_grad
from ...namespace import cat
from ...tensor import Tensor
from . import rnn


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Rescale gradients in place so that their joint norm is at most ``max_norm``.

    The total norm treats all gradients as one long vector:
    ``total = (sum_i |g_i|^p)^(1/p)`` (the largest |g_i| for ``norm_type=inf``).
    If ``clip_coef = max_norm / (total + 1e-6)`` is below 1, every gradient is multiplied by it;
    the direction of the update is kept, only its length shrinks. Returns the total norm
    (before clipping) as a tensor. Used against exploding gradients, e.g. in RNNs and transformers.
    """
    grads = _grads(parameters)
    norm_type = float(norm_type)
    if not grads:
        return Tensor._make(np.asarray(0.0, np.float32), False, None)
    flat = [np.abs(g._array.ravel()).astype(np.float64) for g in grads]
    if norm_type == math.inf:
        total = max((float(f.max()) for f in flat if f.size), default=0.0)
    else:
        total = sum(float(np.sum(f**norm_type)) for f in flat) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is {total}, "
            f"so clipping cannot help. Look for a NaN/inf in the loss or a too-large learning rate; "
            f"pass error_if_nonfinite=False to clip anyway."
        )
    clip_coef = max_norm / (total + 1e-6)
    if clip_coef < 1:
        for g in grads:
            g.mul_(clip_coef)
    return Tensor._make(np.asarray(total, grads[0]._array.dtype), False, None)


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient element into ``[-clip_value, clip_value]``, in place."""
    clip_value = float(clip_value)
    for g in _grads(parameters):
        g.clamp_(-clip_value, clip_value)


def parameters_to_vector(parameters):
    """Concatenate the parameters, flattened, into one 1-D tensor (a copy)."""
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of the 1-D ``vec`` into the parameters, in place (the inverse of
    ``parameters_to_vector``)."""
    parameters = list(parameters)
    expected = sum(p.numel() for p in parameters)
    if vec.ndim != 1 or vec.shape[0] != expected:
        raise ValueError(
            f"vector_to_parameters: expected a 1-D vector of {expected} elements (the parameters' "
            f"total size), got shape {tuple(vec.shape)}."
        )
    offset = 0
    with no_grad():
        for p in parameters:
            p.copy_(vec[offset : offset + p.numel()].reshape(p.shape))
            offset += p.numel()
