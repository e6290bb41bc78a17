"""``Op``: one differentiable op, with its forward and backward written by hand.

A subclass implements two static methods on raw arrays (numpy, or cupy on a GPU)::

    class Sin(Op):
        @staticmethod
        def forward(ctx, x):            # y = sin x
            ctx.save_for_backward(x)
            return np.sin(x)

        @staticmethod
        def backward(ctx, grad):        # dL/dx = dL/dy * cos x
            (x,) = ctx.saved_arrays
            return grad * np.cos(x)

``Sin.apply(t)`` unwraps tensors to arrays, runs ``forward``, and wraps the
result in a Tensor. When grad mode is on and an input requires grad, the
``ctx`` object (an instance of the op's class) becomes the graph node that made
the output: it remembers where each input came from (``edges``) and what
forward saved. ``backward`` returns one gradient per positional argument of
``forward`` (``None`` for arguments that are not tensors or need no gradient).

The engine knows arrays and nodes, not the Tensor class: ``minitorch/tensor.py``
registers its class once with ``use_tensor_class``, and ``apply`` wraps results in
it. So autograd sits below the tensor, as the layers say, with no import circle.
"""
import re

import numpy as np

from ..errors import InPlaceModificationError
from .anomaly import _Anomaly, check_finite
from .grad_mode import _GradMode
from .names import SHOWN, present, torch_name

_Tensor = None  # the Tensor class, set once by minitorch/tensor.py


def use_tensor_class(cls):
    """Register the class that ``Op.apply`` wraps its results in (called by tensor.py)."""
    global _Tensor
    _Tensor = cls


def tensor_class():
    """The registered Tensor class (``minitorch.Tensor``)."""
    return _Tensor


class Op:
    """Base class of every op. Instances are the graph's nodes; see the module docstring."""

    #: True for ops whose output is a view of their first input (reshape, transpose, ...):
    #: the output then shares the input's version counter, so writing to either is seen.
    #: An op that returns a view only sometimes (indexing) sets ``ctx.is_view`` in forward.
    is_view = False

    #: The ctx attributes in which forward keeps arrays of its Tensor arguments besides
    #: ``save_for_backward`` (embedding's index): changing such a tensor in place before backward is
    #: refused, as for saved ones. (A wrapper that passes an index or a mask as a raw array marks
    #: its tensor with ``keep_versions`` instead.)
    keeps = ()

    #: PyTorch's name of the op, for error messages, where it is not the class name in snake case
    #: (``MatMul``: "matmul"; ``MaskedFill`` needs none, it is "masked_fill"): see ``public``. Not inherited.
    op_name = None

    #: False for ops that no gradient flows through (comparisons, argmax, isnan, ...): apply()
    #: never records them in the graph, and their outputs never require grad.
    differentiable = True

    # Filled in by apply() when the node is recorded:
    edges = None  # per forward argument: the input's node, the leaf Tensor itself, or None
    needs_input_grad = ()  # per forward argument: does backward need to compute its gradient? (set before forward)
    saved_arrays = ()
    saved_versions = ()  # (version counter, value at save time, description) triples
    out_shape = None
    retained = None  # weak reference to the output tensor when it called retain_grad()

    #: Set by apply() before forward runs: the device of the inputs ("cpu" or "cuda"), so that
    #: an op can run its CUDA kernel there. An op that moves data sets ``ctx.out_device``.
    device = "cpu"
    out_device = None

    def save_for_backward(self, *arrays):
        """Keep arrays that backward needs. In-place changes to them are detected later."""
        self.saved_arrays = arrays

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError

    @classmethod
    def apply(cls, *args):
        """Run the op on ``args`` (tensors, arrays, numbers) and return its output as a Tensor,
        recording ``ctx`` as the output's node when a gradient can flow back through it.

        A Tensor argument is passed to forward as its array (``_array``); anything else as it is.
        Its edge is its node (``_node``) or, for a leaf, the tensor itself; an argument that needs
        no gradient (not a tensor, ``requires_grad`` False, or the op not ``differentiable``) has
        the edge None. The tensors must share one device (``_same_device`` raises otherwise); a
        view takes up its base's history first in grad mode (``_view.refresh``). Only floating
        point outputs get a gradient, and nothing is recorded under ``no_grad``
        (``_GradMode.enabled``). A recorded node keeps its ``edges`` and ``out_shape`` and notes the
        versions of what forward kept (``_remember_versions``, when it saved arrays or has ``keeps``).
        ``Tensor._make(array, requires_grad, node, device)`` makes a tensor.
        """
        ctx = cls()
        arrays, edges, needs = [], [], []
        requires_grad = False
        device = None
        Tensor = _Tensor
        ### BEGIN SOLUTION 2.6: unwrap the arguments: arrays for forward, per argument its edge and whether it needs a gradient, one device; set ctx.device and ctx.needs_input_grad
        for a in args:
            if isinstance(a, Tensor):
                if a._view is not None and _GradMode.enabled:
                    a._view.refresh(a, cls)
                if device != a._device:
                    device = _same_device(cls, device, a._device)
                arrays.append(a._array)
                if a.requires_grad and cls.differentiable:
                    requires_grad = True
                    edges.append(a._node or a)
                    needs.append(True)
                    continue
            else:
                arrays.append(a)
            edges.append(None)
            needs.append(False)
        if device == "cuda":
            ctx.device = device
        if requires_grad and _GradMode.enabled:  # forward may skip saving what backward will not need
            ctx.needs_input_grad = needs
        ### END SOLUTION
        out = cls.forward(ctx, *arrays)
        if isinstance(out, np.generic):  # numpy returns 0-d results as scalars: keep an array
            out = np.asarray(out)
        if _Anomaly.enabled:
            check_finite(cls.__name__, "forward", out)
        device = ctx.out_device or device or "cpu"
        ### BEGIN SOLUTION 2.6: wrap forward's output in a Tensor: recorded (ctx is its node, with edges, out_shape and the saved tensors' versions) only if it can have a gradient
        if requires_grad and _GradMode.enabled and out.dtype.kind == "f":  # as PyTorch: only floats get grads
            result = Tensor._make(out, True, ctx, device)
            if ctx.saved_arrays or cls.keeps:  # forward kept input arrays: backward will check them
                ctx._remember_versions(args, result)
            ctx.edges = edges
            ctx.out_shape = out.shape
        else:
            result = Tensor._make(out, False, None, device)
        ### END SOLUTION
        if result._node is ctx and False in ctx.needs_input_grad:  # what next_functions lists, if not all
            ctx.shown = SHOWN.get(cls.__name__) or [  # arguments: the floating-point tensors, or SHOWN's
                i for i, a in enumerate(args) if isinstance(a, Tensor) and a._array.dtype.kind in "fc"]
        if ctx.is_view:
            result._version = args[0]._version
            result._view = View(args[0], cls, args[1:])
        return result

    def _remember_versions(self, args, result):
        """Note the version of every tensor (input or output) whose array forward kept: saved for
        backward, or stored on ctx under a name in ``keeps`` (an index, a mask, a condition)."""
        kept = list(self.saved_arrays)
        for name in self.keeps:
            value = getattr(self, name, None)
            kept.extend(value if value.__class__ in (tuple, list) else (value,))
        versions = []
        for i, t in enumerate((*args, result)):
            if isinstance(t, _Tensor):
                array = t._array
                for value in kept:
                    if value is array:
                        where = "its output" if t is result else f"input {i}"
                        versions.append((t._version, t._version[0], where))
                        break
        self.saved_versions = versions

    def check_versions(self):
        """Raise if a saved tensor was modified in place since forward saved it."""
        for counter, seen, description in self.saved_versions:
            if counter[0] != seen:
                raise InPlaceModificationError(
                    f"{self.title()}.backward needs {description} as it was in forward, but it "
                    f"was modified in place afterwards (version {seen} -> {counter[0]}). "
                    f"Use an out-of-place op (x = x + 1, not x += 1 or x.add_(1)), or clone() the "
                    f"tensor before changing it."
                )

    def release(self):
        """Drop what forward saved and the links to the inputs: the graph below is freed (the name
        PyTorch shows for this call stays)."""
        shown_name = self.__dict__.get("shown_name")
        self.__dict__.clear()  # edges, saved arrays and versions fall back to the class defaults
        if shown_name is not None:
            self.shown_name = shown_name

    def title(self):
        """The op's own name, for error messages: its class's (``Mul``), also when shown as PyTorch's."""
        return vars(type(self)).get("_op_class", type(self)).__name__

    def name(self):
        """PyTorch's name of this node (``grad_fn.name()``): ``MulBackward0``, ``SumBackward1``... (see
        ``autograd/names.py``)."""
        return self.__dict__.get("shown_name") or torch_name(type(self))

    @property
    def next_functions(self):
        """PyTorch's links to the rest of the graph: per input of forward that PyTorch lists (the
        floating-point tensors, not numbers, shapes or integer indices; ``names.SHOWN`` for some ops),
        ``(node, output number)`` with the node that made it (under PyTorch's name; the number tells
        the pieces of ``split``/``unbind`` apart), an ``AccumulateGrad`` for a leaf that requires grad,
        or None (an input that needs no gradient); () once the graph is freed."""
        edges = self.edges or ()
        shown = self.__dict__.get("shown", range(len(edges)))
        return tuple((AccumulateGrad(edges[i]) if isinstance(edges[i], _Tensor) else present(edges[i]),
                      edges[i].__dict__.get("output_nr", 0) if isinstance(edges[i], Op) else 0) for i in shown)

    @classmethod
    def public(cls):
        """The name users call the op by (``minitorch.<name>``, ``Tensor.<name>``), for error messages."""
        return vars(cls).get("op_name") or re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", cls.__name__).lower()

    def __repr__(self):
        """As PyTorch prints a node: ``<MulBackward0 object at 0x7f...>`` (a tensor's repr shows the name only)."""
        return f"<{self.name()} object at {id(self):#x}>"


class AccumulateGrad:
    """The end of a path through the graph in ``next_functions``: where a leaf's gradient is added
    to its ``.grad`` (``variable``: the leaf), as PyTorch names it."""

    __slots__ = ("variable",)
    next_functions = ()

    def __init__(self, variable):
        self.variable = variable

    @staticmethod
    def name():
        """PyTorch's name of this node, as its ``name()`` says it."""
        return "torch::autograd::AccumulateGrad"

    def __repr__(self):
        return f"<AccumulateGrad object at {id(self):#x}>"


class View:
    """How a view was taken: its ``base`` (the tensor that owns the memory, itself no view) and the
    ``steps`` (view ops with their other arguments) that lead from the base to the view.

    An in-place op on a view becomes an op on its base (``Tensor._rebase``), and a view whose base
    got a new history since (an in-place op on the base, or on another view of it) takes it up
    before its next use (``refresh``), as PyTorch's views do. A view taken in no_grad mode is left
    out of the base's history (``in_no_grad``). A piece from an op that returns several views
    (``split``, ``chunk``, ``unbind``), and any view of it, remembers that op (``several``) and
    the base's version when it was taken: as in PyTorch, it is not changed in place in the graph
    (``Tensor._records``), nor used in the graph once its base changed (``refresh``)."""

    __slots__ = ("base", "steps", "in_no_grad", "base_node", "several", "version")

    def __init__(self, source, op, args):
        parent = source._view
        self.base = source if parent is None else parent.base
        self.steps = ((op, args),) if parent is None else parent.steps + ((op, args),)
        self.in_no_grad = not _GradMode.enabled or (parent is not None and parent.in_no_grad)
        self.base_node = self.base._node
        self.several, self.version = (None, None) if parent is None else (parent.several, parent.version)

    def one_of_several(self, op):
        """Mark this view as one of the pieces that ``op`` (split, unbind) returns together."""
        self.several, self.version = op, self.base._version[0]

    def replay(self, tensor):
        """The view taken again, with the same steps, from ``tensor`` (the base, or one of its shape)."""
        for op, args in self.steps:
            tensor = op.apply(tensor, *args)
        return tensor

    def __reduce__(self):
        """A pickled or deep-copied view is a tensor of its own: the copy forgets the base, which
        would otherwise travel with it (a whole data set with each sample a DataLoader worker sends)."""
        return _no_view, ()

    def refresh(self, view, op="this op"):
        """Give ``view`` its base's current history, if the base's changed since the view's was set;
        ``op`` (an Op class or a name) is about to use it. A piece of ``split``/``unbind`` whose base
        has changed in place since, and requires grad, has no history to take: refused, as in PyTorch."""
        self.check_pieces(view, op)
        if self.base._node is not self.base_node and not self.in_no_grad:
            self.base_node = self.base._node
            view._node, view.requires_grad = self.replay(self.base)._node, self.base.requires_grad

    def check_pieces(self, view, op):
        """Raise if ``view`` is a piece of ``split``/``unbind`` (or a view of one) whose base requires
        grad and has changed in place since: ``op`` (an Op class or a name) was about to use it, or
        read its ``grad_fn`` (PyTorch refuses that too, even under no_grad)."""
        if self.several is not None and self.version != view._version[0] and self.base.requires_grad:
            raise RuntimeError(
                f"{op if isinstance(op, str) else op.public()}: this tensor is one of the pieces that "
                f"{self.several} returned (views of one tensor), and that tensor (or another of its pieces) was "
                f"changed in place since; PyTorch does not allow such a piece to be used where gradients are "
                f"recorded. Call {self.several} again after the in-place change, or .clone() the pieces "
                f"right after taking them.")


def _no_view():
    """What a ``View`` becomes when pickled or deep-copied: None (see ``View.__reduce__``)."""
    return None


def keep_versions(result, *tensors, what="its index"):
    """Make ``result``'s backward refuse to run if one of ``tensors`` (an index or a mask that a
    wrapper turned into an array for the op) is modified in place after forward; returns ``result``.
    """
    node = result._node
    if node is not None:
        node.saved_versions = list(node.saved_versions) + [
            (t._version, t._version[0], what) for t in tensors if isinstance(t, _Tensor)]
    return result


def _same_device(op, device, other):
    """The device of an op's inputs; raises if two of them differ."""
    if device is None:
        return other
    raise RuntimeError(
        f"{op.public()}: expected all tensors on the same device, but found tensors on '{device}' "
        f"and on '{other}'. Move them first, e.g. with .to('{device}') or .cpu()."
    )
