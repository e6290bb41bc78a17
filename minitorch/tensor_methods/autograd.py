"""Autograd and memory odds of PyTorch's Tensor: ``register_hook``, ``register_post_accumulate_grad_hook``,
``detach_``, ``pin_memory``, ``share_memory_``, ``is_shared``, ``untyped_storage``, ``storage``.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``); the hooks themselves live in
``minitorch/autograd/hooks.py`` and run during the backward walk (``autograd/engine.py``).
"""
from ..autograd import hooks
from ..storage import typed_storage_of, untyped_storage_of


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

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(tensor)`` with this leaf after each ``backward()`` has added its gradient to
        ``.grad`` (``autograd.grad`` does not call it); an optimiser can step a parameter there, as
        soon as its gradient is complete. Returns a handle: ``handle.remove()`` unregisters the hook.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0], requires_grad=True)
        >>> handle = x.register_post_accumulate_grad_hook(lambda t: print(t.grad.tolist()))
        >>> (x * x).sum().backward()
        [2.0, 4.0]
        >>> handle.remove()
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._node is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if not callable(hook):
            raise TypeError(f"register_post_accumulate_grad_hook: hook must be callable (tensor -> None), got "
                            f"{type(hook).__name__}.")
        return hooks.register(self, hook, hooks.POST_ACCUMULATE)

    def untyped_storage(self):
        """The memory this tensor shares with its views, as bytes (``data_ptr()``, ``nbytes()``, ``size()``):
        two tensors share memory when their storages' ``data_ptr()`` are equal.

        >>> import minitorch
        >>> x = minitorch.zeros(3)
        >>> x[1:].untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
        True
        """
        return untyped_storage_of(self)

    def storage(self):
        """The memory this tensor shares with its views, counted in elements of its dtype (PyTorch's
        deprecated ``TypedStorage``, with its warning; prefer ``untyped_storage()``).

        >>> import minitorch, warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     minitorch.zeros(2, 3)[1].storage().size()
        6
        """
        return typed_storage_of(self)

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
        """Move this tensor's values into shared memory, so that other processes (started afterwards,
        by fork or spawn, or sent the tensor over a ``minitorch.multiprocessing`` queue) read and write
        the same numbers (Hogwild training). Returns self; already shared, nothing changes.

        A view moves with its base (they keep sharing memory); views taken before of this tensor keep
        the old memory, so take views afterwards. A "cuda" tensor cannot be shared (PyTorch uses CUDA
        IPC, which minitorch lacks): a RuntimeError. See ``minitorch/multiprocessing/shared.py``.

        >>> import minitorch
        >>> x = minitorch.zeros(2)
        >>> x.share_memory_() is x, x.is_shared()
        (True, True)
        """
        from ..multiprocessing import shared

        if self._device == "cuda":
            raise RuntimeError(
                "share_memory_: minitorch cannot share a cuda tensor between processes (PyTorch does it "
                "through CUDA IPC, which minitorch does not have). Share the model on the CPU "
                "(model.cpu().share_memory()) and move a copy to the GPU in each process.")
        if shared.block_of(self._array) is None:
            shared.share(self)
        return self

    def is_shared(self):
        """Whether this tensor's values lie in shared memory (after ``share_memory_()``, or received
        from another process that shared them).

        >>> import minitorch
        >>> minitorch.zeros(1).is_shared()
        False
        """
        from ..multiprocessing.shared import block_of

        return block_of(self._array) is not None
