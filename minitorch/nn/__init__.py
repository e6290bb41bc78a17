"""``minitorch.nn``: layers and models, with PyTorch's names.

- ``Module``, ``Parameter``: the base class of every layer, and the tensors it learns
- layers: ``Linear``, ``Identity``, ``Flatten``, ``Dropout``, activations (``ReLU``, ...)
- CNN layers: ``Conv2d``, ``MaxPool2d``, ``AvgPool2d``, ``AdaptiveAvgPool2d``, ``BatchNorm1d``,
  ``BatchNorm2d``; also ``LayerNorm`` and ``Embedding``
- attention: ``MultiheadAttention``, ``Transformer`` (and its encoder/decoder layers and stacks),
  ``SinusoidalPositionalEncoding``, ``LearnedPositionalEncoding``
- recurrent: ``RNN``, ``LSTM``, ``GRU`` and their one-step cells ``RNNCell``, ``LSTMCell``, ``GRUCell``
- containers: ``Sequential``, ``ModuleList``, ``ModuleDict``
- losses: ``MSELoss``, ``L1Loss``, ``CrossEntropyLoss``, ``NLLLoss``, ``BCELoss``, ``BCEWithLogitsLoss``
- ``nn.functional`` (as ``F``): the same operations as plain functions, and the losses
- ``nn.init``: weight initialisation; ``nn.utils``: gradient clipping; ``nn.utils.rnn``: padding and packing sequences
"""
from . import functional, init, utils
from .activation import GELU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .container import ModuleDict, ModuleList, Sequential
from .conv import Conv2d
from .dropout import Dropout
from .flatten import Flatten
from .linear import Identity, Linear
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss
from .module import Module
from .multihead_attention import MultiheadAttention
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from .parameter import Parameter
from .pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from .positional_encoding import LearnedPositionalEncoding, SinusoidalPositionalEncoding
from .rnn import GRU, LSTM, RNN, RNNBase
from .rnn_cells import GRUCell, LSTMCell, RNNCell, RNNCellBase
from .sparse import Embedding
from .transformer import (
    Transformer,
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)
