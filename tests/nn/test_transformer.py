"""Transformer layers, stacks and the full Transformer against PyTorch; positional encodings.

Each module must have PyTorch's state_dict keys; after loading PyTorch's weights
(float64, dropout 0, PyTorch in training mode so that it takes its reference
path) outputs and gradients must agree, with post- and pre-norm, relu and gelu,
both layouts and every kind of mask.
"""
import copy
import math

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
from minitorch.errors import ShapeError

RNG = np.random.default_rng(1)
pytestmark = pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")
SMALL = {"d_model": 8, "nhead": 2, "dim_feedforward": 12, "dropout": 0.0}


def _torch():
    return pytest.importorskip("torch")


def twins(make_ours, make_theirs):
    """Our module and PyTorch's (float64) with identical state_dict keys and PyTorch's weights."""
    torch = _torch()
    torch.manual_seed(0)
    theirs = make_theirs(torch.nn).double()
    ours = make_ours(nn).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({key: value.numpy() for key, value in theirs.state_dict().items()})
    return ours, theirs


def against_torch(ours, theirs, inputs, **masks):
    """Call both on the same float64 inputs and masks; compare outputs and all gradients."""
    torch = _torch()
    mine_in = [minitorch.tensor(a, requires_grad=True) for a in inputs]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in inputs]
    kw_ours = {k: minitorch.tensor(m) if isinstance(m, np.ndarray) else m for k, m in masks.items()}
    kw_theirs = {k: torch.tensor(m) if isinstance(m, np.ndarray) else m for k, m in masks.items()}
    out, ref = ours(*mine_in, **kw_ours), theirs(*theirs_in, **kw_theirs)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-9, atol=1e-11)
    cotangent = RNG.normal(size=tuple(ref.shape))
    out.backward(minitorch.tensor(cotangent))
    ref.backward(torch.tensor(cotangent))
    for mine, theirs_ in zip(mine_in, theirs_in):
        np.testing.assert_allclose(mine.grad.numpy(), theirs_.grad.numpy(), rtol=1e-8, atol=1e-10)
    their_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        np.testing.assert_allclose(param.grad.numpy(), their_params[name].grad.numpy(), rtol=1e-8, atol=1e-10)
    return out


def seq(batch_first, N, T, d=8):
    return RNG.normal(size=(N, T, d) if batch_first else (T, N, d))


def causal(T):
    return np.triu(np.full((T, T), -np.inf), k=1)


def padding(N, S, kind="float"):
    """Key padding: the last two positions of sequence 0; bool (True = padding) or float (-inf)."""
    mask = np.zeros((N, S), bool)
    mask[0, -2:] = True
    return mask if kind == "bool" else np.where(mask, -np.inf, 0.0)


# ------------------------------------------------------------------------------------ layers
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_encoder_layer_matches_torch(norm_first, activation, batch_first):
    kw = dict(SMALL, activation=activation, norm_first=norm_first, batch_first=batch_first)
    ours, theirs = twins(lambda m: m.TransformerEncoderLayer(**kw), lambda m: m.TransformerEncoderLayer(**kw))
    x = seq(batch_first, 3, 5)
    against_torch(ours, theirs, [x], src_mask=causal(5), src_key_padding_mask=padding(3, 5))


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_causal_hint_matches_torch(norm_first):
    kw = dict(SMALL, norm_first=norm_first, batch_first=True)
    ours, theirs = twins(lambda m: m.TransformerEncoderLayer(**kw), lambda m: m.TransformerEncoderLayer(**kw))
    against_torch(ours, theirs, [seq(True, 2, 6)], src_mask=causal(6), is_causal=True)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
def test_decoder_layer_matches_torch(norm_first, activation):
    kw = dict(SMALL, activation=activation, norm_first=norm_first)
    ours, theirs = twins(lambda m: m.TransformerDecoderLayer(**kw), lambda m: m.TransformerDecoderLayer(**kw))
    tgt, memory = seq(False, 3, 4), seq(False, 3, 6)
    memory_mask = RNG.random((4, 6)) < 0.3
    memory_mask[:, 0] = False
    against_torch(ours, theirs, [tgt, memory], tgt_mask=causal(4), memory_mask=memory_mask,
                  tgt_key_padding_mask=padding(3, 4), memory_key_padding_mask=padding(3, 6, "bool"))


def test_layers_accept_a_callable_activation_and_no_bias():
    torch = _torch()
    kw = dict(SMALL, bias=False, batch_first=True)
    ours, theirs = twins(lambda m: m.TransformerEncoderLayer(activation=nn.GELU("tanh"), **kw),
                         lambda m: m.TransformerEncoderLayer(activation=torch.nn.GELU("tanh"), **kw))
    assert ours.linear1.bias is None and ours.norm1.bias is None
    against_torch(ours, theirs, [seq(True, 2, 3)])


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("layer_class", [nn.TransformerEncoderLayer, nn.TransformerDecoderLayer])
def test_dropout_one_drops_every_residual_branch(layer_class, norm_first):
    """With p = 1 each branch's dropout zeroes it: a pre-norm layer returns its input, a post-norm
    layer only its LayerNorms of it."""
    layer = layer_class(8, 2, dim_feedforward=12, dropout=1.0, norm_first=norm_first)
    decoder = layer_class is nn.TransformerDecoderLayer
    x = minitorch.randn(4, 2, 8)
    with minitorch.no_grad():
        out = layer(x, minitorch.randn(3, 2, 8)) if decoder else layer(x)
        expected = x
        if not norm_first:
            for norm in (layer.norm1, layer.norm2, layer.norm3) if decoder else (layer.norm1, layer.norm2):
                expected = norm(expected)
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="'relu', 'gelu' or a callable.*'swish'"):
        nn.TransformerEncoderLayer(8, 2, activation="swish")


# ------------------------------------------------------------------------------------ stacks
@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_stack_matches_torch_and_detects_the_causal_mask(norm_first):
    kw = dict(SMALL, norm_first=norm_first)
    ours, theirs = twins(
        lambda m: m.TransformerEncoder(m.TransformerEncoderLayer(**kw), 3, norm=m.LayerNorm(8)),
        lambda m: m.TransformerEncoder(m.TransformerEncoderLayer(**kw), 3, norm=m.LayerNorm(8),
                                       enable_nested_tensor=False),
    )
    assert "layers.2.self_attn.in_proj_weight" in ours.state_dict() and "norm.weight" in ours.state_dict()
    against_torch(ours, theirs, [seq(False, 2, 5)], mask=causal(5), src_key_padding_mask=padding(2, 5))
    against_torch(ours, theirs, [seq(False, 2, 5)], mask=causal(5))  # detected: SDPA's is_causal path
    against_torch(ours, theirs, [seq(False, 2, 5)], mask=causal(5).T.copy())  # not causal: used as is


def test_causal_masks_are_detected_float_or_bool():
    from minitorch.nn.transformer import _is_causal_mask

    assert _is_causal_mask(nn.Transformer.generate_square_subsequent_mask(4), 4)
    assert _is_causal_mask(minitorch.tensor(np.triu(np.ones((4, 4), bool), k=1)), 4)
    assert not _is_causal_mask(minitorch.tensor(np.triu(np.ones((4, 4), bool), k=2)), 4)
    assert not _is_causal_mask(nn.Transformer.generate_square_subsequent_mask(4), 5)
    assert not _is_causal_mask(None, 4)


def test_encoder_stack_deep_copies_the_layer():
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=12)
    encoder = nn.TransformerEncoder(layer, 2)
    first, second = (encoder.layers[i].linear1.weight for i in (0, 1))
    assert first is not second and first is not layer.linear1.weight
    np.testing.assert_array_equal(first.detach().numpy(), second.detach().numpy())
    with minitorch.no_grad():
        first.fill_(0.0)
    assert (second.detach().numpy() != 0).any()


def test_decoder_stack_matches_torch():
    def make(m):
        layer = m.TransformerDecoderLayer(**SMALL, batch_first=True)
        return m.TransformerDecoder(layer, 2, norm=m.LayerNorm(8))

    ours, theirs = twins(make, make)
    against_torch(ours, theirs, [seq(True, 2, 4), seq(True, 2, 5)], tgt_mask=causal(4),
                  memory_key_padding_mask=padding(2, 5))


# ----------------------------------------------------------------------------- Transformer
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_transformer_matches_torch(norm_first, activation, batch_first):
    kw = dict(SMALL, num_encoder_layers=2, num_decoder_layers=2, activation=activation, norm_first=norm_first,
              batch_first=batch_first)
    ours, theirs = twins(lambda m: m.Transformer(**kw), lambda m: m.Transformer(**kw))
    src, tgt = seq(batch_first, 3, 6), seq(batch_first, 3, 4)
    src_padding, tgt_padding = padding(3, 6), padding(3, 4)
    out = against_torch(ours, theirs, [src, tgt], tgt_mask=causal(4), src_key_padding_mask=src_padding,
                        tgt_key_padding_mask=tgt_padding, memory_key_padding_mask=src_padding)
    assert out.shape == tgt.shape


def test_transformer_state_dict_keys_are_torchs_with_defaults():
    torch = _torch()
    ours = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=8)
    theirs = torch.nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                                  dim_feedforward=8)
    shapes = {k: tuple(v.shape) for k, v in ours.state_dict().items()}
    assert shapes == {k: tuple(v.shape) for k, v in theirs.state_dict().items()}
    assert list(shapes) == list(theirs.state_dict())


def test_transformer_reinitialises_matrices_xavier_uniform():
    model = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=32)
    w = model.encoder.layers[0].linear1.weight.detach().numpy()  # (32, 16)
    bound = math.sqrt(6 / (16 + 32))
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.8 * bound  # Linear's init would be 1/4 wide


def test_transformer_eval_mode_turns_dropout_off():
    minitorch.manual_seed(0)
    model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=8,
                           dropout=0.5)
    src, tgt = minitorch.randn(5, 2, 8), minitorch.randn(3, 2, 8)
    with minitorch.no_grad():
        assert not np.allclose(model(src, tgt).numpy(), model(src, tgt).numpy())
        model.eval()
        np.testing.assert_array_equal(model(src, tgt).numpy(), model(src, tgt).numpy())


def test_generate_square_subsequent_mask_matches_torch():
    torch = _torch()
    mask = nn.Transformer.generate_square_subsequent_mask(5)
    assert mask.dtype == minitorch.float32
    np.testing.assert_array_equal(mask.numpy(), torch.nn.Transformer.generate_square_subsequent_mask(5).numpy())
    assert nn.Transformer.generate_square_subsequent_mask(3, dtype=minitorch.float64).dtype == minitorch.float64


def test_transformer_errors_name_the_shapes():
    model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=8)
    with pytest.raises(ValueError, match=r"src \(5, 2, 8\) and tgt \(3, 4, 8\).*batch size"):
        model(minitorch.randn(5, 2, 8), minitorch.randn(3, 4, 8))
    with pytest.raises(ValueError, match="d_model=8"):
        model(minitorch.randn(5, 2, 8), minitorch.randn(3, 2, 6))
    with pytest.raises(ValueError, match="divisible"):
        nn.Transformer(d_model=10, nhead=4)


# ---------------------------------------------------------------------- positional encodings
def test_sinusoidal_encoding_follows_the_formula():
    pe = nn.SinusoidalPositionalEncoding(d_model=6, max_len=50)
    table = pe.pe.numpy()
    assert table.shape == (50, 6) and table.dtype == np.float32
    for pos, i in [(0, 0), (1, 0), (7, 1), (49, 2)]:
        angle = pos / 10000 ** (2 * i / 6)
        assert np.isclose(table[pos, 2 * i], math.sin(angle), atol=1e-6)
        assert np.isclose(table[pos, 2 * i + 1], math.cos(angle), atol=1e-6)
    assert "pe" not in pe.state_dict()  # non-persistent: recomputed, not saved


def test_sinusoidal_encoding_handles_odd_d_model():
    table = nn.SinusoidalPositionalEncoding(d_model=5, max_len=4).pe.numpy()
    assert np.isclose(table[3, 4], math.sin(3 / 10000 ** (4 / 5)))


@pytest.mark.parametrize("batch_first", [False, True])
def test_sinusoidal_encoding_is_added_per_position(batch_first):
    pe = nn.SinusoidalPositionalEncoding(d_model=4, max_len=10, batch_first=batch_first).double()
    x = seq(batch_first, 2, 3, 4)
    out = pe(minitorch.tensor(x)).numpy()
    expected = x + (pe.pe.numpy()[:3] if batch_first else pe.pe.numpy()[:3, None])
    np.testing.assert_allclose(out, expected)
    unbatched = pe(minitorch.tensor(x[0] if batch_first else x[:, 0])).numpy()
    np.testing.assert_allclose(unbatched, expected[0] if batch_first else expected[:, 0])


def test_learned_encoding_adds_trainable_embeddings():
    pe = nn.LearnedPositionalEncoding(max_len=6, d_model=4, batch_first=True).double()
    assert list(pe.state_dict()) == ["embedding.weight"]
    x = minitorch.tensor(seq(True, 2, 3, 4))
    out = pe(x)
    weight = pe.embedding.weight.detach().numpy()
    np.testing.assert_allclose(out.detach().numpy(), x.numpy() + weight[:3])
    out.sum().backward()
    grad = pe.embedding.weight.grad.numpy()
    np.testing.assert_allclose(grad[:3], 2.0)  # two sequences use each of the first 3 positions
    np.testing.assert_allclose(grad[3:], 0.0)


@pytest.mark.parametrize("module", [nn.SinusoidalPositionalEncoding(4, max_len=5),
                                    nn.LearnedPositionalEncoding(5, 4)])
def test_positional_encodings_refuse_long_or_wrong_inputs(module):
    with pytest.raises(ShapeError, match=r"max_len=5.*\(6, 2, 4\)"):
        module(minitorch.randn(6, 2, 4))
    with pytest.raises(ShapeError, match=r"d_model=4.*\(3, 2, 5\)"):
        module(minitorch.randn(3, 2, 5))


def test_encoder_layer_is_a_copyable_module():
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=12, activation="gelu")
    clone = copy.deepcopy(layer)
    assert clone.activation is layer.activation
    assert list(clone.state_dict()) == list(layer.state_dict())
