"""Building the student edition and the grader bundle from the reference repository.

``build_student(root, out)`` copies the repository's files (those git tracks or would track:
``git ls-files --cached --others --exclude-standard``, or a plain walk that skips .git, caches
and outputs when ``root`` is not a git checkout) into ``out``. On the way it replaces every
solution region by its stub and every reference region (lesson code that shows an answer) by
its STUDENT lines, and leaves out the hidden tests (``tests/labs/hidden/``), the
CI tests of this package (``TOOLING_TESTS``) and the solutions to the lessons' exercises
(``lessons/solutions/``).

``build_grader(root, out)`` writes what Gradescope needs (see ``labs/README.md``):

    setup.sh             makes a virtual environment (/opt/minitorch-venv) with requirements.txt
    run_autograder       grades /autograder/submission into /autograder/results/results.json
    minitorch_labs/      this package (the catalog, the trusted grader, the probes, the sandbox)
    reference/           the reference minitorch/ and kernels/: the expected values come from it
    trusted/             the files a submission may not replace: tests/ (lab tests, hidden ones
                         included), pytest.ini, minitorch/testing/
    autograder.zip       all of the above, the file to upload
"""
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from .catalog import all_tasks, select
from .regions import find_references, find_regions, stub_source, student_source

HIDDEN_TESTS = "tests/labs/hidden/"
# The instructors' solutions to the lessons' exercises (their checks, minitorch/exercises/, stay)
EXERCISE_SOLUTIONS = "lessons/solutions/"
# CI for this package: not lab tests, not for students
TOOLING_TESTS = ("tests/labs/test_lab_tooling.py", "tests/labs/test_grader_attacks.py",
                 "tests/labs/test_sandbox_libraries.py", "tests/labs/test_lesson_references.py")
SKIP_DIRS = {".git", "__pycache__", ".pytest_cache", ".hypothesis", ".ipynb_checkpoints", ".mypy_cache",
             ".ruff_cache", ".tox", ".venv", "venv", "build", "dist", "outputs", "node_modules"}
# Regions are searched in the framework's code, not in the tests or in this package (whose
# docstrings show the markers as examples).
NOT_SCANNED = ("tests/", "minitorch/labs/")
TRUSTED = ("tests/conftest.py", "tests/labs", "pytest.ini", "minitorch/testing")
REQUIREMENTS = """\
# The grader's dependencies: keep in step with setup.py (install_requires and the dev extra).
numpy>=2.0
numba>=0.60
matplotlib>=3.7
tqdm>=4.60
pytest>=8.3
pytest-timeout>=2.1
hypothesis>=6.100
"""


def repository_files(root):
    """The repository's files as sorted POSIX paths relative to ``root``."""
    root = Path(root).resolve()
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True,
                             check=True, text=True).stdout.strip()
        if Path(top).resolve() == root:  # root is a checkout, not a folder inside another one
            listed = subprocess.run(
                ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                cwd=root, capture_output=True, check=True,
            ).stdout.decode().split("\0")
            return sorted(p for p in listed if p and (root / p).is_file())
    except (OSError, subprocess.CalledProcessError):
        pass
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        rel = Path(folder).relative_to(root)
        found += [(rel / f).as_posix() for f in files if not f.endswith((".pyc", ".pyo"))]
    return sorted(found)


def scanned(path):
    """Whether solution regions are looked for in this file."""
    return path.endswith(".py") and not path.startswith(NOT_SCANNED)


def all_regions(root, files=None):
    """Every solution region in the repository (``RegionError`` on a malformed marker)."""
    root = Path(root)
    regions = []
    for path in files if files is not None else repository_files(root):
        if scanned(path):
            text = (root / path).read_text(encoding="utf-8")
            if "### " in text:
                regions += find_regions(text, path)
    return regions


def all_references(root, files=None):
    """Every reference region in the repository (``RegionError`` on a malformed marker)."""
    root = Path(root)
    references = []
    for path in files if files is not None else repository_files(root):
        if scanned(path):
            text = (root / path).read_text(encoding="utf-8")
            if "### BEGIN REFERENCE" in text:
                references += find_references(text, path)
    return references


def check_references(references):
    """Raise ValueError unless every reference region names a catalog task."""
    known = {t.id for t in all_tasks()}
    unknown = sorted(f"{r.path}:{r.begin} (task {r.task})" for r in references if r.task not in known)
    if unknown:
        raise ValueError(f"reference regions of tasks the catalog does not define: {', '.join(unknown)}.")


def check_regions(regions):
    """Raise ValueError unless every region names a catalog task and every task has a region."""
    known = {t.id for t in all_tasks()}
    unknown = sorted({f"{r.path}:{r.begin} (task {r.task})" for r in regions if r.task not in known})
    if unknown:
        raise ValueError(f"solution regions of tasks the catalog does not define: {', '.join(unknown)}.")
    missing = sorted(known - {r.task for r in regions})
    if missing:
        raise ValueError(f"tasks with no solution region in the code: {', '.join(missing)}.")


def _prepare(root, out, force):
    root, out = Path(root).resolve(), Path(out).resolve()
    if out == root or root in out.parents:
        raise ValueError(f"the output folder {out} is inside the repository {root}; choose one outside it.")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty; pass --force to replace it.")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    return root, out


def build_student(root, out, tasks=None, include=None, hidden=False, force=False):
    """Write the student edition of ``root`` into ``out``; return the regions stubbed.

    ``tasks``: the ids whose regions become stubs and whose reference regions give way to their
    STUDENT lines (default: every task); the other regions keep the reference code. ``include``: copy only paths starting with one of these prefixes.
    ``hidden``: keep the hidden tests (for the mutation check; never for students).
    """
    root, out = _prepare(root, out, force)
    files = [p for p in repository_files(root)
             if p not in TOOLING_TESTS and (hidden or not p.startswith(HIDDEN_TESTS))
             and not p.startswith(EXERCISE_SOLUTIONS)]
    if include is not None:
        files = [p for p in files if p.startswith(tuple(include))]
    regions = all_regions(root, files)
    references = all_references(root, files)
    check_references(references)
    if include is None:
        check_regions(regions)
    stubbed = []
    for path in files:
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if scanned(path) and any(r.path == path for r in [*regions, *references]):
            text, _ = student_source((root / path).read_text(encoding="utf-8"), path, tasks)
            text, done = stub_source(text, path, tasks)
            target.write_text(text, encoding="utf-8", newline="")
            stubbed += done
        else:
            shutil.copy2(root / path, target)
    return stubbed


def build_grader(root, out, labs=(), timeout=60, force=False):
    """Write the Gradescope grader bundle for ``labs`` (default: all) into ``out``; return the
    path of the zip to upload."""
    select(labs=labs)  # an unknown lab number fails here, before anything is written
    check_regions(all_regions(root))
    root, out = _prepare(root, out, force)
    files = repository_files(root)
    for prefix in TRUSTED:
        for path in files:
            if (path == prefix or path.startswith(prefix + "/")) and path not in TOOLING_TESTS:
                target = out / "trusted" / path
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(root / path, target)
    for path in files:  # the reference, for the expected values: only root may read it (the grader chmods it)
        if path.startswith(("minitorch/", "kernels/")) and not path.startswith("minitorch/labs/"):
            target = out / "reference" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / path, target)
    package = Path(__file__).resolve().parent
    shutil.copytree(package, out / "minitorch_labs", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (out / "requirements.txt").write_text(REQUIREMENTS)
    lab_args = "".join(f" --lab {n}" for n in labs)
    _write_script(out / "setup.sh", SETUP_SH)
    _write_script(out / "run_autograder", RUN_AUTOGRADER.format(lab_args=lab_args, timeout=timeout))
    archive = out / "autograder.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(out.rglob("*")):
            if path.is_file() and path != archive:
                info = zipfile.ZipInfo.from_file(path, path.relative_to(out).as_posix())
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
    return archive


def _write_script(path, text):
    path.write_text(text, newline="\n")
    path.chmod(0o755)


SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image (Ubuntu 22.04 or 24.04).
# Their Python is "externally managed" (PEP 668): install into a virtual environment instead,
# outside /autograder/source (the grader closes that folder to the sandbox user).
set -euo pipefail
VENV=${MINITORCH_VENV:-/opt/minitorch-venv}
SOURCE=${MINITORCH_SOURCE:-/autograder/source}
python_ok() {
  command -v python3 >/dev/null && python3 -c 'import sys; assert sys.version_info >= (3, 10)' 2>/dev/null
}
if ! python_ok || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  apt-get update
  apt-get install -y python3 python3-venv python3-pip
fi
python_ok || { echo "setup.sh: Python >= 3.10 is needed; this image has $(python3 --version 2>&1)" >&2; exit 1; }
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --upgrade pip
"$VENV/bin/python" -m pip install -r "$SOURCE/requirements.txt"
chmod -R a+rX "$VENV"  # the sandbox user runs this interpreter
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission. The trusted grader runs the submission's minitorch/
# and kernels/ only in a sandboxed child (as nobody), compares its outputs with the reference's,
# and writes results.json itself.
mkdir -p /autograder/results
cd /autograder/source
PYTHONPATH=/autograder/source ${{MINITORCH_VENV:-/opt/minitorch-venv}}/bin/python -m minitorch_labs autograde \\
    --submission /autograder/submission --results /autograder/results/results.json \\
    --timeout {timeout}{lab_args}
if [ ! -s /autograder/results/results.json ]; then
  echo '{{"score": 0, "output": "The autograder stopped before it could write any results. Please tell the course staff."}}' \\
    > /autograder/results/results.json
fi
"""
