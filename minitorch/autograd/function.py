"""``Op``: one differentiable op, with its forward and backward written by hand.

A subclass implements two static methods on raw arrays (numpy, or cupy on a GPU)::

    class Exp(Op):
        @staticmethod
        def forward(ctx, x):            # y = e^x
            y = np.exp(x)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):        # dL/dx = dL/dy * e^x
            (y,) = ctx.saved_arrays
            return grad * y

``Exp.apply(t)`` unwraps tensors to arrays, runs ``forward``, and wraps the
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
        ctx = cls()
        arrays, edges, needs = [], [], []
        requires_grad = False
        device = None
        Tensor = _Tensor
        for a in args:
            if isinstance(a, Tensor):
                if a._view is not None and _GradMode.enabled:
                    a._view.refresh(a)
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
        out = cls.forward(ctx, *arrays)
        if isinstance(out, np.generic):  # numpy returns 0-d results as scalars: keep an array
            out = np.asarray(out)
        if _Anomaly.enabled:
            check_finite(cls.__name__, "forward", out)
        device = ctx.out_device or device or "cpu"
        if requires_grad and _GradMode.enabled and out.dtype.kind == "f":  # as PyTorch: only floats get grads
            result = Tensor._make(out, True, ctx, device)
            if ctx.saved_arrays or cls.keeps:  # forward kept input arrays: backward will check them
                ctx._remember_versions(args, result)
            ctx.edges = edges
            ctx.out_shape = out.shape
        else:
            result = Tensor._make(out, False, None, device)
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
                    f"{self.name}.backward needs {description} as it was in forward, but it "
                    f"was modified in place afterwards (version {seen} -> {counter[0]}). "
                    f"Use an out-of-place op (x = x + 1, not x += 1 or x.add_(1)), or clone() the "
                    f"tensor before changing it."
                )

    def release(self):
        """Drop what forward saved and the links to the inputs: the graph below is freed."""
        self.__dict__.clear()  # edges, saved arrays and versions fall back to the class defaults

    @property
    def name(self):
        return type(self).__name__

    @classmethod
    def public(cls):
        """The name users call the op by (``minitorch.<name>``, ``Tensor.<name>``), for error messages."""
        return vars(cls).get("op_name") or re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", cls.__name__).lower()

    def __repr__(self):
        return f"<{self.name}Backward0>"


class View:
    """How a view was taken: its ``base`` (the tensor that owns the memory, itself no view) and the
    ``steps`` (view ops with their other arguments) that lead from the base to the view.

    An in-place op on a view becomes an op on its base (``Tensor._rebase``), and a view whose base
    got a new history since (an in-place op on the base, or on another view of it) takes it up
    before its next use (``refresh``), as PyTorch's views do. A view taken in no_grad mode is left
    out of the base's history (``in_no_grad``)."""

    __slots__ = ("base", "steps", "in_no_grad", "base_node")

    def __init__(self, source, op, args):
        parent = source._view
        self.base = source if parent is None else parent.base
        self.steps = ((op, args),) if parent is None else parent.steps + ((op, args),)
        self.in_no_grad = not _GradMode.enabled or (parent is not None and parent.in_no_grad)
        self.base_node = self.base._node

    def replay(self, tensor):
        """The view taken again, with the same steps, from ``tensor`` (the base, or one of its shape)."""
        for op, args in self.steps:
            tensor = op.apply(tensor, *args)
        return tensor

    def __reduce__(self):
        """A pickled or deep-copied view is a tensor of its own: the copy forgets the base, which
        would otherwise travel with it (a whole data set with each sample a DataLoader worker sends)."""
        return _no_view, ()

    def refresh(self, view):
        """Give ``view`` its base's current history, if the base's changed since the view's was set."""
        if self.base._node is not self.base_node and not self.in_no_grad:
            self.base_node = self.base._node
            view._node, view.requires_grad = self.replay(self.base)._node, self.base.requires_grad


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
