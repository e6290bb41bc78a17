"""PyTorch's top-level function forms of nn.functional's functions (``torch.conv1d``,
``torch.max_pool2d``, ``torch.selu_``, ...): the same function, PyTorch's values."""
import numpy as np
import pytest

import minitorch
from minitorch import toplevel

RNG = np.random.default_rng(0)
X3 = RNG.standard_normal((2, 4, 6)).astype(np.float32)
X4 = RNG.standard_normal((2, 4, 4, 6)).astype(np.float32)
X5 = RNG.standard_normal((1, 2, 4, 4, 4)).astype(np.float32)

#: name -> the arguments, built with a library (minitorch or torch).
CALLS = {
    "conv1d": lambda L: (L.tensor(X3), L.tensor(X3[:3, :, :3].copy())),
    "conv3d": lambda L: (L.tensor(X5), L.tensor(X5[:, :, :2, :2, :2].copy())),
    "conv_transpose1d": lambda L: (L.tensor(X3), L.tensor(X3[:, :2, :3].copy().reshape(4, 1, 3))),
    "conv_transpose2d": lambda L: (L.tensor(X4), L.tensor(X4[:, :, :2, :2].copy().reshape(4, 2, 2, 2)), None, 2),
    "conv_transpose3d": lambda L: (L.tensor(X5), L.tensor(X5[:, :, :2, :2, :2].copy().reshape(2, 1, 2, 2, 2))),
    "max_pool1d": lambda L: (L.tensor(X3), 2),
    "max_pool2d": lambda L: (L.tensor(X4), 2, 1),
    "max_pool3d": lambda L: (L.tensor(X5), 2),
    "avg_pool1d": lambda L: (L.tensor(X3), 3, 2, 1),
    "adaptive_avg_pool1d": lambda L: (L.tensor(X3), 4),
    "adaptive_max_pool1d": lambda L: (L.tensor(X3), 4),
    "pixel_shuffle": lambda L: (L.tensor(X4), 2),
    "pixel_unshuffle": lambda L: (L.tensor(X4), 2),
    "channel_shuffle": lambda L: (L.tensor(X4), 2),
    "cosine_similarity": lambda L: (L.tensor(X3), L.tensor(X3[::-1].copy())),
    "pairwise_distance": lambda L: (L.tensor(X3[0]), L.tensor(X3[1])),
    "pdist": lambda L: (L.tensor(X3[0]),),
    "bilinear": lambda L: (L.tensor(X3[0]), L.tensor(X3[1]), L.tensor(X4[0, :3, :, :].copy().reshape(3, 4, 6)[:, :, :].repeat(2, 1)[:, :6, :])),
    "celu": lambda L: (L.tensor(X3), 0.5),
    "selu": lambda L: (L.tensor(X3),),
    "threshold": lambda L: (L.tensor(X3), 0.1, 20.0),
    "prelu": lambda L: (L.tensor(X3), L.tensor([0.25])),
    "rrelu": lambda L: (L.tensor(X3), 0.1, 0.3, False),
    "hardshrink": lambda L: (L.tensor(X3), 0.3),
    "group_norm": lambda L: (L.tensor(X4), 2),
    "rms_norm": lambda L: (L.tensor(X3), (6,)),
    "alpha_dropout": lambda L: (L.tensor(X3), 0.5, False),
    "feature_alpha_dropout": lambda L: (L.tensor(X3), 0.5, False),
}
IN_PLACE = {"relu_": "relu", "selu_": "selu", "celu_": "celu", "threshold_": "threshold", "rrelu_": "rrelu",
            "dropout_": "dropout", "alpha_dropout_": "alpha_dropout"}


def test_every_form_is_called():
    assert set(toplevel.SAME_AS_FUNCTIONAL) - set(IN_PLACE) <= set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_top_level_form_matches_torch(name):
    torch = pytest.importorskip("torch")
    ours = getattr(minitorch, name)(*CALLS[name](minitorch))
    theirs = getattr(torch, name)(*CALLS[name](torch))
    assert type(ours) is tuple if type(theirs) is tuple else True
    for a, b in zip(ours if type(ours) is tuple else [ours], theirs if type(theirs) is tuple else [theirs]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_top_level_in_place_form_writes_into_its_input(name):
    args = {"threshold_": (0.1, 20.0), "rrelu_": (0.1, 0.3, False), "dropout_": (0.5, False),
            "alpha_dropout_": (0.5, False)}.get(name, ())
    x = minitorch.tensor(X3)
    expected = getattr(minitorch, IN_PLACE[name])(x.clone(), *args)
    assert getattr(minitorch, name)(x, *args) is x
    np.testing.assert_allclose(x.numpy(), expected.numpy(), rtol=1e-6)


def test_gradients_flow_through_the_top_level_forms():
    torch = pytest.importorskip("torch")
    grads = []
    for L in (minitorch, torch):
        w = L.tensor(X3[:3, :, :3].copy(), requires_grad=True)
        L.selu(L.max_pool1d(L.conv1d(L.tensor(X3), w), 2)).sum().backward()
        grads.append(w.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-4, atol=1e-5)
