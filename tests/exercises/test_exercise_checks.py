"""The lessons' exercise checks (``minitorch.exercises``): each accepts the instructors' solution
(``lessons/solutions/``) and rejects a typical mistake, saying why.

The student edition leaves the solutions out; these tests then skip.
"""
import importlib.util
import pathlib
import re

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


def _lesson_exercise_ids():
    """Every exercise id found in the lessons' "Exercises" sections: "<lesson>.<n>" for each "# n. **Title**"."""
    found = []
    for path in sorted(SOLUTIONS.parent.glob("[0-9][0-9]_*.py")):
        section = path.read_text(encoding="utf-8").split("# ## Exercises", 1)[-1]
        found += [f"{int(path.name[:2])}.{n}" for n in re.findall(r"^# (\d+)\. \*\*", section, flags=re.M)]
    return found


def test_every_lesson_exercise_has_a_check():
    in_lessons = _lesson_exercise_ids()
    if not in_lessons:
        pytest.skip("the lessons are not in this checkout")
    assert len(in_lessons) == 60
    assert sorted(in_lessons) == sorted(IDS), f"exercises without a check: {sorted(set(in_lessons) - set(IDS))}"


def test_check_prints_the_verdict(capsys):
    result = exercises.check("4.4", 88)
    assert not result and "Exercise 4.4 (float32 overflow): wrong." in capsys.readouterr().out


def test_a_check_gives_the_random_state_back():
    import minitorch

    minitorch.manual_seed(5)
    expected = minitorch.rand(3).numpy()
    minitorch.manual_seed(5)
    exercises.verdict("7.5", lambda images: images)   # the check seeds minitorch for its own images
    assert (minitorch.rand(3).numpy() == expected).all()


def test_a_rank_that_waits_forever_is_stopped_and_the_real_calls_come_back():
    import minitorch.distributed as dist
    from minitorch.exercises.systems import _simulated_ranks

    def receive_only(tensor):
        dist.recv(tensor, (dist.get_rank() - 1) % dist.get_world_size())

    with pytest.raises(RuntimeError, match="never sent"):
        _simulated_ranks(receive_only, [[1.0, 2.0], [3.0, 4.0]], timeout=0.2)
    assert dist.recv.__module__ == "minitorch.distributed.collectives"
    assert dist.get_rank.__module__ == "minitorch.distributed.process_group"


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
