"""Reference regions: lesson code that shows a task's answer is in the reference edition only.

``### BEGIN REFERENCE <task>: <note>`` ... ``### STUDENT`` ... ``### END REFERENCE`` (see
``minitorch/labs/regions.py``): the student edition keeps only the STUDENT lines, uncommented,
which get the same names from the student's own library. Proved here: the markers parse and are
refused when malformed; every region in the repository names a real task; the student edition's
lessons hold none of the reference code; and, with the tasks solved (the reference library), the
student edition's lessons print what the reference's print.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from minitorch.labs import build, regions

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = '''\
import math
### BEGIN REFERENCE 1.1: the square root by Newton's method
def root(a):
    x = a
    for _ in range(60):
        x = (x + a / x) / 2
    return x
### STUDENT
# def root(a):
#     """The library's square root."""
#
#     return math.sqrt(a)
### END REFERENCE


def f():
    ### BEGIN REFERENCE 1.2: twice, by hand
    y = root(4) + root(4)
    ### STUDENT
    # y = 2 * root(4)
    ### END REFERENCE
    return y
'''


def test_the_student_edition_keeps_the_student_lines_uncommented():
    text, replaced = regions.student_source(SAMPLE, "sample.py")
    assert [(r.task, r.begin, r.student, r.end) for r in replaced] == [("1.1", 2, 8, 13), ("1.2", 17, 19, 21)]
    assert text.splitlines()[1:6] == ["# (the reference edition shows task 1.1's code here)", "def root(a):",
                                      '    """The library\'s square root."""', "", "    return math.sqrt(a)"]
    assert "    # (the reference edition shows task 1.2's code here)\n    y = 2 * root(4)\n    return y" in text
    assert "REFERENCE" not in text and "STUDENT" not in text and "Newton" not in text
    for source in (SAMPLE, text):  # both editions are valid Python and compute the same
        scope = {}
        exec(compile(source, "sample", "exec"), scope)
        assert scope["f"]() == pytest.approx(4.0)
    only_second, replaced = regions.student_source(SAMPLE, "sample.py", tasks={"1.2"})
    assert [r.task for r in replaced] == ["1.2"] and "(x + a / x) / 2" in only_second
    assert regions.student_source("x = 1\n") == ("x = 1\n", [])


@pytest.mark.parametrize("text, message", [
    ("### BEGIN REFERENCE 1.1: a\nx = 1\n### BEGIN REFERENCE 1.2: b\n", "do not nest"),
    ("### BEGIN REFERENCE 1.1: a\nx = 1\n### STUDENT\n# x = 2\n", "never closed"),
    ("x = 1\n### STUDENT\n# x = 2\n### END REFERENCE\n", "outside a region"),
    ("### BEGIN REFERENCE 1.1\nx = 1\n### STUDENT\n# x = 2\n### END REFERENCE\n", "outside a region"),
    ("### BEGIN REFERENCE 1.1: a\nx = 1\n### END REFERENCE\n", "out of order"),
    ("### BEGIN REFERENCE 1.1: a\n\n### STUDENT\n# x = 2\n### END REFERENCE\n", "reference part .* empty"),
    ("### BEGIN REFERENCE 1.1: a\nx = 1\n### STUDENT\n\n### END REFERENCE\n", "STUDENT part .* empty"),
    ("### BEGIN REFERENCE 1.1: a\nx = 1\n### STUDENT\nx = 2\n### END REFERENCE\n", "commented lines only"),
    ("if x:\n    ### BEGIN REFERENCE 1.1: a\n    x = 1\n    ### STUDENT\n# x = 2\n    ### END REFERENCE\n",
     "commented lines only"),
])
def test_malformed_reference_regions_are_refused(text, message):
    with pytest.raises(regions.RegionError, match=message):
        regions.find_references(text, "bad.py")


def test_every_reference_region_names_a_real_task():
    found = build.all_references(ROOT)
    build.check_references(found)
    assert {(Path(r.path).name[:2], r.task) for r in found} >= {("04", "2.9"), ("07", "4.7"), ("08", "5.3")}
    with pytest.raises(ValueError, match=r"lessons/x\.py:3 \(task 99\.1\)"):
        build.check_references([regions.ReferenceRegion("lessons/x.py", "99.1", "a", 3, 5, 7, "")])


@pytest.fixture(scope="module")
def student_lessons(tmp_path_factory):
    out = tmp_path_factory.mktemp("student") / "edition"
    build.build_student(ROOT, out, include=("lessons/",))
    return out / "lessons"


def test_the_student_lessons_hold_no_reference_code(student_lessons):
    found = build.all_references(ROOT)
    for path in sorted({r.path for r in found}):
        reference = (ROOT / path).read_text(encoding="utf-8").splitlines()
        student = (student_lessons.parent / path).read_text(encoding="utf-8")
        compile(student, path, "exec")
        assert "### BEGIN REFERENCE" not in student and "### STUDENT" not in student
        student_lines = {line.strip() for line in student.splitlines()}
        for region in (r for r in found if r.path == path):
            assert f"# (the reference edition shows task {region.task}'s code here)" in student_lines
            # the reference part's own lines: not the STUDENT part's, not lines the lesson has elsewhere
            kept = {line.strip().removeprefix("#").strip() for line in reference[region.student:region.end - 1]}
            elsewhere = {line.strip() for line in reference[:region.begin - 1] + reference[region.end:]}
            shown = {line.strip() for line in reference[region.begin:region.student - 1]} - kept - elsewhere - {""}
            assert shown, f"{path}: task {region.task}'s reference part has no line of its own"
            assert not shown & student_lines, f"{path}: task {region.task}'s reference code is in the student edition"


TIMINGS = re.compile(r"\d ms\b|\bin [\d.]+ s$|^speed-up ")


def lesson_output(lesson, out_dir):
    """The lesson's stdout in fast mode, run with the reference library (every task solved),
    less the lines that report timings."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), MINITORCH_FAST="1", MPLBACKEND="Agg",
               LESSON_OUTPUT_DIR=str(out_dir), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, lesson.name], cwd=lesson.parent, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, f"{lesson}:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return [line for line in proc.stdout.splitlines() if not TIMINGS.search(line)]


@pytest.mark.parametrize("name", sorted({Path(r.path).name for r in build.all_references(ROOT)}))
def test_the_student_lessons_print_the_references_numbers_once_the_tasks_are_solved(
        name, student_lessons, tmp_path):
    assert lesson_output(student_lessons / name, tmp_path) == lesson_output(ROOT / "lessons" / name, tmp_path)
