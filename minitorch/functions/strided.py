"""``as_strided``: a view of a tensor's memory (its storage) with sizes, strides and an offset given in
elements, as PyTorch's; and where a tensor lies in that memory.

numpy keeps the memory of every view in the array at the end of its ``base`` chain (the array that
owns it): that array's memory is what PyTorch calls the storage. ``storage`` gives it as a flat array
of the view's dtype, and the view's offset into it. ``AsStrided`` reads the storage, not the tensor:
``x[1:].as_strided((2,), (1,), 0)`` starts at the storage's first element, as PyTorch's does (with
``storage_offset=None`` it starts where ``x[1:]`` does).
"""
import numpy as np

from .. import checks
from ..autograd.function import Op
from ..device import array_module, is_gpu_array


def address(array):
    """The memory address of ``array``'s first element: numpy's, or cupy's on a GPU."""
    return array.data.ptr if is_gpu_array(array) else array.__array_interface__["data"][0]


def storage(array):
    """``(flat, offset)``: the memory ``array`` lies in (that of the array at the end of its ``base``
    chain) as a flat array of ``array``'s dtype sharing it, and where ``array`` starts in it, in elements.

    numpy's own ``as_strided`` (used here) keeps its input behind a ``DummyArray``: the chain goes on
    through it. An owner that is not one block of memory (a numpy array built over a foreign buffer
    with gaps) has no flat form to share: a RuntimeError.
    """
    xp = array_module(array)
    owner = array
    while True:
        base = owner.base
        if isinstance(getattr(base, "base", None), xp.ndarray) and not isinstance(base, xp.ndarray):
            base = base.base  # numpy's as_strided: the array it was given, behind a DummyArray
        if not isinstance(base, xp.ndarray):
            break
        owner = base
    if not (owner.flags.c_contiguous or owner.flags.f_contiguous):
        raise RuntimeError(
            "storage: this tensor's memory is not one block (a numpy array made over a foreign buffer "
            "with gaps), so it has no storage to locate; call .contiguous() first.")
    flat = owner.reshape(-1, order="A").view(array.dtype)  # memory order: "A" is "F" for a Fortran owner
    return flat, (address(array) - address(flat)) // array.itemsize


def element_strides(array):
    """``array``'s strides counted in elements (numpy counts bytes)."""
    return tuple(s // array.itemsize for s in array.strides)


def laid_out_like(array, values):
    """``values`` (an array of ``array``'s shape) in new memory laid out as ``array`` lies in its storage:
    the same strides and storage offset in a storage of the same size, -1 where ``array`` has no element.
    Views taken of it (``as_strided`` included) read the ``values`` that the same views of ``array``
    would read elements of: ``Tensor._rebase`` finds where a view's elements sit in its base so."""
    flat, offset = storage(array)
    xp = array_module(values)
    memory = xp.full(flat.size, -1, dtype=values.dtype)
    byte_strides = tuple(s * values.itemsize for s in element_strides(array))
    laid = xp.lib.stride_tricks.as_strided(memory[offset:], array.shape, byte_strides)
    laid[...] = values
    return laid


def check_geometry(op, size, stride, storage_offset):
    """``size`` and ``stride`` as tuples of ints of one length, each at least 0, and ``storage_offset``
    (None or an int of at least 0); PyTorch's errors: a TypeError for a wrong type, RuntimeError else."""
    values = []
    for name, value in (("size", size), ("stride", stride)):
        if not isinstance(value, (tuple, list)):
            raise TypeError(f"{op}: {name} must be a tuple of ints (one per dimension), got {value!r}.")
        values.append(tuple(checks.integer(op, f"{name}[{i}]", v) for i, v in enumerate(value)))
    size, stride = values
    if len(size) != len(stride):
        raise RuntimeError(f"{op}: size {list(size)} and stride {list(stride)} must have the same length "
                           f"(one stride per dimension).")
    if min(size, default=0) < 0:
        raise RuntimeError(f"{op}: sizes must be at least 0, got {list(size)}.")
    if min(stride, default=0) < 0:
        raise RuntimeError(f"{op}: negative strides are not supported (nor by PyTorch), got {list(stride)}; "
                           f"take the view with positive strides and .flip() it.")
    if storage_offset is not None:
        storage_offset = checks.integer(op, "storage_offset", storage_offset, minimum=0, range_error=RuntimeError)
    return size, stride, storage_offset


def extent(size, stride, offset):
    """The lowest and the highest storage index that a view of ``size``/``stride`` from ``offset``
    reads (any sign of stride); (offset, offset - 1) for a view with no element."""
    if 0 in size:
        return offset, offset - 1
    low = offset + sum(min(0, (n - 1) * s) for n, s in zip(size, stride))
    return low, offset + sum(max(0, (n - 1) * s) for n, s in zip(size, stride))


def places(xp, size, stride, offset):
    """The storage index of each element of a view of ``size``/``stride`` from ``offset`` (an int64
    array of shape ``size``)."""
    index = xp.full(size, offset, dtype=np.int64)
    for k, (n, s) in enumerate(zip(size, stride)):
        index += (xp.arange(n, dtype=np.int64) * s).reshape((n,) + (1,) * (len(size) - k - 1))
    return index


class AsStrided(Op):
    """y[j] = storage(x)[offset + sum_k j_k stride_k];  dL/dx = g[x's places] / (how many of x's elements
    sit at each place), where g, over the storage, sums dL/dy at the places y reads (PyTorch's rule).

    The output is a view of the storage: writes through it are seen in x and the other way round.
    Places that y reads several times (a stride of 0, overlapping windows) get each copy's gradient.
    """

    is_view = True

    @staticmethod
    def forward(ctx, x, size, stride, offset):
        flat, x_offset = storage(x)
        last = extent(size, stride, offset)[1]
        if last >= flat.size:
            raise RuntimeError(
                f"as_strided: sizes {list(size)}, strides {list(stride)} and storage offset {offset} reach "
                f"element {last} of the storage, which holds {flat.size} element(s) (the memory this tensor "
                f"shares with the tensors it is a view of): out of bounds. Use smaller sizes, strides or offset.")
        ctx.geometry = (x.shape, element_strides(x), x_offset), (size, stride, offset)
        byte_strides = tuple(s * x.itemsize for s in stride)
        return array_module(x).lib.stride_tricks.as_strided(flat[offset:], size, byte_strides)

    @staticmethod
    def backward(ctx, grad):
        xp = array_module(grad)
        (low_x, high_x), (low_y, high_y) = (extent(*geometry) for geometry in ctx.geometry)
        low = min(low_x, low_y)  # the storage between the lowest and highest place either reads
        x_places, y_places = (places(xp, size, stride, offset - low) for size, stride, offset in ctx.geometry)
        length = max(high_x, high_y) - low + 1
        summed = xp.zeros(length, grad.dtype)
        xp.add.at(summed, y_places.reshape(-1), grad.reshape(-1))
        copies = xp.bincount(x_places.reshape(-1), minlength=length).astype(grad.dtype)
        return summed[x_places] / copies[x_places], None, None, None


def diagonal_view(x, offset):
    """The elements x[..., i, i + offset] of the last two dims, as a view of x (one stride: the sum
    of the two dims' strides)."""
    n, m = x.shape[-2:]
    length = max(0, min(n + min(offset, 0), m - max(offset, 0)))
    start = x[..., max(-offset, 0):, max(offset, 0):] if length else x
    return array_module(x).lib.stride_tricks.as_strided(
        start, (*x.shape[:-2], length), (*x.strides[:-2], x.strides[-2] + x.strides[-1]))


class Diagonal(Op):
    """y[..., i] = x[..., i, i + offset] over x's last two dims (a view: writes through it reach x);
    dL/dx = zeros of x's shape with dL/dy written on that diagonal."""

    is_view = True

    @staticmethod
    def forward(ctx, x, offset):
        ctx.shape, ctx.offset = x.shape, offset
        return diagonal_view(x, offset)

    @staticmethod
    def backward(ctx, grad):
        dx = array_module(grad).zeros(ctx.shape, grad.dtype)
        diagonal_view(dx, ctx.offset)[...] = grad
        return dx, None
