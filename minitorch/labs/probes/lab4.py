"""Probes of lab 4 (convolution and pooling, ``functions/conv.py``, ``functions/pool.py``; batch norm,
``functions/normalization.py``, ``nn/normalization.py``; the SimpleCNN milestone, ``examples/cnn.py``)."""
import numpy as np

from . import load_trained, parameters_and_buffers, probe, seed, trained, uniform, value_and_grads
from .lab3 import check_predictions

GEOMETRIES = [((2, 2), (1, 1), (0, 0), (1, 1)), ((3, 2), (2, 1), (1, 0), (1, 1)), ((2, 2), (1, 2), (1, 1), (2, 1))]


def distinct(rng, shape):
    """Values 1/8 apart, shuffled: no ties, so every window has one maximum."""
    n = int(np.prod(shape))
    return ((rng.permutation(n) - n / 2 + 0.5) / 8).reshape(shape)


def _image(rng):
    return {"x": uniform(rng, (2, 3, 5, 4)), "w": uniform(rng, (4, 3, 3, 2)), "b": uniform(rng, 4),
            "d": distinct(rng, (2, 2, 5, 6)), "up": seed(rng)}


@probe("4.1", _image, "minitorch/functions/conv.py, Im2Col.forward (task 4.1): every window of the padded "
       "input as a column, (C*kH*kW, N*oh*ow)")
def unfold(load, x):
    F, m = load("minitorch.nn.functional"), load("minitorch")
    t = m.tensor(x["x"], dtype=m.float64)
    return {f"unfold{k}": F.unfold(t, kernel, dilation=dilation, padding=padding, stride=stride).detach().numpy()
            for k, (kernel, stride, padding, dilation) in enumerate(GEOMETRIES)}


@probe("4.2", _image, "minitorch/functions/conv.py, Im2Col.backward (task 4.2): each column entry added back "
       "to its pixel (col2im), then the padding cropped")
def im2col_backward(load, x):
    Im2Col = load("minitorch.functions").Im2Col
    found = {}
    for k, (kernel, stride, padding, dilation) in enumerate(GEOMETRIES):
        pads = ((padding[0], padding[0]), (padding[1], padding[1]))
        found.update(value_and_grads(load, lambda t: Im2Col.apply(t, kernel, dilation, pads, stride), (x["x"],),
                                     x["up"], f"{k}_"))
    return found


@probe("4.3", _image, "minitorch/functions/pool.py, MaxPool2d backward (task 4.3): the gradient goes to the "
       "element that won its window")
def max_pool_backward(load, x):
    F = load("minitorch.nn.functional")
    found = {}
    for k, (kernel, stride, padding) in enumerate([(2, None, 0), (3, 2, 1), ((2, 3), (1, 2), (1, 0))]):
        found.update(value_and_grads(load, lambda t: F.max_pool2d(t, kernel, stride, padding), (x["d"],),
                                     x["up"], f"{k}_"))
    return found


AVG_OPTIONS = [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
               dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
               dict(kernel_size=2, stride=2, ceil_mode=True)]


@probe("4.4", _image, "minitorch/functions/pool.py, AvgPool2d backward (task 4.4): each window's pixels get "
       "dL/dy / divisor, added up")
def avg_pool_backward(load, x):
    F = load("minitorch.nn.functional")
    found = {}
    for k, options in enumerate(AVG_OPTIONS):
        found.update(value_and_grads(load, lambda t: F.avg_pool2d(t, **options), (x["d"][:, :, :5, :5],),
                                     x["up"], f"{k}_"))
    return found


MAX_OPTIONS = [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1), dict(kernel_size=2, dilation=2),
               dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0), ceil_mode=True)]


@probe("4.5", _image, "minitorch/functions/pool.py, max_pool_argmax (task 4.5): each window's maximum and the "
       "flat offset of the first one (padding never wins)")
def max_pool_forward(load, x):
    F, m = load("minitorch.nn.functional"), load("minitorch")
    t = m.tensor(np.round(x["d"] * 2) / 2, dtype=m.float64)  # rounded: ties, the first must win
    found = {}
    for k, options in enumerate(MAX_OPTIONS):
        out, indices = F.max_pool2d(t, return_indices=True, **options)
        found.update({f"{k}_value": out.numpy(), f"{k}_indices": indices.numpy()})
    return found


@probe("4.6", _image, "minitorch/functions/pool.py, AvgPool2d.forward and _window_counts (task 4.6): each "
       "window's sum over its divisor")
def avg_pool_forward(load, x):
    F, m = load("minitorch.nn.functional"), load("minitorch")
    t = m.tensor(x["d"], dtype=m.float64)
    options = AVG_OPTIONS + [dict(kernel_size=3, stride=2, ceil_mode=True, count_include_pad=False),
                             dict(kernel_size=2, divisor_override=3)]
    return {f"{k}_value": F.avg_pool2d(t, **o).numpy() for k, o in enumerate(options)}


@probe("4.7", _image, "minitorch/functions/conv.py, ToNCHW (task 4.7): the im2col matmul's result laid out "
       "as NCHW images plus the bias, and its backward")
def conv2d(load, x):
    F = load("minitorch.nn.functional")
    found = value_and_grads(load, lambda t, w, b: F.conv2d(t, w, b, stride=(1, 2), padding=1),
                            (x["x"], x["w"], x["b"]), x["up"], "bias_")
    found.update(value_and_grads(load, lambda t, w: F.conv2d(t, w, stride=2, dilation=(1, 2)),
                                 (x["x"], x["w"][..., :1]), x["up"], "plain_"))
    return found


def _batch_norm_inputs(rng):
    return {"x4": uniform(rng, (3, 2, 2, 3)), "x2": uniform(rng, (5, 3)), "x3": uniform(rng, (2, 3, 4)),
            "w": rng.uniform(0.5, 2.0, 3), "b": uniform(rng, 3), "mean": uniform(rng, 3, -1, 1),
            "var": rng.uniform(0.5, 2.0, 3), "up": seed(rng)}


@probe("4.8", _batch_norm_inputs, "minitorch/functions/normalization.py, BatchNorm.forward, _normalize and "
       "_scale_shift (task 4.8): y = gamma (x - mu) / sqrt(var + eps) + beta with the batch's or the running "
       "statistics; running_mean and running_var updated in place (the unbiased variance)")
def batch_norm_forward(load, x):
    F, m = load("minitorch.nn.functional"), load("minitorch")
    found = {}
    for name, c in (("x4", 2), ("x2", 3), ("x3", 3)):
        t = m.tensor(x[name], dtype=m.float64)
        w, b = (m.tensor(x[k][:c], dtype=m.float64) for k in ("w", "b"))
        mean, var = (m.tensor(x[k][:c], dtype=m.float64) for k in ("mean", "var"))
        found[f"{name}_train"] = F.batch_norm(t, mean, var, w, b, training=True, momentum=0.3).numpy()
        found.update({f"{name}_running_mean": mean.numpy(), f"{name}_running_var": var.numpy()})
        found[f"{name}_eval"] = F.batch_norm(t, mean, var, w, b, training=False, eps=1e-3).numpy()
        found[f"{name}_plain"] = F.batch_norm(t, None, None, training=True).numpy()
    return found


@probe("4.9", _batch_norm_inputs, "minitorch/functions/normalization.py, BatchNorm.backward, _grad_input and "
       "_affine_grads (task 4.9): dL/dx through the batch mean and variance (or through the running "
       "statistics alone in evaluation), dL/dgamma, dL/dbeta")
def batch_norm_backward(load, x):
    F, m = load("minitorch.nn.functional"), load("minitorch")
    found = {}
    for name, c in (("x4", 2), ("x2", 3)):
        mean, var = (m.tensor(x[k][:c], dtype=m.float64) for k in ("mean", "var"))
        arrays = (x[name], x["w"][:c], x["b"][:c])
        found.update(value_and_grads(load, lambda t, w, b: F.batch_norm(t, None, None, w, b, training=True),
                                     arrays, x["up"], f"{name}_train_"))
        found.update(value_and_grads(load, lambda t, w, b: F.batch_norm(t, mean, var, w, b), arrays, x["up"],
                                     f"{name}_eval_"))
        found.update(value_and_grads(load, lambda t: F.batch_norm(t, None, None, training=True), arrays[:1],
                                     x["up"], f"{name}_plain_"))
    return found


@probe("4.10", _batch_norm_inputs, "minitorch/nn/normalization.py, _BatchNorm.forward (task 4.10): the batch "
       "count, momentum None as a cumulative average, batch statistics in training (and in evaluation "
       "without running statistics), running statistics in evaluation")
def batch_norm_modules(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    found = {}
    layers = {"ema": nn.BatchNorm2d(2, momentum=0.2, dtype=m.float64),
              "cumulative": nn.BatchNorm2d(2, momentum=None, dtype=m.float64),
              "untracked": nn.BatchNorm2d(2, track_running_stats=False, dtype=m.float64)}
    batches = [x["x4"], x["x4"][::-1] * 2 + 1, x["x4"][:2] - 0.5]
    for name, layer in layers.items():
        outs = [layer(m.tensor(b, dtype=m.float64)).detach().numpy() for b in batches]
        layer.eval()
        outs.append(layer(m.tensor(x["x4"], dtype=m.float64)).detach().numpy())
        found.update({f"{name}_out{k}": out for k, out in enumerate(outs)})
        found.update(_statistics(layer, name))
    one_d = nn.BatchNorm1d(3, dtype=m.float64)
    found["1d_train"] = one_d(m.tensor(x["x3"], dtype=m.float64)).detach().numpy()
    found.update(_statistics(one_d, "1d"))
    return found


def _statistics(layer, prefix):
    """The running statistics and the batch count of a BatchNorm layer (none without them)."""
    names = ("running_mean", "running_var", "num_batches_tracked")
    return {f"{prefix}_{n}": getattr(layer, n).numpy() for n in names if getattr(layer, n) is not None}


CNN_THRESHOLD = 0.96


def check_cnn(x, got):
    """The milestone's grade: the test accuracy of the trained SimpleCNN (evaluated by the reference),
    at least ``CNN_THRESHOLD``, against the labels the grader reads from its own copy of the shipped
    MNIST subset; and ``predict`` must agree with the trained model on random images."""
    return check_predictions(x, got, "mnist_5k.npz", CNN_THRESHOLD,
                             "3 epochs (the reference reaches 96.6-97.1% for seeds 0-4)")


def cnn_inputs(train_seed):
    """The training seed, and random images for ``predict`` (the grader compares its classes with the
    reference's forward on the trained parameters)."""
    return lambda rng: {"seed": np.array(train_seed), "images": rng.uniform(0.0, 1.0, (40, 1, 28, 28))}


def _cnn(cnn):
    return cnn.SimpleCNN((16, 32), 64, batch_norm=True)


def cnn_logits(load, x):
    """The reference's evaluation of the trained parameters: SimpleCNN's logits for the 1,000 test
    images of its own copy of the shipped subset, and for the random images."""
    m, data, cnn = load("minitorch"), load("minitorch.data"), load("minitorch.examples.cnn")
    model = load_trained(_cnn(cnn), x)
    with m.no_grad():
        return {"logits": model(data.MNIST(train=False).tensors[0]).numpy(),
                "image_logits": model(m.tensor(x["images"], dtype=m.float32)).numpy()}


@probe("4.11", cnn_inputs(0), "minitorch/examples/cnn.py, SimpleCNN, train_epoch and predict "
       "(task 4.11), and everything they run: conv2d, max pooling, batch norm, Linear, cross_entropy, Adam",
       check=check_cnn, evaluate=cnn_logits)
def cnn_milestone(load, x):
    """SimpleCNN((16, 32), 64, batch_norm=True) trained for 3 epochs (Adam, StepLR) from seed ``x["seed"]``;
    its parameters (the test images' labels stay with the grader), and predict's classes of the random images."""
    m, optim, data = load("minitorch"), load("minitorch.optim"), load("minitorch.data")
    cnn = load("minitorch.examples.cnn")
    m.manual_seed(int(x["seed"]))
    train = data.MNIST(train=True)
    model = _cnn(cnn)
    optimizer = optim.Adam(model.parameters(), lr=3e-3)
    schedule = optim.lr_scheduler.StepLR(optimizer, 1, 0.3)
    for _ in range(3):
        cnn.train_epoch(model, data.DataLoader(train, batch_size=32, shuffle=True), optimizer, "cpu")
        schedule.step()
    images = data.TensorDataset(m.tensor(x["images"], dtype=m.float32), m.zeros(len(x["images"]), dtype=m.int64))
    return trained(parameters_and_buffers(model), predict=cnn.predict(model, images, "cpu"))


ADAPTIVE_SIZES = [(3, 2), (5, 6), (1, 1), (2, 4)]


@probe("4.12", _image, "minitorch/functions/pool.py, adaptive_windows, adaptive_matrix, AdaptiveAvgPool2d, "
       "adaptive_max and AdaptiveMaxPool2d.backward (task 4.12): the mean or maximum of each of PyTorch's windows "
       "(they may overlap), the maximum's index, and the gradients")
def adaptive_pooling(load, x):
    F, m = load("minitorch.nn.functional"), load("minitorch")
    found = {}
    for k, size in enumerate(ADAPTIVE_SIZES):
        found.update(value_and_grads(load, lambda t: F.adaptive_avg_pool2d(t, size), (x["d"][:, :, :5],), x["up"],
                                     f"avg{k}_"))
        found.update(value_and_grads(load, lambda t: F.adaptive_max_pool2d(t, size), (x["d"][:, :, :5],), x["up"],
                                     f"max{k}_"))
        _, indices = F.adaptive_max_pool2d(m.tensor(x["d"], dtype=m.float64), size, return_indices=True)
        found[f"indices{k}"] = indices.numpy()
    return found
