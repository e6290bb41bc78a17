"""The backward engine: accumulation, graph lifetime, grad modes, shape and in-place checks,
anomaly detection, memory, and seeding."""
import gc
import tracemalloc

import numpy as np
import pytest

import minitorch
from minitorch import InPlaceModificationError, ShapeError
from minitorch.autograd import Op, detect_anomaly, is_anomaly_enabled, set_detect_anomaly


def leaf(*values):
    return minitorch.tensor(np.array(values, dtype=np.float64), requires_grad=True)


# ------------------------------------------------------------------ accumulation and graph lifetime
def test_gradients_accumulate_across_backward_calls():
    x = leaf(1.0, 2.0)
    (x * x).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]
    (3 * x).sum().backward()
    assert x.grad.tolist() == [5.0, 7.0]
    x.grad.zero_()
    (x * x).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]


def test_second_backward_needs_retain_graph():
    x = leaf(1.0, 2.0)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time.*retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = leaf(1.0, 2.0)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.numpy().copy()
    np.testing.assert_allclose(first, np.exp([1.0, 2.0]) * (1 + np.array([1.0, 2.0])))
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * first)


def test_backward_on_a_non_scalar_needs_a_gradient():
    x = leaf(1.0, 2.0)
    with pytest.raises(RuntimeError, match=r"scalar output.*shape \(2,\).*gradient"):
        (x * 2).backward()


def test_backward_with_a_gradient_argument():
    x = leaf(1.0, 2.0)
    (x * 3).backward(minitorch.tensor(np.array([1.0, 10.0])))
    assert x.grad.tolist() == [3.0, 30.0]


def test_gradient_argument_of_the_wrong_shape():
    x = leaf(1.0, 2.0)
    with pytest.raises(ShapeError, match=r"gradient has shape \(3,\).*shape \(2,\)"):
        (x * 2).backward(minitorch.ones(3, dtype=minitorch.float64))


def test_backward_on_a_tensor_without_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        minitorch.tensor([1.0]).sum().backward()


def test_diamond_graph_gets_both_contributions():
    x = leaf(2.0)
    a, b = x * 3, x.exp()
    (a * b).backward()  # d/dx (3x e^x) = 3 e^x + 3x e^x
    assert x.grad.item() == pytest.approx(3 * np.exp(2.0) * (1 + 2.0))


def test_a_tensor_used_twice_in_one_op():
    x = leaf(3.0)
    (x * x).backward()
    assert x.grad.item() == 6.0


def test_deep_chain_has_no_recursion_error():
    x = leaf(1.0)
    y = x
    for _ in range(5000):
        y = y * 1.0001 + 0.0
    y.backward()
    assert x.grad.item() == pytest.approx(1.0001**5000)


def test_deep_retained_graph_is_freed_without_recursion_error():
    x = leaf(1.0)
    y = x
    for _ in range(5000):
        y = y + 1.0
    y.backward(retain_graph=True)
    del y  # 5000 nested nodes are deallocated here
    assert x.grad.item() == 1.0


# ------------------------------------------------------------------ grad modes
def test_no_grad_records_nothing():
    x = leaf(1.0)
    with minitorch.no_grad():
        y = x * 2
        assert not minitorch.is_grad_enabled()
    assert minitorch.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf


def test_no_grad_and_enable_grad_as_decorators():
    @minitorch.no_grad()
    def evaluate(x):
        return x * 2

    @minitorch.enable_grad()
    def train(x):
        return x * 2

    x = leaf(1.0)
    assert not evaluate(x).requires_grad
    with minitorch.no_grad():
        assert train(x).requires_grad
        assert not (x * 2).requires_grad
    assert evaluate.__name__ == "evaluate"


def test_enable_grad_inside_no_grad():
    x = leaf(1.0)
    with minitorch.no_grad():
        with minitorch.enable_grad():
            y = x * 2
        z = x * 2
    assert y.requires_grad and not z.requires_grad


def test_set_grad_enabled():
    x = leaf(1.0)
    with minitorch.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad
    minitorch.set_grad_enabled(False)
    try:
        assert not (x * 2).requires_grad
    finally:
        minitorch.set_grad_enabled(True)
    assert minitorch.is_grad_enabled()


def test_grad_mode_restored_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with minitorch.no_grad():
            1 / 0
    assert minitorch.is_grad_enabled()


def test_detach():
    x = leaf(1.0, 2.0)
    d = x.detach()
    assert not d.requires_grad and d.is_leaf
    assert np.shares_memory(d.numpy(), x.detach().numpy())
    (d * x).sum().backward()  # no gradient flows through d
    assert x.grad.tolist() == [1.0, 2.0]


def test_requires_grad_on_integer_tensor_is_refused():
    with pytest.raises(RuntimeError, match="floating-point.*int64"):
        minitorch.tensor([1, 2]).requires_grad_()
    with pytest.raises(RuntimeError, match="floating-point"):
        minitorch.tensor([1, 2], requires_grad=True)


def test_grad_only_on_leaves_unless_retained():
    x = leaf(1.0, 2.0)
    hidden = x * 3
    kept = x * 5
    kept.retain_grad()
    assert x.is_leaf and not hidden.is_leaf
    (hidden * hidden + kept * kept).sum().backward()
    assert hidden.grad is None
    assert kept.grad.tolist() == [10.0, 20.0]  # d(kept^2)/d(kept) = 2 kept
    assert x.grad.tolist() == [18 * 1.0 + 50 * 1.0, 18 * 2.0 + 50 * 2.0]


def test_requires_grad_propagates():
    x, c = leaf(1.0), minitorch.tensor(np.array([2.0]))
    assert (x * c).requires_grad and not (c * c).requires_grad
    node = (x * c).grad_fn
    assert repr(node) == f"<MulBackward0 object at {id(node):#x}>"


# ------------------------------------------------------------------ shape checks
class AddForgetsToUnbroadcast(Op):
    """z = a + b whose backward (wrongly) returns the output's gradient as is."""

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


@pytest.mark.parametrize("through_an_op", [False, True])
def test_backward_shape_check_names_op_input_and_shapes(through_an_op):
    a = minitorch.ones(3, 4, dtype=minitorch.float64, requires_grad=True)
    b = minitorch.ones(4, dtype=minitorch.float64, requires_grad=True)
    second = b * 2 if through_an_op else b  # the gradient goes to a node, or to a leaf
    out = AddForgetsToUnbroadcast.apply(a, second)
    with pytest.raises(ShapeError) as info:
        out.sum().backward()
    message = str(info.value)
    assert "AddForgetsToUnbroadcast" in message and "input 1" in message
    assert "(3, 4)" in message and "(4,)" in message
    assert "was a broadcast undone?" in message.lower()


@pytest.mark.parametrize("expression, op, shapes", [
    (lambda: minitorch.ones(2, 3) + minitorch.ones(4), "add", ["(2, 3)", "(4,)"]),
    (lambda: minitorch.ones(2, 3) * minitorch.ones(2, 2), "mul", ["(2, 3)", "(2, 2)"]),
    (lambda: minitorch.ones(2, 3) @ minitorch.ones(2, 3), "matmul", ["(2, 3)", "(2, 3)"]),
    (lambda: minitorch.ones(5, 2, 3) @ minitorch.ones(4, 3, 1), "matmul", ["(5, 2, 3)", "(4, 3, 1)"]),
    (lambda: minitorch.ones(2, 3).reshape(4, 2), "reshape", ["(2, 3)", "(4, 2)"]),
    (lambda: minitorch.cat([minitorch.ones(2, 3), minitorch.ones(2, 2)]), "cat", ["(2, 3)", "(2, 2)"]),
    (lambda: minitorch.stack([minitorch.ones(2), minitorch.ones(3)]), "stack", ["(2,)", "(3,)"]),
    (lambda: minitorch.ones(2, 3).expand(4, 4), "expand", ["(2, 3)", "(4, 4)"]),
])
def test_forward_shape_errors_name_op_and_shapes(expression, op, shapes):
    with pytest.raises(ShapeError) as info:
        expression()
    message = str(info.value)
    assert op in message
    for shape in shapes:
        assert shape in message


def test_out_of_range_dim():
    with pytest.raises(IndexError, match=r"sum: dim 2 is out of range.*2 dimension"):
        minitorch.ones(2, 3).sum(2)


# ------------------------------------------------------------------ in-place checks
def test_in_place_change_of_a_saved_input_is_detected():
    w = leaf(1.0, 2.0)
    x = minitorch.tensor(np.array([3.0, 4.0]))
    loss = (w * x).sum()
    x.mul_(2)  # Mul saved x for dL/dw
    with pytest.raises(InPlaceModificationError, match="Mul.backward.*input 1.*modified in place"):
        loss.backward()


def test_in_place_change_of_a_saved_parameter_is_detected():
    """The classic bug: an optimizer step between forward and backward."""
    w = leaf(1.0, 2.0)
    loss = (w * w).sum()
    with minitorch.no_grad():
        w.sub_(0.1)
    with pytest.raises(InPlaceModificationError, match="Mul"):
        loss.backward()


def test_in_place_change_of_a_saved_output_is_detected():
    x = leaf(1.0, 2.0)
    y = x.exp()  # Exp saves its output
    with minitorch.no_grad():
        y.add_(1)
    with pytest.raises(InPlaceModificationError, match="Exp.backward.*its output"):
        y.sum().backward()


def test_in_place_change_through_a_view_is_detected():
    w = leaf(1.0, 2.0, 3.0, 4.0)
    x = minitorch.tensor(np.array([1.0, 2.0, 3.0, 4.0]))
    loss = (w * x).sum()
    x.view(2, 2).mul_(3)  # the view shares x's memory and version counter
    with pytest.raises(InPlaceModificationError, match="Mul"):
        loss.backward()
    w2 = leaf(1.0, 2.0)
    x2 = minitorch.tensor(np.array([[1.0, 2.0]]))
    loss2 = (w2 * x2.T.reshape(2)).sum()  # Mul saved a view of x2
    x2.fill_(0.0)
    with pytest.raises(InPlaceModificationError, match="Mul"):
        loss2.backward()


def test_in_place_change_through_a_slice_is_detected():
    w = leaf(1.0, 2.0)
    x = minitorch.tensor(np.array([3.0, 4.0]))
    loss = (w * x).sum()
    x[0:1].mul_(10)  # a slice is a view: this changes x, which Mul saved
    with pytest.raises(InPlaceModificationError, match="Mul"):
        loss.backward()
    x = minitorch.tensor(np.array([3.0, 4.0]))
    loss = (w * x).sum()
    x[minitorch.tensor([0])].mul_(10)  # an index array gives a copy: x is untouched
    loss.backward()
    assert w.grad.tolist() == [3.0, 4.0]


def test_in_place_change_of_an_unsaved_tensor_is_fine():
    w = leaf(1.0, 2.0)
    x = minitorch.tensor(np.array([3.0, 4.0]))
    loss = (w + x).sum()  # Add saves nothing
    x.mul_(2)
    loss.backward()
    assert w.grad.tolist() == [1.0, 1.0]


def test_in_place_on_a_leaf_that_requires_grad_needs_no_grad():
    w = leaf(1.0, 2.0)
    with pytest.raises(RuntimeError, match="in-place.*no_grad"):
        w.add_(1.0)
    with pytest.raises(RuntimeError, match="in-place"):
        w += 1.0
    with pytest.raises(RuntimeError, match="in-place"):
        w[0] = 5.0
    with minitorch.no_grad():
        w.sub_(minitorch.tensor(np.array([0.5, 0.5])))
        w.mul_(2)
    assert w.tolist() == [1.0, 3.0]


# ------------------------------------------------------------------ anomaly detection
@pytest.fixture
def anomaly_off():
    yield
    set_detect_anomaly(False)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_anomaly_names_the_first_forward_op_making_nan(anomaly_off):
    x = leaf(-1.0, 2.0)
    set_detect_anomaly(True)
    assert is_anomaly_enabled()
    y = x * 2  # fine
    with pytest.raises(FloatingPointError, match="Log.forward produced NaN"):
        (y - 3).log()
    set_detect_anomaly(False)
    assert np.isnan((x - 3).log().detach().numpy()).all()  # off: NaN flows silently


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_anomaly_names_the_backward_op_making_inf(anomaly_off):
    x = leaf(0.0, 4.0)
    with detect_anomaly():
        y = (x.sqrt() * 3).sum()  # forward is finite: sqrt(0) = 0
        with pytest.raises(FloatingPointError, match="Sqrt.backward produced inf.*input 0"):
            y.backward()
    assert not is_anomaly_enabled()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_anomaly_off_by_default_lets_inf_through():
    x = leaf(0.0, 4.0)
    x.sqrt().sum().backward()
    assert x.grad.tolist()[0] == float("inf")


# ------------------------------------------------------------------ memory
def _count_function_nodes():
    # type(), not isinstance(): isinstance on a dead weakref.proxy raises ReferenceError
    return sum(issubclass(type(o), Op) for o in gc.get_objects())


def test_training_memory_stays_flat():
    """1000 SGD steps of a small MLP built from raw tensors: the graph of each step is freed."""
    minitorch.manual_seed(0)
    x = minitorch.randn(32, 4, dtype=minitorch.float64)
    target = (x[:, :1] * 2 - x[:, 1:2]).tanh()
    w1 = (minitorch.randn(4, 16, dtype=minitorch.float64) * 0.5).requires_grad_()
    b1 = minitorch.zeros(16, dtype=minitorch.float64, requires_grad=True)
    w2 = (minitorch.randn(16, 1, dtype=minitorch.float64) * 0.5).requires_grad_()
    b2 = minitorch.zeros(1, dtype=minitorch.float64, requires_grad=True)
    params = [w1, b1, w2, b2]

    def step():
        loss = ((((x @ w1 + b1).relu() @ w2 + b2) - target) ** 2).mean()
        loss.backward()
        with minitorch.no_grad():
            for p in params:
                p.sub_(0.05 * p.grad)
                p.grad.zero_()
        return loss.item()

    gc.collect()
    tracemalloc.start()
    try:
        first_loss = step()
        for _ in range(99):
            step()
        gc.collect()
        memory_100, nodes_100 = tracemalloc.get_traced_memory()[0], _count_function_nodes()
        for _ in range(900):
            last_loss = step()
        gc.collect()
        memory_1000, nodes_1000 = tracemalloc.get_traced_memory()[0], _count_function_nodes()
    finally:
        tracemalloc.stop()
    assert last_loss < 0.5 * first_loss  # it did train
    assert memory_1000 - memory_100 < 32 * 1024, f"grew by {memory_1000 - memory_100} bytes"
    assert nodes_1000 <= nodes_100


def test_backward_frees_saved_arrays():
    x = leaf(1.0, 2.0)
    y = x.exp()
    node = y.grad_fn
    y.sum().backward()
    assert node.saved_arrays == ()


# ------------------------------------------------------------------ seeding
def test_manual_seed_makes_random_ops_repeat():
    minitorch.manual_seed(123)
    a, b, c = minitorch.randn(3, 4), minitorch.rand(5), minitorch.randint(0, 10, (6,))
    minitorch.manual_seed(123)
    assert minitorch.randn(3, 4).tolist() == a.tolist()
    assert minitorch.rand(5).tolist() == b.tolist()
    assert minitorch.randint(0, 10, (6,)).tolist() == c.tolist()
    assert minitorch.randn(3, 4).tolist() != a.tolist()  # the stream moved on


def test_a_generator_is_a_separate_stream():
    g = minitorch.Generator().manual_seed(7)
    first = minitorch.randn(4, generator=g).tolist()
    minitorch.manual_seed(0)
    minitorch.randn(10)  # the default stream does not disturb g's
    g.manual_seed(7)
    assert minitorch.randn(4, generator=g).tolist() == first


def test_no_grad_decorates_without_parentheses():
    @minitorch.no_grad
    def double(x):
        return x * 2

    x = minitorch.randn(3, requires_grad=True)
    assert not double(x).requires_grad
    assert (x * 2).requires_grad  # the mode is restored after the call


def test_assigning_a_tensor_that_requires_grad_carries_its_gradient():
    x = minitorch.randn(3, requires_grad=True)
    y = minitorch.zeros(3)
    y[0] = x[0]  # as in PyTorch, y takes the assignment as its history (tests/test_inplace_graph.py)
    (y * 3).sum().backward()
    assert y.requires_grad and x.grad.tolist() == [3.0, 0.0, 0.0]


def test_reshape_that_copies_does_not_share_the_version_counter():
    x = minitorch.randn(3, 4, requires_grad=True)
    flat = x.T.reshape(-1)  # a transposed matrix cannot be flattened as a view: numpy copies
    y = (flat * flat).sum()
    with minitorch.no_grad():
        x.T.reshape(-1).mul_(0)  # changes another copy, not what y saved
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.detach().numpy(), rtol=1e-6)


def test_autograd_grad_stops_at_the_inputs_and_keeps_the_graph_below():
    """As PyTorch: autograd.grad runs (and frees) only the nodes between the outputs and the inputs, so
    the graph below a computed input can still be backpropagated through afterwards."""
    w = minitorch.tensor([1.0, 2.0], requires_grad=True)
    f = w * 2
    (g,) = minitorch.autograd.grad((f * f).sum(), [f])
    (f * 3).sum().backward()
    assert g.tolist() == [4.0, 8.0] and w.grad.tolist() == [6.0, 6.0]
