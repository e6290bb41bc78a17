"""CTC loss (values and gradients against PyTorch, repeated labels, impossible alignments, a
gradcheck) and the hook-based weight_norm / spectral_norm (against PyTorch, removal, errors)."""
import doctest
import importlib

import numpy as np
import pytest
from hypothesis import given

import minitorch
import minitorch.nn.functional as F
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

# sample 0 repeats a label (needs a blank between), sample 2 cannot fit its target (inf), sample 3 is empty
TARGETS = [[2, 2, 2], [1, 3, 1], [2, 2, 2], [1, 1, 1]]
INPUT_LENGTHS, TARGET_LENGTHS = [7, 6, 4, 5], [3, 3, 3, 0]


def _ctc(lib, x, reduction, zero_infinity, concatenated=False):
    targets = [t[:n] for t, n in zip(TARGETS, TARGET_LENGTHS)] if concatenated else TARGETS
    targets = lib.tensor(sum(targets, []) if concatenated else targets)
    return lib.nn.functional.ctc_loss(x.log_softmax(2), targets, INPUT_LENGTHS, TARGET_LENGTHS,
                                      reduction=reduction, zero_infinity=zero_infinity)


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize("concatenated", [False, True])
def test_ctc_loss_matches_torch(reduction, zero_infinity, concatenated):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((7, 4, 5))
    ours, theirs = minitorch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    mine, ref = _ctc(minitorch, ours, reduction, zero_infinity, concatenated), _ctc(torch, theirs, reduction,
                                                                                     zero_infinity, concatenated)
    np.testing.assert_allclose(mine.detach().numpy(), ref.detach().numpy(), rtol=1e-10)
    mine.sum().backward()
    ref.sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), atol=1e-10)
    assert np.isinf(_ctc(minitorch, ours, "none", False).detach().numpy()[2])


def test_ctc_module_and_unbatched_match_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(1).standard_normal((6, 4)).astype(np.float32)
    mine, ref = (lib.nn.CTCLoss(blank=3)(lib.tensor(x).log_softmax(1), lib.tensor([1, 1, 2]), lib.tensor(6),
                                         lib.tensor(3)) for lib in (minitorch, torch))
    assert mine.dtype == minitorch.float32
    np.testing.assert_allclose(mine.numpy(), ref.numpy(), rtol=1e-5)


@given(S.tensors(shape=(5, 2, 3)))
def test_ctc_gradcheck(x):
    targets = minitorch.tensor([[1, 1], [2, 1]])
    assert gradcheck(lambda a: F.ctc_loss(a, targets, [5, 4], [2, 1], reduction="sum"), [x])


def test_ctc_errors():
    x = minitorch.randn(4, 2, 3).log_softmax(2)
    with pytest.raises(RuntimeError, match="input_lengths"):
        F.ctc_loss(x, minitorch.tensor([[1], [2]]), [5, 4], [1, 1])
    with pytest.raises(ValueError, match="reduction"):
        F.ctc_loss(x, minitorch.tensor([[1], [2]]), [4, 4], [1, 1], reduction="avg")
    with pytest.raises(RuntimeError, match="targets"):
        F.ctc_loss(x, minitorch.tensor([1, 2, 1]), [4, 4], [1, 1])
    with pytest.raises(TypeError, match="targets"):
        F.ctc_loss(x, minitorch.tensor([[1.0], [2.0]]), [4, 4], [1, 1])


def _copy(ours, theirs):
    with minitorch.no_grad():
        for name, value in theirs.state_dict().items():
            getattr(ours, name).copy_(minitorch.tensor(value.detach().numpy()))


@pytest.mark.parametrize("dim", [0, 1, None])
def test_weight_norm_matches_torch(dim):
    torch = pytest.importorskip("torch")
    theirs, ours = torch.nn.Conv2d(3, 4, 3).double(), minitorch.nn.Conv2d(3, 4, 3).double()
    _copy(ours, theirs)
    with pytest.warns(FutureWarning):
        torch.nn.utils.weight_norm(theirs, dim=dim)
    minitorch.nn.utils.weight_norm(ours, dim=dim)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    x = np.random.default_rng(2).standard_normal((2, 3, 5, 5))
    (ours(minitorch.tensor(x)) ** 2).sum().backward()
    (theirs(torch.tensor(x)) ** 2).sum().backward()
    for name in ("weight_g", "weight_v"):
        np.testing.assert_allclose(getattr(ours, name).grad.numpy(), getattr(theirs, name).grad.numpy(), rtol=1e-10)
    torch.nn.utils.remove_weight_norm(theirs)
    minitorch.nn.utils.remove_weight_norm(ours)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("layer", ["Linear", "ConvTranspose2d"])
def test_spectral_norm_matches_torch(layer):
    torch = pytest.importorskip("torch")
    args, shape = ((4, 3), (2, 4)) if layer == "Linear" else ((3, 2, 3), (2, 3, 4, 4))
    theirs, ours = getattr(torch.nn, layer)(*args).double(), getattr(minitorch.nn, layer)(*args).double()
    _copy(ours, theirs)
    torch.nn.utils.spectral_norm(theirs, n_power_iterations=2)
    minitorch.nn.utils.spectral_norm(ours, n_power_iterations=2)
    _copy(ours, theirs)  # the random u and v
    x = np.random.default_rng(3).standard_normal(shape)
    for _ in range(2):
        (ours(minitorch.tensor(x)) ** 3).sum().backward()
        (theirs(torch.tensor(x)) ** 3).sum().backward()
    np.testing.assert_allclose(ours.weight_orig.grad.numpy(), theirs.weight_orig.grad.numpy(), rtol=1e-9)
    np.testing.assert_allclose(ours.weight_u.numpy(), theirs.weight_u.numpy(), rtol=1e-10)
    ours.eval(), theirs.eval()
    np.testing.assert_allclose(ours(minitorch.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-10)
    torch.nn.utils.remove_spectral_norm(theirs)
    minitorch.nn.utils.remove_spectral_norm(ours)
    assert sorted(ours.state_dict()) == sorted(theirs.state_dict())
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(), rtol=1e-10)


def test_norm_errors():
    layer = minitorch.nn.utils.weight_norm(minitorch.nn.Linear(2, 2))
    with pytest.raises(RuntimeError, match="two weight_norm hooks"):
        minitorch.nn.utils.weight_norm(layer)
    with pytest.raises(ValueError, match="spectral_norm of 'weight' not found"):
        minitorch.nn.utils.remove_spectral_norm(layer)
    with pytest.raises(ValueError, match="no parameter 'scale'"):
        minitorch.nn.utils.spectral_norm(minitorch.nn.Linear(2, 2), name="scale")


@pytest.mark.parametrize("module", ["weight_norm", "spectral_norm"])
def test_doctests(module):
    assert doctest.testmod(importlib.import_module(f"minitorch.nn.utils.{module}")).failed == 0
