"""``minitorch.autograd.grad`` and ``minitorch.autograd.backward``: the backward walk as functions.

``backward(tensors, grad_tensors)`` is ``Tensor.backward`` for several outputs at once (one walk,
so that outputs sharing a graph need no ``retain_graph``). ``grad(outputs, inputs)`` returns
d(outputs)/d(inputs) instead of adding it to ``.grad``: nothing's ``.grad`` changes.
"""
import numpy as np

from . import engine
from .function import tensor_class


def _as_tuple(what, value):
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    Tensor = tensor_class()
    for i, v in enumerate(values):
        if not isinstance(v, Tensor):
            raise TypeError(f"autograd: {what} must be tensors, but element {i} is a {type(v).__name__}.")
    return values


def _roots(what, tensors, grad_tensors):
    """(tensor, starting gradient) pairs, with PyTorch's checks and error messages."""
    tensors = _as_tuple(what, tensors)
    if grad_tensors is None:
        grad_tensors = (None,) * len(tensors)
    elif isinstance(grad_tensors, tensor_class()):
        grad_tensors = (grad_tensors,)
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(
            f"autograd: got {len(grad_tensors)} gradients for {len(tensors)} {what}; pass one per "
            f"tensor (None for a one-element tensor)."
        )
    roots = []
    for i, (t, g) in enumerate(zip(tensors, grad_tensors)):
        if not t.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn: no graph "
                f"leads to it. Did the forward pass run under no_grad(), or do the inputs lack "
                f"requires_grad=True?"
            )
        roots.append((t, engine.initial_gradient(t, g, f"autograd ({what}[{i}])")))
    return roots


def _no_higher_order(create_graph):
    if create_graph:
        raise NotImplementedError(
            "create_graph=True: higher-order gradients are not supported in minitorch by design; "
            "every op's backward works on raw arrays, outside the graph."
        )


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None,
             inputs=None):
    """Add d(sum of tensors)/d(leaf) to ``.grad`` for each leaf (``Tensor.backward`` for several
    outputs). ``grad_tensors``: one starting gradient per tensor (None for one-element tensors).
    ``inputs``: only these tensors (leaves or not) receive ``.grad``.

    >>> import minitorch
    >>> x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    >>> minitorch.autograd.backward([(x * x).sum(), x.sum()])
    >>> x.grad
    tensor([3., 5.])
    """
    _no_higher_order(create_graph)
    roots = _roots("tensors", tensors, grad_variables if grad_tensors is None else grad_tensors)
    if inputs is None:
        engine.backpropagate(roots, bool(retain_graph))
        return
    inputs = _as_tuple("inputs", inputs)
    for t, g in zip(inputs, _gradients(roots, inputs, bool(retain_graph))):
        if g is not None:
            engine.accumulate_leaf_grad(t, g)


def _gradients(roots, inputs, retain_graph):
    """The gradient arrays of ``inputs`` (None where none arrived), leaving ``.grad`` alone."""
    keys = [id(t._node or t) for t in inputs]
    wanted = dict.fromkeys(keys)
    engine.backpropagate(roots, retain_graph, wanted)
    return [wanted[k] for k in keys]


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """d(sum of outputs)/d(each input), as a tuple of tensors; no ``.grad`` changes.

    - ``grad_outputs``: one starting gradient per output (None for one-element outputs).
    - ``allow_unused``: an input that the outputs do not depend on raises an error, unless this is
      True; it then gets None (or zeros with ``materialize_grads=True``).
    - ``retain_graph``: keep the graph for another backward (freed by default, as in backward()).
    - ``create_graph=True`` raises NotImplementedError: no higher-order gradients here, by design.
      ``is_grads_batched=True`` (vmap) is not supported either; ``only_inputs`` is ignored, as in
      PyTorch.

    >>> import minitorch
    >>> x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    >>> (dx,) = minitorch.autograd.grad((x ** 3).sum(), x)
    >>> dx, x.grad
    (tensor([ 3., 12.]), None)
    """
    _no_higher_order(create_graph)
    if is_grads_batched:
        raise NotImplementedError("autograd.grad: is_grads_batched=True (vmap) is not supported.")
    if materialize_grads and allow_unused is False:
        raise ValueError("autograd.grad: materialize_grads=True needs allow_unused True or unset.")
    allow_unused = materialize_grads if allow_unused is None else allow_unused
    roots = _roots("outputs", outputs, grad_outputs)
    inputs = _as_tuple("inputs", inputs)
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad.")
    results = []
    for i, (t, g) in enumerate(zip(inputs, _gradients(roots, inputs, bool(retain_graph)))):
        if g is None and not allow_unused:
            raise RuntimeError(
                f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
                f"Set allow_unused=True if this is the desired behavior."
            )
        if g is None and materialize_grads:
            g = np.zeros_like(t._array)
        results.append(None if g is None else tensor_class()._make(g.astype(t._array.dtype), False, None, t._device))
    return tuple(results)
