"""What PyTorch's beginner tutorials do with tensors and graphs, which stopped under minitorch:
``torch.matmul(a, b, out=c)`` and the ``out=`` of the other function forms (the tensors tutorial),
and walking the graph through ``loss.grad_fn.next_functions`` (the 60-minute blitz). Each runs
under minitorch and under PyTorch where PyTorch is installed."""
import numpy as np
import pytest

import minitorch


def _libraries():
    return minitorch, pytest.importorskip("torch")


def test_function_forms_write_into_out():
    for lib in _libraries():
        tensor = lib.ones(4, 4)
        tensor[:, 1] = 0
        y3 = lib.rand_like(tensor)
        assert lib.matmul(tensor, tensor.T, out=y3) is y3
        z3 = lib.rand_like(tensor)
        lib.mul(tensor, tensor, out=z3)
        total = lib.empty(())
        lib.sum(tensor, (0, 1), out=total)
        values, indices = lib.empty(4), lib.empty(4, dtype=lib.long)
        result = lib.max(lib.arange(16.0).reshape(4, 4), 1, out=(values, indices))
        assert y3.tolist() == [[3.0] * 4] * 4 and z3.tolist() == [[1.0, 0.0, 1.0, 1.0]] * 4
        assert total.item() == 12.0 and result[0] is values and result.indices is indices
        assert values.tolist() == [3.0, 7.0, 11.0, 15.0] and indices.tolist() == [3, 3, 3, 3]


def test_out_of_the_wrong_dtype_is_refused():
    for lib in _libraries():
        with pytest.raises(RuntimeError):
            lib.mul(lib.ones(2), lib.ones(2), out=lib.empty(2, dtype=lib.long))
    with pytest.raises(RuntimeError, match="mul\\(\\): out= has dtype minitorch.int64, but the result has dtype "
                                           "minitorch.float32"):
        minitorch.mul(minitorch.ones(2), minitorch.ones(2), out=minitorch.empty(2, dtype=minitorch.long))
    with pytest.raises(TypeError, match="max\\(\\): out= must be a tuple of 2 tensors"):
        minitorch.max(minitorch.ones(2, 2), 1, out=minitorch.empty(2))


def _blitz_graph(torch):
    """The 60-minute blitz walks back from the loss through ``next_functions``; here the whole
    graph, to the leaves (``AccumulateGrad`` nodes and their ``variable``)."""
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    loss = torch.nn.functional.mse_loss(net(torch.ones(1, 3)), torch.zeros(1, 2))
    nodes, leaves, stack = [], [], [loss.grad_fn]
    while stack:
        node = stack.pop()
        nodes.append(node)
        if hasattr(node, "variable"):
            leaves.append(node.variable)
        stack.extend(n for n, _ in node.next_functions if n is not None)
    return nodes, leaves, net


def test_walking_the_graph_through_next_functions():
    for lib in _libraries():
        nodes, leaves, net = _blitz_graph(lib)
        assert all(isinstance(index, int) for n in nodes for _, index in n.next_functions)
        assert sorted(id(leaf) for leaf in leaves) == sorted(id(p) for p in net.parameters())
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).sum()
    (node, index), = y.grad_fn.next_functions[:1]
    assert index == 0 and repr(node).startswith("<MulBackward0 object at 0x")
    (leaf, _), (constant, _) = node.next_functions
    assert repr(leaf).startswith("<AccumulateGrad object at 0x") and leaf.variable is x and leaf.next_functions == ()
    assert constant is None  # the number 3: no gradient flows there
    y.backward()
    assert y.grad_fn.next_functions == ()  # the graph is freed after backward
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])
