"""The transformer of "Attention Is All You Need", with PyTorch's classes, arguments and names.

An encoder layer refines a sequence by letting every position look at every
other (self-attention), then transforming each position on its own (a two-layer
feed-forward network, FFN). Each of those sub-blocks is wrapped in a residual
connection and a LayerNorm, either after (post-norm, the paper's and the default)
or before (pre-norm, ``norm_first=True``, which trains more stably when deep)::

    post-norm:  x = norm1(x + SA(x));         x = norm2(x + FFN(x))
    pre-norm:   x = x + SA(norm1(x));         x = x + FFN(norm2(x))

    SA(x)  = dropout1(self_attn(x, x, x))
    FFN(x) = dropout2(linear2(dropout(activation(linear1(x)))))

A decoder layer adds cross-attention between its self-attention and its FFN:
queries from the target sequence, keys and values from the encoder's output
(the "memory"). ``TransformerEncoder``/``TransformerDecoder`` stack N copies of
a layer; ``Transformer`` joins an encoder and a decoder.

Submodule and parameter names are PyTorch's, so state_dicts move between the
two: ``encoder.layers.0.self_attn.in_proj_weight``, ``decoder.norm.weight``, ...
"""
import copy
import weakref

from .. import checks
from .. import dtypes
from ..creation import zeros
from . import functional as F
from . import init
from .attention import causal_future_mask
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .multihead_attention import MultiheadAttention
from .normalization import LayerNorm


def _activation(op, activation):
    """"relu" or "gelu" as the function, or a callable (function or module) as is."""
    if isinstance(activation, str):
        example = "a callable (e.g. nn.GELU(approximate='tanh'))"
        return {"relu": F.relu, "gelu": F.gelu}[checks.choice(op, "activation", activation, ("relu", "gelu"), example)]
    if not callable(activation):
        raise TypeError(f"{op}: activation must be 'relu', 'gelu' or a callable, got {type(activation).__name__}.")
    return activation


def _feed_forward(layer, x):
    """The position-wise FFN (d_model -> dim_feedforward -> d_model): linear2(dropout(act(linear1(x))))."""
    ### BEGIN SOLUTION 5.4: the position-wise feed-forward network of the layer, on x
    return layer.linear2(layer.dropout(layer.activation(layer.linear1(x))))
    ### END SOLUTION


#: id(mask) -> (weak reference to it, its version, whether it is causal): the answer per mask object.
_CAUSAL_MASKS = {}


def _is_causal_mask(mask, size):
    """True if ``mask`` is the (size, size) causal mask, float or bool (PyTorch's detection rule).

    Comparing the values reads them on the host (a GPU sync), so the answer is kept per mask
    object and recomputed only when the mask is changed in place (its version moves): a
    training loop that passes the same mask every step compares it once.
    """
    if mask is None or tuple(mask.shape) != (size, size):
        return False
    key = id(mask)
    seen = _CAUSAL_MASKS.get(key)
    if seen is not None and seen[0]() is mask and seen[1] == mask._version[0]:
        return seen[2]
    if mask.dtype is dtypes.bool_:
        causal = causal_future_mask(size, size, mask.device)
    else:
        causal = Transformer.generate_square_subsequent_mask(size, mask.device, mask.dtype)
    answer = bool((mask == causal).all())
    forget = lambda _, key=key: _CAUSAL_MASKS.pop(key, None)  # noqa: E731  (when the mask is freed)
    _CAUSAL_MASKS[key] = (weakref.ref(mask, forget), mask._version[0], answer)
    return answer


class TransformerEncoderLayer(Module):
    """Self-attention and a feed-forward network, each with a residual connection and a LayerNorm.

    ``forward(src, src_mask=None, src_key_padding_mask=None, is_causal=False)``: src is
    (S, N, d_model), or (N, S, d_model) with ``batch_first``; masks as in MultiheadAttention
    (bool True = not allowed, or float added). ``activation`` is a callable (default F.relu), "relu" or "gelu".
    Submodules: ``self_attn``, ``linear1``, ``dropout``, ``linear2``, ``norm1``, ``norm2``,
    ``dropout1``, ``dropout2``.
    """

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=F.relu,
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True, device=None, dtype=None):
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first,
                                            **factory)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **factory)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **factory)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.activation = _activation(type(self).__name__, activation)

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        ### BEGIN SOLUTION 5.4: self-attention, then the FFN, each residual with a LayerNorm after it (before if norm_first)
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            x = x + self.dropout2(_feed_forward(self, self.norm2(x)))
        else:
            x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
            x = self.norm2(x + self.dropout2(_feed_forward(self, x)))
        return x
        ### END SOLUTION

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal):
        ### BEGIN SOLUTION 5.4: x attending to itself under the masks (no attention weights needed), then dropout1
        x = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                           need_weights=False, is_causal=is_causal)[0]
        return self.dropout1(x)
        ### END SOLUTION


class TransformerDecoderLayer(Module):
    """Self-attention on the target, cross-attention to the memory, and a feed-forward network.

    Each of the three sub-blocks has a residual connection and a LayerNorm (after it, or before
    it with ``norm_first``). ``forward(tgt, memory, tgt_mask=None, memory_mask=None,
    tgt_key_padding_mask=None, memory_key_padding_mask=None, tgt_is_causal=False,
    memory_is_causal=False)``. Submodules: ``self_attn``, ``multihead_attn``, ``linear1``,
    ``dropout``, ``linear2``, ``norm1``, ``norm2``, ``norm3``, ``dropout1``, ``dropout2``, ``dropout3``.
    """

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=F.relu,
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True, device=None, dtype=None):
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first,
                                            **factory)
        self.multihead_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                                 batch_first=batch_first, **factory)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **factory)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **factory)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.dropout3 = Dropout(dropout)
        self.activation = _activation(type(self).__name__, activation)

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        ### BEGIN SOLUTION 5.9: self-attention, cross-attention to memory, then the FFN (dropout3), each residual with a LayerNorm after it (before if norm_first)
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal)
            x = x + self._mha_block(self.norm2(x), memory, memory_mask, memory_key_padding_mask,
                                    memory_is_causal)
            x = x + self.dropout3(_feed_forward(self, self.norm3(x)))
        else:
            x = self.norm1(x + self._sa_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal))
            x = self.norm2(x + self._mha_block(x, memory, memory_mask, memory_key_padding_mask,
                                               memory_is_causal))
            x = self.norm3(x + self.dropout3(_feed_forward(self, x)))
        return x
        ### END SOLUTION

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal):
        ### BEGIN SOLUTION 5.9: x attending to itself under the masks (no attention weights needed), then dropout1
        x = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                           need_weights=False, is_causal=is_causal)[0]
        return self.dropout1(x)
        ### END SOLUTION

    def _mha_block(self, x, memory, attn_mask, key_padding_mask, is_causal):
        ### BEGIN SOLUTION 5.9: x's queries attending to memory's keys and values under the memory masks, then dropout2
        x = self.multihead_attn(x, memory, memory, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                                need_weights=False, is_causal=is_causal)[0]
        return self.dropout2(x)
        ### END SOLUTION


def _clones(layer, num_layers):
    """A ModuleList of ``num_layers`` independent deep copies of ``layer`` (same initial weights)."""
    checks.integer("Transformer", "num_layers", num_layers, minimum=0)
    return ModuleList([copy.deepcopy(layer) for _ in range(num_layers)])


def _sequence_length(x, batch_first):
    """The sequence length of a (L, N, E) / (N, L, E) / unbatched (L, E) input."""
    return x.shape[1] if batch_first and x.ndim == 3 else x.shape[0]


class TransformerEncoder(Module):
    """``num_layers`` deep copies of ``encoder_layer`` applied in turn, then ``norm`` if given.

    The copies start with identical weights, as in PyTorch (re-initialise them if that matters).
    ``forward(src, mask=None, src_key_padding_mask=None, is_causal=None)``: with
    ``is_causal=None`` a ``mask`` equal to the causal mask is detected and flagged as such.
    ``enable_nested_tensor`` and ``mask_check`` are accepted for compatibility with PyTorch code
    and have no effect (they select PyTorch's sparse fast path).
    """

    def __init__(self, encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True):
        super().__init__()
        self.layers = _clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=None):
        if is_causal is None:
            batch_first = len(self.layers) > 0 and self.layers[0].self_attn.batch_first
            is_causal = _is_causal_mask(mask, _sequence_length(src, batch_first))
        ### BEGIN SOLUTION 5.4: src through every layer in turn (the same masks for each), then norm if there is one
        output = src
        for layer in self.layers:
            output = layer(output, src_mask=mask, src_key_padding_mask=src_key_padding_mask,
                           is_causal=is_causal)
        return output if self.norm is None else self.norm(output)
        ### END SOLUTION


class TransformerDecoder(Module):
    """``num_layers`` deep copies of ``decoder_layer`` applied in turn, then ``norm`` if given.

    ``forward(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
    memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False)``; with
    ``tgt_is_causal=None`` a causal ``tgt_mask`` is detected, as in TransformerEncoder.
    """

    def __init__(self, decoder_layer, num_layers, norm=None):
        super().__init__()
        self.layers = _clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False):
        if tgt_is_causal is None:
            batch_first = len(self.layers) > 0 and self.layers[0].self_attn.batch_first
            tgt_is_causal = _is_causal_mask(tgt_mask, _sequence_length(tgt, batch_first))
        ### BEGIN SOLUTION 5.9: tgt through every layer in turn with memory (the same masks for each), then norm if there is one
        output = tgt
        for layer in self.layers:
            output = layer(output, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                           tgt_key_padding_mask=tgt_key_padding_mask,
                           memory_key_padding_mask=memory_key_padding_mask,
                           tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)
        return output if self.norm is None else self.norm(output)
        ### END SOLUTION


class Transformer(Module):
    """An encoder-decoder transformer: ``decoder(tgt, encoder(src))``.

    Builds ``encoder`` (a TransformerEncoder of ``num_encoder_layers`` layers and a final
    LayerNorm ``encoder.norm``) and ``decoder`` (likewise), unless ``custom_encoder`` /
    ``custom_decoder`` are given. Every weight matrix is then re-drawn Xavier-uniform, as in
    PyTorch. ``forward(src, tgt, src_mask=None, tgt_mask=None, memory_mask=None,
    src_key_padding_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None,
    src_is_causal=None, tgt_is_causal=None, memory_is_causal=False)``: src (S, N, d_model),
    tgt (T, N, d_model) (batch first with ``batch_first``) -> output shaped like tgt.
    For a decoder that must not see the future, pass
    ``tgt_mask=Transformer.generate_square_subsequent_mask(T)``.
    """

    def __init__(self, d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
                 dropout=0.1, activation=F.relu, custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-5,
                 batch_first=False, norm_first=False, bias=True, device=None, dtype=None):
        super().__init__()
        layer_args = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first,
                      norm_first, bias, device, dtype)
        factory = {"eps": layer_norm_eps, "bias": bias, "device": device, "dtype": dtype}
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            self.encoder = TransformerEncoder(TransformerEncoderLayer(*layer_args), num_encoder_layers,
                                              LayerNorm(d_model, **factory))
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            self.decoder = TransformerDecoder(TransformerDecoderLayer(*layer_args), num_decoder_layers,
                                              LayerNorm(d_model, **factory))
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first
        self._reset_parameters()

    def _reset_parameters(self):
        """Xavier-uniform for every parameter with more than one dimension (PyTorch's choice)."""
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p)

    def forward(self, src, tgt, src_mask=None, tgt_mask=None, memory_mask=None, src_key_padding_mask=None,
                tgt_key_padding_mask=None, memory_key_padding_mask=None, src_is_causal=None, tgt_is_causal=None,
                memory_is_causal=False):
        batch_dim = 0 if self.batch_first else 1
        if src.ndim != tgt.ndim or (src.ndim == 3 and src.shape[batch_dim] != tgt.shape[batch_dim]):
            raise ValueError(
                f"Transformer: src {tuple(src.shape)} and tgt {tuple(tgt.shape)} must have the same batch "
                f"size (dimension {batch_dim} with batch_first={self.batch_first})."
            )
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise ValueError(
                f"Transformer: the last dimension of src {tuple(src.shape)} and tgt {tuple(tgt.shape)} "
                f"must be d_model={self.d_model}."
            )
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask,
                              is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask,
                            tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz, device=None, dtype=None):
        """The causal mask (sz, sz) as floats: 0 on and below the diagonal, -inf above it.

        Added to the scores, it stops position i from attending to any later position j > i.
        """
        ### BEGIN SOLUTION 5.2: return the (sz, sz) float mask of the docstring, on device, of dtype
        future = causal_future_mask(sz, sz, device)
        return zeros(sz, sz, device=device, dtype=dtype).masked_fill(future, float("-inf"))
        ### END SOLUTION
