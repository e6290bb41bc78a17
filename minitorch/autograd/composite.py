"""``composite``: a composed op (``mse_loss`` is ``((input - target) ** 2).mean()``) recorded as one
node under PyTorch's name (``MseLossBackward0``), as PyTorch shows it in ``loss.grad_fn``.

The composition runs as it always does, on stand-ins for its inputs (new leaves sharing their
arrays and version counters), so its own small graph forms behind the output. One ``Composite``
node then takes its place in the big graph: its edges are the real inputs', and its backward runs
the composition's graph from the output back to the stand-ins (``backpropagate``). No math is
written twice: the composition's ops keep their hand-written backwards.
"""
import functools
import inspect

from .engine import backpropagate
from .function import Op, tensor_class
from .grad_mode import _GradMode
from .names import rename


class Composite(Op):
    """y = f(inputs) for a composition f of recorded ops;  dy/dinputs: f's own graph, run backwards."""

    graph = None  # (the composition's output, the stand-ins for the inputs that need a gradient)

    @staticmethod
    def backward(ctx, grad):
        output, stand_ins = ctx.graph
        wanted = {id(t): None for t in stand_ins if t is not None}
        backpropagate([(output, grad)], retain_graph=True, wanted=wanted)  # freed with this node
        return tuple(None if t is None else wanted[id(t)] for t in stand_ins)


def composite(name, function, *inputs, shown=None):
    """``function(*inputs)`` (one tensor, or a named tuple of a tensor and tensors that get no gradient:
    ``(values, indices)``), recorded as one node called ``name`` (PyTorch's name of the op) whose
    ``next_functions`` are the first ``shown`` ``inputs`` (all by default; None for one that needs no
    gradient). Pass every tensor that may require grad: one left out of ``inputs`` would get no
    gradient. Just ``function(*inputs)`` when no gradient is recorded, or when it returns no tensor
    with a graph."""
    Tensor = tensor_class()
    if not _GradMode.enabled or not any(isinstance(t, Tensor) and t.requires_grad for t in inputs):
        return function(*inputs)
    stand_ins = [_stand_in(t) if isinstance(t, Tensor) and t.requires_grad else None for t in inputs]
    output = together = function(*(t if s is None else s for t, s in zip(inputs, stand_ins)))
    if hasattr(together, "_fields") and not any(getattr(t, "requires_grad", False) for t in together[1:]):
        output = together[0]  # (values, indices): the values get the node
    if not isinstance(output, Tensor) or output._node is None:  # several results, an integer one, an input
        return function(*inputs)  # as it is: computed again on the inputs themselves
    node = Composite()
    node.device, node.out_shape = output._device, output._array.shape
    node.edges = [None if s is None else t._node or t for t, s in zip(inputs, stand_ins)]
    node.shown = range(len(inputs) if shown is None else shown)
    node.graph = (output, stand_ins)
    result = Tensor._make(output._array, True, node, output._device)
    result._version = output._version
    rename(result, name)
    return result if together is output else together._replace(**{together._fields[0]: result})


def _stand_in(tensor):
    """A leaf that shares ``tensor``'s values and version (a view first takes up its base's history)."""
    if tensor._view is not None:
        tensor._view.refresh(tensor, "composite")
    leaf = tensor_class()._make(tensor._array, True, None, tensor._device)
    leaf._version = tensor._version
    return leaf


def shown_as(name, inputs=1):
    """Decorator: the function's result becomes one node called ``name`` (see ``composite``), whose
    inputs (in ``next_functions``) are the function's first ``inputs`` parameters (or the parameters
    that ``inputs`` names, a tuple); other tensor arguments that require grad get their gradient
    too, unlisted. A call with ``inplace=True`` goes through as it is::

        @shown_as("MseLossBackward0", inputs=2)
        def mse_loss(input, target, reduction="mean"): ...

        @shown_as("NativeGroupNormBackward0", inputs=("input", "weight", "bias"))
        def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05): ...
    """
    def decorate(function):
        params = inspect.signature(function).parameters
        defaults = {p: v.default for p, v in params.items() if v.default is not inspect.Parameter.empty}
        order = list(params)
        first = order[:inputs] if isinstance(inputs, int) else list(inputs)
        inplace = order.index("inplace") if "inplace" in params else None

        @functools.wraps(function)
        def recorded(*args, **kwargs):
            named = [p for p in first if order.index(p) >= len(args)]
            if (any(p not in kwargs and p not in defaults for p in named)
                    or (inplace is not None and (args[inplace] if len(args) > inplace else kwargs.get("inplace")))):
                return function(*args, **kwargs)
            kwargs = {**{p: defaults[p] for p in named if p not in kwargs}, **kwargs}
            keys, values = [*range(len(args)), *kwargs], [*args, *kwargs.values()]
            lead = [keys.index(p if p in named else order.index(p)) for p in first]
            Tensor = tensor_class()  # other arguments that require grad go through stand-ins too
            picked = lead + [i for i, v in enumerate(values)
                             if i not in lead and isinstance(v, Tensor) and v.requires_grad]

            def call(*tensors):
                given = list(values)
                for i, t in zip(picked, tensors):
                    given[i] = t
                return function(*given[:len(args)], **dict(zip(keys[len(args):], given[len(args):])))
            return composite(name, call, *(values[i] for i in picked), shown=len(lead))
        return recorded
    return decorate
