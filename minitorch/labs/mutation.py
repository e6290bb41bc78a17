"""The mutation check: stub one task at a time and see which lab tests notice.

For every task T a copy of the code is made with only T's regions replaced by stubs, and all
lab tests (hidden ones included) run against it. The check passes when

1. every test of T fails: each one exercises T's code;
2. every test of a task that does not depend on T (``depends_on``, followed transitively)
   passes: a failure elsewhere means a test reaches T's code without saying so;
3. every dependency a task declares is real: stubbing T fails some test of each task that
   lists T in its ``depends_on``.

The reference runs first, traced (``probes/reach.py``): it notes which tasks' regions each test
file reaches. A copy with T stubbed then runs only the test files that reached T's regions, and
those holding tests of T or of a task that depends on it: every other test runs exactly the
code it ran on the reference, so its result cannot change.

Run it after adding or changing a task: ``python -m minitorch.labs mutation-check``. CI runs it
in ``tests/labs/test_lab_tooling.py``. Each copy is tested by its own pytest process; on
systems with ``os.fork`` a small server process imports the heavy libraries (numpy, numba,
pytest, hypothesis) once and forks one child per copy, which saves most of the start-up time.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import catalog, results
from .build import all_regions, build_student
from .regions import stub_source

COPIED = ("minitorch/", "kernels/", "tests/conftest.py", "tests/labs/", "pytest.ini")

# The fork server: reads one JSON job per line on stdin ({"dir", "json"}), runs at most
# ``workers`` pytest children at a time, each in its own copy, and prints one line per job done.
_SERVER = r"""
import importlib, importlib.metadata, json, math, os, sys
os.environ["NUMBA_ENABLE_CUDASIM"] = "1"
os.environ["HYPOTHESIS_PROFILE"] = "grading"
import numpy, numba, numba.cuda, pytest, hypothesis, hypothesis.extra.numpy  # noqa: F401 (warm imports)
for plugin in importlib.metadata.entry_points(group="pytest11"):  # the plugins pytest will load
    try:
        importlib.import_module(plugin.value.split(":")[0])
    except Exception:
        pass
numba.vectorize(["float64(float64)"])(lambda x: math.erf(x))  # numba's first compile is the slow one
args, workers, running = json.loads(sys.argv[1]), int(sys.argv[2]), {}

def wait_one():
    pid, status = os.wait()
    print(json.dumps({"job": running.pop(pid), "status": status}), flush=True)

for line in sys.stdin:
    job = json.loads(line)
    while len(running) >= workers:
        wait_one()
    pid = os.fork()
    if pid == 0:
        os.chdir(job["dir"])
        sys.path.insert(0, job["dir"])
        out = os.open(os.devnull, os.O_WRONLY)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os._exit(pytest.main(args + ["--labs-json=" + job["json"], "--rootdir", job["dir"],
                                     "-c", os.path.join(job["dir"], "pytest.ini"), *job["paths"]]))
    running[pid] = job["dir"]
while running:
    wait_one()
"""


def pytest_args():
    return ["-p", "minitorch.labs.plugin", "-p", "no:cacheprovider", "-q", "--tb=line", "--labs-select="]


def run_copies(dirs, workers, paths=None, extra=()):
    """Run the lab tests in each folder of ``dirs`` (only the test files ``paths[folder]`` where
    given, with the pytest options ``extra``); return {folder: state} (None if it failed)."""
    jobs = [{"dir": str(d), "json": str(Path(d) / "labs-state.json"),
             "paths": (paths or {}).get(str(d), ["tests/labs"])} for d in dirs]
    if hasattr(os, "fork"):
        options = json.dumps(pytest_args() + list(extra))
        server = subprocess.Popen([sys.executable, "-c", _SERVER, options, str(workers)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        server.communicate("".join(json.dumps(job) + "\n" for job in jobs))
    else:  # Windows: plain subprocesses, ``workers`` at a time
        from concurrent.futures import ThreadPoolExecutor

        def run(job):
            env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1", HYPOTHESIS_PROFILE="grading", PYTHONPATH=job["dir"])
            subprocess.run([sys.executable, "-m", "pytest", *pytest_args(), *extra, f"--labs-json={job['json']}",
                            *job["paths"]], cwd=job["dir"], env=env, capture_output=True)

        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, jobs))
    return {job["dir"]: results.read_json(job["json"]) for job in jobs}


def failed_tasks(state):
    """The tasks with a test (or probe) that did not pass in the run ``state``."""
    return {t["task"] for t in (state or {}).get("tests", ()) if t["outcome"] != "passed"}


def unneeded_dependencies(task_id, failed, what="tests"):
    """Clause 3: each task that declares ``task_id`` in ``depends_on`` must be among ``failed``
    (the tasks whose tests or probes failed with ``task_id`` stubbed)."""
    declaring = [t.id for t in catalog.all_tasks() if task_id in t.depends_on and t.id not in failed]
    return [f"task {other} declares depends_on {task_id!r}, but stubbing {task_id} fails none of its {what}: "
            f"drop the dependency" for other in declaring]


def analyse(task_id, state, judge_dependencies=True):
    """The problems of stubbing ``task_id``, given the lab-test ``state`` of that copy (clause 3
    too unless ``judge_dependencies`` is false: CI judges it on the tests and probes together)."""
    if not state or not state.get("finished"):
        return [f"stubbing {task_id}: the test run did not finish"]
    problems = list(state["errors"])
    allowed = catalog.dependents(task_id)
    for test in state["tests"]:
        if test["task"] == task_id and test["outcome"] == "passed":
            problems.append(f"stubbing {task_id}: its test {test['nodeid']} still passes")
        elif test["task"] != task_id and test["task"] not in allowed and test["outcome"] != "passed":
            problems.append(
                f"stubbing {task_id}: {test['nodeid']} of task {test['task']} fails ({test['outcome']}"
                + (f", stub of {test['stub']}" if test["stub"] else "")
                + f"); declare depends_on={task_id!r} for {test['task']} or keep the test off {task_id}'s code"
            )
    if not any(t["task"] == task_id for t in state["tests"]):
        problems.append(f"task {task_id} has no tests")
    if judge_dependencies:
        problems += unneeded_dependencies(task_id, failed_tasks(state),
                                          "tests (if its probes need it, keep it: CI judges both together)")
    return problems


def test_files(task_id, reach, tests):
    """The test files to run with ``task_id`` stubbed: those whose run on the reference reached
    its regions (``reach``, from ``--labs-reach``), and those holding tests of it or of a task
    that declares it in ``depends_on`` (``tests``: the reference run's). All of tests/labs when
    code outside any test file reached them."""
    if task_id in reach.get("", ()):
        return ["tests/labs"]
    watched = {task_id} | {t.id for t in catalog.all_tasks() if task_id in t.depends_on}
    files = {path for path, tasks in reach.items() if path and task_id in tasks}
    files |= {t["nodeid"].split("::")[0] for t in tests if t["task"] in watched}
    return sorted(files) or ["tests/labs"]


def make_copies(root, base, tasks):
    """The reference copy (compiled once) and one copy per task with only its regions stubbed."""
    import compileall

    copies = {"reference": base / "reference"}
    build_student(root, copies["reference"], tasks=set(), include=COPIED, hidden=True, force=True)
    compileall.compile_dir(str(copies["reference"]), quiet=2)  # copied with it: each copy compiles only its stubs
    files = {}
    for region in all_regions(copies["reference"]):
        files.setdefault(region.task, set()).add(region.path)
    for task_id in tasks:
        copies[task_id] = base / f"stub-{task_id}"
        shutil.copytree(copies["reference"], copies[task_id])
        for path in sorted(files.get(task_id, ())):
            text, _ = stub_source((copies["reference"] / path).read_text(encoding="utf-8"), path, {task_id})
            (copies[task_id] / path).write_text(text, encoding="utf-8", newline="")
    return copies


def mutation_check(root, tasks=None, workers=None, keep=None, failing=None):
    """Stub each task in turn (default: all) and return {task id: [problems]}, plus the key
    "reference" for the unstubbed code (every lab test must pass there). With ``failing`` (a
    dict), clause 3 is left to the caller, and ``failing`` gets {task id: the tasks whose tests
    failed with it stubbed}."""
    tasks = [t.id for t in catalog.all_tasks()] if tasks is None else list(tasks)
    workers = workers or max(1, min(os.cpu_count() or 1, 4))
    base = Path(keep or tempfile.mkdtemp(prefix="minitorch-mutants-"))
    try:
        copies = make_copies(root, base, tasks)
        reach_path = base / "reach.json"
        states = run_copies([str(copies["reference"])], workers, extra=[f"--labs-reach={reach_path}"])
        reach = results.read_json(reach_path) or {"": [t.id for t in catalog.all_tasks()]}
        ref = states[str(copies["reference"])] or {"tests": []}
        paths = {str(copies[t]): test_files(t, reach, ref["tests"]) for t in tasks}
        states.update(run_copies([str(copies[t]) for t in tasks], workers, paths))
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)
    ref = states[str(copies["reference"])] or {"finished": False, "tests": [], "errors": []}
    report = {"reference": ([] if ref["finished"] else ["the reference run did not finish"]) + ref["errors"] + [
        f"{t['nodeid']} fails on the reference code" for t in ref["tests"] if t["outcome"] != "passed"]}
    for task_id in tasks:
        state = states[str(copies[task_id])]
        report[task_id] = analyse(task_id, state, judge_dependencies=failing is None)
        if failing is not None:
            failing[task_id] = failed_tasks(state)
    return report
