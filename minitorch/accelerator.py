"""``minitorch.accelerator``: PyTorch's device-neutral questions about the GPU, for one GPU.

minitorch's only accelerator is "cuda" (a real NVIDIA GPU, or Numba's CUDA simulator).
"""
from . import cuda
from .device import device


def is_available():
    """True when tensors can go to "cuda" (see ``minitorch.cuda.is_available``)."""
    return cuda.is_available()


def current_accelerator(check_available=False):
    """``device(type='cuda')`` when there is a usable GPU; None otherwise (minitorch has no other
    accelerator, so ``check_available`` changes nothing)."""
    return device("cuda") if cuda.is_available() else None


def device_count():
    """How many GPUs minitorch can use: 1 or 0."""
    return cuda.device_count()


def current_device_index():
    """The index of the GPU in use: 0."""
    return cuda.current_device()


def synchronize(device=None):
    """Wait for queued GPU work (see ``minitorch.cuda.synchronize``)."""
    cuda.synchronize()
