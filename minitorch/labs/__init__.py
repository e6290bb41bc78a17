"""Course labs made from the reference code: student editions, tests per task, and a grader.

A *task* ("1.3") is a piece of the framework a student writes: one or more solution regions
in the reference code, marked ``### BEGIN SOLUTION 1.3: <instruction>`` ... ``### END
SOLUTION``, plus the tests in ``tests/labs/`` marked ``@pytest.mark.task(id="1.3")``. Labs,
tasks, points and dependencies are defined in ``catalog.py``.

    python -m minitorch.labs list                    the labs, tasks, points and regions
    python -m minitorch.labs build-student OUT       the student edition: regions become stubs
    python -m minitorch.labs build-grader OUT        the Gradescope bundle (autograder.zip)
    python -m minitorch.labs grade [--lab N] [--task ID] [--gradescope results.json]   local feedback
    python -m minitorch.labs autograde --submission DIR --results results.json         the score

Modules: ``catalog`` (the labs), ``regions`` (markers and stubs), ``build`` (student edition,
grader bundle), ``plugin`` (the pytest plugin that records results as tests finish),
``results`` (per-task points and the table), ``gradescope`` (results.json and its checker),
``grader`` (local feedback with pytest; ``autograde``), ``trusted`` (the score: probes on the
reference and, in a sandboxed child, on the submission, compared here), ``sandbox`` (the child:
``python -I -S``, rlimits, time limits, an unprivileged user), ``probes`` (what each task is
asked). None of them imports minitorch itself, so the grader still reports when a student's
code does not import. See ``labs/README.md``.
"""
from .catalog import LABS, Lab, Task, all_tasks, get_lab, get_task

__all__ = ["LABS", "Lab", "Task", "all_tasks", "get_lab", "get_task"]
