"""Adamax: Adam with the infinity norm (a running maximum of |g|) in place of the RMS."""
import numpy as np

from .optimizer import Optimizer, check_betas_eps_decay, grad_with_weight_decay, running_average_


class Adamax(Optimizer):
    r"""Adamax (Kingma & Ba, 2015, section 7), with PyTorch's ``weight_decay`` and ``maximize``.

    With learning rate :math:`\gamma`, betas :math:`(\beta_1, \beta_2)`, epsilon
    :math:`\epsilon` and weight decay :math:`\lambda`, step :math:`t = 1, 2, \ldots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \qquad (- \text{ if maximize})\\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t \qquad (m_0 = u_0 = 0)\\
        u_t &= \max(\beta_2\, u_{t-1},\ |g_t| + \epsilon)\\
        \theta_t &= \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\, m_t / u_t

    ``m`` (state ``"exp_avg"``) is Adam's momentum; ``u`` (``"exp_inf"``) replaces Adam's
    root-mean-square by a slowly forgetting maximum of the gradient's size, which needs no
    bias correction. The default ``lr`` is 2e-3.

    ``foreach``, ``capturable`` and ``differentiable`` are PyTorch's implementation switches,
    accepted and saved but without effect here (see ``Optimizer``).
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def _check_group(self, group):
        super()._check_group(group)
        check_betas_eps_decay(self, group)

    def _update(self, param, grad, state, group):
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_inf"] = np.zeros_like(param)
        state["step"] += 1
        beta1, beta2 = group["betas"]
        grad = grad_with_weight_decay(grad, param, group["weight_decay"], group["maximize"])
        m, u = state["exp_avg"], state["exp_inf"]
        running_average_(m, grad, beta1)
        u *= beta2
        np.maximum(u, np.abs(grad) + group["eps"], out=u)
        step = np.divide(m, u)
        step *= group["lr"] / (1 - beta1 ** state["step"])
        param -= step
