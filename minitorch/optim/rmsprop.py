"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""
import numpy as np

from .optimizer import Optimizer, check_range, grad_with_weight_decay


class RMSprop(Optimizer):
    r"""RMSprop (Hinton, 2012), with PyTorch's options ``momentum``, ``centered``, ``maximize``.

    With learning rate :math:`\gamma`, smoothing constant :math:`\alpha`, epsilon
    :math:`\epsilon`, weight decay :math:`\lambda` and momentum :math:`\mu`, each step does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \qquad (- \text{ if maximize})\\
        v_t &= \alpha\, v_{t-1} + (1-\alpha)\, g_t^2 \qquad (v_0 = 0)\\
        \tilde v_t &= \begin{cases} v_t - (\bar g_t)^2, \quad
                      \bar g_t = \alpha\, \bar g_{t-1} + (1-\alpha)\, g_t & \text{centered}\\
                      v_t & \text{otherwise}\end{cases}\\
        d_t &= g_t / (\sqrt{\tilde v_t} + \epsilon)\\
        \theta_t &= \begin{cases} \theta_{t-1} - \gamma\, b_t, \quad b_t = \mu\, b_{t-1} + d_t
                    & \mu > 0 \ (b_0 = 0)\\ \theta_{t-1} - \gamma\, d_t & \mu = 0\end{cases}

    ``v`` (state ``"square_avg"``) tracks the gradient's recent size, so each coordinate takes
    steps of about ``lr``. Centered RMSprop divides by an estimate of the gradient's standard
    deviation instead (``"grad_avg"`` holds :math:`\bar g`); ``"momentum_buffer"`` holds ``b``.
    Note that epsilon is added *after* the square root.

    ``foreach``, ``capturable`` and ``differentiable`` are PyTorch's implementation switches,
    accepted and saved but without effect here (see ``Optimizer``).
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                        centered=centered, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def _check_group(self, group):
        super()._check_group(group)
        check_range(self, "alpha", group["alpha"], 0.0, 1.0, high_open=False)
        check_range(self, "eps", group["eps"], 0.0)
        check_range(self, "weight_decay", group["weight_decay"], 0.0)
        check_range(self, "momentum", group["momentum"], 0.0)

    def _update(self, param, grad, state, group):
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(param)
            if group["momentum"] > 0:
                state["momentum_buffer"] = np.zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(param)
        state["step"] += 1
        alpha = group["alpha"]
        grad = grad_with_weight_decay(grad, param, group["weight_decay"], group["maximize"])
        v = state["square_avg"]
        tmp = np.multiply(grad, grad)  # scratch array, reused below
        tmp *= 1 - alpha
        v *= alpha
        v += tmp                        # v = alpha v + (1 - alpha) g^2
        if group["centered"]:
            g_avg = state["grad_avg"]
            np.multiply(grad, 1 - alpha, out=tmp)
            g_avg *= alpha
            g_avg += tmp                # g_avg = alpha g_avg + (1 - alpha) g
            np.multiply(g_avg, g_avg, out=tmp)
            np.subtract(v, tmp, out=tmp)
            np.sqrt(tmp, out=tmp)
        else:
            np.sqrt(v, out=tmp)
        tmp += group["eps"]
        np.divide(grad, tmp, out=tmp)   # d = g / (sqrt(v~) + eps)
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf *= group["momentum"]
            buf += tmp
            tmp = buf
        param -= group["lr"] * tmp
