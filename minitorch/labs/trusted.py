"""The trusted grader: the score comes only from here, and no student code ever runs in this process.

``grade_submission(code, reference, tasks)``:

1. draws every probe's inputs (``probes/``) from a seed of its own (fresh per grading unless
   given), kept in this process's memory;
2. runs the probes on the REFERENCE in a child (trusted code, private scratch folder), lab by
   lab, and keeps its outputs in memory as the expected values -- before any student code runs,
   so nothing a submission does can change them;
3. copies only ``minitorch/`` and ``kernels/`` of the submission (regular files, no links) into
   a scratch folder and runs the same probes there in the sandboxed child (``sandbox.py``),
   with a time limit per probe; a probe that hangs or crashes the child is marked, and the
   child restarts with the probes after it;
4. reads the child's arrays (``allow_pickle=False``, size-capped, no links) and compares them
   itself, within each probe's tolerances, or with the probe's own check. The child's status
   lines only explain a failure (which stub it reached, which error); they never make a pass.
5. grades the milestones (1.9, 2.12, 3.14, 4.11, 5.7, 6.10) from their trained parameters
   alone (``evaluate_trained``): a milestone's child returns its model's state_dict, never
   predictions or a loss; the grader checks that it is the milestone's model's (the names,
   shapes and kinds of number of the reference's, all finite) and evaluates it with the
   REFERENCE's code, in a child of its own, on data it holds (fresh points it drew, the test
   split and the validation text of its own copy of the shipped data).

What stays possible: the child can read the shipped data (the digits' and MNIST's test splits,
the corpus) like any student, so a submission's training code could train on the test split
or the validation text; the score is still that of a model the submission trained, with the
milestone's architecture, evaluated by the reference. Nor can the grader tell how the
parameters were found: a submission could fit them with other code (numpy) rather than with
its own engine. The other probes and the tests grade every piece the engine is made of.

The result is the run *state* of ``results.py`` (one entry per probe), so the table and
Gradescope's results.json come out as before.
"""
import contextlib
import dataclasses
import json
import os
import re
import secrets
import shutil
import site
import sysconfig
import tempfile
import time
from pathlib import Path

import numpy as np

from . import catalog, results, sandbox
from .probes import ANSWER, HIDDEN_MODULE, STATE, all_probes, state_of

PROBES_HOME = Path(__file__).resolve().parent / "probes"
MAX_OUTPUT = 64 << 20
REFERENCE_TIMEOUT = 120.0  # seconds per probe, at least, for the trusted reference
BOOT = ("import sys; sys.path[:0] = {paths!r}; sys.dont_write_bytecode = True; "
        "import labprobes; labprobes.main(sys.argv[1])")


def library_paths():
    """Where the grader's own numpy, numba, ... live: the only site folders the child may use."""
    import numpy

    found = [os.path.dirname(os.path.dirname(numpy.__file__))]
    found += site.getsitepackages() if hasattr(site, "getsitepackages") else []
    found += [sysconfig.get_paths()[k] for k in ("purelib", "platlib")]
    return [p for k, p in enumerate(found) if os.path.isdir(p) and p not in found[:k]]


def runtime_distributions(roots=("minitorch",)):
    """The installed distributions that ``roots`` need at run time (their requirements without an
    extra, and theirs, ...), each once; a root that is not installed stands for numpy and numba."""
    from importlib import metadata

    pending, found = list(roots), {}
    while pending:
        name = pending.pop().lower().replace("_", "-")
        if name in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            pending += ["numpy", "numba"] if name in roots else []
            continue
        found[name] = dist
        pending += [re.match(r"[A-Za-z0-9._-]+", r).group(0) for r in dist.requires or () if "extra ==" not in r]
    return [d for n, d in found.items() if n not in roots]


def mirror_libraries(target):
    """Make ``target`` (a new folder every user may read) hold the run-time libraries of the
    child, hard-linked where the file system allows, else copied: for a grader whose numpy lies
    where the unprivileged user may not enter (a Python under /root). Returns ``target``."""
    os.chmod(target, 0o755)
    for dist in runtime_distributions():
        for file in dist.files or ():
            source, rel = Path(dist.locate_file(file)), Path(str(file))
            if rel.is_absolute() or ".." in rel.parts or not source.is_file():
                continue  # scripts installed outside site-packages
            destination = Path(target) / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, destination)
            except OSError:
                shutil.copyfile(source, destination)
            os.chmod(destination, 0o644 | (source.stat().st_mode & 0o111))
    for folder, _, _ in os.walk(target):
        os.chmod(folder, 0o755)
    return target


def draw_inputs(probes, seed):
    """Every probe's inputs, from ``seed`` and the probe's position (so a subset draws the same)."""
    keys = [p.key for p in all_probes()]
    drawn = {p.key: p.inputs(np.random.default_rng([seed, keys.index(p.key)])) for p in probes}
    return {key: {name: np.asarray(v) for name, v in found.items()} for key, found in drawn.items()}


class Runner:
    """Runs batches of probes in children: one scratch folder per batch, inputs written there.
    With ``evaluate`` set, the children run the probes' ``evaluate`` instead of ``run``."""

    def __init__(self, code, user, python, limits, probe_timeout, env, libraries=None):
        self.code, self.user, self.python, self.limits = str(code), user, python, limits
        self.probe_timeout, self.env = probe_timeout, env
        self.libraries = library_paths() if libraries is None else libraries
        self.trace, self.reached = None, {}  # regions to trace ({path: spans}); tasks reached per probe
        self.evaluate = False
        self.base = tempfile.mkdtemp(prefix="minitorch-sandbox-")
        os.chmod(self.base, 0o711)  # the sandbox user may enter its own folder, not list the others
        self.count = 0

    def close(self):
        """Remove every scratch folder."""
        shutil.rmtree(self.base, ignore_errors=True)

    def run(self, probes, inputs):
        """{probe key: ("ok", arrays) | ("error", status) | ("timeout"/"crash", message)}."""
        found, pending = {}, list(probes)
        while pending:
            outcome = self._batch(pending, inputs)
            found.update(outcome)
            done = [p for p in pending if p.key in found]
            if not done:
                break
            pending = [p for p in pending if p.key not in found]
        return found

    def _batch(self, probes, inputs):
        self.count += 1
        scratch = os.path.join(self.base, f"run{self.count}")
        os.makedirs(os.path.join(scratch, "out"))
        hidden = [] if any(p.hidden for p in probes) else [f"{HIDDEN_MODULE}.py"]  # out of reach unless run
        shutil.copytree(PROBES_HOME, os.path.join(scratch, "grader", "labprobes"),
                        ignore=shutil.ignore_patterns("__pycache__", *hidden))
        np.savez(os.path.join(scratch, "inputs.npz"),
                 **{f"{k}/{name}": v for k, p in enumerate(probes) for name, v in inputs[p.key].items()})
        job = {"probes": [p.key for p in probes], "inputs": "inputs.npz", "status": "status.jsonl", "out": "out",
               "trace": self.trace, "evaluate": self.evaluate}
        with open(os.path.join(scratch, "job.json"), "w") as f:
            json.dump(job, f)
        sandbox.give_to(scratch, self.user)
        paths = [self.code, os.path.join(scratch, "grader"), *self.libraries]
        command = [self.python, "-I", "-S", "-c", BOOT.format(paths=paths), "job.json"]
        status_path = os.path.join(scratch, "status.jsonl")
        started = {}

        launched = time.monotonic()

        def watch():
            lines = self._status(status_path)
            if not lines and time.monotonic() - launched > self.limits.wall:
                return "start-up"  # importing the code takes longer than the start-up allowance
            if lines and "started" in lines[-1]:
                first = started.setdefault(len(lines), time.monotonic())
                if time.monotonic() - first > self.probe_timeout:
                    return "probe"
            return None

        extra = self.probe_timeout * len(probes)  # the start-up allowance, then each probe's share
        limits = dataclasses.replace(self.limits, wall=self.limits.wall + extra, cpu=int(self.limits.cpu + extra))
        keep = [self.base, *self.libraries, os.path.dirname(os.path.dirname(self.python))]  # seen in a private /tmp
        code, reason, output = sandbox.run(command, scratch, limits, self.user,
                                           sandbox.environment(scratch, self.env), watch, keep)
        found = {}
        for entry in self._status(status_path):
            if "reached" in entry:
                tasks = set(filter(None, entry["reached"].split(",")))
                self.reached.setdefault("" if entry.get("startup") else entry.get("probe"), set()).update(tasks)
            key = entry.get("probe")
            index = next((k for k, p in enumerate(probes) if p.key == key), None)
            if index is None or key in found:
                continue
            if entry.get("done"):
                found[key] = self._arrays(os.path.join(scratch, "out", f"{index}.npz"))
            elif "error" in entry:
                found[key] = ("error", entry)
        running = next((p.key for p in probes if p.key not in found
                        and any(e.get("probe") == p.key for e in self._status(status_path))), None)
        if running is not None:
            found[running] = ("timeout", f"it ran past its time limit of {self.probe_timeout:g} s") \
                if reason else ("crash", f"the process running it stopped (exit code {code}): {output[-1500:]}")
        elif not found:  # nothing started: the import (or the interpreter) failed or hung
            why = ("importing your code ran past the time limit" if reason else
                   f"the process stopped before the first probe (exit code {code})")
            found = {p.key: ("crash", f"{why}. Its last output:\n{output[-2000:]}") for p in probes}
        shutil.rmtree(scratch, ignore_errors=True)
        return found

    def _status(self, path):
        text = sandbox.read_file(path, self.user, 4 << 20).decode(errors="replace")
        lines = []
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                lines.append({k: v for k, v in entry.items() if isinstance(v, (str, bool, type(None)))})
        return lines

    def _arrays(self, path):
        data = sandbox.read_file(path, self.user, MAX_OUTPUT)
        if not data:
            return ("crash", "its outputs are missing or too large")
        import io

        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                return ("ok", {name: npz[name] for name in npz.files})
        except (ValueError, OSError, KeyError) as e:
            return ("crash", f"its outputs could not be read ({e})")


def compare(probe, inputs, got, expected):
    """None if ``got`` matches ``expected`` (or passes the probe's check), else what differs."""
    if probe.check is not None:
        try:
            return probe.check(inputs, got)
        except (KeyError, TypeError, ValueError, IndexError) as e:
            return f"the outputs do not have the expected form ({type(e).__name__}: {e})"
    for name, want in expected.items():
        have = got.get(name)
        if have is None:
            return f"{name}: no value came out"
        if have.dtype.kind not in "biuf" or want.dtype.kind not in "biuf":
            return f"{name}: expected numbers, got an array of {have.dtype}"
        if have.shape != want.shape:
            return f"{name}: expected shape {want.shape}, got shape {have.shape}"
        if want.dtype.kind == "b" or have.dtype.kind == "b":
            close = have == want
        else:
            close = np.isclose(have.astype(np.float64), want.astype(np.float64), rtol=probe.rtol, atol=probe.atol,
                               equal_nan=True)
        if not np.all(close):
            where = tuple(int(i) for i in np.argwhere(~close)[0]) if want.ndim else ()
            return (f"{name}: expected {want[where]!r} at index {where}, got {have[where]!r} "
                    f"({int((~close).sum())} of {close.size} elements differ; rtol {probe.rtol:g}, "
                    f"atol {probe.atol:g})")
    return None


def describe(probe, outcome, inputs, expected):
    """(test outcome, stub task, message) of one probe's result on the submission. A hidden
    probe's message holds no text of the child's (it could carry what the child read)."""
    kind, detail = outcome
    if kind == "wrong":  # a milestone's trained parameters, judged on this side (``evaluate_trained``)
        text = detail if not probe.hidden else "the trained parameters are not the milestone's model's"
        return "failed", None, f"Wrong answer: {text}.\nLook at: {probe.where}"
    stub = detail.get("stub") if kind == "error" else None
    stub = stub if stub in {t.id for t in catalog.all_tasks()} else None  # a known id only: no free text
    if probe.hidden and kind != "ok":
        if stub:
            return "not attempted", stub, f"Task {stub} is not written yet."
        return "failed", None, f"A hidden check raised an error or did not finish.\nLook at: {probe.where}"
    if kind == "ok":
        wrong = compare(probe, inputs, detail, expected)
        if wrong is None:
            return "passed", None, ""
        hint = probe.diagnose(inputs, detail, expected) if probe.diagnose else None
        text = wrong if not probe.hidden else "a hidden check gave a wrong answer"
        return "failed", None, f"Wrong answer: {text}.{' ' + hint if hint else ''}\nLook at: {probe.where}"
    if kind == "error":
        if stub:
            return "not attempted", stub, detail.get("message", "")[-500:]
        text = f"{detail.get('error')}: {detail.get('message', '')}"
        return "failed", None, (f"Error: {text}\n  raised at {detail.get('at', '?')}\n"
                                f"Expected: the probe's outputs. Look at: {probe.where}")
    return "failed", None, f"The probe did not finish: {detail}\nLook at: {probe.where}"


def reference_runner(reference, python, limits, probe_timeout, env):
    """A ``Runner`` of the trusted ``reference``: as the grader's user, with at least
    ``REFERENCE_TIMEOUT`` seconds per probe (a busy machine must not break the course)."""
    limits = dataclasses.replace(limits, wall=max(limits.wall, REFERENCE_TIMEOUT))
    return Runner(reference, None, python, limits, max(probe_timeout, REFERENCE_TIMEOUT), env)


def check_state(got, expected):
    """None if the trained parameters in a milestone child's outputs ``got`` are the milestone's
    model's: exactly the names and shapes of the reference's (``expected``), numbers of the same
    kind (floating point, or integers for a counter such as ``num_batches_tracked``), all
    finite; else what differs."""
    have, want = state_of(got), state_of(expected)
    if not have:
        return ("the milestone returned no trained parameters: the grader evaluates the model's state_dict "
                "itself, from the milestone's own code (its predictions or losses are not accepted)")
    for name, ref in want.items():
        mine = have.get(name)
        if mine is None:
            return (f"the trained model's state_dict has no key {name!r}; the milestone's model has it, of "
                    f"shape {ref.shape} (its keys: {', '.join(want)})")
        if mine.shape != ref.shape:
            return (f"the trained model's state_dict has key {name!r} of shape {mine.shape}; the milestone's "
                    f"model has shape {ref.shape}")
        if mine.dtype.kind != ref.dtype.kind or mine.dtype.kind not in "iuf":
            return (f"the trained model's state_dict has key {name!r} of dtype {mine.dtype}; the milestone's "
                    f"model has {ref.dtype}")
        if not np.all(np.isfinite(mine)):
            return f"the trained model's state_dict has non-finite values in {name!r} (did training diverge?)"
    extra = sorted(set(have) - set(want))
    if extra:
        return (f"the trained model's state_dict has key {extra[0][:80]!r}, which the milestone's model does "
                f"not have ({len(extra)} such keys; its keys: {', '.join(want)})")
    return None


def evaluate_trained(reference, probes, inputs, found, expected, python, limits, probe_timeout, env):
    """``found`` (the children's outcomes) with each milestone's graded on this side: its trained
    parameters checked (``check_state``), then evaluated by the probe's ``evaluate`` in a child
    of the ``reference`` (trusted code) on the inputs the grader drew. A milestone's outcome
    becomes ("ok", the reference's evaluation plus the child's other outputs under ``ANSWER``),
    which its check grades, ("wrong", what is wrong with its parameters), or ("crash", why the
    reference could not evaluate them)."""
    found, ready = dict(found), []
    for p in probes:
        if p.evaluate is not None and found.get(p.key, ("",))[0] == "ok":
            wrong = check_state(found[p.key][1], expected[p.key])
            if wrong:
                found[p.key] = ("wrong", wrong)
            else:
                ready.append(p)
    if not ready:
        return found
    given = {p.key: dict(inputs[p.key], **{STATE + k: v for k, v in state_of(found[p.key][1]).items()})
             for p in ready}
    runner = reference_runner(reference, python, limits, probe_timeout, env)
    runner.evaluate = True
    try:
        evaluated = runner.run(ready, given)
    finally:
        runner.close()
    for p in ready:
        kind, detail = evaluated.get(p.key, ("crash", "it never ran"))
        answers = {ANSWER + k: v for k, v in found[p.key][1].items() if not k.startswith(STATE)}
        if kind == "ok":
            found[p.key] = ("ok", {**answers, **detail})
        else:
            why = f"{detail.get('error')}: {detail.get('message', '')[:300]}" if kind == "error" else detail
            found[p.key] = ("crash", f"the reference could not evaluate the trained parameters ({why})")
    return found


def reference_outputs(reference, probes, inputs, python, limits, probe_timeout, env, reach=None):
    """Run the probes on the reference (trusted) and return their outputs; a probe the reference
    fails is the course's bug, reported as such. The reference is trusted, so it gets at least
    ``REFERENCE_TIMEOUT`` seconds per probe: the time limit is for the submission's code, and a
    busy grading machine must not turn a slow reference into a broken course. With ``reach`` (a
    dict), the run is traced and ``reach`` gets {probe key: tasks whose regions it reached}, and
    "" for those reached while importing the code (``probes/reach.py``)."""
    runner = reference_runner(reference, python, limits, probe_timeout, env)
    if reach is not None:
        from .build import all_regions

        runner.trace = {}
        for region in all_regions(reference):
            runner.trace.setdefault(str(Path(reference) / region.path), []).append(
                (region.begin, region.end, region.task))
    try:
        found = runner.run(probes, inputs)
        if reach is not None:
            reach.update(runner.reached)
    finally:
        runner.close()
    broken = {k: v for k, v in found.items() if v[0] != "ok"}
    missing = [p.key for p in probes if p.key not in found]
    if broken or missing:
        raise RuntimeError(f"the reference failed probes {sorted(broken) + missing}: {list(broken.values())[:2]}")
    return {k: v[1] for k, v in found.items()}


@contextlib.contextmanager
def child_interpreter(account, python):
    """(account, python, library folders, account it could not drop to) for the sandboxed child.
    When the unprivileged user cannot import numpy from the grader's own folders, it gets a
    mirror of them for the time of the grading; when it cannot run Python at all, the child runs
    as the grader's user and the report says so."""
    candidates, libraries, mirror, unreachable = [python] if python else [], library_paths(), None, None
    child_python = sandbox.find_python(account, candidates, libraries, ["numpy"])
    try:
        if child_python is None and account is not None:
            mirror = mirror_libraries(tempfile.mkdtemp(prefix="minitorch-libraries-"))
            libraries = [mirror]
            child_python = sandbox.find_python(account, candidates, libraries, ["numpy"])
        if child_python is None:
            libraries, unreachable, account = library_paths(), account, None
            child_python = python or sandbox.find_python(None)
        yield account, child_python, libraries, unreachable
    finally:
        if mirror:
            shutil.rmtree(mirror, ignore_errors=True)


def grade_submission(code, reference, tasks, seed=None, limits=None, probe_timeout=30.0, user="nobody",
                     python=None, log=None):
    """The run state (``results.py``) of the submission code folder ``code`` (which holds
    minitorch/ and kernels/) on the probes of ``tasks``, against the ``reference`` checkout."""
    sandbox.harden_grader()
    limits = limits or sandbox.Limits()
    wanted = {t.id for t in tasks}
    probes = [p for p in all_probes() if p.task in wanted]
    seed = secrets.randbits(62) if seed is None else seed
    inputs = draw_inputs(probes, seed)
    env = {} if os.environ.get("MINITORCH_REAL_GPU") == "1" else {"NUMBA_ENABLE_CUDASIM": "1"}
    trusted_python = python or sandbox.find_python(None)
    expected = reference_outputs(reference, probes, inputs, trusted_python, limits, probe_timeout, env)
    state = results.new_state([t.id for t in tasks])
    with child_interpreter(sandbox.sandbox_user(user) if user else None, python) as (account, child_python,
                                                                                     libraries, unreachable):
        state["protections"] = sandbox.protections(account, child_python, unreachable)
        runner = Runner(code, account, child_python, limits, probe_timeout, env, libraries)
        try:
            found = grade_in(runner, code, account, probes, inputs, log)
        finally:
            runner.close()
    found = evaluate_trained(reference, probes, inputs, found, expected, trusted_python, limits, probe_timeout, env)
    for p in probes:
        test = results.new_test(p.key, p.task, p.hidden)
        outcome = found.get(p.key, ("crash", "it never ran"))
        test["outcome"], test["stub"], test["message"] = describe(p, outcome, inputs[p.key], expected[p.key])
        state["tests"].append(test)
    state["finished"] = True
    return state


def grade_in(runner, code, account, probes, inputs, log):
    """Copy the submission's minitorch/ and kernels/ into the runner's folder and run ``probes``
    there: lab by lab, then every hidden probe last, so no submission code that had them in
    reach runs after them."""
    work = Path(runner.base) / "code"
    work.mkdir()
    for folder in ("minitorch", "kernels"):
        if (Path(code) / folder).is_dir():
            sandbox.copy_tree(Path(code) / folder, work / folder)
    runner.code = str(work)  # the grader's, read-only to the child: nothing it writes there lasts to the next child
    batches = [[p for p in probes if not p.hidden and p.task in {t.id for t in lab.tasks}] for lab in catalog.LABS]
    found = {}
    for batch in [b for b in batches if b] + [[p for p in probes if p.hidden]]:
        found.update(runner.run(batch, inputs) if batch else {})
        if log and batch:
            log(f"{len(batch)} probes of tasks {batch[0].task}-{batch[-1].task} graded")
    return found


def probe_mutation_check(root, tasks=None, probe_timeout=60.0, workers=None, failing=None):
    """The mutation check of the probes (``mutation.py`` does the same for the tests): stub one
    task at a time; each of its probes must stop passing, and no probe of a task that does not
    depend on it. Returns {task id: [problems]} plus "reference" (every probe runs there). As in
    ``mutation.py``, the traced reference run tells which probes reach a task's regions: only
    those, and the probes of the task and of the tasks that declare it, run with it stubbed.
    ``failing``: as in ``mutation.mutation_check``."""
    from concurrent.futures import ThreadPoolExecutor

    from .mutation import analyse, failed_tasks, make_copies, unneeded_dependencies

    tasks = [t.id for t in catalog.all_tasks()] if tasks is None else list(tasks)
    probes = all_probes()
    inputs = draw_inputs(probes, seed=0)
    python, limits = sandbox.find_python(None), sandbox.Limits(wall=probe_timeout)
    env = {"NUMBA_ENABLE_CUDASIM": "1"}
    base = Path(tempfile.mkdtemp(prefix="minitorch-probe-mutants-"))
    try:
        copies = make_copies(root, base, tasks)
        reach = {}
        try:
            expected = reference_outputs(copies["reference"], probes, inputs, python, limits, probe_timeout, env,
                                         reach)
        except RuntimeError as e:
            return {"reference": [str(e)], **{t: [] for t in tasks}}

        def graded(task_id):
            watched = {task_id} | {t.id for t in catalog.all_tasks() if task_id in t.depends_on}
            chosen = [p for p in probes if task_id in reach.get("", ()) or p.task in watched
                      or task_id in reach.get(p.key, ())]
            runner = Runner(copies[task_id], None, python, limits, probe_timeout, env)
            try:
                found = runner.run(chosen, inputs)
            finally:
                runner.close()
            found = evaluate_trained(copies["reference"], chosen, inputs, found, expected, python, limits,
                                     probe_timeout, env)
            state = dict(results.new_state(tasks), finished=True)
            for p in chosen:
                test = results.new_test(p.key, p.task, p.hidden)
                outcome = describe(p, found.get(p.key, ("crash", "it never ran")), inputs[p.key], expected[p.key])
                test["outcome"], test["stub"], test["message"] = outcome
                state["tests"].append(test)
            if failing is not None:
                failing[task_id] = failed_tasks(state)
                return analyse(task_id, state, judge_dependencies=False)
            return analyse(task_id, state, judge_dependencies=False) + unneeded_dependencies(
                task_id, failed_tasks(state), "probes (if its tests need it, keep it: CI judges both together)")

        with ThreadPoolExecutor(workers or max(1, min(os.cpu_count() or 1, 4))) as pool:
            return {"reference": [], **dict(zip(tasks, pool.map(graded, tasks)))}
    finally:
        shutil.rmtree(base, ignore_errors=True)
