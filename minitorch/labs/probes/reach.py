"""Which tasks' solution regions a piece of code reaches: the mutation checks' test selection.

Stubbing task T changes only the lines of T's regions. A test (or probe) that never runs one of
those lines on the reference runs exactly the same code with T stubbed, so it gives the same
result and need not run again. The mutation checks therefore run the reference once under this
tracer, note for each test module (or probe) the tasks whose regions it reached, and then run
with T stubbed only what reached T, plus the tests of T and of the tasks that declare they
depend on it (the check must see those fail).

``RegionTracer(regions)`` takes {absolute file path: [(first line, last line, task id), ...]}
(1-based, inclusive) and, while ``start()``-ed, adds to ``tracer.reached`` the task id of each
region a line of which runs, in any thread (the CUDA simulator runs a kernel's threads as Python
threads). Only code objects whose lines overlap a region get a line tracer, so the rest of the
program runs at the cost of one call per function entry. Standard library only: a copy of this
package runs in the grader's sandboxed child.
"""
import os
import sys
import threading


class RegionTracer:
    """Records the tasks whose regions run; see the module's docstring."""

    def __init__(self, regions):
        self.regions = {os.path.realpath(path): list(spans) for path, spans in regions.items()}
        self.reached = set()
        self._candidates = {}  # code object -> the regions its lines overlap
        self._real = {}  # a code object's file name -> its real path

    def _spans_of(self, code):
        spans = self._candidates.get(code)
        if spans is None:
            lines = [line for _, _, line in code.co_lines() if line is not None]
            path = self._real.get(code.co_filename)
            if path is None:
                path = self._real[code.co_filename] = os.path.realpath(code.co_filename)
            spans = [s for s in self.regions.get(path, ())
                     if lines and s[0] <= max(lines) and s[1] >= min(lines) and s[2] not in self.reached]
            self._candidates[code] = spans
        return spans

    def _on_call(self, frame, event, arg):
        spans = self._spans_of(frame.f_code)
        if not spans:
            return None

        def on_line(frame, event, arg):
            if event == "line":
                for first, last, task in spans:
                    if first <= frame.f_lineno <= last:
                        self.reached.add(task)
            return on_line
        return on_line

    def take(self):
        """The tasks reached since the last ``take``; starts a new record."""
        reached, self.reached = self.reached, set()
        self._candidates.clear()  # a region already reached is watched again for the next record
        return reached

    def start(self):
        threading.settrace(self._on_call)
        sys.settrace(self._on_call)

    def stop(self):
        sys.settrace(None)
        threading.settrace(None)
