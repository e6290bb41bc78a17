"""``minitorch.amp``: PyTorch's mixed-precision switches, accepted so that training scripts run.

PyTorch's ``autocast`` runs chosen ops in float16/bfloat16 for speed on GPUs, and ``GradScaler``
multiplies the loss so that small float16 gradients do not round to zero. minitorch computes
every op in its inputs' dtype (autocast changes nothing). The scaler does what PyTorch's does,
with PyTorch's defaults: the scale is a power of two, so scaling and unscaling float32
gradients is exact, and the optimiser sees the same gradients as without it.
"""
import functools
import math

import numpy as np

from . import checks, device_checks


class autocast:
    """``with minitorch.autocast("cuda"):`` (or ``@autocast("cuda")``): accepted and does nothing;
    every op runs in its inputs' dtype. ``device_type`` must still be "cpu" or "cuda".

    >>> import minitorch
    >>> with minitorch.autocast("cpu", dtype=minitorch.bfloat16):
    ...     (minitorch.ones(2) * 2).dtype
    minitorch.float32
    """

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        self.device_type = checks.choice("autocast", "device_type", device_type, ["cpu", "cuda"])
        self.dtype, self.enabled = dtype, bool(enabled)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)

        return wrapper


class cuda_autocast(autocast):
    """``minitorch.cuda.amp.autocast(enabled=True, dtype=float16)``: ``autocast("cuda", ...)``."""

    def __init__(self, enabled=True, dtype=None, cache_enabled=True):
        super().__init__("cuda", dtype, enabled, cache_enabled)


def is_autocast_available(device_type):
    """True for "cpu" and "cuda": ``autocast`` accepts them (and changes nothing)."""
    return device_type in ("cpu", "cuda")


class GradScaler:
    """PyTorch's loss scaler, with its arguments, defaults and methods.

    ``scale(loss)`` multiplies by the scale, ``unscale_(optimizer)`` divides the gradients back,
    ``step(optimizer)`` unscales (if not done yet) and steps unless a gradient holds inf/NaN, and
    ``update()`` then grows the scale every ``growth_interval`` clean steps or backs it off after
    a skipped one, as in PyTorch. minitorch keeps every op in its dtype, so scaling is never
    needed: ``GradScaler(enabled=False)`` or ``init_scale=1.0`` make it a plain ``optimizer.step()``.

    >>> import minitorch
    >>> scaler = minitorch.amp.GradScaler()
    >>> scaler.get_scale(), scaler.scale(minitorch.tensor(2.0)).item()
    (65536.0, 131072.0)
    """

    def __init__(self, device="cuda", init_scale=65536.0, growth_factor=2.0, backoff_factor=0.5,
                 growth_interval=2000, enabled=True):
        self._scale = checks.positive("GradScaler", "init_scale", init_scale)
        self._growth_factor = checks.real("GradScaler", "growth_factor", growth_factor, minimum=1.0)
        self._backoff_factor = checks.positive("GradScaler", "backoff_factor", backoff_factor, maximum=1.0)
        self._growth_interval = checks.integer("GradScaler", "growth_interval", growth_interval, minimum=1)
        self._enabled = bool(enabled)
        self._growth_tracker = 0
        self._unscaled, self._found_inf = set(), {}

    def is_enabled(self):
        """Whether scaling is on (``enabled=`` of the constructor)."""
        return self._enabled

    def get_scale(self):
        """The current scale (1.0 when disabled)."""
        return self._scale if self._enabled else 1.0

    def scale(self, outputs):
        """``outputs`` (a tensor, or a list/tuple of them) times the scale."""
        if not self._enabled:
            return outputs
        if isinstance(outputs, (list, tuple)):
            return type(outputs)(self.scale(o) for o in outputs)
        return outputs * self._scale

    def unscale_(self, optimizer):
        """Divide ``optimizer``'s gradients by the scale, in place (once per step), noting inf/NaN.

        The note stays where the gradients are (a 0-d boolean on a GPU): ``step`` reads it once for
        all of them, as PyTorch's ``_amp_foreach_non_finite_check_and_unscale_`` does.
        """
        if not self._enabled or id(optimizer) in self._unscaled:
            return
        found = False
        for group in optimizer.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.grad._array *= 1.0 / self._scale
                    found = found | ~np.isfinite(p.grad._array).all()
        self._unscaled.add(id(optimizer))
        self._found_inf[id(optimizer)] = found

    def _found(self, key):
        """Whether the gradients of the optimizer whose id is ``key`` held inf/NaN: the step's one
        host read (together with the queued device checks, ``device_checks.read_flag``), kept for ``update``."""
        found = self._found_inf[key] = device_checks.read_flag(self._found_inf[key])
        return found

    def step(self, optimizer, *args, **kwargs):
        """Unscale (if ``unscale_`` was not called) and run ``optimizer.step()``, unless a gradient
        holds inf or NaN; returns what ``step`` returned (None when skipped)."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        self.unscale_(optimizer)
        return None if self._found(id(optimizer)) else optimizer.step(*args, **kwargs)

    def update(self, new_scale=None):
        """After a step: set the scale to ``new_scale``, or back it off after a skipped step and
        grow it after ``growth_interval`` clean ones."""
        if not self._enabled:
            return
        if new_scale is not None:
            self._scale = float(new_scale)
        elif any(self._found(key) for key in self._found_inf):
            self._scale *= self._backoff_factor
            self._growth_tracker = 0
        else:
            self._growth_tracker += 1
            if self._growth_tracker == self._growth_interval:
                self._scale, self._growth_tracker = self._scale * self._growth_factor, 0
        self._unscaled, self._found_inf = set(), {}

    def state_dict(self):
        """The scaler's state, with PyTorch's keys (empty when disabled)."""
        if not self._enabled:
            return {}
        return {"scale": self._scale, "growth_factor": self._growth_factor,
                "backoff_factor": self._backoff_factor, "growth_interval": self._growth_interval,
                "_growth_tracker": self._growth_tracker}

    def load_state_dict(self, state_dict):
        """Restore what ``state_dict`` returned (a PyTorch scaler's too)."""
        if not state_dict:
            return
        self._scale = float(state_dict["scale"])
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        self._growth_tracker = int(state_dict["_growth_tracker"])
        if not math.isfinite(self._scale):
            raise ValueError(f"GradScaler.load_state_dict: the scale must be finite, got {self._scale}.")


class CudaGradScaler(GradScaler):
    """``minitorch.cuda.amp.GradScaler``: PyTorch's older spelling, ``GradScaler`` for "cuda" (no
    ``device`` argument)."""

    def __init__(self, init_scale=65536.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000,
                 enabled=True):
        super().__init__("cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled)
