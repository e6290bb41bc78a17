"""``Embedding``: look up rows of a weight matrix by integer index.

    y[..., :] = W[index[...], :]        for W of shape (num_embeddings, embedding_dim)

Backward: row k of dL/dW is the sum of dL/dy over every position whose index is k
(an index that appears twice gets both gradients: the scatter must add, not assign). The
``padding_idx`` row gets no gradient, so it stays as it is (PyTorch zeroes it at
initialisation: a "no token" vector). With
``scale_grad_by_freq``, row k's sum is divided by the number of times k appears in the batch.
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module
from ._util import scatter_add


class Embedding(Op):
    """y = W[index];  dL/dW[k] = sum of dL/dy[p] over the positions p with index[p] = k (/ count(k))."""

    keeps = ("index",)

    @staticmethod
    def forward(ctx, index, weight, padding_idx, scale_grad_by_freq=False):
        ### BEGIN SOLUTION 5.10: return the rows of weight picked by index (shape index.shape + (embedding_dim,)); keep in ctx what backward needs
        ctx.index, ctx.weight_shape, ctx.padding_idx = index, weight.shape, padding_idx
        ctx.scale_grad_by_freq = scale_grad_by_freq
        return weight[index]
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 5.10: return (None, dL/dweight, None, None): repeated ids accumulate, scale_grad_by_freq divides by the counts, the padding_idx row gets 0
        grad_weight = np.zeros_like(grad, shape=ctx.weight_shape)
        index = ctx.index.reshape(-1)
        scatter_add(grad_weight, index, grad.reshape(-1, ctx.weight_shape[1]))
        if ctx.scale_grad_by_freq:
            counts = array_module(index).bincount(index, minlength=ctx.weight_shape[0])
            grad_weight /= np.maximum(counts, 1)[:, None]
        if ctx.padding_idx is not None:
            grad_weight[ctx.padding_idx] = 0
        return None, grad_weight, None, None
        ### END SOLUTION
