"""``resize_`` as PyTorch's: the tensor becomes contiguous with the new shape, reading its storage from its
storage offset on; within the storage it keeps sharing it with its views and bases (writes through
either are seen in the other), past its end it grows. Each case runs under minitorch and PyTorch and
compares the resized tensor (values, strides, offset) and what the views taken before see after writes.

One difference is kept, and tested as such: PyTorch grows a storage in place, so every tensor on it
follows; numpy memory cannot grow, so here only the resized tensor moves to the new memory."""
import numpy as np
import pytest

import minitorch

#: (tensor to resize from x = arange(6.), new shape); the views taken before are x, x[1:3], x.view(2, 3)
CASES = {
    "shrink": (lambda x: x, (4,)),
    "same_numel": (lambda x: x, (3, 2)),
    "to_zero": (lambda x: x, (0,)),
    "to_0d": (lambda x: x, ()),
    "transposed_same_numel": (lambda x: x.view(2, 3).t(), (2, 3)),
    "strided_shrink": (lambda x: x[::2], (2,)),
    "view_shrink": (lambda x: x[1:3], (1,)),
    "view_grown_within_its_storage": (lambda x: x[1:3], (2, 2)),
    "view_grown_to_the_storage_end": (lambda x: x[3:], (3,)),
    "grow": (lambda x: x, (10,)),
    "grow_2d": (lambda x: x, (2, 4)),
    "view_grown_past_the_storage": (lambda x: x[4:], (5,)),
}
#: The cases that grow past the storage's end: the resized tensor matches PyTorch, its old views do not
#: see its writes (nor it theirs) here.
GROWN = ("grow", "grow_2d", "view_grown_past_the_storage")


def _run(lib, name, device="cpu"):
    """Resize, then write through the resized tensor and through an old view; what each one sees."""
    pick, shape = CASES[name]
    x = lib.arange(6.0).to(device)
    views = [x, x[1:3], x.view(2, 3)]
    target = pick(x)
    assert target.resize_(shape) is target
    known = min(target.numel(), max(0, 6 - target.storage_offset()))  # PyTorch leaves the rest uninitialised
    resized = (tuple(target.shape), target.stride(), target.storage_offset(), target.flatten()[:known].tolist())
    if target.numel():
        target.view(-1)[0] = -1.0
    views[1][1] = 100.0
    shared = [v.tolist() for v in views], target.flatten()[:known].tolist()
    return resized, shared


def _libraries():
    torch = pytest.importorskip("torch")
    return minitorch, torch


@pytest.mark.parametrize("name", CASES)
def test_the_resized_tensor_is_pytorchs(name):
    ours, theirs = (_run(lib, name)[0] for lib in _libraries())
    assert ours == theirs


@pytest.mark.parametrize("name", [n for n in CASES if n not in GROWN])
def test_within_the_storage_the_views_keep_sharing_as_in_pytorch(name):
    ours, theirs = (_run(lib, name)[1] for lib in _libraries())
    assert ours == theirs


@pytest.mark.parametrize("name", GROWN)
def test_grown_past_the_storage_the_old_views_keep_the_old_memory(name):
    (views, resized) = _run(minitorch, name)[1]
    old = np.arange(6.0)
    old[2] = 100.0  # the write through x[1:3] reaches x.view(2, 3), not the grown tensor, nor the other way
    assert views[2] == old.reshape(2, 3).tolist()
    assert resized[0] == -1.0 and 100.0 not in resized


@pytest.mark.xfail(strict=True, reason="PyTorch grows the storage in place and every tensor on it follows; "
                   "numpy memory cannot grow, so only the resized tensor moves to new memory here")
@pytest.mark.parametrize("name", GROWN)
def test_grown_past_the_storage_the_views_share_as_in_pytorch(name):
    ours, theirs = (_run(lib, name)[1] for lib in _libraries())
    assert ours == theirs


@pytest.mark.parametrize("name", CASES)
def test_cuda_gives_the_cpu_results(name):
    assert _run(minitorch, name, "cuda") == _run(minitorch, name)


def test_grown_elements_are_zero_and_the_old_values_kept():
    x = minitorch.tensor([[1, 2], [3, 4]])
    assert x.resize_(6).tolist() == [1, 2, 3, 4, 0, 0] and x.dtype == minitorch.int64
    piece = minitorch.arange(6)[4:]
    assert piece.resize_(3).tolist() == [4, 5, 0] and piece.storage_offset() == 4


def test_resize_as_and_the_version_counter():
    x = minitorch.arange(6.0)
    saved = x.exp()  # exp saves its output: backward would refuse a changed one (nothing requires grad here)
    x.resize_as_(minitorch.zeros(3, 2))
    assert x.shape == (3, 2) and x._version_value == 1 and saved.shape == (6,)
