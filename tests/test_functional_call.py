"""func.functional_call and nn.utils.stateless.functional_call against PyTorch."""
import warnings

import numpy as np
import pytest
from hypothesis import given

import minitorch
from minitorch import nn
from minitorch.func import functional_call
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S


def _net(lib):
    net = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.BatchNorm1d(4), lib.nn.Linear(4, 1))
    for i, (_, p) in enumerate(net.named_parameters()):
        with lib.no_grad():
            p.copy_(lib.tensor(np.random.default_rng(i).standard_normal(tuple(p.shape)), dtype=lib.float32))
    return net


def _maml(lib):
    """First-order MAML: two inner steps on fast weights through functional_call, then the outer gradient."""
    net = _net(lib)
    rng = np.random.default_rng(5)
    xs, ys, xq, yq = (lib.tensor(rng.standard_normal(s), dtype=lib.float32) for s in [(6, 3), (6, 1), (4, 3), (4, 1)])
    fast = dict(net.named_parameters())
    for _ in range(2):
        loss = ((lib.func.functional_call(net, fast, (xs,)) - ys) ** 2).mean()
        grads = lib.autograd.grad(loss, list(fast.values()), retain_graph=True)
        fast = {name: w - 0.1 * g for (name, w), g in zip(fast.items(), grads)}
    query = ((lib.func.functional_call(net, fast, xq) - yq) ** 2).mean()
    query.backward()
    buffers = {k: v.numpy().copy() for k, v in net.named_buffers()}  # running stats: the module's own
    return query.item(), [p.grad.numpy() for p in net.parameters()], buffers


def test_maml_steps_match_torch():
    torch = pytest.importorskip("torch")
    loss, grads, buffers = _maml(minitorch)
    t_loss, t_grads, t_buffers = _maml(torch)
    np.testing.assert_allclose(loss, t_loss, rtol=1e-5)
    for ours, theirs in zip(grads, t_grads):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)
    for name, value in buffers.items():
        np.testing.assert_allclose(value, t_buffers[name], rtol=1e-5, atol=1e-6)


def test_module_tensors_restored_also_on_error():
    net = _net(minitorch)
    before = {k: v for k, v in [*net.named_parameters(), *net.named_buffers()]}
    with pytest.raises(RuntimeError):
        functional_call(net, {"0.weight": minitorch.ones(4, 5)}, minitorch.ones(2, 3))
    assert {k: v for k, v in [*net.named_parameters(), *net.named_buffers()]} == before
    assert all(after is before[k] for k, after in [*net.named_parameters(), *net.named_buffers()])
    functional_call(net, {"extra": minitorch.ones(1)}, minitorch.ones(2, 3))  # a new name: set, then removed
    assert not hasattr(net, "extra")


def _tied(lib):
    class Tied(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = lib.nn.Linear(2, 2), lib.nn.Linear(2, 2)
            self.b.weight = self.a.weight

        def forward(self, x):
            return self.b(self.a(x))

    return Tied()


def _outcome(call):
    try:
        return call().detach().numpy().round(5).tolist()
    except Exception as error:  # noqa: BLE001  (the error's type and words are compared)
        return type(error).__name__, str(error)


def test_options_and_errors_match_torch():
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        lib.manual_seed(0)
        lin, tied = lib.nn.Linear(2, 2), _tied(lib)
        with lib.no_grad():
            for m in (lin, tied):
                for p in m.parameters():
                    p.fill_(0.5)
        w, x = lib.full((2, 2), 2.0), lib.ones(1, 2)
        f = lib.func.functional_call
        results.append([_outcome(call) for call in [
            lambda: f(lin, {"weight": w}, x),
            lambda: f(lin, ({"weight": w}, {"bias": lib.zeros(2)}), (x,)),
            lambda: f(lin, {"weight": w}, x, strict=True),
            lambda: f(lin, {"weight": w, "bias": lib.zeros(2), "bar": x}, x, strict=True),
            lambda: f(lin, ({"weight": w}, {"weight": w}), x),
            lambda: f(lin, {"weight": 3}, x),
            lambda: f(tied, {"a.weight": lib.zeros(2, 2)}, x),
            lambda: f(tied, {"a.weight": lib.zeros(2, 2)}, x, tie_weights=False),
            lambda: f(tied, {"a.weight": lib.zeros(2, 2), "b.weight": w}, x),
        ]])
    assert results[0] == results[1]


def test_stateless_path_warns_as_torch():
    torch = pytest.importorskip("torch")
    messages = []
    for lib in (minitorch, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = lib.nn.utils.stateless.functional_call(lib.nn.Linear(2, 1), {"weight": lib.ones(1, 2)}, lib.ones(3, 2))
        assert out.shape == (3, 1)
        messages.append([(w.category, str(w.message)) for w in caught])
    assert messages[0] == messages[1]


@given(x=S.tensors(shape=(2, 3)), w=S.tensors(shape=(4, 3)))
def test_gradcheck_into_given_tensors(x, w):
    lin = nn.Linear(3, 4).double()
    assert gradcheck(lambda inp, weight: functional_call(lin, {"weight": weight}, (inp,)).tanh(), [x, w])


def test_on_cuda_same_as_cpu():
    minitorch.manual_seed(0)
    lin = nn.Linear(3, 2)
    w, x = minitorch.randn(2, 3), minitorch.randn(4, 3)
    on_cpu = functional_call(lin, {"weight": w}, x).detach().numpy()
    out = functional_call(lin.to("cuda"), {"weight": w.to("cuda")}, x.to("cuda"))
    assert out.device == "cuda"
    np.testing.assert_allclose(out.cpu().detach().numpy(), on_cpu, rtol=1e-5, atol=1e-6)
