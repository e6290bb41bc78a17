"""Divergences from PyTorch found by running public programs, each checked against the installed torch:
``unique(sorted=False)`` (sorted on the CPU, as PyTorch's), empty inputs to ``unique``, and
``random_split``'s default generator. (``topk``'s order among ties: tests/test_ops_reduction_more.py.)
"""
import inspect

import numpy as np
import pytest

import minitorch


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "float32", "float64", "bool"])
@pytest.mark.parametrize("dim", [None, 0, 1])
def test_unique_unsorted_gives_pytorchs_values_inverse_and_counts(dtype, dim):
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(3).integers(0, 5, (3, 40)).astype(dtype)
    for kwargs in ({}, {"return_inverse": True, "return_counts": True}):
        ours = minitorch.unique(minitorch.tensor(a), sorted=False, dim=dim, **kwargs)
        theirs = torch.unique(torch.from_numpy(a), sorted=False, dim=dim, **kwargs)
        for mine, pytorchs in zip(ours if kwargs else (ours,), theirs if kwargs else (theirs,)):
            assert str(mine.dtype).split(".")[-1] == str(pytorchs.dtype).split(".")[-1]
            assert mine.tolist() == pytorchs.tolist()


@pytest.mark.parametrize("shape, dim", [((0,), None), ((0,), 0), ((2, 0), None), ((2, 0), 1), ((0, 3), 0)])
def test_unique_of_an_empty_tensor_has_pytorchs_shapes(shape, dim):
    torch = pytest.importorskip("torch")
    for name in ("unique", "unique_consecutive"):
        ours = getattr(minitorch, name)(minitorch.zeros(shape), dim=dim, return_inverse=True, return_counts=True)
        theirs = getattr(torch, name)(torch.zeros(shape), dim=dim, return_inverse=True, return_counts=True)
        assert [tuple(t.shape) for t in ours] == [tuple(t.shape) for t in theirs]


def test_random_split_draws_from_the_default_generator_as_pytorchs():
    torch = pytest.importorskip("torch")
    ours = inspect.signature(minitorch.utils.data.random_split).parameters["generator"].default
    theirs = inspect.signature(torch.utils.data.random_split).parameters["generator"].default
    assert ours is minitorch.default_generator and theirs is torch.default_generator
    minitorch.manual_seed(5)
    first = [list(part.indices) for part in minitorch.utils.data.random_split(range(10), [0.7, 0.3])]
    minitorch.default_generator.manual_seed(5)
    assert first == [list(part.indices) for part in minitorch.utils.data.random_split(range(10), [0.7, 0.3])]
    assert sorted(first[0] + first[1]) == list(range(10))


def test_an_endless_random_sampler_draws_as_it_goes():
    """makemore's InfiniteDataLoader: RandomSampler(replacement=True, num_samples=int(1e10))."""
    for replacement in (True, False):
        sampler = minitorch.utils.data.RandomSampler(range(5), replacement=replacement, num_samples=int(1e10))
        drawn = [index for _, index in zip(range(100), sampler)]
        assert len(drawn) == 100 and set(drawn) <= set(range(5))
    drawn = list(minitorch.utils.data.RandomSampler(range(7), num_samples=10))  # a permutation, then 3 of the next
    assert sorted(drawn[:7]) == list(range(7)) and len(set(drawn[7:])) == 3


def test_torch_onnx_imports_and_export_says_it_is_not_there():
    """word_language_model imports torch.onnx at the top, for an optional export."""
    import minitorch.onnx

    with pytest.raises(NotImplementedError, match="minitorch.onnx.export"):
        minitorch.onnx.export(minitorch.nn.Linear(2, 2), (minitorch.zeros(1, 2),), "model.onnx")
