"""``Embedding``: a learned lookup table from integer ids (tokens, classes) to vectors."""

from .. import checks
from .. import dtypes
from ..autograd.grad_mode import no_grad
from ..creation import empty
from ..tensor import Tensor
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter


def _padding_index(num_embeddings, padding_idx):
    """``padding_idx`` in [0, num_embeddings) (negative counts from the end), or None."""
    if padding_idx is None:
        return None
    padding_idx = checks.integer("Embedding", "padding_idx", padding_idx,
                                 minimum=-num_embeddings, maximum=num_embeddings - 1)
    return padding_idx % num_embeddings


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``: ``y = weight[input]``.

    - input: integer ids of any shape (*) -> output (*, embedding_dim)
    - ``weight`` (num_embeddings, embedding_dim), initialised N(0, 1) (PyTorch's choice)
    - ``padding_idx``: that row starts at zero and never gets a gradient (the "no token" id)
    - ``max_norm``, ``norm_type``, ``scale_grad_by_freq``, ``sparse``: as in ``F.embedding``
    - ``_weight``/``_freeze``: PyTorch's, a given initial weight (kept as is) and whether it is frozen
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None):
        super().__init__()
        self.num_embeddings = checks.size("Embedding", "num_embeddings", num_embeddings)
        self.embedding_dim = checks.size("Embedding", "embedding_dim", embedding_dim)
        self.padding_idx = _padding_index(self.num_embeddings, padding_idx)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is not None:
            self.weight = Parameter(_weight, requires_grad=not _freeze)
            return
        dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
        self.weight = Parameter(empty(num_embeddings, embedding_dim, dtype=dtype, device=device))
        self.reset_parameters()

    def reset_parameters(self):
        """Draw N(0, 1) weights (seeded generator) and zero the padding row."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx] = 0

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None):
        """An Embedding holding ``embeddings`` (2-D, shared, not copied); ``freeze`` stops its training."""
        if not isinstance(embeddings, Tensor) or embeddings.ndim != 2:
            raise ValueError(
                "Embedding.from_pretrained: embeddings must be a 2-D Tensor (num_embeddings, embedding_dim)."
            )
        module = cls(*embeddings.shape, padding_idx=padding_idx, dtype=embeddings.dtype)
        module.weight = Parameter(embeddings, requires_grad=not freeze)
        return module

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    def extra_repr(self):
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        return text if self.padding_idx is None else text + f", padding_idx={self.padding_idx}"
