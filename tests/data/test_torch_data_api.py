"""minitorch.utils.data as torch.utils.data: import paths, signatures, samplers, collate, workers, errors."""
import collections
import doctest
import importlib
import inspect
import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch.data import dataloader as dataloader_module
from minitorch.utils.data import (
    BatchSampler, ChainDataset, ConcatDataset, DataLoader, Dataset, DistributedSampler, IterableDataset,
    RandomSampler, SequentialSampler, StackDataset, Subset, SubsetRandomSampler, TensorDataset,
    WeightedRandomSampler, default_collate, default_convert, get_worker_info, random_split,
)
from minitorch.data.worker import numpy_seed_words

SUBMODULE_NAMES = {
    "dataloader": ["DataLoader", "default_collate", "default_convert", "get_worker_info"],
    "dataset": ["Dataset", "IterableDataset", "TensorDataset", "StackDataset", "ConcatDataset",
                "ChainDataset", "Subset", "random_split"],
    "sampler": ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
                "WeightedRandomSampler", "BatchSampler"],
    "distributed": ["DistributedSampler"],
}
SIGNED = ["DataLoader", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler",
          "BatchSampler", "DistributedSampler", "TensorDataset", "Subset", "ConcatDataset", "ChainDataset",
          "StackDataset"]


def rows(n):
    """TensorDataset with x[i] = [i, i + 0.5] and y[i] = i: every batch tells which rows it holds."""
    x = minitorch.tensor(np.arange(n)[:, None] + np.array([0.0, 0.5]), dtype=minitorch.float32)
    return TensorDataset(x, minitorch.arange(n))


class Squares(Dataset):
    """A plain map-style dataset (module level, so worker processes can unpickle it under spawn)."""

    def __init__(self, n=10):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        info = get_worker_info()
        return {"i": i, "sq": np.array([i * i], dtype=np.int32), "worker": -1 if info is None else info.id,
                "init": INIT_CALLS.get("id", -1), "rand": float(minitorch.rand(1).item())}


class Countdown(IterableDataset):
    """range(n), split between workers the way PyTorch's documentation shows."""

    def __init__(self, n=10):
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        first, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(first, self.n, step))

    def __len__(self):
        return self.n


class Failing(Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        if i == 4:
            raise KeyError(f"no sample {i}")
        if i == 5:
            os._exit(3)
        return i


INIT_CALLS = {}


def remember_worker(worker_id):
    INIT_CALLS["id"] = worker_id


def nested(batch):
    """A batch as nested Python lists / dicts / tuples, plus (shape, dtype name) at each tensor."""
    if hasattr(batch, "shape") and hasattr(batch, "dtype"):
        dtype = str(batch.dtype).split(".")[-1]
        return ("tensor", tuple(batch.shape), dtype, np.asarray(batch.tolist()).tolist())
    if isinstance(batch, dict):
        return {k: nested(v) for k, v in batch.items()}
    if isinstance(batch, (list, tuple)):
        kind = type(batch).__name__ if hasattr(batch, "_fields") else type(batch) is tuple
        return (kind, [nested(v) for v in batch])
    return batch


# ------------------------------------------------------------------ import paths and signatures
@pytest.mark.parametrize("submodule", sorted(SUBMODULE_NAMES))
def test_pytorch_import_paths(submodule):
    module = importlib.import_module(f"minitorch.utils.data.{submodule}")
    for name in SUBMODULE_NAMES[submodule]:
        assert getattr(module, name) is getattr(minitorch.data, name), (submodule, name)
        assert getattr(minitorch.utils.data, name) is getattr(minitorch.data, name)


@pytest.mark.parametrize("name", [*SIGNED, "random_split", "default_collate", "default_convert",
                                  "get_worker_info"])
def test_signatures_match_pytorch(name):
    torch_data = pytest.importorskip("torch.utils.data")

    def params(fn):
        fn = fn.__init__ if inspect.isclass(fn) else fn
        return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]

    ours, theirs = params(getattr(minitorch.utils.data, name)), params(getattr(torch_data, name))
    if name == "random_split":  # each library's default generator object
        assert ours[-1][2] is minitorch.default_generator and theirs[-1][2] is torch_data.random_split.__globals__[
            "default_generator"]
        ours[-1], theirs[-1] = ours[-1][:2], theirs[-1][:2]
    assert ours == theirs


@pytest.mark.parametrize("submodule", sorted(SUBMODULE_NAMES))
def test_submodules_hold_pytorchs_public_names(submodule):
    torch_module = pytest.importorskip(f"torch.utils.data.{submodule}")
    ours = importlib.import_module(f"minitorch.utils.data.{submodule}")
    wanted = [n for n in SUBMODULE_NAMES[submodule] if hasattr(torch_module, n)]
    assert wanted == SUBMODULE_NAMES[submodule]
    assert all(hasattr(ours, n) for n in wanted)


@pytest.mark.parametrize("module", ["collate", "dataset", "distributed", "sampler"])
def test_docstring_examples_run(module):
    failed, _ = doctest.testmod(importlib.import_module(f"minitorch.data.{module}"))
    assert failed == 0


# ------------------------------------------------------------------ samplers
@given(st.integers(0, 30), st.integers(1, 8), st.booleans())
def test_batch_and_sequential_samplers_match_pytorch(n, batch_size, drop_last):
    torch_data = pytest.importorskip("torch.utils.data")
    ours = BatchSampler(SequentialSampler(range(n)), batch_size, drop_last)
    theirs = torch_data.BatchSampler(torch_data.SequentialSampler(range(n)), batch_size, drop_last)
    assert list(ours) == list(theirs) and len(ours) == len(theirs)


@given(st.integers(0, 23), st.integers(1, 5), st.booleans(), st.data())
def test_distributed_sampler_without_shuffle_matches_pytorch(n, replicas, drop_last, data):
    torch_data = pytest.importorskip("torch.utils.data")
    rank = data.draw(st.integers(0, replicas - 1))
    ours = DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
    theirs = torch_data.DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
    assert list(ours) == list(theirs) and len(ours) == len(theirs)


@pytest.mark.parametrize("drop_last", [False, True])
def test_distributed_sampler_shuffle_shares_one_permutation(drop_last):
    shards = [list(DistributedSampler(range(11), 3, r, seed=5, drop_last=drop_last)) for r in range(3)]
    again = [list(DistributedSampler(range(11), 3, r, seed=5, drop_last=drop_last)) for r in range(3)]
    assert shards == again
    assert {len(s) for s in shards} == {3 if drop_last else 4}
    flat = sum(shards, [])
    assert set(flat) <= set(range(11)) and len(set(flat)) == (9 if drop_last else 11)
    sampler = DistributedSampler(range(11), 3, 0, seed=5, drop_last=drop_last)
    sampler.set_epoch(1)
    assert list(sampler) != shards[0]


def test_random_sampler_visits_each_index_once_and_repeats_under_seed():
    minitorch.manual_seed(0)
    first, second = list(RandomSampler(range(20))), list(RandomSampler(range(20)))
    minitorch.manual_seed(0)
    assert list(RandomSampler(range(20))) == first
    assert sorted(first) == sorted(second) == list(range(20)) and first != second
    g1, g2 = minitorch.Generator(3), minitorch.Generator(3)
    assert list(RandomSampler(range(20), generator=g1)) == list(RandomSampler(range(20), generator=g2))


def test_random_sampler_num_samples_and_replacement():
    longer = list(RandomSampler(range(5), num_samples=13, generator=minitorch.Generator(0)))
    assert len(longer) == 13
    assert sorted(np.bincount(longer).tolist()) == [2, 2, 3, 3, 3]
    assert sorted(longer[:5]) == list(range(5)) and sorted(longer[5:10]) == list(range(5))
    drawn = list(RandomSampler(range(4), True, num_samples=4000, generator=minitorch.Generator(1)))
    assert len(drawn) == 4000 and set(drawn) == {0, 1, 2, 3}
    assert np.abs(np.bincount(drawn) / 4000 - 0.25).max() < 0.03
    assert len(RandomSampler(range(4), num_samples=7)) == 7


def test_subset_random_sampler_is_a_permutation_of_its_indices():
    indices = [10, 3, 7, 42]
    drawn = list(SubsetRandomSampler(indices, generator=minitorch.Generator(0)))
    assert sorted(drawn) == sorted(indices) and len(SubsetRandomSampler(indices)) == 4


def test_weighted_random_sampler_respects_weights():
    weights = [1.0, 3.0, 0.0, 6.0]
    drawn = list(WeightedRandomSampler(weights, 20000, generator=minitorch.Generator(0)))
    np.testing.assert_allclose(np.bincount(drawn, minlength=4) / 20000, [0.1, 0.3, 0.0, 0.6], atol=0.015)
    once = list(WeightedRandomSampler(minitorch.tensor(weights), 3, replacement=False))
    assert sorted(once) == [0, 1, 3]
    assert len(WeightedRandomSampler(weights, 5)) == 5


# ------------------------------------------------------------------ datasets
def test_concat_chain_stack_and_subset_match_pytorch():
    torch = pytest.importorskip("torch")
    torch_data = torch.utils.data
    parts = [list(range(3)), list(range(10, 15)), []]
    ours, theirs = ConcatDataset(parts), torch_data.ConcatDataset(parts)
    assert ours.cumulative_sizes == theirs.cumulative_sizes and len(ours) == len(theirs)
    assert [ours[i] for i in range(-8, 8)] == [theirs[i] for i in range(-8, 8)]
    assert isinstance(Squares(2) + Squares(3), ConcatDataset) and len(Squares(2) + Squares(3)) == 5
    assert list(ChainDataset([Countdown(3), Countdown(2)])) == [0, 1, 2, 0, 1]
    assert len(ChainDataset([Countdown(3), Countdown(2)])) == 5
    with pytest.raises(TypeError, match="stream without a length"):
        len(IterableDataset())
    assert isinstance(Countdown(1) + Countdown(1), ChainDataset)
    assert StackDataset([1, 2], [3, 4])[1] == (2, 4) and StackDataset(a=[1], b=[2])[0] == {"a": 1, "b": 2}
    x, _ = Subset(rows(6), [5, 1, 3])[[0, 2]]
    np.testing.assert_array_equal(x.numpy()[:, 0], [5, 3])


@pytest.mark.parametrize("n, lengths", [(10, [0.33, 0.33, 0.34]), (11, [0.5, 0.5]), (7, [0.1, 0.1, 0.8]),
                                        (10, [3, 7])])
def test_random_split_lengths_match_pytorch(n, lengths):
    torch_data = pytest.importorskip("torch.utils.data")
    assert [len(p) for p in random_split(range(n), lengths)] == \
        [len(p) for p in torch_data.random_split(range(n), lengths)]


def test_dataset_errors():
    with pytest.raises(ValueError, match="ConcatDataset: datasets is empty"):
        ConcatDataset([])
    with pytest.raises(TypeError, match="ChainDataset"):
        ConcatDataset([Countdown(2)])
    with pytest.raises(IndexError, match="index 5 is out of range for 5 samples"):
        ConcatDataset([[1, 2], [3, 4, 5]])[5]
    with pytest.raises(ValueError, match="same length"):
        StackDataset([1], [1, 2])


# ------------------------------------------------------------------ collate
Point = collections.namedtuple("Point", "x y")
COLLATE_CASES = {
    "tensors": [minitorch.tensor([1.0, 2.0]), minitorch.tensor([3.0, 4.0])],
    "arrays": [np.ones((2, 3), dtype=np.float32), np.zeros((2, 3), dtype=np.float32)],
    "numpy scalars": [np.int32(1), np.int32(2)],
    "0-d arrays": [np.array(1.5), np.array(2.5)],
    "floats": [0.5, 1.5],
    "ints": [1, 2],
    "bools": [True, False],
    "strings": ["a", "b"],
    "bytes": [b"a", b"b"],
    "tuples": [(1, "a", 2.0), (3, "b", 4.0)],
    "lists": [[1, 2], [3, 4]],
    "namedtuples": [Point(1, 2.0), Point(3, 4.0)],
    "dicts": [{"x": np.arange(2), "meta": {"id": 1, "tags": ("u", 2)}},
              {"x": np.arange(2), "meta": {"id": 2, "tags": ("v", 3)}}],
}


def _to_torch(value, torch):
    if isinstance(value, minitorch.Tensor):
        return torch.from_numpy(value.numpy().copy())
    if isinstance(value, dict):
        return {k: _to_torch(v, torch) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_to_torch(v, torch) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(_to_torch(v, torch) for v in value)
    return value


@pytest.mark.parametrize("case", sorted(COLLATE_CASES))
def test_default_collate_matches_pytorch(case):
    torch = pytest.importorskip("torch")
    batch = COLLATE_CASES[case]
    ours = default_collate(batch)
    theirs = torch.utils.data.default_collate(_to_torch(batch, torch))
    assert nested(ours) == nested(theirs)


@pytest.mark.parametrize("sample", [np.zeros(2), (1, np.int32(2)), {"k": [np.ones(1), "s"]},
                                    Point(np.ones(1), 2), "text", 3.5])
def test_default_convert_matches_pytorch(sample):
    torch = pytest.importorskip("torch")
    assert nested(default_convert(sample)) == nested(torch.utils.data.default_convert(sample))


def test_collate_errors_are_runtime_errors_as_pytorchs():
    with pytest.raises(RuntimeError, match="same length"):
        default_collate([(1, 2), (1, 2, 3)])
    with pytest.raises(RuntimeError, match="same shape"):
        default_collate([minitorch.zeros(2), minitorch.zeros(3)])
    with pytest.raises(TypeError, match="numpy arrays of numbers"):
        default_collate([np.array(["a"]), np.array(["b"])])


# ------------------------------------------------------------------ DataLoader without workers
def test_samplers_and_batch_sampler_drive_the_loader():
    ds = rows(10)
    by_sampler = [y.tolist() for _, y in DataLoader(ds, batch_size=3, sampler=[9, 0, 4, 4])]
    assert by_sampler == [[9, 0, 4], [4]]
    batches = [[1, 2], [7], [0, 3, 5]]
    loader = DataLoader(ds, batch_sampler=batches)
    assert [y.tolist() for _, y in loader] == batches and len(loader) == 3 and loader.batch_size is None
    single = list(DataLoader(Squares(3), batch_size=None))
    assert [s["i"] for s in single] == [0, 1, 2] and isinstance(single[1]["sq"], minitorch.Tensor)
    assert len(DataLoader(Countdown(10), batch_size=4)) == 3
    assert len(DataLoader(Countdown(10), batch_size=None)) == 10
    assert [b.tolist() for b in DataLoader(Countdown(7), 3, drop_last=True)] == [[0, 1, 2], [3, 4, 5]]


def test_loader_shuffle_matches_random_sampler_and_generator():
    ds = rows(12)
    loader = DataLoader(ds, batch_size=12, shuffle=True, generator=minitorch.Generator(4))
    epoch = [y.tolist() for _, y in loader]
    assert epoch == [list(RandomSampler(ds, generator=minitorch.Generator(4)))]


@pytest.mark.parametrize("kwargs, match", [
    ({"sampler": [0], "shuffle": True}, "sampler option is mutually exclusive with shuffle"),
    ({"batch_sampler": [[0]], "batch_size": 2}, "batch_sampler option is mutually exclusive"),
    ({"batch_sampler": [[0]], "drop_last": True}, "batch_sampler option is mutually exclusive"),
    ({"batch_sampler": [[0]], "sampler": [0]}, "batch_sampler option is mutually exclusive"),
    ({"batch_sampler": [[0]], "shuffle": True}, "batch_sampler option is mutually exclusive"),
    ({"batch_size": None, "drop_last": True}, "batch_size=None"),
    ({"num_workers": -1}, "num_workers must be at least 0"),
    ({"prefetch_factor": 2}, "prefetch_factor"),
    ({"persistent_workers": True}, "persistent_workers option needs num_workers > 0"),
    ({"timeout": -1}, "timeout must be at least 0"),
    ({"batch_size": 0}, "batch_size must be a positive integer"),
    ({"num_workers": 1, "multiprocessing_context": "bogus"}, "multiprocessing_context must be"),
])
def test_loader_argument_errors_as_pytorchs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DataLoader(rows(4), **kwargs)
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(4)), **kwargs)


@pytest.mark.parametrize("kwargs", [{"shuffle": True}, {"sampler": [0]}, {"batch_sampler": [[0]]}])
def test_iterable_dataset_refuses_order_arguments(kwargs):
    with pytest.raises(ValueError, match="IterableDataset: expected unspecified"):
        DataLoader(Countdown(), **kwargs)


@pytest.mark.parametrize("make, error, match", [
    (lambda: RandomSampler(range(3), num_samples=0), ValueError, "num_samples must be a positive integer"),
    (lambda: RandomSampler([]), ValueError, "num_samples must be a positive integer"),
    (lambda: RandomSampler(range(3), replacement=1), TypeError, "replacement must be True or False"),
    (lambda: WeightedRandomSampler([1.0], 0), ValueError, "num_samples"),
    (lambda: WeightedRandomSampler([1.0], 1, replacement=1), ValueError, "replacement"),
    (lambda: WeightedRandomSampler([[1.0, 2.0]], 1), ValueError, "1-D"),
    (lambda: WeightedRandomSampler([-1.0, 2.0], 1), RuntimeError, "non-negative"),
    (lambda: WeightedRandomSampler([1.0, 0.0], 2, replacement=False), RuntimeError, "without replacement"),
    (lambda: BatchSampler(range(3), 0, False), ValueError, "batch_size must be a positive integer"),
    (lambda: BatchSampler(range(3), 2, 1), ValueError, "drop_last must be True or False"),
    (lambda: DistributedSampler(range(3)), ValueError, "pass both"),
    (lambda: DistributedSampler(range(3), 2, 2), ValueError, r"invalid rank 2.*\[0, 1\]"),
    (lambda: DistributedSampler(range(3), 0, 0), ValueError, "num_replicas must be at least 1"),
    (lambda: RandomSampler(range(3), generator=np.random.default_rng(0)), TypeError, "minitorch.Generator"),
])
def test_sampler_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


# ------------------------------------------------------------------ workers
def epoch(loader):
    return [nested(batch) for batch in loader]


def test_workers_give_the_same_batches_as_the_main_process():
    ds = rows(23)
    plain = epoch(DataLoader(ds, batch_size=4, shuffle=True, generator=minitorch.Generator(2)))
    generator = minitorch.Generator(2)
    loader = DataLoader(ds, batch_size=4, shuffle=True, generator=generator, num_workers=2)
    assert epoch(loader) == plain
    minitorch.manual_seed(5)  # every epoch, and under the default generator too
    plain = epoch(DataLoader(ds, 4, shuffle=True)) + epoch(DataLoader(ds, 4, shuffle=True))
    minitorch.manual_seed(5)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    assert epoch(loader) + epoch(loader) == plain
    keys = ("i", "sq")
    plain = [{k: b[k] for k in keys} for b in epoch(DataLoader(Squares(11), batch_size=3))]
    loader = DataLoader(Squares(11), batch_size=3, num_workers=3, prefetch_factor=1,
                        worker_init_fn=remember_worker)
    batches = list(loader)
    assert [{k: b[k] for k in keys} for b in map(nested, batches)] == plain
    # batch k is fetched whole by worker k % 3, whose worker_init_fn ran first
    assert [b["worker"].tolist() for b in batches] == [[k % 3] * len(b["i"]) for k, b in enumerate(batches)]
    assert [set(b["init"].tolist()) for b in batches] == [{k % 3} for k in range(len(batches))]
    assert get_worker_info() is None and "id" not in INIT_CALLS


def test_workers_are_seeded_per_worker_and_by_the_generator():
    def draws(seed):
        loader = DataLoader(Squares(8), batch_size=2, num_workers=2, generator=minitorch.Generator(seed))
        return [b["rand"].tolist() for b in loader]

    first = draws(0)
    assert first == draws(0) and first != draws(1)
    assert first[0] != first[1]  # workers 0 and 1 have different seeds


def test_numpy_seed_words_are_pytorchs():
    worker = pytest.importorskip("torch.utils.data._utils.worker")
    for base_seed, worker_id in [(0, 0), (1, 3), (2**40 + 7, 2), (2**63 - 1, 15)]:
        assert numpy_seed_words(base_seed, worker_id).tolist() == worker._generate_state(base_seed, worker_id)


def test_iterable_dataset_shards_across_workers_as_pytorch():
    ours = [b.tolist() for b in DataLoader(Countdown(10), batch_size=3, num_workers=2)]
    assert ours == [[0, 2, 4], [1, 3, 5], [6, 8], [7, 9]]
    torch = pytest.importorskip("torch")

    class TorchCountdown(torch.utils.data.IterableDataset):
        def __iter__(self):
            info = torch.utils.data.get_worker_info()
            return iter(range(info.id, 10, info.num_workers))

    theirs = torch.utils.data.DataLoader(TorchCountdown(), batch_size=3, num_workers=2)
    assert ours == [b.tolist() for b in theirs]


def test_persistent_workers_and_out_of_order_results():
    loader = DataLoader(Countdown(9), batch_size=2, num_workers=2, persistent_workers=True)
    first = [b.tolist() for b in loader]
    workers = loader._workers.processes
    half = iter(loader)
    next(half)  # an epoch left unfinished ...
    assert [b.tolist() for b in loader] == first  # ... and the next one starts over, on the same processes
    assert loader._workers.processes is workers and all(p.is_alive() for p in workers)
    loader._workers.shutdown()
    unordered = DataLoader(rows(20), batch_size=3, num_workers=2, in_order=False)
    assert sorted(sum((y.tolist() for _, y in unordered), [])) == list(range(20))


def test_worker_errors_reach_the_main_process(monkeypatch):
    with pytest.raises(KeyError, match="Caught KeyError in DataLoader worker process 0"):
        list(DataLoader(Failing(), sampler=[4], num_workers=1))
    monkeypatch.setattr(dataloader_module, "POLL_SECONDS", 0.05)
    with pytest.raises(RuntimeError, match="exited unexpectedly"):
        list(DataLoader(Failing(), sampler=[5], num_workers=1))
    with pytest.raises(RuntimeError, match="timed out after 0.01 seconds"):
        list(DataLoader(Slow(), num_workers=1, timeout=0.01))


class Slow(Dataset):
    def __len__(self):
        return 1

    def __getitem__(self, i):
        import time

        time.sleep(0.3)
        return i


def test_breaking_out_of_an_epoch_stops_the_workers():
    iterator = iter(DataLoader(rows(50), batch_size=2, num_workers=2))
    next(iterator)
    processes = iterator.processes
    iterator.shutdown()
    assert not any(p.is_alive() for p in processes)
