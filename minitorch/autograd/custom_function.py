"""``minitorch.autograd.Function``: PyTorch's way for users to write an op with its own backward.

The built-in ops subclass the array-level ``Op`` (``function.py``). A user's Function works
on tensors instead, exactly as in PyTorch::

    class Cube(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):                # y = x^3
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad_output):     # dL/dx = dL/dy * 3x^2
            (x,) = ctx.saved_tensors
            return grad_output * 3 * x ** 2

    y = Cube.apply(x)

``apply`` runs ``forward`` under ``no_grad`` (so forward's own ops record nothing), then puts one
graph node, a ``FunctionBackward`` (an ``Op``), behind the outputs. When the engine reaches it,
the node wraps the output gradients in tensors, runs the user's ``backward`` (grad mode is off
during backward) and unwraps the input gradients it returns. A Function with several outputs
gives each output a small ``FunctionOutput`` node that hands its gradient to the shared node,
which runs ``backward`` once, with every output's gradient, after all of them have reported.
"""
import numpy as np

from .function import Op, tensor_class
from .grad_mode import _GradMode, set_grad_enabled


def once_differentiable(fn):
    """PyTorch's marker for a ``backward`` that cannot itself be differentiated; every backward here
    runs outside the graph already, so ``fn`` is returned unchanged."""
    return fn


class FunctionCtx:
    """The ``ctx`` a Function's ``forward`` (or ``setup_context``) fills and its ``backward`` reads.

    Any attribute may be stored on it (``ctx.dim = dim``). ``needs_input_grad`` holds, per
    argument of ``forward``, whether that argument is a tensor that requires grad.
    """

    def __init__(self, needs_input_grad):
        self.needs_input_grad = needs_input_grad
        self.to_save = ()
        self.dirty_tensors = ()
        self.non_differentiable = ()
        self.materialize_grads = True

    def save_for_backward(self, *tensors):
        """Keep tensors (or None) for backward, where ``ctx.saved_tensors`` returns them. Changing
        one in place before backward then raises an error instead of giving a wrong gradient."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, tensor_class()):
                raise TypeError(
                    f"save_for_backward can only save tensors (or None), but argument {i} is of type "
                    f"{type(t).__name__}; store other values as attributes of ctx (ctx.value = ...)."
                )
        self.to_save = tensors

    @property
    def saved_tensors(self):
        """The tensors given to ``save_for_backward``, in order."""
        return self.to_save

    def mark_dirty(self, *tensors):
        """Declare inputs that forward modified in place (and returns): their history moves to
        this Function, as for any in-place op. A leaf that requires grad may not be one."""
        self.dirty_tensors = tensors

    def mark_non_differentiable(self, *tensors):
        """Declare outputs that no gradient flows through (indices, masks): they do not require
        grad, and backward receives zeros (or None, see ``set_materialize_grads``) for them."""
        self.non_differentiable = tensors

    def set_materialize_grads(self, value):
        """With True (the default), backward receives zeros for outputs that got no gradient;
        with False it receives None for them."""
        self.materialize_grads = bool(value)


def _is_in(tensor, tensors):
    return any(tensor is t for t in tensors)


class _FunctionNode(Op):
    """A node named after the user's Function (``label``), also after ``release()``."""

    label = "Function"

    def name(self):
        """PyTorch's name of the node: the Function's class name followed by ``Backward``."""
        return f"{self.label}Backward"

    def title(self):
        """The Function's class name, for error messages."""
        return self.label

    def release(self):
        """Drop the saved tensors and the links to the inputs; keep the name for error messages."""
        label = self.label
        super().release()
        self.label = label


class FunctionBackward(_FunctionNode):
    """The graph node of one call of a user's Function: its backward runs the user's ``backward``."""

    def __init__(self, function, ctx, args, outputs):
        self.function, self.ctx = function, ctx
        self.edges = [a._node or a if needed else None for a, needed in zip(args, ctx.needs_input_grad)]
        self.needs_input_grad = list(ctx.needs_input_grad)
        self.out_shape = ()  # its outputs report to it through FunctionOutput nodes (see the module doc)
        self.is_tensor_input = [isinstance(a, tensor_class()) for a in args]
        self.shown = [i for i, is_tensor in enumerate(self.is_tensor_input) if is_tensor]  # next_functions
        self.outputs = [(np.zeros_like(o._array, shape=()), o._device) if isinstance(o, tensor_class()) else None
                        for o in outputs]  # a zero of each output's dtype and array type, and its device
        self.output_grads = [None] * len(outputs)
        self.saved_versions = [(t._version, t._version[0], f"saved tensor {i}")
                               for i, t in enumerate(ctx.to_save) if t is not None]

        self.label = function.__name__

    @staticmethod
    def backward(node, _):
        grads, node.output_grads = node.output_grads, [None] * len(node.outputs)
        wrapped = []
        for grad, output in zip(grads, node.outputs):
            if grad is None and output is not None and node.ctx.materialize_grads:
                grad = np.zeros_like(output[0], shape=output[0].shape)
            wrapped.append(None if grad is None else tensor_class()._make(grad, False, None, output[1]))
        returned = node.function.backward(node.ctx, *wrapped)
        return node._input_gradients(returned if isinstance(returned, tuple) else (returned,))

    def _input_gradients(self, returned):
        """The arrays of the gradients ``backward`` returned, one per argument of ``forward``."""
        n = len(self.edges)
        if len(returned) < n or any(g is not None for g in returned[n:]):
            raise RuntimeError(
                f"function {self.name()} returned an incorrect number of gradients (expected "
                f"{n}, got {len(returned)}): backward must return one gradient (or None) per "
                f"argument of forward."
            )
        arrays = []
        for i, (g, is_tensor) in enumerate(zip(returned, self.is_tensor_input)):
            if g is not None and not isinstance(g, tensor_class()):
                raise TypeError(
                    f"function {self.name()} returned a {type(g).__name__} as gradient {i}; "
                    f"backward must return tensors (or None)."
                )
            if g is not None and not is_tensor:
                raise RuntimeError(
                    f"function {self.name()} returned a gradient different than None at position "
                    f"{i + 1}, but the corresponding forward input was not a tensor; return None for it."
                )
            arrays.append(None if g is None else g._array)
        return tuple(arrays)


class FunctionOutput(_FunctionNode):
    """The node behind output ``index`` of a Function: hands its gradient to the shared node."""

    def __init__(self, node, index, shape):
        self.node, self.index, self.label = node, index, node.label
        self.edges, self.needs_input_grad, self.out_shape = [node], [True], shape

    @staticmethod
    def backward(output, grad):
        slots = output.node.output_grads
        slots[output.index] = grad if slots[output.index] is None else slots[output.index] + grad
        return grad.dtype.type(0).reshape(())  # the shared node's own "gradient" is a dummy scalar

    @property
    def next_functions(self):
        """The shared node's: PyTorch shows one node per call of a Function, whichever output it made."""
        return self.node.next_functions if self.edges else ()


class Function:
    """Base class for ops written by users, on tensors, as PyTorch's ``torch.autograd.Function``.

    Subclass it with static methods ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)``
    (or ``forward(*args)`` plus ``setup_context(ctx, inputs, output)``), and call ``apply``.
    ``backward`` returns one gradient (a tensor, or None) per argument of ``forward``. See the
    module docstring for an example and for how it runs.
    """

    @staticmethod
    def forward(ctx, *args, **kwargs):
        """The op's result, from tensors; runs with grad mode off."""
        raise NotImplementedError("A Function subclass must define a static forward method.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        """Optional: fill ``ctx`` from the inputs and output (then forward takes no ctx)."""
        raise NotImplementedError("setup_context is not defined for this Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        """d(loss)/d(each input), from d(loss)/d(each output); runs with grad mode off."""
        raise NotImplementedError("A Function subclass must define a static backward method.")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` on ``args`` and, if a tensor argument requires grad, record the call."""
        Tensor = tensor_class()
        ctx = FunctionCtx(tuple(isinstance(a, Tensor) and a.requires_grad for a in args))
        with set_grad_enabled(False):
            if cls.setup_context is not Function.setup_context:
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        if not (_GradMode.enabled and any(ctx.needs_input_grad)):
            return output
        outputs = output if isinstance(output, tuple) else (output,)
        node = FunctionBackward(cls, ctx, args, outputs)
        results = tuple(_attach(o, FunctionOutput(node, i, o._array.shape), ctx, args)
                        if _differentiable(o, ctx) else o for i, o in enumerate(outputs))
        return results if isinstance(output, tuple) else results[0]


def _differentiable(output, ctx):
    return (isinstance(output, tensor_class()) and output._array.dtype.kind == "f"
            and not _is_in(output, ctx.non_differentiable))


def _attach(output, node, ctx, args):
    """``output`` with ``node`` as its grad_fn: the tensor itself when forward made it (or
    modified an input in place, ``mark_dirty``), else a new tensor sharing its values."""
    if _is_in(output, ctx.dirty_tensors):
        if output._node is None and output.requires_grad:
            raise RuntimeError(
                f"{node.title()}: a leaf tensor that requires grad was modified in place (mark_dirty); "
                f"clone() it first and pass the clone."
            )
    elif output._node is not None or output.requires_grad or _is_in(output, args):
        alias = tensor_class()._make(output._array, True, node, output._device)
        alias._version = output._version  # a view: writing to either is seen by both
        return alias
    output._node, output.requires_grad = node, True
    return output
