"""The names of the API coverage list added or made PyTorch's by the "differs/missing" part of
issue 12: behaviour against PyTorch's, gradchecks for what is differentiable."""
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.nn.functional as F
from minitorch.testing import gradcheck
from minitorch.testing import strategies as mst


def _same(ours, theirs, tol=1e-6):
    np.testing.assert_allclose(np.asarray(ours.detach().numpy(), dtype=float),
                               np.asarray(theirs.detach().numpy(), dtype=float), rtol=tol, atol=tol)


def _pair(torch, values, requires_grad=True):
    values = np.asarray(values, dtype=np.float64)
    return (minitorch.tensor(values, requires_grad=requires_grad),
            torch.tensor(values, requires_grad=requires_grad))


# ----------------------------------------------------------------- gradient hooks, backward(inputs=)
def test_hooks_see_and_replace_gradients_on_leaves_and_non_leaves():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    seen = []
    y.register_hook(lambda g: seen.append(g.tolist()) or g * 2)
    handle = x.register_hook(lambda g: g + 1)
    (y * y).sum().backward()
    assert seen == [[6.0, 12.0]] and x.grad.tolist() == [37.0, 73.0]
    handle.remove()
    x.grad = None
    (x * 3 * x).sum().backward()
    assert x.grad.tolist() == [6.0, 12.0]


def test_hooks_match_torch():
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (minitorch, torch):
        x = lib.tensor([1.0, -2.0, 0.5], requires_grad=True)
        y = x.exp()
        y.retain_grad()
        y.register_hook(lambda g: g * 0.5)
        x.register_hook(lambda g: g.clamp(max=1.0))
        (y * x).sum().backward()
        grads.append((x.grad.tolist(), y.grad.tolist()))
    np.testing.assert_allclose(grads[0][0], grads[1][0])
    np.testing.assert_allclose(grads[0][1], grads[1][1])


def test_hook_errors():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        minitorch.ones(2).register_hook(lambda g: g)
    x = minitorch.ones(2, requires_grad=True)
    x.register_hook(lambda g: minitorch.ones(3))
    with pytest.raises(RuntimeError, match="register_hook"):
        x.sum().backward()


def test_backward_inputs_only_fills_those():
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], requires_grad=True)
        c = a * b
        (c * a).sum().backward(inputs=[b, c])
        results.append((a.grad, b.grad.tolist(), c.grad.tolist()))
    assert results[0][0] is None and results[1][0] is None
    assert results[0][1:] == results[1][1:]


def test_detach_pin_share():
    y = minitorch.ones(2, requires_grad=True) * 2
    assert y.detach_() is y and not y.requires_grad and y.grad_fn is None
    assert y.pin_memory() is y and y.share_memory_() is y


# ------------------------------------------------------------------------------- autograd odds
def test_grad_mode_signatures_and_decorators():
    @minitorch.no_grad
    def f():
        return minitorch.is_grad_enabled()

    @minitorch.enable_grad()
    def g():
        return minitorch.is_grad_enabled()

    assert f() is False
    with minitorch.no_grad():
        assert g() is True
    with pytest.raises(TypeError):
        minitorch.no_grad(1, 2)
    with minitorch.autograd.detect_anomaly(check_nan=True):
        pass
    minitorch.autograd.set_detect_anomaly(False, check_nan=True)


def test_variable_function_ctx_once_differentiable():
    from minitorch.autograd import Variable
    v = Variable(minitorch.ones(2), requires_grad=True)
    assert isinstance(v, minitorch.Tensor) and v.requires_grad and isinstance(v, Variable)
    assert minitorch.autograd.function.FunctionCtx is minitorch.autograd.FunctionCtx
    fn = lambda ctx, g: g  # noqa: E731
    assert minitorch.autograd.function.once_differentiable(fn) is fn
    with pytest.raises(TypeError, match="Variable data"):
        Variable([1.0])


def test_autograd_gradcheck_pytorch_signature():
    x = minitorch.tensor([0.3, -1.2], dtype=minitorch.float64, requires_grad=True)
    assert minitorch.autograd.gradcheck(lambda t: (t ** 3).sum(), (x,), eps=1e-6, fast_mode=True)
    assert minitorch.autograd.gradcheck(lambda t: t.sin(), x)


def test_functional_jacobian_vjp_jvp_match_torch():
    torch = pytest.importorskip("torch")
    a, b = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -1.0], [2.0, 3.0]])

    def f(lib):
        return lambda x, y: ((x * y).sum(0).exp(), x.tanh())

    ours = minitorch.autograd.functional
    theirs = torch.autograd.functional
    m_in = (minitorch.tensor(a), minitorch.tensor(b))
    t_in = (torch.tensor(a), torch.tensor(b))
    for row_m, row_t in zip(ours.jacobian(f(minitorch), m_in), theirs.jacobian(f(torch), t_in)):
        for m, t in zip(row_m, row_t):
            _same(m, t)
    single_m = ours.jacobian(lambda x: x ** 2, minitorch.tensor(a[0]))
    _same(single_m, theirs.jacobian(lambda x: x ** 2, torch.tensor(a[0])))
    v = (np.array([1.0, -1.0]), np.ones((2, 2)))
    out_m, vjp_m = ours.vjp(f(minitorch), m_in, tuple(minitorch.tensor(x) for x in v))
    out_t, vjp_t = theirs.vjp(f(torch), t_in, tuple(torch.tensor(x) for x in v))
    for m, t in zip((*out_m, *vjp_m), (*out_t, *vjp_t)):
        _same(m, t)
    out_m, jvp_m = ours.jvp(f(minitorch), m_in, m_in)
    out_t, jvp_t = theirs.jvp(f(torch), t_in, t_in)
    for m, t in zip((*out_m, *jvp_m), (*out_t, *jvp_t)):
        _same(m, t)
    with pytest.raises(NotImplementedError, match="double backward"):
        ours.hessian(lambda x: (x ** 3).sum(), minitorch.tensor(a))


# ------------------------------------------------------------------------ torch.* names
def test_constants_numel_equal_legacy_types():
    torch = pytest.importorskip("torch")
    for name in ("pi", "e", "inf", "nan"):
        np.testing.assert_equal(getattr(minitorch, name), getattr(torch, name))
    assert minitorch.numel(minitorch.zeros(2, 3)) == 6
    assert minitorch.equal(minitorch.tensor([1, 2]), minitorch.tensor([1.0, 2.0]))
    assert not minitorch.equal(minitorch.tensor([1, 2]), minitorch.tensor([1, 2, 3]))
    for name in ("FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ByteTensor", "BoolTensor"):
        ours, theirs = getattr(minitorch, name)([1, 0]), getattr(torch, name)([1, 0])
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        assert ours.tolist() == theirs.tolist() and isinstance(ours, getattr(minitorch, name))
    assert minitorch.FloatTensor(2, 3).shape == (2, 3) and not isinstance(minitorch.ones(1), minitorch.LongTensor)


@pytest.mark.parametrize("row,col,offset", [(3, 3, 0), (3, 4, -1), (4, 2, 1), (2, 5, 3), (0, 3, 0)])
def test_tril_triu_indices(row, col, offset):
    torch = pytest.importorskip("torch")
    for name in ("tril_indices", "triu_indices"):
        ours, theirs = getattr(minitorch, name)(row, col, offset), getattr(torch, name)(row, col, offset)
        assert ours.tolist() == theirs.tolist() and ours.dtype == minitorch.int64


def test_split_norm_einsum_signatures():
    torch = pytest.importorskip("torch")
    m, t = _pair(torch, np.arange(12.0).reshape(3, 4))
    assert [p.tolist() for p in minitorch.split(tensor=m, split_size_or_sections=[1, 3], dim=1)] == \
        [p.tolist() for p in torch.split(t, [1, 3], 1)]
    assert [p.shape for p in m.split(split_size=2)] == [p.shape for p in t.split(2)]
    out = minitorch.empty(0, dtype=minitorch.float64)
    assert minitorch.norm(m, 1, dim=1, out=out) is out
    _same(out, torch.norm(t, 1, dim=1))
    _same(minitorch.einsum("ij->j", m), torch.einsum("ij->j", t))


_OTHER_SHAPES = {2: (3, 4, 2), 1: (4, 2), 0: (2,), (1, 0): (2, 2, 3), (2, 0): (4, 3)}


@given(mst.tensors(shape=(2, 3, 4)), st.sampled_from([2, 1, 0, (1, 0), (2, 0)]))
def test_tensordot_gradcheck(x, dims):
    other = minitorch.tensor(np.linspace(-1, 1, int(np.prod(_OTHER_SHAPES[dims]))).reshape(_OTHER_SHAPES[dims]),
                             dtype=minitorch.float64, requires_grad=True)
    pairs = dims if isinstance(dims, int) else ([dims[0]], [dims[1]])
    if dims == (1, 0):
        pairs = ([1, 0], [2, 0])
    assert gradcheck(lambda a, b: minitorch.tensordot(a, b, pairs), (x, other), mode="random")


def test_tensordot_cdist_match_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((3, 4, 5))
    (ma, ta), (mb, tb) = _pair(torch, a), _pair(torch, b)
    for dims in (2, 1, 0, ([1, 2], [0, 1]), ([0], [2])):
        if dims == ([0], [2]):
            mb2, tb2 = _pair(torch, rng.standard_normal((4, 3, 2)))
            _same(minitorch.tensordot(ma, mb2, dims), torch.tensordot(ta, tb2, dims))
        elif dims in (1, 0):
            continue
        else:
            _same(minitorch.tensordot(ma, mb, dims), torch.tensordot(ta, tb, dims))
    x1, x2 = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 5, 3))
    x2[0, 0] = x1[0, 0]  # a zero distance: gradient 0, as PyTorch's
    for p in (2.0, 1.0, 3.0, float("inf")):
        (m1, t1), (m2, t2) = _pair(torch, x1), _pair(torch, x2)
        mo, to = minitorch.cdist(m1, m2, p), torch.cdist(t1, t2, p)
        _same(mo, to)
        mo.sum().backward()
        to.sum().backward()
        _same(m1.grad, t1.grad, 1e-5)
        _same(m2.grad, t2.grad, 1e-5)


@given(mst.tensors(shape=(2, 3, 3)))
def test_det_inverse_gradcheck(x):
    a = (x + minitorch.eye(3, dtype=minitorch.float64) * 4).detach().requires_grad_()
    assert gradcheck(lambda t: t.det(), (a,))
    assert gradcheck(lambda t: minitorch.inverse(t), (a,))


def test_det_inverse_errors():
    with pytest.raises(RuntimeError, match="square"):
        minitorch.ones(2, 3).det()
    with pytest.raises(RuntimeError):  # PyTorch's class for an integer input
        minitorch.ones(2, 2, dtype=minitorch.int64).inverse()


def test_function_forms_match_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    (mx, tx), (mw, tw) = _pair(torch, rng.standard_normal((1, 2, 5, 5))), _pair(torch, rng.standard_normal((3, 2, 3, 3)))
    _same(minitorch.conv2d(mx, mw, None, 1, 1), torch.conv2d(tx, tw, None, 1, 1))
    _same(minitorch.layer_norm(mx, (5,)), torch.layer_norm(tx, (5,)))
    _same(minitorch.dropout(mx, 0.3, False), torch.dropout(tx, 0.3, False))
    (me, te) = _pair(torch, rng.standard_normal((4, 3)))
    index = [[0, 3], [3, 3]]
    _same(minitorch.embedding(me, minitorch.tensor(index)), torch.embedding(te, torch.tensor(index)))


# ----------------------------------------------------------------------- Tensor methods
def test_where_unfold_in_place_forms_match_torch():
    torch = pytest.importorskip("torch")
    values = np.arange(12.0).reshape(3, 4) - 5
    m, t = _pair(torch, values, requires_grad=False)
    _same(m.where(m > 0, -1.0), t.where(t > 0, -1.0))
    for args in ((0, 2, 1), (1, 3, 2), (-1, 4, 1), (1, 0, 3)):
        _same(m.unfold(*args), t.unfold(*args))
    assert minitorch.tensor(5.0).unfold(0, 1, 1).tolist() == torch.tensor(5.0).unfold(0, 1, 1).tolist()
    m2, t2 = m.clone(), t.clone()
    for lib_x in ((m2, minitorch), (t2, torch)):
        x, lib = lib_x
        x.masked_fill_(x > 2, 7.0).index_add_(0, lib.tensor([0, 0]), lib.ones(2, 4, dtype=lib.float64), alpha=2)
        x.index_fill_(1, lib.tensor([1]), -3.0)
    _same(m2, t2)
    shapes = []
    for x in (minitorch.zeros(1, 3, 1), torch.zeros(1, 3, 1)):
        shapes.append([tuple(x.squeeze_(0).shape), tuple(x.unsqueeze_(0).shape), tuple(x.squeeze_().shape),
                       tuple(x.unsqueeze_(1).t_().shape)])
    assert shapes[0] == shapes[1]


@given(mst.tensors(shape=(5, 3)))
def test_unfold_gradcheck(x):
    assert gradcheck(lambda t: t.unfold(0, 2, 2) * t.unfold(0, 3, 1)[:2, :, :2].sum(), (x,))


def test_shape_and_size_are_size():
    x = minitorch.zeros(2, 3)
    assert isinstance(x.shape, minitorch.Size) and isinstance(x.size(), minitorch.Size)
    assert x.shape.numel() == 6 and x.shape == (2, 3) and repr(x.size()) == "minitorch.Size([2, 3])"


def test_logical_xor_matches_torch():
    torch = pytest.importorskip("torch")
    a, b = [0, 1, 2, 0], [1, 1, 0, 0]
    assert minitorch.logical_xor(minitorch.tensor(a), minitorch.tensor(b)).tolist() == \
        torch.logical_xor(torch.tensor(a), torch.tensor(b)).tolist()


# ------------------------------------------------------------------------------- nn, F, optim
def test_loss_modules_take_size_average_and_reduce():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    (mx, tx), (my, ty) = _pair(torch, x), _pair(torch, y, False)
    for name in ("MSELoss", "L1Loss"):
        for kwargs in ({"size_average": False}, {"reduce": False}, {}):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _same(getattr(minitorch.nn, name)(**kwargs)(mx, my), getattr(torch.nn, name)(**kwargs)(tx, ty))
    target = [0, 2, 1, 2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _same(minitorch.nn.CrossEntropyLoss(None, False)(mx, minitorch.tensor(target)),
              torch.nn.CrossEntropyLoss(None, False)(tx, torch.tensor(target)))
        _same(minitorch.nn.NLLLoss(reduce=False)(mx, minitorch.tensor(target)),
              torch.nn.NLLLoss(reduce=False)(tx, torch.tensor(target)))
    assert minitorch.nn.BCEWithLogitsLoss(None, None, None, "sum").reduction == "sum"
    w = rng.uniform(0.1, 1, (4, 3))
    for reduction in ("mean", "sum", "none"):
        _same(F.mse_loss(mx, my, reduction=reduction, weight=minitorch.tensor(w)),
              torch.nn.functional.mse_loss(tx, ty, reduction=reduction, weight=torch.tensor(w)))
        _same(F.l1_loss(mx, my, reduction=reduction, weight=minitorch.tensor(w)),
              torch.nn.functional.l1_loss(tx, ty, reduction=reduction, weight=torch.tensor(w)))


def test_softmax_dtype_and_implicit_dim():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(3).standard_normal((2, 3))
    m, t = _pair(torch, x.astype(np.float32), False)
    for fn in ("softmax", "log_softmax"):
        ours = getattr(F, fn)(m, -1, dtype=minitorch.float64)
        assert ours.dtype == minitorch.float64
        _same(ours, getattr(torch.nn.functional, fn)(t, -1, dtype=torch.float64), 1e-6)
        with pytest.warns(UserWarning, match="implicit dimension"):
            _same(getattr(F, fn)(m), getattr(torch.nn.functional, fn)(t, dim=1), 1e-6)


def test_dropout_inplace():
    x = minitorch.ones(100)
    assert F.dropout(x, 0.5, True, inplace=True) is x and (x == 0).any()


def test_embedding_max_norm_and_scale_grad_by_freq_match_torch():
    torch = pytest.importorskip("torch")
    w = np.random.default_rng(4).standard_normal((5, 3)) * 3
    index = [[0, 2, 2], [4, 2, 0]]
    results = []
    for lib in (minitorch, torch):
        weight = lib.tensor(w, requires_grad=True)
        out = lib.nn.functional.embedding(lib.tensor(index), weight, max_norm=1.5, norm_type=1.0,
                                          scale_grad_by_freq=True)
        (out * lib.tensor(np.arange(18.0).reshape(2, 3, 3))).sum().backward()
        results.append((weight.detach().numpy().copy(), out.detach().numpy(), weight.grad.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)
    layer = minitorch.nn.Embedding(5, 3, max_norm=1.0)
    layer(minitorch.tensor([1, 3]))
    assert (layer.weight[[1, 3]].norm(dim=1) <= 1.0 + 1e-6).all()
    assert minitorch.nn.Embedding(2, 2, _weight=minitorch.ones(2, 2)).weight.tolist() == [[1.0, 1.0]] * 2


def test_transformer_activation_default_is_relu_function():
    layer = minitorch.nn.TransformerEncoderLayer(4, 2, 8, 0.0)
    assert layer.activation is F.relu
    assert minitorch.nn.TransformerEncoderLayer(4, 2, 8, 0.0, activation="gelu").activation is F.gelu


def test_module_state_dict_positional_and_to_keywords():
    layer = minitorch.nn.Linear(2, 2)
    with pytest.warns(FutureWarning):
        sd = layer.state_dict(None, "p.")
    assert list(sd) == ["p.weight", "p.bias"]
    assert layer.to(dtype=minitorch.float64, non_blocking=True).weight.dtype == minitorch.float64
    with pytest.raises(TypeError, match="unexpected keyword"):
        layer.to(colour="red")


def test_lbfgs_matches_torch():
    torch = pytest.importorskip("torch")
    A = [[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]]
    runs = []
    for lib in (minitorch, torch):
        w = lib.tensor([1.5, -0.5, 2.0], dtype=lib.float64, requires_grad=True)
        a = lib.tensor(A, dtype=lib.float64)
        opt = lib.optim.LBFGS([w], lr=0.8, max_iter=7, history_size=3)

        def closure():
            opt.zero_grad()
            loss = (w @ (a @ w)) / 2 + (w ** 4).sum() - w.sum()
            loss.backward()
            return loss

        runs.append(([float(opt.step(closure).detach()) for _ in range(3)], w.detach().numpy().copy()))
    np.testing.assert_allclose(runs[0][0], runs[1][0], rtol=1e-9)
    np.testing.assert_allclose(runs[0][1], runs[1][1], rtol=1e-9)
    with pytest.raises(RuntimeError, match="closure"):
        minitorch.optim.LBFGS([minitorch.ones(1, requires_grad=True)]).step(None)
    with pytest.raises(NotImplementedError, match="strong_wolfe"):
        minitorch.optim.LBFGS([minitorch.ones(1, requires_grad=True)], line_search_fn="strong_wolfe")


def test_cuda_names():
    assert minitorch.cuda.memory_reserved() >= 0
    assert minitorch.cuda.reset_peak_memory_stats() is None
    with minitorch.cuda.device(0):
        pass
    event = minitorch.cuda.Event()
    with pytest.raises(RuntimeError, match="enable_timing"):
        event.elapsed_time(event)


def test_save_load_compile_random_split_defaults(tmp_path):
    path = tmp_path / "x.pt"
    minitorch.save({"a": minitorch.ones(2)}, path)
    assert minitorch.load(path)["a"].tolist() == [1.0, 1.0]
    fn = lambda x: x  # noqa: E731
    assert minitorch.compile(fn, recompile_limit=3) is fn
    minitorch.manual_seed(0)
    first = [list(p.indices) for p in minitorch.utils.data.random_split(range(6), [3, 3])]
    minitorch.manual_seed(0)
    assert first == [list(p.indices) for p in minitorch.utils.data.random_split(range(6), [3, 3])]
