"""Optimisers (``SGD``, ``Adam``, ``AdamW``, ``RMSprop``, ``Adagrad``, ``Adadelta``, ``Adamax``,
``NAdam``, ``RAdam``, ``LBFGS``) and ``lr_scheduler``.

Each optimiser's docstring states its update rule; they follow PyTorch's documented
algorithms, options and ``state_dict`` layout. ``Optimizer`` is the base class to subclass
for a new rule: write ``_update(param, grad, state, group)`` on numpy arrays.
"""
from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
           "RAdam", "LBFGS", "lr_scheduler"]
