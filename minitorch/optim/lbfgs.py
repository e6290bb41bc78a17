"""L-BFGS: a quasi-Newton method that re-evaluates the loss through a closure."""
from ..autograd.grad_mode import enable_grad, no_grad
from ..device import array_module
from .optimizer import Optimizer, check_range


class LBFGS(Optimizer):
    r"""Limited-memory BFGS (PyTorch's algorithm, without a line search by default).

    Each iteration turns the gradient :math:`g` into a direction :math:`d = -H g`, where
    :math:`H` approximates the inverse Hessian from the last ``history_size`` pairs
    :math:`s = \Delta\theta`, :math:`y = \Delta g` (the two-loop recursion, scaled by
    :math:`s^\top y / y^\top y`), then steps :math:`\theta \leftarrow \theta + t d` with
    :math:`t` = ``lr`` (the first iteration: :math:`\min(1, 1/\lVert g\rVert_1)\,` lr).
    ``step(closure)`` runs up to ``max_iter`` iterations, calling ``closure`` (which zeroes the
    gradients, computes the loss, calls ``backward()`` and returns the loss) once per iteration
    and at most ``max_eval`` times; it stops early when the largest gradient element is at most
    ``tolerance_grad`` or the step or the loss change is below ``tolerance_change``. It returns
    the loss of the first evaluation. All parameters form one group, viewed as one flat vector.

    ``line_search_fn="strong_wolfe"`` (PyTorch's line search) is not implemented: pass None.
    """

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-07, tolerance_change=1e-09,
                 history_size=100, line_search_fn=None):
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_iter * 5 // 4 if max_eval is None else max_eval,
                        tolerance_grad=tolerance_grad, tolerance_change=tolerance_change,
                        history_size=history_size, line_search_fn=line_search_fn)
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups): pass one list.")
        self._params = self.param_groups[0]["params"]

    def _check_group(self, group):
        super()._check_group(group)
        for name in ("max_iter", "max_eval", "history_size"):
            check_range(self, name, group[name], 1)
        if group["line_search_fn"] is not None:
            raise NotImplementedError(f"LBFGS: line_search_fn={group['line_search_fn']!r} is not implemented "
                                      f"(PyTorch's 'strong_wolfe'); pass None for fixed steps of size lr.")

    def _flat_grad(self):
        xp = array_module(self._params[0]._array)
        return xp.concatenate([(xp.zeros(p.numel(), p._array.dtype) if p.grad is None else p.grad._array.reshape(-1))
                               for p in self._params])

    def _add(self, step):
        """theta += step (a flat vector), parameter by parameter."""
        offset = 0
        with no_grad():
            for p in self._params:
                n = p.numel()
                p._writable("LBFGS.step")[...] += step[offset:offset + n].reshape(p._array.shape)
                offset += n

    def _evaluate(self, closure):
        with enable_grad():
            loss = closure()
        state = self.state.setdefault(self._params[0], {})  # PyTorch keeps it with the first parameter
        state["func_evals"] = state.get("func_evals", 0) + 1
        return loss

    def step(self, closure):
        """Run up to ``max_iter`` iterations; ``closure`` recomputes the loss and its gradients.
        Returns the loss of the first evaluation."""
        if closure is None:
            raise RuntimeError("LBFGS.step needs a closure that zeroes the gradients, computes the loss, calls "
                               "backward() and returns the loss: optimizer.step(closure).")
        group = self.param_groups[0]
        lr, history_size, tol_change = group["lr"], group["history_size"], group["tolerance_change"]
        first_loss = self._evaluate(closure)
        loss, evals = float(first_loss), 1
        g = self._flat_grad()
        if abs(g).max() <= group["tolerance_grad"]:
            return first_loss
        state = self.state[self._params[0]]
        d, t = state.get("d"), state.get("t")
        dirs, steps, ro = state.setdefault("old_dirs", []), state.setdefault("old_stps", []), state.setdefault("ro", [])
        h_diag, prev_g = state.get("H_diag", 1.0), state.get("prev_flat_grad")
        for n_iter in range(1, group["max_iter"] + 1):
            state["n_iter"] = state.get("n_iter", 0) + 1
            if state["n_iter"] == 1:
                d, h_diag = -g, 1.0
                dirs.clear(), steps.clear(), ro.clear()
            else:
                y, s = g - prev_g, d * t
                ys = float(y @ s)
                if ys > 1e-10:  # keep the pair only where the curvature is positive
                    if len(dirs) == history_size:
                        dirs.pop(0), steps.pop(0), ro.pop(0)
                    dirs.append(y), steps.append(s), ro.append(1.0 / ys)
                    h_diag = ys / float(y @ y)
                d = self._two_loop(g, dirs, steps, ro, h_diag)
            prev_g, prev_loss = g.copy(), loss
            t = min(1.0, 1.0 / float(abs(g).sum())) * lr if state["n_iter"] == 1 else lr
            if float(g @ d) > -tol_change:  # not a descent direction any more
                break
            self._add(t * d)
            if n_iter != group["max_iter"]:
                loss, evals = float(self._evaluate(closure)), evals + 1
                g = self._flat_grad()
            if (n_iter == group["max_iter"] or evals >= group["max_eval"] or abs(g).max() <= group["tolerance_grad"]
                    or abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change):
                break
        state.update(d=d, t=t, H_diag=h_diag, prev_flat_grad=prev_g, prev_loss=prev_loss)
        return first_loss

    @staticmethod
    def _two_loop(g, dirs, steps, ro, h_diag):
        """-H g by the two-loop recursion over the stored (s, y) pairs."""
        q, alphas = -g, []
        for s, y, r in zip(reversed(steps), reversed(dirs), reversed(ro)):
            alphas.append(float(s @ q) * r)
            q = q - alphas[-1] * y
        q = q * h_diag
        for (s, y, r), alpha in zip(zip(steps, dirs, ro), reversed(alphas)):
            q = q + s * (alpha - float(y @ q) * r)
        return q
