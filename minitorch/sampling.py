"""Sampling from distributions given by tensors: ``bernoulli``, ``multinomial``, ``normal``, ``poisson``.

Every sample is drawn on the CPU from the seeded generator (``minitorch.manual_seed``, or the
``generator=`` given), then moved to the input's device, so a seed gives the same numbers on
every device. Samples carry no gradient, as in PyTorch.
"""
import numbers

import numpy as np

from . import device_checks, dtypes
from .creation import _new, _out, _shape
from .device import is_gpu_array, move
from .random import rng
from .tensor import Tensor


def _host(t):
    """A tensor's values as a numpy array on the CPU."""
    return move(t._array, "cpu") if t._device != "cpu" else t._array


def _check_probabilities(op, p):
    """Refuse probabilities outside [0, 1] (NaN too); on a GPU array deferred (``device_checks``)."""
    bad = ~((p >= 0) & (p <= 1))
    device_checks.fail_if(bad, RuntimeError, lambda: (
        f"{op}: expected every probability p to satisfy 0 <= p <= 1, got {p[bad].flat[0]}."))


def _check_floating(op, t):
    if not t.is_floating_point():
        raise RuntimeError(f"{op}: expected a floating-point input, got dtype {t.dtype}; convert it with .float().")


def bernoulli(input, p=None, *, generator=None, out=None):
    """``out_i ~ Bernoulli(input_i)``: 1 with probability ``input_i`` (or ``p`` for every element
    when given), else 0, in ``input``'s dtype, shape and device.

    >>> import minitorch
    >>> minitorch.bernoulli(minitorch.tensor([0.0, 1.0, 1.0])).tolist()
    [0.0, 1.0, 1.0]
    """
    _check_floating("bernoulli", input)
    probabilities = input._array if p is None else np.full(input.shape, float(p))
    _check_probabilities("bernoulli", probabilities)
    uniform = rng(generator).random(input.shape)  # drawn on the CPU, compared where the probabilities are
    draws = (move(uniform, input._device) if is_gpu_array(probabilities) else uniform) < probabilities
    return _out("bernoulli", _new(draws.astype(input._array.dtype), False, input._device), out)


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """``num_samples`` category indices per row, drawn with probabilities proportional to the
    non-negative weights in ``input`` (1-D, or 2-D with one distribution per row); int64.
    Without ``replacement`` no index repeats in a row.

    >>> import minitorch
    >>> minitorch.multinomial(minitorch.tensor([0.0, 0.0, 5.0]), 2, replacement=True).tolist()
    [2, 2]
    """
    if input.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: prob_dist must be 1 or 2 dim, got shape {tuple(input.shape)}.")
    _check_floating("multinomial", input)
    if not isinstance(num_samples, numbers.Integral) or num_samples <= 0:
        raise RuntimeError(f"multinomial: cannot sample {num_samples!r} samples: num_samples must be a positive int.")
    weights = np.atleast_2d(_host(input)).astype(np.float64)
    if not np.all(np.isfinite(weights) & (weights >= 0)):
        bad = weights[~(np.isfinite(weights) & (weights >= 0))].flat[0]
        raise RuntimeError(f"multinomial: probability tensor contains either `inf`, `nan` or element < 0, got {bad}.")
    if np.any(weights.sum(axis=1) <= 0):
        raise RuntimeError("multinomial: invalid multinomial distribution (sum of probabilities <= 0).")
    if not replacement and num_samples > weights.shape[1]:
        raise RuntimeError(
            f"multinomial: cannot sample n_sample ({num_samples}) > prob_dist.size(-1) ({weights.shape[1]}) "
            f"samples without replacement."
        )
    if not replacement and np.any((weights > 0).sum(axis=1) < num_samples):
        raise RuntimeError(
            "multinomial: invalid multinomial distribution (with replacement=False, not enough non-negative "
            "category to sample)."
        )
    gen = rng(generator)
    rows = [gen.choice(len(w), size=num_samples, replace=replacement, p=w / w.sum()) for w in weights]
    indices = np.stack(rows).astype(np.int64)
    return _out("multinomial", _new(indices if input.ndim == 2 else indices[0], False, input._device), out)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """Samples from N(mean, std^2): ``mean`` and ``std`` are tensors (broadcast together, one draw
    per element) or numbers; with two numbers, ``size`` gives the shape.

    >>> import minitorch
    >>> minitorch.normal(2.0, 0.0, size=(2,)).tolist()
    [2.0, 2.0]
    >>> minitorch.normal(minitorch.tensor([0.0, 10.0]), 0.0).tolist()
    [0.0, 10.0]
    """
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if tensors:
        if size is not None:
            raise RuntimeError("normal: size is only taken when mean and std are both numbers.")
        for t in tensors:
            _check_floating("normal", t)
        result_dtype = dtypes.result_type(*tensors) if len(tensors) == 2 else tensors[0].dtype
        means, stds = (_host(v) if isinstance(v, Tensor) else v for v in (mean, std))
        device = tensors[0]._device
    else:
        if size is None:
            raise TypeError("normal(mean, std) with two numbers needs size=, e.g. normal(0.0, 1.0, size=(3,)).")
        means, stds = float(mean), float(std)
        result_dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
        size = _shape("normal", (), size)
    if np.any(np.asarray(stds) < 0):
        raise RuntimeError(f"normal: expects all elements of std >= 0.0, got std {np.min(stds)}.")
    draws = rng(generator).normal(means, stds, size).astype(result_dtype.np_dtype)
    return _out("normal", _new(np.asarray(draws), requires_grad, device), out)


def poisson(input, generator=None):
    """``out_i ~ Poisson(rate = input_i)``: non-negative whole numbers in ``input``'s dtype.

    >>> import minitorch
    >>> minitorch.poisson(minitorch.zeros(3)).tolist()
    [0.0, 0.0, 0.0]
    """
    _check_floating("poisson", input)
    rates = _host(input)
    if np.any(rates < 0) or not np.all(np.isfinite(rates)):
        raise RuntimeError("poisson: invalid Poisson rate, expected every rate to be finite and >= 0.")
    draws = rng(generator).poisson(rates).astype(rates.dtype)
    return _new(draws, False, input._device)
