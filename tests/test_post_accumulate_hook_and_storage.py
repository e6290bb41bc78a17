"""Tensor.register_post_accumulate_grad_hook, untyped_storage() and storage() against PyTorch."""
import warnings

import numpy as np
import pytest

import minitorch


def _hook_log(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    log = []
    handle = x.register_post_accumulate_grad_hook(lambda t: log.append(("hook", t is x, t.grad.tolist())))
    (x * 2 + x * x).sum().backward()  # x used twice: one call, with the whole gradient
    log.append(("grad", [g.tolist() for g in lib.autograd.grad((x * 3).sum(), x)]))  # no call
    (x * 2).sum().backward(inputs=[x])
    lib.autograd.backward([(x * 1).sum()])
    handle.remove()
    (x * 2).sum().backward()
    log.append(("final", x.grad.tolist()))
    return log


def test_post_accumulate_hook_matches_torch():
    torch = pytest.importorskip("torch")
    assert _hook_log(minitorch) == _hook_log(torch)


def test_post_accumulate_hook_can_step_an_optimizer_in_backward():
    lin = minitorch.nn.Linear(3, 2)
    optimizers = {p: minitorch.optim.SGD([p], lr=0.1) for p in lin.parameters()}

    def step(p):
        optimizers[p].step()
        optimizers[p].zero_grad()

    before = [p.detach().clone() for p in lin.parameters()]
    for p in lin.parameters():
        p.register_post_accumulate_grad_hook(step)
    x = minitorch.randn(4, 3)
    lin(x).sum().backward()
    expected_weight = before[0] - 0.1 * x.sum(0).expand(2, 3)
    np.testing.assert_allclose(lin.weight.detach().numpy(), expected_weight.numpy(), rtol=1e-6)
    assert all(p.grad is None for p in lin.parameters())


def test_post_accumulate_hook_errors_match_torch():
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="doesn't require gradient"):
            lib.ones(2).register_post_accumulate_grad_hook(lambda t: None)
        with pytest.raises(RuntimeError, match="non-leaf tensors"):
            (lib.ones(2, requires_grad=True) * 2).register_post_accumulate_grad_hook(lambda t: None)


def _storage_facts(lib, x):
    view = x[1:, ::2]
    with warnings.catch_warnings():  # PyTorch warns once per process; see test_storage_warns_as_torch
        warnings.simplefilter("ignore")
        typed = view.storage()
    untyped = view.untyped_storage()
    other = x.clone().untyped_storage()
    return [untyped.nbytes(), untyped.size(), untyped.element_size(), len(untyped),
            untyped.data_ptr() == x.untyped_storage().data_ptr() == x.data_ptr(),
            other.data_ptr() == untyped.data_ptr(),
            typed.size(), typed.element_size(), typed.nbytes(), len(typed), str(typed.dtype).split(".")[-1],
            typed.data_ptr() == x.data_ptr(), typed.tolist(), typed.untyped().nbytes()]


def test_storage_warns_as_torch():
    with pytest.warns(UserWarning, match=r"TypedStorage is deprecated\. It will be removed in the future and "
                      r"UntypedStorage will be the only storage class\..*use tensor\.untyped_storage\(\) instead"):
        minitorch.zeros(2).storage()


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_storage_matches_torch(dtype):
    torch = pytest.importorskip("torch")
    values = np.arange(12).reshape(3, 4)
    ours = _storage_facts(minitorch, minitorch.tensor(values, dtype=getattr(minitorch, dtype)))
    theirs = _storage_facts(torch, torch.tensor(values, dtype=getattr(torch, dtype)))
    assert ours == theirs


def test_storage_on_cuda():
    x = minitorch.arange(6.0).to("cuda")
    assert x[2:].untyped_storage().data_ptr() == x.data_ptr()
    assert x.untyped_storage().nbytes() == 24 and x.untyped_storage().device == "cuda"
