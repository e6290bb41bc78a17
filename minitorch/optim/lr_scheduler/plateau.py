"""``ReduceLROnPlateau``: lower the lr when a validation metric stops improving."""
import math

from ... import checks
from .base import LRScheduler, check_optimizer, per_group


class ReduceLROnPlateau(LRScheduler):
    r"""Multiply the lr by ``factor`` once the metric has not improved for ``patience`` epochs.

    Call ``scheduler.step(val_loss)`` once per epoch. With ``mode="min"`` (a loss) a value
    counts as better than the best so far when it is below ``best * (1 - threshold)``
    (``threshold_mode="rel"``) or ``best - threshold`` (``"abs"``); ``mode="max"`` (an
    accuracy) mirrors that. After more than ``patience`` epochs without improvement each
    group's lr becomes :math:`\max(\eta\cdot\text{factor}, \text{min\_lr})` (changes smaller
    than ``eps`` are skipped), then ``cooldown`` epochs pass before bad epochs count again.
    ``min_lr`` is one value or a list with one per group.
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8):
        name = type(self).__name__
        if checks.real(name, "factor", factor) >= 1.0:
            raise ValueError(f"{name}: factor must be < 1.0 (it multiplies the lr), got {factor!r}.")
        check_optimizer(self, optimizer)
        self.factor = factor
        self.min_lrs = per_group(self, "min_lr", min_lr)
        self.default_min_lr = None if isinstance(min_lr, (list, tuple)) else min_lr
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = self._groups_lr()
        self.mode = checks.choice(name, "mode", mode, ("min", "max"))
        self.threshold = threshold
        self.threshold_mode = checks.choice(name, "threshold_mode", threshold_mode, ("rel", "abs"))
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def step(self, metrics):
        """Record this epoch's ``metrics`` (a number or a 1-element tensor); maybe lower the lrs."""
        current = float(metrics)
        self.last_epoch += 1
        if self._is_better(current):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs during the cooldown do not count
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._groups_lr()

    def _is_better(self, value):
        sign = 1 if self.mode == "min" else -1
        if self.threshold_mode == "rel":
            return sign * value < sign * self.best * (1.0 - sign * self.threshold)
        return sign * value < sign * self.best - self.threshold

    def _reduce_lr(self):
        if len(self.min_lrs) != len(self.optimizer.param_groups):  # a group was added since
            if self.default_min_lr is None:
                raise RuntimeError(
                    f"ReduceLROnPlateau: min_lr lists {len(self.min_lrs)} values but the optimiser "
                    f"now has {len(self.optimizer.param_groups)} parameter groups; extend min_lrs."
                )
            self.min_lrs = [self.default_min_lr] * len(self.optimizer.param_groups)
        for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
            new_lr = max(group["lr"] * self.factor, min_lr)
            if group["lr"] - new_lr > self.eps:
                group["lr"] = new_lr
