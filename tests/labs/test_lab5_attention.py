"""Lab 5: attention and a transformer block (``nn/attention.py``, ``nn/multihead_attention.py``,
``nn/transformer.py``): forward passes against hand-worked cases, invariants, and PyTorch's
numbers for fixed parameters and inputs (``fill``, ``wave``) kept as data."""
import math

import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F
from minitorch import nn
from minitorch.nn.attention import causal_future_mask
from tests.labs.lab_helpers import fill, wave

f64 = minitorch.float64


def t(shape, seed=0):
    return minitorch.tensor(np.random.default_rng(seed).standard_normal(shape), dtype=f64)


def d(data):
    return minitorch.tensor(np.asarray(data, dtype=np.float64), dtype=f64)


# ----------------------------------------------------------------------------- 5.1 attention

# One query, three keys: q.k = (1, 0, 1), so keys 0 and 2 get e^s / (2 e^s + 1) each and key 1 the rest.
Q, K, V = [[1.0, 0.0]], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]]


def _by_hand(s):
    e = math.exp(s)
    return [3 * e / (2 * e + 1), (1 + 2 * e) / (2 * e + 1)]  # w0 (1, 0) + w1 (0, 1) + w2 (2, 2)


@pytest.mark.task(id="5.1")
def test_scaled_dot_product_attention_by_hand():
    out = F.scaled_dot_product_attention(d(Q), d(K), d(V), scale=1.0)
    np.testing.assert_allclose(out.numpy(), [_by_hand(1.0)], rtol=1e-12)
    out = F.scaled_dot_product_attention(d(Q), d(K), d(V))  # the default scale 1 / sqrt(2)
    np.testing.assert_allclose(out.numpy(), [_by_hand(1 / math.sqrt(2))], rtol=1e-12)
    e = math.exp(0.3)
    w = F.attention_weights(d(Q), d(K), scale=0.3).numpy()
    np.testing.assert_allclose(w, [[e / (2 * e + 1), 1 / (2 * e + 1), e / (2 * e + 1)]], rtol=1e-12)


@pytest.mark.task(id="5.1")
def test_attention_with_masks_by_hand():
    q, k, v = d(Q), d(K), d(V)
    hide_1 = minitorch.tensor([[True, False, True]])  # bool: False hides key 1; keys 0 and 2 tie
    np.testing.assert_allclose(F.attention_weights(q, k, hide_1, scale=1.0).numpy(), [[0.5, 0, 0.5]], atol=1e-15)
    np.testing.assert_allclose(F.scaled_dot_product_attention(q, k, v, hide_1, scale=1.0).numpy(), [[1.5, 1.0]],
                               rtol=1e-12)
    bias = d([[math.log(2.0), 1.0, -math.inf]])  # additive: key 0 counts twice, key 1 as e^1, key 2 not at all
    w = F.attention_weights(q, k, bias, scale=1.0).numpy()
    np.testing.assert_allclose(w, [[2 * math.e / (3 * math.e), math.e / (3 * math.e), 0]], rtol=1e-12)


@pytest.mark.task(id="5.1")
def test_attention_invariants():
    q, k, v = t((2, 3, 4)), t((2, 5, 4), 1), t((2, 5, 6), 2)
    w = F.attention_weights(q, k).detach().numpy()
    assert w.shape == (2, 3, 5) and (w > 0).all()
    np.testing.assert_allclose(w.sum(-1), 1, rtol=1e-12)  # each query's weights are probabilities
    order = [3, 0, 4, 1, 2]  # the keys are a set: shuffling keys and values together changes nothing
    out = F.scaled_dot_product_attention(q, k, v).detach().numpy()
    np.testing.assert_allclose(F.scaled_dot_product_attention(q, k[:, order], v[:, order]).detach().numpy(), out,
                               rtol=1e-12)
    same = minitorch.ones(2, 5, 6, dtype=f64) * 3.0  # equal values: the output is that value
    np.testing.assert_allclose(F.scaled_dot_product_attention(q, k, same).detach().numpy(), 3.0, rtol=1e-12)


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

MHA = {  # PyTorch's outputs and head-averaged weights for MultiheadAttention(4, 2) with ``fill``
    "out": [[0.0524213794, 0.6384718123, -0.5260211568, -0.0834391918],
            [0.1089942608, 0.6062064608, -0.5217917682, -0.0591438892]],
    "weights": [[0.2785975506, 0.4425644951, 0.2788379543], [0.3065031827, 0.3255925072, 0.3679043101]],
    "padded_out": [[0.2676852018, 0.3931141982, -0.2789221283, -0.3037260278],
                   [0.2148018534, 0.4402597802, -0.3148820211, -0.2831071810]],
    "padded_weights": [[0.4944032008, 0.0, 0.5055967992], [0.4405329738, 0.0, 0.5594670262]],
}


def _mha(batch_first=True):
    mha = nn.MultiheadAttention(4, 2, batch_first=batch_first, dtype=f64)
    fill(mha)
    return mha


@pytest.mark.task(id="5.3")
def test_multihead_attention_values():
    x, memory = wave((1, 2, 4), 0.0), wave((1, 3, 4), 1.0)
    out, weights = _mha()(x, memory, memory)
    np.testing.assert_allclose(out.detach().numpy()[0], MHA["out"], rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(weights.detach().numpy()[0], MHA["weights"], rtol=1e-8, atol=1e-9)
    seq_first, _ = _mha(batch_first=False)(x.transpose(0, 1), memory.transpose(0, 1), memory.transpose(0, 1),
                                           need_weights=False)
    np.testing.assert_allclose(seq_first.detach().numpy()[:, 0], MHA["out"], rtol=1e-8, atol=1e-9)


@pytest.mark.task(id="5.3")
def test_multihead_attention_key_padding_mask():
    x, memory = wave((1, 2, 4), 0.0), wave((1, 3, 4), 1.0)
    pad = minitorch.tensor([[False, True, False]])  # key 1 is padding
    out, weights = _mha()(x, memory, memory, key_padding_mask=pad)
    np.testing.assert_allclose(out.detach().numpy()[0], MHA["padded_out"], rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(weights.detach().numpy()[0], MHA["padded_weights"], rtol=1e-8, atol=1e-9)
    fast, _ = _mha()(x, memory, memory, key_padding_mask=pad, need_weights=False)
    np.testing.assert_allclose(fast.detach().numpy()[0], MHA["padded_out"], rtol=1e-8, atol=1e-9)
    as_floats = minitorch.zeros(2, 3, dtype=f64).masked_fill(minitorch.tensor([[False, True, False]] * 2), -math.inf)
    same, _ = _mha()(x, memory, memory, attn_mask=as_floats)  # the same keys hidden by an (L, S) float mask
    np.testing.assert_allclose(same.detach().numpy()[0], MHA["padded_out"], rtol=1e-8, atol=1e-9)


@pytest.mark.task(id="5.3")
def test_multihead_attention_heads_are_independent():
    mha = _mha()
    x = wave((1, 2, 4), 0.0)
    per_head = minitorch.zeros(2, 2, 2, dtype=f64)  # (N*H, L, S): head 1 of the only sequence
    with minitorch.no_grad():
        per_head[1] = -math.inf  # ... sees no key at all
    _, weights = mha(x, x, x, attn_mask=per_head, average_attn_weights=False)
    weights = weights.detach().numpy()
    np.testing.assert_array_equal(weights[0, 1], 0)  # head 1: every key hidden, weights 0
    np.testing.assert_allclose(weights[0, 0].sum(-1), 1, rtol=1e-12)  # head 0 unaffected


@pytest.mark.task(id="5.3")
def test_multihead_attention_unbatched_with_appended_keys():
    mha = nn.MultiheadAttention(4, 2, add_bias_kv=True, add_zero_attn=True, dtype=f64)
    fill(mha)
    x, memory = wave((2, 4), 0.0), wave((3, 4), 1.0)  # one sequence (L, E): no batch dimension
    out, weights = mha(x, memory, memory)
    # PyTorch's numbers: the keys are memory's three, bias_k, then a zero key (the last two columns)
    np.testing.assert_allclose(out.detach().numpy(), [[-0.7251076465, -0.0478610160, -0.8916344402, 0.4089379494],
                                                      [-0.5514971537, -0.2597318321, -0.6659861003, 0.1955869515]],
                               rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(weights.detach().numpy(), [[0.1515163731, 0.3743980426, 0.0693512291, 0.1888730556,
                                                           0.2158612996],
                                                          [0.1942442133, 0.0859650157, 0.3880334909, 0.1728708258,
                                                           0.1588864544]], rtol=1e-8, atol=1e-9)
    per_head = mha(x, memory, memory, average_attn_weights=False)[1]
    assert tuple(per_head.shape) == (2, 2, 5)


# ----------------------------------------------------------------------------- 5.4 encoder layer

ENCODER = {  # PyTorch's outputs of TransformerEncoderLayer(4, 2, dim_feedforward=6) with ``fill``
    False: [[-0.3396489173, 0.9170920319, 0.5994396322, 0.2952363000],
            [0.2373511390, 0.5764598457, 0.2064061565, 0.2717386455],
            [-0.3921585184, 1.0127252565, 0.4392703483, 0.3496639676]],
    True: [[0.1622452893, 0.7037633642, -1.5441416849, -1.7173030755],
           [-1.4259911740, 0.6274422445, 0.3761648451, 0.0187405627],
           [-0.5835452810, -0.2166660138, -1.7794386331, -1.3052710680]],
}


def _encoder_layer(norm_first):
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.0, batch_first=True,
                                       norm_first=norm_first, dtype=f64)
    fill(layer)
    return layer


@pytest.mark.task(id="5.4")
@pytest.mark.parametrize("norm_first", [False, True])
def test_transformer_encoder_layer(norm_first):
    out = _encoder_layer(norm_first)(wave((1, 3, 4), 0.5)).detach().numpy()
    np.testing.assert_allclose(out[0], ENCODER[norm_first], rtol=1e-8, atol=1e-9)


@pytest.mark.task(id="5.4")
def test_encoder_layer_residuals():
    layer = _encoder_layer(True)
    with minitorch.no_grad():
        for linear in (layer.self_attn.out_proj, layer.linear2):
            linear.weight.zero_()
            linear.bias.zero_()
    x = wave((2, 3, 4), 0.1)  # both sub-blocks give 0: a pre-norm layer is then the identity
    np.testing.assert_allclose(layer(x).detach().numpy(), x.numpy(), atol=1e-15)
    layer.norm_first = False  # post-norm: the LayerNorm of x (gamma, beta of ``fill``) twice
    twice = layer.norm2(layer.norm1(x))
    np.testing.assert_allclose(layer(x).detach().numpy(), twice.detach().numpy(), rtol=1e-12)


@pytest.mark.task(id="5.4")
def test_encoder_stack_runs_every_layer_then_the_norm():
    stack = nn.TransformerEncoder(_encoder_layer(True), 2, norm=nn.LayerNorm(4, dtype=f64))
    fill(stack.layers[1], 1.0)
    x = wave((1, 3, 4), 0.5)
    by_layer = stack.norm(stack.layers[1](stack.layers[0](x)))
    np.testing.assert_allclose(stack(x).detach().numpy(), by_layer.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(stack.layers[0](x).detach().numpy()[0], ENCODER[True], rtol=1e-8, atol=1e-9)


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
