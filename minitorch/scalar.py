"""``Scalar``: automatic differentiation on single numbers, small enough to read in one sitting.

Every arithmetic operation on Scalars makes a new Scalar that remembers

- ``children``: the Scalars it was computed from, and
- ``local_grads``: the local derivative d(this)/d(child) for each child, a plain
  number worked out during the forward pass (for ``c = a * b``: ``(b, a)``).

``out.backward()`` then applies the chain rule. If ``L`` depends on ``child``
only through ``node``, then ``dL/dchild = dL/dnode * dnode/dchild``; if it
depends on ``child`` through several nodes, the contributions add up::

    dL/dchild = sum over the nodes that used child of  dL/dnode * dnode/dchild

So ``backward`` visits the nodes in reverse topological order (every node after
all the nodes that used it, so its ``grad`` is complete before it is passed on)
and adds (``+=``) each contribution to the child's ``grad``. The order is
computed with an explicit stack, not recursion, so graphs thousands of nodes
deep work.

``to_dot()`` describes the graph in graphviz's DOT language; ``draw_graph()``
renders it with the ``dot`` program when it is installed and with matplotlib
otherwise. ``central_difference`` and ``derivative_check`` compare the derivatives
``backward`` computes with numerical ones.

The Tensor engine (``minitorch.Tensor``) works the same way, with arrays in
place of numbers.
"""
import math
import numbers
import os
import shutil
import subprocess

from . import checks


class Scalar:
    """A number that records how it was computed, so that ``backward()`` can differentiate it.

    ``data`` is the value and ``grad`` the derivative of the output that last called
    ``backward()`` with respect to this Scalar (0.0 until then). ``label`` is an optional
    name shown in the graph drawing.
    """

    def __init__(self, data, label="", *, children=(), local_grads=(), op=""):
        if not isinstance(data, numbers.Real):
            raise TypeError(f"Scalar: data must be a real number, got {type(data).__name__}.")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.children = tuple(children)
        self.local_grads = tuple(local_grads)
        self.op = op

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Scalar({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # ------------------------------------------------------------------ operations
    def _result(self, data, op, children, local_grads):
        return Scalar(data, children=children, local_grads=local_grads, op=op)

    def __add__(self, other):
        """c = a + b;  dc/da = 1, dc/db = 1."""
        ### BEGIN SOLUTION 1.1: return c = a + b (other a Scalar or a number) with children and local derivatives
        other = _as_scalar(other, "+")
        return self._result(self.data + other.data, "+", (self, other), (1.0, 1.0))
        ### END SOLUTION

    def __sub__(self, other):
        """c = a - b;  dc/da = 1, dc/db = -1."""
        ### BEGIN SOLUTION 1.1: return c = a - b (other a Scalar or a number) with children and local derivatives
        other = _as_scalar(other, "-")
        return self._result(self.data - other.data, "-", (self, other), (1.0, -1.0))
        ### END SOLUTION

    def __mul__(self, other):
        """c = a * b;  dc/da = b, dc/db = a."""
        ### BEGIN SOLUTION 1.1: return c = a * b (other a Scalar or a number) with children and local derivatives
        other = _as_scalar(other, "*")
        return self._result(self.data * other.data, "*", (self, other), (other.data, self.data))
        ### END SOLUTION

    def __truediv__(self, other):
        """c = a / b;  dc/da = 1/b, dc/db = -a/b^2. Division by zero raises ZeroDivisionError."""
        ### BEGIN SOLUTION 1.2: return c = a / b (other a Scalar or a number) and local derivatives; raise if b = 0
        other = _as_scalar(other, "/")
        a, b = self.data, other.data
        if b == 0:
            raise ZeroDivisionError(f"Scalar division: {a} / 0 is undefined (the divisor is zero).")
        return self._result(a / b, "/", (self, other), (1 / b, -a / b**2))
        ### END SOLUTION

    def __radd__(self, other):
        """number + Scalar: c = other + a."""
        ### BEGIN SOLUTION 1.1: return c = other + self for a number other
        return _as_scalar(other, "+") + self
        ### END SOLUTION

    def __rsub__(self, other):
        """number - Scalar: c = other - a."""
        ### BEGIN SOLUTION 1.1: return c = other - self for a number other
        return _as_scalar(other, "-") - self
        ### END SOLUTION

    def __rmul__(self, other):
        """number * Scalar: c = other * a."""
        ### BEGIN SOLUTION 1.1: return c = other * self for a number other
        return _as_scalar(other, "*") * self
        ### END SOLUTION

    def __rtruediv__(self, other):
        """number / Scalar: c = other / a."""
        ### BEGIN SOLUTION 1.2: return c = other / self for a number other
        return _as_scalar(other, "/") / self
        ### END SOLUTION

    def __pow__(self, exponent):
        """c = a ** n for a plain number n;  dc/da = n a^(n-1).

        A Scalar exponent raises TypeError, a negative base to a fractional power ValueError,
        0 to a negative power ZeroDivisionError.
        """
        ### BEGIN SOLUTION 1.2: return a ** n (op "**n") and dc/da (0 if n = 0, inf at a = 0 if n < 1); raise as said
        if not isinstance(exponent, numbers.Real):
            raise TypeError(
                f"Scalar ** {type(exponent).__name__}: the exponent must be a plain number. For a "
                f"Scalar exponent y write (y * x.log()).exp(), which is x ** y for x > 0."
            )
        a, n = self.data, exponent
        if a < 0 and not float(n).is_integer():
            raise ValueError(f"Scalar ** {n}: a negative base ({a}) to a fractional power is not a real number.")
        if a == 0 and n < 0:
            raise ZeroDivisionError(f"Scalar ** {n}: 0 to a negative power is undefined.")
        if n == 0:
            local = 0.0
        elif a == 0 and n < 1:
            local = math.inf
        else:
            local = n * a ** (n - 1)
        return self._result(a**n, f"**{n:g}", (self,), (local,))
        ### END SOLUTION

    def __neg__(self):
        """c = -a;  dc/da = -1."""
        ### BEGIN SOLUTION 1.1: return c = -a (op "neg") and its local derivative
        return self._result(-self.data, "neg", (self,), (-1.0,))
        ### END SOLUTION

    def exp(self):
        """c = e^a;  dc/da = e^a = c. An e^a too large for a float raises OverflowError."""
        ### BEGIN SOLUTION 1.3: return c = e^a and its local derivative; too large an a raises OverflowError
        try:
            c = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"Scalar.exp: e^{self.data} is too large for a float.") from None
        return self._result(c, "exp", (self,), (c,))
        ### END SOLUTION

    def log(self):
        """c = ln a (a > 0);  dc/da = 1/a. An a <= 0 raises ValueError."""
        ### BEGIN SOLUTION 1.3: return c = ln a and its local derivative; a <= 0 raises ValueError
        if self.data <= 0:
            raise ValueError(f"Scalar.log: the logarithm needs a positive number, got {self.data}.")
        return self._result(math.log(self.data), "log", (self,), (1 / self.data,))
        ### END SOLUTION

    def tanh(self):
        """c = tanh a;  dc/da = 1 - c^2."""
        ### BEGIN SOLUTION 1.3: return c = tanh(a) and its local derivative, for every float a (e^800 overflows)
        c = math.tanh(self.data)
        return self._result(c, "tanh", (self,), (1 - c * c,))
        ### END SOLUTION

    def relu(self):
        """c = max(a, 0);  dc/da = 1 if a > 0 else 0 (PyTorch's choice at the kink a = 0)."""
        ### BEGIN SOLUTION 1.3: return c = max(a, 0) and its local derivative (0 at a = 0)
        return self._result(max(self.data, 0.0), "relu", (self,), (1.0 if self.data > 0 else 0.0,))
        ### END SOLUTION

    def sigmoid(self):
        """c = 1 / (1 + e^-a);  dc/da = c (1 - c)."""
        ### BEGIN SOLUTION 1.3: return c = sigmoid(a) and its local derivative, for every float a without overflow
        a = self.data
        c = 1 / (1 + math.exp(-a)) if a >= 0 else math.exp(a) / (1 + math.exp(a))
        return self._result(c, "sigmoid", (self,), (c * (1 - c),))
        ### END SOLUTION

    # ------------------------------------------------------------------ backward
    def topological_order(self):
        """Every Scalar this one depends on (itself included), each after all of its children.

        Works for graphs deeper than Python's recursion limit.
        """
        ### BEGIN SOLUTION 1.4: every node once, each after its children; a stack, no recursion
        order, visited = [], set()
        stack = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif id(node) not in visited:
                visited.add(id(node))
                stack.append((node, True))
                stack.extend((child, False) for child in node.children if id(child) not in visited)
        return order
        ### END SOLUTION

    def backward(self):
        """Fill ``grad`` of every Scalar in the graph with d(self)/d(that Scalar).

        Intermediate results start from 0 on each call; leaves (Scalars you created
        yourself) add to what they already hold, as in PyTorch, so reset them with
        ``p.grad = 0.0`` between training steps.
        """
        ### BEGIN SOLUTION 1.5: fill every node's grad by the chain rule: intermediates restart from 0, leaves add up
        order = self.topological_order()
        for node in order:
            if node.children:
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):
            for child, local in zip(node.children, node.local_grads):
                child.grad += node.grad * local
        ### END SOLUTION

    # ------------------------------------------------------------------ drawing
    def to_dot(self):
        """The graph as graphviz DOT text: one box per Scalar (label, data, grad), one
        ellipse per operation, arrows from inputs to outputs."""
        order = self.topological_order()
        ids = {id(node): f"n{k}" for k, node in enumerate(order)}
        lines = ["digraph Scalar {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
        for node in order:
            name = ids[id(node)]
            text = " | ".join(_escape(part) for part in _box_text(node))
            lines.append(f'  {name} [shape=record, label="{{ {text} }}"];')
            if node.op:
                lines.append(f'  {name}_op [shape=ellipse, label="{_escape(node.op)}"];')
                lines.append(f"  {name}_op -> {name};")
                lines.extend(f"  {ids[id(child)]} -> {name}_op;" for child in node.children)
        lines.append("}")
        return "\n".join(lines) + "\n"

    def draw_graph(self, filename, renderer="auto"):
        """Draw the graph into an image file and return its DOT text.

        ``renderer="auto"`` uses graphviz's ``dot`` program when it is on the PATH
        (``dot -Tpng``; the format follows the file's extension) and matplotlib
        otherwise; ``"dot"`` or ``"matplotlib"`` choose one.
        """
        if renderer not in ("auto", "dot", "matplotlib"):
            raise ValueError(f"draw_graph: renderer must be 'auto', 'dot' or 'matplotlib', got {renderer!r}.")
        filename = os.fspath(filename)
        dot_text = self.to_dot()
        dot = shutil.which("dot")
        if renderer == "dot" and dot is None:
            raise RuntimeError(
                "draw_graph(renderer='dot'): graphviz's `dot` program is not on the PATH. Install "
                "graphviz (apt install graphviz, brew install graphviz, conda install graphviz) or "
                "use renderer='matplotlib'."
            )
        if dot is not None and renderer != "matplotlib":
            fmt = os.path.splitext(filename)[1][1:] or "png"
            subprocess.run([dot, f"-T{fmt}", "-o", filename], input=dot_text, text=True, check=True)
        else:
            _draw_with_matplotlib(self, filename)
        return dot_text


def _as_scalar(x, op):
    """``x`` as a Scalar: plain numbers become constant leaves of the graph; anything else is a
    TypeError naming the operation ``op``."""
    ### BEGIN SOLUTION 1.1: return x as a Scalar (a number becomes a new leaf); other types raise TypeError
    if isinstance(x, Scalar):
        return x
    if isinstance(x, numbers.Real):
        return Scalar(x)
    raise TypeError(f"Scalar {op} {type(x).__name__}: a Scalar combines only with numbers and Scalars.")
    ### END SOLUTION


# ------------------------------------------------------------------ checking derivatives numerically
def central_difference(f, *vals, arg=0, epsilon=1e-6):
    """df/dx_arg ~= (f(..., x_arg + epsilon, ...) - f(..., x_arg - epsilon, ...)) / (2 epsilon).

    ``f`` takes the plain numbers ``vals`` and returns a number or a Scalar (its ``data`` counts).
    The approximation's error shrinks like epsilon^2. A value that is not a real number, or a
    result that is neither, raises TypeError; an ``arg`` out of range IndexError; an
    ``epsilon`` <= 0 ValueError.
    """
    ### BEGIN SOLUTION 1.10: return the central difference of f in argument arg, after checking the arguments
    epsilon = checks.positive("central_difference", "epsilon", epsilon)
    vals = [checks.real("central_difference", f"vals[{k}]", v) for k, v in enumerate(vals)]
    arg = checks.integer("central_difference", "arg", arg)
    if not -len(vals) <= arg < len(vals):
        raise IndexError(
            f"central_difference: arg {arg} is out of range for {len(vals)} value(s); pass arg in "
            f"[{-len(vals)}, {len(vals) - 1}]."
        )
    up, down = list(vals), list(vals)
    up[arg] += epsilon
    down[arg] -= epsilon
    high, low = (r.data if isinstance(r, Scalar) else checks.real("central_difference", "f's result", r)
                 for r in (f(*up), f(*down)))
    return (high - low) / (2 * epsilon)
    ### END SOLUTION


def derivative_check(f, *scalars, epsilon=1e-6, rtol=1e-4, atol=1e-6):
    """Check ``backward``'s derivatives of ``f`` at ``scalars`` against central differences; True if they agree.

    ``f`` takes Scalars and returns a Scalar. Each input's ``grad`` is set to 0, then
    ``f(*scalars).backward()`` fills it with df/dx_k, which must satisfy
    |grad - numeric| <= atol + rtol |numeric| for the central difference ``numeric`` of f in
    argument k. Otherwise a RuntimeError (as ``torch.autograd.gradcheck``) names every argument
    that disagrees, its value and both derivatives. An input that is not a Scalar, or a result
    that is not one, raises TypeError; the same Scalar passed twice ValueError.
    """
    ### BEGIN SOLUTION 1.11: run backward once, compare each input's grad with its central difference, raise naming every mismatch
    for k, s in enumerate(scalars):
        if not isinstance(s, Scalar):
            raise TypeError(f"derivative_check: scalars[{k}] must be a Scalar, got {type(s).__name__}.")
    if len({id(s) for s in scalars}) != len(scalars):
        raise ValueError("derivative_check: pass each Scalar once (a repeated input mixes two derivatives).")
    for s in scalars:
        s.grad = 0.0
    out = f(*scalars)
    if not isinstance(out, Scalar):
        raise TypeError(f"derivative_check: f must return a Scalar, got {type(out).__name__}.")
    out.backward()
    values = [s.data for s in scalars]
    wrong = []
    for k, s in enumerate(scalars):
        numeric = central_difference(lambda *xs: f(*map(Scalar, xs)), *values, arg=k, epsilon=epsilon)
        if not abs(s.grad - numeric) <= atol + rtol * abs(numeric):
            wrong.append(f"argument {k} (value {values[k]:.6g}): backward gives {s.grad:.6g}, "
                         f"the central difference {numeric:.6g}")
    if wrong:
        raise RuntimeError(
            "derivative_check: backward's derivatives disagree with central differences for "
            + "; ".join(wrong) + ". Check the local_grads of the operations f uses and Scalar.backward."
        )
    return True
    ### END SOLUTION


def _box_text(node):
    parts = [node.label] if node.label else []
    return parts + [f"data {node.data:.4f}", f"grad {node.grad:.4f}"]


def _escape(text):
    """Backslash the characters that DOT's record labels treat specially."""
    for ch in '\\{}|<>"':
        text = text.replace(ch, "\\" + ch)
    return text


def _layout(order):
    """(x, y) for every node of a graph in topological ``order``, keyed by ``id``.

    Columns: an operation's result sits one column right of its rightmost input
    (longest path from a leaf); a leaf sits just left of its first user. Rows: from
    the output leftwards, each node goes to the mean height of the slots its users
    give it (a user's k inputs get k slots around the user's height), pushed down
    when it would overlap the node above it.
    """
    users = {id(node): [] for node in order}
    for node in order:
        for slot, child in enumerate(node.children):
            users[id(child)].append((node, slot))
    column = {}
    for node in order:  # children come first
        column[id(node)] = 1 + max((column[id(c)] for c in node.children), default=-1)
    for node in reversed(order):  # users come first
        if not node.children and users[id(node)]:
            column[id(node)] = min(column[id(u)] for u, _ in users[id(node)]) - 1
    position = {}
    for col in range(max(column.values()), min(column.values()) - 1, -1):
        wanted = []
        for node in order:
            if column[id(node)] == col:
                slots = [position[id(u)][1] + 0.75 * (len(u.children) - 1) - 1.5 * k for u, k in users[id(node)]]
                wanted.append((sum(slots) / len(slots) if slots else 0.0, node))
        wanted.sort(key=lambda pair: -pair[0])
        y_above = math.inf
        for y, node in wanted:
            y = min(y, y_above - 1.5)
            position[id(node)] = (3.0 * col, y)
            y_above = y
    return position


def _draw_with_matplotlib(root, filename):
    """Boxes for Scalars (orange: leaves), circles for operations, inputs on the left."""
    from matplotlib.figure import Figure  # no pyplot: leaves the user's backend alone

    order = root.topological_order()
    position = _layout(order)
    xs = [x for x, _ in position.values()]
    ys = [y for _, y in position.values()]
    fig = Figure(figsize=(0.9 * (max(xs) - min(xs)) + 2.5, 0.75 * (max(ys) - min(ys)) + 1.5))
    ax = fig.subplots()
    for node in order:
        x, y = position[id(node)]
        ax.text(x, y, "\n".join(_box_text(node)), ha="center", va="center", fontsize=8, zorder=3,
                bbox=dict(boxstyle="round", facecolor="#dbe9f6" if node.children else "#fde7c8"))
        if node.op:
            ox = x - 1.4
            ax.scatter([ox], [y], s=900, facecolor="white", edgecolor="black", zorder=3)
            ax.text(ox, y, node.op, ha="center", va="center", fontsize=8 if len(node.op) < 5 else 6, zorder=4)
            ax.plot([ox, x], [y, y], color="0.4", zorder=1)
            for child in node.children:  # the arrow's tail hides under the child's box
                ax.annotate("", xy=(ox, y), xytext=position[id(child)], zorder=1,
                            arrowprops=dict(arrowstyle="->", color="0.4", shrinkA=0, shrinkB=16))
    ax.set_xlim(min(xs) - 1.5, max(xs) + 1.0)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 0.9)
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(filename)
