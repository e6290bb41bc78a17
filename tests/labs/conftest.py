"""The lab tests: each carries the task it grades, ``@pytest.mark.task(id="1.3")``.

Run one task's tests with ``python -m minitorch.labs grade --task 1.3`` (the table of points)
or ``python -m pytest tests/labs -m "task(id='1.3')"`` (pytest's own report).
"""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        'task(id): the lab task this test belongs to, e.g. @pytest.mark.task(id="1.3") '
        "(see minitorch/labs/catalog.py)",
    )
