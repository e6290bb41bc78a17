"""MNIST: IDX files (round trip, header checks, errors) and the shipped 5,000-digit subset."""
import gzip
import os

import numpy as np
import pytest

import minitorch
from minitorch.data import MNIST, DataLoader, load_mnist_idx, load_mnist_subset
from minitorch.data.mnist import read_idx
from minitorch.data.transforms import RandomHorizontalFlip


def idx_bytes(array, magic):
    """An IDX file's bytes: magic, one big-endian size per dimension, then the uint8 data."""
    header = magic.to_bytes(4, "big") + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write(path, data, gz=False):
    if gz:
        with gzip.open(str(path) + ".gz", "wb") as f:
            f.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def make_split(folder, prefix, n, seed, gz=False):
    """Random images and labels written as ``{prefix}-images-idx3-ubyte`` and ``-labels-idx1-ubyte``."""
    rs = np.random.RandomState(seed)
    images = rs.randint(0, 256, size=(n, 28, 28)).astype(np.uint8)
    labels = rs.randint(0, 10, size=n).astype(np.uint8)
    write(folder / f"{prefix}-images-idx3-ubyte", idx_bytes(images, 2051), gz)
    write(folder / f"{prefix}-labels-idx1-ubyte", idx_bytes(labels, 2049), gz)
    return images, labels


@pytest.fixture
def mnist_folder(tmp_path):
    train = make_split(tmp_path, "train", 7, seed=1)
    test = make_split(tmp_path, "t10k", 3, seed=2)
    return tmp_path, train, test


# ------------------------------------------------------------------ IDX files
@pytest.mark.parametrize("gz", [False, True])
def test_idx_round_trip(tmp_path, gz):
    images, labels = make_split(tmp_path, "train", 5, seed=3, gz=gz)
    make_split(tmp_path, "t10k", 2, seed=4, gz=gz)
    got_images, got_labels = load_mnist_idx(tmp_path, "train")
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)
    assert got_images.dtype == np.uint8 and got_images.shape == (5, 28, 28)
    assert load_mnist_idx(tmp_path, "test")[0].shape == (2, 28, 28)


def test_mnist_dataset_from_folder(mnist_folder):
    folder, (train_x, train_y), (test_x, test_y) = mnist_folder
    ds = MNIST(root=str(folder), train=True)
    assert len(ds) == 7 and len(MNIST(root=str(folder), train=False)) == 3
    x, y = ds[4]
    assert x.shape == (1, 28, 28) and x.dtype == minitorch.float32 and y.dtype == minitorch.int64
    np.testing.assert_allclose(x.numpy()[0], train_x[4] / 255.0, rtol=1e-6)
    assert y.item() == train_y[4]
    np.testing.assert_array_equal(ds.targets.numpy(), train_y)


def test_mnist_accepts_torchvision_layout(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    images, _ = make_split(raw, "train", 4, seed=5)
    make_split(raw, "t10k", 1, seed=6)
    np.testing.assert_allclose(MNIST(root=str(tmp_path)).tensors[0].numpy()[:, 0], images / 255.0, rtol=1e-6)


def test_swapped_files_name_the_magic_number(mnist_folder):
    folder = mnist_folder[0]
    os.replace(folder / "train-labels-idx1-ubyte", folder / "swap")
    os.replace(folder / "train-images-idx3-ubyte", folder / "train-labels-idx1-ubyte")
    os.replace(folder / "swap", folder / "train-images-idx3-ubyte")
    with pytest.raises(ValueError, match=r"should be an image file \(magic 2051\).*magic number is 2049"):
        load_mnist_idx(folder, "train")


def test_foreign_file_is_refused(mnist_folder):
    folder = mnist_folder[0]
    write(folder / "t10k-images-idx3-ubyte", b"%PDF-1.4 this is not an IDX file at all")
    with pytest.raises(ValueError, match="not an MNIST IDX file"):
        load_mnist_idx(folder, "test")


def test_truncated_and_overlong_files(mnist_folder):
    folder = mnist_folder[0]
    path = folder / "train-images-idx3-ubyte"
    data = path.read_bytes()
    write(path, data[:-100])
    with pytest.raises(ValueError, match=r"truncated.*sizes \(7, 28, 28\).*5504 bytes.*5404"):
        load_mnist_idx(folder, "train")
    write(path, data + b"\0")
    with pytest.raises(ValueError, match="longer than its header says"):
        load_mnist_idx(folder, "train")
    write(path, data[:6])
    with pytest.raises(ValueError, match="fewer than the 16-byte header"):
        load_mnist_idx(folder, "train")


def test_header_sizes_are_checked(tmp_path):
    write(tmp_path / "train-images-idx3-ubyte", idx_bytes(np.zeros((2, 27, 27)), 2051))
    write(tmp_path / "train-labels-idx1-ubyte", idx_bytes(np.zeros(2), 2049))
    with pytest.raises(ValueError, match="27x27 pixels.*28x28"):
        load_mnist_idx(tmp_path, "train")
    write(tmp_path / "train-images-idx3-ubyte", idx_bytes(np.zeros((3, 28, 28)), 2051))
    with pytest.raises(ValueError, match="3 images but .* 2 labels"):
        load_mnist_idx(tmp_path, "train")
    write(tmp_path / "train-labels-idx1-ubyte", idx_bytes(np.array([0, 1, 12]), 2049))
    with pytest.raises(ValueError, match="label 12"):
        load_mnist_idx(tmp_path, "train")


def test_missing_files_and_folders(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte\.gz"):
        load_mnist_idx(tmp_path, "test")
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        load_mnist_idx(tmp_path / "nowhere", "train")
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        load_mnist_idx(tmp_path, "validation")


def test_broken_gzip(tmp_path):
    make_split(tmp_path, "train", 2, seed=7)
    os.remove(tmp_path / "train-images-idx3-ubyte")
    full = gzip.compress(idx_bytes(np.zeros((2, 28, 28)), 2051))
    write(tmp_path / "train-images-idx3-ubyte.gz", full[: len(full) // 2])
    with pytest.raises(ValueError, match="not a complete gzip file"):
        load_mnist_idx(tmp_path, "train")


def test_download_is_refused_with_directions():
    with pytest.raises(RuntimeError, match="no network.*train-images-idx3-ubyte.gz.*root"):
        MNIST(download=True)


# ------------------------------------------------------------------ the shipped subset
def test_subset_shapes_range_and_balance():
    train, test = MNIST(train=True), MNIST(train=False)
    assert len(train) == 4000 and len(test) == 1000
    images = train.tensors[0].numpy()
    assert images.shape == (4000, 1, 28, 28) and images.dtype == np.float32
    assert images.min() == 0.0 and images.max() == 1.0
    assert 0.10 < images.mean() < 0.16  # MNIST's mean pixel is about 0.13
    assert np.bincount(train.targets.numpy(), minlength=10).tolist() == [400] * 10
    assert np.bincount(test.targets.numpy(), minlength=10).tolist() == [100] * 10


def test_subset_split_is_fixed_and_disjoint():
    all_x, all_y = load_mnist_subset("all")
    train_x, _ = load_mnist_subset("train")
    test_x, test_y = load_mnist_subset("test")
    assert all_x.shape == (5000, 28, 28) and all_x.dtype == np.uint8 and all_y.dtype == np.uint8
    # the same images on every machine: pixel sums of the split computed once
    assert int(test_x.astype(np.int64).sum()) == 26395469
    assert int(train_x.astype(np.int64).sum()) == 104871633
    train_rows = {row.tobytes() for row in train_x}
    assert len(train_rows) == 4000
    assert not any(row.tobytes() in train_rows for row in test_x)
    assert len(train_rows | {row.tobytes() for row in test_x}) == 5000


def test_subset_looks_like_digits():
    """A nearest-class-mean classifier fit on train reaches far above chance on test: real digits."""
    train, test = MNIST(train=True), MNIST(train=False)
    x, y = train.tensors[0].numpy().reshape(4000, -1), train.targets.numpy()
    means = np.stack([x[y == c].mean(axis=0) for c in range(10)])
    tx = test.tensors[0].numpy().reshape(1000, -1)
    pred = np.argmin(((tx[:, None, :] - means[None]) ** 2).sum(-1), axis=1)
    assert np.mean(pred == test.targets.numpy()) > 0.75


def test_loader_batches_and_transforms():
    ds = MNIST(train=False)
    assert ds.samples_are_rows
    x, y = next(iter(DataLoader(ds, batch_size=32)))
    assert x.shape == (32, 1, 28, 28) and y.shape == (32,)
    np.testing.assert_array_equal(x.numpy(), ds.tensors[0].numpy()[:32])
    flipped = MNIST(train=False, transform=RandomHorizontalFlip(p=1.0), target_transform=lambda t: t + 100)
    assert not flipped.samples_are_rows
    image, label = flipped[3]
    np.testing.assert_array_equal(image.numpy(), ds[3][0].numpy()[..., ::-1])
    assert label.item() == ds[3][1].item() + 100
    with pytest.raises(TypeError, match="transform must be a function"):
        MNIST(transform="flip")


def test_a_gzip_bomb_is_cut_at_the_declared_size(tmp_path, monkeypatch):
    path = tmp_path / "bomb-idx3-ubyte.gz"  # declares one image, then 2 MB of zeros
    path.write_bytes(gzip.compress(idx_bytes(np.zeros((1, 28, 28)), 2051) + bytes(2_000_000)))
    reads = []
    real_read = gzip.GzipFile.read
    monkeypatch.setattr(gzip.GzipFile, "read", lambda self, n=-1: reads.append(n) or real_read(self, n))
    with pytest.raises(ValueError, match="bomb-idx3-ubyte.gz is longer than its header says.*800 bytes"):
        read_idx(str(path), 2051)
    assert max(reads) <= 785  # the header, then what it declares plus one byte


@pytest.mark.parametrize("sizes, gz, match", [
    ((2 ** 32 - 1,) * 3, False, r"truncated.*79228162458924105385300197391 bytes.*has 80"),
    ((2 ** 32 - 1,) * 3, True, "cannot hold more than .*header is corrupt"),
    ((5000, 1000, 1000), True, "cannot hold more than"),
])
def test_impossible_header_sizes_fail_before_reading(tmp_path, sizes, gz, match):
    data = (2051).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in sizes) + bytes(64)
    path = tmp_path / "huge-idx3-ubyte"
    write(path, data, gz)
    with pytest.raises(ValueError, match=f"huge-idx3-ubyte.*{match}"):
        read_idx(str(path) + (".gz" if gz else ""), 2051)


def test_a_header_beyond_the_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("minitorch.data.mnist.MAX_IDX_BYTES", 1000)
    write(tmp_path / "big-idx3-ubyte", idx_bytes(np.zeros((2, 28, 28)), 2051), gz=True)
    with pytest.raises(ValueError, match=r"big-idx3-ubyte.gz announces sizes \(2, 28, 28\).*more than the 1000"):
        read_idx(str(tmp_path / "big-idx3-ubyte.gz"), 2051)
