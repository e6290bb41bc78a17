"""The whole CPU suite in one command.

    python -m benchmarks            # about 5-10 minutes on 2 cores
    python -m benchmarks --quick    # small sizes, few repeats, no tinygrad: well under a minute

In order: cpu (minitorch vs PyTorch: op overhead, MLP/CNN/GPT training steps),
peers (minitorch, PyTorch, micrograd, tinygrad on the same tasks and data),
scaling (step time over batch size and width), profile (where minitorch is more
than 1.5x behind PyTorch), then the GPU suite (gpu.py: kernels against cuBLAS and
PyTorch, training steps on "cuda") when a real NVIDIA GPU is there, then the charts
and summary.md (charts.py). Each writes its JSON into benchmarks/results/ (or --out-dir).
"""
import argparse
import os
import sys
import time

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import harness  # noqa: E402,F401  (first: it pins the threads)
from benchmarks import charts, cpu, gpu, peers, profiling, scaling  # noqa: E402

PARTS = ("cpu", "peers", "scaling", "profile", "gpu")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats (noisy figures)")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(PARTS)}")
    parser.add_argument("--out-dir", default=None, help="results folder (default: benchmarks/results)")
    args = parser.parse_args(argv)
    parts = args.only.split(",") if args.only else PARTS
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"--only: unknown part(s) {sorted(unknown)}; choose from {','.join(PARTS)}")
    start = time.perf_counter()
    if "cpu" in parts:
        print("cpu: minitorch vs PyTorch", flush=True)
        print("wrote", harness.write_json(cpu.run(args.quick), "cpu", args.out_dir))
    if "peers" in parts:
        print("peers: minitorch, PyTorch, micrograd, tinygrad", flush=True)
        print("wrote", harness.write_json(peers.run(args.quick), "peers", args.out_dir))
    if "scaling" in parts:
        print("scaling: minitorch vs PyTorch over batch size and width", flush=True)
        print("wrote", harness.write_json(scaling.run(args.quick), "scaling", args.out_dir))
    if "profile" in parts:
        print(f"profile: where minitorch is more than {profiling.THRESHOLD}x behind PyTorch", flush=True)
        report = profiling.run(quick=args.quick, out_dir=args.out_dir)
        print("wrote", harness.write_json(report, "profile", args.out_dir))
    if "gpu" in parts:
        why = gpu.unavailable()
        if why is None:
            print("gpu: kernels and training steps on the GPU", flush=True)
            print("wrote", gpu.write(gpu.run(args.quick), args.out_dir))
        elif args.only:
            parser.error(f"--only gpu: {why}")
        else:
            print(f"gpu: skipped ({why})", flush=True)
    for path in charts.draw(args.out_dir):
        print("wrote", path)
    print(f"done in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
