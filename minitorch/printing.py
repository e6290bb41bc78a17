"""How tensors print: ``repr(t)`` and ``str(t)`` as PyTorch shows them, and ``set_printoptions``.

PyTorch's layout, rebuilt on numpy arrays:

- One format for every element of a tensor, chosen from its nonzero finite values: integers
  written as ``1.`` when every float value is whole, fixed point with ``precision`` digits
  (``1.5000``) otherwise, and scientific notation (``1.0000e-05``) when the values span more
  than a factor of 1000, exceed 1e8, or (fixed point only) fall below 1e-4. Every element is
  padded to the same width, so columns line up.
- Rows wrap at ``linewidth`` characters; nested dimensions indent under their bracket.
- A tensor of more than ``threshold`` elements is summarized: ``edgeitems`` entries at each
  end of every dimension, ``...`` in between.
- After the values: ``device='cuda:0'`` off the default device, ``dtype=`` unless the dtype is
  the default float type, int64 or bool, then ``grad_fn=<...>`` or ``requires_grad=True``.
"""
import math

import numpy as np

from . import checks
from .device import _Default as _DefaultDevice
from .device import as_device, move
from .dtypes import from_numpy_dtype, get_default_dtype

_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


class _Options:
    precision, threshold, edgeitems, linewidth = 4, 1000, 3, 80
    sci_mode = None


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None,
                     sci_mode=None):
    """Set how tensors print, as PyTorch's ``set_printoptions``.

    - ``precision``: digits after the point (4); ``threshold``: element count above which a tensor
      is summarized (1000); ``edgeitems``: entries kept at each end when summarizing (3);
      ``linewidth``: characters per line (80).
    - ``profile``: "default", "short" (precision 2, edgeitems 2) or "full" (never summarize),
      applied first; the other arguments then override it.
    - ``sci_mode``: True or False forces scientific notation on or off; None (also what every
      call without it sets) lets each tensor's values decide.

    >>> import minitorch
    >>> minitorch.set_printoptions(precision=2)
    >>> minitorch.tensor([1.0, 2.5])
    tensor([1.00, 2.50])
    >>> minitorch.set_printoptions(profile="default")
    """
    if profile is not None:
        for name, value in _PROFILES[checks.choice("set_printoptions", "profile", profile, list(_PROFILES))].items():
            setattr(_Options, name, value)
    given = {"precision": precision, "threshold": threshold, "edgeitems": edgeitems, "linewidth": linewidth}
    for name, value in given.items():
        if value is not None:
            setattr(_Options, name, value)
    _Options.sci_mode = sci_mode


class _Formatter:
    """One element format for a whole tensor, chosen from (the summarized part of) its values."""

    def __init__(self, array):
        self.floating = array.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        if not self.floating:
            self.width = max([self.width, *(len(str(v)) for v in array.ravel().tolist())])
        else:
            self._choose_float_mode(array[np.isfinite(array) & (array != 0)].astype(np.float64))
        if _Options.sci_mode is not None:
            self.sci_mode = _Options.sci_mode

    def _choose_float_mode(self, values):
        if not values.size:
            return
        magnitudes = np.abs(values)
        low, high = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(values == np.ceil(values)))
        self.sci_mode = bool(high / low > 1000.0 or high > 1.0e8 or (not self.int_mode and low < 1.0e-4))
        p = _Options.precision
        if self.sci_mode:
            widths = [len(f"{v:.{p}e}") for v in values.tolist()]
        elif self.int_mode:
            widths = [len(f"{v:.0f}") + 1 for v in values.tolist()]  # + 1 for the point: "2."
        else:
            widths = [len(f"{v:.{p}f}") for v in values.tolist()]
        self.width = max(self.width, *widths)

    def format(self, value):
        """``value`` (a Python number) in this tensor's format, right-aligned to the common width."""
        p = _Options.precision
        if not self.floating:
            text = f"{value}"
        elif self.sci_mode:
            text = f"{value:{self.width}.{p}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{p}f}"
        return text.rjust(self.width)


def _edges(array):
    """Only the ``edgeitems`` entries at each end of every long dimension (what a summary shows)."""
    e = _Options.edgeitems
    for axis, n in enumerate(array.shape):
        if n > 2 * e:
            array = np.take(array, [*range(e), *range(n - e, n)], axis=axis)
    return array


def _vector(array, indent, summarize, formatter):
    e = _Options.edgeitems
    if summarize and array.shape[0] > 2 * e:
        texts = [formatter.format(v) for v in array[:e].tolist()] + [" ..."]
        texts += [formatter.format(v) for v in array[-e:].tolist()]
    else:
        texts = [formatter.format(v) for v in array.tolist()]
    per_line = max(1, int(math.floor((_Options.linewidth - indent) / (formatter.width + 2))))
    lines = [", ".join(texts[i:i + per_line]) for i in range(0, len(texts), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(array, indent, summarize, formatter):
    if array.ndim == 0:
        return formatter.format(array.item())
    if array.ndim == 1:
        return _vector(array, indent, summarize, formatter)
    n, e = array.shape[0], _Options.edgeitems
    rows = [*range(e), None, *range(n - e, n)] if summarize and n > 2 * e else range(n)
    parts = ["..." if i is None else _nested(array[i], indent + 1, summarize, formatter) for i in rows]
    return "[" + ("," + "\n" * (array.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _with_suffixes(text, suffixes, indent):
    """``text`` followed by ``, suffix`` for each suffix, starting a new line where one would overflow."""
    pieces = [text]
    line_length = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if line_length + len(suffix) + 2 > _Options.linewidth:
            pieces.append(",\n" + " " * indent + suffix)
            line_length = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            line_length += len(suffix) + 2
    return "".join(pieces) + ")"


def tensor_repr(tensor):
    """``tensor(...)`` as PyTorch prints it (see the module docstring), with minitorch's dtype names."""
    prefix = "tensor("
    array = tensor._array if tensor._device == "cpu" else move(tensor._array, "cpu")
    dtype = from_numpy_dtype(array.dtype)
    suffixes = []
    if tensor._device != _DefaultDevice.device:
        suffixes.append(f"device='{as_device(tensor._device)}'")
    if array.size == 0:
        if array.ndim != 1:
            suffixes.append(f"size={tuple(array.shape)}")
        if dtype is not get_default_dtype():
            suffixes.append(f"dtype={dtype!r}")
        text = "[]"
    else:
        if dtype.name not in (get_default_dtype().name, "int64", "bool"):
            suffixes.append(f"dtype={dtype!r}")
        if array.dtype == np.float16:
            array = array.astype(np.float32)
        summarize = array.size > _Options.threshold
        formatter = _Formatter(_edges(array) if summarize else array)
        text = _nested(array, len(prefix), summarize, formatter)
    if tensor._node is not None:
        suffixes.append(f"grad_fn=<{tensor._node.name()}>")
    elif tensor.requires_grad:
        suffixes.append("requires_grad=True")
    return _with_suffixes(prefix + text, suffixes, len(prefix))
