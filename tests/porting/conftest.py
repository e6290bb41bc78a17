"""Runs a porting program under minitorch and under PyTorch, from the same initial weights.

A porting program is a function ``program(torch, same_start)`` written as a PyTorch user
writes code, with ``torch`` the library module (``minitorch`` or ``torch``); it returns plain
numbers. ``same_start(model)`` is called once on each freshly built model: under minitorch it
records the initial weights (through ``state_dict``, as numpy arrays), under PyTorch it loads
them, so both libraries train the same network. Both run in float64: the default dtype is
float64 while a program runs, and ``same_start`` moves the model to float64 with ``.double()``
(minitorch's layers do not follow ``set_default_dtype`` yet).
"""
import numpy as np
import pytest

import minitorch


@pytest.fixture
def run_both():
    """``run_both(program)`` -> (minitorch's result, PyTorch's result), both in float64."""
    torch = pytest.importorskip("torch")
    libraries = (minitorch, torch)
    weights = []

    def record(model):
        model.double()
        weights.append({k: v.detach().cpu().numpy().copy() for k, v in model.state_dict().items()})
        return model

    def load(model):
        model.double()
        model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.pop(0).items()})
        return model

    for library in libraries:
        library.set_default_dtype(library.float64)
    try:
        yield lambda program: (program(minitorch, record), program(torch, load))
    finally:
        for library in libraries:
            library.set_default_dtype(library.float32)


def assert_same_numbers(ours, theirs, rtol=1e-7, atol=1e-9):
    """The two results agree: the same keys, and every value close (integers exactly)."""
    assert ours.keys() == theirs.keys()
    for key in ours:
        np.testing.assert_allclose(np.asarray(ours[key], dtype=float), np.asarray(theirs[key], dtype=float),
                                   rtol=rtol, atol=atol, err_msg=key)


@pytest.fixture
def same_numbers():
    """``same_numbers(ours, theirs)``: the assertion that both libraries gave the same numbers."""
    return assert_same_numbers
