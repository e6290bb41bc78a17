"""Datasets and batching (``minitorch.data``, also reachable as ``minitorch.utils.data``).

- ``Dataset``, ``TensorDataset``, ``Subset``, ``random_split``: what to iterate over
- ``DataLoader``, ``default_collate``: shuffled mini-batches, one epoch per loop
- ``make_spiral``, ``make_moons``, ``make_circles``, ``make_xor``: toy 2-D sets
- ``load_digits``: the shipped 8x8 handwritten digits (train / test split)
- ``MNIST``, ``load_mnist_idx``, ``load_mnist_subset``: MNIST from IDX files, or 5,000 shipped digits
- ``load_corpus``, ``CharTokenizer``, ``WordTokenizer``, ``BPETokenizer``, ``pad_sequences``,
  ``CharLMDataset``: text for language models
- ``load_text_classification``, ``text_classification_dataset``: a small sentiment set
- ``transforms``: image augmentation (``RandomCrop``, ``RandomAffine``, ``Normalize``, ...)
"""
from .dataloader import DataLoader, default_collate
from .dataset import Dataset, Subset, TensorDataset, random_split
from . import transforms
from .digits import load_digits
from .mnist import MNIST, load_mnist_idx, load_mnist_subset
from .text import (
    BPETokenizer, CharLMDataset, CharTokenizer, WordTokenizer, load_corpus, load_text_classification,
    pad_sequences, text_classification_dataset,
)
from .toy import make_circles, make_moons, make_spiral, make_xor

__all__ = [
    "Dataset", "TensorDataset", "Subset", "random_split",
    "DataLoader", "default_collate",
    "make_spiral", "make_moons", "make_circles", "make_xor",
    "load_digits",
    "MNIST", "load_mnist_idx", "load_mnist_subset",
    "load_corpus", "CharTokenizer", "WordTokenizer", "BPETokenizer", "pad_sequences", "CharLMDataset",
    "load_text_classification", "text_classification_dataset",
    "transforms",
]
