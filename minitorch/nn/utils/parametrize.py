"""Parametrizations (``torch.nn.utils.parametrize``): a module's tensor computed from other tensors.

``register_parametrization(module, "weight", P())`` keeps the weight's value as
``module.parametrizations.weight.original`` (the same Parameter object, so an optimiser built
before still holds it) and turns ``module.weight`` into a property that returns
``P()(original)`` on every access, as an ordinary graph of engine ops: the gradient reaches
``original`` through ``P``'s forward. Registering another parametrization on the same name chains
it: ``P2(P1(original))``.

A parametrization may define ``right_inverse(value)``: it then chooses what is stored, such that
``forward(right_inverse(value)) == value``. It is applied at registration and when a tensor is
assigned to ``module.weight``. One that returns a tuple stores ``original0``, ``original1``, ...
and its ``forward`` receives them all (weight normalization keeps the norm and the direction).

The property lives on a subclass made for the module (``ParametrizedLinear``, ...), as in
PyTorch; ``remove_parametrizations`` puts the plain class back. The state-dict keys are
PyTorch's (``parametrizations.weight.original``, ``parametrizations.weight.0.<buffer>``), so
checkpoints move both ways. ``cached()`` computes each parametrized tensor once inside its block.
"""
import contextlib

from ...autograd.grad_mode import no_grad
from ...tensor import Tensor
from ..container import ModuleDict, ModuleList
from ..module import Module
from ..parameter import Parameter

__all__ = ["cached", "is_parametrized", "register_parametrization", "remove_parametrizations",
           "type_before_parametrizations", "ParametrizationList"]

_cache_enabled = 0
_cache = {}


@contextlib.contextmanager
def cached():
    """Inside the block, each parametrized tensor is computed once, at its first access, and reused
    (a weight used at every step of an RNN); the cache is emptied on leaving the outermost block.

    >>> import minitorch
    >>> from minitorch.nn.utils import parametrize
    >>> with parametrize.cached():
    ...     pass
    """
    global _cache_enabled
    _cache_enabled += 1
    try:
        yield
    finally:
        _cache_enabled -= 1
        if not _cache_enabled:
            _cache.clear()


def _set_value(original, value):
    """Make ``original`` hold ``value``'s values in place (the same tensor object), as PyTorch's ``set_``."""
    with no_grad():
        if original.shape == value.shape and original.dtype == value.dtype:
            original.copy_(value)
        else:
            original._array = value.detach()._array.copy()
            original._version[0] += 1


def _register_tensor(module, name, value, like):
    """Register ``value`` under ``name``: a Parameter (with ``like``'s requires_grad) if ``like`` is one,
    else a buffer."""
    if isinstance(like, Parameter):
        module.register_parameter(name, value if isinstance(value, Parameter)
                                  else Parameter(value, requires_grad=like.requires_grad))
    else:
        module.register_buffer(name, value)


def _check_same(what, first, second, label_first, label_second):
    """Refuse a parametrization that changes the dtype or the shape (``unsafe=False``)."""
    if not isinstance(second, Tensor):
        raise ValueError(f"A parametrization must return a tensor. Got {type(second).__name__}.")
    for attribute in ("dtype", "shape"):
        a, b = getattr(first, attribute), getattr(second, attribute)
        if a != b:
            raise ValueError(
                f"{what} may not change the {attribute} of the tensor, unless the `unsafe` flag is enabled.\n"
                f"{label_first}.{attribute}: {a}\n{label_second}.{attribute}: {b}")


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor, applied in order, and the tensor(s) they start from
    (``original``, or ``original0``, ``original1``, ... when ``right_inverse`` returns several)."""

    def __init__(self, modules, original, unsafe=False):
        if len(modules) == 0:
            raise ValueError("ParametrizationList requires one or more modules.")
        super().__init__(modules)
        self.unsafe = unsafe
        original_dtype, original_shape = original.dtype, original.shape
        new = original
        with no_grad():
            for module in reversed(self):
                if hasattr(module, "right_inverse"):
                    new = module.right_inverse(new)
        if not isinstance(new, (Tensor, list, tuple)):
            raise ValueError("'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). "
                             f"Got {type(new).__name__}")
        self.is_tensor = isinstance(new, Tensor)
        self.ntensors = 1 if self.is_tensor else len(new)
        if self.is_tensor:
            if original.dtype != new.dtype:
                raise ValueError("When `right_inverse` outputs one tensor, it may not change the dtype.\n"
                                 f"original.dtype: {original.dtype}\nright_inverse(original).dtype: {new.dtype}")
            _set_value(original, new)  # the same object: an optimiser that holds it keeps working
            _register_tensor(self, "original", original, original)
        else:
            for i, value in enumerate(new):
                if not isinstance(value, Tensor):
                    raise ValueError("'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). "
                                     f"Got element {i} of the sequence with type {type(value).__name__}.")
                _register_tensor(self, f"original{i}", value.detach().clone(), original)
        if not unsafe:
            z = self()
            if not isinstance(z, Tensor):
                raise ValueError(f"A parametrization must return a tensor. Got {type(z).__name__}.")
            if z.dtype != original_dtype or z.shape != original_shape:
                what = "dtype" if z.dtype != original_dtype else "shape"
                raise ValueError(
                    f"Registering a parametrization may not change the {what} of the tensor, unless `unsafe` flag "
                    f"is enabled.\nunparametrized {what}: {getattr(original, what) if what == 'dtype' else original_shape}"
                    f"\nparametrized {what}: {getattr(z, what)}")

    def right_inverse(self, value):
        """Store ``value`` (what was assigned to the parametrized attribute): each parametrization's
        ``right_inverse`` from the last to the first, then into the original(s), in place."""
        with no_grad():
            for module in reversed(self):
                if not hasattr(module, "right_inverse"):
                    raise RuntimeError(f"parametrization {type(module).__name__} does not implement right_inverse.")
                value = module.right_inverse(value)
            if self.is_tensor:
                if not isinstance(value, Tensor):
                    raise ValueError(f"`right_inverse` should return a tensor. Got {type(value).__name__}")
                if value.dtype != self.original.dtype:
                    raise ValueError(f"The tensor returned by `right_inverse` has dtype {value.dtype} "
                                     f"while `original` has dtype {self.original.dtype}")
                _set_value(self.original, value)
                return
            if not isinstance(value, (list, tuple)) or len(value) != self.ntensors:
                raise ValueError(f"'right_inverse' must return a sequence of tensors of length {self.ntensors}. "
                                 f"Got {type(value).__name__}.")
            for i, tensor in enumerate(value):
                _set_value(getattr(self, f"original{i}"), tensor)

    def forward(self):
        """The parametrized tensor: the parametrizations applied in order to the original(s)."""
        if self.is_tensor:
            x = self[0](self.original)
        else:
            x = self[0](*(getattr(self, f"original{i}") for i in range(self.ntensors)))
        for module in list(self)[1:]:
            x = module(x)
        return x


def _refuse_registering_over_property(self, name, value):
    """``module.weight = nn.Parameter(...)`` on a parametrized name is refused, as in PyTorch (a
    plain tensor goes to the property's setter, that is ``right_inverse``)."""
    if isinstance(value, (Parameter, Module)) and is_parametrized(self, name):
        raise KeyError(f"attribute '{name}' already exists")
    super(type(self), self).__setattr__(name, value)


def _inject_new_class(module):
    """Give ``module`` a class of its own (``Parametrized<Class>``) to hold the properties."""
    cls = module.__class__
    module.__class__ = type(f"Parametrized{cls.__name__}", (cls,),
                            {"__doc__": cls.__doc__, "__setattr__": _refuse_registering_over_property})


def _inject_property(module, tensor_name):
    """``module.<tensor_name>``: the parametrized tensor (cached inside ``cached()``); assigning to it
    runs ``right_inverse``."""

    def get_parametrized(self):
        parametrization = self.parametrizations[tensor_name]
        if not _cache_enabled:
            return parametrization()
        key = (id(self), tensor_name)
        if key not in _cache:
            _cache[key] = parametrization()
        return _cache[key]

    def set_original(self, value):
        self.parametrizations[tensor_name].right_inverse(value)

    setattr(module.__class__, tensor_name, property(get_parametrized, set_original))


def register_parametrization(module, tensor_name, parametrization, *, unsafe=False):
    """Make ``module.<tensor_name>`` the output of ``parametrization`` (an ``nn.Module``) applied to
    the stored original; a second call on the same name chains another one. Returns ``module``.

    ``unsafe=True`` allows a parametrization that changes the tensor's shape or dtype.

    >>> import minitorch
    >>> class Symmetric(minitorch.nn.Module):
    ...     def forward(self, x):
    ...         return x.triu() + x.triu(1).mT
    >>> lin = register_parametrization(minitorch.nn.Linear(3, 3), "weight", Symmetric())
    >>> bool((lin.weight == lin.weight.T).all()), tuple(lin.state_dict())
    (True, ('bias', 'parametrizations.weight.original'))
    """
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        if not unsafe:
            current = getattr(module, tensor_name)
            new = parametrization(current)
            _check_same("Registering a parametrization", current, new,
                        f"module.{tensor_name}", f"parametrization(module.{tensor_name})")
            if hasattr(parametrization, "right_inverse"):
                back = parametrization.right_inverse(new)
                if not isinstance(back, Tensor):
                    raise ValueError(f"parametrization.right_inverse must return a tensor. Got: {type(back).__name__}")
                _check_same("The tensor returned by parametrization.right_inverse", current, back,
                            f"module.{tensor_name}", "returned")
        module.parametrizations[tensor_name].append(parametrization)
        module.parametrizations[tensor_name].unsafe |= unsafe
    elif tensor_name in module._buffers or tensor_name in module._parameters:
        original = getattr(module, tensor_name)
        parametrizations = ParametrizationList([parametrization], original, unsafe=unsafe)
        delattr(module, tensor_name)
        if not is_parametrized(module):
            _inject_new_class(module)
            module.parametrizations = ModuleDict()
        module.parametrizations[tensor_name] = parametrizations
        _inject_property(module, tensor_name)
    else:
        raise ValueError(f"Module '{module}' does not have a parameter, a buffer, or a parametrized element "
                         f"with name '{tensor_name}'")
    return module


def is_parametrized(module, tensor_name=None):
    """Whether ``module`` has a parametrization (on ``tensor_name``, when given).

    >>> import minitorch
    >>> is_parametrized(minitorch.nn.Linear(2, 2))
    False
    """
    parametrizations = module.__dict__.get("_modules", {}).get("parametrizations")
    if not isinstance(parametrizations, ModuleDict):
        return False
    return len(parametrizations) > 0 if tensor_name is None else tensor_name in parametrizations


def remove_parametrizations(module, tensor_name, leave_parametrized=True):
    """Remove every parametrization of ``module.<tensor_name>``; returns ``module``.

    ``leave_parametrized=True``: the plain tensor keeps the current parametrized value (in the
    original Parameter object when there is one original); ``False``: it gets the original back.
    """
    if not is_parametrized(module, tensor_name):
        raise ValueError(f"Module {module} does not have a parametrization on {tensor_name}")
    parametrizations = module.parametrizations[tensor_name]
    if parametrizations.is_tensor:
        original = parametrizations.original
        if leave_parametrized:
            with no_grad():
                _set_value(original, getattr(module, tensor_name))
    else:
        if not leave_parametrized:
            raise ValueError("Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is "
                             "parametrized in terms of a sequence of tensors.")
        with no_grad():
            value = getattr(module, tensor_name).detach()
        original = Parameter(value, requires_grad=parametrizations.original0.requires_grad) \
            if isinstance(parametrizations.original0, Parameter) else value
    delattr(module.__class__, tensor_name)
    del module.parametrizations[tensor_name]
    _register_tensor(module, tensor_name, original, original)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = module.__class__.__bases__[0]
    return module


def type_before_parametrizations(module):
    """The module's class without the ``Parametrized...`` subclass that parametrizations add.

    >>> import minitorch
    >>> type_before_parametrizations(minitorch.nn.Linear(2, 2)).__name__
    'Linear'
    """
    return module.__class__.__bases__[0] if is_parametrized(module) else type(module)

