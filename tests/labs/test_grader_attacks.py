"""CI proof that a submission cannot grade itself (``minitorch/labs/trusted.py``, ``sandbox.py``).

The student edition (every task unsolved) is graded as is, and then with one attack added at a
time; no attack may score more than the honest edition (0). The reference scores full marks.
Each grading runs ``python -m minitorch.labs autograde`` in its own process, against a private
copy of the reference (a folder only root may enter, as in the Gradescope bundle).

Attacks: patching numpy.testing, gradcheck and pytest's reports from ``minitorch/__init__.py``;
``sitecustomize.py``/``usercustomize.py``; ``conftest.py``; a pytest plugin entry point (an
installed-looking dist-info); writing results.json; importing the reference or reading the
hidden tests and echoing them; changing files outside the submission; sleeping past the time
limit; a fork bomb (held by a small RLIMIT_NPROC); files left in /tmp (and the other folders every
user may write, its TMPDIR and its code folder) for a later probe or for the grader; a milestone
answered without training (perfect predictions from the moons' geometry, a made-up loss): the
milestones are graded from the trained parameters alone, evaluated by the reference.
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

LEAVE_FILES = '''
import os as _os
import tempfile as _tempfile
_places = [*{folders!r}, _tempfile.gettempdir(), _os.path.dirname(__file__)]
_found = [_path for _path in (_os.path.join(_d, {name!r}) for _d in _places) if _os.path.lexists(_path)]
for _d in _places:
    try:
        with open(_os.path.join(_d, {name!r}), "w") as _f:
            _f.write("left for a later probe")
    except OSError:
        pass
if _found:
    raise RuntimeError("PERSISTED: an earlier child left " + ", ".join(_found))
'''

FORGE_MILESTONE = '''
import sys as _sys
if "labprobes" in _sys.modules:  # in the grader's child: answer the moons milestone without training
    import numpy as _np
    import labprobes.lab1 as _lab1
    def _perfect(load, x):
        classes = _lab1.moon_class(x["test"])
        return {"logits": classes - 0.5, "predicted": classes, "val_loss": _np.array([2.0])}
    for _probe in _sys.modules["labprobes"].REGISTRY:
        if _probe.task == "1.9" and _probe.check is not None:
            object.__setattr__(_probe, "run", _perfect)
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
    # where anyone may look (pytest's folder is private), outside the folders of which a child gets
    # an empty copy of its own (else the markers below could not prove anything)
    outside_private = "/run" if sandbox.why_no_private_folders() is None and os.access("/run", os.W_OK) else None
    public = Path(tempfile.mkdtemp(prefix="minitorch-attacks-", dir=outside_private))
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
        "forge-milestone": {"+minitorch/__init__.py": FORGE_MILESTONE},
    }[name]


ATTACKS = ["patching", "site-customize", "conftest", "plugin", "results-json", "read-reference", "change-files",
           "sleep", "fork-bomb", "forge-milestone"]


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
    if name == "forge-milestone":  # the forged answer reached the grader, which found no trained parameters in it
        moons = next(t for t in doc["tests"] if t["name"].endswith("1.9:milestone_moons"))
        assert "the trained parameters are not the milestone's model's" in moons["output"], moons
    if name in ("sleep", "fork-bomb"):
        assert seconds < 60
        assert not set(sandbox.descendants()) - running, "processes of the submission outlived the grading"


def test_files_left_in_tmp_reach_neither_a_later_probe_nor_the_grader(world):
    """Each child writes a file into /tmp, /var/tmp, /dev/shm, /run/lock, its TMPDIR and its code
    folder, and raises at import if an earlier child's file is there. Labs 1 and 2 run in two
    children, one after the other (then the hidden probes in a third)."""
    name = f"minitorch-left-{os.getpid()}-{time.time_ns()}"
    attack = {"+minitorch/__init__.py": LEAVE_FILES.format(folders=sandbox.PRIVATE_FOLDERS, name=name)}
    try:
        doc, output, seconds = autograde(world, attacked(world, "tmp-files", attack), "tmp-files", "--lab", "2")
        print(f"tmp-files: {doc['score']} in {seconds:.1f} s;", next((line for line in output.splitlines()
                                                                      if "/tmp" in line), ""))
        assert doc["score"] == 0, output
        if "child runs as" in output:  # root: private folders per child, or what it left deleted after it
            assert "PERSISTED" not in json.dumps(doc), output
            left = [os.path.join(f, name) for f in sandbox.PRIVATE_FOLDERS if os.path.lexists(os.path.join(f, name))]
            assert left == [], "the grader can see files a child left"
    finally:
        for folder in sandbox.PRIVATE_FOLDERS:  # without root the child shares /tmp with the grader's user
            if os.path.lexists(os.path.join(folder, name)):
                os.unlink(os.path.join(folder, name))


@pytest.mark.skipif(sandbox.sandbox_user() is None, reason="dropping to another user needs root")
def test_without_a_mount_namespace_what_a_child_leaves_is_deleted(monkeypatch, tmp_path):
    """The fallback for a container without CAP_SYS_ADMIN: the files, folders and links the
    sandbox user made in the shared folders are deleted after the child; older ones are kept."""
    from minitorch.labs import trusted

    monkeypatch.setattr(sandbox, "why_no_private_folders", lambda: "simulated")
    user, name = sandbox.sandbox_user(), f"minitorch-fallback-{os.getpid()}"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    os.chmod(tmp_path, 0o711)
    sandbox.give_to(str(scratch), user)
    older = Path("/tmp", name + "-older")
    older.write_text("made before the child")
    os.chown(older, user.uid, user.gid)
    os.utime(older, (0, 0))
    leave = (f"import os; os.makedirs('/tmp/{name}/sub'); open('/tmp/{name}/sub/f', 'w').close(); "
             f"open('/var/tmp/{name}', 'w').close(); os.symlink('{older}', '/tmp/{name}-link')")
    try:
        with trusted.child_interpreter(user, None) as (account, python, _, _):
            if account is None:
                pytest.skip("the sandbox user cannot run Python here")
            code, _, output = sandbox.run([python, "-I", "-S", "-c", leave], str(scratch), sandbox.Limits(wall=30),
                                          account, sandbox.environment(str(scratch)))
        assert code == 0, output
        made = [Path("/tmp", name), Path("/var/tmp", name), Path("/tmp", name + "-link")]
        assert not [p for p in made if os.path.lexists(p)], "files the child left are still there"
        assert older.exists()  # older than the child; and the link to it was not followed
        assert "NOT private /tmp" in "\n".join(sandbox.protections(user, python))
    finally:
        older.unlink()


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
    for task in ("2.2", "2.5"):
        assert "probably caused by task 2.1 failing" in table[task], output
    assert "probably caused by task 2.1, 2.2 failing" in table["2.3"], output  # 2.3 declares both
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


# ----------------------------------------------------------------------------- the milestones' labels

def milestone_probes(*tasks):
    from minitorch.labs.probes import all_probes

    return [p for p in all_probes() if p.task in tasks]


def test_the_grader_reads_the_milestones_labels_from_its_own_data():
    import numpy as np

    from minitorch.data import MNIST, load_digits
    from minitorch.labs.probes.lab3 import shipped_test_labels

    assert np.array_equal(shipped_test_labels("digits.npz"), load_digits("test").tensors[1].numpy())
    assert np.array_equal(shipped_test_labels("mnist_5k.npz"), MNIST(train=False).targets.numpy())


def forged_outputs(probe, x):
    """What a cheating milestone child could return without training: perfect predictions from
    data it can read (the shipped test labels, the moons' or the spiral's geometry) and a
    fabricated validation loss, under every name the checks once read, and an honest-looking
    ``evaluate``."""
    import numpy as np

    from minitorch.labs.probes import lab1, lab2
    from minitorch.labs.probes.lab3 import shipped_test_labels

    if probe.task in ("3.14", "4.11"):
        labels = shipped_test_labels("digits.npz" if probe.task == "3.14" else "mnist_5k.npz")
        logits = np.eye(10)[labels]
    elif probe.task == "2.12":
        logits = np.eye(3)[lab2.spiral_arm(x["test"])]
    elif probe.task == "6.10":
        logits = np.eye(2)[lab1.moon_class(x["test"])]
    else:  # 1.9: the sign of one logit; 5.7 has no points
        logits = lab1.moon_class(x["test"]) - 0.5 if "test" in x else np.zeros((1, 2))
    classes = logits.argmax(axis=-1)
    return {"logits": logits, "predicted": classes, "labels": classes,
            "test_accuracy": np.array([1.0]), "val_loss": np.array([2.0]), "evaluate": np.array([0.1]),
            "predict": np.zeros(40, dtype=np.int64)}


def test_a_milestone_returning_predictions_or_a_loss_instead_of_weights_scores_nothing():
    """Every milestone is graded from the trained parameters alone: outputs that the reference's
    own evaluation would grade as perfect score nothing when they come from the child."""
    import numpy as np

    from minitorch.labs import trusted
    from minitorch.labs.probes import STATE

    milestones = [p for p in milestone_probes("1.9", "2.12", "3.14", "4.11", "5.7", "6.10") if p.check]
    assert {p.task for p in milestones} == {"1.9", "2.12", "3.14", "4.11", "5.7", "6.10"}
    assert all(p.evaluate is not None for p in milestones)
    inputs = trusted.draw_inputs(milestones, seed=3)
    found = {p.key: ("ok", forged_outputs(p, inputs[p.key])) for p in milestones}
    for p in milestones:  # had the reference computed them, these outputs would pass: the forgery is perfect
        if p.task in ("1.9", "2.12", "5.7", "6.10"):
            assert trusted.compare(p, inputs[p.key], found[p.key][1], {}) is None, p.key
    template = {p.key: {STATE + "weight": np.zeros((2, 2))} for p in milestones}
    graded = trusted.evaluate_trained(None, milestones, inputs, found, template, None, None, 1.0, {})
    for p in milestones:
        outcome, _, message = trusted.describe(p, graded[p.key], inputs[p.key], template[p.key])
        assert outcome == "failed", p.key
        assert ("no trained parameters" in message) != p.hidden, message  # a hidden probe's message says less


def test_the_trained_parameters_must_be_the_milestone_models():
    """``check_state``: the reference's names, shapes and kinds of number, finite; the message
    names the key, its shape and the model's."""
    import numpy as np

    from minitorch.labs.trusted import check_state
    from minitorch.labs.probes import STATE, trained

    reference = trained({"fc.weight": np.zeros((3, 2), np.float32), "fc.bias": np.zeros(3, np.float32),
                         "bn.num_batches_tracked": np.array(5)})
    assert check_state(dict(reference, **{"child/evaluate": np.ones(1)}), reference) is None
    assert check_state(trained({"fc.weight": np.ones((3, 2), np.float64), "fc.bias": np.ones(3),
                                "bn.num_batches_tracked": np.array(7)}), reference) is None
    cases = {
        "fc.weight": (np.zeros((2, 3)), "has key 'fc.weight' of shape (2, 3); the milestone's model has shape (3, 2)"),
        "fc.bias": (np.array([0.0, np.nan, 1.0]), "non-finite values in 'fc.bias'"),
        "bn.num_batches_tracked": (np.array(5.0), "of dtype float64; the milestone's model has int64"),
    }
    for key, (value, wanted) in cases.items():
        message = check_state(dict(reference, **{STATE + key: value}), reference)
        assert message is not None and wanted in message, message
    missing = {k: v for k, v in reference.items() if not k.endswith("fc.bias")}
    assert "has no key 'fc.bias'" in check_state(missing, reference)
    extra = check_state(dict(reference, **{STATE + "fc2.weight": np.zeros(1)}), reference)
    assert "has key 'fc2.weight', which the milestone's model does not have" in extra
    text = check_state(dict(reference, **{STATE + "fc.bias": np.array(["a", "b", "c"])}), reference)
    assert "'fc.bias' of dtype <U1" in text


def test_the_reference_evaluates_the_trained_parameters_it_is_given():
    """The trusted side runs the REFERENCE's forward on the child's parameters: the spiral MLP
    trained here passes, the same MLP untrained fails (hidden probe: a message without details),
    parameters of the wrong shape get a clear message, and logits the child adds are ignored."""
    import numpy as np

    from minitorch.examples import tensor_mlp
    from minitorch.labs import sandbox, trusted
    from minitorch.labs.probes import trained
    from minitorch.labs.probes.lab2 import SPIRAL_PARAMETERS

    visible, hidden = sorted(milestone_probes("2.12"), key=lambda p: p.hidden)
    probes = [visible, hidden]
    inputs = trusted.draw_inputs(probes, seed=5)
    params, _ = tensor_mlp.train(seed=0)
    good = trained(dict(zip(SPIRAL_PARAMETERS, params)), logits=np.zeros((300, 3)))
    untrained = trained(dict(zip(SPIRAL_PARAMETERS, tensor_mlp.init_params(2, 32, 3, seed=0))))
    expected = {p.key: good for p in probes}
    found = trusted.evaluate_trained(ROOT, probes, inputs, {visible.key: ("ok", good), hidden.key: ("ok", untrained)},
                                     expected, sandbox.find_python(None), sandbox.Limits(wall=60), 60.0, {})
    assert found[visible.key][0] == "ok" and found[visible.key][1]["logits"].shape == (300, 3)
    assert trusted.describe(visible, found[visible.key], inputs[visible.key], good)[0] == "passed"
    outcome, _, message = trusted.describe(hidden, found[hidden.key], inputs[hidden.key], good)
    assert outcome == "failed" and "hidden check gave a wrong answer" in message
    small = trained(dict(zip(SPIRAL_PARAMETERS, tensor_mlp.init_params(2, 8, 3, seed=0))))
    wrong = trusted.evaluate_trained(ROOT, [visible], inputs, {visible.key: ("ok", small)}, expected, None, None,
                                     60.0, {})
    outcome, _, message = trusted.describe(visible, wrong[visible.key], inputs[visible.key], good)
    assert outcome == "failed"
    assert "state_dict has key 'W1' of shape (2, 8); the milestone's model has shape (2, 32)" in message


def test_the_milestones_answers_are_checked_against_the_reference_evaluation():
    """3.14's ``evaluate`` (on labels the grader drew) and 4.11's ``predict`` (on random images)
    stay the student's: they must agree with the reference's evaluation of the trained parameters,
    up to near ties."""
    import numpy as np

    from minitorch.labs import trusted
    from minitorch.labs.probes import ANSWER
    from minitorch.labs.probes.lab3 import shipped_test_labels

    digits, cnn = (next(p for p in milestone_probes(task) if not p.hidden) for task in ("3.14", "4.11"))
    x = trusted.draw_inputs([digits], seed=3)[digits.key]
    labels = shipped_test_labels("digits.npz")
    logits = np.eye(10)[labels]
    honest = {"logits": logits, ANSWER + "evaluate": np.array([np.mean(labels == x["chance"])])}
    assert trusted.compare(digits, x, honest, {}) is None
    lying = trusted.compare(digits, x, dict(honest, **{ANSWER + "evaluate": np.array([1.0])}), {})
    assert lying is not None and "evaluate gave 1.0000" in lying
    weak = trusted.compare(digits, x, dict(honest, logits=np.eye(10)[np.full(len(labels), 3)],
                                           **{ANSWER + "evaluate": np.array([np.mean(x["chance"] == 3)])}), {})
    assert weak is not None and "test accuracy 1" in weak

    x = trusted.draw_inputs([cnn], seed=3)[cnn.key]
    labels = shipped_test_labels("mnist_5k.npz")
    image_logits = np.random.default_rng(0).standard_normal((len(x["images"]), 10))
    honest = {"logits": np.eye(10)[labels], "image_logits": image_logits,
              ANSWER + "predict": image_logits.argmax(axis=1)}
    assert trusted.compare(cnn, x, honest, {}) is None
    off = trusted.compare(cnn, x, dict(honest, **{ANSWER + "predict": (image_logits.argmax(axis=1) + 1) % 10}), {})
    assert off is not None and "predict's classes of random images" in off
