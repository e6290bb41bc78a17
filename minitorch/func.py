"""``minitorch.func``: PyTorch's functional API for modules, ``functional_call``.

PyTorch's ``torch.func`` also transforms functions (``grad``, ``vmap``, ``jacrev``); minitorch has
``minitorch.autograd.grad`` and ``minitorch.autograd.functional`` for gradients and Jacobians, and
no vectorizing transform.
"""
from .nn.utils.stateless import _functional_call

__all__ = ["functional_call"]


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True, strict=False):
    """Run ``module(*args, **kwargs)`` with the given tensors in place of its parameters and buffers.

    ``parameter_and_buffer_dicts``: a dict from dotted names (``"encoder.fc.weight"``) to tensors, or
    a sequence of such dicts (a name in two of them is an error). The module's own tensors are put
    back afterwards, also when the call raises; gradients flow into the given tensors. ``args``: a
    tuple of positional arguments, or one argument. ``tie_weights``: a tensor the module shares
    under several names (tied embeddings) is replaced under all of them when one is given.
    ``strict``: every parameter and buffer must be given, and nothing else.

    >>> import minitorch
    >>> lin = minitorch.nn.Linear(2, 1)
    >>> w = minitorch.ones(1, 2, requires_grad=True)
    >>> out = functional_call(lin, {"weight": w, "bias": minitorch.zeros(1)}, minitorch.tensor([[1.0, 2.0]]))
    >>> out.backward(); w.grad.tolist()
    [[1.0, 2.0]]
    """
    return _functional_call(module, parameter_and_buffer_dicts, args, kwargs, tie_weights, strict)
