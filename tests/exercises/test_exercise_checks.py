"""The lessons' exercise checks (``minitorch.exercises``): each accepts the instructors' solution
(``lessons/solutions/``) and rejects a typical mistake, saying why.

The student edition leaves the solutions out; these tests then skip.
"""
import importlib.util
import pathlib

import pytest

from minitorch import exercises

SOLUTIONS = pathlib.Path(__file__).resolve().parents[2] / "lessons" / "solutions"
GROUPS = ("basics", "training", "models", "systems")


def _load(group):
    spec = importlib.util.spec_from_file_location(f"lesson_solutions_{group}", SOLUTIONS / f"{group}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def solutions():
    if not SOLUTIONS.is_dir():
        pytest.skip("the instructors' solutions (lessons/solutions/) are not in the student edition")
    found = {}
    for group in GROUPS:
        module = _load(group)
        for exercise_id, answer in module.SOLUTIONS.items():
            found[exercise_id] = (answer, module.WRONG[exercise_id])
    return found


IDS = [e.id for e in exercises.all_exercises()]


@pytest.mark.parametrize("exercise_id", IDS)
def test_check_accepts_the_solution_and_rejects_the_mistake(solutions, exercise_id):
    answer, (mistake, reason) = solutions[exercise_id]
    good = exercises.verdict(exercise_id, answer)
    assert good.ok, f"the solution of {exercise_id} is judged wrong: {good.why}"
    bad = exercises.verdict(exercise_id, mistake)
    assert not bad.ok, f"the mistake for {exercise_id} is judged right: {bad.why}"
    assert reason in bad.why, f"the verdict on the mistake for {exercise_id} does not say why: {bad.why}"


def test_every_solution_has_a_check(solutions):
    assert sorted(solutions) == sorted(IDS)


def test_check_prints_the_verdict(capsys):
    result = exercises.check("4.4", 88)
    assert not result and "Exercise 4.4 (float32 overflow): wrong." in capsys.readouterr().out


def test_unknown_exercise_names_the_known_ones():
    with pytest.raises(KeyError, match="4.1"):
        exercises.check("4.9", None)


def test_an_unsolved_lab_task_says_solve_it_first():
    def stub(x, a=0.01):
        raise NotImplementedError("Task 3.1: dL/dx of ReLU")

    result = exercises.verdict("4.1", stub)
    assert not result.ok and "solve task 3.1 first" in result.why


def test_the_listing_names_every_exercise(capsys):
    from minitorch.exercises.__main__ import main

    main()
    out = capsys.readouterr().out
    assert all(f'check("{i}"' in out for i in IDS)


def test_the_student_edition_leaves_the_solutions_out(tmp_path):
    from minitorch.labs.build import build_student

    root = pathlib.Path(__file__).resolve().parents[2]
    build_student(root, tmp_path / "student", include=("lessons/", "minitorch/exercises/"))
    assert (tmp_path / "student" / "minitorch" / "exercises" / "basics.py").is_file()
    assert (tmp_path / "student" / "lessons" / "01_scalar_autograd.py").is_file()
    assert not (tmp_path / "student" / "lessons" / "solutions").exists()
