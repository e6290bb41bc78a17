"""In-place ops that PyTorch treats specially, as it does: the pieces of ``split``/``chunk``/``unbind``
(views returned together) are not changed in place, nor used, in the graph once their base changed;
random fills (``uniform_``, ``normal_``, ``bernoulli_``...) on a tensor in the graph are recorded,
with no gradient flowing back through them; ``unsqueeze_/squeeze_/t_/transpose_`` on a tensor in
the graph give it the view op's history; ``resize_`` refuses tensors that require grad. Each case
runs under minitorch and under PyTorch where PyTorch is installed."""
import numpy as np
import pytest
from hypothesis import given

import minitorch
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

PIECES = {
    "split": lambda y: y.split(1)[0],
    "split_sizes": lambda y: y.split([2, 1])[1],
    "chunk": lambda y: y.chunk(3)[2],
    "unbind": lambda y: y.unbind(1)[0],
    "top_level_unbind": lambda y: minitorch_or_torch(y).unbind(y)[1],
    "view_of_a_piece": lambda y: y.split(2)[0][1:],
}
CHANGES = {
    "add_": lambda p: p.add_(1),
    "setitem": lambda p: p.__setitem__(0, 5.0),
    "zero_": lambda p: p.zero_(),
    "uniform_": lambda p: p.uniform_(),
    "unsqueeze_": lambda p: p.unsqueeze_(0),
}


def minitorch_or_torch(tensor):
    """The library ``tensor`` belongs to."""
    return minitorch if isinstance(tensor, minitorch.Tensor) else __import__("torch")


def _libraries():
    torch = pytest.importorskip("torch")
    return minitorch, torch


@pytest.mark.parametrize("change", CHANGES, ids=str)
@pytest.mark.parametrize("piece", PIECES, ids=str)
def test_a_piece_of_split_or_unbind_is_not_changed_in_place_in_the_graph(piece, change):
    x = minitorch.tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    op = {"setitem": "__setitem__"}.get(change, change)
    with pytest.raises(RuntimeError, match=f"{op}: this tensor is one of the pieces that (split|unbind) returns.*clone"):
        CHANGES[change](PIECES[piece](x * 2))


@pytest.mark.parametrize("change", CHANGES, ids=str)
@pytest.mark.parametrize("piece", PIECES, ids=str)
def test_pytorch_refuses_the_same_pieces(piece, change):
    torch = pytest.importorskip("torch")
    x = torch.tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    with pytest.raises(RuntimeError):
        CHANGES[change](PIECES[piece](x * 2))


def test_a_piece_changed_by_a_value_that_requires_grad_is_refused():
    for lib in _libraries():
        buffer = lib.zeros(4)
        first, _ = buffer.split(2)
        with pytest.raises(RuntimeError):
            first.copy_(lib.ones(2, requires_grad=True))


def test_pieces_change_in_place_where_pytorch_lets_them():
    for lib in _libraries():
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        y = x * 2
        with lib.no_grad():  # outside the graph
            y.split(2)[1].add_(1)
            x.chunk(2)[0].mul_(10)  # a leaf's piece: a parameter update
        plain = lib.zeros(4)
        plain.split(2)[0].add_(1)  # nothing requires grad
        a, b = y.tensor_split(2)  # tensor_split's pieces are plain views in PyTorch
        a.mul_(3)
        piece = y.unbind()[3].clone()  # a copy is a tensor of its own
        piece.add_(1)
        (y * y).sum().backward()
        assert x.tolist() == [10.0, 20.0, 3.0, 4.0] and plain.tolist() == [1.0, 1.0, 0.0, 0.0]
        assert y.tolist() == [6.0, 12.0, 7.0, 9.0] and piece.item() == 10.0
        assert x.grad.tolist() == [72.0, 144.0, 28.0, 36.0]


def test_a_piece_whose_base_changed_in_place_is_not_used_in_the_graph():
    x = minitorch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x * 2
    first, second = y.split(2)
    y.add_(1)
    with pytest.raises(RuntimeError, match="mul: this tensor is one of the pieces that split returned.*"
                                           "changed in place since.*split again|Call split again"):
        first * 2
    with minitorch.no_grad():  # outside the graph it is an ordinary view
        assert (second * 1).tolist() == [7.0, 9.0]
    assert second.detach().tolist() == [7.0, 9.0]
    pieces = y.unbind()
    with minitorch.no_grad():
        pieces[0].add_(1)  # a change in no_grad mode counts too, as in PyTorch
    with pytest.raises(RuntimeError, match="sum: this tensor is one of the pieces that unbind returned"):
        pieces[1].sum()
    plain = minitorch.zeros(2)
    a, b = plain.unbind()
    plain.add_(1)
    assert (a + b).item() == 2.0  # nothing requires grad: no history to lose


def test_pytorch_refuses_a_stale_piece_too():
    torch = pytest.importorskip("torch")
    y = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True) * 2
    first, _ = y.split(2)
    y.add_(1)
    with pytest.raises(RuntimeError):
        first * 2


FILLS = {
    "uniform_": (-1.0, 1.0), "normal_": (0.0, 2.0), "bernoulli_": (0.5,), "exponential_": (),
    "random_": (0, 5), "cauchy_": (), "log_normal_": (), "geometric_": (0.5,), "zero_": (), "fill_": (2.0,),
}


@pytest.mark.parametrize("fill", FILLS, ids=str)
def test_a_fill_in_the_graph_is_recorded_with_no_gradient_through_it(fill):
    for lib in _libraries():
        x = lib.tensor(np.linspace(-1, 1, 6).reshape(2, 3), requires_grad=True)
        y = x * 2
        assert getattr(y, fill)(*FILLS[fill]) is y and y.requires_grad
        z = x * 3
        getattr(z[1], fill)(*FILLS[fill])  # through a view: only that row loses its gradient
        (y.sum() + (z * z).sum()).backward()
        np.testing.assert_allclose(x.grad.numpy(), [list(18 * np.linspace(-1, 1, 6)[:3]), [0.0, 0.0, 0.0]])


@pytest.mark.parametrize("fill", FILLS, ids=str)
def test_a_fill_on_a_leaf_that_requires_grad_needs_no_grad_mode(fill):
    for lib in _libraries():
        w = lib.zeros(2, 3, requires_grad=True)
        with pytest.raises(RuntimeError):
            getattr(w, fill)(*FILLS[fill])
        with pytest.raises(RuntimeError):
            getattr(w[0], fill)(*FILLS[fill])
        with lib.no_grad():  # nn.init's way
            getattr(w, fill)(*FILLS[fill])
        assert w.is_leaf and w.requires_grad and w.grad_fn is None


def test_random_fills_in_the_graph_draw_from_the_seeded_generator():
    minitorch.manual_seed(3)
    expected = minitorch.zeros(5).normal_()
    minitorch.manual_seed(3)
    y = minitorch.zeros(5, requires_grad=True) * 1
    assert y.normal_().tolist() == expected.tolist()


RESHAPES = {
    "unsqueeze_": lambda t: t.unsqueeze_(0), "squeeze_": lambda t: t.unsqueeze(1).squeeze_(1),
    "t_": lambda t: t.t_(), "transpose_": lambda t: t.transpose_(0, 1),
    "swapdims_": lambda t: t.swapdims_(1, 0), "swapaxes_": lambda t: t.swapaxes_(0, -1),
}


def _reshaped_in_place(lib, x, name):
    y = x * 2
    out = RESHAPES[name](y)
    view = (x + 1)[:, 1:]  # a view of a tensor in the graph
    RESHAPES[name](view)
    return out.sin().sum() + (view * view).sum() + out.reshape(-1)[1]


@pytest.mark.parametrize("name", RESHAPES, ids=str)
def test_reshaping_in_place_in_the_graph_as_pytorch(name):
    results = []
    for lib in _libraries():
        x = lib.tensor(np.linspace(-1.2, 1.5, 6).reshape(2, 3), requires_grad=True, dtype=lib.float64)
        out = _reshaped_in_place(lib, x, name)
        out.backward()
        results.append((out.item(), x.grad.numpy()))
        leaf = lib.zeros(2, 3, requires_grad=True)
        with pytest.raises(RuntimeError):
            RESHAPES[name](leaf)
        with pytest.raises(RuntimeError):
            RESHAPES[name](leaf[:])
        saved = x * 1
        kept = saved.exp()  # saves its output, not saved: still fine
        used = saved.sin()  # saves saved
        RESHAPES[name](saved)
        with pytest.raises(RuntimeError):
            used.sum().backward()
        kept.sum().backward()
    (ours, our_grad), (theirs, their_grad) = results
    assert ours == pytest.approx(theirs, rel=1e-12)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-12)


@given(S.arrays(shape=(2, 3)))
def test_reshaping_in_place_gradcheck(x0):
    x = minitorch.tensor(x0, requires_grad=True)
    for name in ("unsqueeze_", "t_", "swapdims_"):
        assert gradcheck(lambda t: _reshaped_in_place(minitorch, t, name), [x])


def test_a_reshaped_view_keeps_following_its_base():
    x = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    base = minitorch.zeros(2, 2)
    row = base[0]
    row.unsqueeze_(0)  # nothing requires grad: a plain view change
    base.add_(x)  # the base takes a history; the view joins it, with its new shape
    (row * minitorch.tensor([[1.0, 10.0]])).sum().backward()
    assert row.shape == (1, 2) and row.tolist() == [[1.0, 2.0]] and x.grad.tolist() == [[1.0, 10.0], [0.0, 0.0]]


def test_resize_as_pytorch():
    for lib in _libraries():
        assert lib.arange(6.0).reshape(2, 3).t().resize_(2, 3).tolist() == [[0, 1, 2], [3, 4, 5]]
        assert lib.arange(6).resize_(2, 2).tolist() == [[0, 1], [2, 3]]
        grown = lib.arange(3.0).resize_((5,))
        assert grown.shape == (5,) and grown[:3].tolist() == [0.0, 1.0, 2.0]
        assert lib.arange(4).resize_as_(lib.zeros(2, 2)).shape == (2, 2)
        for x in (lib.zeros(2, requires_grad=True), lib.zeros(2, requires_grad=True) * 2):
            with pytest.raises(RuntimeError):
                x.resize_(3)
            with lib.no_grad(), pytest.raises(RuntimeError):
                x.resize_(3)
        with pytest.raises(RuntimeError):
            lib.zeros(2).resize_(-1)
        with pytest.raises(TypeError):
            lib.zeros(2).resize_(2.5)


def test_resize_says_what_to_do():
    with pytest.raises(RuntimeError, match="resize_: cannot resize a tensor that requires grad.*detach"):
        minitorch.zeros(2, requires_grad=True).resize_(4)


def test_zero_and_fill_errors_name_the_method_called():
    leaf = minitorch.ones(3, requires_grad=True)
    for call, name in ((lambda: leaf.zero_(), "zero_"), (lambda: leaf.fill_(2.0), "fill_")):
        with pytest.raises(RuntimeError, match=f"^{name}: a leaf tensor that requires grad"):
            call()


UNSAFE = {"unsafe_split": lambda y: y.unsafe_split(2)[0], "unsafe_chunk": lambda y: y.unsafe_chunk(2)[1]}


@pytest.mark.parametrize("piece", UNSAFE, ids=str)
def test_an_unsafe_piece_changes_in_place_in_the_graph_as_in_pytorch(piece):
    grads = []
    for lib in _libraries():
        x = lib.tensor(np.arange(4.0), requires_grad=True)
        part = UNSAFE[piece](x * 2)
        part.mul_(3)
        part.sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(grads[0], grads[1])


def test_split_with_sizes_takes_a_list_only():
    pieces = minitorch.arange(5).split_with_sizes((2, 3))
    assert [p.tolist() for p in pieces] == [[0, 1], [2, 3, 4]]
    with pytest.raises(TypeError, match="split_with_sizes: split_sizes must be a list or tuple"):
        minitorch.arange(5).split_with_sizes(2)


@pytest.mark.parametrize("piece", PIECES, ids=str)
def test_reading_grad_fn_of_a_stale_piece_is_refused_as_in_pytorch(piece):
    for lib in _libraries():
        y = lib.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True) * 2
        part = PIECES[piece](y)
        assert part.grad_fn is not None  # fresh: readable
        y.add_(1)
        with pytest.raises(RuntimeError):
            part.grad_fn
        with lib.no_grad(), pytest.raises(RuntimeError):  # also outside the graph, as PyTorch
            part.grad_fn


def test_reading_grad_fn_of_a_piece_says_why_and_spares_pieces_without_history():
    y = minitorch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True) * 2
    first, _ = y.split(2)
    y.mul_(2)
    with pytest.raises(RuntimeError, match="grad_fn: this tensor is one of the pieces that split returned"):
        first.grad_fn
    plain = minitorch.zeros(4)
    a, _ = plain.split(2)
    plain.add_(1)
    assert a.grad_fn is None  # nothing requires grad: nothing to refuse
