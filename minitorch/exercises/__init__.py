"""Checks for the lessons' exercises: each says right or wrong, and why.

Every exercise at the end of a lesson has an id ``"<lesson>.<n>"`` (exercise 2 of lesson 4 is
``"4.2"``) and a check that takes the answer the exercise asks for: a function, a number, an
array, a small model. Call it from the lesson (a notebook cell) or any script::

    from minitorch.exercises import check

    def leaky_relu(x, a=0.01):
        ...

    check("4.1", leaky_relu)    # prints "Exercise 4.1 (Leaky ReLU): right. ..." or "wrong: ..."

``check`` returns a ``Verdict`` (``ok`` and ``why``), so a test can assert on it;
``python -m minitorch.exercises`` lists every exercise with the answer its check expects.
Exercises that ask for an explanation are checked on the number or the code the explanation
rests on. The instructors' solutions are in ``lessons/solutions/`` of the reference repository;
the student edition (``python -m minitorch.labs build-student``) leaves them out.

A check runs minitorch's own code (the student's, in the labs' student edition): when that
reaches a lab task that is not solved yet, the verdict says "solve task N first" instead.
"""
import importlib
import math
import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

LESSON_MODULES = ("basics", "training", "models", "systems")  # lessons 1-3, 4-6, 7-9, 10-12
_STUB = re.compile(r"Task (\d+(?:\.\d+)+):")


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: ``ok`` (right or wrong) and ``why``, one or two sentences."""

    ok: bool
    why: str

    def __bool__(self):
        return self.ok


@dataclass(frozen=True)
class Exercise:
    """One exercise: its ``id``, ``title``, what to pass (``answer``) and its ``run`` (answer -> Verdict)."""

    id: str
    title: str
    answer: str
    run: Callable


REGISTRY = {}


def exercise(exercise_id, title, answer):
    """Register the decorated ``run(answer) -> Verdict`` as the check of exercise ``exercise_id``."""
    def register(run):
        REGISTRY[exercise_id] = Exercise(exercise_id, title, answer, run)
        return run
    return register


def all_exercises():
    """Every registered exercise, by lesson and number."""
    for name in LESSON_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return sorted(REGISTRY.values(), key=lambda e: tuple(int(n) for n in e.id.split(".")))


def get_exercise(exercise_id):
    """The exercise with this id (a clear KeyError naming the valid ids otherwise)."""
    known = {e.id: e for e in all_exercises()}
    if exercise_id not in known:
        raise KeyError(f"no exercise {exercise_id!r} has a check; the exercises with checks are "
                       f"{', '.join(known)} (python -m minitorch.exercises lists them).")
    return known[exercise_id]


def verdict(exercise_id, answer):
    """The Verdict of ``answer`` for exercise ``exercise_id``, without printing it. A check may seed minitorch's
    generator for its own runs; the caller's random state is given back afterwards."""
    from ..random import get_rng_state, set_rng_state

    found, state = get_exercise(exercise_id), get_rng_state()
    try:
        return found.run(answer)
    except NotImplementedError as e:
        task = _STUB.search(str(e))
        if task:
            return Verdict(False, f"this check runs lab task {task.group(1)}, which is not solved yet: "
                                  f"solve task {task.group(1)} first.")
        raise
    except Exception as e:  # the student's answer raised: say so, as a wrong answer
        return Verdict(False, f"your answer raised {type(e).__name__}: {e}")
    finally:
        set_rng_state(state)


def check(exercise_id, answer):
    """Check ``answer`` for exercise ``exercise_id`` ("4.1"), print the verdict and return it."""
    result = verdict(exercise_id, answer)
    title = get_exercise(exercise_id).title
    print(f"Exercise {exercise_id} ({title}): {'right' if result.ok else 'wrong'}. {result.why}")
    return result


# ----------------------------------------------------------------------------- helpers for checks

def right(why):
    """The verdict "right", and why."""
    return Verdict(True, why)


def wrong(why):
    """The verdict "wrong", and why (what was expected, what came out, where to look)."""
    return Verdict(False, why)


def close_to(name, got, expected, rel=1e-3, abs_=0.0, why=""):
    """A Verdict on a number: ``got`` within ``rel`` (relative) or ``abs_`` of ``expected``."""
    try:
        value = float(got)
    except (TypeError, ValueError):
        return wrong(f"{name} should be a number, got {type(got).__name__}.")
    if math.isfinite(value) and abs(value - expected) <= max(rel * abs(expected), abs_):
        return right(why or f"{name} is {expected:.6g}.")
    return wrong(f"{name}: expected about {expected:.6g}, got {value:.6g}. {why}".rstrip())


def first_difference(name, got, expected, rtol=1e-6, atol=1e-9):
    """None if the arrays agree, else what differs (shape, or the first element that is off)."""
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        return f"{name} has shape {got.shape}, expected {expected.shape}."
    off = ~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if off.any():
        index = tuple(int(i) for i in np.argwhere(off)[0])
        return (f"{name} at {index}: expected {expected[index]:.6g}, got {got[index]:.6g} "
                f"({int(off.sum())} of {off.size} elements differ).")
    return None
