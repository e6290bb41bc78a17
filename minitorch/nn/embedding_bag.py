"""``EmbeddingBag``: the sum, mean or max of the embeddings of each bag of ids, in one layer."""
from .. import checks
from .. import dtypes
from ..creation import empty
from ..tensor import Tensor
from . import functional as F
from .module import Module
from .parameter import Parameter
from .sparse import Embedding, _padding_index


class EmbeddingBag(Module):
    """A table of ``num_embeddings`` vectors, reduced per bag: ``F.embedding_bag`` with ``mode``
    "sum", "mean" or "max". ``weight`` (num_embeddings, embedding_dim) is drawn N(0, 1), the
    ``padding_idx`` row zeroed (its entries are left out of the bags).

    >>> import minitorch
    >>> minitorch.nn.EmbeddingBag(10, 3)
    EmbeddingBag(10, 3, mode='mean')
    """

    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
                 mode="mean", sparse=False, _weight=None, include_last_offset=False, padding_idx=None, device=None,
                 dtype=None):
        super().__init__()
        self.num_embeddings = checks.size("EmbeddingBag", "num_embeddings", num_embeddings)
        self.embedding_dim = checks.size("EmbeddingBag", "embedding_dim", embedding_dim)
        self.mode = checks.choice("EmbeddingBag", "mode", mode, ("sum", "mean", "max"))
        self.padding_idx = _padding_index(self.num_embeddings, padding_idx)
        self.max_norm, self.norm_type, self.scale_grad_by_freq = max_norm, norm_type, scale_grad_by_freq
        self.sparse, self.include_last_offset = sparse, include_last_offset
        if _weight is not None:
            self.weight = Parameter(_weight)
            return
        dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
        self.weight = Parameter(empty(num_embeddings, embedding_dim, dtype=dtype, device=device))
        self.reset_parameters()

    reset_parameters = Embedding.reset_parameters  # N(0, 1) weights, the padding row zeroed

    def forward(self, input, offsets=None, per_sample_weights=None):
        return F.embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq,
                               self.mode, self.sparse, per_sample_weights, self.include_last_offset, self.padding_idx)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
                        mode="mean", sparse=False, include_last_offset=False, padding_idx=None):
        """An EmbeddingBag holding ``embeddings`` (2-D, shared, not copied); ``freeze`` stops its training."""
        if not isinstance(embeddings, Tensor) or embeddings.ndim != 2:
            raise ValueError(
                "EmbeddingBag.from_pretrained: embeddings must be a 2-D Tensor (num_embeddings, embedding_dim)."
            )
        module = cls(*embeddings.shape, max_norm, norm_type, scale_grad_by_freq, mode, sparse, embeddings,
                     include_last_offset, padding_idx)
        module.weight.requires_grad_(not freeze)
        return module

    def extra_repr(self):
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            text += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        text += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        return text
