"""Datasets and batching (``minitorch.data``, also reachable as ``minitorch.utils.data``).

- ``Dataset``, ``TensorDataset``, ``Subset``, ``random_split``: what to iterate over
- ``DataLoader``, ``default_collate``: shuffled mini-batches, one epoch per loop
- ``make_spiral``, ``make_moons``, ``make_circles``, ``make_xor``: toy 2-D sets
- ``load_digits``: the shipped 8x8 handwritten digits (train / test split)
"""
from .dataloader import DataLoader, default_collate
from .dataset import Dataset, Subset, TensorDataset, random_split
from .digits import load_digits
from .toy import make_circles, make_moons, make_spiral, make_xor

__all__ = [
    "Dataset", "TensorDataset", "Subset", "random_split",
    "DataLoader", "default_collate",
    "make_spiral", "make_moons", "make_circles", "make_xor",
    "load_digits",
]
