"""Anomaly detection: find the first op whose forward or backward produced NaN or inf.

``minitorch.autograd.set_detect_anomaly(True)`` (or ``with detect_anomaly():``)
makes every op check its output, and every backward check the gradients it
returns. The first non-finite value raises ``FloatingPointError`` naming the op.
It costs one pass over each array, so it is off by default.
"""
import numpy as np


class _Anomaly:
    enabled = False


def is_anomaly_enabled():
    return _Anomaly.enabled


class set_detect_anomaly:
    """Turn anomaly detection on or off; as a context manager, restore the old setting on exit.

    ``check_nan`` is PyTorch's switch for the NaN check; minitorch always checks for NaN and inf
    while detection is on, so it is accepted and has no effect."""

    def __init__(self, mode, check_nan=True):
        self.prev = _Anomaly.enabled
        _Anomaly.enabled = bool(mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _Anomaly.enabled = self.prev
        return False


class detect_anomaly(set_detect_anomaly):
    """``with minitorch.autograd.detect_anomaly():`` checks every forward and backward inside
    (``check_nan`` as in ``set_detect_anomaly``)."""

    def __init__(self, check_nan=True):
        super().__init__(True)


def check_finite(op_name, phase, array, index=None):
    """Raise FloatingPointError if ``array`` (an op's output or gradient) holds NaN or inf."""
    if array is None or array.dtype.kind not in "fc":
        return
    if np.isfinite(array).all():
        return
    kind = "NaN" if np.isnan(array).any() else "inf"
    where = "output" if index is None else f"gradient for input {index}"
    raise FloatingPointError(
        f"anomaly detected: {op_name}.{phase} produced {kind} in its {where} "
        f"(shape {tuple(array.shape)}). This is the first op that did; look at its inputs "
        f"(log of a non-positive number, division by zero, overflow in exp?)."
    )
