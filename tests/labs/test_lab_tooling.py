"""CI proofs for the course labs (``minitorch/labs``).

1. The reference code passes every lab test, hidden ones included.
2. The student edition imports, and its lab test run shows every task "not attempted".
3. The mutation check: stubbing one task's regions fails all of that task's tests and no test
   of a task that does not depend on it; every declared dependency is real. The same for the
   trusted grader's probes (``trusted.probe_mutation_check``). These are audits, marked
   ``audit``: left out of a plain ``python -m pytest``, run by ``python -m pytest -m audit``
   (CI's own step; see tests/labs/conftest.py).
4. The grader's results.json follows Gradescope's documented fields; it is written test by
   test, so a run that dies midway still leaves a valid file; the grader bundle grades a
   submission on its own (the student edition, the reference, and code that does not import).
5. setup.sh installs into a virtual environment on an externally managed Python (PEP 668).

The attacks on the grader are proved in ``test_grader_attacks.py``.

The expensive pieces (a graded run of the reference, the student edition, the mutation check)
run once per module in subprocesses; the assertions then read their results.
"""
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from minitorch.labs import build, catalog, gradescope, grader, mutation, regions, results

ROOT = Path(__file__).resolve().parents[2]
TASK_IDS = [t.id for t in catalog.all_tasks()]


def labs_cli(cwd, *args):
    env = dict(os.environ, PYTHONPATH=str(cwd))
    return subprocess.run([sys.executable, "-m", "minitorch.labs", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def graded(root, tmp, *args):
    """Grade ``root`` with the CLI; return (exit code, printed report, state, results.json)."""
    state_path, gs_path = tmp / "state.json", tmp / "results.json"
    proc = labs_cli(root, "grade", "--json", str(state_path), "--gradescope", str(gs_path), *args)
    return proc.returncode, proc.stdout + proc.stderr, results.read_json(state_path), results.read_json(gs_path)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return graded(ROOT, tmp_path_factory.mktemp("reference"))


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student") / "edition"
    build.build_student(ROOT, out)
    return out


@pytest.fixture(scope="module")
def student(student_dir, tmp_path_factory):
    return graded(student_dir, tmp_path_factory.mktemp("student-run"))


# ----------------------------------------------------------------------------- the catalog and regions

def test_catalog_and_regions_agree():
    catalog.check_catalog()
    found = build.all_regions(ROOT)
    build.check_regions(found)  # every region names a task, every task has a region
    assert {r.task for r in found} == set(TASK_IDS)


SAMPLE = '''\
def f(x):
    y = x + 1
    ### BEGIN SOLUTION 1.1: return twice y
    z = 2 * y
    return z
    ### END SOLUTION


class A:
    def g(self):
        for i in range(3):
            ### BEGIN SOLUTION 1.2: print "i"
            print(i)
            ### END SOLUTION
'''


def test_stubs_keep_the_markers_and_the_indentation():
    text, stubbed = regions.stub_source(SAMPLE)
    assert [r.task for r in stubbed] == ["1.1", "1.2"]
    lines = text.splitlines()
    assert lines[2:5] == ["    ### BEGIN SOLUTION 1.1: return twice y",
                          '    raise NotImplementedError("Task 1.1: return twice y")',
                          "    ### END SOLUTION"]
    assert '            raise NotImplementedError("Task 1.2: print \\"i\\"")' in lines
    scope = {}
    exec(compile(text, "sample", "exec"), scope)
    with pytest.raises(NotImplementedError, match=r"^Task 1\.1: return twice y$"):
        scope["f"](1)
    only_second, _ = regions.stub_source(SAMPLE, tasks={"1.2"})
    assert "z = 2 * y" in only_second and "print(i)" not in only_second


@pytest.mark.parametrize("text, message", [
    ("def f():\n    ### BEGIN SOLUTION 1.1: a\n    ### BEGIN SOLUTION 1.2: b\n", "do not nest"),
    ("def f():\n    ### BEGIN SOLUTION 1.1: a\n    return 1\n", "never closed"),
    ("def f():\n    return 1\n    ### END SOLUTION\n", "without a BEGIN"),
    ("def f():\n    ### BEGIN SOLUTION 1.1\n    return 1\n    ### END SOLUTION\n", "malformed"),
    ("def f():\n    ### BEGIN SOLUTION 1.1: a\n\n    ### END SOLUTION\n", "empty"),
    ("### BEGIN SOLUTION 1.1: a\nx = 1\n### END SOLUTION\n", "inside a function"),
    ("class A:\n    ### BEGIN SOLUTION 1.1: a\n    x = 1\n    ### END SOLUTION\n", "not inside a function"),
    ("def f():\n    if x:\n        ### BEGIN SOLUTION 1.1: a\n        y = 1\n    z = 2\n        ### END SOLUTION\n",
     "indented less"),
])
def test_malformed_regions_are_refused(text, message):
    with pytest.raises(regions.RegionError, match=message):
        regions.find_regions(text, "bad.py")


# ----------------------------------------------------------------------------- 1. the reference

def test_reference_passes_every_lab_test(reference):
    code, report, state, doc = reference
    assert code == 0, report
    assert state["finished"] and not state["errors"]
    assert all(t["outcome"] == "passed" for t in state["tests"])
    assert {t["task"] for t in state["tests"]} == set(TASK_IDS), "every task has tests"
    assert any(t["hidden"] for t in state["tests"]), "the hidden tests ran"
    total = sum(t.points for t in catalog.all_tasks())
    assert doc["score"] == pytest.approx(total) and f"Total: {total:g}/{total:g} points" in report


# ----------------------------------------------------------------------------- 2. the student edition

def test_student_edition_imports(student_dir):
    code = "import minitorch, kernels.matmul, sys; print(minitorch.__file__)"
    env = dict(os.environ, PYTHONPATH=str(student_dir), NUMBA_ENABLE_CUDASIM="1")
    proc = subprocess.run([sys.executable, "-c", code], cwd=student_dir, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()).resolve().is_relative_to(student_dir.resolve())


def test_student_edition_has_stubs_and_no_solutions(student_dir):
    scalar = (student_dir / "minitorch" / "scalar.py").read_text()
    assert 'raise NotImplementedError("Task 1.3: ' in scalar
    assert "1 - c * c" not in scalar  # the tanh derivative is gone
    assert not (student_dir / "tests" / "labs" / "hidden").exists()
    assert (student_dir / "tests" / "labs" / "test_lab1_scalar.py").is_file()
    stubs = sum(p.read_text().count('raise NotImplementedError("Task ') for p in student_dir.rglob("*.py")
                if not p.is_relative_to(student_dir / "tests") and "labs" not in p.parts)
    assert stubs == len(build.all_regions(ROOT))


def test_student_edition_shows_every_task_not_attempted(student):
    code, report, state, doc = student
    assert code == 1 and state["finished"] and not state["errors"]
    statuses = {t.id: results.task_summary(state, t)[3] for t in catalog.all_tasks()}
    assert statuses == {task_id: "not attempted" for task_id in TASK_IDS}
    assert all(t["outcome"] == "not attempted" for t in state["tests"])
    assert not any(t["hidden"] for t in state["tests"])
    assert doc["score"] == 0 and "Total: 0/" in report


# ----------------------------------------------------------------------------- 3. the mutation check

@pytest.fixture(scope="module")
def failing():
    """{"tests"/"probes": {task id: the tasks that failed with it stubbed}}, filled by the checks."""
    return {"tests": {}, "probes": {}}


@pytest.fixture(scope="module")
def mutation_report(failing):
    return mutation.mutation_check(ROOT, failing=failing["tests"])


@pytest.mark.audit
@pytest.mark.timeout(900)  # the whole check runs in the first test: minutes on two shared cores
@pytest.mark.parametrize("task_id", ["reference"] + TASK_IDS)
def test_mutation_check(mutation_report, task_id):
    assert mutation_report[task_id] == []


@pytest.fixture(scope="module")
def probe_mutation_report(failing):
    from minitorch.labs.trusted import probe_mutation_check

    return probe_mutation_check(ROOT, failing=failing["probes"])


@pytest.mark.audit
@pytest.mark.timeout(900)
@pytest.mark.parametrize("task_id", ["reference"] + TASK_IDS)
def test_probe_mutation_check(probe_mutation_report, task_id):
    """The trusted grader's probes: stubbing a task stops its own probes and no probe of a task
    that does not depend on it."""
    assert probe_mutation_report[task_id] == []


@pytest.mark.audit
@pytest.mark.parametrize("task_id", TASK_IDS)
def test_every_declared_dependency_is_real(mutation_report, probe_mutation_report, failing, task_id):
    """Stubbing a task fails some test or some probe of every task that declares it in
    ``depends_on`` (a probe may need a dependency that the tests do not, and the reverse)."""
    both = failing["tests"].get(task_id, set()) | failing["probes"].get(task_id, set())
    assert mutation.unneeded_dependencies(task_id, both, "tests or probes") == []


def test_the_tracer_names_the_regions_a_call_reaches(tmp_path):
    from minitorch.labs.probes.reach import RegionTracer

    path = tmp_path / "traced_module.py"
    path.write_text("def f(x):\n    if x:\n        return 1\n    return 2\n")
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    tracer = RegionTracer({str(path): [(3, 3, "9.1"), (4, 4, "9.2")]})
    tracer.start()
    try:
        namespace["f"](True)
        first = tracer.take()
        namespace["f"](False)
        second = tracer.take()
    finally:
        tracer.stop()
    assert (first, second) == ({"9.1"}, {"9.2"})


def test_a_stubbed_copy_runs_the_files_that_reached_it_and_those_of_its_declarers():
    declarer = next(t for t in catalog.all_tasks() if "2.1" in t.depends_on)
    reach = {"": ["1.1"], "tests/labs/a.py": ["2.1"], "tests/labs/b.py": ["3.1"]}
    tests = [{"nodeid": "tests/labs/c.py::t", "task": declarer.id}, {"nodeid": "tests/labs/d.py::t", "task": "6.1"}]
    assert mutation.test_files("2.1", reach, tests) == ["tests/labs/a.py", "tests/labs/c.py"]
    assert mutation.test_files("1.1", reach, tests) == ["tests/labs"]  # reached outside any test file


def fake_run(failing):
    """A finished lab-test state with one test per task; the tasks in ``failing`` fail."""
    tests = [{"nodeid": f"test_{t.id}", "task": t.id, "stub": None,
              "outcome": "not attempted" if t.id in failing else "passed"} for t in catalog.all_tasks()]
    return {"finished": True, "errors": [], "tests": tests}


def test_mutation_analysis_names_each_kind_of_problem():
    dependents = {t.id for t in catalog.all_tasks() if "2.1" in t.depends_on}  # what declares depends_on 2.1
    assert "2.3" in dependents and "6.1" not in catalog.dependents("2.1")
    assert mutation.analyse("2.1", fake_run({"2.1"} | dependents)) == []
    [own] = mutation.analyse("2.1", fake_run(dependents))
    assert "its test test_2.1 still passes" in own
    [stray] = mutation.analyse("2.1", fake_run({"2.1", "6.1"} | dependents))
    assert "test_6.1 of task 6.1 fails" in stray and "depends_on='2.1'" in stray
    [unused] = mutation.analyse("2.1", fake_run({"2.1"} | dependents - {"2.3"}))
    assert "task 2.3 declares depends_on '2.1'" in unused
    assert mutation.analyse("2.1", dict(fake_run({"2.1"}), finished=False)) == [
        "stubbing 2.1: the test run did not finish"]


# ----------------------------------------------------------------------------- 4. Gradescope's results.json

def test_results_json_follows_gradescope_fields(reference, student):
    for _, _, state, doc in (reference, student):
        assert gradescope.validate(doc) == []
        assert len(doc["tests"]) == len(state["tests"])
        for entry in doc["tests"]:
            assert entry["status"] in ("passed", "failed") and 0 <= entry["score"] <= entry["max_score"]
    _, _, state, doc = reference
    for task in catalog.all_tasks():  # a task's tests share exactly its points
        shares = [e["max_score"] for e in doc["tests"] if e["number"].startswith(task.id + ".")]
        assert sum(shares) == pytest.approx(task.points)
    hidden = {t["name"] for t in state["tests"] if t["hidden"]}
    assert hidden
    for entry in doc["tests"]:
        is_hidden = any(entry["name"].endswith(": " + name) for name in hidden)
        assert entry["visibility"] == ("after_published" if is_hidden else "visible")


@pytest.mark.parametrize("change, problem", [
    (lambda d: d["tests"][0].update(status="ok"), "status"),
    (lambda d: d["tests"][0].update(score="1"), "score must be a finite number"),
    (lambda d: d["tests"][0].update(number=1.1), "number must be a string"),
    (lambda d: d.update(visibility="students"), "visibility"),
    (lambda d: d.update(colour="red"), "unknown key 'colour'"),
    (lambda d: d["tests"][0].update(output_format="pdf"), "output_format"),
    (lambda d: (d.pop("score"), d["tests"][0].pop("score")), "no score"),
    (lambda d: d["tests"][0].update(max_score=float("nan")), "max_score"),
])
def test_validator_rejects_what_gradescope_does_not_document(change, problem):
    doc = {"score": 1.0, "output": "", "tests": [
        {"name": "t", "number": "1.1", "score": 1.0, "max_score": 1.0, "status": "passed", "output": "",
         "visibility": "visible", "tags": ["lab 1"]}]}
    assert gradescope.validate(doc) == []
    change(doc)
    assert any(problem in p for p in gradescope.validate(doc))


CRASHING_TESTS = '''
import os, time
import pytest

@pytest.mark.task(id="1.1")
def test_passes():
    pass

@pytest.mark.task(id="1.1")
def test_reaches_a_stub():
    raise NotImplementedError("Task 1.1: return c = a * b")

@pytest.mark.task(id="1.1")
def test_runs_out_of_time():
    time.sleep(30)

@pytest.mark.task(id="1.1")
def test_kills_the_process():
    os._exit(3)

@pytest.mark.task(id="1.1")
def test_never_runs():
    pass
'''


def test_results_survive_a_crash_midway(tmp_path):
    (tmp_path / "tests" / "labs").mkdir(parents=True)
    (tmp_path / "tests" / "labs" / "test_crash.py").write_text(CRASHING_TESTS)
    state_path, gs_path = tmp_path / "state.json", tmp_path / "results.json"
    with open(os.devnull, "w") as quiet:
        code = grader.grade(tmp_path, tasks=["1.1"], gradescope=gs_path, json_path=state_path, timeout=1,
                            out=quiet)
    assert code == 1
    outcomes = {t["name"].split("::")[1]: t["outcome"] for t in results.read_json(state_path)["tests"]}
    assert outcomes == {"test_passes": "passed", "test_reaches_a_stub": "not attempted",
                        "test_runs_out_of_time": "failed", "test_kills_the_process": "failed",
                        "test_never_runs": "not run"}
    doc = results.read_json(gs_path)
    assert gradescope.validate(doc) == []
    assert doc["score"] == pytest.approx(catalog.get_task("1.1").points / 5)
    assert "stopped early (exit code 3)" in doc["output"]
    assert "Timeout" in doc["tests"][2]["output"]
    assert "exit code 3" in doc["tests"][3]["output"]


def test_grader_bundle_grades_a_submission(tmp_path, student_dir):
    bundle = tmp_path / "bundle"
    archive = build.build_grader(ROOT, bundle, labs=[1])
    names = set(zipfile.ZipFile(archive).namelist())
    assert {"setup.sh", "run_autograder", "requirements.txt", "minitorch_labs/catalog.py",
            "minitorch_labs/trusted.py", "minitorch_labs/probes/lab1.py", "reference/minitorch/scalar.py",
            "trusted/tests/labs/hidden/test_hidden.py", "trusted/pytest.ini"} <= names
    assert os.access(bundle / "run_autograder", os.X_OK)
    assert [p.relative_to(bundle).parts[0] for p in bundle.rglob("scalar.py")] == ["reference"], \
        "the reference code is only in reference/ (closed to the sandbox user at grading time)"
    broken = tmp_path / "broken" / "my-repo" / "minitorch"  # a submission whose code does not import
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("def oops(:\n")
    full_marks = float(sum(t.points for t in catalog.get_lab(1).tasks))
    for name, submission, expected in (("student", student_dir, 0.0), ("reference", ROOT, full_marks),
                                       ("broken", broken.parents[1], 0.0)):
        out = tmp_path / f"results-{name}.json"
        proc = subprocess.run(
            [sys.executable, "-m", "minitorch_labs", "autograde", "--submission", str(submission),
             "--results", str(out), "--lab", "1"],
            cwd=bundle, env=dict(os.environ, PYTHONPATH=str(bundle)), capture_output=True, text=True, timeout=600,
        )
        doc = results.read_json(out)
        assert doc is not None, proc.stdout + proc.stderr
        assert gradescope.validate(doc) == []
        assert doc["score"] == pytest.approx(expected), doc["output"]
        assert {t["tags"][1] for t in doc["tests"]} == {f"task {t.id}" for t in catalog.get_lab(1).tasks}
        if name == "broken":  # every visible probe says why nothing ran (a hidden one says no more than that)
            assert all("SyntaxError" in t["output"] for t in doc["tests"] if t["visibility"] == "visible")
        else:
            assert any(t["visibility"] == "after_published" for t in doc["tests"]), "hidden tests graded"


# ----------------------------------------------------------------------------- 5. setup.sh

SYSTEM_PYTHON = "/usr/bin/python3"


def externally_managed(python):
    """Whether ``python`` refuses plain ``pip install`` (PEP 668: an EXTERNALLY-MANAGED file)."""
    code = ("import sysconfig, os; "
            "print(os.path.isfile(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))")
    proc = subprocess.run([python, "-I", "-c", code], capture_output=True, text=True)
    return proc.stdout.strip() == "True"


def registry_reachable():
    import socket

    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="setup.sh runs as root (Gradescope)")
@pytest.mark.skipif(not (os.path.exists(SYSTEM_PYTHON) and externally_managed(SYSTEM_PYTHON)),
                    reason="needs an externally managed system Python (Debian 12, Ubuntu 24.04)")
def test_setup_sh_installs_into_a_venv_on_an_externally_managed_python(tmp_path):
    if not registry_reachable():
        pytest.skip("the package registry cannot be reached")
    plain = subprocess.run([SYSTEM_PYTHON, "-m", "pip", "install", "--dry-run", "tqdm"], capture_output=True,
                           text=True)
    assert plain.returncode != 0 and "externally-managed-environment" in plain.stdout + plain.stderr
    source = tmp_path / "source"
    source.mkdir()
    (source / "requirements.txt").write_text("tqdm>=4.60\n")  # small: the install logic, not numba's download
    (tmp_path / "setup.sh").write_text(build.SETUP_SH)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MINITORCH_VENV": str(tmp_path / "venv"),
           "MINITORCH_SOURCE": str(source)}
    proc = subprocess.run(["bash", str(tmp_path / "setup.sh")], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    check = subprocess.run([str(tmp_path / "venv" / "bin" / "python"), "-c",
                            "import sys, tqdm; assert sys.version_info >= (3, 10); print(sys.prefix)"],
                           capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.strip() == str(tmp_path / "venv"), check.stderr
