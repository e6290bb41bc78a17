"""The state-dict half of ``nn.Module``: ``state_dict``/``load_state_dict`` and their hooks, as PyTorch's.

Both walk the module tree through ``_modules`` and, on every module, call the per-module methods
that subclasses override (to store extra tensors, or to rename the keys of old checkpoints):

- ``state_dict()`` records ``{"version": type(module)._version}`` in ``destination._metadata[prefix]``,
  runs the state-dict pre hooks ``hook(module, prefix, keep_vars)``, then
  ``_save_to_state_dict(destination, prefix, keep_vars)``, the children, then the post hooks
  ``hook(module, state_dict, prefix, local_metadata)``.
- ``load_state_dict()`` calls ``_load_from_state_dict(state_dict, prefix, local_metadata, strict,
  missing_keys, unexpected_keys, error_msgs)`` (which first runs the load pre hooks), the children,
  then the load post hooks ``hook(module, incompatible_keys)``, which may edit the key lists in place.

``get_extra_state()``/``set_extra_state(state)``, when a module overrides them, save and load any
picklable object under ``prefix + "_extra_state"``. Unlike PyTorch, a failed ``load_state_dict``
leaves the module as it was: the values it had copied are put back.
"""
import contextvars
import functools
import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

import numpy as np

from ..autograd.grad_mode import no_grad
from ..tensor import Tensor
from .parameter import Parameter

_EXTRA_STATE_KEY_SUFFIX = "_extra_state"
_STATE_HOOK_DICTS = ("_state_dict_pre_hooks", "_state_dict_hooks", "_state_dict_hooks_public",
                     "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks")
# While load_state_dict runs: a list of (undo) callables that put back what it changed.
_UNDO = contextvars.ContextVar("minitorch_load_state_dict_undo", default=None)


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it could not fill and the keys it did not use."""

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()


def _overrides(module, name):
    """Whether ``module``'s class overrides ``ModuleState.<name>``."""
    return getattr(type(module), name) is not getattr(ModuleState, name)


class ModuleState:
    """``state_dict``, ``load_state_dict``, the per-module steps they call and their hooks."""

    _version = 1  # saved as the "version" of each module's metadata; subclasses raise it when their keys change

    def _init_state_dict_hooks(self):
        for name in _STATE_HOOK_DICTS:
            object.__setattr__(self, name, OrderedDict())

    def _state_hooks(self, name):
        """The hook dict ``name``, made if missing (a module saved whole before these hooks existed)."""
        if name not in self.__dict__:
            object.__setattr__(self, name, OrderedDict())
        return self.__dict__[name]

    # ------------------------------------------------------------------ hooks
    def register_state_dict_pre_hook(self, hook):
        """Run ``hook(module, prefix, keep_vars)`` before ``state_dict`` saves this module.
        Returns a handle whose ``remove()`` unregisters it."""
        return self._add_hook(self._state_hooks("_state_dict_pre_hooks"), hook, False)

    def register_state_dict_post_hook(self, hook):
        """Run ``hook(module, state_dict, prefix, local_metadata)`` after ``state_dict`` saved this
        module and its children; it may edit ``state_dict`` in place and must return None."""
        return self._add_hook(self._state_hooks("_state_dict_hooks"), hook, False,
                              self._state_hooks("_state_dict_hooks_public"))

    def _register_state_dict_hook(self, hook):
        """The older form of ``register_state_dict_post_hook``: a non-None result replaces the state dict."""
        return self._add_hook(self._state_hooks("_state_dict_hooks"), hook, False)

    def register_load_state_dict_pre_hook(self, hook):
        """Run ``hook(module, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
        error_msgs)`` before this module loads; it may edit ``state_dict`` (e.g. rename old keys)."""
        return self._register_load_state_dict_pre_hook(hook, with_module=True)

    def _register_load_state_dict_pre_hook(self, hook, with_module=False):
        """As ``register_load_state_dict_pre_hook``; without ``with_module`` the hook gets no module."""
        return self._add_hook(self._state_hooks("_load_state_dict_pre_hooks"),
                              functools.partial(hook, self) if with_module else hook, False)

    def register_load_state_dict_post_hook(self, hook):
        """Run ``hook(module, incompatible_keys)`` after this module and its children loaded; it may edit
        ``incompatible_keys.missing_keys``/``unexpected_keys`` in place (before ``strict`` checks them)."""
        return self._add_hook(self._state_hooks("_load_state_dict_post_hooks"), hook, False)

    # ------------------------------------------------------------ extra state
    def get_extra_state(self):
        """Override to save any picklable object under ``"_extra_state"`` (with ``set_extra_state``)."""
        raise RuntimeError(
            f"{type(self).__name__}.get_extra_state() was called but is not defined: override it "
            f"(and set_extra_state) in {type(self).__name__} to save extra state.")

    def set_extra_state(self, state):
        """Override to restore what your ``get_extra_state`` returned."""
        raise RuntimeError(
            f"{type(self).__name__}.set_extra_state() was called but is not defined: override it "
            f"(and get_extra_state) in {type(self).__name__} to load extra state.")

    # ------------------------------------------------------------ state dicts
    def _save_to_state_dict(self, destination, prefix, keep_vars):
        """Put this module's own parameters, persistent buffers and extra state (not its children's)
        in ``destination`` under ``prefix + name``; ``state_dict`` calls it on every module."""
        ### BEGIN SOLUTION 3.9: put this module's parameters and persistent buffers in destination (detached unless keep_vars)
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buffer in self._buffers.items():
            if buffer is not None and name not in self._non_persistent_buffers:
                destination[prefix + name] = buffer if keep_vars else buffer.detach()
        ### END SOLUTION
        if _overrides(self, "get_extra_state"):
            destination[prefix + _EXTRA_STATE_KEY_SUFFIX] = self.get_extra_state()

    def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
        """An OrderedDict from dotted names (``"fc1.weight"``) to tensors: parameters and persistent buffers.

        The tensors are detached and share memory with the module (copy them to keep a snapshot).
        The keys are PyTorch's for the same architecture, so weights can move between the two.
        ``args`` is PyTorch's deprecated positional form ``(destination, prefix, keep_vars)``.
        """
        if len(args) > 3:
            raise TypeError(f"state_dict takes at most 3 positional arguments (destination, prefix, keep_vars), "
                            f"got {len(args)}; pass them by keyword.")
        if args:
            warnings.warn("Positional args to state_dict are deprecated, as in PyTorch; pass destination=, "
                          "prefix= and keep_vars= by keyword.", FutureWarning, stacklevel=2)
            destination, prefix, keep_vars = (*args, *(destination, prefix, keep_vars)[len(args):])
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        local_metadata = {"version": self._version}
        if hasattr(destination, "_metadata"):
            destination._metadata[prefix[:-1]] = local_metadata
        for hook in list(self._state_hooks("_state_dict_pre_hooks").values()):
            hook(self, prefix, keep_vars)
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, child in self._modules.items():
            if child is not None:
                child.state_dict(destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars)
        for key, hook in list(self._state_hooks("_state_dict_hooks").items()):
            result = hook(self, destination, prefix, local_metadata)
            if key in self._state_hooks("_state_dict_hooks_public"):
                if result is not None:
                    raise RuntimeError("state_dict post-hook must return None (edit the state_dict in place); "
                                       "register it with _register_state_dict_hook to return a new one.")
            elif result is not None:
                destination = result
        return destination

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        """Load this module's own parameters, persistent buffers and extra state (not its children's)
        from ``state_dict[prefix + name]``, appending to the key lists and ``error_msgs`` (not raising).
        Runs the load pre hooks first; ``load_state_dict`` calls it on every module."""
        for hook in list(self._state_hooks("_load_state_dict_pre_hooks").values()):
            hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs)
        persistent = {k: v for k, v in self._buffers.items() if k not in self._non_persistent_buffers}
        local_state = {k: v for k, v in [*self._parameters.items(), *persistent.items()] if v is not None}
        assign = local_metadata.get("assign_to_params_buffers", False)
        ### BEGIN SOLUTION 3.9: check each key's value and shape (errors go to error_msgs), then copy it in (or assign it)
        for name, target in local_state.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            try:
                source = _as_array(key, state_dict[key])
            except (RuntimeError, TypeError) as error:
                error_msgs.append(str(error))
                continue
            if source.shape != target.shape:
                error_msgs.append(
                    f"size mismatch for {key}: copying a param with shape {tuple(source.shape)} from "
                    f"checkpoint, the shape in current model is {tuple(target.shape)}.")
                continue
            with no_grad():
                if assign:
                    self._assign_state(name, target, state_dict[key])
                else:
                    _remember(lambda t=target, old=target._array.copy(): t._array.__setitem__(Ellipsis, old))
                    target.copy_(source)
        ### END SOLUTION
        extra_key = prefix + _EXTRA_STATE_KEY_SUFFIX
        if _overrides(self, "set_extra_state"):
            if extra_key in state_dict:
                self.set_extra_state(state_dict[extra_key])
            elif strict:
                missing_keys.append(extra_key)
        elif strict and extra_key in state_dict:
            unexpected_keys.append(extra_key)
        if strict:
            for key in state_dict:
                if key.startswith(prefix) and key != extra_key:
                    first = key[len(prefix):].split(".", 1)[0]
                    if first not in self._modules and first not in local_state:
                        unexpected_keys.append(key)

    def _assign_state(self, name, target, value):
        """Replace parameter or buffer ``name`` by ``value`` (``load_state_dict(assign=True)``)."""
        value = value if isinstance(value, Tensor) else Tensor._make(np.asarray(value), False, None)
        if isinstance(target, Parameter):
            value = Parameter(value.detach(), requires_grad=target.requires_grad)
        _remember(lambda: setattr(self, name, target))
        setattr(self, name, value)

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """Copy values from ``state_dict`` into this module's parameters and buffers, in place.

        Values may be Tensors or numpy arrays (e.g. ``{k: v.numpy() for k, v in torch_sd.items()}``).
        With ``strict=True`` every key must match; with ``strict=False`` missing and unexpected keys
        are only reported. Shapes must always match. Nothing is changed if anything is wrong.
        With ``assign=True`` the state dict's tensors replace the module's (parameters stay
        Parameters, with the module's ``requires_grad``) instead of being copied into them.
        Returns ``(missing_keys, unexpected_keys)`` as a named tuple.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(
                f"load_state_dict: expected a dict-like state_dict, got {type(state_dict).__name__}.")
        missing_keys, unexpected_keys, error_msgs = [], [], []
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)
        if metadata is not None:
            state_dict._metadata = metadata

        def load(module, local_state_dict, prefix=""):
            local_metadata = {} if metadata is None else metadata.get(prefix[:-1], {})
            if assign:
                local_metadata["assign_to_params_buffers"] = assign
            module._load_from_state_dict(local_state_dict, prefix, local_metadata, True, missing_keys,
                                         unexpected_keys, error_msgs)
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = prefix + name + "."
                    load(child, {k: v for k, v in local_state_dict.items() if k.startswith(child_prefix)},
                         child_prefix)
            keys = _IncompatibleKeys(missing_keys, unexpected_keys)
            for hook in list(module._state_hooks("_load_state_dict_post_hooks").values()):
                if hook(module, keys) is not None:  # PyTorch's assert: what was loaded so far stays loaded
                    _UNDO.get().clear()
                    raise AssertionError(
                        "Hooks registered with ``register_load_state_dict_post_hook`` are not expected to return "
                        "new values, if incompatible_keys need to be modified, it should be done inplace.")

        undo = []
        token = _UNDO.set(undo)
        try:
            load(self, state_dict)
            if strict and unexpected_keys:
                error_msgs.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in unexpected_keys)))
            if strict and missing_keys:
                error_msgs.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in missing_keys)))
            if error_msgs:
                hint = ("\n(Pass strict=False to ignore missing and unexpected keys; nothing was loaded.)"
                        if strict and (missing_keys or unexpected_keys) else "\n(Nothing was loaded.)")
                raise RuntimeError(f"load_state_dict: Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                                   + "\n\t".join(error_msgs) + hint)
        except BaseException:
            with no_grad():
                for step in reversed(undo):
                    step()
            raise
        finally:
            _UNDO.reset(token)
        return _IncompatibleKeys(missing_keys, unexpected_keys)


def _remember(step):
    """Record how to undo a change that ``load_state_dict`` made (run if the load fails)."""
    undo = _UNDO.get()
    if undo is not None:
        undo.append(step)


def _as_array(key, value):
    """A state-dict value as a numpy array, with an error naming the key if it is not numeric."""
    if isinstance(value, Tensor):
        return value.detach().cpu()._array
    if not hasattr(value, "__array__"):  # PyTorch refuses a list, a number, ... (numpy arrays and torch tensors pass)
        raise RuntimeError(
            f"While copying the parameter named {key!r}: expected a Tensor or a numpy array from the "
            f"checkpoint but received a {type(value).__name__} (wrap it: minitorch.tensor(value)).")
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"While copying the parameter named {key!r}: the checkpoint's {type(value).__name__} does "
            f"not hold numbers (numpy dtype {array.dtype}); expected a Tensor or a numeric numpy array.")
    return array
