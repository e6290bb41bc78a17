"""``Optimizer``: what every optimiser shares (parameter groups, state, zero_grad, state_dict).

An optimiser changes parameters in place to make the loss smaller::

    opt = minitorch.optim.Adam(model.parameters(), lr=1e-3)
    for x, y in batches:
        opt.zero_grad()           # forget the previous step's gradients
        loss_fn(model(x), y).backward()
        opt.step()                # theta <- update(theta, theta.grad, state)

- ``param_groups``: a list of dicts, each with ``"params"`` (a list of tensors) and that group's
  hyper-parameters (``lr``, ``weight_decay``, ...). Pass dicts to give groups their own values::

      SGD([{"params": body}, {"params": head, "lr": 1e-2}], lr=1e-3)   # body uses 1e-3

  Learning-rate schedulers change ``group["lr"]`` between steps.
- ``state``: a ``defaultdict(dict)`` (as PyTorch's) from parameter to that parameter's buffers
  (``"step"``, ``"exp_avg"``, ...), created at its first update. Buffers are arrays (numpy, or
  cupy on "cuda") of the parameter's shape and dtype.
- ``state_dict()`` / ``load_state_dict()``: PyTorch's layout, parameters replaced by their
  position (counting through all groups in order)::

      {"state": {0: {"step": 3, "exp_avg": <Tensor>, ...}, 1: {...}},
       "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), ..., "params": [0, 1]}]}

  Buffers come out as minitorch Tensors holding *copies* (a snapshot that later steps do not
  change), ``"step"`` as a 0-d float32 Tensor (PyTorch's type for it), hyper-parameters as
  Python numbers, bools, None and tuples: nothing but dicts, lists, numbers and arrays, so
  that ``minitorch.save`` can write it. The keys are PyTorch's, option for option and buffer
  for buffer, so a PyTorch checkpoint whose tensors were turned into numpy arrays (or
  minitorch tensors) loads here, and ours loads into PyTorch after the reverse conversion;
  training then continues with the same numbers. ``load_state_dict`` accepts buffers as
  Tensors or numpy arrays and numbers as Python or numpy scalars (or 0-d arrays), so a dict
  read back from a file loads too; an option the saved groups lack (a checkpoint from an
  older PyTorch) keeps this optimiser's value.
- PyTorch's implementation switches ``foreach``, ``fused`` and ``capturable`` choose how
  PyTorch runs the same update (many tensors per kernel launch, one fused kernel, CUDA-graph
  capture). They are accepted and kept in the groups (they are part of the ``state_dict``)
  but change nothing here: the update is one loop over the parameters, on numpy or cupy.
  ``differentiable=True`` (recording the update itself for autograd, for meta-learning) is
  refused: the update runs under ``no_grad``.

A subclass sets its defaults, checks its hyper-parameters in ``_check_group``, and writes the
update of one parameter in ``_update``: ``step`` calls it for each parameter that has a gradient,
on raw arrays (numpy, or cupy on "cuda"), under ``minitorch.no_grad()``.
"""
import numbers
from collections import defaultdict

import numpy as np

from ..autograd import enable_grad, no_grad
from ..device import move
from ..errors import ShapeError
from ..tensor import Tensor


class Optimizer:
    """Base class of all optimisers; see the module docstring."""

    _scalar_state = ()  # state entries that are 0-d arrays, not of the parameter's shape

    def __init__(self, params, defaults):
        name = type(self).__name__
        self.defaults = dict(defaults)
        self.state = defaultdict(dict)  # as PyTorch's: a subclass's step may read self.state[p] first
        self.param_groups = []
        if isinstance(params, (Tensor, dict)):
            raise TypeError(
                f"{name}: params must be an iterable of Tensors or of dicts (parameter groups), "
                f"got a single {type(params).__name__}. Wrap it in a list: {name}([x], ...)."
            )
        groups = list(params)
        if not groups:
            raise ValueError(
                f"{name} got an empty parameter list: did the model create its parameters? "
                f"Pass model.parameters() or a list of tensors."
            )
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ------------------------------------------------------------- parameter groups
    def add_param_group(self, param_group):
        """Add a dict ``{"params": [...], <options>}``; options it leaves out take the defaults.

        Useful to start training layers that were frozen so far (fine-tuning).
        """
        name = type(self).__name__
        if not isinstance(param_group, dict) or "params" not in param_group:
            raise TypeError(
                f"{name}: a parameter group must be a dict with a 'params' key, got "
                f"{param_group!r:.80}."
            )
        params = param_group["params"]
        if isinstance(params, (set, frozenset)):
            raise TypeError(
                f"{name}: parameters must be given in an ordered collection (a list), not a set: a "
                f"set's order changes between runs, and state_dict() identifies parameters by order."
            )
        params = [params] if isinstance(params, Tensor) else list(params)
        seen = set(self._all_params())
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"{name}: can only optimize Tensors, but parameter {i} of the new group is a "
                    f"{type(p).__name__}."
                )
            if not p.is_floating_point():
                raise TypeError(
                    f"{name}: can only optimize floating-point tensors, but parameter {i} of the new "
                    f"group is {p.dtype!r}. Create it with a float dtype, or convert it with "
                    f".float() first."
                )
            if not p.is_leaf:
                raise ValueError(
                    f"{name}: can't optimize a non-leaf tensor (parameter {i} was computed by "
                    f"{p.grad_fn!r}). Optimize the tensors it was computed from, or use "
                    f".detach().requires_grad_() to make a new leaf."
                )
            if p in seen:
                raise ValueError(
                    f"{name}: parameter {i} of the new group (shape {tuple(p.shape)}) is given twice "
                    f"(in this group or in an earlier one). Each tensor may appear only once."
                )
            seen.add(p)
        group = dict(self.defaults)
        group.update(param_group)
        group["params"] = params
        self._check_group(group)
        self.param_groups.append(group)

    def _all_params(self):
        """Every parameter of every group, in order (the numbering that state_dict uses)."""
        return [p for group in self.param_groups for p in group["params"]]

    def _check_group(self, group):
        """Raise an error for hyper-parameters outside their valid range (subclasses add checks)."""
        name = type(self).__name__
        check_range(self, "lr", group["lr"], 0.0)
        if group.get("differentiable"):
            raise NotImplementedError(
                f"{name}: differentiable=True (autograd through the update) is not supported: "
                f"minitorch updates parameters in place under no_grad. Leave it False."
            )
        if group.get("fused") and group.get("foreach"):
            raise RuntimeError(f"{name}: `fused` and `foreach` cannot be `True` together.")

    # ------------------------------------------------------------------- training
    def zero_grad(self, set_to_none=True):
        """Forget every parameter's gradient before the next ``backward()``.

        ``set_to_none=True`` (the default, as in PyTorch) sets ``p.grad = None``, which frees the
        memory and lets ``step`` skip parameters that got no gradient; ``False`` fills the
        existing gradients with zeros instead.
        """
        ### BEGIN SOLUTION 3.10: forget the gradient of every parameter of every group (None, or zeros in place)
        for p in self._all_params():
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.zero_()
        ### END SOLUTION

    def step(self, closure=None):
        """Update every parameter that has a gradient; parameters whose ``.grad`` is None are skipped.

        ``closure``: an optional function that zeroes the gradients, recomputes the loss, calls
        ``backward()`` and returns the loss; it runs first (with grad enabled) and ``step``
        returns its loss.
        """
        ### BEGIN SOLUTION 3.7: run the closure (grad enabled), then self._update every parameter with a gradient (its array, grad array, state dict, group) without a graph; keep non-empty states in self.state; return the loss
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        op = f"{type(self).__name__}.step"
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    grad = p.grad._array
                    if grad.shape != p.shape:
                        raise ShapeError(
                            f"{op}: a parameter of shape {tuple(p.shape)} has a .grad of shape "
                            f"{tuple(grad.shape)}; gradients must have their parameter's shape."
                        )
                    state = self.state.get(p, {})
                    self._update(p._writable(op), grad, state, group)
                    if state:  # optimisers that keep nothing (plain SGD) store nothing
                        self.state[p] = state
        return loss
        ### END SOLUTION

    def _update(self, param, grad, state, group):
        """Change the array ``param`` in place, given its gradient, its state dict and its group."""
        raise NotImplementedError(f"{type(self).__name__} must implement _update().")

    # ------------------------------------------------------------------ saving
    def state_dict(self):
        """The optimiser's state as plain data (see the module docstring for the layout)."""
        index = {p: i for i, p in enumerate(self._all_params())}
        groups = []
        for group in self.param_groups:
            saved = {k: v for k, v in group.items() if k != "params"}
            saved["params"] = [index[p] for p in group["params"]]
            groups.append(saved)
        state = {}
        for p, buffers in self.state.items():
            state[index[p]] = {k: _saved_buffer(v, p) for k, v in buffers.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore hyper-parameters and buffers saved by ``state_dict()`` of a similar optimiser.

        The optimiser must have been built over parameters of the same shapes, grouped the same
        way; the values are copied (the dict can be reused).
        """
        name = type(self).__name__
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            missing = isinstance(state_dict, dict) and not {"state", "param_groups"} <= set(state_dict)
            raise (KeyError if missing else ValueError)(
                f"{name}.load_state_dict: expected a dict with keys 'state' and 'param_groups' (as "
                f"made by optimizer.state_dict()), got {type(state_dict).__name__}"
                + (f" with keys {sorted(state_dict)}" if isinstance(state_dict, dict) else "")
                + "."
            )
        saved_groups = list(state_dict["param_groups"])
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"{name}.load_state_dict: the saved state has {len(saved_groups)} parameter groups "
                f"but this optimiser has {len(self.param_groups)}."
            )
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"{name}.load_state_dict: saved parameter group {i} has {len(saved['params'])} "
                    f"parameters but this optimiser's group {i} has {len(group['params'])}."
                )
        params = self._all_params()
        state = defaultdict(dict)
        for key, buffers in state_dict["state"].items():
            if not 0 <= int(key) < len(params):
                raise ValueError(
                    f"{name}.load_state_dict: the saved state is for parameter {key}, but this "
                    f"optimiser has only {len(params)} parameters."
                )
            p = params[int(key)]
            if type(self)._update is Optimizer._update:  # a user's subclass with its own step: Tensors
                state[p] = {k: _user_buffer(k, v, p) for k, v in buffers.items()}
            else:
                state[p] = {k: _load_buffer(name, k, v, p, k in self._scalar_state)
                            for k, v in buffers.items()}
        new_groups = []
        for saved, group in zip(saved_groups, self.param_groups):
            new = {k: v for k, v in group.items() if k in self.defaults}  # options it lacks
            new.update((k, _plain(v)) for k, v in saved.items() if k != "params")
            new["params"] = group["params"]
            self._check_group(new)
            new_groups.append(new)
        self.state = state
        self.param_groups = new_groups

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines + [")"])


def check_range(optimizer, label, value, low, high=None, high_open=True):
    """Raise an error naming the optimiser unless ``value`` is a number in [low, high) (or ]).

    ``label`` names the hyper-parameter in the message (``"lr"``, ``"betas[0]"``).
    """
    name = type(optimizer).__name__
    what = f">= {low}" if high is None else f"in [{low}, {high}{')' if high_open else ']'}"
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name}: {label} must be a number {what}, got {value!r} (a {type(value).__name__}).")
    too_high = high is not None and (value >= high if high_open else value > high)
    if not value >= low or too_high:  # `not >=` also catches nan
        noun = "epsilon value eps" if label == "eps" else label
        raise ValueError(f"{name}: invalid {noun}={value!r}; it must be {what}.")


def check_betas_eps_decay(optimizer, group):
    """Check the options of the Adam family: ``betas`` a pair in [0, 1), ``eps`` and
    ``weight_decay`` >= 0. A list ``betas=[0.9, 0.999]`` is kept as a tuple."""
    betas = group["betas"]
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(
            f"{type(optimizer).__name__}: betas must be a pair (beta1, beta2) such as "
            f"(0.9, 0.999), got {betas!r}."
        )
    group["betas"] = tuple(betas)
    check_range(optimizer, "betas[0]", betas[0], 0.0, 1.0)
    check_range(optimizer, "betas[1]", betas[1], 0.0, 1.0)
    check_range(optimizer, "eps", group["eps"], 0.0)
    check_range(optimizer, "weight_decay", group["weight_decay"], 0.0)


def grad_with_weight_decay(grad, param, weight_decay, maximize):
    """``g = -grad if maximize else grad``, plus ``weight_decay * param`` (L2 penalty) if nonzero.

    Returns ``grad`` itself when nothing changes, else a new array: ``p.grad`` is never modified.
    """
    if maximize:
        grad = np.negative(grad)
    if weight_decay != 0:
        decayed = np.multiply(param, weight_decay)
        decayed += grad
        grad = decayed
    return grad


def running_average_(average, value, beta):
    """``average = beta * average + (1 - beta) * value``, in place; returns ``average``."""
    average *= beta
    average += np.multiply(value, 1 - beta)
    return average


def decayed_grad(param, grad, group):
    """The gradient for Adam-like rules: an L2 penalty, or decoupled (AdamW-style) decay.

    With ``group["decoupled_weight_decay"]`` the parameter itself shrinks first,
    theta <- (1 - lr lambda) theta, and the gradient carries no penalty; otherwise
    ``grad_with_weight_decay``.
    """
    if not group["decoupled_weight_decay"]:
        return grad_with_weight_decay(grad, param, group["weight_decay"], group["maximize"])
    ### BEGIN SOLUTION 3.11: decoupled weight decay: shrink param in place, return the gradient (negated if maximize) without a penalty
    if group["weight_decay"] != 0:
        param *= 1 - group["lr"] * group["weight_decay"]
    return np.negative(grad) if group["maximize"] else grad
    ### END SOLUTION


def _plain(value):
    """Python scalars and tuples for numpy scalars, 0-d and 1-d arrays (values read from a file)."""
    if isinstance(value, Tensor):
        value = value._array
    if isinstance(value, (np.ndarray, np.generic)):
        return value.item() if value.ndim == 0 else tuple(value.tolist())
    if isinstance(value, list):
        return tuple(value)
    return value


def _saved_buffer(value, param):
    """A state entry as ``state_dict`` gives it: a Tensor copy on the parameter's device.

    ``step`` (kept as an int while training) becomes a 0-d float32 Tensor, as in PyTorch. A Tensor
    that a user's ``Optimizer`` subclass keeps in ``self.state[p]`` is given as it is (PyTorch's
    ``state_dict`` does not copy state either).
    """
    if isinstance(value, numbers.Number):
        return Tensor._make(move(np.array(value, dtype=np.float32), param.device), False, None,
                            param.device)
    if isinstance(value, Tensor):
        return value
    return Tensor._make(value.copy(), False, None, param.device)


def _user_buffer(key, value, param):
    """A state entry of a user's ``Optimizer`` subclass, loaded as PyTorch loads it: a float Tensor
    moved to the parameter's dtype and device (``step`` keeps its dtype; not copied where it is
    already there, as in PyTorch), other values as they are."""
    if not isinstance(value, Tensor):
        return value
    if value.is_floating_point() and key != "step":
        return value.to(dtype=param.dtype, device=param.device)
    return value.to(device=param.device)


def _load_buffer(name, key, value, param, scalar=False):
    """A state entry of ``param``: ``step`` as an int, buffers as owned arrays of param's shape.

    ``scalar`` entries (such as NAdam's ``mu_product``) are 0-d; like every buffer but
    ``step`` they take the parameter's dtype, as PyTorch's ``load_state_dict`` does.
    """
    if key == "step":
        return int(_plain(value))
    if not isinstance(value, Tensor):
        value = Tensor._make(np.asarray(value), False, None)
    expected = () if scalar else tuple(param.shape)
    if tuple(value.shape) != expected:
        raise ShapeError(
            f"{name}.load_state_dict: saved buffer '{key}' has shape {tuple(value.shape)} but "
            f"should have shape {expected} (its parameter's shape is {tuple(param.shape)}): was "
            f"the state saved from another model?"
        )
    return move(value._array, param.device).astype(param._array.dtype, copy=False)  # a copy, on p's device
