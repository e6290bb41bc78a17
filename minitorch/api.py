"""Small objects of PyTorch's top-level namespace: ``Size``, ``is_tensor``, ``is_floating_point``,
``is_complex``."""
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
