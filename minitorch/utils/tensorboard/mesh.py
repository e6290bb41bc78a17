"""``SummaryWriter.add_mesh``: TensorBoard's mesh plugin summaries, as PyTorch writes them.

A mesh is up to three float tensor summaries in one ``Summary``, in this order: the vertices
(tag ``<tag>_VERTEX``), the faces (``<tag>_FACE``) and the colours (``<tag>_COLOR``), each of
shape B x N x 3. Each one's metadata names the plugin "mesh" and holds a ``MeshPluginData``:
version (1: 0, left out), the tag (2), its content type (3: VERTEX 1, FACE 2, COLOR 3),
``json_config`` (5: the three.js settings as JSON with sorted keys, "{}" by default), its shape
(6, packed) and ``components`` (7: a bit ``1 << content type`` for each part present).
"""
import json

from . import proto

_DT_FLOAT = 1
_CONTENT = (("VERTEX", 1), ("FACE", 2), ("COLOR", 3))


def _plugin_data(tag, content_type, components, shape, json_config):
    """A serialized ``MeshPluginData``."""
    packed = b"".join(proto.varint(size) for size in shape)
    return proto.message((2, "bytes", tag), (3, "varint", content_type), (5, "bytes", json_config),
                         (6, "bytes", packed), (7, "varint", components))


def mesh(tag, vertices, colors, faces, config_dict):
    """The ``Summary`` (bytes) of a mesh: ``vertices``, ``faces`` and ``colors`` are B x N x 3
    numpy arrays (faces and colors may be None) stored as float32; ``config_dict`` a dict or None."""
    json_config = "{}" if config_dict is None else json.dumps(config_dict, sort_keys=True)
    parts = [(array, name, content) for array, (name, content) in zip((vertices, faces, colors), _CONTENT)
             if array is not None]
    components = sum(1 << content for _, _, content in parts)
    values = []
    for array, name, content in parts:
        tensor = proto.message((1, "varint", _DT_FLOAT), (2, "bytes", proto.tensor_shape(array.shape)),
                               (5, "bytes", array.astype("<f4").tobytes() or None))
        values.append(proto.summary_value(f"{tag}_{name}", tensor=tensor, plugin="mesh",
                                          plugin_content=_plugin_data(tag, content, components, array.shape,
                                                                      json_config)))
    return b"".join(values)
