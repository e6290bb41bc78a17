"""Containers that hold sub-modules: ``Sequential``, ``ModuleList``, ``ModuleDict``.

Putting layers in a container (rather than a plain Python list or dict) registers
them, so their parameters reach ``parameters()``, ``state_dict()`` and ``to()``.
Children are named by position ("0", "1", ...) or by key, giving state-dict keys
such as ``"0.weight"``, exactly as in PyTorch.
"""
from collections import OrderedDict
from collections.abc import Mapping

from .module import Module


def _key_at(container, index):
    """The registry key of the module at integer position ``index`` (negative counts from the end)."""
    n = len(container._modules)
    if not -n <= index < n:
        raise IndexError(f"{type(container).__name__}: index {index} is out of range for {n} modules.")
    return list(container._modules)[index % n]


class Sequential(Module):
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
            return Sequential(OrderedDict(list(self._modules.items())[index]))
        return self._modules[_key_at(self, index)]

    def __setitem__(self, index, module):
        setattr(self, _key_at(self, index), module)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self

    def forward(self, input):
        for module in self:
            input = module(input)
        return input


class ModuleList(Module):
    """A list of modules (registered, unlike a Python list). It has no ``forward``: loop over it."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _renumber(self, modules):
        self._modules.clear()
        for module in modules:
            self.add_module(str(len(self._modules)), module)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ModuleList(list(self._modules.values())[index])
        return self._modules[_key_at(self, index)]

    def __setitem__(self, index, module):
        setattr(self, _key_at(self, index), module)

    def __delitem__(self, index):
        modules = list(self._modules.values())
        del modules[index]
        self._renumber(modules)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __iadd__(self, modules):
        return self.extend(modules)

    def append(self, module):
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        """Append every module of an iterable; returns self."""
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        """Insert ``module`` before position ``index``."""
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList.insert: expected an nn.Module, got {type(module).__name__}.")
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._renumber(modules)


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

    def update(self, modules):
        """Add modules from a mapping or from an iterable of (key, module) pairs."""
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for key, module in pairs:
            self[key] = module
