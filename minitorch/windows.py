"""Window functions for spectral analysis, as PyTorch's ``torch.*_window``: Hann, Hamming, Bartlett,
Blackman and Kaiser.

Each is the symmetric window of N points w[n], n = 0 .. N - 1, in the phase t = n / (N - 1); with
``periodic=True`` (the default, as PyTorch's, for use with an FFT) it is the symmetric window of
N + 1 points without its last one. A window of 1 point is [1.]. They are constants: computed in
float64 with numpy, then made a tensor of ``dtype`` (a floating-point one; default float32).
"""
import math

import numpy as np

from . import checks, dtypes
from .creation import _new
from .functions.bessel import bessel

__all__ = ["hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window"]


def _window(op, window_length, periodic, shape, dtype, device, requires_grad):
    """The window ``shape(t)`` (t = n / (N - 1), N the symmetric length) as a tensor."""
    length = checks.integer(op, "window_length", window_length)
    if length < 0:
        raise RuntimeError(f"{op} requires non-negative window_length, got window_length={length}.")
    dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
    if not dtype.is_floating_point:
        raise RuntimeError(f"{op} expects floating point dtypes, got {dtype!r}.")
    if length <= 1:
        values = np.ones(length)
    else:
        points = length + 1 if periodic else length
        values = shape(np.arange(points) / (points - 1))[:length]
    return _new(values.astype(dtype.np_dtype), requires_grad, device, op)


def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False):
    """The Hann window: w = 1/2 - 1/2 cos(2 pi t).

    >>> import minitorch
    >>> minitorch.hann_window(4)
    tensor([0.0000, 0.5000, 1.0000, 0.5000])
    """
    return hamming_window(window_length, periodic, 0.5, 0.5, dtype=dtype, device=device, requires_grad=requires_grad)


def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None, layout=None, device=None,
                   requires_grad=False):
    """The Hamming window: w = alpha - beta cos(2 pi t).

    >>> import minitorch
    >>> minitorch.hamming_window(3, periodic=False)
    tensor([0.0800, 1.0000, 0.0800])
    """
    return _window("hamming_window", window_length, periodic,
                   lambda t: alpha - beta * np.cos(2 * math.pi * t), dtype, device, requires_grad)


def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False):
    """The Bartlett (triangular) window: w = 1 - |2t - 1|.

    >>> import minitorch
    >>> minitorch.bartlett_window(4)
    tensor([0.0000, 0.5000, 1.0000, 0.5000])
    """
    return _window("bartlett_window", window_length, periodic, lambda t: 1 - np.abs(2 * t - 1), dtype, device,
                   requires_grad)


def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False):
    """The Blackman window: w = 0.42 - 0.5 cos(2 pi t) + 0.08 cos(4 pi t).

    >>> import minitorch
    >>> minitorch.blackman_window(3, periodic=False).abs()
    tensor([1.3878e-17, 1.0000e+00, 1.3878e-17])
    """
    return _window("blackman_window", window_length, periodic,
                   lambda t: 0.42 - 0.5 * np.cos(2 * math.pi * t) + 0.08 * np.cos(4 * math.pi * t), dtype, device,
                   requires_grad)


def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None, device=None,
                  requires_grad=False):
    """The Kaiser window: w = I0(beta sqrt(1 - (2t - 1)^2)) / I0(beta), I0 the modified Bessel function.

    >>> import minitorch
    >>> minitorch.kaiser_window(3, periodic=False, beta=1.0)
    tensor([0.7898, 1.0000, 0.7898])
    """
    beta = checks.real("kaiser_window", "beta", beta)

    def shape(t):
        return bessel(0, beta * np.sqrt(np.clip(1 - (2 * t - 1) ** 2, 0, None))) / bessel(0, np.array(beta))

    return _window("kaiser_window", window_length, periodic, shape, dtype, device, requires_grad)
