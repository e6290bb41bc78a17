"""``SummaryWriter.add_embedding``: the projector's files (tensors.tsv, metadata.tsv, sprite.png,
projector_config.pbtxt) as PyTorch's writer makes them; compared file for file with PyTorch's where
torch and tensorboard are installed, the sprite's pixels decoded with Pillow."""
import importlib.util
import os

import numpy as np
import pytest

import minitorch
from minitorch.utils.tensorboard import SummaryWriter

POINTS = np.array([[1.0, 2.5], [3.0, -4.0], [0.1, 1e-8]], np.float32)
IMAGES = np.linspace(0, 1, 3 * 3 * 4 * 5, dtype=np.float32).reshape(3, 3, 4, 5)


def _log(lib, writer_class, log_dir):
    with writer_class(log_dir) as writer:
        writer.add_embedding(lib.tensor(POINTS), metadata=["a", "b", "c"])
        writer.add_embedding(lib.tensor(POINTS[:2]), metadata=[["x", 1], ["y", 2]], metadata_header=["name", "n"],
                             global_step=3, tag="emb")
        writer.add_embedding(lib.zeros(3, 2), label_img=lib.tensor(IMAGES), global_step=4)
        writer.add_embedding(lib.zeros(3, 2), label_img=lib.tensor(IMAGES[:, :1]), global_step=5, tag="grey")


def _files(log_dir):
    found = {}
    for root, _, names in os.walk(log_dir):
        for name in names:
            if not name.startswith("events.out"):
                found[os.path.relpath(os.path.join(root, name), log_dir)] = os.path.join(root, name)
    return found


def test_the_files_are_pytorchs(tmp_path):
    torch = pytest.importorskip("torch")
    if importlib.util.find_spec("tensorboard") is None:
        pytest.skip("PyTorch's SummaryWriter needs the tensorboard package: pip install tensorboard")
    image = pytest.importorskip("PIL.Image")
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    _log(minitorch, SummaryWriter, tmp_path / "ours")
    _log(torch, TorchWriter, tmp_path / "theirs")
    ours, theirs = _files(tmp_path / "ours"), _files(tmp_path / "theirs")
    assert sorted(ours) == sorted(theirs)
    for name in ours:
        if name.endswith(".png"):
            mine, its = (np.asarray(image.open(files[name])) for files in (ours, theirs))
            np.testing.assert_array_equal(mine, its)
        else:
            with open(ours[name], "rb") as mine, open(theirs[name], "rb") as its:
                assert mine.read() == its.read(), name


def test_the_files_read_back(tmp_path):
    _log(minitorch, SummaryWriter, tmp_path)
    lines = (tmp_path / "00000" / "default" / "tensors.tsv").read_text().splitlines()
    assert [[float(v) for v in line.split("\t")] for line in lines] == POINTS.tolist()
    assert (tmp_path / "00003" / "emb" / "metadata.tsv").read_text() == "name\tn\nx\t1\ny\t2\n"
    config = (tmp_path / "projector_config.pbtxt").read_text()
    assert config.count("embeddings {") == 4 and 'tensor_name: "emb:00003"' in config
    assert 'image_path: "00004/default/sprite.png"\n    single_image_dim: 5\n    single_image_dim: 4' in config
    assert (tmp_path / "00005" / "grey" / "sprite.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_arguments_say_what_is_wrong(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        with pytest.raises(ValueError, match="add_embedding: mat must be 2-D"):
            writer.add_embedding(minitorch.zeros(3))
        with pytest.raises(ValueError, match="add_embedding: 2 labels in metadata for 3 points"):
            writer.add_embedding(minitorch.zeros(3, 2), metadata=["a", "b"])
        with pytest.raises(ValueError, match="add_embedding: metadata_header has 1 names for 2 columns"):
            writer.add_embedding(minitorch.zeros(1, 2), metadata=[["a", 1]], metadata_header=["name"])
        with pytest.raises(ValueError, match="add_embedding: label_img must be N x C x H x W"):
            writer.add_embedding(minitorch.zeros(3, 2), label_img=minitorch.zeros(2, 3, 4, 4))
