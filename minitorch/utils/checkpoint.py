"""Activation checkpointing (``torch.utils.checkpoint``): trade compute for memory.

``checkpoint(function, *args)`` runs ``function`` and keeps none of its intermediate activations:
only its inputs (and the random-number state) wait for backward. When the gradient arrives, the
node recomputes ``function`` on the same inputs with grad mode on, backpropagates the incoming
gradient through that fresh graph, and passes the gradients on to the inputs and to the
parameters the function used. The gradients equal an uncheckpointed run's exactly: with
``preserve_rng_state`` the recomputation starts from the random state the forward started from,
so dropout draws the same mask (the random stream outside is left where it was).

How the node learns which parameters the function uses: the forward runs once with grad mode on,
the leaves that require grad are read off its graph, and that graph is dropped before
``checkpoint`` returns. So the memory of one segment's activations is held only transiently, as
it is again during its recomputation in backward; across segments, only their inputs stay alive.

The node is a user-level ``autograd.Function`` whose backward runs a backward pass of its own
(``engine.backpropagate`` is reentrant: it keeps its state in locals), so ``loss.backward()``
and ``autograd.grad`` both see checkpointed segments as ordinary ops.
"""
import contextlib
import warnings

from ..autograd.custom_function import Function
from ..autograd.engine import backpropagate, topological_order
from ..autograd import hooks
from ..autograd.function import Op
from ..autograd.grad_mode import enable_grad, is_grad_enabled, no_grad
from ..random import get_rng_state, set_rng_state
from ..tensor import Tensor

__all__ = ["checkpoint", "checkpoint_sequential", "noop_context_fn"]

_NO_KEYWORDS_WITH_REENTRANT = "Unexpected keyword arguments: "


def noop_context_fn():
    """The default ``context_fn``: two context managers that do nothing (forward, recomputation)."""
    return contextlib.nullcontext(), contextlib.nullcontext()


_USE_REENTRANT_ADVICE = (
    "use_reentrant=False is recommended, but if you need to preserve the current default behavior, you can "
    "pass use_reentrant=True. Refer to docs for more details on the differences between the two variants.")


def _warn_use_reentrant(message):
    """PyTorch's warning when ``use_reentrant`` is left out (its words differ between the two functions)."""
    warnings.warn(f"{message} {_USE_REENTRANT_ADVICE}", stacklevel=3)


def _tensors(value):
    """The tensors in ``value``: itself, or the items of a tuple/list (one level, as PyTorch)."""
    items = value if isinstance(value, (tuple, list)) else (value,)
    return [t for t in items if isinstance(t, Tensor)]


def _leaves_reached(outputs, inputs):
    """The leaf tensors that require grad and that the graph behind ``outputs`` reaches, in the
    order first met, without the ``inputs`` themselves (they are the node's own arguments)."""
    roots = [t._node for t in outputs if t._node is not None]
    found, seen = [], {id(t) for t in inputs}
    for node in topological_order(*roots):
        for edge in node.edges or ():
            if edge is not None and not isinstance(edge, Op) and id(edge) not in seen:
                seen.add(id(edge))
                found.append(edge)
    return found


def _detached(inputs):
    """Leaves sharing the inputs' values and ``requires_grad``: the graph the function builds on them
    starts there (what came before the checkpoint is not walked twice)."""
    return [t.detach().requires_grad_(t.requires_grad) for t in inputs]


def _items(outputs):
    """The outputs as a tuple: the items of a tuple or list, or the one output."""
    return tuple(outputs) if isinstance(outputs, (tuple, list)) else (outputs,)


class _Segment:
    """What the checkpoint node remembers: the function, its non-tensor arguments and keywords,
    the random state it started from, the recomputation's context manager."""

    def __init__(self, function, args, kwargs, rng_state, recompute_context):
        self.function, self.args, self.kwargs = function, args, kwargs
        self.rng_state, self.recompute_context = rng_state, recompute_context
        self.outputs = None

    def run(self, inputs, context):
        """``function`` run on ``inputs`` (the tensor arguments, in order) with grad mode on."""
        inputs = iter(inputs)
        args = [next(inputs) if isinstance(a, Tensor) else a for a in self.args]
        with enable_grad(), context:
            return self.function(*args, **self.kwargs)

    def recompute(self, inputs):
        """``run`` again, from the random state the forward had; the stream outside is left as it was."""
        outer_state = None if self.rng_state is None else get_rng_state()
        try:
            if self.rng_state is not None:
                set_rng_state(self.rng_state)
            return self.run(inputs, self.recompute_context)
        finally:
            if outer_state is not None:
                set_rng_state(outer_state)


class CheckpointFunction(Function):
    """The graph node of one ``checkpoint`` call: arguments ``(segment, n_inputs, *inputs, *params)``."""

    @staticmethod
    def forward(ctx, segment, n_inputs, *tensors):
        """The outputs the first (recorded, then dropped) run computed, detached."""
        ctx.segment = segment
        ctx.save_for_backward(*tensors[:n_inputs])
        ctx.params = tensors[n_inputs:]
        return segment.outputs

    @staticmethod
    def backward(ctx, *grads):
        """Recompute the segment and backpropagate ``grads`` into its inputs and parameters."""
        inputs = _detached(ctx.saved_tensors)
        outputs = _items(ctx.segment.recompute(inputs))
        roots = [(o, g._array) for o, g in zip(outputs, grads)
                 if isinstance(o, Tensor) and g is not None and o.requires_grad]
        wanted = {id(t): None for t in [*inputs, *ctx.params] if t.requires_grad}
        if roots:
            # the parameters' own hooks run once, in the outer backward, on their whole gradient
            parked = {key: hooks.HOOKS.pop(key) for key in wanted if key in hooks.HOOKS}
            try:
                backpropagate(roots, retain_graph=False, wanted=wanted)
            finally:
                hooks.HOOKS.update(parked)

        def gradient(t):
            return None if wanted.get(id(t)) is None else Tensor._make(wanted[id(t)], False, None, t._device)

        return (None, None, *map(gradient, inputs), *map(gradient, ctx.params))


def checkpoint(function, *args, use_reentrant=None, context_fn=noop_context_fn, determinism_check="default",
               debug=False, early_stop=True, **kwargs):
    """Run ``function(*args, **kwargs)`` without keeping its activations; recompute them in backward.

    ``preserve_rng_state=True`` (a keyword, as PyTorch) replays the random state in the
    recomputation, so dropout masks match. ``use_reentrant`` selects PyTorch's variant: both
    give the same gradients here (one engine serves both); ``True`` refuses keyword arguments and,
    when no input requires grad, returns outputs that do not require grad, as PyTorch's does.
    Leaving it out warns as PyTorch does and means True. ``context_fn`` returns two context
    managers, entered around the forward and around the recomputation. ``determinism_check``,
    ``debug`` and ``early_stop`` are accepted for PyTorch's sake: the recomputation always runs
    the whole function, and its outputs are not compared with the forward's.

    >>> import minitorch
    >>> from minitorch.utils.checkpoint import checkpoint
    >>> x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    >>> checkpoint(lambda t: (t * t).sum(), x, use_reentrant=False).backward()
    >>> x.grad.tolist()
    [2.0, 4.0]
    """
    if use_reentrant is None:
        _warn_use_reentrant("torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. "
                            "Starting in PyTorch 2.9, calling checkpoint without use_reentrant will raise an exception.")
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs and use_reentrant:
        raise ValueError(_NO_KEYWORDS_WITH_REENTRANT + ",".join(kwargs))
    if use_reentrant and (context_fn is not noop_context_fn or debug is not False):
        raise ValueError("Passing `context_fn` or `debug` is only supported when use_reentrant=False.")
    inputs = [a for a in args if isinstance(a, Tensor)]
    if not is_grad_enabled():
        return function(*args, **kwargs)
    if use_reentrant and not any(t.requires_grad for t in inputs):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None")
        with no_grad():
            return function(*args, **kwargs)
    forward_context, recompute_context = context_fn()
    segment = _Segment(function, args, kwargs, get_rng_state() if preserve else None, recompute_context)
    leaves = _detached(inputs)
    outputs = segment.run(leaves, forward_context)
    params = _leaves_reached(_tensors(outputs), leaves)
    items = tuple(o.detach() if isinstance(o, Tensor) else o for o in _items(outputs))
    segment.outputs = items if isinstance(outputs, (tuple, list)) else items[0]
    result = CheckpointFunction.apply(segment, len(inputs), *inputs, *params)
    segment.outputs = None  # the recorded graph is gone: only the inputs stay for backward
    return list(result) if isinstance(outputs, list) else result


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """Run the modules of ``functions`` (an ``nn.Sequential`` or a list) in order, checkpointing
    the first ``segments - 1`` groups of ``len(functions) // segments`` of them; the last group runs
    as usual. ``preserve_rng_state`` as in ``checkpoint``; ``use_reentrant`` too (left out: a warning).

    >>> import minitorch
    >>> from minitorch.utils.checkpoint import checkpoint_sequential
    >>> net = minitorch.nn.Sequential(minitorch.nn.Linear(2, 2), minitorch.nn.Tanh(), minitorch.nn.Linear(2, 1))
    >>> tuple(checkpoint_sequential(net, 2, minitorch.ones(3, 2), use_reentrant=False).shape)
    (3, 1)
    """
    if use_reentrant is None:
        _warn_use_reentrant("torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be "
                            "passed explicitly. In version 2.9 we will raise an exception if use_reentrant is not passed.")
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError(_NO_KEYWORDS_WITH_REENTRANT + ",".join(kwargs))
    from ..nn.container import Sequential

    if isinstance(functions, Sequential):
        functions = list(functions.children())
    segment_size = len(functions) // segments
    end = -1
    for start in range(0, segment_size * (segments - 1), segment_size):
        end = start + segment_size - 1
        input = checkpoint(_run_range(functions, start, end), input, use_reentrant=use_reentrant,
                           preserve_rng_state=preserve)
    return _run_range(functions, end + 1, len(functions) - 1)(input)


def _run_range(functions, start, end):
    """A function applying ``functions[start..end]`` (inclusive) one after the other."""
    def forward(input):
        for j in range(start, end + 1):
            input = functions[j](input)
        return input

    return forward
