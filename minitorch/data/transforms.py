"""Image transforms for data augmentation, like ``torchvision.transforms``.

Each transform is a callable object: ``t(image)`` for one image of shape
(C, H, W), or ``t(batch)`` for a batch (N, C, H, W), where every image of the
batch gets its own random draw. Inputs may be tensors or numpy arrays; the
output has the same kind (a tensor comes back as a tensor on the same device).
Random transforms draw from ``generator`` (a ``minitorch.Generator``) or from
the default generator, so ``minitorch.manual_seed`` repeats them exactly.

    train_tf = Compose([RandomCrop(28, padding=2), RandomAffine(degrees=10), Normalize(0.1307, 0.3081)])
    MNIST(transform=train_tf)                      # per sample, as in PyTorch
    x = train_tf(x)                                # or a whole batch at once (much faster)
"""
import numbers

import numpy as np

from .. import checks
from ..creation import from_numpy
from ..tensor import Tensor
from .dataset import _rng


def _unwrap(op, x):
    """``(array, wrap)``: ``x`` as a float numpy array (N, C, H, W), and how to give the result back."""
    if isinstance(x, Tensor):
        device = x.device
        array = x.detach().cpu().numpy()

        def wrap_tensor(out):
            out = from_numpy(np.ascontiguousarray(out))
            return out if device == "cpu" else out.to(device)
        wrap = wrap_tensor
    elif isinstance(x, np.ndarray):
        array, wrap = x, np.ascontiguousarray
    else:
        raise TypeError(f"{op}: expects a Tensor or a numpy array, got {type(x).__name__}.")
    if array.ndim not in (3, 4):
        raise ValueError(
            f"{op}: expects one image (C, H, W) or a batch (N, C, H, W), got shape {tuple(array.shape)}; "
            f"add a channel dimension to a grey (H, W) image with unsqueeze(0) (or use ToTensor first)."
        )
    if array.dtype.kind != "f":
        raise TypeError(
            f"{op}: expects float images, got dtype {array.dtype}; "
            f"convert uint8 images with ToTensor() first."
        )
    if array.ndim == 3:
        return array[None], lambda out: wrap(out[0])
    return array, wrap


class Compose:
    """Apply ``transforms`` one after the other: ``Compose([a, b])(x) == b(a(x))``."""

    def __init__(self, transforms):
        for t in transforms:
            if not callable(t):
                raise TypeError(f"Compose: every transform must be callable, got {t!r}.")
        self.transforms = list(transforms)

    def __call__(self, x):
        for t in self.transforms:
            x = t(x)
        return x

    def __repr__(self):
        inner = "".join(f"\n    {t!r}," for t in self.transforms)
        return f"Compose([{inner}\n])"


class ToTensor:
    """uint8 image (H, W) or (H, W, C), pixels 0..255 -> float32 tensor (C, H, W) in [0, 1].

    A batch (N, H, W) or (N, H, W, C) of uint8 images gives (N, C, H, W). Float
    arrays are taken as already in [0, 1] and only rearranged.
    """

    def __call__(self, image):
        if isinstance(image, Tensor):
            image = image.detach().cpu().numpy()
        array = np.asarray(image)
        if array.dtype == np.uint8:
            array = array.astype(np.float32) / np.float32(255.0)
        elif array.dtype.kind == "f":
            array = array.astype(np.float32)
        else:
            raise TypeError(f"ToTensor: expects uint8 or float pixels, got dtype {array.dtype}.")
        if array.ndim == 2:  # (H, W): one grey image
            array = array[None]
        elif array.ndim == 3 and array.shape[-1] in (1, 3, 4):  # (H, W, C)
            array = array.transpose(2, 0, 1)
        elif array.ndim == 3:  # (N, H, W): grey images
            array = array[:, None]
        elif array.ndim == 4:  # (N, H, W, C)
            array = array.transpose(0, 3, 1, 2)
        else:
            raise ValueError(
                f"ToTensor: expects (H, W), (H, W, C) or a batch of them, got shape {array.shape}."
            )
        return from_numpy(np.ascontiguousarray(array))

    def __repr__(self):
        return "ToTensor()"


class Normalize:
    """``(x - mean[c]) / std[c]`` for each channel c (one number is used for every channel).

    MNIST's usual values are ``Normalize(0.1307, 0.3081)``: its pixel mean and standard deviation.
    """

    def __init__(self, mean, std):
        self.mean = np.atleast_1d(np.asarray(mean, dtype=np.float64))
        self.std = np.atleast_1d(np.asarray(std, dtype=np.float64))
        if self.mean.ndim != 1 or self.std.ndim != 1:
            raise ValueError("Normalize: mean and std must be numbers or lists of numbers, one per channel.")
        if np.any(self.std <= 0):
            raise ValueError(f"Normalize: every std must be positive, got {self.std.tolist()}.")

    def __call__(self, x):
        array, wrap = _unwrap("Normalize", x)
        channels = array.shape[1]
        for name, values in (("mean", self.mean), ("std", self.std)):
            if len(values) not in (1, channels):
                raise ValueError(
                    f"Normalize: {name} has {len(values)} values but the images have {channels} channels; "
                    f"give one value, or one per channel."
                )
        shape = (1, -1, 1, 1)
        mean = self.mean.reshape(shape).astype(array.dtype)
        std = self.std.reshape(shape).astype(array.dtype)
        return wrap((array - mean) / std)

    def __repr__(self):
        return f"Normalize(mean={self.mean.tolist()}, std={self.std.tolist()})"


def _random_crop(array, size, padding, fill, rng):
    """Pad each side of every (C, H, W) image by ``padding`` with ``fill``, then cut a random
    ``size`` window from each (one window position per image)."""
    n, _, height, width = array.shape
    pad_h, pad_w = int(padding[0]), int(padding[1])
    if pad_h or pad_w:
        array = np.pad(array, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)), constant_values=fill)
    crop_h, crop_w = int(size[0]), int(size[1])
    room_h, room_w = array.shape[2] - crop_h, array.shape[3] - crop_w
    if room_h < 0 or room_w < 0:
        raise ValueError(
            f"RandomCrop: the crop {crop_h}x{crop_w} is larger than the padded image "
            f"{array.shape[2]}x{array.shape[3]} (image {height}x{width}, padding {padding})."
        )
    top = rng.integers(0, room_h + 1, size=n)
    left = rng.integers(0, room_w + 1, size=n)
    windows = np.lib.stride_tricks.sliding_window_view(array, (crop_h, crop_w), axis=(2, 3))
    return windows[np.arange(n), :, top, left]  # (N, C, crop_h, crop_w)


class RandomCrop:
    """Pad the image by ``padding`` pixels on every side (with ``fill``), then cut a random ``size`` window.

    ``RandomCrop(28, padding=4)`` on 28x28 digits shifts each digit by up to 4
    pixels in each direction, filling the uncovered border with ``fill``.
    """

    def __init__(self, size, padding=0, fill=0.0, generator=None):
        self.size = checks.pair("RandomCrop", "size", size, minimum=1)
        self.padding = checks.pair("RandomCrop", "padding", padding, minimum=0)
        self.fill, self.generator = fill, generator

    def __call__(self, x):
        array, wrap = _unwrap("RandomCrop", x)
        rng = _rng("RandomCrop", self.generator)
        return wrap(_random_crop(array, self.size, self.padding, self.fill, rng))

    def __repr__(self):
        return f"RandomCrop(size={self.size}, padding={self.padding})"


class RandomShift:
    """Move each image by a random whole number of pixels, up to ``max_shift`` in each direction.

    Uncovered pixels get ``fill``; the size stays the same. It is
    ``RandomCrop(size=(H, W), padding=max_shift)``.
    """

    def __init__(self, max_shift, fill=0.0, generator=None):
        self.max_shift = checks.pair("RandomShift", "max_shift", max_shift, minimum=0)
        self.fill, self.generator = fill, generator

    def __call__(self, x):
        array, wrap = _unwrap("RandomShift", x)
        size = array.shape[2:]
        return wrap(_random_crop(array, size, self.max_shift, self.fill, _rng("RandomShift", self.generator)))

    def __repr__(self):
        return f"RandomShift(max_shift={self.max_shift})"


def affine_grid_sample(array, angles, shifts, fill=0.0, interpolation="bilinear"):
    """Rotate each image of ``array`` (N, C, H, W) by ``angles`` (radians, counter-clockwise as
    displayed) about its centre, then move it by ``shifts`` (N, 2) pixels (dx right, dy down).

    Each output pixel p takes the input value at the point that lands on it:
    ``q = R(-angle) (p - centre - shift) + centre``, read with bilinear
    interpolation between the four pixels around q (or the nearest pixel);
    points outside the image read ``fill``.
    """
    n, _, height, width = array.shape
    cy, cx = (height - 1) / 2.0, (width - 1) / 2.0
    ys, xs = np.meshgrid(np.arange(height, dtype=np.float64), np.arange(width, dtype=np.float64),
                         indexing="ij")
    cos, sin = np.cos(angles)[:, None, None], np.sin(angles)[:, None, None]
    dx = xs[None] - cx - shifts[:, 0, None, None]
    dy = ys[None] - cy - shifts[:, 1, None, None]
    # image rows grow downwards, so a counter-clockwise turn on screen is clockwise in (x, y)
    src_x = cos * dx - sin * dy + cx
    src_y = sin * dx + cos * dy + cy
    batch = np.arange(n)[:, None, None]

    def read(yi, xi):
        """Pixels at integer positions (N, H, W) -> (N, C, H, W), ``fill`` outside the image."""
        inside = (yi >= 0) & (yi < height) & (xi >= 0) & (xi < width)
        values = array[batch, :, np.clip(yi, 0, height - 1), np.clip(xi, 0, width - 1)]  # (N, H, W, C)
        values = np.where(inside[..., None], values, fill)
        return values.transpose(0, 3, 1, 2)

    if interpolation == "nearest":
        out = read(np.round(src_y).astype(np.int64), np.round(src_x).astype(np.int64))
    else:
        x0, y0 = np.floor(src_x), np.floor(src_y)
        wx, wy = (src_x - x0)[:, None], (src_y - y0)[:, None]
        x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
        out = ((1 - wy) * ((1 - wx) * read(y0, x0) + wx * read(y0, x0 + 1))
               + wy * ((1 - wx) * read(y0 + 1, x0) + wx * read(y0 + 1, x0 + 1)))
    return out.astype(array.dtype)


class RandomAffine:
    """Rotate by a random angle in [-degrees, degrees] and shift by a random fraction of the size.

    translate: ``(a, b)``: the shift is drawn from [-a*W, a*W] horizontally and
        [-b*H, b*H] vertically (any real number of pixels); ``None``: no shift.
    interpolation: ``"bilinear"`` (smooth) or ``"nearest"``; pixels that come from
        outside the image get ``fill``. See ``affine_grid_sample`` for the math.
    """

    def __init__(self, degrees, translate=None, fill=0.0, interpolation="bilinear", generator=None):
        if isinstance(degrees, numbers.Number):
            degrees = checks.real("RandomAffine", "degrees", degrees, minimum=0)
            degrees = (-degrees, degrees)
        if len(degrees) != 2 or degrees[0] > degrees[1]:
            raise ValueError(f"RandomAffine: degrees must be a number or a (min, max) pair, got {degrees!r}.")
        if translate is not None:
            translate = checks.pair("RandomAffine", "translate", translate, minimum=0, real=True)
            if max(translate) > 1:
                raise ValueError(f"RandomAffine: translate fractions must lie in [0, 1], got {translate}.")
        checks.choice("RandomAffine", "interpolation", interpolation, ("bilinear", "nearest"))
        self.degrees, self.translate = tuple(float(d) for d in degrees), translate
        self.fill, self.interpolation, self.generator = fill, interpolation, generator

    def __call__(self, x):
        array, wrap = _unwrap("RandomAffine", x)
        n, _, height, width = array.shape
        rng = _rng("RandomAffine", self.generator)
        angles = np.deg2rad(rng.uniform(self.degrees[0], self.degrees[1], size=n))
        shifts = np.zeros((n, 2))
        if self.translate is not None:
            limit = np.array([self.translate[0] * width, self.translate[1] * height])
            shifts = rng.uniform(-limit, limit, size=(n, 2))
        return wrap(affine_grid_sample(array, angles, shifts, self.fill, self.interpolation))

    def __repr__(self):
        return (f"RandomAffine(degrees={self.degrees}, translate={self.translate}, "
                f"interpolation={self.interpolation!r})")


class RandomHorizontalFlip:
    """Mirror each image left-right with probability ``p``.

    (Not for digits: a mirrored 2 is no longer a 2. Fine for photos of objects.)
    """

    def __init__(self, p=0.5, generator=None):
        checks.real("RandomHorizontalFlip", "p (a probability)", p, minimum=0, maximum=1)
        self.p, self.generator = p, generator

    def __call__(self, x):
        array, wrap = _unwrap("RandomHorizontalFlip", x)
        flip = _rng("RandomHorizontalFlip", self.generator).random(len(array)) < self.p
        return wrap(np.where(flip[:, None, None, None], array[..., ::-1], array))

    def __repr__(self):
        return f"RandomHorizontalFlip(p={self.p})"


class GaussianNoise:
    """Add independent noise drawn from N(mean, std^2) to every pixel; ``clip=(lo, hi)`` bounds the result."""

    def __init__(self, std=0.1, mean=0.0, clip=None, generator=None):
        checks.real("GaussianNoise", "std", std, minimum=0)
        self.std, self.mean, self.clip, self.generator = std, mean, clip, generator

    def __call__(self, x):
        array, wrap = _unwrap("GaussianNoise", x)
        noise = _rng("GaussianNoise", self.generator).normal(self.mean, self.std, size=array.shape)
        out = array + noise.astype(array.dtype)
        if self.clip is not None:
            out = np.clip(out, self.clip[0], self.clip[1])
        return wrap(out)

    def __repr__(self):
        return f"GaussianNoise(std={self.std}, mean={self.mean}, clip={self.clip})"
