"""``backward()``: walk the graph from the output to the leaves, applying the chain rule.

1. Order the nodes topologically (iteratively, so a graph thousands of ops deep
   never hits Python's recursion limit): a node runs only after every node that
   uses its output has passed its gradient down.
2. Run each node's hand-written backward on the gradient of its output.
3. Check that each gradient has its input's shape, then add it (``+=``) to what
   that input already received: a tensor used twice gets both contributions.
4. Leaves (tensors you created with ``requires_grad=True``) keep their sum in
   ``.grad``, which accumulates across calls until you zero it.
5. Unless ``retain_graph=True``, each node releases its saved arrays once it has
   run, so the graph's memory is freed and a second backward raises an error.
"""
import weakref

import numpy as np

from ..errors import ShapeError
from .anomaly import _Anomaly, check_finite
from . import hooks
from .function import Op, tensor_class
from .grad_mode import set_grad_enabled


def topological_order(*roots):
    """Nodes reachable from ``roots``, each before the nodes that produced its inputs."""
    ### BEGIN SOLUTION 2.7: every node reachable from roots once, each before the nodes that made its inputs, without recursion
    order, visited = [], set()
    stack = [(root, False) for root in reversed(roots)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))
        for edge in node.edges or ():
            if isinstance(edge, Op) and edge not in visited:
                stack.append((edge, False))
    order.reverse()
    return order
    ### END SOLUTION


def accumulate_leaf_grad(leaf, grad):
    """``leaf.grad += grad``, creating ``.grad`` (an owned copy in the leaf's dtype) the first time; then
    the leaf's post-accumulate hooks (``Tensor.register_post_accumulate_grad_hook``) run."""
    ### BEGIN SOLUTION 2.8: add grad to leaf.grad, creating it the first time as an owned C-ordered copy in the leaf's dtype
    if leaf._grad is None:  # (the engine's own gradient: no need for the checks of `leaf.grad = ...`)
        owned = grad.astype(leaf._array.dtype, order="C")[...]  # [...]: a 0-d array, not a numpy scalar
        leaf._grad = tensor_class()._make(owned, False, None, leaf._device)
    else:
        leaf._grad._array += grad
    ### END SOLUTION
    if hooks.POST_ACCUMULATE:
        hooks.run_post_accumulate(leaf)


def _check_gradient_shape(node, index, grad, expected):
    if grad.shape != expected:
        raise ShapeError(
            f"{node.title()}.backward returned a gradient of shape {tuple(grad.shape)} for input {index}, "
            f"whose shape is {tuple(expected)}. Was a broadcast undone? A gradient must be summed "
            f"over the dimensions that forward broadcast, so that it has its input's shape."
        )


def _call_backward(node, grad):
    ### BEGIN SOLUTION 2.8: run node's backward on grad (a freed graph or a changed saved tensor is an error); return a tuple of one gradient per edge
    if node.edges is None:
        raise RuntimeError(
            f"Trying to backward through the graph a second time (at {node.title()}): its saved "
            f"arrays were freed after the first backward. Pass retain_graph=True to the first "
            f"backward() if you need to call it twice, or recompute the forward pass."
        )
    node.check_versions()
    grads = node.backward(node, grad)
    if not isinstance(grads, tuple):
        grads = (grads,)
    if len(grads) < len(node.edges):
        grads = grads + (None,) * (len(node.edges) - len(grads))
    return grads
    ### END SOLUTION


def initial_gradient(tensor, gradient=None, what="backward()"):
    """The gradient a backward pass starts from at ``tensor``: ``gradient`` as an array of the
    tensor's shape, dtype and device, or ones for a one-element tensor."""
    ### BEGIN SOLUTION 2.8: return the starting gradient (ones for a one-element tensor), or a clear error: no graph, no scalar, another device or shape
    if not tensor.requires_grad:
        raise RuntimeError(
            f"{what} was called on a tensor that does not require grad, so no graph leads to it. "
            "Create the inputs with requires_grad=True (or call .requires_grad_()), and make sure "
            "the forward pass did not run under minitorch.no_grad()."
        )
    if gradient is None:
        if tensor._array.size != 1:
            raise RuntimeError(
                f"{what} without a gradient argument needs a scalar output, but this tensor has "
                f"shape {tuple(tensor.shape)}. Reduce it first (loss = out.sum() or out.mean()), or pass "
                f"gradient=<tensor of shape {tuple(tensor.shape)}> holding dLoss/d(this tensor)."
            )
        return np.ones_like(tensor._array)
    if isinstance(gradient, tensor_class()) and gradient._device != tensor._device:
        raise RuntimeError(
            f"{what}: gradient is on '{gradient._device}' but the tensor is on "
            f"'{tensor._device}'; move it with .to('{tensor._device}')."
        )
    grad = tensor._on_my_device(gradient)
    if grad.shape != tensor._array.shape:
        raise ShapeError(
            f"{what}: gradient has shape {tuple(grad.shape)} but the tensor has shape "
            f"{tuple(tensor.shape)}; they must match."
        )
    return grad.astype(tensor._array.dtype, copy=False)
    ### END SOLUTION


def run_backward(tensor, gradient=None, retain_graph=False, inputs=None):
    """Compute d(tensor)/d(leaf) for every leaf that requires grad, or only for ``inputs`` (a tensor
    or a sequence: leaves or computed tensors) when given; see ``Tensor.backward``."""
    ### BEGIN SOLUTION 2.8: backpropagate from tensor; with inputs= (a tensor or a non-empty sequence of tensors that require grad) only their .grad receives
    roots = [(tensor, initial_gradient(tensor, gradient))]
    if inputs is None:
        backpropagate(roots, retain_graph)
        return
    inputs = [inputs] if isinstance(inputs, tensor_class()) else list(inputs)
    if not inputs:
        raise RuntimeError("backward: inputs= must be a non-empty sequence of tensors (or None for every leaf).")
    for x in inputs:
        if not isinstance(x, tensor_class()) or not x.requires_grad:
            raise RuntimeError(f"backward: every tensor in inputs= must require grad, got "
                               f"{x if not isinstance(x, tensor_class()) else 'a tensor that does not'}.")
    wanted = {id(x._node or x): None for x in inputs}
    backpropagate(roots, retain_graph, wanted)
    for x in inputs:
        grad = wanted[id(x._node or x)]
        if grad is not None:
            accumulate_leaf_grad(x, grad)
    ### END SOLUTION


def _add(total, grad):
    return grad if total is None else total + grad


def backpropagate(roots, retain_graph=False, wanted=None):
    """The backward walk from ``roots``, pairs (tensor, d(loss)/d(tensor) as an array), together.

    With ``wanted`` None, leaves add their gradient to ``.grad`` (``backward()``). Otherwise
    ``wanted`` maps ``id(x)`` to None, for x a leaf tensor or a node (the ``_node`` of a computed
    tensor), and receives their gradients instead; no ``.grad`` changes (``autograd.grad``).

    The walk keeps ``pending`` (node -> the sum of the gradients its output received so far) and,
    unless ``direct`` (no hooks, no ``wanted``: a leaf's gradient goes to ``.grad`` at once with
    ``accumulate_leaf_grad``), ``leaves`` (filled by ``_collect``, delivered by ``_leaf_edges_done``
    once a node has passed its gradients down). ``anomaly`` mode checks every gradient with
    ``check_finite``; ``_check_gradient_shape`` checks one against the shape it must have (a node's
    ``out_shape``, None once freed, or a leaf's array's shape).
    """
    pending, leaves = {}, {}
    direct = wanted is None and not (hooks.HOOKS or hooks.POST_ACCUMULATE)  # no hook needs a leaf's whole gradient
    for tensor, grad in roots:
        if tensor._node is None:  # a root that is a leaf: its gradient is just `grad`
            _collect(leaves, tensor, grad)
        else:
            pending[tensor._node] = _add(pending.get(tensor._node), grad)
    order = topological_order(*pending)
    below = None if wanted is None else _reaching(order, wanted)
    # A leaf's hooks run as soon as its last contribution arrives (DDP starts a bucket's
    # allreduce there, while backward goes on): count the edges that reach each leaf.
    remaining = None if direct else _leaf_edge_counts(order)
    with set_grad_enabled(False):
        for node in order:
            grad = pending.pop(node, None)
            if grad is None:  # every path through this node was cut (no grad needed)
                _leaf_edges_done(node, remaining, leaves, wanted)
                continue
            if hooks.HOOKS:  # tensor hooks (register_hook) exist somewhere: run this node's
                grad = hooks.run(node, grad, node.out_device or node.device)
            if wanted is None:
                if node.retained is not None and node.retained() is not None:
                    accumulate_leaf_grad(node.retained(), grad)
            elif id(node) in wanted:
                wanted[id(node)] = _add(wanted[id(node)], grad)
            if below is not None and node not in below:  # nothing wanted lies below: PyTorch stops here too,
                _leaf_edges_done(node, remaining, leaves, wanted)  # keeping the rest of the graph for later
                continue
            ### BEGIN SOLUTION 2.8: pass node's input gradients down: shape-checked, summed per node (pending) or per leaf; then free the node unless retain_graph
            input_grads = _call_backward(node, grad)
            for index, (edge, g) in enumerate(zip(node.edges, input_grads)):
                if edge is None or g is None:
                    continue
                if _Anomaly.enabled:
                    check_finite(node.title(), "backward", g, index)
                if isinstance(edge, Op):
                    if edge.out_shape is not None:  # None: freed by an earlier backward, which _call_backward reports
                        _check_gradient_shape(node, index, g, edge.out_shape)
                    pending[edge] = _add(pending.get(edge), g)
                else:
                    _check_gradient_shape(node, index, g, edge._array.shape)
                    if direct:
                        accumulate_leaf_grad(edge, g)
                    else:
                        _collect(leaves, edge, g)
            _leaf_edges_done(node, remaining, leaves, wanted)
            if not retain_graph:
                node.release()
            ### END SOLUTION
        for leaf, grad in list(leaves.values()):  # leaves that were roots themselves
            _deliver(leaf, grad, wanted)


def _reaching(order, wanted):
    """The nodes of ``order`` (roots first) from which a ``wanted`` node or leaf lies strictly below:
    the only ones ``autograd.grad`` must run (and free)."""
    reaching = set()
    for node in reversed(order):
        if any(edge is not None and (id(edge) in wanted or edge in reaching) for edge in node.edges or ()):
            reaching.add(node)
    return reaching


def _leaf_edge_counts(order):
    """For each leaf (by id), how many edges of the nodes in ``order`` lead to it."""
    counts = {}
    for node in order:
        for edge in node.edges or ():
            if edge is not None and not isinstance(edge, Op):
                counts[id(edge)] = counts.get(id(edge), 0) + 1
    return counts


def _leaf_edges_done(node, remaining, leaves, wanted):
    """``node`` has passed its gradients down: deliver each leaf that has now received all of its
    gradient (its hooks see the whole gradient, once)."""
    if remaining is None:
        return
    for edge in node.edges or ():
        if edge is not None and not isinstance(edge, Op):
            remaining[id(edge)] -= 1
            if remaining[id(edge)] == 0 and id(edge) in leaves:
                _deliver(*leaves.pop(id(edge)), wanted)


def _collect(leaves, leaf, grad):
    """Add ``grad`` to what ``leaf`` has received so far in this walk."""
    total = leaves.get(id(leaf))
    leaves[id(leaf)] = (leaf, grad if total is None else total[1] + grad)


def _deliver(leaf, grad, wanted):
    """Run the leaf's hooks on its whole gradient, then store it in ``.grad`` or ``wanted``."""
    if hooks.HOOKS:
        grad = hooks.run(leaf, grad, leaf._device)
    if wanted is None:
        accumulate_leaf_grad(leaf, grad)
    elif id(leaf) in wanted:
        wanted[id(leaf)] = _add(wanted[id(leaf)], grad)


def retain_grad(tensor):
    """Ask a non-leaf tensor to keep its ``.grad`` after backward (see ``Tensor.retain_grad``)."""
    if tensor._node is not None:
        tensor._node.retained = weakref.ref(tensor)
