"""In-place updates (``x.add_(y)``, ``x += y``, ``x.clamp_(...)``) on raw arrays.

Outside the graph they change an array where it lies and record no graph node. The Tensor method
first checks that the change is safe (``Tensor._writable``: not a broadcast view) and bumps the
version counter; the arithmetic is here. In the graph (``Tensor._rebase``) the tensor takes an op
as its history: the out-of-place op, ``Copy`` for ``copy_`` and ``fill_``, and ``WriteThroughView``
on the base of a view that is changed in place.
"""
import numpy as np

from ..autograd.function import Op
from ..dtypes import can_cast
from ..errors import ShapeError
from ._util import broadcasts_to, unbroadcast
from .pointwise import check_bool_bounds


def check_fits(op, shape, array):
    """A value of ``shape`` can be written into ``array`` only if it broadcasts to its shape."""
    if not broadcasts_to(shape, array.shape):
        raise ShapeError(
            f"{op}: a value of shape {tuple(shape)} cannot be applied in place to a tensor of shape "
            f"{tuple(array.shape)}: it must broadcast to the tensor's shape. Use the out-of-place "
            f"form (x = x + y) to get a result of the broadcast shape."
        )


def combine(op, array, ufunc, other, result_dtype):
    """``array = ufunc(array, other)`` in place; ``other`` must broadcast to ``array``'s shape, and
    the op's ``result_dtype`` must fit the array (``check_holds``)."""
    check_fits(op, np.shape(other), array)
    check_holds(op, array, result_dtype)
    ufunc(array, other, out=array, casting="unsafe")


def check_holds(op, array, result_dtype):
    """As in PyTorch, an in-place result must be of a kind the array holds: a float result does
    not go into an integer tensor (``int.sin_()``, ``int_tensor += 0.5``), an integer one not
    into a bool tensor; float64 into float32 is fine."""
    if not can_cast(np.dtype(result_dtype), array.dtype):
        raise RuntimeError(
            f"{op}: the result is {np.dtype(result_dtype)}, which cannot be stored in place in a {array.dtype} "
            f"tensor. Use the out-of-place form, or convert the tensor first (.float())."
        )


def assign(op, array, result, check_dtype=True):
    """``array[...] = result``: the out-of-place result of ``op`` (``x.cos_()`` stores ``x.cos()``),
    which must broadcast to the array's shape and, with ``check_dtype``, be of a dtype it holds
    (``check_holds``; ``copy_`` converts any dtype)."""
    check_fits(op, result.shape, array)
    if check_dtype:
        check_holds(op, array, result.dtype)
    array[...] = result


def clamp(op, array, min, max, result_dtype):
    """Each element of ``array`` limited to [min, max] (numbers or arrays that broadcast to it), in
    place; the ``result_dtype`` of the bounds with the array must fit it (``check_holds``)."""
    check_bool_bounds(op, array, min, max)
    for bound in (min, max):
        check_fits(op, np.shape(bound), array)
    check_holds(op, array, result_dtype)
    np.clip(array, min, max, out=array, casting="unsafe")



class Copy(Op):
    """y = src broadcast to x's shape (``x.copy_(src)``, ``x.fill_(value)``);  dL/dx = 0,  dL/dsrc =
    dL/dy summed over the broadcast. Nothing is saved: backward needs neither x nor src."""

    op_name = "copy_"

    @staticmethod
    def forward(ctx, x, src):
        check_fits("copy_", np.shape(src), x)
        ctx.src_shape = np.shape(src)
        out = np.empty_like(x)
        out[...] = src
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_x = np.zeros_like(grad) if ctx.needs_input_grad[0] else None
        return grad_x, unbroadcast(grad, ctx.src_shape) if ctx.needs_input_grad[1] else None


class WriteThroughView(Op):
    """An in-place op on a view of ``base``, as an op on the base: y = base with y[view] = values
    (``target`` is the view's array, which the values are written into; ``positions`` the flat
    indices of its elements in the base, in the view's shape);  dL/dbase = dL/dy, 0 at the view,
    dL/dvalues = dL/dy at the view. The output is the base's own array: the write happens in place."""

    @staticmethod
    def forward(ctx, base, values, target, positions):
        assign("in-place op on a view", target, values, check_dtype=False)
        ctx.positions = positions
        return base

    @staticmethod
    def backward(ctx, grad):
        grad_base = grad_values = None
        if ctx.needs_input_grad[0]:
            grad_base = grad.copy(order="C")
            grad_base.reshape(-1)[ctx.positions] = 0
        if ctx.needs_input_grad[1]:
            grad_values = grad.reshape(-1)[ctx.positions]
        return grad_base, grad_values, None, None
