"""``spawn`` and ``start_processes``: run ``fn(i, *args)`` in ``nprocs`` new processes, as PyTorch's
``torch.multiprocessing.spawn`` does (the launcher of single-machine DDP scripts and Hogwild training).

Each child runs ``fn(i, *args)`` for its index ``i``. When one fails the parent stops the others and
raises: ``ProcessRaisedException`` (the child raised; its message holds the child's traceback) or
``ProcessExitedException`` (the child exited with a nonzero code, or a signal killed it). With
``join=False`` the parent gets a ``ProcessContext`` to ``join()`` itself.
"""
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import tempfile
import traceback
import warnings

from .. import checks

__all__ = ["ProcessException", "ProcessRaisedException", "ProcessExitedException", "ProcessContext",
           "SpawnContext", "start_processes", "spawn"]


class ProcessException(Exception):
    """A process started by ``spawn``/``start_processes`` failed: ``error_index`` (its ``i``) and
    ``error_pid`` say which."""

    def __init__(self, msg, error_index, error_pid):
        super().__init__(msg)
        self.msg, self.error_index, self.error_pid = msg, error_index, error_pid

    def __reduce__(self):
        return type(self), (self.msg, self.error_index, self.error_pid)


class ProcessRaisedException(ProcessException):
    """A child raised an exception: the message holds its traceback, as the child printed it."""


class ProcessExitedException(ProcessException):
    """A child exited with a nonzero code (``exit_code``), or a signal (``signal_name``) killed it."""

    def __init__(self, msg, error_index, error_pid, exit_code, signal_name=None):
        super().__init__(msg, error_index, error_pid)
        self.exit_code, self.signal_name = exit_code, signal_name

    def __reduce__(self):
        return type(self), (self.msg, self.error_index, self.error_pid, self.exit_code, self.signal_name)


def _wrap(fn, i, args, error_file):
    """The child's body: ``fn(i, *args)``; an exception's traceback goes to ``error_file`` for the parent."""
    try:
        fn(i, *args)
    except KeyboardInterrupt:
        pass  # the parent sent SIGINT: it is stopping us
    except Exception:
        with open(error_file, "w") as f:
            f.write(traceback.format_exc())
        sys.exit(1)


class ProcessContext:
    """The processes ``start_processes`` started (``processes``, ``pids()``); ``join()`` waits for them."""

    def __init__(self, processes, error_files):
        self.processes, self.error_files = processes, error_files
        self.sentinels = {process.sentinel: index for index, process in enumerate(processes)}

    def pids(self):
        """The process ids, in the order of their index ``i``."""
        return [int(process.pid) for process in self.processes]

    def join(self, timeout=None, grace_period=None):
        """Wait up to ``timeout`` seconds (None: until one ends) for the processes. Returns True once all
        have ended well, False if some still run. When one failed, stop the others (SIGTERM, then after
        ``grace_period`` seconds, 30 by default, SIGKILL) and raise ``ProcessRaisedException`` or
        ``ProcessExitedException`` for the first failure."""
        if not self.sentinels:
            return True
        failed = None
        for sentinel in multiprocessing.connection.wait(list(self.sentinels), timeout=timeout):
            index = self.sentinels.pop(sentinel)
            self.processes[index].join()
            if self.processes[index].exitcode != 0:
                failed = index
                break
        if failed is None:
            return not self.sentinels
        self._stop_all(30 if grace_period is None else grace_period)
        raise self._failure(failed)

    def _stop_all(self, grace_period):
        """Terminate the processes still running; kill those that outlive ``grace_period`` seconds."""
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        running = [process.sentinel for process in self.processes if process.is_alive()]
        if running:
            multiprocessing.connection.wait(running, grace_period)
        for process in self.processes:
            if process.is_alive():
                process.kill()
            process.join()

    def _failure(self, index):
        """The exception that tells how process ``index`` failed."""
        process, error_file = self.processes[index], self.error_files[index]
        if os.path.exists(error_file):
            with open(error_file) as f:
                trace = f.read()
            return ProcessRaisedException(
                f"\n\n-- Process {index} terminated with the following error:\n{trace}", index, process.pid)
        code = process.exitcode
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"<Unknown signal {-code}>"
            return ProcessExitedException(f"process {index} terminated with signal {name}", index,
                                          process.pid, code, name)
        return ProcessExitedException(f"process {index} terminated with exit code {code}", index, process.pid, code)

    def __del__(self):
        for error_file in getattr(self, "error_files", ()):
            if os.path.exists(error_file):
                os.remove(error_file)


class SpawnContext(ProcessContext):
    """PyTorch's old name of ``ProcessContext`` (what ``spawn(join=False)`` returned before 1.4)."""


def _error_file():
    """A path for a child's traceback, in the temporary folder: the child writes it only if it fails."""
    handle, path = tempfile.mkstemp(prefix="minitorch-spawn-", suffix=".txt")
    os.close(handle)
    os.remove(path)
    return path


def start_processes(fn, args=(), nprocs=1, join=True, daemon=False, start_method="spawn"):
    """Start ``nprocs`` processes with ``start_method`` ("spawn", "fork" or "forkserver", as the platform
    allows), each running ``fn(i, *args)``. ``join=True``: wait for all and return None (a failure
    raises, see ``ProcessContext.join``); ``join=False``: return the ``ProcessContext``.

    Under "spawn" (and "forkserver") ``fn`` and ``args`` are pickled: ``fn`` must be a module-level
    function, and a script must start the processes under ``if __name__ == "__main__":``. Shared
    tensors (``share_memory_()``, ``Module.share_memory()``) travel as their memory, others as copies.
    """
    if not callable(fn):
        raise TypeError(f"start_processes: fn must be callable (fn(i, *args)), got {type(fn).__name__}.")
    if not isinstance(args, tuple):
        raise TypeError(f"start_processes: args must be a tuple (fn gets fn(i, *args)), got {type(args).__name__}.")
    nprocs = checks.integer("start_processes", "nprocs", nprocs, minimum=1)
    checks.choice("start_processes", "start_method", start_method, multiprocessing.get_all_start_methods())
    context = multiprocessing.get_context(start_method)
    processes, error_files = [], []
    for i in range(nprocs):
        error_files.append(_error_file())
        process = context.Process(target=_wrap, args=(fn, i, args, error_files[-1]), daemon=daemon)
        process.start()
        processes.append(process)
    started = ProcessContext(processes, error_files)
    if not join:
        return started
    while not started.join():
        pass


def spawn(fn, args=(), nprocs=1, join=True, daemon=False, start_method="spawn"):
    """``start_processes`` with the "spawn" start method: ``nprocs`` new Python processes each run
    ``fn(i, *args)``. Another ``start_method`` warns (FutureWarning, as PyTorch) and is ignored: use
    ``start_processes`` for it. Returns None when ``join`` is True, else a ``ProcessContext``.

    >>> import minitorch.multiprocessing as mp
    >>> mp.spawn(print, args=("hello",), nprocs=2)   # doctest: +SKIP
    0 hello
    1 hello
    """
    if start_method != "spawn":
        warnings.warn(f"This method only supports start_method=spawn (got: {start_method}).\nTo use a different "
                      f"start_method use:\n\t\t minitorch.multiprocessing.start_processes(...)", FutureWarning,
                      stacklevel=2)
    return start_processes(fn, args, nprocs, join, daemon, start_method="spawn")
