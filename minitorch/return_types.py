"""The named tuples that ops return (``values, indices = x.max(dim=1)``), as PyTorch's
``torch.return_types``: a tuple with named fields, whose type is named after the op
(``minitorch.return_types.max``) and which prints as PyTorch prints it::

    >>> import minitorch
    >>> minitorch.tensor([[1, 5], [7, 2]]).max(dim=1)
    minitorch.return_types.max(
    values=tensor([5, 7]),
    indices=tensor([1, 0]))
"""
from collections import namedtuple


def _repr(self):
    fields = ",\n".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
    return f"{__name__}.{type(self).__name__}(\n{fields})"


def return_type(name, fields):
    """A new named-tuple type ``name`` with ``fields``, kept in this module (so results pickle)."""
    cls = type(name, (namedtuple(name, fields),), {"__slots__": (), "__repr__": _repr, "__module__": __name__})
    globals()[name] = cls
    return cls
