"""AdamW: Adam whose weight decay shrinks the weights directly instead of joining the gradient."""
from .adam import Adam


class AdamW(Adam):
    r"""AdamW (Loshchilov & Hutter, 2019): Adam with *decoupled* weight decay.

    Each step first shrinks every parameter, then takes a plain Adam step (see ``Adam``)
    whose gradient carries no L2 term:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) \qquad (- \text{ if maximize})\\
        \theta' &= \theta_{t-1} - \gamma\lambda\,\theta_{t-1}\\
        \theta_t &= \theta' - \gamma\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)
        \qquad (\hat m_t, \hat v_t \text{ from } g_t \text{ exactly as in Adam, amsgrad included})

    With Adam's L2 penalty the decay is divided by :math:`\sqrt{\hat v}` like the rest of the
    gradient, so weights with large gradients are barely decayed; AdamW decays every weight
    by the same factor :math:`1-\gamma\lambda`. The default ``weight_decay`` is 1e-2.
    ``AdamW(...)`` is ``Adam(..., decoupled_weight_decay=True)``, as in PyTorch.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
