"""The protobuf wire format, by hand, for the few messages an event file holds.

A message is a run of fields; each field is a key (``field_number << 3 | wire_type``, as a
varint) and a value: a varint (wire type 0: ints, enums, bools), 8 little-endian bytes (type 1:
double), a length and that many bytes (type 2: strings, bytes, sub-messages, packed repeated
numbers) or 4 little-endian bytes (type 5: float). The field numbers are those of TensorBoard's
``event.proto``, ``summary.proto``, ``tensor.proto`` and ``hparams`` protos.

    >>> varint(300).hex()
    'ac02'
    >>> message((1, "double", 2.0), (2, "varint", 7)).hex()
    '0900000000000000401007'
"""
import struct

_WIRE = {"varint": 0, "double": 1, "bytes": 2, "float": 5}


def varint(value):
    """``value`` (an int; a negative one as its 64-bit two's complement) in 7-bit groups, low first,
    the high bit set on every byte but the last."""
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _value(kind, value):
    """The bytes of one field's value of wire ``kind``."""
    if kind == "varint":
        return varint(int(value))
    if kind == "double":
        return struct.pack("<d", value)
    if kind == "float":
        return struct.pack("<f", value)
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return varint(len(data)) + data


def message(*fields):
    """A message from ``(number, kind, value)`` triples (kind: "varint", "double", "float", "bytes";
    a str is written as UTF-8); a field whose value is None is left out, as proto3 leaves out unset
    fields."""
    return b"".join(varint(number << 3 | _WIRE[kind]) + _value(kind, value)
                    for number, kind, value in fields if value is not None)


def packed_doubles(values):
    """A packed repeated double field's payload: the doubles back to back."""
    return struct.pack(f"<{len(values)}d", *values)


def tensor_shape(dims):
    """A ``TensorShapeProto``: one ``dim`` (2) per size (``Dim.size``, 1; a size 0 left out, as
    proto3 leaves out zeros)."""
    return message(*[(2, "bytes", message((1, "varint", int(size) or None))) for size in dims])


def event(wall_time, step=None, file_version=None, summary=None, session_log=None, graph_def=None,
          tagged_run_metadata=None):
    """An ``Event``: wall_time (1, double), step (2, int64), file_version (3), graph_def (4, a
    serialized ``GraphDef``), summary (5), session_log (7), tagged_run_metadata (8)."""
    return message((1, "double", wall_time), (2, "varint", step), (3, "bytes", file_version),
                   (4, "bytes", graph_def), (5, "bytes", summary), (7, "bytes", session_log),
                   (8, "bytes", tagged_run_metadata))


def summary_value(tag, simple_value=None, image=None, histo=None, tensor=None, plugin=None,
                  plugin_content=b"", audio=None):
    """A ``Summary`` with one ``Value``: tag (1), simple_value (2, float), image (4), histo (5),
    audio (6), tensor (8) and metadata (9) naming the TensorBoard plugin that shows it."""
    metadata = None
    if plugin is not None:
        metadata = message((1, "bytes", message((1, "bytes", plugin), (2, "bytes", plugin_content or None))))
    value = message((1, "bytes", tag), (2, "float", simple_value), (4, "bytes", image),
                    (5, "bytes", histo), (6, "bytes", audio), (8, "bytes", tensor), (9, "bytes", metadata))
    return message((1, "bytes", value))


def parse(data):
    """The fields of one message as ``{number: [raw values]}`` (varints as ints, fixed-width ones
    and length-delimited ones as bytes): the inverse of ``message``, for reading event files back."""
    fields, offset = {}, 0
    while offset < len(data):
        key, offset = _read_varint(data, offset)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, offset = _read_varint(data, offset)
        elif wire in (1, 5):
            width = 8 if wire == 1 else 4
            value, offset = data[offset:offset + width], offset + width
        elif wire == 2:
            length, offset = _read_varint(data, offset)
            value, offset = data[offset:offset + length], offset + length
        else:
            raise ValueError(f"protobuf: unsupported wire type {wire} in field {number}.")
        fields.setdefault(number, []).append(value)
    return fields


def _read_varint(data, offset):
    """The varint that starts at ``offset`` and the offset after it."""
    value = shift = 0
    while True:
        byte = data[offset]
        value |= (byte & 0x7F) << shift
        offset, shift = offset + 1, shift + 7
        if not byte & 0x80:
            return value, offset
