"""Every Tensor method that PyTorch has too takes PyTorch's keyword names (issue 13).

PyTorch's names come from what it accepts, not from its docs (which sometimes differ: ``Tensor.mul``'s
page says ``value``, the method takes ``other``): the Python signature of the methods written in
Python (``backward``, ``split``, ...) and the ATen schemas (``aten::flip(Tensor self, int[] dims)``)
of the others. Two checks: each keyword we accept is one of PyTorch's, and each keyword that every
one of PyTorch's overloads takes is one of ours (so ``x.flip(dims=0)`` runs in both). ``KNOWN``
lists the differences kept, with the reason. The rest of the file tests the keyword forms and the
other fixes of the issue's remainder against PyTorch.
"""
import inspect

import numpy as np
import pytest

import minitorch

#: Names no method needs to accept: PyTorch's layouts and pinned memory do not exist here.
IGNORED = {"memory_format", "out", "layout", "pin_memory"}

#: method -> (keywords of ours PyTorch lacks, keywords of PyTorch's we lack): the reason for each.
KNOWN = {
    # the schema names an overload; the Python binding takes indices_or_sections (torch.hsplit's docs)
    "hsplit": ({"indices_or_sections"}, set()),
    "vsplit": ({"indices_or_sections"}, set()),
    "dsplit": ({"indices_or_sections"}, set()),
    "tensor_split": ({"indices_or_sections"}, set()),
    # the Python binding takes these, the ATen schema does not list them
    "nonzero": ({"as_tuple"}, set()),
    "new_empty": ({"requires_grad"}, set()),
    "new_ones": ({"requires_grad"}, set()),
    "new_zeros": ({"requires_grad"}, set()),
    "new_full": ({"requires_grad"}, set()),
    "new_empty_strided": ({"requires_grad"}, set()),
    "cuda": ({"device"}, set()),
    # `from` and `to` are Python keywords: minitorch names them a and b (positional calls agree)
    "uniform_": ({"a", "b"}, {"from", "to"}),
    # the catalog follows torch.broadcast_to's documented `shape`; the binding takes `size`
    "broadcast_to": ({"shape"}, {"size"}),
    # raising when two orders fit (size-1 dims) is not implemented
    "dim_order": (set(), {"ambiguity_check"}),
    # an internal flag of PyTorch's tracer
    "expand": (set(), {"implicit"}),
}


def _torch_keywords(torch, name):
    """The keyword names each of PyTorch's overloads of ``Tensor.<name>`` takes, or None if unknown."""
    try:
        signature = inspect.signature(getattr(torch.Tensor, name))
    except (TypeError, ValueError):  # a C method: read its ATen schemas
        schemas = [s for s in torch._C._jit_get_schemas_for_operator(f"aten::{name}")
                   if "out" not in [a.name for a in s.arguments]]
        return [{a.name for a in s.arguments} - {"self"} for s in schemas] or None
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [{p.name for p in signature.parameters.values() if p.kind in kinds} - {"self"}]


def _method_names():
    return sorted(n for n in dir(minitorch.Tensor) if not n.startswith("_")
                  and callable(getattr(minitorch.Tensor, n))
                  and not isinstance(inspect.getattr_static(minitorch.Tensor, n), property))


def test_every_method_takes_pytorchs_keyword_names():
    torch = pytest.importorskip("torch")
    checked, wrong = 0, []
    for name in _method_names():
        theirs = _torch_keywords(torch, name) if hasattr(torch.Tensor, name) else None
        if not theirs:
            continue
        checked += 1
        parameters = inspect.signature(getattr(minitorch.Tensor, name)).parameters.values()
        kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        ours = {p.name for p in parameters if p.kind in kinds} - {"self"}
        extra_ok, missing_ok = KNOWN.get(name, (set(), set()))
        extra = ours - set().union(*theirs) - IGNORED - extra_ok
        missing = set() if any(p.kind is p.VAR_KEYWORD for p in parameters) else (
            set.intersection(*theirs) - ours - IGNORED - missing_ok)
        if extra or missing:
            wrong.append(f"Tensor.{name}: not PyTorch's {sorted(extra)}, PyTorch's missing {sorted(missing)}")
    assert checked > 300
    assert not wrong, "\n".join(wrong)


def test_known_differences_are_still_there():
    """A KNOWN entry goes once the method agrees (or torch no longer has the method)."""
    torch = pytest.importorskip("torch")
    for name, (extra, missing) in KNOWN.items():
        theirs = set().union(*_torch_keywords(torch, name))
        ours = set(inspect.signature(getattr(minitorch.Tensor, name)).parameters)
        assert extra <= ours - theirs and missing <= theirs - ours, name


@pytest.mark.parametrize("call", [
    lambda m, x: x.flip(dims=(0,)), lambda m, x: x.flip(0, 1), lambda m, x: x.flip([1]),
    lambda m, x: x.permute(dims=(1, 0)), lambda m, x: x.reshape(shape=(3, 2)), lambda m, x: x.reshape(6),
    lambda m, x: x.view(size=(3, 2)), lambda m, x: x.view(dtype=m.int32), lambda m, x: x.repeat(repeats=(2, 1)),
    lambda m, x: x.expand(size=(2, 2, 3)), lambda m, x: x.new_ones(size=(2,)), lambda m, x: x.new_zeros(size=[1, 2]),
    lambda m, x: x.new_empty(size=(0,)), lambda m, x: x.softmax(0, dtype=m.float64),
    lambda m, x: x.log_softmax(dim=1, dtype=m.float64), lambda m, x: x.to(m.float64, copy=True),
    lambda m, x: x.to(copy=True), lambda m, x: x.to("cpu", non_blocking=True),
])
def test_keyword_forms_give_pytorchs_result(call):
    torch = pytest.importorskip("torch")
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    ours, theirs = call(minitorch, minitorch.tensor(a)), call(torch, torch.tensor(a))
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_a_size_given_both_ways_is_refused():
    with pytest.raises(TypeError, match="reshape: give shape positionally or as shape="):
        minitorch.ones(2, 3).reshape(6, shape=(6,))


def test_to_copy_gives_a_new_tensor_with_gradient():
    x = minitorch.ones(2, requires_grad=True)
    y = x.to(copy=True)
    assert y is not x and x.to() is x
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


# ------------------------------------------------------- the reported divergences, against PyTorch
def _error(fn, lib):
    try:
        fn(lib)
    except Exception as e:  # the point: compare the classes both raise
        return e
    return None


@pytest.mark.parametrize("fn", [
    lambda m: m.ones(2).to("tpu"), lambda m: m.ones(2).to(device="tpu"), lambda m: m.nn.Linear(2, 2).to("tpu"),
    lambda m: m.ones(2).to("float128"), lambda m: m.ones(2).to("not_a_dtype"),  # strings name devices there
    lambda m: m.ones(2, 3).narrow(1, -5, 1), lambda m: m.ones(2, 3).narrow(1, 4, 1),
    lambda m: m.ones(2, 3).narrow(1, 1, 5), lambda m: m.ones(2, 3).narrow(1, 1, -1),
    lambda m: m.nn.Embedding(-1, 2), lambda m: m.nn.Embedding(2, -1), lambda m: m.nn.EmbeddingBag(-1, 2),
    lambda m: m.nn.Linear(2, 2).load_state_dict({"weight": [[1.0, 2.0], [3.0, 4.0]], "bias": [1.0, 2.0]}),
    lambda m: m.nn.Linear(2, 2).load_state_dict({"weight": m.ones(2, 2), "bias": 1.0}),
    lambda m: m.tensor([True, False]).clamp(min=True), lambda m: m.tensor([True, False]).clamp_(max=False),
    *[(lambda n: lambda m: getattr(m, n)(m.ones(2), 2.5))(n)
      for n in ("maximum", "minimum", "fmax", "fmin", "atan2", "arctan2", "hypot", "logaddexp")],
    lambda m: m.ones(2).maximum(1),
])
def test_refused_with_pytorchs_class(fn):
    torch = pytest.importorskip("torch")
    ours, theirs = _error(fn, minitorch), _error(fn, torch)
    assert theirs is not None and ours is not None, (ours, theirs)
    assert isinstance(ours, type(theirs)), (ours, theirs)
    assert len(str(ours).split(":")[0]) < 40, f"the message names the op first: {ours}"


@pytest.mark.parametrize("fn", [
    lambda m: m.ones(2, 3).narrow(1, -3, 1), lambda m: m.ones(2, 3).narrow(1, 3, 0),
    lambda m: m.nn.Embedding(0, 2).weight, lambda m: m.nn.Embedding(2, 0)(m.tensor([1])),
    lambda m: m.tensor([True, False]) ** True, lambda m: m.tensor([True, False]) ** False,
    lambda m: m.tensor([True, False]).pow(True), lambda m: m.tensor(True).clone().pow_(False),
    lambda m: m.tensor([True, False]).clamp(min=m.tensor(True)), lambda m: m.tensor([True, False]).clamp(min=1),
])
def test_computed_as_pytorch(fn):
    torch = pytest.importorskip("torch")
    ours, theirs = fn(minitorch), fn(torch)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())


def _clamp_grads(lib, x, lo, hi):
    x, lo, hi = (None if a is None else lib.tensor(a, requires_grad=True) for a in (x, lo, hi))
    x.clamp(lo, hi).sum().backward()
    return [None if a is None else a.grad.numpy() for a in (x, lo, hi)]


@pytest.mark.parametrize("lo, hi", [
    ([0.5, 0.5, 0.5, 0.5, 2.0], [1.5, 1.5, 1.5, 1.5, 1.0]),  # ties at both bounds, and lo > hi
    ([0.5, 0.5, 0.5, 0.5, 2.0], None), (None, [1.5, 1.5, 1.5, 1.0, 1.0]),
    ([[0.5], [1.0]], None),  # bounds that broadcast the input
])
def test_clamp_passes_gradients_to_tensor_bounds_as_pytorch(lo, hi):
    torch = pytest.importorskip("torch")
    x = [0.0, 1.0, 2.0, 0.5, 1.5]
    x = [x[:3]] if lo is not None and np.ndim(lo) == 2 else x
    for ours, theirs in zip(_clamp_grads(minitorch, x, lo, hi), _clamp_grads(torch, x, lo, hi)):
        np.testing.assert_array_equal(ours, theirs)


def test_clamp_bounds_gradcheck():
    from minitorch.testing import gradcheck

    rng = np.random.default_rng(0)
    x, lo, hi = (minitorch.tensor(rng.uniform(a, b, (3, 4)), requires_grad=True)
                 for a, b in ((-2, 2), (-1.9, -0.1), (0.1, 1.9)))
    assert gradcheck(lambda s, a, b: s.clamp(a, b), [x, lo, hi])


# ------------------------------------------------------------------ the ops added (issue 13, part 3)
@pytest.mark.parametrize("fn", [
    lambda m: m.gcd(m.tensor([12, -18, 0, 7]), m.tensor([8, 12, 0, 0])),
    lambda m: m.tensor([4, -6, 0], dtype=m.int16).lcm(m.tensor([6, 4, 5], dtype=m.int8)),
    lambda m: m.logaddexp2(m.tensor([0.0, 1000.0, -3.0]), m.tensor([0.0, 1000.0, 2.0], dtype=m.float64)),
    lambda m: m.logaddexp2(m.tensor([1, 2]), m.tensor([0.5, 1.5])),
    lambda m: m.ldexp(m.tensor([1, 3]), m.tensor([3, -1])), lambda m: m.tensor([True, False]).ldexp(m.tensor([2, 2])),
    lambda m: m.nextafter(m.tensor([1.0, 2.0, 0.0]), m.tensor([2.0, 2.0, -1.0])),
    lambda m: m.nextafter(m.tensor([1.0], dtype=m.float64), m.tensor([2])),
    lambda m: m.rsub(m.tensor([1, 2]), 5), lambda m: m.rsub(m.tensor([1.0, 2.0]), m.tensor([3.0]), alpha=2),
    lambda m: m.tensor([[3.0, 4.0], [0.3, 0.4]]).renorm(2, 0, 1.0), lambda m: m.ones(2, 3).renorm(1, 1, 1.5),
    lambda m: m.zeros(2, 3).index_put((m.tensor([0, 1]), m.tensor([2, 0])), m.tensor([1.0, 2.0])),
    lambda m: m.zeros(3).index_put((m.tensor([True, False, True]),), m.tensor(5.0)),
    lambda m: m.zeros(3, dtype=m.int64).index_put((m.tensor([0, 0, 2]),), m.tensor(1), accumulate=True),
])
def test_added_op_as_pytorch(fn):
    torch = pytest.importorskip("torch")
    ours, theirs = fn(minitorch), fn(torch)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6)


@pytest.mark.parametrize("fn", [
    lambda m: m.gcd(m.ones(2), m.ones(2)), lambda m: m.gcd(m.tensor([True]), m.tensor([True])),
    lambda m: m.gcd(m.tensor([4]), 2), lambda m: m.lcm(m.tensor([4]), 2.5),
    lambda m: m.logaddexp2(m.tensor([1]), m.tensor([2])), lambda m: m.logaddexp2(m.ones(2), 1.0),
    lambda m: m.nextafter(m.tensor([1]), m.tensor([2])), lambda m: m.ldexp(m.ones(2), 2),
    lambda m: m.ones(3).renorm(2, 0, 1.0), lambda m: m.ones(2, 2).renorm(-1, 0, 1.0),
    lambda m: m.ones(2, 2).renorm(2, 0, -1.0), lambda m: m.ones(2, 2).renorm(2, 2, 1.0),
    lambda m: m.ones(2, 2, dtype=m.int64).renorm(2, 0, 1.0),
    lambda m: m.zeros(3).index_put((m.tensor([5]),), m.tensor(1.0)),
    lambda m: m.zeros(3).index_put((m.tensor([0.0]),), m.tensor(1.0)),
    lambda m: m.zeros(3).index_put(m.tensor([0]), m.tensor(1.0)),
    lambda m: m.zeros(3).index_put((m.tensor([0]),), 1.0),
    lambda m: m.zeros(3).index_put((m.tensor([0]),), m.tensor(1.0, dtype=m.float64)),
    lambda m: m.zeros(3).index_put((m.tensor([0]), m.tensor([0])), m.tensor(1.0)),
])
def test_added_op_refuses_as_pytorch(fn):
    torch = pytest.importorskip("torch")
    ours, theirs = _error(fn, minitorch), _error(fn, torch)
    assert theirs is not None and ours is not None, (ours, theirs)
    # PyTorch's NotImplementedError ("... not implemented for 'Long'") is an accident of its kernels
    alike = (RuntimeError, TypeError) if isinstance(theirs, NotImplementedError) else type(theirs)
    assert isinstance(ours, alike), (ours, theirs)
    assert str(ours).split(":")[0] in {"gcd", "lcm", "logaddexp2", "nextafter", "ldexp", "renorm", "index_put"}, ours


@pytest.mark.parametrize("fn", [
    lambda m, x, y: x.nextafter(y), lambda m, x, y: x.renorm(2, 1, 0.5) * y,
    lambda m, x, y: x.index_put((m.tensor([0, 0, 1]),), y[:3].reshape(3, 1), accumulate=True),
    lambda m, x, y: x.index_put((m.tensor([1]), m.tensor([2])), y[0]),
    lambda m, x, y: m.rsub(x, y, alpha=0.5), lambda m, x, y: x.ldexp(y),
])
def test_added_op_gradients_as_pytorch(fn):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2, 4)), rng.standard_normal((4,))
    grads = []
    for lib in (minitorch, torch):
        x, y = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
        (fn(lib, x, y) * lib.tensor(np.arange(8.0).reshape(2, 4))).sum().backward()
        grads.append([x.grad.numpy(), y.grad.numpy()])
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)


def test_index_put_refuses_backward_after_its_index_changes():
    x, index = minitorch.zeros(3, requires_grad=True), minitorch.tensor([0, 2])
    y = x.index_put((index,), minitorch.tensor([1.0, 2.0]))
    index[0] = 1
    with pytest.raises(RuntimeError, match="its index as it was in forward"):
        y.sum().backward()
