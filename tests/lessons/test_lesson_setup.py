"""minitorch.lesson_setup: the set-up cell every lesson starts with, as one importable helper."""
import os
import subprocess
import sys

import pytest

from minitorch.lesson_setup import Lesson, setup, unsolved_task


def test_setup_reads_fast_mode_and_the_output_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MINITORCH_FAST", "1")
    monkeypatch.setenv("LESSON_OUTPUT_DIR", str(tmp_path))
    lesson = setup("99_example")
    assert isinstance(lesson, Lesson)
    in_notebook, fast, out, show = lesson                 # unpacks as the lessons do
    assert in_notebook is False and fast is True
    assert out == os.path.join(str(tmp_path), "99_example") and os.path.isdir(out)
    monkeypatch.setenv("MINITORCH_FAST", "0")
    assert setup("99_example").fast is False


def test_setup_defaults_to_outputs_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("LESSON_OUTPUT_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert setup("01_x").out == os.path.join("outputs", "01_x") and (tmp_path / "outputs" / "01_x").is_dir()


def test_as_a_script_figures_go_to_files_and_show_frees_them(tmp_path):
    code = ("from minitorch.lesson_setup import setup\n"
            "_, _, out, show = setup('01_x')\n"
            "import matplotlib, matplotlib.pyplot as plt\n"
            "fig = plt.figure(); show(fig)\n"
            "print(matplotlib.get_backend(), len(plt.get_fignums()))\n")
    env = dict(os.environ, LESSON_OUTPUT_DIR=str(tmp_path))
    env.pop("MPLBACKEND", None)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.lower().split() == ["agg", "0"]


@pytest.mark.parametrize("name, error", [("", ValueError), ("a/b", ValueError), (7, TypeError), (None, TypeError)])
def test_setup_refuses_a_name_that_is_not_a_lesson_stem(name, error):
    with pytest.raises(error, match="lesson_setup.setup"):
        setup(name)



def _raised(error, cause=None):
    try:
        raise error from cause
    except Exception as e:  # noqa: BLE001 (the test hands every kind of error on)
        return e


@pytest.mark.parametrize("error, task", [
    (NotImplementedError("Task 3.9: fill the state dict"), "3.9"),
    (_raised(RuntimeError("broken"), NotImplementedError("Task 2.1: unbroadcast")), "2.1"),
    (NotImplementedError("not a lab task"), None),
    (ValueError("Task 1.1: a ValueError is no stub"), None),
])
def test_unsolved_task_names_the_stub_behind_an_error(error, task):
    assert unsolved_task(error) == task


def test_a_lesson_stops_at_an_unsolved_lab_task_without_a_traceback(tmp_path):
    code = ("from minitorch.lesson_setup import setup\n"
            "setup('01_x')\n"
            "raise RuntimeError('in a layer') from NotImplementedError('Task 3.9: fill the state dict')\n")
    env = dict(os.environ, LESSON_OUTPUT_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "solve task 3.9 first" in result.stderr and "Traceback" not in result.stderr


def test_in_a_notebook_show_displays_every_figure_once_whatever_the_backend(tmp_path, monkeypatch):
    """The examples select Agg when imported; a lesson that imports one must still show its figures."""
    import matplotlib
    import matplotlib.pyplot as plt
    ipython_display = pytest.importorskip("IPython.display")

    shown = []
    monkeypatch.setenv("LESSON_OUTPUT_DIR", str(tmp_path))
    monkeypatch.setitem(sys.modules, "ipykernel", sys.modules.get("ipykernel", object()))
    monkeypatch.setattr(ipython_display, "display", shown.append)
    matplotlib.use("Agg")
    plt.close("all")
    show = setup("99_example").show
    first, second = plt.figure(), plt.figure()
    show()
    assert shown == [first, second] and plt.get_fignums() == []
    third = plt.figure()
    show(third)
    assert shown[-1] is third and plt.get_fignums() == []
