"""Every in-place method ``x.<name>_(...)`` and PyTorch's top-level in-place functions
(``minitorch.sin_(x)``): same values and dtype as PyTorch's, the result is ``x`` itself."""
import numpy as np
import pytest

import minitorch
from minitorch import namespace
from minitorch.tensor_methods.inplace import _EXAMPLE_VALUES, IN_PLACE_FORMS, example_kind


def _example(lib, name):
    """x, y and the argument string of ``name``'s example, built with ``lib``."""
    x, y = eval(f"lib.tensor({_EXAMPLE_VALUES[example_kind(name)]}".replace("minitorch.", "lib."), {"lib": lib})
    return x, y, IN_PLACE_FORMS[name].replace("minitorch.", "lib.")


@pytest.mark.parametrize("name", sorted(IN_PLACE_FORMS))
def test_in_place_method_writes_the_out_of_place_value_into_self(name):
    x, y, args = _example(minitorch, name)
    expected = eval(f"x.{name}({args})", {"x": x, "y": y, "lib": minitorch})
    assert eval(f"x.{name}_({args})", {"x": x, "y": y, "lib": minitorch}) is x
    np.testing.assert_allclose(x.double().numpy(), expected.double().numpy(), equal_nan=True)


@pytest.mark.parametrize("name", sorted(IN_PLACE_FORMS))
def test_in_place_method_matches_torch(name):
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        x, y, args = _example(lib, name)
        try:
            eval(f"x.{name}_({args})", {"x": x, "y": y, "lib": lib})
        except RuntimeError as error:
            results.append(type(error))
        else:
            results.append((x.double().numpy(), str(x.dtype).split(".")[1]))
    if isinstance(results[1], tuple):
        assert results[0][1] == results[1][1]
        np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6, equal_nan=True)
    else:
        assert results[0] == results[1]


@pytest.mark.parametrize("name", namespace._IN_PLACE)
def test_top_level_in_place_function_is_the_method(name):
    x = minitorch.tensor([0.25, 0.5])
    args = {"clamp_": (0.3,), "clamp_max_": (0.3,), "clamp_min_": (0.3,), "clip_": (0.3,), "fill_": (2.0,),
            "gcd_": (minitorch.tensor([2, 4]),), "lcm_": (minitorch.tensor([2, 4]),), "ldexp_": (minitorch.tensor([1, 2]),),
            "xlogy_": (minitorch.tensor([2.0, 3.0]),), "index_put_": ((minitorch.tensor([1]),), minitorch.tensor([9.0])),
            "addmv_": (minitorch.eye(2), minitorch.tensor([1.0, 3.0]))}.get(name, ())
    if name in ("gcd_", "lcm_"):
        x = minitorch.tensor([6, 9])
    expected = getattr(x.clone(), name)(*args)
    assert getattr(minitorch, name)(x, *args) is x
    np.testing.assert_allclose(x.numpy(), expected.numpy())


def test_top_level_in_place_names_exist_in_torch():
    torch = pytest.importorskip("torch")
    assert [n for n in namespace._IN_PLACE if not hasattr(torch, n)] == []


def test_in_place_forms_in_the_graph_give_torchs_gradients():
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (minitorch, torch):
        w = lib.tensor([[0.5, -2.0], [1.5, 3.0]], requires_grad=True)
        z = w * 2
        z.clamp_min_(-1.0).tril_().cumsum_(0)
        z.sum().backward()
        (w * 3).clamp_max_(2.0).scatter_add_(0, lib.tensor([[1, 0]]), (w * w)[:1]).sum().backward()
        grads.append(w.grad.numpy().tolist())
    assert grads[0] == grads[1]
