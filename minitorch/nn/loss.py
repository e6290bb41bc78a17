"""Loss functions as modules: ``criterion = nn.CrossEntropyLoss(); loss = criterion(logits, target)``.

Each module stores its options and calls the function of the same loss in
``nn.functional``, where the formula is written down. Class weights and
``pos_weight`` are buffers, as in PyTorch: they follow ``to(dtype)`` and appear
in ``state_dict()`` under the keys ``weight`` and ``pos_weight``.
"""
from .. import checks
from . import functional as F
from .module import Module


class _Loss(Module):
    """Base of the loss modules: stores ``reduction``; PyTorch's deprecated ``size_average``/``reduce``,
    where given, decide it as in the functions."""

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        self.reduction = F.loss._reduction(type(self).__name__, size_average, reduce, reduction)


class _WeightedLoss(_Loss):
    """A loss with per-class ``weight``, kept as a buffer."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """Mean squared error, mean_i (x_i - y_i)^2 by default; see ``F.mse_loss``."""

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error, mean_i |x_i - y_i| by default; see ``F.l1_loss``."""

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy of logits (N, C) against class indices (N,); see ``F.cross_entropy``."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                 label_smoothing=0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(
            input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities (N, C) against class indices (N,); see ``F.nll_loss``."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities in [0, 1]; see ``F.binary_cross_entropy``."""

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of raw scores (logits), stable for any size; see
    ``F.binary_cross_entropy_with_logits``."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(
            input, target, weight=self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )


class _OptionsLoss(_Loss):
    """A loss with keyword options: ``forward`` calls ``F.<function>(*inputs, **options, reduction=...)``.

    Subclasses set ``function`` and ``options`` and store the options in ``__init__``; PyTorch's
    deprecated ``size_average``/``reduce`` decide the reduction as in the functions.
    """

    function = None
    options = ()

    def forward(self, *inputs):
        options = {name: getattr(self, name) for name in self.options}
        return type(self).function(*inputs, reduction=self.reduction, **options)


class SmoothL1Loss(_OptionsLoss):
    """0.5 d^2 / beta for |d| < beta, else |d| - 0.5 beta; see ``F.smooth_l1_loss``."""

    function, options = F.smooth_l1_loss, ("beta",)

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta


class HuberLoss(_OptionsLoss):
    """0.5 d^2 for |d| < delta, else delta (|d| - 0.5 delta); see ``F.huber_loss``."""

    function, options = F.huber_loss, ("delta",)

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction=reduction)
        self.delta = delta


class KLDivLoss(_OptionsLoss):
    """KL divergence of log-probabilities from a target distribution; see ``F.kl_div``
    (use ``reduction="batchmean"`` for the true KL)."""

    function, options = F.kl_div, ("log_target",)

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        if size_average is None and reduce is None:
            checks.choice("KLDivLoss", "reduction", reduction, ("mean", "batchmean", "sum", "none"))
            _Loss.__init__(self)
            self.reduction = reduction
        else:
            super().__init__(size_average, reduce, reduction)
        self.log_target = log_target


class PoissonNLLLoss(_OptionsLoss):
    """Poisson negative log-likelihood; see ``F.poisson_nll_loss``."""

    function, options = F.poisson_nll_loss, ("log_input", "full", "eps")

    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps


class GaussianNLLLoss(_OptionsLoss):
    """Gaussian negative log-likelihood of (input, target, var); see ``F.gaussian_nll_loss``."""

    function, options = F.gaussian_nll_loss, ("full", "eps")

    def __init__(self, *, full=False, eps=1e-06, reduction="mean"):
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps


class _MarginLoss(_OptionsLoss):
    options = ("margin",)

    def __init__(self, margin, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin


class MarginRankingLoss(_MarginLoss):
    """max(0, -y (x1 - x2) + margin); see ``F.margin_ranking_loss``."""

    function = F.margin_ranking_loss

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(margin, size_average, reduce, reduction)


class HingeEmbeddingLoss(_MarginLoss):
    """x for y = 1, max(0, margin - x) for y = -1; see ``F.hinge_embedding_loss``."""

    function = F.hinge_embedding_loss

    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(margin, size_average, reduce, reduction)


class CosineEmbeddingLoss(_MarginLoss):
    """1 - cos(x1, x2) for y = 1, max(0, cos(x1, x2) - margin) for y = -1; see ``F.cosine_embedding_loss``."""

    function = F.cosine_embedding_loss

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(margin, size_average, reduce, reduction)


class SoftMarginLoss(_OptionsLoss):
    """log(1 + e^(-y x)) for y = +-1; see ``F.soft_margin_loss``."""

    function = F.soft_margin_loss


class MultiLabelSoftMarginLoss(_OptionsLoss):
    """Per-class logistic loss averaged over classes, for 0/1 targets (N, C); see
    ``F.multilabel_soft_margin_loss``. ``weight`` is a buffer."""

    function, options = F.multilabel_soft_margin_loss, ("weight",)

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MultiMarginLoss(_OptionsLoss):
    """Multi-class hinge loss of scores (N, C) against class indices (N,); see ``F.multi_margin_loss``."""

    function, options = F.multi_margin_loss, ("p", "margin", "weight")

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.p, self.margin = checks.choice("MultiMarginLoss", "p", p, (1, 2)), margin
        self.register_buffer("weight", weight)


class TripletMarginLoss(_OptionsLoss):
    """max(d(a, p) - d(a, n) + margin, 0) with the p-norm distance d; see ``F.triplet_margin_loss``."""

    function, options = F.triplet_margin_loss, ("margin", "p", "eps", "swap")

    def __init__(self, margin=1.0, p=2.0, eps=1e-06, swap=False, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap


class CTCLoss(_OptionsLoss):
    """Connectionist temporal classification: -log of the summed probability of every alignment; see
    ``F.ctc_loss``. Called as ``criterion(log_probs, targets, input_lengths, target_lengths)``."""

    function, options = F.ctc_loss, ("blank", "zero_infinity")

    def __init__(self, blank=0, reduction="mean", zero_infinity=False):
        super().__init__(reduction=reduction)
        self.blank, self.zero_infinity = blank, zero_infinity
