"""GPU rung of the kernel ladder: run the kernel tests on a real GPU, then time the kernels.

    python benchmarks/gpu.py            # needs an NVIDIA GPU, cupy and numba-cuda (.[gpu]);
                                        # torch with CUDA for the PyTorch columns
    python benchmarks/gpu.py --quick    # smaller sizes, for a smoke test

Everything is measured in one run on one GPU, with CUDA events after a warm-up,
medians of repeated runs, fp32 and no tensor cores (cupy with CUPY_TF32=0, torch
with TF32 off):

1. the kernel and device tests (tests/kernels, tests/gpu) on the real GPU;
2. matmul at n = 1024, 2048, 4096, 8192: the naive, tiled and register-blocked
   kernels against cuBLAS (cupy ``@``) and torch, in TFLOP/s and % of cuBLAS;
3. attention at N = 512 ... 8192, d = 64 and 128: the fused kernel forward and
   forward+backward against the unfused composite (scores materialised) and
   torch's ``scaled_dot_product_attention``, with peak GPU memory;
4. a CNN and a transformer training step on "cuda" against the same model on "cpu".

It writes ``benchmarks/results/gpu-<gpu name>.json`` with the GPU name, driver
and library versions. ``python -m benchmarks`` runs it too, after the CPU suite,
when it finds a real GPU (``--only gpu`` for this part alone).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def gpu_time(fn, repeat=10, warmup=2):
    """Median seconds of ``fn()`` on the GPU, timed with CUDA events around each call."""
    import cupy

    for _ in range(warmup):
        fn()
    cupy.cuda.Device().synchronize()
    times = []
    for _ in range(repeat):
        start, stop = cupy.cuda.Event(), cupy.cuda.Event()
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(cupy.cuda.get_elapsed_time(start, stop) / 1e3)
    return statistics.median(times)


def peak_bytes(fn):
    """GPU memory cupy's pool had to reserve for ``fn()``, starting from an empty pool."""
    import cupy

    pool = cupy.get_default_memory_pool()
    cupy.cuda.Device().synchronize()
    pool.free_all_blocks()
    fn()
    cupy.cuda.Device().synchronize()
    return pool.total_bytes()


def run_tests():
    """The kernel and device tests, on the real GPU (MINITORCH_REAL_GPU=1 keeps the simulator off)."""
    env = dict(os.environ, MINITORCH_REAL_GPU="1")
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/kernels", "tests/gpu"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-500:]
    print("tests:", tail)
    return {"exit_code": proc.returncode, "summary": tail}


def bench_matmul(sizes, torch):
    import cupy

    from kernels import matmul as mm

    rows = []
    for n in sizes:
        a = cupy.random.standard_normal((n, n), dtype=cupy.float32)
        b = cupy.random.standard_normal((n, n), dtype=cupy.float32)
        flops = 2 * n**3
        repeat = 3 if n >= 8192 else 10
        row = {"n": n, "cublas_tflops": flops / gpu_time(lambda: a @ b, repeat) / 1e12}
        expected = a @ b
        for kind in ("naive", "tiled", "register"):
            if kind == "naive" and n > 4096:
                continue  # minutes at 8192; its trend is clear from the smaller sizes
            out = mm.matmul(a, b, kernel=kind)
            row[f"{kind}_max_rel_err"] = float(cupy.abs(out - expected).max() / cupy.abs(expected).max())
            row[f"{kind}_tflops"] = flops / gpu_time(lambda: mm.matmul(a, b, kernel=kind), repeat) / 1e12
            row[f"{kind}_pct_of_cublas"] = 100 * row[f"{kind}_tflops"] / row["cublas_tflops"]
        if torch is not None:
            ta, tb = torch.as_tensor(a, device="cuda"), torch.as_tensor(b, device="cuda")
            row["torch_tflops"] = flops / gpu_time(lambda: ta @ tb, repeat) / 1e12
        print("matmul", {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()})
        rows.append(row)
    return rows


def attention_flops(batch_heads, n, d, backward):
    """FLOPs of unmasked attention: QK^T and PV (4 N^2 d); forward+backward 3.5x that (the
    backward recomputes QK^T and does four more products)."""
    forward = 4 * batch_heads * n * n * d
    return forward * (3.5 if backward else 1.0)


def bench_attention(lengths, dims, torch, batch=2, heads=8):
    import minitorch
    import minitorch.nn.functional as F
    from minitorch.nn.attention import composite_attention

    rows = []
    for d in dims:
        for n in lengths:
            shape = (batch, heads, n, d)
            q, k, v = (minitorch.randn(*shape, device="cuda").requires_grad_() for _ in range(3))
            row = {"n": n, "d": d, "batch": batch, "heads": heads}

            def fused_forward():
                with minitorch.no_grad():
                    F.scaled_dot_product_attention(q, k, v)

            def fused_train():
                F.scaled_dot_product_attention(q, k, v).sum().backward()

            def composite_forward():
                with minitorch.no_grad():
                    composite_attention(q, k, v)

            def composite_train():
                composite_attention(q, k, v).sum().backward()

            cases = {"fused_fwd": fused_forward, "fused_fwd_bwd": fused_train,
                     "composite_fwd": composite_forward, "composite_fwd_bwd": composite_train}
            if torch is not None:
                tq, tk, tv = (torch.as_tensor(t.detach()._array, device="cuda").clone().requires_grad_()
                              for t in (q, k, v))
                tsdpa = torch.nn.functional.scaled_dot_product_attention
                cases["torch_fwd"] = lambda: tsdpa(tq, tk, tv)
                cases["torch_fwd_bwd"] = lambda: tsdpa(tq, tk, tv).sum().backward()
            for name, fn in cases.items():
                backward = name.endswith("bwd")
                try:
                    seconds = gpu_time(fn, repeat=5)
                    row[f"{name}_ms"] = seconds * 1e3
                    row[f"{name}_tflops"] = attention_flops(batch * heads, n, d, backward) / seconds / 1e12
                    row[f"{name}_peak_mib"] = peak_bytes(fn) / 2**20
                except Exception as e:  # the composite runs out of memory at large N: record it
                    row[f"{name}_error"] = f"{type(e).__name__}: {str(e)[:120]}"
            print("attention", {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()})
            rows.append(row)
    return rows


def bench_training_steps():
    """One training step of the examples' CNN and GPT models on "cuda" and on "cpu"."""
    import minitorch
    from minitorch.examples import cnn, gpt

    rows = []
    for name, make_step in (("cnn", cnn.benchmark_step), ("gpt", gpt.benchmark_step)):
        row = {"model": name}
        for device in ("cpu", "cuda"):
            step = make_step(device)
            step()
            if device == "cuda":
                row["cuda_ms"] = gpu_time(step, repeat=5) * 1e3
            else:
                start = time.perf_counter()
                for _ in range(3):
                    step()
                row["cpu_ms"] = (time.perf_counter() - start) / 3 * 1e3
        row["speedup"] = row["cpu_ms"] / row["cuda_ms"]
        minitorch.cuda.synchronize()
        print("training step", row)
        rows.append(row)
    return rows


def machine():
    import cupy
    import numba

    props = cupy.cuda.runtime.getDeviceProperties(0)
    name = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
    info = {
        "gpu": name,
        "compute_capability": f"{props['major']}.{props['minor']}",
        "driver": cupy.cuda.runtime.driverGetVersion(),
        "cuda_runtime": cupy.cuda.runtime.runtimeGetVersion(),
        "cupy": cupy.__version__,
        "numba": numba.__version__,
        "python": sys.version.split()[0],
    }
    try:
        from importlib.metadata import version

        info["numba_cuda"] = version("numba-cuda")
    except Exception:
        pass
    return info


def unavailable():
    """Why the GPU suite cannot run here (None when it can)."""
    # cuBLAS SGEMM in true fp32, as the kernels compute: set before anything imports cupy
    os.environ.setdefault("CUPY_TF32", "0")
    sys.path.insert(0, ROOT)
    import minitorch

    if minitorch.cuda.simulated():
        why = "numba runs the CUDA simulator in this process (NUMBA_ENABLE_CUDASIM=1)"
    else:
        try:
            minitorch.cuda.require()
            return None
        except RuntimeError as e:
            why = str(e)
    return f"the GPU suite needs a real NVIDIA GPU with cupy and numba-cuda (pip install -e '.[gpu]'): {why}"


def run(quick=False, skip_tests=False):
    """The whole GPU suite; returns the report (see the module docstring)."""
    why = unavailable()
    if why:
        raise RuntimeError(why)
    try:
        import torch

        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        if not torch.cuda.is_available():
            torch = None
    except ImportError:
        torch = None
    report = {"suite": "gpu", "machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M"),
              "quick": quick, "torch": getattr(torch, "__version__", None)}
    if not skip_tests:
        report["tests"] = run_tests()
    sizes = [1024, 2048] if quick else [1024, 2048, 4096, 8192]
    lengths = [512, 1024] if quick else [512, 1024, 2048, 4096, 8192]
    report["matmul"] = bench_matmul(sizes, torch)
    report["attention"] = bench_attention(lengths, [64, 128], torch)
    try:
        report["training_steps"] = bench_training_steps()
    except (ImportError, AttributeError) as e:
        report["training_steps_error"] = f"{type(e).__name__}: {e}"
    return report


def write(report, out_dir=None):
    """Write ``report`` as ``<out_dir or benchmarks/results>/gpu-<GPU name>.json``; return the path.

    (Not ``harness.write_json``: importing the harness pins the CPU to one thread, which would
    slow the CPU side of the training-step comparison.)
    """
    out_dir = out_dir or os.path.join(ROOT, "benchmarks", "results")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, "gpu-" + report["machine"]["gpu"].replace(" ", "_") + ".json")
    with open(out, "w") as f:
        json.dump(report, f, indent=2)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip-tests", action="store_true")
    args = parser.parse_args()
    why = unavailable()
    if why:
        sys.exit(why)
    print(f"wrote {write(run(args.quick, args.skip_tests))}")


if __name__ == "__main__":
    main()
