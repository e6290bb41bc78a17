"""The loss functions of minitorch.nn.functional against PyTorch, at huge logits, their errors,
and the loss modules of minitorch.nn.loss.

Every comparison runs in float64: values and the gradients of every float input
(input, and target where PyTorch differentiates it) must match PyTorch's.
"""
import math

import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F
from minitorch.errors import ShapeError
from minitorch.nn.loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss
from minitorch.testing import gradcheck

RNG = np.random.default_rng(0)
REDUCTIONS = ["mean", "sum", "none"]


def against_torch(name, input, target, grad_target=False, **kwargs):
    """Run F.<name> and torch.nn.functional.<name> on the same data; compare loss and gradients.

    ``input`` and ``target`` are numpy arrays; array-valued kwargs (weight, pos_weight) are
    passed as constant tensors. Returns our loss and our input's gradient.
    """
    torch = pytest.importorskip("torch")
    ours = [minitorch.tensor(input, requires_grad=True), minitorch.tensor(target, requires_grad=grad_target)]
    theirs = [torch.tensor(input, requires_grad=True), torch.tensor(target, requires_grad=grad_target)]
    our_kwargs = {k: minitorch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    their_kwargs = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    loss = getattr(F, name)(*ours, **our_kwargs)
    ref = getattr(torch.nn.functional, name)(*theirs, **their_kwargs)
    assert loss.shape == tuple(ref.shape) and loss.dtype == minitorch.float64
    np.testing.assert_allclose(loss.detach().numpy(), ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    cotangent = RNG.uniform(0.5, 1.5, size=tuple(ref.shape))
    loss.backward(minitorch.tensor(cotangent))
    ref.backward(torch.tensor(cotangent))
    for mine, theirs_ in zip(ours, theirs):
        if theirs_.requires_grad:
            np.testing.assert_allclose(mine.grad.numpy(), theirs_.grad.numpy(), rtol=1e-8, atol=1e-12)
    return loss, ours[0].grad.numpy()


def probabilities(*shape):
    return RNG.uniform(0.02, 0.98, size=shape)


# ------------------------------------------------------------------ regression
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses_match_torch(name, reduction):
    against_torch(name, RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3)), grad_target=True, reduction=reduction)


def test_mse_loss_value_by_hand():
    loss = F.mse_loss(minitorch.tensor([1.0, 2.0, 4.0]), minitorch.tensor([1.0, 0.0, 1.0]))
    assert loss.item() == pytest.approx((0 + 4 + 9) / 3)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits"])
def test_elementwise_losses_refuse_to_broadcast(name):
    with pytest.raises(ShapeError, match=rf"{name}: input has shape \(4, 1\) but target has shape \(4,\)"):
        getattr(F, name)(minitorch.rand(4, 1), minitorch.rand(4))


# --------------------------------------------------------------- cross entropy
def class_targets(shape, num_classes, ignore_index=None):
    t = RNG.integers(0, num_classes, size=shape)
    if ignore_index is not None:
        t.flat[::3] = ignore_index
    return t


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
@pytest.mark.parametrize("ignore", [False, True])
def test_cross_entropy_matches_torch(reduction, weighted, label_smoothing, ignore):
    kwargs = {"reduction": reduction, "label_smoothing": label_smoothing}
    if weighted:
        kwargs["weight"] = RNG.uniform(0.2, 3.0, size=5)
    target = class_targets((6,), 5, ignore_index=-100 if ignore else None)
    against_torch("cross_entropy", RNG.normal(size=(6, 5)) * 3, target, **kwargs)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_cross_entropy_k_dimensional_matches_torch(reduction, label_smoothing):
    logits = RNG.normal(size=(2, 4, 3, 5)) * 2  # (N, C, d1, d2)
    target = class_targets((2, 3, 5), 4, ignore_index=-100)
    loss, _ = against_torch(
        "cross_entropy", logits, target, weight=RNG.uniform(0.5, 2, size=4), reduction=reduction,
        label_smoothing=label_smoothing,
    )
    assert loss.shape == ((2, 3, 5) if reduction == "none" else ())


def test_cross_entropy_unbatched_matches_torch():
    against_torch("cross_entropy", RNG.normal(size=4), np.array(2), label_smoothing=0.2)


def test_cross_entropy_ignore_index_can_be_a_class_and_mean_uses_kept_weights():
    weight = np.array([1.0, 2.0, 3.0, 4.0])
    target = np.array([1, 3, 1, 0, 2])
    loss, grad = against_torch("cross_entropy", RNG.normal(size=(5, 4)), target, weight=weight, ignore_index=1)
    assert (grad[target == 1] == 0).all()


def test_cross_entropy_mean_divides_by_the_weights_of_kept_targets():
    logits = RNG.normal(size=(4, 3))
    target = np.array([0, 2, -100, 2])
    weight = np.array([0.5, 1.0, 4.0])
    log_p = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    kept = [0, 1, 3]
    expected = -sum(weight[target[i]] * log_p[i, target[i]] for i in kept) / (0.5 + 4.0 + 4.0)
    loss = F.cross_entropy(minitorch.tensor(logits), minitorch.tensor(target), weight=minitorch.tensor(weight))
    assert loss.item() == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_equals_nll_of_log_softmax():
    x, t = minitorch.randn(5, 4, dtype=minitorch.float64), minitorch.tensor([0, 3, 1, 1, 2])
    np.testing.assert_allclose(F.cross_entropy(x, t).item(), F.nll_loss(F.log_softmax(x, 1), t).item(), rtol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_nll_loss_matches_torch(reduction, weighted):
    log_probs = np.log(RNG.dirichlet(np.ones(5), size=6))
    kwargs = {"reduction": reduction, "weight": RNG.uniform(0.5, 2, size=5) if weighted else None}
    against_torch("nll_loss", log_probs, class_targets((6,), 5, ignore_index=-100), **kwargs)
    against_torch("nll_loss", log_probs.reshape(2, 3, 5).transpose(0, 2, 1), class_targets((2, 3), 5), **kwargs)


# ------------------------------------------------------------- binary losses
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy_matches_torch(reduction, weighted):
    weight = RNG.uniform(0.5, 2, size=3) if weighted else None  # broadcast over rows
    against_torch(
        "binary_cross_entropy", probabilities(4, 3), probabilities(4, 3), grad_target=True, weight=weight,
        reduction=reduction,
    )


def test_binary_cross_entropy_op_passes_gradcheck():
    x = minitorch.tensor(probabilities(3, 4), requires_grad=True)
    t = minitorch.tensor(probabilities(3, 4), requires_grad=True)
    assert gradcheck(minitorch.functions.BinaryCrossEntropy.apply, (x, t))


def test_binary_cross_entropy_saturated_inputs_stay_finite_like_torch():
    # x = 0 or 1 exactly: each log is clamped at -100, the slope denominator at 1e-12
    x, t = np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0, 1.0])
    loss, _ = against_torch("binary_cross_entropy", x, t, reduction="none")
    np.testing.assert_array_equal(loss.detach().numpy(), [100, 100, 0, 0])
    x = minitorch.tensor(x, requires_grad=True)
    F.binary_cross_entropy(x, minitorch.tensor(t), reduction="sum").backward()
    np.testing.assert_array_equal(x.grad.numpy(), [-1e12, 1e12, 0, 0])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("with_pos_weight", [False, True])
def test_binary_cross_entropy_with_logits_matches_torch(reduction, weighted, with_pos_weight):
    kwargs = {"reduction": reduction}
    if weighted:
        kwargs["weight"] = RNG.uniform(0.5, 2, size=(4, 1))
    if with_pos_weight:
        kwargs["pos_weight"] = RNG.uniform(0.5, 3, size=3)  # one per class, broadcast over the batch
    against_torch("binary_cross_entropy_with_logits", RNG.normal(size=(4, 3)) * 3, probabilities(4, 3),
                  grad_target=True, **kwargs)


def test_binary_cross_entropy_with_logits_gradient_at_zero_is_sigmoid_minus_target():
    # max(x, 0) and |x| both have kinks at 0; the loss's true slope there is sigmoid(0) - t
    x = minitorch.zeros(3, dtype=minitorch.float64, requires_grad=True)
    t = minitorch.tensor([0.0, 0.25, 1.0], dtype=minitorch.float64)
    F.binary_cross_entropy_with_logits(x, t, reduction="sum").backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.5, 0.25, -0.5])
    loss = F.binary_cross_entropy_with_logits(minitorch.zeros(1), minitorch.ones(1))
    assert loss.item() == pytest.approx(math.log(2))


# ------------------------------------------------------------------- stability
HUGE = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0], [-1e4, -1e4, -1e4]])


@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cross_entropy_is_finite_and_exact_at_huge_logits(label_smoothing):
    loss, grad = against_torch("cross_entropy", HUGE, np.array([1, 1, 2]), weight=np.array([1.0, 2.0, 0.5]),
                               label_smoothing=label_smoothing)
    assert np.isfinite(loss.item()) and np.isfinite(grad).all()


def test_cross_entropy_huge_logits_in_float32():
    x = minitorch.tensor(HUGE, dtype=minitorch.float32, requires_grad=True)
    loss = F.cross_entropy(x, minitorch.tensor([1, 1, 2]), label_smoothing=0.1)
    loss.backward()
    assert loss.dtype == minitorch.float32 and np.isfinite(loss.item()) and np.isfinite(x.grad.numpy()).all()


def test_cross_entropy_with_minus_inf_logits_of_other_classes_is_finite():
    # masked-out classes (logit -inf) must not turn the loss into nan: inf * 0
    logits = np.array([[0.5, -np.inf, 1.0], [-np.inf, 2.0, 0.0]])
    loss, grad = against_torch("cross_entropy", logits, np.array([0, 1]))
    assert np.isfinite(loss.item()) and np.isfinite(grad).all()


def test_binary_cross_entropy_with_logits_is_finite_and_exact_at_huge_logits():
    logits = np.array([1e4, -1e4, 1e4, -1e4, 0.0])
    target = np.array([1.0, 0.0, 0.0, 1.0, 0.5])
    loss, grad = against_torch("binary_cross_entropy_with_logits", logits, target, reduction="none",
                               pos_weight=np.array(3.0))
    np.testing.assert_allclose(loss.detach().numpy()[:4], [0, 0, 1e4, 3e4], atol=1e-12)
    assert np.isfinite(grad).all()
    x32 = minitorch.tensor(logits, dtype=minitorch.float32, requires_grad=True)
    out = F.binary_cross_entropy_with_logits(x32, minitorch.tensor(target, dtype=minitorch.float32))
    out.backward()
    assert out.dtype == minitorch.float32 and np.isfinite(out.item()) and np.isfinite(x32.grad.numpy()).all()


# ---------------------------------------------------------------------- errors
ALL_LOSSES = {
    "mse_loss": lambda: (minitorch.rand(3), minitorch.rand(3)),
    "l1_loss": lambda: (minitorch.rand(3), minitorch.rand(3)),
    "cross_entropy": lambda: (minitorch.randn(3, 2), minitorch.tensor([0, 1, 1])),
    "nll_loss": lambda: (minitorch.randn(3, 2), minitorch.tensor([0, 1, 1])),
    "binary_cross_entropy": lambda: (minitorch.rand(3), minitorch.rand(3)),
    "binary_cross_entropy_with_logits": lambda: (minitorch.randn(3), minitorch.rand(3)),
}


@pytest.mark.parametrize("name", ALL_LOSSES)
def test_bad_reduction_is_refused(name):
    with pytest.raises(ValueError, match=rf"{name}: reduction must be 'mean', 'sum' or 'none', got 'avg'"):
        getattr(F, name)(*ALL_LOSSES[name](), reduction="avg")


@pytest.mark.parametrize("name", ALL_LOSSES)
def test_target_must_be_a_tensor(name):
    input, target = ALL_LOSSES[name]()
    with pytest.raises(TypeError, match=rf"{name}: target must be a Tensor, got list"):
        getattr(F, name)(input, target.tolist())


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_class_losses_need_integer_targets(name):
    with pytest.raises(RuntimeError, match=rf"{name}: target must hold class indices.*float32.*target.long\(\)"):
        getattr(F, name)(minitorch.randn(3, 2), minitorch.tensor([0.0, 1.0, 1.0]))


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("bad", [2, -1])
def test_class_losses_reject_targets_out_of_range(name, bad):
    with pytest.raises(IndexError, match=rf"{name}: target value {bad} is out of range for 2 classes.*\[0, 2\)"):
        getattr(F, name)(minitorch.randn(3, 2), minitorch.tensor([0, bad, -100]))


@pytest.mark.parametrize(
    "input_shape, target_shape", [((3, 2), (4,)), ((3, 2), (3, 1)), ((2, 4, 5), (2, 4)), ((4,), (1,))]
)
def test_class_losses_reject_batch_shape_mismatch(input_shape, target_shape):
    target = minitorch.zeros(*target_shape, dtype=minitorch.int64)
    with pytest.raises(ShapeError, match=rf"needs a target of shape .*, got \({target_shape[0]},"):
        F.cross_entropy(minitorch.randn(*input_shape), target)


def test_class_losses_reject_bad_weight_and_scalar_input():
    with pytest.raises(ShapeError, match=r"weight of shape \(3,\) must hold one weight per class, shape \(2,\)"):
        F.nll_loss(minitorch.randn(3, 2), minitorch.tensor([0, 1, 1]), weight=minitorch.ones(3))
    with pytest.raises(ShapeError, match="class dimension"):
        F.cross_entropy(minitorch.tensor(1.0), minitorch.tensor(0))


@pytest.mark.parametrize("smoothing", [-0.1, 1.5])
def test_cross_entropy_rejects_label_smoothing_outside_0_1(smoothing):
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0 and 1"):
        F.cross_entropy(minitorch.randn(3, 2), minitorch.tensor([0, 1, 1]), label_smoothing=smoothing)


def test_binary_cross_entropy_rejects_values_outside_0_1():
    with pytest.raises(RuntimeError, match=r"every element of input must be in \[0, 1\].*with_logits"):
        F.binary_cross_entropy(minitorch.tensor([0.5, 1.5]), minitorch.tensor([0.0, 1.0]))
    with pytest.raises(RuntimeError, match=r"every element of target must be in \[0, 1\]"):
        F.binary_cross_entropy(minitorch.tensor([0.5, 0.5]), minitorch.tensor([0.0, -1.0]))


def test_binary_losses_reject_weights_that_do_not_broadcast_to_the_input():
    x, t = minitorch.rand(4, 3), minitorch.rand(4, 3)
    with pytest.raises(ShapeError, match=r"weight of shape \(2, 4, 3\) must broadcast to the input's shape"):
        F.binary_cross_entropy(x, t, weight=minitorch.ones(2, 4, 3))
    with pytest.raises(ShapeError, match=r"pos_weight of shape \(4,\)"):
        F.binary_cross_entropy_with_logits(x, t, pos_weight=minitorch.ones(4))


# ---------------------------------------------------------------- loss modules
def test_loss_modules_call_their_functions_with_their_options():
    x, t = minitorch.randn(6, 3, dtype=minitorch.float64), minitorch.tensor([0, 2, 1, -100, 2, 0])
    w = minitorch.tensor([1.0, 2.0, 0.5], dtype=minitorch.float64)
    p, y = minitorch.rand(6, 3, dtype=minitorch.float64), minitorch.rand(6, 3, dtype=minitorch.float64)
    pairs = [
        (CrossEntropyLoss(weight=w, label_smoothing=0.1)(x, t), F.cross_entropy(x, t, weight=w, label_smoothing=0.1)),
        (NLLLoss(weight=w, reduction="sum")(x.log_softmax(1), t), F.nll_loss(x.log_softmax(1), t, w, reduction="sum")),
        (MSELoss(reduction="none")(p, y), F.mse_loss(p, y, reduction="none")),
        (L1Loss()(p, y), F.l1_loss(p, y)),
        (BCELoss(weight=w)(p, y), F.binary_cross_entropy(p, y, weight=w)),
        (BCEWithLogitsLoss(pos_weight=w)(x, y), F.binary_cross_entropy_with_logits(x, y, pos_weight=w)),
    ]
    for module_loss, function_loss in pairs:
        np.testing.assert_array_equal(module_loss.numpy(), function_loss.numpy())


def test_loss_module_weights_are_buffers_in_the_state_dict():
    w = minitorch.tensor([1.0, 2.0])
    assert list(CrossEntropyLoss(weight=w).state_dict()) == ["weight"]
    assert list(CrossEntropyLoss().state_dict()) == []
    assert list(BCEWithLogitsLoss(pos_weight=w).state_dict()) == ["pos_weight"]
    assert list(CrossEntropyLoss().parameters()) == []


def test_loss_module_checks_reduction_when_built():
    with pytest.raises(ValueError, match="MSELoss: reduction must be 'mean', 'sum' or 'none', got 'avg'"):
        MSELoss(reduction="avg")


@pytest.mark.parametrize("size_average, reduce, reduction", [
    (None, False, "none"), (False, None, "sum"), (True, True, "mean"), (False, False, "none"), (None, True, "mean"),
])
def test_deprecated_size_average_and_reduce_decide_as_in_pytorch(size_average, reduce, reduction):
    x, t = minitorch.tensor([0.2, 0.7, 0.9]), minitorch.tensor([0.0, 1.0, 1.0])
    legacy = F.mse_loss(x, t, size_average, reduce)  # PyTorch's positional order
    np.testing.assert_allclose(legacy.numpy(), F.mse_loss(x, t, reduction=reduction).numpy())
    np.testing.assert_allclose(F.binary_cross_entropy(x, t, None, size_average, reduce).numpy(),
                               F.binary_cross_entropy(x, t, reduction=reduction).numpy())
