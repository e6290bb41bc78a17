"""``minitorch.nn``: layers and models, with PyTorch's names.

- ``Module``, ``Parameter``: the base class of every layer, and the tensors it learns
- layers: ``Linear``, ``Identity``, ``Flatten``, ``Dropout``, activations (``ReLU``, ...)
- CNN layers: ``Conv2d``, ``MaxPool2d``, ``AvgPool2d``, ``AdaptiveAvgPool2d``, ``BatchNorm1d``,
  ``BatchNorm2d``; also ``LayerNorm`` and ``Embedding``
- the rest of the conv family: ``Conv1d``, ``ConvTranspose1d``, ``ConvTranspose2d``, ``Unfold``,
  ``Fold``, ``MaxPool1d``, ``AvgPool1d``, ``AdaptiveAvgPool1d``, ``AdaptiveMaxPool1d``,
  ``AdaptiveMaxPool2d``; resizing: ``Upsample``, ``UpsamplingNearest2d``, ``UpsamplingBilinear2d``
- attention: ``MultiheadAttention``, ``Transformer`` (and its encoder/decoder layers and stacks),
  ``SinusoidalPositionalEncoding``, ``LearnedPositionalEncoding``
- recurrent: ``RNN``, ``LSTM``, ``GRU`` and their one-step cells ``RNNCell``, ``LSTMCell``, ``GRUCell``
- containers: ``Sequential``, ``ModuleList``, ``ModuleDict``, ``ParameterList``, ``ParameterDict``
- losses: ``MSELoss``, ``L1Loss``, ``CrossEntropyLoss``, ``NLLLoss``, ``BCELoss``, ``BCEWithLogitsLoss``,
  ``SmoothL1Loss``, ``HuberLoss``, ``KLDivLoss``, ``PoissonNLLLoss``, ``GaussianNLLLoss``, ``CTCLoss`` and the margin losses
- more activations (``LeakyReLU``, ``ELU``, ``PReLU``, ``Softplus``, ...); ``Unflatten``; distances
  ``CosineSimilarity``, ``PairwiseDistance``
- more layers: ``GroupNorm``, ``InstanceNorm1d/2d/3d``, ``RMSNorm``, ``LocalResponseNorm``, ``Dropout1d/2d/3d``,
  ``AlphaDropout``, the padding layers (``ZeroPad2d``, ``ReflectionPad2d``, ...), ``PixelShuffle``, ``Bilinear``,
  ``EmbeddingBag``, ``LazyLinear``, ``LazyConv2d``, ``LazyBatchNorm2d``; ``Buffer`` (module state that is not learned)
- the 3-D family: ``Conv3d``, ``ConvTranspose3d``, ``MaxPool3d``, ``AvgPool3d``, ``AdaptiveAvgPool3d``,
  ``AdaptiveMaxPool3d``, ``BatchNorm3d``, ``LazyConv1d/3d``, ``LazyConvTranspose1d/2d/3d``, ``LazyBatchNorm1d/3d``,
  ``LazyInstanceNorm1d/2d/3d``; ``LPPool1d/2d/3d``,
  ``MaxUnpool1d/2d/3d``, ``FractionalMaxPool2d/3d``, ``ChannelShuffle``
- ``nn.functional`` (as ``F``): the same operations as plain functions, and the losses
- ``nn.parallel``: ``DistributedDataParallel`` (training on several processes), ``DataParallel`` (also as
  ``nn.DataParallel``)
- ``nn.init``: weight initialisation; ``nn.utils``: gradient clipping; ``nn.utils.rnn``: padding and packing sequences
"""
from . import functional, init, parallel, utils
from .activation import (
    CELU, ELU, GELU, GLU, SELU, Hardshrink, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU, LogSigmoid, LogSoftmax, Mish,
    PReLU, ReLU, ReLU6, RReLU, Sigmoid, SiLU, Softmax, Softmax2d, Softmin, Softplus, Softshrink, Softsign, Tanh,
    Tanhshrink, Threshold,
)
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, Fold, Unfold
from .distance import CosineSimilarity, PairwiseDistance
from .bilinear import Bilinear
from .channelshuffle import ChannelShuffle
from .dropout import AlphaDropout, Dropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout
from .embedding_bag import EmbeddingBag
from .flatten import Flatten, Unflatten
from .lazy import (
    LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d, LazyConv1d, LazyConv2d, LazyConv3d, LazyConvTranspose1d,
    LazyConvTranspose2d, LazyConvTranspose3d, LazyInstanceNorm1d, LazyInstanceNorm2d, LazyInstanceNorm3d, LazyLinear,
)
from .linear import Identity, Linear
from .loss import (
    BCELoss, BCEWithLogitsLoss, CosineEmbeddingLoss, CrossEntropyLoss, GaussianNLLLoss, HingeEmbeddingLoss, HuberLoss,
    KLDivLoss, L1Loss, MarginRankingLoss, MSELoss, MultiLabelSoftMarginLoss, MultiMarginLoss, NLLLoss, PoissonNLLLoss,
    SmoothL1Loss, SoftMarginLoss, TripletMarginLoss, CTCLoss,
)
from .module import Module
from .multihead_attention import MultiheadAttention
from .normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d, LayerNorm
from .normalization_more import GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, LocalResponseNorm, RMSNorm
from .padding import (
    CircularPad1d, CircularPad2d, CircularPad3d, ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d,
    ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, ZeroPad1d, ZeroPad2d,
    ZeroPad3d,
)
from .parameter import Buffer, Parameter
from .parallel import DataParallel
from .pixelshuffle import PixelShuffle, PixelUnshuffle
from .pooling import (
    AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d,
    AvgPool1d, AvgPool2d, AvgPool3d, FractionalMaxPool2d, FractionalMaxPool3d, LPPool1d, LPPool2d, LPPool3d, MaxPool1d, MaxPool2d, MaxPool3d,
    MaxUnpool1d, MaxUnpool2d, MaxUnpool3d,
)
from .positional_encoding import LearnedPositionalEncoding, SinusoidalPositionalEncoding
from .rnn import GRU, LSTM, RNN, RNNBase
from .rnn_cells import GRUCell, LSTMCell, RNNCell, RNNCellBase
from .sparse import Embedding
from .upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d
from .transformer import (
    Transformer,
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)
