"""Image transforms: shapes, values, reproducibility, per-image randomness in a batch, errors."""
import numpy as np
import pytest

import minitorch
from minitorch.data.transforms import (
    Compose, GaussianNoise, Normalize, RandomAffine, RandomCrop, RandomHorizontalFlip, RandomShift, ToTensor,
    affine_grid_sample,
)


def images(n=6, c=1, h=10, w=12, seed=0):
    return np.random.RandomState(seed).rand(n, c, h, w).astype(np.float32)


RANDOM = [
    lambda g: RandomCrop(8, padding=2, generator=g),
    lambda g: RandomShift(3, generator=g),
    lambda g: RandomAffine(30, translate=(0.2, 0.1), generator=g),
    lambda g: RandomHorizontalFlip(0.5, generator=g),
    lambda g: GaussianNoise(0.3, generator=g),
]


@pytest.mark.parametrize("make", RANDOM)
def test_reproducible_with_seed_and_generator(make):
    x = minitorch.from_numpy(images())
    minitorch.manual_seed(11)
    a = make(None)(x).numpy()
    minitorch.manual_seed(11)
    b = make(None)(x).numpy()
    np.testing.assert_array_equal(a, b)
    c = make(minitorch.Generator(5))(x).numpy()
    d = make(minitorch.Generator(5))(x).numpy()
    np.testing.assert_array_equal(c, d)
    assert not np.array_equal(make(minitorch.Generator(6))(x).numpy(), c)


@pytest.mark.parametrize("make", RANDOM)
def test_kinds_and_shapes_are_kept(make):
    t = make(minitorch.Generator(0))
    batch = images()
    out = t(batch)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    assert out.shape == ((6, 1, 8, 8) if isinstance(t, RandomCrop) else batch.shape)
    single = t(minitorch.from_numpy(batch[0]))
    assert isinstance(single, minitorch.Tensor) and single.dtype == minitorch.float32
    assert single.shape == out.shape[1:]
    np.testing.assert_array_equal(batch, images())  # the input is never changed in place


def test_errors_name_the_transform_and_shape():
    with pytest.raises(ValueError, match=r"RandomCrop: expects one image \(C, H, W\).*\(28, 28\)"):
        RandomCrop(20)(np.zeros((28, 28), np.float32))
    with pytest.raises(TypeError, match="Normalize: expects float images.*ToTensor"):
        Normalize(0.5, 0.5)(np.zeros((1, 4, 4), np.uint8))
    with pytest.raises(TypeError, match="Tensor or a numpy array"):
        GaussianNoise()([[1.0]])
    with pytest.raises(ValueError, match="larger than the padded image"):
        RandomCrop(20, padding=2)(images())
    with pytest.raises(TypeError, match="Compose: every transform must be callable"):
        Compose([Normalize(0, 1), "flip"])
    with pytest.raises(ValueError, match=r"RandomHorizontalFlip: p \(a probability\) must be between 0 and 1, got 2"):
        RandomHorizontalFlip(2)
    with pytest.raises(ValueError, match="interpolation"):
        RandomAffine(10, interpolation="cubic")
    with pytest.raises(ValueError, match="RandomCrop: size must be an int or a pair of ints, each at least 1"):
        RandomCrop(0)
    with pytest.raises(ValueError, match="RandomAffine: translate must be a number or a pair of numbers"):
        RandomAffine(10, translate=(0.1,))


# ------------------------------------------------------------------ flips, crops, shifts
def test_flip_twice_is_identity_and_flip_mirrors():
    x = images()
    flip = RandomHorizontalFlip(p=1.0)
    np.testing.assert_array_equal(flip(x), x[..., ::-1])
    np.testing.assert_array_equal(flip(flip(x)), x)
    np.testing.assert_array_equal(RandomHorizontalFlip(p=0.0)(x), x)


def test_flip_decides_per_image():
    x = images(n=200, h=3, w=4)
    out = RandomHorizontalFlip(0.5, generator=minitorch.Generator(1))(x)
    flipped = np.array([np.array_equal(o, xi[..., ::-1]) for o, xi in zip(out, x)])
    kept = np.array([np.array_equal(o, xi) for o, xi in zip(out, x)])
    assert np.all(flipped ^ kept) and 70 < flipped.sum() < 130


def _window_offsets(padded, crop):
    """All (top, left) where ``crop`` equals a window of ``padded``."""
    h, w = crop.shape[-2:]
    return [(i, j) for i in range(padded.shape[-2] - h + 1) for j in range(padded.shape[-1] - w + 1)
            if np.array_equal(padded[..., i:i + h, j:j + w], crop)]


def test_random_crop_with_padding_keeps_size_and_cuts_a_window():
    x = images(n=40, c=2, h=6, w=6)
    out = RandomCrop(6, padding=2, fill=-1.0, generator=minitorch.Generator(2))(x)
    assert out.shape == x.shape
    offsets = []
    for xi, oi in zip(x, out):
        padded = np.pad(xi, ((0, 0), (2, 2), (2, 2)), constant_values=-1.0)
        found = _window_offsets(padded, oi)
        assert found, "the crop is not a window of the padded image"
        offsets.append(found[0])
    assert len(set(offsets)) > 10  # each image gets its own window
    np.testing.assert_array_equal(RandomCrop((6, 6))(x), x)  # no padding, full size: identity
    assert RandomCrop((4, 5))(x).shape == (40, 2, 4, 5)


def test_random_shift_moves_the_image():
    x = images(n=30, h=7, w=7)
    out = RandomShift(2, generator=minitorch.Generator(3))(x)
    for xi, oi in zip(x, out):
        padded = np.pad(xi, ((0, 0), (2, 2), (2, 2)))
        assert _window_offsets(padded, oi)


# ------------------------------------------------------------------ normalize, noise, to-tensor
def test_normalize_math_per_channel():
    x = images(n=2, c=3, h=4, w=4)
    out = Normalize([0.1, 0.2, 0.3], [0.5, 2.0, 4.0])(x)
    for c, (m, s) in enumerate([(0.1, 0.5), (0.2, 2.0), (0.3, 4.0)]):
        np.testing.assert_allclose(out[:, c], (x[:, c] - m) / s, rtol=1e-6)
    t = Normalize(0.5, 0.25)(minitorch.from_numpy(x[0]))
    np.testing.assert_allclose(t.numpy(), (x[0] - 0.5) / 0.25, rtol=1e-6)
    with pytest.raises(ValueError, match="mean has 2 values but the images have 3 channels"):
        Normalize([0.1, 0.2], [1.0])(x)
    with pytest.raises(ValueError, match="every std must be positive"):
        Normalize(0.0, 0.0)


def test_gaussian_noise_statistics_and_clip():
    x = np.zeros((50, 1, 20, 20), np.float32)
    noisy = GaussianNoise(std=0.2, generator=minitorch.Generator(4))(x)
    assert abs(noisy.std() - 0.2) < 0.01 and abs(noisy.mean()) < 0.01
    clipped = GaussianNoise(std=1.0, clip=(0.0, 1.0), generator=minitorch.Generator(4))(x)
    assert clipped.min() == 0.0 and clipped.max() <= 1.0
    np.testing.assert_array_equal(GaussianNoise(std=0.0)(x), x)


def test_to_tensor():
    grey = np.array([[0, 255], [51, 102]], np.uint8)
    t = ToTensor()(grey)
    assert t.shape == (1, 2, 2) and t.dtype == minitorch.float32
    np.testing.assert_allclose(t.numpy()[0], [[0.0, 1.0], [0.2, 0.4]], rtol=1e-6)
    rgb = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)  # (H, W, C)
    out = ToTensor()(rgb).numpy()
    assert out.shape == (3, 2, 4)
    np.testing.assert_allclose(out[2, 1, 3], rgb[1, 3, 2] / 255.0, rtol=1e-6)
    assert ToTensor()(np.zeros((5, 28, 28), np.uint8)).shape == (5, 1, 28, 28)
    with pytest.raises(TypeError, match="uint8 or float"):
        ToTensor()(np.zeros((2, 2), np.int64))


def test_compose_applies_in_order():
    x = images(n=1)
    tf = Compose([Normalize(0.5, 0.5), RandomHorizontalFlip(1.0)])
    np.testing.assert_allclose(tf(x), ((x - 0.5) / 0.5)[..., ::-1], rtol=1e-6)
    assert "Normalize" in repr(tf) and "RandomHorizontalFlip" in repr(tf)


# ------------------------------------------------------------------ rotation and translation
def test_affine_with_zero_angle_and_shift_is_identity():
    x = images(n=4, c=2)
    np.testing.assert_array_equal(RandomAffine(0)(x), x)
    np.testing.assert_array_equal(RandomAffine(0, translate=(0, 0), interpolation="nearest")(x), x)


def test_rotation_by_90_degrees_matches_rot90():
    x = images(n=3, h=9, w=9)
    for interpolation in ("bilinear", "nearest"):
        out = RandomAffine((90, 90), interpolation=interpolation)(x)
        np.testing.assert_allclose(out, np.rot90(x, k=1, axes=(2, 3)), atol=1e-5)
    np.testing.assert_allclose(RandomAffine((-180, -180))(x), x[..., ::-1, ::-1], atol=1e-5)


def test_whole_pixel_translation_moves_and_fills():
    x = images(n=1, h=5, w=6)
    out = affine_grid_sample(x, np.zeros(1), np.array([[2.0, -1.0]]), fill=7.0)
    expected = np.full_like(x, 7.0)
    expected[..., 0:4, 2:6] = x[..., 1:5, 0:4]  # right by 2, up by 1
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_half_pixel_shift_averages_neighbours():
    x = images(n=1, h=4, w=4)
    out = affine_grid_sample(x, np.zeros(1), np.array([[0.5, 0.0]]))
    np.testing.assert_allclose(out[..., 1:], (x[..., :-1] + x[..., 1:]) / 2, rtol=1e-5)
    np.testing.assert_allclose(out[..., 0], x[..., 0] / 2, rtol=1e-5)  # half of it comes from outside (0)


def test_affine_stays_within_limits():
    x = np.zeros((100, 1, 15, 15), np.float32)
    x[:, :, 7, 7] = 1.0  # one bright pixel at the centre: rotation leaves it, translation moves it
    out = RandomAffine(45, translate=(0.2, 0.2), interpolation="nearest", generator=minitorch.Generator(8))(x)
    rows, cols = np.nonzero(out[:, 0].max(axis=0))
    assert np.abs(rows - 7).max() <= 3 and np.abs(cols - 7).max() <= 3  # |shift| <= 0.2 * 15
    centred = RandomAffine(45, generator=minitorch.Generator(8))(x)
    np.testing.assert_allclose(centred[:, 0, 7, 7], 1.0, atol=1e-6)
