"""The functions of ``nn``, as PyTorch code calls them: ``import minitorch.nn.functional as F``.

Each is a short composition of the engine's ops (Tensor methods and the ``Op`` classes of
``minitorch/functions``), so its gradient comes from those ops' hand-written backward passes;
a few are one op of their own where numerics or memory need it (``linear``,
``binary_cross_entropy``, ``batch_norm``, ``layer_norm``, ``embedding``, ``pad``, the pools).
The modules match ``nn``'s, so a layer, its function and its op share a word:

    activation     relu sigmoid tanh gelu softmax log_softmax
    linear         linear dropout
    loss           mse_loss l1_loss cross_entropy nll_loss binary_cross_entropy(_with_logits)
    conv           conv2d unfold max_pool2d avg_pool2d adaptive_avg_pool2d
    normalization  batch_norm layer_norm
    attention      scaled_dot_product_attention attention_weights (and the composite behind it)
    sparse         embedding pad
"""
from .activation import gelu, log_softmax, relu, sigmoid, softmax, tanh
from .attention import attention_weights, scaled_dot_product_attention
from .conv import adaptive_avg_pool2d, avg_pool2d, conv2d, max_pool2d, unfold
from .linear import dropout, linear
from .loss import binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, l1_loss, mse_loss, nll_loss
from .normalization import batch_norm, layer_norm
from .sparse import embedding, pad

__all__ = [
    "relu", "sigmoid", "tanh", "gelu", "softmax", "log_softmax", "linear", "dropout",
    "mse_loss", "l1_loss", "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "conv2d", "unfold", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "batch_norm", "layer_norm",
    "scaled_dot_product_attention", "attention_weights", "embedding", "pad",
]
