"""Weight normalization (Salimans & Kingma, 2016), the hook-based form PyTorch still ships.

``weight_norm(module)`` replaces the parameter ``weight`` by a magnitude ``weight_g`` and a
direction ``weight_v``: before every forward a pre-hook recomputes

    weight = g * v / ||v||     (the norm over every dim but ``dim``; ``dim=None`` the whole tensor)

as an ordinary graph of engine ops, so the gradients reach g and v through their own backward
passes. ``remove_weight_norm`` folds them back into one parameter.
"""
from ...autograd.grad_mode import no_grad
from ..parameter import Parameter


def _norm_except_dim(v, dim):
    """||v||_2 over every dim but ``dim`` (kept, size 1 elsewhere); the whole norm for dim == -1, as PyTorch."""
    if dim == -1:
        return v.norm()
    others = tuple(d for d in range(v.ndim) if d != dim)
    return (v * v).sum(dim=others, keepdim=True).sqrt()


def _find_hook(module, kind, name, op):
    """The id and the hook of type ``kind`` that reparametrizes ``name``; a ValueError when there is none."""
    for hook_id, hook in module._forward_pre_hooks.items():
        if isinstance(hook, kind) and hook.name == name:
            return hook_id, hook
    raise ValueError(f"{op} of '{name}' not found in {module}")


def _remove_hook(module, kind, name, op):
    """Unregister the pre-hook of type ``kind`` for ``name``; returns it."""
    hook_id, hook = _find_hook(module, kind, name, op)
    del module._forward_pre_hooks[hook_id]
    module._forward_pre_hooks_with_kwargs.pop(hook_id, None)
    return hook


def _check_free(module, kind, name, op):
    """Refuse a second hook of type ``kind`` on ``name``, and a name that is not a parameter."""
    for hook in module._forward_pre_hooks.values():
        if isinstance(hook, kind) and hook.name == name:
            raise RuntimeError(f"{op}: cannot register two {op} hooks on the same parameter {name}.")
    if not isinstance(module._parameters.get(name), Parameter):
        raise ValueError(f"{op}: {type(module).__name__} has no parameter {name!r} to reparametrize.")


class WeightNorm:
    """The pre-hook of ``weight_norm``: sets ``module.<name>`` = g * v / ||v|| before each forward."""

    def __init__(self, name, dim):
        self.name, self.dim = name, dim

    def compute_weight(self, module):
        """g * v / ||v|| from the module's ``<name>_g`` and ``<name>_v``."""
        g, v = getattr(module, self.name + "_g"), getattr(module, self.name + "_v")
        return v * (g / _norm_except_dim(v, self.dim))

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module, name="weight", dim=0):
    """Reparametrize ``module.<name>`` as g * v / ||v|| (parameters ``<name>_g``, ``<name>_v``); returns ``module``.

    >>> import minitorch
    >>> m = minitorch.nn.utils.weight_norm(minitorch.nn.Linear(3, 2))
    >>> tuple(m.weight_g.shape), tuple(m.weight_v.shape)
    ((2, 1), (2, 3))
    """
    _check_free(module, WeightNorm, name, "weight_norm")
    dim = -1 if dim is None else dim
    hook = WeightNorm(name, dim)
    weight = module._parameters[name]
    del module._parameters[name]
    module.register_parameter(name + "_g", Parameter(_norm_except_dim(weight, dim).detach()))
    module.register_parameter(name + "_v", Parameter(weight.detach()))
    setattr(module, name, hook.compute_weight(module))
    module.register_forward_pre_hook(hook)
    return module


def remove_weight_norm(module, name="weight"):
    """Undo ``weight_norm``: one parameter ``<name>`` = g * v / ||v|| again; returns ``module``."""
    hook = _remove_hook(module, WeightNorm, name, "weight_norm")
    with no_grad():
        weight = hook.compute_weight(module)
    delattr(module, name)
    del module._parameters[name + "_g"], module._parameters[name + "_v"]
    module.register_parameter(name, Parameter(weight.detach()))
    return module
