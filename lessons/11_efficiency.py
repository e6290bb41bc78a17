# %% [markdown]
# # Lesson 11: Smaller and faster models — pruning and int8 quantisation
#
# A trained network is a pile of numbers, and most of them are stored with more care than
# they deserve. This lesson takes a trained MLP and makes it smaller in two classic ways:
#
# - **pruning**: set the weights of smallest magnitude to zero, and store only the rest;
# - **quantisation**: store each weight in 8 bits instead of 32, and even compute in integers.
#
# After each step we measure three things on this machine and put them in **one table**:
# the size of the model in bytes, the time of one inference pass over the test set, and the
# test accuracy.
#
# **Learning goals**
# - prune a trained model by weight magnitude and see how accuracy falls with sparsity;
# - store a sparse matrix in CSR form and count when it saves bytes (and when it does not);
# - quantise weights to int8 with per-tensor and per-channel scales, and bound the error;
# - multiply int8 matrices with int32 accumulation, and show why 16 bits would overflow;
# - weigh size, speed and accuracy against each other from measurements, not hopes.
#
# **Time:** about 45 minutes. **Builds on:** training an MLP (lesson 6), `nn`, `optim`, `data`.
#
# **New API in this lesson:** `Module.modules()` (every submodule, to pick out the `Linear`
# layers) and the in-place `Tensor.mul_` under `minitorch.no_grad()`. The rest is numpy.

# %%
import os
import time

# Time on one core: the speed comparisons below are between algorithms, not thread counts (the
# integer matmul has only one thread). These must be set before numpy is imported.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("11_efficiency")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt
import numpy as np

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.data import DataLoader, load_digits
from minitorch.metrics import accuracy

# %% [markdown]
# ## 1. A model worth compressing
#
# The 8×8 digits of lesson 6 (1438 training and 359 test images), and a plain MLP
# 64 → 256 → 128 → 10 trained with Adam. It is not lesson 6's final model (64 → 128 → 128 → 10,
# AdamW with weight decay, augmentation and early stopping): compression only needs a trained
# model, so we keep the training loop to its bare minimum.

# %%
minitorch.manual_seed(0)
train_set, test_set = load_digits("train"), load_digits("test")
X_test, y_test = test_set.tensors       # a dataset's .tensors: all its images and labels (like [:])
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
EPOCHS, LR = (6, 3e-3) if FAST else (30, 1e-3)     # fast mode trains less (about 96% instead of 97%)


def train(model, epochs, lr, after_step=None):
    optimizer = minitorch.optim.Adam(model.parameters(), lr=lr)
    loader = DataLoader(train_set, batch_size=64, shuffle=True)
    for epoch in range(epochs):
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if after_step is not None:
                after_step()
    return loss.item()


start = time.perf_counter()
last_loss = train(model, EPOCHS, LR)
with minitorch.no_grad():
    base_accuracy = accuracy(model(X_test), y_test)
print(f"trained {EPOCHS} epochs in {time.perf_counter() - start:.1f} s: last batch loss {last_loss:.3f}, "
      f"test accuracy {base_accuracy:.3f}")
assert base_accuracy > (0.9 if FAST else 0.95)

# %% [markdown]
# ## 2. A tiny inference engine in numpy
#
# To compare compressed models fairly, every version runs through the same few lines of
# numpy: a model is a list of layers, with a ReLU between them. Each kind of layer knows how
# to multiply and how many bytes it stores. The first kind holds float32 weights, as trained.
# (A deployed model carries no autograd, so no minitorch here: just arrays.)

# %%
class DenseLayer:
    """y = x W^T + b with float32 weights W (out, in) and bias b (out,)."""

    def __init__(self, weight, bias):
        self.weight, self.bias = weight, bias

    def __call__(self, x):
        return x @ self.weight.T + self.bias

    def arrays(self):
        return [self.weight, self.bias]


def run(layers, x):
    """The MLP's forward pass: layer, ReLU, layer, ReLU, ..., layer (logits)."""
    for i, layer in enumerate(layers):
        x = layer(x)
        if i < len(layers) - 1:
            x = np.maximum(x, 0.0)
    return x


def nbytes(layers):
    return sum(array.nbytes for layer in layers for array in layer.arrays())


linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
weights = [layer.weight.detach().numpy().copy() for layer in linears]
biases = [layer.bias.detach().numpy().copy() for layer in linears]
dense = [DenseLayer(w, b) for w, b in zip(weights, biases)]
X, y = X_test.numpy(), y_test.numpy()
with minitorch.no_grad():
    assert np.allclose(run(dense, X), model(X_test).numpy(), atol=1e-5)
print("weights:", [w.shape for w in weights],
      "| parameters:", sum(w.size + b.size for w, b in zip(weights, biases)))
print(f"float32 model: {nbytes(dense)} bytes, test accuracy {accuracy(run(dense, X), y):.3f}")

# %% [markdown]
# Speed is measured with `time.perf_counter`: one pass over the 359 test images, repeated, and
# we keep the **median** (the middle value is not thrown off by a run the operating system
# happened to interrupt). Times are from *this* machine and vary from run to run; read them as
# rough ratios.

# %%
REPEATS = 30 if FAST else 200


def inference_time(layers):
    """Median seconds of one forward pass over the test set."""
    start = time.perf_counter()
    run(layers, X)  # warm-up, and a first guess of the time
    first = time.perf_counter() - start
    times = []
    for _ in range(max(3, min(REPEATS, int(0.2 / first)))):   # a slow model: fewer repeats
        start = time.perf_counter()
        run(layers, X)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


table = []   # one row per model: name, bytes, seconds, accuracy


def measure(name, layers):
    row = {"model": name, "bytes": nbytes(layers), "seconds": inference_time(layers),
           "accuracy": accuracy(run(layers, X), y)}
    table.append(row)
    print(f"{name}: {row['bytes']} bytes, {row['seconds'] * 1e6:.0f} µs, accuracy {row['accuracy']:.3f}")
    return row


baseline = measure("float32 (baseline)", dense)

# %% [markdown]
# ## 3. Magnitude pruning
#
# A weight $w$ adds $w \cdot x$ to a neuron's input. If $|w|$ is tiny, dropping it changes
# little. **Magnitude pruning** keeps, in each layer, the weights whose $|w|$ exceeds a
# threshold $\tau$, and zeroes the rest. To prune a fraction $p$ of a layer, take $\tau$ as the
# $p$-quantile of its $|w|$:
# $$\tau_p = \text{quantile}_p\big(|W|\big), \qquad
# w' = \begin{cases} w & |w| > \tau_p \\ 0 & \text{otherwise.} \end{cases}$$
# Biases are few (one per neuron) and are kept.

# %%
def prune_mask(weight, fraction):
    """True for the weights to keep: those above the `fraction`-quantile of |weight|."""
    threshold = np.quantile(np.abs(weight), fraction)
    return np.abs(weight) > threshold


for fraction in (0.5, 0.8, 0.9):
    masks = [prune_mask(w, fraction) for w in weights]
    pruned = [DenseLayer(w * m, b) for w, m, b in zip(weights, masks, biases)]
    kept = sum(m.sum() for m in masks) / sum(m.size for m in masks)
    print(f"pruned {fraction:.0%}: {kept:.1%} of the weights kept, "
          f"accuracy {accuracy(run(pruned, X), y):.3f}")
    assert abs(kept - (1 - fraction)) < 0.01

# %% [markdown]
# The histogram of the first layer's weights and, shaded, the bands that each pruning level
# removes: $|w| \le \tau_{50\%}$, then the two strips that 80% adds, then those that 90% adds.
# `nn.Linear` starts from the uniform distribution on $\pm 1/\sqrt{64} = \pm 0.125$, a flat
# histogram; training has reshaped it. We measure how: the share of weights that left the
# initial range, and the *excess kurtosis* $\mathbb E[(w - \bar w)^4] / \sigma^4 - 3$, a number
# for the shape of a distribution: $-1.2$ for any uniform one, $0$ for a bell-shaped Gaussian.

# %%
w1 = np.abs(weights[0].ravel())
outside = np.mean(w1 > 0.125)
centred = weights[0].ravel() - weights[0].mean()
kurtosis = np.mean(centred**4) / np.mean(centred**2) ** 2 - 3
print(f"layer 1: {outside:.0%} of the weights lie outside the initial ±0.125; excess kurtosis {kurtosis:.2f} "
      f"(uniform -1.2, Gaussian 0)")
assert outside > 0.05 and abs(kurtosis) < abs(kurtosis + 1.2)   # spread out, and closer to a bell than flat

fig, ax = plt.subplots(figsize=(6.5, 3.5))
ax.hist(weights[0].ravel(), bins=80, color="grey", zorder=2)
inner = 0.0
for fraction, colour in ((0.5, "tab:blue"), (0.8, "tab:orange"), (0.9, "tab:red")):
    tau = np.quantile(w1, fraction)
    label = (f"pruning {fraction:.0%} removes |w| ≤ {tau:.3f}" if inner == 0 else
             f"pruning {fraction:.0%} also removes {inner:.3f} < |w| ≤ {tau:.3f}")
    for side in (-1, 1):   # non-overlapping strips, so that every colour stays readable
        ax.axvspan(side * inner, side * tau, color=colour, alpha=0.3, zorder=0, label=label if side == 1 else None)
    inner = tau
ax.set_xlabel("weight value (layer 1, 64 → 256)")
ax.set_ylabel("count")
ax.set_title("Magnitude pruning removes the weights nearest zero")
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))   # beside the plot, not over it
plt.savefig(os.path.join(OUT, "weight_histogram.png"), dpi=100, bbox_inches="tight")
show()

# %% [markdown]
# Training has pushed about a quarter of the weights past the initial $\pm 0.125$, and the
# histogram is rounded, with tails: its kurtosis lies between the flat start's and a
# Gaussian's, nearer the Gaussian. The 50% band covers the tallest part of it.
#
# How far can we go? Accuracy against the pruned fraction, from 0 to 98%:

# %%
fractions = np.array([0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98])
curve = []
for fraction in fractions:
    layers = [DenseLayer(w * prune_mask(w, fraction), b) for w, b in zip(weights, biases)]
    curve.append(accuracy(run(layers, X), y))
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(fractions * 100, curve, "o-")
ax.axhline(base_accuracy, color="grey", ls=":", label="unpruned")
ax.set_xlabel("weights pruned (%)")
ax.set_ylabel("test accuracy")
ax.set_title("Accuracy after magnitude pruning (no retraining)")
ax.legend()
plt.savefig(os.path.join(OUT, "pruning_curve.png"), dpi=100, bbox_inches="tight")
show()
print("  ".join(f"{f:.0%}: {a:.3f}" for f, a in zip(fractions, curve)))
assert curve[-1] < curve[0] - 0.2     # prune almost everything and the model breaks

# %% [markdown]
# Half of the weights can go almost for free; past 80–90% accuracy falls off a cliff.
#
# ### Zeros are not free: storing a sparse matrix
#
# A pruned matrix full of zeros still takes $4 \times \text{rows} \times \text{cols}$ bytes,
# and a dense matmul still multiplies every zero. To save bytes we must store only the
# nonzeros, *and where they are*. The **CSR** format (compressed sparse row) keeps three arrays:
#
# - `values`: the nonzeros, row by row (float32, 4 bytes each);
# - `columns`: the column of each nonzero (here fewer than 256 columns, so 1 byte, `uint8`);
# - `row_start`: where each row's nonzeros begin in `values` (rows + 1 int32 numbers).
#
# So a layer with $z$ nonzeros takes $5z + 4(\text{rows} + 1)$ bytes against $4 \cdot \text{rows}
# \cdot \text{cols}$ dense: CSR wins only once fewer than about 80% of the weights are left,
# and at 50% pruning it saves $1 - 2.5/4 = 37.5\%$, not half.
#
# Like a zip file, the compressed form is for storing. To run, this layer unpacks its weights
# into a dense matrix (a scatter of the values into zeros) and multiplies as before.

# %%
class CSRLayer:
    """A pruned layer stored in compressed sparse row form; unpacked to dense to run."""

    def __init__(self, weight, bias):
        rows, cols = np.nonzero(weight)                   # row-major order: row by row
        self.shape = weight.shape
        self.values = weight[rows, cols].astype(np.float32)
        self.columns = cols.astype(np.min_scalar_type(weight.shape[1] - 1))   # uint8 here
        self.row_start = np.searchsorted(rows, np.arange(weight.shape[0] + 1)).astype(np.int32)
        self.bias = bias

    def dense_weight(self):
        weight = np.zeros(self.shape, dtype=np.float32)
        rows = np.repeat(np.arange(self.shape[0]), np.diff(self.row_start))
        weight[rows, self.columns] = self.values
        return weight

    def __call__(self, x):
        return x @ self.dense_weight().T + self.bias

    def arrays(self):
        return [self.values, self.columns, self.row_start, self.bias]


masks = [prune_mask(w, 0.5) for w in weights]
sparse = [CSRLayer(w * m, b) for w, m, b in zip(weights, masks, biases)]
masked_dense = [DenseLayer(w * m, b) for w, m, b in zip(weights, masks, biases)]
print("first row_start entries of layer 1:", sparse[0].row_start[:6],
      "| column dtype:", sparse[0].columns.dtype)
print(f"50% pruned: dense {nbytes(masked_dense)} bytes, CSR {nbytes(sparse)} bytes")
assert all(np.array_equal(layer.dense_weight(), w * m) for layer, w, m in zip(sparse, weights, masks))
assert 0.6 < nbytes(sparse) / nbytes(masked_dense) < 0.7        # 2.5/4 = 0.625, plus row starts

# %% [markdown]
# Now the pruned models enter the table, each stored as CSR.

# %%
pruned_rows = {}
for fraction in (0.5, 0.8, 0.9):
    layers = [CSRLayer(w * prune_mask(w, fraction), b) for w, b in zip(weights, biases)]
    pruned_rows[fraction] = measure(f"pruned {fraction:.0%} (CSR)", layers)

# %% [markdown]
# ### Pruning, then fine-tuning
#
# At 90% the network has lost too much. But the surviving weights can *adapt*: train a little
# more with the pruned weights held at zero. After every optimiser step we multiply each
# weight matrix by its mask again (`mul_` under `no_grad`, an in-place update the tape does
# not record), so the zeros stay zeros.

# %%
# minitorch.from_numpy(array) makes a tensor from a numpy array (sharing its memory)
masks90 = [minitorch.from_numpy(prune_mask(w, 0.9).astype(np.float32)) for w in weights]


def apply_masks():
    with minitorch.no_grad():
        for layer, mask in zip(linears, masks90):
            layer.weight.mul_(mask)


apply_masks()
train(model, 3 if FAST else 10, lr=1e-3, after_step=apply_masks)
tuned = [CSRLayer(layer.weight.detach().numpy().copy(), layer.bias.detach().numpy().copy())
         for layer in linears]
for layer, mask in zip(linears, masks90):                 # the pruned weights stayed zero
    assert (layer.weight.detach().numpy()[mask.numpy() == 0] == 0).all()
tuned_row = measure("pruned 90% + fine-tuned (CSR)", tuned)
assert tuned_row["accuracy"] > pruned_rows[0.9]["accuracy"] + 0.05

# %% [markdown]
# ## 4. int8 quantisation
#
# A float32 weight spends 32 bits; **int8** spends 8, an integer in $[-127, 127]$. *Symmetric*
# quantisation maps a real number $w$ to an integer $q$ with one **scale** $s$:
# $$q = \operatorname{clip}\!\big(\operatorname{round}(w / s),\, -127,\, 127\big), \qquad \hat w = s\, q,
# \qquad s = \frac{\max |w|}{127}.$$
# Choosing $s$ from the largest $|w|$ means no weight is clipped, and rounding moves each weight
# by at most half a step: $|w - \hat w| \le s/2$. Storing $q$ instead of $w$ makes the model
# (almost exactly) 4 times smaller; to use it we **dequantise**, $\hat w = s q$.
#
# One scale for a whole matrix is **per-tensor**. But rows (output channels) differ: a row of
# small weights wastes most of the 255 levels on a range it never uses. **Per-channel**
# quantisation gives each row $r$ its own $s_r = \max_j |w_{rj}| / 127$, for the price of one
# float per row.

# %%
def quantize(weight, per_channel):
    """int8 q and float32 scale(s) with weight ≈ scale * q; per row when per_channel."""
    top = np.abs(weight).max(axis=1, keepdims=True) if per_channel else np.abs(weight).max()
    scale = np.asarray(top / 127, dtype=np.float32)
    q = np.clip(np.round(weight / scale), -127, 127).astype(np.int8)
    return q, scale


mean_error = {}
for per_channel in (False, True):
    q, scale = quantize(weights[0], per_channel)
    error = np.abs(weights[0] - scale * q)
    mean_error[per_channel] = error.mean()
    print(f"{'per-channel' if per_channel else 'per-tensor '}: max error {error.max():.2e} "
          f"(bound s/2 = {scale.max() / 2:.2e}), mean error {error.mean():.2e}")
    assert (error <= scale / 2 + 1e-7).all()          # rounding moves a weight by at most s/2
assert mean_error[True] < mean_error[False]           # per-channel is more precise

# %% [markdown]
# Per-channel is more precise because the rows' ranges differ. The figure shows each row's
# $\max |w|$: per-tensor quantisation uses the largest for all of them.

# %%
row_max = np.abs(weights[0]).max(axis=1)
fig, ax = plt.subplots(figsize=(6.5, 3.2))
ax.bar(np.arange(len(row_max)), np.sort(row_max)[::-1], color="tab:blue", width=1.0)
ax.axhline(row_max.max(), color="tab:red", ls="--", label="per-tensor range (one scale for all rows)")
ax.set_xlabel("output channel (row of W), sorted")
ax.set_ylabel("max |w| in the row")
ax.set_title("Layer 1: each row's range, the reason for per-channel scales")
ax.legend(fontsize=8)
plt.savefig(os.path.join(OUT, "channel_ranges.png"), dpi=100, bbox_inches="tight")
show()
print(f"row ranges go from {row_max.min():.3f} to {row_max.max():.3f}")

# %% [markdown]
# **Weight-only int8**: the model is stored as int8 plus the scales (the float32 biases are
# kept), and each layer dequantises its weights when it runs.

# %%
class Int8WeightLayer:
    """int8 weights, dequantised to float32 at each call: y = x (s q)^T + b."""

    def __init__(self, weight, bias, per_channel):
        self.q, self.scale = quantize(weight, per_channel)
        self.bias = bias

    def __call__(self, x):
        return x @ (self.scale * self.q).T + self.bias

    def arrays(self):
        return [self.q, self.scale, self.bias]


int8_rows = {}
for per_channel in (False, True):
    layers = [Int8WeightLayer(w, b, per_channel) for w, b in zip(weights, biases)]
    name = f"int8 weights, per-{'channel' if per_channel else 'tensor'}"
    int8_rows[per_channel] = measure(name, layers)

# %% [markdown]
# ### Computing in integers: int8 × int8 with int32 accumulation
#
# Weight-only quantisation saves memory but still multiplies floats. Hardware can multiply
# int8 numbers much faster than floats (GPU tensor cores and recent CPUs have instructions for
# it). For that the **activations** $x$ must be int8 too, with their own scale $s_x$:
# $$y_r = \sum_j x_j w_{rj} + b_r \approx \sum_j (s_x q^x_j)(s_r q^w_{rj}) + b_r
#       = s_x s_r \underbrace{\sum_j q^x_j q^w_{rj}}_{\text{integer sum}} + b_r .$$
# The sum is pure integer arithmetic; one float multiply per output rescales it.
#
# How big can the integer sum get? Each product is at most $127^2 = 16129$, and there are up to
# $K = 256$ of them (the widest layer's inputs): over four million. An int16 accumulator (max
# 32767) would overflow and **wrap around** silently; int32 (max about $2.1 \times 10^9$) is safe.

# %%
K = max(w.shape[1] for w in weights)
worst = np.full((1, K), 127, dtype=np.int8)
exact = int((worst.astype(np.int64) @ worst.T.astype(np.int64))[0, 0])
in_int16 = int((worst.astype(np.int16) @ worst.T.astype(np.int16))[0, 0])
in_int32 = int((worst.astype(np.int32) @ worst.T.astype(np.int32))[0, 0])
print(f"worst case over K = {K}: exact {exact}, int16 accumulator {in_int16}, int32 accumulator {in_int32}")
assert in_int16 != exact and in_int32 == exact

# %% [markdown]
# The activation scale $s_x$ of each layer comes from **calibration**: run some training images
# through the float model and record the largest $|x|$ that reaches the layer. (Images the model
# was not trained on are better still; here the training set stands in.)

# %%
def input_ranges(layers, x):
    """max |input| of each layer on the calibration batch x."""
    ranges = []
    for i, layer in enumerate(layers):
        ranges.append(float(np.abs(x).max()))
        x = layer(x)
        if i < len(layers) - 1:
            x = np.maximum(x, 0.0)
    return ranges


calibration = train_set.tensors[0].numpy()[:500]
ranges = input_ranges(dense, calibration)
print("largest |input| of each layer:", np.round(ranges, 2))


class Int8Layer:
    """int8 activations and weights, int32 accumulation: y = s_x s_w (q_x q_w^T) + b."""

    def __init__(self, weight, bias, input_range):
        self.q, scale = quantize(weight, per_channel=True)
        self.scale = scale.reshape(-1)                       # one per output, (out,)
        self.input_scale = np.float32(input_range / 127)
        self.bias = bias

    def __call__(self, x):
        qx = np.clip(np.round(x / self.input_scale), -127, 127).astype(np.int8)
        accumulated = qx.astype(np.int32) @ self.q.T.astype(np.int32)   # exact integer sums
        return accumulated * (self.input_scale * self.scale) + self.bias

    def arrays(self):
        return [self.q, self.scale, np.asarray(self.input_scale), self.bias]


int8_full = [Int8Layer(w, b, r) for w, b, r in zip(weights, biases, ranges)]
drift = np.abs(run(int8_full, X) - run(dense, X)).max()
print(f"largest change of a logit: {drift:.3f} (logits span {np.ptp(run(dense, X)):.1f})")
int8_act_row = measure("int8 weights + activations (int32 acc.)", int8_full)

# %% [markdown]
# ## 5. The table
#
# Everything measured above, side by side. "Smaller" is the baseline's bytes divided by the
# model's; "time" is the median of one pass over the 359 test images on this machine.

# %%
print(f"{'model':42s} {'bytes':>8s} {'smaller':>8s} {'time (µs)':>10s} {'accuracy':>9s} {'change':>8s}")
for row in table:
    print(f"{row['model']:42s} {row['bytes']:8d} {baseline['bytes'] / row['bytes']:7.1f}x "
          f"{row['seconds'] * 1e6:10.0f} {row['accuracy']:9.3f} "
          f"{row['accuracy'] - baseline['accuracy']:+8.3f}")

# the claims of this lesson, checked on the numbers in the table
MAX_DROP = 0.02 if FAST else 0.01          # fast mode trains less: a slightly looser bound
assert baseline["accuracy"] - pruned_rows[0.5]["accuracy"] <= MAX_DROP       # 50% pruning: small drop
for row in (*int8_rows.values(), int8_act_row):
    assert baseline["accuracy"] - row["accuracy"] <= MAX_DROP                # int8: small drop
    assert 3.5 < baseline["bytes"] / row["bytes"] <= 4.0                     # int8: about 4x smaller
assert pruned_rows[0.9]["bytes"] < pruned_rows[0.8]["bytes"] < pruned_rows[0.5]["bytes"] < baseline["bytes"]

# %% [markdown]
# How to read it:
#
# - **Size.** int8 is just under 4× smaller (biases and scales stay float32). CSR pruning saves
#   less than the pruned fraction suggests, because every kept value also stores its column.
# - **Accuracy.** 50% pruning and int8 cost (almost) nothing here; 90% pruning costs a lot until
#   the model is fine-tuned with the mask.
# - **Speed** — the surprise: compression did not make anything faster. The pruned and
#   weight-only int8 models unpack to the same dense float32 matrices and then run the same
#   matmul, so they take about the baseline's time (plus the unpacking). The integer model is
#   much *slower*: numpy has no fast int8 matmul (integer `@` is a plain loop), while float32
#   `@` calls a tuned BLAS library. Smaller is not automatically faster: speed needs *kernels*
#   built for the format — int8 instructions (CPU VNNI; an H100 SXM's 8-bit tensor cores do
#   1,979 TOPS, trillion integer operations per second, dense, against 67 TFLOP/s in fp32),
#   sparse kernels that skip the zeros, or *structured* pruning that removes whole neurons so
#   the remaining matrices are smaller and still dense.

# %%
for row in table[1:]:
    print(f"{row['model']:42s} takes {row['seconds'] / baseline['seconds']:5.2f}x the baseline's time")
integer_row = table[-1]
assert integer_row["seconds"] > baseline["seconds"]     # numpy's integer matmul is no BLAS

# %% [markdown]
# ## Summary
#
# - Magnitude pruning zeroes the smallest weights; half of them go almost for free, 90% needs
#   fine-tuning with the mask held fixed.
# - Sparse storage costs an index per value: CSR with 1-byte indices saves 37.5% at 50% sparsity.
#   Stored compressed, the model still computes densely unless a sparse kernel runs it.
# - Symmetric int8 quantisation, $\hat w = s q$ with $s = \max|w|/127$, errs by at most $s/2$ per
#   weight; per-channel scales err less. The model becomes about 4× smaller.
# - Integer matmuls accumulate in int32: 16 bits overflow after a handful of products.
# - Size, speed and accuracy must each be *measured*: a smaller model is faster only with
#   kernels made for its format.
#
# ## Exercises
#
# Exercises 1-5 have a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("11.5", csr_matmul)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **Global pruning.** Instead of the same fraction in every layer, use one threshold for all
#    weights of the model. At 90%, which layer loses the most weights, and is accuracy better or
#    worse? *Hint:* `np.quantile(np.concatenate([np.abs(w).ravel() for w in weights]), 0.9)`.
# 2. **Structured pruning.** Remove the 50% of hidden neurons (rows of `weights[0]`, and the
#    matching columns of `weights[1]`) with the smallest row norm. Time the smaller dense model.
#    *Hint:* `np.linalg.norm(weights[0], axis=1)`; keep `biases[0]` for the kept rows only.
# 3. **Asymmetric activations.** After a ReLU every input is $\ge 0$, so symmetric int8 wastes the
#    negative half. Quantise with `uint8` and a zero point, $x \approx s (q - z)$. Does the logit
#    drift shrink? *Hint:* $s = (\max x - \min x)/255$, $z = \operatorname{round}(-\min x / s)$.
# 4. **Fewer bits.** Quantise the weights to 4 bits ($[-7, 7]$) per channel. How far does accuracy
#    fall, and how many bytes would the model take if two weights were packed into each byte? Then
#    combine both ideas: store the fine-tuned 90% model's nonzero values as int8 in CSR form. How
#    many times smaller than the baseline is it, and what is its accuracy? *Hint:* in `quantize`
#    replace 127 by 7; for the combination, `quantize(layer.values, per_channel=False)` works on a
#    CSR layer's 1-D array of values.
# 5. **A sparse product.** Multiply by the CSR matrix without unpacking it:
#    $y_{:, r} = \sum_{k \in \text{row } r} x_{:, c_k} v_k$. Time it against the dense product at
#    50% and 90% sparsity. *Hint:* `products = x[:, columns] * values`, then
#    `np.add.reduceat(products, row_start[:-1], axis=1)` sums each row's segment (mind empty rows).
