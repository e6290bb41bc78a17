"""minitorch.data: datasets, random_split, DataLoader, default_collate, toy sets, digits."""
import collections

import numpy as np
import pytest

import minitorch
from minitorch.data import (
    DataLoader, Dataset, Subset, TensorDataset, default_collate, load_digits, make_circles, make_moons,
    make_spiral, make_xor, random_split,
)


def rows_dataset(n, width=3):
    """X[i] = [i, i+0.5, ...] (float32), y[i] = i (int64): every batch tells which rows it holds."""
    X = minitorch.tensor(np.arange(n)[:, None] + 0.5 * np.arange(width)[None, :], dtype=minitorch.float32)
    y = minitorch.arange(n)
    return TensorDataset(X, y)


def epoch_indices(loader):
    return np.concatenate([y.numpy() for _, y in loader])


class ListDataset(Dataset):
    """A plain Python dataset (no TensorDataset fast path)."""

    def __init__(self, samples):
        self.samples = samples

    def __getitem__(self, i):
        return self.samples[i]

    def __len__(self):
        return len(self.samples)


# ------------------------------------------------------------------ package
def test_utils_data_alias_and_all():
    import minitorch.utils.data as utils_data

    for name in minitorch.data.__all__:
        assert getattr(utils_data, name) is getattr(minitorch.data, name), name


# ------------------------------------------------------------------ datasets
def test_tensor_dataset_items_and_len():
    ds = rows_dataset(5)
    x, y = ds[3]
    assert len(ds) == 5
    np.testing.assert_array_equal(x.numpy(), [3.0, 3.5, 4.0])
    assert y.item() == 3 and y.dtype == minitorch.int64


def test_tensor_dataset_errors():
    with pytest.raises(ValueError, match=r"dimension 0.*\(4, 2\), \(3,\)"):
        TensorDataset(minitorch.zeros(4, 2), minitorch.zeros(3))
    with pytest.raises(TypeError, match="argument 1 is a ndarray"):
        TensorDataset(minitorch.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="0-dimensional"):
        TensorDataset(minitorch.tensor(1.0))
    with pytest.raises(ValueError, match="at least one tensor"):
        TensorDataset()


def test_base_dataset_must_be_subclassed():
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]
    with pytest.raises(NotImplementedError, match="__len__"):
        len(Dataset())


def test_subset_maps_indices():
    sub = Subset(rows_dataset(10), [7, 2, 9])
    assert len(sub) == 3
    assert [sub[i][1].item() for i in range(3)] == [7, 2, 9]


# ------------------------------------------------------------------ random_split
def test_random_split_int_lengths_disjoint_and_complete():
    parts = random_split(rows_dataset(10), [6, 3, 1])
    assert [len(p) for p in parts] == [6, 3, 1]
    seen = [p[i][1].item() for p in parts for i in range(len(p))]
    assert sorted(seen) == list(range(10))


@pytest.mark.parametrize("n, fractions, sizes", [
    (10, [0.8, 0.2], [8, 2]),
    (5, [0.5, 0.5], [3, 2]),
    (10, [1 / 3, 1 / 3, 1 / 3], [4, 3, 3]),
    (7, [0.0, 1.0], [0, 7]),
])
def test_random_split_fractions(n, fractions, sizes):
    parts = random_split(rows_dataset(n), fractions)
    assert [len(p) for p in parts] == sizes
    assert sorted(i for p in parts for i in p.indices) == list(range(n))


def test_random_split_reproducible():
    minitorch.manual_seed(3)
    a = random_split(rows_dataset(20), [10, 10])
    minitorch.manual_seed(3)
    b = random_split(rows_dataset(20), [10, 10])
    c = random_split(rows_dataset(20), [10, 10])  # the stream moved on
    assert a[0].indices == b[0].indices
    assert a[0].indices != c[0].indices
    g1, g2 = minitorch.Generator(5), minitorch.Generator(5)
    assert random_split(rows_dataset(20), [0.5, 0.5], g1)[1].indices == \
        random_split(rows_dataset(20), [0.5, 0.5], g2)[1].indices


def test_random_split_errors():
    with pytest.raises(ValueError, match="add up to 9.*exactly 10"):
        random_split(rows_dataset(10), [5, 4])
    with pytest.raises(ValueError, match="negative"):
        random_split(rows_dataset(10), [11, -1])
    with pytest.raises(ValueError, match="add up to 1"):
        random_split(rows_dataset(10), [0.5, 0.2])
    with pytest.raises(ValueError, match="fractions"):
        random_split(rows_dataset(10), [0.5, 5])
    with pytest.raises(TypeError, match="minitorch.Generator"):
        random_split(rows_dataset(10), [5, 5], generator=np.random.default_rng(0))


# ------------------------------------------------------------------ DataLoader
def test_batches_shapes_dtypes_and_order():
    batches = list(DataLoader(rows_dataset(10), batch_size=4))
    assert [tuple(x.shape) for x, _ in batches] == [(4, 3), (4, 3), (2, 3)]
    assert all(x.dtype == minitorch.float32 and y.dtype == minitorch.int64 for x, y in batches)
    np.testing.assert_array_equal(batches[1][1].numpy(), [4, 5, 6, 7])
    np.testing.assert_array_equal(batches[2][0].numpy(), [[8, 8.5, 9], [9, 9.5, 10]])


def test_drop_last():
    loader = DataLoader(rows_dataset(10), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert [len(y) for _, y in loader] == [4, 4]
    np.testing.assert_array_equal(epoch_indices(loader), np.arange(8))


@pytest.mark.parametrize("n, batch_size, drop_last, expected", [
    (10, 4, False, 3), (10, 4, True, 2), (8, 4, False, 2), (8, 4, True, 2),
    (3, 5, False, 1), (3, 5, True, 0), (0, 2, False, 0), (7, 1, False, 7),
])
def test_len(n, batch_size, drop_last, expected):
    loader = DataLoader(ListDataset(list(range(n))), batch_size=batch_size, drop_last=drop_last)
    assert len(loader) == expected
    assert len(list(loader)) == expected


def test_shuffle_reproducible_new_order_each_epoch_and_each_index_once():
    loader = DataLoader(rows_dataset(50), batch_size=8, shuffle=True)
    minitorch.manual_seed(0)
    first, second = epoch_indices(loader), epoch_indices(loader)
    minitorch.manual_seed(0)
    again = epoch_indices(loader)
    for order in (first, second):
        np.testing.assert_array_equal(np.sort(order), np.arange(50))
    assert not np.array_equal(first, np.arange(50))
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, again)


def test_shuffled_samples_stay_paired():
    for x, y in DataLoader(rows_dataset(30), batch_size=7, shuffle=True):
        np.testing.assert_array_equal(x.numpy()[:, 0], y.numpy())


def test_generator_is_independent_of_the_default_stream():
    def order(seed_default):
        minitorch.manual_seed(seed_default)
        loader = DataLoader(rows_dataset(40), batch_size=5, shuffle=True, generator=minitorch.Generator(7))
        return epoch_indices(loader)

    np.testing.assert_array_equal(order(0), order(1))
    # drawing from a private generator leaves the default stream untouched
    minitorch.manual_seed(0)
    expected = minitorch.rand(3).numpy()
    minitorch.manual_seed(0)
    epoch_indices(DataLoader(rows_dataset(40), shuffle=True, generator=minitorch.Generator(7)))
    np.testing.assert_array_equal(minitorch.rand(3).numpy(), expected)


def test_fast_path_matches_per_sample_collate():
    ds = rows_dataset(23)
    per_sample = DataLoader(ds, batch_size=5, shuffle=True, collate_fn=lambda b: default_collate(b))
    fast = DataLoader(ds, batch_size=5, shuffle=True)
    minitorch.manual_seed(1)
    slow_batches = list(per_sample)
    minitorch.manual_seed(1)
    fast_batches = list(fast)
    assert len(slow_batches) == len(fast_batches) == 5
    for s, f in zip(slow_batches, fast_batches):
        assert isinstance(f, list) and isinstance(s, list)
        for a, b in zip(s, f):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_subset_of_tensor_dataset_batches():
    train, _ = random_split(rows_dataset(20), [12, 8], generator=minitorch.Generator(0))
    got = epoch_indices(DataLoader(train, batch_size=5))
    assert got.tolist() == train.indices
    nested = Subset(train, [11, 0, 3])
    got = epoch_indices(DataLoader(nested, batch_size=2))
    assert got.tolist() == [train.indices[11], train.indices[0], train.indices[3]]


def test_subclass_with_its_own_getitem_is_not_bypassed():
    class Flipped(TensorDataset):
        def __getitem__(self, i):
            x, y = super().__getitem__(i)
            return -x, y

    x, y = next(iter(DataLoader(Flipped(*rows_dataset(6).tensors), batch_size=3)))
    np.testing.assert_array_equal(x.numpy()[:, 0], [0, -1, -2])


def test_batches_carry_gradients_to_the_dataset_tensor():
    X = minitorch.ones(6, 2, requires_grad=True)
    y = minitorch.arange(6)
    (x_batch, _) = next(iter(DataLoader(TensorDataset(X, y), batch_size=4)))
    (x_batch * 3).sum().backward()
    np.testing.assert_array_equal(X.grad.numpy(), [[3, 3]] * 4 + [[0, 0]] * 2)


def test_plain_dataset_with_numpy_samples_and_custom_collate():
    samples = [(np.full((2, 2), i, dtype=np.float64), i) for i in range(5)]
    x, y = next(iter(DataLoader(ListDataset(samples), batch_size=3)))
    assert x.shape == (3, 2, 2) and x.dtype == minitorch.float64
    assert y.dtype == minitorch.int64 and y.tolist() == [0, 1, 2]
    sizes = list(DataLoader(ListDataset(samples), batch_size=2, collate_fn=len))
    assert sizes == [2, 2, 1]


def test_dataloader_errors():
    ds = rows_dataset(4)
    for bad in (0, -1, 2.5, True):  # None is PyTorch's "no batching"
        with pytest.raises(ValueError, match="batch_size must be a positive integer"):
            DataLoader(ds, batch_size=bad)
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        DataLoader(ds, shuffle="yes")
    with pytest.raises(TypeError, match="drop_last"):
        DataLoader(ds, drop_last=1)
    with pytest.raises(TypeError, match="minitorch.Generator"):
        DataLoader(ds, shuffle=True, generator=np.random.default_rng(0))
    with pytest.raises(TypeError, match="collate_fn"):
        DataLoader(ds, collate_fn="stack")
    with pytest.raises(TypeError, match="__getitem__ and __len__"):
        DataLoader(iter(range(3)))


# ------------------------------------------------------------------ default_collate
def test_collate_numbers_use_pytorch_default_dtypes():
    floats = default_collate([0.5, 1.5, 2.0])  # float64, as PyTorch's collate
    assert floats.dtype == minitorch.float64 and floats.tolist() == [0.5, 1.5, 2.0]
    ints = default_collate([1, 2, 3])
    assert ints.dtype == minitorch.int64 and ints.tolist() == [1, 2, 3]
    assert default_collate([True, False]).dtype == minitorch.bool
    assert default_collate([np.float64(1), np.float64(2)]).dtype == minitorch.float64
    assert default_collate([np.int32(1), np.int32(2)]).dtype == minitorch.int32


def test_collate_tensors_stack():
    out = default_collate([minitorch.tensor([1.0, 2.0]), minitorch.tensor([3.0, 4.0])])
    assert out.shape == (2, 2)
    np.testing.assert_array_equal(out.numpy(), [[1, 2], [3, 4]])


def test_collate_tuples_lists_dicts_and_strings():
    batch = [(minitorch.tensor([1.0]), 0, "a"), (minitorch.tensor([2.0]), 1, "b")]
    x, y, names = default_collate(batch)
    np.testing.assert_array_equal(x.numpy(), [[1.0], [2.0]])
    assert y.tolist() == [0, 1] and names == ("a", "b")  # strings come as zip gives them, as PyTorch's
    out = default_collate([{"x": 1.0, "meta": {"id": 3}}, {"x": 2.0, "meta": {"id": 4}}])
    assert set(out) == {"x", "meta"}
    assert out["x"].tolist() == [1.0, 2.0] and out["meta"]["id"].tolist() == [3, 4]
    Pair = collections.namedtuple("Pair", "a b")
    pair = default_collate([Pair(1, 2.0), Pair(3, 4.0)])
    assert isinstance(pair, Pair) and pair.a.tolist() == [1, 3] and pair.b.dtype == minitorch.float64
    lists = default_collate([[1, 2], [3, 4]])
    assert isinstance(lists, list) and [t.tolist() for t in lists] == [[1, 3], [2, 4]]


def test_collate_errors():
    with pytest.raises(ValueError, match=r"different shapes.*collate_fn"):
        default_collate([minitorch.zeros(2), minitorch.zeros(3)])
    with pytest.raises(ValueError, match="different shapes"):
        default_collate([np.zeros(2), np.zeros(3)])
    with pytest.raises(ValueError, match="same keys"):
        default_collate([{"a": 1}, {"b": 2}])
    with pytest.raises(ValueError, match="same length"):
        default_collate([(1, 2), (1, 2, 3)])
    with pytest.raises(TypeError, match="samples of type object"):
        default_collate([object(), object()])
    with pytest.raises(ValueError, match="empty"):
        default_collate([])


# ------------------------------------------------------------------ toy sets
TOYS = [make_spiral, make_moons, make_circles, make_xor]


@pytest.mark.parametrize("make", TOYS)
@pytest.mark.parametrize("n", [12, 101, 202])
def test_toy_shapes_dtypes_and_balance(make, n):
    X, y = make(n_samples=n)
    assert X.shape == (n, 2) and X.dtype == minitorch.float32
    assert y.shape == (n,) and y.dtype == minitorch.int64
    counts = np.bincount(y.numpy())
    n_classes = 3 if make is make_spiral else 2
    assert len(counts) == n_classes
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("make", TOYS)
def test_toy_reproducible(make):
    minitorch.manual_seed(4)
    X1, y1 = make()
    minitorch.manual_seed(4)
    X2, y2 = make()
    X3, _ = make()
    np.testing.assert_array_equal(X1.numpy(), X2.numpy())
    np.testing.assert_array_equal(y1.numpy(), y2.numpy())
    assert not np.array_equal(X1.numpy(), X3.numpy())
    X4, y4 = make(generator=minitorch.Generator(9))
    X5, y5 = make(generator=minitorch.Generator(9))
    np.testing.assert_array_equal(X4.numpy(), X5.numpy())
    np.testing.assert_array_equal(y4.numpy(), y5.numpy())


def test_toy_rows_are_shuffled():
    _, y = make_moons(n_samples=100)
    assert not np.array_equal(y.numpy(), np.sort(y.numpy()))


def test_spiral_geometry_without_noise():
    X, y = make_spiral(n_samples=60, n_classes=4, noise=0.0)
    X, y = X.numpy().astype(np.float64), y.numpy()
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.min() == 0 and np.isclose(r.max(), 1.0)
    assert np.bincount(y).tolist() == [15] * 4
    away = r > 1e-6  # angle = 2*pi*k/K + 2*pi*r (mod 2*pi)
    predicted = 2 * np.pi * y[away] / 4 + 2 * np.pi * r[away]
    angle = np.arctan2(X[away, 1], X[away, 0])
    np.testing.assert_allclose(np.cos(angle - predicted), 1.0, atol=1e-5)


def test_moons_geometry_without_noise():
    X, y = make_moons(n_samples=50, noise=0.0)
    X, y = X.numpy().astype(np.float64), y.numpy()
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, atol=1e-6)
    assert (upper[:, 1] >= -1e-6).all()
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-6)
    assert (lower[:, 1] <= 0.5 + 1e-6).all()


def test_circles_geometry_without_noise():
    X, y = make_circles(n_samples=40, noise=0.0, factor=0.3)
    radius = np.hypot(*X.numpy().astype(np.float64).T)
    np.testing.assert_allclose(radius[y.numpy() == 0], 1.0, atol=1e-6)
    np.testing.assert_allclose(radius[y.numpy() == 1], 0.3, atol=1e-6)


def test_xor_labels_without_noise():
    X, y = make_xor(n_samples=400, noise=0.0)
    X = X.numpy()
    assert np.abs(X).max() <= 1
    np.testing.assert_array_equal(y.numpy(), (X[:, 0] > 0) != (X[:, 1] > 0))
    assert np.bincount(np.sign(X[:, 0]).astype(int) * 2 + np.sign(X[:, 1]).astype(int) + 3).max() == 100


def test_noise_moves_points_by_about_its_size():
    minitorch.manual_seed(0)
    clean, _ = make_circles(n_samples=2000, noise=0.0)
    minitorch.manual_seed(0)
    noisy, _ = make_circles(n_samples=2000, noise=0.1)
    # same seed, same shuffle: the rows line up, the difference is the noise
    diff = (noisy - clean).numpy()
    assert abs(diff.std() - 0.1) < 0.01


def test_toy_errors():
    with pytest.raises(ValueError, match="make_moons: n_samples"):
        make_moons(n_samples=0)
    with pytest.raises(ValueError, match="make_xor: n_samples must be at least 4, got 3"):
        make_xor(n_samples=3)
    with pytest.raises(ValueError, match="noise"):
        make_spiral(noise=-0.1)
    with pytest.raises(ValueError, match="n_classes"):
        make_spiral(n_classes=1)
    with pytest.raises(ValueError, match="factor"):
        make_circles(factor=1.5)
    with pytest.raises(TypeError, match="minitorch.Generator"):
        make_moons(generator=0)


# ------------------------------------------------------------------ digits
def as_rows(ds):
    """(image, label) pairs as sorted rows, to compare datasets as multisets."""
    X, y = (t.numpy() for t in ds.tensors)
    rows = np.concatenate([X.reshape(len(X), -1), y[:, None].astype(np.float32)], axis=1)
    return rows[np.lexsort(rows.T[::-1])]


def test_digits_split_sizes_and_partition():
    train, test, full = load_digits("train"), load_digits("test"), load_digits("all")
    assert (len(train), len(test), len(full)) == (1438, 359, 1797)
    # train and test together are exactly the whole set: no sample in both, none lost
    together = np.concatenate([as_rows(train), as_rows(test)])
    np.testing.assert_array_equal(together[np.lexsort(together.T[::-1])], as_rows(full))


def test_digits_split_is_fixed_stratified_and_seeded():
    raw, labels = (t.numpy() for t in load_digits("test", normalize=False).tensors)
    # pinned: the same split on every machine and numpy version
    assert np.bincount(labels).tolist() == [36, 36, 35, 37, 36, 36, 36, 36, 35, 36]
    assert labels[:12].tolist() == [3, 7, 3, 9, 0, 8, 7, 0, 8, 0, 3, 3]
    assert int(raw.sum()) == 111461
    other = load_digits("test", seed=1).tensors[1].numpy()
    assert len(other) == 359 and not np.array_equal(other, labels)
    assert len(load_digits("test", test_fraction=0.5)) + len(load_digits("train", test_fraction=0.5)) == 1797


def test_digits_values_and_shapes():
    X, y = load_digits("all").tensors
    assert X.shape == (1797, 64) and X.dtype == minitorch.float32
    assert y.dtype == minitorch.int64 and set(y.tolist()) == set(range(10))
    assert X.numpy().min() == 0.0 and X.numpy().max() == 1.0
    raw, _ = load_digits("all", normalize=False).tensors
    assert raw.dtype == minitorch.float32 and raw.numpy().max() == 16.0
    np.testing.assert_array_equal(raw.numpy() / 16, X.numpy())
    np.testing.assert_array_equal(np.unique(raw.numpy()), np.arange(17))
    images, _ = load_digits("all", flatten=False).tensors
    assert images.shape == (1797, 1, 8, 8)
    np.testing.assert_array_equal(images.numpy().reshape(1797, 64), X.numpy())


def test_digits_images_match_their_labels():
    """A nearest-centroid classifier fit on train must do well on test: images and labels line up."""
    Xtr, ytr = (t.numpy() for t in load_digits("train").tensors)
    Xte, yte = (t.numpy() for t in load_digits("test").tensors)
    centroids = np.stack([Xtr[ytr == d].mean(axis=0) for d in range(10)])
    predicted = ((Xte[:, None, :] - centroids[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert (predicted == yte).mean() > 0.85


def test_digits_errors():
    with pytest.raises(ValueError, match="split must be"):
        load_digits("validation")
    with pytest.raises(ValueError, match="test_fraction"):
        load_digits(test_fraction=1.0)


def test_digits_train_loop_batches():
    loader = DataLoader(load_digits("train"), batch_size=64, shuffle=True, drop_last=True)
    assert len(loader) == 1438 // 64
    x, y = next(iter(loader))
    assert x.shape == (64, 64) and y.shape == (64,)
    assert 0.0 <= x.numpy().min() and x.numpy().max() <= 1.0
