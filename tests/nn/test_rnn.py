"""Recurrent layers and cells against PyTorch; padding and packing sequences.

Each module gets PyTorch's weights through ``load_state_dict`` (float64); outputs, final states and
the gradients of the input, the initial state and every parameter must then agree, for stacked,
bidirectional, batch-first, unbatched and packed inputs. The cells' step math is gradchecked on
hypothesis-drawn inputs, and a small character-level LSTM language model must learn.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.nn.rnn_cells import gru_step, lstm_step, rnn_step
from minitorch.nn.utils import rnn as rnn_utils
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

RNG = np.random.default_rng(3)
IN, HID = 3, 4


def _torch():
    return pytest.importorskip("torch")


def twins(name, *args, **kwargs):
    """Our module and PyTorch's (float64), with PyTorch's weights loaded into ours."""
    torch = _torch()
    torch.manual_seed(0)
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    ours = getattr(nn, name)(*args, **kwargs).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({key: value.numpy() for key, value in theirs.state_dict().items()})
    return ours, theirs


def flat(result):
    """The tensors of a result: output, h, or (output, (h, c)) as a flat list; a packed sequence's data."""
    if hasattr(result, "batch_sizes"):  # a PackedSequence (ours or PyTorch's), itself a tuple
        return [result.data]
    if isinstance(result, (tuple, list)):
        return [t for part in result for t in flat(part)]
    return [result]


def close(mine, theirs, rtol=1e-9, atol=1e-11):
    np.testing.assert_allclose(mine.detach().numpy(), theirs.detach().numpy(), rtol=rtol, atol=atol)


def against_torch(ours, theirs, make_args, leaves=flat):
    """Call both on ``make_args(lib)`` (built from the same numpy arrays with ``lib.tensor``); compare
    every result, and the gradients of ``leaves(args)`` and of every parameter."""
    torch = _torch()
    mine_args, their_args = make_args(minitorch), make_args(torch)
    mine_out, their_out = flat(ours(*mine_args)), flat(theirs(*their_args))
    assert len(mine_out) == len(their_out)
    for m, t in zip(mine_out, their_out):
        assert tuple(m.shape) == tuple(t.shape)
        close(m, t)
    cotangents = [RNG.normal(size=tuple(t.shape)) for t in their_out]
    sum((m * minitorch.tensor(c)).sum() for m, c in zip(mine_out, cotangents)).backward()
    sum((t * torch.tensor(c)).sum() for t, c in zip(their_out, cotangents)).backward()
    for m, t in zip(leaves(mine_args), leaves(their_args)):
        close(m.grad, t.grad, rtol=1e-8, atol=1e-10)
    their_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        close(param.grad, their_params[name].grad, rtol=1e-8, atol=1e-10)


def leaf(lib, array):
    return lib.tensor(array, requires_grad=True)


def state(name, lead, proj=0):
    """Random initial state(s) of shape ``lead + (features,)``, made by a function of the library."""
    h = RNG.normal(size=lead + (proj or HID,))
    if name in ("LSTM", "LSTMCell"):
        c = RNG.normal(size=lead + (HID,))
        return lambda lib: (leaf(lib, h), leaf(lib, c))
    return lambda lib: leaf(lib, h)


# ---------------------------------------------------------------------------------- layers
CONFIGS = [
    {},
    {"num_layers": 2},
    {"bidirectional": True},
    {"batch_first": True},
    {"num_layers": 2, "bidirectional": True, "batch_first": True},
    {"bias": False},
]


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("config", CONFIGS, ids=str)
@pytest.mark.parametrize("given_h0", [False, True])
def test_layer_matches_torch(name, config, given_h0):
    ours, theirs = twins(name, IN, HID, **config)
    T, N = 5, 2
    x = RNG.normal(size=(N, T, IN) if config.get("batch_first") else (T, N, IN))
    count = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    h0 = state(name, (count, N))
    against_torch(ours, theirs, lambda lib: (leaf(lib, x), h0(lib)) if given_h0 else (leaf(lib, x),))


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_layer_unbatched_matches_torch(name, bidirectional):
    ours, theirs = twins(name, IN, HID, num_layers=2, bidirectional=bidirectional)
    x, h0 = RNG.normal(size=(4, IN)), state(name, (2 * (1 + bidirectional),))
    against_torch(ours, theirs, lambda lib: (leaf(lib, x), h0(lib)))
    against_torch(ours, theirs, lambda lib: (leaf(lib, x),))


@pytest.mark.parametrize("config", [{"nonlinearity": "relu"}, {"nonlinearity": "relu", "num_layers": 2,
                                                                "bidirectional": True}], ids=str)
def test_relu_rnn_matches_torch(config):
    ours, theirs = twins("RNN", IN, HID, **config)
    x = RNG.normal(size=(6, 3, IN))
    against_torch(ours, theirs, lambda lib: (leaf(lib, x),))


@pytest.mark.parametrize("config", [{}, {"num_layers": 2, "bidirectional": True}], ids=str)
def test_lstm_projection_matches_torch(config):
    ours, theirs = twins("LSTM", IN, HID, proj_size=2, **config)
    assert ours.weight_hr_l0.shape == (2, HID) and ours.weight_hh_l0.shape == (4 * HID, 2)
    count = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    x, h0 = RNG.normal(size=(5, 2, IN)), state("LSTM", (count, 2), proj=2)
    against_torch(ours, theirs, lambda lib: (leaf(lib, x), h0(lib)))


def test_state_dicts_load_both_ways():
    torch = _torch()
    ours = nn.LSTM(IN, HID, num_layers=2, bidirectional=True)
    theirs = torch.nn.LSTM(IN, HID, num_layers=2, bidirectional=True)
    theirs.load_state_dict({key: torch.tensor(value.numpy()) for key, value in ours.state_dict().items()})
    x = RNG.normal(size=(3, 2, IN)).astype(np.float32)
    close(ours(minitorch.tensor(x))[0], theirs(torch.tensor(x))[0], rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------------------------- cells
@pytest.mark.parametrize("name, kwargs", [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}),
                                          ("LSTMCell", {}), ("GRUCell", {}), ("GRUCell", {"bias": False})], ids=str)
@pytest.mark.parametrize("batch", [None, 3])
def test_cell_matches_torch(name, kwargs, batch):
    ours, theirs = twins(name, IN, HID, **kwargs)
    x = RNG.normal(size=(IN,) if batch is None else (batch, IN))
    hx = state(name, () if batch is None else (batch,))
    against_torch(ours, theirs, lambda lib: (leaf(lib, x), hx(lib)))
    against_torch(ours, theirs, lambda lib: (leaf(lib, x),))


STEPS = {
    "rnn": (lambda gi, w_hh, b_hh, h, c: rnn_step(gi, (h,), w_hh, b_hh)[0], 1),
    "lstm": (lambda gi, w_hh, b_hh, h, c: lstm_step(gi, (h, c), w_hh, b_hh), 4),
    "gru": (lambda gi, w_hh, b_hh, h, c: gru_step(gi, (h,), w_hh, b_hh)[0], 3),
}


@pytest.mark.parametrize("kind", sorted(STEPS))
@given(data=st.data())
def test_cell_step_gradcheck(kind, data):
    step, gates = STEPS[kind]
    shapes = [(2, 3), (gates * 2, 3), (gates * 2,), (gates * 2, 2), (gates * 2,), (2, 2), (2, 2)]
    x, w_ih, b_ih, w_hh, b_hh, h, c = (data.draw(S.tensors(shape, elements=S.grid(-1.0, 1.0))) for shape in shapes)
    fn = (lambda x, w_ih, b_ih, w_hh, b_hh, h, c: step(F.linear(x, w_ih, b_ih), w_hh, b_hh, h, c))
    assert gradcheck(fn, [x, w_ih, b_ih, w_hh, b_hh, h, c])


def test_layer_gradcheck_through_time():
    minitorch.manual_seed(0)
    lstm = nn.LSTM(2, 2, bidirectional=True).double()
    x, h, c = (minitorch.randn(*shape, dtype=minitorch.float64, requires_grad=True)
               for shape in ((3, 1, 2), (2, 1, 2), (2, 1, 2)))
    assert gradcheck(lambda x, h, c: lstm(x, (h, c))[0], [x, h, c])


# ------------------------------------------------------------------- construction and checks
def test_defaults_and_init():
    lstm = nn.LSTM(IN, HID, num_layers=2)
    settings = (lstm.mode, lstm.batch_first, lstm.dropout, lstm.bidirectional, lstm.proj_size)
    assert settings == ("LSTM", False, 0.0, False, 0)
    assert lstm.weight_ih_l1.shape == (4 * HID, HID) and lstm.weight_ih_l0.dtype == minitorch.float32
    bound = 1 / np.sqrt(HID)
    for p in lstm.parameters():
        assert np.abs(p.detach().numpy()).max() <= bound
    assert len(lstm.all_weights) == 2 and lstm.all_weights[1][0] is lstm.weight_ih_l1
    assert nn.GRU(IN, HID, dtype=minitorch.float64).weight_hh_l0.dtype == minitorch.float64
    lstm.flatten_parameters()
    assert repr(nn.LSTM(3, 5, proj_size=2, num_layers=2, bidirectional=True)) == \
        "LSTM(3, 5, proj_size=2, num_layers=2, bidirectional=True)"
    assert repr(nn.RNNCell(3, 4, bias=False, nonlinearity="relu")) == "RNNCell(3, 4, bias=False, nonlinearity=relu)"


@pytest.mark.parametrize("make, error", [
    (lambda: nn.RNN(3, 4, nonlinearity="sigmoid"), ValueError),
    (lambda: nn.RNNCell(3, 4, nonlinearity="gelu"), ValueError),
    (lambda: nn.LSTM(3, 0), ValueError),
    (lambda: nn.GRU(3, 4.0), TypeError),
    (lambda: nn.GRU(3, 4, num_layers=0), ValueError),
    (lambda: nn.LSTM(3, 4, proj_size=4), ValueError),
    (lambda: nn.LSTM(3, 4, dropout=1.5), ValueError),
    (lambda: nn.RNNBase("GRU", 3, 4, proj_size=2), ValueError),
])
def test_bad_constructor_arguments(make, error):
    with pytest.raises(error):
        make()


def test_dropout_with_one_layer_warns():
    with pytest.warns(UserWarning, match="num_layers"):
        nn.GRU(3, 4, dropout=0.5)


@pytest.mark.parametrize("call, error, words", [
    (lambda m: m(minitorch.randn(2, 2, 2, 3)), ValueError, "2-D or 3-D"),
    (lambda m: m(minitorch.randn(5, 2, 4)), RuntimeError, "input_size"),
    (lambda m: m(minitorch.randn(5, 2, 3), (minitorch.zeros(1, 2, 4), minitorch.zeros(2, 2, 4))), RuntimeError, "size"),
    (lambda m: m(minitorch.randn(5, 3), (minitorch.zeros(2, 1, 4), minitorch.zeros(2, 1, 4))), RuntimeError, "2-D"),
    (lambda m: m(minitorch.randn(5, 2, 3), minitorch.zeros(2, 2, 4)), TypeError, "pair"),
])
def test_bad_forward_arguments(call, error, words):
    with pytest.raises(error, match=words):
        call(nn.LSTM(3, 4, num_layers=2))


def test_cell_errors():
    cell = nn.GRUCell(3, 4)
    with pytest.raises(ValueError, match="1D or 2D"):
        cell(minitorch.randn(2, 2, 3))
    with pytest.raises(RuntimeError, match="input_size"):
        cell(minitorch.randn(2, 5))
    with pytest.raises(RuntimeError, match="hx"):
        cell(minitorch.randn(2, 3), minitorch.zeros(3, 4))


def test_dropout_between_layers_only_in_training():
    minitorch.manual_seed(0)
    gru = nn.GRU(3, 4, num_layers=2, dropout=0.5)
    x = minitorch.randn(5, 2, 3)
    assert not np.allclose(gru(x)[0].detach().numpy(), gru(x)[0].detach().numpy())
    gru.eval()
    np.testing.assert_array_equal(gru(x)[0].detach().numpy(), gru(x)[0].detach().numpy())


# ----------------------------------------------------------------------- padding and packing
LENGTHS = [3, 5, 2]


def sequences(lib, lengths=LENGTHS, features=IN):
    rng = np.random.default_rng(7)
    return [leaf(lib, rng.normal(size=(n, features))) for n in lengths]


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence_matches_torch(batch_first, padding_side):
    torch = _torch()
    mine = rnn_utils.pad_sequence(sequences(minitorch), batch_first, -1.0, padding_side)
    theirs = torch.nn.utils.rnn.pad_sequence(sequences(torch), batch_first, -1.0, padding_side)
    close(mine, theirs)


@pytest.mark.parametrize("batch_first", [False, True])
def test_pack_and_unpack_match_torch(batch_first):
    torch = _torch()
    results = []
    for lib, utils in ((minitorch, rnn_utils), (torch, torch.nn.utils.rnn)):
        padded = utils.pad_sequence(sequences(lib), batch_first=batch_first)
        packed = utils.pack_padded_sequence(padded, LENGTHS, batch_first=batch_first, enforce_sorted=False)
        unpacked, lengths = utils.pad_packed_sequence(packed, batch_first=batch_first, total_length=6)
        results.append((packed, unpacked, lengths, utils.unpack_sequence(packed)))
    (mine, mine_padded, mine_lengths, mine_list), (theirs, their_padded, their_lengths, their_list) = results
    close(mine.data, theirs.data)
    for field in ("batch_sizes", "sorted_indices", "unsorted_indices"):
        assert getattr(mine, field).tolist() == getattr(theirs, field).tolist()
    close(mine_padded, their_padded)
    assert mine_lengths.tolist() == their_lengths.tolist() and mine_lengths.dtype == minitorch.int64
    for m, t in zip(mine_list, their_list):
        close(m, t)


def test_pack_sequence_sorted_and_its_errors():
    packed = rnn_utils.pack_sequence(sequences(minitorch, [4, 2, 2]))
    assert packed.batch_sizes.tolist() == [3, 3, 1, 1] and packed.sorted_indices is None
    with pytest.raises(RuntimeError, match="decreasing"):
        rnn_utils.pack_sequence(sequences(minitorch))
    with pytest.raises(ValueError, match="total_length"):
        rnn_utils.pad_packed_sequence(packed, total_length=2)
    with pytest.raises(RuntimeError, match="at least 1"):
        rnn_utils.pack_padded_sequence(minitorch.zeros(3, 2, 1), [3, 0])


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_layer_on_packed_input_matches_torch(name, enforce_sorted):
    torch = _torch()
    lengths = sorted(LENGTHS, reverse=True) if enforce_sorted else LENGTHS
    ours, theirs = twins(name, IN, HID, num_layers=2, bidirectional=True)
    h0, inputs = state(name, (4, len(LENGTHS))), {}

    def make_args(lib):
        utils = rnn_utils if lib is minitorch else torch.nn.utils.rnn
        sequences_ = sequences(lib, lengths)
        packed = utils.pack_sequence(sequences_, enforce_sorted=enforce_sorted)
        inputs[id(packed)] = sequences_
        return packed, h0(lib)

    against_torch(ours, theirs, make_args, lambda args: inputs[id(args[0])] + flat(args[1]))


# ------------------------------------------------------------------------------- training
class CharLM(nn.Module):
    def __init__(self, vocab, hidden=16):
        super().__init__()
        self.embed = nn.Embedding(vocab, 8)
        self.lstm = nn.LSTM(8, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x, state=None):
        out, state = self.lstm(self.embed(x), state)
        return self.head(out), state


def test_char_lstm_language_model_learns():
    minitorch.manual_seed(0)
    text = "hello world, hello lstm. " * 4
    chars = sorted(set(text))
    ids = np.array([chars.index(ch) for ch in text])
    windows = np.stack([ids[k : k + 13] for k in range(0, len(ids) - 13, 7)])
    x, y = minitorch.tensor(windows[:, :-1]), minitorch.tensor(windows[:, 1:])
    model = CharLM(len(chars))
    optimizer = minitorch.optim.Adam(model.parameters(), lr=0.03)
    losses = []
    for _ in range(40):
        logits, _ = model(x)
        loss = F.cross_entropy(logits.reshape(-1, len(chars)), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.4 * losses[0]


# ----------------------------------------------------------------------------------- cuda
def test_lstm_on_cuda_matches_cpu():
    lstm = nn.LSTM(IN, HID, num_layers=2, bidirectional=True, batch_first=True).double()
    x = minitorch.tensor(RNG.normal(size=(2, 4, IN)))
    out, (h, c) = lstm(x)
    lstm.to("cuda")
    on_cuda, (h_cuda, c_cuda) = lstm(x.to("cuda"))
    assert on_cuda.is_cuda and h_cuda.is_cuda
    for mine, ref in ((on_cuda, out), (h_cuda, h), (c_cuda, c)):
        np.testing.assert_allclose(mine.detach().cpu().numpy(), ref.detach().numpy(), rtol=1e-12, atol=1e-14)
