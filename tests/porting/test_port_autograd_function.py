"""A custom ``torch.autograd.Function`` (the tutorial's pattern: static forward/backward,
``ctx.save_for_backward``, ``ctx.saved_tensors``, ``Function.apply``) inside a small fit, under
minitorch and PyTorch from the same weights."""


def make_softclip(torch):
    """``softclip(x, a) = a * tanh(x / a)``, with its gradient for both x and a by hand."""

    class SoftClip(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, a):
            t = torch.tanh(x / a)
            ctx.save_for_backward(x, a, t)
            return a * t

        @staticmethod
        def backward(ctx, grad_output):
            x, a, t = ctx.saved_tensors
            dt = 1 - t * t
            grad_x = grad_output * dt
            grad_a = (grad_output * (t - x / a * dt)).sum()
            return grad_x, grad_a

    return SoftClip


def fit_softclip(torch, same_start):
    """Fit a linear layer through the custom function for a few steps; also gradcheck it."""
    nn = torch.nn
    softclip = make_softclip(torch).apply
    torch.manual_seed(3)
    layer = same_start(nn.Linear(3, 2))
    a = torch.tensor(1.5, requires_grad=True)
    x = torch.linspace(-2, 2, 12).view(4, 3)
    y = torch.tensor([[0.5, -1.0], [1.0, 0.2], [-0.3, 0.7], [1.2, -1.1]])
    optimizer = torch.optim.SGD(list(layer.parameters()) + [a], lr=0.1)
    losses = []
    for _ in range(5):
        optimizer.zero_grad()
        loss = ((softclip(layer(x), a) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    probe = torch.tensor([[0.3, -1.7], [2.5, 0.1]], requires_grad=True)
    scale = torch.tensor(0.8, requires_grad=True)
    assert torch.autograd.gradcheck(softclip, (probe, scale))
    out = softclip(probe, scale)
    assert out.grad_fn is not None
    out.sum().backward()
    return {"losses": losses, "a": a.item(), "a_grad": a.grad.item(), "probe_grad": probe.grad.numpy(),
            "scale_grad": scale.grad.item(), "weight": layer.weight.detach().numpy()}


def test_custom_function_fits_as_in_pytorch(run_both, same_numbers):
    ours, theirs = run_both(fit_softclip)
    same_numbers(ours, theirs)
