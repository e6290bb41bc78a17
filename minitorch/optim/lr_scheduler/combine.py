"""Schedules made of schedules: ``SequentialLR`` (one after another) and ``ChainedScheduler``
(all at once, their effects multiplied)."""
import bisect

from ..optimizer import Optimizer
from .base import LRScheduler


class _Combined(LRScheduler):
    """Saves the schedulers it drives inside its own state, under ``"_schedulers"``."""

    def state_dict(self):
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        for s, saved in zip(self._schedulers, state_dict.pop("_schedulers")):
            s.load_state_dict(saved)
        self.__dict__.update(state_dict)


class SequentialLR(_Combined):
    """Run ``schedulers`` one after another, switching at the epochs listed in ``milestones``.

    ``SequentialLR(opt, [LinearLR(opt, 0.1, total_iters=5), CosineAnnealingLR(opt, 95)],
    milestones=[5])`` warms up for 5 epochs, then anneals. At each milestone the next
    scheduler starts from its epoch 0 at the initial lr.
    """

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"SequentialLR: expected an Optimizer, got {type(optimizer).__name__}.")
        schedulers, milestones = list(schedulers), list(milestones)
        if not schedulers:
            raise ValueError("SequentialLR: expects at least one scheduler.")
        for i, s in enumerate(schedulers):
            if not isinstance(s, LRScheduler) or isinstance(s, SequentialLR):
                raise TypeError(f"SequentialLR: schedulers[{i}] is a {type(s).__name__}, not a scheduler.")
            if s.optimizer is not optimizer:
                raise ValueError(
                    f"SequentialLR: schedulers[{i}] drives a different optimiser than the one given."
                )
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                f"SequentialLR: {len(schedulers)} schedulers need {len(schedulers) - 1} milestones "
                f"(the epochs where the next one takes over), got {len(milestones)}."
            )
        if milestones != sorted(milestones):
            raise ValueError(f"SequentialLR: milestones must increase, got {milestones}.")
        self.optimizer = optimizer
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        # Creating each scheduler already took its first step and changed the lrs: start over
        # with the first one.
        schedulers[0]._restart()
        self._last_lr = schedulers[0].get_last_lr()

    def step(self):
        self.last_epoch += 1
        i = bisect.bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[i]
        if i > 0 and self._milestones[i - 1] == self.last_epoch:
            scheduler._restart()
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ChainedScheduler(_Combined):
    """Step every scheduler in ``schedulers`` at each ``step()``: their changes multiply.

    ``ChainedScheduler([ConstantLR(opt, 0.1, total_iters=2), ExponentialLR(opt, 0.9)])`` is
    the same as stepping both after each epoch. ``optimizer`` defaults to the first
    scheduler's; all must drive the same one. ``ReduceLROnPlateau`` cannot be chained (its
    ``step`` needs the metric).
    """

    def __init__(self, schedulers, optimizer=None):
        schedulers = list(schedulers)
        if not schedulers:
            raise ValueError("ChainedScheduler: expects at least one scheduler to chain, got none.")
        optimizer = optimizer or getattr(schedulers[0], "optimizer", None)
        for i, s in enumerate(schedulers):
            if not isinstance(s, LRScheduler):
                raise TypeError(f"ChainedScheduler: schedulers[{i}] is a {type(s).__name__}, not a scheduler.")
            if type(s).__name__ == "ReduceLROnPlateau":
                raise ValueError(
                    f"ChainedScheduler: schedulers[{i}] is a ReduceLROnPlateau, whose step() needs "
                    f"the metric; step it yourself instead."
                )
            if s.optimizer is not optimizer:
                raise ValueError(
                    f"ChainedScheduler: schedulers[{i}] drives a different optimiser than the others."
                )
        self._schedulers = schedulers
        self.optimizer = optimizer
        self._last_lr = self._groups_lr()

    def step(self):
        for s in self._schedulers:
            s.step()
        self._last_lr = self._groups_lr()
