"""Shared strategies and comparisons of the tests of ``minitorch.linalg``.

``matrices`` draws well-conditioned inputs (batched or not) that every op of the tests can take:
square ones made diagonally dominant (so never singular), symmetric positive-definite ones for
cholesky, tall ones for qr; the values are grid values in (-1, 1), so that none repeats.
"""
import numpy as np
import pytest
from hypothesis import strategies as st

import minitorch
from minitorch.testing import strategies as S


@st.composite
def matrices(draw, kind="square", extra=None):
    """A float64 array of a (batch of) matrix: kind "square" (diagonally dominant), "spd"
    (a A^T + I), "tall" (m >= n), "any"; ``extra``: trailing columns of a right-hand side too."""
    batch = draw(S.shapes(min_dims=0, max_dims=1, max_side=2))
    n = draw(st.integers(1, 4))
    m = {"tall": draw(st.integers(n, 4)), "any": draw(st.integers(1, 4))}.get(kind, n)
    a = draw(S.arrays(batch + (m, n), elements=S.grid(-1, 1, 1 / 64)))
    if kind == "square":
        a = a + n * np.eye(n)
    if kind == "spd":
        a = a @ a.swapaxes(-1, -2) + np.eye(n)
    if extra is None:
        return a
    b = draw(S.arrays(batch + (m, extra), elements=S.grid(-1, 1, 1 / 64)))
    return a, b


def _outputs(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def same_as_torch(call, *arrays, rtol=1e-8):
    """``call(lib, *tensors)`` in minitorch and in PyTorch (float64): same values, dtypes and gradients."""
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        inputs = [lib.tensor(a, requires_grad=True) for a in arrays]
        outs = _outputs(call(lib, *inputs))
        weights = np.random.default_rng(1)
        loss = sum((o * lib.tensor(weights.standard_normal(tuple(o.shape)))).sum() for o in outs if o.requires_grad)
        loss.backward()
        results.append(([o.detach().numpy() for o in outs], [t.grad.numpy() for t in inputs]))
    (ours, our_grads), (theirs, their_grads) = results
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-10)
    for g, h in zip(our_grads, their_grads):
        np.testing.assert_allclose(g, h, rtol=rtol * 10, atol=1e-9)


def same_on_cuda(call, *arrays):
    """The call on the ``cuda`` device (the simulator here) gives the CPU's values and dtypes."""
    on_cpu = _outputs(call(minitorch, *(minitorch.tensor(a) for a in arrays)))
    on_cuda = _outputs(call(minitorch, *(minitorch.tensor(a).to("cuda") for a in arrays)))
    for ours, theirs in zip(on_cuda, on_cpu):
        assert ours.device == "cuda" and ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours.cpu().numpy(), theirs.numpy(), rtol=1e-12, atol=1e-14)
