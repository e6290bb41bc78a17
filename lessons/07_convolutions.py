# %% [markdown]
# # Lesson 7: Convolutions, from loops to one matrix product
#
# An image classifier should find a stroke or an edge wherever it appears in the
# picture. A fully connected layer cannot do that cheaply: it learns a separate
# weight for every pixel. A **convolution** slides one small set of weights (a
# *kernel*, or *filter*) over the whole image, so the same detector is applied at
# every position. This lesson builds convolution three times, each faster than
# the last, then trains the seed's `SimpleCNN` on real MNIST digits.
#
# **Learning goals**
# - compute a 2-D convolution with plain loops, and predict its output size from
#   the kernel size, the stride and the padding;
# - rewrite it as *im2col* (every window becomes a column) followed by **one**
#   matrix product, and see why that is what frameworks actually run;
# - explain max and average pooling, and where the gradient of max-pooling goes;
# - trace the shapes through the seed's `SimpleCNN`, find its flattening bug
#   (`64*6*6` should be `64*5*5`), then train it and look at what it learned.
#
# **Time:** about 60 minutes. **Builds on:** lessons 1-6 (autograd, tensors and
# broadcasting, cross-entropy, Adam, `nn.Sequential`, `DataLoader`, `metrics`,
# `gradcheck`).
#
# **New API in this lesson:** `F.conv2d`, `F.unfold`, `F.max_pool2d`,
# `F.avg_pool2d`, `nn.Conv2d`, `nn.MaxPool2d`, models as `nn.Module` subclasses,
# `minitorch.data.MNIST`, `Subset`, `minitorch.randperm`, `Tensor.unsqueeze`.

# %%
import os
import time

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("07_convolutions")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt
import numpy as np

import minitorch
import minitorch.nn.functional as F
from minitorch import nn
from minitorch.data import MNIST, DataLoader, Subset
from minitorch.testing import gradcheck

minitorch.manual_seed(0)
print("fast mode" if FAST else "full mode", "- figures go to", OUT)

# %% [markdown]
# ## 1. What a convolution computes
#
# Images come in the **NCHW** layout: a batch of $N$ images, each with $C$
# channels (1 for grey, 3 for colour) of $H \times W$ pixels. A convolution layer
# has $C_{out}$ kernels, each of shape $C \times k \times k$, and a bias per
# kernel. Output channel $o$ at position $(p, q)$ is the dot product of kernel $o$
# with the window of the input whose top-left corner is at $(p s, q s)$:
#
# $$ y[n, o, p, q] = b[o] + \sum_{c=0}^{C-1} \sum_{i=0}^{k-1} \sum_{j=0}^{k-1}
#    W[o, c, i, j]\; x[n, c,\; p s + i,\; q s + j] $$
#
# where $s$ is the **stride** (how far the window jumps). (Mathematicians would
# flip the kernel and call this a *cross-correlation*; deep-learning libraries all
# skip the flip, since the kernel is learned anyway.)
#
# **Padding** $P$ adds $P$ rows and columns of zeros around the image first.
# The window must fit inside the padded image, which gives the output size
#
# $$ H_{out} = \left\lfloor \frac{H + 2P - k}{s} \right\rfloor + 1 . $$
#
# Here is that formula written out literally, four nested loops over
# (image, output channel, row, column), in plain numpy:

# %%
def conv2d_loops(x, w, b, stride=1, padding=0):
    """y[n, o, p, q] = b[o] + sum_{c,i,j} w[o, c, i, j] * x_pad[n, c, p*stride + i, q*stride + j]."""
    N, C, H, W = x.shape
    C_out, _, k, _ = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    H_out = (H + 2 * padding - k) // stride + 1
    W_out = (W + 2 * padding - k) // stride + 1
    y = np.zeros((N, C_out, H_out, W_out))
    for n in range(N):
        for o in range(C_out):
            for p in range(H_out):
                for q in range(W_out):
                    window = x_pad[n, :, p * stride:p * stride + k, q * stride:q * stride + k]
                    y[n, o, p, q] = b[o] + np.sum(w[o] * window)
    return y

# %% [markdown]
# A first check on a case we can do in our heads: a 1-channel 5x5 image that is
# dark on the left and bright on the right, and a 3x3 kernel that subtracts the
# left column from the right column. It is a *vertical edge detector*: it answers
# 0 on flat regions and a large number where brightness jumps from left to right.

# %%
image = np.array([[0, 0, 1, 1, 1]] * 5, dtype=np.float64).reshape(1, 1, 5, 5)
edge = np.array([[-1, 0, 1]] * 3, dtype=np.float64).reshape(1, 1, 3, 3)
y = conv2d_loops(image, edge, b=np.zeros(1))
print("image:\n", image[0, 0])
print("output (5 - 3 + 1 = 3 by 3):\n", y[0, 0])
# The window at column 0 covers columns 0..2: right column (1) minus left column (0), three rows -> 3.
assert y.shape == (1, 1, 3, 3)
assert np.array_equal(y[0, 0], [[3, 3, 0]] * 3)

# %% [markdown]
# Each output value is "how much the window looks like the kernel". The edge is
# found in the first two columns of output, the flat bright area gives 0.
#
# Now the same computation with minitorch's `F.conv2d(input, weight, bias,
# stride, padding)` (PyTorch's signature), on random data with several channels,
# for three settings of stride and padding. All must agree with our loops.

# %%
rng = np.random.default_rng(0)
x_np = rng.standard_normal((2, 3, 7, 7))     # N=2 images, C=3 channels, 7x7
w_np = rng.standard_normal((4, 3, 3, 3))     # C_out=4 kernels of 3x3 over 3 channels
b_np = rng.standard_normal(4)
x, w, b = (minitorch.tensor(a, dtype=minitorch.float64) for a in (x_np, w_np, b_np))

for stride, padding in [(1, 0), (2, 0), (2, 1)]:
    ours = conv2d_loops(x_np, w_np, b_np, stride, padding)
    theirs = F.conv2d(x, w, b, stride=stride, padding=padding)
    H_out = (7 + 2 * padding - 3) // stride + 1
    print(f"stride={stride} padding={padding}: output {tuple(theirs.shape)}, "
          f"max difference {np.abs(ours - theirs.numpy()).max():.1e}")
    assert theirs.shape == (2, 4, H_out, H_out)
    assert np.allclose(ours, theirs.numpy(), atol=1e-12)

# %% [markdown]
# ## 2. im2col: every window becomes a column
#
# The loops do the same thing many times: take a window, multiply it elementwise
# by a kernel, add up. A dot product between a window and a kernel is exactly one
# entry of a matrix product, if we lay the windows out as columns:
#
# - **im2col** ("image to columns") copies each $C \times k \times k$ window,
#   flattened, into one column of a matrix `cols` of shape
#   $(C k^2,\; H_{out} W_{out})$;
# - the kernels, each flattened the same way, are the rows of a matrix of shape
#   $(C_{out},\; C k^2)$;
# - then **one** product `W_rows @ cols` gives every output value at once, shape
#   $(C_{out},\; H_{out} W_{out})$, which we reshape to $(C_{out}, H_{out}, W_{out})$.
#
# minitorch's im2col is `F.unfold(input, kernel_size, dilation, padding, stride)`
# (PyTorch's name): it returns $(N,\; C k^2,\; L)$ with $L = H_{out} W_{out}$
# windows per image. Look at the columns of a tiny 4x4 image holding the numbers
# 0 to 15, with a 2x2 window:

# %%
tiny = minitorch.arange(16.0).reshape(1, 1, 4, 4)
print(tiny[0, 0].numpy())
cols = F.unfold(tiny, kernel_size=2)
print("unfold ->", tuple(cols.shape), "= (N, C*k*k, number of windows)")
print(cols[0].numpy())
# Column 0 is the top-left window [[0, 1], [4, 5]], read row by row; column 1 moves one step right.
assert cols.shape == (1, 4, 9)
assert cols[0, :, 0].tolist() == [0, 1, 4, 5] and cols[0, :, 1].tolist() == [1, 2, 5, 6]

# %% [markdown]
# Each pixel appears in up to four columns (the windows overlap), so `cols` is
# bigger than the image: im2col trades memory for speed. Now the convolution as
# one matrix product. The weight $(C_{out}, C, k, k)$ reshaped to
# $(C_{out}, C k^2)$ multiplies the columns of every image: matmul broadcasts
# over the batch, $(C_{out}, Ck^2) @ (N, Ck^2, L) \to (N, C_{out}, L)$.

# %%
### BEGIN REFERENCE 4.7: conv2d as F.unfold, one matrix product with the flattened kernels and a reshape
def conv2d_im2col(x, w, b, stride=1, padding=0):
    """F.unfold, then ONE matrix product with the flattened kernels, then reshape to NCHW."""
    N, C, H, W = x.shape
    C_out, _, k, _ = w.shape
    H_out = (H + 2 * padding - k) // stride + 1
    W_out = (W + 2 * padding - k) // stride + 1
    cols = F.unfold(x, k, padding=padding, stride=stride)    # (N, C*k*k, L)
    y = w.reshape(C_out, C * k * k) @ cols                   # (N, C_out, L)
    return y.reshape(N, C_out, H_out, W_out) + b.reshape(1, C_out, 1, 1)
### STUDENT
# def conv2d_im2col(x, w, b, stride=1, padding=0):
#     """F.unfold, then ONE matrix product with the flattened kernels, then reshape to NCHW:
#     your F.conv2d (task 4.7) does exactly this."""
#     return F.conv2d(x, w, b, stride=stride, padding=padding)
### END REFERENCE


for stride, padding in [(1, 0), (2, 0), (2, 1)]:
    ours = conv2d_im2col(x, w, b, stride, padding)
    assert np.allclose(ours.numpy(), conv2d_loops(x_np, w_np, b_np, stride, padding), atol=1e-12)
    assert np.allclose(ours.numpy(), F.conv2d(x, w, b, stride=stride, padding=padding).numpy(), atol=1e-12)
print("loops, im2col + matmul and F.conv2d agree on all three settings")

# %% [markdown]
# This is how `F.conv2d` works inside (read `minitorch/functions/conv.py`): its
# im2col puts the whole batch into one matrix, $(C k^2,\; N L)$, so a single call
# to the matrix-multiply routine (BLAS on a CPU, our CUDA kernel on a GPU) does all
# the arithmetic. Since our `conv2d_im2col` is built from engine ops, autograd can
# also differentiate it; `gradcheck` compares its gradients with finite differences:

# %%
xs = minitorch.randn(2, 2, 5, 5, dtype=minitorch.float64, requires_grad=True)
ws = minitorch.randn(3, 2, 3, 3, dtype=minitorch.float64, requires_grad=True)
bs = minitorch.randn(3, dtype=minitorch.float64, requires_grad=True)
assert gradcheck(lambda x, w, b: conv2d_im2col(x, w, b, stride=2, padding=1), (xs, ws, bs))
print("gradcheck passed: the backward of unfold (col2im) and of matmul give the right gradients")

# %% [markdown]
# How much faster is one matrix product than four Python loops? The comparison
# mixes two things: the loops run the Python interpreter (and a small numpy call)
# once per output number, while the matrix product runs compiled, tuned code (BLAS).
# To tell them apart we time a third version in between, with no Python loop over
# pixels and no matrix product: one whole-array numpy operation per kernel position
# $(i, j)$, $k^2 = 9$ in all, each adding $w[:, :, i, j]$ times a shifted copy of the images.

# %%
def conv2d_shifts(x, w, b):
    """y = b + sum over kernel positions (i, j) of w[:, :, i, j] times the image shifted by (i, j)."""
    N, C, H, W = x.shape
    C_out, _, k, _ = w.shape
    H_out, W_out = H - k + 1, W - k + 1
    y = np.zeros((N, C_out, H_out, W_out)) + b[:, None, None]
    for i in range(k):
        for j in range(k):   # (N, 1, C, H_out, W_out) * (1, C_out, C, 1, 1), summed over C
            y += (x[:, None, :, i:i + H_out, j:j + W_out] * w[None, :, :, i, j, None, None]).sum(axis=2)
    return y


def best_time(run, repeats=5):
    """The best of `repeats` runs: a single run of a few ms is easily disturbed."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


xb = rng.standard_normal((8, 1, 28, 28))   # a batch of 8 MNIST-sized images and 8 kernels
wb = rng.standard_normal((8, 1, 3, 3))
bb = np.zeros(8)
xt, wt, bt = (minitorch.tensor(a, dtype=minitorch.float64) for a in (xb, wb, bb))
t_loops, slow = best_time(lambda: conv2d_loops(xb, wb, bb), repeats=1)
t_shifts, shifted = best_time(lambda: conv2d_shifts(xb, wb, bb))
t_matmul, fast = best_time(lambda: conv2d_im2col(xt, wt, bt))
print(f"loops: {t_loops * 1000:.0f} ms   9 numpy operations: {t_shifts * 1000:.2f} ms   "
      f"im2col + matmul: {t_matmul * 1000:.2f} ms")
print(f"speed-up {t_loops / t_matmul:.0f}x in all = {t_loops / t_shifts:.0f}x from leaving the interpreter "
      f"x {t_shifts / t_matmul:.1f}x from im2col + one matrix product")
assert np.allclose(slow, shifted) and np.allclose(slow, fast.numpy())
assert t_loops > 100 * t_shifts                            # the interpreter is the big cost...
assert t_loops / t_shifts > 10 * max(1.0, t_shifts / t_matmul)   # ...by far the larger part of the speed-up

# %% [markdown]
# Almost all of the speed-up comes from not running Python once per output number:
# the 9 whole-array operations already do that. im2col's own share, turning the
# work into one matrix product, is small on a problem this small (one input
# channel, 8 kernels: each dot product has only 9 terms). It grows with the
# channels, since the product's inner dimension is $C k^2$, and it is what lets
# one call to a tuned library (BLAS on a CPU, a CUDA kernel on a GPU) do all the
# work, forward and backward.

# %% [markdown]
# ## 3. What convolution kernels see
#
# A kernel answers strongly where the image looks like it. Here are two
# hand-made edge detectors (the *Sobel* kernels) applied to a real digit from the
# shipped MNIST subset. `MNIST()` (no folder given) loads 4,000 training and 1,000
# test digits that ship with minitorch: images $(1, 28, 28)$ with pixels in
# $[0, 1]$, and their labels.

# %%
train_set, test_set = MNIST(train=True), MNIST(train=False)
digit, label = train_set[0]
print(f"{len(train_set)} training and {len(test_set)} test images; the first is a {label.item()}, "
      f"shape {tuple(digit.shape)}")

sobel = minitorch.tensor([[[[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]],     # vertical edges
                          [[[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]]]])   # horizontal edges
# unsqueeze(0) adds a batch dimension of size 1 in front: (1, 28, 28) -> (1, 1, 28, 28)
edges = F.conv2d(digit.unsqueeze(0), sobel, padding=1)   # padding 1 keeps 28x28
print("edge maps:", tuple(edges.shape))
assert edges.shape == (1, 2, 28, 28)
# A flat region (the blank border of the image) gives exactly 0.
assert edges[0, :, :3, :3].abs().max().item() == 0.0

fig, axes = plt.subplots(1, 3, figsize=(9, 3))
panels = [(digit[0], "digit"), (edges[0, 0], "vertical-edge kernel"), (edges[0, 1], "horizontal-edge kernel")]
for ax, (img, title) in zip(axes, panels):
    ax.imshow(img.numpy(), cmap="gray" if title == "digit" else "RdBu_r")
    ax.set_title(title)
    ax.axis("off")
plt.tight_layout()
plt.savefig(os.path.join(OUT, "sobel_edges.png"))
show()

# %% [markdown]
# In `sobel_edges.png`, red marks a change from dark to bright (left to right, or
# top to bottom) and blue the opposite change; white is "no edge". A CNN *learns* its
# kernels instead of being given them. Section 7 shows that the learned ones do not
# look like these tidy filters at all, and what they do instead.
#
# ## 4. Pooling
#
# After a convolution, a **pooling** layer shrinks each feature map, usually by 2
# in each direction, by summarising each $2 \times 2$ window in one number:
#
# - **max pooling**: $y[p, q] = \max_{i, j} x[2p + i, 2q + j]$ keeps the strongest
#   response ("was the feature anywhere in this window?");
# - **average pooling**: $y[p, q] = \frac{1}{4}\sum_{i, j} x[2p + i, 2q + j]$.
#
# Pooling has no weights. It makes the maps 4x smaller (so later layers cost
# less) and makes the answer a little insensitive to small shifts.

# %%
a = minitorch.tensor([[1.0, 2.0, 5.0, 0.0],
                      [3.0, 4.0, 1.0, 1.0],
                      [0.0, 0.0, 2.0, 2.0],
                      [9.0, 0.0, 2.0, 6.0]]).reshape(1, 1, 4, 4)
mx = F.max_pool2d(a, kernel_size=2)
av = F.avg_pool2d(a, kernel_size=2)
print("max pooling:\n", mx[0, 0].numpy())
print("average pooling:\n", av[0, 0].numpy())
assert mx[0, 0].tolist() == [[4.0, 5.0], [9.0, 6.0]]
assert av[0, 0].tolist() == [[2.5, 1.75], [2.25, 3.0]]

# %% [markdown]
# **Where does the gradient of max-pooling go?** Inside one window,
# $y = \max(x_1, \dots, x_4)$ depends only on the largest element: nudging any
# other element does not change $y$ at all. So $\partial y / \partial x_i$ is 1 for
# the winner and 0 for the rest, and backward *routes* the incoming gradient to
# the position of each window's maximum. Average pooling instead shares it out
# equally: each of the 4 elements gets $\frac14$ of it.

# %%
a.requires_grad_()
upstream = minitorch.tensor([[10.0, 20.0], [30.0, 40.0]]).reshape(1, 1, 2, 2)   # dL/dy, one per window
(F.max_pool2d(a, 2) * upstream).sum().backward()
print("dL/dx through max pooling:\n", a.grad[0, 0].numpy())
assert a.grad[0, 0].tolist() == [[0, 0, 20, 0],
                                 [0, 10, 0, 0],
                                 [0, 0, 0, 0],
                                 [30, 0, 0, 40]]

a.grad = None
(F.avg_pool2d(a, 2) * upstream).sum().backward()
print("dL/dx through average pooling:\n", a.grad[0, 0].numpy())
assert np.allclose(a.grad[0, 0].numpy(), np.kron([[10, 20], [30, 40]], np.ones((2, 2))) / 4)

# %% [markdown]
# `return_indices=True` makes max pooling also report where each maximum was
# (the flat index $h \cdot W + w$ in the 4x4 input): those are exactly the
# places that received a gradient.

# %%
_, where = F.max_pool2d(a.detach(), 2, return_indices=True)
print("argmax positions:", where[0, 0].tolist())
assert where[0, 0].tolist() == [[5, 2], [12, 15]]       # (1,1)=4, (0,2)=5, (3,0)=9, (3,3)=6

# %% [markdown]
# And the small shift-insensitivity: a single bright pixel anywhere inside the
# same 2x2 window gives the same max-pooled output.

# %%
spike_a = minitorch.zeros(1, 1, 4, 4)
spike_b = minitorch.zeros(1, 1, 4, 4)
spike_a[0, 0, 0, 0] = 1.0
spike_b[0, 0, 1, 1] = 1.0                     # moved one pixel down and right
assert F.max_pool2d(spike_a, 2).tolist() == F.max_pool2d(spike_b, 2).tolist()
print("a feature moved within its window leaves the max-pooled map unchanged")

# %% [markdown]
# ## 5. The seed's SimpleCNN, and its shape bug
#
# Seed 002 trains this model on MNIST (in PyTorch; it runs unchanged in minitorch):
#
# ```python
# self.conv1 = nn.Conv2d(1, 32, 3, 1)
# self.conv2 = nn.Conv2d(32, 64, 3, 1)
# self.fc1 = nn.Linear(64 * 6 * 6, 128)
# ...
# x = self.pool(self.relu(self.conv1(x)))
# x = self.pool(self.relu(self.conv2(x)))
# x = x.view(-1, 64 * 6 * 6)
# ```
#
# Let us follow a batch of 28x28 images through the layers, using the output-size
# formula: a 3x3 convolution without padding loses 2 pixels ($28 \to 26$), a 2x2
# max-pool halves, rounding down ($26 \to 13$); then $13 \to 11 \to 5$ (11/2 = 5.5,
# and the last odd row and column are dropped). The layers are the modules behind the
# functions above: `nn.Conv2d(in_channels, out_channels, kernel_size, stride)` holds a learned
# weight $(C_{out}, C, k, k)$ and bias and calls `F.conv2d`; `nn.MaxPool2d(kernel_size, stride)`
# calls `F.max_pool2d`.

# %%
conv1, conv2, pool = nn.Conv2d(1, 32, 3, 1), nn.Conv2d(32, 64, 3, 1), nn.MaxPool2d(2, 2)


def trace(x):
    print("input          ", tuple(x.shape))
    x = conv1(x)
    print("conv1 (3x3)    ", tuple(x.shape))
    x = pool(x.relu())
    print("relu, pool     ", tuple(x.shape))
    x = conv2(x)
    print("conv2 (3x3)    ", tuple(x.shape))
    x = pool(x.relu())
    print("relu, pool     ", tuple(x.shape))
    return x


with minitorch.no_grad():
    features = trace(minitorch.zeros(64, 1, 28, 28))
assert features.shape == (64, 64, 5, 5)      # 64 * 5 * 5 = 1600 features per image, not 64 * 6 * 6 = 2304

# %% [markdown]
# Each image gives $64 \cdot 5 \cdot 5 = 1600$ numbers, not $64 \cdot 6 \cdot 6 =
# 2304$. (The seed's numbers fit **32x32** images, as in CIFAR-10:
# $32 \to 30 \to 15 \to 13 \to 6$; the code was probably adapted from such an
# example.) What does `view(-1, 2304)` do with our batch? `-1` tells view to work
# out the first size from the total: $64 \cdot 1600 = 102400$ numbers, which is not
# a multiple of 2304, so it fails:

# %%
try:
    features.view(-1, 64 * 6 * 6)
    raise AssertionError("expected an error")
except minitorch.ShapeError as error:
    print("ShapeError:", error)

# %% [markdown]
# Worse, for some batch sizes it does **not** fail. With 36 images there are
# $36 \cdot 1600 = 57600 = 25 \cdot 2304$ numbers, so `view` happily returns 25
# "images" made of pieces of different real images. The error only shows up later,
# as 25 predictions against 36 labels, far from its cause:

# %%
wrong = features[:36].view(-1, 64 * 6 * 6)
print("36 images became", tuple(wrong.shape))
assert wrong.shape == (25, 2304)

# %% [markdown]
# The fix is to let the layer sizes follow from the input (`fc1 = nn.Linear(64 * 5 *
# 5, 128)`) and to flatten with `x.flatten(1)`, which keeps dimension 0 (the batch)
# and merges the rest: it can never mix images.
#
# The seed writes its model as a class, as PyTorch code usually does: a subclass of
# `nn.Module` whose `__init__` (after `super().__init__()`) stores its layers as
# attributes, which registers their parameters, and whose `forward(x)` computes the
# output. Calling `model(x)` runs `forward`, and `model.parameters()` finds the
# parameters of every layer stored in it. Corrected, it is `SimpleCNN` of
# `minitorch.examples.cnn`, which you write in lab 4 (task 4.11): `conv1` (1 -> 32),
# ReLU, 2x2 max-pool, `conv2` (32 -> 64), ReLU, max-pool, `flatten(1)`, `fc1` (1600 -> 128),
# ReLU, `fc2` (128 -> 10 logits).

# %%
print("flatten(1):", tuple(features.flatten(1).shape))
assert features.flatten(1).shape == (64, 1600)

from minitorch.examples.cnn import SimpleCNN  # lab 4, task 4.11

model = SimpleCNN()  # the seed's sizes: channels=(32, 64), hidden=128, no batch norm
print(model)
for name, p in model.named_parameters():
    print(f"{name:14s} {str(tuple(p.shape)):18s} {p.numel():7d}")
n_params = sum(p.numel() for p in model.parameters())
print("total", n_params)
assert n_params == (32 * 9 + 32) + (64 * 32 * 9 + 64) + (1600 * 128 + 128) + (128 * 10 + 10)

# %% [markdown]
# Notice where the parameters are: the two convolutions together have fewer than
# 19,000 weights (each kernel is reused at every position), while `fc1` has over
# 200,000. Weight sharing is what makes convolutions cheap.
#
# ## 6. Training it on MNIST
#
# Standard recipe from lesson 6: mini-batches, cross-entropy, Adam with the
# seed's learning rate of 0.001. In fast mode we train on a few hundred images
# for one epoch; in full mode on all 4,000 training images for five epochs.
# (`DataLoader(shuffle=True)` mixes the digits in every epoch, which matters: the
# shipped set is stored sorted by digit.)

# %%
print("the first labels:", train_set.targets[:12].tolist(), "... the set is sorted by digit")   # .targets: all labels
if FAST:
    # The first 800 images would all be 0s and 1s: take 800 at random instead.
    # minitorch.randperm(n) is a random order of 0..n-1; Subset(dataset, indices) keeps those items.
    train_data = Subset(train_set, minitorch.randperm(len(train_set))[:800].tolist())
    test_data = Subset(test_set, list(range(0, 1000, 2)))    # every other one: 50 of each digit
    epochs = 1
else:
    train_data, test_data, epochs = train_set, test_set, 5
loader = DataLoader(train_data, batch_size=32, shuffle=True)
optimizer = minitorch.optim.Adam(model.parameters(), lr=1e-3)
initial_filters = model.conv1.weight.detach().numpy().copy()

losses = []
start = time.perf_counter()
for epoch in range(epochs):
    for images, labels in loader:
        loss = F.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    print(f"epoch {epoch + 1}: mean loss {np.mean(losses[-len(loader):]):.3f}")   # len(loader): batches per epoch
print(f"{len(losses)} steps in {time.perf_counter() - start:.1f} s")

# %%
def evaluate(model, dataset):
    """Accuracy on ``dataset``, in eval mode and without building a graph."""
    model.eval()
    predictions, targets = [], []
    with minitorch.no_grad():
        for images, labels in DataLoader(dataset, batch_size=250):
            predictions.append(model(images).argmax(dim=1).numpy())
            targets.append(labels.numpy())
    model.train()
    return minitorch.metrics.accuracy(np.concatenate(predictions), np.concatenate(targets))


test_accuracy = evaluate(model, test_data)
print(f"test accuracy: {test_accuracy:.1%} (chance is 10%)")
# Fast mode (800 images, one epoch) reaches about 65%: we only ask for 3x chance there; full mode 95%+.
assert test_accuracy > (0.3 if FAST else 0.95)
assert np.mean(losses[-5:]) < np.mean(losses[:5])     # and the loss fell during training

plt.figure(figsize=(6, 3.5))
plt.plot(losses, alpha=0.5, label="per batch")
window = 10
plt.plot(np.arange(window - 1, len(losses)), np.convolve(losses, np.ones(window) / window, "valid"),
         label=f"mean of {window}")
plt.xlabel("step")
plt.ylabel("cross-entropy")
plt.title(f"SimpleCNN on MNIST: test accuracy {test_accuracy:.1%}")
plt.legend()
plt.tight_layout()
plt.savefig(os.path.join(OUT, "training_loss.png"))
show()

# %% [markdown]
# The seed reports 98% after 10 epochs on the full 60,000 images. (Its code as
# printed could not have produced that run: with its batch size of 64 the
# `view(-1, 64*6*6)` above stops at the very first batch.) Our shipped subset has
# 4,000 images, which is why we stop a little lower. (With the full
# dataset downloaded, `MNIST(root=folder)` reads it; `python -m minitorch.examples
# cnn` is this same model as a command-line program.)
#
# ## 7. What did it learn?
#
# The first layer's 32 kernels are 3x3 images themselves. Training has moved them
# away from their random start:

# %%
filters = model.conv1.weight.detach().numpy()[:, 0]      # (32, 3, 3)
change = np.abs(filters - initial_filters[:, 0]).mean() / np.abs(initial_filters).mean()
print(f"the filters moved by {change:.0%} of their initial size on average")
assert change > 0.05

fig, axes = plt.subplots(4, 8, figsize=(8, 4.4))
for k, ax in enumerate(axes.flat):
    ax.imshow(filters[k], cmap="RdBu_r", vmin=-np.abs(filters).max(), vmax=np.abs(filters).max())
    ax.axis("off")
fig.suptitle("conv1: the 32 learned 3x3 filters (red > 0 > blue)")
plt.tight_layout()
plt.savefig(os.path.join(OUT, "conv1_filters.png"))
show()

# %% [markdown]
# To the eye they look like noise, not like the Sobel kernels of section 3. We can
# put a number on that: the *cosine similarity* $\frac{\langle f, s \rangle}{\|f\|\,\|s\|}$
# between a filter $f$ and a Sobel kernel $s$ (both flattened to 9 numbers) is $\pm 1$
# for a scaled copy of it (either sign: a flipped edge detector is still one) and
# near 0 for an unrelated pattern. For each filter we keep the better of the two Sobels.

# %%
def sobel_likeness(kernels):
    """For each 3x3 kernel, the largest |cosine similarity| with the two Sobel kernels."""
    flat = kernels.reshape(len(kernels), 9)
    sobels = sobel.numpy().reshape(2, 9)
    cos = flat @ sobels.T / (np.linalg.norm(flat, axis=1, keepdims=True) * np.linalg.norm(sobels, axis=1))
    return np.abs(cos).max(axis=1)


learned_like, initial_like = sobel_likeness(filters), sobel_likeness(initial_filters[:, 0])
print(f"similarity to a Sobel kernel: learned filters {learned_like.mean():.2f} on average "
      f"(best {learned_like.max():.2f}), the random start {initial_like.mean():.2f}")
print(f"filters above 0.9 (a near copy of a Sobel kernel): {(learned_like > 0.9).sum()} of 32")
assert learned_like.max() < 0.9                          # no learned filter is a Sobel kernel
assert learned_like.mean() < initial_like.mean() + 0.2   # and they are hardly more Sobel-like than at the start

# %% [markdown]
# (Full mode: 0.48 on average against 0.41 for the random start, and none above
# 0.9.) Training nudged the filters, but it did not turn them into Sobel kernels;
# a 3x3 patch of 9 numbers is also too small to show a pattern to the eye. What a
# filter does shows better in its output, the **feature maps**: conv1's 32 maps
# after ReLU (26x26 each) for one test digit, and conv2's 64 maps after ReLU and the
# two poolings (5x5 each, the numbers `fc1` reads).

# %%
sample, sample_label = test_set[0]
with minitorch.no_grad():
    maps1 = model.relu(model.conv1(sample.unsqueeze(0)))[0]                # (32, 26, 26)
    maps2 = model.pool(model.relu(model.conv2(model.pool(maps1.unsqueeze(0)))))[0]   # (64, 5, 5)
print("conv1 maps", tuple(maps1.shape), " conv2 maps", tuple(maps2.shape))
assert maps1.shape == (32, 26, 26) and maps2.shape == (64, 5, 5)

fig, axes = plt.subplots(4, 9, figsize=(9, 4.4))
axes[0, 0].imshow(sample[0].numpy(), cmap="gray")
axes[0, 0].set_title(f"a {sample_label.item()}", fontsize=9)
for k, ax in enumerate(axes.flat[1:33]):
    ax.imshow(maps1[k].numpy(), cmap="viridis")
for ax in axes.flat:
    ax.axis("off")
fig.suptitle("conv1 feature maps (after ReLU) of one test digit")
plt.tight_layout()
plt.savefig(os.path.join(OUT, "feature_maps_conv1.png"))
show()

fig, axes = plt.subplots(4, 16, figsize=(12, 3.4))
for k, ax in enumerate(axes.flat):
    ax.imshow(maps2[k].numpy(), cmap="viridis")
    ax.axis("off")
fig.suptitle("conv2 feature maps after pooling: the 64 x 5 x 5 numbers fc1 reads")
plt.tight_layout()
plt.savefig(os.path.join(OUT, "feature_maps_conv2.png"))
show()

# %% [markdown]
# What does each conv1 map respond to? We correlate it, pixel by pixel, with two
# pictures of the digit on the same 26x26 grid: the ink itself, and the strength
# of its edges (the length of the Sobel gradient, $\sqrt{e_x^2 + e_y^2}$, from
# section 3). A map that follows the ink has a high correlation with the first; a
# map that lights up along the outline of the strokes, with the second; one that
# answers on the blank paper, a negative correlation with the ink.

# %%
with minitorch.no_grad():
    sample_edges = F.conv2d(sample.unsqueeze(0), sobel)[0].numpy()      # (2, 26, 26), no padding
ink = sample[0, 1:27, 1:27].numpy().ravel()                            # the centre of each 3x3 window
edge_strength = np.sqrt((sample_edges ** 2).sum(axis=0)).ravel()
responses = maps1.numpy().reshape(32, -1)
live = responses.std(axis=1) > 0                                       # a map that is 0 everywhere says nothing
with_ink = np.array([np.corrcoef(r, ink)[0, 1] if on else 0.0 for r, on in zip(responses, live)])
with_edges = np.array([np.corrcoef(r, edge_strength)[0, 1] if on else 0.0 for r, on in zip(responses, live)])
kinds = {"ink": live & (with_ink > 0) & (with_ink >= with_edges),
         "edges": live & (with_edges > with_ink) & (with_edges > 0),
         "background": live & (with_ink < 0) & (with_edges <= 0)}
print("conv1 maps that follow mostly " + ", ".join(f"{name}: {m.sum()}" for name, m in kinds.items())
      + f"; all zero: {(~live).sum()}")
most_follow_ink = kinds["ink"].sum() > kinds["edges"].sum() + kinds["background"].sum()
assert most_follow_ink and kinds["edges"].sum() >= 1   # most maps follow the ink, some its outline

# %% [markdown]
# In `feature_maps_conv1.png` each map is a copy of the digit seen through one
# filter. In full mode 24 of the 32 follow the ink itself, 6 follow the outline of
# the strokes more than the ink (those are the edge detectors, each favouring some
# sides of a stroke: left, top, inner or outer rims), and 2 answer on the blank
# paper around the strokes. So the network does detect edges, just not with
# Sobel's neat weights: many different 3x3 patterns do the job. The conv2 maps are too coarse to
# look like a digit any more: they say *which* combinations of strokes are present
# in *roughly which* part of the image, and that is what the classifier uses.
#
# ## Summary
#
# - A convolution is a dot product between one small kernel and every window of
#   the image; output size $\lfloor (H + 2P - k)/s \rfloor + 1$.
# - im2col turns all those dot products into one matrix product: same numbers, and
#   the backward is col2im plus matmul's backward. Most of its speed-up over Python
#   loops comes from leaving the interpreter; the single product then runs in BLAS.
# - Max pooling keeps each window's maximum and sends the gradient only there;
#   average pooling shares it equally.
# - Work out layer sizes from the input size, and flatten with `flatten(1)`: the
#   seed's `64*6*6` was wrong for 28x28 digits and `view(-1, ...)` can hide that.
#
# ## Exercises
#
# Every exercise has a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("7.1", fc1_inputs)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **Padding "same".** Change `conv1` and `conv2` to `padding=1`. Work out the
#    new flattened size by hand, fix `fc1`, and check it with `trace`.
#    *Hint:* with $k = 3, P = 1, s = 1$ the convolution keeps the size; only the
#    pools shrink it ($28 \to 14 \to 7$).
# 2. **Stride instead of pooling.** Replace each `conv + pool` by one convolution
#    with `stride=2`. Compare the parameter count, the speed and the accuracy.
#    *Hint:* $\lfloor (28 - 3)/2 \rfloor + 1 = 13$.
# 3. **im2col memory.** For a batch of 64 MNIST images, how many numbers does
#    `cols` hold for `conv2` (32 input channels, 13x13 maps, 3x3 kernels), compared
#    with its input? *Hint:* $C k^2 \times N H_{out} W_{out}$ against $N C H W$.
# 4. **Max-pool ties.** What gradient does `F.max_pool2d` give when two elements
#    of a window are equal and largest? Try it, then explain why sending it to just
#    one of them still gives a valid (sub)gradient. *Hint:* look at `a.grad` for a
#    window of four equal numbers.
# 5. **Translation.** Shift every test image one pixel to the right (e.g. with
#    `minitorch.cat` and a column of zeros) and evaluate again. How much does
#    accuracy drop? Would an MLP on raw pixels drop more? *Hint:* lesson 6's MLP. Check your
#    `shift_right(images)` with `check("7.5", shift_right)`: it also tests what the answer rests
#    on, that a convolution of shifted images is the shifted convolution.
