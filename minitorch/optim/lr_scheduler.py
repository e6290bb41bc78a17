r"""Learning-rate schedules: change each parameter group's ``lr`` as training goes on.

Create the scheduler after the optimiser and call ``scheduler.step()`` once per epoch (or per
batch, as the schedule is meant), *after* ``optimizer.step()``::

    opt = minitorch.optim.SGD(model.parameters(), lr=0.1)
    sched = minitorch.optim.lr_scheduler.StepLR(opt, step_size=30, gamma=0.1)
    for epoch in range(100):
        train_one_epoch(model, opt)
        sched.step()               # lr: 0.1 for epochs 0-29, 0.01 for 30-59, ...

Every scheduler counts steps in ``last_epoch`` (0 right after it is created) and computes the
new lr from the *current* ``group["lr"]`` (PyTorch's "chainable" form: two schedulers on one
optimiser multiply their effects). Its docstring gives the same sequence in closed form,
:math:`\eta_t` at ``last_epoch`` = t, where :math:`\eta_0` is the group's ``initial_lr`` (its
lr when the first scheduler was created). The sequences equal PyTorch's.
"""
import bisect
import math

from .. import checks
from .optimizer import Optimizer


class LRScheduler:
    """Base class: keeps ``base_lrs``, ``last_epoch`` and writes ``get_lr()`` into the groups.

    A subclass implements ``get_lr()``: the list of new learning rates, one per group, for
    the epoch ``self.last_epoch``, computed from the groups' current ``lr``.
    """

    _not_saved = ("optimizer",)  # attributes left out of state_dict()

    def __init__(self, optimizer, last_epoch=-1):
        name = type(self).__name__
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{name}: expected an Optimizer, got {type(optimizer).__name__}.")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"{name}: resuming with last_epoch={last_epoch} needs 'initial_lr' in "
                        f"param_groups[{i}] (it is there when the optimiser's state_dict was saved "
                        f"while a scheduler was attached); start with last_epoch=-1 otherwise."
                    )
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.step()

    def get_lr(self):
        """The new learning rate of each group at epoch ``self.last_epoch``."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_lr().")

    def step(self):
        """Advance one epoch and set every group's ``lr`` to the schedule's value."""
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self):
        """The learning rates (one per group) that the last ``step()`` set."""
        return self._last_lr

    def _restart(self):
        """Start the schedule over from epoch 0 at the base learning rates (for SequentialLR)."""
        for group, lr in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = lr
        self.last_epoch = -1
        self.step()

    def state_dict(self):
        """Every attribute but the optimiser (numbers and lists: ``minitorch.save`` can write it)."""
        return {k: v for k, v in self.__dict__.items() if k not in self._not_saved}

    def load_state_dict(self, state_dict):
        """Restore what ``state_dict()`` returned (it does not change the optimiser's lrs)."""
        self.__dict__.update(state_dict)

    def _groups_lr(self):
        return [group["lr"] for group in self.optimizer.param_groups]


_LRScheduler = LRScheduler  # PyTorch's older name


class StepLR(LRScheduler):
    r"""Multiply the lr by ``gamma`` every ``step_size`` epochs:
    :math:`\eta_t = \eta_0\, \gamma^{\lfloor t / \text{step\_size} \rfloor}`."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size = checks.integer(type(self).__name__, "step_size", step_size, minimum=1)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._groups_lr()
        return [lr * self.gamma for lr in self._groups_lr()]


class ExponentialLR(LRScheduler):
    r"""Multiply the lr by ``gamma`` every epoch: :math:`\eta_t = \eta_0\, \gamma^t`."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0:
            return self._groups_lr()
        return [lr * self.gamma for lr in self._groups_lr()]


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
    :math:`(\eta_0 - \eta_{min})(1 - \cos(\pi / T_{max}))/2` instead.
    """

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        self.T_max = checks.integer(type(self).__name__, "T_max", T_max, minimum=1)
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if t == 0:
            return self._groups_lr()
        if (t - 1 - T) % (2 * T) == 0:  # leaving the bottom: the ratio form would be 0/0
            rise = (1 - math.cos(math.pi / T)) / 2
            return [lr + (base - eta_min) * rise for lr, base in zip(self._groups_lr(), self.base_lrs)]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [eta_min + (lr - eta_min) * ratio for lr in self._groups_lr()]


class LinearLR(LRScheduler):
    r"""Scale the lr linearly from ``start_factor`` to ``end_factor`` over ``total_iters`` epochs:

    .. math::

        \eta_t = \eta_0 \left(s + (e - s)\, \frac{\min(t, T)}{T}\right)

    with :math:`s` = start_factor, :math:`e` = end_factor, :math:`T` = total_iters; the lr
    stays at :math:`e\,\eta_0` afterwards. The usual use is a warm-up: LinearLR(opt, 0.1, 1.0, 5).
    """

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5,
                 last_epoch=-1):
        checks.positive("LinearLR", "start_factor (it multiplies the first lr)", start_factor, maximum=1)
        checks.real("LinearLR", "end_factor", end_factor, minimum=0, maximum=1)
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = checks.integer(type(self).__name__, "total_iters", total_iters, minimum=1)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        s, e, T, t = self.start_factor, self.end_factor, self.total_iters, self.last_epoch
        if t == 0:
            return [lr * s for lr in self._groups_lr()]
        if t > T:
            return self._groups_lr()
        # factor(t) / factor(t - 1), with factor(t) = s + (e - s) t / T
        ratio = 1 + (e - s) / (T * s + (t - 1) * (e - s))
        return [lr * ratio for lr in self._groups_lr()]


class LambdaLR(LRScheduler):
    r"""Set the lr to the initial lr times a function of the epoch: :math:`\eta_t = \eta_0\,
    \lambda(t)`.

    ``lr_lambda`` is one function for all groups or a list with one per group. Functions
    cannot be saved, so ``state_dict()`` leaves them out: give the same ones when you rebuild
    the scheduler before ``load_state_dict``.
    """

    _not_saved = ("optimizer", "lr_lambdas")

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        n_groups = len(optimizer.param_groups) if isinstance(optimizer, Optimizer) else 0
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != n_groups:
                raise ValueError(
                    f"LambdaLR: got {len(lr_lambda)} lr_lambdas for {n_groups} parameter groups; "
                    f"give one function per group, or a single function for all."
                )
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * n_groups
        for f in self.lr_lambdas:
            if not callable(f):
                raise TypeError(f"LambdaLR: lr_lambda must be callable (epoch -> factor), got {f!r}.")
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base * f(self.last_epoch) for base, f in zip(self.base_lrs, self.lr_lambdas)]


class SequentialLR(LRScheduler):
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

    def state_dict(self):
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        for s, saved in zip(self._schedulers, state_dict.pop("_schedulers")):
            s.load_state_dict(saved)
        self.__dict__.update(state_dict)
