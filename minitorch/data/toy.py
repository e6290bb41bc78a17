"""Small 2-D classification sets for the lessons: spiral, moons, circles, xor.

Each ``make_<name>(n_samples, noise, generator=None)`` returns ``(X, y)``: ``X`` a
float32 tensor of shape ``(n_samples, 2)`` (the points), ``y`` an int64 tensor of
shape ``(n_samples,)`` (their classes). The classes are balanced (their sizes
differ by at most one), ``noise`` is the standard deviation of Gaussian noise
added to each coordinate, and the rows come in random order. The randomness
comes from ``generator`` or the default generator, so ``minitorch.manual_seed``
makes every set repeat exactly.
"""
import numpy as np

from .. import checks
from ..creation import from_numpy
from .dataset import _rng


def _check(op, n_samples, noise, minimum):
    checks.integer(op, "n_samples", n_samples, minimum=minimum)
    checks.real(op, "noise (a standard deviation)", noise, minimum=0)


def _class_sizes(n_samples, n_classes):
    """Split n_samples into n_classes sizes that differ by at most one (the first classes get the extra)."""
    base, extra = divmod(n_samples, n_classes)
    return [base + (k < extra) for k in range(n_classes)]


def _finish(points, labels, noise, g):
    """Add the noise, shuffle the rows, and wrap as (float32 X, int64 y)."""
    points = np.concatenate(points)
    labels = np.concatenate(labels)
    points = points + noise * g.standard_normal(points.shape)
    order = g.permutation(len(labels))
    return from_numpy(points[order].astype(np.float32)), from_numpy(labels[order].astype(np.int64))


def make_spiral(n_samples=300, n_classes=3, noise=0.03, generator=None):
    """``n_classes`` interleaved spiral arms, one per class.

    Point j of class k sits at radius ``r`` (evenly spaced in [0, 1]) and angle
    ``2*pi*k/n_classes + 2*pi*r``: each arm winds once around the origin, and the
    arms start evenly spaced in angle. No straight line separates them.
    """
    checks.integer("make_spiral", "n_classes", n_classes, minimum=2)
    _check("make_spiral", n_samples, noise, n_classes)
    g = _rng("make_spiral", generator)
    points, labels = [], []
    for k, m in enumerate(_class_sizes(n_samples, n_classes)):
        r = np.linspace(0.0, 1.0, m)
        angle = 2 * np.pi * k / n_classes + 2 * np.pi * r
        points.append(np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1))
        labels.append(np.full(m, k))
    return _finish(points, labels, noise, g)


def make_moons(n_samples=200, noise=0.1, generator=None):
    """Two interleaving half circles of radius 1.

    Class 0 is the upper half circle ``(cos t, sin t)``; class 1 is the lower one
    ``(1 - cos t, 0.5 - sin t)``, shifted right by 1 and down by 0.5; ``t`` is
    evenly spaced in [0, pi].
    """
    _check("make_moons", n_samples, noise, 2)
    g = _rng("make_moons", generator)
    m0, m1 = _class_sizes(n_samples, 2)
    t0, t1 = np.linspace(0.0, np.pi, m0), np.linspace(0.0, np.pi, m1)
    upper = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    return _finish([upper, lower], [np.zeros(m0), np.ones(m1)], noise, g)


def make_circles(n_samples=200, noise=0.05, factor=0.5, generator=None):
    """Two circles around the origin: class 0 of radius 1, class 1 of radius ``factor`` (0 < factor < 1).

    The points of each circle are evenly spaced in angle.
    """
    _check("make_circles", n_samples, noise, 2)
    checks.fraction("make_circles", "factor (the inner radius)", factor)
    g = _rng("make_circles", generator)
    m0, m1 = _class_sizes(n_samples, 2)
    t0 = np.linspace(0.0, 2 * np.pi, m0, endpoint=False)
    t1 = np.linspace(0.0, 2 * np.pi, m1, endpoint=False)
    outer = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    inner = factor * np.stack([np.cos(t1), np.sin(t1)], axis=1)
    return _finish([outer, inner], [np.zeros(m0), np.ones(m1)], noise, g)


def make_xor(n_samples=200, noise=0.1, generator=None):
    """Points uniform in the square [-1, 1]^2, labelled by XOR of their signs.

    Each quadrant holds a quarter of the points (uniform in its unit square); the
    class is 1 where x and y have different signs (top-left and bottom-right
    quadrants), else 0. No straight line separates the classes.
    """
    _check("make_xor", n_samples, noise, 4)
    g = _rng("make_xor", generator)
    points, labels = [], []
    for (sx, sy), m in zip([(1, 1), (-1, 1), (-1, -1), (1, -1)], _class_sizes(n_samples, 4)):
        points.append(g.uniform(0.0, 1.0, size=(m, 2)) * (sx, sy))
        labels.append(np.full(m, int(sx != sy)))
    return _finish(points, labels, noise, g)
