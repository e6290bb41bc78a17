"""The legacy spellings of PyTorch's early NLP tutorials (``torch.Tensor(1, n).fill_(...)``,
``torch.Tensor([0])`` accumulating losses, ``torch.cat`` onto an empty ``torch.Tensor()``), each
against torch where it is installed."""
import numpy as np
import pytest

import minitorch


def test_tensor_of_sizes_is_uninitialised_float32_of_that_shape():
    t = minitorch.Tensor(1, 5).fill_(-10000.0)
    assert t.dtype == minitorch.float32 and t.shape == (1, 5)
    assert t.tolist() == [[-10000.0] * 5]
    assert minitorch.Tensor(minitorch.Size([2, 3])).shape == (2, 3)
    assert minitorch.Tensor().shape == (0,)


def test_tensor_of_values_is_always_the_default_float():
    assert minitorch.Tensor([0]).dtype == minitorch.float32  # ints too: a float accumulator
    assert minitorch.Tensor((2, 3)).tolist() == [2.0, 3.0]  # a tuple is values, a Size is a shape
    total = minitorch.Tensor([0])
    total += (minitorch.tensor(2.5, requires_grad=True) * 2).data
    assert total.tolist() == [5.0]


def test_tensor_of_a_tensor_is_the_same_memory_and_graph():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = minitorch.Tensor(x * 2)
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    ints = minitorch.tensor([1, 2])
    alias = minitorch.Tensor(ints)
    alias[0] = 7
    assert ints.tolist() == [7, 2] and alias.dtype == minitorch.int64


@pytest.mark.parametrize("args, error", [((2, 3.0), TypeError), ((-1,), RuntimeError), ((2.5,), TypeError),
                                         (([1], [2]), TypeError)])
def test_bad_arguments_are_refused_with_torchs_error_types(args, error):
    with pytest.raises(error, match="Tensor"):
        minitorch.Tensor(*args)


def test_cat_skips_legacy_empty_tensors_and_refuses_zero_dimensional_ones():
    out = minitorch.Tensor()
    for i in range(3):
        out = minitorch.cat([out, minitorch.ones(1, 2) * i])
    assert out.tolist() == [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]
    assert minitorch.cat([minitorch.zeros(0), minitorch.zeros(0)]).shape == (0,)
    with pytest.raises(RuntimeError, match=r"cat: zero-dimensional tensor \(at position 1\)"):
        minitorch.cat([minitorch.zeros(2), minitorch.tensor(1.0)])


def test_against_torch():
    torch = pytest.importorskip("torch")
    for lib in (torch, minitorch):
        assert str(lib.Tensor([0]).dtype).split(".")[1] == "float32"
        assert tuple(lib.Tensor(2, 3).shape) == (2, 3) and tuple(lib.Tensor().shape) == (0,)
        assert str(lib.cat([lib.zeros(0), lib.tensor([1, 2])]).dtype).split(".")[1] == "float32"
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(minitorch.cat([minitorch.Tensor(), minitorch.tensor(a)]).numpy(),
                                  torch.cat([torch.Tensor(), torch.tensor(a)]).numpy())
    for lib, error in ((torch, RuntimeError), (minitorch, RuntimeError)):
        with pytest.raises(error):
            lib.Tensor(-1)
        with pytest.raises(error, match="zero-dimensional"):
            lib.cat([lib.zeros(2), lib.tensor(1.0)])
