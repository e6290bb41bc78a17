"""Datasets and batching (``minitorch.data``, also reachable as ``minitorch.utils.data``).

- ``Dataset``, ``IterableDataset``, ``TensorDataset``, ``Subset``, ``ConcatDataset``, ``ChainDataset``,
  ``StackDataset``, ``random_split``: what to iterate over
- ``DataLoader``, ``default_collate``, ``default_convert``, ``get_worker_info``: mini-batches, one
  epoch per loop, in this process or in worker processes
- ``Sampler``, ``SequentialSampler``, ``RandomSampler``, ``SubsetRandomSampler``,
  ``WeightedRandomSampler``, ``BatchSampler``, ``DistributedSampler``: the order of the indices
- ``make_spiral``, ``make_moons``, ``make_circles``, ``make_xor``: toy 2-D sets
- ``load_digits``: the shipped 8x8 handwritten digits (train / test split)
- ``MNIST``, ``load_mnist_idx``, ``load_mnist_subset``: MNIST from IDX files, or 5,000 shipped digits
- ``load_corpus``, ``CharTokenizer``, ``WordTokenizer``, ``BPETokenizer``, ``pad_sequences``,
  ``CharLMDataset``: text for language models
- ``load_text_classification``, ``text_classification_dataset``: a small sentiment set
- ``transforms``: image augmentation (``RandomCrop``, ``RandomAffine``, ``Normalize``, ...)
"""
from .collate import default_collate, default_convert
from .dataloader import DataLoader
from .dataset import (
    ChainDataset, ConcatDataset, Dataset, IterableDataset, StackDataset, Subset, TensorDataset, random_split,
)
from .distributed import DistributedSampler
from .sampler import (
    BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler, WeightedRandomSampler,
)
from .worker import WorkerInfo, get_worker_info
from . import transforms
from .digits import load_digits
from .mnist import MNIST, load_mnist_idx, load_mnist_subset
from .text import (
    BPETokenizer, CharLMDataset, CharTokenizer, WordTokenizer, load_corpus, load_text_classification,
    pad_sequences, text_classification_dataset,
)
from .toy import make_circles, make_moons, make_spiral, make_xor

__all__ = [
    "Dataset", "IterableDataset", "TensorDataset", "Subset", "ConcatDataset", "ChainDataset", "StackDataset",
    "random_split",
    "DataLoader", "default_collate", "default_convert", "get_worker_info", "WorkerInfo",
    "Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler",
    "BatchSampler", "DistributedSampler",
    "make_spiral", "make_moons", "make_circles", "make_xor",
    "load_digits",
    "MNIST", "load_mnist_idx", "load_mnist_subset",
    "load_corpus", "CharTokenizer", "WordTokenizer", "BPETokenizer", "pad_sequences", "CharLMDataset",
    "load_text_classification", "text_classification_dataset",
    "transforms",
]
