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


# ------------------------------------------------ PyTorch's torch.autograd.functional, first order
def _inputs_for(op, inputs):
    """(is a tuple, fresh leaves that require grad holding the values of ``inputs``)."""
    is_tuple = isinstance(inputs, (tuple, list))
    values = _as_tuple(f"{op}: inputs", inputs)
    for i, x in enumerate(values):
        if x._array.dtype.kind != "f":
            raise TypeError(f"{op}: input {i} must be a floating-point tensor, got {x.dtype}.")
    return is_tuple, tuple(x.detach().requires_grad_() for x in values)


def _first_order_only(op, create_graph):
    if create_graph:
        raise NotImplementedError(f"{op}(create_graph=True): higher-order gradients are not supported; "
                                  f"every op's backward works on raw arrays, outside the graph.")


def _pullback(outputs, leaves, grad_outputs):
    """sum_k <grad_outputs[k], d outputs[k] / d leaf> for each leaf (zeros where unused), as tensors."""
    live = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    if not live:
        return tuple(x.detach() * 0 for x in leaves)
    outs, grads = zip(*live)
    return grad(outs, leaves, grads, retain_graph=True, allow_unused=True, materialize_grads=True)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """d func(*inputs) / d inputs: for an output of shape O and an input of shape I, a tensor of
    shape O + I. One tensor for one input and one output; a tuple over inputs (or outputs), a tuple
    of tuples [output][input] for both. One backward pass per output element (``vectorize`` and
    ``strategy`` are accepted; this is always reverse mode, row by row).

    >>> import minitorch
    >>> minitorch.autograd.functional.jacobian(lambda x: x ** 2, minitorch.tensor([1.0, 3.0]))
    tensor([[2., 0.],
            [0., 6.]])
    """
    _first_order_only("jacobian", create_graph)
    is_tuple_in, leaves = _inputs_for("jacobian", inputs)
    result = func(*leaves)
    is_tuple_out = isinstance(result, (tuple, list))
    outputs = _as_tuple("jacobian: outputs of func", result)
    if strict and not all(o.requires_grad for o in outputs):
        raise RuntimeError("jacobian(strict=True): an output of func does not depend on the inputs.")
    Tensor = tensor_class()
    rows = []
    for out in outputs:
        per_input = [[] for _ in leaves]
        for k in range(out.numel()):
            seed = np.zeros(out._array.size, dtype=out._array.dtype)
            seed[k] = 1
            seed = Tensor._make(seed.reshape(out._array.shape), False, None).to(out.device)
            for column, g in zip(per_input, _pullback((out,), leaves, (seed,))):
                column.append(g)
        rows.append(tuple(_stack(column, out.shape, x) for column, x in zip(per_input, leaves)))
    rows = [r if is_tuple_in else r[0] for r in rows]
    return tuple(rows) if is_tuple_out else rows[0]


def _stack(gradients, out_shape, x):
    """The Jacobian block d out / d x (shape out_shape + x.shape) from one gradient per output element."""
    if not gradients:
        return x.detach().new_zeros(tuple(out_shape) + tuple(x.shape))
    return tensor_class()._make(np.stack([g._array for g in gradients]).reshape(tuple(out_shape) + tuple(x.shape)),
                                False, None, x._device)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(*inputs), v^T J): the vector-Jacobian product, one backward pass; ``v`` has the output's
    shape (it may be None for a one-element output). The second item is shaped like ``inputs``.

    >>> import minitorch
    >>> out, g = minitorch.autograd.functional.vjp(lambda x: x ** 2, minitorch.tensor([1.0, 3.0]), minitorch.ones(2))
    >>> g
    tensor([2., 6.])
    """
    _first_order_only("vjp", create_graph)
    is_tuple_in, leaves = _inputs_for("vjp", inputs)
    result = func(*leaves)
    outputs = _as_tuple("vjp: outputs of func", result)
    v = _vector("vjp", v, outputs, "output of func")
    products = _pullback(outputs, leaves, v)
    detached = tuple(o.detach() for o in outputs)
    return (detached if isinstance(result, (tuple, list)) else detached[0]), (products if is_tuple_in else products[0])


def _vector(op, v, against, what):
    """``v`` as a tuple shaped like ``against`` (func's outputs for vjp, its inputs for jvp); None
    stands for 1 when ``against`` is a single element."""
    if v is None:
        if any(t.numel() != 1 for t in against):
            raise RuntimeError(f"{op}: v can only be None if the {what} has a single element.")
        v = tuple(t.detach() * 0 + 1 for t in against)
    v = _as_tuple(f"{op}: v", v)
    for t, g in zip(against, v):
        if tuple(t.shape) != tuple(g.shape):
            raise RuntimeError(f"{op}: v has shape {tuple(g.shape)} but the {what} has shape {tuple(t.shape)}.")
    return v


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(*inputs), J v): the Jacobian-vector product, ``v`` shaped like ``inputs`` (None for a
    one-element input). Computed from the full Jacobian (``jacobian``, one backward per output
    element): minitorch has no forward-mode autodiff.

    >>> import minitorch
    >>> out, t = minitorch.autograd.functional.jvp(lambda x: x ** 2, minitorch.tensor([1.0, 3.0]), minitorch.ones(2))
    >>> t
    tensor([2., 6.])
    """
    _first_order_only("jvp", create_graph)
    is_tuple_in, leaves = _inputs_for("jvp", inputs)
    v = _vector("jvp", v, leaves, "input to func")
    result = func(*leaves)
    is_tuple_out = isinstance(result, (tuple, list))
    outputs = _as_tuple("jvp: outputs of func", result)
    blocks = jacobian(func, tuple(leaves))
    blocks = blocks if is_tuple_out else (blocks,)
    products = []
    for out, row in zip(outputs, blocks):
        total = out.detach() * 0
        for block, t in zip(row, v):
            total = total + (block.reshape(out.numel(), -1) @ t.reshape(-1).to(block.dtype)).reshape(out.shape)
        products.append(total)
    detached = tuple(o.detach() for o in outputs)
    return ((detached, tuple(products)) if is_tuple_out else (detached[0], products[0]))


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    """PyTorch's second derivatives of a scalar function: not available here. A Hessian needs the
    gradient of a gradient, and minitorch's backwards run on raw arrays, outside the graph (by
    design), so there is no double backward. Raises NotImplementedError."""
    raise NotImplementedError(
        "hessian: second derivatives need double backward (the gradient of a gradient), and minitorch's "
        "backwards run on raw arrays outside the graph, by design. Use jacobian of a hand-written gradient, "
        "or finite differences of autograd.grad."
    )
