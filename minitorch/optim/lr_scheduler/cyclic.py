r"""Per-batch cycles: ``CyclicLR`` (triangles between two lrs) and ``OneCycleLR`` (one warm-up
then a long anneal). Both move the momentum against the lr (SGD's ``momentum`` or the first of
Adam's ``betas``), unless ``cycle_momentum=False``."""
import math

from ... import checks
from .base import LRScheduler, check_optimizer, function_state, per_group


def _momentum_setter(scheduler, optimizer, base_momentum, max_momentum, last_epoch):
    """Check that the optimiser has a momentum to cycle; store both ends in each group.

    Sets ``use_beta1`` (Adam-like optimisers cycle ``betas[0]``) and, when starting afresh,
    each group's momentum to ``max_momentum``. Returns the two per-group lists.
    """
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError(
            f"{type(scheduler).__name__}: cycle_momentum=True needs an optimiser with momentum "
            f"or betas; {type(optimizer).__name__} has neither. Pass cycle_momentum=False."
        )
    scheduler.use_beta1 = "betas" in optimizer.defaults
    bases = per_group(scheduler, "base_momentum", base_momentum)
    maxes = per_group(scheduler, "max_momentum", max_momentum)
    if last_epoch == -1:
        for group, low, high in zip(optimizer.param_groups, bases, maxes):
            _set_momentum(scheduler, group, high)
            group["max_momentum"], group["base_momentum"] = high, low
    return bases, maxes


def _set_momentum(scheduler, group, value):
    if scheduler.use_beta1:
        group["betas"] = (value, *group["betas"][1:])
    else:
        group["momentum"] = value


class CyclicLR(LRScheduler):
    r"""Cyclical learning rates (Smith, 2017): call ``step()`` after every *batch*.

    The lr climbs linearly from ``base_lr`` to ``max_lr`` in ``step_size_up`` steps, falls
    back in ``step_size_down`` (default: the same), and so on. With :math:`S` the cycle
    length, :math:`c = \lfloor 1 + t/S \rfloor` the cycle and :math:`x = 1 + t/S - c` the
    position in it,

    .. math::

        \eta_t = \eta_{base} + (\eta_{max} - \eta_{base})\, h(x)\, s
        \qquad h(x) = \begin{cases} x / r & x \le r\\ (x - 1)/(r - 1) & x > r\end{cases}

    with :math:`r` the rising share of the cycle and :math:`s` the amplitude's scale:
    ``"triangular"`` 1, ``"triangular2"`` :math:`2^{1-c}` (halved every cycle),
    ``"exp_range"`` :math:`\gamma^t`, or ``scale_fn(c)`` (``scale_mode="cycle"``) /
    ``scale_fn(t)`` (``"iterations"``) for your own. The momentum moves the other way, between
    ``max_momentum`` and ``base_momentum``. ``base_lr``, ``max_lr`` and the momenta are one
    value or a list with one per group.
    """

    _not_saved = ("optimizer", "_scale_fn_custom")

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
                 mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle",
                 cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1):
        name = type(self).__name__
        check_optimizer(self, optimizer)
        base_lrs = per_group(self, "base_lr", base_lr)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.max_lrs = per_group(self, "max_lr", max_lr)
        up = checks.positive(name, "step_size_up", step_size_up)
        down = up if step_size_down is None else checks.positive(name, "step_size_down", step_size_down)
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        if scale_fn is None:
            checks.choice(name, "mode (without a scale_fn)", mode,
                          ("triangular", "triangular2", "exp_range"))
            scale_mode = "iterations" if mode == "exp_range" else "cycle"
        else:
            checks.choice(name, "scale_mode", scale_mode, ("cycle", "iterations"))
        self.mode, self.gamma, self.scale_mode = mode, gamma, scale_mode
        self._scale_fn_custom = scale_fn
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.base_momentums, self.max_momentums = _momentum_setter(
                self, optimizer, base_momentum, max_momentum, last_epoch)
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale_fn(self, x):
        """The amplitude's scale at ``x`` (the cycle, or the step with ``scale_mode="iterations"``)."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma**x

    def get_lr(self):
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        height = x / self.step_ratio if x <= self.step_ratio else (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [low + (high - low) * height * scale for low, high in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, low, high in zip(self.optimizer.param_groups, self.base_momentums,
                                        self.max_momentums):
                _set_momentum(self, group, high - (high - low) * height * scale)
        return lrs

    def state_dict(self):
        """As ``LRScheduler``'s; a custom ``scale_fn`` is saved as PyTorch saves it (None for a
        plain function, its ``__dict__`` for a callable object)."""
        state = super().state_dict()
        state["_scale_fn_custom"] = function_state(self._scale_fn_custom)
        return state

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        saved = state_dict.pop("_scale_fn_custom", None)
        if saved is not None:
            self._scale_fn_custom.__dict__.update(saved)
        super().load_state_dict(state_dict)


class OneCycleLR(LRScheduler):
    r"""The 1cycle policy (Smith & Topin, 2018): call ``step()`` after every *batch*.

    The lr rises from ``max_lr / div_factor`` to ``max_lr`` over the first ``pct_start`` of
    ``total_steps`` (or ``epochs * steps_per_epoch``), then anneals to
    ``max_lr / (div_factor * final_div_factor)`` by the last step; ``three_phase=True``
    comes back down symmetrically before the final anneal. Each phase interpolates between
    its two ends with ``anneal_strategy``: ``"cos"``,
    :math:`e + (s - e)(1 + \cos(\pi p))/2`, or ``"linear"``, :math:`s + (e - s)\,p`, at
    :math:`p` the share of the phase done. The momentum moves the other way, between
    ``max_momentum`` and ``base_momentum``. Stepping past ``total_steps`` is a ValueError.
    """

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False,
                 last_epoch=-1):
        check_optimizer(self, optimizer)
        self.total_steps = self._total_steps(total_steps, epochs, steps_per_epoch)
        if isinstance(pct_start, bool) or not isinstance(pct_start, float) or not 0 <= pct_start <= 1:
            raise ValueError(f"OneCycleLR: pct_start must be a float between 0 and 1, got {pct_start!r}.")
        checks.choice("OneCycleLR", "anneal_strategy", anneal_strategy, ("cos", "linear"))
        rise_end = float(pct_start * self.total_steps) - 1
        phases = [(rise_end, "initial_lr", "max_lr", "max_momentum", "base_momentum")]
        if three_phase:
            phases.append((float(2 * pct_start * self.total_steps) - 2, "max_lr", "initial_lr",
                           "base_momentum", "max_momentum"))
            phases.append((self.total_steps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"))
        else:
            phases.append((self.total_steps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"))
        keys = ("end_step", "start_lr", "end_lr", "start_momentum", "end_momentum")
        self._schedule_phases = [dict(zip(keys, phase)) for phase in phases]
        self._anneal_func_type = anneal_strategy
        if last_epoch == -1:
            for group, top in zip(optimizer.param_groups, per_group(self, "max_lr", max_lr)):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            _momentum_setter(self, optimizer, base_momentum, max_momentum, last_epoch)
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _total_steps(total_steps, epochs, steps_per_epoch):
        def positive_int(name, value):
            return checks.integer("OneCycleLR", name, value, minimum=1, error=ValueError)  # as PyTorch

        if total_steps is not None:
            return positive_int("total_steps", total_steps)
        if epochs is not None and steps_per_epoch is not None:
            return positive_int("epochs", epochs) * positive_int("steps_per_epoch", steps_per_epoch)
        raise ValueError(f"OneCycleLR: give either total_steps, or epochs and steps_per_epoch; got total_steps=None, "
                         f"epochs={epochs}, steps_per_epoch={steps_per_epoch}.")

    def _anneal(self, start, end, pct):
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self):
        t = self.last_epoch
        if t > self.total_steps:
            raise ValueError(
                f"OneCycleLR: tried to step {t} times, but total_steps is {self.total_steps}; "
                f"create the scheduler with the number of batches you will train for."
            )
        lrs = []
        for group in self.optimizer.param_groups:
            start = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end = phase["end_step"]
                if t <= end or i == len(self._schedule_phases) - 1:
                    pct = (t - start) / (end - start)
                    break
                start = end
            lrs.append(self._anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct))
            if self.cycle_momentum:
                _set_momentum(self, group, self._anneal(
                    group[phase["start_momentum"]], group[phase["end_momentum"]], pct))
        return lrs
