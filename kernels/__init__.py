"""Numba CUDA kernels for the hot ops on the ``cuda`` device (matmul, softmax, fused attention).

The CPU engine does not use this package; the GPU path builds on it. Importing ``kernels``
imports nothing heavy: ``numba.cuda`` loads only when one of the modules below is imported.

- ``kernels._numba``   the one module that imports ``numba.cuda``; ``SIMULATOR``, launch helpers
- ``kernels.matmul``   naive, shared-memory tiled and register-blocked matmul; ``matmul``,
                       ``matmul_backward`` (numpy.matmul semantics, batches, broadcasting)
- ``kernels.softmax``  row softmax and its backward; ``softmax``, ``softmax_backward``
- ``kernels.attention`` fused flash-style attention; ``attention_forward``, ``attention_backward``
- ``kernels.ptx``      compiles every kernel to PTX without a GPU (cached on disk) and reports
                       local memory, registers, spills and the machine code (``python -m kernels.ptx``)
- ``kernels.sass``     reads ptxas's and nvdisasm's output: occupancy, the innermost loops
                       (instructions, FFMA share, 128-bit shared loads, global loads in flight)
- ``kernels.estimate`` a static TFLOP/s estimate of a kernel from its hot loop and occupancy

Host functions take numpy arrays under Numba's CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``, set
before numba is first imported) and cupy arrays on a real GPU; they return the same kind.
Each kernel file opens with a lesson on its tiling.
"""
