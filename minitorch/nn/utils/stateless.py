"""Calling a module with tensors of your choice in place of its parameters and buffers.

``functional_call(module, {"fc.weight": w, ...}, args)`` runs ``module(*args)`` while each named
parameter or buffer is, for that call only, the tensor given: the module's own ones are put back
afterwards, also when the call raises. Nothing is copied, so gradients flow into the given tensors;
that is how MAML-style meta-learning takes a step on "fast weights" and differentiates through it.

This module is PyTorch's older path (``torch.nn.utils.stateless``, deprecated there since 2.0,
with a FutureWarning); ``minitorch.func.functional_call`` is the same call without the warning.
"""
import contextlib
import warnings

from ...tensor import Tensor

__all__ = ["functional_call"]


def _tied_names(module):
    """For each name of a parameter or buffer shared under several names: the set of those names."""
    names_of = {}
    for name, tensor in [*module.named_parameters(remove_duplicate=False),
                         *module.named_buffers(remove_duplicate=False)]:
        names_of.setdefault(id(tensor), set()).add(name)
    return {name: names for names in names_of.values() if len(names) > 1 for name in names}


def _untie(module, values):
    """``values`` plus, for a given name whose tensor the module shares under other names, those
    names with the same value; two different values for one shared tensor are refused."""
    tied = _tied_names(module)
    untied = dict(values)
    for name in [n for n in values if n in tied]:
        given = sorted(n for n in tied[name] if n in values)
        if any(values[n] is not values[name] for n in given):
            raise ValueError(f"functional_call got multiple values for keys {given}, which are tied. "
                             f"Consider using tie_weights=False")
        untied.update((n, values[name]) for n in tied[name])
    return untied


def _check_strict(module, values):
    """With ``strict=True``, every parameter and buffer must be given, and nothing else."""
    names = [n for n, _ in [*module.named_parameters(remove_duplicate=False),
                            *module.named_buffers(remove_duplicate=False)]]
    missing = [n for n in names if n not in values]
    unexpected = [n for n in values if n not in names]
    errors = []
    if unexpected:
        errors.append("Unexpected key(s): " + ", ".join(f"'{n}'" for n in unexpected) + ".")
    if missing:
        errors.append("Missing key(s): " + ", ".join(f"'{n}'" for n in missing) + ".")
    if errors:
        raise RuntimeError(f"Error(s) in reparametrizing for {module._get_name()}:\n\t" + "\n\t".join(errors))


def _swap(module, name, value):
    """Put ``value`` at dotted ``name`` (a parameter's or buffer's place, or a new attribute);
    returns what undoes it."""
    owner_path, _, attr = name.rpartition(".")
    owner = module.get_submodule(owner_path)
    for registry in (owner._parameters, owner._buffers):
        if attr in registry:
            old = registry[attr]
            registry[attr] = value
            return lambda: registry.__setitem__(attr, old)
    if attr in owner.__dict__:
        old = owner.__dict__[attr]
        owner.__dict__[attr] = value
        return lambda: owner.__dict__.__setitem__(attr, old)
    object.__setattr__(owner, attr, value)
    return lambda: object.__delattr__(owner, attr)


@contextlib.contextmanager
def _reparametrize_module(module, values, tie_weights=True, strict=False):
    """Inside the block, ``module``'s parameters and buffers named in ``values`` are those tensors."""
    for name, value in values.items():
        if not isinstance(value, Tensor):
            raise TypeError(f"{value} is not an instance of torch.Tensor")
    if tie_weights:
        values = _untie(module, values)
    if strict:
        _check_strict(module, values)
    undo = []
    try:
        for name, value in values.items():
            undo.append(_swap(module, name, value))
        yield
    finally:
        for restore in reversed(undo):
            restore()


def _merge(parameter_and_buffer_dicts):
    """One dict from a dict or a sequence of dicts; a name in two of them is refused."""
    if isinstance(parameter_and_buffer_dicts, dict):
        return parameter_and_buffer_dicts
    if not isinstance(parameter_and_buffer_dicts, (list, tuple)):
        raise ValueError(f"Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, "
                         f"but got {type(parameter_and_buffer_dicts)}")
    merged, repeated = {}, []
    for values in parameter_and_buffer_dicts:
        repeated += [name for name in values if name in merged]
        merged.update(values)
    if repeated:
        raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of functional call is ambiguous")
    return merged


def _functional_call(module, parameter_and_buffer_dicts, args, kwargs, tie_weights, strict):
    """The call itself, shared by ``func.functional_call`` and the deprecated form here."""
    values = _merge(parameter_and_buffer_dicts)
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    with _reparametrize_module(module, values, tie_weights=tie_weights, strict=strict):
        return module(*args, **(kwargs or {}))


def functional_call(module, parameters_and_buffers, args=None, kwargs=None, *, tie_weights=True, strict=False):
    """``module(*args, **kwargs)`` with the tensors of ``parameters_and_buffers`` (dotted names) in place of
    its own, put back afterwards. Deprecated in PyTorch (a FutureWarning, as there): use
    ``minitorch.func.functional_call``, which this calls.

    >>> import warnings, minitorch
    >>> lin = minitorch.nn.Linear(2, 1)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     out = functional_call(lin, {"weight": minitorch.ones(1, 2), "bias": minitorch.zeros(1)},
    ...                           (minitorch.tensor([[1.0, 2.0]]),))
    >>> out.tolist()
    [[3.0]]
    """
    warnings.warn("`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 and will be removed "
                  "in a future version of PyTorch. Please use `torch.func.functional_call` instead which is a "
                  "drop-in replacement.", FutureWarning, stacklevel=2)
    return _functional_call(module, parameters_and_buffers, args, kwargs, tie_weights, strict)
