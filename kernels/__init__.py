"""Numba CUDA kernels for the hot ops on the ``cuda`` device (matmul, softmax, fused attention).

The CPU engine does not use this package; the GPU path builds on it. Importing ``kernels``
imports nothing heavy: ``numba.cuda`` loads only when one of the modules below is imported.

- ``kernels._numba``   the one module that imports ``numba.cuda``; ``SIMULATOR``, launch helpers
- ``kernels.matmul``   naive, shared-memory tiled and register-blocked matmul; ``matmul``,
                       ``matmul_backward`` (numpy.matmul semantics, batches, broadcasting)
- ``kernels.softmax``  row softmax and its backward; ``softmax``, ``softmax_backward``
- ``kernels.attention`` fused flash-style attention; ``attention_forward``, ``attention_backward``
- ``kernels.ptx``      compiles every kernel to PTX without a GPU and reports local memory,
                       registers and spills (``python -m kernels.ptx``)

Host functions take numpy arrays under Numba's CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``, set
before numba is first imported) and cupy arrays on a real GPU; they return the same kind.
Each kernel file opens with a lesson on its tiling.
"""
