"""RAdam: Adam whose adaptive step is switched on gradually, as its variance estimate firms up."""
import math

import numpy as np

from .optimizer import Optimizer, check_betas_eps_decay, decayed_grad, running_average_


class RAdam(Optimizer):
    r"""RAdam, rectified Adam (Liu et al., 2020), with ``decoupled_weight_decay`` (RAdamW).

    With learning rate :math:`\gamma`, betas :math:`(\beta_1, \beta_2)`, epsilon
    :math:`\epsilon` and weight decay :math:`\lambda`, step :math:`t = 1, 2, \ldots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \qquad (- \text{ if maximize}; \text{ decoupled: } \theta_{t-1} \text{ shrinks
              by } 1-\gamma\lambda \text{ instead})\\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \qquad (m_0 = v_0 = 0)\\
        \hat m_t &= m_t / (1-\beta_1^t) \qquad
        \rho_\infty = \frac{2}{1-\beta_2} - 1 \qquad
        \rho_t = \rho_\infty - \frac{2t\,\beta_2^t}{1-\beta_2^t}\\
        \theta_t &= \begin{cases}
            \theta_{t-1} - \gamma\, \hat m_t\, r_t\, \dfrac{\sqrt{1-\beta_2^t}}{\sqrt{v_t} + \epsilon},
            \quad r_t = \sqrt{\dfrac{(\rho_t-4)(\rho_t-2)\rho_\infty}
                                     {(\rho_\infty-4)(\rho_\infty-2)\rho_t}} & \rho_t > 5\\
            \theta_{t-1} - \gamma\, \hat m_t & \text{otherwise (SGD with momentum)}
        \end{cases}

    :math:`\rho_t` measures how many gradients the estimate ``v`` effectively averages; while
    it is small (the first few steps) the variance of the adaptive step would be unbounded,
    so RAdam takes plain momentum steps, then scales the Adam step by :math:`r_t \to 1`.
    This replaces a learning-rate warm-up. State: ``"exp_avg"`` (m), ``"exp_avg_sq"`` (v).

    ``foreach``, ``capturable`` and ``differentiable`` are PyTorch's implementation switches,
    accepted and saved but without effect here (see ``Optimizer``).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def _check_group(self, group):
        super()._check_group(group)
        check_betas_eps_decay(self, group)

    def _update(self, param, grad, state, group):
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
        state["step"] += 1
        t = state["step"]
        beta1, beta2 = group["betas"]
        grad = decayed_grad(param, grad, group)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        running_average_(m, grad, beta1)
        running_average_(v, np.multiply(grad, grad), beta2)
        bias_correction2 = 1 - beta2**t
        step = m / (1 - beta1**t)
        step *= group["lr"]
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * beta2**t / bias_correction2
        if rho_t > 5.0:
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                             / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            denom = np.sqrt(v)
            denom += group["eps"]
            step *= math.sqrt(bias_correction2) / denom
            step *= rect
        param -= step
