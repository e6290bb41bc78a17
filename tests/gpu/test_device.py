"""The "cuda" device end to end: moves, dispatch to the kernels, backward, an optimiser step.

Under the CUDA simulator (switched on by tests/conftest.py) "cuda" tensors hold numpy
arrays but matmul, linear and softmax run the CUDA kernels, simulated; with
MINITORCH_REAL_GPU=1 on a GPU machine the same tests run on cupy arrays.
"""
import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F

needs_cuda = pytest.mark.skipif(
    not minitorch.cuda.is_available(), reason="needs a GPU or the CUDA simulator (NUMBA_ENABLE_CUDASIM=1)"
)


def host(t):
    return t.detach().cpu().numpy()


@pytest.fixture
def kernel_calls(monkeypatch):
    """Count the calls into the CUDA kernels, to prove that an op really ran on them."""
    kernels = minitorch.cuda.kernels()
    calls = {"matmul": 0, "softmax": 0, "softmax_backward": 0}

    def counting(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counting(kernels.matmul, "matmul")
    counting(kernels.softmax, "softmax")
    counting(kernels.softmax, "softmax_backward")
    return calls


@needs_cuda
def test_moving_between_devices_copies_and_keeps_values():
    x = minitorch.randn(3, 4)
    y = x.to("cuda")
    assert y.device == "cuda" and x.device == "cpu" and y.is_cuda
    assert x.cuda().device == "cuda" and y.cpu().device == "cpu"
    np.testing.assert_array_equal(host(y), x.numpy())
    with minitorch.no_grad():
        y.add_(1)  # a copy: the CPU tensor is unchanged
    np.testing.assert_array_equal(host(y), x.numpy() + 1)
    assert "device='cuda:0'" in repr(y)


@needs_cuda
def test_constructors_take_device_and_random_ones_match_the_cpu():
    for make in (minitorch.zeros, minitorch.ones):
        assert make(2, 3, device="cuda").device == "cuda"
    assert minitorch.tensor([1.0, 2.0], device="cuda").device == "cuda"
    assert minitorch.arange(5, device="cuda").device == "cuda"
    minitorch.manual_seed(3)
    on_gpu = minitorch.randn(4, 5, device="cuda")
    minitorch.manual_seed(3)
    on_cpu = minitorch.randn(4, 5)
    np.testing.assert_array_equal(host(on_gpu), on_cpu.numpy())
    assert minitorch.zeros_like(on_gpu).device == "cuda"


@needs_cuda
def test_mixing_devices_names_both():
    a, b = minitorch.randn(2, 2), minitorch.randn(2, 2, device="cuda")
    with pytest.raises(RuntimeError, match="same device.*'cpu'.*'cuda'|same device.*'cuda'.*'cpu'"):
        a + b
    with pytest.raises(RuntimeError, match="same device"):
        a @ b


@needs_cuda
def test_numpy_of_a_cuda_tensor_asks_for_cpu_first():
    with pytest.raises(TypeError, match=r"\.cpu\(\)\.numpy\(\)"):
        minitorch.zeros(2, device="cuda").numpy()


@needs_cuda
@pytest.mark.parametrize("dtype", [minitorch.float32, minitorch.float64])
@pytest.mark.parametrize("shapes", [((5, 7), (7, 3)), ((2, 5, 7), (7, 3)), ((7,), (7, 3)), ((3, 1, 4, 6), (2, 6, 5))])
def test_matmul_runs_the_kernel_forward_and_backward(shapes, dtype, kernel_calls):
    minitorch.manual_seed(0)
    a_cpu = minitorch.randn(*shapes[0], dtype=dtype, requires_grad=True)
    b_cpu = minitorch.randn(*shapes[1], dtype=dtype, requires_grad=True)
    a, b = (t.detach().cuda().requires_grad_() for t in (a_cpu, b_cpu))
    out = a @ b
    assert out.device == "cuda" and kernel_calls["matmul"] == 1
    (out * out).sum().backward()
    assert kernel_calls["matmul"] == 3  # dA and dB use the same kernel
    (a_cpu @ b_cpu).pow(2).sum().backward()
    tol = dict(rtol=1e-4, atol=1e-4) if dtype == minitorch.float32 else dict(rtol=1e-10)
    np.testing.assert_allclose(host(out), host(a_cpu @ b_cpu), **tol)
    assert a.grad.device == "cuda"
    np.testing.assert_allclose(host(a.grad), a_cpu.grad.numpy(), **tol)
    np.testing.assert_allclose(host(b.grad), b_cpu.grad.numpy(), **tol)


@needs_cuda
@pytest.mark.parametrize("dim", [-1, 0, 1])
def test_softmax_runs_the_kernel(dim, kernel_calls):
    minitorch.manual_seed(1)
    x_cpu = minitorch.randn(3, 5, 4, dtype=minitorch.float64, requires_grad=True)
    x = x_cpu.detach().cuda().requires_grad_()
    weights = minitorch.randn(3, 5, 4, dtype=minitorch.float64)
    (x.softmax(dim) * weights.cuda()).sum().backward()
    (x_cpu.softmax(dim) * weights).sum().backward()
    assert kernel_calls["softmax"] == 1 and kernel_calls["softmax_backward"] == 1
    np.testing.assert_allclose(host(x.grad), x_cpu.grad.numpy(), rtol=1e-10, atol=1e-12)


@needs_cuda
def test_softmax_on_cuda_is_stable_for_huge_logits():
    x = minitorch.tensor([[1e4, -1e4, 0.0], [3.0, 3.0, 3.0]], device="cuda")
    y = host(x.softmax(-1))
    np.testing.assert_allclose(y, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)


def _mlp():
    minitorch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))


@needs_cuda
@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_training_steps_on_cuda_match_the_cpu(optimizer, kernel_calls):
    minitorch.manual_seed(5)
    x, y = minitorch.randn(10, 6), minitorch.randint(0, 3, (10,))
    models = {"cpu": _mlp(), "cuda": _mlp().to("cuda")}
    assert all(p.device == "cuda" for p in models["cuda"].parameters())
    losses = {}
    for device, model in models.items():
        opt = getattr(minitorch.optim, optimizer)(model.parameters(), lr=0.1)
        xd, yd = x.to(device), y.to(device)
        losses[device] = []
        for _ in range(3):
            loss = F.cross_entropy(model(xd), yd)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses[device].append(loss.item())
    assert kernel_calls["matmul"] > 0
    np.testing.assert_allclose(losses["cuda"], losses["cpu"], rtol=1e-5)
    assert losses["cuda"][-1] < losses["cuda"][0]
    for p_gpu, p_cpu in zip(models["cuda"].parameters(), models["cpu"].parameters()):
        assert p_gpu.device == "cuda"
        np.testing.assert_allclose(host(p_gpu), p_cpu.detach().numpy(), rtol=1e-4, atol=1e-6)


@needs_cuda
def test_module_round_trip_and_state_dict_on_cuda():
    model = _mlp().to("cuda")
    state = model.state_dict()
    assert all(t.device == "cuda" for t in state.values())
    model.cpu()
    assert all(p.device == "cpu" for p in model.parameters())


@needs_cuda
def test_gradient_flows_back_across_a_device_move():
    x = minitorch.randn(4, requires_grad=True)
    y = (x.cuda() * 3).sum()
    y.backward()
    assert x.grad.device == "cpu"
    np.testing.assert_allclose(x.grad.numpy(), 3.0)


@needs_cuda
def test_synchronize_and_is_available():
    assert minitorch.cuda.is_available()
    minitorch.cuda.synchronize()


@needs_cuda
def test_save_and_load_a_cuda_model(tmp_path):
    model = _mlp().to("cuda")
    minitorch.save(model.state_dict(), tmp_path / "m.npz")
    state = minitorch.load(tmp_path / "m.npz")
    assert all(t.device == "cpu" for t in state.values())  # files hold CPU arrays
    fresh = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3)).to("cuda")
    fresh.load_state_dict(state)
    for a, b in zip(fresh.parameters(), model.parameters()):
        assert a.device == "cuda"
        np.testing.assert_array_equal(host(a), host(b))


def test_unavailable_cuda_says_why_and_how(monkeypatch):
    monkeypatch.setattr(minitorch.cuda, "_state", lambda: (False, False, "no NVIDIA GPU was found"))
    for attempt in (lambda: minitorch.zeros(2, device="cuda"), lambda: minitorch.zeros(2).cuda(),
                    lambda: _mlp().to("cuda")):
        with pytest.raises(RuntimeError, match="not available: no NVIDIA GPU was found.*NUMBA_ENABLE_CUDASIM=1"):
            attempt()
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        minitorch.zeros(2, device="tpu")
