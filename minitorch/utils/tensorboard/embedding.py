"""The files of ``SummaryWriter.add_embedding``, for TensorBoard's projector, as PyTorch writes them:
in ``<log_dir>/<step, 5 digits>/<tag>/``, ``tensors.tsv`` (one point a line, tab-separated),
``metadata.tsv`` (one label a line, or a header line and tab-separated columns) and ``sprite.png``
(the points' images tiled on a square); ``<log_dir>/projector_config.pbtxt`` lists every embedding
logged so far, in protobuf's text format.
"""
import math
import os

import numpy as np

from .summary import png


def save(log_dir, mat, metadata, label_img, step, tag, metadata_header):
    """Write one embedding's files under ``log_dir``; returns its projector entry (text)."""
    subdir = f"{step:05d}/{tag}"
    path = os.path.join(log_dir, subdir)
    if os.path.isdir(path):
        print("warning: Embedding dir exists, did you set global_step for add_embedding()?")
    os.makedirs(path, exist_ok=True)
    entry = [f'  tensor_name: "{tag}:{step:05d}"']
    if metadata is not None:
        _write(path, "metadata.tsv", _metadata_lines(metadata, metadata_header))
        entry.append(f'  metadata_path: "{subdir}/metadata.tsv"')
    if label_img is not None:
        with open(os.path.join(path, "sprite.png"), "wb") as f:
            f.write(png(sprite(label_img)))
        entry.append(f'  sprite {{\n    image_path: "{subdir}/sprite.png"\n'
                     f'    single_image_dim: {label_img.shape[3]}\n    single_image_dim: {label_img.shape[2]}\n  }}')
    _write(path, "tensors.tsv", ["\t".join(str(value.item()) for value in row) for row in mat])
    entry.append(f'  tensor_path: "{subdir}/tensors.tsv"')
    return "embeddings {\n" + "\n".join(entry) + "\n}\n"


def save_config(log_dir, entries):
    """``projector_config.pbtxt``: every embedding's entry, in the order they were logged."""
    with open(os.path.join(log_dir, "projector_config.pbtxt"), "w", encoding="utf-8") as f:
        f.write("".join(entries))


def _metadata_lines(metadata, header):
    """One label a line, or (with ``header``) the header and each row's columns, tab-separated."""
    if not header:
        return [str(label) for label in metadata]
    return ["\t".join(str(column) for column in row) for row in [header, *metadata]]


def _write(path, name, lines):
    with open(os.path.join(path, name), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def sprite(images):
    """NCHW images in [0, 1] (1 or 3 channels) as PyTorch's sprite: tiled ceil(sqrt(N)) to a row,
    on a square black RGB canvas as wide as the rows, scaled by 255 and truncated to uint8."""
    from .writer import _grid  # the tiling of add_images (writer.py imports this module)

    count = images.shape[0]
    pixels = (np.moveaxis(images, 1, -1).astype(np.float64) * 255).clip(0, 255).astype(np.uint8)
    if pixels.shape[-1] == 1:
        pixels = np.repeat(pixels, 3, axis=-1)
    tiled = _grid(pixels, math.ceil(count ** 0.5))
    square = np.zeros((tiled.shape[1], tiled.shape[1], 3), np.uint8)
    square[:tiled.shape[0]] = tiled
    return square
