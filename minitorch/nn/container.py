"""Containers that hold sub-modules: ``Sequential``, ``ModuleList``, ``ModuleDict``; and parameters:
``ParameterList``, ``ParameterDict``.

Putting layers in a container (rather than a plain Python list or dict) registers
them, so their parameters reach ``parameters()``, ``state_dict()`` and ``to()``.
Children are named by position ("0", "1", ...) or by key, giving state-dict keys
such as ``"0.weight"``, exactly as in PyTorch.
"""
import itertools
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from ..tensor import Tensor
from .module import Module, _addindent
from .parameter import Parameter


def _renumbered(container, values, registry="_modules"):
    """Refill ``registry`` with ``values`` under the names "0", "1", ... (after a delete or insert)."""
    getattr(container, registry).clear()
    for index, value in enumerate(values):
        setattr(container, str(index), value)


class _Indexed:
    """What ``Sequential``, ``ModuleList`` and ``ParameterList`` share: members named "0", "1", ...
    in one registry, reached by position (negative counts from the end) or by slice."""

    _registry = "_modules"

    def _members(self):
        return getattr(self, self._registry)

    def _key(self, index):
        members = self._members()
        index = index.__index__()
        if not -len(members) <= index < len(members):
            raise IndexError(f"{type(self).__name__}: index {index} is out of range for {len(members)} members.")
        return list(members)[index % len(members)]

    def __len__(self):
        return len(self._members())

    def __iter__(self):
        return iter(self._members().values())

    def __delitem__(self, index):
        values = list(self._members().values())
        del values[index]
        _renumbered(self, values, self._registry)

    def pop(self, key):
        """Remove the member at position ``key`` (an int or a slice) and return it."""
        value = self[key]
        del self[key]
        return value

    def __dir__(self):
        return [key for key in super().__dir__() if not key.isdigit()]


class Sequential(_Indexed, Module):
    """Run modules one after another: ``Sequential(a, b, c)(x) == c(b(a(x)))``.

    Build it from modules (named "0", "1", ...) or from an ``OrderedDict`` of named modules.
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(args):
                self.add_module(str(index), module)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(OrderedDict(list(self._modules.items())[index]))
        return self._modules[self._key(index)]

    def __setitem__(self, index, module):
        setattr(self, self._key(index), module)

    def append(self, module):
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self

    def insert(self, index, module):
        """Insert ``module`` before position ``index`` (the later ones move up); returns self."""
        if not isinstance(module, Module):
            raise AssertionError(f"Sequential.insert: module should be of type: Module, got {type(module).__name__}.")
        n = len(self)
        if not -n <= index <= n:
            raise IndexError(f"Sequential.insert: index {index} is out of range for {n} modules.")
        modules = list(self)
        modules.insert(index, module)
        _renumbered(self, modules)
        return self

    def extend(self, sequential):
        """Append every module of an iterable; returns self."""
        for module in sequential:
            self.append(module)
        return self

    def _check_other(self, op, other):
        if not isinstance(other, Sequential):
            raise ValueError(f"Sequential {op}: supports only objects of Sequential class, but {type(other)} is given.")

    def __add__(self, other):
        self._check_other("+", other)
        return Sequential().extend(self).extend(other)

    def __iadd__(self, other):
        self._check_other("+=", other)
        return self.extend(other)

    def __mul__(self, other):
        if not isinstance(other, int) or isinstance(other, bool):
            raise TypeError(f"unsupported operand type(s) for *: {type(self)} and {type(other)}")
        if other <= 0:
            raise ValueError(f"Non-positive multiplication factor {other} for {type(self)}")
        return Sequential().extend(list(self) * other)

    __rmul__ = __mul__

    def __imul__(self, other):
        repeated = self * other
        _renumbered(self, list(repeated))
        return self

    def forward(self, input):
        for module in self:
            input = module(input)
        return input


class ModuleList(_Indexed, Module):
    """A list of modules (registered, unlike a Python list). It has no ``forward``: loop over it."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ModuleList(list(self._modules.values())[index])
        return self._modules[self._key(index)]

    def __setitem__(self, index, module):
        setattr(self, self._key(index), module)

    def __iadd__(self, modules):
        return self.extend(modules)

    def __add__(self, other):
        return ModuleList(itertools.chain(self, other))

    def __repr__(self):
        """As PyTorch's: runs of equal modules print once, as ``(0-2): 3 x Linear(...)``."""
        if not len(self):
            return self._get_name() + "()"
        lines = []
        for text, run in itertools.groupby(enumerate(map(repr, self)), key=lambda item: item[1]):
            indices = [i for i, _ in run]
            label = f"({indices[0]})" if len(indices) == 1 else f"({indices[0]}-{indices[-1]}): {len(indices)} x"
            lines.append(_addindent(f"{label}{':' if len(indices) == 1 else ''} {text}", 2))
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"

    def append(self, module):
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        """Append every module of an iterable; returns self."""
        if not isinstance(modules, Iterable):
            raise TypeError(f"ModuleList.extend should be called with an iterable, but got {type(modules).__name__}")
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        """Insert ``module`` before position ``index``."""
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList.insert: expected an nn.Module, got {type(module).__name__}.")
        modules = list(self._modules.values())
        modules.insert(index, module)
        _renumbered(self, modules)


class ModuleDict(Module):
    """A dict of modules (registered, unlike a Python dict), in insertion order."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def keys(self):
        return self._modules.keys()

    def items(self):
        return self._modules.items()

    def values(self):
        return self._modules.values()

    def pop(self, key):
        """Remove ``key`` and return its module."""
        return self._modules.pop(key)

    def clear(self):
        """Remove every module."""
        self._modules.clear()

    def update(self, modules):
        """Add modules from a mapping or from an iterable of (key, module) pairs."""
        for key, module in _pairs(type(self).__name__, modules):
            self[key] = module


def _pairs(container, items):
    """The (key, value) pairs of a mapping, or of an iterable of pairs, with a clear error otherwise."""
    if isinstance(items, Mapping) or isinstance(items, (ModuleDict, ParameterDict)):
        return list(items.items())
    if not isinstance(items, Iterable):
        raise TypeError(
            f"{container}.update should be called with an iterable of key/value pairs, but got {type(items).__name__}"
        )
    pairs = [tuple(pair) for pair in items]
    for index, pair in enumerate(pairs):
        if len(pair) != 2:
            raise ValueError(f"{container} update sequence element #{index} has length {len(pair)}; 2 is required")
    return pairs


def _as_parameter(value):
    """A plain tensor stored in a ParameterList/Dict becomes a Parameter (sharing memory), as in PyTorch."""
    return Parameter(value) if isinstance(value, Tensor) and not isinstance(value, Parameter) else value


def _parameter_line(key, value):
    if not isinstance(value, Tensor):
        return f"  ({key}): Object of type: {type(value).__name__}"
    device = " (cuda:0)" if value.device == "cuda" else ""
    size = "x".join(str(n) for n in value.shape)
    return f"  ({key}): Parameter containing: [{value.dtype} of size {size}{device}]"


class ParameterList(_Indexed, Module):
    """A list of parameters (registered, unlike a Python list), named "0", "1", ... in ``state_dict``.

    Plain tensors put in it become Parameters (sharing memory).
    """

    _registry = "_parameters"

    def __init__(self, values=None):
        super().__init__()
        if values is not None:
            self.extend(values)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ParameterList(list(self)[index])
        return self._parameters[self._key(index)]

    def __setitem__(self, index, value):
        setattr(self, self._key(index), _as_parameter(value))

    def __setattr__(self, name, value):
        super().__setattr__(name, _as_parameter(value) if name.isdigit() else value)

    def __iadd__(self, values):
        return self.extend(values)

    def append(self, value):
        """Add ``value`` at the end; returns self."""
        setattr(self, str(len(self)), value)
        return self

    def extend(self, values):
        """Append every value of an iterable; returns self."""
        if not isinstance(values, Iterable) or isinstance(values, Tensor):
            raise TypeError(f"ParameterList.extend should be called with an iterable, but got {type(values).__name__}")
        for value in values:
            self.append(value)
        return self

    def extra_repr(self):
        return "\n".join(_parameter_line(index, value) for index, value in enumerate(self))


class ParameterDict(Module):
    """A dict of parameters (registered, unlike a Python dict), in insertion order.

    Plain tensors put in it become Parameters. A plain ``dict`` given to the constructor or to
    ``update`` is added in sorted key order, as PyTorch does (an ``OrderedDict`` keeps its order).
    """

    def __init__(self, parameters=None):
        super().__init__()
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key):
        return self._parameters[key]

    def __setitem__(self, key, value):
        if isinstance(value, Tensor):
            self.register_parameter(key, _as_parameter(value))
        else:
            setattr(self, key, value)

    def __delitem__(self, key):
        del self._parameters[key]

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters)

    def __contains__(self, key):
        return key in self._parameters

    def keys(self):
        """The names, in order."""
        return self._parameters.keys()

    def items(self):
        """The (name, parameter) pairs, in order."""
        return self._parameters.items()

    def values(self):
        """The parameters, in order."""
        return self._parameters.values()

    def get(self, key, default=None):
        """The parameter called ``key``, or ``default``."""
        return self._parameters.get(key, default)

    def pop(self, key):
        """Remove ``key`` and return its parameter."""
        return self._parameters.pop(key)

    def clear(self):
        """Remove every parameter."""
        self._parameters.clear()

    def setdefault(self, key, default=None):
        """The parameter called ``key``; if there is none, store ``default`` under it first."""
        if key not in self:
            self[key] = default
        return self[key]

    def copy(self):
        """A new ParameterDict holding the same Parameter objects."""
        return ParameterDict(OrderedDict(self.items()))

    def update(self, parameters):
        """Add parameters from a mapping or from an iterable of (key, parameter) pairs."""
        pairs = _pairs(type(self).__name__, parameters)
        if isinstance(parameters, dict) and not isinstance(parameters, OrderedDict):
            pairs = sorted(pairs, key=lambda pair: pair[0])
        for key, value in pairs:
            self[key] = value

    def extra_repr(self):
        return "\n".join(_parameter_line(key, value) for key, value in self.items())
