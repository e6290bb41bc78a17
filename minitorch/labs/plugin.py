"""The pytest plugin behind ``python -m minitorch.labs grade``: per-test results, written as tests finish.

Loaded with ``-p minitorch.labs.plugin``. Its options:

- ``--labs-select 1,3.2``: run only these labs (numbers) and tasks (ids); others are deselected.
- ``--labs-json PATH``: the run's state (``results.py``), rewritten after every test.
- ``--labs-gradescope PATH``: Gradescope's results.json, rewritten after every test.
- ``--labs-reach PATH``: write {test file: [task ids]}: the tasks whose solution regions each
  test file reached, while it was imported or its tests ran ("" for the rest of the run); the
  mutation check selects with it (``probes/reach.py``).

Every file is replaced atomically, so if the process dies mid-run (a segfault, a timeout that
kills it) the last complete version stays on disk: tests that had finished keep their
results, the others read "not run".

A failure is "not attempted" rather than "failed" when the exception, or one it was raised
from (``__cause__``, ``__context__``, the members of an exception group), is a stub's
``NotImplementedError("Task <id>: ...")``.
"""
import time

import pytest

from . import catalog, results
from .gradescope import results_json
from .regions import stub_in

MARKER = "task(id): the lab task this test belongs to, e.g. @pytest.mark.task(id=\"1.3\") (see minitorch/labs/catalog.py)"


def pytest_addoption(parser):
    group = parser.getgroup("minitorch-labs", "minitorch course labs")
    group.addoption("--labs-select", default="", help="comma-separated lab numbers and task ids to run")
    group.addoption("--labs-json", default=None, help="write the per-test results here as tests finish")
    group.addoption("--labs-gradescope", default=None, help="write Gradescope's results.json here as tests finish")
    group.addoption("--labs-reach", default=None, help="write which tasks' regions each test file reached here")


def pytest_configure(config):
    config.addinivalue_line("markers", MARKER)
    if any(config.getoption(name) for name in ("labs_select", "labs_json", "labs_gradescope")):
        config.pluginmanager.register(Recorder(config), "minitorch-labs-recorder")
    if config.getoption("labs_reach"):
        config.pluginmanager.register(ReachRecorder(config), "minitorch-labs-reach")


def task_of(item):
    """The task id a test's ``task`` mark names, or None."""
    mark = item.get_closest_marker("task")
    if mark is None:
        return None
    return mark.kwargs.get("id", mark.args[0] if mark.args else None)


def parse_select(text):
    """"1,3.2" -> ([1], ["3.2"]): lab numbers and task ids."""
    labs, tasks = [], []
    for part in filter(None, (p.strip() for p in text.split(","))):
        if part.isdigit():
            labs.append(int(part))
        else:
            tasks.append(part)
    return labs, tasks


class Recorder:
    """Keeps the state of the run and writes it out after every test."""

    def __init__(self, config):
        labs, tasks = parse_select(config.getoption("labs_select"))
        self.tasks = catalog.select(labs, tasks)
        self.json_path = config.getoption("labs_json")
        self.gradescope_path = config.getoption("labs_gradescope")
        self.state = results.new_state([t.id for t in self.tasks])
        self.index = {}
        self.stubs = {}
        self.start = time.time()
        self.write()  # before collection: a crash while importing the code still leaves a file

    def write(self):
        if self.json_path:
            results.write_json(self.json_path, self.state)
        if self.gradescope_path:
            table = results.format_table(self.state, self.tasks, include_hidden=False)
            doc = results_json(self.state, self.tasks, table, time.time() - self.start)
            results.write_json(self.gradescope_path, doc)

    def pytest_collectreport(self, report):
        if report.failed:
            self.state["errors"].append(f"{report.nodeid} could not be collected:\n{report.longreprtext[-3000:]}")
            self.write()

    def pytest_collection_modifyitems(self, config, items):
        known, wanted = {t.id for t in catalog.all_tasks()}, {t.id for t in self.tasks}
        keep, drop = [], []
        for item in items:
            task = task_of(item)
            if task not in known:
                self.state["errors"].append(
                    f"{item.nodeid}: " + ("has no @pytest.mark.task(id=...) mark" if task is None
                                          else f"names task {task!r}, which the catalog does not define")
                )
            (keep if task in wanted else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep

    def pytest_collection_finish(self, session):
        for item in session.items:
            test = results.new_test(item.nodeid, task_of(item), item.path.parent.name == "hidden")
            self.state["tests"].append(test)
            self.index[item.nodeid] = test
        self.write()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if call.excinfo is not None and report.failed:
            found = stub_in(call.excinfo.value)
            if found:
                self.stubs[item.nodeid] = found
        return report

    def pytest_runtest_logreport(self, report):
        test = self.index.get(report.nodeid)
        if test is None:
            return
        test["duration"] = round(test["duration"] + report.duration, 4)
        if report.when == "call" or not report.passed:
            if report.passed:
                test["outcome"] = "passed"
            elif report.skipped:
                test["outcome"] = "skipped"
                longrepr = report.longrepr
                test["message"] = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
            elif report.nodeid in self.stubs:
                test["outcome"] = "not attempted"
                test["stub"], test["message"] = self.stubs[report.nodeid]
            else:
                test["outcome"] = "failed"
                test["message"] = report.longreprtext
            self.write()

    def pytest_sessionfinish(self, session, exitstatus):
        self.state["finished"] = True
        self.write()


class ReachRecorder:
    """Traces the run and writes, per test file, the tasks whose regions it reached."""

    def __init__(self, config):
        from .build import all_regions
        from .probes.reach import RegionTracer

        root = config.rootpath
        spans = {}
        for region in all_regions(root):
            spans.setdefault(str(root / region.path), []).append((region.begin, region.end, region.task))
        self.root, self.path, self.reached = root, config.getoption("labs_reach"), {}
        self.tracer = RegionTracer(spans)
        self.tracer.start()

    def _record(self, path):
        key = "" if path is None else str(path.relative_to(self.root))
        self.reached.setdefault(key, set()).update(self.tracer.take())

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector):
        module = isinstance(collector, pytest.Module)
        if module:
            self._record(None)
        report = yield
        if module:
            self._record(collector.path)
        return report

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self._record(None)
        outcome = yield
        self._record(item.path)
        return outcome

    def pytest_unconfigure(self, config):
        self.tracer.stop()
        self._record(None)
        results.write_json(self.path, {key: sorted(tasks) for key, tasks in self.reached.items()})
