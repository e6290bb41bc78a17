"""No host reads in the less common per-step paths on "cuda", and their value checks deferred.

``test_host_syncs.py`` proves a language-model step free of host reads; these tests do the same
for the other ops whose checks or bookkeeping used to read the device every step: gaussian_nll's
variances, max_unpool's indices, fractional max pooling's windows, embedding_bag's offsets,
BatchNorm's cumulative average (``momentum=None``), integer division by zero, the +-1 targets of
the margin losses, the index checks of gather/scatter/index_add/index_put, NAdam's running
product, bernoulli's probabilities, and GradScaler (one read per step for all gradients). Each
failing check still raises its error, with the CPU's message, at the next host read
(``minitorch.device_checks``).

Runs on the fake cupy of ``fake_cupy.py`` through ``test_host_syncs.py``'s fixture, with one
addition (``count_mask_reads``): indexing with a boolean device array counts as a host read too,
as on cupy, where the result's size must first be read back from the device.
"""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch import device_checks

_spec = importlib.util.spec_from_file_location("host_syncs", Path(__file__).with_name("test_host_syncs.py"))
_host_syncs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_host_syncs)
fake_cupy, fake_gpu, _syncs_of = _host_syncs.fake_cupy, _host_syncs.fake_gpu, _host_syncs._syncs_of


@pytest.fixture(autouse=True)
def count_mask_reads(monkeypatch):
    """``x[mask]`` with a boolean device array: a host read (cupy reads the number of hits)."""
    getitem = fake_cupy.DeviceArray.__getitem__

    def counting(self, index):
        parts = index if isinstance(index, tuple) else (index,)
        if any(isinstance(p, fake_cupy.DeviceArray) and p.dtype == np.bool_ for p in parts):
            fake_cupy._sync()
        return getitem(self, index)

    monkeypatch.setattr(fake_cupy.DeviceArray, "__getitem__", counting)
    yield
    device_checks._pending.clear()


def _leaf(*shape, device="cuda", seed=0):
    values = np.random.default_rng(seed).standard_normal(shape)
    return minitorch.tensor(values, dtype=minitorch.float64, device=device, requires_grad=True)


def _gaussian_nll():
    x, var = _leaf(4, 3), _leaf(4, 1, seed=1)
    F.gaussian_nll_loss(x, minitorch.zeros(4, 3, dtype=minitorch.float64, device="cuda"), var.abs()).backward()


def _max_unpool():
    y, index = F.max_pool2d(_leaf(1, 2, 4, 4), 2, return_indices=True)
    F.max_unpool2d(y, index, 2).sum().backward()


def _fractional_max_pool():
    (F.fractional_max_pool2d(_leaf(1, 2, 5, 5), 2, output_size=3).sum()
     + F.fractional_max_pool3d(_leaf(1, 4, 4, 4), 2, output_ratio=0.5).sum()).backward()


def _embedding_bag(mode):
    def step():
        index = minitorch.tensor([1, 2, 4, 0, 4, 3], device="cuda")
        offsets = minitorch.tensor([0, 2, 2, 5], device="cuda")
        F.embedding_bag(index, _leaf(5, 3), offsets, mode=mode, padding_idx=4).sum().backward()
    return step


def _embedding_bag_layer():
    bag = nn.EmbeddingBag(6, 3, mode="sum", include_last_offset=True).to("cuda")
    bag(minitorch.tensor([1, 5, 2], device="cuda"), minitorch.tensor([0, 1, 3], device="cuda"),
        per_sample_weights=minitorch.ones(3, device="cuda")).sum().backward()


def _batch_norm_step():
    layer = nn.BatchNorm1d(3, momentum=None).to("cuda")
    for _ in range(2):
        layer(minitorch.randn(4, 3, device="cuda")).sum().backward()


def _integer_division():
    a, b = minitorch.tensor([7, -7, 3], device="cuda"), minitorch.tensor([2, 3, -2], device="cuda")
    for result in (a // b, a % b, a.fmod(b), a.div(b, rounding_mode="trunc"), a // 2, a % 5):
        assert result.device == "cuda"


def _margin_losses():
    target = minitorch.tensor([1.0, -1.0, 1.0], dtype=minitorch.float64, device="cuda")
    (F.hinge_embedding_loss(_leaf(3), target) + F.cosine_embedding_loss(_leaf(3, 2), _leaf(3, 2, seed=1), target)
     ).backward()


def _index_methods():
    x, index = _leaf(3, 4), minitorch.tensor([[0, 2, 1, 0]], device="cuda")
    y = x.gather(0, index).sum() + x.index_select(1, minitorch.tensor([3, 0], device="cuda")).sum()
    z = x.scatter(0, index, 2.0).sum() + x.index_add(0, minitorch.tensor([2, 2], device="cuda"), x[:2]).sum()
    put = x.index_put((minitorch.tensor([2, -1], device="cuda"),), x[0], accumulate=True).sum()
    (y + z + put + x.scatter_reduce(0, index, x[:1], "amax").sum()).backward()


def _bernoulli():
    probabilities = minitorch.tensor([0.1, 0.5, 0.9], device="cuda")
    assert minitorch.bernoulli(probabilities).device == probabilities.bernoulli().device == "cuda"


def _nadam():
    p = _leaf(4)
    opt = minitorch.optim.NAdam([p], lr=0.1)
    for _ in range(2):
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()


STEPS = {
    "gaussian_nll_loss": _gaussian_nll, "max_unpool2d": _max_unpool, "fractional_max_pool": _fractional_max_pool,
    "embedding_bag sum": _embedding_bag("sum"), "embedding_bag mean": _embedding_bag("mean"),
    "embedding_bag max": _embedding_bag("max"), "EmbeddingBag": _embedding_bag_layer,
    "BatchNorm momentum=None": _batch_norm_step, "integer division": _integer_division,
    "margin losses": _margin_losses, "gather/scatter/index_put": _index_methods, "NAdam": _nadam,
    "bernoulli": _bernoulli,
}


@pytest.mark.parametrize("name", STEPS)
def test_the_step_does_not_read_the_device(name):
    assert _syncs_of(STEPS[name]) == 0
    device_checks.flush()  # every queued check passes


def test_a_step_through_all_of_them_reads_the_device_once():
    """Conv, BatchNorm(momentum=None), pool/unpool, EmbeddingBag, gaussian_nll, NAdam under a
    GradScaler: the step's one host read is the scaler's."""
    minitorch.manual_seed(0)
    conv, norm = nn.Conv2d(1, 2, 3, padding=1).to("cuda"), nn.BatchNorm2d(2, momentum=None).to("cuda")
    bag = nn.EmbeddingBag(7, 8, mode="mean").to("cuda")
    params = [*conv.parameters(), *norm.parameters(), *bag.parameters()]
    opt, scaler = minitorch.optim.NAdam(params, lr=0.01), minitorch.amp.GradScaler()
    images, words = minitorch.randn(2, 1, 4, 4, device="cuda"), minitorch.tensor([1, 2, 6, 3], device="cuda")
    offsets = minitorch.tensor([0, 3], device="cuda")

    def step():
        opt.zero_grad()
        pooled, index = F.max_pool2d(norm(conv(images)).relu(), 2, return_indices=True)
        features = F.max_unpool2d(pooled, index, 2).reshape(2, -1)[:, :8] + bag(words, offsets)
        var = features.detach().abs() + 0.5
        scaler.scale(F.gaussian_nll_loss(features, minitorch.zeros(2, 8, device="cuda"), var)).backward()
        scaler.step(opt)
        scaler.update()

    assert _syncs_of(step) == 2  # two steps, one read each


def _scaled_training(device, params=4, steps=3, poison=None):
    """A model of ``params`` parameters trained under a GradScaler; returns the parameters, the
    scales after each step and the host reads each step made (on "cuda")."""
    minitorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).to(device)
    assert len(list(model.parameters())) == params
    opt = minitorch.optim.SGD(model.parameters(), lr=0.1)
    scaler = minitorch.amp.GradScaler(init_scale=2.0 ** 8, growth_interval=2)
    x = minitorch.randn(5, 3, device=device)
    scales, reads = [], []
    for step in range(steps):
        before = fake_cupy.host_syncs
        opt.zero_grad()
        scaler.scale(F.mse_loss(model(x), minitorch.zeros(5, 1, device=device))).backward()
        if step == poison:
            model[0].weight.grad[0, 0] = float("inf")
        scaler.step(opt)
        scaler.update()
        reads.append(fake_cupy.host_syncs - before)
        scales.append(scaler.get_scale())
    return [p.detach().cpu().numpy() for p in model.parameters()], scales, reads


@pytest.mark.parametrize("poison", [None, 1])
def test_grad_scaler_reads_once_per_step_for_all_gradients(poison):
    weights, scales, reads = _scaled_training("cuda", poison=poison)
    assert reads == [1, 1, 1]  # one finiteness read for the four gradients, as PyTorch's
    expected_weights, expected_scales, _ = _scaled_training("cpu", poison=poison)
    assert scales == expected_scales == ([256.0, 512.0, 512.0] if poison is None else [256.0, 128.0, 128.0])
    for ours, expected in zip(weights, expected_weights):
        np.testing.assert_allclose(ours, expected, rtol=1e-6)


def test_grad_scaler_reads_the_queued_checks_in_the_same_copy():
    p = minitorch.zeros(3, device="cuda", requires_grad=True)
    opt = minitorch.optim.SGD([p], lr=0.1)
    scaler = minitorch.amp.GradScaler()
    loss = F.cross_entropy(p.unsqueeze(0), minitorch.tensor([1], device="cuda"))  # queues a passing check
    scaler.scale(loss).backward()
    before = fake_cupy.host_syncs
    scaler.step(opt)
    scaler.update()
    assert fake_cupy.host_syncs - before == 1 and not device_checks._pending
    scaler.scale(F.cross_entropy(p.unsqueeze(0), minitorch.tensor([7], device="cuda"))).backward()
    with pytest.raises(IndexError, match="target value 7 is out of range for 3 classes.*Detected asynchronously"):
        scaler.step(opt)


def _bad_gaussian_nll(device):
    x = minitorch.zeros(2, 2, device=device)
    F.gaussian_nll_loss(x, x, minitorch.tensor([[1.0], [-1.0]], device=device))


def _bad_max_unpool(device):
    y, index = F.max_pool1d(minitorch.ones(1, 1, 4, device=device), 2, return_indices=True)
    F.max_unpool1d(y, index + 10, 2)


def _bad_embedding_bag(device):
    F.embedding_bag(minitorch.tensor([0, 1, 2, 3], device=device), minitorch.ones(5, 2, device=device),
                    minitorch.tensor([0, 3, 2], device=device))


BAD = [
    (_bad_gaussian_nll, ValueError, r"gaussian_nll_loss: var has negative entries"),
    (_bad_max_unpool, RuntimeError, r"max_unpool1d: found an invalid max index 10: the output planes have size 4"),
    (_bad_embedding_bag, ValueError, r"embedding_bag: offsets must start at 0, never decrease .* got \[0, 3, 2\]"),
    (lambda d: minitorch.tensor([4, 5], device=d) // minitorch.tensor([1, 0], device=d), RuntimeError,
     r"floor_divide: integer division by zero \(ZeroDivisionError\)"),
    (lambda d: minitorch.tensor([4, 5], device=d).fmod(minitorch.tensor(0, device=d)), RuntimeError,
     r"fmod: integer division by zero"),
    (lambda d: F.hinge_embedding_loss(minitorch.ones(2, device=d), minitorch.tensor([1.0, 2.0], device=d)),
     ValueError, r"hinge_embedding_loss: target must hold 1 or -1"),
    (lambda d: minitorch.zeros(3, device=d).index_add(0, minitorch.tensor([5], device=d), minitorch.ones(1, device=d)),
     IndexError, r"index_add: index 5 is out of bounds for dimension 0 with size 3"),
    (lambda d: minitorch.zeros(3, device=d).gather(0, minitorch.tensor([1, -1], device=d)),
     RuntimeError, r"gather: index -1 is out of bounds for dimension 0 with size 3"),
    (lambda d: minitorch.bernoulli(minitorch.tensor([0.5, 1.5], device=d)), RuntimeError,
     r"bernoulli: expected every probability p to satisfy 0 <= p <= 1, got 1.5"),
    (lambda d: minitorch.zeros(3, device=d).index_put((minitorch.tensor([1, -4], device=d),),
                                                      minitorch.tensor(1.0, device=d)),
     IndexError, r"index_put: index -4 is out of bounds for dimension 0 with size 3"),
]


@pytest.mark.parametrize("call, error, message", BAD)
def test_a_failed_check_comes_at_the_next_host_read_with_the_cpus_message(call, error, message):
    with pytest.raises(error, match=message) as immediate:
        call("cpu")
    assert "asynchronously" not in str(immediate.value)
    before = fake_cupy.host_syncs
    call("cuda")  # no error yet: the check waits on the device
    assert fake_cupy.host_syncs == before and len(device_checks._pending) >= 1
    with pytest.raises(error, match=message + ".*Detected asynchronously"):
        minitorch.cuda.synchronize()
    assert not device_checks._pending


def test_a_number_divisor_is_checked_at_once_on_the_device_too():
    with pytest.raises(RuntimeError, match="remainder: integer division by zero") as error:
        minitorch.tensor([4, 5], device="cuda") % 0  # known on the host: nothing to wait for
    assert "asynchronously" not in str(error.value) and not device_checks._pending


def test_the_division_check_compares_with_pytorch():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        torch.tensor([4, 5]) // torch.tensor([1, 0])
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        minitorch.tensor([4, 5]) // minitorch.tensor([1, 0])


def _cumulative_batch_norm(lib, device):
    """BatchNorm1d(momentum=None)'s buffers after three batches."""
    layer = lib.nn.BatchNorm1d(3, momentum=None).to(device)
    for seed in range(3):
        layer(lib.tensor(np.random.default_rng(seed).standard_normal((5, 3)), dtype=lib.float32, device=device))
    return [v.cpu().numpy() for v in layer.state_dict().values()]


def _nadam_steps(lib, device):
    """A parameter after three NAdam steps on sum(p^2)."""
    p = lib.tensor(np.linspace(-1.0, 1.0, 4), dtype=lib.float32, device=device, requires_grad=True)
    opt = lib.optim.NAdam([p], lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()
    return [p.detach().cpu().numpy()]


def _bags(lib, device, mode):
    """embedding_bag's value and weight gradient on bags with an empty one and padding."""
    weight = lib.tensor(np.random.default_rng(3).standard_normal((5, 3)), device=device, requires_grad=True)
    out = lib.nn.functional.embedding_bag(lib.tensor([1, 2, 4, 0, 4, 3], device=device), weight,
                                          lib.tensor([0, 2, 2, 5], device=device), mode=mode, padding_idx=4)
    (out * lib.tensor(np.cos(np.arange(12.0)).reshape(4, 3), device=device)).sum().backward()
    return [out.detach().cpu().numpy(), weight.grad.cpu().numpy()]


def _fractional(lib, device):
    """fractional_max_pool2d's value, indices and input gradient for given samples."""
    x = lib.tensor(np.random.default_rng(4).standard_normal((2, 2, 7, 6)), device=device, requires_grad=True)
    samples = lib.tensor(np.random.default_rng(5).uniform(size=(2, 2, 2)), device=device)
    out, index = lib.nn.functional.fractional_max_pool2d(x, 2, output_size=(4, 3), return_indices=True,
                                                         _random_samples=samples)
    out.sum().backward()
    return [out.detach().cpu().numpy(), index.cpu().numpy(), x.grad.cpu().numpy()]


def _bernoulli_draws(lib, device):
    """Draws from probability tensors, seeded (the uniforms come from the CPU on every device)."""
    lib.manual_seed(1)
    return [lib.bernoulli(lib.linspace(0, 1, 50, device=device)).cpu().numpy()]


CASES = {"bernoulli": _bernoulli_draws, "BatchNorm momentum=None": _cumulative_batch_norm, "NAdam": _nadam_steps,
         "fractional_max_pool2d": _fractional,
         **{f"embedding_bag {mode}": lambda lib, device, mode=mode: _bags(lib, device, mode)
            for mode in ("sum", "mean", "max")}}


@pytest.mark.parametrize("name", CASES)
def test_cuda_gives_the_cpus_values(name):
    for ours, expected in zip(CASES[name](minitorch, "cuda"), CASES[name](minitorch, "cpu")):
        np.testing.assert_allclose(ours, expected, rtol=1e-12)


@pytest.mark.parametrize("name", [name for name in CASES if name != "bernoulli"])  # PyTorch draws other numbers
def test_same_as_pytorch(name):
    torch = pytest.importorskip("torch")
    for ours, expected in zip(CASES[name](minitorch, "cpu"), CASES[name](torch, "cpu")):
        np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-7)
