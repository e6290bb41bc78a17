"""Switching graph recording on and off: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

While grad mode is off, ops compute their results but record no graph, so
nothing is kept for backward: use it for evaluation and for optimiser updates.
"""
import functools


class _GradMode:
    enabled = True


def is_grad_enabled():
    """True when ops record the graph that ``backward()`` walks."""
    return _GradMode.enabled


class set_grad_enabled:
    """Set grad mode to ``mode``; as a context manager, restore the old mode on exit."""

    def __init__(self, mode):
        self.prev = _GradMode.enabled
        _GradMode.enabled = bool(mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _GradMode.enabled = self.prev
        return False


class _GradModeContext:
    """Base for ``no_grad``/``enable_grad``: a context manager that also decorates functions."""

    mode = True

    def __new__(cls, func=None):
        """``@no_grad()`` and ``@no_grad`` both decorate ``func``; ``no_grad()`` is a context."""
        self = super().__new__(cls)
        return self if func is None else self(func)

    def __enter__(self):
        self.prev = _GradMode.enabled
        _GradMode.enabled = self.mode
        return self

    def __exit__(self, *exc):
        _GradMode.enabled = self.prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with type(self)():
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradModeContext):
    """``with minitorch.no_grad():`` ops inside record no graph (or use ``@no_grad()`` on a function)."""

    mode = False


class enable_grad(_GradModeContext):
    """``with minitorch.enable_grad():`` turns recording back on inside a ``no_grad`` block."""

    mode = True
