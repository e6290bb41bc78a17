"""Divergences found by running patrickloeber/pytorchTutorial and the NYU Deep Learning notebooks
(Atcold/NYU-DLSP20) under minitorch, each checked against PyTorch, written the way those programs
use the API: a list of numpy float64 scalars made into a tensor (``torch.tensor([x, y])`` over a
``np.meshgrid``); ``torch.cdist`` of 10,000 x 10,000 points; an ``Optimizer`` subclass whose
``step`` reads ``self.state[p]`` first; the deprecated ``addcmul_(value, t1, t2)`` /
``addcdiv_(value, t1, t2)`` of old Adam code; and ``torch.load`` of a whole model under the
``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` switch that pre-2.6 tutorials need.
"""
import io
import math
import warnings

import numpy as np
import pytest

import minitorch

ELEMENTS = [
    [np.float64(1.5), np.float64(2.0)],  # numpy's float64 scalars: float64 in PyTorch
    [1.0, np.float64(2.0)],
    [[1.0, 2.0], [3.0, np.float64(4.0)]],
    (np.float64(3.0),),
    [np.float32(1.0), 2.0],  # a float32 scalar with Python floats: the default dtype
    [1.5, 2.5],
    [np.int32(1), np.int32(2)],  # numpy's int32 scalars stay int32
    [np.int32(1), 2],  # with a Python int: int64
    [[np.int8(1)], [np.uint8(200)]],  # promoted together: int16
    [1, 2],
    [True, False],
    [np.array([1.0, 2.0])],
]


@pytest.mark.parametrize("data", ELEMENTS, ids=[repr(e) for e in ELEMENTS])
def test_a_list_of_numpy_scalars_keeps_their_dtype_as_pytorchs(data):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's "a list of numpy.ndarrays is slow"
        theirs = torch.tensor(data)
    ours = minitorch.tensor(data)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_a_float64_element_decides_under_any_default_dtype():
    minitorch.set_default_dtype(minitorch.float64)
    try:
        assert minitorch.tensor([1.0, 2.0]).dtype == minitorch.float64
    finally:
        minitorch.set_default_dtype(minitorch.float32)
    assert minitorch.tensor([np.float64(0.1)]).item() == 0.1  # every digit kept
    assert minitorch.tensor([np.float64(0.1)], dtype=minitorch.float32).dtype == minitorch.float32


def test_the_float64_scalars_of_a_meshgrid_meet_float32_as_in_pytorch():
    """NYU's optimization notebook: ``A @ torch.tensor([x, y])`` with x, y from np.meshgrid (float64):
    PyTorch refuses float32 @ float64; minitorch did not notice (it had made a float32 tensor)."""
    torch = pytest.importorskip("torch")
    x, y = np.meshgrid(np.arange(0.0, 1.0, 0.5), np.arange(0.0, 1.0, 0.5))
    for library in (minitorch, torch):
        A = library.tensor([[1.0, 0.0], [0.0, 5.0]])
        with pytest.raises(RuntimeError):
            A @ library.tensor([x[0, 1], y[1, 0]])


@pytest.mark.parametrize("rows1, rows2", [(30, 40), (3, 100), (5, 5), (26, 2)])
@pytest.mark.parametrize("mode", ["use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                                  "donot_use_mm_for_euclid_dist"])
def test_cdist_values_and_gradients_as_pytorchs_in_each_compute_mode(rows1, rows2, mode):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(rows1 + rows2)
    a, b = rng.standard_normal((2, rows1, 5)), rng.standard_normal((2, rows2, 5))
    weights = rng.standard_normal((2, rows1, rows2))
    results = []
    for library in (minitorch, torch):
        x1 = library.tensor(a, requires_grad=True)
        x2 = library.tensor(b, requires_grad=True)
        d = library.cdist(x1, x2, compute_mode=mode)
        (d * library.tensor(weights)).sum().backward()
        results.append([d.detach().numpy(), x1.grad.numpy(), x2.grad.numpy()])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_cdist_shortcut_rounds_as_pytorchs_where_a_distance_is_zero():
    """cdist(x, x) over more than 25 points: the shortcut's diagonal is rounding noise, not 0, in both."""
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((30, 4))
    ours = minitorch.cdist(minitorch.tensor(x), minitorch.tensor(x)).numpy()
    theirs = torch.cdist(torch.tensor(x), torch.tensor(x)).numpy()
    np.testing.assert_allclose(ours, theirs, atol=1e-7)
    direct = minitorch.cdist(minitorch.tensor(x), minitorch.tensor(x), compute_mode="donot_use_mm_for_euclid_dist")
    assert np.diagonal(direct.numpy()).max() == 0


def test_cdist_of_many_points_needs_no_cube_of_differences():
    """NYU's projections notebook: 10,000 x 10,000 points in 16-D took > 9 GB (a 10^8 x 16 intermediate)."""
    a = minitorch.randn(3000, 16)
    d = minitorch.cdist(a[None], a[None])
    assert tuple(d.shape) == (1, 3000, 3000)
    assert abs(d[0, 1, 2].item() - (a[1] - a[2]).norm().item()) < 1e-4


def test_cdist_refuses_an_unknown_compute_mode_as_pytorch():
    with pytest.raises(ValueError, match="compute_mode"):
        minitorch.cdist(minitorch.ones(2, 2), minitorch.ones(2, 2), compute_mode="fast")


def _momentum_by_hand(torch, steps=5):
    """NYU's optimization notebook: an Optimizer subclass whose step reads self.state[p] (a fresh
    dict the first time) and keeps a tensor there, driven through a closure."""

    class Momentum(torch.optim.Optimizer):
        def __init__(self, params, lr, momentum):
            super().__init__(params, dict(lr=lr, momentum=momentum))

        def step(self, closure=None):
            loss = closure() if closure is not None else None
            for group in self.param_groups:
                for p in group["params"]:
                    state = self.state[p]
                    if "v" not in state:
                        state["v"] = torch.clone(p.grad).detach()
                    else:
                        state["v"].mul_(group["momentum"]).add_(p.grad)
                    p.data.add_(-group["lr"] * state["v"])
            return loss

    A = torch.tensor([[1.0, 0.0], [0.0, 5.0]], dtype=torch.float64)
    w = torch.tensor([1.0, 1.0], dtype=torch.float64, requires_grad=True)
    opt = Momentum([w], lr=0.1, momentum=0.9)
    path = []

    def objective():
        loss = 0.5 * w @ (A @ w)
        opt.zero_grad()
        loss.backward()
        return loss

    for _ in range(steps):
        path.append(opt.step(objective).item())
    saved = opt.state_dict()
    opt = Momentum([w], lr=0.1, momentum=0.9)  # resumed from the checkpoint: its state is Tensors again
    opt.load_state_dict(saved)
    for _ in range(steps):
        path.append(opt.step(objective).item())
    return path + w.tolist() + [len(saved["state"]), type(opt.state[w]["v"]).__name__]


def test_an_optimizer_subclass_reading_its_state_first_runs_as_pytorchs():
    torch = pytest.importorskip("torch")
    assert isinstance(minitorch.optim.SGD([minitorch.zeros(1, requires_grad=True)], lr=0.1).state,
                      type(torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1).state))
    ours, theirs = _momentum_by_hand(minitorch), _momentum_by_hand(torch)
    assert ours[-1] == theirs[-1] == "Tensor"
    np.testing.assert_allclose(ours[:-1], theirs[:-1], rtol=1e-12)


def _old_adam(torch, steps=4):
    """NYU's optimization notebook's Adam: the deprecated value-first addcmul_ and addcdiv_."""
    p = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
    m, v = torch.zeros_like(p), torch.zeros_like(p)
    out = []
    for t in range(1, steps + 1):
        loss = (p ** 4).sum()
        p.grad = None
        loss.backward()
        grad = p.grad
        m.mul_(0.9).add_(1 - 0.9, grad)
        v.mul_(0.999).addcmul_(1 - 0.999, grad, grad)
        denom = (v.sqrt() / math.sqrt(1 - 0.999 ** t)).add_(1e-8)
        p.data.addcdiv_(-0.1 / (1 - 0.9 ** t), m, denom)
        out += p.tolist()
    return out


def test_the_deprecated_value_first_addcmul_and_addcdiv_as_pytorchs():
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(_old_adam(minitorch), _old_adam(torch), rtol=1e-12)
        x = minitorch.tensor([1.0, 2.0])
        t1, t2 = minitorch.tensor([3.0, 4.0], requires_grad=True), minitorch.tensor([2.0, 5.0])
        y = minitorch.addcmul(x, 0.5, t1, t2)
        y.sum().backward()
        assert y.tolist() == [4.0, 12.0] and t1.grad.tolist() == [1.0, 2.5]
        assert type(y.grad_fn).__name__ == "AddcmulBackward0"
        np.testing.assert_allclose(x.addcdiv(2, t1.detach(), t2).tolist(), [4.0, 3.6], rtol=1e-6)
    with pytest.warns(UserWarning, match="deprecated"):
        x.clone().addcmul_(0.5, t2, t2)
    with pytest.raises(TypeError, match="addcdiv"):
        x.addcdiv(t2, t2, t2)


class _Tiny(minitorch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = minitorch.nn.Linear(3, 1)


def test_load_follows_pytorchs_weights_only_switches(monkeypatch):
    """pytorchTutorial 17_save_load.py: torch.save(model) then torch.load(FILE), written before 2.6."""
    buffer = io.BytesIO()
    model = _Tiny()
    minitorch.save(model, buffer)
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    buffer.seek(0)
    with pytest.warns(UserWarning, match="TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"):
        loaded = minitorch.load(buffer)
    assert loaded.linear.weight.tolist() == model.linear.weight.tolist()
    buffer.seek(0)
    with pytest.raises(Exception, match="weights_only|Weights only"):
        minitorch.load(buffer, weights_only=True)  # an explicit choice wins over this switch
    monkeypatch.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "1")
    buffer.seek(0)
    with pytest.raises(RuntimeError, match="Only one of"):
        minitorch.load(buffer)
    monkeypatch.delenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD")
    buffer.seek(0)
    with pytest.raises(Exception, match="weights_only|Weights only"):
        minitorch.load(buffer, weights_only=False)  # forced weights-only, as PyTorch's switch does
