"""``minitorch.nn``: layers and models, with PyTorch's names.

- ``Module``, ``Parameter``: the base class of every layer, and the tensors it learns
- layers: ``Linear``, ``Identity``, ``Flatten``, ``Dropout``, activations (``ReLU``, ...)
- containers: ``Sequential``, ``ModuleList``, ``ModuleDict``
- losses: ``MSELoss``, ``L1Loss``, ``CrossEntropyLoss``, ``NLLLoss``, ``BCELoss``, ``BCEWithLogitsLoss``
- ``nn.functional`` (as ``F``): the same operations as plain functions, and the losses
- ``nn.init``: weight initialisation; ``nn.utils``: gradient clipping
"""
from . import functional, init, utils
from .activation import GELU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .container import ModuleDict, ModuleList, Sequential
from .dropout import Dropout
from .flatten import Flatten
from .linear import Identity, Linear
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss
from .module import Module
from .parameter import Parameter
