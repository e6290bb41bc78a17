"""Batches of sequences of different lengths, as ``torch.nn.utils.rnn`` spells them.

A batch of sentences has one length per sentence. Two ways to hold it:

- padded: one (T, B, *) tensor (or (B, T, *) with ``batch_first``), each sequence followed by
  ``padding_value`` up to the longest length T (``pad_sequence``);
- packed (``PackedSequence``): only the real elements, time step by time step. With the sequences
  sorted longest first, ``batch_sizes[t]`` of them are still running at step t, and ``data`` holds
  their elements at step 0, then at step 1, and so on: sum(lengths) rows, no padding at all.

Recurrent layers (``nn.RNN``, ``nn.LSTM``, ``nn.GRU``) accept a ``PackedSequence``: each sequence's
final state is then taken at its own last element, not after the padding. Packing and unpacking
only pick rows (integer indexing), so gradients flow back through both.
"""
from collections import namedtuple

import numpy as np

from ... import checks
from ...creation import full, tensor
from ...namespace import cat, stack
from ...tensor import Tensor
from .. import functional as F


class PackedSequence(namedtuple("PackedSequence", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """Sequences packed time step by time step (see the module docstring); made by ``pack_padded_sequence``
    or ``pack_sequence``, never by hand.

    - ``data`` (sum(lengths), *): the elements, step 0 of every sequence first (longest first)
    - ``batch_sizes`` (int64, CPU): how many sequences are still running at each step
    - ``sorted_indices``: the sequences' order, longest first (None when they came sorted);
      ``unsorted_indices`` is its inverse
    """

    def to(self, *args, **kwargs):
        """The same packing with ``data.to(*args, **kwargs)`` (the indices move with it)."""
        data = self.data.to(*args, **kwargs)
        move = (lambda t: t if t is None else t.to(device=data.device))
        return type(self)(data, self.batch_sizes, move(self.sorted_indices), move(self.unsorted_indices))

    def cpu(self):
        """The same packing with its data on the CPU."""
        return self.to("cpu")

    def cuda(self):
        """The same packing with its data on the ``cuda`` device."""
        return self.to("cuda")

    @property
    def is_cuda(self):
        """Whether ``data`` is on the ``cuda`` device."""
        return self.data.is_cuda


def _positions(batch_sizes):
    """For each row of packed data: its time step and its rank among the sorted sequences."""
    times = np.repeat(np.arange(len(batch_sizes)), batch_sizes)
    ranks = np.concatenate([np.arange(b) for b in batch_sizes]) if len(batch_sizes) else np.zeros(0, int)
    return times, ranks


def _rows(array, like):
    """An int64 index tensor on ``like``'s device, for picking rows."""
    return tensor(np.asarray(array, np.int64), device=like.device)


def pack_rows(padded, batch_sizes, order=None):
    """Packed data from a time-major padded (T, B, *) tensor: the rows of the running sequences, step by
    step, sequence ``order[r]`` as the r-th longest (``order`` None: already sorted)."""
    times, ranks = _positions(batch_sizes)
    steps, batch = padded.shape[:2]
    columns = ranks if order is None else np.asarray(order)[ranks]
    return padded.reshape(steps * batch, *padded.shape[2:])[_rows(times * batch + columns, padded)]


def unpack_rows(data, batch_sizes, padding_value=0.0, total_length=None):
    """The time-major padded (T, B, *) tensor of packed data, sequences longest first, and their lengths."""
    batch_sizes = np.asarray(batch_sizes)
    steps = len(batch_sizes) if total_length is None else total_length
    lengths = (batch_sizes[None, :] > np.arange(batch_sizes[0])[:, None]).sum(axis=1)
    offsets = np.cumsum(batch_sizes) - batch_sizes
    time, rank = np.arange(steps)[:, None], np.arange(batch_sizes[0])[None, :]
    running = time < lengths[None, :]
    index = np.where(running, offsets[np.minimum(time, len(batch_sizes) - 1)] + rank, data.shape[0])
    padding = full((1, *data.shape[1:]), padding_value, dtype=data.dtype, device=data.device)
    return cat([data, padding])[_rows(index, data)], lengths


def _lengths(op, lengths):
    """``lengths`` (a list or an int tensor) as a 1-D numpy int64 array, each at least 1."""
    values = lengths.detach().cpu().numpy() if isinstance(lengths, Tensor) else np.asarray(lengths)
    if values.ndim != 1 or values.dtype.kind not in "iu":
        raise TypeError(f"{op}: lengths must be a 1-D list or tensor of ints, got {lengths!r}.")
    if values.size and values.min() <= 0:
        raise RuntimeError(
            f"{op}: every length must be at least 1, got {values.tolist()}; drop the empty sequences first."
        )
    return values.astype(np.int64)


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack sequences of shapes (L_i, *) into one (T, B, *) tensor, T = max L_i, filling with ``padding_value``.

    ``batch_first=True`` gives (B, T, *); ``padding_side="left"`` puts the padding before each sequence.
    """
    op = "pad_sequence"
    checks.choice(op, "padding_side", padding_side, ("right", "left"))
    sequences = checks.tensors(op, list(sequences))
    if len({tuple(s.shape[1:]) for s in sequences}) != 1 or sequences[0].ndim == 0:
        raise RuntimeError(
            f"{op}: the sequences must share every dimension after the first (the length), got shapes "
            f"{[tuple(s.shape) for s in sequences]}."
        )
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        extra = longest - s.shape[0]
        amounts = (0, extra) if padding_side == "right" else (extra, 0)
        padded.append(F.pad(s, (0, 0) * (s.ndim - 1) + amounts, value=padding_value))
    return stack(padded, dim=0 if batch_first else 1)


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded (T, B, *) tensor (or (B, T, *) with ``batch_first``) holding sequences of ``lengths``.

    With ``enforce_sorted=True`` the lengths must be in decreasing order; ``enforce_sorted=False``
    sorts them and records the order in ``sorted_indices``.
    """
    op = "pack_padded_sequence"
    values = _lengths(op, lengths)
    if batch_first:
        input = input.transpose(0, 1)
    if input.ndim < 2 or values.shape[0] != input.shape[1] or values.max(initial=0) > input.shape[0]:
        raise ValueError(
            f"{op}: {values.shape[0]} lengths (longest {values.max(initial=0)}) do not fit a padded input "
            f"of shape {tuple(input.shape)} (time-major (T, B, *) here; pass batch_first=True for (B, T, *))."
        )
    if enforce_sorted:
        if np.any(np.diff(values) > 0):
            raise RuntimeError(
                f"{op}: lengths {values.tolist()} must be sorted in decreasing order when enforce_sorted "
                f"is True; pass enforce_sorted=False to have them sorted for you."
            )
        order = sorted_indices = unsorted_indices = None
    else:
        order = np.argsort(-values, kind="stable")
        sorted_indices, unsorted_indices = _rows(order, input), _rows(np.argsort(order), input)
    sorted_lengths = values if order is None else values[order]
    batch_sizes = (sorted_lengths[None, :] > np.arange(sorted_lengths[0])[:, None]).sum(axis=1)
    data = pack_rows(input, batch_sizes, order)
    return PackedSequence(data, tensor(batch_sizes), sorted_indices, unsorted_indices)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Undo ``pack_padded_sequence``: returns the padded (T, B, *) tensor (or (B, T, *)) and the lengths
    (an int64 tensor), in the sequences' original order. ``total_length`` pads T further (at least
    the longest length)."""
    op = "pad_packed_sequence"
    batch_sizes = sequence.batch_sizes.numpy()
    if total_length is not None:
        checks.integer(op, "total_length", total_length)
        if total_length < len(batch_sizes):
            raise ValueError(
                f"{op}: total_length must be at least the length of the longest sequence, got "
                f"total_length={total_length} and a longest sequence of {len(batch_sizes)}."
            )
    padded, lengths = unpack_rows(sequence.data, batch_sizes, padding_value, total_length)
    if sequence.unsorted_indices is not None:
        padded = padded[:, sequence.unsorted_indices]
        lengths = lengths[sequence.unsorted_indices.cpu().numpy()]
    return (padded.transpose(0, 1) if batch_first else padded), tensor(lengths)


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of (L_i, *) tensors: ``pack_padded_sequence(pad_sequence(sequences), lengths)``."""
    sequences = checks.tensors("pack_sequence", list(sequences))
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The list of sequences in a padded tensor, each cut to its length (the inverse of ``pad_sequence``)."""
    values = _lengths("unpad_sequence", lengths)
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [padded_sequences[b, :length] for b, length in enumerate(values.tolist())]


def unpack_sequence(packed_sequences):
    """The list of sequences in a ``PackedSequence`` (the inverse of ``pack_sequence``)."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
