"""Probes of lab 6 (CUDA kernels under Numba's simulator, ``kernels/``)."""
import numpy as np

from . import probe

F32 = dict(rtol=2e-5, atol=2e-5)


def _matrices(rng):
    return {"a": rng.standard_normal((5, 7)), "b": rng.standard_normal((7, 6)), "batch": rng.standard_normal((2, 3, 5)),
            "bt": rng.standard_normal((6, 5))}


@probe("6.1", _matrices, "kernels/matmul.py, the tiled kernel (task 6.1): stage a tile of A and of B in shared "
       "memory (0 past the edges), sync, accumulate, sync", **F32)
def tiled_matmul(load, x):
    matmul = load("kernels.matmul").matmul
    return {"f64": matmul(x["a"], x["b"], kernel="tiled", tile=4),
            "f32": matmul(x["a"].astype(np.float32), x["b"].astype(np.float32), kernel="tiled", tile=4),
            "batched_transposed": matmul(x["batch"], x["bt"].T, kernel="tiled", tile=4)}


def _scores(rng):
    x = 3 * rng.standard_normal((3, 11))
    x[0, 2] = x[1, 0] = -np.inf
    return {"x": x, "big": 1000 + rng.standard_normal((2, 6)), "dy": rng.standard_normal((3, 11))}


@probe("6.2", _scores, "kernels/softmax.py, the online softmax kernel (task 6.2): one pass keeping the running "
       "max and the rescaled sum; -inf entries skipped", **F32)
def online_softmax(load, x):
    softmax = load("kernels.softmax").softmax
    return {"f64": softmax(x["x"], threads=4), "f32": softmax(x["x"].astype(np.float32), threads=4),
            "large": softmax(x["big"], threads=4)}


@probe("6.3", _scores, "kernels/softmax.py, the softmax backward kernel (task 6.3): dx = y (dy - sum_j dy_j y_j)",
       **F32)
def softmax_backward_kernel(load, x):
    e = np.exp(x["x"] - x["x"].max(axis=-1, keepdims=True))
    y = e / e.sum(axis=-1, keepdims=True)
    return {"dx": load("kernels.softmax").softmax_backward(y, x["dy"], threads=4)}
