"""The functions of ``nn``, as PyTorch code calls them: ``import minitorch.nn.functional as F``.

Each is a short composition of the engine's ops (Tensor methods and the ``Op`` classes of
``minitorch/functions``), so its gradient comes from those ops' hand-written backward passes;
a few are one op of their own where numerics or memory need it (``linear``,
``binary_cross_entropy``, ``batch_norm``, ``layer_norm``, ``embedding``, ``pad``, the pools).
The modules match ``nn``'s, so a layer, its function and its op share a word:

    activation     relu sigmoid tanh gelu softmax log_softmax, leaky_relu elu selu celu silu softplus
                   softsign mish hardtanh relu6 hardsigmoid hardswish logsigmoid softmin tanhshrink
                   softshrink hardshrink threshold glu prelu rrelu, in-place relu_ elu_ ...
    linear         linear dropout
    loss           mse_loss l1_loss cross_entropy nll_loss binary_cross_entropy(_with_logits)
    loss_more      smooth_l1 huber kl_div poisson_nll gaussian_nll, the margin losses and ctc_loss
    distance       normalize cosine_similarity pairwise_distance pdist one_hot
    conv           conv1d conv2d conv_transpose1d conv_transpose2d unfold fold, the 1-D and 2-D
                   max/avg/adaptive-avg/adaptive-max pools
    volumetric     conv3d conv_transpose3d max_pool3d avg_pool3d adaptive_avg_pool3d adaptive_max_pool3d
    pooling        lp_pool1d/2d/3d max_unpool1d/2d/3d fractional_max_pool2d/3d, the *_with_indices forms
    channel_shuffle  channel_shuffle native_channel_shuffle
    upsampling     interpolate, and its old names upsample upsample_nearest upsample_bilinear
    normalization  batch_norm layer_norm
    attention      scaled_dot_product_attention attention_weights (and the composite behind it)
    sparse         embedding pad
    normalization_more  group_norm instance_norm rms_norm local_response_norm
    dropout        dropout1d dropout2d dropout3d alpha_dropout feature_alpha_dropout
    vision         pixel_shuffle pixel_unshuffle affine_grid grid_sample
    bilinear       bilinear;  embedding_bag  embedding_bag;  gumbel  gumbel_softmax
"""
from .activation import (
    celu, celu_, elu, elu_, gelu, glu, hardshrink, hardsigmoid, hardswish, hardtanh, hardtanh_, leaky_relu,
    leaky_relu_, log_softmax, logsigmoid, mish, prelu, relu, relu6, relu_, rrelu, rrelu_, selu, selu_, sigmoid, silu,
    softmax, softmin, softplus, softshrink, softsign, tanh, tanhshrink, threshold, threshold_,
)
from .bilinear import bilinear
from .channel_shuffle import channel_shuffle, native_channel_shuffle
from .attention import attention_weights, scaled_dot_product_attention
from .distance import cosine_similarity, normalize, one_hot, pairwise_distance, pdist
from .conv import (
    adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_max_pool1d, adaptive_max_pool2d, avg_pool1d, avg_pool2d,
    conv1d, conv2d, conv_transpose1d, conv_transpose2d, fold, max_pool1d, max_pool2d, unfold,
)
from .dropout import alpha_dropout, dropout1d, dropout2d, dropout3d, feature_alpha_dropout
from .embedding_bag import embedding_bag
from .gumbel import gumbel_softmax
from .linear import dropout, linear
from .loss import binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, l1_loss, mse_loss, nll_loss
from .loss_more import (
    cosine_embedding_loss, ctc_loss, gaussian_nll_loss, hinge_embedding_loss, huber_loss, kl_div, margin_ranking_loss,
    multi_margin_loss, multilabel_soft_margin_loss, poisson_nll_loss, smooth_l1_loss, soft_margin_loss,
    triplet_margin_loss,
)
from .normalization import batch_norm, layer_norm
from .normalization_more import group_norm, instance_norm, local_response_norm, rms_norm
from .pooling import (
    adaptive_max_pool1d_with_indices, adaptive_max_pool2d_with_indices, adaptive_max_pool3d_with_indices,
    fractional_max_pool2d, fractional_max_pool2d_with_indices, fractional_max_pool3d,
    fractional_max_pool3d_with_indices, lp_pool1d, lp_pool2d, lp_pool3d, max_pool1d_with_indices, max_pool2d_with_indices, max_pool3d_with_indices,
    max_unpool1d, max_unpool2d, max_unpool3d,
)
from .sparse import embedding, pad
from .upsampling import interpolate, upsample, upsample_bilinear, upsample_nearest
from .vision import affine_grid, grid_sample, pixel_shuffle, pixel_unshuffle
from .volumetric import adaptive_avg_pool3d, adaptive_max_pool3d, avg_pool3d, conv3d, conv_transpose3d, max_pool3d

__all__ = [
    "relu", "sigmoid", "tanh", "gelu", "softmax", "log_softmax", "linear", "dropout",
    "mse_loss", "l1_loss", "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "conv2d", "unfold", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "batch_norm", "layer_norm",
    "scaled_dot_product_attention", "attention_weights", "embedding", "pad",
    "conv1d", "conv_transpose1d", "conv_transpose2d", "fold", "max_pool1d", "avg_pool1d", "adaptive_avg_pool1d",
    "adaptive_max_pool1d", "adaptive_max_pool2d", "interpolate",
    # activations (activations helper)
    "leaky_relu", "elu", "selu", "celu", "silu", "softplus", "softsign", "mish", "hardtanh", "relu6", "hardsigmoid",
    "hardswish", "logsigmoid", "softmin", "tanhshrink", "softshrink", "hardshrink", "threshold", "glu", "prelu",
    "rrelu", "relu_", "elu_", "selu_", "celu_", "leaky_relu_", "hardtanh_", "threshold_", "rrelu_",
    "normalize", "one_hot", "cosine_similarity", "pairwise_distance", "pdist",
    "smooth_l1_loss", "huber_loss", "kl_div", "poisson_nll_loss", "gaussian_nll_loss", "margin_ranking_loss",
    "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss", "multi_margin_loss",
    "cosine_embedding_loss", "triplet_margin_loss", "ctc_loss",
    # more layers (nnlayers helper)
    "group_norm", "instance_norm", "rms_norm", "local_response_norm", "dropout1d", "dropout2d", "dropout3d",
    "alpha_dropout", "feature_alpha_dropout", "pixel_shuffle", "pixel_unshuffle", "affine_grid", "grid_sample",
    "bilinear", "embedding_bag", "gumbel_softmax",
    # the 3-D family, unpooling, LP pooling and channel shuffle (conv3d helper)
    "conv3d", "conv_transpose3d", "max_pool3d", "avg_pool3d", "adaptive_avg_pool3d", "adaptive_max_pool3d",
    "lp_pool1d", "lp_pool2d", "lp_pool3d", "max_unpool1d", "max_unpool2d", "max_unpool3d", "channel_shuffle",
    "fractional_max_pool2d", "fractional_max_pool3d", "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d_with_indices", "max_pool1d_with_indices", "max_pool2d_with_indices",
    "max_pool3d_with_indices", "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d_with_indices", "upsample", "upsample_nearest", "upsample_bilinear", "native_channel_shuffle",
]
