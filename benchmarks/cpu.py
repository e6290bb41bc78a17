"""CPU speed: minitorch against PyTorch eager, side by side in one run, on the same data.

    python benchmarks/cpu.py            # writes benchmarks/results/cpu.json
    python benchmarks/cpu.py --quick    # fewer repeats, for a smoke test

Protocol (see DESIGN.md): BLAS pinned to one thread on both sides, warm-up runs
discarded, the two frameworks timed in alternating rounds, medians reported,
and ratios minitorch / PyTorch (below 1.0 means minitorch is faster).

Cases:
- op overhead: one op with autograd on 32x32 float32 tensors (forward only, and
  forward + backward), where Python bookkeeping dominates the arithmetic;
- full training steps (forward, cross-entropy, backward, Adam) of the same
  model in both frameworks: a 784-256-128-10 MLP at batch 64, the seed's
  SimpleCNN at batch 64 on 28x28 images, and a 4-layer, 4-head, 128-wide
  character GPT at batch 16 with context 64. Each model is written once against
  the shared PyTorch API and built from either library's ``nn``.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import minitorch  # noqa: E402
import minitorch.nn.functional as mF  # noqa: E402

try:
    import torch
    import torch.nn.functional as tF

    torch.set_num_threads(1)
except ImportError:  # the benchmark still reports minitorch's own figures
    torch = None


def median_time(fn, number):
    """Seconds per call of ``fn``: the time of ``number`` calls, divided."""
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def compare(cases, rounds, number):
    """Time each framework's callable in alternating rounds; return the medians in seconds."""
    for fn in cases.values():  # warm-up
        median_time(fn, number)
    samples = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            samples[name].append(median_time(fn, number))
    return {name: statistics.median(s) for name, s in samples.items()}


def op_cases():
    """One op with autograd on 32x32 tensors, in both frameworks, on the same values."""
    rng = np.random.default_rng(0)
    a_np, b_np = rng.standard_normal((2, 32, 32), dtype=np.float32)
    ma = minitorch.tensor(a_np, requires_grad=True)
    mb = minitorch.tensor(b_np, requires_grad=True)
    cases = {
        "add forward": {"minitorch": lambda: ma + mb},
        "matmul forward": {"minitorch": lambda: ma @ mb},
        "mul forward+backward": {"minitorch": lambda: (ma * mb).backward(minitorch.ones(32, 32))},
    }
    if torch is not None:
        ta = torch.tensor(a_np, requires_grad=True)
        tb = torch.tensor(b_np, requires_grad=True)
        ones = torch.ones(32, 32)
        cases["add forward"]["pytorch"] = lambda: ta + tb
        cases["matmul forward"]["pytorch"] = lambda: ta @ tb
        cases["mul forward+backward"]["pytorch"] = lambda: (ta * tb).backward(ones)
    return cases


def mlp(nn, sizes=(784, 256, 128, 10)):
    """Linear-ReLU layers of the given widths."""
    mods = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        mods.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            mods.append(nn.ReLU())
    return nn.Sequential(*mods)


def simple_cnn(nn):
    """The seed's SimpleCNN: conv 3x3 (32), pool, conv 3x3 (64), pool, dense 128, dense 10."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def char_gpt(nn, vocab=65, width=128, heads=4, layers=4, context=64):
    """A causal transformer LM: token + position embeddings, pre-norm GELU blocks, a linear head."""

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.tokens = nn.Embedding(vocab, width)
            self.positions = nn.Embedding(context, width)
            block = nn.TransformerEncoderLayer(width, heads, 4 * width, dropout=0.0, activation="gelu",
                                               batch_first=True, norm_first=True)
            self.blocks = nn.TransformerEncoder(block, layers)
            self.norm = nn.LayerNorm(width)
            self.head = nn.Linear(width, vocab)
            self.mask = nn.Transformer.generate_square_subsequent_mask(context)

        def forward(self, idx):
            h = self.tokens(idx) + self.positions.weight[: idx.shape[1]]
            h = self.blocks(h, mask=self.mask, is_causal=True)
            return self.head(self.norm(h)).flatten(0, 1)

    return GPT()


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
            tF.cross_entropy(t_model(tx), ty).backward()
            t_opt.step()

        cases[name]["pytorch"] = t_step
    return cases


def model_cases():
    rng = np.random.default_rng(0)
    cases = {}
    cases.update(training_cases(
        "MLP 784-256-128-10 train step, batch 64", mlp,
        rng.standard_normal((64, 784), dtype=np.float32), rng.integers(0, 10, 64)))
    cases.update(training_cases(
        "SimpleCNN train step, batch 64, 28x28", simple_cnn,
        rng.standard_normal((64, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 64)))
    tokens = rng.integers(0, 65, (16, 65))
    cases.update(training_cases(
        "char GPT 4x128, 4 heads, train step, batch 16, context 64", char_gpt,
        tokens[:, :-1], tokens[:, 1:].reshape(-1)))
    return cases


def machine():
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__ if torch is not None else None,
        "minitorch": minitorch.__version__,
        "blas_threads": 1,
    }


def run(quick=False):
    rounds, number = (3, 20) if quick else (15, 200)
    results = []
    for group, cases, num in (("op overhead", op_cases(), number), ("training step", model_cases(), number // 40)):
        for name, fns in cases.items():
            times = compare(fns, rounds, max(num, 2))
            row = {"group": group, "case": name, **{f"{k}_us": v * 1e6 for k, v in times.items()}}
            if "pytorch" in times:
                row["ratio"] = times["minitorch"] / times["pytorch"]
            results.append(row)
    return {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "results": results}


def print_table(report):
    print(f"{'case':45s} {'minitorch':>12s} {'pytorch':>12s} {'ratio':>7s}")
    for r in report["results"]:
        torch_us = f"{r['pytorch_us']:10.1f}us" if "pytorch_us" in r else "        n/a"
        ratio = f"{r['ratio']:7.2f}" if "ratio" in r else "    n/a"
        print(f"{r['case']:45s} {r['minitorch_us']:10.1f}us {torch_us} {ratio}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke test, noisy figures)")
    parser.add_argument("--out", default=None, help="JSON output path (default: benchmarks/results/cpu.json)")
    args = parser.parse_args()
    report = run(args.quick)
    print_table(report)
    out = args.out or os.path.join(os.path.dirname(__file__), "results", "cpu.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
