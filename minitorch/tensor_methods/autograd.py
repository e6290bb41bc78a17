"""Autograd and memory odds of PyTorch's Tensor: ``register_hook``, ``detach_``, ``pin_memory``,
``share_memory_``.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``); the hooks themselves live in
``minitorch/autograd/hooks.py`` and run during the backward walk (``autograd/engine.py``).
"""
from ..autograd import hooks


class AutogradMethods:
    """Autograd and memory odds of PyTorch's Tensor: ``register_hook``, ``detach_``, ``pin_memory``..."""

    __slots__ = ()

    def register_hook(self, hook):
        """Call ``hook(grad)`` with this tensor's gradient during backward; a tensor it returns replaces
        the gradient. Returns a handle: ``handle.remove()`` unregisters the hook.

        On a leaf the hook sees the whole gradient once, before it is added to ``.grad``; on a
        computed tensor, before the gradient flows on to the op that made it.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0], requires_grad=True)
        >>> handle = x.register_hook(lambda g: g * 10)
        >>> (x * x).sum().backward()
        >>> x.grad.tolist()
        [20.0, 40.0]
        >>> handle.remove()
        """
        if not self.requires_grad:
            raise RuntimeError("register_hook: cannot register a hook on a tensor that doesn't require gradient; "
                               "call .requires_grad_() on the leaf first.")
        if not callable(hook):
            raise TypeError(f"register_hook: hook must be callable (grad -> tensor or None), got "
                            f"{type(hook).__name__}.")
        return hooks.register(self._node or self, hook)

    def detach_(self):
        """Detach this tensor from the graph in place: it becomes a leaf that does not require grad.
        Returns self.

        >>> import minitorch
        >>> y = minitorch.ones(2, requires_grad=True) * 2
        >>> y.detach_().requires_grad, y.grad_fn is None
        (False, True)
        """
        self._node = None
        self.requires_grad = False
        return self

    def pin_memory(self, device=None):
        """PyTorch copies a CPU tensor into page-locked memory for faster transfers to the GPU;
        minitorch's transfers go through numpy/cupy, which choose the memory, so this returns self
        (``device`` is accepted for PyTorch's sake).

        >>> import minitorch
        >>> x = minitorch.zeros(2)
        >>> x.pin_memory() is x
        True
        """
        return self

    def share_memory_(self):
        """PyTorch moves the storage to shared memory for worker processes; minitorch's DataLoader
        runs in one process, so there is nothing to move: returns self.

        >>> import minitorch
        >>> x = minitorch.zeros(2)
        >>> x.share_memory_() is x
        True
        """
        return self
