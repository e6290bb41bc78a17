"""The API coverage list (benchmarks/api/names.txt) holds: every name in scope is in minitorch with
PyTorch's signature, and no '# missing' or '# differs' mark is stale (remove a mark once its name
arrives or its signature matches). ``python -m benchmarks.api_coverage`` writes the full report."""
import importlib.util

import pytest

from benchmarks import api_coverage

ENTRIES = api_coverage.read_names()


def _failures(results):
    return "\n".join(f"{r.name}: {r.status}: {r.detail}" for r in api_coverage.unexpected(ENTRIES, results))


def test_the_list_is_well_formed():
    names = [e.name for e in ENTRIES]
    assert len(names) >= 450
    assert len(set(names)) == len(names), [n for n in names if names.count(n) > 1]
    assert all(api_coverage.namespace_of(n) for n in names)
    assert all(e.reason for e in ENTRIES if e.mark == "out of scope"), "say why a name is out of scope"


def test_every_name_is_pytorchs():
    pytest.importorskip("torch")
    assert [e.name for e in ENTRIES if api_coverage.resolve(e.name, "torch") is None
            and not _needs_tensorboard(e.name)] == []


def _needs_tensorboard(name):
    """PyTorch's torch.utils.tensorboard imports the tensorboard package, which torch does not install."""
    return name.startswith("torch.utils.tensorboard") and importlib.util.find_spec("tensorboard") is None


def test_names_in_scope_exist_and_missing_marks_are_not_stale():
    assert _failures(api_coverage.coverage(ENTRIES, torch_available=False)) == ""


def test_signatures_are_pytorchs_and_differs_marks_are_not_stale():
    pytest.importorskip("torch")
    assert _failures(api_coverage.coverage(ENTRIES, torch_available=True)) == ""


def test_a_bad_mark_is_refused(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("torch.zeros  # mising\n")
    with pytest.raises(ValueError, match="names.txt:1: unknown mark 'mising' after 'torch.zeros'"):
        api_coverage.read_names(str(path))


def _f(input, dim=None, *, keepdim=False):
    """A stand-in with PyTorch-like parameters."""


def _g(x, dim=0, out=None, **kwargs):
    """A stand-in that differs from ``_f`` in every way the comparison sees."""


def test_compare_signatures_names_every_difference():
    import inspect

    assert api_coverage.compare_signatures(inspect.signature(_f), inspect.signature(_f)) == []
    assert api_coverage.compare_signatures(inspect.signature(_g), inspect.signature(_f)) == [
        "positional (x, dim, out) vs torch's (input, dim)", "lacks keyword-only keepdim", "takes **kwargs",
        "dim=0 vs torch's None",
    ]


def test_stale_marks_and_unmarked_gaps_are_reported(tmp_path):
    entries = [api_coverage.Entry("torch.zeros", "missing"), api_coverage.Entry("torch.not_a_name"),
               api_coverage.Entry("torch.jit", "out of scope", "TorchScript")]
    results = api_coverage.coverage(entries, torch_available=False)
    assert [r.status for r in results] == ["stale mark", "missing", "out of scope"]
    assert api_coverage.unexpected(entries, results) == results[:2]
    report = api_coverage.report(results)
    assert "| torch | 3 | 0 | 0 | 1 | 1 | 1 |" in report and "| `torch.jit` | out of scope | TorchScript |" in report
