"""``einsum``: sums of products named by index letters, ``"ij,jk->ik"``.

The equation is first made explicit (``explicit``): ``...`` becomes letters of its own, and
an equation without ``->`` gets PyTorch's output (the ellipsis, then the letters used once,
in alphabetical order). The backward of operand i is one more einsum: the gradient times the
other operands, keeping operand i's letters. Two cases need more than that: a letter only
operand i has and the output lacks was summed away, so its gradient is broadcast along it;
and a letter that operand i repeats (``"ii->i"``, a diagonal) only touches the diagonal, so
the gradient is written there into zeros.
"""
import string

import numpy as np

from ..autograd.function import Op
from ..device import array_module
from ..errors import ShapeError
from ._util import unbroadcast

_FREE = string.ascii_uppercase + string.ascii_lowercase


def explicit(equation, ndims):
    """``(inputs, output)``: the letters of each operand and of the result, ``...`` spelled out."""
    equation = equation.replace(" ", "")
    left, arrow, output = equation.partition("->")
    inputs = left.split(",")
    if len(inputs) != len(ndims):
        raise ValueError(f"einsum: the equation {equation!r} names {len(inputs)} operand(s), got {len(ndims)}.")
    for term in inputs + [output]:
        if not all(c in _FREE for c in term.replace("...", "")):
            raise ValueError(f"einsum: {equation!r}: subscripts must be letters a-z, A-Z (or ...), got {term!r}.")
    used = set(left + output) - set(".,")
    spare = [c for c in _FREE if c not in used]
    widest = max((n - len(t.replace("...", "")) for t, n in zip(inputs, ndims) if "..." in t), default=0)
    ellipsis = "".join(spare[:widest])
    spelled = []
    for term, ndim in zip(inputs, ndims):
        width = ndim - len(term.replace("...", ""))
        if width < 0 or ("..." not in term and width):
            raise ShapeError(f"einsum: operand {term!r} of {equation!r} has {ndim} dimension(s).")
        spelled.append(term.replace("...", ellipsis[len(ellipsis) - width:]))
    if arrow:
        return spelled, output.replace("...", ellipsis)
    letters = "".join(spelled)
    once = sorted(c for c in set(letters) if letters.count(c) == 1 and c not in ellipsis)
    return spelled, ellipsis + "".join(once)


class Einsum(Op):
    """y = sum over the letters not in the output of the product of the operands;
    dL/d(operand i) = einsum of dL/dy with the other operands (see the module docstring)."""

    @staticmethod
    def forward(ctx, equation, *operands):
        ctx.inputs, ctx.output = explicit(equation, [a.ndim for a in operands])
        ctx.save_for_backward(*operands)
        try:
            return np.einsum(",".join(ctx.inputs) + "->" + ctx.output, *operands)
        except ValueError as e:
            shapes = ", ".join(str(tuple(a.shape)) for a in operands)
            raise ShapeError(f"einsum: {equation!r} does not fit operands of shapes {shapes}: {e}") from None

    @staticmethod
    def backward(ctx, grad):
        operands = ctx.saved_arrays
        sizes = {c: n for term, a in zip(ctx.inputs, operands) for c, n in zip(term, a.shape) if n != 1}
        return (None, *(_operand_grad(grad, ctx, i, sizes) if ctx.needs_input_grad[i + 1] else None
                        for i in range(len(operands))))


def _operand_grad(grad, ctx, i, sizes):
    """dL/d(operand i): see the module docstring."""
    operands, term = ctx.saved_arrays, ctx.inputs[i]
    others = [t for j, t in enumerate(ctx.inputs) if j != i]
    unique = "".join(dict.fromkeys(term))
    kept = "".join(c for c in unique if c in ctx.output or any(c in t for t in others))
    g = np.einsum(",".join([ctx.output, *others]) + "->" + kept, grad, *(a for j, a in enumerate(operands) if j != i))
    g = np.broadcast_to(np.expand_dims(g, tuple(k for k, c in enumerate(unique) if c not in kept)),
                        tuple(sizes.get(c, 1) for c in unique))
    a = operands[i]
    if len(unique) == len(term):  # no repeated letter: sum back the ellipsis dims a broadcast
        return unbroadcast(g, a.shape).astype(a.dtype, copy=False)
    full = np.zeros_like(a)  # a repeated letter: write the gradient on the diagonal it read
    xp = array_module(a)
    place = tuple(xp.arange(n).reshape([-1 if c == term[k] else 1 for c in unique]) for k, n in enumerate(a.shape))
    full[place] = unbroadcast(g, tuple(a.shape[term.index(c)] for c in unique))
    return full
