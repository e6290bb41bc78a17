"""``assert_close``: PyTorch's ``torch.testing.assert_close``, for tests written against PyTorch.

Two tensors are close when every element satisfies |actual - expected| <= atol + rtol * |expected|,
with tolerances chosen by dtype unless given (float16 1e-3 / 1e-5, float32 1.3e-6 / 1e-5, float64
1e-7 / 1e-7; integers and bools must be equal). Shapes, devices and dtypes must match first.
Sequences and mappings are compared item by item; Python numbers as scalars. A mismatch raises
an AssertionError that says how many elements differ and where the largest differences are.
"""
import collections.abc
import numbers

import numpy as np

from ..tensor import Tensor

_TOLERANCES = {np.dtype(np.float16): (1e-3, 1e-5), np.dtype(np.float32): (1.3e-6, 1e-5),
               np.dtype(np.float64): (1e-7, 1e-7)}


class _Mismatch(AssertionError):
    """A failed comparison, with the path of the item inside nested sequences and mappings."""


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None, equal_nan=False,
                 check_device=True, check_dtype=True, check_layout=True, check_stride=False, msg=None):
    """Raise an AssertionError unless ``actual`` and ``expected`` are close (see the module docstring).

    ``msg`` replaces the message (a string), or rewrites it (a callable given the generated one).

    >>> import minitorch
    >>> minitorch.testing.assert_close(minitorch.tensor([1.0, 2.0]), minitorch.tensor([1.0, 2.0 + 1e-7]))
    """
    if (rtol is None) != (atol is None):
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
                         f"{'atol' if atol is None else 'rtol'}.")
    try:
        _compare(actual, expected, (), rtol, atol, equal_nan, check_device, check_dtype, check_stride)
    except AssertionError as error:
        text = str(error)
        raise AssertionError(msg(text) if callable(msg) else msg if msg is not None else text) from None


def _compare(actual, expected, path, rtol, atol, equal_nan, check_device, check_dtype, check_stride):
    if isinstance(actual, Tensor) and isinstance(expected, Tensor):
        return _compare_tensors(actual, expected, path, rtol, atol, equal_nan, check_device, check_dtype, check_stride)
    if isinstance(actual, bool) and isinstance(expected, bool):
        if actual != expected:
            _fail(f"Booleans mismatch: {actual} is not {expected}", path)
        return None
    if isinstance(actual, numbers.Number) and isinstance(expected, numbers.Number) and not (
            isinstance(actual, bool) or isinstance(expected, bool)):
        exact = isinstance(actual, numbers.Integral) and isinstance(expected, numbers.Integral)
        return _compare_scalars(actual, expected, path, *((0.0, 0.0) if exact else
                                                          (rtol, atol) if rtol is not None else (1e-7, 1e-7)),
                                equal_nan, exact)
    if isinstance(actual, collections.abc.Mapping) and isinstance(expected, collections.abc.Mapping):
        if set(actual) != set(expected):
            _fail(f"The keys of the mappings do not match:\nMissing keys in the actual mapping: "
                  f"{sorted(map(str, set(expected) - set(actual)))}\nAdditional keys in the actual mapping: "
                  f"{sorted(map(str, set(actual) - set(expected)))}", path)
        for key in expected:
            _compare(actual[key], expected[key], path + (key,), rtol, atol, equal_nan, check_device, check_dtype,
                     check_stride)
        return None
    if _is_sequence(actual) and _is_sequence(expected):
        if len(actual) != len(expected):
            _fail(f"The length of the sequences mismatch: {len(actual)} != {len(expected)}", path)
        for i, (a, e) in enumerate(zip(actual, expected)):
            _compare(a, e, path + (i,), rtol, atol, equal_nan, check_device, check_dtype, check_stride)
        return None
    raise TypeError(f"No comparison pair was able to handle inputs of type {type(actual)} and {type(expected)}.")


def _is_sequence(value):
    return isinstance(value, collections.abc.Sequence) and not isinstance(value, str)


def _compare_tensors(actual, expected, path, rtol, atol, equal_nan, check_device, check_dtype, check_stride):
    for attribute, a, e in (("shape", actual.shape, expected.shape),
                            ("device", actual.device, expected.device) if check_device else (None, 0, 0),
                            ("dtype", actual.dtype, expected.dtype) if check_dtype else (None, 0, 0),
                            ("stride()", actual.stride(), expected.stride()) if check_stride else (None, 0, 0)):
        if attribute and a != e:
            _fail(f"The values for attribute '{attribute}' do not match: {a} != {e}.", path)
    a, e = actual.detach().cpu().numpy(), expected.detach().cpu().numpy()
    dtype = np.result_type(a.dtype, e.dtype)
    if rtol is None:
        rtol, atol = _TOLERANCES.get(dtype, (0.0, 0.0))
    if actual.ndim == 0:
        return _compare_scalars(a.item(), e.item(), path, rtol, atol, equal_nan, dtype.kind in "biu")
    diff_dtype = dtype if dtype.kind == "f" else np.dtype(np.float32)
    a, e = a.astype(diff_dtype), e.astype(diff_dtype)
    close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=equal_nan) | ((a == e) & ~np.isnan(a))
    if close.all():
        return None
    with np.errstate(all="ignore"):
        absolute = np.abs(a - e)
        relative = absolute / np.abs(e)
    absolute[close], relative[close] = 0, 0
    where_abs = np.unravel_index(np.nanargmax(absolute) if not np.isnan(absolute).all() else 0, a.shape)
    where_rel = np.unravel_index(np.nanargmax(relative) if not np.isnan(relative).all() else 0, a.shape)
    exact = rtol == 0 and atol == 0
    integral = dtype.kind in "biu"
    wrong = int((~close).sum())
    biggest = absolute[where_abs].item()
    _fail(f"Tensor-likes are not {'equal' if exact else 'close'}!\n\nMismatched elements: {wrong} / {close.size} "
          f"({wrong / close.size:.1%})\nGreatest absolute difference: {int(biggest) if integral else biggest} at index "
          f"{tuple(int(i) for i in where_abs)}{'' if exact else f' (up to {atol} allowed)'}\nGreatest relative "
          f"difference: {relative[where_rel].item()} at index {tuple(int(i) for i in where_rel)}"
          f"{'' if exact else f' (up to {rtol} allowed)'}", path)
    return None


def _compare_scalars(actual, expected, path, rtol, atol, equal_nan, exact):
    if actual == expected or (equal_nan and actual != actual and expected != expected):
        return None
    absolute = abs(actual - expected)
    if not exact and absolute <= atol + rtol * abs(expected):
        return None
    relative = absolute / abs(expected) if expected else float("inf")
    if exact:
        _fail(f"Scalars are not equal!\n\nExpected {expected} but got {actual}.\nAbsolute difference: {absolute}\n"
              f"Relative difference: {relative}", path)
    _fail(f"Scalars are not close!\n\nExpected {expected} but got {actual}.\nAbsolute difference: {absolute} "
          f"(up to {atol} allowed)\nRelative difference: {relative} (up to {rtol} allowed)", path)


def _fail(message, path):
    where = "".join(f"[{p!r}]" for p in path)
    raise _Mismatch(message + (f"\n\nThe failure occurred for item {where}" if path else ""))
