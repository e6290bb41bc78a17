"""Numba CUDA kernels for the hot ops on the ``cuda`` device (matmul, softmax, fused attention).

The CPU engine does not use this package; the GPU path builds on it.
"""
