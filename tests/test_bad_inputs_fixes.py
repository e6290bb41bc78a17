"""Regression tests for issue 13's fixes of devices and values, each checked against PyTorch."""
import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F


@pytest.mark.parametrize("call", [
    lambda x, t: F.cross_entropy(x, t),
    lambda x, t: F.nll_loss(x, t),
    lambda x, t: F.cross_entropy(x, t.to("cuda"), weight=minitorch.ones(3)),
    lambda x, t: F.mse_loss(x, minitorch.ones(2, 3)),
    lambda x, t: x.masked_fill(minitorch.ones(2, 3) > 0, 0.0),
    lambda x, t: x.gather(1, t.reshape(2, 1)),
    lambda x, t: x.index_select(0, t),
    lambda x, t: x.scatter(1, t.reshape(2, 1), 1.0),
    lambda x, t: x.masked_select(minitorch.ones(2, 3) > 0),
])
def test_tensors_on_two_devices_are_refused_naming_both(call):
    with pytest.raises(RuntimeError, match="same device.*'cuda.*'cpu'|same device.*'cpu'.*'cuda"):
        call(minitorch.ones(2, 3).to("cuda"), minitorch.tensor([0, 1]))


@pytest.mark.parametrize("code, error", [
    ("T.ones(2, dtype='float32')", TypeError), ("T.ones(2, 3)[::-1]", ValueError),
    ("T.ones(2, 3)[:, ::0]", ValueError), ("T.tensor([1, 2]).softmax(0)", RuntimeError),
    ("T.tensor([1, 2]).log_softmax(0)", RuntimeError), ("T.relu(T.tensor([True, False]))", RuntimeError),
    ("T.ones(2) + None", TypeError), ("'x' * T.ones(2)", TypeError), ("T.ones(2).mul([1, 'a'])", TypeError),
    ("T.ones(2).item()", RuntimeError), ("T.arange(0, 10, 0)", RuntimeError), ("T.full((2,), 'a')", TypeError),
])
def test_bad_values_raise_what_torch_raises(code, error):
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        with pytest.raises(error):
            eval(code, {"T": lib})


def test_full_still_takes_bools_and_numbers():
    assert minitorch.full((2,), True).dtype == minitorch.bool
    assert minitorch.full((2,), np.float64(1.5)).tolist() == [1.5, 1.5]


def test_linear_with_zero_features_as_torch():
    torch = pytest.importorskip("torch")
    for n_in, n_out in ((0, 4), (4, 0)):
        mine = minitorch.nn.Linear(n_in, n_out)(minitorch.ones(3, n_in, requires_grad=True))
        with pytest.warns(UserWarning):
            theirs = torch.nn.Linear(n_in, n_out)(torch.ones(3, n_in))
        assert tuple(mine.shape) == tuple(theirs.shape)
        assert mine.abs().sum().item() == pytest.approx(theirs.abs().sum().item())
        mine.sum().backward()


@pytest.mark.parametrize("norm_type", [0, 1, 2.0, float("inf")])
def test_clip_grad_norm_as_torch(norm_type):
    torch = pytest.importorskip("torch")
    grads = [np.array([1.0, 0.0, 3.0]), np.array([0.0, 0.0]), np.array([-2.0])]
    totals = []
    for lib in (minitorch, torch):
        params = [lib.nn.Parameter(lib.tensor(g * 0)) for g in grads]
        for p, g in zip(params, grads):
            p.grad = lib.tensor(g)
        totals.append((lib.nn.utils.clip_grad_norm_(params, 1.0, norm_type=norm_type).item(),
                       [p.grad.tolist() for p in params]))
    assert totals[0][0] == pytest.approx(totals[1][0])
    assert np.allclose(np.concatenate(totals[0][1]), np.concatenate(totals[1][1]))
