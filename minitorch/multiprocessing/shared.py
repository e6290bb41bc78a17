"""Tensors in shared memory: what ``Tensor.share_memory_()`` does, and how a shared tensor travels
to another process.

A tensor's storage is the numpy array at the end of its views' ``base`` chain
(``functions/strided.py``). ``share_memory_`` copies that storage into a named block of shared memory
(``multiprocessing.shared_memory.SharedMemory``: a file under ``/dev/shm`` on Linux, a named mapping
on Windows) and points the tensor (and, if it is a view, its base) at the same place in the block.
The block (a ``SharedBlock``) sits at the end of the new array's ``base`` chain, so every view taken
afterwards lies in it too, and the block lives as long as any array does.

- Children made by **fork** inherit the mapping: they read and write the same memory.
- Children made by **spawn** (and anything sent over a ``Queue`` or ``Pipe`` of ``multiprocessing``)
  receive their arguments pickled by ``multiprocessing``'s own pickler (``ForkingPickler``).
  ``register_reductions`` teaches it that a shared tensor travels as the block's name, its place in
  the block and its dtype; the receiver maps the same block (once per process) and builds a tensor
  on it. A tensor that is not shared pickles by value, as it does elsewhere (``pickle``, ``deepcopy``
  and ``minitorch.save`` always copy the values, shared or not).

The process that made a block removes its name when the block's last array is freed, or when it
exits (after joining its children); the others only unmap it. Memory already mapped stays valid
until every process has unmapped it, but a block can no longer be *received* after its maker
dropped it or exited (PyTorch counts references across processes; minitorch does not).
"""
import os
import weakref
from multiprocessing import reduction, util
from multiprocessing.shared_memory import SharedMemory

import numpy as np

from ..functions.strided import address, storage
from ..nn.parameter import Buffer, Parameter
from ..tensor import Tensor

_COWARDLY = ("Cowardly refusing to serialize non-leaf tensor which requires_grad, since autograd does not "
             "support crossing process boundaries.  If you just want to transfer the data, call detach() on "
             "the tensor before serializing (e.g., putting it on the queue).")


class SharedBlock:
    """One block of shared memory, seen by numpy as a flat array of bytes (``__array_interface__``):
    ``numpy.asarray(block)`` is that array, and its ``base`` is the block, which keeps the memory
    mapped while any array on it lives."""

    #: name -> block, for the blocks mapped in this process (a block received twice is mapped once)
    _mapped = weakref.WeakValueDictionary()
    #: the names of the blocks this process made, to remove at exit (a forked child inherits its
    #: parent's set, and makes a set of its own when it makes a block)
    _made, _made_by = set(), None

    def __init__(self, memory, maker_pid):
        self._memory, self.name, self.maker_pid = memory, memory.name, maker_pid
        self.nbytes = memory.size
        self.__array_interface__ = np.frombuffer(memory.buf, np.uint8).__array_interface__
        self._mapped[self.name] = self

    @classmethod
    def create(cls, nbytes):
        """A new block of ``nbytes`` bytes (at least one: the OS refuses empty ones), owned by this process."""
        memory = SharedMemory(create=True, size=max(int(nbytes), 1))
        if cls._made_by != os.getpid():  # once per process: a forked child inherits no finalizer
            util.Finalize(None, _remove_made_blocks, exitpriority=-1)  # -1: after children are joined
            cls._made, cls._made_by = set(), os.getpid()
        cls._made.add(memory.name)
        return cls(memory, os.getpid())

    @classmethod
    def attach(cls, name):
        """The block called ``name``, mapped into this process (once: later calls give the same block)."""
        block = cls._mapped.get(name)
        return block if block is not None else cls(SharedMemory(name=name), None)

    @property
    def address(self):
        """The address of the block's first byte in this process."""
        return self.__array_interface__["data"][0]

    def __del__(self):
        # No array is left on the block: unmap it, and remove its name if this process made it.
        self._memory.close()
        if self.maker_pid == os.getpid() and self.name in self._made:
            self._made.discard(self.name)
            self._memory.unlink()


def _remove_made_blocks():
    """At exit: remove the names of the blocks this process made that arrays still use (their memory
    stays mapped until the process ends)."""
    for name in list(SharedBlock._made):
        block = SharedBlock._mapped.get(name)
        if block is not None:
            block._memory.unlink()
    SharedBlock._made.clear()


def block_of(array):
    """The ``SharedBlock`` that ``array`` lies in, or None when its memory is the process's own."""
    base = array
    while base is not None and not isinstance(base, SharedBlock):
        base = getattr(base, "base", None)  # through numpy's views (and as_strided's DummyArray)
    return base


def _on_block(block, start, shape, dtype, strides):
    """An array on ``block`` starting ``start`` bytes into it (``strides`` in bytes, as numpy's)."""
    return np.ndarray(shape, dtype, buffer=np.asarray(block), offset=start, strides=strides)


def share(tensor):
    """Move ``tensor``'s storage into a new shared block (``Tensor.share_memory_``). A view moves with
    its base; other tensors on the old storage (views taken before) keep the old memory."""
    flat, _ = storage(tensor._array)
    block = SharedBlock.create(flat.nbytes)
    np.asarray(block)[:flat.nbytes].view(flat.dtype)[...] = flat
    base = tensor if tensor._view is None else tensor._view.base
    for t in (base,) if base is tensor else (base, tensor):
        a = t._array
        t._array = _on_block(block, address(a) - address(flat), a.shape, a.dtype, a.strides)


def reduce_tensor(tensor):
    """How ``multiprocessing`` pickles a tensor: a shared one as its block's name and place in it,
    any other by value (as ``pickle`` does)."""
    block = block_of(tensor._array)
    if block is None:
        return tensor.__reduce_ex__(2)
    if tensor.requires_grad and tensor._node is not None:
        raise RuntimeError(_COWARDLY)
    array = tensor._array
    subclasses = type(tensor).__mro__[:type(tensor).__mro__.index(Tensor)]
    extra = {name: getattr(tensor, name) for cls in subclasses for name in cls.__dict__.get("__slots__", ())}
    return _rebuild, (type(tensor), block.name, address(array) - block.address, array.shape, array.strides,
                      array.dtype.str, tensor.requires_grad, tensor._device, extra)


def _rebuild(cls, name, start, shape, strides, dtype, requires_grad, device, extra):
    """A tensor (of class ``cls``) on the shared block ``name``, as ``reduce_tensor`` described it."""
    block = SharedBlock.attach(name)
    tensor = cls._make(_on_block(block, start, shape, np.dtype(dtype), strides), requires_grad, None, device)
    for key, value in extra.items():
        setattr(tensor, key, value)
    return tensor


def register_reductions():
    """Make ``multiprocessing``'s pickler send shared tensors (and parameters, buffers) by name."""
    for cls in (Tensor, Parameter, Buffer):
        reduction.ForkingPickler.register(cls, reduce_tensor)
