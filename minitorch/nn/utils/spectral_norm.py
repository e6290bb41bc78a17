"""Spectral normalization (Miyato et al., 2018), the hook-based form PyTorch still ships.

``spectral_norm(module)`` keeps the parameter as ``weight_orig`` and, before every forward,
sets ``weight = weight_orig / sigma``, where sigma estimates the largest singular value of
``weight_orig`` viewed as a matrix (``dim`` first, the rest flattened). The estimate comes
from power iteration on the buffers u and v (in training mode, ``n_power_iterations`` steps
per forward, outside the graph):

    v = normalize(W^T u),  u = normalize(W v),  sigma = u . (W v)

and only sigma's dependence on W through W v is in the graph, as in PyTorch.
"""
from ...autograd.grad_mode import no_grad
from ...creation import randn
from ..conv import _ConvTranspose
from ..functional import normalize
from ..parameter import Parameter
from .weight_norm import _check_free, _remove_hook


class SpectralNorm:
    """The pre-hook of ``spectral_norm``: sets ``module.<name>`` = weight_orig / sigma before each forward."""

    def __init__(self, name, n_power_iterations, dim, eps):
        self.name, self.n_power_iterations, self.dim, self.eps = name, n_power_iterations, dim, eps

    def matrix(self, weight):
        """``weight`` as a matrix: ``dim`` first, the other dims flattened."""
        order = [self.dim] + [d for d in range(weight.ndim) if d != self.dim]
        return weight.permute(*order).reshape(weight.shape[self.dim], -1)

    def compute_weight(self, module, do_power_iteration):
        """weight_orig / sigma, after ``n_power_iterations`` updates of the u and v buffers if asked."""
        weight = getattr(module, self.name + "_orig")
        u, v = getattr(module, self.name + "_u"), getattr(module, self.name + "_v")
        matrix = self.matrix(weight)
        if do_power_iteration:
            with no_grad():
                for _ in range(self.n_power_iterations):
                    v.copy_(normalize(matrix.t() @ u, dim=0, eps=self.eps))
                    u.copy_(normalize(matrix @ v, dim=0, eps=self.eps))
        sigma = (u.clone() * (matrix @ v.clone())).sum()
        return weight / sigma

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module, do_power_iteration=module.training))


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """Divide ``module.<name>`` by its spectral norm before each forward (``<name>_orig``, buffers u, v).

    ``dim`` (the output dim) defaults to 1 for transposed convolutions, else 0. Returns ``module``.

    >>> import minitorch
    >>> m = minitorch.nn.utils.spectral_norm(minitorch.nn.Linear(3, 2))
    >>> tuple(m.weight_orig.shape), tuple(m.weight_u.shape), tuple(m.weight_v.shape)
    ((2, 3), (2,), (3,))
    """
    _check_free(module, SpectralNorm, name, "spectral_norm")
    if dim is None:
        dim = 1 if isinstance(module, _ConvTranspose) else 0
    weight = module._parameters[name]
    hook = SpectralNorm(name, n_power_iterations, dim, eps)
    with no_grad():
        rows, cols = hook.matrix(weight).shape
        u = normalize(randn(rows, dtype=weight.dtype, device=weight.device), dim=0, eps=eps)
        v = normalize(randn(cols, dtype=weight.dtype, device=weight.device), dim=0, eps=eps)
    del module._parameters[name]
    module.register_parameter(name + "_orig", weight)
    setattr(module, name, weight.detach())
    module.register_buffer(name + "_u", u)
    module.register_buffer(name + "_v", v)
    module.register_forward_pre_hook(hook)
    return module


def remove_spectral_norm(module, name="weight"):
    """Undo ``spectral_norm``: one parameter ``<name>`` = weight_orig / sigma (no power iteration); returns ``module``."""
    hook = _remove_hook(module, SpectralNorm, name, "spectral_norm")
    with no_grad():
        weight = hook.compute_weight(module, do_power_iteration=False)
    delattr(module, name)
    for suffix in ("_u", "_v", "_orig"):
        delattr(module, name + suffix)
    module.register_parameter(name, Parameter(weight.detach()))
    return module
