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
lr when the first scheduler was created). The sequences equal PyTorch's, and so does
``state_dict()``: the same keys with the same values, so a scheduler's checkpoint moves
between the two libraries.

- ``base`` -- ``LRScheduler``, the base class;
- ``decay`` -- step-wise and smooth decays (``StepLR``, ``MultiStepLR``, ``ConstantLR``,
  ``LinearLR``, ``ExponentialLR``, ``PolynomialLR``, ``LambdaLR``, ``MultiplicativeLR``);
- ``cosine`` -- ``CosineAnnealingLR`` and ``CosineAnnealingWarmRestarts``;
- ``cyclic`` -- per-batch cycles that also move the momentum (``CyclicLR``, ``OneCycleLR``);
- ``combine`` -- one schedule after another (``SequentialLR``) or at once (``ChainedScheduler``);
- ``plateau`` -- ``ReduceLROnPlateau``, driven by a validation metric.
"""
from .base import LRScheduler, _LRScheduler  # noqa: F401  (_LRScheduler: PyTorch's old name, still imported)
from .combine import ChainedScheduler, SequentialLR
from .cosine import CosineAnnealingLR, CosineAnnealingWarmRestarts
from .cyclic import CyclicLR, OneCycleLR
from .decay import (ConstantLR, ExponentialLR, LambdaLR, LinearLR, MultiplicativeLR, MultiStepLR,
                    PolynomialLR, StepLR)
from .plateau import ReduceLROnPlateau

__all__ = ["LRScheduler", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
           "PolynomialLR", "LambdaLR", "MultiplicativeLR", "CosineAnnealingLR",
           "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR", "SequentialLR",
           "ChainedScheduler", "ReduceLROnPlateau"]
for _name in __all__:  # PyTorch's public module name, which programs compare (d2l: `sched.__module__ == lr_scheduler.__name__`)
    globals()[_name].__module__ = __name__
