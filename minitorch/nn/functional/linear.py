"""``linear`` (y = x W^T + b, one op of its own: one graph node, and the weight's gradient in the
weight's layout) and ``dropout`` (zero each element with probability p, scale the rest by 1/(1-p)).
"""
from ... import checks
from ... import functions as ops
from ...autograd.names import renamed
from ...errors import ShapeError
from ...random import rng


#: PyTorch's node for linear by (a 2-D input?, no bias?): addmm or mm on a matrix, a view of them otherwise.
_LINEAR_NAMES = {(True, False): "AddmmBackward0", (True, True): "MmBackward0",
                 (False, False): "ViewBackward0", (False, True): "UnsafeViewBackward0"}


@renamed(lambda input, weight, bias=None: _LINEAR_NAMES.get((input.ndim == 2, bias is None)))
def linear(input, weight, bias=None):
    """y = x W^T + b for x of shape (..., in_features), W (out_features, in_features), b (out_features,)."""
    if weight.ndim != 2 or input.ndim == 0 or input.shape[-1] != weight.shape[1]:
        raise ShapeError(
            f"linear: input of shape {tuple(input.shape)} does not fit weight of shape "
            f"{tuple(weight.shape)}: the weight must be (out_features, in_features) and the input's "
            f"last dimension must be in_features."
        )
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise ShapeError(
            f"linear: bias of shape {tuple(bias.shape)} does not fit weight of shape "
            f"{tuple(weight.shape)}: the bias must have shape ({weight.shape[0]},)."
        )
    if input.dtype != weight.dtype:
        raise RuntimeError(
            f"linear: input ({input.dtype}) and weight ({weight.dtype}) must have the same dtype; an integer "
            f"input gives no gradient and no float result here. Convert it with .to(weight.dtype) or .float()."
        )
    checks.no_bool_product("linear", input)
    return ops.Linear.apply(input, weight, bias)


def dropout(input, p=0.5, training=True, inplace=False):
    """Inverted dropout: y = x * m / (1 - p), each m_i ~ Bernoulli(1 - p) drawn afresh per call.

    Every element is zeroed with probability ``p`` and the survivors are scaled by
    1 / (1 - p), so E[y] = x and nothing needs rescaling at evaluation time.
    dL/dx = dL/dy * m / (1 - p). With ``training=False`` (or p = 0) the input is
    returned unchanged. The mask is drawn from ``minitorch.random.rng()``, so
    ``minitorch.manual_seed`` makes it repeat. ``inplace=True`` writes the result into ``input``.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(
            f"dropout: p is the probability of zeroing an element and must be between 0 and 1, got {p}."
        )
    if not checks.boolean("dropout", "training", training) or p == 0:
        return input
    ### BEGIN SOLUTION 3.22: inverted dropout with a fresh mask from rng() (inplace: into input)
    keep = rng().random(input.shape) >= p
    scale = 1.0 / (1.0 - p) if p < 1 else 0.0
    output = input * (keep * scale).astype(input._array.dtype)
    return input.copy_(output) if inplace else output
    ### END SOLUTION
