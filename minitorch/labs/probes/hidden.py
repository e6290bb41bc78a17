"""Hidden probes: graded like the others, shown to students after grades are published.

They live in their own module: the grader copies it only into the child that runs them, and
runs that child after every visible probe, so no code of a submission that ran with them in
reach runs again before the score is written.
"""
import numpy as np

from . import probe, seed, set_parameters, state_of, trained, uniform
from .lab1 import SCALAR, SCALAR_NN, _set, moon_class, moons
from .lab2 import (MATMUL, SPIRAL_WHERE, _matmul, _matmuls, check_spiral, spiral_logits, spiral_milestone,
                   spiral_points)
from .lab3 import (DIGITS_THRESHOLD, _steps, check_predictions, digits_inputs, digits_logits, digits_trained,
                   run_optimizer)
from .lab4 import check_cnn, cnn_inputs, cnn_logits, cnn_milestone
from .lab5 import check_gpt, gpt_milestone, gpt_validation_loss
from .lab6 import F32, GPU_MLP_WHERE, TILINGS, check_gpu_mlp, gpu_mlp_logits, gpu_mlp_milestone, gpu_mlp_points


@probe("1.5", lambda rng: {"x": uniform(rng, 1, -1, 1)[0], "y": uniform(rng, 1, -1, 1)[0]},
       "minitorch/scalar.py, Scalar.backward (task 1.5): the chain rule through exp((x - y)^2 + x) - y^3, "
       "and a graph with 2^40 paths (each node visited once)", hidden=True)
def backward_of_a_formula(load, x):
    Scalar = load(SCALAR).Scalar
    a, b = Scalar(float(x["x"])), Scalar(float(x["y"]))
    (((a - b) ** 2 + a).exp() - b ** 3).backward()
    leaf = Scalar(1.0)
    y = leaf
    for _ in range(40):
        y = y + y
    y.backward()
    return {"grads": [a.grad, b.grad], "many_paths": leaf.grad}


MOONS_THRESHOLD = 0.95


def _check_moons(x, got):
    """The milestone's grade: the accuracy of the trained MLP (its logits computed by the reference) on
    fresh noise-free points, at least MOONS_THRESHOLD."""
    logits = np.asarray(got["logits"], dtype=float).reshape(-1)
    if logits.shape != (len(x["test"]),) or not np.all(np.isfinite(logits)):
        return f"expected {len(x['test'])} finite logits, got {logits.shape[0]} values"
    acc = float(np.mean((logits > 0) == moon_class(x["test"])))
    if acc < MOONS_THRESHOLD:
        return f"the trained MLP classifies {acc:.1%} of fresh moon points, below the {MOONS_THRESHOLD:.0%} needed"
    return None


def _moons_logits(load, x):
    """The reference's evaluation of the trained parameters: MLP(2, [8, 1])'s logits for the fresh points."""
    model = load(SCALAR_NN).MLP(2, [8, 1], seed=0)
    _set(model.parameters(), state_of(x)["parameters"].tolist())
    return {"logits": [model(p).data for p in x["test"].tolist()]}


@probe("1.9", lambda rng: {"test": moons(rng, 200, 0.0)[0]},
       "minitorch/scalar_nn.py, fit (task 1.9), the milestone: MLP(2, [8, 1], seed=0) trained by fit's defaults on "
       "60 noisy moon points must classify >= 95% of fresh points", hidden=True, check=_check_moons,
       evaluate=_moons_logits)
def milestone_moons(load, x):
    nn = load(SCALAR_NN)
    points, labels = moons(np.random.default_rng(0), 60, 0.1)
    model = nn.MLP(2, [8, 1], seed=0)
    nn.fit(model, points.tolist(), labels.tolist())
    return trained({"parameters": [p.data for p in model.parameters()]})


@probe("2.5", _matmuls("batched"), MATMUL, hidden=True)
def matmul_backward_batched(load, x):
    return _matmul(load, x)


@probe("2.12", lambda rng: {"test": spiral_points(rng, 300)[0]}, SPIRAL_WHERE, check=check_spiral, hidden=True,
       evaluate=spiral_logits)
def milestone_spiral_seed_1(load, x):
    return spiral_milestone(load, 1)


@probe("3.11", _steps, "minitorch/optim/optimizer.py, decayed_grad (task 3.11) in AdamW's steps",
       rtol=1e-9, hidden=True)
def adamw(load, x):
    return {"params": run_optimizer(load, x, lambda o, ps: o.AdamW(ps, lr=0.1, weight_decay=0.5))}


def check_digits_sgd(x, got):
    """The hidden milestone's test accuracy must reach ``DIGITS_THRESHOLD`` too."""
    return check_predictions(x, got, "digits.npz", DIGITS_THRESHOLD, "6 epochs of SGD")


@probe("3.14", lambda rng: {**digits_inputs(rng), "seed": np.array(1)}, "minitorch/examples/mlp.py, train_epoch "
       "and evaluate (task 3.14) with SGD (Nesterov momentum) and a cosine schedule", check=check_digits_sgd,
       hidden=True, evaluate=digits_logits((32,)))
def digits_with_sgd(load, x):
    m, optim, data = load("minitorch"), load("minitorch.optim"), load("minitorch.data")
    mlp = load("minitorch.examples.mlp")
    m.manual_seed(int(x["seed"]))
    train = data.load_digits("train")
    model = mlp.make_mlp(64, (32,), 10)
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, 6)
    for _ in range(6):
        mlp.train_epoch(model, data.DataLoader(train, batch_size=64, shuffle=True), optimizer)
        schedule.step()
    return digits_trained(load, model, x["chance"])


@probe("4.7", lambda rng: {"x": uniform(rng, (1, 4, 6, 6)), "w": uniform(rng, (2, 2, 2, 2))},
       "minitorch/functions/conv.py, Im2Col.forward and ToNCHW (tasks 4.1, 4.7) in a grouped, dilated convolution",
       hidden=True)
def grouped_dilated_conv(load, x):
    F, m = load("minitorch.nn.functional"), load("minitorch")
    out = F.conv2d(m.tensor(x["x"], dtype=m.float64), m.tensor(x["w"], dtype=m.float64), groups=2, dilation=2)
    return {"out": out.detach().numpy()}


@probe("4.11", cnn_inputs(1), "minitorch/examples/cnn.py, SimpleCNN, train_epoch and predict "
       "(task 4.11): the milestone with another seed (other initial weights, other batches)", check=check_cnn,
       hidden=True, evaluate=cnn_logits)
def cnn_milestone_other_seed(load, x):
    return cnn_milestone(load, x)


@probe("5.4", lambda rng: {"x": rng.standard_normal((2, 3, 4)), "params": seed(rng)},
       "minitorch/nn/transformer.py, TransformerEncoderLayer.forward (task 5.4) with a padding mask and gelu",
       hidden=True)
def encoder_layer_with_padding(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, dropout=0.0, activation="gelu", batch_first=True,
                                       dtype=m.float64)
    set_parameters(m, layer, x["params"])
    pad = m.tensor(np.array([[False, False, True], [False, False, False]]))
    return {"out": layer(m.tensor(x["x"], dtype=m.float64), src_key_padding_mask=pad).detach().numpy()}


@probe("5.7", lambda rng: {"seed": np.array(1)}, "minitorch/examples/gpt.py, train_lm (task 5.7): the milestone "
       "with another seed (other initial weights, other batches)", check=check_gpt, hidden=True,
       evaluate=gpt_validation_loss)
def gpt_milestone_other_seed(load, x):
    return gpt_milestone(load, x)


@probe("6.7", lambda rng: {"at": rng.standard_normal((27, 18)), "b": rng.standard_normal((1, 27, 20)),
                           "batch": rng.standard_normal((2, 18, 27))},
       "kernels/matmul.py, slices and register_blocked (task 6.7): a column-major A (read along its rows), B "
       "broadcast over a batch (stride 0), K = 27 (three full slices and a ragged one)", hidden=True, **F32)
def register_matmul_strided_operands(load, x):
    matmul = load("kernels.matmul").matmul
    a = x["at"].T                                          # (18, 27), column-major
    return {name: matmul(lhs, rhs, kernel="register", tiling=TILINGS[1])
            for name, (lhs, rhs) in {"column_major": (a, x["b"][0]), "broadcast": (x["batch"], x["b"]),
                                     "f32": (a.astype(np.float32), x["b"][0].astype(np.float32))}.items()}


@probe("6.10", gpu_mlp_points, GPU_MLP_WHERE, check=check_gpu_mlp, hidden=True, evaluate=gpu_mlp_logits)
def milestone_gpu_mlp_seed_1(load, x):
    return gpu_mlp_milestone(load, 1)
