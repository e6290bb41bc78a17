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
    """Set grad mode to ``mode``: at once as a function, for a block as a context manager (the old
    mode comes back on exit), or for every call of a function as a decorator (``@set_grad_enabled(False)``).

    >>> import minitorch
    >>> with minitorch.set_grad_enabled(False):
    ...     print(minitorch.is_grad_enabled())
    False
    >>> minitorch.is_grad_enabled()
    True
    """

    def __init__(self, mode):
        self.prev = _GradMode.enabled
        self.mode = bool(mode)
        _GradMode.enabled = self.mode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _GradMode.enabled = self.prev
        return False

    def __call__(self, fn):
        _GradMode.enabled = self.prev  # as a decorator, the mode applies only inside fn

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(self.mode):
                return fn(*args, **kwargs)

        return wrapper


class _GradModeContext:
    """Base for ``no_grad``/``enable_grad``: a context manager that also decorates functions."""

    mode = True

    def __new__(cls, orig_func=None):
        """``@no_grad()`` and ``@no_grad`` both decorate ``orig_func``; ``no_grad()`` is a context."""
        self = super().__new__(cls)
        return self if orig_func is None else self(orig_func)

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

    def __init__(self):
        """Takes no arguments, as PyTorch's (``@no_grad`` without parentheses goes through ``__new__``)."""


class enable_grad(_GradModeContext):
    """``with minitorch.enable_grad():`` turns recording back on inside a ``no_grad`` block."""

    mode = True


class _InferenceMode:
    enabled = False


def is_inference_mode_enabled():
    """True inside ``inference_mode()``."""
    return _InferenceMode.enabled


class inference_mode(_GradModeContext):
    """``with minitorch.inference_mode():`` (or ``@inference_mode()``): no graph is recorded, as under
    ``no_grad``. ``inference_mode(False)`` changes nothing. PyTorch also marks the tensors made
    inside as unusable by autograd later, to save bookkeeping; minitorch has none to save, so
    here it is exactly ``no_grad``.

    >>> import minitorch
    >>> x = minitorch.ones(2, requires_grad=True)
    >>> with minitorch.inference_mode():
    ...     (x * 2).requires_grad
    False
    """

    def __new__(cls, mode=True):
        """``@inference_mode`` decorates a function; ``inference_mode(mode)`` is a context."""
        if callable(mode):
            return cls()(mode)
        self = object.__new__(cls)
        self.mode_on = bool(mode)
        return self

    def __enter__(self):
        self.prev = _GradMode.enabled, _InferenceMode.enabled
        if self.mode_on:
            _GradMode.enabled, _InferenceMode.enabled = False, True
        return self

    def __exit__(self, *exc):
        _GradMode.enabled, _InferenceMode.enabled = self.prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(self.mode_on):
                return fn(*args, **kwargs)

        return wrapper
