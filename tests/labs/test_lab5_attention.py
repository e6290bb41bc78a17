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


@pytest.mark.task(id="5.1")
def test_causal_attention_sees_the_past_only():
    q, k, v = t((2, 3, 4)), t((2, 5, 4), 1), t((2, 5, 3), 2)
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True).detach().numpy()
    np.testing.assert_allclose(out[:, 0], v.detach().numpy()[:, 0], rtol=1e-12)  # query 0 sees key 0 only
    w = F.attention_weights(q, k, is_causal=True).detach().numpy()
    np.testing.assert_array_equal(w[:, 1, 2:], 0)
    np.testing.assert_allclose(w.sum(-1), 1)
    allowed = minitorch.tensor([[False, True, True, False, False]] * 3)
    hidden = minitorch.tensor([[False] * 5] + [[True] * 5] * 2)  # query 0 may see no key: its row is 0
    np.testing.assert_array_equal(F.attention_weights(q, k, hidden & allowed).detach().numpy()[:, 0], 0)


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


# ----------------------------------------------------------------------------- 5.5 positional encodings

@pytest.mark.task(id="5.5")
def test_sinusoidal_table_by_hand():
    pe = nn.SinusoidalPositionalEncoding(4, max_len=3).pe.numpy()
    assert pe.shape == (3, 4) and pe.dtype == np.float32
    # position 0: sin 0 = 0, cos 0 = 1; position 2, pair i = 1: angle 2 / 10000^(2/4) = 0.02
    np.testing.assert_allclose(pe[0], [0, 1, 0, 1])
    np.testing.assert_allclose(pe[1], [math.sin(1), math.cos(1), math.sin(0.01), math.cos(0.01)], rtol=1e-6)
    np.testing.assert_allclose(pe[2, 2:], [math.sin(0.02), math.cos(0.02)], rtol=1e-6)
    odd = nn.SinusoidalPositionalEncoding(3, max_len=2).pe.numpy()  # one cosine fewer than sines
    np.testing.assert_allclose(odd[1], [math.sin(1), math.cos(1), math.sin(1 / 10000 ** (2 / 3))], rtol=1e-6)


@pytest.mark.task(id="5.5")
def test_positional_encodings_add_per_position_in_every_layout():
    pe = nn.SinusoidalPositionalEncoding(4, max_len=5)
    table = pe.pe.numpy().astype(np.float64)
    x = t((3, 2, 4))  # (L, N, d)
    np.testing.assert_allclose(pe(x).detach().numpy() - x.detach().numpy(), np.repeat(table[:3, None], 2, 1),
                               rtol=1e-12)
    batch_first = nn.SinusoidalPositionalEncoding(4, max_len=5, batch_first=True)
    np.testing.assert_allclose(batch_first(x).detach().numpy() - x.detach().numpy(),
                               np.repeat(table[None, :2], 3, 0), rtol=1e-12)
    np.testing.assert_allclose(pe(x[:, 0]).detach().numpy() - x[:, 0].detach().numpy(), table[:3], rtol=1e-12)
    learned = nn.LearnedPositionalEncoding(5, 4, batch_first=True).double()
    w = learned.embedding.weight.detach().numpy()
    np.testing.assert_allclose(learned(x).detach().numpy() - x.detach().numpy(), np.repeat(w[None, :2], 3, 0),
                               rtol=1e-12)
    seq_first = nn.LearnedPositionalEncoding(5, 4).double()
    w = seq_first.embedding.weight.detach().numpy()  # position l is added to both sequences of (L, N, d)
    np.testing.assert_allclose(seq_first(x).detach().numpy() - x.detach().numpy(), np.repeat(w[:3, None], 2, 1),
                               rtol=1e-12)


# ----------------------------------------------------------------------------- 5.6 the GPT

def _tiny_gpt(seed=0):
    from minitorch.examples.gpt import GPT
    minitorch.manual_seed(seed)
    return GPT(5, context=4, width=8, layers=1, heads=2, dropout=0.0).double()


@pytest.mark.task(id="5.6")
def test_gpt_logits_are_causal():
    model = _tiny_gpt()
    ids = minitorch.tensor([[1, 2, 3, 4], [0, 0, 1, 2]])
    logits = model(ids).detach().numpy()
    assert logits.shape == (2, 4, 5)
    changed = ids.numpy().copy()
    changed[:, 2:] = (changed[:, 2:] + 1) % 5  # the future must not change the past's logits
    np.testing.assert_allclose(model(minitorch.tensor(changed)).detach().numpy()[:, :2], logits[:, :2], rtol=1e-12)
    np.testing.assert_allclose(model(ids[:, :1]).detach().numpy(), logits[:, :1], rtol=1e-12)
    assert not np.allclose(model(minitorch.tensor(changed)).detach().numpy()[:, 2:], logits[:, 2:])


@pytest.mark.task(id="5.6")
def test_gpt_features_and_embed_shapes_and_position():
    model = _tiny_gpt(1)
    same = minitorch.tensor([[3, 3, 3]])
    h = model.embed(same).detach().numpy()
    assert h.shape == (1, 3, 8) and not np.allclose(h[0, 0], h[0, 1])  # the position is added
    f = model.features(same).detach().numpy()
    np.testing.assert_allclose(f.mean(-1), 0, atol=1e-12)  # the final LayerNorm (weight 1, bias 0)


@pytest.mark.task(id="5.6")
def test_generate_greedy_follows_the_argmax():
    from minitorch.data import CharTokenizer
    from minitorch.examples.gpt import generate
    model, tok = _tiny_gpt(2), CharTokenizer("abcde")
    text = generate(model, tok, "ab", 6, top_k=1)
    assert len(text) == 8 and text.startswith("ab")
    ids = tok.encode(text)
    for n in range(2, 8):  # each greedy step is the argmax of the last position given the last 4 ids
        window = minitorch.tensor([ids[max(0, n - 4):n]])
        assert ids[n] == int(model(window)[0, -1].detach().numpy().argmax())
    first = model(minitorch.tensor([tok.encode("ab")]))[0, -1].detach().numpy().argsort()[-2:]
    minitorch.manual_seed(0)
    drawn = {tok.encode(generate(model, tok, "ab", 1, temperature=50.0, top_k=2))[-1] for _ in range(12)}
    assert drawn == set(first.tolist())  # top_k=2 draws the two likeliest only, hot: both
    minitorch.manual_seed(0)
    hot = {generate(model, tok, "a", 5, temperature=50.0) for _ in range(4)}
    assert len(hot) > 1  # a hot sampler draws different texts


# ----------------------------------------------------------------------------- 5.7 the milestone's training

@pytest.mark.task(id="5.7")
def test_train_lm_learns_a_periodic_text():
    from minitorch.data import CharLMDataset, CharTokenizer
    from minitorch.examples.gpt import GPT, evaluate_loss, train_lm

    minitorch.manual_seed(0)
    text = "abc" * 40
    tok = CharTokenizer(text)
    model = GPT(3, context=4, width=8, layers=1, heads=2, dropout=0.0)
    before = evaluate_loss(model, tok.encode(text), "cpu")
    history = train_lm(model, CharLMDataset(text, tok, 4), 40, 8, 3e-2, "cpu", warmup=5, eval_every=20,
                       progress=False)
    assert history["step"] == [20, 40] and len(history["train_loss"]) == 2
    assert before > 1.0 and evaluate_loss(model, tok.encode(text), "cpu") < 0.2  # the next letter is certain
