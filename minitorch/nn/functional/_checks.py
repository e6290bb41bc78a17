"""Argument checks that several topics of ``nn.functional`` share: tensors, and optional parameters.
"""
from ... import checks, dtypes
from ...errors import ShapeError
from ...tensor import Tensor


def check_tensors(op, **tensors):
    """Refuse arguments that are not Tensors, or Tensors on different devices."""
    for name, t in tensors.items():
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{op}: {name} must be a Tensor, got {type(t).__name__}. Wrap it with minitorch.tensor(...)."
            )
    checks.same_device(op, **tensors)


def promoted(*tensors):
    """The tensors in their common dtype where some but not all of them are floating, as PyTorch's
    losses and distances promote a bool or integer operand to the other's float dtype; others as
    they are (the op refuses integer ones)."""
    if len({t.is_floating_point() for t in tensors}) == 1:
        return tensors
    dtype = dtypes.common_dtype(*tensors)
    return tuple(t.to(dtype) for t in tensors)


def check_param(op, name, t, shape, dtype=None):
    """``t`` is None or a Tensor of exactly ``shape`` (and of the input's ``dtype``, if given)."""
    if t is None:
        return
    check_tensors(op, **{name: t})
    if tuple(t.shape) != tuple(shape):
        raise ShapeError(f"{op}: {name} has shape {tuple(t.shape)}, expected {tuple(shape)}.")
    if dtype is not None and t.dtype != dtype:
        raise TypeError(
            f"{op}: {name} is {t.dtype!r} but the input is {dtype!r}; convert one of them with .to(...)."
        )
