"""``minitorch.autograd.Function`` (PyTorch's tensor-level custom ops), ``autograd.grad`` and
``autograd.backward``, against PyTorch."""
import numpy as np
import pytest
from hypothesis import given

import minitorch
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S


def make_functions(lib):
    """The same custom Functions written for ``lib`` (minitorch or torch), as a user would."""

    class ScaledCube(lib.autograd.Function):  # several inputs, a non-tensor argument
        @staticmethod
        def forward(ctx, x, w, k):
            ctx.save_for_backward(x, w)
            ctx.k = k
            return w * x ** k

        @staticmethod
        def backward(ctx, grad):
            x, w = ctx.saved_tensors
            gx = grad * w * ctx.k * x ** (ctx.k - 1) if ctx.needs_input_grad[0] else None
            gw = grad * x ** ctx.k if ctx.needs_input_grad[1] else None
            return gx, gw, None

    class SortWithIndex(lib.autograd.Function):  # two outputs, one of them non-differentiable
        @staticmethod
        def forward(ctx, x):
            values, index = x.sort()
            ctx.mark_non_differentiable(index)
            ctx.save_for_backward(index)
            return values, index

        @staticmethod
        def backward(ctx, grad_values, grad_index):
            (index,) = ctx.saved_tensors
            return lib.zeros_like(grad_values).scatter(0, index, grad_values)

    class SplitExp(lib.autograd.Function):  # two differentiable outputs, setup_context style
        @staticmethod
        def forward(x):
            return x.exp(), x * 3

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(output[0])

        @staticmethod
        def backward(ctx, grad_exp, grad_triple):
            (e,) = ctx.saved_tensors
            return grad_exp * e + grad_triple * 3

    return ScaledCube, SortWithIndex, SplitExp


ScaledCube, SortWithIndex, SplitExp = make_functions(minitorch)


def leaf(a):
    return minitorch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


@given(S.arrays(elements=S.grid(0.5, 2.0)))
def test_custom_function_gradcheck(a):
    x, w = leaf(a), leaf(a * 0.5 + 1.0)
    assert gradcheck(lambda x, w: ScaledCube.apply(x, w, 3), [x, w])
    assert gradcheck(lambda x: sum(o.sum() for o in SplitExp.apply(x)), [x])


def test_custom_functions_match_pytorch():
    torch = pytest.importorskip("torch")
    a, b = np.array([0.5, 1.5, 2.0]), np.array([3.0, -1.0, 2.0])
    results = []
    for lib in (minitorch, torch):
        cube, sort, split = make_functions(lib)
        x, w = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
        values, index = sort.apply(x * w)
        e, t = split.apply(x)
        loss = (cube.apply(x, w, 3) * values).sum() + (e * t).sum() + values[0]
        loss.backward()
        assert not index.requires_grad and index.dtype == lib.int64
        results.append([loss.item(), index.tolist(), x.grad.tolist(), w.grad.tolist()])
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12)
    assert results[0][1] == results[1][1]
    np.testing.assert_allclose(results[0][2:], results[1][2:], rtol=1e-12)


def test_needs_input_grad_and_grad_fn_name():
    seen = []

    class Spy(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y, flag):
            return x * y

        @staticmethod
        def backward(ctx, grad):
            seen.append(ctx.needs_input_grad)
            return grad, None, None

    x = leaf([1.0, 2.0])
    out = Spy.apply(x, minitorch.ones(2, dtype=minitorch.float64), True)
    assert repr(out.grad_fn).startswith("<SpyBackward object at 0x") and "grad_fn=<SpyBackward>" in repr(out)
    out.sum().backward()
    assert seen == [(True, False, False)] and x.grad.tolist() == [1.0, 1.0]
    with minitorch.no_grad():
        assert not Spy.apply(x, x, 0).requires_grad


def test_materialize_grads_off_gives_none_for_unused_outputs():
    received = []

    class Two(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            received.append(g2)
            return g1 * 2

    x = leaf([1.0])
    Two.apply(x)[0].sum().backward()
    assert received == [None] and x.grad.tolist() == [2.0]


def test_mark_dirty_moves_the_history_and_refuses_leaves():
    class Double_(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    x = leaf([1.0, 2.0])
    y = x * 1
    z = Double_.apply(y)
    assert z is y and z.tolist() == [2.0, 4.0]
    z.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        Double_.apply(leaf([1.0]))


def test_saved_tensor_modified_in_place_is_caught():
    x = leaf([1.0, 2.0])
    w = leaf([1.0, 1.0])
    y = ScaledCube.apply(x, w, 2)
    with minitorch.no_grad():
        w.add_(1.0)
    with pytest.raises(RuntimeError, match="ScaledCube.backward needs saved tensor 1"):
        y.sum().backward()


@pytest.mark.parametrize("returned, error, match", [
    ((), RuntimeError, "incorrect number of gradients"),
    ((1.0,), TypeError, "must return tensors"),
])
def test_bad_backward_returns_are_explained(returned, error, match):
    class Bad(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            return returned

    with pytest.raises(error, match=match):
        Bad.apply(leaf([1.0])).sum().backward()


def test_gradient_for_a_non_tensor_input_is_refused():
    class Bad(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    with pytest.raises(RuntimeError, match="position 2.*not a tensor"):
        Bad.apply(leaf([1.0]), 3).sum().backward()


def test_save_for_backward_takes_only_tensors():
    class Bad(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(3)
            return x

    with pytest.raises(TypeError, match="argument 0 is of type int"):
        Bad.apply(leaf([1.0]))


# ---------------------------------------------------------------- autograd.grad and backward
def test_grad_returns_gradients_without_touching_dot_grad():
    torch = pytest.importorskip("torch")
    a = np.array([0.5, -1.0, 2.0])
    ours, theirs = [], []
    for lib, out in ((minitorch, ours), (torch, theirs)):
        x = lib.tensor(a, requires_grad=True)
        h = x.tanh()
        loss = (h * x).sum()
        gx, gh = lib.autograd.grad(loss, [x, h], retain_graph=True)
        (gv,) = lib.autograd.grad(h, x, grad_outputs=lib.ones_like(h) * 2)
        assert x.grad is None
        out += [gx.tolist(), gh.tolist(), gv.tolist()]
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_grad_allow_unused_and_materialize():
    x, unused = leaf([1.0, 2.0]), leaf([3.0])
    with pytest.raises(RuntimeError, match="index 1 appears to not have been used.*allow_unused=True"):
        minitorch.autograd.grad((x * x).sum(), [x, unused], retain_graph=True)
    gx, gu = minitorch.autograd.grad((x * x).sum(), [x, unused], allow_unused=True, retain_graph=True)
    assert gx.tolist() == [2.0, 4.0] and gu is None
    _, gu = minitorch.autograd.grad((x * x).sum(), [x, unused], materialize_grads=True)
    assert gu.tolist() == [0.0]


def test_grad_errors_as_pytorch():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="scalar output"):
        minitorch.autograd.grad(x * 2, x)
    with pytest.raises(RuntimeError, match="does not require grad"):
        minitorch.autograd.grad((x * 2).sum(), minitorch.ones(1))
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad"):
        minitorch.autograd.grad(minitorch.ones(1).sum(), x)
    with pytest.raises(NotImplementedError, match="higher-order"):
        minitorch.autograd.grad((x * x).sum(), x, create_graph=True)


def test_backward_of_several_outputs_and_inputs():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    shared = x * w
    minitorch.autograd.backward([shared.sum(), (shared * 2).sum()])
    assert x.grad.tolist() == [9.0, 12.0] and w.grad.tolist() == [3.0, 6.0]
    x.grad = w.grad = None
    minitorch.autograd.backward((x * w).sum(), inputs=[w])
    assert x.grad is None and w.grad.tolist() == [1.0, 2.0]
    minitorch.autograd.backward(x * w, grad_tensors=minitorch.ones(2, dtype=minitorch.float64))
    assert x.grad.tolist() == [3.0, 4.0]


def test_a_second_backward_through_a_freed_node_says_so():
    x = leaf([1.0, 2.0])
    y = x.exp()
    y.sum().backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.sum().backward()


def test_grad_modes():
    x = leaf([1.0])
    with minitorch.inference_mode():
        assert not (x * 2).requires_grad and minitorch.is_inference_mode_enabled()
    with minitorch.inference_mode(False):
        assert (x * 2).requires_grad

    @minitorch.inference_mode()
    def f(t):
        return t * 2

    @minitorch.set_grad_enabled(False)
    def g(t):
        return t * 2

    @minitorch.no_grad
    def h(t):
        return t * 2

    assert minitorch.is_grad_enabled()  # decorating changed nothing
    assert not any(fn(x).requires_grad for fn in (f, g, h)) and minitorch.is_grad_enabled()
    minitorch.set_grad_enabled(False)
    assert not minitorch.is_grad_enabled()
    minitorch.set_grad_enabled(True)
    assert minitorch.autograd.gradcheck(lambda t: t * t, [x])
