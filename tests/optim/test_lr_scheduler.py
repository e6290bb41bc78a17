"""minitorch.optim.lr_scheduler: the lr sequences equal PyTorch's; state_dict; bad input."""
import math

import numpy as np
import pytest

import minitorch
from minitorch.optim import lr_scheduler

LRS = (0.1, 0.03)  # two parameter groups with different learning rates


def make_optimizer(lib):
    groups = [{"params": [lib.zeros(2, requires_grad=True)], "lr": lr} for lr in LRS]
    return lib.optim.SGD(groups, lr=1.0, momentum=0.9)


def lr_sequence(lib, make_schedulers, epochs):
    """The lrs of both groups after creation and after each of ``epochs`` steps."""
    opt = make_optimizer(lib)
    schedulers = make_schedulers(lib.optim.lr_scheduler, opt)
    seen = [[g["lr"] for g in opt.param_groups]]
    for _ in range(epochs):
        opt.step()
        for s in schedulers:
            s.step()
        seen.append([g["lr"] for g in opt.param_groups])
        assert schedulers[-1].get_last_lr() == seen[-1]
    return np.array(seen)


def _lambdas():
    return [lambda t: 0.95**t, lambda t: 1.0 / (1 + t)]


SCHEDULES = {
    "StepLR": (lambda m, o: [m.StepLR(o, step_size=3, gamma=0.5)], 20),
    "ExponentialLR": (lambda m, o: [m.ExponentialLR(o, gamma=0.9)], 20),
    "Cosine": (lambda m, o: [m.CosineAnnealingLR(o, T_max=10)], 45),
    "Cosine-eta_min": (lambda m, o: [m.CosineAnnealingLR(o, T_max=7, eta_min=0.01)], 40),
    "LinearLR": (lambda m, o: [m.LinearLR(o)], 10),
    "LinearLR-decay": (lambda m, o: [m.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=6)], 10),
    "LambdaLR": (lambda m, o: [m.LambdaLR(o, lambda t: 1.0 / (1 + t) ** 0.5)], 10),
    "LambdaLR-list": (lambda m, o: [m.LambdaLR(o, _lambdas())], 10),
    "Sequential-warmup-cosine": (lambda m, o: [m.SequentialLR(
        o, [m.LinearLR(o, start_factor=0.1, total_iters=4), m.CosineAnnealingLR(o, T_max=12)],
        milestones=[4])], 25),
    "Sequential-three": (lambda m, o: [m.SequentialLR(
        o, [m.ExponentialLR(o, gamma=0.8), m.StepLR(o, 2, gamma=0.5), m.LambdaLR(o, lambda t: t + 1)],
        milestones=[3, 8])], 15),
    "chained-step-and-exponential": (lambda m, o: [m.StepLR(o, 4, gamma=0.1), m.ExponentialLR(o, 0.9)], 15),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_lr_sequence_matches_pytorch(name):
    torch = pytest.importorskip("torch")
    make, epochs = SCHEDULES[name]
    ours = lr_sequence(minitorch, make, epochs)
    theirs = lr_sequence(torch, make, epochs)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    assert len(np.unique(ours[:, 0])) > 2  # the schedule changed the lr


def test_closed_forms_in_the_docstrings():
    """The sequences equal the closed forms the docstrings state (no PyTorch needed)."""
    t = np.arange(31)
    step = lr_sequence(minitorch, SCHEDULES["StepLR"][0], 30)
    np.testing.assert_allclose(step[:, 0], 0.1 * 0.5 ** (t // 3), rtol=1e-13)
    cos = lr_sequence(minitorch, lambda m, o: [m.CosineAnnealingLR(o, T_max=10, eta_min=0.01)], 30)
    expected = 0.01 + (0.1 - 0.01) * (1 + np.cos(np.pi * t / 10)) / 2
    np.testing.assert_allclose(cos[:, 0], expected, rtol=1e-10, atol=1e-15)
    lin = lr_sequence(minitorch, SCHEDULES["LinearLR-decay"][0], 30)
    expected = 0.03 * (1.0 + (0.2 - 1.0) * np.minimum(t, 6) / 6)
    np.testing.assert_allclose(lin[:, 1], expected, rtol=1e-13)


def test_state_dict_round_trip():
    def build():
        opt = make_optimizer(minitorch)
        warm = lr_scheduler.LinearLR(opt, start_factor=0.2, total_iters=3)
        cos = lr_scheduler.CosineAnnealingLR(opt, T_max=9)
        return opt, lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[3])

    opt, sched = build()
    lrs = []
    for _ in range(12):
        sched.step()
        lrs.append(sched.get_last_lr())
    opt, sched = build()
    for _ in range(5):
        sched.step()
    saved_opt, saved_sched = opt.state_dict(), sched.state_dict()
    assert all(isinstance(s, dict) for s in saved_sched["_schedulers"])
    assert "optimizer" not in saved_sched
    opt2, sched2 = build()
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved_sched)
    resumed = lrs[:5]
    for _ in range(7):
        sched2.step()
        resumed.append(sched2.get_last_lr())
    np.testing.assert_array_equal(resumed, lrs)


def test_lambda_lr_state_dict_leaves_functions_out():
    opt = make_optimizer(minitorch)
    sched = lr_scheduler.LambdaLR(opt, lambda t: 0.5**t)
    sched.step()
    saved = sched.state_dict()
    assert saved["lr_lambdas"] == [None, None] and saved["last_epoch"] == 1  # PyTorch's layout
    sched2 = lr_scheduler.LambdaLR(make_optimizer(minitorch), lambda t: 0.5**t)
    sched2.load_state_dict(saved)
    sched2.step()
    assert sched2.get_last_lr() == [0.1 * 0.25, 0.03 * 0.25]


def test_initial_lr_is_kept_and_legacy_alias():
    opt = make_optimizer(minitorch)
    sched = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    sched.step()
    assert [g["initial_lr"] for g in opt.param_groups] == list(LRS)
    assert sched.base_lrs == list(LRS)
    assert lr_scheduler._LRScheduler is lr_scheduler.LRScheduler
    assert math.isclose(opt.param_groups[0]["lr"], 0.05)


def test_bad_input():
    opt = make_optimizer(minitorch)
    with pytest.raises(TypeError, match="expected an Optimizer"):
        lr_scheduler.StepLR("sgd", step_size=2)
    with pytest.raises(ValueError, match="StepLR: step_size must be above 0, got 0"):
        lr_scheduler.StepLR(opt, step_size=0)
    with pytest.raises(ValueError, match="CosineAnnealingLR: T_max must be above 0, got 0"):
        lr_scheduler.CosineAnnealingLR(opt, T_max=0)  # a float T_max is fine, as in PyTorch
    with pytest.raises(ValueError, match=r"start_factor .* must be above 0 and at most 1, got 0"):
        lr_scheduler.LinearLR(opt, start_factor=0)
    with pytest.raises(ValueError, match="end_factor must be between 0 and 1, got 2"):
        lr_scheduler.LinearLR(opt, end_factor=2)
    with pytest.raises(ValueError, match="lr_lambda has 1 values but the optimiser has 2 parameter groups"):
        lr_scheduler.LambdaLR(opt, [lambda t: 1.0])
    with pytest.raises(TypeError, match="must be callable"):
        lr_scheduler.LambdaLR(opt, 0.5)
    with pytest.raises(KeyError, match=r"needs 'initial_lr' in param_groups\[0\]"):
        lr_scheduler.StepLR(make_optimizer(minitorch), step_size=2, last_epoch=5)
    a, b = lr_scheduler.StepLR(opt, 2), lr_scheduler.ExponentialLR(opt, 0.9)
    with pytest.raises(ValueError, match="2 schedulers need 1 milestones"):
        lr_scheduler.SequentialLR(opt, [a, b], milestones=[2, 4])
    other = lr_scheduler.StepLR(make_optimizer(minitorch), 2)
    with pytest.raises(ValueError, match=r"schedulers\[1\] drives a different optimiser"):
        lr_scheduler.SequentialLR(opt, [a, other], milestones=[2])
