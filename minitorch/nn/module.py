"""``Module``: the base class of every layer and model.

A Module is a Python object that keeps three registries, filled in automatically
when you assign attributes in ``__init__``:

- ``_parameters``: ``self.weight = nn.Parameter(...)``  (learned, given to the optimiser)
- ``_modules``:    ``self.fc1 = nn.Linear(...)``       (sub-layers, searched recursively)
- ``_buffers``:    ``self.register_buffer("mean", t)`` (state that is saved but not learned)

Everything else follows from walking those registries: ``parameters()``,
``state_dict()`` with PyTorch's dotted names (``fc1.weight``), ``train()``/``eval()``,
``zero_grad()``, ``to(dtype)`` and the printed tree. Subclasses write ``forward``;
calling the module (``model(x)``) runs it, with any hooks (``hooks.py``) around it.
"""
import warnings
from collections import OrderedDict
from typing import Any, Dict, TypeVar

from .. import checks, dtypes
from ..autograd.grad_mode import no_grad
from ..device import check_device, move, names_a_device
from ..backends import compile as compile_model
from ..creation import empty_like
from ..tensor import Tensor
from .hooks import ModuleHooks
from .module_state import ModuleState, _IncompatibleKeys  # noqa: F401  (_IncompatibleKeys: PyTorch's import path)
from .parameter import Buffer, Parameter


def _join(prefix, name):
    return f"{prefix}.{name}" if prefix else name


def _addindent(text, spaces):
    """Indent every line of ``text`` but the first (for nested reprs)."""
    return text.replace("\n", "\n" + " " * spaces)


class Module(ModuleHooks, ModuleState):
    """Base class for layers and models: subclass it, assign layers in ``__init__``, write ``forward``.

    Example::

        class MLP(nn.Module):
            def __init__(self):
                super().__init__()          # must come first: it creates the registries
                self.fc1 = nn.Linear(4, 8)  # registered as a child module "fc1"
                self.fc2 = nn.Linear(8, 2)

            def forward(self, x):
                return self.fc2(F.relu(self.fc1(x)))
    """

    T_destination = TypeVar("T_destination", bound=Dict[str, Any])  # state_dict's destination type, as PyTorch's
    call_super_init = False  # PyTorch's flag for multiple inheritance; minitorch's __init__ takes no arguments
    dump_patches = False  # PyTorch's flag for old serialised modules; minitorch never pickles module source

    def __init__(self):
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", OrderedDict())
        self._init_hooks()
        self._init_state_dict_hooks()

    def forward(self, *input):
        """The computation of the module: every subclass defines it (call the module, not ``forward``)."""
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" method: define '
            f"forward(self, ...) in your subclass."
        )

    def __call__(self, *args, **kwargs):
        return self._call_impl(*args, **kwargs)

    def _get_name(self):
        """The name shown in the repr: the class name."""
        return type(self).__name__

    # ------------------------------------------------------------- registration
    def _check_init(self, what, name):
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"cannot register {what} {name!r} before Module.__init__() ran: call "
                f"super().__init__() first in {type(self).__name__}.__init__."
            )

    def _check_name(self, op, name, registry):
        self._check_init("an attribute", name)
        if not isinstance(name, str):
            raise TypeError(f"{op}: the name must be a string, got {type(name).__name__}.")
        if name == "" or "." in name:
            raise KeyError(f'{op}: the name must be a non-empty string without ".", got "{name}".')
        if hasattr(self, name) and name not in registry:
            raise KeyError(f"{op}: attribute {name!r} already exists on {type(self).__name__}.")

    def _forget(self, name):
        """Remove ``name`` from every registry and from the plain attributes."""
        ### BEGIN SOLUTION 3.17: remove the name from every registry and from the plain attributes
        self.__dict__.pop(name, None)
        for registry in (self._parameters, self._buffers, self._modules):
            registry.pop(name, None)
        self._non_persistent_buffers.discard(name)
        ### END SOLUTION

    def register_parameter(self, name, param):
        """Register ``param`` (a Parameter, or None for "no such parameter", like a missing bias)."""
        self._check_name("register_parameter", name, self._parameters)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"register_parameter: {name!r} must be an nn.Parameter or None, got "
                f"{type(param).__name__}. Wrap a tensor as nn.Parameter(tensor)."
            )
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Register a tensor that is part of the module's state but not learned (e.g. running means).

        Buffers follow ``to(dtype)`` and appear in ``state_dict()`` unless ``persistent=False``.
        """
        self._check_name("register_buffer", name, self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"register_buffer: {name!r} must be a Tensor or None, got {type(tensor).__name__}."
            )
        ### BEGIN SOLUTION 3.17: store the buffer and remember whether state_dict saves it
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers.discard(name)
        else:
            self._non_persistent_buffers.add(name)
        ### END SOLUTION

    def add_module(self, name, module):
        """Register ``module`` as a child called ``name`` (what ``self.name = module`` does)."""
        self._check_name("add_module", name, self._modules)
        if module is not None and not isinstance(module, Module):
            raise TypeError(
                f"{type(self).__name__}: the child at {name!r} (add_module) must be an nn.Module or None, "
                f"got {type(module).__name__}."
            )
        self._modules[name] = module

    register_module = add_module

    def __setattr__(self, name, value):
        ### BEGIN SOLUTION 3.17: register a Parameter or Module (a Buffer as register_buffer) under its name, keeping its place when replaced and no other attribute of that name; a registered name takes only its kind or None (a clear TypeError otherwise); anything else is a plain attribute
        params = self.__dict__.get("_parameters")
        if isinstance(value, (Parameter, Module)):
            self._check_init(type(value).__name__, name)
            registry = self._parameters if isinstance(value, Parameter) else self._modules
            if name not in registry:  # replacing keeps the position (and the state-dict order)
                self._forget(name)
            registry[name] = value
        elif isinstance(value, Buffer):  # nn.Buffer: registered as register_buffer would
            self._check_init("Buffer", name)
            if name not in self._buffers:
                self._forget(name)
            self.register_buffer(name, value, persistent=value.persistent)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign a {type(value).__name__} as parameter {name!r} of "
                    f"{type(self).__name__}: expected an nn.Parameter or None. Wrap it as "
                    f"nn.Parameter(value), or update the values in place under minitorch.no_grad()."
                )
            params[name] = None
        elif params is not None and name in self._modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign a {type(value).__name__} as child module {name!r} of "
                    f"{type(self).__name__}: expected an nn.Module or None."
                )
            self._modules[name] = None
        elif params is not None and name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign a {type(value).__name__} as buffer {name!r} of "
                    f"{type(self).__name__}: expected a Tensor or None."
                )
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)
        ### END SOLUTION

    def __getattr__(self, name):
        ### BEGIN SOLUTION 3.17: find a name that normal lookup missed among the parameters, buffers and children (AttributeError as Python's otherwise)
        # Only called when normal lookup fails: parameters, buffers and children live here.
        d = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            if registry in d and name in d[registry]:
                return d[registry][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        ### END SOLUTION

    def __delattr__(self, name):
        ### BEGIN SOLUTION 3.17: delete a registered name from its registry, or a plain attribute
        if any(name in r for r in (self._parameters, self._buffers, self._modules)):
            self._forget(name)
        else:
            object.__delattr__(self, name)
        ### END SOLUTION

    def __dir__(self):
        registered = [*self._parameters, *self._buffers, *self._modules]
        return sorted(set(super().__dir__()) | set(registered))

    # ---------------------------------------------------------------- traversal
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """Yield ``(dotted_name, module)`` for this module ("") and every descendant, each once."""
        ### BEGIN SOLUTION 3.18: yield (dotted name, module) for self (prefix) and then every descendant depth-first in registration order, each module once unless remove_duplicate is False
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(memo, _join(prefix, name), remove_duplicate)
        ### END SOLUTION

    def modules(self, remove_duplicate=True):
        """This module and every descendant (each once, unless ``remove_duplicate=False``)."""
        for _, module in self.named_modules(remove_duplicate=remove_duplicate):
            yield module

    def get_submodule(self, target):
        """The descendant at dotted path ``target`` (``"encoder.layers.0"``); ``""`` is self."""
        module = self
        for item in target.split(".") if target else []:
            if not hasattr(module, item):
                raise AttributeError(f"{module._get_name()} has no attribute `{item}`")
            module = getattr(module, item)
            if not isinstance(module, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return module

    def set_submodule(self, target, module, strict=False):
        """Put ``module`` at dotted path ``target``, replacing what is there (``strict=True``:
        only where a submodule already exists)."""
        if not target:
            raise ValueError("set_submodule: cannot set the submodule without a target name; target is ''.")
        if not isinstance(module, Module):
            raise ValueError(f"set_submodule: `module` is not an nn.Module, found {type(module)}.")
        parent_path, _, name = target.rpartition(".")
        parent = self.get_submodule(parent_path)
        if strict and not hasattr(parent, name):
            raise AttributeError(f"{parent._get_name()} has no attribute `{name}`")
        if hasattr(parent, name) and not isinstance(getattr(parent, name), Module):
            raise AttributeError(f"`{name}` is not an nn.Module")
        setattr(parent, name, module)

    def get_parameter(self, target):
        """The parameter at dotted path ``target`` (``"fc1.weight"``)."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{module._get_name()} has no attribute `{name}`")
        if not isinstance(getattr(module, name), Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return getattr(module, name)

    def get_buffer(self, target):
        """The buffer at dotted path ``target`` (``"bn.running_mean"``)."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{module._get_name()} has no attribute `{name}`")
        if name not in module._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return getattr(module, name)

    def named_children(self):
        """Yield ``(name, module)`` for the direct children (not grandchildren), each once."""
        ### BEGIN SOLUTION 3.18: yield (name, child) for the direct children that are not None, each module once
        seen = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child
        ### END SOLUTION

    def children(self):
        """The direct children, each once."""
        for _, child in self.named_children():
            yield child

    def _named_members(self, registry, prefix, recurse, remove_duplicate):
        ### BEGIN SOLUTION 3.18: yield (dotted name, tensor) of the registry's non-None entries of self (and with recurse every descendant), each tensor once unless remove_duplicate is False
        if recurse:
            modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        else:
            modules = [(prefix, self)]
        seen = set()
        for module_prefix, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield _join(module_prefix, name), value
        ### END SOLUTION

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """Yield ``(dotted_name, parameter)``; a parameter shared by two layers comes once."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        """Every parameter of this module (and, with ``recurse``, of its descendants), each once."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """Yield ``(dotted_name, buffer)``; a buffer shared by two layers comes once."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        """Every buffer of this module (and, with ``recurse``, of its descendants), each once."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    # ------------------------------------------------------------------- modes
    def train(self, mode=True):
        """Set training mode (``True``) or evaluation mode on this module and every descendant.

        Layers such as ``Dropout`` behave differently in the two modes. Returns self.
        """
        if not isinstance(mode, bool):
            raise ValueError(f"train(mode): mode must be a bool, got {mode!r}.")
        ### BEGIN SOLUTION 3.10: set the mode on this module and every descendant; return self
        for module in self.modules():
            module.training = mode
        return self
        ### END SOLUTION

    def eval(self):
        """Evaluation mode: the same as ``train(False)``. Returns self."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Switch gradient tracking of every parameter on or off (e.g. to freeze layers). Returns self."""
        checks.boolean("requires_grad_", "requires_grad", requires_grad)
        ### BEGIN SOLUTION 3.10: switch gradient tracking of every parameter; return self
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self
        ### END SOLUTION

    def zero_grad(self, set_to_none=True):
        """Forget accumulated gradients: set ``.grad`` to None (default) or fill it with zeros."""
        ### BEGIN SOLUTION 3.10: forget the gradient of every parameter (None, or zeros in place with set_to_none=False)
        for param in self.parameters():
            if param.grad is not None:
                if set_to_none:
                    param.grad = None
                else:
                    param.grad.zero_()
        ### END SOLUTION

    def apply(self, fn):
        """Call ``fn(module)`` on every descendant, then on self (e.g. custom init). Returns self."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # ---------------------------------------------------------- dtype / device
    def to(self, *args, **kwargs):
        """Move (``to("cuda")``) and/or convert (``to(minitorch.float64)``) every parameter and
        buffer in place, with their grads: the same Parameter objects, so an optimiser built
        before still holds them. A tensor argument gives both its dtype and its device. Returns self.

        Keywords as PyTorch's: ``dtype``, ``device``, ``non_blocking`` and ``memory_format`` (the last
        two accepted and ignored: copies are synchronous and every tensor is contiguous)."""
        unknown = sorted(set(kwargs) - {"dtype", "device", "non_blocking", "memory_format"})
        if unknown:
            raise TypeError(f"nn.Module.to() got an unexpected keyword argument {unknown[0]!r}; it takes "
                            f"dtype=, device=, non_blocking= and memory_format=.")
        dtype, device = kwargs.get("dtype"), kwargs.get("device")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype, device = arg.dtype, arg.device
            elif names_a_device(arg) or isinstance(arg, int) and not isinstance(arg, bool):
                device = arg
            else:
                dtype = arg
        device = None if device is None else check_device(device, "nn.Module.to")
        dtype = dtypes.to_dtype(dtype)
        if dtype is not None and not dtype.is_floating_point:
            raise TypeError(f"nn.Module.to only accepts floating-point dtypes, but got desired dtype={dtype}")
        for module in self.modules():
            for tensor in [*module._parameters.values(), *module._buffers.values()]:
                if tensor is not None:
                    _convert_in_place(tensor, dtype, device)
                    if tensor.grad is not None:
                        _convert_in_place(tensor.grad, dtype, device)
        return self

    def float(self):
        """Convert floating parameters and buffers to float32. Returns self."""
        return self.to(dtypes.float32)

    def double(self):
        """Convert floating parameters and buffers to float64. Returns self."""
        return self.to(dtypes.float64)

    def half(self):
        """Convert floating parameters and buffers to float16. Returns self."""
        return self.to(dtypes.float16)

    def bfloat16(self):
        """Convert floating parameters and buffers to bfloat16 (numpy has none: a clear error)."""
        return self.to(dtypes.bfloat16)

    def type(self, dst_type):
        """Convert every parameter and buffer (integer ones too) to ``dst_type``. Returns self."""
        dst_type = dtypes.to_dtype(dst_type)
        return self._apply(lambda t: t.type(dst_type))

    def _apply(self, fn, recurse=True):
        """Replace, in place, the values of every parameter, buffer and grad ``t`` by ``fn(t)``'s
        (the same tensor objects, so an optimiser keeps them); ``recurse=False``: this module's
        own only. Returns self."""
        with no_grad():
            for module in self.modules() if recurse else [self]:
                for tensor in [*module._parameters.values(), *module._buffers.values()]:
                    for t in (tensor, None if tensor is None else tensor.grad):
                        if t is not None:
                            new = fn(t)
                            t._array, t._device = new._array, new._device
                            t._version[0] += 1
        return self

    def cpu(self):
        """Move every parameter and buffer to the CPU. Returns self."""
        return self.to("cpu")

    def cuda(self, device=None):
        """Move every parameter and buffer to the GPU ("cuda"). Returns self."""
        return self.to("cuda" if device is None else f"cuda:{device}" if isinstance(device, int) else device)

    def to_empty(self, *, device, recurse=True):
        """Give every parameter and buffer (this module's own with ``recurse=False``) new, uninitialised
        storage on ``device``, keeping shapes and dtypes (for modules built on the "meta" device). Returns self."""
        device = None if device is None else check_device(device, "nn.Module.to_empty")
        return self._apply(lambda t: empty_like(t, device=device), recurse=recurse)

    def share_memory(self):
        """Call ``share_memory_()`` on every parameter and buffer. Returns self."""
        return self._apply(lambda t: t.share_memory_())

    def compile(self, *args, **kwargs):
        """PyTorch's in-place ``torch.compile`` of this module's calls: minitorch has no compiler, so the
        module keeps running as written (``minitorch.compile(model)`` returns the model itself). Returns None,
        as PyTorch's; the arguments are ``minitorch.compile``'s, accepted and ignored."""
        compile_model(self, *args, **kwargs)

    def register_backward_hook(self, hook):
        """Deprecated, as in PyTorch: registers ``hook(module, grad_input, grad_output)`` as
        ``register_full_backward_hook`` does (a warning says so). PyTorch's old hook may see only the
        last op's gradients in ``grad_input``; minitorch's gets the module inputs', as the full hook."""
        warnings.warn(
            "register_backward_hook is deprecated (as in PyTorch): minitorch registers the hook as "
            "register_full_backward_hook, whose grad_input holds the gradients of the module's inputs. "
            "Call register_full_backward_hook instead.", FutureWarning, stacklevel=2)
        return self.register_full_backward_hook(hook)

    def _no_such_device(self, name):
        raise RuntimeError(
            f"nn.Module.{name}(): minitorch has no {name.upper()} devices; its devices are \"cpu\" and "
            f"\"cuda\" (model.to(\"cuda\") or model.cpu()).")

    def ipu(self, device=None):
        """PyTorch's move to an IPU: minitorch has none (a clear RuntimeError)."""
        self._no_such_device("ipu")

    def xpu(self, device=None):
        """PyTorch's move to an XPU: minitorch has none (a clear RuntimeError)."""
        self._no_such_device("xpu")

    def mtia(self, device=None):
        """PyTorch's move to an MTIA: minitorch has none (a clear RuntimeError)."""
        self._no_such_device("mtia")

    # -------------------------------------------------------------------- repr
    def extra_repr(self):
        """The text inside the parentheses of this module's repr (e.g. ``in_features=2, ...``)."""
        return ""

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + _addindent(repr(child), 2) for name, child in self._modules.items()]
        lines = extra_lines + child_lines
        body = ""
        if len(extra_lines) == 1 and not child_lines:
            body = extra_lines[0]
        elif lines:
            body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{self._get_name()}({body})"


def _convert_in_place(tensor, dtype, device):
    """Give ``tensor`` a new array of ``dtype`` (floating tensors only) on ``device``; bump its version."""
    array = tensor._array
    if dtype is not None and tensor.is_floating_point():
        array = array.astype(dtype.np_dtype, copy=False)
    if device is not None and device != tensor._device:
        array = move(array, device)
        tensor._device = device
    if array is not tensor._array:
        tensor._array = array
        tensor._version[0] += 1
