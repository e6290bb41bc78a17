"""MkDocs hooks that assemble the book from the repository's own files (nothing is copied by hand).

- the mode switch: the lessons and the examples run in fast mode (``MINITORCH_FAST=1``, what CI runs)
  unless ``MINITORCH_BOOK_FULL=1`` asks for full size (for publishing);
- the pages that live outside ``docs/``: the lessons (``lessons/*.py``, executed by mkdocs-jupyter,
  and ``lessons/README.md``), the labs guide (``labs/README.md``) and the benchmark charts
  (``benchmarks/results/*.png``; ``docs/benchmarks.md`` includes the markdown);
- one page per example of ``minitorch.examples``: its docstring, its command, its options
  (``--help``), the end of its output and the figures it saved, from a run made during the build;
- MathJax for the lessons' math, from the ``jupyter-server-mathjax`` package of the docs extra,
  copied into the site so that a page loads nothing from outside it.
"""
import importlib
import inspect
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

REPO = pathlib.Path(__file__).resolve().parents[1]
FULL = os.environ.get("MINITORCH_BOOK_FULL") == "1"
WORK = pathlib.Path(tempfile.mkdtemp(prefix="minitorch-book-"))

# The options each example runs with in fast mode: seconds each, enough to draw every figure.
FAST_ARGS = {
    "mlp": ["--epochs", "3"],
    "spiral": ["--epochs", "150"],
    "cnn": ["--epochs", "2", "--limit-train", "256", "--batch-size", "32"],
    "seq2seq": ["--steps", "40", "--warmup", "10", "--layers", "1", "--width", "32", "--max-digits", "3"],
    "gpt": ["--steps", "40", "--layers", "1", "--width", "32", "--context", "32"],
    "classify": ["--pretrain-steps", "20", "--train-size", "64", "--epochs", "1", "--layers", "1",
                 "--width", "32", "--context", "32"],
}
# MathJax 2 serves its fonts from the site: STIX-Web is the one the package ships. Its blank test
# font points at about:blank, which browsers refuse (a console error): a local() name instead.
MATHJAX_CONFIG = """MathJax.Hub.Config({
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null,
               styles: {"@font-face": {"font-family": "MathJax_Blank", src: "local('MathJax_Blank')"}}},
  messageStyle: "none"
});
MathJax.Ajax.loadComplete("[MathJax]/config/minitorch.js");
"""
# The API reference: one page per module, what it holds, from the docstrings (mkdocstrings).
API = {
    "minitorch": "The top-level package: tensors, creation functions, ops, devices, saving and loading.",
    "minitorch.nn": "Layers, containers, losses and initialisation (PyTorch's `torch.nn`).",
    "minitorch.nn.functional": "The layers and losses as plain functions (`import minitorch.nn.functional as F`).",
    "minitorch.optim": "Optimisers and learning-rate schedulers.",
    "minitorch.utils.data": "Datasets, samplers and the `DataLoader` (also reachable as `minitorch.data`).",
    "minitorch.autograd": "The autograd engine: `backward`, grad modes, custom `Function`s, hooks.",
}
_example_runs = {}   # name -> (command shown, its output, its folder): one run per process (`mkdocs serve`)


def on_config(config):
    """Set the lessons' environment: fast or full size, figures in a scratch folder, inline plots."""
    if FULL:
        os.environ.pop("MINITORCH_FAST", None)
    else:
        os.environ["MINITORCH_FAST"] = "1"
    os.environ["LESSON_OUTPUT_DIR"] = str(WORK / "lesson-outputs")
    os.environ.pop("MPLBACKEND", None)      # the notebook kernel shows figures inline
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    return config


def _file_at(root, src_uri, config):
    """The file ``root / src_uri``, published as ``src_uri`` (a real File: mkdocs-jupyter wraps it)."""
    return File(src_uri, str(root), config["site_dir"], config["use_directory_urls"])


def _run_example(name):
    """Run ``python -m minitorch.examples name`` (fast options unless full size); its command and output."""
    if name not in _example_runs:
        args = [] if FULL else FAST_ARGS[name]
        out = WORK / "examples" / name
        command = [sys.executable, "-m", "minitorch.examples", name, *args, "--out", str(out)]
        proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True,
                              env=dict(os.environ, MPLBACKEND="Agg"))
        if proc.returncode != 0:
            raise RuntimeError(f"example {name!r} failed while building the book:\n{proc.stderr[-3000:]}")
        shown = " ".join(["python -m minitorch.examples", name, *args])
        _example_runs[name] = (shown, proc.stdout, out)
    return _example_runs[name]


def _example_page(name, module):
    """The markdown of the example's page: what it trains, how to run it, its output and figures."""
    shown, output, out = _run_example(name)
    help_text = subprocess.run([sys.executable, "-m", "minitorch.examples", name, "--help"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout
    summary, _, body = module.__doc__.strip().partition("\n")
    figures = sorted(p.name for p in out.glob("*.png"))
    size = "at full size" if FULL else ("in the book's fast mode, a few seconds of training: the figures show "
                                        "what the example draws, not how well it learns (`MINITORCH_BOOK_FULL=1` "
                                        "builds the book with the full runs)")
    lines = [f"# Example: `{name}`", "", summary.strip(), "", "```text", body.strip("\n"), "```", "",
             "## Run it", "", "```bash", f"python -m minitorch.examples {name}", "```", "",
             f"The output and figures below come from `{shown}`, run {size}:", "",
             "```text", "\n".join(output.rstrip().splitlines()[-12:]), "```", ""]
    for figure in figures:
        lines += [f"![{name}: {figure}]({name}/{figure})", ""]
    lines += ["## Options", "", "```text", help_text.rstrip(), "```", ""]
    return "\n".join(lines), [out / figure for figure in figures]


def _api_page(name, summary):
    """The markdown of module ``name``'s reference: its public names (``__all__``, or what it exports)."""
    module = importlib.import_module(name)
    members = getattr(module, "__all__", None) or [
        member for member, value in vars(module).items()
        if not member.startswith("_") and not inspect.ismodule(value)]
    return "\n".join([f"# `{name}`", "", summary, "", f"::: {name}", "    options:",
                      "      show_root_heading: false", f"      members: {json.dumps(sorted(members))}", ""])


@event_priority(100)   # before mkdocs-jupyter's on_files, which turns the lessons into notebook pages
def on_files(files, config):
    """Add the lessons, the labs guide, the benchmark charts and the example pages to the site."""
    from minitorch.examples.__main__ import EXAMPLES

    lessons = sorted((REPO / "lessons").glob("[0-9][0-9]_*.py"))
    charts = sorted((REPO / "benchmarks" / "results").glob("*.png"))
    for path in [*lessons, REPO / "lessons" / "README.md", REPO / "labs" / "README.md", *charts]:
        files.append(_file_at(REPO, path.relative_to(REPO).as_posix(), config))
    for name, summary in API.items():
        files.append(File.generated(config, f"api/{name}.md", content=_api_page(name, summary)))
    for name, module in EXAMPLES.items():
        page, figures = _example_page(name, module)
        files.append(File.generated(config, f"examples/{name}.md", content=page))
        for figure in figures:
            files.append(_file_at(WORK, figure.relative_to(WORK).as_posix(), config))
    return files


def on_post_build(config):
    """Copy MathJax (from the jupyter-server-mathjax package) into the site, with the book's config."""
    import jupyter_server_mathjax

    target = pathlib.Path(config["site_dir"]) / "assets" / "mathjax"
    source = pathlib.Path(jupyter_server_mathjax.__file__).parent / "static"
    shutil.copytree(source, target, dirs_exist_ok=True)
    (target / "config" / "minitorch.js").write_text(MATHJAX_CONFIG, encoding="utf-8")


def on_shutdown():
    """Remove the scratch folder of the lessons' and examples' outputs."""
    shutil.rmtree(WORK, ignore_errors=True)
