r"""Cosine schedules: ``CosineAnnealingLR`` (one half-cosine) and ``CosineAnnealingWarmRestarts``
(SGDR: the half-cosine starts over, each run ``T_mult`` times longer than the last)."""
import math

from ... import checks
from .base import LRScheduler


class CosineAnnealingLR(LRScheduler):
    r"""Follow half a cosine from the initial lr down to ``eta_min`` over ``T_max`` epochs:

    .. math::

        \eta_t = \eta_{min} + \tfrac12 (\eta_0 - \eta_{min})
                 \left(1 + \cos\left(\tfrac{t}{T_{max}}\pi\right)\right)

    then back up again (the cosine continues: period :math:`2 T_{max}`). As in PyTorch each
    step applies the ratio of consecutive closed-form values to the current lr,

    .. math::

        \eta_t = \eta_{min} + (\eta_{t-1} - \eta_{min})
                 \frac{1 + \cos(\pi t / T_{max})}{1 + \cos(\pi (t-1) / T_{max})},

    except at the bottom of the cosine (where that ratio would divide by zero), which adds
    :math:`(\eta_0 - \eta_{min})(1 - \cos(\pi / T_{max}))/2` instead. ``T_max`` may be a
    float, as in PyTorch.
    """

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        checks.positive(type(self).__name__, "T_max", T_max)
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        ### BEGIN SOLUTION 3.13: each group's lr for epoch self.last_epoch, from the current ones (self._groups_lr()) and self.base_lrs
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if t == 0:
            return self._groups_lr()
        if (t - 1 - T) % (2 * T) == 0:  # leaving the bottom: the ratio form would be 0/0
            rise = (1 - math.cos(math.pi / T)) / 2
            return [lr + (base - eta_min) * rise for lr, base in zip(self._groups_lr(), self.base_lrs)]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [eta_min + (lr - eta_min) * ratio for lr in self._groups_lr()]
        ### END SOLUTION


class CosineAnnealingWarmRestarts(LRScheduler):
    r"""SGDR (Loshchilov & Hutter, 2017): half-cosines from the initial lr to ``eta_min``,
    restarting at the top after :math:`T_0, T_0 T_{mult}, T_0 T_{mult}^2, \ldots` epochs:

    .. math::

        \eta_t = \eta_{min} + \tfrac12 (\eta_0 - \eta_{min})
                 \left(1 + \cos\left(\pi\, T_{cur} / T_i\right)\right)

    where :math:`T_{cur}` counts the epochs since the last restart and :math:`T_i` is the
    length of the current run. ``step(epoch)`` also takes a fractional epoch, to anneal
    within an epoch: ``scheduler.step(epoch + i / iters_per_epoch)`` after batch ``i``.
    ``T_0`` and ``T_mult`` must be integers (a ValueError otherwise, as in PyTorch).
    """

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        name = type(self).__name__
        T_0 = checks.integer(name, "T_0", T_0, minimum=1, error=ValueError)  # PyTorch: ValueError for both
        T_mult = checks.integer(name, "T_mult", T_mult, minimum=1, error=ValueError)
        checks.real(name, "eta_min", eta_min, error=ValueError)
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        cosine = 1 + math.cos(math.pi * self.T_cur / self.T_i)
        return [self.eta_min + (base - self.eta_min) * cosine / 2 for base in self.base_lrs]

    def step(self, epoch=None):
        """Advance one epoch, or jump to ``epoch`` (a float is allowed) and set the lrs.

        As in PyTorch this step does not count in ``_step_count``.
        """
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur += 1
            if self.T_cur >= self.T_i:
                self.T_cur %= self.T_i
                self.T_i *= self.T_mult
        else:
            checks.real(type(self).__name__, "epoch", epoch, minimum=0)
            self.T_cur, self.T_i = self._position(epoch)
        self.last_epoch = math.floor(epoch)
        self._set_lrs(self.get_lr())

    def _position(self, epoch):
        """(epochs since the last restart, length of the current run) at ``epoch``."""
        T_0, mult = self.T_0, self.T_mult
        if epoch < T_0:
            return epoch, T_0
        if mult == 1:
            return epoch % T_0, T_0
        # runs end at T_0 (mult^n - 1) / (mult - 1): solve for the number of finished runs n
        n = int(math.log(epoch / T_0 * (mult - 1) + 1, mult))
        return epoch - T_0 * (mult**n - 1) / (mult - 1), T_0 * mult**n
