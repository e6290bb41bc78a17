"""utils.checkpoint: checkpointed gradients equal the plain run's exactly, and PyTorch's."""
import warnings

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.utils.checkpoint import checkpoint, checkpoint_sequential


def _grads(module, *tensors):
    return [p.grad.numpy().copy() for p in module.parameters()] + [t.grad.numpy().copy() for t in tensors]


def _assert_same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def _mlp(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.ReLU(), lib.nn.Dropout(0.5), lib.nn.Linear(8, 8),
                             lib.nn.Tanh(), lib.nn.Dropout(0.3), lib.nn.Linear(8, 2))


def _plain_and_checkpointed(module, x, run):
    """Gradients (and the random state after) of ``run(module, x)`` plain and with checkpointing."""
    results = []
    for use in (None, True, False):
        module.zero_grad()
        x.grad = None
        minitorch.manual_seed(7)
        out = module(x) if use is None else run(module, x, use)
        (out * out).sum().backward()
        results.append((_grads(module, x), minitorch.rand(3).numpy()))
    return results


@pytest.mark.parametrize("run", [
    lambda m, x, use: checkpoint(m, x, use_reentrant=use),
    lambda m, x, use: checkpoint_sequential(m, 3, x, use_reentrant=use),
])
def test_mlp_with_dropout_same_gradients_and_rng_stream(run):
    m = _mlp(minitorch)
    x = minitorch.randn(5, 4, requires_grad=True)
    (plain, after), *others = _plain_and_checkpointed(m, x, run)
    for grads, rng_after in others:
        _assert_same(grads, plain)
        np.testing.assert_array_equal(rng_after, after)  # the recomputation replayed, then restored, the stream


def test_transformer_block_same_gradients():
    minitorch.manual_seed(0)
    block = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.1, batch_first=True)
    x = minitorch.randn(2, 5, 8, requires_grad=True)
    (plain, _), *others = _plain_and_checkpointed(block, x, lambda m, t, use: checkpoint(m, t, use_reentrant=use))
    for grads, _ in others:
        _assert_same(grads, plain)


def test_non_tensor_args_kwargs_and_tuple_outputs():
    lin = nn.Linear(3, 3)

    def f(x, scale, *, shift):
        h = lin(x) * scale + shift
        return h.tanh(), "label", h.sum()

    x = minitorch.randn(2, 3, requires_grad=True)
    a, label, s = f(x, 2.0, shift=1.0)
    (a.sum() + s).backward()
    plain = _grads(lin, x)
    lin.zero_grad()
    x.grad = None
    a, label, s = checkpoint(f, x, 2.0, shift=1.0, use_reentrant=False)
    assert label == "label" and a.requires_grad and s.requires_grad
    (a.sum() + s).backward()
    _assert_same(_grads(lin, x), plain)


def test_input_without_grad():
    lin = nn.Linear(3, 2)
    x = minitorch.randn(4, 3)
    checkpoint(lin, x, use_reentrant=False).sum().backward()
    plain = [p.grad.numpy().copy() for p in lin.parameters()]
    lin.zero_grad()
    lin(x).sum().backward()
    _assert_same([p.grad.numpy() for p in lin.parameters()], plain)
    with pytest.warns(UserWarning, match="None of the inputs have requires_grad=True"):
        out = checkpoint(lin, x, use_reentrant=True)
    assert not out.requires_grad  # as PyTorch's reentrant variant


def test_autograd_grad_and_hooks_see_the_whole_gradient():
    lin = nn.Linear(3, 3)
    x = minitorch.randn(2, 3, requires_grad=True)
    seen = []
    lin.weight.register_hook(lambda g: seen.append(g.numpy().copy()))
    loss = lin(checkpoint(lin, x, use_reentrant=False)).sum()  # the weight used inside and outside
    grads = minitorch.autograd.grad(loss, [lin.weight, x])
    plain = minitorch.autograd.grad(lin(lin(x)).sum(), [lin.weight, x])
    _assert_same([g.numpy() for g in grads], [g.numpy() for g in plain])
    assert len(seen) == 2 and np.array_equal(seen[0], seen[1])  # once per backward, the whole gradient


def test_torch_gradients_and_warnings():
    torch = pytest.importorskip("torch")
    outs = []
    for lib in (minitorch, torch):
        net = lib.nn.Sequential(lib.nn.Linear(4, 6), lib.nn.Tanh(), lib.nn.Linear(6, 6), lib.nn.Sigmoid(),
                                lib.nn.Linear(6, 2))
        for i, p in enumerate(net.parameters()):
            with lib.no_grad():
                p.copy_(lib.tensor(np.random.default_rng(i).standard_normal(tuple(p.shape)), dtype=lib.float32))
        x = lib.tensor(np.linspace(-1, 1, 12).reshape(3, 4), dtype=lib.float32, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y = lib.utils.checkpoint.checkpoint_sequential(net, 2, x)
            y = lib.utils.checkpoint.checkpoint(lambda t: t * 2, y)
        (y ** 2).sum().backward()
        outs.append(([str(w.message) for w in caught], _grads(net, x)))
        with pytest.raises(ValueError, match="Unexpected keyword arguments: k"):
            lib.utils.checkpoint.checkpoint(lambda t, k: t, x, k=1, use_reentrant=True)
    assert outs[0][0] == outs[1][0]
    for ours, theirs in zip(outs[0][1], outs[1][1]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_under_no_grad_just_runs():
    lin = nn.Linear(2, 2)
    with minitorch.no_grad():
        out = checkpoint(lin, minitorch.ones(1, 2, requires_grad=True), use_reentrant=False)
    assert not out.requires_grad


def test_on_cuda_same_as_cpu():
    minitorch.manual_seed(0)
    lin = nn.Linear(3, 2)
    x = minitorch.randn(4, 3)
    checkpoint(lin, x, use_reentrant=False).sum().backward()
    on_cpu = [p.grad.numpy().copy() for p in lin.parameters()]
    lin.zero_grad()
    lin.to("cuda")
    out = checkpoint(lin, x.to("cuda"), use_reentrant=False)
    assert out.device == "cuda"
    out.sum().backward()
    for grad, expected in zip([p.grad.cpu().numpy() for p in lin.parameters()], on_cpu):
        np.testing.assert_allclose(grad, expected, rtol=1e-5, atol=1e-6)
