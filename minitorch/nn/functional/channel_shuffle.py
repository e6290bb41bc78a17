"""``channel_shuffle`` (ShuffleNet): interleave the channels of ``groups`` groups."""
from ... import checks
from ._checks import check_tensors


def channel_shuffle(input, groups):
    """Reorder the C channels of (N, C, *) as (groups, C / groups) -> (C / groups, groups): output
    channel j * groups + g is input channel g * (C / groups) + j, so that each group of a following
    grouped convolution sees channels of every group before it. A reshape, a transpose and a reshape.

    >>> import minitorch
    >>> x = minitorch.arange(6.0).reshape(1, 6, 1)
    >>> minitorch.nn.functional.channel_shuffle(x, 2).flatten().tolist()
    [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]
    """
    op = "channel_shuffle"
    check_tensors(op, input=input)
    groups = checks.integer(op, "groups", groups, minimum=1, error=RuntimeError)
    if input.ndim < 3:
        raise RuntimeError(f"{op}: expected an input with more than 2 dims (N, C, *), got shape {tuple(input.shape)}.")
    n, c, *rest = input.shape
    if c % groups:
        raise RuntimeError(f"{op}: the number of channels ({c}, dim 1) must be divisible by groups ({groups}).")
    return input.reshape(n, groups, c // groups, *rest).transpose(1, 2).reshape(input.shape)


def native_channel_shuffle(input, groups):
    """PyTorch's other name for ``channel_shuffle`` (the same reordering)."""
    return channel_shuffle(input, groups)
