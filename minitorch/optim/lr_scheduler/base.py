"""``LRScheduler``: what every schedule shares (base lrs, the epoch counter, state_dict)."""
import types

from ..optimizer import Optimizer


class LRScheduler:
    """Base class: keeps ``base_lrs``, ``last_epoch`` and writes ``get_lr()`` into the groups.

    A subclass implements ``get_lr()``: the list of new learning rates, one per group, for
    the epoch ``self.last_epoch``, computed from the groups' current ``lr``.

    ``state_dict()`` holds every attribute but the optimiser, as PyTorch's does; besides
    ``base_lrs``, ``last_epoch`` and ``_last_lr`` that includes PyTorch's bookkeeping
    ``_step_count`` (steps taken, the creation's one included), ``_is_initial`` (True only
    during the step that creation takes) and ``_get_lr_called_within_step`` (always False
    between steps), so that the two libraries read each other's dicts.
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
        self._step_count = 0
        self._get_lr_called_within_step = False
        self._is_initial = True
        self.step()
        self._is_initial = False

    def get_lr(self):
        """The new learning rate of each group at epoch ``self.last_epoch``."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_lr().")

    def step(self):
        """Advance one epoch and set every group's ``lr`` to the schedule's value."""
        ### BEGIN SOLUTION 3.13: count the step and the epoch, then set each group's lr to get_lr()'s and remember them as the last lrs
        self._step_count += 1
        self.last_epoch += 1
        self._set_lrs(self.get_lr())
        ### END SOLUTION

    def _set_lrs(self, lrs):
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = self._groups_lr()

    def get_last_lr(self):
        """The learning rates (one per group) that the last ``step()`` set."""
        return self._last_lr

    def _restart(self):
        """Start the schedule over from epoch 0 at the base learning rates (for SequentialLR).

        Like the step that creation takes (``_is_initial``), and, as in PyTorch, not counted
        in ``_step_count``.
        """
        for group, lr in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = lr
        self.last_epoch = 0
        self._is_initial = True
        self._set_lrs(self.get_lr())
        self._is_initial = False

    def state_dict(self):
        """Every attribute but the optimiser (numbers and lists: ``minitorch.save`` can write it)."""
        return {k: v for k, v in self.__dict__.items() if k not in self._not_saved}

    def load_state_dict(self, state_dict):
        """Restore what ``state_dict()`` returned (it does not change the optimiser's lrs)."""
        self.__dict__.update(state_dict)

    def _groups_lr(self):
        return [group["lr"] for group in self.optimizer.param_groups]


_LRScheduler = LRScheduler  # PyTorch's older name


def per_group(scheduler, name, value):
    """``value`` for each parameter group: a list of one per group, or one value for all."""
    n_groups = len(scheduler.optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != n_groups:
            raise ValueError(
                f"{type(scheduler).__name__}: {name} has {len(value)} values but the optimiser "
                f"has {n_groups} parameter groups; give one per group, or a single value."
            )
        return list(value)
    return [value] * n_groups


def function_state(fn):
    """What PyTorch saves of a user's function: None for a plain function (or none given), a
    copy of the attributes of a callable object (restored into the object on loading)."""
    return None if fn is None or isinstance(fn, types.FunctionType) else dict(fn.__dict__)


def check_optimizer(scheduler, optimizer):
    """Refuse anything but an Optimizer (for schedulers that use it before ``__init__``)."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"{type(scheduler).__name__}: expected an Optimizer, got {type(optimizer).__name__}."
        )
    scheduler.optimizer = optimizer
