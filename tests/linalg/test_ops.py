"""Every function of ``minitorch.linalg`` (and its top-level and Tensor forms) on hypothesis-drawn
well-conditioned matrices, batched or not: PyTorch's values and gradients, a float64 gradcheck of
every differentiable output, the ``cuda`` device, float32.

The vectors of svd and eigh enter only through what does not depend on their signs.
"""
import numpy as np
import pytest
from tests.linalg.linalg_helpers import matrices, same_as_torch, same_on_cuda
from hypothesis import assume, given
from hypothesis import strategies as st

import minitorch
from minitorch.testing import gradcheck


def _gap(values):
    """The smallest distance between two of the last dim's values (inf for one value)."""
    ordered = np.sort(values, axis=-1)
    return np.diff(ordered, axis=-1).min() if ordered.shape[-1] > 1 else np.inf


def _sym(a):
    """(A + A^T) / 2: cholesky reads one triangle and returns a symmetric gradient (as PyTorch), which
    finite differences see only through a symmetric function of the input."""
    return (a + a.mT) / 2


def _svd_parts(lib, a):
    u, s, vh = lib.linalg.svd(a, full_matrices=False)
    return s, u * s.unsqueeze(-2) @ vh, u * u, vh * vh


def _eigh_parts(lib, a):
    w, v = lib.linalg.eigh(a + a.mT)
    return w, v * v


#: name: (kind of input, right-hand side columns or None, the call in both libraries)
OPS = {
    "inv": ("square", None, lambda lib, a: lib.linalg.inv(a)),
    "det": ("square", None, lambda lib, a: (lib.linalg.det(a), lib.det(a))),
    "slogdet": ("square", None, lambda lib, a: (*lib.linalg.slogdet(a), a.logdet())),
    "solve": ("square", 2, lambda lib, a, b: (lib.linalg.solve(a, b), lib.linalg.solve(a, b[..., 0]))),
    "solve_left_false": ("square", 2, lambda lib, a, b: lib.linalg.solve(a, b.mT, left=False)),
    "solve_triangular": ("square", 3, lambda lib, a, b: (lib.linalg.solve_triangular(a, b, upper=True),
                                                         lib.linalg.solve_triangular(a, b, upper=False, unitriangular=True))),
    "cholesky": ("spd", None, lambda lib, a: (lib.linalg.cholesky(_sym(a)), lib.linalg.cholesky(_sym(a), upper=True))),
    "cholesky_solve": ("spd", 2, lambda lib, a, b: lib.cholesky_solve(b, lib.linalg.cholesky(_sym(a)))),
    "qr": ("tall", None, lambda lib, a: lib.linalg.qr(a)),
    "svd": ("any", None, _svd_parts),
    "eigh": ("square", None, _eigh_parts),
    "pinv": ("any", None, lambda lib, a: lib.linalg.pinv(a)),
    "lstsq": ("tall", 2, lambda lib, a, b: lib.linalg.lstsq(a, b).solution),
    "matrix_exp": ("any", None, lambda lib, a: lib.linalg.matrix_exp(a.mT @ a)),
    "matrix_power": ("square", None, lambda lib, a: (lib.linalg.matrix_power(a, 3), a.matrix_power(-2))),
    "matrix_norm": ("any", None, lambda lib, a: tuple(lib.linalg.matrix_norm(a, p) for p in (
        "fro", "nuc", 2, -2, 1, -1, float("inf"), -float("inf")))),
    "norm": ("any", None, lambda lib, a: (lib.linalg.norm(a), lib.linalg.norm(a, dim=-1),
                                          lib.linalg.vector_norm(a, 3, dim=(-2, -1), keepdim=True))),
    "cond": ("square", None, lambda lib, a: (lib.linalg.cond(a), lib.linalg.cond(a, -2))),
}
NEEDS_GAPS = {"svd": lambda a: np.linalg.svd(a, compute_uv=False),
              "eigh": lambda a: np.linalg.eigvalsh(a + a.swapaxes(-1, -2)),
              "matrix_norm": lambda a: np.linalg.svd(a, compute_uv=False),
              "cond": lambda a: np.linalg.svd(a, compute_uv=False)}


def _draw(data, name):
    kind, extra, call = OPS[name]
    arrays = data.draw(matrices(kind, extra))
    arrays = arrays if isinstance(arrays, tuple) else (arrays,)
    if name in NEEDS_GAPS:
        assume(_gap(NEEDS_GAPS[name](arrays[0])) > 0.05 and np.linalg.svd(arrays[0], compute_uv=False).min() > 0.05)
    if name in ("pinv", "lstsq"):
        assume(np.linalg.svd(arrays[0], compute_uv=False).min() > 0.05)
    return call, arrays


@pytest.mark.parametrize("name", OPS)
@given(data=st.data())
def test_same_as_pytorch(name, data):
    call, arrays = _draw(data, name)
    same_as_torch(call, *arrays)


@pytest.mark.parametrize("name", OPS)
@given(data=st.data())
def test_gradcheck(name, data):
    call, arrays = _draw(data, name)
    inputs = [minitorch.tensor(a, requires_grad=True) for a in arrays]
    assert gradcheck(lambda *ts: _listed(call(minitorch, *ts)), inputs)  # every output is floating-point


def _listed(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


@pytest.mark.parametrize("name", OPS)
@given(data=st.data())
def test_cuda_gives_the_cpus_values(name, data):
    call, arrays = _draw(data, name)
    same_on_cuda(call, *arrays)


@pytest.mark.parametrize("name", OPS)
def test_float32_stays_float32(name):
    torch = pytest.importorskip("torch")
    call, arrays = _draw_fixed(name)
    ours = _listed(call(minitorch, *(minitorch.tensor(a, dtype=minitorch.float32) for a in arrays)))
    theirs = _listed(call(torch, *(torch.tensor(a, dtype=torch.float32) for a in arrays)))
    for o, t in zip(ours, theirs):
        assert o.dtype == minitorch.float32
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-4, atol=1e-5)


def _draw_fixed(name):
    """One fixed well-conditioned input of the op's kind: batch (2,), 3 x 3 (4 x 3 when tall)."""
    kind, extra, call = OPS[name]
    rng = np.random.default_rng(3)
    m = 4 if kind == "tall" else 3
    a = rng.uniform(-1, 1, (2, m, 3)) + (3 * np.eye(3) if kind != "tall" else 0)
    if kind == "spd":
        a = a @ a.swapaxes(-1, -2) + np.eye(3)
    return call, (a,) if extra is None else (a, rng.uniform(-1, 1, (2, m, extra)))
