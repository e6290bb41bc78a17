"""Running the lab tests and grading them: ``grade`` (local feedback, any checkout) and ``autograde``
(the score: the trusted grader of ``trusted.py``, used by Gradescope's run_autograder).

``grade`` runs pytest on ``tests/labs`` in a child process with the plugin (``plugin.py``),
the ``grading`` hypothesis profile (derandomized, no example database: every student gets the
same examples), Numba's CUDA simulator, and a per-test timeout (pytest-timeout). The child
writes the results file after every test; the parent waits, marks what never ran (if the
child died), prints the per-task table and writes the final results.json.

Why a child process: the CUDA simulator must be switched on before numba is first imported,
and a crash or a hung kernel in a student's code must not take the grader down with it.
"""
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import catalog, results
from .build import TOOLING_TESTS
from .gradescope import results_json

PACKAGE = __package__  # "minitorch.labs", or "minitorch_labs" in the grader bundle
PACKAGE_HOME = Path(__file__).resolve().parents[len(PACKAGE.split("."))]


def find_root(root=None):
    """The repository to grade: ``root``, else the current folder if it has tests/labs, else the
    checkout this package belongs to."""
    if root is not None:
        root = Path(root)
    elif (Path.cwd() / "tests" / "labs").is_dir():
        root = Path.cwd()
    else:
        root = PACKAGE_HOME
    if not (root / "tests" / "labs").is_dir():
        raise FileNotFoundError(f"no tests/labs folder in {root}: run from the repository's root or pass --root.")
    return root.resolve()


def pytest_command(root, tasks, json_path, gradescope_path=None, timeout=None):
    """The child's command line: pytest on tests/labs with the plugin and the grading profile."""
    cmd = [sys.executable, "-m", "pytest", str(root / "tests" / "labs"), "-p", f"{PACKAGE}.plugin",
           "-p", "no:cacheprovider", "-q", "--tb=short", "--rootdir", str(root),
           f"--labs-select={','.join(t.id for t in tasks)}",
           f"--labs-json={json_path}"]
    if (root / "pytest.ini").is_file():
        cmd += ["-c", str(root / "pytest.ini")]
    cmd += [f"--ignore={root / path}" for path in TOOLING_TESTS if (root / path).is_file()]
    if gradescope_path:
        cmd.append(f"--labs-gradescope={gradescope_path}")
    if timeout and importlib.util.find_spec("pytest_timeout"):
        cmd.append(f"--timeout={timeout}")
    return cmd


def child_environment(root):
    """The simulator on, the ``grading`` hypothesis profile (tests/conftest.py loads the profile
    that $HYPOTHESIS_PROFILE names), and the code to grade first on the path."""
    env = dict(os.environ, HYPOTHESIS_PROFILE="grading")
    if env.get("MINITORCH_REAL_GPU") != "1":
        env["NUMBA_ENABLE_CUDASIM"] = "1"
    paths = [str(root)] + ([str(PACKAGE_HOME)] if PACKAGE_HOME != root else [])
    env["PYTHONPATH"] = os.pathsep.join(paths + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def finish(state, returncode, output):
    """Mark the tests a stopped run never finished, and say why. Tests run in the order they
    were collected, so the first one without a result is the one that was running."""
    if state["finished"]:
        return state
    running = next((t["nodeid"] for t in state["tests"] if t["outcome"] == "pending"), None)
    for test in state["tests"]:
        if test["outcome"] == "pending":
            test["outcome"] = "not run"
            if test["nodeid"] == running:
                test["outcome"], test["message"] = "failed", (
                    f"The test process stopped (exit code {returncode}) while this test was running: "
                    f"it crashed, or ran out of time or memory.")
    tail = "\n".join(output.strip().splitlines()[-30:]) if output else ""
    state["errors"].append(
        f"The test run stopped early (exit code {returncode})"
        + (f" while running {running}" if running else "") + (f". Its last output:\n{tail}" if tail else ".")
    )
    return state


def grade(root=None, labs=(), tasks=(), gradescope=None, json_path=None, timeout=60, verbose=False,
          out=sys.stdout):
    """Run the lab tests of ``labs``/``tasks`` (default: all), print the table; 0 if all passed."""
    root = find_root(root)
    selected = catalog.select(labs, tasks)
    scratch = None
    if json_path is None:
        scratch = tempfile.mkdtemp(prefix="minitorch-labs-")
        json_path = os.path.join(scratch, "state.json")
    start = time.time()
    state = results.new_state([t.id for t in selected])
    results.write_json(json_path, state)
    if gradescope:
        results.write_json(gradescope, results_json(state, selected, "The grader is running."))
    if timeout and not importlib.util.find_spec("pytest_timeout"):
        print("warning: pytest-timeout is not installed, so tests run without a time limit "
              "(pip install pytest-timeout).", file=out)
    cmd = pytest_command(root, selected, json_path, gradescope, timeout)
    proc = subprocess.run(cmd, cwd=root, env=child_environment(root), text=True,
                          stdout=None if verbose else subprocess.PIPE, stderr=subprocess.STDOUT)
    state = results.read_json(json_path) or state
    state = finish(state, proc.returncode, proc.stdout)
    results.write_json(json_path, state)
    report = report_text(state, selected)
    if gradescope:
        shown = report_text(state, selected, include_hidden=False)
        results.write_json(gradescope, results_json(state, selected, shown, time.time() - start))
    print(report, file=out)
    print("\n(Local feedback: these tests ran in the same process as the code they test. The score comes "
          "from the trusted grader, `python -m minitorch.labs autograde`, which never runs your code in "
          "the process that decides it.)", file=out)
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    done = all(results.task_summary(state, t)[3] == "passed" for t in selected)
    return 0 if done else 1


def report_text(state, tasks, include_hidden=True):
    """The table, then what went wrong: collection errors and each wrong test's first error line
    (a probe's whole message: what was expected, what came out, where to look). Without
    ``include_hidden`` (the text students see before grades are published) hidden tests are left out."""
    lines = [results.format_table(state, tasks, include_hidden)]
    if state["errors"]:
        lines += ["", "Errors:"] + [f"  {e}" for e in state["errors"]]
    wrong = [t for t in state["tests"] if t["outcome"] == "failed" and (include_hidden or not t["hidden"])]
    if wrong:
        lines += ["", "Failed (see a task's tests in full with: python -m minitorch.labs grade --task ID, or "
                      "python -m pytest <test>):"]
        for t in wrong:
            probe = "::" not in t["nodeid"]
            said = "\n      ".join(t["message"].splitlines()[:4]) if probe else results.first_error_line(t["message"])
            lines.append(f"  {t['nodeid']}\n      {said}")
    return "\n".join(lines)


def find_code(submission):
    """The folder of a submission that holds minitorch/ (the submission itself or one below it)."""
    submission = Path(submission)
    candidates = [submission] + sorted(
        (p for depth in ("*", "*/*", "*/*/*") for p in submission.glob(depth) if p.is_dir()),
        key=lambda p: len(p.parts),
    )
    for folder in candidates:
        if (folder / "minitorch" / "__init__.py").is_file():
            return folder
    return None


def autograde(submission, results_path, labs=(), timeout=30, reference=None, seed=None, limits=None, out=sys.stdout):
    """Grade a submission with the trusted grader (``trusted.py``): its minitorch/ and kernels/ run
    only in the sandboxed child; the score is decided and results.json written here."""
    from . import sandbox, trusted

    selected = catalog.select(labs)
    start = time.time()
    code = find_code(submission)
    if code is None:
        state = results.new_state([t.id for t in selected])
        message = ("Your submission has no minitorch/ folder (with minitorch/__init__.py). Upload the "
                   "whole repository, with minitorch/ and kernels/ at its top level.")
        state["errors"].append(message)
        results.write_json(results_path, results_json(state, selected, message))
        print(message, file=out)
        return 1
    reference = Path(reference) if reference else default_reference()
    if sandbox.sandbox_user() is not None:  # root: the sandbox user may not enter these (never a checkout)
        for private in (PACKAGE_HOME, Path("/autograder/results")):
            if (PACKAGE_HOME / "reference").is_dir() and private.is_dir():  # a grader bundle
                os.chmod(private, 0o700)
    state = trusted.grade_submission(code, reference, selected, seed=seed, probe_timeout=timeout,
                                     limits=limits or sandbox.Limits())
    shown = report_text(state, selected, include_hidden=False)
    results.write_json(results_path, results_json(state, selected, shown, time.time() - start))
    print(report_text(state, selected), "", "Protections:", *state["protections"], sep="\n", file=out)
    return 0 if all(results.task_summary(state, t)[3] == "passed" for t in selected) else 1


def default_reference():
    """The reference code: the bundle's private copy (``reference/``), else this checkout."""
    bundled = PACKAGE_HOME / "reference"
    return bundled if (bundled / "minitorch").is_dir() else PACKAGE_HOME
