"""The set-up every lesson starts with: notebook or script, fast or full size, where figures go.

A lesson's first code cell is::

    from minitorch.lesson_setup import setup
    IN_NOTEBOOK, FAST, OUT, show = setup("01_scalar_autograd")
    import matplotlib.pyplot as plt

It works wherever the lesson runs (a script, Jupyter, VS Code, the book's build, a notebook copied
to another folder), since it comes with the installed package rather than with the lesson's folder.

- ``IN_NOTEBOOK``: True under a Jupyter kernel (``ipykernel`` is loaded); figures then also show
  inline. As a script, matplotlib is switched to the ``Agg`` backend and figures only go to files.
- ``FAST``: True when the environment has ``MINITORCH_FAST=1``: CI (and the book's quick build)
  runs every lesson with less data and fewer epochs; the asserts still check every claim.
- ``OUT``: the lesson's figure folder, ``$LESSON_OUTPUT_DIR/<name>`` (``outputs/<name>`` by
  default, relative to the current folder), created if missing.
- ``show(fig=None)``: call after saving a figure: a notebook displays it, a script frees it.

In the labs' student edition a lesson may reach code that is still a stub (``NotImplementedError:
Task 3.9: ...``): ``setup`` makes such an error stop the lesson with "solve task 3.9 first"
instead of a traceback, as a script and in a notebook; every other error shows as usual.
"""
import os
import sys
from typing import Callable, NamedTuple

import matplotlib

__all__ = ["Lesson", "setup"]


class Lesson(NamedTuple):
    """What :func:`setup` returns: unpack it as ``IN_NOTEBOOK, FAST, OUT, show``."""

    in_notebook: bool
    fast: bool
    out: str
    show: Callable


def _show(fig=None):
    """Figures are saved to OUT; a notebook also shows them inline (``fig``, or every open one),
    whatever backend a module selected on import (the examples select Agg); then they are freed."""
    import matplotlib.pyplot as plt

    if "ipykernel" not in sys.modules:
        plt.close(fig)
        return
    from IPython.display import display

    for figure in [fig] if fig is not None else [plt.figure(n) for n in plt.get_fignums()]:
        display(figure)
        plt.close(figure)


def unsolved_task(exc):
    """The id of the lab task whose stub raised ``exc`` (or an error it came from), else None."""
    from .labs.regions import stub_in

    found = stub_in(exc)
    return found[0] if found else None


def _solve_first(task):
    print(f"\nThis lesson needs lab task {task}, which is not solved yet: solve task {task} first "
          f"(check it with: python -m minitorch.labs grade --task {task}), then run the lesson again.",
          file=sys.stderr)


def _stop_at_unsolved_tasks(in_notebook):
    """Show "solve task N first" instead of the traceback of an unsolved task's stub."""
    if in_notebook:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None:
            return

        def handler(shell, kind, value, tb, tb_offset=None):
            task = unsolved_task(value)
            if task is None:
                return shell.showtraceback((kind, value, tb), tb_offset=tb_offset)
            _solve_first(task)
            return None

        shell.set_custom_exc((NotImplementedError,), handler)
        return
    previous = sys.excepthook
    if getattr(previous, "stops_at_unsolved_tasks", False):
        return

    def hook(kind, value, tb):
        task = unsolved_task(value)
        if task is None:
            return previous(kind, value, tb)
        _solve_first(task)
        return None

    hook.stops_at_unsolved_tasks = True
    sys.excepthook = hook


def setup(name):
    """Prepare lesson ``name`` (its file's stem, e.g. ``"07_convolutions"``); returns a :class:`Lesson`.

    Call it before ``import matplotlib.pyplot``: as a script it selects the ``Agg`` backend.
    """
    if not isinstance(name, str):
        raise TypeError(f"lesson_setup.setup(): name must be a str, the lesson's file stem such as "
                        f"'01_scalar_autograd', got {type(name).__name__} {name!r}")
    if not name or os.sep in name or "/" in name:
        raise ValueError(f"lesson_setup.setup(): name must be the lesson's file stem such as "
                         f"'01_scalar_autograd' (no folder), got {name!r}")
    in_notebook = "ipykernel" in sys.modules    # Jupyter or VS Code: figures also show inline
    if not in_notebook:
        matplotlib.use("Agg")                   # as a script: figures go to files only
    fast = os.environ.get("MINITORCH_FAST") == "1"
    out = os.path.join(os.environ.get("LESSON_OUTPUT_DIR", "outputs"), name)
    os.makedirs(out, exist_ok=True)
    _stop_at_unsolved_tasks(in_notebook)
    return Lesson(in_notebook, fast, out, _show)
