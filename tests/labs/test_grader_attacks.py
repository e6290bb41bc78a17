"""CI proof that a submission cannot grade itself (``minitorch/labs/trusted.py``, ``sandbox.py``).

The student edition (every task unsolved) is graded as is, and then with one attack added at a
time; no attack may score more than the honest edition (0). The reference scores full marks.
Each grading runs ``python -m minitorch.labs autograde`` in its own process, against a private
copy of the reference (a folder only root may enter, as in the Gradescope bundle).

Attacks: patching numpy.testing, gradcheck and pytest's reports from ``minitorch/__init__.py``;
``sitecustomize.py``/``usercustomize.py``; ``conftest.py``; a pytest plugin entry point (an
installed-looking dist-info); writing results.json; importing the reference or reading the
hidden tests and echoing them; changing files outside the submission; sleeping past the time
limit; a fork bomb (held by a small RLIMIT_NPROC).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from minitorch.labs import build, catalog, gradescope, regions, results, sandbox

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox's proofs run on Linux")
LAB1 = sum(t.points for t in catalog.get_lab(1).tasks)

PATCH_EVERYTHING = '''
import numpy.testing as _nt
_nt.assert_allclose = lambda *a, **k: None
_nt.assert_array_equal = lambda *a, **k: None
try:
    import minitorch.testing as _mt
    _mt.gradcheck = lambda *a, **k: True
except Exception:
    pass
try:
    import _pytest.reports as _reports
    _reports.TestReport.passed = property(lambda self: True)
    _reports.TestReport.outcome = property(lambda self: "passed", lambda self, v: None)
except Exception:
    pass
import minitorch.scalar as _s
_s.Scalar.__mul__ = lambda a, b: a  # "solved"
'''

MARK = '''
open({marker!r} + "/{name}", "w").write("ran")
'''

WRITE_RESULTS = '''
import json as _json
for _path in ({results!r}, "/autograder/results/results.json"):
    try:
        with open(_path, "w") as _f:
            _json.dump({{"score": 999, "tests": []}}, _f)
    except OSError:
        pass
'''

USE_THE_REFERENCE = '''
import sys as _sys
_hidden = ""
_probes = getattr(_sys.modules.get("labprobes"), "__file__", "") or ""
for _path in ({ref!r} + "/minitorch/scalar.py", {hidden!r}, _probes.replace("__init__.py", "hidden.py")):
    try:
        _hidden += open(_path).read()[:200]
    except OSError:
        pass
if not getattr(_sys, "_attacking", False):  # once: the reference's __init__ must not recurse
    _sys._attacking = True
    _sys.path.insert(0, {ref!r})
    for _name in [n for n in _sys.modules if n == "minitorch" or n.startswith("minitorch.")]:
        del _sys.modules[_name]
    try:
        import minitorch as _ref  # the reference's answers, if it could be read
        _sys.modules["minitorch"] = _ref
    except Exception:
        pass
if _hidden:
    raise RuntimeError("LEAKED:" + _hidden)
'''

CHANGE_FILES = '''
for _path in {targets!r}:
    try:
        with open(_path, "a") as _f:
            _f.write("\\n# changed by the submission\\n")
    except OSError:
        pass
'''

SLEEP = '''
import time as _time
_time.sleep(600)
'''

FORK_BOMB = '''
import os as _os
while True:
    try:
        _os.fork()
    except OSError:
        pass
'''

PLUGIN_DIST = {
    "evil_plugin-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: evil-plugin\nVersion: 1.0\n",
    "evil_plugin-1.0.dist-info/entry_points.txt": "[pytest11]\nevil = evil_plugin\n",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The student edition, a private reference, a marker folder anyone may write to."""
    base = tmp_path_factory.mktemp("attacks")
    student = base / "student"
    build.build_student(ROOT, student, include=("minitorch/", "kernels/"))
    private = base / "private"
    for folder in ("minitorch", "kernels"):
        shutil.copytree(ROOT / folder, private / "reference" / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests" / "labs" / "hidden", private / "hidden")  # as in the bundle: private
    os.chmod(private, 0o700)
    public = Path(tempfile.mkdtemp(prefix="minitorch-attacks-"))  # where anyone may look (pytest's is private)
    os.chmod(public, 0o755)
    marker, outside = public / "markers", public / "grader_file.py"
    marker.mkdir()
    os.chmod(marker, 0o777)  # anyone may write here: a marker proves that code ran
    outside.write_text("# a file of the grader's, readable by all, writable by its owner only\n")
    outside.chmod(0o644)
    yield {"base": base, "student": student, "reference": private / "reference", "marker": marker,
           "outside": [private / "reference" / "minitorch" / "scalar.py", outside],
           "hidden": str(private / "hidden" / "test_hidden.py")}
    shutil.rmtree(public, ignore_errors=True)


def autograde(world, submission, name, *args, lab=1, timeout=20):
    out = world["base"] / f"results-{name}" / "results.json"
    out.parent.mkdir()
    start = time.time()
    lab_args = ["--lab", str(lab)] if lab else []
    proc = subprocess.run([sys.executable, "-m", "minitorch.labs", "autograde", "--submission", str(submission),
                           "--results", str(out), "--reference", str(world["reference"]), "--timeout", str(timeout),
                           *lab_args, *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    doc = results.read_json(out)
    assert doc is not None, proc.stdout + proc.stderr
    assert gradescope.validate(doc) == []
    return doc, proc.stdout + proc.stderr, time.time() - start


def attacked(world, name, files):
    """A copy of the student edition with ``files`` ({path: text}; "+path" appends) added."""
    folder = world["base"] / f"submission-{name}"
    shutil.copytree(world["student"], folder)
    for path, text in files.items():
        target = folder / path.lstrip("+")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "a" if path.startswith("+") else "w") as f:
            f.write(text)
    return folder


def test_reference_scores_full_marks(world):
    doc, output, seconds = autograde(world, ROOT, "reference", lab=None, timeout=60)
    total = sum(t.points for t in catalog.all_tasks())
    assert doc["score"] == pytest.approx(total), output
    print(f"reference graded in {seconds:.1f} s")


def test_honest_unsolved_edition_scores_zero_with_every_task_not_attempted(world):
    doc, output, _ = autograde(world, world["student"], "honest", lab=None, timeout=60)
    assert doc["score"] == 0
    for task in catalog.all_tasks():
        assert "not attempted" in next(line for line in output.splitlines() if line.strip().startswith(task.id + " "))
    assert all(t["status"] == "failed" and t["output"].startswith("Not attempted") for t in doc["tests"])


def attack_files(world, name):
    marker, results_path = str(world["marker"]), str(world["base"] / f"results-{name}" / "results.json")
    outside = [str(p) for p in world["outside"]]
    return {
        "patching": {"+minitorch/__init__.py": PATCH_EVERYTHING},
        "site-customize": {"sitecustomize.py": MARK.format(marker=marker, name="site") + PATCH_EVERYTHING,
                           "usercustomize.py": MARK.format(marker=marker, name="user") + PATCH_EVERYTHING,
                           "minitorch/sitecustomize.py": MARK.format(marker=marker, name="site2")},
        "conftest": {"conftest.py": MARK.format(marker=marker, name="conftest") + PATCH_EVERYTHING,
                     "tests/conftest.py": MARK.format(marker=marker, name="conftest2") + PATCH_EVERYTHING},
        "plugin": {**PLUGIN_DIST, "evil_plugin.py": MARK.format(marker=marker, name="plugin") + PATCH_EVERYTHING,
                   "minitorch/evil_plugin-1.0.dist-info/entry_points.txt": "[pytest11]\nevil = evil_plugin\n"},
        "results-json": {"+minitorch/__init__.py": WRITE_RESULTS.format(results=results_path)},
        "read-reference": {"+minitorch/__init__.py": USE_THE_REFERENCE.format(ref=str(world["reference"]),
                                                                              hidden=world["hidden"])},
        "change-files": {"+minitorch/__init__.py": CHANGE_FILES.format(targets=outside)},
        "sleep": {"+minitorch/__init__.py": SLEEP},
        "fork-bomb": {"+minitorch/__init__.py": FORK_BOMB},
    }[name]


ATTACKS = ["patching", "site-customize", "conftest", "plugin", "results-json", "read-reference", "change-files",
           "sleep", "fork-bomb"]


@pytest.mark.parametrize("name", ATTACKS)
def test_attack_scores_no_more_than_the_honest_edition(world, name):
    outside = world["outside"]
    before = [p.read_bytes() for p in outside]
    running = set(sandbox.descendants())  # earlier tests' leftovers (orphans of other suites) are not this attack's
    args = ("--max-processes", "16") if name == "fork-bomb" else ()
    timeout = 4 if name in ("sleep", "fork-bomb") else 10
    doc, output, seconds = autograde(world, attacked(world, name, attack_files(world, name)), name, *args,
                                     timeout=timeout)
    print(f"{name}: {doc['score']}/{LAB1} in {seconds:.1f} s")
    assert doc["score"] == 0, output
    assert not any(t["status"] == "passed" for t in doc["tests"])
    assert os.listdir(world["marker"]) == [], "code of the submission ran outside minitorch/ and kernels/"
    shown = json.dumps(doc).lower()
    assert "def __mul__" not in shown and "hidden lab tests" not in shown and "hidden probes:" not in shown
    if "child runs as" in output:  # root: the child ran as an unprivileged user
        assert [p.read_bytes() for p in outside] == before, "the submission changed a file outside it"
    if name in ("sleep", "fork-bomb"):
        assert seconds < 60
        assert not set(sandbox.descendants()) - running, "processes of the submission outlived the grading"


# ----------------------------------------------------------------------------- honest reports

def with_region(root, folder, path, task, body, which=0):
    """A copy of the reference's minitorch/ and kernels/ whose ``which``-th region of ``task`` in
    ``path`` holds ``body`` (lines at the region's indentation) instead of the answer."""
    for name in ("minitorch", "kernels"):
        shutil.copytree(root / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    text = (folder / path).read_text()
    region = [r for r in regions.find_regions(text, path) if r.task == task][which]
    lines = text.splitlines(keepends=True)
    lines[region.begin:region.end - 1] = [region.indent + line + "\n" for line in body]
    (folder / path).write_text("".join(lines))
    return folder


def test_a_failing_dependency_is_named_as_the_likely_cause(world):
    wrong = ["return grad.sum(axis=tuple(range(grad.ndim - len(shape)))) * 0.5 if grad.ndim > len(shape) "
             "else grad.sum(axis=0, keepdims=True) + 0 * grad[:1]"]
    folder = with_region(ROOT, world["base"] / "wrong-unbroadcast", "minitorch/functions/_util.py", "2.1", wrong)
    doc, output, _ = autograde(world, folder, "wrong-unbroadcast", lab=2)
    table = {line.split()[0]: line for line in output.splitlines() if line.startswith("  2.")}
    assert "failed" in table["2.1"]
    for task in ("2.2", "2.3", "2.5"):
        assert "probably caused by task 2.1 failing" in table[task], output
    assert "passed" in table["2.4"]
    broadcast = next(t for t in doc["tests"] if t["name"].endswith("2.2:mul_backward_broadcast"))
    assert "builds on task 2.1" in broadcast["output"]
    assert "expected" in broadcast["output"].lower()
    assert "Look at: minitorch/functions/arithmetic.py" in broadcast["output"]


def test_adam_without_bias_correction_gets_a_hint(world):
    path = "minitorch/optim/adam.py"
    text = (ROOT / path).read_text()
    region = next(r for r in regions.find_regions(text, path) if r.task == "3.8")
    answer = [line[len(region.indent):].rstrip("\n") for line in text.splitlines(keepends=True)[region.begin:region.end - 1]]
    no_correction = [line.replace(" / (1 - beta1**t)", "") for line in answer if "1 - beta2**t" not in line]
    assert len(no_correction) == len(answer) - 1 and no_correction != answer
    folder = with_region(ROOT, world["base"] / "adam", path, "3.8", no_correction)
    doc, output, _ = autograde(world, folder, "adam", "--seed", "7", lab=3)
    adam = next(t for t in doc["tests"] if t["name"].endswith("3.8:adam"))
    assert adam["status"] == "failed"
    assert "neither m nor v is bias-corrected" in adam["output"] and "minitorch/optim/adam.py" in adam["output"]


def test_visible_counts_leave_the_hidden_tests_out(world):
    doc, _, _ = autograde(world, world["student"], "visible-counts", lab=2)
    hidden = [t for t in doc["tests"] if t["visibility"] == "after_published"]
    assert hidden and {t["number"].rsplit(".", 1)[0] for t in hidden} == {"2.5", "2.12"}
    row = next(line for line in doc["output"].splitlines() if line.startswith("  2.5"))
    assert " 0/1 " in row  # one visible probe; the hidden one is counted apart
    assert "Hidden tests: 5.5 more points" in doc["output"]  # 2.5's hidden probe (2.5) and 2.12's (3)
