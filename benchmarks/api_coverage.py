"""How much of PyTorch's API that teaching code uses minitorch has, and with PyTorch's signatures.

    python -m benchmarks.api_coverage                  # writes benchmarks/results/api_coverage.md
    python -m benchmarks.api_coverage --names FILE --out PATH

The names come from ``benchmarks/api/names.txt``: one qualified PyTorch name a line
(``torch.*``, ``torch.Tensor.*``, ``torch.nn.*``, ...), chosen from what PyTorch's
tutorials and examples, nanoGPT/minGPT, makemore and d2l use. A line may end in a mark:

- ``# out of scope: <reason>``: minitorch lacks it on purpose (sparse, complex, jit, ...);
- ``# missing``: in scope but not there yet; the mark goes when the name arrives
  (``tests/test_api_coverage.py`` fails while a mark is stale);
- ``# differs``: there, but its signature is not PyTorch's yet; likewise.

Each other name is resolved in minitorch (``torch.`` becomes ``minitorch.``) and, where
PyTorch is installed and its object has a Python-level signature, the two signatures are
compared: the names and order of the positional parameters, the keyword-only names,
``*args``/``**kwargs``, and every default. PyTorch's builtins (most ops and Tensor
methods) carry no signature, so for them only existence is checked. The report gives a
summary per namespace and every name with its status and, for a mismatch, what differs.
"""
import argparse
import importlib
import importlib.util
import inspect
import os
import re
from collections import Counter
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMES_FILE = os.path.join(ROOT, "benchmarks", "api", "names.txt")
REPORT_FILE = os.path.join(ROOT, "benchmarks", "results", "api_coverage.md")

# A name belongs to the first namespace (most specific first) that prefixes it.
NAMESPACES = (
    "torch.nn.functional", "torch.nn", "torch.optim.lr_scheduler", "torch.optim", "torch.utils.data",
    "torch.autograd", "torch.cuda", "torch.Tensor", "torch",
)
MARKS = ("missing", "differs", "out of scope")
# A report row's status, in the order the summary lists them.
STATUSES = ("implemented", "signature differs", "missing", "out of scope", "stale mark")
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


@dataclass(frozen=True)
class Entry:
    """One line of the names file: the qualified PyTorch name, its mark (or None), and why."""

    name: str
    mark: str = None
    reason: str = ""


@dataclass(frozen=True)
class Result:
    """What the check found for one name: its namespace, status, and details (mismatches, reasons)."""

    name: str
    namespace: str
    status: str
    detail: str = ""


def read_names(path=NAMES_FILE):
    """The entries of a names file, in order; blank lines and whole-line comments are skipped.

    A mark other than ``missing``, ``differs`` or ``out of scope: <reason>`` is a ValueError
    naming the line, so that a typo cannot silently leave a name unchecked.
    """
    entries = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            name, _, comment = (part.strip() for part in line.partition("#"))
            if not name:
                continue
            mark, _, reason = (part.strip() for part in comment.partition(":"))
            if comment and mark not in MARKS:
                raise ValueError(f"{path}:{number}: unknown mark {comment!r} after {name!r}; "
                                 f"end the line with one of {', '.join(MARKS)} (out of scope: <reason>)")
            entries.append(Entry(name, mark or None, reason))
    return entries


def namespace_of(name):
    """The namespace of the report that a qualified name belongs to (``torch.nn.Linear`` -> ``torch.nn``)."""
    return next(ns for ns in NAMESPACES if name.startswith(ns + "."))


def resolve(name, root):
    """The object that the qualified ``name`` (``torch.a.b``) names in library ``root``, or None.

    Attributes are followed from the top module; a submodule that is not an attribute yet
    (``torch.nn.utils.rnn``) is imported.
    """
    parts = name.split(".")
    obj = importlib.import_module(root)
    for i, part in enumerate(parts[1:], 1):
        if hasattr(obj, part):
            obj = getattr(obj, part)
            continue
        try:
            obj = importlib.import_module(".".join([root] + parts[1:i + 1]))
        except ImportError:
            return None
    return obj


def signature_of(obj):
    """``inspect.signature(obj)``, or None where there is no Python-level one to compare.

    Builtins, classes made in C, non-callables, modules and catch-all ``(*args, **kwargs)`` wrappers have none.
    """
    if not callable(obj) or inspect.ismodule(obj):
        return None
    if isinstance(obj, type) and not (inspect.isfunction(obj.__init__) or inspect.isfunction(obj.__new__)):
        return None  # a class made in C (torch.dtype): its signature would be object's
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    kinds = [p.kind for p in sig.parameters.values()]
    if kinds == [inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD]:
        return None
    return sig


def _shown(value):
    """A default as the report shows it, the same for both libraries (``torch.float32`` -> ``float32``)."""
    if value is inspect.Parameter.empty:
        return "(required)"
    if inspect.ismodule(value) or inspect.isroutine(value):
        return value.__name__
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))  # no memory addresses: the report must not churn
    return text.replace("minitorch.", "").replace("torch.", "")


def same_default(ours, theirs):
    """Whether two defaults are the same to a caller: equal values of the same kind, or the same spelling."""
    if isinstance(ours, bool) != isinstance(theirs, bool):
        return False
    if type(ours).__name__ == type(theirs).__name__ == "Generator":  # each library's default_generator
        return True
    try:
        if ours == theirs:
            return True
    except (TypeError, ValueError, RuntimeError):
        pass
    return _shown(ours) == _shown(theirs)


def _split(sig):
    """A signature as (positional names, keyword-only names, has *args, has **kwargs); private
    parameters (``_stacklevel``, ``_weight``) are left out, since callers never pass them."""
    params = [p for p in sig.parameters.values() if not p.name.startswith("_")]
    kinds = {p.kind for p in params}
    return ([p.name for p in params if p.kind in _POSITIONAL],
            [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY],
            inspect.Parameter.VAR_POSITIONAL in kinds, inspect.Parameter.VAR_KEYWORD in kinds)


def compare_signatures(ours, theirs):
    """How signature ``ours`` (minitorch's) differs from ``theirs`` (PyTorch's): a list of short
    sentences, empty when they agree on positional names and order, keyword-only names,
    ``*args``/``**kwargs`` and every default."""
    our_pos, our_kw, our_star, our_kwargs = _split(ours)
    their_pos, their_kw, their_star, their_kwargs = _split(theirs)
    differences = []
    if our_pos != their_pos:
        differences.append(f"positional ({', '.join(our_pos)}) vs torch's ({', '.join(their_pos)})")
    lacking = [n for n in their_kw if n not in our_kw]
    extra = [n for n in our_kw if n not in their_kw]
    if lacking:
        differences.append(f"lacks keyword-only {', '.join(lacking)}")
    if extra:
        differences.append(f"extra keyword-only {', '.join(extra)}")
    for label, mine, torch_has in (("*args", our_star, their_star), ("**kwargs", our_kwargs, their_kwargs)):
        if mine != torch_has:
            differences.append(f"{'takes' if mine else 'lacks'} {label}")
    for name, param in theirs.parameters.items():
        if name in ours.parameters and not name.startswith("_") and param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            mine = ours.parameters[name].default
            if not same_default(mine, param.default):
                differences.append(f"{name}={_shown(mine)} vs torch's {_shown(param.default)}")
    return differences


def check(entry, torch_available=True):
    """The Result for one Entry: resolves it in minitorch and, when ``torch_available``, compares
    its signature with PyTorch's."""
    namespace = namespace_of(entry.name)
    if entry.mark == "out of scope":
        return Result(entry.name, namespace, "out of scope", entry.reason)
    ours = resolve(entry.name, "minitorch")
    if ours is None:
        if entry.mark == "missing":
            return Result(entry.name, namespace, "missing", "marked missing")
        return Result(entry.name, namespace, "missing", "not in minitorch (mark it '# missing' or add it)")
    if entry.mark == "missing":
        return Result(entry.name, namespace, "stale mark", "marked missing but minitorch has it: remove the mark")
    differences = []
    if torch_available:
        theirs = signature_of(resolve(entry.name, "torch"))
        if theirs is not None:
            mine = signature_of(ours)
            differences = compare_signatures(mine, theirs) if mine else ["no Python signature to compare"]
    if differences:
        return Result(entry.name, namespace, "signature differs", "; ".join(differences))
    if entry.mark == "differs" and not torch_available:
        return Result(entry.name, namespace, "signature differs", "marked differs (not compared: no PyTorch)")
    if entry.mark == "differs":
        return Result(entry.name, namespace, "stale mark", "marked differs but the signature is PyTorch's: "
                                                           "remove the mark")
    return Result(entry.name, namespace, "implemented")


def coverage(entries=None, torch_available=None):
    """The Result of every entry (default: the names file); ``torch_available`` defaults to whether
    PyTorch imports."""
    if torch_available is None:
        torch_available = importlib.util.find_spec("torch") is not None
    return [check(entry, torch_available) for entry in (read_names() if entries is None else entries)]


def unexpected(entries, results):
    """The results that contradict their entry's mark: a failure for the test (an unmarked name that
    is missing or differs, or a stale mark)."""
    expected = {None: "implemented", "missing": "missing", "differs": "signature differs",
                "out of scope": "out of scope"}
    return [r for e, r in zip(entries, results) if r.status != expected[e.mark]]


def report(results, torch_version=None):
    """The markdown report: a summary per namespace, then every name with its status and details."""
    counts = {ns: Counter() for ns in NAMESPACES}
    for r in results:
        counts[r.namespace][r.status] += 1
    total = Counter(r.status for r in results)
    compared = f"signatures compared with PyTorch {torch_version}" if torch_version else \
        "PyTorch not installed: existence only"
    lines = ["# API coverage", "",
             f"{len(results)} PyTorch names that teaching code uses ({compared}). "
             "Written by `python -m benchmarks.api_coverage` from `benchmarks/api/names.txt`.", "",
             "| namespace | names | " + " | ".join(STATUSES) + " |",
             "| --- | ---: | " + " | ".join("---:" for _ in STATUSES) + " |"]
    for ns, c in [(ns, counts[ns]) for ns in NAMESPACES if counts[ns]] + [("**all**", total)]:
        lines.append(f"| {ns} | {sum(c.values())} | " + " | ".join(str(c[s]) for s in STATUSES) + " |")
    lines += ["", "| name | status | details |", "| --- | --- | --- |"]
    lines += [f"| `{r.name}` | {r.status} | {r.detail.replace('|', '/')} |" for r in results]
    return "\n".join(lines) + "\n"


def main(argv=None):
    """Check every name of the names file and write the markdown report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", default=NAMES_FILE, help="the names file (default: benchmarks/api/names.txt)")
    parser.add_argument("--out", default=REPORT_FILE, help="the report (default: benchmarks/results/api_coverage.md)")
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        torch = None
    results = coverage(read_names(args.names), torch_available=torch is not None)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(report(results, torch and torch.__version__.split("+")[0]))
    print(", ".join(f"{n} {s}" for s, n in Counter(r.status for r in results).items()))
    print("wrote", args.out)


if __name__ == "__main__":
    main()
