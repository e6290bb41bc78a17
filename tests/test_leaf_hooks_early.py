"""A leaf's hooks run as soon as its gradient is complete, while backward goes on (as PyTorch's
AccumulateGrad): DistributedDataParallel starts each bucket's allreduce from there."""
import minitorch


def test_a_leaf_near_the_loss_is_delivered_before_the_earlier_layers_run():
    a = minitorch.tensor([1.0, 2.0], requires_grad=True)
    b = minitorch.tensor([3.0, 4.0], requires_grad=True)
    calls = []
    y = a * 2
    y.register_hook(lambda g: calls.append("y"))
    a.register_hook(lambda g: calls.append("a"))
    b.register_hook(lambda g: calls.append(("b", g.tolist())))
    (y * b).sum().backward()
    assert calls == [("b", [2.0, 4.0]), "y", "a"]
    assert a.grad.tolist() == [6.0, 8.0] and b.grad.tolist() == [2.0, 4.0]


def test_a_leaf_used_twice_is_delivered_once_with_its_whole_gradient():
    w = minitorch.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    w.register_hook(lambda g: seen.append(g.tolist()))
    h = w * 3
    ((h * w).sum() + (w * 5).sum()).backward()
    assert seen == [[2 * 3 * 1.0 + 5, 2 * 3 * 2.0 + 5]]


def test_a_leaf_on_a_cut_path_still_gets_the_gradient_of_the_other_path():
    w = minitorch.tensor([1.0], requires_grad=True)
    seen = []
    w.register_hook(lambda g: seen.append(g.tolist()))
    (w.detach() * w * 2).sum().backward()
    assert seen == [[2.0]]
