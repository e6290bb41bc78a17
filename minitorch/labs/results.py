"""Test results, per test and per task: the state file, points, statuses and the printed table.

The pytest plugin (``plugin.py``) keeps one *state* dict while tests run and rewrites it to
disk after every test::

    {"format": "minitorch-labs/1", "tasks": ["1.1", ...], "finished": false,
     "errors": ["<collection error>", ...],
     "tests": [{"nodeid": ..., "name": ..., "task": "1.3", "hidden": false,
                "outcome": "passed", "stub": null, "message": "", "duration": 0.01}, ...]}

A test's ``outcome`` is one of

- ``passed``;
- ``failed``: wrong (an assertion or any other error);
- ``not attempted``: it reached a stub, ``raise NotImplementedError("Task <stub>: ...")``;
- ``skipped``: it did not run (a skipped test earns no points);
- ``pending`` while the run goes on, ``not run`` if the run stopped before it.

A task's points are shared equally by its tests; its status is ``passed`` (every test),
``partial`` (some passed, the rest not attempted), ``failed`` (some test was wrong),
``not attempted`` (no test passed, every one reached a stub), or ``not run``.
"""
import json
import os
import tempfile

from .catalog import LABS, get_task

FORMAT = "minitorch-labs/1"


def new_state(task_ids):
    return {"format": FORMAT, "tasks": list(task_ids), "finished": False, "errors": [], "tests": []}


def new_test(nodeid, task, hidden):
    return {"nodeid": nodeid, "name": nodeid.split("/")[-1], "task": task, "hidden": hidden,
            "outcome": "pending", "stub": None, "message": "", "duration": 0.0}


def split_points(points, count):
    """``points`` shared by ``count`` tests, rounded to 4 decimals, summing to ``points`` exactly."""
    if count == 0:
        return []
    share = round(points / count, 4)
    return [share] * (count - 1) + [round(points - share * (count - 1), 4)]


def tests_of(state, task_id):
    return [t for t in state["tests"] if t["task"] == task_id]


def task_summary(state, task, visible_only=False):
    """(earned points, tests passed, tests, status, note) of one catalog task. ``visible_only``
    counts only the tests students see before grades are published (no hidden ones)."""
    tests = tests_of(state, task.id)
    shares = split_points(task.points, len(tests))
    pairs = [(t, s) for t, s in zip(tests, shares) if not (visible_only and t["hidden"])]
    tests = [t for t, _ in pairs]
    earned = round(sum(s for t, s in pairs if t["outcome"] == "passed"), 4)
    outcomes = [t["outcome"] for t in tests]
    passed = outcomes.count("passed")
    stubs = sorted({t["stub"] for t in tests if t["stub"] and t["stub"] != task.id})
    note = f"reaches the stub of task {', '.join(stubs)}" if stubs else ""
    if not tests:
        status, note = "not run", "no test of this task ran"
    elif passed == len(tests):
        status = "passed"
    elif "failed" in outcomes or "skipped" in outcomes:
        status = "failed"
        failing = failing_dependencies(state, task)
        note = f"probably caused by task {', '.join(failing)} failing" if failing else note
    elif "pending" in outcomes or "not run" in outcomes:
        status = "not run"
    else:
        status = "partial" if passed else "not attempted"
    return earned, passed, len(tests), status, note


def failing_dependencies(state, task):
    """The tasks ``task`` builds on (directly or through others) whose own tests fail or reach a
    stub: the likely cause when this task's tests fail too."""
    found, frontier = [], list(task.depends_on)
    while frontier:
        dep = get_task(frontier.pop(0))
        frontier += [d for d in dep.depends_on if d not in found]
        outcomes = {t["outcome"] for t in tests_of(state, dep.id)}
        if dep.id not in found and outcomes & {"failed", "not attempted", "skipped"}:
            found.append(dep.id)
    return sorted(found)


def format_table(state, tasks, include_hidden=True):
    """The per-task table, lab by lab, with totals. Without ``include_hidden`` (what students see
    before grades are published) the hidden tests are left out of every count and total."""
    chosen = {t.id for t in tasks}
    row = "  {:<5} {:<50} {:>7} {:>11}  {}".format
    lines, total, possible, hidden_points = [], 0.0, 0.0, 0.0
    for lab in LABS:
        lab_tasks = [t for t in lab.tasks if t.id in chosen]
        if not lab_tasks:
            continue
        lines += [f"Lab {lab.number}: {lab.title}", row("task", "title", "tests", "points", "status")]
        lab_earned, lab_points = 0.0, 0.0
        for task in lab_tasks:
            earned, passed, count, status, note = task_summary(state, task, visible_only=not include_hidden)
            shares = split_points(task.points, len(tests_of(state, task.id)))
            points = task.points if include_hidden or not shares else round(sum(
                s for t, s in zip(tests_of(state, task.id), shares) if not t["hidden"]), 4)
            hidden_points = round(hidden_points + task.points - points, 4)
            title = task.title if len(task.title) <= 50 else task.title[:47] + "..."
            lines.append(row(task.id, title, f"{passed}/{count}", f"{earned:g}/{points:g}",
                             status + (f" ({note})" if note else "")))
            lab_earned, lab_points = round(lab_earned + earned, 4), round(lab_points + points, 4)
        lines += [row("", "lab total", "", f"{lab_earned:g}/{lab_points:g}", ""), ""]
        total, possible = round(total + lab_earned, 4), round(possible + lab_points, 4)
    lines.append(f"Total: {total:g}/{possible:g} points")
    if hidden_points:
        lines.append(f"Hidden tests: {hidden_points:g} more points, shown once grades are published.")
    return "\n".join(lines)


def first_error_line(message):
    """What a pytest failure says went wrong: its first ``E`` lines joined, shortened."""
    lines = message.splitlines()
    first = next((k for k, line in enumerate(lines) if line.startswith("E ") and line[1:].strip()), None)
    if first is None:
        text = next((line.strip() for line in reversed(lines) if line.strip()), "")
    else:
        said = []
        for line in lines[first:first + 4]:
            if not line.startswith("E ") or (said and not line[1:].strip()):
                break
            said.append(line[1:].strip())
        text = " ".join(said)
    return text if len(text) <= 160 else text[:157] + "..."


def write_json(path, doc):
    """Write ``doc`` as JSON to ``path`` atomically (a reader never sees half a file)."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(doc))  # dumps without indent: the C encoder, fast enough to call per test
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_json(path):
    """The JSON document at ``path``, or None if it is missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
