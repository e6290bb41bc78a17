"""The losses of nn/functional/loss_more.py and cross_entropy on class probabilities: values and
gradients of every float input against PyTorch (float64, each reduction), a gradcheck, and errors."""
import numpy as np
import pytest
from hypothesis import given

import minitorch
import minitorch.nn.functional as F
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

RNG = np.random.default_rng(0)
X, Y = RNG.standard_normal((4, 5)), RNG.standard_normal((4, 5))
SIGN = np.sign(RNG.standard_normal((4, 5)))
P = RNG.uniform(0.1, 1, (4, 5))
P /= P.sum(1, keepdims=True)
CASES = [  # (name, arrays, which arrays require grad, kwargs)
    ("smooth_l1_loss", (X * 2, Y), (1, 1), {"beta": 0.7}), ("smooth_l1_loss", (X * 2, Y), (1, 1), {"beta": 0.0}),
    ("huber_loss", (X * 2, Y), (1, 1), {"delta": 0.7}),
    ("kl_div", (np.log(P[::-1]), P), (1, 1), {}), ("kl_div", (np.log(P[::-1]), np.log(P)), (1, 1), {"log_target": True}),
    ("poisson_nll_loss", (X, P * 4), (1, 1), {}), ("poisson_nll_loss", (P, P * 4), (1, 1), {"log_input": False, "full": True}),
    ("gaussian_nll_loss", (X, Y, P), (1, 1, 1), {}), ("gaussian_nll_loss", (X, Y, P[:, 0]), (1, 1, 1), {"full": True}),
    ("margin_ranking_loss", (X, Y, SIGN), (1, 1, 0), {"margin": 0.3}),
    ("hinge_embedding_loss", (X, SIGN), (1, 0), {"margin": 0.5}), ("soft_margin_loss", (X * 50, SIGN), (1, 0), {}),
    ("multilabel_soft_margin_loss", (X, (SIGN > 0) * 1.0), (1, 0), {}),
    ("multi_margin_loss", (X, np.array([0, 4, 2, 1])), (1, 0), {}),
    ("multi_margin_loss", (X, np.array([0, 4, 2, 1])), (1, 0), {"p": 2, "margin": 0.5}),
    ("cosine_embedding_loss", (X, Y, SIGN[:, 0]), (1, 1, 0), {"margin": 0.2}),
    ("triplet_margin_loss", (X, Y, X * 0.5), (1, 1, 1), {}),
    ("triplet_margin_loss", (X, Y, X * 0.5), (1, 1, 1), {"swap": True, "p": 1}),
    ("cross_entropy", (X, P), (1, 1), {}), ("cross_entropy", (X, P), (1, 1), {"label_smoothing": 0.2}),
    ("cross_entropy", (X, P), (1, 1), {"weight": P[0]}),
]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name, arrays, grads, kwargs", CASES, ids=[c[0] for c in CASES])
def test_same_as_pytorch(name, arrays, grads, kwargs, reduction):
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        ts = [lib.tensor(a, requires_grad=bool(g)) for a, g in zip(arrays, grads)]
        kw = {k: lib.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        out = getattr(lib.nn.functional, name)(*ts, reduction=reduction, **kw)
        out.sum().backward()
        results.append([out.detach().numpy()] + [t.grad.numpy() for t in ts if t.requires_grad])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_kl_div_batchmean():
    torch = pytest.importorskip("torch")
    ours = F.kl_div(minitorch.tensor(np.log(P[::-1])), minitorch.tensor(P), reduction="batchmean")
    theirs = torch.nn.functional.kl_div(torch.tensor(np.log(P[::-1])), torch.tensor(P), reduction="batchmean")
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-12)


@given(x=S.tensors(shape=(3, 4)), y=S.tensors(shape=(3, 4)))
def test_gradcheck(x, y):
    assert gradcheck(lambda a, b: F.smooth_l1_loss(a, b, beta=0.5) + F.huber_loss(a, b, delta=0.5)
                     + F.soft_margin_loss(a, b.detach().sign()), [x, y])


@pytest.mark.parametrize("call, error, words", [
    (lambda: F.huber_loss(minitorch.ones(2), minitorch.ones(3)), ValueError, "huber_loss"),
    (lambda: F.kl_div(minitorch.ones(2), minitorch.ones(2), reduction="bad"), ValueError, "reduction"),
    (lambda: F.hinge_embedding_loss(minitorch.ones(2), minitorch.zeros(2)), ValueError, "1 or -1"),
    (lambda: F.multi_margin_loss(minitorch.ones(2, 3), minitorch.tensor([0]), p=3), ValueError, "p"),
])
def test_bad_arguments_get_clear_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()
