"""The last Tensor methods of PyTorch's surface (``minitorch/tensor_methods/odds.py``): deprecated
``resize``/``resize_as``, ``is_inference``, ``new_empty_strided``, ``bfloat16``, ``apply_``/``map_``,
``narrow_copy``, ``nonzero_static``, the flags of what minitorch lacks, the methods PyTorch removed;
and Module's load_state_dict post hook that returns a value. Against PyTorch where it is installed."""
import warnings

import numpy as np
import pytest
from hypothesis import given

import minitorch
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S


def _both(call):
    """``call(lib)`` in minitorch and in PyTorch."""
    torch = pytest.importorskip("torch")
    return call(minitorch), call(torch)


def _same(ours, theirs):
    assert type(ours).__name__ == type(theirs).__name__ or not hasattr(theirs, "numpy")
    if hasattr(theirs, "numpy"):
        assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype)[10:] == str(theirs.dtype)[6:]
        np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())
    else:
        assert ours == theirs


@pytest.mark.parametrize("call", [
    lambda m: m.arange(6.0).resize(3, 2),
    lambda m: m.arange(6.0).reshape(2, 3).t().resize(6),
    lambda m: m.arange(6.0).resize_as(m.zeros(1, 6)),
    lambda m: m.ones(1).new_empty_strided((2, 3), (1, 2)).stride(),
    lambda m: m.ones(1, dtype=m.int64).new_empty_strided((2, 2), (2, 1)).dtype.is_floating_point,
    lambda m: m.tensor([1.0, 2.0]).apply_(lambda v: v * 3 + 1),
    lambda m: m.tensor([[1, 2], [3, 4]]).map_(m.tensor([10, 20]), lambda a, b: a * b),
    lambda m: m.arange(10).reshape(2, 5).narrow_copy(1, 1, 3),
    lambda m: m.tensor([0, 3, 0, 5]).nonzero_static(size=3),
    lambda m: m.tensor([[0, 3], [4, 5]]).nonzero_static(size=1, fill_value=9),
    lambda m: m.tensor([[0, 3], [4, 5]]).nonzero_static(size=5, fill_value=-7),
    lambda m: m.zeros(0).nonzero_static(size=2),
    lambda m: m.ones(2).is_inference(),
    lambda m: m.ones(2, 3).is_set_to(m.ones(2, 3)),
    lambda m: (lambda x: (x.is_set_to(x.view(2, 3)), x.is_set_to(x.t()), x.is_set_to(x[:1])))(m.zeros(2, 3)),
    lambda m: [m.ones(1).__getattribute__(n) for n in ("is_sparse", "is_sparse_csr", "is_quantized", "is_meta",
                                                       "is_nested", "is_mkldnn", "is_mps", "is_xpu", "name")],
    lambda m: m.tensor([[1.0, 2.0], [3.0, 4.0]]).adjoint(),
    lambda m: m.tensor([-1.0, 0.2, 0.7]).hardshrink(0.3),
    lambda m: m.tensor([[-1.0, 2.0], [-3.0, 4.0]]).prelu(m.tensor([0.5, 0.25])),
    lambda m: m.ones(2).conj_physical(),
    lambda m: m.arange(5.0).unsafe_split_with_sizes([2, 3])[1],
], ids=lambda c: "")
def test_as_pytorch(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = _both(call)
    if isinstance(theirs, (list, tuple)) and theirs and hasattr(theirs[0], "numpy"):
        for a, b in zip(ours, theirs):
            _same(a, b)
    else:
        _same(ours, theirs)


def test_resize_warns_and_refuses_another_size_as_pytorch():
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        x = lib.arange(6.0, requires_grad=True)
        with pytest.warns(UserWarning, match="non-inplace resize is deprecated"):
            y = x.resize(2, 3)
        assert type(y.grad_fn).__name__ == "ResizeBackward"
        with pytest.warns(UserWarning, match="non-inplace resize_as is deprecated"):
            x.resize_as(lib.zeros(3, 2))
    messages = []
    for lib in (minitorch, torch):
        with warnings.catch_warnings(), pytest.raises(RuntimeError) as caught:
            warnings.simplefilter("ignore")
            lib.zeros(2, 3).resize(7)
        messages.append(str(caught.value))
    assert messages[0].startswith(messages[1].strip())


def test_errors_as_pytorch():
    torch = pytest.importorskip("torch")
    for call in (lambda m: m.ones(2, requires_grad=True).apply_(abs),
                 lambda m: m.ones(2, requires_grad=True).map_(m.ones(2), max),
                 lambda m: m.eye(2).symeig(), lambda m: m.eye(2).eig(), lambda m: m.eye(2).solve(m.eye(2)),
                 lambda m: m.eye(2).lstsq(m.eye(2))):
        kinds, texts = [], []
        for lib in (minitorch, torch):
            with pytest.raises(Exception) as caught:
                call(lib)
            kinds.append(type(caught.value))
            texts.append(str(caught.value))
        assert issubclass(kinds[0], kinds[1]) and texts[0][:60] == texts[1][:60]


def test_bfloat16_is_refused_with_what_to_do():
    for call in (lambda: minitorch.ones(2).bfloat16(), lambda: minitorch.ones(2, dtype=minitorch.bfloat16),
                 lambda: minitorch.ones(2).to(minitorch.bfloat16)):
        with pytest.raises(TypeError, match="bfloat16.*float32"):
            call()


def test_is_inference_marks_what_inference_mode_made():
    x = minitorch.ones(2, requires_grad=True)
    with minitorch.inference_mode():
        made, product = minitorch.zeros(2), x * 2
    with minitorch.no_grad():
        other = minitorch.zeros(2)
    assert made.is_inference() and product.is_inference() and not product.requires_grad
    assert not x.is_inference() and not other.is_inference() and not (x * 2).is_inference()


def test_volatile_warns_and_is_false():
    with pytest.warns(UserWarning, match="volatile was removed"):
        assert minitorch.ones(1).volatile is False


def test_python_callables_write_in_place():
    x = minitorch.arange(4.0)
    version, same = x._version[0], x.apply_(lambda v: v ** 2)
    assert same is x and x.tolist() == [0.0, 1.0, 4.0, 9.0] and x._version[0] > version
    with pytest.raises(TypeError, match="callable"):
        x.apply_(3)


@given(x=S.tensors(shape=(3, 4)))
def test_narrow_copy_is_a_copy_with_narrows_gradient(x):
    copy = x.narrow_copy(1, 1, 2)
    assert copy.grad_fn.name() == "NarrowCopyBackward0"
    with minitorch.no_grad():
        copy.mul_(0)
    assert x.detach().numpy()[:, 1:3].all()  # the original keeps its values
    assert gradcheck(lambda t: t.narrow_copy(1, 1, 2), [x])


def test_load_state_dict_post_hook_that_returns_a_value_as_pytorch():
    torch = pytest.importorskip("torch")
    outcomes = []
    for lib in (minitorch, torch):
        module = lib.nn.Linear(2, 2)
        module.register_load_state_dict_post_hook(lambda m, keys: 5)
        with pytest.raises(AssertionError) as caught:
            module.load_state_dict({k: v * 0 + 3 for k, v in module.state_dict().items()})
        outcomes.append((str(caught.value), module.weight.detach().numpy().tolist()))
    assert outcomes[0] == outcomes[1]  # the same text; what was loaded stays loaded, as in PyTorch
