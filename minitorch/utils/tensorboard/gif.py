"""Animated GIF files, by hand, for ``SummaryWriter.add_video`` (PyTorch has moviepy write them).

A GIF holds at most 256 colours, so the frames are first mapped to one palette for the whole
video (``quantize``): the video's own colours when it has at most 256 of them (then the GIF is
exact), else 256 colours found by median cut -- the box of colours with the widest spread in one
channel is split at its median pixel in that channel, until there are 256 boxes -- each box
shown as the mean of its pixels. Each frame is then its palette indices, compressed with LZW
(``lzw``) and preceded by a Graphic Control Extension that holds the frame's delay; a
NETSCAPE2.0 block makes the video loop for ever.

    >>> frames = np.zeros((2, 3, 4, 3), np.uint8)
    >>> encode(frames, fps=4)[:6]
    b'GIF89a'
"""
import struct

import numpy as np

_COLOURS = 256
_MAX_CODE = 4096  # LZW codes have at most 12 bits


def _median_cut(colours, counts):
    """Split ``colours`` (unique RGB rows, each seen ``counts`` times) into at most 256 boxes;
    returns the box of each colour and the number of boxes."""
    boxes = [np.arange(len(colours))]
    spreads = [np.ptp(colours, axis=0)]  # per box: the range of each channel
    while len(boxes) < _COLOURS:
        widest = max(range(len(boxes)), key=lambda i: spreads[i].max())
        if spreads[widest].max() == 0:
            break
        channel = int(spreads[widest].argmax())
        box = boxes[widest][np.argsort(colours[boxes[widest], channel], kind="stable")]
        weights = np.cumsum(counts[box])
        cut = min(int(np.searchsorted(weights, weights[-1] / 2)), len(box) - 2) + 1
        boxes[widest:widest + 1] = [box[:cut], box[cut:]]
        spreads[widest:widest + 1] = [np.ptp(colours[box[:cut]], axis=0), np.ptp(colours[box[cut:]], axis=0)]
    labels = np.empty(len(colours), np.int64)
    for i, box in enumerate(boxes):
        labels[box] = i
    return labels, len(boxes)


def quantize(frames):
    """T x H x W x 3 uint8 frames as (palette: K x 3 uint8 with K <= 256, indices: T x H x W)."""
    colours, inverse, counts = np.unique(frames.reshape(-1, 3), axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(frames.shape[:-1])
    if len(colours) <= _COLOURS:
        return colours.astype(np.uint8), inverse
    labels, count = _median_cut(colours.astype(np.int64), counts)
    weight = np.bincount(labels, weights=counts, minlength=count)
    palette = np.stack([np.bincount(labels, weights=colours[:, c] * counts, minlength=count) / weight
                        for c in range(3)], axis=1)
    return np.round(palette).astype(np.uint8), labels[inverse]


def lzw(indices, min_code_size):
    """GIF's LZW code stream of ``indices`` (ints below 2**min_code_size), packed low bit first.

    The codes start ``min_code_size + 1`` bits wide, after a clear code (2**min_code_size); each
    new code adds the string just written plus the next index to the table; the width grows when
    the table needs one more bit, and a clear code starts over when 4096 codes are used. The end
    code (clear + 1) closes the stream.
    """
    clear = 1 << min_code_size
    out, state = bytearray(), [0, 0]  # bits pending and how many

    def emit(code, width):
        state[0] |= code << state[1]
        state[1] += width
        while state[1] >= 8:
            out.append(state[0] & 0xFF)
            state[0] >>= 8
            state[1] -= 8

    table, width, next_code = {}, min_code_size + 1, clear + 2
    emit(clear, width)
    iterator = iter(indices.tolist())
    prefix = next(iterator, None)
    for index in iterator:
        key = prefix << 12 | index
        if key in table:
            prefix = table[key]
            continue
        emit(prefix, width)
        if next_code < _MAX_CODE:
            table[key] = next_code
            next_code += 1
            if next_code > 1 << width and width < 12:
                width += 1
        else:
            emit(clear, width)
            table, width, next_code = {}, min_code_size + 1, clear + 2
        prefix = index
    if prefix is not None:
        emit(prefix, width)
    emit(clear + 1, width)
    if state[1]:
        out.append(state[0])
    return bytes(out)


def _blocks(data):
    """``data`` as GIF sub-blocks (a length byte and up to 255 bytes each), ended by an empty one."""
    return b"".join(bytes([len(data[i:i + 255])]) + data[i:i + 255] for i in range(0, len(data), 255)) + b"\0"


def encode(frames, fps):
    """The GIF of T x H x W x 3 uint8 ``frames`` shown at ``fps`` frames a second (each frame's
    delay: 100 / fps hundredths of a second, rounded), looping for ever."""
    count, height, width, _ = frames.shape
    palette, indices = quantize(frames)
    bits = max(1, int(len(palette) - 1).bit_length())  # the colour table holds 2**bits entries
    table = np.zeros((1 << bits, 3), np.uint8)
    table[:len(palette)] = palette
    min_code_size = max(2, bits)
    delay = int(round(100 / fps))
    parts = [b"GIF89a", struct.pack("<HHBBB", width, height, 0xF0 | (bits - 1), 0, 0), table.tobytes(),
             b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"]
    for frame in indices:
        parts.append(b"\x21\xf9\x04\x00" + struct.pack("<H", delay) + b"\x00\x00")
        parts.append(b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0))
        parts.append(bytes([min_code_size]) + _blocks(lzw(frame.reshape(-1), min_code_size)))
    return b"".join(parts) + b"\x3b"
