"""Probes: how the trusted grader asks a submission for numbers, one small function at a time.

A probe belongs to one task. The grader draws its ``inputs(rng)`` (a dict of numpy arrays) with
a seed of its own at grading time, runs ``run(load, inputs)`` on the reference and on the
submission, each in a child process (``load`` is ``importlib.import_module``: the probe
reaches the code only through its public API), and compares the returned dicts of arrays
within ``rtol``/``atol``. A probe whose answer is not unique (a topological order) instead has a
``check(inputs, got)``, run by the grader, that returns what is wrong or None. ``where`` tells a
student where to look; ``diagnose(inputs, got, expected)`` may add a hint for a known mistake;
``hidden`` probes are graded like the others but shown after grades are published.

A milestone's child returns only what it trained: its model's parameters (``trained``), never
predictions or a loss. The grader checks that they are the milestone's model's (names, shapes,
finite numbers) and runs the probe's ``evaluate(load, inputs)`` on them in a child of the
REFERENCE (``inputs`` then hold the parameters too: ``state_of``), on data the grader holds;
``check`` grades what the reference computed, and the answers of the student's own functions
the child added (under ``ANSWER``), such as ``evaluate`` on labels the grader drew.

This package imports only numpy: the grader loads it to draw inputs and compare, and a copy
of it runs in the sandboxed child (``main``), which only ever writes arrays (``.npz``) and one
JSON line per probe. Nothing the child writes is trusted: the grader reads arrays with
``allow_pickle=False`` and decides by itself.
"""
import importlib
import json
import os
import re
import sys
import traceback
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

LAB_MODULES = ("lab1", "lab2", "lab3", "lab4", "lab5", "lab6")
HIDDEN_MODULE = "hidden"  # copied into a child only with the hidden probes it runs
STUB = re.compile(r"Task (\d+(?:\.\d+)+):")


@dataclass(frozen=True)
class Probe:
    """One probe of task ``task``; see the module's docstring."""

    task: str
    name: str
    inputs: Callable
    run: Callable
    where: str
    rtol: float = 1e-7
    atol: float = 1e-9
    hidden: bool = False
    check: Optional[Callable] = None
    diagnose: Optional[Callable] = None
    evaluate: Optional[Callable] = None

    @property
    def key(self):
        return f"{self.task}:{self.name}"


REGISTRY = []


def probe(task, inputs, where, **options):
    """Register the decorated ``run(load, inputs)`` as a probe of ``task``."""
    def register(run):
        REGISTRY.append(Probe(task, run.__name__, inputs, run, where, **options))
        return run
    return register


def all_probes():
    """Every probe (the hidden ones when their module is here), in course order."""
    for name in LAB_MODULES + (HIDDEN_MODULE,):
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{HIDDEN_MODULE}":
                raise
    return sorted(REGISTRY, key=lambda p: tuple(int(n) for n in p.task.split(".")))  # stable: visible first


# ----------------------------------------------------------------------------- helpers for probes

def uniform(rng, shape, low=-2.0, high=2.0):
    """Values drawn uniformly from [low, high)."""
    return rng.uniform(low, high, shape)


def away_from_zero(rng, shape):
    """Values in [0.5, 2] with random signs: safe denominators."""
    return rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def seed(rng):
    """A seed for what the probe draws in the child (an upstream gradient, parameters)."""
    return np.array(rng.integers(0, 2**31))


def tensors(m, *arrays, requires_grad=True):
    """float64 tensors of module ``m`` (minitorch) made of ``arrays``."""
    return [m.tensor(np.asarray(a), dtype=m.float64, requires_grad=requires_grad) for a in arrays]


def value_and_grads(load, fn, arrays, upstream_seed, prefix=""):
    """Run ``fn`` on float64 tensors made of ``arrays``, backpropagate a random upstream gradient
    (drawn from ``upstream_seed``), return the output and every input's gradient."""
    m = load("minitorch")
    ts = tensors(m, *arrays)
    out = fn(*ts)
    upstream = np.random.default_rng(int(upstream_seed)).standard_normal(tuple(out.shape))
    out.backward(m.tensor(upstream, dtype=m.float64))
    found = {f"{prefix}value": out.detach().numpy()}
    found.update({f"{prefix}grad{k}": t.grad.numpy() for k, t in enumerate(ts)})
    return found


def set_parameters(m, module, parameter_seed, scale=0.3):
    """Give every parameter of ``module`` values drawn from ``parameter_seed`` (by name, sorted)."""
    rng = np.random.default_rng(int(parameter_seed))
    with m.no_grad():
        for _, p in sorted(module.named_parameters()):
            p.copy_(m.tensor(scale * rng.standard_normal(tuple(p.shape)), dtype=p.dtype))


STATE = "state_dict/"  # a milestone's trained parameters, by name, in the child's outputs
ANSWER = "child/"  # the child's other outputs, as the grader passes them to a milestone's check


def trained(state, **answers):
    """What a milestone's child returns: the trained ``state`` ({name: tensor or array}, e.g. the
    model's ``state_dict()``) as arrays under ``STATE``, and the ``answers`` of the student's own
    functions that the check compares with the reference's evaluation of that state."""
    arrays = {STATE + name: np.asarray(v.detach().cpu().numpy() if hasattr(v, "detach") else v)
              for name, v in state.items()}
    return {**arrays, **answers}


def state_of(outputs):
    """The trained parameters in a milestone's ``outputs`` (or an ``evaluate``'s inputs), by name."""
    return {name[len(STATE):]: v for name, v in outputs.items() if name.startswith(STATE)}


def parameters_and_buffers(model):
    """A trained module's arrays by dotted name, as its state_dict has them (plus any buffer it
    does not save), read through ``named_parameters`` and ``named_buffers``: a milestone that
    called ``state_dict`` would also grade task 3.9."""
    return {**dict(model.named_parameters()), **dict(model.named_buffers())}


def load_trained(model, x):
    """``model`` (a minitorch ``nn.Module`` of the reference) with the trained parameters in ``x``
    loaded by ``load_state_dict(strict=True)`` (the keys of its state_dict), in evaluation mode."""
    state = state_of(x)
    model.load_state_dict({name: state[name] for name in model.state_dict()}, strict=True)
    return model.eval()


def near_ties(logits, tolerance=1e-4):
    """Which rows of ``logits`` have a runner-up within ``tolerance`` (relative) of their maximum:
    there, another implementation's rounding may pick another class."""
    top = np.sort(np.asarray(logits, dtype=float), axis=1)[:, -2:]
    return top[:, 1] - top[:, 0] <= tolerance * (1.0 + np.abs(top[:, 1]))


# ----------------------------------------------------------------------------- the child's side

def _emit(status, entry):
    status.write(json.dumps(entry) + "\n")
    status.flush()


def _failure(exc):
    """What went wrong, for the status line: type, message, stub task, and the last frame. (The
    exception walk of ``labs.regions.stub_in``: this package runs alone in the sandbox, as
    ``labprobes``, so it cannot import the rest of ``minitorch.labs``.)"""
    stub = None
    seen, stack = set(), [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        match = STUB.search(str(e)) if isinstance(e, NotImplementedError) else None
        if match:
            stub = match.group(1)
            break
        stack += [e.__cause__, e.__context__]
    frames = traceback.extract_tb(exc.__traceback__)
    where = next((f"{f.filename}:{f.lineno} in {f.name}" for f in reversed(frames)), "")
    return {"error": type(exc).__name__, "message": str(exc)[:1500], "stub": stub, "at": where}


def main(job_path):
    """Run the probes a job names (the sandboxed child): inputs from the job's ``.npz``, one
    ``.npz`` of outputs and one status line per probe."""
    with open(job_path) as f:
        job = json.load(f)
    probes = {p.key: p for p in all_probes()}
    inputs = np.load(job["inputs"], allow_pickle=False)
    tracer = None
    if job.get("trace"):  # the mutation check's reference run: which tasks' regions each probe reaches
        from .reach import RegionTracer

        tracer = RegionTracer(job["trace"])
        tracer.start()

    def reached():
        return {"reached": ",".join(sorted(tracer.take()))} if tracer else {}

    try:  # the start-up phase: a hang here stops the whole batch at once
        importlib.import_module("minitorch")
    except BaseException:  # each probe reports the error when it imports the code again
        pass
    with open(job["status"], "a") as status:
        if tracer:
            _emit(status, {"startup": True, **reached()})
        for index, key in enumerate(job["probes"]):
            _emit(status, {"probe": key, "started": True})
            prefix = f"{index}/"
            given = {name[len(prefix):]: inputs[name] for name in inputs.files if name.startswith(prefix)}
            run = probes[key].evaluate if job.get("evaluate") else probes[key].run  # evaluate: the reference's
            try:
                found = run(importlib.import_module, given)
                np.savez(os.path.join(job["out"], f"{index}.npz"),
                         **{name: np.asarray(value) for name, value in found.items()})
                _emit(status, {"probe": key, "done": True, **reached()})
            except BaseException as exc:  # the student's code may raise anything, SystemExit included
                _emit(status, {"probe": key, **_failure(exc), **reached()})
    sys.stdout.flush()
