"""Lab 5: attention and a transformer block (``nn/attention.py``, ``nn/multihead_attention.py``,
``nn/transformer.py``), forward passes against numpy written from the formulas."""
import math

import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F
from minitorch import nn
from minitorch.nn.attention import causal_future_mask

f64 = minitorch.float64


def t(shape, seed=0):
    return minitorch.tensor(np.random.default_rng(seed).standard_normal(shape), dtype=f64)


def softmax_np(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def attention_np(q, k, v, allowed=None, bias=None, scale=None):
    """softmax(scale q k^T + bias, hiding keys where ``allowed`` is False) v, and the weights."""
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    s = scale * q @ np.swapaxes(k, -1, -2)
    if bias is not None:
        s = s + bias
    if allowed is not None:
        s = np.where(allowed, s, -np.inf)
    w = softmax_np(s)
    return w @ v, w


# ----------------------------------------------------------------------------- 5.1 attention

@pytest.mark.task(id="5.1")
def test_scaled_dot_product_attention():
    q, k, v = t((2, 3, 4)), t((2, 5, 4), 1), t((2, 5, 6), 2)
    out = F.scaled_dot_product_attention(q, k, v)
    np.testing.assert_allclose(out.detach().numpy(), attention_np(q.detach().numpy(), k.detach().numpy(), v.detach().numpy())[0], rtol=1e-12)
    out = F.scaled_dot_product_attention(q, k, v, scale=0.3)
    np.testing.assert_allclose(out.detach().numpy(), attention_np(q.detach().numpy(), k.detach().numpy(), v.detach().numpy(), scale=0.3)[0],
                               rtol=1e-12)


@pytest.mark.task(id="5.1")
def test_attention_with_masks():
    q, k, v = t((2, 2, 3, 4)), t((2, 2, 5, 4), 1), t((2, 2, 5, 4), 2)
    allowed = np.random.default_rng(3).random((3, 5)) < 0.6
    allowed[:, 0] = True  # every query may see at least one key
    bool_mask = minitorch.tensor(allowed)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=bool_mask)
    expected = attention_np(q.detach().numpy(), k.detach().numpy(), v.detach().numpy(), allowed=allowed)[0]
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-12)
    bias = t((3, 5), 4)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
    expected = attention_np(q.detach().numpy(), k.detach().numpy(), v.detach().numpy(), bias=bias.detach().numpy())[0]
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-12)


@pytest.mark.task(id="5.1")
def test_attention_weights_are_probabilities():
    q, k = t((3, 4)), t((6, 4), 1)
    w = F.attention_weights(q, k).detach().numpy()
    np.testing.assert_allclose(w, attention_np(q.detach().numpy(), k.detach().numpy(), k.detach().numpy())[1], rtol=1e-12)
    np.testing.assert_allclose(w.sum(-1), np.ones(3))


# ----------------------------------------------------------------------------- 5.2 causal mask

@pytest.mark.task(id="5.2")
@pytest.mark.parametrize("L, S", [(4, 4), (2, 5), (5, 2), (1, 1)])
def test_causal_future_mask(L, S):
    mask = causal_future_mask(L, S)
    assert mask.dtype is minitorch.bool_ and tuple(mask.shape) == (L, S)
    expected = np.arange(S)[None, :] > np.arange(L)[:, None]  # key j is in query i's future
    np.testing.assert_array_equal(mask.detach().numpy(), expected)


@pytest.mark.task(id="5.2")
def test_square_subsequent_mask():
    mask = nn.Transformer.generate_square_subsequent_mask(3).detach().numpy()
    np.testing.assert_array_equal(mask, [[0, -np.inf, -np.inf], [0, 0, -np.inf], [0, 0, 0]])


# ----------------------------------------------------------------------------- 5.3 multi-head

def mha_np(mha, query, key, value):
    """Multi-head attention from the formulas, with the module's parameters; inputs (N, L, E)."""
    E, H = mha.embed_dim, mha.num_heads
    D = E // H
    w, b = mha.in_proj_weight.detach().numpy(), mha.in_proj_bias.detach().numpy()
    q, k, v = query @ w[:E].T + b[:E], key @ w[E:2 * E].T + b[E:2 * E], value @ w[2 * E:].T + b[2 * E:]
    heads, weights = [], []
    for h in range(H):
        part = slice(h * D, (h + 1) * D)
        out, wts = attention_np(q[..., part], k[..., part], v[..., part])
        heads.append(out)
        weights.append(wts)
    joined = np.concatenate(heads, axis=-1)
    return joined @ mha.out_proj.weight.detach().numpy().T + mha.out_proj.bias.detach().numpy(), np.mean(weights, axis=0)


@pytest.mark.task(id="5.3")
def test_multihead_attention_batch_first():
    minitorch.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, batch_first=True, dtype=f64)
    with minitorch.no_grad():
        mha.in_proj_bias.copy_(t((24,), 5))
    x, memory = t((2, 3, 8)), t((2, 5, 8), 1)
    out, weights = mha(x, memory, memory)
    expected_out, expected_weights = mha_np(mha, x.detach().numpy(), memory.detach().numpy(), memory.detach().numpy())
    np.testing.assert_allclose(out.detach().numpy(), expected_out, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(weights.detach().numpy(), expected_weights, rtol=1e-10, atol=1e-12)


@pytest.mark.task(id="5.3")
def test_multihead_attention_sequence_first_without_weights():
    minitorch.manual_seed(1)
    mha = nn.MultiheadAttention(6, 3, dtype=f64)
    x = t((4, 2, 6))  # (L, N, E)
    out, weights = mha(x, x, x, need_weights=False)
    expected = mha_np(mha, np.swapaxes(x.detach().numpy(), 0, 1), *[np.swapaxes(x.detach().numpy(), 0, 1)] * 2)[0]
    assert weights is None
    np.testing.assert_allclose(out.detach().numpy(), np.swapaxes(expected, 0, 1), rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- 5.4 encoder layer

@pytest.mark.task(id="5.4")
@pytest.mark.parametrize("norm_first", [False, True])
def test_transformer_encoder_layer(norm_first):
    minitorch.manual_seed(2)
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True,
                                       norm_first=norm_first, dtype=f64)
    x = t((2, 4, 8))

    def attend(h):
        return layer.self_attn(h, h, h, need_weights=False)[0].detach().numpy()

    def feed_forward(h):
        hidden = np.maximum(h @ layer.linear1.weight.detach().numpy().T + layer.linear1.bias.detach().numpy(), 0)
        return hidden @ layer.linear2.weight.detach().numpy().T + layer.linear2.bias.detach().numpy()

    def norm(h, ln):
        centred = h - h.mean(-1, keepdims=True)
        return centred / np.sqrt(centred.var(-1, keepdims=True) + ln.eps) * ln.weight.detach().numpy() + ln.bias.detach().numpy()

    def as_tensor(h):
        return minitorch.tensor(h, dtype=f64)

    h = x.detach().numpy()
    if norm_first:
        h = h + attend(as_tensor(norm(h, layer.norm1)))
        h = h + feed_forward(norm(h, layer.norm2))
    else:
        h = norm(h + attend(as_tensor(h)), layer.norm1)
        h = norm(h + feed_forward(h), layer.norm2)
    np.testing.assert_allclose(layer(x).detach().numpy(), h, rtol=1e-10, atol=1e-10)
