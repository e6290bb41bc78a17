"""Module hooks, as PyTorch's: functions that run around a module's ``forward`` and ``backward``.

- ``register_forward_pre_hook(hook)``: ``hook(module, args)`` before ``forward``; it may return
  new args (``with_kwargs=True``: ``hook(module, args, kwargs)`` returning ``(args, kwargs)``).
- ``register_forward_hook(hook)``: ``hook(module, args, output)`` after ``forward``; it may
  return a new output. ``always_call=True`` runs it even when ``forward`` raised.
- ``register_full_backward_pre_hook(hook)``: ``hook(module, grad_output)`` when the gradients
  of the outputs are known; it may return new ones.
- ``register_full_backward_hook(hook)``: ``hook(module, grad_input, grad_output)`` when the
  gradients of the inputs are known; it may return new ``grad_input``.

Each returns a ``RemovableHandle`` whose ``remove()`` unregisters the hook (it also works as a
context manager). Backward hooks work by passing the module's tensor inputs and outputs through
an identity ``autograd.Function`` whose backward sees, and may replace, their gradients.
"""
import weakref
from collections import OrderedDict

from ..autograd.custom_function import Function
from ..autograd.hooks import RemovableHandle
from ..autograd.grad_mode import is_grad_enabled
from ..tensor import Tensor


_HOOK_DICTS = ("_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_forward_hooks",
               "_forward_hooks_with_kwargs", "_forward_hooks_always_called", "_backward_pre_hooks",
               "_backward_hooks")


def _tensor_positions(values):
    return [i for i, v in enumerate(values) if isinstance(v, Tensor)]


class _BackwardHookFunction(Function):
    """The identity on tensors; its backward hands their gradients to ``on_grads``, which may replace them."""

    @staticmethod
    def forward(ctx, on_grads, *tensors):
        ctx.on_grads = on_grads
        ctx.mark_non_differentiable(*[t for t in tensors if not t.requires_grad])
        ctx.set_materialize_grads(False)
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        return (None, *ctx.on_grads(grads))


class _BackwardHookCall:
    """One call of a module with backward hooks: wraps its inputs and outputs, then runs the hooks."""

    def __init__(self, module):
        self.module, self.grad_output, self.input_positions, self.n_inputs = module, None, None, 0

    def _wrap(self, values, on_grads):
        """``values`` (a tuple) with its tensors passed through the hook function, and their positions,
        or None for the positions when no tensor requires grad (then backward never reaches them)."""
        positions = _tensor_positions(values)
        if not (is_grad_enabled() and any(values[i].requires_grad for i in positions)):
            return values, None
        wrapped = _BackwardHookFunction.apply(on_grads, *[values[i] for i in positions])
        values = list(values)
        for i, t in zip(positions, wrapped):
            values[i] = t
        return tuple(values), positions

    @staticmethod
    def _pack(positions, grads, n):
        packed = [None] * n
        for i, g in zip(positions, grads):
            packed[i] = g
        return tuple(packed)

    @staticmethod
    def _checked(module, kind, result, expected):
        if not isinstance(result, (tuple, list)) or len(result) != len(expected):
            got = len(result) if isinstance(result, (tuple, list)) else type(result).__name__
            raise RuntimeError(
                f"{type(module).__name__}: a backward hook returned an invalid number of {kind}: got "
                f"{got}, but expected {len(expected)} (return a tuple with one entry per {kind} entry, or None)."
            )
        return tuple(result)

    def setup_input(self, args):
        self.n_inputs = len(args)
        args, self.input_positions = self._wrap(args, self._on_input_grads)
        return args

    def setup_output(self, result):
        is_tuple = isinstance(result, tuple)
        outputs = result if is_tuple else (result,)
        self.n_outputs = len(outputs)
        wrapped, self.output_positions = self._wrap(outputs, self._on_output_grads)
        return wrapped if is_tuple else wrapped[0]

    def _on_output_grads(self, grads):
        module = self.module
        self.grad_output = self._pack(self.output_positions, grads, self.n_outputs)
        for hook in list(module._backward_pre_hooks.values()):
            result = hook(module, self.grad_output)
            if result is not None:
                self.grad_output = self._checked(module, "grad_output", result, self.grad_output)
        if self.input_positions is None:  # no input needs a gradient: grad_input is all None
            grad_input = (None,) * self.n_inputs
            for hook in list(module._backward_hooks.values()):
                result = hook(module, grad_input, self.grad_output)
                if result is not None and any(g is not None for g in result):
                    raise RuntimeError(
                        f"{type(module).__name__}: a backward hook of a module whose inputs do not "
                        f"require grad must return None (or only Nones)."
                    )
        return [self.grad_output[i] for i in self.output_positions]

    def _on_input_grads(self, grads):
        module = self.module
        grad_input = self._pack(self.input_positions, grads, self.n_inputs)
        for hook in list(module._backward_hooks.values()):
            result = hook(module, grad_input, self.grad_output)
            if result is not None:
                grad_input = self._checked(module, "grad_input", result, grad_input)
        return [grad_input[i] for i in self.input_positions]


class ModuleHooks:
    """The hook half of ``nn.Module``: registering hooks, and calling ``forward`` with them."""

    def _init_hooks(self):
        for name in _HOOK_DICTS:
            object.__setattr__(self, name, OrderedDict())

    def _add_hook(self, hooks, hook, prepend, extra=None):
        handle = RemovableHandle(hooks, extra_dict=extra)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        if extra is not None:
            extra[handle.id] = True
        return handle

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """Run ``hook(module, args)`` before each ``forward``; a non-None result replaces ``args``
        (a non-tuple becomes a 1-tuple). With ``with_kwargs=True``: ``hook(module, args, kwargs)``,
        returning None or ``(args, kwargs)``. Returns a handle whose ``remove()`` unregisters it."""
        return self._add_hook(self._forward_pre_hooks, hook, prepend,
                              self._forward_pre_hooks_with_kwargs if with_kwargs else None)

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False, always_call=False):
        """Run ``hook(module, args, output)`` after each ``forward``; a non-None result replaces the
        output. ``with_kwargs=True``: ``hook(module, args, kwargs, output)``. ``always_call=True``:
        also run it when ``forward`` raised. Returns a handle whose ``remove()`` unregisters it."""
        handle = self._add_hook(self._forward_hooks, hook, prepend,
                                self._forward_hooks_with_kwargs if with_kwargs else None)
        if always_call:
            self._forward_hooks_always_called[handle.id] = True
            handle._dicts.append(weakref.ref(self._forward_hooks_always_called))
        return handle

    def register_full_backward_pre_hook(self, hook, prepend=False):
        """Run ``hook(module, grad_output)`` when the gradients of the module's outputs are known;
        a non-None result (a tuple like ``grad_output``) replaces them."""
        return self._add_hook(self._backward_pre_hooks, hook, prepend)

    def register_full_backward_hook(self, hook, prepend=False):
        """Run ``hook(module, grad_input, grad_output)`` when the gradients of the module's inputs
        are known (one entry per positional argument; None for non-tensors and for inputs without
        grad); a non-None result (a tuple like ``grad_input``) replaces ``grad_input``."""
        return self._add_hook(self._backward_hooks, hook, prepend)

    def _call_impl(self, *args, **kwargs):
        if not (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks
                or self._backward_pre_hooks):
            return self.forward(*args, **kwargs)
        for hook_id, hook in list(self._forward_pre_hooks.items()):
            if hook_id in self._forward_pre_hooks_with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError(
                            f"{type(self).__name__}: a forward pre-hook registered with with_kwargs=True "
                            f"must return None or a tuple (new_args, new_kwargs), got {result!r}."
                        )
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        backward_call = None
        if self._backward_hooks or self._backward_pre_hooks:
            backward_call = _BackwardHookCall(self)
            args = backward_call.setup_input(args)
        called = set()
        try:
            result = self.forward(*args, **kwargs)
            for hook_id, hook in list(self._forward_hooks.items()):
                called.add(hook_id)
                if hook_id in self._forward_hooks_with_kwargs:
                    hook_result = hook(self, args, kwargs, result)
                else:
                    hook_result = hook(self, args, result)
                if hook_result is not None:
                    result = hook_result
        except Exception:
            for hook_id, hook in list(self._forward_hooks.items()):
                if hook_id in self._forward_hooks_always_called and hook_id not in called:
                    if hook_id in self._forward_hooks_with_kwargs:
                        hook(self, args, kwargs, None)
                    else:
                        hook(self, args, None)
            raise
        if backward_call is not None:
            result = backward_call.setup_output(result)
        return result
