"""Argument checks shared by every public function, layer and optimiser.

Each check names the op (``"Linear"``, ``"sum"``, ``"F.conv2d"``), the argument and the value it
got, says what was expected, and returns the value in the form the op works with (an ``int``, a
tuple of axes, a pair). The rule: checks run in the public wrapper (a ``Tensor`` method, a
function of ``nn.functional``, a module's ``__init__``), never inside ``Op.forward`` unless
they need the arrays' values.

    >>> from minitorch import checks
    >>> checks.integer("Linear", "in_features", 4, minimum=0)
    4
    >>> checks.integer("Linear", "in_features", 2.5, minimum=0)
    Traceback (most recent call last):
    TypeError: Linear: in_features must be an integer, got 2.5.
    >>> checks.dims("sum", -1, ndim=3)
    (2,)
    >>> checks.fraction("make_circles", "factor", 1.5)
    Traceback (most recent call last):
    ValueError: make_circles: factor must lie strictly between 0 and 1, got 1.5.
"""
import contextlib
import functools
import numbers

import numpy as np

from .errors import ShapeError


def integer(op, name, value, minimum=None, maximum=None, error=None, range_error=None):
    """``value`` as an int (a bool is refused), at least ``minimum`` and at most ``maximum``.

    A wrong type is a TypeError and a value out of range a ValueError, unless ``error`` names the
    one class PyTorch raises for both there (``ValueError`` for a scheduler's ``T_0``), or
    ``range_error`` its class for a wrong value alone (RuntimeError for ``one_hot``'s ``num_classes``).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise (error or TypeError)(f"{op}: {name} must be an integer, got {value!r}.")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise (range_error or error or ValueError)(
            f"{op}: {name} must be {_range_words(minimum, maximum)}, got {value}.")
    return value


def real(op, name, value, minimum=None, maximum=None, error=None, range_error=None):
    """``value`` as a float (a bool is refused), in [minimum, maximum]; NaN is refused too.

    ``error``: the one class PyTorch raises for a wrong type and a wrong value, as in ``integer``;
    ``range_error``: its class for a wrong value alone (RuntimeError for a loss's ``beta``).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise (error or TypeError)(f"{op}: {name} must be a number, got {value!r}.")
    value = float(value)
    low_ok = value >= minimum if minimum is not None else value == value  # `==` is False for NaN
    high_ok = value <= maximum if maximum is not None else True
    if not (low_ok and high_ok):
        raise (range_error or error or ValueError)(
            f"{op}: {name} must be {_range_words(minimum, maximum)}, got {value!r}.")
    return value


def boolean(op, name, value):
    """``value`` as a bool: True, False (or a numpy bool); anything else is a TypeError, as in PyTorch
    (``training="yes"`` would otherwise count as True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op}: {name} must be True or False, got {value!r}.")
    return bool(value)


def positive(op, name, value, maximum=None, range_error=ValueError):
    """``value`` as a float above 0 (0 itself is refused, as are a bool and NaN), at most ``maximum``;
    a wrong type is a TypeError, a wrong value a ``range_error``."""
    value = real(op, name, value)
    if not (value > 0 and (maximum is None or value <= maximum)):
        bound = "" if maximum is None else f" and at most {maximum}"
        raise range_error(f"{op}: {name} must be above 0{bound}, got {value!r}.")
    return value


def fraction(op, name, value):
    """``value`` as a float strictly between 0 and 1 (a share: neither none nor all of it)."""
    value = real(op, name, value)
    if not 0 < value < 1:
        raise ValueError(f"{op}: {name} must lie strictly between 0 and 1, got {value!r}.")
    return value


def _range_words(minimum, maximum):
    if minimum is not None and maximum is not None:
        return f"between {minimum} and {maximum}"
    if minimum is not None:
        return f"at least {minimum}"
    if maximum is not None:
        return f"at most {maximum}"
    return "a number"


def choice(op, name, value, options, otherwise=None, error=ValueError):
    """``value`` if it is one of ``options``, else an ``error`` (PyTorch's type for the op) listing them.

    ``otherwise`` names what else the argument may be instead (``"a callable"``), for the message.
    """
    if value not in options:
        names = [repr(o) for o in options] + ([otherwise] if otherwise else [])
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        raise error(f"{op}: {name} must be {listed}, got {value!r}.")
    return value


def sizes(op, size, named=None, name="size"):
    """A shape given as f(2, 3), f((2, 3)), f([2, 3]) or by keyword, f(size=(2, 3)) (``named``, the
    value of the keyword ``name``, as PyTorch's methods take it), as a tuple of ints."""
    if named is not None:
        if size:
            raise TypeError(f"{op}: give {name} positionally or as {name}=..., not both.")
        size = (named,)
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, (int, np.integer)) or isinstance(s, (bool, np.bool_)):
            raise TypeError(f"{op}: sizes must be integers, got {size!r}.")
    return tuple(int(s) for s in size)


def size(op, name, value):
    """``value`` as a size of a tensor (``in_features``, ``num_embeddings``): an int (TypeError
    otherwise) of at least 0; a negative one is a ``ShapeError``: PyTorch's RuntimeError ("negative
    dimension"), and a ValueError."""
    value = integer(op, name, value)
    if value < 0:
        raise ShapeError(f"{op}: {name} must be at least 0, got {value} (it is the size of a dimension).")
    return value


def pair(op, name, value, minimum, real=False, error=ValueError):
    """An int or a pair of ints as a pair (``kernel_size=3`` -> (3, 3)), each >= ``minimum``.

    With ``real``, any real numbers (``translate=0.1`` -> (0.1, 0.1)), as floats. ``error``: the
    class PyTorch raises for a bad one there (RuntimeError for a pool's stride).
    """
    kind = numbers.Real if real else numbers.Integral
    values = (value, value) if isinstance(value, kind) else value
    ok = isinstance(values, (tuple, list)) and len(values) == 2
    ok = ok and all(isinstance(v, kind) and not isinstance(v, (bool, np.bool_)) for v in values)
    if not ok or min(values) < minimum:
        what = "a number or a pair of numbers" if real else "an int or a pair of ints"
        raise error(f"{op}: {name} must be {what}, each at least {minimum}, got {value!r}.")
    return (float(values[0]), float(values[1])) if real else (int(values[0]), int(values[1]))


def dims(op, dim, ndim):
    """``dim`` (None, an int or a tuple of ints, negatives allowed) as a sorted tuple of axes.

    None or () means every dimension (PyTorch's rule). A 0-d tensor accepts dim 0 and -1, as in PyTorch.
    """
    if dim is None or (isinstance(dim, (tuple, list)) and not dim):
        return tuple(range(ndim))
    listed = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    bound = max(ndim, 1)
    axes = []
    for d in listed:
        d = integer(op, "dim", d)
        if not -bound <= d < bound:
            raise IndexError(
                f"{op}: dim {d} is out of range for a tensor with {ndim} dimension(s) "
                f"(valid: {-bound} to {bound - 1})."
            )
        axes.append(d % ndim if ndim else 0)
    if len(set(axes)) != len(axes):
        raise RuntimeError(f"{op}: dim {dim} names the same dimension twice.")
    return tuple(sorted(axes)) if ndim else ()


def dim(op, dim, ndim):
    """A single ``dim`` (negatives allowed) as a non-negative axis."""
    (axis,) = dims(op, integer(op, "dim", dim), ndim) or (0,)
    return axis


def floating(op, tensor, name="input"):
    """Refuse a tensor that is not floating-point (mean, var, ... have no integer version)."""
    if not tensor.is_floating_point():
        raise RuntimeError(
            f"{op}: {name} must be a floating-point tensor, this one is {tensor.dtype!r}. "
            f"Use .float() first."
        )
    return tensor


@functools.lru_cache(maxsize=1)
def _tensor_class():
    """minitorch.Tensor (imported on first use: checks is imported before tensor)."""
    from .autograd import function

    return function.tensor_class()


def tensor(op, name, value):
    """``value``, once checked to be a Tensor: for the arguments that PyTorch takes as a Tensor only
    (``matmul``'s other, ``isclose``'s, ``addcmul``'s tensor1, ...), a Python number is a TypeError there too."""
    if not isinstance(value, _tensor_class()):
        raise TypeError(f"{op}: {name} must be a Tensor, got {type(value).__name__} {value!r}. "
                        f"Wrap a number with minitorch.tensor(...) first.")
    return value


def no_bool_product(op, tensor):
    """Refuse a sum of products (matrix product, contraction) of bool tensors: PyTorch has no kernel
    for it (NotImplementedError, a RuntimeError)."""
    if tensor._array.dtype == np.bool_:
        raise NotImplementedError(f"{op}: sums of products of bool tensors are not supported (as in PyTorch); "
                                  f"convert with .int() or .float() first.")


def tensors(op, values, empty_error=ValueError):
    """A non-empty sequence of Tensors (for cat, stack, ...) as a list; an empty one raises
    ``empty_error`` (PyTorch's class there: ValueError for cat, RuntimeError for stack)."""
    from .autograd import function

    values = list(values)
    if not values:
        raise empty_error(f"{op}: expected a non-empty sequence of tensors, got an empty one.")
    for v in values:
        if not isinstance(v, function.tensor_class()):
            raise TypeError(f"{op}: expected a sequence of Tensors, got an element of type {type(v).__name__}.")
    return values


@contextlib.contextmanager
def called_as(public, internal):
    """Re-label the errors that ``internal`` raises inside the block with ``public``, the name the
    user called (``view`` runs ``reshape``, ``broadcast_to`` runs ``expand``): same class, same text.

    >>> from minitorch import checks
    >>> with checks.called_as("view", "reshape"):
    ...     raise RuntimeError("reshape: cannot reshape (2, 3) into (5,).")
    Traceback (most recent call last):
    RuntimeError: view: cannot reshape (2, 3) into (5,).
    """
    try:
        yield
    except (TypeError, ValueError, IndexError, RuntimeError) as e:
        message = str(e)
        if not message.startswith(internal + ":"):
            raise
        raise type(e)(public + message[len(internal):]) from None


def assigned_grad(tensor, grad):
    """``grad`` checked for ``tensor.grad = grad``: a Tensor of the tensor's shape, dtype and device."""
    from .autograd import function

    if not isinstance(grad, function.tensor_class()):
        raise TypeError(f"grad: assigned grad must be a Tensor or None, got {type(grad).__name__}.")
    for what, want, got in (("shape", tuple(tensor.shape), tuple(grad.shape)), ("dtype", tensor.dtype, grad.dtype),
                            ("device", tensor.device, grad.device)):
        if want != got:
            raise RuntimeError(f"grad: assigned grad has {what} {got}, but the tensor has {what} {want}. "
                               f"Give a gradient of the same {what}.")
    return grad


def same_device(op, **named):
    """Refuse tensors (given by argument name; None skipped) that are not all on one device."""
    placed = {name: t.device for name, t in named.items() if t is not None and hasattr(t, "device")}
    if len({str(d) for d in placed.values()}) > 1:
        listed = ", ".join(f"{name} on {str(d)!r}" for name, d in placed.items())
        raise RuntimeError(f"{op}: expected all tensors to be on the same device, got {listed}. "
                           f"Move them with .to(device) first.")


def same_dtype(op, **named):
    """Refuse tensors (given by argument name; None and numbers skipped) of different dtypes, for the
    ops that PyTorch does not promote (matmul, einsum, cross): it raises rather than convert."""
    typed = {name: t.dtype for name, t in named.items() if hasattr(t, "dtype")}
    if len({str(d) for d in typed.values()}) > 1:
        listed = ", ".join(f"{name} {d!r}" for name, d in typed.items())
        raise RuntimeError(f"{op}: expected all tensors to have the same dtype, got {listed}. "
                           f"Convert them with .to(dtype) first.")


def representable(op, array, dtype):
    """Refuse values an integer numpy ``dtype`` cannot hold (NaN, inf, out of range), as PyTorch does.

    As in PyTorch, a negative value for an unsigned dtype wraps when it is at least -max.
    """
    values = np.asarray(array)
    if values.dtype.kind not in "iuf" or not values.size:
        return
    info = np.iinfo(dtype)
    low = -int(info.max) if info.min == 0 else int(info.min)
    if values.dtype.kind == "f":
        bad = ~np.isfinite(values) | (values >= info.max + 1.0) | (values <= low - 1.0)
    else:
        bad = (values > info.max) | (values < low)
    if bad.any():
        raise RuntimeError(f"{op}: value {values[bad].flat[0]!r} cannot be converted to {np.dtype(dtype)} "
                           f"without overflow (it holds {low} to {info.max}).")


def bool_tensor(op, name, value):
    """Refuse a ``condition`` or ``mask`` that is not a bool Tensor (PyTorch never reads 0/1 as one)."""
    dtype = getattr(value, "dtype", None)
    if dtype is None or str(dtype) != "minitorch.bool":
        got = dtype if dtype is not None else type(value).__name__
        raise RuntimeError(f"{op}: {name} must be a bool tensor, got {got}. Compare first (x > 0) or use .bool().")
    return value
