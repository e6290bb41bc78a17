"""minitorch.utils.tensorboard: the event files read back with a small decoder written here (from
the wire format: records, protobuf fields, PNG) and, where tensorboard is installed, with
tensorboard's own EventAccumulator, which must see what PyTorch's SummaryWriter would write."""
import glob
import importlib
import os
import struct
import sys
import zlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch.utils.tensorboard import SummaryWriter, proto, record


# -- a decoder of our own: event files -> plain dicts ---------------------------------------------

def _doubles(raw):
    """A packed repeated double field's values."""
    return list(struct.unpack(f"<{len(raw) // 8}d", raw))


def _png_pixels(data):
    """The HWC uint8 pixels of a PNG with 8-bit samples and filter 0 on every row (what we write)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = {}, 8
    while offset < len(data):
        (length,), kind = struct.unpack(">I", data[offset:offset + 4]), data[offset + 4:offset + 8]
        body = data[offset + 8:offset + 8 + length]
        assert struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = chunks.get(kind, b"") + body
        offset += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    channels = {0: 1, 2: 3, 6: 4}[color]
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, -1)
    assert depth == 8 and not rows[:, 0].any()
    return rows[:, 1:].reshape(height, width, channels)


def _value(raw):
    """One Summary.Value as a dict: tag, and simple_value / image / histo / tensor / plugin."""
    fields = proto.parse(raw)
    out = {"tag": fields[1][0].decode()}
    if 2 in fields:
        out["simple_value"] = struct.unpack("<f", fields[2][0])[0]
    if 4 in fields:
        image = proto.parse(fields[4][0])
        out["image"] = (image[1][0], image[2][0], image[3][0], _png_pixels(image[4][0]))
    if 5 in fields:
        histo = proto.parse(fields[5][0])
        out["histo"] = {name: struct.unpack("<d", histo[number][0])[0]
                        for number, name in enumerate(("min", "max", "num", "sum", "sum_squares"), 1)}
        out["histo"]["bucket_limit"] = _doubles(histo[6][0])
        out["histo"]["bucket"] = _doubles(histo[7][0])
    if 8 in fields:
        out["tensor"] = proto.parse(fields[8][0])
    if 9 in fields:
        plugin = proto.parse(proto.parse(fields[9][0])[1][0])
        out["plugin"], out["plugin_content"] = plugin[1][0].decode(), plugin.get(2, [b""])[0]
    return out


def _events(log_dir):
    """Every event of the event files directly in ``log_dir``, as dicts."""
    events = []
    for path in sorted(glob.glob(os.path.join(log_dir, "events.out.tfevents.*"))):
        with open(path, "rb") as file:
            for data in record.unframe(file.read()):
                fields = proto.parse(data)
                event = {"wall_time": struct.unpack("<d", fields[1][0])[0], "step": fields.get(2, [0])[0]}
                if 3 in fields:
                    event["file_version"] = fields[3][0].decode()
                if 5 in fields:
                    event["values"] = [_value(raw) for raw in proto.parse(fields[5][0])[1]]
                if 7 in fields:
                    event["session_log"] = proto.parse(fields[7][0])
                events.append(event)
    return events


def _summaries(log_dir):
    """(step, value dict) of every summary value in ``log_dir``."""
    return [(event["step"], value) for event in _events(log_dir) for value in event.get("values", [])]


# -- framing and wire format ----------------------------------------------------------------------

def test_crc32c_known_values():
    assert record.crc32c(b"123456789") == 0xE3069283
    assert record.crc32c(bytes(32)) == 0x8A9136AA  # RFC 3720's test vector
    assert record.crc32c(b"") == 0


@given(st.binary(max_size=64), st.binary(max_size=64))
def test_frame_round_trips(first, second):
    assert record.unframe(record.frame(first) + record.frame(second)) == [first, second]


def test_unframe_refuses_a_damaged_record():
    blob = bytearray(record.frame(b"hello"))
    blob[13] ^= 1
    with pytest.raises(ValueError, match="bad checksum in the record at byte 0"):
        record.unframe(bytes(blob))
    with pytest.raises(ValueError, match="truncated"):
        record.unframe(record.frame(b"x")[:5])


@given(st.integers(-(2 ** 63), 2 ** 64 - 1), st.text(max_size=20), st.floats(allow_nan=False))
def test_message_round_trips(number, text, real):
    fields = proto.parse(proto.message((1, "varint", number), (2, "bytes", text), (3, "double", real)))
    assert fields[1] == [number % 2 ** 64]
    assert fields[2] == [text.encode()]
    assert struct.unpack("<d", fields[3][0]) == (real,)


# -- what the writer writes, read back by our decoder -----------------------------------------------

def test_first_event_and_file_name(tmp_path):
    with SummaryWriter(tmp_path, filename_suffix=".v1") as writer:
        assert writer.get_logdir() == str(tmp_path)
    (name,) = os.listdir(tmp_path)
    assert name.startswith("events.out.tfevents.") and name.endswith(".v1")
    assert _events(tmp_path)[0]["file_version"] == "brain.Event:2"


def test_scalars(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        for step in range(3):
            writer.add_scalar("loss", minitorch.tensor(1.0 / (step + 1)), step, walltime=100.0 + step)
        writer.add_scalar("acc", np.float64(0.75), global_step=minitorch.tensor(7))
        writer.add_scalar("new", 2.5, 1, new_style=True)
        writer.add_scalar("wide", 0.1, 1, new_style=True, double_precision=True)
    events = _events(tmp_path)
    assert [e["wall_time"] for e in events[1:4]] == [100.0, 101.0, 102.0]
    got = _summaries(tmp_path)
    assert [(step, v["tag"], v["simple_value"]) for step, v in got[:4]] == [
        (0, "loss", 1.0), (1, "loss", np.float32(0.5)), (2, "loss", np.float32(1 / 3)), (7, "acc", 0.75)]
    new, wide = got[4][1], got[5][1]
    assert new["plugin"] == "scalars" and struct.unpack("<f", new["tensor"][5][0]) == (2.5,)
    assert new["tensor"][1] == [1] and wide["tensor"][1] == [2]  # DT_FLOAT, DT_DOUBLE
    assert _doubles(wide["tensor"][6][0]) == [0.1]


def test_add_scalars_writes_one_run_per_key(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        writer.add_scalars("loss/all", {"train": 1.0, "val": 2.0}, 3)
    for key, value in (("train", 1.0), ("val", 2.0)):
        ((step, got),) = _summaries(tmp_path / f"loss_all_{key}")
        assert (step, got["tag"], got["simple_value"]) == (3, "loss/all", value)


def test_histogram_trims_to_the_filled_buckets(tmp_path):
    values = np.array([0.5, 1.5, 1.5, 3.5])
    with SummaryWriter(tmp_path) as writer:
        writer.add_histogram("w", values, 2, bins=[0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
        writer.add_histogram("w8", minitorch.randn(50), 2, bins=16, max_bins=8)
    (_, first), (_, second) = _summaries(tmp_path)
    histo = first["histo"]
    assert (histo["min"], histo["max"], histo["num"], histo["sum"], histo["sum_squares"]) == (0.5, 3.5, 4, 7.0, 17.0)
    assert histo["bucket"] == [0, 1, 2, 0, 1] and histo["bucket_limit"] == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert len(second["histo"]["bucket"]) <= 9 and sum(second["histo"]["bucket"]) == 50


def test_images_become_pngs(tmp_path):
    rng = np.random.default_rng(0)
    chw = rng.random((3, 4, 5))
    grey = rng.integers(0, 256, (4, 5), dtype=np.uint8)
    batch = rng.integers(0, 256, (10, 2, 3, 1), dtype=np.uint8)
    with SummaryWriter(tmp_path) as writer:
        writer.add_image("rgb", minitorch.tensor(chw), 0)
        writer.add_image("grey", grey, 0, dataformats="HW")
        writer.add_image("rgba", np.ones((2, 2, 4)), 0, dataformats="HWC")
        writer.add_images("batch", batch, 0, dataformats="NHWC")
    (_, rgb), (_, gray), (_, rgba), (_, tiled) = _summaries(tmp_path)
    height, width, colorspace, pixels = rgb["image"]
    assert (height, width, colorspace) == (4, 5, 3)
    np.testing.assert_array_equal(pixels, (chw.transpose(1, 2, 0).astype(np.float32) * 255).astype(np.uint8))
    np.testing.assert_array_equal(gray["image"][3], np.repeat(grey[..., None], 3, axis=-1))
    assert rgba["image"][2] == 4 and (rgba["image"][3] == 255).all()
    assert tiled["image"][:3] == (4, 24, 3)  # 8 to a row, 2 rows
    np.testing.assert_array_equal(tiled["image"][3][2:4, 3:6, 0], batch[9, :, :, 0])
    assert not tiled["image"][3][2:, 6:].any()


def test_text(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        writer.add_text("notes", "héllo **world**", 4)
    ((step, value),) = _summaries(tmp_path)
    assert (step, value["tag"], value["plugin"]) == (4, "notes/text_summary", "text")
    assert value["tensor"][1] == [7] and value["tensor"][8] == ["héllo **world**".encode()]


def test_figure(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(2, 1), dpi=50)
    plt.plot([0, 1], [1, 0])
    with SummaryWriter(tmp_path) as writer:
        writer.add_figure("plot", figure, 1)
        writer.add_figure("plots", [plt.figure(figsize=(1, 1), dpi=20) for _ in range(2)], 1)
    (_, single), (_, pair) = _summaries(tmp_path)
    assert single["image"][:3] == (50, 100, 3) and pair["image"][:3] == (20, 40, 3)
    assert not plt.get_fignums()


def test_purge_step_and_queue(tmp_path):
    writer = SummaryWriter(tmp_path, purge_step=5, max_queue=4, flush_secs=1000)
    writer.add_scalar("a", 1.0, 6)
    assert len(_events(tmp_path)) == 1  # the first event only: the purge events and "a" wait in the queue
    writer.add_scalar("a", 2.0, 7)
    events = _events(tmp_path)
    assert [e["step"] for e in events[1:]] == [5, 5, 6, 7]
    assert events[2]["session_log"] == {1: [1]}  # SessionLog.START
    writer.close()
    writer.add_scalar("a", 3.0, 8)  # a closed writer opens a new file, as PyTorch's does
    writer.flush()
    assert len(glob.glob(os.path.join(tmp_path, "events.*"))) == 2
    writer.close()


def test_default_log_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    writer = SummaryWriter(comment="_lr0.1")
    writer.close()
    assert writer.log_dir.startswith("runs" + os.sep) and writer.log_dir.endswith("_lr0.1")
    assert os.path.isdir(writer.log_dir)


@pytest.mark.parametrize("call, error, message", [
    (lambda w: w.add_scalar(3, 1.0), TypeError, "add_scalar: tag must be a str, got int"),
    (lambda w: w.add_scalar("x", minitorch.ones(2)), ValueError, r"exactly one number, got shape \(2,\)"),
    (lambda w: w.add_scalar("x", "high"), TypeError, "scalar_value must be a tensor"),
    (lambda w: w.add_scalar("x", 1.0, 1.5), TypeError, "global_step must be an integer"),
    (lambda w: w.add_histogram("x", []), ValueError, "values is empty"),
    (lambda w: w.add_image("x", np.zeros((3, 4))), ValueError, "has 2 dimensions.*names 3"),
    (lambda w: w.add_image("x", np.zeros((3, 4, 4)), dataformats="XYZ"), ValueError, "dataformats"),
    (lambda w: w.add_image("x", np.zeros((2, 4, 4))), ValueError, "needs 1, 3 or 4 channels, got 2"),
    (lambda w: w.add_scalar("x", 1.0, walltime="now"), TypeError, "SummaryWriter.add_scalar: walltime must be"),
    (lambda w: w.add_scalars("x", [1.0]), TypeError, "tag_scalar_dict must be a dict"),
    (lambda w: w.add_hparams({"lr": [1]}, {}), ValueError, "hparam 'lr' must be"),
    (lambda w: SummaryWriter(w.log_dir, max_queue=0), ValueError, "max_queue must be"),
])
def test_bad_arguments(tmp_path, call, error, message):
    with SummaryWriter(tmp_path) as writer, pytest.raises(error, match=message):
        call(writer)


def test_imports_without_tensorboard_or_protobuf(monkeypatch):
    for name in [name for name in sys.modules if name.startswith("minitorch.utils.tensorboard")]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("tensorboard", "google.protobuf", "matplotlib"):
        monkeypatch.setitem(sys.modules, name, None)  # `import name` now fails
    assert importlib.import_module("minitorch.utils.tensorboard").SummaryWriter.__name__ == "SummaryWriter"


# -- tensorboard reads the files, and sees what PyTorch's writer writes ---------------------------

def _log_everything(writer, module):
    """The same calls on minitorch's writer and PyTorch's (``module``: minitorch or torch)."""
    rng = np.random.default_rng(1)
    for step in range(3):
        writer.add_scalar("loss", module.tensor(1.0 / (step + 1)), step, walltime=10.0 + step)
    writer.add_scalar("loss_new", 0.5, 3, walltime=13.0, new_style=True)
    writer.add_histogram("weights", module.tensor(rng.normal(size=200)), 1, walltime=14.0)
    writer.add_histogram("auto", module.tensor(rng.normal(size=50)), 1, walltime=14.0, bins="auto", max_bins=5)
    writer.add_image("img", module.tensor(rng.random((3, 6, 7))), 2, walltime=15.0)
    writer.add_image("grey", rng.integers(0, 256, (6, 7), dtype=np.uint8), 2, walltime=15.0, dataformats="HW")
    writer.add_images("batch", rng.random((3, 1, 4, 5)), 2, walltime=15.0)
    writer.add_text("notes", "lr = 0.1", 3, walltime=16.0)
    writer.add_hparams({"lr": 0.1, "layers": 2, "opt": "adam", "bn": True}, {"hp/acc": 0.9},
                       hparam_domain_discrete={"opt": ["adam", "sgd"]}, run_name="hp", global_step=4)


def _accumulated(log_dir, times=True):
    """What tensorboard's EventAccumulator reads in ``log_dir``, decoded to comparable values."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(log_dir), size_guidance={"tensors": 0, "images": 0})
    accumulator.Reload()
    tags = accumulator.Tags()
    scalars = {tag: [(e.wall_time if times else None, e.step, e.value) for e in accumulator.Scalars(tag)]
               for tag in tags["scalars"]}
    histograms = {tag: [(e.step, str(e.histogram_value)) for e in accumulator.Histograms(tag)]
                  for tag in tags["histograms"]}
    images = {tag: [(e.step, e.width, e.height, _decoded(e.encoded_image_string))
                    for e in accumulator.Images(tag)] for tag in tags["images"]}
    tensors = {tag: [(e.step, str(e.tensor_proto)) for e in accumulator.Tensors(tag)] for tag in tags["tensors"]}
    metadata = {tag: (accumulator.SummaryMetadata(tag).plugin_data.plugin_name,
                      _plugin_content(accumulator.SummaryMetadata(tag).plugin_data)) for tag in tags["tensors"]}
    return scalars, histograms, images, tensors, metadata


def _plugin_content(plugin_data):
    """The hparams plugin's content as a message (map order is free), else the raw bytes."""
    from tensorboard.plugins.hparams import plugin_data_pb2

    if plugin_data.plugin_name == "hparams":
        return plugin_data_pb2.HParamsPluginData.FromString(plugin_data.content)
    return plugin_data.content


def _decoded(png_bytes):
    """The pixels of any PNG (PyTorch's come from PIL), through PIL."""
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png_bytes))).tolist()


def test_tensorboard_sees_what_pytorch_writes(tmp_path):
    pytest.importorskip("tensorboard")
    pytest.importorskip("PIL")
    torch = pytest.importorskip("torch")
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    with SummaryWriter(tmp_path / "ours") as ours, TorchWriter(str(tmp_path / "theirs")) as theirs:
        _log_everything(ours, minitorch)
        _log_everything(theirs, torch)
    assert _accumulated(tmp_path / "ours") == _accumulated(tmp_path / "theirs")
    assert _accumulated(tmp_path / "ours" / "hp", times=False) == _accumulated(tmp_path / "theirs" / "hp", times=False)


def test_hparams_plugin_reads_them(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.plugins.hparams import plugin_data_pb2

    with SummaryWriter(tmp_path) as writer:
        writer.add_hparams({"lr": 0.1, "opt": "adam", "bn": np.True_, "skip": None}, {"hp/acc": 0.9},
                           hparam_domain_discrete={"opt": ["adam", "sgd"]}, run_name="run", global_step=2)
    found = {value["tag"]: (step, value) for step, value in _summaries(tmp_path / "run")}
    assert found["hp/acc"][0] == 2 and found["hp/acc"][1]["simple_value"] == np.float32(0.9)
    data = {tag: plugin_data_pb2.HParamsPluginData.FromString(value["plugin_content"])
            for tag, (_, value) in found.items() if value.get("plugin") == "hparams"}
    experiment = data["_hparams_/experiment"].experiment
    assert [(info.name, info.type) for info in experiment.hparam_infos] == [("lr", 3), ("opt", 1), ("bn", 2)]
    assert [v.string_value for v in experiment.hparam_infos[1].domain_discrete.values] == ["adam", "sgd"]
    assert [m.name.tag for m in experiment.metric_infos] == ["hp/acc"]
    start = data["_hparams_/session_start_info"].session_start_info.hparams
    assert (start["lr"].number_value, start["opt"].string_value, start["bn"].bool_value) == (0.1, "adam", True)
    assert data["_hparams_/session_end_info"].session_end_info.status == 1
