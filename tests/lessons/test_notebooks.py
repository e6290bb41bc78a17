"""Every lesson opens as a notebook: jupytext reads its percent format into valid nbformat cells.

The lessons are plain scripts (``# %%`` starts a code cell, ``# %% [markdown]`` a markdown one);
``jupytext --to notebook NN_topic.py`` turns one into an ``.ipynb``. This checks that conversion
for every lesson, that the notebook validates, and that it keeps the lesson's shape: a markdown
title with the learning goals first, markdown and code cells alternating through it, exercises
at the end, code cells that are the script's own code (so the notebook runs what CI ran), and
figures that a notebook displays inline (the lessons switch to the Agg backend only as scripts).
"""
import ast
import pathlib

import pytest

jupytext = pytest.importorskip("jupytext", reason='pip install -e ".[dev]" installs jupytext')
nbformat = pytest.importorskip("nbformat")

LESSONS = sorted((pathlib.Path(__file__).resolve().parents[2] / "lessons").glob("[0-9][0-9]_*.py"))


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_converts_to_a_valid_notebook(lesson):
    notebook = jupytext.read(lesson)
    nbformat.validate(nbformat.reads(jupytext.writes(notebook, fmt="ipynb"), as_version=4))

    cells = notebook.cells
    kinds = [cell.cell_type for cell in cells]
    assert kinds[0] == "markdown" and cells[0].source.startswith("# Lesson"), (
        f"{lesson.name}: the notebook should open with the lesson's title in markdown")
    assert "learning goals" in cells[0].source.lower(), f"{lesson.name}: no learning goals up top"
    assert kinds.count("markdown") >= 8 and kinds.count("code") >= 8, (
        f"{lesson.name}: {kinds.count('markdown')} markdown and {kinds.count('code')} code cells")
    assert any("exercise" in cell.source.lower() for cell in cells[-4:] if cell.cell_type == "markdown"), (
        f"{lesson.name}: the exercises should close the notebook")

    code = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
    ast.parse(code)                                # the cells, run in order, are valid Python
    script = ast.dump(ast.parse(lesson.read_text(encoding="utf-8")))
    assert ast.dump(ast.parse(code)) == script, (
        f"{lesson.name}: the notebook's code cells differ from the script's code")

    # figures show inline in a notebook: minitorch.lesson_setup picks the Agg backend only outside
    # one, and figures are closed only by its show() (which calls plt.show() in a notebook)
    assert f'IN_NOTEBOOK, FAST, OUT, show = setup("{lesson.stem}")' in code, (
        f"{lesson.name}: the set-up cell should call minitorch.lesson_setup.setup with the lesson's name")
    assert "matplotlib.use(" not in code and "plt.close(" not in code, (
        f"{lesson.name}: a backend forced or a figure closed outside show(), so a notebook would not display it")
