r"""Decays: step-wise (``StepLR``, ``MultiStepLR``, ``ConstantLR``), smooth (``LinearLR``,
``ExponentialLR``, ``PolynomialLR``) and user-given (``LambdaLR``, ``MultiplicativeLR``)."""
from collections import Counter

from ... import checks
from .base import LRScheduler, check_optimizer, function_state, per_group


class StepLR(LRScheduler):
    r"""Multiply the lr by ``gamma`` every ``step_size`` epochs:
    :math:`\eta_t = \eta_0\, \gamma^{\lfloor t / \text{step\_size} \rfloor}`.

    ``step_size`` may be a float, as in PyTorch (the lr drops at the epochs ``t`` where
    ``t % step_size == 0``)."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        checks.positive(type(self).__name__, "step_size", step_size)
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        ### BEGIN SOLUTION 3.13: each group's lr for epoch self.last_epoch, from the current ones (self._groups_lr())
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._groups_lr()
        return [lr * self.gamma for lr in self._groups_lr()]
        ### END SOLUTION


class MultiStepLR(LRScheduler):
    r"""Multiply the lr by ``gamma`` at each epoch listed in ``milestones``:
    :math:`\eta_t = \eta_0\, \gamma^{\#\{m \in \text{milestones}:\ m \le t\}}`.

    A milestone listed twice multiplies by ``gamma`` twice; the list need not be sorted.
    ``milestones`` is kept as a ``collections.Counter``, as in PyTorch."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        for m in milestones:
            checks.real(type(self).__name__, "each milestone", m)
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch not in self.milestones:
            return self._groups_lr()
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in self._groups_lr()]


class ConstantLR(LRScheduler):
    r"""Multiply the lr by ``factor`` for the first ``total_iters`` epochs, then restore it:
    :math:`\eta_t = \eta_0 \cdot (\text{factor if } t < \text{total\_iters} \text{ else } 1)`.

    A warm-up at a constant fraction of the lr (``factor`` between 0 and 1)."""

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1):
        checks.real(type(self).__name__, "factor", factor, minimum=0, maximum=1)
        checks.real(type(self).__name__, "total_iters", total_iters, minimum=0)
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0:
            return [lr * self.factor for lr in self._groups_lr()]
        if self.last_epoch != self.total_iters:
            return self._groups_lr()
        return [lr * (1.0 / self.factor) for lr in self._groups_lr()]


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
        checks.positive("LinearLR", "total_iters", total_iters)
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
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


class ExponentialLR(LRScheduler):
    r"""Multiply the lr by ``gamma`` every epoch: :math:`\eta_t = \eta_0\, \gamma^t`."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0:
            return self._groups_lr()
        return [lr * self.gamma for lr in self._groups_lr()]


class PolynomialLR(LRScheduler):
    r"""Decay the lr to 0 along a polynomial over ``total_iters`` epochs:
    :math:`\eta_t = \eta_0\, (1 - \min(t, T) / T)^{p}` with :math:`T` = total_iters and
    :math:`p` = power (1: a straight line). As in PyTorch each step multiplies the current
    lr by the ratio of consecutive values of that formula."""

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1):
        checks.positive(type(self).__name__, "total_iters", total_iters)
        checks.real(type(self).__name__, "power", power)
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t, T = self.last_epoch, self.total_iters
        if self._is_initial or t > T:
            return self._groups_lr()
        factor = ((1.0 - t / T) / (1.0 - (t - 1) / T)) ** self.power
        return [lr * factor for lr in self._groups_lr()]


class _LambdaScheduler(LRScheduler):
    """A schedule given by functions of the epoch, one per group (``lr_lambda``).

    Functions cannot be saved: ``state_dict()`` has ``"lr_lambdas"``, with None for each plain
    function and a copy of ``__dict__`` for a callable object, as PyTorch does. Give the same
    functions when you rebuild the scheduler before ``load_state_dict``.
    """

    _not_saved = ("optimizer", "lr_lambdas")

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        check_optimizer(self, optimizer)
        self.lr_lambdas = per_group(self, "lr_lambda", lr_lambda)
        for f in self.lr_lambdas:
            if not callable(f):
                raise TypeError(
                    f"{type(self).__name__}: lr_lambda must be callable (epoch -> factor), got {f!r}."
                )
        super().__init__(optimizer, last_epoch)

    def state_dict(self):
        state = super().state_dict()
        state["lr_lambdas"] = [function_state(f) for f in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        for f, saved in zip(self.lr_lambdas, state_dict.pop("lr_lambdas", ())):
            if saved is not None:
                f.__dict__.update(saved)
        super().load_state_dict(state_dict)


class LambdaLR(_LambdaScheduler):
    r"""Set the lr to the initial lr times a function of the epoch: :math:`\eta_t = \eta_0\,
    \lambda(t)`.

    ``lr_lambda`` is one function for all groups or a list with one per group.
    """

    def get_lr(self):
        return [base * f(self.last_epoch) for base, f in zip(self.base_lrs, self.lr_lambdas)]


class MultiplicativeLR(_LambdaScheduler):
    r"""Multiply the lr by a function of the epoch at every step: :math:`\eta_t = \eta_{t-1}\,
    \lambda(t)`, so :math:`\eta_t = \eta_0 \prod_{i=1}^{t} \lambda(i)`.

    ``lr_lambda`` is one function for all groups or a list with one per group.
    """

    def get_lr(self):
        if self._is_initial:
            return self._groups_lr()
        return [lr * f(self.last_epoch) for lr, f in zip(self._groups_lr(), self.lr_lambdas)]
