"""The summaries a ``SummaryWriter`` logs, as ``Summary`` messages (bytes): scalars, histograms,
images (encoded as PNG here), text and hyperparameters, each in the layout TensorBoard's plugins read.

    >>> from minitorch.utils.tensorboard import proto
    >>> proto.parse(scalar("loss", 0.5))[1] == [proto.message((1, "bytes", "loss"), (2, "float", 0.5))]
    True
"""
import io
import struct
import wave
import zlib

import numpy as np

from . import gif, proto

_DT_FLOAT, _DT_DOUBLE, _DT_STRING = 1, 2, 7  # TensorFlow's DataType enum

# numpy dtype -> (TensorFlow DataType, TensorProto field, packing) for add_tensor, as PyTorch maps them
_TENSOR_FIELDS = {
    np.dtype(np.float16): (19, 13, "half"), np.dtype(np.float32): (1, 5, "<f4"), np.dtype(np.float64): (2, 6, "<f8"),
    np.dtype(np.int8): (6, 7, "varint"), np.dtype(np.uint8): (4, 16, "varint"), np.dtype(np.int16): (5, 7, "varint"),
    np.dtype(np.int32): (3, 7, "varint"), np.dtype(np.int64): (9, 10, "varint"), np.dtype(np.bool_): (10, 11, "varint"),
}


def _default_bins():
    """PyTorch's ``bins="tensorflow"``: edges at +-1e-12 * 1.1**k (multiplied up one step at a time,
    as PyTorch does, so that the edges are its floats) below 1e20, and 0."""
    positive = [1e-12]
    while positive[-1] * 1.1 < 1e20:
        positive.append(positive[-1] * 1.1)
    return np.array([-edge for edge in positive[::-1]] + [0.0] + positive)


def scalar(tag, value, new_style=False, double_precision=False):
    """One number: ``simple_value`` (old style) or, for the scalars plugin, a float/double tensor
    with no shape (a scalar), as PyTorch writes it."""
    if not new_style:
        return proto.summary_value(tag, simple_value=value)
    if double_precision:
        tensor = proto.message((1, "varint", _DT_DOUBLE), (6, "bytes", proto.packed_doubles([value])))
    else:
        tensor = proto.message((1, "varint", _DT_FLOAT), (5, "bytes", struct.pack("<f", value)))
    return proto.summary_value(tag, tensor=tensor, plugin="scalars")


def _merge_bins(counts, edges, max_bins):
    """At most ``max_bins`` buckets, each the sum of ``len(counts) // max_bins`` neighbours (zeros pad the end)."""
    group = len(counts) // max_bins
    counts = np.pad(counts, (0, -len(counts) % group)).reshape(-1, group).sum(axis=-1)
    return counts, np.append(edges[:-1:group], edges[-1])[:len(counts) + 1]


def histogram(tag, values, bins="tensorflow", max_bins=None):
    """A ``HistogramProto`` of ``values`` (a non-empty flat float64 array), binned as ``np.histogram``
    bins them (``"tensorflow"``: exponential buckets), trimmed to the non-empty range.

    TensorBoard keeps only right bucket edges, so one empty bucket before the first non-empty one
    carries the left edge.
    """
    counts, edges = np.histogram(values, bins=_default_bins() if bins == "tensorflow" else bins)
    if max_bins is not None and len(counts) > max_bins:
        counts, edges = _merge_bins(counts, edges, max_bins)
    filled = np.flatnonzero(counts)
    first, last = (filled[0], filled[-1]) if filled.size else (0, len(counts) - 1)
    bucket = np.concatenate([[0], counts[first:last + 1]])
    limits = edges[first:last + 2]
    return histogram_raw(tag, values.min(), values.max(), values.size, values.sum(),
                         values.dot(values), limits, bucket)


def histogram_raw(tag, low, high, num, total, sum_squares, bucket_limits, bucket_counts):
    """A ``HistogramProto`` from its parts: min (1), max (2), num (3), sum (4), sum_squares (5),
    bucket_limit (6) and bucket (7) as packed doubles."""
    histo = proto.message(
        (1, "double", float(low)), (2, "double", float(high)), (3, "double", float(num)),
        (4, "double", float(total)), (5, "double", float(sum_squares)),
        (6, "bytes", proto.packed_doubles([float(v) for v in bucket_limits])),
        (7, "bytes", proto.packed_doubles([float(v) for v in bucket_counts])))
    return proto.summary_value(tag, histo=histo)


def _png_chunk(kind, data):
    """One PNG chunk: length, type, data, CRC32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(pixels):
    """The PNG file of an HWC uint8 array with 1 (grey), 3 (RGB) or 4 (RGBA) channels: 8-bit
    samples, each scanline with filter byte 0, zlib-compressed."""
    height, width, channels = pixels.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]
    rows = np.concatenate([np.zeros((height, 1), np.uint8), pixels.reshape(height, -1)], axis=1)
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows.tobytes())) + _png_chunk(b"IEND", b""))


def image(tag, pixels):
    """An ``Image``: height (1), width (2), colorspace (3: the channel count), PNG bytes (4)."""
    height, width, channels = pixels.shape
    encoded = proto.message((1, "varint", height), (2, "varint", width),
                            (3, "varint", channels), (4, "bytes", png(pixels)))
    return proto.summary_value(tag, image=encoded)


def text(tag, string):
    """A 1-element string tensor for the text plugin, under ``<tag>/text_summary`` as in PyTorch."""
    tensor = proto.message((1, "varint", _DT_STRING),
                           (2, "bytes", proto.message((2, "bytes", proto.message((1, "varint", 1))))),
                           (8, "bytes", string))
    return proto.summary_value(f"{tag}/text_summary", tensor=tensor, plugin="text")


def _protobuf_value(value):
    """A ``google.protobuf.Value`` and its hparams DataType: a str is string_value (3, STRING), a
    numpy bool bool_value (4, BOOL), anything else number_value (2, FLOAT64) -- a Python bool too,
    as in PyTorch."""
    if isinstance(value, np.bool_):
        return proto.message((4, "varint", int(value))), 2
    if isinstance(value, str):
        return proto.message((3, "bytes", value)), 1
    return proto.message((2, "double", float(value))), 3


def hparams(hparam_dict, metric_dict, domains):
    """The hparams plugin's three summaries (experiment, session start, session end), each an
    ``HParamsPluginData`` (version 0) in its metadata's plugin content.

    ``hparam_dict``: name -> value (None values are left out); ``domains``: name -> the list of
    values it may take (``HParamInfo.domain_discrete``, a ``ListValue``).
    """
    infos, entries = [], []
    for name, value in hparam_dict.items():
        if value is None:
            continue
        encoded, kind = _protobuf_value(value)
        domain = None
        if name in domains:
            domain = proto.message(*[(1, "bytes", _protobuf_value(choice)[0]) for choice in domains[name]])
        infos.append(proto.message((1, "bytes", name), (4, "varint", kind), (5, "bytes", domain)))
        entries.append(proto.message((1, "bytes", name), (2, "bytes", encoded)))
    metrics = [proto.message((1, "bytes", proto.message((2, "bytes", tag)))) for tag in metric_dict]
    experiment = proto.message(*[(4, "bytes", info) for info in infos],
                               *[(5, "bytes", metric) for metric in metrics])
    start = proto.message(*[(1, "bytes", entry) for entry in entries])
    end = proto.message((1, "varint", 1))  # STATUS_SUCCESS
    return [proto.summary_value(tag, plugin="hparams", plugin_content=proto.message((field, "bytes", data)))
            for tag, field, data in (("_hparams_/experiment", 2, experiment),
                                     ("_hparams_/session_start_info", 3, start),
                                     ("_hparams_/session_end_info", 4, end))]


def pr_curve_data(labels, predictions, num_thresholds, weights=None):
    """The six rows TensorBoard's PR-curve plugin draws, one column per threshold i / (n - 1):
    true positives, false positives, true negatives, false negatives, precision, recall. A
    prediction p counts at every threshold up to floor(p * (n - 1)) / (n - 1) (none outside
    [0, 1]); ``weights`` weigh each prediction (default 1); precision and recall divide by at
    least 1e-7."""
    buckets = np.floor(predictions * (num_thresholds - 1)).astype(np.int32)
    inside = (buckets >= 0) & (buckets < num_thresholds)
    weight = np.broadcast_to(np.float64(1.0) if weights is None else weights, labels.shape)
    positive = labels.astype(np.float64) * weight

    def at_or_above(counts):  # per threshold: the weight of the predictions at or above it
        per_bucket = np.bincount(buckets[inside], weights=counts[inside], minlength=num_thresholds)
        return np.cumsum(per_bucket[::-1])[::-1]

    tp, fp = at_or_above(positive), at_or_above(weight - positive)
    tn, fn = fp[0] - fp, tp[0] - tp
    return np.stack((tp, fp, tn, fn, tp / np.maximum(1e-7, tp + fp), tp / np.maximum(1e-7, tp + fn)))


def pr_curve(tag, data, num_thresholds):
    """A float tensor of ``pr_curve_data``'s 6 x n values for the pr_curves plugin, whose content
    is ``PrCurvePluginData`` (version 0, num_thresholds: field 2)."""
    shape = proto.message(*[(2, "bytes", proto.message((1, "varint", size))) for size in data.shape])
    values = data.astype(np.float32).reshape(-1)
    tensor = proto.message((1, "varint", _DT_FLOAT), (2, "bytes", shape),
                           (5, "bytes", struct.pack(f"<{values.size}f", *values)))
    return proto.summary_value(tag, tensor=tensor, plugin="pr_curves",
                               plugin_content=proto.message((2, "varint", num_thresholds)))


def audio(tag, samples, sample_rate):
    """An ``Audio``: sample_rate (1, float), one channel (2), the frame count (3), the WAV file (4:
    16-bit mono, the samples in [-1, 1] scaled by 32767 and truncated) and its type (5)."""
    frames = (samples * np.iinfo(np.int16).max).astype("<i2")
    with io.BytesIO() as buffer:
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(sample_rate)
            out.writeframes(frames.tobytes())
        encoded = proto.message((1, "float", sample_rate), (2, "varint", 1), (3, "varint", frames.size),
                                (4, "bytes", buffer.getvalue()), (5, "bytes", "audio/wav"))
    return proto.summary_value(tag, audio=encoded)


def video_frames(clips):
    """N x T x C x H x W clips (uint8 in [0, 255] or floats in [0, 1]) as T x H' x W' x C uint8
    frames, as PyTorch lays them out: the batch padded with black clips to a power of two and
    tiled 2**((bits(N) - 1) // 2) clips high (bits: N's bit length), uint8 divided by 255 first
    (in float32), then everything scaled by 255, clipped and truncated."""
    count, steps, channels, height, width = clips.shape
    if clips.dtype == np.uint8:
        clips = clips.astype(np.float32) / 255.0
    padded = count if count & (count - 1) == 0 else 1 << count.bit_length()
    clips = np.concatenate([clips, np.zeros((padded - count, *clips.shape[1:]), clips.dtype)])
    rows = 2 ** ((count.bit_length() - 1) // 2)
    frames = clips.reshape(rows, padded // rows, steps, channels, height, width).transpose(2, 0, 4, 1, 5, 3)
    frames = frames.reshape(steps, rows * height, padded // rows * width, channels)
    return (frames.astype(np.float32) * 255).clip(0, 255).astype(np.uint8)


def video(tag, frames, fps):
    """An ``Image`` holding an animated GIF of T x H x W x C uint8 ``frames`` (``gif.encode``; one
    channel shown as grey, a fourth, alpha, left out): height (1), width (2), colorspace (3: C)."""
    _, height, width, channels = frames.shape
    rgb = np.repeat(frames, 3, axis=-1) if channels == 1 else frames[..., :3]
    encoded = proto.message((1, "varint", height), (2, "varint", width), (3, "varint", channels),
                            (4, "bytes", gif.encode(np.ascontiguousarray(rgb), fps)))
    return proto.summary_value(tag, image=encoded)


def tensor(tag, values):
    """A whole tensor (a numpy array) for the "tensor" plugin, in the ``TensorProto`` field PyTorch
    uses for its dtype: float_val (5) and double_val (6) packed as floats, int_val (7), int64_val
    (10), bool_val (11) and uint32_val (16, for uint8) as varints, and float16 in half_val (13) as
    PyTorch writes it: each value's float32 bits read as an int32. Other dtypes are a ValueError."""
    if values.dtype not in _TENSOR_FIELDS:
        raise ValueError(f"SummaryWriter.add_tensor: {tag} has unsupported tensor dtype {values.dtype}.")
    kind, field, packing = _TENSOR_FIELDS[values.dtype]
    flat = values.reshape(-1)
    if packing == "half":
        flat, packing = flat.astype("<f4").view("<i4"), "varint"
    data = b"".join(proto.varint(int(v)) for v in flat) if packing == "varint" else flat.astype(packing).tobytes()
    encoded = proto.message((1, "varint", kind), (2, "bytes", proto.tensor_shape(values.shape)),
                            (field, "bytes", data or None))
    return proto.summary_value(tag, tensor=encoded, plugin="tensor")


def custom_scalars(layout):
    """The custom scalars plugin's ``Layout`` as a string tensor (tag ``custom_scalars__config__``):
    per category (2: title 1, charts 2) of ``layout`` (title -> {chart title -> [kind, tags]}) a
    ``Chart`` (title 1) that is a ``MarginChartContent`` (3: one series of value, lower, upper:
    the three tags) for kind "Margin", else a ``MultilineChartContent`` (2: the tags)."""
    categories = []
    for title, charts in layout.items():
        encoded = []
        for chart_title, (kind, tags) in charts.items():
            if kind == "Margin":
                if len(tags) != 3:
                    raise ValueError(f"SummaryWriter.add_custom_scalars: the margin chart {chart_title!r} needs 3 "
                                     f"tags (value, lower, upper), got {len(tags)}.")
                series = proto.message(*[(number, "bytes", tag) for number, tag in enumerate(tags, 1)])
                content = (3, "bytes", proto.message((1, "bytes", series)))
            else:
                content = (2, "bytes", proto.message(*[(1, "bytes", tag) for tag in tags]))
            encoded.append(proto.message((1, "bytes", chart_title), content))
        categories.append(proto.message((1, "bytes", title), *[(2, "bytes", chart) for chart in encoded]))
    string = proto.message(*[(2, "bytes", category) for category in categories])
    encoded = proto.message((1, "varint", _DT_STRING), (2, "bytes", b""), (8, "bytes", string))
    return proto.summary_value("custom_scalars__config__", tensor=encoded, plugin="custom_scalars")
