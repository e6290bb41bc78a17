# %% [markdown]
# # Lesson 3: Tensors, strides and broadcasting
#
# In Lesson 2 a tensor was "an array with a computation graph". This lesson opens the
# array part. A tensor's numbers sit in one flat row of memory; its **shape** says how we
# look at them, and its **strides** say how to walk through memory to find each one. Many
# operations (transpose, slicing, broadcasting) only change the strides and copy nothing.
# Broadcasting in particular has a consequence for gradients that every framework must
# handle, and that minitorch checks for you.
#
# **Learning goals.** After this lesson you can
# - find any element of a tensor in memory from its shape and strides;
# - say why transpose, slicing and `expand` are free (views), and when reshape must copy;
# - predict the shape of a broadcast, or why it fails;
# - explain why a gradient must be summed back to its input's shape, and do it;
# - read minitorch's shape errors, in forward and in backward, and fix what they point at.
#
# **Time:** about 45 minutes. **Builds on:** Lesson 1 (several uses of a value add their
# gradients) and Lesson 2 (`minitorch.tensor`, `requires_grad`, `backward()`, `gradcheck`).

# %%
import os

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("03_tensors_and_broadcasting")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt

# %% [markdown]
# ## 1. Shape
#
# `minitorch.arange(n)` makes the numbers $0, 1, \dots, n-1$; `reshape` arranges them in
# rows and columns. A tensor's `shape` lists its size along each dimension; `ndim` counts
# the dimensions and `numel()` the elements. Other tools this lesson uses:
# `minitorch.zeros(3, 4)` (all zeros), `minitorch.randn(3, 4)` (random normal numbers;
# `minitorch.manual_seed(0)` makes them the same on every run), `t[i, j]` (indexing, as in
# numpy), `t.tolist()` (nested Python lists) and `t.T` (the transpose).

# %%
import numpy as np

import minitorch

t = minitorch.arange(12, dtype=minitorch.float32).reshape(3, 4)
print(t)
print("shape", t.shape, " ndim", t.ndim, " numel", t.numel())
assert t.shape == (3, 4) and t.numel() == 3 * 4

# %% [markdown]
# ## 2. Strides: where each element lives
#
# Memory is one long row of bytes. minitorch keeps a tensor's numbers in a numpy array
# (`t.numpy()` returns it, sharing the memory), and numpy records, for each dimension, how
# many bytes to step to reach the next index along it: the **strides**. Our float32 tensor
# has 4-byte elements, rows of 4 elements, so the strides are 16 bytes (next row) and 4
# bytes (next column). Element $[i, j]$ sits at
# $$\text{offset}(i, j) = i \cdot s_0 + j \cdot s_1 \quad \text{bytes from the start.}$$

# %%
a = t.numpy()
print("strides in bytes:", a.strides, "  element size:", a.itemsize, "bytes")
strides = tuple(s // a.itemsize for s in a.strides)
print("strides in elements:", strides)
assert a.strides == (16, 4) and strides == (4, 1)

# %% [markdown]
# Let us check the formula against memory itself. `a.ravel()` is the flat row of numbers in
# memory order (for this tensor it is a view of the same memory, not a copy):

# %%
memory = a.ravel()
assert np.shares_memory(memory, a)
for i in range(3):
    for j in range(4):
        assert memory[i * strides[0] + j * strides[1]] == t[i, j].item()
print("memory:", memory, "\nevery t[i, j] == memory[i*4 + j*1]")

# %% [markdown]
# ## 3. Transpose is a stride swap
#
# The transpose $t^\top$ has shape $(4, 3)$ and $t^\top[j, i] = t[i, j]$. Nothing needs to
# move: walk the *same* memory with the strides swapped, $(1, 4)$ elements instead of
# $(4, 1)$.

# %%
tT = t.T
aT = tT.numpy()
print("t.T shape", tT.shape, " strides", aT.strides, " same memory as t:", np.shares_memory(aT, a))
assert aT.strides == (4, 16) and np.shares_memory(aT, a)
assert all(memory[j * 1 + i * 4] == tT[j, i].item() for i in range(3) for j in range(4))

# %% [markdown]
# Because it is the same memory, writing into `t` changes what `t.T` shows. (Writing into a
# tensor with `t[i, j] = value` is allowed here because `t` does not require grad. On a
# tensor that requires grad minitorch refuses, outside `minitorch.no_grad()`, because
# backward may still need the old values.)

# %%
t[0, 1] = 100.0
print("after t[0, 1] = 100:  t.T[1, 0] =", tT[1, 0].item())
assert tT[1, 0].item() == 100.0
t[0, 1] = 1.0

# %% [markdown]
# A tensor whose rows lie one after another in memory, in order, is called **contiguous**
# (numpy says `C_CONTIGUOUS`). `t` is; `t.T` is not: reading `t.T` row by row jumps around
# in memory. The figure shows the offset of every element of both.

# %%
print("t contiguous:", a.flags["C_CONTIGUOUS"], "  t.T contiguous:", aT.flags["C_CONTIGUOUS"])
assert a.flags["C_CONTIGUOUS"] and not aT.flags["C_CONTIGUOUS"]

offsets = np.arange(12).reshape(3, 4)  # offset of t[i, j] in elements
fig, axes = plt.subplots(1, 3, figsize=(12, 3.2), gridspec_kw={"width_ratios": [4, 4, 3]})
panels = [(np.arange(12)[None, :], "memory: one row of 12 numbers"),
          (offsets, "t, shape (3, 4), strides (4, 1)"),
          (offsets.T, "t.T, shape (4, 3), strides (1, 4)")]
for ax, (grid, title) in zip(axes, panels):
    ax.imshow(grid, cmap="viridis", vmin=0, vmax=11)
    for (r, c), v in np.ndenumerate(grid):
        ax.text(c, r, str(v), ha="center", va="center", color="white" if v < 6 else "black")
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("Each cell shows the memory offset of that element (colour = offset)")
fig.tight_layout()
fig.savefig(os.path.join(OUT, "strides_and_transpose.png"))
show(fig)

# %% [markdown]
# ## 4. Slices are views too; reshape is a view only sometimes
#
# Taking every second column is also a stride change: step 2 elements (8 bytes) instead
# of 1. A row `t[1]` starts 4 elements into memory and keeps the column stride.

# %%
every_other = t[:, ::2]
row = t[1]
print("t[:, ::2] strides", every_other.numpy().strides, "  t[1] strides", row.numpy().strides)
assert every_other.numpy().strides == (16, 8) and np.shares_memory(every_other.numpy(), a)
# numpy's __array_interface__["data"][0] is the memory address of an array's first element
start = row.numpy().__array_interface__["data"][0] - a.__array_interface__["data"][0]
print("t[1] starts", start, "bytes into t's memory")
assert np.shares_memory(row.numpy(), a) and start == 4 * a.itemsize

# %% [markdown]
# `reshape` keeps the elements in the same order (row by row) and groups them differently.
# On a contiguous tensor that is always possible with new strides: $(3, 4) \to (2, 6)$
# gives strides $(6, 1)$, and no copy. But `t.T.reshape(12)` must list the elements in the
# order $t^\top$ reads them, $0, 4, 8, 1, 5, \dots$, and no single stride walks memory in
# that order. So reshape **copies** there.

# %%
r = t.reshape(2, 6)
flat_T = t.T.reshape(12)
print("t.reshape(2, 6): strides", r.numpy().strides, " shares memory:", np.shares_memory(r.numpy(), a))
print("t.T.reshape(12):", flat_T.numpy(), " shares memory:", np.shares_memory(flat_T.numpy(), a))
assert np.shares_memory(r.numpy(), a) and not np.shares_memory(flat_T.numpy(), a)
assert flat_T.tolist()[:4] == [0.0, 4.0, 8.0, 1.0]

# %% [markdown]
# Note for PyTorch users: PyTorch's `view` never copies and raises an error in the second
# case (you call `.contiguous()` first); minitorch's `view` is the same as `reshape` and
# copies when it must.
#
# ## 5. Broadcasting
#
# Adding a row of 4 numbers to each row of a $3 \times 4$ tensor is so common that it needs
# no loop: the row is **broadcast**, used as if it were repeated 3 times. `expand` shows
# how that repetition costs nothing: stride 0 along the new dimension, so every "row" reads
# the same 4 numbers.

# %%
bias = minitorch.tensor([10.0, 20.0, 30.0, 40.0])
stretched = bias.expand(3, 4)
print(stretched)
print("strides of the expanded bias:", stretched.numpy().strides)
assert stretched.numpy().strides == (0, 4)
print(t + bias)
assert (t + bias).tolist()[2] == [18.0, 29.0, 40.0, 51.0]

# %% [markdown]
# **The rule.** Line the two shapes up from the right. Going left, each pair of sizes must
# be equal, or one of them must be 1 (a missing dimension counts as 1). The result takes the
# larger size in each place; a size-1 (or missing) dimension is stretched to it.
#
# | shape A | shape B | result |
# |---|---|---|
# | (3, 4) | (4,) | (3, 4) |
# | (3, 1) | (1, 4) | (3, 4) |
# | (2, 1, 4) | (3, 1) | (2, 3, 4) |
# | (3, 4) | (3,) | error: 4 vs 3 |
#
# Here is the rule as code, checked against what minitorch does. When two shapes do not fit,
# minitorch raises `minitorch.ShapeError`, whose message names both shapes (section 8 says more
# about it):

# %%
def broadcast_shape(shape_a, shape_b):
    """The broadcast result of two shapes, or None if they do not fit."""
    n = max(len(shape_a), len(shape_b))
    a_ = (1,) * (n - len(shape_a)) + tuple(shape_a)  # pad with 1s on the left
    b_ = (1,) * (n - len(shape_b)) + tuple(shape_b)
    if any(p != q and 1 not in (p, q) for p, q in zip(a_, b_)):
        return None
    return tuple(max(p, q) for p, q in zip(a_, b_))


for shape_a, shape_b in [((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 1, 4), (3, 1)), ((3, 4), (3,))]:
    ours = broadcast_shape(shape_a, shape_b)
    try:
        engine = (minitorch.zeros(*shape_a) + minitorch.zeros(*shape_b)).shape
    except minitorch.ShapeError as error:
        engine, message = None, str(error)
    print(f"{str(shape_a):10} + {str(shape_b):7} -> ours {ours}, minitorch {engine}")
    assert ours == engine
print("the failing pair's error:", message)
assert "(3, 4) and (3,)" in message

# %% [markdown]
# The picture for $(3, 1) + (1, 4)$: each operand is stretched along its size-1 dimension
# (the pale cells are not stored anywhere: stride 0), then the two are added element by
# element.

# %%
column = minitorch.tensor([[0.0], [10.0], [20.0]])
row4 = minitorch.tensor([[1.0, 2.0, 3.0, 4.0]])
total = column + row4
assert total.shape == (3, 4) and total[2, 3].item() == 24.0


def draw_grid(ax, values, stored, title):
    """values: a (3, 4) array; stored: True where the value really is in memory."""
    for (r, c), v in np.ndenumerate(values):
        ax.add_patch(plt.Rectangle((c, -r), 1, 1, facecolor="tab:orange", alpha=1.0 if stored[r, c] else 0.25,
                                   edgecolor="black"))
        ax.text(c + 0.5, -r + 0.5, f"{v:g}", ha="center", va="center")
    ax.set_xlim(0, 4)
    ax.set_ylim(-2, 1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)


def stored_cells(view):
    """Along a stride-0 dimension only index 0 is really stored; the rest are repeats."""
    rows, cols = np.indices(view.shape)
    s0, s1 = view.strides
    return ((rows == 0) | (s0 != 0)) & ((cols == 0) | (s1 != 0))


fig, axes = plt.subplots(1, 3, figsize=(11, 3))
for ax, view, title in [(axes[0], column.expand(3, 4).numpy(), "column (3, 1), stretched to (3, 4)"),
                        (axes[1], row4.expand(3, 4).numpy(), "row (1, 4), stretched to (3, 4)"),
                        (axes[2], total.numpy(), "column + row: (3, 4)")]:
    draw_grid(ax, view, stored_cells(view), title)
fig.savefig(os.path.join(OUT, "broadcasting.png"))
show(fig)

# %% [markdown]
# ## 6. Gradients flow back through a broadcast by summing
#
# Take $y = x + b$ with $x$ of shape $(3, 4)$ and $b$ of shape $(4,)$, and a loss
# $L = \sum_{i,j} w_{ij}\, y_{ij}$ for some fixed weights $w$. Then
# $\partial L / \partial y_{ij} = w_{ij}$, and since $y_{ij} = x_{ij} + b_j$:
# $$\frac{\partial L}{\partial x_{ij}} = w_{ij}, \qquad
#   \frac{\partial L}{\partial b_j} = \sum_{i} w_{ij}.$$
# Each $b_j$ was *used 3 times*, once per row, and Lesson 1 taught us that the contributions
# of several uses add up. So the gradient arriving from $y$ has shape $(3, 4)$, but
# $b$'s gradient must be summed over the broadcast dimension, back to shape $(4,)$.

# %%
minitorch.manual_seed(0)
w = minitorch.randn(3, 4)
x = minitorch.randn(3, 4, requires_grad=True)
b = minitorch.zeros(4, requires_grad=True)
((x + b) * w).sum().backward()
print("b.grad:", b.grad, "  shape", b.grad.shape)
assert b.grad.shape == (4,) and np.allclose(b.grad.numpy(), w.numpy().sum(axis=0))
assert np.allclose(x.grad.numpy(), w.numpy())

# %% [markdown]
# The general recipe, called **unbroadcast**: given the gradient of the result and the
# input's shape, (1) sum over the leading dimensions the input did not have, then (2) sum,
# keeping the dimension, over every dimension where the input had size 1. You write it
# in lab 2 (task 2.1, `unbroadcast` in `minitorch/functions/_util.py`); this lesson calls it
# on numpy gradients and checks it against the engine's `.grad`.

# %%
from minitorch.functions._util import unbroadcast  # lab 2, task 2.1

for shape in [(4,), (3, 1), (1, 4), (1, 1), (3, 4)]:
    x = minitorch.randn(*shape, requires_grad=True)
    (x.expand(3, 4) * w).sum().backward()  # forward stretches x to (3, 4)
    ours = unbroadcast(w.numpy(), shape)
    print(f"input {str(shape):7}: gradient shape {x.grad.shape}")
    assert ours.shape == shape and np.allclose(ours, x.grad.numpy())

# %% [markdown]
# Every minitorch op that broadcasts (`+ - * / **`, `where`, ...) does exactly this in its
# backward, with this same `unbroadcast`.
#
# ## 7. Forgetting to sum: the engine's shape check
#
# When you write an op of your own, this step is easy to forget. To see what happens, we
# write an addition op ourselves. An op is a subclass of `minitorch.autograd.Op` with
# two static methods on raw numpy arrays:
#
# - `forward(ctx, a, b)` computes the result (`ctx` can store things for backward);
# - `backward(ctx, grad)` receives $\partial L / \partial(\text{result})$ and returns one
#   gradient per input of forward.
#
# `BrokenAdd.apply(x, b)` runs it on tensors and records it in the graph. Here is a version whose
# backward forgets to sum:

# %%
class BrokenAdd(minitorch.autograd.Op):
    @staticmethod
    def forward(ctx, a, b):
        return a + b  # numpy broadcasts b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad  # WRONG on purpose: b's gradient keeps the broadcast shape


x = minitorch.randn(3, 4, requires_grad=True)
b = minitorch.zeros(4, requires_grad=True)
try:
    (BrokenAdd.apply(x, b) * w).sum().backward()
    error_message = None
except minitorch.ShapeError as error:
    error_message = str(error)
print(error_message)
assert error_message is not None and "was a broadcast undone?" in error_message.lower()
assert "(3, 4)" in error_message and "(4,)" in error_message

# %% [markdown]
# After every backward step the engine compares each gradient's shape with its input's
# shape, and stops at the first mismatch with an error that names the op, the input, both
# shapes and the likely cause. Without that check the wrong $(3, 4)$ gradient would be
# stored as `b.grad`, and an optimizer would then quietly broadcast it into a wrong update
# (or fail much later, far from the bug).
#
# The fix is one call to `unbroadcast` per gradient, each back to its own input's shape:
# that is minitorch's own `Add` (`minitorch/functions/arithmetic.py`), whose backward you
# write in lab 2 (task 2.2). `gradcheck` (Lesson 2) confirms it on every broadcast:

# %%
from minitorch.testing import gradcheck

x64 = minitorch.randn(3, 4, dtype=minitorch.float64, requires_grad=True)
for shape in [(4,), (3, 1), (1,)]:
    b64 = minitorch.randn(*shape, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda x, b: x + b, (x64, b64))
print("x + b passes gradcheck for biases of shape (4,), (3, 1) and (1,)")

# %% [markdown]
# ## 8. Shape errors in forward: matrix products
#
# Broadcasting explains elementwise ops. The matrix product has its own rule:
# $(n, k) \mathbin{@} (k, m) \to (n, m)$; the inner sizes must match, because each output
# entry is a sum over $k$ products. When they do not, minitorch says which shapes, which
# sizes, and the usual fix.

# %%
A = minitorch.randn(2, 3)
B = minitorch.randn(2, 3)
try:
    A @ B
    matmul_message = None
except minitorch.ShapeError as error:
    matmul_message = str(error)
print(matmul_message)
assert matmul_message is not None and "(2, 3) and (2, 3)" in matmul_message and "transpose" in matmul_message
print("A @ B.T has shape", (A @ B.T).shape)
assert (A @ B.T).shape == (2, 2)

# %% [markdown]
# `minitorch.ShapeError` is both a `RuntimeError` (what PyTorch raises) and a `ValueError`,
# so `except RuntimeError` and `except ValueError` both catch it.
#
# ## Summary
#
# - A tensor is a flat block of memory plus a shape and strides; element $[i, j]$ is at
#   $i s_0 + j s_1$.
# - Transpose swaps strides, slicing scales them, `expand` and broadcasting use stride 0:
#   all views, no copies. Reshape is a view when the element order allows, else a copy.
# - Broadcasting: align shapes from the right; sizes must match or be 1.
# - Backward through a broadcast sums the gradient back to the input's shape (unbroadcast);
#   minitorch checks every gradient's shape and names the op that forgot.
#
# ## Exercises
#
# Exercises 1-5 have a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("3.3", MyMul)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **Strides in 3-D.** Predict the strides (in bytes) of `minitorch.zeros(2, 3, 4,
#    dtype=minitorch.float64)` and of its `.permute(2, 0, 1)` (a view with the dimensions
#    reordered: old dimension 2 first, then 0, then 1), then check with
#    `.numpy().strides`. *Hint:* the last dimension steps one element (8 bytes).
# 2. **Sliding windows without copying.** With `np.lib.stride_tricks.as_strided`, turn
#    `np.arange(8.0)` into the 6 windows of length 3, `[[0,1,2],[1,2,3],...]`, as a view.
#    *Hint:* both strides are 8 bytes. Lesson 7 builds convolution on this idea.
# 3. **A broadcasting multiply.** Write `MyMul(Op)` with backward
#    $\partial L/\partial a = \text{grad} \cdot b$ and $\partial L/\partial b = \text{grad} \cdot a$,
#    each unbroadcast, and `gradcheck` it with shapes $(3, 1)$ and $(1, 4)$. *Hint:* store
#    `a` and `b` with `ctx.save_for_backward(a, b)` and read them back from `ctx.saved_arrays`.
# 4. **Batched matmul.** What is the shape of `minitorch.randn(5, 2, 3) @ minitorch.randn(3, 4)`?
#    The second operand is broadcast over the batch of 5: what must its gradient be summed
#    over? Check with `backward()`. *Hint:* its gradient is a sum of 5 matrix products.
# 5. **Fix the bug.** `x.sum(dim=1) + c` with `x` of shape $(3, 4)$ and `c` of shape $(3, 1)$
#    runs but gives a $(3, 3)$ result (`sum(dim=1)` sums along dimension 1, one total per row).
#    Why? Fix it two ways. *Hint:* `keepdim=True` keeps the summed dimension with size 1, and
#    `c.squeeze(1)` removes `c`'s dimension of size 1.
