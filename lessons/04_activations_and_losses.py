# %% [markdown]
# # Lesson 4: Activations and losses
#
# A neural network is a stack of linear maps with a nonlinear **activation** between them,
# and it learns by pushing a **loss** downhill. This lesson looks closely at both: what
# their derivatives look like, and why some choices train well while others stall.
#
# **Learning goals**
#
# - know ReLU, sigmoid, tanh and GELU and their derivatives, and check the closed forms
#   against the engine's `backward`
# - see why gradients *vanish* through a deep stack of sigmoids but not through ReLUs
# - understand why classifiers use cross-entropy and not the mean squared error on a sigmoid
# - compute softmax and log-sum-exp without overflow, and know that `F.cross_entropy` does
#
# **Time:** about 45 minutes.
#
# **Builds on:** lesson 1 (derivatives, the chain rule, `backward`), lesson 3 (tensors,
# broadcasting, why gradients are summed back to the input's shape).

# %%
import os

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("04_activations_and_losses")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt

# (this lesson takes a few seconds in either mode, so FAST changes nothing here)

# %%
import math

import numpy as np

import minitorch
import minitorch.nn.functional as F

minitorch.manual_seed(0)

# %% [markdown]
# ## 1. Four activations and their derivatives
#
# | name | $f(x)$ | $f'(x)$ |
# | --- | --- | --- |
# | ReLU | $\max(x, 0)$ | $1$ if $x > 0$, else $0$ |
# | sigmoid | $\sigma(x) = \dfrac{1}{1 + e^{-x}}$ | $\sigma(x)\,(1 - \sigma(x))$ |
# | tanh | $\dfrac{e^x - e^{-x}}{e^x + e^{-x}}$ | $1 - \tanh^2(x)$ |
# | GELU | $x\,\Phi(x)$ | $\Phi(x) + x\,\varphi(x)$ |
#
# Here $\Phi$ is the cumulative distribution function of the standard normal distribution
# and $\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}$ its density. GELU ("Gaussian error linear unit")
# is the activation of most transformers: a smooth ReLU that lets a little negative signal through.
#
# We do not have to trust this table: the engine can compute every derivative for us.
# The trick is to put many points $x_1, \dots, x_n$ in one tensor and differentiate
# $S = \sum_j f(x_j)$. Since $x_i$ appears in only one term of the sum,
#
# $$\frac{\partial S}{\partial x_i} = f'(x_i),$$
#
# so one `backward()` gives the derivative at every point at once.
# `F` is `minitorch.nn.functional`, the module of plain functions such as `F.relu` and
# `F.gelu` (the same names as `torch.nn.functional`). One more tool: `y.numpy()` refuses a
# tensor that is part of a graph (its numbers would leave the graph unnoticed), so we write
# `y.detach().numpy()`; `detach()` gives the same numbers as a tensor outside the graph.

# %%
ACTIVATIONS = {"ReLU": F.relu, "sigmoid": F.sigmoid, "tanh": F.tanh, "GELU": F.gelu}


def value_and_derivative(f, x_values):
    """f(x) and f'(x) at every point, the derivative from the engine's backward pass."""
    x = minitorch.tensor(x_values, dtype=minitorch.float64, requires_grad=True)
    y = f(x)
    y.sum().backward()
    return y.detach().numpy(), x.grad.numpy()


xs = np.linspace(-4, 4, 801)
engine = {name: value_and_derivative(f, xs) for name, f in ACTIVATIONS.items()}
print("derivatives at x = -1, 0.5, 2:")
for name, (_, dy) in engine.items():
    print(f"  {name:8s}", np.round(dy[[300, 450, 600]], 4))

# %% [markdown]
# Now the closed forms from the table, written in plain numpy. (`math.erf` gives
# $\Phi(x) = \tfrac12\,(1 + \operatorname{erf}(x/\sqrt2))$.)

# %%
sig = 1 / (1 + np.exp(-xs))
Phi = 0.5 * (1 + np.array([math.erf(v / math.sqrt(2)) for v in xs]))
phi = np.exp(-xs**2 / 2) / math.sqrt(2 * math.pi)
closed_form = {
    "ReLU": (np.maximum(xs, 0), (xs > 0).astype(float)),
    "sigmoid": (sig, sig * (1 - sig)),
    "tanh": (np.tanh(xs), 1 - np.tanh(xs) ** 2),
    "GELU": (xs * Phi, Phi + xs * phi),
}
for name in ACTIVATIONS:
    (y, dy), (y_ref, dy_ref) = engine[name], closed_form[name]
    assert np.allclose(y, y_ref, atol=1e-12), name
    assert np.allclose(dy, dy_ref, atol=1e-12), name
    print(f"{name:8s} value and derivative match the closed form (max error {np.abs(dy - dy_ref).max():.1e})")

# %% [markdown]
# A picture is worth more than the table. Solid lines are the functions, dashed lines the
# derivatives computed by `backward`.

# %%
fig, axes = plt.subplots(1, 4, figsize=(15, 3.5))
for ax, name in zip(axes, ACTIVATIONS):
    y, dy = engine[name]
    ax.plot(xs, y, label="f(x)")
    ax.plot(xs, dy, "--", label="f'(x) from backward")
    ax.axhline(0, color="grey", lw=0.5)
    ax.set(title=name, xlabel="x", ylim=(-1.2, 2.2))
    ax.legend(loc="upper left", fontsize=8)
fig.tight_layout()
plt.savefig(os.path.join(OUT, "activations.png"))
show()

# %% [markdown]
# Three facts to read off the plot, each checked below:
#
# - the sigmoid's slope is never more than $\sigma'(0) = \tfrac14$, and it is almost 0 once
#   $|x| > 4$: the sigmoid **saturates**;
# - tanh is steeper (slope 1 at 0) but saturates just the same;
# - ReLU's slope is exactly 1 for every positive input, however large: it never saturates
#   on that side (on the negative side it is exactly 0, a "dead" unit passes no gradient).
#
# What about ReLU at exactly $x = 0$? There is no derivative there; any value in $[0, 1]$ is a
# valid choice (a "subgradient"). The seeds disagree: seed 003 writes $\mathrm{ReLU}'(0) = 1$,
# seed 002 writes $0$. minitorch, like PyTorch, uses $0$. In practice it makes no difference.

# %%
d_sigmoid, d_tanh, d_relu = engine["sigmoid"][1], engine["tanh"][1], engine["ReLU"][1]
assert d_sigmoid.max() <= 0.25 + 1e-12 and abs(d_sigmoid[400] - 0.25) < 1e-12   # xs[400] == 0
assert d_tanh.max() <= 1 + 1e-12 and abs(d_tanh[400] - 1) < 1e-12
assert d_sigmoid[np.abs(xs) >= 4].max() < 0.018                     # saturated
assert set(np.unique(d_relu)) == {0.0, 1.0} and d_relu[400] == 0.0  # ReLU'(0) = 0
print("max sigmoid' =", d_sigmoid.max(), " max tanh' =", d_tanh.max(), " ReLU'(0) =", d_relu[400])

# %% [markdown]
# ## 2. Vanishing gradients
#
# Take a deep network $h_k = f(W_k h_{k-1})$, $k = 1, \dots, L$. By the chain rule the gradient
# that reaches the input is a product of one factor per layer:
#
# $$\frac{\partial S}{\partial h_0} = W_1^\top D_1\, W_2^\top D_2 \cdots W_L^\top D_L\,
# \frac{\partial S}{\partial h_L}, \qquad D_k = \operatorname{diag}\big(f'(W_k h_{k-1})\big).$$
#
# With the sigmoid every entry of $D_k$ is at most $\tfrac14$, so each layer shrinks the
# gradient by a roughly constant factor, and after 20 layers almost nothing is left: the
# first layers get no signal to learn from. With ReLU the entries are 0 or 1, and with
# suitably scaled weights the gradient keeps its size.
#
# Below: 20 layers of width 64, the *same* random weights for both activations, drawn with
# standard deviation $\sqrt{2/64}$ (lesson 6 explains this choice). `retain_grad()` asks
# the engine to keep the gradient of an intermediate tensor (normally only leaves keep theirs).

# %%
width, depth, batch = 64, 20, 128
weights = [minitorch.randn(width, width, dtype=minitorch.float64) * math.sqrt(2 / width)
           for _ in range(depth)]
x0 = minitorch.randn(batch, width, dtype=minitorch.float64)


def gradient_norms(activation):
    """||dS/dh_k|| for k = 0..depth, where S is the sum of the last layer's outputs."""
    h = x0.clone().requires_grad_()   # a fresh copy of the input, marked as a leaf that wants .grad
    hs = [h]
    for W in weights:
        h = activation(h @ W.T)
        h.retain_grad()
        hs.append(h)
    h.sum().backward()
    return np.array([np.linalg.norm(t.grad.numpy()) for t in hs])


norms = {"sigmoid": gradient_norms(F.sigmoid), "ReLU": gradient_norms(F.relu)}
for name, g in norms.items():
    print(f"{name:8s} |grad| at the output {g[-1]:9.3g}, at the input {g[0]:9.3g}, ratio {g[0] / g[-1]:.2g}")

# %%
plt.figure(figsize=(6, 4))
for name, g in norms.items():
    plt.semilogy(range(depth + 1), g, marker="o", label=name)
plt.xticks(range(0, depth + 1, 5))
plt.xlabel("layer k (0 = input)")
plt.ylabel(r"$\|\partial S / \partial h_k\|$")
plt.title("gradient size through 20 layers")
plt.legend()
plt.tight_layout()
plt.savefig(os.path.join(OUT, "vanishing_gradients.png"))
show()

# %% [markdown]
# Through the sigmoids the gradient lost about ten orders of magnitude; through the ReLUs
# it stayed within a small factor. This is one big reason why ReLU (and its smooth cousins
# like GELU) replaced the sigmoid inside deep networks.

# %%
sig_ratio = norms["sigmoid"][0] / norms["sigmoid"][-1]
relu_ratio = norms["ReLU"][0] / norms["ReLU"][-1]
assert sig_ratio < 1e-6, sig_ratio            # vanished
assert 0.1 < relu_ratio < 10, relu_ratio      # kept its size

# %% [markdown]
# ## 3. MSE or cross-entropy for a classifier?
#
# A binary classifier outputs a **logit** $z$ (any real number) and turns it into a
# probability $p = \sigma(z)$. Say the true label is $y = 1$. Two candidate losses:
#
# - mean squared error on the probability: $L_\text{MSE} = (p - 1)^2$
# - binary cross-entropy: $L_\text{CE} = -\log p$
#
# Their gradients with respect to the logit, by the chain rule with $\sigma' = p(1-p)$:
#
# $$\frac{\partial L_\text{MSE}}{\partial z} = 2(p - 1)\,p\,(1 - p), \qquad
#   \frac{\partial L_\text{CE}}{\partial z} = -\frac{1}{p}\,p\,(1 - p) = p - 1.$$
#
# Now suppose the network is **confidently wrong**: $z = -8$, so $p \approx 0.0003$. The
# MSE gradient carries the factor $p(1-p) \approx 0.0003$ of the saturated sigmoid and is
# tiny, exactly when the mistake is worst. In the cross-entropy the $1/p$ from the log
# cancels that factor, and the gradient is $p - 1 \approx -1$: a full-strength push.
#
# `F.mse_loss` and `F.binary_cross_entropy_with_logits` compute these losses
# (the second takes the logit itself and applies the sigmoid inside, in a numerically safe way).
# With `reduction="sum"` each point's gradient is its own derivative, as in section 1.
# `minitorch.ones(n)`, like `zeros`, makes a tensor of $n$ ones: here the targets $y = 1$.

# %%
def loss_gradients(z_values):
    """dL/dz of MSE-on-sigmoid and of cross-entropy, for target 1, at every z."""
    grads = {}
    for name in ("MSE", "CE"):
        z = minitorch.tensor(z_values, dtype=minitorch.float64, requires_grad=True)
        target = minitorch.ones(len(z_values), dtype=minitorch.float64)
        if name == "MSE":
            loss = F.mse_loss(F.sigmoid(z), target, reduction="sum")
        else:
            loss = F.binary_cross_entropy_with_logits(z, target, reduction="sum")
        loss.backward()
        grads[name] = z.grad.numpy()
    return grads


zs = np.linspace(-10, 10, 401)
grads = loss_gradients(zs)
p = 1 / (1 + np.exp(-zs))
assert np.allclose(grads["MSE"], 2 * (p - 1) * p * (1 - p))
assert np.allclose(grads["CE"], p - 1)
at_minus_8 = loss_gradients(np.array([-8.0]))
print(f"z = -8 (p = {1 / (1 + math.exp(8)):.5f}):  dMSE/dz = {at_minus_8['MSE'][0]:.2e},  "
      f"dCE/dz = {at_minus_8['CE'][0]:.4f}")
assert abs(at_minus_8["MSE"][0]) < 1e-3 and abs(at_minus_8["CE"][0]) > 0.99

# %%
plt.figure(figsize=(6, 4))
plt.plot(zs, grads["MSE"], label=r"MSE on $\sigma(z)$")
plt.plot(zs, grads["CE"], label="cross-entropy")
plt.axvline(-8, color="grey", ls=":", lw=1)
plt.xlabel("logit z (true label 1)")
plt.ylabel("dL/dz")
plt.title("the gradient when the prediction is wrong")
plt.legend()
plt.tight_layout()
plt.savefig(os.path.join(OUT, "mse_vs_ce_gradient.png"))
show()

# %% [markdown]
# What this means for learning: run 50 steps of gradient descent, $z \leftarrow z - \eta\,
# \partial L/\partial z$, with step size $\eta = 1$, starting from the confidently wrong $z = -8$.
# Updating a tensor in place is only allowed inside `minitorch.no_grad()`: the update itself
# must not become part of the graph.

# %%
def descend(loss_name, z_start=-8.0, steps=50, lr=1.0):
    z = minitorch.tensor([z_start], dtype=minitorch.float64, requires_grad=True)
    target = minitorch.ones(1, dtype=minitorch.float64)
    for _ in range(steps):
        if loss_name == "MSE":
            loss = F.mse_loss(F.sigmoid(z), target)
        else:
            loss = F.binary_cross_entropy_with_logits(z, target)
        z.grad = None          # forget the last step's gradient: backward() adds to .grad (lesson 1)
        loss.backward()
        with minitorch.no_grad():
            z -= lr * z.grad
    return F.sigmoid(z).item()


p_mse, p_ce = descend("MSE"), descend("CE")
print(f"after 50 steps: p = {p_mse:.5f} with MSE,  p = {p_ce:.3f} with cross-entropy")
assert p_mse < 0.001 and p_ce > 0.95

# %% [markdown]
# The MSE-trained classifier has hardly moved; the cross-entropy one is right and confident.
#
# **Many classes.** With $C$ classes the network outputs $C$ logits $z$, softmax turns them into
# probabilities $p_c = e^{z_c} / \sum_j e^{z_j}$, and the cross-entropy of the true class $t$ is
# $L = -\log p_t$. Its gradient is as simple as in the binary case:
#
# $$\frac{\partial L}{\partial z_c} = p_c - [c = t].$$
#
# `F.cross_entropy(logits, targets)` takes the raw logits, shape $(N, C)$, and class indices,
# shape $(N,)$, and averages over the $N$ samples, so its gradient is $(p - \text{onehot})/N$.
# To check it we compute the probabilities with `F.softmax(logits, dim=1)`: the argument `dim`
# (PyTorch's name) says along which dimension an operation works, here dimension 1, across the
# $C$ logits of each row.

# %%
logits = minitorch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]], dtype=minitorch.float64, requires_grad=True)
targets = minitorch.tensor([0, 1])
loss = F.cross_entropy(logits, targets)
loss.backward()
probs = F.softmax(logits, dim=1).detach().numpy()
onehot = np.eye(3)[targets.numpy()]
print("loss:", round(loss.item(), 4))
print("gradient from backward:\n", np.round(logits.grad.numpy(), 4))
print("(p - onehot) / N:\n", np.round((probs - onehot) / 2, 4))
assert np.allclose(logits.grad.numpy(), (probs - onehot) / 2)
assert np.isclose(loss.item(), -np.mean(np.log(probs[[0, 1], [0, 1]])))

# %% [markdown]
# **Where the seeds go wrong.** Seed 002 gives the MSE derivative as $-2(\hat y - y)$ without
# saying with respect to what. Read fairly, it is the derivative with respect to the *target*
# $y$, which we never update (lesson 2 checks this too); backpropagation needs the one with
# respect to the prediction, $+2(\hat y - y)$, and for the mean over $n$ values $\frac{2}{n}(\hat y - y)$
# (seed 003 drops the $\frac1n$). Seed 002 also writes the cross-entropy derivative as
# $\hat y - y$: correct, but only with respect to the *logits*, when $\hat y$ is a softmax;
# with respect to $\hat y$ itself it is $-y/\hat y$ (as seed 003 has it). The engine settles it:

# %%
pred = minitorch.tensor([0.5, 2.0, -1.0], dtype=minitorch.float64, requires_grad=True)
y_true = minitorch.tensor([1.0, 1.0, 1.0], dtype=minitorch.float64, requires_grad=True)
F.mse_loss(pred, y_true).backward()
print("d MSE / d prediction:", pred.grad.numpy(), " = 2/n (prediction - target):",
      2 / 3 * (pred.detach().numpy() - 1))
print("d MSE / d target:    ", y_true.grad.numpy(), " = -2/n (prediction - target): seed 002's sign")
assert np.allclose(pred.grad.numpy(), 2 / 3 * (pred.detach().numpy() - y_true.detach().numpy()))
assert np.allclose(y_true.grad.numpy(), -pred.grad.numpy())

# %% [markdown]
# ## 4. Softmax and log-sum-exp without overflow
#
# A float64 holds numbers up to about $1.8 \times 10^{308}$, so $e^{x}$ overflows to `inf` for
# $x > 709.8$ (float32: already for $x > 88.7$). Logits of a few hundred or thousand happen
# (a badly scaled layer, a long training run). Watch plain numpy compute softmax of logits
# around 1000:

# %%
big = np.array([1000.0, 999.0, 998.0])
with np.errstate(over="ignore", invalid="ignore"):   # silence numpy's warnings: we look at the result
    naive_exp = np.exp(big)
    naive_softmax = naive_exp / naive_exp.sum()
    naive_lse = np.log(np.exp(big).sum())
print("exp(logits)      :", naive_exp)
print("naive softmax    :", naive_softmax, "  (inf / inf = nan)")
print("naive log-sum-exp:", naive_lse)
assert np.isinf(naive_exp).all() and np.isnan(naive_softmax).all() and np.isinf(naive_lse)

# %% [markdown]
# The fix is one line of algebra. For any constant $c$,
#
# $$\frac{e^{x_i}}{\sum_j e^{x_j}} = \frac{e^{c}\,e^{x_i - c}}{e^{c} \sum_j e^{x_j - c}}
#   = \frac{e^{x_i - c}}{\sum_j e^{x_j - c}}, \qquad
#   \log \sum_j e^{x_j} = c + \log \sum_j e^{x_j - c}.$$
#
# Choose $c = m = \max_j x_j$. Then every exponent $x_j - m$ is $\le 0$, so nothing
# overflows, and the largest term is $e^0 = 1$, so the sum is at least 1 and its log is finite.

# %%
### BEGIN REFERENCE 2.9: the stable softmax and log-sum-exp in numpy (the log-sum-exp is task 2.9's)
def stable_softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def stable_logsumexp(x):
    m = x.max()
    return m + np.log(np.exp(x - m).sum())
### STUDENT
# def stable_softmax(x):
#     """softmax(x) = exp(x - max x) / sum exp(x - max x), by minitorch's softmax."""
#     return minitorch.tensor(x).softmax(dim=0).numpy()
#
#
# def stable_logsumexp(x):
#     """log sum exp(x) = max x + log sum exp(x - max x), by your logsumexp (task 2.9)."""
#     return minitorch.tensor(x).logsumexp(dim=0).item()
### END REFERENCE


print("stable softmax    :", stable_softmax(big))
print("stable log-sum-exp:", stable_logsumexp(big))
small = np.array([1.0, 0.0, -1.0])
assert np.allclose(stable_softmax(big), stable_softmax(small))   # softmax ignores a shift
assert np.isclose(stable_logsumexp(big), 999 + stable_logsumexp(small))

# %% [markdown]
# The same trick rescues very *negative* logits, where every $e^{x_j}$ underflows to 0 and
# the naive softmax is $0/0$. And for a loss we want $\log p_t$, not $p_t$: even the stable
# softmax rounds a tiny probability to 0, whose log is $-\infty$. The cure is to never form
# $p$ at all: $\log p_i = x_i - \operatorname{logsumexp}(x)$ (the **log-softmax**).

# %%
very_negative = np.array([-1000.0, -1001.0])
with np.errstate(invalid="ignore"):
    print("naive softmax of", very_negative, ":", np.exp(very_negative) / np.exp(very_negative).sum())
far_apart = np.array([0.0, -800.0])
with np.errstate(divide="ignore"):
    log_of_softmax = np.log(stable_softmax(far_apart))
log_softmax = far_apart - stable_logsumexp(far_apart)
print("log(stable softmax):", log_of_softmax, "   log-softmax:", log_softmax)
assert np.isinf(log_of_softmax[1]) and np.allclose(log_softmax, [0.0, -800.0])

# %% [markdown]
# minitorch's `softmax`, `log_softmax` and `logsumexp` (on tensors, along a `dim`) all subtract
# the maximum first, and `F.cross_entropy` is built on `log_softmax`. So even logits of size
# $10^4$, where $e^{10^4}$ would overflow any float, give a finite loss and finite gradients:

# %%
x = minitorch.tensor([[1000.0, 999.0, 998.0]])
print("softmax  :", x.softmax(dim=1))
print("logsumexp:", x.logsumexp(dim=1))
assert np.isfinite(x.softmax(dim=1).numpy()).all()

logits = minitorch.tensor([[1e4, -1e4], [-1e4, 1e4]], requires_grad=True)
targets = minitorch.tensor([1, 1])   # the first row is confidently wrong, the second right
loss = F.cross_entropy(logits, targets)
loss.backward()
print("cross-entropy at |logits| = 1e4:", loss.item())
print("its gradient:", logits.grad.numpy().tolist())
# Row 1 costs -log p_1 = 2e4 + log(1 + e^-2e4) = 2e4, row 2 costs log(1 + e^-2e4) = 0: the mean is 1e4.
assert np.isfinite(loss.item()) and np.isclose(loss.item(), 1e4)
assert np.allclose(logits.grad.numpy(), [[0.5, -0.5], [0.0, 0.0]])   # (p - onehot) / N

# %% [markdown]
# ## Summary
#
# - Inside deep networks prefer ReLU or GELU: their slope does not shrink the gradient layer
#   after layer, while the sigmoid's (at most $\tfrac14$) does.
# - For classification, put the cross-entropy on the logits: its gradient $p - y$ is large
#   exactly when the model is confidently wrong. MSE on a sigmoid stalls there.
# - Never exponentiate raw logits: subtract the maximum (softmax, log-sum-exp) and work with
#   log-probabilities (log-softmax). `F.cross_entropy` does this for you, so pass it logits,
#   not probabilities.
#
# ## Exercises
#
# Exercises 1-5 have a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("4.1", leaky_relu)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **Leaky ReLU.** Write `leaky_relu(x, a=0.01)` with `minitorch.where(x > 0, x, a * x)` (it
#    takes the second argument where the condition holds and the third elsewhere), get
#    its derivative with the `sum().backward()` trick and plot it. Rerun section 2 with it.
#    *Hint:* the derivative is 1 or $a$; the gradient ratio should stay near that of ReLU.
# 2. **tanh in the deep stack.** Add `F.tanh` to section 2. Does its gradient vanish with these
#    weights? *Hint:* $\tanh'(0) = 1$, four times the sigmoid's; near 0 tanh behaves like the
#    identity.
# 3. **Where MSE is fine.** Plot $\partial L_\text{MSE}/\partial z$ for targets $y = 1$ and $y = 0$
#    over $z \in [-10, 10]$. For which logits is the MSE gradient largest, and is that where
#    learning needs it? *Hint:* the maximum of $2(1-p)p(1-p)$ is at $p = 1/3$.
# 4. **float32 overflow.** Find the smallest integer $x$ for which `np.exp(np.float32(x))` is `inf`,
#    and check that `minitorch.tensor([[x, 0.0]]).softmax(dim=1)` is still finite.
#    *Hint:* $\ln(3.4 \times 10^{38}) \approx 88.7$.
# 5. **The gradient of log-sum-exp.** Show on paper that
#    $\partial \operatorname{logsumexp}(x)/\partial x_i = \operatorname{softmax}(x)_i$, then check
#    it with `x.logsumexp(dim=0).backward()`. *Hint:* differentiate $\log \sum_j e^{x_j}$ with the
#    chain rule.
