"""``gradcheck``: compare an op's hand-written backward with finite differences.

For a function ``out = fn(*inputs)`` reduce the output to one number with a
fixed random cotangent ``w`` (same shape as ``out``)::

    phi(x) = sum(w * fn(x))          so that   dphi/dx = (dout/dx)^T w,

which is exactly what ``out.backward(gradient=w)`` computes analytically. The
numeric side uses the central difference, accurate to O(eps^2)::

    dphi/dx_i  ~  (phi(x + eps e_i) - phi(x - eps e_i)) / (2 eps)

``mode="full"`` perturbs every element of every input (2 evaluations of
``fn`` per element). ``mode="random"`` is the cheap variant for large inputs:
for each input it draws one random unit direction ``v`` and compares the
directional derivative ``<dphi/dx, v>`` with
``(phi(x + eps v) - phi(x - eps v)) / (2 eps)`` (2 evaluations per input).

Both sides agree when ``|analytic - numeric| <= atol + rtol * |numeric|``.

Why float64 only: a central difference subtracts two nearly equal numbers.
With eps = 1e-6 the difference keeps about 16 - 6 = 10 significant digits in
float64, but float32 holds only about 7 digits in total, so the numeric
gradient would be mostly rounding noise.
"""
import inspect

import numpy as np

from ..autograd.grad_mode import no_grad
from ..tensor import Tensor


class GradcheckError(AssertionError):
    """The analytic gradient of a function disagrees with its finite-difference estimate."""


def _describe(fn):
    """A readable name for ``fn``: ``Exp.apply``, ``test_add.<locals>.<lambda>``, or its repr."""
    if inspect.ismethod(fn):
        owner = fn.__self__
        return f"{getattr(owner, '__name__', type(owner).__name__)}.{fn.__name__}"
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn)


def _outputs(name, out):
    """``fn``'s differentiable results as a list of float64 tensors (a tuple of outputs is
    allowed; integer and bool outputs, such as the indices from ``max(dim)``, are skipped)."""
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    for k, o in enumerate(outs):
        if not isinstance(o, Tensor):
            raise TypeError(f"gradcheck({name}): output {k} is a {type(o).__name__}, expected a Tensor.")
        if o._array.dtype.kind == "f" and o._array.dtype != np.float64:
            raise TypeError(
                f"gradcheck({name}): output {k} has dtype {o.dtype!r}; the finite differences need "
                f"float64 all the way through (a cast to float32 inside fn loses the digits they need)."
            )
    return [o for o in outs if o._array.dtype.kind == "f"]


def _check_inputs(name, inputs):
    """Indices of the inputs to differentiate; refuse float32 and friends with a reason."""
    checked = []
    for k, x in enumerate(inputs):
        if not (isinstance(x, Tensor) and x.requires_grad):
            continue
        if x._array.dtype != np.float64:
            raise TypeError(
                f"gradcheck({name}): input {k} has dtype {x.dtype!r}, but gradcheck needs float64. "
                f"A central difference (f(x+eps) - f(x-eps)) / (2 eps) with eps=1e-6 cancels about 6 "
                f"of the number's significant digits: float64 keeps ~10 of its 16, float32 keeps "
                f"~1 of its 7, so the numeric gradient would be noise. Create the input with "
                f"dtype=minitorch.float64 or call .double()."
            )
        checked.append(k)
    if not checked:
        raise ValueError(
            f"gradcheck({name}): no input requires grad, so there is nothing to check. Pass tensors "
            f"created with requires_grad=True."
        )
    return checked


class _Problem:
    """``phi(inputs) = sum_k sum(w_k * fn(*inputs)[k])`` with fixed random cotangents ``w_k``."""

    def __init__(self, fn, inputs, seed):
        self.fn, self.name = fn, _describe(fn)
        self.inputs = list(inputs)
        self.checked = _check_inputs(self.name, self.inputs)
        self.rng = np.random.default_rng(seed)
        with no_grad():
            outs = _outputs(self.name, fn(*self._leaves(self.inputs, False)))
        self.weights = [np.asarray(self.rng.standard_normal(o.shape)) for o in outs]

    @staticmethod
    def _leaves(values, requires_grad):
        """Fresh leaf copies of the tensor inputs (keeping their memory layout); others as given."""
        leaves = []
        for x in values:
            if isinstance(x, Tensor):
                copy = Tensor._make(np.array(x._array, copy=True, order="K"), False, None)
                leaves.append(copy.requires_grad_(True) if requires_grad and x.requires_grad else copy)
            else:
                leaves.append(x)
        return leaves

    def evaluate(self, values):
        """``fn``'s output arrays at ``values``, computed without recording a graph."""
        with no_grad():
            return [o._array for o in _outputs(self.name, self.fn(*self._leaves(values, False)))]

    def analytic(self):
        """d(phi)/d(input) for every input, from the engine's backward (zeros where no path)."""
        leaves = self._leaves(self.inputs, True)
        outs = _outputs(self.name, self.fn(*leaves))
        for k, (w, o) in enumerate(zip(self.weights, outs)):
            if o.requires_grad:
                o.backward(gradient=Tensor._make(w, False, None), retain_graph=k < len(outs) - 1)
        return [
            (leaf.grad._array if leaf.grad is not None else np.zeros_like(leaf._array))
            if isinstance(leaf, Tensor) else None
            for leaf in leaves
        ]

    def shifted(self, k, delta):
        """The inputs with ``delta`` added to input ``k``."""
        values = list(self.inputs)
        values[k] = Tensor._make(self.inputs[k]._array + delta, False, None)
        return values

    def numeric(self, k, direction, eps):
        """Central difference of phi along ``direction`` in input ``k``.

        The outputs are subtracted before they are weighted and summed, so large output
        values that do not depend on the input (a -1e9 mask fill) cancel exactly.
        """
        plus = self.evaluate(self.shifted(k, eps * direction))
        minus = self.evaluate(self.shifted(k, -eps * direction))
        change = sum(float(np.sum(w * (p - m))) for w, p, m in zip(self.weights, plus, minus))
        return change / (2 * eps)


def _disagree(analytic, numeric, atol, rtol):
    """True when the two derivatives differ by more than ``atol + rtol * |numeric|`` (or either
    is NaN or inf: a comparison with NaN would otherwise pass silently)."""
    if not (np.isfinite(analytic) and np.isfinite(numeric)):
        return True
    return abs(analytic - numeric) > atol + rtol * abs(numeric)


def _directions(mode, shape, rng):
    """(description, direction) pairs to differentiate along: each element's unit vector
    (mode "full"), or one random unit vector (mode "random")."""
    if mode == "random":
        v = np.asarray(rng.standard_normal(shape))
        yield "along a random unit direction", v / max(np.linalg.norm(v), 1e-300)
        return
    for index in np.ndindex(*shape):
        e = np.zeros(shape)
        e[index] = 1.0
        yield f"element {index}", e


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, mode="full", raise_exception=True, seed=0):
    """Check ``fn``'s analytic gradients against central finite differences; True if they agree.

    - ``fn``: called as ``fn(*inputs)``; returns a float64 Tensor (or a tuple of them).
    - ``inputs``: a Tensor or a sequence; every Tensor with ``requires_grad=True`` is checked
      and must be float64. Other arguments are passed through unchanged.
    - ``mode="full"``: every element; ``"random"``: one random direction per input (cheap).
    - On disagreement raises ``GradcheckError`` naming the function, the input, the element
      (or the direction) and both numbers; with ``raise_exception=False`` returns False instead.

    The inputs themselves are not modified and their ``.grad`` is left alone.
    """
    if isinstance(inputs, Tensor):
        inputs = (inputs,)
    if mode not in ("full", "random"):
        raise ValueError(f"gradcheck: mode must be 'full' or 'random', got {mode!r}.")
    problem = _Problem(fn, inputs, seed)
    analytic = problem.analytic()
    for k in problem.checked:
        shape = problem.inputs[k].shape
        for where, v in _directions(mode, shape, problem.rng):
            a, n = float(np.sum(analytic[k] * v)), problem.numeric(k, v, eps)
            if _disagree(a, n, atol, rtol):
                if not raise_exception:
                    return False
                raise GradcheckError(
                    f"gradcheck failed for {problem.name}: input {k} (shape {tuple(shape)}), {where}: "
                    f"analytic {a:.10g}, numeric {n:.10g} (difference {abs(a - n):.3g}, allowed "
                    f"{atol + rtol * abs(n):.3g}). The op's backward is wrong here, or the point is "
                    f"a kink (relu at 0, a tie in max) where no derivative exists."
                )
    return True


def autograd_gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
                       check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                       check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True,
                       fast_mode=False, masked=None):
    """``minitorch.autograd.gradcheck``: PyTorch's signature on top of ``gradcheck`` (see there).

    ``fast_mode=True`` checks one random direction per input (``mode="random"``), else every
    element. The other switches are PyTorch's checks of features minitorch lacks (forward-mode
    AD, batched gradients, sparse masks); they are accepted and have no effect.
    """
    return gradcheck(func, inputs, eps=eps, atol=atol, rtol=rtol, mode="random" if fast_mode else "full",
                     raise_exception=raise_exception)


autograd_gradcheck.__name__ = autograd_gradcheck.__qualname__ = "gradcheck"
