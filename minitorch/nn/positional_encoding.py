"""Positional encodings: telling a transformer where each token is.

Attention treats its keys as a set: permuting the input sequence permutes the
output the same way, so without help a transformer cannot tell "dog bites man"
from "man bites dog". A positional encoding adds a vector that depends on the
position to each token's embedding. Two kinds:

- ``SinusoidalPositionalEncoding``: fixed sines and cosines of geometrically
  spaced frequencies ("Attention Is All You Need", section 3.5); nothing to learn,
  and PE(pos + k) is a linear function of PE(pos) for every offset k.
- ``LearnedPositionalEncoding``: one learned vector per position (as in BERT and GPT).

PyTorch has no such modules; these are minitorch's own, with the layout
arguments of ``nn.Transformer`` (``batch_first``).
"""
import math

import numpy as np

from .. import checks
from .. import dtypes
from ..creation import arange, tensor
from ..errors import ShapeError
from .dropout import Dropout
from .module import Module
from .sparse import Embedding


def _check_positive(op, **values):
    for name, n in values.items():
        checks.integer(op, name, n, minimum=1)


def _positions(module, x):
    """The sequence length of ``x``, and whether it comes first (then the encodings need a batch axis).

    (L, N, d) with batch_first=False: L first; (N, L, d) with batch_first=True, and one unbatched
    (L, d) sequence: L second to last.
    """
    op = type(module).__name__
    max_len, d_model, batch_first = module.max_len, module.d_model, module.batch_first
    seq_first = x.ndim == 3 and not batch_first
    if x.ndim not in (2, 3) or x.shape[-1] != d_model or x.shape[0 if seq_first else -2] > max_len:
        raise ShapeError(
            f"{op}: expected an input (L, N, d_model), or (N, L, d_model) with batch_first=True, or "
            f"(L, d_model), with d_model={d_model} and L <= max_len={max_len}; got shape "
            f"{tuple(x.shape)} (batch_first={batch_first})."
        )
    return x.shape[0 if seq_first else -2], seq_first


class SinusoidalPositionalEncoding(Module):
    """Adds the fixed sinusoidal encoding of "Attention Is All You Need", then dropout.

    For position pos and feature pairs i = 0, 1, ..., d_model/2 - 1::

        PE[pos, 2i]     = sin(pos / 10000^(2i / d_model))
        PE[pos, 2i + 1] = cos(pos / 10000^(2i / d_model))

    Low features oscillate fast (wavelength 2 pi), high ones slowly (up to 10000 * 2 pi).
    The table PE (max_len, d_model) is a non-persistent buffer ``pe``: it follows ``to(dtype)``
    but is not saved in the state_dict (it is recomputed on construction).
    Input (L, N, d_model), or (N, L, d_model) with ``batch_first=True``, or (L, d_model).
    minitorch's own module: PyTorch has no positional-encoding class.
    """

    def __init__(self, d_model, max_len=5000, dropout=0.0, batch_first=False):
        super().__init__()
        _check_positive("SinusoidalPositionalEncoding", d_model=d_model, max_len=max_len)
        self.d_model, self.max_len, self.batch_first = d_model, max_len, batch_first
        ### BEGIN SOLUTION 5.5: register the (max_len, d_model) float32 table PE of the docstring as the non-persistent buffer "pe"
        position = np.arange(max_len)[:, None]  # (max_len, 1)
        frequency = np.exp(-math.log(10000.0) * np.arange(0, d_model, 2) / d_model)  # 1 / 10000^(2i/d)
        pe = np.zeros((max_len, d_model))
        pe[:, 0::2] = np.sin(position * frequency)
        pe[:, 1::2] = np.cos(position * frequency[: d_model // 2])  # odd d_model: one cosine fewer
        self.register_buffer("pe", tensor(pe, dtype=dtypes.float32), persistent=False)
        ### END SOLUTION
        self.dropout = Dropout(dropout)

    def forward(self, x):
        ### BEGIN SOLUTION 5.5: x plus the encodings of its positions (any of the three layouts), then dropout
        L, seq_first = _positions(self, x)
        pe = self.pe[:L].to(x.dtype)  # (L, d_model)
        return self.dropout(x + (pe.unsqueeze(1) if seq_first else pe))
        ### END SOLUTION

    def extra_repr(self):
        return f"d_model={self.d_model}, max_len={self.max_len}, batch_first={self.batch_first}"


class LearnedPositionalEncoding(Module):
    """Adds a learned vector per position, ``embedding.weight[pos]``, then dropout.

    ``embedding`` is an ``nn.Embedding(max_len, d_model)`` (initialised N(0, 1), as Embedding
    is), trained with the rest of the model. Inputs as in SinusoidalPositionalEncoding.
    minitorch's own module: PyTorch has no positional-encoding class.
    """

    def __init__(self, max_len, d_model, dropout=0.0, batch_first=False):
        super().__init__()
        _check_positive("LearnedPositionalEncoding", max_len=max_len, d_model=d_model)
        self.max_len, self.d_model, self.batch_first = max_len, d_model, batch_first
        self.embedding = Embedding(max_len, d_model)
        self.dropout = Dropout(dropout)

    def forward(self, x):
        ### BEGIN SOLUTION 5.5: x plus the learned vectors of its positions (any of the three layouts), then dropout
        L, seq_first = _positions(self, x)
        pe = self.embedding(arange(L, device=x.device))  # (L, d_model)
        return self.dropout(x + (pe.unsqueeze(1) if seq_first else pe))
        ### END SOLUTION

    def extra_repr(self):
        return f"max_len={self.max_len}, d_model={self.d_model}, batch_first={self.batch_first}"
