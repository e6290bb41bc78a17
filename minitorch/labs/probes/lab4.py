"""Probes of lab 4 (convolution and pooling, ``functions/conv.py``, ``functions/pool.py``)."""
import numpy as np

from . import probe, seed, uniform, value_and_grads

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
