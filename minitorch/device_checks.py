"""Value checks that do not stall the GPU: raised at once on the host, deferred on a device.

A check such as "every class index is in [0, C)" needs the values, and reading a GPU array's
values on the host waits for every queued kernel (a *host sync*): one per check per training
step would cost more than the step. PyTorch checks such values inside its kernels and reports a
failure at the next synchronisation ("device-side assert triggered"); minitorch does the same:

- on numpy arrays (the CPU, and the CUDA simulator) ``fail_if`` raises at once, as any check;
- on GPU (cupy) arrays it reduces the "bad" mask to one boolean *on the device* and queues it with
  the error to raise; ``flush()`` runs where the host reads device values anyway (``item()``,
  ``tolist()``, ``cpu()``, ``float(t)``, ``bool(t)``, ``minitorch.cuda.synchronize()``) and raises
  the first failed check's error, with the same class and message as on the CPU, plus a note that
  it was detected asynchronously (the op that failed ran earlier than the line that raised).

Until a failed check is reported, the op computes on valid stand-in values (e.g. class 0), as a
GPU kernel would go on after a failed assert; its results are meaningless and the error says so.
At most ``MAX_PENDING`` checks wait: the next one flushes the queue (one host read per that many
checks), so that a loop that never reads a value keeps a bounded queue.
"""
import sys

from .device import is_gpu_array

#: The most checks that wait on the device before one host read evaluates them all.
MAX_PENDING = 256

_pending = []  # (0-d device boolean "failed", error class, function that builds the message)

ASYNC_NOTE = (
    " (Detected asynchronously: on a GPU this check runs on the device and fails at the next point "
    "where the host reads device values, so the op named here ran before the line that raised; "
    "the results computed since are meaningless.)"
)


def fail_if(bad, error, message):
    """Raise ``error(message())`` if any element of the boolean array ``bad`` is True.

    ``message`` is a function, called only on failure (it may read the bad values). On numpy arrays
    the check is immediate; on GPU arrays it is queued (see the module docstring) and ``fail_if``
    returns True: the caller must then go on with valid stand-ins for the values ``bad`` marks.
    """
    if not is_gpu_array(bad):
        if bad.any():
            raise error(message())
        return False
    if len(_pending) >= MAX_PENDING:
        flush()
    _pending.append((bad.any(), error, message))
    return True


def flush():
    """Evaluate the queued device checks (one host read) and raise the first failed one's error."""
    if _pending:
        _read_with_checks([])


def read_flag(flag):
    """``bool(flag)`` for a 0-d boolean array: on a GPU read in the same device-to-host copy as the
    queued checks, whose first failure is raised as ``flush`` raises it (one host read for both)."""
    if not is_gpu_array(flag):
        return bool(flag)
    return bool(_read_with_checks([flag])[0])


def _read_with_checks(flags):
    """The host values of the 0-d device booleans ``flags``, copied with the queued checks in one
    transfer; raises the first failed check's error."""
    checks = list(_pending)
    _pending.clear()
    cupy = sys.modules["cupy"]
    values = cupy.stack([flag for flag, _, _ in checks] + flags).get()  # the one device-to-host copy
    for failed, (_, error, message) in zip(values, checks):
        if failed:
            raise error(message() + ASYNC_NOTE)
    return values[len(checks):]
