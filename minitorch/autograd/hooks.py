"""Gradient hooks on tensors (``Tensor.register_hook``): functions the backward walk calls with a
tensor's gradient, each of which may return a replacement.

A leaf's hooks run once on its whole gradient, before it is added to ``.grad``; a computed
tensor's hooks run on the gradient of its node's output, before the node's backward uses it
(and before ``retain_grad`` stores it). Hooks are kept in a weak table, keyed by the leaf tensor
or by the node (by id, since tensors compare elementwise), so they go away with the graph.
"""
import itertools
import weakref
from collections import OrderedDict

from .function import tensor_class

HOOKS = {}  # id of a leaf tensor or node -> OrderedDict(handle id -> hook); dropped with the key
POST_ACCUMULATE = {}  # id of a leaf tensor -> OrderedDict(handle id -> hook(tensor)), the same way


class RemovableHandle:
    """What ``register_hook`` and the module ``register_*_hook`` methods return:
    ``handle.remove()`` unregisters the hook from every table it was added to (also on leaving a
    ``with handle:`` block)."""

    _ids = itertools.count()

    def __init__(self, hooks_dict, *, extra_dict=None):
        self.id = next(self._ids)
        self._dicts = [weakref.ref(d) for d in (hooks_dict, *([] if extra_dict is None else [extra_dict]))]

    def remove(self):
        """Unregister the hook (a second call does nothing)."""
        for ref in self._dicts:
            hooks = ref()
            if hooks is not None:
                hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def register(key, hook, table=HOOKS):
    """Add ``hook`` for ``key`` (a leaf tensor or a node) to ``table`` (``HOOKS``, or
    ``POST_ACCUMULATE``); returns its ``RemovableHandle``."""
    hooks = table.get(id(key))
    if hooks is None:
        hooks = table[id(key)] = OrderedDict()
        weakref.finalize(key, table.pop, id(key), None)
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    return handle


def run(key, grad, device):
    """``grad`` (an array) after every hook of ``key``, in order: each gets the gradient as a tensor
    and may return a new one (same shape) that the next hook and the rest of backward then see."""
    hooks = HOOKS.get(id(key))
    if not hooks:
        return grad
    Tensor = tensor_class()
    current = Tensor._make(grad, False, None, device)
    for hook in list(hooks.values()):
        result = hook(current)
        if result is None:
            continue
        if not isinstance(result, Tensor) or result.shape != current.shape:
            what = tuple(result.shape) if isinstance(result, Tensor) else type(result).__name__
            raise RuntimeError(f"register_hook: a hook returned {what}; it must return None or a tensor of the "
                               f"gradient's shape {tuple(current.shape)}.")
        current = result
    return current._array


def run_post_accumulate(leaf):
    """Call every ``register_post_accumulate_grad_hook`` hook of ``leaf`` with the leaf, in order
    (its ``.grad`` now holds this backward's whole contribution)."""
    for hook in list(POST_ACCUMULATE.get(id(leaf), {}).values()):
        hook(leaf)
