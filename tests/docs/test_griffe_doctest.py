"""docs/griffe_doctest.py: the API reference shows docstrings' ``>>>`` examples as code blocks."""
import importlib.util
import pathlib

import pytest

pytest.importorskip("griffe", reason='pip install -e ".[docs]" installs mkdocstrings and griffe')

_spec = importlib.util.spec_from_file_location(
    "griffe_doctest", pathlib.Path(__file__).resolve().parents[2] / "docs" / "griffe_doctest.py")
griffe_doctest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(griffe_doctest)


def test_a_doctest_paragraph_is_fenced_after_a_blank_line():
    text = "Sum.\n>>> x = 1\n>>> x + 1\n2\n\nAfter."
    assert griffe_doctest.fence_doctests(text) == "Sum.\n\n```pycon\n>>> x = 1\n>>> x + 1\n2\n```\n\nAfter."


def test_an_indented_doctest_keeps_its_indentation_and_text_without_one_is_unchanged():
    text = "Items:\n\n    >>> f()\n    3\n"
    assert griffe_doctest.fence_doctests(text) == "Items:\n\n    ```pycon\n    >>> f()\n    3\n    ```"
    assert griffe_doctest.fence_doctests("No examples.\n\nNone.") == "No examples.\n\nNone."
