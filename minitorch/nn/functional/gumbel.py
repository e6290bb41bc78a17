"""gumbel_softmax: a differentiable sample from a categorical distribution (Jang et al., 2017)."""
from ... import checks


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """y = softmax((logits + g) / tau) along ``dim``, with g = -log(E) Gumbel noise (E ~ Exponential(1)).

    With ``hard=True`` the result is the one-hot vector of y's largest entry in the forward pass,
    while the gradient is y's (the straight-through estimator: y_hard - y.detach() + y). Smaller
    ``tau`` makes y closer to one-hot. ``eps`` is PyTorch's deprecated argument, accepted and unused.

    >>> import minitorch
    >>> minitorch.manual_seed(0)
    >>> y = minitorch.nn.functional.gumbel_softmax(minitorch.zeros(2, 3), tau=0.5, hard=True)
    >>> y.sum(dim=-1).tolist()
    [1.0, 1.0]
    """
    checks.tensor("gumbel_softmax", "logits", logits)
    if not logits.is_floating_point():
        raise TypeError(f"gumbel_softmax: logits must be a floating-point tensor, got {logits.dtype}.")
    tau = checks.real("gumbel_softmax", "tau", tau)
    if tau <= 0:
        raise ValueError(f"gumbel_softmax: tau must be positive, got {tau}.")
    gumbels = -logits.new_empty(logits.shape).exponential_().log()
    soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return soft
    index = soft.argmax(dim, keepdim=True)
    one_hot = soft.new_zeros(soft.shape).scatter_(dim, index, 1.0)
    return one_hot - soft.detach() + soft


__all__ = ["gumbel_softmax"]
