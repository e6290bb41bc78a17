"""Adagrad: per-coordinate step sizes that shrink with the sum of all past squared gradients."""
import numpy as np

from .optimizer import Optimizer, check_range, grad_with_weight_decay


class Adagrad(Optimizer):
    r"""Adagrad (Duchi, Hazan & Singer, 2011), as PyTorch defines it.

    With learning rate :math:`\gamma`, learning-rate decay :math:`\eta`, weight decay
    :math:`\lambda`, initial accumulator value :math:`\tau` and epsilon :math:`\epsilon`,
    step :math:`t = 1, 2, \ldots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \qquad (- \text{ if maximize})\\
        \tilde\gamma_t &= \gamma / (1 + (t-1)\,\eta)\\
        s_t &= s_{t-1} + g_t^2 \qquad (s_0 = \tau)\\
        \theta_t &= \theta_{t-1} - \tilde\gamma_t\, g_t / (\sqrt{s_t} + \epsilon)

    ``s`` (state ``"sum"``) only grows, so coordinates that often had large gradients take
    ever smaller steps: good for sparse features, too cautious for long training runs
    (RMSprop and Adam replace the sum by a running mean).

    ``foreach``, ``fused`` and ``differentiable`` are PyTorch's implementation switches,
    accepted and saved but without effect here (see ``Optimizer``).
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:  # as in PyTorch, the state exists before the first step
            for p in group["params"]:
                self.state[p] = self._new_state(p._array, group)

    @staticmethod
    def _new_state(param, group):
        return {"step": 0, "sum": np.full_like(param, group["initial_accumulator_value"])}

    def _check_group(self, group):
        super()._check_group(group)
        check_range(self, "lr_decay", group["lr_decay"], 0.0)
        check_range(self, "weight_decay", group["weight_decay"], 0.0)
        check_range(self, "initial_accumulator_value", group["initial_accumulator_value"], 0.0)
        check_range(self, "eps", group["eps"], 0.0)

    def _update(self, param, grad, state, group):
        if not state:  # a group added after construction
            state.update(self._new_state(param, group))
        state["step"] += 1
        grad = grad_with_weight_decay(grad, param, group["weight_decay"], group["maximize"])
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        s = state["sum"]
        tmp = np.multiply(grad, grad)  # scratch array, reused below
        s += tmp                        # s = s + g^2
        np.sqrt(s, out=tmp)
        tmp += group["eps"]
        np.divide(grad, tmp, out=tmp)
        tmp *= clr
        param -= tmp
