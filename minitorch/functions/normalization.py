"""Batch and layer normalisation: standardise, then scale and shift.

Both compute, over a set of M values (the "normalised axes"),

    mu = mean(x),  var = mean((x - mu)^2)  (biased),  x_hat = (x - mu) / sqrt(var + eps)
    y  = gamma * x_hat + beta

BatchNorm normalises each channel over the batch and the spatial axes
(x of shape (N, C, *), axes 0, 2, 3, ...; gamma, beta of shape (C,)).
LayerNorm normalises each sample over its last dims (``normalized_shape``;
gamma, beta of that shape).

Backward, with g = dL/dy and g_hat = g * gamma (means over the same M values):

    dL/dx     = (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)) / sqrt(var + eps)
    dL/dgamma = sum of g * x_hat,    dL/dbeta = sum of g   (over the axes gamma is broadcast along)

The two subtracted terms are the paths through mu and var: every x moves the
mean and the variance, which move every output. When BatchNorm uses fixed
running statistics (evaluation), mu and var are constants and
dL/dx = g_hat / sqrt(running_var + eps).
"""
import numpy as np

from ..autograd.function import Op


def _affine_grads(ctx, grad, x_hat, axes):
    """dL/dgamma and dL/dbeta (each reduced over ``axes`` to gamma's shape), where needed."""
    ### BEGIN SOLUTION 4.9: return (dL/dgamma, dL/dbeta), each of shape ctx.param_shape, or None where not needed
    grad_weight = grad_bias = None
    if ctx.needs_input_grad[1]:
        grad_weight = (grad * x_hat).sum(axis=axes).reshape(ctx.param_shape)
    if ctx.needs_input_grad[2]:
        grad_bias = grad.sum(axis=axes).reshape(ctx.param_shape)
    return grad_weight, grad_bias
    ### END SOLUTION


def _normalize(x, axes, eps):
    """(x_hat, 1/sqrt(var + eps), mu, var) over ``axes`` (kept as size-1 axes)."""
    ### BEGIN SOLUTION 4.8: return (x_hat, 1/sqrt(var + eps), mu, var) over axes, the biased variance
    mu = x.mean(axis=axes, keepdims=True)
    centered = x - mu
    var = (centered * centered).mean(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    return centered * inv_std, inv_std, mu, var
    ### END SOLUTION


def _scale_shift(x_hat, weight, bias, shape):
    """gamma * x_hat + beta, with gamma and beta (None: 1 and 0) reshaped to ``shape``."""
    ### BEGIN SOLUTION 4.8: return gamma x_hat + beta (a None weight or bias is left out)
    y = x_hat if weight is None else x_hat * weight.reshape(shape)
    return y if bias is None else y + bias.reshape(shape)
    ### END SOLUTION


def _grad_input(grad, x_hat, inv_std, weight, shape, axes):
    """The closed-form dL/dx of the module docstring (train-mode statistics)."""
    ### BEGIN SOLUTION 4.9: return dL/dx through x_hat, mu and var (means over axes; weight None means 1)
    g_hat = grad if weight is None else grad * weight.reshape(shape)
    mean_g = g_hat.mean(axis=axes, keepdims=True)
    mean_gx = (g_hat * x_hat).mean(axis=axes, keepdims=True)
    return (g_hat - mean_g - x_hat * mean_gx) * inv_std
    ### END SOLUTION


class BatchNorm(Op):
    """Batch normalisation of x (N, C, *) per channel; see the module docstring.

    ``training=True``: normalise with the batch's statistics and, when the running arrays are
    given, update them in place: r <- (1 - momentum) r + momentum s, where s is the batch mean,
    or the *unbiased* batch variance (times M / (M - 1)) for the running variance.
    ``training=False``: normalise with the running statistics (constants).
    """

    @staticmethod
    def forward(ctx, x, weight, bias, running_mean, running_var, training, momentum, eps):
        ### BEGIN SOLUTION 4.8: normalise with the batch's statistics (updating the running ones in place) or the running ones; save what backward needs
        axes = (0, *range(2, x.ndim))
        shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)  # (C,) arrays broadcast along axis 1
        ctx.param_shape, ctx.axes, ctx.shape, ctx.training = (x.shape[1],), axes, shape, training
        if training:
            x_hat, inv_std, mu, var = _normalize(x, axes, eps)
            if running_mean is not None:
                m = x.size // x.shape[1]
                running_mean[...] = (1 - momentum) * running_mean + momentum * mu.reshape(-1)
                running_var[...] = (1 - momentum) * running_var + momentum * var.reshape(-1) * (m / (m - 1))
        else:
            inv_std = (1.0 / np.sqrt(running_var + eps)).astype(x.dtype).reshape(shape)
            x_hat = (x - running_mean.astype(x.dtype).reshape(shape)) * inv_std
        ctx.save_for_backward(weight)
        ctx.x_hat, ctx.inv_std = x_hat, inv_std
        return _scale_shift(x_hat, weight, bias, shape)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 4.9: return dL/dx (batch or running statistics), dL/dgamma, dL/dbeta, then 5 Nones
        (weight,) = ctx.saved_arrays
        grad_x = None
        if ctx.needs_input_grad[0]:
            if ctx.training:
                grad_x = _grad_input(grad, ctx.x_hat, ctx.inv_std, weight, ctx.shape, ctx.axes)
            else:
                g_hat = grad if weight is None else grad * weight.reshape(ctx.shape)
                grad_x = g_hat * ctx.inv_std
        return (grad_x, *_affine_grads(ctx, grad, ctx.x_hat, ctx.axes), None, None, None, None, None)
        ### END SOLUTION


class LayerNorm(Op):
    """Layer normalisation over the last ``ndim`` axes of x; see the module docstring."""

    @staticmethod
    def forward(ctx, x, weight, bias, ndim, eps):
        ### BEGIN SOLUTION 5.8: return gamma * x_hat + beta, x standardised over its last ndim axes (weight, bias may be None); save what backward needs
        axes = tuple(range(x.ndim - ndim, x.ndim))
        ctx.param_shape = ctx.shape = x.shape[x.ndim - ndim :]
        ctx.axes = axes
        ctx.x_hat, ctx.inv_std, _, _ = _normalize(x, axes, eps)
        ctx.save_for_backward(weight)
        return _scale_shift(ctx.x_hat, weight, bias, ctx.shape)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 5.8: return (dL/dx, dL/dgamma, dL/dbeta, None, None), each gradient only where ctx.needs_input_grad asks for it
        (weight,) = ctx.saved_arrays
        grad_x = None
        if ctx.needs_input_grad[0]:
            grad_x = _grad_input(grad, ctx.x_hat, ctx.inv_std, weight, ctx.shape, ctx.axes)
        leading = tuple(range(grad.ndim - len(ctx.axes)))  # gamma is broadcast along the leading axes
        return (grad_x, *_affine_grads(ctx, grad, ctx.x_hat, leading), None, None)
        ### END SOLUTION
