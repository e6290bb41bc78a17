"""Work handles (what ``async_op=True`` returns) and the buffers that MPI reads and writes.

Every collective starts MPI non-blocking requests and returns a ``Work``; a blocking call is the
same call followed by ``wait()``. Waiting polls the requests (``MPI.Request.Testall``) until the
group's timeout, so a rank whose partner died or never made the matching call raises a
RuntimeError instead of hanging forever.

Cuda tensors: a CUDA-aware MPI reads and writes GPU memory itself; mpi4py 4 cannot yet ask the MPI
whether it is CUDA-aware, so minitorch uses it only when ``MINITORCH_CUDA_AWARE_MPI=1`` is set (or a
future mpi4py reports it through ``MPI.Query_cuda_support``). Otherwise a cuda tensor is staged
through the host: copied to a numpy array, communicated, copied back.
"""
import os
import sys
import time

from ..device import is_gpu_array
from .process_group import mpi, timeout_seconds

__all__ = ["Work"]


def cuda_aware():
    """Whether MPI may be handed GPU arrays directly (see the module docstring)."""
    if os.environ.get("MINITORCH_CUDA_AWARE_MPI") == "1":
        return True
    query = getattr(mpi(), "Query_cuda_support", None)
    return bool(query()) if query is not None else False


class Buffer:
    """A contiguous array for MPI holding ``tensor``'s values, and ``finish()`` that copies what MPI
    wrote back into the tensor (needed when the buffer is a host copy or a contiguous copy)."""

    def __init__(self, tensor):
        self.tensor, array = tensor, tensor._array
        if is_gpu_array(array) and not cuda_aware():
            self.array = sys.modules["cupy"].asnumpy(array)
        elif array.flags.c_contiguous:
            self.array = array
        else:
            self.array = array.copy(order="C")

    def finish(self):
        """Put the buffer's values into the tensor (in place, as PyTorch's collectives write)."""
        if self.array is not self.tensor._array:
            self.tensor._array[...] = self.array
        self.tensor._version[0] += 1


class Work:
    """A collective or point-to-point call in flight: ``wait()`` finishes it, ``is_completed()`` asks.

    ``requests`` are MPI requests; ``then`` runs once after they complete (copy results into the
    output tensors, divide for ``ReduceOp.AVG``). ``source``: for ``irecv``, the sender's rank.
    """

    def __init__(self, op, requests, then=None):
        self.op, self._requests, self._then, self._done = op, list(requests), then, False
        self._statuses = [mpi().Status() for _ in self._requests]
        self.source = None

    def is_completed(self):
        """Whether the call has finished (without waiting); finishes it when it has."""
        if not self._done and mpi().Request.Testall(self._requests, self._statuses):
            self._done = True
            self.source = self._statuses[0].Get_source() if self._statuses else None
            if self._then is not None:
                self._then()
        return self._done

    def is_success(self):
        """Whether the call finished (a failure raises from ``wait`` instead)."""
        return self.is_completed()

    def wait(self, timeout=None):
        """Block until the call has finished and its output tensors hold the result; returns True.

        Raises a RuntimeError after ``timeout`` (a ``datetime.timedelta``; default: the group's
        timeout from ``init_process_group``): a rank died or never made the matching call.
        """
        limit = timeout_seconds() if timeout is None else timeout.total_seconds()
        start, pause = time.monotonic(), 0.0
        while not self.is_completed():
            if time.monotonic() - start > limit:
                raise RuntimeError(
                    f"{self.op}: rank {mpi().COMM_WORLD.rank} waited {limit:g} s and the other ranks did not "
                    f"answer: one of them died, or did not make the same call (every rank must call the "
                    f"collectives in the same order, with tensors of the same shapes)."
                )
            time.sleep(pause)
            pause = min(2 * pause + 1e-5, 1e-3)
        return True
