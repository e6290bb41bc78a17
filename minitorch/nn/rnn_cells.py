"""Recurrent cells: one time step of an Elman RNN, an LSTM and a GRU (``RNNCell``, ``LSTMCell``, ``GRUCell``).

A recurrent cell reads the input ``x_t`` and its own previous state ``h_{t-1}`` and returns the next
state. With ``gi = x_t W_ih^T + b_ih`` and ``gh = h_{t-1} W_hh^T + b_hh``::

    RNN:   h_t = tanh(gi + gh)                       (or relu)
    LSTM:  i, f, g, o = sigmoid, sigmoid, tanh, sigmoid of the four quarters of gi + gh
           c_t = f * c_{t-1} + i * g                  the cell state: a running, gated sum
           h_t = o * tanh(c_t)
    GRU:   r = sigmoid(gi_r + gh_r),  z = sigmoid(gi_z + gh_z)
           n = tanh(gi_n + r * gh_n)
           h_t = (1 - z) * n + z * h_{t-1}

Why the gates: through ``h_t = tanh(W h_{t-1} + ...)`` the gradient to a step k steps back is a
product of k Jacobians and vanishes (or explodes) geometrically. The LSTM's ``c_t = f * c_{t-1} + ...``
and the GRU's ``z * h_{t-1}`` give the gradient a path scaled only by the gates, which the network
can hold near 1 to remember for long.

Every step is composed of differentiable Tensor ops (``F.linear``, ``sigmoid``, ``tanh``, slicing),
so backpropagation through time comes from those ops' hand-written backwards. The step functions
below are shared with the whole-sequence layers in ``nn.rnn``; they take the input projection
``gi`` already computed, since a layer computes it for all time steps at once.
"""
import math

from .. import checks
from .. import dtypes
from ..creation import empty, zeros
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter


def _chunks(gates, size, count):
    """``gates`` (..., count * size) cut into ``count`` chunks of ``size`` along the last dim."""
    return [gates[..., k * size : (k + 1) * size] for k in range(count)]


def rnn_step(gi, state, w_hh, b_hh, nonlinearity="tanh"):
    """h' = act(gi + h W_hh^T + b_hh) for ``state = (h,)``; returns ``(h',)``."""
    (h,) = state
    pre = gi + F.linear(h, w_hh, b_hh)
    return (pre.tanh() if nonlinearity == "tanh" else pre.relu(),)


def lstm_step(gi, state, w_hh, b_hh, w_hr=None):
    """c' = s(f) c + s(i) tanh(g), h' = s(o) tanh(c') [then h' W_hr^T]; ``state = (h, c)``, returns ``(h', c')``."""
    h, c = state
    i, f, g, o = _chunks(gi + F.linear(h, w_hh, b_hh), c.shape[-1], 4)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h = o.sigmoid() * c.tanh()
    return (h if w_hr is None else F.linear(h, w_hr), c)


def gru_step(gi, state, w_hh, b_hh):
    """h' = (1 - z) n + z h, n = tanh(gi_n + r gh_n), r, z = s(gi_r + gh_r), s(gi_z + gh_z); ``state = (h,)``."""
    (h,) = state
    size = h.shape[-1]
    gi_r, gi_z, gi_n = _chunks(gi, size, 3)
    gh_r, gh_z, gh_n = _chunks(F.linear(h, w_hh, b_hh), size, 3)
    r, z = (gi_r + gh_r).sigmoid(), (gi_z + gh_z).sigmoid()
    n = (gi_n + r * gh_n).tanh()
    return ((1 - z) * n + z * h,)


def state_names(step):
    """The names of a step function's state tensors, for error messages."""
    return ("hx", "cx") if step is lstm_step else ("hx",)


def reset_uniform_(module):
    """PyTorch's recurrent init: every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
    bound = 1.0 / math.sqrt(module.hidden_size)
    for weight in module.parameters():
        init.uniform_(weight, -bound, bound)


def check_sizes(op, input_size, hidden_size):
    """``input_size`` >= 0 and ``hidden_size`` >= 1 as ints (PyTorch refuses a zero hidden size)."""
    checks.integer(op, "input_size", input_size, minimum=0)
    return checks.integer(op, "hidden_size", hidden_size, minimum=1)


def check_nonlinearity(op, nonlinearity):
    """'tanh' or 'relu', the two activations of an Elman RNN."""
    return checks.choice(op, "nonlinearity", nonlinearity, ("tanh", "relu"))


class RNNCellBase(Module):
    """What the three cells share: ``weight_ih`` (G*H, input_size), ``weight_hh`` (G*H, H),
    ``bias_ih`` and ``bias_hh`` (G*H,), with G = 1 (RNN), 4 (LSTM) or 3 (GRU) gate blocks stacked
    in PyTorch's order, and the checks on ``forward``'s input and state."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.hidden_size = check_sizes(type(self).__name__, input_size, hidden_size)
        self.input_size = input_size
        self.bias = bias
        factory = {"dtype": dtypes.to_dtype(dtype) or dtypes.get_default_dtype(), "device": device}
        self.weight_ih = Parameter(empty(num_chunks * hidden_size, input_size, **factory))
        self.weight_hh = Parameter(empty(num_chunks * hidden_size, hidden_size, **factory))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, **factory))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, **factory))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch does."""
        reset_uniform_(self)

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            text += ", bias=False"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text

    def _run(self, step, input, state, **kwargs):
        """Check shapes, add a batch dimension to unbatched input, take one step and take it off again."""
        name = type(self).__name__
        if input.ndim not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.ndim}D instead.")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                f"{name}: input has inconsistent input_size: got {input.shape[-1]}, expected "
                f"{self.input_size} (the input's last dimension is the feature dimension)."
            )
        batched, names = input.ndim == 2, state_names(step)
        shape = (input.shape[0], self.hidden_size) if batched else (self.hidden_size,)
        if state is None:
            state = tuple(zeros(*shape, dtype=input.dtype, device=input.device) for _ in names)
        for label, s in zip(names, state):
            if tuple(s.shape) != shape:
                raise RuntimeError(
                    f"{name}: {label} has shape {tuple(s.shape)}, expected {shape} for an input of shape "
                    f"{tuple(input.shape)} (batch, hidden_size), or (hidden_size,) for an unbatched input."
                )
        if not batched:
            input, state = input.unsqueeze(0), tuple(s.unsqueeze(0) for s in state)
        gi = F.linear(input, self.weight_ih, self.bias_ih)
        out = step(gi, state, self.weight_hh, self.bias_hh, **kwargs)
        return out if batched else tuple(s.squeeze(0) for s in out)


class RNNCell(RNNCellBase):
    """One step of an Elman RNN: ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)`` (or relu).

    ``forward(input, hx=None)``: input (N, input_size) or (input_size,), hx of shape (N, hidden_size)
    or (hidden_size,), zeros if not given; returns h' of hx's shape.
    """

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        self.nonlinearity = check_nonlinearity("RNNCell", nonlinearity)
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)

    def forward(self, input, hx=None):
        state = None if hx is None else (hx,)
        (h,) = self._run(rnn_step, input, state, nonlinearity=self.nonlinearity)
        return h


class LSTMCell(RNNCellBase):
    """One step of an LSTM (gates i, f, g, o stacked in that order in the weights; see the module docstring).

    ``forward(input, hx=None)``: input (N, input_size) or (input_size,), ``hx = (h, c)`` each
    (N, hidden_size) or (hidden_size,), zeros if not given; returns ``(h', c')``.
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input, hx=None):
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise TypeError("LSTMCell: hx must be a pair (h_0, c_0) of tensors, or None for zeros.")
        return self._run(lstm_step, input, None if hx is None else tuple(hx))


class GRUCell(RNNCellBase):
    """One step of a GRU (gates r, z, n stacked in that order in the weights; see the module docstring).

    ``forward(input, hx=None)``: input (N, input_size) or (input_size,), hx (N, hidden_size) or
    (hidden_size,), zeros if not given; returns h'.
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input, hx=None):
        (h,) = self._run(gru_step, input, None if hx is None else (hx,))
        return h
