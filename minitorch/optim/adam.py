"""Adam: momentum on the gradient, divided by a running estimate of its size (and AMSGrad)."""
import math

import numpy as np

from .optimizer import Optimizer, check_betas_eps_decay, decayed_grad


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), with PyTorch's options ``weight_decay``, ``amsgrad``, ``maximize``.

    With learning rate :math:`\gamma`, betas :math:`(\beta_1, \beta_2)`, epsilon
    :math:`\epsilon` and weight decay :math:`\lambda`, step :math:`t = 1, 2, \ldots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \qquad (- \text{ if maximize})\\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \qquad (m_0 = v_0 = 0)\\
        \hat m_t &= m_t / (1-\beta_1^t) \qquad
        \hat v_t = \begin{cases} \max(v^{max}_{t-1}, v_t) / (1-\beta_2^t) & \text{amsgrad}
                   \ (\text{kept as } v^{max}_t)\\ v_t / (1-\beta_2^t) & \text{otherwise}\end{cases}\\
        \theta_t &= \theta_{t-1} - \gamma\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    ``m`` (state ``"exp_avg"``) is a running mean of the gradient and ``v`` (``"exp_avg_sq"``)
    of its square; dividing by :math:`1-\beta^t` undoes their bias towards the zeros they
    start from. Every coordinate thus moves by about ``lr`` whatever the gradient's scale.
    AMSGrad (``"max_exp_avg_sq"``) never lets the denominator shrink.
    ``decoupled_weight_decay=True`` makes it ``AdamW``.

    ``foreach``, ``fused``, ``capturable`` and ``differentiable`` are PyTorch's implementation
    switches, accepted and saved but without effect here (see ``Optimizer``).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def _check_group(self, group):
        super()._check_group(group)
        check_betas_eps_decay(self, group)

    def _decay(self, param, grad, group):
        """The gradient to use: with the L2 penalty, or after shrinking ``param`` (AdamW)."""
        return decayed_grad(param, grad, group)

    def _update(self, param, grad, state, group):
        ### BEGIN SOLUTION 3.8: one Adam step on the array param in place: the state (step, exp_avg, exp_avg_sq, max_exp_avg_sq with amsgrad) made on the first call, the gradient from self._decay
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(param)
        state["step"] += 1
        t = state["step"]
        beta1, beta2 = group["betas"]
        grad = self._decay(param, grad, group)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        tmp = np.multiply(grad, 1 - beta1)  # the one scratch array: every line below reuses it
        m *= beta1
        m += tmp                             # m = beta1 m + (1 - beta1) g
        np.multiply(grad, grad, out=tmp)
        tmp *= 1 - beta2
        v *= beta2
        v += tmp                             # v = beta2 v + (1 - beta2) g^2
        if group["amsgrad"]:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        np.sqrt(v, out=tmp)
        tmp /= math.sqrt(1 - beta2**t)
        tmp += group["eps"]
        np.divide(m, tmp, out=tmp)
        tmp *= group["lr"] / (1 - beta1**t)
        param -= tmp
        ### END SOLUTION
