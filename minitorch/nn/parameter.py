"""``Parameter``: a tensor that a ``Module`` learns.

A Parameter is an ordinary Tensor (a subclass) with ``requires_grad=True`` by
default. The only thing that makes it special is how a Module treats it:
assigning one as an attribute (``self.weight = Parameter(...)``) registers it,
so that ``module.parameters()`` hands it to the optimiser and
``module.state_dict()`` saves it.
"""
import numpy as np

from ..creation import empty
from ..dtypes import as_array
from ..tensor import Tensor


class Parameter(Tensor):
    """A learnable tensor. ``Parameter(t)`` shares ``t``'s memory (no copy), as in PyTorch.

    ``data`` may also be a numpy array or nested lists (copied, like ``minitorch.tensor``);
    ``None`` gives an empty float32 parameter.
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        self._device = "cpu"
        if data is None:
            self._array, self._version = np.zeros(0, np.float32), [0]
        elif isinstance(data, Tensor):
            self._array, self._version, self._device = data._array, data._version, data._device
        else:
            self._array, self._version = as_array(data), [0]
        self._node = self._view = None
        self.grad = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class Buffer(Tensor):
    """A tensor that a ``Module`` keeps as state but does not learn (PyTorch 2.5's ``nn.Buffer``):
    assigning one as an attribute registers it as a buffer, as ``register_buffer`` does, so it
    follows ``to(...)`` and sits in ``state_dict()`` (unless ``persistent=False``).

    ``Buffer(t)`` shares ``t``'s memory, detached from its graph; ``None`` gives an empty tensor.

    >>> import minitorch
    >>> layer = minitorch.nn.Module()
    >>> layer.steps = minitorch.nn.Buffer(minitorch.zeros(1))
    >>> list(layer.state_dict())
    ['steps']
    """

    __slots__ = ("persistent",)

    def __init__(self, data=None, *, persistent=True):
        data = empty(0) if data is None else data.detach()
        self._array, self._version, self._device = data._array, data._version, data._device
        self._node, self._view, self.grad, self.requires_grad = None, None, None, data.requires_grad
        self.persistent = bool(persistent)
