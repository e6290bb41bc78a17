"""Small objects of PyTorch's top-level namespace: ``Size``, ``is_tensor``, ``is_floating_point``,
``is_complex``, the memory formats (``channels_last``, ...) and the ``strided`` layout."""
from .autograd.function import tensor_class


class Size(tuple):
    """A shape, PyTorch's ``torch.Size``: a tuple of ints that prints as ``minitorch.Size([2, 3])``
    and knows its element count.

    >>> import minitorch
    >>> s = minitorch.Size([2, 3])
    >>> s, s.numel(), s == (2, 3)
    (minitorch.Size([2, 3]), 6, True)
    """

    def numel(self):
        """The number of elements of a tensor of this shape (1 for ``Size([])``)."""
        n = 1
        for s in self:
            n *= s
        return n

    def __repr__(self):
        return f"minitorch.Size({list(self)})"

    def __getitem__(self, index):
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + other)

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(other + tuple(self))

    def __mul__(self, times):
        return Size(tuple(self) * times)

    __rmul__ = __mul__


def is_tensor(obj):
    """Whether ``obj`` is a minitorch Tensor (a Parameter counts).

    >>> import minitorch
    >>> minitorch.is_tensor(minitorch.zeros(1)), minitorch.is_tensor([1.0])
    (True, False)
    """
    return isinstance(obj, tensor_class())


def is_floating_point(input):
    """Whether ``input``'s dtype is a floating-point one (``input.is_floating_point()``).

    >>> import minitorch
    >>> minitorch.is_floating_point(minitorch.tensor([1, 2]))
    False
    """
    return input.is_floating_point()


def is_complex(input):
    """False for every tensor: minitorch computes with real numbers only."""
    if not isinstance(input, tensor_class()):
        raise TypeError(f"is_complex(): argument 'input' must be a Tensor, not {type(input).__name__}.")
    return False


class _Named:
    """A constant PyTorch code passes by name (``memory_format=minitorch.channels_last``); it prints as its name."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"minitorch.{self.name}"

    def __eq__(self, other):
        return type(other) is type(self) and other.name == self.name

    def __hash__(self):
        return hash(self.name)


class memory_format(_Named):
    """How a tensor's elements are laid out: ``contiguous_format`` (row-major: the only one minitorch
    makes), ``channels_last`` / ``channels_last_3d`` (accepted where PyTorch takes them; the elements
    stay row-major) and ``preserve_format`` (keep the input's)."""


class layout(_Named):
    """How a tensor is stored: ``strided`` (dense, with strides), the only layout minitorch has."""


contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
preserve_format = memory_format("preserve_format")
strided = layout("strided")
