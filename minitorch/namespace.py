"""The op functions at the top level (``minitorch.exp(x)``, ``minitorch.cat([a, b])``), as in PyTorch.

``cat``, ``stack`` and ``where`` take several tensors and are written here. Every other
function form only calls the Tensor method of the same name (``minitorch.exp(x)`` is
``x.exp()``), so it is made from the op catalog (``minitorch/functions/catalog.py``): same
parameters (``input`` for ``self``), same docstring.
"""
import inspect

from . import checks
from . import functions as ops
from .functions.catalog import OPS
from .tensor import Tensor


def cat(tensors, dim=0):
    """Join tensors along an existing dimension ``dim``.

    >>> import minitorch
    >>> minitorch.cat([minitorch.zeros(1, 2), minitorch.ones(1, 2)]).tolist()
    [[0.0, 0.0], [1.0, 1.0]]
    """
    tensors = checks.tensors("cat", tensors)
    return ops.Cat.apply(checks.dim("cat", dim, tensors[0].ndim), *tensors)


concat = concatenate = cat


def stack(tensors, dim=0):
    """Stack same-shaped tensors along a new dimension ``dim``.

    >>> import minitorch
    >>> minitorch.stack([minitorch.zeros(2), minitorch.ones(2)], dim=1).tolist()
    [[0.0, 1.0], [0.0, 1.0]]
    """
    tensors = checks.tensors("stack", tensors)
    return ops.Stack.apply(checks.dim("stack", dim, tensors[0].ndim + 1), *tensors)


def where(condition, input, other):
    """``input`` where ``condition`` is True, else ``other`` (all three broadcast).

    >>> import minitorch
    >>> x = minitorch.tensor([-1.0, 2.0])
    >>> minitorch.where(x > 0, x, 0.0).tolist()
    [0.0, 2.0]
    """
    condition = condition._array if isinstance(condition, Tensor) else condition
    return ops.Where.apply(condition, input, other)


def _function_form(name):
    """``minitorch.<name>(input, ...)``: calls ``input.<name>(...)``, with the method's signature and doc."""
    method = getattr(Tensor, name)

    def function(input, *args, **kwargs):
        return getattr(input, name)(*args, **kwargs)

    parameters = list(inspect.signature(method).parameters.values())
    function.__signature__ = inspect.Signature([parameters[0].replace(name="input")] + parameters[1:])
    function.__name__ = function.__qualname__ = name
    function.__doc__ = method.__doc__
    function.__module__ = __name__
    return function


_DELEGATING = [op.name for op in OPS if op.method and op.namespace]
globals().update({name: _function_form(name) for name in _DELEGATING})

__all__ = ["cat", "concat", "concatenate", "stack", "where", *_DELEGATING]
