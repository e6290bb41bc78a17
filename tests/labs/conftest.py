"""The lab tests: each carries the task it grades, ``@pytest.mark.task(id="1.3")``.

Run one task's tests with ``python -m minitorch.labs grade --task 1.3`` (the table of points)
or ``python -m pytest tests/labs -m "task(id='1.3')"`` (pytest's own report).

The audits of the labs themselves (the mutation checks: every task stubbed in turn, minutes of
CPU) are marked ``@pytest.mark.audit`` and left out of a plain ``python -m pytest``, so that a
newcomer's run stays quick; ``python -m pytest -m audit`` runs them (CI does, as its own step),
and so does any ``-m`` expression that selects them.
"""
import pytest

AUDITS_LEFT_OUT = pytest.StashKey[int]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        'task(id): the lab task this test belongs to, e.g. @pytest.mark.task(id="1.3") '
        "(see minitorch/labs/catalog.py)",
    )
    config.addinivalue_line(
        "markers", "audit: an audit of the labs' content (the mutation checks); run with -m audit")


def pytest_collection_modifyitems(config, items):
    """Leave the audits out unless a ``-m`` expression was given (see the module docstring)."""
    if config.getoption("markexpr"):
        return
    audits = [item for item in items if item.get_closest_marker("audit")]
    if audits:
        config.hook.pytest_deselected(items=audits)
        items[:] = [item for item in items if not item.get_closest_marker("audit")]
        config.stash[AUDITS_LEFT_OUT] = len(audits)


def pytest_terminal_summary(terminalreporter, config):
    left_out = config.stash.get(AUDITS_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(f"{left_out} lab audits (the mutation checks, minutes of CPU) were left out: "
                                    "run them with `python -m pytest -m audit`.")
