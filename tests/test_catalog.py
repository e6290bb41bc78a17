"""The op catalog (``minitorch/functions/catalog/``) holds every surface to it, and drives the
shared op tests: forward against numpy, gradcheck in float64, against PyTorch (where installed),
and the ``cuda`` device (the simulator here) against the CPU, for every entry of the families
unary, binary, reduction and logical. A new entry in one of those families is tested by these
tests with no other edit; ops of family "other" keep their own tests in test_ops_*.py.
"""
import importlib
import inspect
import pkgutil

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.functions
import minitorch.nn.functional as F
from minitorch.autograd.function import Op
from minitorch.functions.catalog import OPS, case_inputs
from minitorch.functions.catalog.pointwise import TENSOR_OTHER
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

DOMAINS = {
    "any": None,
    "positive": S.grid(0.25, 4.0),
    "away_from_zero": st.one_of(S.grid(0.5, 4.0), S.grid(-4.0, -0.5)),
    "unit": S.grid(-0.9, 0.9, 1 / 64),  # inside (-1, 1): asin, acos, atanh (and tan, far from its poles)
    "above_one": S.grid(1.25, 4.0),  # acosh
    "positive_other": S.grid(0.25, 4.0),  # binary ops whose second operand must be positive: xlogy
}


def family(name):
    return [pytest.param(op, id=op.name) for op in OPS if op.family == name]


def torch_signature(op):
    """PyTorch's parameters for ``op``, read from the catalog's signature text."""
    return inspect.signature(eval(f"lambda {op.signature}: None"))  # noqa: S307  (the catalog's own text)


# ----------------------------------------------------------------- every surface
@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_each_op_has_its_surfaces(op):
    if op.method:
        assert callable(getattr(minitorch.Tensor, op.name, None)), f"Tensor.{op.name} is missing"
    if op.namespace:
        assert callable(getattr(minitorch, op.name, None)), f"minitorch.{op.name} is missing"
    if op.functional:
        assert callable(getattr(F, op.name, None)), f"minitorch.nn.functional.{op.name} is missing"
    if op.special:
        assert callable(getattr(minitorch.special, op.name, None)), f"minitorch.special.{op.name} is missing"
    if op.linalg:
        assert callable(_linalg_function(op)), f"minitorch.{op.name} is missing"
    assert op.method or op.namespace or op.functional or op.special or op.linalg, f"{op.name}: no surface at all"


def _linalg_function(op):
    """``minitorch.linalg.<name>`` of a catalog entry named "linalg.<name>" (None if missing)."""
    return getattr(minitorch.linalg, op.name.removeprefix("linalg."), None)


def _check_parameters(where, ours, theirs):
    """Our parameters use PyTorch's names, positional ones in PyTorch's order, PyTorch's defaults."""
    ours = [p for p in ours.parameters.values() if p.kind is not p.VAR_KEYWORD]
    theirs = dict(theirs.parameters)
    positional = [p.name for p in theirs.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
    for i, p in enumerate(ours):
        if p.kind is p.VAR_POSITIONAL:  # f(*sizes) takes what PyTorch passes positionally
            break
        assert p.name in theirs, f"{where}: parameter {p.name!r} is not PyTorch's (PyTorch has {list(theirs)})"
        if i < len(positional) and p.kind is p.POSITIONAL_OR_KEYWORD:
            assert p.name == positional[i], f"{where}: parameter {i} is {p.name!r}, PyTorch's is {positional[i]!r}"
        default = theirs[p.name].default
        if p.name != "dim" and default is not p.empty and p.default is not p.empty:
            assert p.default == default, f"{where}: {p.name}={p.default!r}, PyTorch's default is {default!r}"


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_each_surface_takes_pytorchs_parameters(op):
    theirs = torch_signature(op)
    if op.method:
        ours = inspect.signature(getattr(minitorch.Tensor, op.name))
        renamed = [p.replace(name="input") if p.name == "self" else p for p in ours.parameters.values()]
        _check_parameters(f"Tensor.{op.name}", ours.replace(parameters=renamed), theirs)
    for module, prefix, present in ((minitorch, "minitorch", op.namespace), (F, "F", op.functional),
                                    (minitorch.special, "minitorch.special", op.special)):
        if present:
            _check_parameters(f"{prefix}.{op.name}", inspect.signature(getattr(module, op.name)), theirs)
    if op.linalg:
        _check_parameters(f"minitorch.{op.name}", inspect.signature(_linalg_function(op)), theirs)


def _function_classes():
    """Every concrete Op subclass defined in minitorch.functions (bases with subclasses excluded)."""
    for info in pkgutil.iter_modules(minitorch.functions.__path__):
        importlib.import_module(f"minitorch.functions.{info.name}")
    found, todo = set(), list(Op.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        named = "_op_class" in vars(cls)  # an op class shown under PyTorch's name (autograd/names.py), not an op
        if cls.__module__.startswith("minitorch.functions.") and not named and not [
                c for c in cls.__subclasses__() if "_op_class" not in vars(c)]:
            found.add(cls)
    return found


def test_every_function_class_is_in_the_catalog():
    listed = {cls for op in OPS for cls in op.functions}
    missing = sorted(cls.__name__ for cls in _function_classes() - listed)
    assert not missing, f"Op classes with no catalog entry: {missing}"


def test_the_catalog_names_each_op_once_and_exports_its_functions():
    names = [op.name for op in OPS]
    assert len(names) == len(set(names))
    exported = {getattr(minitorch.functions, n) for n in minitorch.functions.__all__}
    assert {cls for op in OPS for cls in op.functions} <= exported


# ------------------------------------------------- the shared tests of each family
def _torch():
    return pytest.importorskip("torch")


def _same_as_torch(name, arrays, call):
    """``call(lib_function, *tensors)`` in minitorch and PyTorch: same values, same gradients."""
    torch = _torch()
    outs, grads = [], []
    for lib in (minitorch, torch):
        inputs = [lib.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
        out = call(getattr(lib, name), *inputs)
        if out.dtype in (lib.float64,) and out.requires_grad:
            out.sum().backward()
        outs.append(out.detach().numpy())
        grads.append([None if t.grad is None else t.grad.numpy() for t in inputs])
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-10, atol=1e-12)
    assert outs[0].dtype == outs[1].dtype
    for ours, theirs in zip(*grads):
        assert (ours is None) == (theirs is None)
        if ours is not None:
            np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def _same_on_cuda(call, *tensors):
    """The op on the ``cuda`` device (the simulator here) gives the CPU's values."""
    on_cpu = call(*tensors)
    on_cuda = call(*(t.detach().to("cuda") for t in tensors))
    assert on_cuda.device == "cuda"
    np.testing.assert_allclose(on_cuda.cpu().numpy(), on_cpu.detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("op", family("unary"))
@given(data=st.data())
def test_unary(op, data):
    a = data.draw(S.arrays(elements=DOMAINS[op.domain]))
    x = minitorch.tensor(a, requires_grad=True)
    np.testing.assert_allclose(getattr(x, op.name)().detach().numpy(), op.numpy(a), rtol=1e-12, atol=1e-12)
    assert getattr(minitorch.tensor(a, dtype=minitorch.float32), op.name)().dtype == minitorch.float32
    assert gradcheck(lambda t: getattr(t, op.name)(), [x])
    _same_on_cuda(lambda t: getattr(minitorch, op.name)(t), x)


@pytest.mark.parametrize("op", family("unary"))
def test_unary_same_as_pytorch(op):
    rng = np.random.default_rng(0)
    a = rng.uniform(0.5, 2.0, (3, 4)) if op.domain != "any" else rng.standard_normal((3, 4))
    _same_as_torch(op.name, [a], lambda f, x: f(x))


@pytest.mark.parametrize("op", family("binary"))
@given(data=st.data())
def test_binary(op, data):
    shape_a, shape_b = data.draw(S.broadcastable_shape_pairs())
    a = data.draw(S.arrays(shape_a, elements=DOMAINS["positive"] if op.domain == "positive" else None))
    b = data.draw(S.arrays(shape_b, elements=DOMAINS[op.domain] if op.domain != "positive" else S.grid(-2, 2)))
    x, y = minitorch.tensor(a, requires_grad=True), minitorch.tensor(b, requires_grad=True)
    np.testing.assert_allclose(getattr(x, op.name)(y).detach().numpy(), op.numpy(a, b), rtol=1e-12, atol=1e-12)
    number = minitorch.tensor(2.5, dtype=minitorch.float64) if op.name in TENSOR_OTHER else 2.5
    np.testing.assert_allclose(getattr(minitorch, op.name)(x, number).detach().numpy(), op.numpy(a, 2.5), rtol=1e-12)
    assert gradcheck(lambda s, t: getattr(s, op.name)(t), [x, y])
    _same_on_cuda(lambda s, t: getattr(minitorch, op.name)(s, t), x, y)


@pytest.mark.parametrize("op", family("binary"))
@pytest.mark.parametrize("shapes", [((3, 4), (4,)), ((2, 1, 3), (4, 1)), ((), (3,)), ((2,), (3, 2))])
def test_binary_same_as_pytorch(op, shapes):
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.5, 2.0, shapes[0]), rng.uniform(0.5, 2.0, shapes[1])
    _same_as_torch(op.name, [a, b], lambda f, x, y: f(x, y))


@pytest.mark.parametrize("op", family("reduction"))
@given(data=st.data())
def test_reduction(op, data):
    shape = data.draw(S.shapes())
    a = data.draw(S.arrays(shape))
    dim, keepdim = data.draw(S.reduction_dims(shape)), data.draw(st.booleans())
    x = minitorch.tensor(a, requires_grad=True)
    out = getattr(x, op.name)(dim, keepdim)
    axis = None if a.ndim == 0 or dim is None else dim if isinstance(dim, int) else tuple(dim)  # 0-d: dim 0 is all
    np.testing.assert_allclose(out.detach().numpy(), op.numpy(a, axis=axis, keepdims=keepdim), rtol=1e-12, atol=1e-12)
    assert gradcheck(lambda t: getattr(t, op.name)(dim, keepdim), [x])
    _same_on_cuda(lambda t: getattr(minitorch, op.name)(t, dim, keepdim), x)


@pytest.mark.parametrize("op", family("reduction"))
@pytest.mark.parametrize("dim, keepdim", [(None, False), (1, True), ((0, 2), False), (-1, False)])
def test_reduction_same_as_pytorch(op, dim, keepdim):
    a = np.random.default_rng(1).standard_normal((2, 3, 4))
    if dim is None:
        _same_as_torch(op.name, [a], lambda f, x: f(x))
    else:
        _same_as_torch(op.name, [a], lambda f, x: f(x, dim, keepdim))


def _logical_arrays(data, op, shape):
    if op.domain == "bool":
        return data.draw(S.arrays(shape, dtype=np.bool_, elements=st.booleans(), unique=False))
    values = st.sampled_from([-1.5, 0.0, 0.5, 2.0, np.nan, np.inf]) if op.name.startswith("is") else S.grid(-2, 2)
    return data.draw(S.arrays(shape, elements=values, unique=False))


@pytest.mark.parametrize("op", family("logical"))
@given(data=st.data())
def test_logical(op, data):
    arity = len(torch_signature(op).parameters)
    shapes = data.draw(S.broadcastable_shape_pairs()) if arity == 2 else (data.draw(S.shapes()),)
    arrays = [_logical_arrays(data, op, shape) for shape in shapes]
    inputs = [minitorch.tensor(a) for a in arrays]
    if inputs[0].is_floating_point():
        inputs[0].requires_grad_()
    out = getattr(inputs[0], op.name)(*inputs[1:])
    assert out.dtype == minitorch.bool and not out.requires_grad and out.grad_fn is None
    np.testing.assert_array_equal(out.numpy(), op.numpy(*arrays))
    _same_on_cuda(lambda *ts: getattr(minitorch, op.name)(*ts), *inputs)


@pytest.mark.parametrize("op", family("logical"))
def test_logical_same_as_pytorch(op):
    arity = len(torch_signature(op).parameters)
    if op.domain == "bool":
        arrays = [np.array([[True, False, True], [False, False, True]]), np.array([True, False, False])]
    else:
        arrays = [np.array([[1.0, np.nan, -np.inf], [0.5, 2.0, 0.0]]), np.array([0.5, np.nan, -np.inf])]
    _same_as_torch(op.name, arrays[:arity], lambda f, *ts: f(*ts))


# --------------------------------------------------- family "other": the entries' Case calls
CASES = [pytest.param(op, case, id=f"{op.name}-{i}") for op in OPS for i, case in enumerate(op.cases)]


def _outputs(out):
    return [o for o in (out if isinstance(out, (tuple, list)) else (out,))]


def test_every_op_of_family_other_lists_cases():
    missing = [op.name for op in OPS if op.family == "other" and not op.cases]
    assert not missing, f"ops of family 'other' without Case calls in the catalog: {missing}"


@pytest.mark.parametrize("op, case", CASES)
def test_case_gradcheck_and_cuda(op, case):
    inputs = [minitorch.tensor(a, requires_grad=True) for a in case_inputs(case)]
    outs = _outputs(case.call(minitorch, *inputs))
    differentiable = [i for i, o in enumerate(outs) if o.requires_grad]  # (gradcheck calls back under no_grad)
    if differentiable:
        sum(outs[i].sum() for i in differentiable).backward()
        reached = [k for k, t in enumerate(inputs) if t.grad is not None]  # not those a case detaches or rounds

        def call(*varied):
            given = [t.detach() for t in inputs]
            for k, t in zip(reached, varied):
                given[k] = t
            return [_outputs(case.call(minitorch, *given))[i] for i in differentiable]

        assert gradcheck(call, [inputs[k] for k in reached])
    on_cuda = _outputs(case.call(minitorch, *(t.detach().to("cuda") for t in inputs)))
    for ours, theirs in zip(on_cuda, outs):
        assert ours.device == "cuda" and ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours.cpu().numpy(), theirs.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("op, case", CASES)
def test_case_same_as_pytorch(op, case):
    torch = _torch()
    arrays = case_inputs(case)
    results = []
    for lib in (minitorch, torch):
        inputs = [lib.tensor(a, requires_grad=True) for a in arrays]
        outs = _outputs(case.call(lib, *inputs))
        weights = np.random.default_rng(1)
        loss = sum((o * lib.tensor(weights.standard_normal(tuple(o.shape)))).sum() for o in outs if o.requires_grad)
        if not isinstance(loss, int):
            loss.backward()
        results.append(([o.detach().numpy() for o in outs], [None if t.grad is None else t.grad.numpy() for t in inputs]))
    (ours, our_grads), (theirs, their_grads) = results
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    for k, (g, h) in enumerate(zip(our_grads, their_grads)):
        assert (g is None) == (h is None), f"input {k}: gradient present in one library only"
        if g is not None:
            np.testing.assert_allclose(g, h, rtol=1e-9, atol=1e-12, err_msg=f"gradient of input {k}")
