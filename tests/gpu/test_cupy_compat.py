"""Every op of the engine on "cuda" tensors backed by cupy, tested without a GPU.

On a real GPU a "cuda" tensor holds a cupy array, and numpy calls that work on numpy arrays
can fail on it (``np.asarray``, host arrays from ``np.zeros(shape)`` mixed with device arrays,
numpy-only keyword arguments, ...). ``fake_cupy.py`` is a stand-in for cupy with the same
rules; the ``fake_gpu`` fixture (used by every test here) makes "cuda" mean it:

- ``sys.modules["cupy"]`` is the fake, and ``minitorch.cuda`` reports a real GPU (available,
  not simulated), so ``minitorch.device`` puts "cuda" tensors in fake cupy arrays;
- the CUDA kernels (matmul, softmax, fused attention) are replaced by numpy versions that take
  and return fake cupy arrays only, and count their calls. The kernels themselves are tested
  in tests/kernels; here it is the engine's handling of device arrays that is under test.

Each test runs the same computation on "cpu" and on "cuda", checks that every result and
gradient on "cuda" is a device array (a host array labelled "cuda" would fail later on a GPU),
and compares the values. Every op of the catalog is run so (``test_every_catalog_op``: the
family calls, and the ``Case`` calls of family "other"); the tables below add what the catalog's
calls do not reach (operators with numpy scalars, dtype promotion, views, losses, layers, optimisers).
"""
import importlib.util
import math
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.functions.catalog import OPS, Case, case_inputs
from minitorch.functions.catalog.pointwise import TENSOR_OTHER
from minitorch.tensor import Tensor

_spec = importlib.util.spec_from_file_location("cupy", Path(__file__).with_name("fake_cupy.py"))
fake_cupy = importlib.util.module_from_spec(_spec)  # named "cupy": its arrays look like cupy's
_spec.loader.exec_module(fake_cupy)
DeviceArray = fake_cupy.ndarray


# ----------------------------------------------------------------- the fake GPU
def _device_arrays(op, *arrays):
    """The host arrays behind fake cupy arrays; like the real kernels, refuse anything else."""
    for a in arrays:
        if not isinstance(a, DeviceArray):
            raise TypeError(f"{op}: kernels take cupy arrays on a real GPU; got {type(a).__name__}")
    return [a._host for a in arrays]


def _fake_kernels():
    """numpy stand-ins for kernels/matmul.py, softmax.py and attention.py, counting their calls."""
    calls = Counter()

    def matmul(a, b):
        calls["matmul"] += 1
        a, b = _device_arrays("matmul", a, b)
        dtype = np.result_type(a.dtype, b.dtype)
        return DeviceArray(np.asarray(np.matmul(a.astype(dtype), b.astype(dtype))))  # 1-D @ 1-D: 0-d

    def softmax(x):
        calls["softmax"] += 1
        (x,) = _device_arrays("softmax", x)
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return DeviceArray(e / e.sum(axis=-1, keepdims=True))

    def softmax_backward(y, dy):
        calls["softmax_backward"] += 1
        y, dy = _device_arrays("softmax_backward", y, dy)
        return DeviceArray(y * (dy - (dy * y).sum(axis=-1, keepdims=True)))

    def probabilities(q, k, mask, causal, scale):
        scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
        scores = scale * q @ np.swapaxes(k, -1, -2)
        allowed = np.ones(scores.shape, bool)
        if mask is not None:
            allowed &= np.broadcast_to(mask._host, scores.shape)
        if causal:
            allowed &= np.tril(np.ones(scores.shape[-2:], bool))
        m = np.where(allowed, scores, -np.inf).max(axis=-1, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
        e = np.exp(scores - m) * allowed
        total = e.sum(axis=-1, keepdims=True)
        with np.errstate(divide="ignore"):
            lse = (m + np.log(total))[..., 0]
        return e / np.where(total > 0, total, 1), lse, scale

    def attention_forward(q, k, v, mask=None, causal=False, scale=None):
        calls["attention_forward"] += 1
        q, k, v = _device_arrays("attention_forward", q, k, v)
        p, lse, _ = probabilities(q, k, mask, causal, scale)
        return DeviceArray(p @ v), DeviceArray(lse)

    def attention_backward(q, k, v, o, lse, do, mask=None, causal=False, scale=None):
        calls["attention_backward"] += 1
        q, k, v, o, lse, do = _device_arrays("attention_backward", q, k, v, o, lse, do)
        p, _, scale = probabilities(q, k, mask, causal, scale)
        dp = do @ np.swapaxes(v, -1, -2)
        ds = p * (dp - (dp * p).sum(axis=-1, keepdims=True))
        dq, dk = scale * ds @ k, scale * np.swapaxes(ds, -1, -2) @ q
        return DeviceArray(dq), DeviceArray(dk), DeviceArray(np.swapaxes(p, -1, -2) @ do)

    return SimpleNamespace(
        calls=calls,
        matmul=SimpleNamespace(matmul=matmul),
        softmax=SimpleNamespace(softmax=softmax, softmax_backward=softmax_backward),
        attention=SimpleNamespace(attention_forward=attention_forward, attention_backward=attention_backward),
    )


@pytest.fixture(autouse=True)
def fake_gpu(monkeypatch):
    """"cuda" = fake cupy arrays and numpy kernels; returns the Counter of kernel calls."""
    monkeypatch.setitem(sys.modules, "cupy", fake_cupy)
    monkeypatch.setitem(sys.modules, "cupyx.scipy.special", fake_cupy.scipy_special)
    monkeypatch.setattr(minitorch.cuda, "_state", lambda: (True, False, "a fake GPU (tests/gpu/fake_cupy.py)"))
    kernels = _fake_kernels()
    monkeypatch.setattr(minitorch.cuda, "kernels", lambda: kernels)
    return kernels.calls


# ---------------------------------------------------------------------- helpers
def on(t, device):
    """Assert that ``t`` lives on ``device`` in the right kind of array, and return it."""
    assert t.device == device, f"expected a tensor on {device!r}, got one on {t.device!r}"
    kind = DeviceArray if device == "cuda" else np.ndarray
    assert isinstance(t._array, kind), f"a tensor on {device!r} holds a {type(t._array).__name__}"
    return t


def host(t):
    return t.detach().cpu().numpy()


def rand(*shape, grad=True, dtype=minitorch.float64, low=None, seed=None):
    """A CPU leaf of standard normal values (or uniform in [low, low + 1))."""
    g = minitorch.Generator(hash(shape) % 1000 if seed is None else seed)
    t = minitorch.randn(*shape, dtype=dtype, generator=g) if low is None else (
        minitorch.rand(*shape, dtype=dtype, generator=g) + low)
    return t.detach().requires_grad_(grad)


def ints(high, *shape, seed=0):
    return minitorch.randint(0, high, shape, generator=minitorch.Generator(seed))


def _moved(value, device):
    """A copy of a Tensor on ``device`` (ops that change their inputs must not reach the original)."""
    if not isinstance(value, Tensor):
        return value
    with minitorch.no_grad():
        copy = value.clone().to(device)
    return copy.requires_grad_(value.requires_grad)


def _tensors(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [o for o in outs if isinstance(o, Tensor)]


def run_on(device, fn, inputs, backward=True):
    """Outputs and input gradients (as host arrays) of ``fn(*inputs)`` run on ``device``."""
    args = [_moved(a, device) for a in inputs]
    outs = [on(o, device) for o in _tensors(fn(*args))]
    grads = []
    if backward and any(o.requires_grad for o in outs):
        differentiable = [o for o in outs if o.requires_grad]  # (index outputs are int64)
        weights = [minitorch.randn(*o.shape, dtype=o.dtype, generator=minitorch.Generator(7)) for o in differentiable]
        loss = sum((o * w.to(device)).sum() for o, w in zip(differentiable, weights))
        loss.backward()
        grads = [None if a.grad is None else host(on(a.grad, device))
                 for a in args if isinstance(a, Tensor) and a.requires_grad]
    return [host(o) for o in outs], grads


def compare(fn, *inputs, backward=True, rtol=1e-9, atol=1e-12):
    """Run ``fn`` on "cpu" and on "cuda" and assert equal outputs and input gradients."""
    cpu_outs, cpu_grads = run_on("cpu", fn, inputs, backward)
    gpu_outs, gpu_grads = run_on("cuda", fn, inputs, backward)
    assert len(cpu_outs) == len(gpu_outs) and len(cpu_grads) == len(gpu_grads)
    for a, b in zip(cpu_outs + cpu_grads, gpu_outs + gpu_grads):
        assert (a is None) == (b is None), "a gradient on one device only"
        if a is None:
            continue
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_allclose(b, a, rtol=rtol, atol=atol)
    return gpu_outs


# ------------------------------------------------------------- the double itself
def test_the_double_is_as_strict_as_cupy():
    x = fake_cupy.asarray(np.arange(6.0).reshape(2, 3))
    assert not isinstance(x, np.ndarray)
    for convert in (np.asarray, np.array, np.ascontiguousarray):
        with pytest.raises(TypeError, match="Implicit conversion"):
            convert(x)
    for mix in (lambda: x + np.ones(3), lambda: np.where(x > 1, x, np.zeros(())), lambda: np.add(x, 1, out=np.ones(3))):
        with pytest.raises(TypeError, match="host numpy.ndarray"):
            mix()
    with pytest.raises(ValueError, match="non-scalar numpy.ndarray"):
        x[...] = np.ones((2, 3))
    with pytest.raises(TypeError, match="tuple index"):
        np.add.at(x, (np.array([0]), np.array([1])), 1.0)
    with pytest.raises(TypeError, match="initial"):
        x.max(initial=0.0)
    with pytest.raises(AttributeError):
        x.flags.writeable
    # What cupy allows: scalars, 0-d results as device arrays, host index arrays, explicit copies.
    y = np.exp(x) * np.float32(2) + 1
    assert isinstance(y, DeviceArray) and isinstance(x.sum(), DeviceArray) and x.sum().ndim == 0
    assert isinstance(x[np.array([1, 0])], DeviceArray) and (x > np.asarray(2.0)).sum().item() == 3
    np.testing.assert_allclose(fake_cupy.asnumpy(np.where(x > 2, y, 0.0)), np.where(np.arange(6) > 2,
                               2 * np.exp(np.arange(6.0)) + 1, 0).reshape(2, 3))
    fake_cupy.add.at(x, (np.array([0, 0]), np.array([1, 1])), 1.0)
    assert x[0, 1].item() == 3.0



# ------------------------------------------ every op of the catalog, on device arrays
def _family_call(op):
    """The call and input shapes that exercise a catalog op of family unary/binary/reduction/logical."""
    name, as_bool = op.name, op.domain == "bool"
    if op.family == "unary":
        return (lambda a: getattr(a, name)()), [(3, 4)]
    if op.family == "binary":
        number = (lambda b: b[0]) if name in TENSOR_OTHER else (lambda b: 2.5)  # PyTorch's: a tensor only there
        return (lambda a, b: (getattr(a, name)(b), getattr(minitorch, name)(a, number(b)))), [(3, 4), (4,)]
    if op.family == "reduction":
        return (lambda a: (getattr(a, name)(), getattr(a, name)(1), getattr(a, name)((0, 2), True))), [(2, 3, 4)]
    arity = len(op.signature.split(","))  # logical: no gradient
    return (lambda *ts: getattr(minitorch, name)(*((t > 0) if as_bool else t for t in ts))), [(3, 4), (4,)][:arity]


CATALOG_CALLS = [
    *(pytest.param(*_family_call(op), id=op.name) for op in OPS if op.family != "other"),
    *(pytest.param(lambda *ts, case=case: case.call(minitorch, *ts), case, id=f"{op.name}-{i}")
      for op in OPS for i, case in enumerate(op.cases)),
]


@pytest.mark.parametrize("call, inputs", CATALOG_CALLS)
def test_every_catalog_op(call, inputs):
    """Each op of the catalog (``minitorch/functions/catalog/``) on device arrays equals the CPU."""
    arrays = case_inputs(inputs) if isinstance(inputs, Case) else [np.random.default_rng(0).uniform(0.5, 1.5, s)
                                                                   for s in inputs]
    compare(call, *(minitorch.tensor(a, requires_grad=True) for a in arrays))


# -------------------------------------------------------------- elementwise ops
ELEMENTWISE = {
    "add_broadcast": (lambda a, b: a + b, [rand(3, 4), rand(4)]),
    "sub_reflected_scalar": (lambda a, b: 2.5 - a - b, [rand(3, 4), rand(3, 1)]),
    "mul_div": (lambda a, b: a * b / (b * b + 1), [rand(2, 3, 4), rand(3, 1)]),
    "reflected_div": (lambda a: 1.0 / (a.abs() + 1), [rand(5)]),
    "pow": (lambda a, b: a**b + a**3 + 2**b, [rand(3, 4, low=0.5), rand(4)]),
    "neg_numpy_scalar": (lambda a: -a * np.float64(0.5) + np.sqrt(4.0), [rand(3)]),
    "int_promotion": (lambda a, i: a * i + i * 0.5 + i / 2, [rand(6), ints(5, 6)]),
    "float32": (lambda a: (a * 2).exp().sum(), [rand(3, 4, dtype=minitorch.float32)]),
}


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise(name):
    fn, inputs = ELEMENTWISE[name]
    compare(fn, *inputs, rtol=1e-5 if name == "float32" else 1e-9)


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_and_min_share_the_gradient_of_a_tie(name):
    a = rand(3, 4, 5)
    with minitorch.no_grad():
        a[0, 1, :2] = a[0, 1, 3].item()  # a tie: the gradient of max is shared
    compare(lambda x: (getattr(x, name)(), *getattr(x, name)(-1, keepdim=True), getattr(x, "a" + name)((0, 2))), a)


SHAPES = {
    "reshape_view": lambda a: (a.reshape(4, 6), a.view(-1), a.flatten(1)),
    "transpose_permute": lambda a: (a.transpose(0, 2), a.permute(2, 0, 1), a.T, a.mT),
    "unsqueeze_squeeze": lambda a: (a.unsqueeze(1).squeeze(1), a[:, :1].squeeze(), a.unsqueeze(-1)),
    "expand": lambda a: (a[:, :1].expand(2, 3, 4), a[None].expand(3, -1, -1, -1).sum(0)),
    "getitem_slices": lambda a: (a[1:, ::2], a[0], a[..., None, 1], a[:, ::3], a.flip(-1), a[1, 2, 3]),
    "getitem_list_with_repeats": lambda a: a[[0, 1, 0]],
    "getitem_tuple_of_lists": lambda a: a[[0, 1, 1], [2, 0, 2]],
}


@pytest.mark.parametrize("name", SHAPES)
def test_shape_ops_and_indexing(name):
    compare(SHAPES[name], rand(2, 3, 4))


def test_indexing_with_device_tensors():
    index = minitorch.tensor([2, 0, 2, 2])  # repeats: their gradients must add up
    mask = rand(3, 4, grad=False) > 0
    compare(lambda a, i, m: (a[i], a[i, 1:], a[m], a[:, i], a[i, i]), rand(3, 4), index, mask)
    for device in ("cpu", "cuda"):  # an element picked twice gets both gradients
        a = minitorch.zeros(2, 3, device=device, requires_grad=True)
        (a[[0, 0], [1, 1]].sum() + a[minitorch.tensor([1, 1], device=device), 2].sum()).backward()
        np.testing.assert_array_equal(host(on(a.grad, device)), [[0, 2, 0], [0, 0, 2]])


def test_cat_stack_where_masked_fill():
    a, b, c = rand(2, 3), rand(2, 3), rand(4, 3)
    compare(lambda a, b, c: (minitorch.cat([a, c], dim=0), minitorch.stack([a, b], dim=1),
                             minitorch.where(a > b, a, b), minitorch.where(a > 0, a, 0.0),
                             a.masked_fill(b > 0, -1.5), a.masked_fill(b[:1] > 0, float("-inf")).exp()), a, b, c)


def test_comparisons_logic_and_conversions():
    a, b = (rand(3, 4, grad=False).to("cuda") for _ in range(2))
    b = b.clone()
    for result in (a > b, a == b, a != 0.5, a >= 0, a < b, a <= 0, ~(a > 0), (a > 0) & (b > 0), (a > 0) | (b > 0),
                   (a > 0).all(), (a > 0).any(), a.isnan(), a.isfinite(), a.argmax(1)):
        on(result, "cuda")
    np.testing.assert_array_equal(host(a > b), host(a) > host(b))
    assert a.allclose(a.clone()) and not a.allclose(a + 1)
    assert a[0, 0].item() == host(a)[0, 0] and float(a[1, 1]) == host(a)[1, 1]
    n = minitorch.tensor([3], device="cuda")
    assert int(n) == 3 and bool(n) and n.tolist() == [3]
    assert [int(v) for v in minitorch.arange(3, device="cuda")] == [0, 1, 2]
    assert a.tolist() == host(a).tolist() and len(a) == 3 and "device='cuda:0'" in repr(a)
    assert np.asarray(a).shape == (3, 4)  # Tensor.__array__ copies to the host explicitly
    with pytest.raises(TypeError, match=r"\.cpu\(\)\.numpy\(\)"):
        a.numpy()
    on(a.cpu(), "cpu")
    minitorch.cuda.synchronize()


# ------------------------------------------------------------- matmul, softmax
@pytest.mark.parametrize("shapes", [((3, 4), (4, 5)), ((2, 3, 4), (4, 5)), ((4,), (2, 4, 3)),
                                    ((2, 1, 3, 4), (3, 4, 2))])
def test_matmul_runs_the_kernel(shapes, fake_gpu):
    compare(lambda a, b: a @ b, rand(*shapes[0]), rand(*shapes[1]))
    assert fake_gpu["matmul"] == 3  # forward, dA, dB


def test_linear_and_softmax_run_the_kernels(fake_gpu):
    compare(lambda x, w, b: (F.linear(x, w, b), F.linear(x, w)), rand(2, 3, 4), rand(5, 4), rand(5))
    assert fake_gpu["matmul"] == 6
    compare(lambda x: (x.softmax(-1), x.softmax(0), x.log_softmax(1), F.softmax(x, 2)), rand(2, 3, 4))
    assert fake_gpu["softmax"] == 3 and fake_gpu["softmax_backward"] == 3


# ------------------------------------------------------- convolution and friends
def test_conv2d_and_unfold():
    compare(lambda x, w, b: (F.conv2d(x, w, b, stride=2, padding=1), F.conv2d(x, w, dilation=2, padding="same"),
                             F.unfold(x, 3, padding=1)), rand(2, 3, 7, 6), rand(4, 3, 3, 3), rand(4))
    compare(lambda x, w: F.conv2d(x, w, groups=2, padding=(1, 0)), rand(1, 4, 5, 5), rand(6, 2, 3, 2))


def test_pooling():
    compare(lambda x: (*F.max_pool2d(x, 3, stride=2, padding=1, return_indices=True),
                       F.max_pool2d(x, 2, ceil_mode=True), F.max_pool2d(x, 2, dilation=2),
                       F.avg_pool2d(x, 3, stride=2, padding=1),
                       F.avg_pool2d(x, 2, ceil_mode=True, count_include_pad=False),
                       F.avg_pool2d(x, 2, divisor_override=3), F.adaptive_avg_pool2d(x, (3, 2)),
                       F.adaptive_avg_pool2d(x, 1)), rand(2, 3, 7, 6))


def test_normalization():
    def batch_norm(x, w, b, mean, var):
        train = F.batch_norm(x, mean, var, w, b, training=True, momentum=0.3)
        evaluated = F.batch_norm(x, mean, var, w, b, training=False)
        return train, evaluated, mean, var, F.batch_norm(x, None, None, training=True)

    stats = (rand(3, grad=False), rand(3, low=0.5, grad=False))
    compare(batch_norm, rand(4, 3, 5, 2), rand(3), rand(3), *stats)
    compare(lambda x, w, b: (F.layer_norm(x, 5, w, b), F.layer_norm(x, (4, 5))), rand(2, 4, 5), rand(5), rand(5))


def test_embedding_and_pad():
    index = minitorch.tensor([[1, 3, 1], [0, 3, 3]])
    compare(lambda i, w: (F.embedding(i, w), F.embedding(i, w, padding_idx=3)), index, rand(4, 5))
    x = rand(2, 3, 4, 5)
    compare(lambda x: [F.pad(x, (1, 2, 0, 1), value=0.5), F.pad(x, (-1, 1))]
            + [F.pad(x, (2, 1, 1, 2), mode=m) for m in ("reflect", "replicate", "circular")], x)


# --------------------------------------------------------------------- losses
def test_regression_and_binary_losses():
    p, t, w = rand(4, 3, low=0.0), rand(4, 3, low=0.0, grad=False), rand(3, low=0.5, grad=False)
    compare(lambda x, t: (F.mse_loss(x, t), F.l1_loss(x, t, reduction="none"), F.mse_loss(x, t, reduction="sum")),
            rand(4, 3), t)
    compare(lambda p, t, w: (F.binary_cross_entropy(p, t), F.binary_cross_entropy(p, t, weight=w, reduction="sum"),
                             F.binary_cross_entropy_with_logits(p, t), F.binary_cross_entropy_with_logits(
                                 p, t, weight=w, pos_weight=w, reduction="none")), p, t, w)


def test_class_index_losses():
    logits, target = rand(5, 4), minitorch.tensor([0, 3, 1, 3, 2])
    weight, spatial = rand(4, low=0.5, grad=False), ints(4, 2, 3, 3)
    compare(lambda x, t, w: (F.cross_entropy(x, t), F.cross_entropy(x, t, weight=w, ignore_index=3),
                             F.cross_entropy(x, t, label_smoothing=0.2, reduction="sum"),
                             F.nll_loss(x.log_softmax(1), t, weight=w, reduction="none")), logits, target, weight)
    compare(lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1), rand(2, 4, 3, 3), spatial)
    compare(lambda x, t: F.cross_entropy(x, t), rand(4), minitorch.tensor(2))


def test_errors_on_cuda_name_the_bad_values():
    """Value checks on a GPU are deferred (minitorch/device_checks.py): they fail at the next host read."""
    logits, weight = minitorch.randn(3, 4, device="cuda"), minitorch.randn(5, 2, device="cuda")
    with pytest.raises(IndexError, match="target value 7 is out of range for 4 classes"):
        F.cross_entropy(logits, minitorch.tensor([0, 7, 1], device="cuda")).item()
    with pytest.raises(IndexError, match="index 5 is out of range for 5 embeddings"):
        F.embedding(minitorch.tensor([1, 5], device="cuda"), weight).sum().item()
    with pytest.raises(RuntimeError, match="from -0.5 to"):  # PyTorch's class
        F.binary_cross_entropy(minitorch.tensor([-0.5, 0.5], device="cuda"), minitorch.ones(2, device="cuda")).item()


def test_dropout_draws_the_same_mask_on_every_device():
    def dropped(x):
        minitorch.manual_seed(3)
        return F.dropout(x, 0.4), nn.Dropout(0.5)(x)

    outs = compare(dropped, rand(6, 5))
    assert (outs[0] == 0).any()


# ------------------------------------------------------------------ attention
@pytest.mark.parametrize("masked", ["none", "causal", "bool"])
def test_sdpa_runs_the_fused_kernel(masked, fake_gpu):
    q, k, v = rand(2, 2, 5, 4), rand(2, 2, 6, 4), rand(2, 2, 6, 4)
    keep = rand(2, 1, 1, 6, grad=False) > -0.5
    kwargs = {"none": {}, "causal": {"is_causal": True}, "bool": {}}[masked]
    mask = keep if masked == "bool" else None
    compare(lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, attn_mask=m, **kwargs), q, k, v, mask)
    assert fake_gpu["attention_forward"] == 1 and fake_gpu["attention_backward"] == 1


def test_sdpa_composite_on_cuda(fake_gpu):
    q, k, v, bias = rand(2, 3, 4), rand(2, 5, 4), rand(2, 5, 3), rand(3, 5, grad=False)

    def attend(q, k, v, bias):
        minitorch.manual_seed(0)
        return (F.scaled_dot_product_attention(q, k, v, attn_mask=bias), F.attention_weights(q, k, is_causal=True),
                F.scaled_dot_product_attention(q, k, v, dropout_p=0.3))

    compare(attend, q, k, v, bias)
    assert fake_gpu["attention_forward"] == 0


@pytest.mark.parametrize("need_weights", [True, False])
def test_multihead_attention(need_weights):
    def make():
        minitorch.manual_seed(0)
        return nn.MultiheadAttention(8, 2, batch_first=True, add_bias_kv=True, add_zero_attn=True,
                                     dtype=minitorch.float64)

    x = rand(2, 5, 8, grad=False)
    padding = minitorch.tensor([[False] * 4 + [True], [False] * 5])
    causal = nn.Transformer.generate_square_subsequent_mask(5, dtype=minitorch.float64)
    results = {}
    for device in ("cpu", "cuda"):
        mha = make().to(device)
        out, weights = mha(x.to(device), x.to(device), x.to(device), key_padding_mask=padding.to(device),
                           attn_mask=causal.to(device), need_weights=need_weights)
        out.sum().backward()
        results[device] = [host(on(out, device))] + [host(on(p.grad, device)) for p in mha.parameters()]
        if need_weights:
            results[device].append(host(on(weights, device)))
    for a, b in zip(results["cpu"], results["cuda"]):
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-12)


def test_transformer_forward_and_backward():
    def make():
        minitorch.manual_seed(1)
        return nn.Sequential(nn.Embedding(11, 8), nn.SinusoidalPositionalEncoding(8),
                             nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.1, batch_first=True),
                             nn.LayerNorm(8), nn.Linear(8, 11)).double()

    tokens = ints(11, 2, 6)
    losses = {}
    for device in ("cpu", "cuda"):
        model = make().to(device)
        minitorch.manual_seed(2)
        loss = F.cross_entropy(model(tokens.to(device)).reshape(-1, 11), tokens.to(device).reshape(-1))
        loss.backward()
        losses[device] = [loss.item()] + [host(on(p.grad, device)) for p in model.parameters()]
    for a, b in zip(losses["cpu"], losses["cuda"]):
        np.testing.assert_allclose(b, a, rtol=1e-8, atol=1e-12)


# ------------------------------------------------------------------ optimisers
OPTIMIZERS = {
    "SGD": lambda p: minitorch.optim.SGD(p, lr=0.1),
    "SGD_momentum": lambda p: minitorch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "SGD_dampening_maximize": lambda p: minitorch.optim.SGD(p, lr=0.1, momentum=0.5, dampening=0.3, maximize=True),
    "Adam": lambda p: minitorch.optim.Adam(p, lr=0.01, weight_decay=0.1),
    "Adam_amsgrad": lambda p: minitorch.optim.Adam(p, lr=0.01, amsgrad=True),
    "AdamW": lambda p: minitorch.optim.AdamW(p, lr=0.01),
    "Adagrad": lambda p: minitorch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1),
    "RMSprop": lambda p: minitorch.optim.RMSprop(p, lr=0.01, momentum=0.9, centered=True, weight_decay=0.1),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_steps_state_dict_and_scheduler(name, tmp_path):
    results = {}
    for device in ("cpu", "cuda"):
        params = [rand(3, 4).to(device).detach().requires_grad_(), rand(4).to(device).detach().requires_grad_()]
        opt = OPTIMIZERS[name](params)
        sched = minitorch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        target = rand(3, 4, grad=False).to(device)
        for step in range(4):
            if step == 2:  # a round trip through state_dict and a file, into a fresh optimiser
                minitorch.save(opt.state_dict(), tmp_path / f"{device}.npz")
                opt = OPTIMIZERS[name](params)
                opt.load_state_dict(minitorch.load(tmp_path / f"{device}.npz"))
                sched.optimizer = opt
            opt.zero_grad()
            loss = ((params[0] * params[1] - target) ** 2).sum()
            loss.backward()
            opt.step()
            sched.step()
        for buffers in opt.state.values():
            for value in buffers.values():
                assert not isinstance(value, np.ndarray) or device == "cpu"
        state = opt.state_dict()["state"]
        assert all(on(v, device) is v for s in state.values() for v in s.values() if isinstance(v, Tensor))
        results[device] = [host(on(p, device)) for p in params]
    for a, b in zip(results["cpu"], results["cuda"]):
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, math.inf])
def test_gradient_clipping(norm_type):
    results = {}
    for device in ("cpu", "cuda"):
        params = [rand(3, 4).to(device).detach().requires_grad_(), rand(5).to(device).detach().requires_grad_()]
        (params[0].sum() * 3 + (params[1] ** 2).sum()).backward()
        total = nn.utils.clip_grad_norm_(params, 1.0, norm_type)
        nn.utils.clip_grad_value_(params, 0.1)
        results[device] = [total.item()] + [host(on(p.grad, device)) for p in params]
        vector = on(nn.utils.parameters_to_vector(params), device)
        nn.utils.vector_to_parameters(vector * 2, params)
        results[device].append(host(params[0]))
    for a, b in zip(results["cpu"], results["cuda"]):
        np.testing.assert_allclose(b, a, rtol=1e-12)


def test_a_training_step_does_not_wait_on_the_gpu():
    minitorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1)).to("cuda")
    opt = minitorch.optim.Adam(model.parameters(), lr=0.01)
    x, y = minitorch.randn(16, 4, device="cuda"), minitorch.randn(16, 1, device="cuda")
    before = fake_cupy.host_syncs
    for _ in range(2):
        opt.zero_grad()
        F.mse_loss(model(x), y).backward()
        opt.step()
    assert fake_cupy.host_syncs == before  # no hidden device-to-host copies


# ------------------------------------------------- tensors, modules, creation
def test_constructors_on_cuda_match_the_cpu():
    makers = [
        lambda d: minitorch.zeros(2, 3, device=d), lambda d: minitorch.ones(2, device=d, dtype=minitorch.int64),
        lambda d: minitorch.empty(3, device=d), lambda d: minitorch.full((2, 2), 1.5, device=d),
        lambda d: minitorch.arange(1, 7, 2, device=d), lambda d: minitorch.linspace(0, 1, 5, device=d),
        lambda d: minitorch.eye(3, device=d), lambda d: minitorch.tensor([[1.0, 2.0]], device=d),
        lambda d: minitorch.rand(2, 3, device=d, generator=minitorch.Generator(1)),
        lambda d: minitorch.randn(2, 3, device=d, generator=minitorch.Generator(1)),
        lambda d: minitorch.randint(0, 9, (4,), device=d, generator=minitorch.Generator(1)),
        lambda d: minitorch.randperm(5, device=d, generator=minitorch.Generator(1)),
    ]
    like = minitorch.randn(2, 3, device="cuda")
    for t in (minitorch.zeros_like(like), minitorch.ones_like(like), minitorch.full_like(like, 2.0),
              minitorch.rand_like(like), minitorch.randn_like(like), minitorch.tensor(like, device="cuda")):
        on(t, "cuda")
    for make in makers:
        np.testing.assert_array_equal(host(on(make("cuda"), "cuda")), host(make("cpu")))


def test_in_place_ops_on_cuda():
    results = {}
    for device in ("cpu", "cuda"):
        t = rand(3, 4, grad=False).to(device)
        with minitorch.no_grad():
            t.add_(1).sub_(rand(4, grad=False).to(device), alpha=2).mul_(3).div_(2)
            t += 1
            t.clamp_(-1, 3)
            t[0] = 5.0
            t[1, :2] = rand(2, grad=False).to(device)
            t[minitorch.tensor([2, 0]).to(device), 3] = -1.0
            t[t > 4] = 4.0
            snapshot = t.clone()
            t.copy_(rand(3, 4, grad=False))  # from the CPU, whatever the device
            t.copy_(t * 2)
            u = rand(3, 4, grad=False).to(device)
            u.fill_(2).zero_()
            u.normal_(generator=minitorch.Generator(4))
            w = minitorch.empty(3, device=device).uniform_(-1, 1, generator=minitorch.Generator(5))
            t.data = t.data * 0.5
        results[device] = [host(on(x, device)) for x in (t, snapshot, u, w)]
    for a, b in zip(results["cpu"], results["cuda"]):
        np.testing.assert_allclose(b, a, rtol=1e-12)


def test_writing_into_a_broadcast_view_is_refused_on_cuda_too():
    expanded = minitorch.randn(3, device="cuda").expand(4, 3)  # cupy would let four rows share memory
    with minitorch.no_grad(), pytest.raises(RuntimeError, match="read-only view"):
        expanded.add_(1)


def test_backward_with_a_gradient_argument_retain_grad_and_anomaly_mode():
    for device in ("cpu", "cuda"):
        x = rand(3, 2).to(device).detach().requires_grad_()
        y = (x * 2).exp()
        y.retain_grad()
        with minitorch.autograd.detect_anomaly():
            y.backward(minitorch.ones(3, 2, dtype=minitorch.float64, device=device))
        on(y.grad, device), on(x.grad, device)
        np.testing.assert_allclose(host(x.grad), 2 * host(y))
        (x * 3).backward(np.ones((3, 2)))  # a numpy gradient is copied to the tensor's device
        np.testing.assert_allclose(host(on(x.grad, device)), 2 * host(y) + 3)
    with pytest.raises(RuntimeError, match="gradient is on 'cpu'"):
        (x * 2).backward(minitorch.ones(3, 2, dtype=minitorch.float64))


def test_init_functions_fill_cuda_parameters_like_cpu_ones():
    inits = [nn.init.xavier_uniform_, nn.init.xavier_normal_, nn.init.kaiming_uniform_, nn.init.kaiming_normal_,
             nn.init.trunc_normal_, nn.init.uniform_, nn.init.normal_, nn.init.zeros_, nn.init.ones_,
             lambda t: nn.init.constant_(t, 0.3)]
    for init in inits:
        values = []
        for device in ("cpu", "cuda"):
            p = nn.Parameter(minitorch.empty(4, 3, device=device))
            minitorch.manual_seed(9)
            init(p)
            values.append(host(on(p, device)))
        np.testing.assert_array_equal(values[1], values[0])


def _cnn():
    minitorch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 4, 3), nn.AvgPool2d(2, ceil_mode=True), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Dropout(0.2), nn.Linear(4, 3),
    ).double()


def test_module_to_cuda_trains_saves_and_loads(tmp_path):
    x, y = rand(4, 1, 8, 8, grad=False), minitorch.tensor([0, 2, 1, 2])
    results = {}
    for device in ("cpu", "cuda"):
        model = _cnn().to(device)
        assert all(on(t, device) is t for t in [*model.parameters(), *model.buffers()])
        opt = minitorch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        minitorch.manual_seed(1)
        for _ in range(2):
            opt.zero_grad()
            loss = nn.CrossEntropyLoss()(model(x.to(device)), y.to(device))
            loss.backward()
            opt.step()
        state = model.state_dict()
        assert all(on(t, device) is t for t in state.values())
        minitorch.save(state, tmp_path / f"{device}.npz")
        fresh = _cnn().to(device)
        fresh.load_state_dict(minitorch.load(tmp_path / f"{device}.npz"))
        fresh.eval()
        results[device] = [loss.item(), host(fresh(x.to(device)))]
        results[device] += [host(on(t, device)) for t in fresh.state_dict().values()]
        model.cpu()
        assert all(on(t, "cpu") is t for t in model.parameters())
    for a, b in zip(results["cpu"], results["cuda"]):
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-12)
