"""docs/griffe_factories.py: the API reference shows factory-made classes and functions as such."""
import importlib.util
import pathlib
import textwrap

import pytest

griffe = pytest.importorskip("griffe", reason='pip install -e ".[docs]" installs mkdocstrings and griffe')

_spec = importlib.util.spec_from_file_location(
    "griffe_factories", pathlib.Path(__file__).resolve().parents[2] / "docs" / "griffe_factories.py")
griffe_factories = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(griffe_factories)

PACKAGE = '''
"""A package whose module makes a class and a function with factories."""


def _make_class(name, doc):
    return type(name, (), {"__doc__": doc, "__module__": __name__})


def _make_function(name):
    def made(x, scale=2, *, out=None):
        return x * scale
    made.__name__, made.__doc__ = name, f"``{name}``: x times scale."
    return made


def real(x):
    """A function written out."""


Made = _make_class("Made", "A class a factory made.")
double = _make_function("double")
also_real = real
limit = 3
bound = limit
'''


@pytest.fixture
def package(tmp_path, monkeypatch):
    """The package above, loaded by griffe with the extension."""
    folder = tmp_path / "factorypkg"
    folder.mkdir()
    (folder / "__init__.py").write_text(textwrap.dedent(PACKAGE))
    monkeypatch.syspath_prepend(str(tmp_path))
    extensions = griffe.load_extensions(griffe_factories.FactoryObjects())
    return griffe.load("factorypkg", search_paths=[str(tmp_path)], extensions=extensions, docstring_parser="google")


def test_a_factory_made_class_and_function_become_a_class_and_a_function_with_their_docstrings(package):
    assert package["Made"].is_class and package["Made"].docstring.value == "A class a factory made."
    double = package["double"]
    assert double.is_function and double.docstring.value == "``double``: x times scale."
    assert [(p.name, p.kind.value, p.default) for p in double.parameters] == [
        ("x", "positional or keyword", None), ("scale", "positional or keyword", "2"), ("out", "keyword-only", "None")]


def test_an_alias_says_what_it_names_and_other_attributes_stay_as_read(package):
    assert package["also_real"].is_attribute and package["also_real"].docstring.value == "Another name for `real`."
    assert package["bound"].docstring.value == "Another name for `limit`."
    assert package["limit"].is_attribute and package["limit"].docstring is None
    assert package["real"].is_function and package["real"].docstring.value == "A function written out."
