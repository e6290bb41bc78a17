"""Adadelta: step sizes from the ratio of two running root-mean-squares, no learning rate needed."""
import numpy as np

from .optimizer import Optimizer, check_range, grad_with_weight_decay, running_average_


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler, 2012), with PyTorch's options ``weight_decay`` and ``maximize``.

    With coefficient :math:`\rho`, epsilon :math:`\epsilon`, weight decay :math:`\lambda` and
    learning rate :math:`\gamma` (1.0 by default, as in the paper), each step does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \qquad (- \text{ if maximize})\\
        v_t &= \rho\, v_{t-1} + (1-\rho)\, g_t^2 \qquad (v_0 = u_0 = 0)\\
        \Delta_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t\\
        u_t &= \rho\, u_{t-1} + (1-\rho)\, \Delta_t^2\\
        \theta_t &= \theta_{t-1} - \gamma\, \Delta_t

    ``v`` (state ``"square_avg"``) is a running mean of the squared gradient and ``u``
    (``"acc_delta"``) of the squared steps: their ratio gives each step the units of the
    parameter, so the size of the first steps is set by ``eps`` rather than by a learning rate.

    ``foreach``, ``capturable`` and ``differentiable`` are PyTorch's implementation switches,
    accepted and saved but without effect here (see ``Optimizer``).
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def _check_group(self, group):
        super()._check_group(group)
        check_range(self, "rho", group["rho"], 0.0, 1.0, high_open=False)
        check_range(self, "eps", group["eps"], 0.0)
        check_range(self, "weight_decay", group["weight_decay"], 0.0)

    def _update(self, param, grad, state, group):
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(param)
            state["acc_delta"] = np.zeros_like(param)
        state["step"] += 1
        rho, eps = group["rho"], group["eps"]
        grad = grad_with_weight_decay(grad, param, group["weight_decay"], group["maximize"])
        v, u = state["square_avg"], state["acc_delta"]
        running_average_(v, np.multiply(grad, grad), rho)
        delta = np.add(u, eps)
        np.sqrt(delta, out=delta)
        delta /= np.sqrt(v + eps)
        delta *= grad                     # Delta = sqrt(u + eps) / sqrt(v + eps) * g
        running_average_(u, np.multiply(delta, delta), rho)
        delta *= group["lr"]
        param -= delta
