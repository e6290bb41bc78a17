# %% [markdown]
# # Lesson 1: Automatic differentiation, one number at a time
#
# A neural network learns by nudging each of its numbers (its *weights*) in the direction
# that makes its error smaller. To find that direction we need **derivatives**: how much
# the error changes when one weight changes a little. A network has thousands or billions
# of weights, so we need a machine that computes all these derivatives at once, exactly
# and quickly. That machine is called *automatic differentiation* (autograd), and in this
# lesson we look inside a small one, `minitorch.scalar.Scalar`, which works on single
# numbers. The real engine you will use from Lesson 2 on (`minitorch.Tensor`) works the
# same way, with arrays in place of numbers.
#
# **Learning goals.** After this lesson you can
# - estimate a derivative with a *central difference*, and say why it beats a one-sided one;
# - split a formula into a *computation graph*, draw it, and apply the *chain rule* along it;
# - explain why backpropagation visits the graph in *topological order* and *adds* (`+=`)
#   gradients, and show the wrong answers you get otherwise;
# - check any gradient against finite differences;
# - train a single neuron with gradient descent.
#
# **Time:** about 60 minutes. **Builds on:** Python, and derivatives from school (the slope
# of a curve, the product rule). No earlier lesson needed.

# %%
import os

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("01_scalar_autograd")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt

# %% [markdown]
# ## 1. A derivative is a slope, and we can measure it
#
# The derivative of $f$ at $x$ is the slope of the curve there:
# $$f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h}.$$
# A computer cannot take a limit, but it can try a small $h$. Two ways to do it:
#
# - **forward difference** $\dfrac{f(x+h) - f(x)}{h}$: Taylor's formula
#   $f(x+h) = f(x) + h f'(x) + \tfrac{h^2}{2} f''(x) + \dots$ shows that its error is about
#   $\tfrac{h}{2} f''(x)$, proportional to $h$;
# - **central difference** $\dfrac{f(x+h) - f(x-h)}{2h}$: subtracting the two Taylor
#   expansions cancels the $h^2$ terms, so the error is about $\tfrac{h^2}{6} f'''(x)$,
#   proportional to $h^2$, far smaller.
#
# Let us try both on $f(x) = x^3 - 2x$ at $x = 1.5$, where we know the answer:
# $f'(x) = 3x^2 - 2 = 4.75$. The forward difference is one line below; the central one is
# `minitorch.scalar.central_difference(f, *values, arg=0, epsilon=1e-6)`, which you write in
# lab 1 (task 1.10): the formula above in the argument `arg`, with its arguments checked.

# %%
from minitorch.scalar import central_difference


def f(x):
    return x**3 - 2 * x


def forward_difference(f, x, h):
    return (f(x + h) - f(x)) / h


x0, exact = 1.5, 3 * 1.5**2 - 2
for h in [1e-1, 1e-2, 1e-3]:
    fwd, cen = forward_difference(f, x0, h), central_difference(f, x0, epsilon=h)
    print(f"h={h:.0e}  forward {fwd:.8f} (error {abs(fwd - exact):.1e})   "
          f"central {cen:.8f} (error {abs(cen - exact):.1e})")

# %% [markdown]
# Every time $h$ shrinks 10 times, the forward error shrinks 10 times and the central error
# 100 times, just as Taylor's formula predicted. But $h$ cannot shrink forever: a float64
# holds about 16 significant digits, and $f(x+h) - f(x-h)$ subtracts two nearly equal
# numbers, so the rounding error of about $10^{-16} / h$ grows as $h$ shrinks. The plot
# shows both effects; a central difference is best near $h \approx 10^{-5}$ to $10^{-6}$.

# %%
hs = [10.0**-k for k in range(1, 14)]
forward_errors = [abs(forward_difference(f, x0, h) - exact) for h in hs]
central_errors = [abs(central_difference(f, x0, epsilon=h) - exact) + 1e-17 for h in hs]  # +1e-17: log scale
plt.figure(figsize=(6, 4))
plt.loglog(hs, forward_errors, "o-", label="forward difference")
plt.loglog(hs, central_errors, "s-", label="central difference")
plt.xlabel("step h")
plt.ylabel("|estimate - exact derivative|")
plt.title("Truncation error (right) vs rounding error (left)")
plt.legend()
plt.savefig(os.path.join(OUT, "difference_errors.png"))
show()

error = dict(zip(hs, central_errors))
assert error[1e-3] < 1e-5 and forward_errors[2] > 1e-3  # at h = 1e-3: central ~1e-6, forward ~5e-3
assert forward_errors[2] > 1000 * error[1e-3]  # so at h = 1e-3 central is over 1000x better
assert error[1e-12] > 100 * error[1e-5]  # too small an h: rounding error takes over
print("best central h:", min(error, key=error.get))
assert min(error, key=error.get) in (1e-5, 1e-6)  # the sweet spot the text names

# %% [markdown]
# ## 2. The chain rule on a tiny neuron
#
# A neuron multiplies its input $x$ by a weight $w$, adds a bias $b$ and squashes the result
# with $\tanh$:
# $$y = \tanh(w x + b).$$
# Split it into steps, each one simple enough to differentiate on its own:
# $$p = w \cdot x, \qquad z = p + b, \qquad y = \tanh(z).$$
# Each step has a **local derivative**: $\partial p / \partial w = x$,
# $\partial z / \partial p = 1$, $dy/dz = 1 - \tanh^2(z)$. The **chain rule** says that the
# derivative through a chain of steps is the product of the local derivatives along it:
# $$\frac{\partial y}{\partial w} = \frac{dy}{dz} \cdot \frac{\partial z}{\partial p}
#   \cdot \frac{\partial p}{\partial w} = (1 - \tanh^2 z) \cdot 1 \cdot x.$$

# %%
import math

x, w, b = 2.0, -0.5, 0.3
z = w * x + b
dy_dw = (1 - math.tanh(z) ** 2) * 1 * x
numeric = central_difference(lambda w_: math.tanh(w_ * x + b), w)
print(f"z = {z:.4f}   dy/dw by the chain rule = {dy_dw:.10f}   by central difference = {numeric:.10f}")
assert abs(dy_dw - numeric) < 1e-8

# %% [markdown]
# ## 3. A number that remembers where it came from: `Scalar`
#
# Doing this by hand for every weight of a network would be hopeless. Instead we let every
# number *record* the step that made it. `minitorch.scalar.Scalar` wraps a float in `.data`;
# each operation (`+ - * / **`, `-x`, `exp log tanh relu sigmoid`) returns a new Scalar that
# remembers
#
# - `children`: the Scalars it was computed from,
# - `op`: which operation it was,
# - `local_grads`: the local derivative with respect to each child, computed right away
#   during the forward pass (for `p = w * x` they are `(x, w)`).
#
# The Scalars and the operations between them form the **computation graph**. The optional
# second argument of `Scalar(2.0, "x")` is a `label`, a name shown when the graph is printed
# or drawn; a result gets one by assigning to `.label`.

# %%
from minitorch.scalar import Scalar

x, w, b = Scalar(2.0, "x"), Scalar(-0.5, "w"), Scalar(0.3, "b")
p = w * x
p.label = "p"
z = p + b
z.label = "z"
y = z.tanh()
y.label = "y"
print(y)
print("made by", repr(y.op), "from", y.children, "with local derivative", y.local_grads)
print("p was made by", repr(p.op), "with local derivatives", p.local_grads, "= (x, w)")
assert p.local_grads == (x.data, w.data)

# %% [markdown]
# The graph can be written as text in graphviz's **DOT** language: one box per Scalar
# (label, value, gradient), one ellipse per operation, and arrows from inputs to results.
# Paste it into any graphviz viewer, or let `draw_graph` render it: it uses the `dot`
# program when graphviz is installed and draws it with matplotlib otherwise.

# %%
dot_text = y.to_dot()
print(dot_text)
assert 'label="tanh"' in dot_text and 'label="*"' in dot_text and "{ x | data 2.0000" in dot_text
y.draw_graph(os.path.join(OUT, "neuron_graph_forward.png"))


def show_file(path):
    """`draw_graph` writes an image file: a notebook (and the book) also shows it below the cell."""
    if IN_NOTEBOOK:
        from IPython.display import Image, display

        display(Image(filename=path))


show_file(os.path.join(OUT, "neuron_graph_forward.png"))

# %% [markdown]
# ## 4. Backpropagation: the chain rule, run backwards
#
# We want $\partial y / \partial(\text{every Scalar})$; call that number the Scalar's
# **grad**. Start at the output: $\partial y / \partial y = 1$. Then walk the graph from the
# output back to the inputs; at each node, multiply the node's grad (the "upstream"
# derivative) by each local derivative and hand the product to that child:
# $$\text{child.grad} \mathrel{+}= \text{node.grad} \times \frac{\partial\,\text{node}}{\partial\,\text{child}}.$$
# Here it is by hand, one step at a time, on our neuron:

# %%
y.grad = 1.0
z.grad = y.grad * y.local_grads[0]  # dy/dz = 1 - tanh(z)^2
p.grad = z.grad * z.local_grads[0]  # dz/dp = 1
b.grad = z.grad * z.local_grads[1]  # dz/db = 1
w.grad = p.grad * p.local_grads[0]  # dp/dw = x
x.grad = p.grad * p.local_grads[1]  # dp/dx = w
by_hand = {s.label: s.grad for s in (w, x, b)}
print(by_hand)
assert abs(by_hand["w"] - dy_dw) < 1e-12  # the same number as section 2

# %% [markdown]
# `backward()` does exactly this for any graph: it lists the nodes so that every node comes
# after the nodes it was computed from (`topological_order()`), then walks that list backwards,
# passing each node's `grad` on to its children through the local derivatives. You write both in
# lab 1 (tasks 1.4 and 1.5, see `labs/README.md`); here we call them.

# %%
for s in (x, w, b):
    s.grad = 0.0  # leaves add to what they hold (more on that in section 6), so start from 0
y.backward()
print(x, w, b, sep="\n")
assert all(abs(s.grad - by_hand[s.label]) < 1e-15 for s in (x, w, b))
y.draw_graph(os.path.join(OUT, "neuron_graph_backward.png"))
show_file(os.path.join(OUT, "neuron_graph_backward.png"))

# %% [markdown]
# The drawing now shows every gradient. Read it from right to left: each box's grad is the
# grad of the box to its right times the local derivative of the operation in between.
#
# ## 5. Why a topological order?
#
# A node may be used by **several** later nodes. Its grad is then a sum of one contribution
# per use, and it may pass its grad on to its own children only once *all* those
# contributions have arrived. An order in which every node comes after all the nodes that
# use it is called a (reverse) **topological order**; `topological_order()` lists the
# inputs first and the output last, and `backward()` walks that list backwards.
#
# To see why the order matters, take $a = 2x$ and $\text{out} = a + e^{a}$: $a$ is used
# twice, once directly and once through $e^{a}$. The exact answer is
# $$\frac{d\,\text{out}}{dx} = \left(1 + e^{a}\right) \cdot 2.$$
# A tempting shortcut is to visit nodes "nearest to the output first" (breadth-first),
# each once: `out`, then its inputs $a$ and $e^a$, then $x$.

# %%
def diamond(x_value):
    x = Scalar(x_value, "x")
    a = x * 2
    a.label = "a"
    e = a.exp()
    e.label = "e^a"
    out = a + e
    out.label = "out"
    return x, out


# %% [markdown]
# Build the diamond and take the breadth-first steps by hand, as in section 4: `out` hands
# its grad to $a$ and to $e^a$; then $a$, the nearest, passes its grad on to $x$, before
# $e^a$ has had its turn. Then run the real `backward()` and compare both with the exact
# derivative:

# %%
x, out = diamond(0.5)
a, e = out.children
exact = (1 + math.exp(1.0)) * 2
a_grad = 1.0 * out.local_grads[0]  # out = a + e^a: the direct use of a
e_grad = 1.0 * out.local_grads[1]
wrong = a_grad * a.local_grads[0]  # breadth-first: a passes its grad on now, to x ...
a_grad += e_grad * e.local_grads[0]  # ... and e^a's share reaches a too late
right = a_grad * a.local_grads[0]  # what x gets when a waits for both shares
out.backward()
print(f"breadth-first: {wrong:.6f}   topological: {x.grad:.6f}   exact: {exact:.6f}")
print("topological order:", [n.label or n.op or f"{n.data:g}" for n in out.topological_order()])
assert abs(x.grad - exact) < 1e-12 and abs(right - exact) < 1e-12 and abs(wrong - exact) > 1
out.draw_graph(os.path.join(OUT, "diamond_graph.png"))
show_file(os.path.join(OUT, "diamond_graph.png"))

# %% [markdown]
# Breadth-first visited $a$ right after `out`, before $e^a$ had sent its contribution, so
# $a$ passed on only the "direct" part ($1 \cdot 2 = 2$) and the rest arrived too late.
# In the topological order $a$ comes after $e^a$, so its grad is complete when it is used.
#
# ## 6. Why `+=` and not `=`?
#
# The same reason, one level down: when a node is used twice, each use contributes, and the
# contributions must be **added**. The smallest example is $f(x) = x \cdot x$: both
# inputs of the product are $x$, each contributes $x$, and $f'(x) = 2x$. With `=` in place
# of `+=`, the second contribution overwrites the first:

# %%
x = Scalar(3.0)
y = x * x
contributions = [1.0 * local for local in y.local_grads]  # one per use of x: (3.0, 3.0)
wrong = contributions[-1]  # '=': only the last one is kept
(x * x).backward()
print(f"with '=': {wrong}    with '+=': {x.grad}    exact 2x = {2 * 3.0}")
assert wrong == 3.0 and x.grad == 6.0

# %% [markdown]
# This is not a rare corner case. In training, the loss is a sum over many examples, and
# every example uses the same weights: with `=` each weight would keep the gradient of only
# one example. The same adding also works *across* calls to `backward()`: a leaf (a Scalar
# you created yourself) adds each new gradient to what it already holds, as in PyTorch.
# That is why a training loop sets the grads back to zero before each `backward()`.

# %%
x = Scalar(3.0)
(x * x).backward()
(x * x).backward()
print("after two backward() calls without zeroing:", x.grad)
assert x.grad == 12.0  # 6 + 6

# %% [markdown]
# ## 7. Checking gradients
#
# A gradient formula is easy to get wrong and hard to spot by eye, so we always check it
# against a central difference (section 1), for every input of the formula:
# `minitorch.scalar.derivative_check(f, *scalars)` runs `backward()` once and compares each
# input's grad with the central difference of `f` in that input, as
# `torch.autograd.gradcheck` does for tensors. It returns True when every pair agrees
# ($|\text{grad} - \text{numeric}| \le 10^{-6} + 10^{-4} |\text{numeric}|$ by default), and
# otherwise raises an error naming each input that disagrees. You write it in lab 1 (task 1.11).

# %%
from minitorch.scalar import derivative_check


def messy(a, b, c):
    return ((a * b).tanh() + (c.log() - b) ** 2) / (1 + a.sigmoid()) + (b * c).exp() * 0.1 - a.relu()


assert derivative_check(messy, Scalar(0.7), Scalar(-1.3), Scalar(2.1))
print("messy: backward agrees with central differences for all three inputs")


def square_wrong(a):
    """WRONG on purpose: the local derivative of a^2 is 2a, not a."""
    return Scalar(a.data**2, children=(a,), local_grads=(a.data,), op="square")


try:
    derivative_check(square_wrong, Scalar(1.5))
    check_message = None
except RuntimeError as error:
    check_message = str(error)
print(check_message)
assert check_message is not None and "argument 0" in check_message

# %% [markdown]
# ## 8. Deep graphs: why the engine uses no recursion
#
# The natural way to write a topological sort is a recursive function ("first sort my
# children, then add me"). But Python allows only about 1000 nested calls, and a network
# unrolled over many steps can be far deeper. Here is a chain of multiplications three
# times deeper than that limit ($y = x \cdot 1.001^{n}$), first walked by a recursive
# function (the simplest one: the graph's depth, one nested call per level, as a recursive
# sort would make):

# %%
import sys


def depth_recursive(node):
    """The number of nodes on the longest path from node down to a leaf, by recursion."""
    return 1 + max((depth_recursive(child) for child in node.children), default=0)


depth = 3 * sys.getrecursionlimit()
x = Scalar(0.5)
y = x
for _ in range(depth):
    y = y * 1.001
try:
    depth_recursive(y)
    crashed = False
except RecursionError as e:
    crashed = True
    print(f"recursive walk: RecursionError ({e}); the limit is {sys.getrecursionlimit()}")
assert crashed

# %% [markdown]
# `Scalar.topological_order` keeps its own stack (a Python list) instead of nesting calls,
# so its depth is limited only by memory:

# %%
y.backward()
print(f"depth {depth}: dy/dx = {x.grad:.6f}, exact 1.001^{depth} = {1.001**depth:.6f}")
assert abs(x.grad - 1.001**depth) < 1e-9 * 1.001**depth

# %% [markdown]
# ## 9. Training a neuron
#
# Now we use all of this. Twenty points in the plane belong to two classes, $t = +1$ and
# $t = -1$. One neuron $y = \tanh(w_1 x_1 + w_2 x_2 + b)$ should output $+1$ on the first
# class and $-1$ on the second. We measure its error with the **mean squared error**
# $$L = \frac{1}{N} \sum_{i=1}^{N} \left(y_i - t_i\right)^2,$$
# and improve it by **gradient descent**: move each weight a small step $\eta$ (the
# *learning rate*) against its gradient, $w \leftarrow w - \eta\, \partial L / \partial w$,
# because the gradient points uphill.

# %%
import random

rng = random.Random(0)
points = []
for i in range(20):
    t = 1.0 if i % 2 == 0 else -1.0
    points.append((t + rng.gauss(0, 0.6), 0.5 * t + rng.gauss(0, 0.6), t))

w1, w2, b = Scalar(-0.5, "w1"), Scalar(-0.5, "w2"), Scalar(0.0, "b")  # pointing the wrong way
params = [w1, w2, b]


def loss_of(w1, w2, b):
    errors = [((w1 * x1 + w2 * x2 + b).tanh() - t) ** 2 for x1, x2, t in points]
    return sum(errors) / len(points)


def accuracy():
    return sum((w1.data * x1 + w2.data * x2 + b.data > 0) == (t > 0) for x1, x2, t in points) / len(points)


loss = loss_of(w1, w2, b)
print(f"start: loss {loss.data:.3f}, accuracy {accuracy():.0%}, graph of {len(loss.topological_order())} nodes")

# %% [markdown]
# Before trusting `backward()` on a new formula, check it (section 7), on copies of the
# weights (the check sets its inputs' grads):

# %%
assert derivative_check(loss_of, Scalar(w1.data), Scalar(w2.data), Scalar(b.data))
print("derivative_check of the loss: backward agrees with central differences")

# %% [markdown]
# The training loop: forward, zero the grads, backward, step.

# %%
steps = 60 if FAST else 200
learning_rate = 0.2
history = []
for step in range(steps):
    loss = loss_of(w1, w2, b)
    for p in params:
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= learning_rate * p.grad
    history.append(loss.data)
print(f"after {steps} steps: loss {history[-1]:.4f}, accuracy {accuracy():.0%}")
print("learned:", w1, w2, b, sep="\n  ")
assert history[-1] < (0.02 if FAST else 0.005)  # fast mode trains fewer steps, so a looser bound
assert history[-1] < history[0] / 50 and accuracy() == 1.0

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
ax1.semilogy(history)
ax1.set_xlabel("step")
ax1.set_ylabel("mean squared error")
ax1.set_title("Training loss")
for label, sign, style in [("t = +1", 1.0, "o"), ("t = -1", -1.0, "s")]:
    ax2.scatter([pt[0] for pt in points if pt[2] == sign], [pt[1] for pt in points if pt[2] == sign],
                marker=style, label=label)
xs = [-3.0, 3.0]
ax2.plot(xs, [-(w1.data * u + b.data) / w2.data for u in xs], "k--", label="w1 x1 + w2 x2 + b = 0")
ax2.set_xlim(-3, 3)
ax2.set_ylim(-3, 3)
ax2.legend()
ax2.set_title("The neuron's decision line")
fig.tight_layout()
fig.savefig(os.path.join(OUT, "neuron_training.png"))
show(fig)

# %% [markdown]
# ## What we built
#
# - Every operation stores its **local derivatives**; the **chain rule** multiplies them
#   along each path from the output to an input, and **adds** over the paths.
# - `backward()` visits the nodes in **reverse topological order** so each node's grad is
#   complete before it is passed on, and uses `+=` so that every use of a node counts.
# - A **central difference** checks any gradient to about 8 digits.
# - Gradient descent with these gradients trained a neuron.
#
# `minitorch.Tensor` (next lesson) is the same engine, with a numpy array in each node
# instead of one number, so one node can hold a whole layer.
#
# ## Exercises
#
# Exercises 1-5 have a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("1.5", estimate)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **Add `sin` and `cos`.** Write `sin(a)` as a function that returns
#    `Scalar(math.sin(a.data), children=(a,), local_grads=(...,), op="sin")` and check it
#    with `derivative_check`. *Hint:* $\frac{d}{da}\sin a = \cos a$.
# 2. **Powers with a Scalar exponent.** `x ** y` for a Scalar `y` raises an error. Write
#    it as $e^{y \ln x}$ with the operations we have, and check both gradients. *Hint:*
#    $\partial (x^y) / \partial y = x^y \ln x$; this only works for $x > 0$.
# 3. **XOR needs a hidden layer.** Label the four corners $(\pm 1, \pm 1)$ with
#    $t = x_1 x_2$. Show that one neuron cannot fit them (the loss stalls), then train
#    two tanh neurons feeding a third. *Hint:* start the weights at different small random
#    values, or the two hidden neurons stay identical forever.
# 4. **How big is the graph?** Print `len(loss_of(w1, w2, b).topological_order())` for 10, 20 and
#    40 points. How does it grow, and why? *Hint:* count the nodes one example adds.
# 5. **Second derivatives.** `backward()` gives $f'(x)$ as a plain number, so it cannot be
#    differentiated again. Estimate $f''(x)$ for $f(x) = x^3 - 2x$ at $1.5$ with a central
#    difference of `backward()` results, and compare with $6x$. *Hint:*
#    $f''(x) \approx (f'(x+h) - f'(x-h)) / 2h$, with $h$ about $10^{-4}$.
