"""Scaling: how a training step's time grows with batch size and model width, minitorch and PyTorch.

    python -m benchmarks.scaling           # writes benchmarks/results/scaling.json
    python -m benchmarks.scaling --quick   # a 2x2 corner of the grid

The model is an MLP of width w: w -> w -> w -> 10 (Linear, ReLU, Linear, ReLU,
Linear), trained one step at a time (forward, cross-entropy, backward, SGD) on
random inputs, for every batch size in BATCHES and width in WIDTHS. A step
costs a fixed Python overhead (building the graph, walking it backward,
updating the parameters: the same count of ops whatever the sizes) plus
arithmetic that grows like batch * width^2. Where the arithmetic is small the
overhead decides, and the ratio minitorch / PyTorch is the ratio of their
overheads; as it grows both call the same kind of BLAS kernel and the ratio
tends to the ratio of their kernels. charts.py plots it (scaling.png).
"""
import argparse
import os
import sys

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import harness, models  # noqa: E402  (harness first: it pins the threads)

import numpy as np  # noqa: E402

import minitorch  # noqa: E402

BATCHES = (1, 4, 16, 64, 256, 1024)
WIDTHS = (16, 64, 256, 1024)


def step_flops(batch, width, classes=10):
    """Floating-point operations of one step's matrix products: forward 2*B*(w*w + w*w + w*10),
    and backward twice that (the gradients of the inputs and of the weights)."""
    return 3 * 2 * batch * (2 * width * width + width * classes)


def make_step(lib, batch, width, x_np, y_np, state=None):
    """One SGD training step of the width-w MLP in ``lib`` (minitorch or torch)."""
    model = models.mlp(lib.nn, (width, width, width, 10))
    if state is not None:
        model.load_state_dict({k: lib.tensor(v) for k, v in state.items()})
    opt = lib.optim.SGD(model.parameters(), lr=0.01)
    x, y = lib.tensor(x_np), lib.tensor(y_np)

    def step():
        opt.zero_grad()
        lib.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()

    return step, model


def run(quick=False, batches=None, widths=None, log=print, rounds=None, target_s=None):
    """Time the grid; return the report. ``rounds`` and ``target_s`` (seconds per framework per
    round) override the defaults."""
    torch = harness.import_torch()
    batches = batches or ((1, 16) if quick else BATCHES)
    widths = widths or ((16, 64) if quick else WIDTHS)
    rounds = rounds or (3 if quick else 7)
    target = target_s or (0.01 if quick else 0.1)
    rng = np.random.default_rng(0)
    points = []
    for width in widths:
        for batch in batches:
            x_np = rng.standard_normal((batch, width), dtype=np.float32)
            y_np = rng.integers(0, 10, batch)
            minitorch.manual_seed(0)
            m_step, m_model = make_step(minitorch, batch, width, x_np, y_np)
            cases = {"minitorch": m_step}
            if torch is not None:
                state = {k: v.numpy() for k, v in m_model.state_dict().items()}
                cases["pytorch"] = make_step(torch, batch, width, x_np, y_np, state)[0]
            harness.freeze_gc()
            point = {"batch": batch, "width": width, "flops": step_flops(batch, width),
                     **harness.timing_fields(harness.compare(cases, rounds, target_s=target))}
            points.append(point)
            log(f"  width {width:5d} batch {batch:5d}: {harness.timing_text(point)}")
    return harness.report(
        "scaling", quick, model="MLP w -> w -> w -> 10, ReLU, cross-entropy, SGD; random data",
        batches=list(batches), widths=list(widths), points=points,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a 2x2 corner of the grid, few repeats")
    parser.add_argument("--out-dir", default=None, help="results folder (default: benchmarks/results)")
    args = parser.parse_args(argv)
    print("scaling: minitorch vs PyTorch over batch size and width")
    path = harness.write_json(run(args.quick), "scaling", args.out_dir)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
