"""Regression tests for what the fifth program set (rasbt LLMs-from-scratch ch05-07 and appendices,
aladdinpersson's Machine-Learning-Collection) found, each written the way those programs use the API."""
import pytest

import minitorch


def test_tensor_to_gpu_number_moves_to_that_cuda_device():
    """``features.to(rank)`` in a DDP loop: an int names a GPU, as in ``Module.to(rank)``."""
    x = minitorch.tensor([1.0, 2.0])
    if not minitorch.cuda.is_available():
        with pytest.raises(RuntimeError, match="cuda"):
            x.to(0)
        return
    y = x.to(0)
    assert str(y.device) == "cuda:0" and y.tolist() == [1.0, 2.0]
    z = x.to(0, minitorch.float64)
    assert str(z.device) == "cuda:0" and z.dtype == minitorch.float64
    assert y.to(0) is y


def test_tensor_to_negative_gpu_number_is_refused():
    with pytest.raises((RuntimeError, ValueError)):
        minitorch.ones(2).to(-1)


def test_out_of_another_dtype_takes_the_cast_result_as_pytorch():
    """``z1 = torch.empty(3); torch.add(x, y, out=z1)`` with integer x, y: z1 stays float32 and holds
    the sums; a float result into an integer out= is refused as in PyTorch."""
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        x, y = lib.tensor([1, 2, 3]), lib.tensor([9, 8, 7])
        z1 = lib.empty(3)
        assert lib.add(x, y, out=z1) is z1
        assert z1.dtype == lib.float32 and z1.tolist() == [10.0, 10.0, 10.0]
        z2 = lib.empty(3, dtype=lib.int32)
        lib.mul(x, y, out=z2)
        assert z2.dtype == lib.int32 and z2.tolist() == [9, 16, 21]
        z3 = lib.empty(2, dtype=lib.float64)
        lib.mul(lib.ones(2), 3, out=z3)
        assert z3.dtype == lib.float64 and z3.tolist() == [3.0, 3.0]
        with pytest.raises(RuntimeError, match="can't be cast"):
            lib.add(lib.ones(2), 1, out=lib.empty(2, dtype=lib.int64))
        with pytest.raises(RuntimeError, match="can't be cast"):
            lib.add(x, x, out=lib.empty(3, dtype=lib.bool))
