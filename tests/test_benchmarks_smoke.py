"""Smoke test of the benchmark harness (benchmarks/): each piece runs on tiny sizes and writes
JSON of the documented shape. Speed is never asserted: these check the harness, not minitorch.

PyTorch, micrograd and tinygrad are optional (``pip install -e '.[bench]'``); without them
their columns are absent or marked skipped, which is checked too.
"""
import importlib.util
import os
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)  # pytest runs with --import-mode=importlib: benchmarks/ is not on the path


def _installed(name):
    return importlib.util.find_spec(name) is not None


@pytest.fixture(scope="module")
def bench():
    """The benchmarks package, with the environment and torch's thread count put back afterwards
    (importing the harness pins every thread pool to one thread)."""
    saved_env = dict(os.environ)
    torch = sys.modules.get("torch")
    saved_threads = torch.get_num_threads() if torch is not None else None
    from benchmarks import charts, cpu, harness, peers, profiling, scaling

    yield {"charts": charts, "cpu": cpu, "harness": harness, "peers": peers, "profiling": profiling,
           "scaling": scaling}
    os.environ.clear()
    os.environ.update(saved_env)
    if saved_threads is not None:
        torch.set_num_threads(saved_threads)


def _quiet(*args, **kwargs):
    pass


def check_envelope(report, suite):
    assert report["suite"] == suite
    assert report["quick"] is True
    assert report["machine"]["blas_threads"] == 1
    assert report["machine"]["minitorch"]
    for key in ("date", "command", "protocol", "clocks"):
        assert isinstance(report[key], str) and report[key]


def check_times(row, names):
    for name in names:
        assert row[f"{name}_us"] > 0 and row[f"{name}_cpu_us"] >= 0
    if "pytorch" in names:
        assert row["ratio"] == pytest.approx(row["minitorch_us"] / row["pytorch_us"])
        assert row["cpu_ratio"] > 0


def test_compare_alternates_and_reports_medians(bench):
    harness = bench["harness"]
    calls = []
    times = harness.compare({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, rounds=3, number=2)
    assert set(times) == {"a", "b"}
    assert all(wall > 0 and cpu >= 0 for wall, cpu in times.values())
    # one warm-up call each, then rounds in turn: a a b b, a a b b, a a b b
    assert calls == ["a", "b"] + ["a", "a", "b", "b"] * 3


def test_peak_rss_and_tracemalloc_see_an_allocation(bench):
    harness = bench["harness"]
    with harness.PeakRSS() as memory:
        block = np.ones(8 * 2**20 // 8)  # 8 MiB, touched
    if memory.mib is not None:  # Linux
        assert memory.mib > 4
    assert harness.traced_peak_kib(lambda: np.ones(2**20 // 8)) >= 1000  # 1 MiB seen by tracemalloc
    del block


def test_cpu_quick(bench, tmp_path):
    cpu, harness = bench["cpu"], bench["harness"]
    report = cpu.run(quick=True, rounds=1, target_s=1e-3)
    path = harness.write_json(report, "cpu", str(tmp_path))
    assert harness.read_json("cpu", str(tmp_path)) == report and path.endswith("cpu.json")
    check_envelope(report, "cpu")
    groups = {r["group"] for r in report["results"]}
    assert groups == {"op overhead", "training step"}
    names = ["minitorch"] + (["pytorch"] if _installed("torch") else [])
    for row in report["results"]:
        check_times(row, names)


def test_peers_quick_same_weights_same_accuracy(bench, tmp_path):
    peers, harness = bench["peers"], bench["harness"]
    report = peers.run(quick=True, frameworks=["minitorch", "pytorch", "micrograd"], tasks=["moons", "mnist_mlp"],
                       log=_quiet, rounds=1, target_s=1e-3)
    harness.write_json(report, "peers", str(tmp_path))
    check_envelope(report, "peers")
    assert set(report["memory_method"]) == {"peak_rss_mib", "step_traced_peak_kib"}
    moons, mlp = report["tasks"]
    assert moons["task"] == "moons" and mlp["task"] == "mnist_mlp"
    assert "hours" in mlp["frameworks"]["micrograd"]["skipped"]  # a scalar engine: no MNIST
    assert "--quick" in moons["frameworks"]["tinygrad"]["skipped"]
    for task in (moons, mlp):
        assert task["steps"] == task["epochs"] * (task["n_train"] // task["batch"])
        ran = {name: r for name, r in task["frameworks"].items() if "skipped" not in r}
        assert "minitorch" in ran
        for name, r in ran.items():
            assert 0 <= r["test_accuracy"] <= 1
            assert r["step_us"] > 0 and r["epoch_s"] > 0 and r["epoch_cpu_s"] >= 0 and r["first_step_s"] > 0
            assert r["peak_rss_mib"] is None or r["peak_rss_mib"] >= 0
            assert (r["step_traced_peak_kib"] is None) == (name in ("pytorch", "tinygrad"))
            if "pytorch" in ran:
                assert r["step_ratio"] == pytest.approx(r["step_us"] / ran["pytorch"]["step_us"])
        # the same initial weights, data and batches: every framework predicts the same classes
        # (up to float32 / float64 rounding on a point or two)
        accuracies = [r["test_accuracy"] for r in ran.values()]
        assert max(accuracies) - min(accuracies) <= 2 / task["n_test"]
    if not _installed("micrograd"):
        assert "not installed" in moons["frameworks"]["micrograd"]["skipped"]


@pytest.mark.skipif(not _installed("tinygrad"), reason="tinygrad not installed (pip install -e '.[bench]')")
def test_peers_tinygrad(bench):
    peers = bench["peers"]
    why = peers.unavailable("tinygrad")
    if why:
        pytest.skip(f"tinygrad cannot run here: {why}")
    report = peers.run(quick=True, frameworks=["minitorch", "tinygrad"], tasks=["moons"], log=_quiet, rounds=1,
                       target_s=1e-3)
    rows = report["tasks"][0]["frameworks"]
    assert rows["tinygrad"]["test_accuracy"] == pytest.approx(rows["minitorch"]["test_accuracy"], abs=0.04)
    assert rows["tinygrad"]["step_us"] > 0


def _quick_scaling(scaling):
    return scaling.run(quick=True, batches=(1, 2), widths=(4,), log=_quiet, rounds=1, target_s=1e-3)


def test_scaling_and_charts(bench, tmp_path):
    scaling, charts, harness = bench["scaling"], bench["charts"], bench["harness"]
    report = _quick_scaling(scaling)
    check_envelope(report, "scaling")
    assert [(p["batch"], p["width"]) for p in report["points"]] == [(1, 4), (2, 4)]
    assert report["points"][1]["flops"] == 2 * report["points"][0]["flops"] == scaling.step_flops(2, 4)
    names = ["minitorch"] + (["pytorch"] if _installed("torch") else [])
    for point in report["points"]:
        check_times(point, names)
    out = str(tmp_path)
    harness.write_json(report, "scaling", out)

    written = charts.draw(out)
    assert os.path.join(out, "scaling.png") in written
    with open(os.path.join(out, "summary.md")) as f:
        summary = f.read()
    assert "| width | batch 1 | batch 2 |" in summary


def test_profiling_explains_the_cases_behind_pytorch(bench, tmp_path):
    """The profiler picks the cases where minitorch is behind PyTorch, so it needs PyTorch's times."""
    pytest.importorskip("torch")
    scaling, profiling, harness = bench["scaling"], bench["profiling"], bench["harness"]
    out = str(tmp_path)
    harness.write_json(_quick_scaling(scaling), "scaling", out)
    profile = profiling.run(threshold=0.0, quick=True, out_dir=out, log=_quiet, budget_s=0.01)  # the worst point
    (entry,) = profile["profiles"]
    assert entry["case"] in ("scaling MLP width 4, batch 1 step", "scaling MLP width 4, batch 2 step")
    split = entry["minitorch"]
    assert 0 <= split["python_overhead_share"] <= 1
    assert sum(split["by_kind_ms"].values()) > 0
    assert "Linear" in [op["op"] for op in split["by_op_ms"]]


def test_gpu_part_says_why_it_cannot_run_without_a_gpu(bench, capsys):
    """`python -m benchmarks --only gpu` on a machine without a real GPU (here: the simulator)
    stops with the reason; the full suite would skip the part with the same reason."""
    from benchmarks import __main__ as entry
    from benchmarks import gpu

    why = gpu.unavailable()
    assert why and "simulator" in why
    with pytest.raises(SystemExit):
        entry.main(["--only", "gpu"])
    err = capsys.readouterr().err
    assert "--only gpu: the GPU suite needs a real NVIDIA GPU" in err and "CUDA simulator" in err
