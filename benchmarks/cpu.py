"""CPU speed: minitorch against PyTorch eager, side by side in one run, on the same data.

    python -m benchmarks.cpu            # writes benchmarks/results/cpu.json
    python -m benchmarks.cpu --quick    # fewer repeats, for a smoke test

(``python benchmarks/cpu.py`` works too.) Protocol: see harness.py. Ratios are
minitorch / PyTorch (below 1.0 means minitorch is faster).

Cases:
- op overhead: one op with autograd on 32x32 float32 tensors (forward only, and
  forward + backward), where Python bookkeeping dominates the arithmetic;
- full training steps (forward, cross-entropy, backward, Adam) of the same
  model in both frameworks: a 784-256-128-10 MLP at batch 64, the seed's
  SimpleCNN at batch 64 on 28x28 images, and a 4-layer, 4-head, 128-wide
  character GPT at batch 16 with context 64 (models.py).
"""
import argparse
import os
import sys

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import harness, models  # noqa: E402  (harness first: it pins the threads)

import numpy as np  # noqa: E402

import minitorch  # noqa: E402
import minitorch.nn.functional as mF  # noqa: E402

torch = harness.import_torch()


def op_cases(size=32):
    """One op with autograd on size x size tensors, in both frameworks, on the same values."""
    rng = np.random.default_rng(0)
    a_np, b_np = rng.standard_normal((2, size, size), dtype=np.float32)
    ma = minitorch.tensor(a_np, requires_grad=True)
    mb = minitorch.tensor(b_np, requires_grad=True)
    m_ones = minitorch.ones(size, size)
    cases = {
        "add forward": {"minitorch": lambda: ma + mb},
        "matmul forward": {"minitorch": lambda: ma @ mb},
        "mul forward+backward": {"minitorch": lambda: (ma * mb).backward(m_ones)},
    }
    if torch is not None:
        ta = torch.tensor(a_np, requires_grad=True)
        tb = torch.tensor(b_np, requires_grad=True)
        t_ones = torch.ones(size, size)
        cases["add forward"]["pytorch"] = lambda: ta + tb
        cases["matmul forward"]["pytorch"] = lambda: ta @ tb
        cases["mul forward+backward"]["pytorch"] = lambda: (ta * tb).backward(t_ones)
    return cases


def training_cases(name, build, x_np, y_np, lr=1e-3):
    """One training step (forward, cross-entropy, backward, Adam) of the same model in both
    frameworks: ``build(nn)`` makes it from either library's ``nn``; PyTorch's copy starts from
    minitorch's weights."""
    m_model = build(minitorch.nn)
    m_opt = minitorch.optim.Adam(m_model.parameters(), lr=lr)
    mx, my = minitorch.tensor(x_np), minitorch.tensor(y_np)

    def m_step():
        m_opt.zero_grad()
        mF.cross_entropy(m_model(mx), my).backward()
        m_opt.step()

    cases = {name: {"minitorch": m_step}}
    if torch is not None:
        t_model = build(torch.nn)
        t_model.load_state_dict({k: torch.tensor(v.numpy()) for k, v in m_model.state_dict().items()})
        t_opt = torch.optim.Adam(t_model.parameters(), lr=lr)
        tx, ty = torch.tensor(x_np), torch.tensor(y_np)

        def t_step():
            t_opt.zero_grad()
            torch.nn.functional.cross_entropy(t_model(tx), ty).backward()
            t_opt.step()

        cases[name]["pytorch"] = t_step
    return cases


def model_cases(tiny=False):
    """The three training-step cases; ``tiny`` shrinks the batches (for the smoke test)."""
    rng = np.random.default_rng(0)
    batch, gpt_batch = (4, 2) if tiny else (64, 16)
    cases = {}
    cases.update(training_cases(
        f"MLP 784-256-128-10 train step, batch {batch}", models.mlp,
        rng.standard_normal((batch, 784), dtype=np.float32), rng.integers(0, 10, batch)))
    cases.update(training_cases(
        f"SimpleCNN train step, batch {batch}, 28x28", models.simple_cnn,
        rng.standard_normal((batch, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, batch)))
    tokens = rng.integers(0, 65, (gpt_batch, 65))
    cases.update(training_cases(
        f"char GPT 4x128, 4 heads, train step, batch {gpt_batch}, context 64", models.char_gpt,
        tokens[:, :-1], tokens[:, 1:].reshape(-1)))
    return cases


def run(quick=False, rounds=None, target_s=None):
    """Time every case; return the report (see harness.report). ``quick`` also shrinks the batches;
    ``rounds`` and ``target_s`` (seconds per case per round) override the defaults."""
    rounds = rounds or (3 if quick else 11)
    target = target_s or (0.02 if quick else 0.25)
    results = []
    for group, cases in (("op overhead", op_cases()), ("training step", model_cases(tiny=quick))):
        for name, fns in cases.items():
            row = {"group": group, "case": name, **harness.timing_fields(harness.compare(fns, rounds, target_s=target))}
            results.append(row)
            print(f"  {name:60s} {harness.timing_text(row)}", flush=True)
    return harness.report("cpu", quick, results=results)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke test, noisy figures)")
    parser.add_argument("--out-dir", default=None, help="results folder (default: benchmarks/results)")
    args = parser.parse_args(argv)
    print("cpu: minitorch vs PyTorch")
    path = harness.write_json(run(args.quick), "cpu", args.out_dir)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
