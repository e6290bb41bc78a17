"""Gradescope's ``results.json``: built from a test-run state, and checked against the spec.

The fields follow Gradescope's autograder specification
(gradescope-autograders.readthedocs.io, "Autograder Specifications"). Top level, all optional:
``score`` (required unless every test has one; overrides their sum), ``execution_time``
(seconds), ``output``, ``output_format``, ``test_output_format``, ``test_name_format``,
``visibility``, ``stdout_visibility``, ``extra_data``, ``tests``, ``leaderboard``. Each test:
``score``, ``max_score``, ``status`` ("passed"/"failed", else passed means score == max_score),
``name``, ``name_format``, ``number`` (a string such as "1.3", used for ordering), ``output``,
``output_format``, ``tags``, ``visibility``, ``extra_data``. Visibility is one of "hidden",
"after_due_date", "after_published", "visible"; formats are "text", "html", "simple_format",
"md", "ansi".

Here every test of the run becomes one Gradescope test worth its share of its task's points
(``results.split_points``), numbered "<task>.<k>". Hidden tests (``tests/labs/hidden/``) are
shown to students only once grades are published.
"""
import math
import numbers

from . import results

VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
TOP_LEVEL = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
             "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
PER_TEST = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
            "tags", "visibility", "extra_data"}
STATUS = {"passed", "failed"}
HIDDEN_TEST_VISIBILITY = "after_published"
MAX_OUTPUT = 4000


def _clip(text):
    return text if len(text) <= MAX_OUTPUT else text[:MAX_OUTPUT] + "\n... (cut)"


def describe_test(test):
    """What a student reads under one test."""
    outcome = test["outcome"]
    if outcome == "passed":
        return "Passed."
    if outcome == "not attempted":
        return (f"Not attempted: the test reached the stub of task {test['stub']}, which still raises "
                f"NotImplementedError ({test['message']}). Write that task's code, then run "
                f"`python -m minitorch.labs grade --task {test['stub']}`.")
    if outcome == "skipped":
        return f"Skipped ({test['message']}); a skipped test earns no points."
    if outcome in ("pending", "not run"):
        return "Not run: the grader stopped before this test (see the submission's overall output)."
    return _clip(test["message"] or "Failed.")


def results_json(state, tasks, output="", execution_time=None):
    """Gradescope's results.json document for the tasks ``tasks`` of a run ``state``."""
    tests = []
    for task in tasks:
        tags = [f"lab {task.lab}", f"task {task.id}"]
        entries = results.tests_of(state, task.id)
        if not entries:  # nothing collected (e.g. the tests could not import the code)
            errors = "\n".join(state["errors"])
            tests.append({
                "name": f"{task.id} {task.title}", "number": task.id, "score": 0.0,
                "max_score": float(task.points), "status": "failed", "visibility": "visible", "tags": tags,
                "output": _clip("No test of this task ran." + (f"\n\n{errors}" if errors else "")),
            })
            continue
        shares = results.split_points(task.points, len(entries))
        failing = results.failing_dependencies(state, task)
        cause = (f"\n\nThis task builds on task {', '.join(failing)}, whose tests fail too: that is probably "
                 f"the cause. Fix task {failing[0]} first.") if failing else ""
        for k, (test, share) in enumerate(zip(entries, shares), 1):
            passed = test["outcome"] == "passed"
            tests.append({
                "name": f"{task.id} {task.title}: {test['name']}",
                "number": f"{task.id}.{k}",
                "score": share if passed else 0.0,
                "max_score": share,
                "status": "passed" if passed else "failed",
                "output": describe_test(test) + (cause if test["outcome"] == "failed" else ""),
                "visibility": HIDDEN_TEST_VISIBILITY if test["hidden"] else "visible",
                "tags": tags,
            })
    doc = {
        "score": round(sum(t["score"] for t in tests), 4),
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"minitorch_labs": {"tasks": [t.id for t in tasks], "finished": state["finished"]}},
    }
    if execution_time is not None:
        doc["execution_time"] = max(0, int(round(execution_time)))
    return doc


def _is_number(x):
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x)


def validate(doc):
    """The ways ``doc`` departs from Gradescope's documented results.json format (empty if none)."""
    problems = []

    def check_common(where, entry, allowed):
        for key in sorted(set(entry) - allowed):
            problems.append(f"{where}: unknown key {key!r}")
        for key in ("output", "name"):
            if key in entry and key in allowed and not isinstance(entry[key], str):
                problems.append(f"{where}: {key} must be a string")
        for key in ("visibility", "stdout_visibility"):
            if key in entry and key in allowed and entry[key] not in VISIBILITY:
                problems.append(f"{where}: {key} {entry[key]!r} is not one of {sorted(VISIBILITY)}")
        for key in ("output_format", "test_output_format", "test_name_format", "name_format"):
            if key in entry and key in allowed and entry[key] not in FORMATS:
                problems.append(f"{where}: {key} {entry[key]!r} is not one of {sorted(FORMATS)}")
        if "extra_data" in entry and not isinstance(entry["extra_data"], dict):
            problems.append(f"{where}: extra_data must be an object")
        for key in ("score", "max_score", "execution_time"):
            if key in entry and key in allowed and not _is_number(entry[key]):
                problems.append(f"{where}: {key} must be a finite number, got {entry[key]!r}")

    if not isinstance(doc, dict):
        return ["the document must be a JSON object"]
    check_common("top level", doc, TOP_LEVEL)
    tests = doc.get("tests", [])
    if not isinstance(tests, list):
        problems.append("top level: tests must be a list")
        tests = []
    for i, test in enumerate(tests):
        where = f"tests[{i}]"
        if not isinstance(test, dict):
            problems.append(f"{where}: must be an object")
            continue
        check_common(where, test, PER_TEST)
        if "status" in test and test["status"] not in STATUS:
            problems.append(f"{where}: status {test['status']!r} is not 'passed' or 'failed'")
        if "number" in test and not isinstance(test["number"], str):
            problems.append(f"{where}: number must be a string such as '1.3'")
        if "tags" in test and not (isinstance(test["tags"], list) and all(isinstance(t, str) for t in test["tags"])):
            problems.append(f"{where}: tags must be a list of strings")
        if "score" not in doc and "score" not in test:
            problems.append(f"{where}: no score, and the top level has none either")
    if "score" not in doc and not tests:
        problems.append("top level: a score is required when there are no tests")
    for i, row in enumerate(doc.get("leaderboard", [])):
        if not (isinstance(row, dict) and isinstance(row.get("name"), str) and "value" in row):
            problems.append(f"leaderboard[{i}]: needs a name (string) and a value")
        elif row.get("order", "desc") not in ("asc", "desc"):
            problems.append(f"leaderboard[{i}]: order must be 'asc' or 'desc'")
    return problems
