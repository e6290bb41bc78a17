"""The handwritten digits shipped with minitorch: 1797 grey 8x8 images of 0..9.

Each pixel counts the "on" pixels in a 4x4 block of a 32x32 black-and-white
scan, so it lies in 0..16. Small enough to train an MLP or a CNN on a laptop in
seconds; see files/README.md for where the data come from and its licence.
"""
import os

import numpy as np

from .. import checks
from ..creation import from_numpy
from .dataset import TensorDataset

DIGITS_PATH = os.path.join(os.path.dirname(__file__), "files", "digits.npz")


def _test_mask(labels, test_fraction, seed):
    """A stratified split: in each class, a shuffled ``round(test_fraction * class size)`` go to test.

    The shuffle uses numpy's legacy ``RandomState``, whose stream numpy keeps
    unchanged across versions and platforms, so the split is the same everywhere.
    """
    shuffle = np.random.RandomState(seed)
    mask = np.zeros(len(labels), dtype=bool)
    for digit in range(10):
        members = np.flatnonzero(labels == digit)
        n_test = int(round(test_fraction * len(members)))
        mask[shuffle.permutation(members)[:n_test]] = True
    return mask


def load_digits(split="train", test_fraction=0.2, seed=0, normalize=True, flatten=True):
    """The digits as a ``TensorDataset`` of ``(image, label)``.

    split: ``"train"``, ``"test"`` or ``"all"``. Train and test never overlap: in
        each class, ``round(test_fraction * class size)`` images (chosen by
        ``seed``, the same on every machine) form the test set; with the
        defaults that is 359 test and 1438 train images.
    normalize: divide the pixel counts by 16, so pixels lie in [0, 1];
        otherwise they stay 0..16 (still float32).
    flatten: images as 64 features (for an MLP); otherwise as ``(1, 8, 8)``
        (one channel, for a CNN).

    Images are float32, labels int64 in 0..9; samples keep the file's order.
    """
    checks.choice("load_digits", "split", split, ("train", "test", "all"))
    checks.fraction("load_digits", "test_fraction", test_fraction)
    with np.load(DIGITS_PATH, allow_pickle=False) as files:
        images, labels = files["images"], files["labels"]
    if split != "all":
        test = _test_mask(labels, test_fraction, seed)
        keep = test if split == "test" else ~test
        images, labels = images[keep], labels[keep]
    images = images.astype(np.float32)
    if normalize:
        images /= 16.0
    shape = (len(images), 64) if flatten else (len(images), 1, 8, 8)
    return TensorDataset(from_numpy(images.reshape(shape)), from_numpy(labels.astype(np.int64)))
