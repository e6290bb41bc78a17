"""Hypothesis strategies for testing ops: shapes, dims and tensors with kink-free values.

Why the values come from an offset grid
---------------------------------------
Hypothesis deliberately favours "interesting" floats: 0, repeated values,
numbers that differ in the last bit. For gradient checks these are exactly the
wrong inputs. At a kink the derivative does not exist and a central difference
lands between the two one-sided slopes:

- relu at 0: the numeric derivative is 0.5, the analytic one 0 or 1;
- abs at 0: numeric 0, analytic sign(0) = 0, but |x| near 0 is still a kink;
- max with a tie (two equal largest values): numeric 0.5 each, analytic whichever
  rule the op picked; a near tie closer than eps behaves the same way.

So every element is drawn from the grid ``(i + 1/2) * step`` for integers ``i``:

- no element is 0, nor any other integer multiple of ``step`` (use those as
  thresholds, e.g. clamp bounds, and elements never sit on them);
- with ``unique=True`` no two elements are equal, and any two differ by at
  least ``step`` (1/32 by default), which is far larger than gradcheck's eps=1e-6;
- ``step`` is a power of two, so every grid value is exact in binary floating
  point: no rounding can create a tie or a zero.

Shapes stay small (sides up to 4) so that a full gradcheck, two evaluations
per element, takes milliseconds.
"""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import dtypes
from ..tensor import Tensor

STEP = 1 / 32


def grid(low=-4.0, high=4.0, step=STEP):
    """Floats ``(i + 1/2) * step`` strictly between ``low`` and ``high`` (see the module docstring)."""
    first = int(np.ceil(low / step - 0.5))
    last = int(np.floor(high / step - 0.5))
    if first > last:
        raise ValueError(f"grid: no grid value lies in [{low}, {high}] with step {step}.")
    return st.integers(first, last).map(lambda i: (i + 0.5) * step)


def shapes(min_dims=0, max_dims=3, min_side=1, max_side=4):
    """Array shapes (tuples), small enough for a full gradcheck; 0-d shapes included by default."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


@st.composite
def arrays(draw, shape=None, dtype=np.float64, elements=None, unique=True, permuted=None):
    """A numpy array of grid values; ``shape`` a tuple, a strategy, or None for ``shapes()``.

    With ``permuted`` (drawn when None) the data is stored in a permuted memory order, so the
    ops also meet non-contiguous arrays, as they do after a transpose.
    """
    if shape is None:
        shape = shapes()
    if not isinstance(shape, tuple):
        shape = draw(shape)
    elements = grid() if elements is None else elements
    data = draw(hnp.arrays(np.float64, shape, elements=elements, unique=unique, fill=st.nothing()))
    data = data.astype(dtype)
    if len(shape) >= 2 and (draw(st.booleans()) if permuted is None else permuted):
        order = draw(st.permutations(range(len(shape))))
        data = np.ascontiguousarray(data.transpose(order)).transpose(np.argsort(order))
    return data


@st.composite
def tensors(draw, shape=None, dtype=dtypes.float64, elements=None, requires_grad=True, unique=True,
            permuted=None):
    """A minitorch Tensor of grid values (float64 and requiring grad by default, for gradcheck).

    ``elements`` replaces the grid, e.g. ``grid(0.25, 4)`` for log and sqrt, whose inputs must
    be positive. ``unique=True`` (the default) rules out ties; the elements must then offer at
    least as many values as the tensor has elements (``grid(0.5, 2)`` has only 48).
    """
    np_dtype = dtypes.to_dtype(dtype).np_dtype
    data = draw(arrays(shape, np_dtype, elements, unique, permuted))
    t = Tensor._make(data, False, None)
    return t.requires_grad_(True) if requires_grad else t


def broadcastable_shape_pairs(min_dims=0, max_dims=3, min_side=1, max_side=4):
    """Pairs ``(shape_a, shape_b)`` that broadcast together: sizes shrink towards 1 and
    dimensions go missing on either side, the cases whose gradients need unbroadcasting."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=2, min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    ).map(lambda result: tuple(result.input_shapes))


def matmul_shapes(max_batch_dims=2, max_side=4):
    """Pairs ``(shape_a, shape_b)`` valid for ``a @ b``: 1-D vectors, matrices, and batches
    whose batch dimensions broadcast, following numpy's signature (n?,k),(k,m?)->(n?,m?)."""
    return hnp.mutually_broadcastable_shapes(
        signature=np.matmul.signature, min_dims=0, max_dims=max_batch_dims, min_side=1, max_side=max_side
    ).map(lambda result: tuple(result.input_shapes))


@st.composite
def reduction_dims(draw, shape):
    """A ``dim`` argument for a tensor of ``shape``: None, an int or a tuple of distinct ints,
    each possibly negative (-1 is the last dimension)."""
    ndim = len(shape)
    if ndim == 0:
        return draw(st.sampled_from([None, 0, -1]))

    def signed(axis):
        return st.sampled_from([axis, axis - ndim])

    axes = st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True)
    as_tuple = axes.flatmap(lambda a: st.tuples(*[signed(i) for i in a]))
    return draw(st.one_of(st.none(), st.integers(0, ndim - 1).flatmap(signed), as_tuple))


def basic_indices(shape):
    """Basic indices (ints, slices, ``...``, None) of a tensor of ``shape``, as PyTorch takes them:
    hypothesis's ``basic_indices`` with every negative slice step made positive (PyTorch refuses
    negative steps; ``flip`` reverses instead)."""

    def positive_steps(index):
        parts = index if isinstance(index, tuple) else (index,)
        return tuple(slice(p.start, p.stop, -p.step) if isinstance(p, slice) and p.step and p.step < 0 else p
                     for p in parts)

    return hnp.basic_indices(shape, allow_newaxis=True).map(positive_steps)


def dim(shape):
    """One dimension of ``shape`` (possibly negative), as taken by softmax, cat or max(dim=...)."""
    ndim = max(len(shape), 1)
    return st.integers(-ndim, ndim - 1)
