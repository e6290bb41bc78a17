"""Named-tuple results (``x.max(dim=1)``, ``x.sort()``, ``linalg.qr``...) are of PyTorch's
``return_types``: named after the op, printed as PyTorch prints them, picklable."""
import pickle

import numpy as np
import pytest

import minitorch

CALLS = {
    "max": lambda m, a: a.max(dim=1), "min": lambda m, a: m.min(a, 0), "sort": lambda m, a: a.sort(),
    "topk": lambda m, a: a.topk(1), "kthvalue": lambda m, a: a.kthvalue(1), "median": lambda m, a: a.median(0),
    "mode": lambda m, a: a.mode(0), "aminmax": lambda m, a: m.aminmax(a), "cummax": lambda m, a: a.cummax(0),
    "frexp": lambda m, a: m.frexp(a), "linalg_qr": lambda m, a: m.linalg.qr(a),
    "linalg_eigh": lambda m, a: m.linalg.eigh(a + a.mT), "linalg_slogdet": lambda m, a: m.linalg.slogdet(a),
    "linalg_inv_ex": lambda m, a: m.linalg.inv_ex(a), "max_0d": lambda m, a: a[0, 0].max(0),
}


def _matrix(lib):
    return lib.tensor(np.array([[1.0, 5.0], [7.0, 2.0]]))


@pytest.mark.parametrize("name", sorted(CALLS))
def test_type_name_and_fields(name):
    result = CALLS[name](minitorch, _matrix(minitorch))
    assert isinstance(result, tuple) and type(result).__module__ == "minitorch.return_types"
    assert getattr(minitorch.return_types, type(result).__name__) is type(result)
    assert repr(result).startswith(f"minitorch.return_types.{type(result).__name__}(\n{result._fields[0]}=")
    again = pickle.loads(pickle.dumps(result))
    assert type(again) is type(result) and all(np.array_equal(a.numpy(), b.numpy()) for a, b in zip(again, result))


@pytest.mark.parametrize("name", sorted(CALLS))
def test_as_pytorch(name):
    torch = pytest.importorskip("torch")
    ours, theirs = (CALLS[name](lib, _matrix(lib)) for lib in (minitorch, torch))
    assert type(ours).__name__ == type(theirs).__name__ and len(ours) == len(theirs)
    if not name.startswith("linalg_eigh"):  # eigenvector signs are the library's choice
        assert repr(ours).replace("minitorch", "torch") == repr(theirs)


@pytest.mark.parametrize("call", ["max", "min", "argmax", "argmin"])
@pytest.mark.parametrize("dim, keepdim", [(0, False), (-1, True)])
def test_a_0d_tensor_reduces_along_dim_0_as_one_element(call, dim, keepdim):
    """PyTorch treats a 0-d tensor as one element along dim 0 (or -1); it used to raise an IndexError."""
    x = minitorch.tensor(3.0, requires_grad=True)
    out = getattr(x, call)(dim, keepdim=keepdim)
    values = out[0] if isinstance(out, tuple) else out
    assert values.shape == () and values.item() == (0 if call.startswith("arg") else 3.0)
    if not call.startswith("arg"):
        values.backward()
        assert x.grad.item() == 1.0 and out.indices.item() == 0
