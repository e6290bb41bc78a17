"""Helpers shared by the lab tests (shipped with them in the student edition; no answers here).

``fill`` and ``wave`` give a module's parameters and a test's inputs fixed, varied values, so that
a test can keep PyTorch's outputs for the same parameters and inputs as data.
"""
import numpy as np

import minitorch


def fill(module, offset=0.0):
    """Every parameter (sorted by name) set to 0.5 sin(0.7 i + k + offset): fixed, varied values."""
    with minitorch.no_grad():
        for k, (_, p) in enumerate(sorted(module.named_parameters())):
            values = 0.5 * np.sin(np.arange(p.numel()) * 0.7 + k + offset)
            p.copy_(minitorch.tensor(values.reshape(tuple(p.shape)), dtype=p.dtype))


def wave(shape, offset):
    """A float64 tensor of ``shape`` holding cos(0.9 i + offset) in C order: a fixed, varied input."""
    values = np.cos(np.arange(np.prod(shape)) * 0.9 + offset).reshape(shape)
    return minitorch.tensor(values, dtype=minitorch.float64)
