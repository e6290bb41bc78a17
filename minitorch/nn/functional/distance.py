"""Distances and vector helpers: normalize, cosine_similarity, pairwise_distance, pdist, one_hot.

Compositions of engine ops (norm, division, indexing), so their gradients come from those ops.
"""
import numpy as np

from ... import checks
from ...autograd.names import rename
from ...creation import arange
from ._checks import check_tensors, promoted


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """x / max(||x||_p, eps) along ``dim``: unit vectors (``out`` is accepted and must be None)."""
    if out is not None:
        raise ValueError("normalize: out= is not supported; use the returned tensor.")
    check_tensors("normalize", input=input)
    checks.dim("normalize", dim, input.ndim)
    return input / input.norm(p, dim=dim, keepdim=True).clamp(min=eps).expand_as(input)  # PyTorch's graph


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """cos(x1, x2) = sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps)) along ``dim`` (inputs broadcast)."""
    check_tensors("cosine_similarity", x1=x1, x2=x2)
    x1, x2 = promoted(x1, x2)
    checks.dim("cosine_similarity", dim, max(x1.ndim, x2.ndim))
    norm1 = x1.norm(2, dim=dim, keepdim=True).clamp(min=eps)
    norm2 = x2.norm(2, dim=dim, keepdim=True).clamp(min=eps)
    return ((x1 / norm1) * (x2 / norm2)).sum(dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p along the last dim (rows of (N, D) against rows; inputs broadcast)."""
    check_tensors("pairwise_distance", x1=x1, x2=x2)
    shifted = rename(x1 - x2 + eps, "AddBackward1")  # PyTorch's names for its nodes
    return rename(shifted.norm(p, dim=-1, keepdim=keepdim), "NormBackward1")


def pdist(input, p=2):
    """||x_i - x_j||_p for every pair of rows i < j of an (N, M) input, in row-major order: N (N - 1) / 2 values."""
    check_tensors("pdist", input=input)
    if input.ndim != 2:
        raise ValueError(f"pdist: input must be a 2-D (N, M) tensor, got shape {tuple(input.shape)}.")
    i, j = np.triu_indices(input.shape[0], 1)
    return (input[i] - input[j]).norm(p, dim=-1)


def one_hot(tensor, num_classes=-1):
    """Class indices (any shape) -> int64 vectors with a 1 at each index: shape (..., num_classes).

    ``num_classes=-1`` takes the largest index + 1.
    """
    check_tensors("one_hot", tensor=tensor)
    if tensor._array.dtype.kind not in "iu":
        raise RuntimeError(f"one_hot: tensor must hold class indices in an integer tensor, got {tensor.dtype!r}.")
    num_classes = checks.integer("one_hot", "num_classes", num_classes, minimum=-1, range_error=RuntimeError)
    values = tensor._array
    if values.size and values.min() < 0:
        raise ValueError(f"one_hot: class indices must be >= 0, got {values.min()}.")
    if num_classes == -1:
        num_classes = int(values.max()) + 1 if values.size else 0
    elif values.size and values.max() >= num_classes:
        raise RuntimeError(f"one_hot: class index {values.max()} is too large for num_classes={num_classes}.")
    return (tensor.unsqueeze(-1) == arange(num_classes, device=tensor.device)).long()
