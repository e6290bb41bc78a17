"""More normalisation: ``group_norm``, ``instance_norm``, ``rms_norm`` and ``local_response_norm``.

Each is a composition whose gradient comes from ops with hand-written backward passes:
``group_norm`` is ``layer_norm`` over each group of channels, ``instance_norm`` is
``batch_norm`` with every (sample, channel) pair as a channel of its own, ``rms_norm`` and
``local_response_norm`` are a few pointwise ops and a mean.
"""
import numbers

from ... import checks
from ...autograd.composite import shown_as
from ...dtypes import finfo
from ...errors import ShapeError
from ._checks import check_param, check_tensors
from .normalization import batch_norm, check_channel_params, layer_norm
from .sparse import pad


def _floating_input(op, input, min_ndim, expected):
    """``input`` is a floating-point Tensor with at least ``min_ndim`` dims (described by ``expected``)."""
    check_tensors(op, input=input)
    if input.ndim < min_ndim:
        raise ShapeError(f"{op}: expected an input of shape {expected}, got shape {tuple(input.shape)}.")
    checks.floating(op, input)


def _per_channel(x, t):
    """A (C,) tensor shaped to broadcast over x (N, C, *)."""
    return t.reshape((-1,) + (1,) * (x.ndim - 2))


@shown_as("NativeGroupNormBackward0", inputs=("input", "weight", "bias"))
def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    """y = (x - mu_g) / sqrt(var_g + eps) * gamma_c + beta_c, with mu_g and the biased var_g taken
    over each group g of C / num_groups channels (and all their positions) of each sample.

    >>> import minitorch
    >>> x = minitorch.tensor([[[1.0], [3.0], [2.0], [2.0]]])
    >>> minitorch.nn.functional.group_norm(x, 2).flatten()
    tensor([-1.0000,  1.0000,  0.0000,  0.0000])
    """
    op = "group_norm"
    _floating_input(op, input, 2, "(N, C, *)")
    channels = input.shape[1]
    groups = checks.integer(op, "num_groups", num_groups, minimum=1)
    if channels % groups:
        raise ValueError(
            f"{op}: the {channels} channels of the input (shape {tuple(input.shape)}) cannot be split into "
            f"{groups} groups; num_groups must divide the number of channels."
        )
    for name, t in (("weight", weight), ("bias", bias)):
        check_param(op, name, t, (channels,), input.dtype)
    grouped = input.reshape(input.shape[0], groups, -1)
    y = layer_norm(grouped, (grouped.shape[2],), eps=eps).reshape(input.shape)
    if weight is not None:
        y = y * _per_channel(y, weight)
    if bias is not None:
        y = y + _per_channel(y, bias)
    return y


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-05):
    """y = (x - mu) / sqrt(var + eps) * gamma + beta, with mu and the biased var taken over the positions
    of each (sample, channel) pair: ``batch_norm`` of x viewed as (1, N * C, *).

    ``use_input_stats=False`` normalises with ``running_mean`` and ``running_var`` instead; with
    ``use_input_stats`` they (if given) move towards the batch's average of the instance statistics.

    >>> import minitorch
    >>> x = minitorch.tensor([[[1.0, 3.0], [0.0, 4.0]]])
    >>> minitorch.nn.functional.instance_norm(x)
    tensor([[[-1.0000,  1.0000],
             [-1.0000,  1.0000]]])
    """
    op = "instance_norm"
    _floating_input(op, input, 3, "(N, C, *) with at least one spatial dim")
    batch, channels = input.shape[:2]
    check_channel_params(op, channels, input.dtype, running_mean, running_var, weight, bias)
    if not use_input_stats and running_mean is None:
        raise ValueError(f"{op}: use_input_stats=False needs running_mean and running_var, but they are None.")
    stats = [None if t is None else t.detach().repeat(batch) for t in (running_mean, running_var)]
    weight, bias = (None if t is None else t.repeat(batch) for t in (weight, bias))
    y = batch_norm(input.reshape((1, batch * channels) + tuple(input.shape[2:])), stats[0], stats[1], weight,
                   bias, use_input_stats, momentum, eps)
    if use_input_stats and running_mean is not None:  # the batch's mean of the updated copies
        for kept, updated in zip((running_mean, running_var), stats):
            kept._writable(op)[...] = updated.reshape(batch, channels).mean(0)._array
    return y.reshape(input.shape)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """y = x / sqrt(mean(x^2) + eps) * gamma, the mean over the last dims (``normalized_shape``);
    ``eps=None`` is the machine epsilon of the input's dtype.

    >>> import minitorch
    >>> minitorch.nn.functional.rms_norm(minitorch.tensor([3.0, 4.0, 0.0]), (3,), eps=0.0)
    tensor([1.0392, 1.3856, 0.0000])
    """
    op = "rms_norm"
    check_tensors(op, input=input)
    shape = (normalized_shape,) if isinstance(normalized_shape, numbers.Integral) else tuple(normalized_shape)
    if not shape or len(shape) > input.ndim or tuple(input.shape[input.ndim - len(shape):]) != shape:
        raise ShapeError(
            f"{op}: normalized_shape={shape} must equal the input's last {len(shape)} dimension(s), but the "
            f"input has shape {tuple(input.shape)}."
        )
    checks.floating(op, input)
    check_param(op, "weight", weight, shape, input.dtype)
    eps = finfo(input.dtype).eps if eps is None else checks.real(op, "eps", eps, minimum=0)
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    y = input * (input * input).mean(dim=dims, keepdim=True).add(eps).rsqrt()
    return y if weight is None else y * weight


def local_response_norm(input, size, alpha=0.0001, beta=0.75, k=1.0):
    """y_c = x_c / (k + alpha / size * sum of x_c'^2 over the ``size`` channels c' around c)^beta
    (the window is cut at the edges but still divided by ``size``, as PyTorch's).

    >>> import minitorch
    >>> x = minitorch.tensor([[[2.0], [2.0]]])
    >>> minitorch.nn.functional.local_response_norm(x, 2, alpha=1.0, beta=1.0, k=0.0).flatten()
    tensor([1.0000, 0.5000])
    """
    op = "local_response_norm"
    _floating_input(op, input, 3, "(N, C, *) with at least one spatial dim")
    size = checks.integer(op, "size", size, minimum=1)
    channels = input.shape[1]
    squares = (input * input).movedim(1, -1)
    padded = pad(squares, (size // 2, (size - 1) // 2))
    window = sum(padded[..., start:start + channels] for start in range(size)).movedim(-1, 1)
    return input / (window * (alpha / size) + k) ** beta
