"""Recurrent layers over whole sequences: ``RNN``, ``LSTM``, ``GRU``, with PyTorch's arguments and parameters.

A layer runs its cell (see ``nn.rnn_cells``) along the sequence, t = 0 .. T-1, carrying the state;
the outputs are the hidden states h_0' .. h_{T-1}'. Options, as in PyTorch:

- ``num_layers``: a stack; layer l+1 reads the outputs of layer l (with ``dropout`` between layers
  in training mode, never after the last);
- ``bidirectional``: a second cell per layer runs from t = T-1 down to 0 (parameters ``..._reverse``);
  the two outputs are joined along the features, (T, N, 2 * H);
- ``proj_size`` (LSTM only): h = (o * tanh(c)) W_hr^T, a smaller hidden state of proj_size features.

Parameters per layer l (and per direction): ``weight_ih_l{l}`` (G*H, input features),
``weight_hh_l{l}`` (G*H, H_out), ``bias_ih_l{l}``, ``bias_hh_l{l}`` (G*H,), LSTM with proj_size also
``weight_hr_l{l}`` (proj_size, H); G = 1, 4, 3 for RNN, LSTM, GRU. State dicts load both ways with
PyTorch's. Shapes (D = 2 if bidirectional else 1, H_out = proj_size or hidden_size):

- input (T, N, input_size), (N, T, input_size) with ``batch_first``, (T, input_size) unbatched,
  or a ``nn.utils.rnn.PackedSequence``
- h_0 and h_n: (D * num_layers, N, H_out) (never batch-first); c_0 and c_n: (D * num_layers, N, H)
- output: (T, N, D * H_out), batch-first if the input is, or a PackedSequence if the input is one

The input projection x W_ih^T + b_ih is computed for all time steps at once (one matmul per layer);
only h W_hh^T must wait for the previous step.
"""
import warnings

import numpy as np

from .. import checks
from .. import dtypes
from ..creation import empty, tensor, zeros
from ..namespace import cat, stack, where
from . import functional as F
from .module import Module
from .parameter import Parameter
from .rnn_cells import check_nonlinearity, check_sizes, gru_step, lstm_step, reset_uniform_, rnn_step
from .utils.rnn import PackedSequence, pack_rows, unpack_rows

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


class RNNBase(Module):
    """What ``RNN``, ``LSTM`` and ``GRU`` share: the parameters, the checks, and running a stack of
    (bi)directional layers over a sequence (see the module docstring). ``mode`` is one of
    'RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        op = type(self).__name__
        checks.choice(op, "mode", mode, tuple(_GATES))
        check_sizes(op, input_size, hidden_size)
        checks.integer(op, "num_layers", num_layers, minimum=1)
        checks.integer(op, "proj_size", proj_size, minimum=0, maximum=hidden_size - 1)
        if proj_size and mode != "LSTM":
            raise ValueError(f"{op}: proj_size is only supported for LSTM, not RNN or GRU.")
        dropout = checks.real(op, "dropout (a probability)", dropout, minimum=0, maximum=1)
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                f"{op}: dropout is applied between stacked layers, after all but the last, so dropout="
                f"{dropout} does nothing with num_layers=1.", UserWarning, stacklevel=2)
        self.mode, self.input_size, self.hidden_size, self.num_layers = mode, input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, dropout
        self.bidirectional, self.proj_size = bidirectional, proj_size
        self._suffixes = ("", "_reverse") if bidirectional else ("",)
        factory = {"dtype": dtypes.to_dtype(dtype) or dtypes.get_default_dtype(), "device": device}
        gates, out_size = _GATES[mode] * hidden_size, proj_size or hidden_size
        self._all_weights = []
        for layer in range(num_layers):
            features = input_size if layer == 0 else out_size * len(self._suffixes)
            for suffix in self._suffixes:
                shapes = {"weight_ih": (gates, features), "weight_hh": (gates, out_size)}
                if bias:
                    shapes.update(bias_ih=(gates,), bias_hh=(gates,))
                if proj_size:
                    shapes["weight_hr"] = (proj_size, hidden_size)
                names = [f"{kind}_l{layer}{suffix}" for kind in shapes]
                for name, shape in zip(names, shapes.values()):
                    setattr(self, name, Parameter(empty(*shape, **factory)))
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch does."""
        reset_uniform_(self)

    def flatten_parameters(self):
        """Does nothing: in PyTorch it packs the weights into one cuDNN buffer; here they stay separate."""

    @property
    def _flat_weights_names(self):
        """Every weight's and bias's name in order (PyTorch's private attribute, which programs read:
        ``for name in gru._flat_weights_names: if "weight" in name: init(gru._parameters[name])``)."""
        return [name for names in self._all_weights for name in names]

    @property
    def all_weights(self):
        """The parameters as a list per layer and direction: [[weight_ih_l0, weight_hh_l0, ...], ...]."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        defaults = {"proj_size": 0, "num_layers": 1, "bias": True, "batch_first": False, "dropout": 0.0,
                    "bidirectional": False}
        for name, default in defaults.items():
            if getattr(self, name) != default:
                text += f", {name}={getattr(self, name)}"
        return text

    # ------------------------------------------------------------- one layer in one direction
    def _step_options(self, layer, suffix):
        """Extra keyword arguments of this layer's step function (overridden by RNN and LSTM)."""
        return {}

    def _direction(self, x, state, layer, suffix, running):
        """Run layer ``layer``'s cell over the time-major x (T, N, F), backwards for ``_reverse``.

        ``running`` (T, N, 1) bool, for packed input: where False, the sequence has ended (or, going
        backwards, not begun), and the state is carried over unchanged.
        """
        weight = (lambda kind: getattr(self, f"{kind}_l{layer}{suffix}", None))
        gi = F.linear(x, weight("weight_ih"), weight("bias_ih"))
        options = self._step_options(layer, suffix)
        steps = range(x.shape[0] - 1, -1, -1) if suffix else range(x.shape[0])
        outputs = [None] * x.shape[0]
        for t in steps:
            new = self._step(gi[t], state, weight("weight_hh"), weight("bias_hh"), **options)
            state = new if running is None else tuple(where(running[t], n, s) for n, s in zip(new, state))
            outputs[t] = state[0]
        return stack(outputs), state

    def _layers(self, x, initial, running):
        """The stack of layers over the time-major x: the last layer's outputs, and the final states
        stacked as (D * num_layers, N, ...), one tensor per kind of state."""
        finals = []
        for layer in range(self.num_layers):
            outputs = []
            for k, suffix in enumerate(self._suffixes):
                out, final = self._direction(x, initial[layer * len(self._suffixes) + k], layer, suffix, running)
                outputs.append(out)
                finals.append(final)
            x = cat(outputs, dim=-1) if self.bidirectional else outputs[0]
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout)
        return x, tuple(stack([final[k] for final in finals]) for k in range(len(finals[0])))

    # ---------------------------------------------------------------------------- forward
    def _state_sizes(self):
        """The last dimension of each state tensor: (H_out,) or, for an LSTM, (H_out, H)."""
        return (self.hidden_size,)

    def _initial(self, hx, x, batched):
        """The initial states as a list, one tuple per layer and direction; zeros if ``hx`` is None."""
        op = type(self).__name__
        count, batch = self.num_layers * len(self._suffixes), x.shape[1]
        shapes = [(count, batch, size) if batched else (count, size) for size in self._state_sizes()]
        if hx is None:
            hx = tuple(zeros(*shape, dtype=x.dtype, device=x.device) for shape in shapes)
        for k, (h, shape) in enumerate(zip(hx, shapes)):
            label = "hidden" if len(shapes) == 1 else f"hidden[{k}]"
            if h.ndim != len(shape):
                kind = "batched 3-D" if batched else "unbatched 2-D"
                raise RuntimeError(
                    f"{op}: for {kind} input, {label} should be {len(shape)}-D, got a {h.ndim}-D tensor.")
            if tuple(h.shape) != shape:
                raise RuntimeError(
                    f"{op}: expected {label} size {shape}, got {tuple(h.shape)} (num_layers * num_directions, "
                    f"batch, hidden features).")
        if not batched:
            hx = tuple(h.unsqueeze(1) for h in hx)
        return [tuple(h[k] for h in hx) for k in range(count)]

    def _check_input(self, input):
        op = type(self).__name__
        if not isinstance(input, PackedSequence) and input.ndim not in (2, 3):
            raise ValueError(f"{op}: expected input to be 2-D or 3-D, got {input.ndim}-D input of shape {tuple(input.shape)} instead.")
        features = input.data.shape[-1]
        if features != self.input_size:
            raise RuntimeError(
                f"{op}: input.size(-1) must be equal to input_size. Expected {self.input_size}, got {features}.")

    def _run(self, input, hx):
        """``forward`` on a tuple of state tensors (``hx`` None or a tuple); returns (output, tuple of states)."""
        self._check_input(input)
        if isinstance(input, PackedSequence):
            x, lengths = unpack_rows(input.data, input.batch_sizes.numpy())
            running = tensor(lengths[None, :, None] > np.arange(x.shape[0])[:, None, None], device=x.device)
            if hx is not None and input.sorted_indices is not None:
                hx = tuple(h[:, input.sorted_indices] for h in hx)
            out, states = self._layers(x, self._initial(hx, x, True), running)
            if input.unsorted_indices is not None:
                states = tuple(s[:, input.unsorted_indices] for s in states)
            packed = PackedSequence(pack_rows(out, input.batch_sizes.numpy()), input.batch_sizes,
                                    input.sorted_indices, input.unsorted_indices)
            return packed, states
        batched = input.ndim == 3
        x = input if batched else input.unsqueeze(1)
        if batched and self.batch_first:
            x = x.transpose(0, 1)
        out, states = self._layers(x, self._initial(hx, x, batched), None)
        if not batched:
            return out.squeeze(1), tuple(s.squeeze(1) for s in states)
        return (out.transpose(0, 1) if self.batch_first else out), states


class RNN(RNNBase):
    """An Elman RNN over sequences: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu).

    ``forward(input, hx=None)`` returns ``(output, h_n)``; see the module docstring for the shapes.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None):
        self.nonlinearity = check_nonlinearity("RNN", nonlinearity)
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size,
                         num_layers, bias, batch_first, dropout, bidirectional, 0, device, dtype)

    _step = staticmethod(rnn_step)

    def _step_options(self, layer, suffix):
        return {"nonlinearity": self.nonlinearity}

    def forward(self, input, hx=None):
        output, (h_n,) = self._run(input, None if hx is None else (hx,))
        return output, h_n


class LSTM(RNNBase):
    """A long short-term memory network over sequences (the step: ``nn.LSTMCell``; with ``proj_size``,
    h is projected by ``weight_hr_l{l}``).

    ``forward(input, hx=None)``, ``hx = (h_0, c_0)``, returns ``(output, (h_n, c_n))``; see the module
    docstring for the shapes.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device, dtype)

    _step = staticmethod(lstm_step)

    def _step_options(self, layer, suffix):
        return {"w_hr": getattr(self, f"weight_hr_l{layer}{suffix}", None)}

    def _state_sizes(self):
        return (self.proj_size or self.hidden_size, self.hidden_size)

    def forward(self, input, hx=None):
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise TypeError("LSTM: hx must be a pair (h_0, c_0) of tensors, or None for zeros.")
        output, (h_n, c_n) = self._run(input, None if hx is None else tuple(hx))
        return output, (h_n, c_n)


class GRU(RNNBase):
    """A gated recurrent unit network over sequences (the step: ``nn.GRUCell``).

    ``forward(input, hx=None)`` returns ``(output, h_n)``; see the module docstring for the shapes.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, device=None, dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, 0,
                         device, dtype)

    _step = staticmethod(gru_step)

    def forward(self, input, hx=None):
        output, (h_n,) = self._run(input, None if hx is None else (hx,))
        return output, h_n
