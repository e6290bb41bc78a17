"""Automatic differentiation: graph recording (``Op``), the backward walk, grad modes, anomalies,
and PyTorch's user-facing API on top: ``Function`` (custom ops on tensors), ``grad``, ``backward``."""
from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from . import function
from .custom_function import Function, FunctionCtx, once_differentiable
from .function import Op
from .functional import backward, grad
from .grad_mode import (
    enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad, set_grad_enabled,
)

# PyTorch reaches these as torch.autograd.function.*; the module of that name here holds ``Op``
function.FunctionCtx, function.once_differentiable = FunctionCtx, once_differentiable

__all__ = [
    "Op", "Function", "FunctionCtx", "once_differentiable", "grad", "backward",
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode", "is_inference_mode_enabled",
    "detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
]
