"""README's notebook command (the notebooks extra) opens the .py lessons as notebooks in JupyterLab.

Jupytext's contents manager, which the extra enables in Jupyter's server, reads a percent-format
``.py`` as a notebook when asked for one; the command's ``jupytext-config`` step makes jupytext's
notebook JupyterLab's default viewer of ``.py`` files, in the environment's ``etc/jupyter`` only.
This runs that step with a scratch folder as the prefix, starts the server headless for a moment
and asks it for a lesson (the contents API, as a double click does) and for the default viewers
(the settings API, what JupyterLab reads).

Skips, with the reason, without jupyter_server and jupytext (``pip install -e ".[notebooks]"``).
"""
import json
import os
import pathlib
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytest.importorskip("jupyter_server", reason='pip install -e ".[notebooks]" installs JupyterLab')
pytest.importorskip("jupytext", reason='pip install -e ".[notebooks]" installs jupytext')

REPO = pathlib.Path(__file__).resolve().parents[2]
TOKEN = "minitorch-test"
PREFIX = "$(python -c 'import sys; print(sys.prefix)')"   # the environment's folder, in README's command


def _readme_command():
    """README's one command that opens the lessons in JupyterLab."""
    commands = re.findall(r"^pip install -e \".\[notebooks\]\" && .*$", (REPO / "README.md").read_text(), re.M)
    assert len(commands) == 1, "README.md should hold one notebook command"
    return commands[0]


def _set_default_viewer(prefix):
    """Run the command's ``jupytext-config`` step with ``prefix`` as the environment."""
    steps = [step.strip() for step in _readme_command().split("&&")]
    assert steps[-1] == "jupyter lab lessons/"
    (step,) = [step for step in steps if step.startswith("jupytext-config ")]
    assert PREFIX in step, "the setting should go to this environment's etc/jupyter"
    step = step.replace(PREFIX, str(prefix)).replace("jupytext-config", f"{sys.executable} -m jupytext_config", 1)
    subprocess.run(["bash", "-c", step], check=True, capture_output=True)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_the_server_serves_a_lesson_as_a_notebook(tmp_path):
    port = _free_port()
    _set_default_viewer(tmp_path)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_CONFIG_PATH=str(tmp_path / "etc" / "jupyter"))   # read as the environment's
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={REPO / 'lessons'}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}/api/contents/"
        for _ in range(120):                       # the server starts in a few seconds
            try:
                _get(base)
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None:
                    pytest.fail(f"jupyter server exited: {server.stderr.read()[-3000:]}")
                time.sleep(0.25)
        model = _get(base + "01_scalar_autograd.py?type=notebook&content=1")
        docmanager = _get(f"http://127.0.0.1:{port}/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert model["type"] == "notebook", "Jupytext's contents manager is not active in the server"
    cells = model["content"]["cells"]
    assert cells[0]["cell_type"] == "markdown" and cells[0]["source"].startswith("# Lesson 1")
    assert sum(cell["cell_type"] == "code" for cell in cells) >= 8
    assert any("from minitorch.lesson_setup import setup" in cell["source"] for cell in cells)
    viewers = docmanager["schema"]["properties"]["defaultViewers"]["default"]
    assert viewers.get("python") == "Jupytext Notebook", "a double click would open a lesson as text"
