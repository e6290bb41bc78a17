"""``SummaryWriter.add_video`` and ``add_mesh``.

The video's GIF is decoded by a small decoder written here (and by Pillow where installed) and its
frames compared with PyTorch's layout of the clips (its ``_prepare_video``, where torch is
installed; PyTorch itself needs moviepy to write the GIF). The mesh summaries are compared byte
for byte with what PyTorch's writer logs."""
import glob
import io
import os
import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch.utils.tensorboard import SummaryWriter, gif, proto, record, summary


# -- a GIF decoder of our own --------------------------------------------------------------------

def _unlzw(data, min_code_size):
    """The indices of one LZW code stream (GIF's variant: low bit first, clear and end codes)."""
    clear, bits, position = 1 << min_code_size, int.from_bytes(data, "little"), 0
    out, table, width, previous = [], None, min_code_size + 1, None
    while True:
        code = bits >> position & ((1 << width) - 1)
        position += width
        if code == clear:
            table, width, previous = [[i] for i in range(clear + 2)], min_code_size + 1, None
            continue
        if code == clear + 1:
            return out
        entry = table[code] if code < len(table) else table[previous] + table[previous][:1]
        if previous is not None:
            table.append(table[previous] + entry[:1])
        out.extend(entry)
        previous = code
        if len(table) == 1 << width and width < 12:
            width += 1


def _decode_gif(data):
    """(width, height, [(delay, T x H x W x 3 frames)], loops) of the GIFs ``gif.encode`` writes."""
    assert data[:6] == b"GIF89a" and data[-1:] == b"\x3b"
    width, height, packed = struct.unpack("<HHB", data[6:11])
    palette = np.frombuffer(data[13:13 + 3 * (2 << (packed & 7))], np.uint8).reshape(-1, 3)
    offset, frames, delay, loops = 13 + 3 * len(palette), [], None, None
    while data[offset] != 0x3B:
        if data[offset] == 0x21:  # an extension: its label, then sub-blocks
            label, offset, body = data[offset + 1], offset + 2, b""
            while data[offset]:
                body, offset = body + data[offset + 1:offset + 1 + data[offset]], offset + 1 + data[offset]
            offset += 1
            if label == 0xF9:
                delay = struct.unpack("<H", body[1:3])[0]
            elif body.startswith(b"NETSCAPE2.0"):
                loops = struct.unpack("<H", body[12:14])[0]
        else:
            assert data[offset] == 0x2C and struct.unpack("<HHHHB", data[offset + 1:offset + 10]) == (0, 0, width, height, 0)
            min_code_size, offset, stream = data[offset + 10], offset + 11, b""
            while data[offset]:
                stream, offset = stream + data[offset + 1:offset + 1 + data[offset]], offset + 1 + data[offset]
            offset += 1
            indices = np.array(_unlzw(stream, min_code_size)).reshape(height, width)
            frames.append((delay, palette[indices]))
    return width, height, frames, loops


def _clips(draw_dtype, count, steps, channels, height, width, seed):
    rng = np.random.default_rng(seed)
    if draw_dtype == "uint8":
        return (rng.integers(0, 4, (count, steps, channels, height, width)) * 85).astype(np.uint8)
    return rng.choice([0.0, 0.25, 0.5, 1.0, 1.5, -0.5], (count, steps, channels, height, width)).astype(np.float32)


@given(dtype=st.sampled_from(["uint8", "float32"]), count=st.integers(1, 6), steps=st.integers(1, 3),
       channels=st.sampled_from([1, 3, 4]), height=st.integers(1, 4), width=st.integers(1, 4),
       seed=st.integers(0, 2 ** 16))
def test_the_gif_holds_the_clips_tiled_as_pytorch_tiles_them(dtype, count, steps, channels, height, width, seed):
    clips = _clips(dtype, count, steps, channels, height, width, seed)
    frames = summary.video_frames(clips)
    try:
        import torch  # noqa: F401 -- only for its layout of the clips
        from torch.utils.tensorboard._utils import _prepare_video
    except ImportError:
        _prepare_video = None
    if _prepare_video is not None:
        expected = (_prepare_video(clips).astype(np.float32) * 255).clip(0, 255).astype(np.uint8)
        np.testing.assert_array_equal(frames, expected)
    value = proto.parse(proto.parse(summary.video("v", frames, 4))[1][0])
    image = proto.parse(value[4][0])
    assert (image[1][0], image[2][0], image[3][0]) == frames.shape[1:]
    decoded_width, decoded_height, decoded, loops = _decode_gif(image[4][0])
    assert (decoded_height, decoded_width, loops, len(decoded)) == (*frames.shape[1:3], 0, steps)
    rgb = np.repeat(frames, 3, axis=-1) if channels == 1 else frames[..., :3]
    for step, (delay, pixels) in enumerate(decoded):  # few colours: the GIF is exact
        assert delay == 25
        np.testing.assert_array_equal(pixels, rgb[step])


def test_more_than_256_colours_are_quantized_to_a_close_palette():
    frames = np.random.default_rng(0).integers(0, 256, (2, 24, 24, 3)).astype(np.uint8)
    palette, indices = gif.quantize(frames)
    assert len(palette) == 256 and indices.max() < 256
    assert np.abs(palette[indices].astype(int) - frames).mean() < 20  # uniform noise: ~11 per channel
    _, _, decoded, _ = _decode_gif(gif.encode(frames, fps=10))
    for step, (delay, pixels) in enumerate(decoded):
        assert delay == 10
        np.testing.assert_array_equal(pixels, palette[indices[step]])


def test_long_streams_restart_the_lzw_table():
    """Noise makes a new code at nearly every pixel: the table fills (4096 codes) and is cleared."""
    indices = np.random.default_rng(1).integers(0, 256, 8000)
    assert _unlzw(gif.lzw(indices, 8), 8) == indices.tolist()
    assert _unlzw(gif.lzw(np.zeros(5000, np.int64), 2), 2) == [0] * 5000


def test_pillow_reads_the_gif(tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    clips = minitorch.tensor(_clips("float32", 3, 4, 3, 5, 6, seed=0))
    with SummaryWriter(tmp_path) as writer:
        writer.add_video("clip", clips, global_step=2, fps=5)
    (path,) = glob.glob(os.path.join(tmp_path, "events.out.tfevents.*"))
    with open(path, "rb") as file:
        event = proto.parse(record.unframe(file.read())[1])
    assert event[2] == [2]
    value = proto.parse(proto.parse(event[5][0])[1][0])
    assert value[1] == [b"clip"]
    picture = image_module.open(io.BytesIO(proto.parse(value[4][0])[4][0]))
    frames = summary.video_frames(clips.numpy())
    assert picture.n_frames == 4 and picture.size == (24, 5) and picture.info["duration"] == 200
    for step in range(4):
        picture.seek(step)
        np.testing.assert_array_equal(np.asarray(picture.convert("RGB")), frames[step])


# -- meshes -------------------------------------------------------------------------------------

VERTICES = [[1, 1, 1], [-1, -1, 1], [1, -1, -1], [-1, 1, -1.5]]
COLORS = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 0, 255]]
FACES = [[0, 2, 3], [0, 3, 1], [0, 1, 2], [1, 3, 2]]


def _log_meshes(lib, writer):
    writer.add_mesh("solid", lib.tensor(VERTICES).unsqueeze(0), colors=lib.tensor(COLORS, dtype=lib.uint8).unsqueeze(0),
                    faces=lib.tensor(FACES, dtype=lib.int32).unsqueeze(0), global_step=3, walltime=5.0)
    writer.add_mesh("cloud", lib.tensor(VERTICES, dtype=lib.float64).unsqueeze(0) / 3, walltime=6.0,
                    config_dict={"camera": {"cls": "PerspectiveCamera", "config": {"fov": 75}}, "lights": []})


def _records(log_dir):
    """The records of the event file in ``log_dir``, after the file-version one."""
    (path,) = glob.glob(os.path.join(log_dir, "events.out.tfevents.*"))
    with open(path, "rb") as file:
        return record.unframe(file.read())[1:]


def test_mesh_summaries_are_pytorchs_byte_for_byte(tmp_path):
    torch = pytest.importorskip("torch")
    pytest.importorskip("tensorboard.plugins.mesh.metadata", reason="PyTorch's add_mesh needs tensorboard")
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    with SummaryWriter(tmp_path / "ours") as ours, TorchWriter(str(tmp_path / "theirs")) as theirs:
        _log_meshes(minitorch, ours)
        _log_meshes(torch, theirs)
    assert _records(tmp_path / "ours") == _records(tmp_path / "theirs")


def test_mesh_summaries_hold_the_plugin_data(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        _log_meshes(minitorch, writer)
    solid, cloud = [proto.parse(proto.parse(r)[5][0])[1] for r in _records(tmp_path)]
    assert [proto.parse(v)[1][0] for v in solid] == [b"solid_VERTEX", b"solid_FACE", b"solid_COLOR"]
    assert [proto.parse(v)[1][0] for v in cloud] == [b"cloud_VERTEX"]
    for content_type, raw in enumerate(solid, 1):
        fields = proto.parse(raw)
        tensor = proto.parse(fields[8][0])
        assert np.frombuffer(tensor[5][0], "<f4").reshape(1, 4, 3).tolist() == [[VERTICES, FACES, COLORS][content_type - 1]]
        plugin = proto.parse(proto.parse(fields[9][0])[1][0])
        assert plugin[1] == [b"mesh"]
        data = proto.parse(plugin[2][0])
        assert data == {2: [b"solid"], 3: [content_type], 5: [b"{}"], 6: [bytes([1, 4, 3])], 7: [0b1110]}
    config = proto.parse(proto.parse(proto.parse(proto.parse(cloud[0])[9][0])[1][0])[2][0])[5][0]
    assert config == b'{"camera": {"cls": "PerspectiveCamera", "config": {"fov": 75}}, "lights": []}'


@pytest.mark.parametrize("call, error, message", [
    (lambda w: w.add_video("v", minitorch.zeros(2, 3, 4)), ValueError, r"add_video: vid_tensor must be N x T x C x H x W"),
    (lambda w: w.add_video("v", minitorch.zeros(1, 1, 2, 3, 3)), ValueError, "with 1, 3 or 4 channels"),
    (lambda w: w.add_video("v", minitorch.zeros(1, 1, 3, 3, 3), fps="fast"), TypeError, "add_video: fps must be a number"),
    (lambda w: w.add_video("v", minitorch.zeros(1, 1, 3, 3, 3), fps=0), ValueError, "add_video: fps must be"),
    (lambda w: w.add_mesh("m", minitorch.zeros(4, 3)), ValueError, r"add_mesh: vertices must be B x N x 3, got shape \(4, 3\)"),
    (lambda w: w.add_mesh("m", minitorch.zeros(1, 4, 3), faces=minitorch.zeros(1, 2, 2)), ValueError, "add_mesh: faces must be"),
    (lambda w: w.add_mesh("m", minitorch.zeros(1, 4, 3), config_dict="{}"), TypeError, "add_mesh: config_dict must be a dict"),
])
def test_bad_arguments(tmp_path, call, error, message):
    with SummaryWriter(tmp_path) as writer, pytest.raises(error, match=message):
        call(writer)
