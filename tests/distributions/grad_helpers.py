"""Shared by the distributions' comparisons with PyTorch."""
import numpy as np


def backward_of_weighted_sum(lib, outputs):
    """Backward from one scalar: each output that requires grad, its non-finite entries zeroed (StudentT's
    mean is NaN and its variance inf for small df), times fixed random weights in [0.5, 1.5], summed; the
    same weights in either library, so the leaves' gradients can be compared."""
    rng = np.random.default_rng(0)
    sum((lib.where(t.isfinite(), t, 0.0) * lib.tensor(rng.uniform(0.5, 1.5, tuple(t.shape)))).sum()
        for t in outputs if t.requires_grad).backward()
