"""The shape of the code: the layers import only downwards, and no file outgrows its budget.

- Autograd sits below the tensor (``../shared/DESIGN.md``, "Layers"): ``minitorch/autograd``
  imports nothing of minitorch but itself and ``errors``; ``tensor.py`` registers its class
  with it. So no import circle passes through ``autograd/``.
- A line budget, as tinygrad keeps one, but per file: no file of ``minitorch/`` or
  ``kernels/`` holds more than 600 lines of code. Docstrings and comments do not count (the
  teaching prose is free); code lines are counted as tinygrad's ``sz.py`` counts them. Split a
  file that grows past it along a seam (a family of ops, a topic), as ``nn/functional/`` is.
"""
import ast
import subprocess
import sys
import io
import pathlib
import token
import tokenize

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGES = ("minitorch", "kernels")
FILE_CAP = 600


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    return {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def module_level(tree):
    """The statements that run on import: the module's body, inside ``if``/``try``/``with`` too, but
    not inside functions or classes (their imports run later, and cannot close an import circle)."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            todo += [child for child in ast.iter_child_nodes(node) if isinstance(child, (ast.stmt, ast.excepthandler))]


def imports(name, path, everywhere=False):
    """The project modules that ``name`` imports: at module level, or anywhere with ``everywhere``."""
    known = modules()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = ast.walk(tree) if everywhere else module_level(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else base)
    return {m for m in found if m in known and m != name}


def import_graph():
    return {name: imports(name, path) for name, path in modules().items()}


def circles(graph):
    """The strongly connected groups of more than one module (Tarjan's algorithm, iteratively)."""
    index, low, on_stack, stack, groups, counter = {}, {}, set(), [], [], [0]
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(group)
            elif child not in index:
                index[child] = low[child] = counter[0]
                counter[0] += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(graph[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return groups


def test_autograd_imports_only_itself_and_errors():
    for name, path in modules().items():
        if name.startswith("minitorch.autograd"):
            outside = {m for m in imports(name, path, everywhere=True)
                       if not m.startswith("minitorch.autograd") and m != "minitorch.errors"}
            assert not outside, f"{name} imports {sorted(outside)}: autograd must not know the layers above it"


def test_no_import_circle_passes_through_autograd():
    for group in circles(import_graph()):
        assert not any(m.startswith("minitorch.autograd") for m in group), f"import circle: {sorted(group)}"


def test_module_level_imports_include_those_inside_if_and_try_but_not_inside_functions():
    tree = ast.parse(
        "import a\nif x:\n    import b\ntry:\n    import c\nexcept ImportError:\n    import d\n"
        "def f():\n    import e\nclass C:\n    import g\n"
    )
    found = {alias.name for node in module_level(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert found == {"a", "b", "c", "d"}


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def code_lines(source):
    """Lines that hold code, as tinygrad's sz.py counts them: docstrings and comments do not count."""
    lines = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in (token.NAME, token.OP, token.NUMBER, token.STRING):
            continue
        if tok.type == token.STRING and tok.line.lstrip().lstrip("rRbBuU").startswith(('"""', "'''")):
            continue  # a docstring (or another triple-quoted block standing alone)
        lines.update(range(tok.start[0], tok.end[0] + 1))
    return len(lines)


def test_code_lines_skip_docstrings_and_comments():
    source = 'def f(x):\n    """Doc.\n\n    More."""\n    # a comment\n    return x + 1\n'
    assert code_lines(source) == 2


def test_no_file_is_over_its_line_budget():
    sizes = {str(p.relative_to(ROOT)): code_lines(p.read_text(encoding="utf-8")) for p in modules().values()}
    over = {p: n for p, n in sizes.items() if n > FILE_CAP}
    assert not over, f"over {FILE_CAP} lines of code: {over}; split the file along a seam"


def test_minitorch_imports_and_trains_with_numpy_alone():
    """numba (erf, the SGD loop), matplotlib and tqdm are loaded on first use, not by ``import minitorch``."""
    code = (
        "import sys\n"
        "for name in ('numba', 'matplotlib', 'tqdm', 'cupy'):\n"
        "    sys.modules[name] = None  # importing any of them now fails\n"
        "import minitorch\n"
        "w = minitorch.ones(2, requires_grad=True)\n"
        "(w * w).sum().backward()\n"
        "print(w.grad.tolist())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[2.0, 2.0]"
