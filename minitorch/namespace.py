"""The op functions at the top level (``minitorch.exp(x)``, ``minitorch.cat([a, b])``), as in PyTorch.

``cat``, ``stack`` and ``where`` take several tensors and are written here. Every other
function form only calls the Tensor method of the same name (``minitorch.exp(x)`` is
``x.exp()``), so it is made from the op catalog (``minitorch/functions/catalog/``): same
parameters (``input`` for ``self``), same docstring.
"""
import inspect

import numpy as np

from . import checks, dtypes
from . import functions as ops
from .autograd.names import rename
from .creation import _out
from .functions.catalog import OPS
from .tensor import Tensor
from .tensor_methods.reduction import dim_alias


def cat(tensors, dim=0):
    """Join tensors along an existing dimension ``dim``.

    >>> import minitorch
    >>> minitorch.cat([minitorch.zeros(1, 2), minitorch.ones(1, 2)]).tolist()
    [[0.0, 0.0], [1.0, 1.0]]
    """
    tensors = _promoted(checks.tensors("cat", tensors))
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"cat: zero-dimensional tensor (at position {i}) cannot be concatenated; "
                               f"give it a dimension first (t.unsqueeze(0) or t.view(1)), or use stack.")
    joined = [t for t in tensors if t.shape != (0,)]  # PyTorch skips legacy empty tensors: cat([Tensor(), x])
    if joined and len(joined) < len(tensors):
        tensors = joined
    return ops.Cat.apply(checks.dim("cat", dim, tensors[0].ndim), *tensors)


concat = concatenate = cat


def stack(tensors, dim=0):
    """Stack same-shaped tensors along a new dimension ``dim``.

    >>> import minitorch
    >>> minitorch.stack([minitorch.zeros(2), minitorch.ones(2)], dim=1).tolist()
    [[0.0, 1.0], [0.0, 1.0]]
    """
    tensors = _promoted(checks.tensors("stack", tensors, empty_error=RuntimeError))
    return ops.Stack.apply(checks.dim("stack", dim, tensors[0].ndim + 1), *tensors)


def where(condition, input, other):
    """``input`` where ``condition`` is True, else ``other`` (all three broadcast).

    >>> import minitorch
    >>> x = minitorch.tensor([-1.0, 2.0])
    >>> minitorch.where(x > 0, x, 0.0).tolist()
    [0.0, 2.0]
    """
    return input.where(condition, other) if isinstance(input, Tensor) else _where(condition, input, other)


def _where(condition, input, other):
    """``where`` with a number as ``input``: the tensor is other (or, with two numbers, condition)."""
    if isinstance(other, Tensor):
        return other.where(condition.logical_not(), input)
    dtype = dtypes.common_dtype(input, other)
    return Tensor._make(np.asarray(input, dtype.np_dtype), False, None, condition.device).where(condition, other)


def rsub(input, other, *, alpha=1):
    """other - alpha * input: ``sub`` with its operands swapped (``other`` a tensor or a number).

    >>> import minitorch
    >>> minitorch.rsub(minitorch.tensor([1.0, 2.0]), 10, alpha=2).tolist()
    [8.0, 6.0]
    """
    if isinstance(other, Tensor):
        return rename(other.sub(input, alpha=alpha), "RsubBackward0")
    return (input if alpha == 1 else input * alpha).__rsub__(other)


def _promoted(tensors):
    """``tensors`` converted to their common dtype (PyTorch's promotion: float32 with int64 is float32)."""
    dtype = dtypes.common_dtype(*tensors)
    return [t if t.dtype == dtype else t.to(dtype) for t in tensors]


@dim_alias
def std_mean(input, dim=None, *, correction=1, keepdim=False):
    """(std, mean) over ``dim``, as two tensors: ``(input.std(...), input.mean(...))``.

    >>> import minitorch
    >>> minitorch.std_mean(minitorch.tensor([1.0, 3.0]))
    (tensor(1.4142), tensor(2.))
    """
    return input.std(dim, keepdim, correction=correction), input.mean(dim, keepdim)


@dim_alias
def var_mean(input, dim=None, *, correction=1, keepdim=False):
    """(var, mean) over ``dim``, as two tensors: ``(input.var(...), input.mean(...))``.

    >>> import minitorch
    >>> minitorch.var_mean(minitorch.tensor([1.0, 3.0]), correction=0)
    (tensor(1.), tensor(2.))
    """
    return input.var(dim, keepdim, correction=correction), input.mean(dim, keepdim)


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None):
    """Where each value of ``input`` would go in ``sorted_sequence`` (sorted along its last dim; its
    leading dims match ``input``'s) to keep it sorted: before equal elements, or after them with
    ``right=True`` or ``side="right"``. ``sorter`` holds the indices that sort an unsorted sequence.

    >>> import minitorch
    >>> minitorch.searchsorted(minitorch.tensor([1, 3, 5]), minitorch.tensor([3, 6])).tolist()
    [1, 3]
    """
    if side is not None:
        checks.choice("searchsorted", "side", side, ("left", "right"))
        if right and side == "left":
            raise RuntimeError("searchsorted: right=True and side='left' contradict each other.")
        right = side == "right"
    if sorter is not None:
        sorted_sequence = sorted_sequence.gather(-1, sorter)
    values = input if isinstance(input, Tensor) else _scalar_tensor(input, sorted_sequence)
    if sorted_sequence.ndim == 0:
        raise RuntimeError("searchsorted: sorted_sequence must have at least 1 dimension, got a 0-d tensor.")
    if sorted_sequence.ndim > 1 and tuple(sorted_sequence.shape[:-1]) != tuple(values.shape[:-1]):
        raise RuntimeError(
            f"searchsorted: the leading dims of sorted_sequence {tuple(sorted_sequence.shape)} and of input "
            f"{tuple(values.shape)} must match; or pass a 1-d sorted_sequence."
        )
    if sorted_sequence.dtype == values.dtype == dtypes.bool_:  # PyTorch has no kernel for it
        raise NotImplementedError("searchsorted: a bool sequence with bool values is not supported (as in "
                                  "PyTorch); convert both with .int() first.")
    return ops.SearchSorted.apply(sorted_sequence, values, right, np.int32 if out_int32 else np.int64)


def bucketize(input, boundaries, *, out_int32=False, right=False):
    """The bucket of each element of ``input`` between the sorted 1-d ``boundaries``: i with
    boundaries[i-1] < x <= boundaries[i] (boundaries[i-1] <= x < boundaries[i] with ``right=True``).

    >>> import minitorch
    >>> minitorch.bucketize(minitorch.tensor([1, 4, 9]), minitorch.tensor([2, 4, 6])).tolist()
    [0, 1, 3]
    """
    if checks.tensor("bucketize", "boundaries", boundaries).ndim != 1:
        raise RuntimeError(f"bucketize: boundaries must be 1-d, got shape {tuple(boundaries.shape)}.")
    with checks.called_as("bucketize", "searchsorted"):
        return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def _scalar_tensor(value, like):
    """A Python number as a 0-d tensor on ``like``'s device."""
    return Tensor._make(np.asarray(value), False, None).to(like.device)


def _function_form(name):
    """``minitorch.<name>(input, ...)``: calls ``input.<name>(...)``, with the method's signature and
    doc; it also takes PyTorch's ``out=`` (the result written into the given tensor, or tuple of
    tensors), which the signature leaves out, as the catalog's PyTorch signatures do."""
    method = getattr(Tensor, name)
    parameters = list(inspect.signature(method).parameters.values())
    if any(p.name == "out" for p in parameters):
        def function(input, *args, **kwargs):
            return getattr(input, name)(*args, **kwargs)
    else:
        def function(input, *args, out=None, **kwargs):
            return _into(name, getattr(input, name)(*args, **kwargs), out)
    function.__signature__ = inspect.Signature([parameters[0].replace(name="input")] + parameters[1:])
    function.__name__ = function.__qualname__ = name
    function.__doc__ = method.__doc__
    function.__module__ = __name__
    return function


def _into(name, result, out):
    """``result``, or with ``out=`` the tensor (or the tuple of tensors) ``out``, given its values."""
    if out is None or not isinstance(result, tuple):
        return _out(name, result, out)
    if not isinstance(out, (tuple, list)) or len(out) != len(result):
        raise TypeError(f"{name}(): out= must be a tuple of {len(result)} tensors, got {type(out).__name__}.")
    for target, value in zip(out, result):
        _out(name, value, target)
    return type(result)(*out) if hasattr(result, "_fields") else tuple(out)


_DELEGATING = [op.name for op in OPS if op.method and op.namespace]
#: PyTorch's top-level in-place functions (``minitorch.sin_(x)`` is ``x.sin_()``).
_IN_PLACE = [
    "abs_", "acos_", "acosh_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_", "arctanh_", "asin_",
    "asinh_", "atan_", "atanh_", "ceil_", "clamp_", "clamp_max_", "clamp_min_", "clip_", "cos_", "cosh_",
    "deg2rad_", "detach_", "erf_", "erfc_", "exp2_", "exp_", "expm1_", "fill_", "fix_", "floor_", "frac_",
    "gcd_", "index_put_", "lcm_", "ldexp_", "log10_", "log1p_", "log2_", "log_", "nan_to_num_", "neg_",
    "negative_", "rad2deg_", "reciprocal_", "relu_", "round_", "rsqrt_", "sigmoid_", "sin_", "sinc_", "sinh_",
    "sqrt_", "square_", "tan_", "tanh_", "trunc_", "xlogy_", "zero_", "addmv_",
]
#: Tensor methods PyTorch also offers as functions that the catalog does not list (no op of their own).
_METHOD_FORMS = ["detach", "ravel", "is_nonzero", "is_same_size", "is_signed", "get_device", "conj", "resolve_conj",
                 "resolve_neg", "is_conj", "is_neg"]
globals().update({name: _function_form(name) for name in _DELEGATING + _IN_PLACE + _METHOD_FORMS})
_tensor_pow = pow  # noqa: F821  (the generated form above)


def pow(input, exponent, *, out=None):  # noqa: A001  (PyTorch's name)
    """input ** exponent, elementwise; ``input`` may also be a Python number, as in PyTorch's
    ``pow(Number self, Tensor exponent)`` (``torch.pow(10000, torch.arange(0, 8, 2) / 8)``).

    >>> import minitorch
    >>> minitorch.pow(2, minitorch.tensor([0.0, 1.0, 3.0])).tolist()
    [1.0, 2.0, 8.0]
    """
    if isinstance(input, (bool, int, float)) and isinstance(exponent, Tensor):
        return _into("pow", exponent.__rpow__(input), out)
    return _tensor_pow(input, exponent, out=out)


pow.__signature__ = _tensor_pow.__signature__  # PyTorch's documented parameters (out= left out, as above)

__all__ = ["cat", "concat", "concatenate", "stack", "where", "std_mean", "var_mean", "searchsorted", "bucketize", "rsub",
           *_DELEGATING, *_IN_PLACE, *_METHOD_FORMS]
