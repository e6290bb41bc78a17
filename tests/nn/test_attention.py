"""Attention: F.scaled_dot_product_attention, F.attention_weights and nn.MultiheadAttention.

Values and gradients are compared with PyTorch in float64 (masks of both kinds,
causal, custom scale, L != S, broadcast batch and head dimensions); hypothesis
shapes go through gradcheck; MultiheadAttention loads PyTorch's state_dict and
must then give PyTorch's outputs, averaged weights and gradients.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.errors import ShapeError
from minitorch.testing import gradcheck
from minitorch.testing.strategies import tensors

RNG = np.random.default_rng(0)


def _torch():
    return pytest.importorskip("torch")


def _leaves(arrays, module):
    """The arrays as float64 leaves requiring grad, in minitorch or torch (``module``)."""
    return [module.tensor(a, dtype=module.float64, requires_grad=True) for a in arrays]


def _close(mine, theirs, rtol=1e-9, atol=1e-12):
    np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=atol)


def sdpa_against_torch(q, k, v, mask=None, mask_grad=False, **kwargs):
    """Run both SDPAs on the same float64 arrays; compare outputs and the gradients of q, k, v."""
    torch = _torch()
    ours, theirs = _leaves([q, k, v], minitorch), _leaves([q, k, v], torch)
    our_mask = their_mask = None
    if mask is not None:
        our_mask = minitorch.tensor(mask, requires_grad=mask_grad)
        their_mask = torch.tensor(mask, requires_grad=mask_grad)
    out = F.scaled_dot_product_attention(*ours, attn_mask=our_mask, **kwargs)
    ref = torch.nn.functional.scaled_dot_product_attention(*theirs, attn_mask=their_mask, **kwargs)
    _close(out.detach().numpy(), ref.detach().numpy())
    cotangent = RNG.normal(size=tuple(ref.shape))
    out.backward(minitorch.tensor(cotangent))
    ref.backward(torch.tensor(cotangent))
    pairs = list(zip(ours, theirs)) + ([(our_mask, their_mask)] if mask_grad else [])
    for mine, theirs_ in pairs:
        _close(mine.grad.numpy(), theirs_.grad.numpy())
    return out


def qkv(batch=(2, 3), L=4, S=6, E=5, Ev=7):
    return (RNG.normal(size=(*batch, L, E)), RNG.normal(size=(*batch, S, E)), RNG.normal(size=(*batch, S, Ev)))


# ------------------------------------------------------------------ scaled dot-product attention
def test_sdpa_matches_torch_without_mask():
    sdpa_against_torch(*qkv())


@pytest.mark.parametrize("L, S", [(4, 4), (3, 6), (6, 3)])
def test_sdpa_causal_matches_torch(L, S):
    out = sdpa_against_torch(*qkv(L=L, S=S), is_causal=True)
    assert out.shape == (2, 3, L, 7)


def test_sdpa_causal_first_query_sees_only_the_first_key():
    q, k, v = qkv(batch=(1,), L=3, S=5)
    out = F.scaled_dot_product_attention(*(minitorch.tensor(a) for a in (q, k, v)), is_causal=True)
    _close(out.numpy()[0, 0], v[0, 0])


def test_sdpa_custom_scale_matches_torch():
    sdpa_against_torch(*qkv(), scale=0.3)


def test_sdpa_bool_mask_matches_torch():
    mask = RNG.random((4, 6)) < 0.6
    mask[:, 0] = True  # every query keeps at least one key
    sdpa_against_torch(*qkv(), mask=mask)


def test_sdpa_bool_mask_true_means_take_part():
    q, k, v = qkv(batch=(), L=2, S=3)
    mask = np.array([[True, False, False], [False, False, True]])
    q, k, v = (minitorch.tensor(a) for a in (q, k, v))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=minitorch.tensor(mask))
    _close(out.numpy(), v[[0, 2]])  # one allowed key each: its value is the output


def test_sdpa_float_mask_is_added_and_gets_a_gradient():
    sdpa_against_torch(*qkv(), mask=RNG.normal(size=(2, 1, 4, 6)), mask_grad=True)


def test_sdpa_float_mask_with_minus_infinity_matches_torch():
    mask = np.where(RNG.random((3, 4, 6)) < 0.4, -np.inf, RNG.normal(size=(3, 4, 6)))
    mask[..., 2] = 0.0
    sdpa_against_torch(*qkv(), mask=mask)


@pytest.mark.parametrize("kind", ["bool", "float"])
def test_sdpa_fully_masked_query_gives_zeros_and_finite_gradients(kind):
    mask = RNG.random((4, 6)) < 0.6
    mask[:, 0] = True
    mask[1] = False  # query 1 may attend to nothing
    if kind == "float":
        mask = np.where(mask, 0.0, -np.inf)
    out = sdpa_against_torch(*qkv(), mask=mask)  # PyTorch >= 2.5 also gives zeros
    assert (out.detach().numpy()[:, :, 1] == 0).all()


def test_sdpa_broadcasts_batch_and_head_dimensions():
    q = RNG.normal(size=(3, 4, 5))  # one set of queries for every batch element
    k, v = RNG.normal(size=(2, 1, 6, 5)), RNG.normal(size=(2, 3, 6, 7))
    out = sdpa_against_torch(q, k, v, mask=RNG.random((6,)) < 0.7)
    assert out.shape == (2, 3, 4, 7)


def test_sdpa_keeps_float32():
    q, k, v = (minitorch.randn(2, 3, 4) for _ in range(3))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=minitorch.zeros(3, 3, dtype=minitorch.float64))
    assert out.dtype == minitorch.float32


def test_attention_weights_are_softmax_rows():
    q, k, _ = qkv()
    mask = RNG.random((4, 6)) < 0.5
    mask[:, 3] = True
    w = F.attention_weights(minitorch.tensor(q), minitorch.tensor(k), attn_mask=minitorch.tensor(mask)).numpy()
    scores = np.where(mask, q @ k.swapaxes(-1, -2) / np.sqrt(5), -np.inf)
    expected = np.exp(scores - scores.max(-1, keepdims=True))
    _close(w, expected / expected.sum(-1, keepdims=True))


def test_sdpa_dropout_drops_attention_weights_reproducibly():
    q, k, v = (minitorch.tensor(a) for a in qkv())
    minitorch.manual_seed(3)
    out = F.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    minitorch.manual_seed(3)
    expected = F.dropout(F.attention_weights(q, k), 0.5) @ v
    _close(out.numpy(), expected.numpy())
    assert not np.allclose(out.numpy(), F.scaled_dot_product_attention(q, k, v).numpy())
    assert (F.scaled_dot_product_attention(q, k, v, dropout_p=1.0).numpy() == 0).all()


@given(st.data())
def test_sdpa_gradcheck(data):
    L, S, E, Ev = (data.draw(st.integers(1, 3)) for _ in range(4))
    batch = data.draw(st.sampled_from([(), (2,), (1, 2)]))
    q = data.draw(tensors((*batch, L, E), unique=False))
    k = data.draw(tensors((*batch, S, E), unique=False))
    v = data.draw(tensors((*batch, S, Ev), unique=False))
    causal = data.draw(st.booleans())
    assert gradcheck(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=causal), (q, k, v))


def test_sdpa_gradcheck_with_float_mask_and_scale():
    q, k, v = (minitorch.tensor(a, requires_grad=True) for a in qkv(batch=(2,), L=3, S=4, E=2, Ev=3))
    mask = minitorch.tensor(RNG.normal(size=(3, 4)), requires_grad=True)
    assert gradcheck(lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, m, scale=0.7), (q, k, v, mask))


def test_sdpa_errors_name_the_problem():
    q, k, v = (minitorch.tensor(a) for a in qkv())
    with pytest.raises(RuntimeError, match="attn_mask or is_causal"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=minitorch.ones(4, 6) == 1, is_causal=True)
    with pytest.raises(ShapeError, match=r"query \(2, 3, 4, 5\) and key \(2, 3, 6, 4\)"):
        F.scaled_dot_product_attention(q, k[..., :4], v)
    with pytest.raises(ShapeError, match=r"key \(2, 3, 6, 5\) and value \(2, 3, 5, 7\)"):
        F.scaled_dot_product_attention(q, k, v[..., :5, :])
    with pytest.raises(ShapeError, match=r"attn_mask of shape \(5, 6\).*\(2, 3, 4, 6\)"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=minitorch.zeros(5, 6))
    with pytest.raises(ShapeError, match=r"attn_mask of shape \(7, 4, 6\)"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=minitorch.zeros(7, 4, 6))
    with pytest.raises(TypeError, match="bool .* or floating point"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=minitorch.zeros(4, 6, dtype=minitorch.int64))
    with pytest.raises(TypeError, match="same dtype"):
        F.scaled_dot_product_attention(q, k.float(), v)
    with pytest.raises(ShapeError, match="do not broadcast"):
        F.scaled_dot_product_attention(q, k[:, :2], v)


# ------------------------------------------------------------------------- MultiheadAttention
def make_mha(embed_dim=8, num_heads=2, **kwargs):
    """A torch MHA (float64, training mode: PyTorch's reference path) and ours with its weights."""
    torch = _torch()
    torch.manual_seed(0)
    theirs = torch.nn.MultiheadAttention(embed_dim, num_heads, **kwargs).double()
    ours = nn.MultiheadAttention(embed_dim, num_heads, **kwargs).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({key: value.numpy() for key, value in theirs.state_dict().items()})
    return ours, theirs


def mha_against_torch(ours, theirs, q, k, v, masks=None, **kwargs):
    """Call both modules; compare outputs, attention weights and the gradients of inputs and weights."""
    torch = _torch()
    masks = masks or {}
    mine_in, theirs_in = _leaves([q, k, v], minitorch), _leaves([q, k, v], torch)
    out, w = ours(*mine_in, **{n: minitorch.tensor(m) for n, m in masks.items()}, **kwargs)
    ref, ref_w = theirs(*theirs_in, **{n: torch.tensor(m) for n, m in masks.items()}, **kwargs)
    _close(out.detach().numpy(), ref.detach().numpy())
    assert (w is None) == (ref_w is None)
    if w is not None:
        _close(w.detach().numpy(), ref_w.detach().numpy())
    cotangent = RNG.normal(size=tuple(ref.shape))
    out.backward(minitorch.tensor(cotangent))
    ref.backward(torch.tensor(cotangent))
    for mine, theirs_ in zip(mine_in, theirs_in):
        _close(mine.grad.numpy(), theirs_.grad.numpy())
    their_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        _close(param.grad.numpy(), their_params[name].grad.numpy())
    return out, w


def seq(batch_first, N, T, features):
    return RNG.normal(size=(N, T, features) if batch_first else (T, N, features))


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_self_attention_matches_torch(batch_first, need_weights):
    ours, theirs = make_mha(batch_first=batch_first)
    x = seq(batch_first, 3, 5, 8)
    out, w = mha_against_torch(ours, theirs, x, x, x, need_weights=need_weights)
    assert out.shape == x.shape
    assert w is None if not need_weights else w.shape == (3, 5, 5)


@pytest.mark.parametrize("average", [True, False])
@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_masks_match_torch(average, need_weights):
    ours, theirs = make_mha(num_heads=4, batch_first=True)
    q, kv = seq(True, 2, 3, 8), seq(True, 2, 5, 8)
    padding = np.zeros((2, 5), bool)
    padding[0, 3:] = True  # the last two keys of sequence 0 are padding
    attn = RNG.random((3, 5)) < 0.3
    attn[:, 0] = False
    masks = {"key_padding_mask": padding, "attn_mask": attn}
    _, w = mha_against_torch(ours, theirs, q, kv, kv, masks, need_weights=need_weights,
                             average_attn_weights=average)
    if need_weights:
        assert w.shape == ((2, 3, 5) if average else (2, 4, 3, 5))
        assert (w.detach().numpy()[0, ..., 3:] == 0).all()  # padding gets no attention


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_float_and_per_head_masks_match_torch(need_weights):
    ours, theirs = make_mha(num_heads=2)
    q, kv = seq(False, 3, 4, 8), seq(False, 3, 6, 8)
    masks = {"attn_mask": RNG.normal(size=(3 * 2, 4, 6)), "key_padding_mask": RNG.normal(size=(3, 6))}
    mha_against_torch(ours, theirs, q, kv, kv, masks, need_weights=need_weights, average_attn_weights=False)


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_causal_hint_matches_torch(need_weights):
    ours, theirs = make_mha(batch_first=True)
    x = seq(True, 2, 5, 8)
    causal = np.triu(np.full((5, 5), -np.inf), k=1)
    mha_against_torch(ours, theirs, x, x, x, {"attn_mask": causal}, is_causal=True, need_weights=need_weights)


def test_mha_kdim_vdim_bias_kv_and_zero_attn_match_torch():
    ours, theirs = make_mha(kdim=3, vdim=5, add_bias_kv=True, add_zero_attn=True, bias=True)
    assert ours.in_proj_weight is None and ours.k_proj_weight.shape == (8, 3)
    q, k, v = seq(False, 2, 4, 8), seq(False, 2, 6, 3), seq(False, 2, 6, 5)
    padding = np.zeros((2, 6), bool)
    padding[1, -2:] = True
    masks = {"key_padding_mask": padding, "attn_mask": RNG.random((4, 6)) < 0.2}
    mha_against_torch(ours, theirs, q, k, v, masks)


def test_mha_without_bias_matches_torch():
    ours, theirs = make_mha(bias=False)
    assert ours.in_proj_bias is None and ours.out_proj.bias is None
    x = seq(False, 2, 3, 8)
    mha_against_torch(ours, theirs, x, x, x)


def test_mha_unbatched_input_matches_torch():
    ours, theirs = make_mha(batch_first=True)
    q, kv = RNG.normal(size=(3, 8)), RNG.normal(size=(4, 8))
    masks = {"key_padding_mask": np.array([0.0, 0.0, -np.inf, 0.0]), "attn_mask": RNG.normal(size=(2, 3, 4))}
    out, w = mha_against_torch(ours, theirs, q, kv, kv, masks)
    assert out.shape == (3, 8) and w.shape == (3, 4)


def test_mha_fully_masked_query_gets_zero_weights():
    """Deviation from PyTorch (NaN there): no key to attend to means weights 0, output = out_proj.bias."""
    mha = nn.MultiheadAttention(4, 2)
    nn.init.normal_(mha.out_proj.bias)
    x = minitorch.randn(3, 1, 4)
    attn = minitorch.tensor([[False, False, False], [True, True, True], [False, True, True]])
    for need_weights in (True, False):
        out, w = mha(x, x, x, attn_mask=attn, need_weights=need_weights)
        _close(out.detach().numpy()[1, 0], mha.out_proj.bias.detach().numpy(), rtol=1e-6)
        if need_weights:
            w = w.detach().numpy()
            assert (w[0, 1] == 0).all() and np.isclose(w[0, 2, 0], 1.0)


def test_mha_dropout_only_in_training_mode():
    minitorch.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, dropout=0.5)
    x = minitorch.randn(4, 2, 8)
    with minitorch.no_grad():
        train_a, train_b = mha(x, x, x)[0].numpy(), mha(x, x, x)[0].numpy()
        mha.eval()
        eval_a, eval_b = mha(x, x, x)[0].numpy(), mha(x, x, x, need_weights=False)[0].numpy()
    assert not np.allclose(train_a, train_b)
    _close(eval_a, eval_b)


def test_mha_initialisation_follows_torch():
    mha = nn.MultiheadAttention(16, 4)
    assert mha.in_proj_weight.shape == (48, 16) and mha.in_proj_bias.shape == (48,)
    assert np.abs(mha.in_proj_weight.detach().numpy()).max() <= np.sqrt(6 / (48 + 16))
    assert (mha.in_proj_bias.detach().numpy() == 0).all() and (mha.out_proj.bias.detach().numpy() == 0).all()


def test_mha_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"embed_dim \(10\) must be divisible by num_heads \(4\)"):
        nn.MultiheadAttention(10, 4)
    mha = nn.MultiheadAttention(8, 2)
    x = minitorch.randn(5, 3, 8)
    with pytest.raises(ShapeError, match=r"key_padding_mask must have shape \(3, 5\).*\(5, 3\)"):
        mha(x, x, x, key_padding_mask=minitorch.zeros(5, 3, dtype=minitorch.bool))
    with pytest.raises(ShapeError, match=r"\(L, S\) = \(5, 5\).*\(6, 5, 5\), got \(4, 5\)"):
        mha(x, x, x, attn_mask=minitorch.zeros(4, 5))
    with pytest.raises(ShapeError, match=r"8 features.*query \(5, 3, 6\)"):
        mha(x[..., :6], x, x)
    with pytest.raises(ShapeError, match="batch sizes"):
        mha(x, x[:, :2], x[:, :2])
    with pytest.raises(ValueError, match="generate_square_subsequent_mask"):
        mha(x, x, x, is_causal=True)
    with pytest.raises(TypeError, match="bool .* or floating point"):
        mha(x, x, x, attn_mask=minitorch.zeros(5, 5, dtype=minitorch.int64))
