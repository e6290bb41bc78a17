"""Automatic differentiation: graph recording (``Op``), the backward walk, grad modes, anomalies."""
from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .function import Op
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled

__all__ = [
    "Op", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
    "detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
]
