"""Regression tests for what the d2l-ai/d2l-en program set (the `d2l` library's PyTorch code and the
book's chapters) found, each written the way those chapters use the API."""
import numpy as np
import pytest

import minitorch


def test_reductions_take_numpy_keepdims_as_pytorch():
    """``A / A.sum(axis=1, keepdims=True)`` (the linear-algebra chapter): numpy's names, which PyTorch
    accepts for dim and keepdim."""
    torch = pytest.importorskip("torch")
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    for lib in (minitorch, torch):
        x = lib.tensor(a)
        got = [x.sum(axis=1, keepdims=True), x / x.sum(axis=1, keepdims=True), x.mean(axis=0, keepdims=True),
               lib.sum(x, axis=1, keepdims=True), x.max(axis=1, keepdims=True)[0], x.argmax(axis=1, keepdims=True)]
        if lib is minitorch:
            ours = [t.numpy() for t in got]
        else:
            for o, t in zip(ours, got):
                np.testing.assert_allclose(o, t.numpy())
                assert o.shape == tuple(t.shape)
    with pytest.raises(TypeError, match="keepdim"):
        minitorch.ones(2, 3).sum(1, keepdim=True, keepdims=True)


def test_setitem_drops_the_values_leading_ones_as_pytorch():
    """``preds[i] = model(window.reshape((1, -1)))`` (the sequence chapter): a (1, 1) output into one
    element; leading size-1 dims of the value are dropped first, also in the graph."""
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        w = lib.tensor([[0.5], [-1.0]], dtype=lib.float64, requires_grad=True)
        preds = lib.zeros(4, dtype=lib.float64)
        rows = lib.zeros(2, 3, dtype=lib.float64)
        for i in range(1, 4):
            preds[i] = lib.tensor([[1.0, 2.0]], dtype=lib.float64) @ w * i
        rows[0] = lib.ones(1, 1, 3, dtype=lib.float64) * w.sum()
        (preds.sum() + rows.sum()).backward()
        results.append((preds.detach().numpy(), rows.detach().numpy(), w.grad.numpy()))
        with pytest.raises(RuntimeError):
            lib.zeros(2, 3)[0] = lib.ones(2, 1, 3)
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs)


def test_pow_of_a_number_by_a_tensor_as_pytorch():
    """``torch.pow(10000, torch.arange(0, d, 2, dtype=torch.float32) / d)`` (the positional encoding)."""
    torch = pytest.importorskip("torch")
    for make in (lambda lib: lib.arange(0, 8, 2, dtype=lib.float32) / 8, lambda lib: lib.arange(4)):
        ours, theirs = minitorch.pow(10000, make(minitorch)), torch.pow(10000, make(torch))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    exponent = minitorch.tensor([0.5, 2.0], dtype=minitorch.float64, requires_grad=True)
    minitorch.pow(3.0, exponent).sum().backward()
    np.testing.assert_allclose(exponent.grad.numpy(), np.log(3.0) * 3.0 ** np.array([0.5, 2.0]))


def test_rnn_flat_weights_names_as_pytorch():
    """d2l's ``init_seq2seq`` walks ``module._flat_weights_names`` and ``module._parameters[name]``."""
    torch = pytest.importorskip("torch")
    for kind in ("RNN", "GRU", "LSTM"):
        ours = getattr(minitorch.nn, kind)(3, 4, num_layers=2, bidirectional=True)
        theirs = getattr(torch.nn, kind)(3, 4, num_layers=2, bidirectional=True)
        assert ours._flat_weights_names == theirs._flat_weights_names
        for name in ours._flat_weights_names:
            if "weight" in name:
                minitorch.nn.init.xavier_uniform_(ours._parameters[name])


def test_scheduler_classes_name_the_public_module_as_pytorch():
    """d2l's ``train``: ``if scheduler.__module__ == lr_scheduler.__name__: scheduler.step()``."""
    from minitorch.optim import lr_scheduler
    opt = minitorch.optim.SGD([minitorch.nn.Parameter(minitorch.ones(1))], lr=0.5)
    scheduler = lr_scheduler.MultiStepLR(opt, milestones=[1], gamma=0.5)
    assert scheduler.__module__ == lr_scheduler.__name__
    assert all(getattr(lr_scheduler, name).__module__ == lr_scheduler.__name__ for name in lr_scheduler.__all__)


def test_matplotlib_reads_a_tensor_as_an_unmasked_array():
    """``plt.contour(x1, x2, f(x1, x2))`` with meshgrid tensors (the optimization chapters): numpy.ma
    reads an object's ``_mask``; a tensor has none, as in PyTorch."""
    x1, x2 = minitorch.meshgrid(minitorch.arange(-1.0, 1.0, 0.5), minitorch.arange(-1.0, 1.0, 0.5), indexing="ij")
    z = np.ma.asarray(x1 ** 2 + 2 * x2 ** 2)
    assert not hasattr(minitorch.ones(1), "_mask") and not np.ma.is_masked(z)
    np.testing.assert_allclose(z, x1.numpy() ** 2 + 2 * x2.numpy() ** 2)
