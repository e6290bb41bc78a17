# %% [markdown]
# # Lesson 2: Backpropagation by hand, then by the engine
#
# Two of the documents this course grew from (the "seeds") work through the same small
# network: two inputs, a hidden layer of ReLU neurons, one ReLU output, and a squared-error
# loss. Their backward formulas drop terms, and one flips a sign. In this lesson we do the
# whole computation ourselves, forward and backward, first with numpy and a pencil, then
# with minitorch's engine, then with `gradcheck`, and finally put the seeds' formulas next
# to the correct ones to see exactly what went wrong and what it does to training.
#
# **Learning goals.** After this lesson you can
# - write the forward and backward pass of a two-layer network in matrix form, and say where
#   each factor of every gradient comes from;
# - compute the same gradients with `minitorch` tensors (`requires_grad=True`, `backward()`,
#   `.grad`) and check them with `minitorch.testing.gradcheck`;
# - spot a dropped term in a backpropagation formula, and show its effect with numbers;
# - see why a wrong gradient can silently ruin training.
#
# **Time:** about 60 minutes. **Builds on:** Lesson 1 (the chain rule, local derivatives,
# `+=` over several uses, central differences), and matrix-vector products.

# %%
import os

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("02_backprop_by_hand")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt

# %% [markdown]
# ## 1. The network
#
# Seed 003 ("具体例子", a concrete example) describes 2 inputs, 3 hidden neurons and 1
# output, all with ReLU, trained with $\text{MSE} = \tfrac12 (\hat y - y)^2$. Seed 002
# (section 1.4.4) gives no layer sizes: only the input $x = [1, 2]$, the two layers
# $z = \text{ReLU}(W x + b)$ and $\hat y = \text{ReLU}(W' z + b')$, and the loss
# $J = \tfrac12 (y - \hat y)^2$ (its $z$ is our activation $a$ below). We take seed 003's
# sizes and seed 002's input. Neither seed gives weights, so we pick some. In matrix form:
# $$z = W_1 x + b_1,\quad a = \text{ReLU}(z),\quad z_o = W_2 a + b_2,\quad
#   \hat y = \text{ReLU}(z_o),\quad L = \tfrac12 (\hat y - y)^2,$$
# with $W_1$ of shape $3 \times 2$ (row $i$ holds the weights into hidden neuron $i$),
# $b_1$ of length 3, $W_2$ of shape $1 \times 3$ (the seeds' $w_{out,1..3}$ or $W'$), and
# $b_2$ of length 1 (the seeds' $b_{out}$ or $b'$). The target is $y = 1$.

# %%
import numpy as np

x = np.array([1.0, 2.0])  # seed 002's input
y = 1.0
W1 = np.array([[0.5, -0.2],
               [-0.3, 0.4],
               [0.1, -0.6]])
b1 = np.array([0.1, -0.2, 0.3])
W2 = np.array([[0.7, 0.5, -0.3]])
b2 = np.array([0.1])

# %% [markdown]
# ## 2. Forward, by hand
#
# Each line below is one equation above. Watch hidden neuron 3: its $z_3$ is negative, so
# ReLU switches it off ($a_3 = 0$).

# %%
def relu(v):
    return np.maximum(v, 0.0)


def forward(W1, b1, W2, b2):
    z = W1 @ x + b1
    a = relu(z)
    z_o = W2 @ a + b2
    y_hat = relu(z_o)
    loss = 0.5 * float((y_hat - y) @ (y_hat - y))
    return z, a, z_o, y_hat, loss


z, a, z_o, y_hat, loss = forward(W1, b1, W2, b2)
print("z   =", z, "   a =", a)
print("z_o =", z_o, "   y_hat =", y_hat, f"   L = {loss:.5f}")
assert a[2] == 0 and z_o[0] > 0 and abs(loss - 0.5 * 0.61**2) < 1e-12

# %% [markdown]
# ## 3. Backward, by hand
#
# We go from the loss back to each parameter, one step at a time, multiplying local
# derivatives (the chain rule from Lesson 1). Write $\delta$ for "the derivative of the loss
# with respect to a pre-activation": $\delta_o = \partial L / \partial z_o$ and
# $\delta_h = \partial L / \partial z$ (one number per hidden neuron).
#
# 1. Loss: $\dfrac{\partial L}{\partial \hat y} = \hat y - y$ (the $\tfrac12$ cancels the
#    2 of the square).
# 2. Output ReLU: $\delta_o = (\hat y - y)\,\text{ReLU}'(z_o)$, where
#    $\text{ReLU}'(t) = 1$ if $t > 0$ and $0$ otherwise.
# 3. Output layer, $z_o = W_2 a + b_2$: $\dfrac{\partial L}{\partial W_{2,j}} = \delta_o\, a_j$
#    and $\dfrac{\partial L}{\partial b_2} = \delta_o$. Going further down:
#    $\dfrac{\partial L}{\partial a_j} = \delta_o\, W_{2,j}$, that is
#    $\dfrac{\partial L}{\partial a} = W_2^\top \delta_o$.
# 4. Hidden ReLU: $\delta_h = \left(W_2^\top \delta_o\right) \odot \text{ReLU}'(z)$
#    ($\odot$: element by element).
# 5. Hidden layer, $z = W_1 x + b_1$: $\dfrac{\partial L}{\partial W_{1,ij}} = \delta_{h,i}\, x_j$,
#    the outer product $\delta_h x^\top$, and $\dfrac{\partial L}{\partial b_1} = \delta_h$.
#
# Every gradient is "the $\delta$ of the layer above, times what this parameter was
# multiplied by". Keep that sentence in mind: it is exactly what the seeds forget.

# %%
def relu_prime(v):
    return (v > 0).astype(float)


def backward_by_hand(W1, b1, W2, b2):
    z, a, z_o, y_hat, _ = forward(W1, b1, W2, b2)
    delta_o = (y_hat - y) * relu_prime(z_o)           # steps 1-2
    grad_W2, grad_b2 = np.outer(delta_o, a), delta_o   # step 3
    delta_h = (W2.T @ delta_o) * relu_prime(z)         # step 4
    grad_W1, grad_b1 = np.outer(delta_h, x), delta_h   # step 5
    return {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}


hand = backward_by_hand(W1, b1, W2, b2)
for name, g in hand.items():
    print(f"dL/d{name} =\n{g}")

# %% [markdown]
# Hidden neuron 3 was switched off, so nothing flows through it: row 3 of
# $\partial L / \partial W_1$ and $\partial L / \partial W_{2,3}$ are exactly zero.
#
# Before trusting a hand derivation, check it. Lesson 1's central difference works on
# arrays too: nudge one entry at a time.

# %%
def central_differences(W1, b1, W2, b2, h=1e-6):
    params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    grads = {}
    for name, p in params.items():
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = forward(**params)[-1]
            p[idx] = old - h
            down = forward(**params)[-1]
            p[idx] = old
            g[idx] = (up - down) / (2 * h)
        grads[name] = g
    return grads


numeric = central_differences(W1, b1, W2, b2)
worst = max(np.abs(hand[k] - numeric[k]).max() for k in hand)
print(f"largest |hand - central difference| = {worst:.1e}")
assert worst < 1e-8

# %% [markdown]
# ## 4. The same with the engine
#
# `minitorch` does all of this for us. New tools in this lesson:
#
# - `minitorch.tensor(data, dtype=minitorch.float64, requires_grad=True)` makes a tensor
#   (an array with a computation graph, like Lesson 1's `Scalar` but holding many numbers).
#   `requires_grad=True` marks it as a leaf whose gradient we want. The default dtype is
#   float32, as in PyTorch; we use float64 here to compare with numpy to 12 digits.
# - `@` is the matrix product, `.relu()` the ReLU, `.sum()` the sum of all entries, and
#   `.item()` turns a one-element tensor into a Python number.
# - `loss.backward()` runs backpropagation; afterwards `W1.grad` holds $\partial L/\partial W_1$.
#   `.numpy()` gives the numbers as a numpy array.
# - `t.retain_grad()` asks an intermediate tensor to keep its gradient too, so we can look
#   at the $\delta$'s.

# %%
import minitorch


def leaf(array):
    return minitorch.tensor(array, dtype=minitorch.float64, requires_grad=True)


tW1, tb1, tW2, tb2 = leaf(W1), leaf(b1), leaf(W2), leaf(b2)
tx = minitorch.tensor(x, dtype=minitorch.float64)

tz = tW1 @ tx + tb1
tz.retain_grad()
tz_o = tW2 @ tz.relu() + tb2
tz_o.retain_grad()
t_loss = (0.5 * (tz_o.relu() - y) ** 2).sum()
t_loss.backward()
print("loss:", t_loss.item())
print("W1.grad =\n", tW1.grad)
print("delta_o = z_o.grad =", tz_o.grad, "   delta_h = z.grad =", tz.grad)

# %%
engine = {"W1": tW1.grad.numpy(), "b1": tb1.grad.numpy(), "W2": tW2.grad.numpy(), "b2": tb2.grad.numpy()}
for name in hand:
    assert np.allclose(engine[name], hand[name], rtol=0, atol=1e-12), name
assert np.allclose(tz.grad.numpy(), hand["b1"]) and np.allclose(tz_o.grad.numpy(), hand["b2"])
print("the engine agrees with the hand computation to 12 digits, deltas included")

# %% [markdown]
# ## 5. And with `gradcheck`
#
# `minitorch.testing.gradcheck(fn, inputs)` does section 3's check automatically: it calls
# `fn(*inputs)`, runs the engine's backward, and compares every entry of every gradient with
# a central difference. It returns `True`, or raises an error naming the input and entry
# that disagree. It needs float64 inputs (a central difference in float32 loses most of its
# digits, as Lesson 1's error plot showed).

# %%
from minitorch.testing import gradcheck


def network_loss(W1, b1, W2, b2):
    return (0.5 * ((W2 @ (W1 @ tx + b1).relu() + b2).relu() - y) ** 2).sum()


assert gradcheck(network_loss, (tW1, tb1, tW2, tb2))
print("gradcheck passed")

# %% [markdown]
# ## 6. What the seeds wrote
#
# **Seed 002, section 1.4.4** (with $J = \tfrac12 (y - \hat y)^2$, $z$ the hidden layer's
# output):
# $$\nabla_{W'} J = (y - \hat y)\,\text{ReLU}'(\hat y)\, z, \qquad
#   \nabla_{b'} J = (y - \hat y)\,\text{ReLU}'(\hat y),$$
# $$\nabla_{W} J = \text{ReLU}'(z)\, x, \qquad \nabla_{b} J = \text{ReLU}'(z).$$
#
# **Seed 003, "具体例子"** (with $\text{MSE} = \tfrac12 \sum (\hat y - y)^2$):
# $$\frac{\partial\,\text{MSE}}{\partial z_{out}} = 2(\hat y - y), \quad
#   \frac{\partial\,\text{MSE}}{\partial w_{out,j}} = a_{1j}, \quad
#   \frac{\partial\,\text{MSE}}{\partial b_{out}} = 1, \quad
#   \frac{\partial\,\text{MSE}}{\partial z_{1j}} = a_{1j}.$$
# It never states the hidden weights' gradients (and its list of updates skips $w_{11}$
# and $w_{12}$); its general rule a few lines earlier says
# $\partial \text{Loss} / \partial w_{ij} = a_j$ (the layer's input, here $x_j$) and
# $\partial \text{Loss} / \partial b_i = 1$, so we use that.
#
# Let us evaluate both on our network.

# %%
def seed_002(W1, b1, W2, b2):
    z, a, z_o, y_hat, _ = forward(W1, b1, W2, b2)
    g_out = (y - y_hat) * relu_prime(y_hat)
    return {"W1": np.outer(relu_prime(z), x), "b1": relu_prime(z), "W2": np.outer(g_out, a), "b2": g_out}


def seed_003(W1, b1, W2, b2):
    z, a, z_o, y_hat, _ = forward(W1, b1, W2, b2)
    return {"W1": np.tile(x, (3, 1)), "b1": np.ones(3), "W2": a[None, :].copy(), "b2": np.ones(1)}


s002, s003 = seed_002(W1, b1, W2, b2), seed_003(W1, b1, W2, b2)
wrong = {"002": 0, "003": 0}
print(f"{'entry':8} {'seed 002':>9} {'seed 003':>9} {'correct':>9} {'engine':>9}")
for name in hand:
    for idx in np.ndindex(hand[name].shape):
        row = [s002[name][idx], s003[name][idx], hand[name][idx], engine[name][idx]]
        flags = [seed for seed, v in zip(wrong, row) if not np.isclose(v, row[2])]
        for seed in flags:
            wrong[seed] += 1
        print(f"{name + str(list(idx)):8} " + " ".join(f"{v + 0.0:9.4f}" for v in row)  # + 0.0: no "-0"
              + (f"   wrong: {' '.join(flags)}" if flags else ""))
assert wrong == {"002": 9, "003": 12}  # of the 13 entries

# %%
entries = [f"{name}{list(idx)}" for name in hand for idx in np.ndindex(hand[name].shape)]
flat = {label: np.concatenate([g[name].ravel() for name in hand])
        for label, g in [("seed 002", s002), ("seed 003", s003), ("correct (= engine)", hand)]}
positions = np.arange(len(entries))
plt.figure(figsize=(10, 4))
for k, (label, values) in enumerate(flat.items()):
    plt.bar(positions + (k - 1) * 0.27, values, width=0.27, label=label)
plt.axhline(0, color="black", linewidth=0.8)
plt.xticks(positions, entries, rotation=45, ha="right")
plt.ylabel("dL / d(entry)")
plt.title("Gradient of every parameter: the seeds' formulas vs the correct ones")
plt.legend()
plt.tight_layout()
plt.savefig(os.path.join(OUT, "seed_vs_correct_gradients.png"))
show()

# %% [markdown]
# Seed 002 gets 9 of the 13 entries wrong, seed 003 gets 12 wrong; the only entries they
# get right are zeros that belong to the switched-off neuron 3. Here is what each formula
# dropped or got wrong, and the asserts that show it on our numbers.
#
# **Seed 002.**
# - *The sign of the output gradients is flipped.* $\partial J / \partial \hat y =
#   -(y - \hat y) = \hat y - y$: the minus sign from the inner derivative
#   $\partial (y - \hat y) / \partial \hat y = -1$ was dropped. (Section 1.4.2's
#   $\text{MSE}' = -2(\hat y - y)$ is not a second sign error: it does not say which variable
#   it differentiates by, and it is the right derivative with respect to the *target* $y$,
#   as lesson 4 reads it. Backpropagation needs the one with respect to the prediction
#   $\hat y$, which is $+2(\hat y - y)$; the cell below checks both.)
# - *The hidden gradients lost everything above them.* $\nabla_W J$ should be
#   $\big((\hat y - y)\,\text{ReLU}'(z_o)\, W_2^\top \odot \text{ReLU}'(z)\big)\, x^\top$:
#   the seed keeps only the last two factors, as if the loss did not depend on the output
#   at all. (Its $\text{ReLU}'(\hat y)$ in place of $\text{ReLU}'(z_o)$ happens to be harmless
#   for ReLU, since $\hat y > 0$ exactly when $z_o > 0$, but it would be wrong for a
#   sigmoid output: exercise 1.)

# %%
assert np.allclose(s002["W2"], -hand["W2"]) and np.allclose(s002["b2"], -hand["b2"])  # sign flipped
upstream = (W2.T @ hand["b2"])[:, None]  # (y_hat - y) ReLU'(z_o) W2^T: the factor seed 002 dropped
assert np.allclose(upstream * s002["W1"], hand["W1"]) and not np.allclose(s002["W1"], hand["W1"])
print("seed 002: output sign flipped; hidden gradients missing the factor", upstream.ravel())

h, yh = 1e-6, y_hat[0]  # section 1.4.2's MSE' on one example, against central differences
by_prediction = ((yh + h - y) ** 2 - (yh - h - y) ** 2) / (2 * h)   # d(y_hat - y)^2 / d y_hat
by_target = ((yh - y - h) ** 2 - (yh - y + h) ** 2) / (2 * h)       # d(y_hat - y)^2 / d y
print(f"numeric d/dy_hat {by_prediction:.6f}, d/dy {by_target:.6f};  2(y_hat - y) = {2 * (yh - y):.6f}, "
      f"seed's -2(y_hat - y) = {-2 * (yh - y):.6f}")
assert np.isclose(by_prediction, 2 * (yh - y)) and not np.isclose(by_prediction, -2 * (yh - y))
assert np.isclose(by_target, -2 * (yh - y))   # the seed's formula, read as d/dy: right

# %% [markdown]
# **Seed 003.**
# - *A factor 2 too many, and no $\text{ReLU}'(z_o)$.* With the $\tfrac12$ in the loss,
#   $\partial\,\text{MSE} / \partial \hat y = \hat y - y$, and the output ReLU adds
#   $\text{ReLU}'(z_o)$: $\delta_o = (\hat y - y)\,\text{ReLU}'(z_o)$, not $2(\hat y - y)$.
# - *The output weights lost $\delta_o$.* $\partial\,\text{MSE}/\partial w_{out,j} =
#   \delta_o\, a_{1j}$, not $a_{1j}$; and $\partial\,\text{MSE}/\partial b_{out} = \delta_o$,
#   not 1. Since $\delta_o < 0$ here, the seed's gradient even points the wrong way.
# - *The hidden pre-activations lost the path through the output.*
#   $\partial\,\text{MSE}/\partial z_{1j} = \delta_o\, w_{out,j}\, \text{ReLU}'(z_{1j})$, not
#   $a_{1j}$ (which is a forward value, not a derivative at all).
# - *The hidden weights lost $\delta_h$* (by the general rule): $\delta_{h,i}\, x_j$, not $x_j$.
#
# (One difference between the seeds is *not* an error: seed 003 takes $\text{ReLU}'(0) = 1$,
# seed 002 takes $0$. At the kink there is no derivative, and either choice works in practice;
# PyTorch and minitorch use 0. None of our pre-activations is exactly 0, so it changes
# nothing here.)

# %%
delta_o = hand["b2"]
assert np.isclose(2 * (y_hat - y), 2 * delta_o).all() and not np.isclose(2 * (y_hat - y), delta_o).all()
assert np.allclose(delta_o * s003["W2"], hand["W2"]) and not np.allclose(s003["W2"], hand["W2"])
assert np.allclose(delta_o * s003["b2"], hand["b2"]) and not np.allclose(s003["b2"], hand["b2"])
assert np.allclose(hand["b1"][:, None] * s003["W1"], hand["W1"]) and not np.allclose(s003["W1"], hand["W1"])
seed_dz = a  # the seed's dMSE/dz_1j = a_1j
assert not np.allclose(seed_dz, tz.grad.numpy())
kink = minitorch.tensor([0.0], requires_grad=True)
kink.relu().sum().backward()
assert kink.grad.item() == 0.0  # minitorch's ReLU'(0)
print("seed 003: dz_o", 2 * (y_hat - y), "vs", delta_o, "; dMSE/dz_1 =", seed_dz, "vs", tz.grad.numpy())

# %% [markdown]
# ## 7. When the output ReLU is off
#
# The dropped $\text{ReLU}'(z_o)$ matters most when the output neuron is switched off
# ($z_o < 0$, so $\hat y = 0$). Then nothing the parameters do (a little) changes the loss,
# and every true gradient is zero. Seed 003 still reports $\partial\,\text{MSE}/\partial z_{out}
# = 2(0 - 1) = -2$, and seed 002's hidden gradients $\text{ReLU}'(z)\,x$ do not notice either.

# %%
b2_off = np.array([-0.5])
print("z_o =", forward(W1, b1, W2, b2_off)[2])
t_off = [leaf(W1), leaf(b1), leaf(W2), leaf(b2_off)]
network_loss(*t_off).backward()
assert all((t.grad.numpy() == 0).all() for t in t_off)
dead_002, dead_003 = seed_002(W1, b1, W2, b2_off), seed_003(W1, b1, W2, b2_off)
print("engine: all gradients 0")
print("seed 002 dL/dW1 =", dead_002["W1"].tolist(), "   seed 003 dL/db_out =", dead_003["b2"])
assert np.abs(dead_002["W1"]).sum() > 0 and dead_003["b2"][0] == 1.0

# %% [markdown]
# ## 8. Does it matter? Train with each
#
# Gradient descent $\theta \leftarrow \theta - \eta \nabla_\theta L$ with each of the three
# gradient rules, from the same start, learning rate $\eta = 0.1$. One step with seed 002's
# flipped sign already makes the loss *worse*.

# %%
def train(gradient_rule, steps, lr=0.1):
    params = {"W1": W1.copy(), "b1": b1.copy(), "W2": W2.copy(), "b2": b2.copy()}
    losses = []
    for _ in range(steps):
        losses.append(forward(**params)[-1])
        grads = gradient_rule(**params)
        for name in params:
            params[name] -= lr * grads[name]
    losses.append(forward(**params)[-1])
    return losses


steps = 15 if FAST else 40
rules = {"correct": backward_by_hand, "seed 002": seed_002, "seed 003": seed_003}
curves = {name: train(rule, steps) for name, rule in rules.items()}
for name, losses in curves.items():
    print(f"{name:9}: loss {losses[0]:.4f} -> {losses[1]:.4f} after one step -> {losses[-1]:.2e} after {steps}")
assert curves["seed 002"][1] > curves["seed 002"][0]  # one step uphill
assert curves["correct"][-1] < 1e-6
assert curves["seed 002"][-1] == curves["seed 003"][-1] == 0.5  # stuck: the output ReLU died

print("losses at steps 0-3:", {name: np.round(losses[:4], 4).tolist() for name, losses in curves.items()})
assert curves["seed 002"][1] < curves["seed 003"][1] == 0.5            # the seeds differ at step 1 only:
assert curves["seed 002"][2:] == curves["seed 003"][2:] == [0.5] * (steps - 1)   # from step 2 on both sit at 0.5

plt.figure(figsize=(6, 4))
styles = {"correct": dict(marker="."), "seed 002": dict(marker="o", lw=5, alpha=0.4),  # wide, under...
          "seed 003": dict(marker="x", ls="--")}                                       # ...the dashed one
for name, losses in curves.items():
    plt.plot(losses, label=name, **styles[name])
plt.yscale("symlog", linthresh=1e-3)
plt.xlabel("gradient-descent step")
plt.ylabel("loss  ½(ŷ - y)²")
plt.title("The same network trained with three gradient rules")
plt.legend()
plt.savefig(os.path.join(OUT, "training_with_seed_formulas.png"))
show()

# %% [markdown]
# With the correct gradients the loss falls to zero within a few steps. With either seed's
# formulas the output is pushed down until $z_o < 0$: the output ReLU switches off, $\hat y$
# stays 0, and the loss is stuck at $\tfrac12 (0 - 1)^2 = 0.5$ forever. (The two seed curves
# differ only at step 1, 0.46 against 0.5; from step 2 on they lie on top of each other, the
# wide pale seed-002 line under the dashed seed-003 one.) Nothing crashed and
# no error was printed: a wrong gradient fails *silently*. This is why every op in minitorch
# is gradchecked.
#
# ## 9. Many examples at once
#
# Real training feeds a *batch* of $N$ examples, as rows of a matrix $X$ ($N \times 2$),
# and averages the loss. The forward pass becomes
# $Z = X W_1^\top + b_1$ (the bias is added to every row), $A = \text{ReLU}(Z)$,
# $Z_o = A W_2^\top + b_2$, $L = \frac1N \sum_n \tfrac12 (\hat y_n - y_n)^2$. Each
# parameter is used once per example, so by Lesson 1's `+=` rule its gradient is the *sum*
# of the per-example gradients:
# $$\frac{\partial L}{\partial W_1} = \Delta_h^\top X, \qquad
#   \frac{\partial L}{\partial b_1} = \sum_n \Delta_{h,n},$$
# where row $n$ of $\Delta_h$ is example $n$'s $\delta_h$ (with the $\frac1N$ inside).
# Lesson 3 looks closely at that sum over the bias: it undoes the broadcast. New in the code
# below: `.T` transposes a matrix, `.reshape(N)` turns the $N \times 1$ output into a vector
# of length $N$, and `.mean()` averages all entries.

# %%
X = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.3], [-1.0, 1.5]])
Y = np.array([1.0, 0.2, 0.8, 0.5])
N = len(X)
Z = X @ W1.T + b1
Z_o = relu(Z) @ W2.T + b2
Delta_o = (relu(Z_o)[:, 0] - Y)[:, None] * relu_prime(Z_o) / N
Delta_h = (Delta_o @ W2) * relu_prime(Z)
batch_hand = {"W1": Delta_h.T @ X, "b1": Delta_h.sum(0), "W2": Delta_o.T @ relu(Z), "b2": Delta_o.sum(0)}

tX, tY = minitorch.tensor(X, dtype=minitorch.float64), minitorch.tensor(Y, dtype=minitorch.float64)


def batch_loss(W1, b1, W2, b2):
    y_hat = ((tX @ W1.T + b1).relu() @ W2.T + b2).relu()
    return (0.5 * (y_hat.reshape(N) - tY) ** 2).mean()


params = [leaf(W1), leaf(b1), leaf(W2), leaf(b2)]
batch_loss(*params).backward()
for t, name in zip(params, batch_hand):
    assert np.allclose(t.grad.numpy(), batch_hand[name], rtol=0, atol=1e-12), name
assert gradcheck(batch_loss, params)
print("batch gradients: hand == engine, and gradcheck passes.  dL/db1 =", params[1].grad)

# %% [markdown]
# ## Summary
#
# - Backward through a layer: $\delta$ of the layer above, times the local derivative, times
#   what the parameter multiplied. Dropping any factor gives a wrong gradient.
# - The engine (`requires_grad=True`, `backward()`, `.grad`) computes exactly the hand
#   formulas; `gradcheck` confirms them against central differences.
# - The seeds' formulas flip a sign (002), add a factor 2 (003), and drop the upstream
#   $\delta$ (both). Trained with them, our network dies at loss 0.5; with the correct
#   gradients it reaches 0.
#
# ## Exercises
#
# Every exercise has a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("2.3", b13)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **A sigmoid output.** Replace the output ReLU with a sigmoid $\sigma$. Derive
#    $\delta_o$, check it with `gradcheck`, and show that seed 002's trick of writing the
#    derivative at the output, $\sigma'(\hat y)$, is now wrong. *Hint:*
#    $\sigma'(t) = \sigma(t)(1 - \sigma(t))$; compare $\sigma'(z_o)$ with $\sigma'(\sigma(z_o))$.
# 2. **Cross-entropy makes it simpler.** With a sigmoid output and the loss
#    $-y \log \hat y - (1 - y)\log(1 - \hat y)$, show by hand that $\delta_o = \hat y - y$,
#    then confirm with the engine. *Hint:* the $\sigma'$ factor cancels the denominators.
# 3. **Switch neuron 3 on.** Change $b_{1,3}$ so that $z_3 > 0$. Predict which entries of the
#    gradient table stop being zero, then run the cells again. *Hint:* $z_3 = -1.1 + b_{1,3}$,
#    so any $b_{1,3} > 1.1$ does it; a neuron that is on passes $\delta_{h,3} = \delta_o W_{2,3}$ back.
# 4. **When does a dropped ReLU' go unnoticed?** Remove `relu_prime(z)` from
#    `backward_by_hand` and compare with `central_differences`. Find weights for which the
#    bug is invisible. *Hint:* if every hidden neuron is on, $\text{ReLU}'(z) = 1$ everywhere;
#    a good test must visit both sides of every kink.
# 5. **Learning rate.** Train with the correct gradients and $\eta = 1$, then $\eta = 3$.
#    What happens, and why? *Hint:* print $\hat y$ after each step and look for overshooting.
#    Check it with $\hat y$ before training and after each of the first 5 steps:
#    `check("2.5", {1: outputs_at_1, 3: outputs_at_3})` (6 numbers each).
