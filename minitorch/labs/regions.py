"""Solution regions: finding them in the reference code and replacing them by stubs.

A region is the body a student must write, between two comment lines::

    def tanh(self):
        ### BEGIN SOLUTION 1.3: c = tanh(a) and its local derivative dc/da
        c = math.tanh(self.data)
        return self._result(c, "tanh", (self,), (1 - c * c,))
        ### END SOLUTION

The student edition keeps both marker lines and puts one line in place of the body, at the
marker's indentation::

        ### BEGIN SOLUTION 1.3: c = tanh(a) and its local derivative dc/da
        raise NotImplementedError("Task 1.3: c = tanh(a) and its local derivative dc/da")
        ### END SOLUTION

Rules (``find_regions`` raises ``RegionError`` naming the file and line otherwise): the task id
and a one-line instruction follow the BEGIN marker; regions do not nest and are not empty;
the body is indented at least as deeply as the markers; and a region sits inside a function
(a stub at module or class level would break ``import``).

A *reference region* is lesson code that teaches a task's answer. The reference edition runs it;
the student edition runs, instead, code that gets the same names from the student's own library
(so the lesson prints the same numbers once the task is solved). That code is written after a
``### STUDENT`` line as comments at the markers' indentation, so that the reference ignores it::

    ### BEGIN REFERENCE 4.7: conv2d as F.unfold and one matrix product
    def conv2d_im2col(x, w, b):
        ...
    ### STUDENT
    # def conv2d_im2col(x, w, b):
    #     return F.conv2d(x, w, b)
    ### END REFERENCE

The student edition drops the markers and the reference code and keeps the STUDENT lines,
uncommented, under one line ``# (the reference edition shows task 4.7's code here)``. Reference
regions may sit at module level (lessons are scripts); they do not nest, and neither part is empty.
"""
import re
from dataclasses import dataclass

BEGIN = re.compile(r"^(?P<indent>[ \t]*)### BEGIN SOLUTION (?P<task>\d+(?:\.\d+)+):[ \t]*(?P<text>\S.*?)[ \t]*$")
END = re.compile(r"^[ \t]*### END SOLUTION[ \t]*$")
MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION")
STUB_MESSAGE = re.compile(r"Task (\d+(?:\.\d+)+):")
REFERENCE_BEGIN = re.compile(
    r"^(?P<indent>[ \t]*)### BEGIN REFERENCE (?P<task>\d+(?:\.\d+)+):[ \t]*(?P<text>\S.*?)[ \t]*$")
REFERENCE_STUDENT = re.compile(r"^[ \t]*### STUDENT[ \t]*$")
REFERENCE_END = re.compile(r"^[ \t]*### END REFERENCE[ \t]*$")
REFERENCE_MARKER = re.compile(r"^[ \t]*### (BEGIN REFERENCE|STUDENT|END REFERENCE)\b")


class RegionError(ValueError):
    """A solution marker that is malformed or misplaced."""


@dataclass(frozen=True)
class Region:
    """One region: the ``task`` it belongs to, its ``instruction``, and where it is (1-based lines
    of the two markers)."""

    path: str
    task: str
    instruction: str
    begin: int
    end: int
    indent: str


def stub_line(indent, task, instruction):
    """``raise NotImplementedError("Task <task>: <instruction>")`` at ``indent``."""
    message = f"Task {task}: {instruction}".replace("\\", "\\\\").replace('"', '\\"')
    return f'{indent}raise NotImplementedError("{message}")'


def stub_task(message):
    """The task id in a stub's message ("Task 1.3: ..."), or None if it is not a stub's."""
    match = STUB_MESSAGE.search(str(message))
    return match.group(1) if match else None


def stub_in(exc):
    """(task id, "Task <id>: ...") of a stub's NotImplementedError in ``exc`` or in the exceptions
    behind it (``__cause__``, ``__context__``, the members of an exception group), else None."""
    seen, stack = set(), [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, NotImplementedError) and stub_task(e):
            return stub_task(e), str(e)[str(e).index("Task "):]
        stack += [e.__cause__, e.__context__, *getattr(e, "exceptions", ())]
    return None


def find_regions(text, path="<string>"):
    """Every region in the source ``text`` (of file ``path``, for error messages), in order."""
    regions, open_region = [], None
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        if not MARKER.match(line):
            if open_region and line.strip() and not line.startswith(open_region[0]):
                raise RegionError(
                    f"{path}:{number}: this line is indented less than the BEGIN SOLUTION marker on "
                    f"line {open_region[3]}; a region must sit inside one block."
                )
            continue
        begin, end = BEGIN.match(line), END.match(line)
        if begin:
            if open_region:
                raise RegionError(f"{path}:{number}: BEGIN SOLUTION inside the region opened on line "
                                  f"{open_region[3]}; regions do not nest.")
            if not begin.group("indent"):
                raise RegionError(
                    f"{path}:{number}: a region must be inside a function (indented); a stub at "
                    f"module level would make the student edition fail to import."
                )
            open_region = (begin.group("indent"), begin.group("task"), begin.group("text"), number)
        elif end:
            if not open_region:
                raise RegionError(f"{path}:{number}: END SOLUTION without a BEGIN SOLUTION before it.")
            indent, task, instruction, first = open_region
            if not any(body.strip() for body in lines[first:number - 1]):
                raise RegionError(f"{path}:{first}: the region of task {task} is empty.")
            regions.append(Region(path, task, instruction, first, number, indent))
            open_region = None
        else:
            raise RegionError(
                f"{path}:{number}: malformed marker {line.strip()!r}. Write "
                f"'### BEGIN SOLUTION <task id>: <one-line instruction>' and '### END SOLUTION'."
            )
    if open_region:
        raise RegionError(f"{path}:{open_region[3]}: the region of task {open_region[1]} is never closed "
                          f"(no ### END SOLUTION).")
    _check_inside_function(text, path, regions)
    return regions


def _check_inside_function(text, path, regions):
    """A region whose stub would run at import time (module or class level) is refused."""
    if not regions:
        return
    import ast

    lines = text.splitlines()
    spans = [(node.lineno, node.end_lineno) for node in ast.walk(ast.parse(text, filename=path))
             if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for region in regions:
        body = next(n for n in range(region.begin + 1, region.end) if lines[n - 1].strip())
        if not any(first < body <= last for first, last in spans):
            raise RegionError(
                f"{path}:{region.begin}: the region of task {region.task} is not inside a function "
                f"body; its stub would run when the module is imported."
            )


def stub_source(text, path="<string>", tasks=None):
    """``text`` with the regions of ``tasks`` (every region when None) replaced by stubs.

    Returns ``(new_text, stubbed_regions)``. Lines outside those regions are kept byte for byte.
    """
    regions = [r for r in find_regions(text, path) if tasks is None or r.task in tasks]
    if not regions:
        return text, []
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    for region in reversed(regions):  # from the end, so earlier line numbers stay valid
        stub = stub_line(region.indent, region.task, region.instruction) + newline
        lines[region.begin:region.end - 1] = [stub]
    new_text = "".join(lines)
    compile(new_text, path, "exec")  # a stub must leave the file valid Python
    return new_text, regions


@dataclass(frozen=True)
class ReferenceRegion:
    """One reference region: the ``task`` whose answer it shows, a one-line ``note`` on what it
    shows, and its marker lines (1-based: BEGIN, STUDENT, END)."""

    path: str
    task: str
    note: str
    begin: int
    student: int
    end: int
    indent: str


def find_references(text, path="<string>"):
    """Every reference region in the source ``text`` (``RegionError`` on a malformed one)."""
    found, open_region, student = [], None, None
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        if not REFERENCE_MARKER.match(line):
            if student and line.strip() and not line.startswith(open_region[0] + "#"):
                raise RegionError(f"{path}:{number}: the STUDENT part of the region opened on line "
                                  f"{open_region[3]} holds commented lines only ('#' at the markers' indentation).")
            continue
        begin = REFERENCE_BEGIN.match(line)
        if begin:
            if open_region:
                raise RegionError(f"{path}:{number}: BEGIN REFERENCE inside the region opened on line "
                                  f"{open_region[3]}; regions do not nest.")
            open_region, student = (begin.group("indent"), begin.group("task"), begin.group("text"), number), None
        elif not open_region:
            raise RegionError(f"{path}:{number}: {line.strip()!r} outside a region. Write "
                              f"'### BEGIN REFERENCE <task id>: <what it shows>', '### STUDENT', '### END REFERENCE'.")
        elif REFERENCE_STUDENT.match(line) and not student:
            student = number
        elif REFERENCE_END.match(line) and student:
            indent, task, note, first = open_region
            for part, (start, stop) in (("reference", (first, student - 1)), ("STUDENT", (student, number - 1))):
                if not any(body.strip() for body in lines[start:stop]):
                    raise RegionError(f"{path}:{first}: the {part} part of the region of task {task} is empty.")
            found.append(ReferenceRegion(path, task, note, first, student, number, indent))
            open_region, student = None, None
        else:
            raise RegionError(f"{path}:{number}: {line.strip()!r} out of order in the region opened on line "
                              f"{open_region[3]}: BEGIN REFERENCE, then STUDENT, then END REFERENCE.")
    if open_region:
        raise RegionError(f"{path}:{open_region[3]}: the reference region of task {open_region[1]} is never "
                          f"closed (no ### END REFERENCE).")
    return found


def student_source(text, path="<string>", tasks=None):
    """``text`` with the reference regions of ``tasks`` (every one when None) replaced by their
    STUDENT lines, uncommented. Returns ``(new_text, replaced_regions)``."""
    found = [r for r in find_references(text, path) if tasks is None or r.task in tasks]
    if not found:
        return text, []
    lines = text.splitlines(keepends=True)
    for region in reversed(found):
        body = [region.indent + line[len(region.indent) + 1:].removeprefix(" ") if line.strip() else line
                for line in lines[region.student:region.end - 1]]
        note = f"{region.indent}# (the reference edition shows task {region.task}'s code here)\n"
        lines[region.begin - 1:region.end] = [note, *body]
    new_text = "".join(lines)
    compile(new_text, path, "exec")  # the STUDENT lines must be valid Python
    return new_text, found
