"""Functions of several tensors that are no Tensor method: ``einsum``, ``meshgrid``,
``cartesian_prod``, ``broadcast_tensors``, ``atleast_1d/2d/3d`` and ``hstack``, ``vstack``,
``dstack``, ``column_stack``.

Each is a composition of ops (``Einsum``, ``Expand``, ``Reshape``, ``Cat``, ``Stack``), so
gradients flow through them; they are exported as ``minitorch.<name>``, as in PyTorch.
"""
from . import checks
from . import functions as ops
from .functions._util import broadcast_shapes
from .namespace import cat, stack


def _listed(op, tensors):
    """f(a, b) or f([a, b]) as a list of Tensors."""
    if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
        tensors = tensors[0]
    return checks.tensors(op, tensors)


def einsum(*args):
    """Sums of products named by index letters: ``einsum("ij,jk->ik", a, b)`` is ``a @ b``;
    ``...`` stands for dimensions broadcast together, a letter repeated on one operand takes
    its diagonal, and without ``->`` the output is the letters used once, in alphabetical order.

    >>> import minitorch
    >>> a = minitorch.tensor([[1, 2], [3, 4]])
    >>> minitorch.einsum("ii", a), minitorch.einsum("ij->j", a).tolist(), minitorch.einsum("ij,j", a, minitorch.tensor([1, 1])).tolist()
    (tensor(5), [4, 6], [3, 7])
    """
    if not args:
        raise TypeError("einsum(): expected an equation string and operands, e.g. einsum('ij,jk->ik', a, b).")
    equation, operands = args[0], _listed("einsum", args[1:])
    if not isinstance(equation, str):
        raise TypeError(f"einsum: the equation must be a string, got {type(equation).__name__}.")
    checks.same_dtype("einsum", **{f"operand {i}": t for i, t in enumerate(operands)})
    if len(operands) > 1 and _sums_over(equation):
        checks.no_bool_product("einsum", operands[0])
    return ops.Einsum.apply(equation, *operands)


def _sums_over(equation):
    """Whether an einsum equation sums over a letter (one of the inputs' that the output lacks)."""
    inputs, arrow, output = equation.partition("->")
    letters = [c for c in inputs if c.isalpha()]
    if not arrow:
        output = [c for c in letters if letters.count(c) == 1]
    return bool(set(letters) - set(output))


def broadcast_tensors(*tensors):
    """The tensors expanded to their common broadcast shape (views), as a tuple.

    >>> import minitorch
    >>> a, b = minitorch.broadcast_tensors(minitorch.zeros(2, 1), minitorch.zeros(3))
    >>> a.shape, b.shape
    (minitorch.Size([2, 3]), minitorch.Size([2, 3]))
    """
    tensors = _listed("broadcast_tensors", tensors)
    shape = broadcast_shapes("broadcast_tensors", *(t.shape for t in tensors))
    return tuple(t.expand(shape) for t in tensors)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids of 1-D tensors: with indexing 'ij' (the default) the i-th output varies
    along dim i; with 'xy' the first two dims are swapped (Cartesian, as numpy's default).

    >>> import minitorch
    >>> x, y = minitorch.meshgrid(minitorch.tensor([1, 2]), minitorch.tensor([5, 6, 7]), indexing="ij")
    >>> x.shape, x[:, 0].tolist(), y[0].tolist()
    (minitorch.Size([2, 3]), [1, 2], [5, 6, 7])
    """
    tensors = _listed("meshgrid", tensors)
    indexing = checks.choice("meshgrid", "indexing", "ij" if indexing is None else indexing, ("ij", "xy"),
                             error=RuntimeError)
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"meshgrid: expects 0-d or 1-D tensors, got shape {tuple(t.shape)}.")
    swap = indexing == "xy" and len(tensors) > 1
    order = [1, 0, *range(2, len(tensors))] if swap else list(range(len(tensors)))
    sizes = [tensors[i].numel() for i in order]
    grids = []
    for i, t in enumerate(tensors):
        at = order.index(i)
        grids.append(t.reshape([-1 if d == at else 1 for d in range(len(tensors))]).expand(sizes))
    return tuple(grids)


def cartesian_prod(*tensors):
    """Every combination of one element of each 1-D tensor, as the rows of a 2-D tensor (one
    tensor: itself).

    >>> import minitorch
    >>> minitorch.cartesian_prod(minitorch.tensor([1, 2]), minitorch.tensor([3, 4])).tolist()
    [[1, 3], [1, 4], [2, 3], [2, 4]]
    """
    tensors = _listed("cartesian_prod", tensors)
    if len(tensors) == 1:
        return tensors[0]
    return stack([g.reshape(-1) for g in meshgrid(*tensors, indexing="ij")], dim=1)


def _atleast(ndim, shapes, tensors):
    tensors = _listed(f"atleast_{ndim}d", tensors)
    out = tuple(t if t.ndim >= ndim else t.reshape(shapes(t)) for t in tensors)
    return out[0] if len(out) == 1 else out


def atleast_1d(*tensors):
    """Each tensor with at least 1 dimension (a 0-d one becomes (1,)); one tensor, or a tuple.

    >>> import minitorch
    >>> minitorch.atleast_1d(minitorch.tensor(3)).shape
    minitorch.Size([1])
    """
    return _atleast(1, lambda t: (1,), tensors)


def atleast_2d(*tensors):
    """Each tensor with at least 2 dimensions: (n,) becomes (1, n).

    >>> import minitorch
    >>> minitorch.atleast_2d(minitorch.zeros(3)).shape
    minitorch.Size([1, 3])
    """
    return _atleast(2, lambda t: (1,) * (2 - t.ndim) + t.shape, tensors)


def atleast_3d(*tensors):
    """Each tensor with at least 3 dimensions: (n,) becomes (1, n, 1), (m, n) becomes (m, n, 1).

    >>> import minitorch
    >>> minitorch.atleast_3d(minitorch.zeros(3)).shape, minitorch.atleast_3d(minitorch.zeros(2, 3)).shape
    (minitorch.Size([1, 3, 1]), minitorch.Size([2, 3, 1]))
    """
    return _atleast(3, lambda t: {0: (1, 1, 1), 1: (1, t.numel(), 1), 2: t.shape + (1,)}[t.ndim], tensors)


def _each(function, tensors):
    out = function(*tensors)
    return out if isinstance(out, tuple) else (out,)


def hstack(tensors):
    """The tensors joined column-wise: along dim 1, or dim 0 for 1-D tensors.

    >>> import minitorch
    >>> minitorch.hstack([minitorch.tensor([1, 2]), minitorch.tensor([3])]).tolist()
    [1, 2, 3]
    """
    tensors = _each(atleast_1d, _listed("hstack", tensors))
    return cat(tensors, dim=0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    """The tensors joined row-wise, along dim 0 (1-D tensors as rows).

    >>> import minitorch
    >>> minitorch.vstack([minitorch.tensor([1, 2]), minitorch.tensor([3, 4])]).tolist()
    [[1, 2], [3, 4]]
    """
    return cat(_each(atleast_2d, _listed("vstack", tensors)), dim=0)


def dstack(tensors):
    """The tensors joined depth-wise, along dim 2 (after ``atleast_3d``).

    >>> import minitorch
    >>> minitorch.dstack([minitorch.tensor([1, 2]), minitorch.tensor([3, 4])]).tolist()
    [[[1, 3], [2, 4]]]
    """
    return cat(_each(atleast_3d, _listed("dstack", tensors)), dim=2)


def column_stack(tensors):
    """The tensors side by side as columns: 0-d and 1-D ones become (n, 1) columns, then dim 1.

    >>> import minitorch
    >>> minitorch.column_stack([minitorch.tensor([1, 2]), minitorch.tensor([3, 4])]).tolist()
    [[1, 3], [2, 4]]
    """
    tensors = _listed("column_stack", tensors)
    return cat([t.reshape(t.numel(), 1) if t.ndim < 2 else t for t in tensors], dim=1)


__all__ = ["einsum", "broadcast_tensors", "meshgrid", "cartesian_prod", "atleast_1d", "atleast_2d",
           "atleast_3d", "hstack", "vstack", "dstack", "column_stack"]
