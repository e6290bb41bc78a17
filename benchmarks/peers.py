"""minitorch beside its peers: PyTorch, micrograd and tinygrad, in one run, on the same data.

    python -m benchmarks.peers           # writes benchmarks/results/peers.json
    python -m benchmarks.peers --quick   # small sizes, tinygrad left out (its compiler takes minutes)

Three training tasks, each run by every framework that can do the job, from the
same initial weights (drawn once by minitorch and copied into the others), on
the same batches in the same order:

- ``moons``: micrograd's own demo task. A 2-16-16-1 ReLU MLP scores 2-D points
  of ``minitorch.data.make_moons``; hinge loss ``mean(relu(1 - y * score))``
  with labels y = -1 or +1 (micrograd has no exp or log, so no cross-entropy);
  plain SGD. All four frameworks.
- ``mnist_mlp``: the 784-256-128-10 MLP of cpu.py on the shipped MNIST digits,
  cross-entropy, Adam. minitorch, PyTorch, tinygrad (micrograd would need
  hours: about 10^7 scalar nodes per step).
- ``mnist_cnn``: the seed's SimpleCNN on the same digits, cross-entropy, Adam.
  minitorch, PyTorch, tinygrad.

For each framework and task it reports: the time of one training step
(alternating rounds, medians, see harness.py), the time of one epoch (median of
the epochs after the first), the first step alone (tinygrad compiles its
kernels there), peak memory (harness.MEMORY_METHOD), the final test accuracy
after the same number of steps, and ratios to PyTorch. tinygrad runs its step
under ``TinyJit`` (kernels compiled once, then replayed), as its docs advise;
its CPU backend needs clang on PATH.
"""
import argparse
import os
import sys
import time

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import harness, models  # noqa: E402  (harness first: it pins the threads)

import numpy as np  # noqa: E402

import minitorch  # noqa: E402
import minitorch.nn.functional as mF  # noqa: E402
from minitorch.data.mnist import load_mnist_subset  # noqa: E402

FRAMEWORKS = ("minitorch", "pytorch", "micrograd", "tinygrad")


# ---------------------------------------------------------------- tasks and data

class Task:
    """One training job: data, model, loss, optimizer, and how long to train."""

    def __init__(self, name, description, build, loss, optimizer, lr, batch, epochs, data, frameworks, skipped):
        self.name, self.description, self.build = name, description, build
        self.loss, self.optimizer, self.lr, self.batch, self.epochs = loss, optimizer, lr, batch, epochs
        self.x_train, self.y_train, self.x_test, self.y_test = data
        self.frameworks, self.skipped = frameworks, skipped

    @property
    def steps_per_epoch(self):
        return len(self.x_train) // self.batch

    def batches(self):
        """The training batches of one epoch, in order (the same for every framework; no shuffling)."""
        b = self.batch
        return [(self.x_train[i:i + b], self.y_train[i:i + b]) for i in range(0, self.steps_per_epoch * b, b)]

    def initial_state(self):
        """The common initial weights: minitorch draws them (seed 0) and every framework copies
        them. A state_dict of numpy arrays, in PyTorch's names and layouts."""
        minitorch.manual_seed(0)
        return {k: v.numpy() for k, v in self.build(minitorch.nn).state_dict().items()}


def moons_task(quick):
    n_train, n_test = (32, 64) if quick else (256, 512)
    x, y = minitorch.data.make_moons(n_train, noise=0.1, generator=minitorch.Generator().manual_seed(0))
    xt, yt = minitorch.data.make_moons(n_test, noise=0.1, generator=minitorch.Generator().manual_seed(1))
    data = (x.numpy(), 2 * y.numpy().astype(np.float32) - 1, xt.numpy(), 2 * yt.numpy().astype(np.float32) - 1)
    return Task("moons", "moons: MLP 2-16-16-1, hinge loss, SGD lr 0.5, batch 16",
                lambda nn: models.mlp(nn, (2, 16, 16, 1)), "hinge", "sgd", 0.5, 8 if quick else 16,
                1 if quick else 10, data, FRAMEWORKS, {})


def mnist_data(n_train, n_test, image_shape):
    """The first n of the shipped MNIST digits (which come sorted by class) in a fixed random order,
    scaled to [0, 1] and standardised (mean 0.1307, std 0.3081)."""
    def prepare(split, n):
        images, labels = load_mnist_subset(split)
        keep = np.random.default_rng(0).permutation(len(labels))[:n]
        x = ((images[keep].astype(np.float32) / 255 - 0.1307) / 0.3081).reshape((-1, *image_shape))
        return x, labels[keep].astype(np.int64)

    return (*prepare("train", n_train), *prepare("test", n_test))


NO_MICROGRAD = ("a scalar engine (one Python object per number): one step of this model is about "
                "10^7 scalar nodes, hours for the run")


def mnist_mlp_task(quick):
    n_train, n_test, batch = (128, 128, 32) if quick else (2048, 1000, 64)
    return Task("mnist_mlp", f"MNIST MLP 784-256-128-10, cross-entropy, Adam lr 1e-3, batch {batch}",
                models.mlp, "cross_entropy", "adam", 1e-3, batch, 1 if quick else 3,
                mnist_data(n_train, n_test, (784,)), ("minitorch", "pytorch", "tinygrad"),
                {"micrograd": NO_MICROGRAD})


def mnist_cnn_task(quick):
    n_train, n_test, batch = (64, 64, 16) if quick else (2048, 1000, 64)
    return Task("mnist_cnn", f"MNIST SimpleCNN, cross-entropy, Adam lr 1e-3, batch {batch}",
                models.simple_cnn, "cross_entropy", "adam", 1e-3, batch, 1 if quick else 3,
                mnist_data(n_train, n_test, (1, 28, 28)), ("minitorch", "pytorch", "tinygrad"),
                {"micrograd": NO_MICROGRAD})


TASKS = {"moons": moons_task, "mnist_mlp": mnist_mlp_task, "mnist_cnn": mnist_cnn_task}

NOTES = {
    "same start": "Every framework starts from the same weights and sees the same batches in the same "
                  "order, so their test accuracies agree up to float32/float64 rounding (micrograd "
                  "computes in float64, the others in float32).",
    "epoch_s": "Median wall time (epoch_cpu_s: CPU time) of the epochs after the first (the first "
               "holds one-time costs); first_step_s is the very first step alone. Epochs run one "
               "framework after the other, not in alternating rounds, so on a shared machine their "
               "wall times are noisier than the step times.",
    "tinygrad": "Its step runs under TinyJit. first_step_s includes compiling its kernels with clang; "
                "tinygrad caches compiled kernels on disk (~/.cache/tinygrad), so on a machine where it "
                "never ran the first step takes longer (here about 45-90 s for the CNN, under load).",
    "micrograd": "Its graph of closures is full of reference cycles, so Python's cyclic garbage "
                 "collector runs often during its steps; that time is part of its step and epoch times.",
}


# ---------------------------------------------------------------- one runner per framework
# A runner builds the task's model from the common weights and offers
#   prepare(x, y) -> a batch in the framework's own types,
#   step(batch)   -> one training step (forward, loss, backward, optimizer update), finished,
#   predict(x)    -> predicted classes as a numpy array.

class MinitorchRunner:
    name, heap_traced = "minitorch", True

    def __init__(self, task, state):
        self.model = task.build(minitorch.nn)
        self.model.load_state_dict({k: minitorch.tensor(a) for k, a in state.items()})
        opt = minitorch.optim.SGD if task.optimizer == "sgd" else minitorch.optim.Adam
        self.opt = opt(self.model.parameters(), lr=task.lr)
        self.loss = task.loss

    def prepare(self, x, y):
        return minitorch.tensor(x), minitorch.tensor(y)

    def step(self, batch):
        x, y = batch
        self.opt.zero_grad()
        out = self.model(x)
        if self.loss == "hinge":
            loss = mF.relu(1 - y * out.squeeze(1)).mean()
        else:
            loss = mF.cross_entropy(out, y)
        loss.backward()
        self.opt.step()

    def predict(self, x):
        with minitorch.no_grad():
            out = self.model(minitorch.tensor(x)).numpy()
        return _classes(out, self.loss)


class TorchRunner:
    name, heap_traced = "pytorch", False

    def __init__(self, task, state):
        self.torch = torch = harness.import_torch()
        self.model = task.build(torch.nn)
        self.model.load_state_dict({k: torch.tensor(a) for k, a in state.items()})
        opt = torch.optim.SGD if task.optimizer == "sgd" else torch.optim.Adam
        self.opt = opt(self.model.parameters(), lr=task.lr)
        self.loss = task.loss

    def prepare(self, x, y):
        return self.torch.tensor(x), self.torch.tensor(y)

    def step(self, batch):
        x, y = batch
        self.opt.zero_grad()
        out = self.model(x)
        if self.loss == "hinge":
            loss = self.torch.relu(1 - y * out.squeeze(1)).mean()
        else:
            loss = self.torch.nn.functional.cross_entropy(out, y)
        loss.backward()
        self.opt.step()

    def predict(self, x):
        with self.torch.no_grad():
            out = self.model(self.torch.tensor(x)).numpy()
        return _classes(out, self.loss)


class MicrogradRunner:
    """micrograd's own MLP (a list of Neurons of scalar Values), weights copied in; SGD by hand as in
    micrograd's demo."""
    name, heap_traced = "micrograd", True

    def __init__(self, task, state):
        from micrograd.engine import Value
        from micrograd.nn import MLP

        layers = _weight_pairs(state)
        sizes = [layers[0][0].shape[1]] + [w.shape[0] for w, _ in layers]
        self.model = MLP(sizes[0], sizes[1:])
        for layer, (w, b) in zip(self.model.layers, layers):
            for neuron, w_row, b_value in zip(layer.neurons, w, b):
                neuron.w = [Value(float(v)) for v in w_row]
                neuron.b = Value(float(b_value))
        self.lr = task.lr

    def prepare(self, x, y):
        return x.tolist(), y.tolist()

    def step(self, batch):
        xs, ys = batch
        losses = [(1 + -yi * self.model(xi)).relu() for xi, yi in zip(xs, ys)]
        loss = sum(losses) * (1.0 / len(losses))
        self.model.zero_grad()
        loss.backward()
        for p in self.model.parameters():
            p.data -= self.lr * p.grad

    def predict(self, x):
        return np.array([self.model(xi).data > 0 for xi in x.tolist()], dtype=np.int64)


class TinygradRunner:
    name, heap_traced = "tinygrad", False

    def __init__(self, task, state):
        from tinygrad import Device, Tensor, TinyJit, nn
        from tinygrad.helpers import Context

        self.Tensor, self.Context, self.device = Tensor, Context, Device.default
        self.model = _TinygradModel(task.name, _weight_pairs(state), Tensor)
        opt = nn.optim.SGD if task.optimizer == "sgd" else nn.optim.Adam
        self.opt = opt(self.model.parameters(), lr=task.lr)
        self.loss = task.loss
        self._step = TinyJit(self._train_step)

    def _train_step(self, x, y):
        with self.Context(TRAINING=1):
            self.opt.zero_grad()
            out = self.model(x)
            if self.loss == "hinge":
                loss = (1 - y * out.reshape(-1)).relu().mean()
            else:
                loss = out.sparse_categorical_crossentropy(y)
            loss.backward()
            self.opt.step()
            return loss.realize()

    def prepare(self, x, y):
        y = y.astype(np.int32) if y.dtype == np.int64 else y
        return self.Tensor(x).realize(), self.Tensor(y).realize()

    def step(self, batch):
        self._step(*batch)
        self.device.synchronize()  # tinygrad runs kernels asynchronously: wait for them

    def predict(self, x):
        return _classes(self.model(self.Tensor(x)).numpy(), self.loss)


class _TinygradModel:
    """The same MLP or SimpleCNN with tinygrad's layers, holding the common weights."""

    def __init__(self, task_name, layers, Tensor):
        from tinygrad import nn

        self.cnn = task_name == "mnist_cnn"
        self.layers = []
        for w, b in layers:
            layer = nn.Conv2d(w.shape[1], w.shape[0], w.shape[2]) if w.ndim == 4 else nn.Linear(w.shape[1], w.shape[0])
            layer.weight, layer.bias = Tensor(w).realize(), Tensor(b).realize()
            self.layers.append(layer)

    def parameters(self):
        return [t for layer in self.layers for t in (layer.weight, layer.bias)]

    def __call__(self, x):
        if self.cnn:
            conv1, conv2, dense1, dense2 = self.layers
            x = conv1(x).relu().max_pool2d(2)
            x = conv2(x).relu().max_pool2d(2)
            return dense2(dense1(x.flatten(1)).relu())
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = x.relu()
        return x


RUNNERS = {"minitorch": MinitorchRunner, "pytorch": TorchRunner, "micrograd": MicrogradRunner,
           "tinygrad": TinygradRunner}


def _weight_pairs(state):
    """``[(weight, bias), ...]`` of a Sequential's state_dict, in layer order."""
    order = sorted({int(k.split(".")[0]) for k in state})
    return [(state[f"{i}.weight"], state[f"{i}.bias"]) for i in order]


def _classes(out, loss):
    return (out.reshape(-1) > 0).astype(np.int64) if loss == "hinge" else out.argmax(1)


def _labels(y, loss):
    return (y > 0).astype(np.int64) if loss == "hinge" else y


def unavailable(name):
    """Why a framework cannot run here, or None when it can. A framework that can run does a tiny
    training step, so that memory it allocates once on first use is not charged to the first task."""
    try:
        if name in ("minitorch", "pytorch"):
            lib = minitorch if name == "minitorch" else harness.import_torch()
            if lib is None:
                return "torch is not installed (pip install -e '.[bench]')"
            model = models.mlp(lib.nn, (4, 4, 2))
            opt = lib.optim.Adam(model.parameters())
            lib.nn.functional.cross_entropy(model(lib.ones(2, 4)), lib.tensor([0, 1])).backward()
            opt.step()
        elif name == "micrograd":
            import micrograd  # noqa: F401
        elif name == "tinygrad":
            from tinygrad import Device, Tensor

            Device.default  # opens the default device (CPU needs clang)
            (Tensor([1.0]) + 1).numpy()  # and compiles one kernel
    except ImportError as e:
        return f"not installed ({e}); pip install -e '.[bench]'"
    except Exception as e:  # tinygrad without a working compiler, and the like
        hint = " tinygrad's CPU backend compiles its kernels with clang: install clang." if name == "tinygrad" else ""
        return f"cannot run here: {type(e).__name__}: {str(e)[:200]}.{hint}"
    return None


# ---------------------------------------------------------------- measuring

def train(runner, task):
    """Train for task.epochs epochs; return the timings (seconds)."""
    batches = [runner.prepare(x, y) for x, y in task.batches()]
    epoch_times, epoch_cpu_times, first_step = [], [], None
    for _ in range(task.epochs):
        start, start_cpu = time.perf_counter(), time.process_time()
        for batch in batches:
            runner.step(batch)
            if first_step is None:
                first_step = time.perf_counter() - start
        epoch_times.append(time.perf_counter() - start)
        epoch_cpu_times.append(time.process_time() - start_cpu)
    later = slice(1, None) if len(epoch_times) > 1 else slice(None)
    return {"first_step_s": first_step, "first_epoch_s": epoch_times[0],
            "epoch_s": float(np.median(epoch_times[later])), "epoch_cpu_s": float(np.median(epoch_cpu_times[later])),
            "batches": batches}


def run_task(task, available, rounds, target_s, log=print):
    """Train every framework on the task, then time their steps side by side."""
    state = task.initial_state()
    rows, runners = {}, {}
    for name in FRAMEWORKS:
        if name in task.skipped or name not in task.frameworks:
            rows[name] = {"skipped": task.skipped.get(name, "not part of this task")}
            continue
        if available.get(name):
            rows[name] = {"skipped": available[name]}
            continue
        harness.freeze_gc()
        with harness.PeakRSS() as memory:
            runner = RUNNERS[name](task, state)
            timing = train(runner, task)
        accuracy = float(np.mean(runner.predict(task.x_test) == _labels(task.y_test, task.loss)))
        batch = timing.pop("batches")[0]
        rows[name] = {**timing, "peak_rss_mib": memory.mib, "test_accuracy": accuracy,
                      "step_traced_peak_kib": (harness.traced_peak_kib(lambda: runner.step(batch))
                                               if runner.heap_traced else None)}
        runners[name] = (runner, batch)
        log(f"    {name:10s} trained: epoch {timing['epoch_s']:.3f}s, first step {timing['first_step_s']:.3f}s, "
            f"accuracy {accuracy:.3f}, peak RSS {_fmt(memory.mib)} MiB")
    harness.freeze_gc()
    steps = harness.compare({n: (lambda r=r, b=b: r.step(b)) for n, (r, b) in runners.items()},
                            rounds, target_s=target_s)
    base = steps.get("pytorch")
    for name, (wall, cpu) in steps.items():
        rows[name]["step_us"], rows[name]["step_cpu_us"] = wall * 1e6, cpu * 1e6
        if base:
            rows[name]["step_ratio"] = wall / base[0]
            rows[name]["step_cpu_ratio"] = cpu / base[1]
            rows[name]["epoch_ratio"] = rows[name]["epoch_s"] / rows["pytorch"]["epoch_s"]
            if rows[name]["peak_rss_mib"] and rows["pytorch"]["peak_rss_mib"]:
                rows[name]["memory_ratio"] = rows[name]["peak_rss_mib"] / rows["pytorch"]["peak_rss_mib"]
    for name in steps:
        r = rows[name]
        log(f"    {name:10s} step {r['step_us']:12.1f}us" + (
            f"  x{r['step_ratio']:.2f} of PyTorch (CPU time x{r['step_cpu_ratio']:.2f})" if base else ""))
    return {"task": task.name, "description": task.description, "n_train": len(task.x_train),
            "n_test": len(task.x_test), "batch": task.batch, "epochs": task.epochs,
            "steps": task.epochs * task.steps_per_epoch, "frameworks": rows}


def _fmt(x):
    return "n/a" if x is None else f"{x:.1f}"


def run(quick=False, frameworks=None, tasks=None, log=print, rounds=None, target_s=None):
    """Run the tasks; ``frameworks`` limits who runs (default: all, tinygrad not in quick mode);
    ``rounds`` and ``target_s`` (seconds per framework per round) override the defaults."""
    if frameworks is None:
        frameworks = [f for f in FRAMEWORKS if not (quick and f == "tinygrad")]
    available = {name: (unavailable(name) if name in frameworks else
                        "left out by --quick: compiling its kernels takes seconds to minutes "
                        "(--frameworks names who runs)")
                 for name in FRAMEWORKS}
    for name, why in available.items():
        if why:
            log(f"  {name}: {why}")
    rounds = rounds or (3 if quick else 7)
    target = target_s or (0.02 if quick else 0.5)
    results = []
    for task_name in tasks or TASKS:
        task = TASKS[task_name](quick)
        log(f"  {task.description}: {len(task.x_train)} training samples, {task.epochs} epochs "
            f"({task.epochs * task.steps_per_epoch} steps), {len(task.x_test)} test samples")
        results.append(run_task(task, available, rounds, target, log))
    return harness.report("peers", quick, memory_method=harness.MEMORY_METHOD, notes=NOTES, tasks=results)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, one epoch; tinygrad left out")
    parser.add_argument("--frameworks", help=f"comma-separated subset of {','.join(FRAMEWORKS)}")
    parser.add_argument("--tasks", help=f"comma-separated subset of {','.join(TASKS)}")
    parser.add_argument("--out-dir", default=None, help="results folder (default: benchmarks/results)")
    args = parser.parse_args(argv)
    frameworks = args.frameworks.split(",") if args.frameworks else None
    tasks = args.tasks.split(",") if args.tasks else None
    print("peers: minitorch, PyTorch, micrograd, tinygrad")
    path = harness.write_json(run(args.quick, frameworks, tasks), "peers", args.out_dir)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
