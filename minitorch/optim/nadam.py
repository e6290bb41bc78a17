"""NAdam: Adam with Nesterov momentum (the step looks ahead along the momentum)."""
import numpy as np

from .optimizer import Optimizer, check_betas_eps_decay, check_range, decayed_grad, running_average_


class NAdam(Optimizer):
    r"""NAdam (Dozat, 2016), as PyTorch defines it, with ``decoupled_weight_decay`` (NAdamW).

    With learning rate :math:`\gamma`, betas :math:`(\beta_1, \beta_2)`, epsilon
    :math:`\epsilon`, weight decay :math:`\lambda` and momentum decay :math:`\psi`, step
    :math:`t = 1, 2, \ldots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \qquad (- \text{ if maximize}; \text{ decoupled: } \theta_{t-1} \text{ shrinks
              by } 1-\gamma\lambda \text{ instead})\\
        \mu_t &= \beta_1 \left(1 - \tfrac12\, 0.96^{t\psi}\right) \qquad
        \Pi_t = \textstyle\prod_{i \le t} \mu_i\\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \qquad (m_0 = v_0 = 0)\\
        \theta_t &= \theta_{t-1} - \gamma \left(\frac{1-\mu_t}{1-\Pi_t}\, g_t
                   + \frac{\mu_{t+1}}{1-\Pi_t\,\mu_{t+1}}\, m_t\right)
                   \Big/ \left(\sqrt{v_t / (1-\beta_2^t)} + \epsilon\right)

    The momentum coefficient :math:`\mu_t` warms up from :math:`\beta_1/2` towards
    :math:`\beta_1`; the step mixes the current gradient with the momentum of the *next*
    step (Nesterov's look-ahead). State: ``"exp_avg"`` (m), ``"exp_avg_sq"`` (v) and the 0-d
    ``"mu_product"`` (:math:`\Pi_t`), kept in float32 as PyTorch keeps it (after
    ``load_state_dict`` it takes the parameter's dtype, as in PyTorch).

    ``foreach``, ``capturable`` and ``differentiable`` are PyTorch's implementation switches,
    accepted and saved but without effect here (see ``Optimizer``).
    """

    _scalar_state = ("mu_product",)

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    def _check_group(self, group):
        super()._check_group(group)
        check_betas_eps_decay(self, group)
        check_range(self, "momentum_decay", group["momentum_decay"], 0.0)

    def _update(self, param, grad, state, group):
        if not state:
            state["step"] = 0
            state["mu_product"] = np.ones_like(param, dtype=np.float32, shape=())
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
        state["step"] += 1
        t, lr, psi = state["step"], group["lr"], group["momentum_decay"]
        beta1, beta2 = group["betas"]
        grad = decayed_grad(param, grad, group)
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
        state["mu_product"] *= mu
        mu_product = state["mu_product"].astype(np.float64)  # 0-d, left on the device: no host read per step
        m, v = state["exp_avg"], state["exp_avg_sq"]
        running_average_(m, grad, beta1)
        running_average_(v, np.multiply(grad, grad), beta2)
        denom = np.divide(v, 1 - beta2**t)
        np.sqrt(denom, out=denom)
        denom += group["eps"]
        param -= (lr * (1.0 - mu) / (1.0 - mu_product)).astype(param.dtype) * (grad / denom)
        param -= (lr * mu_next / (1.0 - mu_product * mu_next)).astype(param.dtype) * (m / denom)
