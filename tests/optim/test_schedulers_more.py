"""Every scheduler against PyTorch: lr (and momentum) sequences, state_dict both ways, bad input."""
import math

import numpy as np
import pytest

import minitorch
from minitorch.optim import lr_scheduler

LRS = (0.1, 0.03)  # two parameter groups with different learning rates


def make_optimizer(lib, name="SGD"):
    groups = [{"params": [lib.zeros(2, requires_grad=True)], "lr": lr} for lr in LRS]
    return getattr(lib.optim, name)(groups, lr=1.0, **({"momentum": 0.9} if name == "SGD" else {}))


def momenta(opt):
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


def run(lib, make, epochs, optimizer="SGD", metrics=None, state_after=None):
    """lrs and momenta after creation and after each step; and the scheduler, optimiser."""
    opt = make_optimizer(lib, optimizer)
    sched = make(lib.optim.lr_scheduler, opt)
    seen = [[g["lr"] for g in opt.param_groups] + momenta(opt)]
    for epoch in range(epochs):
        opt.step()
        sched.step(metrics[epoch]) if metrics is not None else sched.step()
        seen.append([g["lr"] for g in opt.param_groups] + momenta(opt))
        assert sched.get_last_lr() == seen[-1][:2]
    return np.array(seen), sched, opt


def _warmup_then_decay(m, o):
    return m.SequentialLR(o, [m.ConstantLR(o, factor=0.5, total_iters=3), m.MultiStepLR(o, [4, 8])],
                          milestones=[3])


class Halve:
    """A callable object: its attributes are saved in state_dict, as PyTorch does."""

    def __init__(self):
        self.rate = 0.5

    def __call__(self, epoch):
        return self.rate ** (epoch % 3)


PLATEAU_METRICS = [5, 4, 4, 4, 4, 4, 3.9999, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]

SCHEDULES = {
    "StepLR-float": (lambda m, o: m.StepLR(o, step_size=2.5, gamma=0.5), 20, {}),
    "StepLR-1.0": (lambda m, o: m.StepLR(o, step_size=1.0, gamma=0.9), 10, {}),
    "MultiStepLR": (lambda m, o: m.MultiStepLR(o, milestones=[7, 3, 3, 12], gamma=0.5), 15, {}),
    "ConstantLR": (lambda m, o: m.ConstantLR(o, factor=0.25, total_iters=4), 8, {}),
    "ConstantLR-float": (lambda m, o: m.ConstantLR(o, total_iters=3.0), 8, {}),
    "LinearLR-float": (lambda m, o: m.LinearLR(o, start_factor=0.2, total_iters=4.0), 8, {}),
    "PolynomialLR": (lambda m, o: m.PolynomialLR(o, total_iters=8, power=2.0), 12, {}),
    "PolynomialLR-sqrt": (lambda m, o: m.PolynomialLR(o, total_iters=5, power=0.5), 8, {}),
    "Cosine-float": (lambda m, o: m.CosineAnnealingLR(o, T_max=4.5, eta_min=0.001), 20, {}),
    "MultiplicativeLR": (lambda m, o: m.MultiplicativeLR(o, lambda t: 0.9), 10, {}),
    "MultiplicativeLR-list": (lambda m, o: m.MultiplicativeLR(o, [lambda t: 0.9, Halve()]), 10, {}),
    "LambdaLR-object": (lambda m, o: m.LambdaLR(o, Halve()), 10, {}),
    "WarmRestarts": (lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=4), 20, {}),
    "WarmRestarts-mult": (lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2, eta_min=0.01), 25, {}),
    "CyclicLR": (lambda m, o: m.CyclicLR(o, 0.01, [0.1, 0.2], step_size_up=3), 20, {}),
    "CyclicLR-triangular2": (lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=2, step_size_down=3.0,
                                                     mode="triangular2"), 20, {}),
    "CyclicLR-exp_range-adam": (lambda m, o: m.CyclicLR(o, 0.001, 0.01, 4, mode="exp_range", gamma=0.9),
                                20, {"optimizer": "Adam"}),
    "CyclicLR-scale_fn": (lambda m, o: m.CyclicLR(o, 0.01, 0.1, 2, scale_fn=lambda x: 0.8**x,
                                                  scale_mode="iterations", cycle_momentum=False), 15, {}),
    "OneCycleLR": (lambda m, o: m.OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=20), 20, {}),
    "OneCycleLR-linear-three-phase-adam": (lambda m, o: m.OneCycleLR(
        o, 0.5, epochs=3, steps_per_epoch=7, pct_start=0.25, anneal_strategy="linear",
        three_phase=True), 21, {"optimizer": "Adam"}),
    "ReduceLROnPlateau": (lambda m, o: m.ReduceLROnPlateau(o, patience=2, cooldown=1, min_lr=[0.002, 0.0]),
                          25, {"metrics": PLATEAU_METRICS}),
    "ReduceLROnPlateau-max-abs": (lambda m, o: m.ReduceLROnPlateau(o, "max", factor=0.5, patience=1,
                                                                   threshold=0.5, threshold_mode="abs"),
                                  25, {"metrics": PLATEAU_METRICS}),
    "ChainedScheduler": (lambda m, o: m.ChainedScheduler([m.ConstantLR(o, 0.1, total_iters=2),
                                                          m.ExponentialLR(o, 0.9)]), 10, {}),
    "Sequential-constant-multistep": (_warmup_then_decay, 12, {}),
    "Sequential-linear-polynomial": (lambda m, o: m.SequentialLR(
        o, [m.LinearLR(o, 0.2, total_iters=3), m.PolynomialLR(o, total_iters=6)], milestones=[3]), 12, {}),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_sequence_and_state_dict_match_pytorch(name):
    torch = pytest.importorskip("torch")
    make, epochs, options = SCHEDULES[name]
    ours, sched, _ = run(minitorch, make, epochs, **options)
    theirs, t_sched, _ = run(torch, make, epochs, **options)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    assert len(np.unique(ours[:, 0])) > 1  # the schedule changed the lr
    assert sched.state_dict() == t_sched.state_dict()


@pytest.mark.parametrize("direction", ["torch-to-minitorch", "minitorch-to-torch"])
@pytest.mark.parametrize("name", ["StepLR-float", "MultiStepLR", "PolynomialLR", "WarmRestarts-mult",
                                  "CyclicLR", "OneCycleLR", "ReduceLROnPlateau", "LambdaLR-object",
                                  "ChainedScheduler", "Sequential-constant-multistep"])
def test_state_dicts_cross_between_libraries(name, direction):
    """6 steps in one library; its optimiser and scheduler checkpoints loaded by the other,
    which continues exactly as the first does."""
    torch = pytest.importorskip("torch")
    libs = {"torch": torch, "minitorch": minitorch}
    source, target = (libs[n] for n in direction.split("-to-"))
    make, epochs, options = SCHEDULES[name]
    metrics = options.get("metrics") or [None] * epochs
    runs = {}
    for lib in (source, target):
        opt = make_optimizer(lib, options.get("optimizer", "SGD"))
        runs[lib] = (opt, make(lib.optim.lr_scheduler, opt))
    (opt, sched), (opt2, sched2) = runs[source], runs[target]
    for epoch in range(6):
        sched.step(*[m for m in metrics[epoch:epoch + 1] if m is not None])
    to_target = (lambda a: target.tensor(a))
    opt2.load_state_dict(_convert(opt.state_dict(), to_target))
    sched2.load_state_dict(sched.state_dict())
    for epoch in range(6, epochs):
        args = [m for m in metrics[epoch:epoch + 1] if m is not None]
        sched.step(*args)
        sched2.step(*args)
        np.testing.assert_allclose(sched2.get_last_lr(), sched.get_last_lr(), rtol=1e-12)
        np.testing.assert_allclose(momenta(opt2), momenta(opt), rtol=1e-12)


def _convert(obj, to_tensor):
    if isinstance(obj, dict):
        return {k: _convert(v, to_tensor) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_convert(v, to_tensor) for v in obj]
    if hasattr(obj, "detach"):
        return to_tensor(obj.detach().numpy().copy())
    return obj


def test_warm_restarts_fractional_epochs_match_pytorch():
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (minitorch, torch):
        opt = make_optimizer(lib)
        sched = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2)
        lrs = []
        for epoch in range(10):
            for i in range(4):
                sched.step(epoch + i / 4)
                lrs.append(sched.get_last_lr())
        sched.step()
        seen.append(lrs + [sched.get_last_lr()])
    np.testing.assert_allclose(seen[0], seen[1], rtol=1e-12)


def test_closed_forms_in_the_docstrings():
    """The sequences equal the closed forms the docstrings state (no PyTorch needed)."""
    t = np.arange(13)
    poly, _, _ = run(minitorch, SCHEDULES["PolynomialLR"][0], 12)
    np.testing.assert_allclose(poly[:, 0], 0.1 * (1 - np.minimum(t, 8) / 8) ** 2, rtol=1e-12, atol=1e-16)
    multi, _, _ = run(minitorch, SCHEDULES["MultiStepLR"][0], 12)
    np.testing.assert_allclose(multi[:, 1], 0.03 * 0.5 ** ((t >= 3) * 2 + (t >= 7) + (t >= 12)), rtol=1e-13)
    sgdr, _, _ = run(minitorch, lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=4), 12)
    np.testing.assert_allclose(sgdr[:, 0], 0.05 * (1 + np.cos(np.pi * (t % 4) / 4)), rtol=1e-12)
    cyc, _, _ = run(minitorch, SCHEDULES["CyclicLR"][0], 12)
    triangle = 1 - np.abs(t % 6 - 3) / 3  # 0 -> 1 -> 0 over 6 steps
    np.testing.assert_allclose(cyc[:, 0], 0.01 + 0.09 * triangle, rtol=1e-12)
    np.testing.assert_allclose(cyc[:, 2], 0.9 - 0.1 * triangle, rtol=1e-12)  # the momentum, inversely


def test_one_cycle_refuses_steps_past_the_end():
    opt = make_optimizer(minitorch)
    sched = lr_scheduler.OneCycleLR(opt, 0.1, total_steps=3)
    for _ in range(3):
        sched.step()
    with pytest.raises(ValueError, match="OneCycleLR: tried to step 4 times, but total_steps is 3"):
        sched.step()


def test_plateau_min_lr_after_a_new_group():
    opt = make_optimizer(minitorch)
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=0, min_lr=[0.0, 0.0])
    opt.add_param_group({"params": [minitorch.zeros(1, requires_grad=True)], "lr": 0.5})
    sched.step(1.0)
    with pytest.raises(RuntimeError, match="min_lr lists 2 values but the optimiser now has 3"):
        sched.step(2.0)


@pytest.mark.parametrize("make,error,message", [
    (lambda o: lr_scheduler.StepLR(o, step_size=0), ValueError, "StepLR: step_size must be above 0"),
    (lambda o: lr_scheduler.StepLR(o, step_size="2"), TypeError, "StepLR: step_size must be a number"),
    (lambda o: lr_scheduler.MultiStepLR(o, [2, "x"]), TypeError, "MultiStepLR: each milestone must be a number"),
    (lambda o: lr_scheduler.ConstantLR(o, factor=2), ValueError, "ConstantLR: factor must be between 0 and 1"),
    (lambda o: lr_scheduler.PolynomialLR(o, total_iters=0), ValueError, "PolynomialLR: total_iters must be above 0"),
    (lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2.0), ValueError,
     "CosineAnnealingWarmRestarts: T_0 must be an integer, got 2.0"),
    (lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0), ValueError,
     "T_mult must be at least 1, got 0"),
    (lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2, eta_min="a"), ValueError,
     "eta_min must be a number, got 'a'"),
    (lambda o: lr_scheduler.CyclicLR(o, 0.01, 0.1, mode="x"), ValueError,
     "CyclicLR: mode \\(without a scale_fn\\) must be 'triangular', 'triangular2' or 'exp_range', got 'x'"),
    (lambda o: lr_scheduler.CyclicLR(o, [0.01], 0.1), ValueError,
     "CyclicLR: base_lr has 1 values but the optimiser has 2 parameter groups"),
    (lambda o: lr_scheduler.CyclicLR(minitorch.optim.Adagrad(o.param_groups[0]["params"]), 0.01, 0.1),
     ValueError, "CyclicLR: cycle_momentum=True needs an optimiser with momentum or betas; Adagrad"),
    (lambda o: lr_scheduler.OneCycleLR(o, 0.1), ValueError,
     "OneCycleLR: give either total_steps, or epochs and steps_per_epoch"),
    (lambda o: lr_scheduler.OneCycleLR(o, 0.1, total_steps=10.0), ValueError,
     "OneCycleLR: total_steps must be an integer, got 10.0"),
    (lambda o: lr_scheduler.OneCycleLR(o, 0.1, epochs=2, steps_per_epoch=0), ValueError,
     "steps_per_epoch must be at least 1, got 0"),
    (lambda o: lr_scheduler.OneCycleLR(o, 0.1, total_steps=10, pct_start=1.5), ValueError,
     "pct_start must be a float between 0 and 1, got 1.5"),
    (lambda o: lr_scheduler.OneCycleLR(o, 0.1, total_steps=10, anneal_strategy="x"), ValueError,
     "anneal_strategy must be 'cos' or 'linear'"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=1.0), ValueError, "ReduceLROnPlateau: factor must be < 1.0"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="x"), ValueError, "mode must be 'min' or 'max'"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, threshold_mode="x"), ValueError,
     "threshold_mode must be 'rel' or 'abs'"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, min_lr=[0.0]), ValueError, "min_lr has 1 values"),
    (lambda o: lr_scheduler.MultiplicativeLR(o, 0.5), TypeError, "MultiplicativeLR: lr_lambda must be callable"),
    (lambda o: lr_scheduler.ChainedScheduler([]), ValueError, "ChainedScheduler: expects at least one"),
    (lambda o: lr_scheduler.ChainedScheduler([lr_scheduler.ReduceLROnPlateau(o)]), ValueError,
     "schedulers\\[0\\] is a ReduceLROnPlateau"),
    (lambda o: lr_scheduler.ChainedScheduler([lr_scheduler.StepLR(o, 2),
                                              lr_scheduler.StepLR(make_optimizer(minitorch), 2)]),
     ValueError, "schedulers\\[1\\] drives a different optimiser"),
])
def test_bad_input(make, error, message):
    with pytest.raises(error, match=message):
        make(make_optimizer(minitorch))


def test_pytorch_raises_the_same_error_types():
    torch = pytest.importorskip("torch")
    L = torch.optim.lr_scheduler
    for make in (lambda o: L.CosineAnnealingWarmRestarts(o, T_0=2.0),
                 lambda o: L.OneCycleLR(o, 0.1, total_steps=10.0),
                 lambda o: L.ConstantLR(o, factor=2),
                 lambda o: L.CyclicLR(o, 0.01, 0.1, mode="x"),
                 lambda o: L.ReduceLROnPlateau(o, factor=1.0)):
        with pytest.raises(ValueError):
            make(make_optimizer(torch))
    assert math.isclose(L.StepLR(make_optimizer(torch), 1.0).get_last_lr()[0], 0.1)  # floats accepted
