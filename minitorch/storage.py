"""A tensor's storage, as PyTorch shows it: the one block of memory a tensor and its views share.

numpy (cupy on a GPU) owns the memory: the array at the end of a view's ``base`` chain
(``functions/strided.py`` finds it). ``Tensor.untyped_storage()`` gives it as bytes and
``Tensor.storage()`` (deprecated in PyTorch, with its warning) as elements of the tensor's dtype.
Programs use them to ask whether two tensors share memory
(``a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()``) and how large it is.
These objects only describe the memory: reading and writing go through tensors.
"""
import warnings

from .functions.strided import address, storage

_TYPED_STORAGE_WARNING = (
    "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the only storage "
    "class. This should only matter to you if you are using storages directly.  To access UntypedStorage "
    "directly, use tensor.untyped_storage() instead of tensor.storage()")


class UntypedStorage:
    """The bytes of a tensor's memory (``Tensor.untyped_storage()``).

    >>> import minitorch
    >>> x = minitorch.zeros(4)
    >>> s = x[1:].untyped_storage()
    >>> s.nbytes(), s.data_ptr() == x.data_ptr()
    (16, True)
    """

    def __init__(self, flat, device):
        self._flat, self.device = flat, device

    def data_ptr(self):
        """The address of the first byte of the memory (where the tensor owning it starts)."""
        return address(self._flat)

    def nbytes(self):
        """The size of the memory, in bytes."""
        return int(self._flat.nbytes)

    def size(self):
        """The size of the memory, in bytes (its elements are bytes)."""
        return self.nbytes()

    def element_size(self):
        """1: an untyped storage counts bytes."""
        return 1

    def __len__(self):
        return self.nbytes()

    def __repr__(self):
        return f"<UntypedStorage of {self.nbytes()} bytes on {self.device}>"


class TypedStorage(UntypedStorage):
    """A tensor's memory counted in elements of its dtype (``Tensor.storage()``).

    >>> import warnings, minitorch
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     s = minitorch.zeros(2, 3, dtype=minitorch.float64).storage()
    >>> s.size(), s.element_size(), s.dtype
    (6, 8, minitorch.float64)
    """

    def __init__(self, flat, device, dtype):
        super().__init__(flat, device)
        self.dtype = dtype

    def size(self):
        """The number of elements of the tensor's dtype that the memory holds."""
        return int(self._flat.size)

    def element_size(self):
        """The size of one element, in bytes."""
        return int(self._flat.itemsize)

    def __len__(self):
        return self.size()

    def untyped(self):
        """The same memory as an ``UntypedStorage``."""
        return UntypedStorage(self._flat, self.device)

    def tolist(self):
        """The memory's elements as a Python list, in memory order."""
        return self._flat.tolist()

    def __repr__(self):
        return f"<TypedStorage of {self.size()} {self.dtype} elements on {self.device}>"


def untyped_storage_of(tensor):
    """The ``UntypedStorage`` that ``tensor`` lies in."""
    return UntypedStorage(storage(tensor._array)[0], tensor.device)


def typed_storage_of(tensor):
    """The ``TypedStorage`` that ``tensor`` lies in; warns as PyTorch does."""
    warnings.warn(_TYPED_STORAGE_WARNING, UserWarning, stacklevel=3)
    return TypedStorage(storage(tensor._array)[0], tensor.device, tensor.dtype)
