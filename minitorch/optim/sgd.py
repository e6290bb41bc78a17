"""Stochastic gradient descent, optionally with (Nesterov) momentum."""

from .inplace import add_scaled_
from .optimizer import Optimizer, check_range, grad_with_weight_decay


class SGD(Optimizer):
    r"""Stochastic gradient descent (PyTorch's algorithm).

    With learning rate :math:`\gamma`, weight decay :math:`\lambda`, momentum :math:`\mu` and
    dampening :math:`\tau`, each step does, for every parameter :math:`\theta`:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \qquad (- \text{ if maximize})\\
        b_t &= \begin{cases} g_t & t = 1\\ \mu\, b_{t-1} + (1-\tau)\, g_t & t > 1\end{cases}
              \qquad (\text{only if } \mu \ne 0)\\
        d_t &= \begin{cases} g_t + \mu\, b_t & \text{nesterov}\\ b_t & \text{otherwise}\end{cases}
              \qquad (d_t = g_t \text{ if } \mu = 0)\\
        \theta_t &= \theta_{t-1} - \gamma\, d_t

    Momentum keeps a running direction ``b`` (state ``"momentum_buffer"``) so that steps
    build up speed along directions the gradient keeps pointing to and cancel out across
    directions where it oscillates. Nesterov momentum looks one step ahead along ``b``.

    ``foreach``, ``fused`` and ``differentiable`` are PyTorch's implementation switches,
    accepted and saved but without effect here (see ``Optimizer``).
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach,
                        differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)

    def _check_group(self, group):
        super()._check_group(group)
        check_range(self, "momentum", group["momentum"], 0.0)
        check_range(self, "dampening", group["dampening"], 0.0, 1.0, high_open=False)
        check_range(self, "weight_decay", group["weight_decay"], 0.0)
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                f"SGD: nesterov=True needs momentum > 0 and dampening = 0, got "
                f"momentum={group['momentum']} and dampening={group['dampening']}."
            )

    def _update(self, param, grad, state, group):
        ### BEGIN SOLUTION 3.7: one SGD step on the array param in place: the gradient from grad_with_weight_decay, then momentum (state "momentum_buffer"), dampening, nesterov
        grad = grad_with_weight_decay(grad, param, group["weight_decay"], group["maximize"])
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = grad.copy()
            else:
                buf *= momentum
                buf += grad if group["dampening"] == 0 else (1 - group["dampening"]) * grad
            grad = grad + momentum * buf if group["nesterov"] else buf
        add_scaled_(param, grad, -group["lr"])     # param -= lr * grad, in one pass
        ### END SOLUTION
