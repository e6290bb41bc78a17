# %% [markdown]
# # Lesson 6: Training an MLP
#
# We have every ingredient: tensors and autograd, activations, losses and optimisers. This lesson
# puts them together into the everyday craft of training a multi-layer perceptron (MLP): how to
# initialise it, how to tell learning from memorising, how to fight overfitting, when to stop,
# and how to measure the result honestly.
#
# **Learning goals**
#
# - choose an initialisation (Gaussian, Xavier, He) that keeps activations at a healthy scale
# - build and train an MLP with `nn.Sequential`, and draw its decision boundary
# - split data into train / validation / test, and recognise overfitting in the curves
# - regularise with dropout, weight decay, L1 and data augmentation; stop early
# - evaluate with accuracy, precision, recall, F1 and the confusion matrix (`minitorch.metrics`)
#
# **Time:** about 75 minutes.
#
# **Builds on:** lesson 4 (ReLU, cross-entropy), lesson 5 (Adam and AdamW, `DataLoader`).

# %%
import os

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("06_training_an_mlp")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt

# %%
import numpy as np

import minitorch
import minitorch.nn.functional as F
from minitorch import metrics, nn
from minitorch.data import DataLoader, TensorDataset, load_digits, make_spiral, random_split, transforms

# Fast mode trains for fewer epochs; the claims checked below hold in both modes.
SPIRAL_EPOCHS = 300 if FAST else 1000
SMALL_EPOCHS = 60 if FAST else 100
FINAL_EPOCHS = 30 if FAST else 100
minitorch.manual_seed(0)

# %% [markdown]
# ## 1. Initialisation: keeping the signal alive
#
# A layer is `nn.Linear(n_in, n_out)`: it holds a weight matrix $W$ of shape $(n_\text{out},
# n_\text{in})$ (`layer.weight`) and a bias $b$ (`layer.bias`), and calling it, `layer(x)`,
# computes $z = x W^\top + b$. Before training, $W$ must be
# filled with random numbers (all-equal weights would make every unit compute the same thing
# forever). But *how large* should they be?
#
# Take one output $z_j = \sum_{i=1}^{n} W_{ji} h_i$ with independent, zero-mean weights of
# variance $\operatorname{Var}(W)$. The variances of independent terms add up, so
#
# $$\operatorname{Var}(z_j) = n \cdot \operatorname{Var}(W) \cdot \mathbb{E}[h_i^2].$$
#
# Each layer multiplies the scale of the signal by $n \operatorname{Var}(W)$ (up to what the
# activation does). Through 10 layers that factor is raised to the 10th power: anything but
# $\approx 1$ makes the activations explode or vanish, and the gradients with them.
#
# - **Gaussian** with a fixed std, say 1 or 0.01: the factor is $n \cdot 1$ or $n \cdot 10^{-4}$,
#   far from 1 for $n = 256$.
# - **Xavier / Glorot**: $\operatorname{Var}(W) = \frac{2}{n_\text{in} + n_\text{out}}$, i.e. $1/n$
#   for a square layer. Right for tanh or no activation, which keep $\mathbb{E}[h^2] \approx
#   \operatorname{Var}(z)$ near 0.
# - **He / Kaiming**: $\operatorname{Var}(W) = \frac{2}{n_\text{in}}$. ReLU zeroes half of its
#   inputs, so $\mathbb{E}[h^2] = \frac12 \operatorname{Var}(z)$, and the factor 2 makes up for it.
#
# `minitorch.nn.init` fills a tensor in place: `normal_(w, mean, std)`, `xavier_normal_(w)`,
# `kaiming_normal_(w, nonlinearity="relu")` (He), uniform versions of each, and `zeros_(w)`.
# The tensor to fill can come from `minitorch.empty(rows, cols)`, which allocates one without
# setting its numbers; `w.var()` is the variance of all its entries.
#
# **About the seed's formulas.** Seed 003 writes Gaussian init as $\mathcal N(0, \frac{1}{\sqrt n})$,
# Xavier as $\mathcal N(0, \frac{1}{\sqrt{f_\text{in} + f_\text{out}}})$ and He as $\mathcal N(0,
# \frac{2}{f_\text{in}})$, without saying whether the second argument is the variance (the usual
# convention in maths) or the standard deviation (numpy's and PyTorch's `normal(mean, std)`).
# Read as variances, only He is right: the other two should have variance $1/n$ and
# $\frac{2}{f_\text{in} + f_\text{out}}$. Read as standard deviations, $\mathcal N(0, \frac{1}{\sqrt n})$
# has variance $1/n$, which is exactly LeCun's initialisation, Xavier's is $\sqrt 2$ too narrow
# (variance $\frac{1}{f_\text{in} + f_\text{out}}$), and He's is far too narrow (variance
# $4/f_\text{in}^2$). No single reading makes all three right: the seed mixes the conventions.
# The seed also calls Xavier "based on the uniform distribution" while writing a normal one;
# both exist: $\mathcal N(0, \frac{2}{f_\text{in} + f_\text{out}})$ or $U(-a, a)$ with
# $a = \sqrt{6/(f_\text{in} + f_\text{out})}$, which has the same variance $a^2/3$. We check
# minitorch's versions empirically:

# %%
w = minitorch.empty(400, 600)
for name, fill, variance in [
    ("xavier_normal_", nn.init.xavier_normal_, 2 / (600 + 400)),
    ("xavier_uniform_", nn.init.xavier_uniform_, 2 / (600 + 400)),
    ("kaiming_normal_", lambda t: nn.init.kaiming_normal_(t, nonlinearity="relu"), 2 / 600),
]:
    fill(w)
    print(f"{name:16s} variance {w.var().item():.6f}   formula {variance:.6f}")
    assert abs(w.var().item() / variance - 1) < 0.02
nn.init.xavier_uniform_(w)
assert w.abs().max().item() <= np.sqrt(6 / 1000)   # the uniform bound a

# %% [markdown]
# Now the experiment: 500 random inputs pass through 10 layers of `Linear(256, 256)` + ReLU,
# with each initialisation, and we record the variance of the activations after every layer.
# (No training, so we skip building the graph with `no_grad()`.)

# %%
width, depth = 256, 10
inputs = minitorch.randn(500, width)
INITS = {
    "N(0, 1)": lambda t: nn.init.normal_(t, 0.0, 1.0),
    "N(0, 0.01²)": lambda t: nn.init.normal_(t, 0.0, 0.01),
    "Xavier": nn.init.xavier_normal_,
    "He": lambda t: nn.init.kaiming_normal_(t, nonlinearity="relu"),
}


def activation_variances(init, activation=F.relu):
    """The variance of the activations after each of `depth` freshly initialised layers."""
    h, variances = inputs, []
    with minitorch.no_grad():
        for _ in range(depth):
            layer = nn.Linear(width, width)
            init(layer.weight)
            nn.init.zeros_(layer.bias)
            h = activation(layer(h))
            variances.append(h.var().item())
    return np.array(variances)


variances = {name: activation_variances(init) for name, init in INITS.items()}
tanh_xavier = activation_variances(nn.init.xavier_normal_, F.tanh)
for name, v in variances.items():
    print(f"ReLU, {name:12s} variance after layers 1, 5, 10: {v[0]:9.3g} {v[4]:9.3g} {v[9]:9.3g}")
v = tanh_xavier
print(f"tanh, Xavier       variance after layers 1, 5, 10: {v[0]:9.3g} {v[4]:9.3g} {v[9]:9.3g}")

# %%
he = variances["He"]
assert 0.5 < he[-1] / he[0] < 2                          # He: stable through all 10 layers
assert variances["N(0, 1)"][-1] > 1e15                    # std 1: explodes (x ~128 per layer)
assert variances["N(0, 0.01²)"][-1] < 1e-15               # std 0.01: vanishes
assert variances["Xavier"][-1] / variances["Xavier"][0] < 0.01   # Xavier with ReLU: halves per layer

plt.figure(figsize=(6, 4))
for name, v in variances.items():
    plt.semilogy(range(1, depth + 1), v, marker="o", label=f"ReLU, {name}")
plt.semilogy(range(1, depth + 1), tanh_xavier, "k--", label="tanh, Xavier")
plt.xlabel("layer")
plt.ylabel("variance of the activations")
plt.title("activation scale through 10 layers")
plt.legend(fontsize=8)
plt.tight_layout()
plt.savefig(os.path.join(OUT, "init_activation_variance.png"))
show()

# %% [markdown]
# Std 1 multiplies the variance by about $256/2 = 128$ per layer ($10^{21}$ after 10 layers);
# std 0.01 by about $256 \cdot 10^{-4}/2 \approx 0.013$. Xavier with ReLU loses half per layer,
# which adds up to a factor 1000 over 10 layers; He keeps it steady. Xavier is the right partner
# for tanh, whose slope near 0 is 1 (it still shrinks slowly, because tanh squashes; the
# exercises fix that with a "gain").
#
# (`nn.Linear` initialises itself as PyTorch does, uniformly in $\pm 1/\sqrt{n_\text{in}}$. For the
# shallow networks below that is fine; for deep ReLU networks call `kaiming_normal_`.)
#
# ## 2. A first MLP: the spiral
#
# `nn.Sequential(layer1, layer2, ...)` chains layers: its output is `layer2(layer1(x))` and so on,
# and `model.parameters()` lists the weights of all of them for the optimiser. `nn.ReLU()` is
# `F.relu` as a layer, so that it can sit in the chain. After training,
# `metrics.accuracy(scores, labels)` takes the arg-max of each row of scores as the predicted
# class and returns the fraction that is right. The data:
# `make_spiral` gives 300 points in the plane, 100 on each of three interleaved spiral arms,
# as `X` (300, 2) and class labels `y` (300,). No straight line separates the arms, so a single
# linear layer cannot classify them; two hidden layers of 64 ReLUs can.

# %%
minitorch.manual_seed(0)
X_spiral, y_spiral = make_spiral(n_samples=300, n_classes=3)


def train_full_batch(model, X, y, epochs, lr=1e-2):
    """Adam on the cross-entropy, one step per epoch on the whole data set; returns the accuracy."""
    opt = minitorch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = F.cross_entropy(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with minitorch.no_grad():
        return metrics.accuracy(model(X), y)


linear_model = nn.Linear(2, 3)
mlp = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
print(mlp)
linear_acc = train_full_batch(linear_model, X_spiral, y_spiral, SPIRAL_EPOCHS)
mlp_acc = train_full_batch(mlp, X_spiral, y_spiral, SPIRAL_EPOCHS)
print(f"training accuracy: linear model {linear_acc:.1%}, MLP {mlp_acc:.1%}")
assert linear_acc < 0.6 and mlp_acc > 0.95

# %% [markdown]
# To see *what* the MLP learned, we classify every point of a fine grid and colour the plane by
# the predicted class: the **decision boundary** is where the colour changes. `t.argmax(dim=1)`
# gives the index of the largest entry in each row, the predicted class.

# %%
def plot_decision_boundary(model, X, y, path, title):
    xs = np.linspace(-1.3, 1.3, 200)
    gx, gy = np.meshgrid(xs, xs)
    grid = minitorch.tensor(np.stack([gx.ravel(), gy.ravel()], axis=1), dtype=minitorch.float32)
    with minitorch.no_grad():
        classes = model(grid).argmax(dim=1).numpy().reshape(gx.shape)
    plt.figure(figsize=(5, 5))
    plt.contourf(gx, gy, classes, alpha=0.3, levels=[-0.5, 0.5, 1.5, 2.5], cmap="brg")
    plt.scatter(X.numpy()[:, 0], X.numpy()[:, 1], c=y.numpy(), s=8, cmap="brg")
    plt.title(title)
    plt.tight_layout()
    plt.savefig(path)
    show()


plot_decision_boundary(mlp, X_spiral, y_spiral, os.path.join(OUT, "spiral_mlp.png"),
                       f"MLP 2-64-64-3: {mlp_acc:.0%} correct")
plot_decision_boundary(linear_model, X_spiral, y_spiral, os.path.join(OUT, "spiral_linear.png"),
                       f"one linear layer: {linear_acc:.0%} correct")

# %% [markdown]
# The linear model can only cut the plane into three wedges by straight lines; the MLP bends
# its boundaries to follow the arms.
#
# ## 3. Train, validation, test
#
# On the spiral we measured accuracy on the very points we trained on. That says nothing about
# new points: a big enough network can simply memorise its training set. The honest protocol
# uses three disjoint parts of the data:
#
# - the **training set** is what the optimiser sees;
# - the **validation set** is for *our* decisions: which regulariser, how many epochs, which
#   learning rate. We look at it often, so it slowly stops being "new";
# - the **test set** is looked at *once*, at the very end, to report the result.
#
# Our data: `load_digits`, 1797 handwritten digits of 8×8 grey pixels (values in [0, 1],
# flattened to 64 features), already split into 1438 training and 359 test images.
# `random_split` cuts 288 validation images off the training part. Indexing a split with `[:]`
# gives all of its images and labels as two tensors.

# %%
train_full, test_set = load_digits("train"), load_digits("test")
minitorch.manual_seed(0)   # random_split draws from the seeded generator: the same split every run
train_set, val_set = random_split(train_full, [1150, 288])
X_train, y_train = train_set[:]
X_val, y_val = val_set[:]
X_test, y_test = test_set[:]
print("train", tuple(X_train.shape), " validation", tuple(X_val.shape), " test", tuple(X_test.shape))
assert not set(train_set.indices) & set(val_set.indices)   # disjoint (.indices: the rows each part took)
assert len(X_train) + len(X_val) == 1438 and len(X_test) == 359

# %% [markdown]
# To make overfitting easy to see, we first train on only the first **200** training images
# (a small data set is where regularisation matters most), with a brisk learning rate of 0.01.
# The training function below uses AdamW (lesson 5) with a chosen `weight_decay` (0 for none:
# AdamW's default is 0.01), draws
# shuffled mini-batches of 50, and after every epoch records the loss on the training and the
# validation set. Two switches, `augment` and `l1`, and the `stopper` are explained in the
# next sections.
#
# `make_mlp` already has slots for `nn.Dropout` layers (next section; `dropout=0.0` switches
# them off). `model.train()` and `model.eval()` switch layers that behave differently while
# training, like dropout, between their two modes.

# %%
X_small, y_small = X_train[:200], y_train[:200]
SMALL_LR = 1e-2


def make_mlp(dropout=0.0):
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(128, 128), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(128, 10))


def loss_on(model, X, y):
    model.eval()
    with minitorch.no_grad():
        return F.cross_entropy(model(X), y).item()


def weights_of(model):
    """The weight matrices of the model's Linear layers (biases are usually not regularised).

    named_parameters() yields (name, tensor) pairs such as ("0.weight", ...), ("0.bias", ...).
    """
    return [p for name, p in model.named_parameters() if name.endswith("weight")]

# %% [markdown]
# `fit` is the training loop, with the switches described above:

# %%
def fit(model, X, y, epochs, lr=3e-3, weight_decay=0.0, l1=0.0, augment=None, stopper=None, batch_size=50):
    """Train model on (X, y) with AdamW; return the per-epoch train and validation losses."""
    opt = minitorch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True)
    history = {"train": [], "val": []}
    for _ in range(epochs):
        model.train()
        for xb, yb in loader:
            if augment is not None:   # transform the images (N, 1, 8, 8), then flatten again
                xb = augment(xb.reshape(-1, 1, 8, 8)).reshape(-1, 64)   # -1: whatever size fits
            loss = F.cross_entropy(model(xb), yb)
            if l1:
                loss = loss + l1 * sum(p.abs().sum() for p in weights_of(model))
            opt.zero_grad()
            loss.backward()
            opt.step()
        history["train"].append(loss_on(model, X, y))
        history["val"].append(loss_on(model, X_val, y_val))
        if stopper is not None and stopper.should_stop(history["val"][-1], model):
            break
    return history

# %% [markdown]
# The baseline: no regulariser at all.

# %%
minitorch.manual_seed(1)
baseline = make_mlp()
runs = {"no regularisation": (baseline, fit(baseline, X_small, y_small, SMALL_EPOCHS, lr=SMALL_LR))}
base = runs["no regularisation"][1]
best_epoch = int(np.argmin(base["val"]))
print(f"final train loss {base['train'][-1]:.4f}, validation loss: best {min(base['val']):.3f} "
      f"(epoch {best_epoch + 1}), final {base['val'][-1]:.3f}")
assert base["train"][-1] < 0.01 and min(base["val"]) > 0.1   # memorised the training set
assert base["val"][-1] > 1.1 * min(base["val"])               # validation loss rose again: overfitting

# %% [markdown]
# The training loss went to almost 0: the network has memorised its 200 images. The validation
# loss reached its best early and then rose again: the network grows ever more confident about
# details of the training images that do not carry over to new ones. That is **overfitting**.
#
# ## 4. Regularisation
#
# A regulariser makes memorising harder, so the network has to find simpler patterns.
#
# ### Dropout
#
# During training, `nn.Dropout(p)` sets each activation to 0 with probability $p$ and multiplies
# the survivors by $\frac{1}{1-p}$, so that on average nothing changes:
# $\mathbb E[y] = (1-p)\cdot \frac{x}{1-p} = x$. A unit cannot rely on any particular other unit
# being there, so the network learns redundant, more robust features. In evaluation mode dropout
# does nothing.

# %%
drop = nn.Dropout(p=0.5)
x = minitorch.ones(10)
print("train mode:", drop.train()(x).numpy())
print("eval mode: ", drop.eval()(x).numpy())
y = drop.train()(minitorch.ones(100_000))
# y == 0 is a bool tensor; .float() turns it into 0s and 1s, whose mean is the fraction zeroed
print(f"fraction zeroed {(y == 0).float().mean().item():.3f}, mean {y.mean().item():.3f}")
assert abs((y == 0).float().mean().item() - 0.5) < 0.01 and abs(y.mean().item() - 1) < 0.02
assert (drop.eval()(x) == x).all()   # .all(): True if every entry is True

# %% [markdown]
# ### Weight decay (L2) and L1
#
# Two penalties on the size of the weights, added to the loss with a strength $\lambda$:
#
# - **L2**: $\frac{\lambda}{2} \sum w^2$, gradient $\lambda w$: every weight shrinks in proportion
#   to its size, so large weights are discouraged but few become exactly 0. With AdamW it is the
#   optimiser's `weight_decay` (decoupled from Adam's scaling, lesson 5).
# - **L1**: $\lambda \sum |w|$, gradient $\lambda\, \operatorname{sign}(w)$: a constant pull towards 0,
#   however small the weight, so weights that do not earn their keep are driven to (about) 0:
#   the model becomes **sparse**. No optimiser has it built in; we add it to the loss (the `l1`
#   switch in `fit`).
#
# ### Data augmentation
#
# We can also make the data set bigger for free: a digit shifted by a pixel or tilted by a few
# degrees is still the same digit. `minitorch.data.transforms` has such random changes for
# images of shape (N, C, H, W); `RandomAffine(degrees=10, translate=(0.1, 0.1))` rotates each
# image by a random angle in $[-10°, 10°]$ and shifts it by up to 10% of its size. Every epoch the
# network sees new variants, so it cannot memorise the pixels.

# %%
augment = transforms.RandomAffine(degrees=10, translate=(0.1, 0.1))
originals = X_small[:8].reshape(-1, 1, 8, 8)
variants = [augment(originals) for _ in range(3)]
assert variants[0].shape == originals.shape and not np.allclose(variants[0].numpy(), originals.numpy())

fig, axes = plt.subplots(4, 8, figsize=(8, 4.4))
for row, images in enumerate([originals] + variants):
    for col in range(8):
        axes[row, col].imshow(images[col, 0].numpy(), cmap="gray_r", vmin=0, vmax=1)
        axes[row, col].axis("off")
    axes[row, 0].set_title("original" if row == 0 else f"augmented {row}", fontsize=8, loc="left")
fig.tight_layout()
plt.savefig(os.path.join(OUT, "augmented_digits.png"))
show()

# %% [markdown]
# Now each regulariser on the same 200 images, from the same initial weights (we re-seed before
# building each model), for the same number of epochs:

# %%
SETTINGS = {
    "dropout 0.5": dict(dropout=0.5),
    "weight decay 0.5": dict(weight_decay=0.5),
    "L1 1e-4": dict(l1=1e-4),
    "augmentation": dict(augment=augment),
}
for name, setting in SETTINGS.items():
    minitorch.manual_seed(1)
    model = make_mlp(setting.pop("dropout", 0.0))
    runs[name] = (model, fit(model, X_small, y_small, SMALL_EPOCHS, lr=SMALL_LR, **setting))


def weight_stats(model):
    w = np.concatenate([p.detach().numpy().ravel() for p in weights_of(model)])
    return np.linalg.norm(w), np.mean(np.abs(w) < 1e-2)


print(f"{'':20s} {'best val loss':>14s} {'val accuracy':>13s} {'|w|':>6s} {'|w|<0.01':>9s}")
summary = {}
for name, (model, history) in runs.items():
    model.eval()
    with minitorch.no_grad():
        val_acc = metrics.accuracy(model(X_val), y_val)
    norm, small = weight_stats(model)
    summary[name] = dict(best_val=min(history["val"]), norm=norm, small=small)
    print(f"{name:20s} {min(history['val']):14.3f} {val_acc:13.1%} {norm:6.1f} {small:9.1%}")

# %%
none = summary["no regularisation"]
assert summary["weight decay 0.5"]["norm"] < 0.9 * none["norm"]       # L2 shrinks the weights
assert summary["L1 1e-4"]["small"] > 3 * none["small"]                # L1 makes most weights ~0...
assert summary["L1 1e-4"]["small"] > 2 * summary["weight decay 0.5"]["small"]   # ...L2 does not
for name in SETTINGS:                                                  # each one helped a little...
    assert summary[name]["best_val"] < none["best_val"], name
assert summary["augmentation"]["best_val"] < 0.7 * none["best_val"]   # ...augmentation the most

fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for name, (_, history) in runs.items():
    epochs = range(1, len(history["val"]) + 1)
    axes[0].semilogy(epochs, history["train"], label=name)
    axes[1].plot(epochs, history["val"], label=name)
axes[0].set(xlabel="epoch", ylabel="loss (log scale)", title="training loss")
axes[1].set(xlabel="epoch", ylabel="loss", title="validation loss", ylim=(0, 1))
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.savefig(os.path.join(OUT, "regularisation_curves.png"))
show()

# %% [markdown]
# What the numbers say:
#
# - weight decay made the weights smaller overall; L1 set most of them to (nearly) zero;
# - every regulariser lowered the best validation loss a little, and augmentation the most: it
#   attacks overfitting at its root, the lack of data;
# - with augmentation the training loss no longer drops to 0: the task got harder, on purpose.
#
# Differences in validation *accuracy* between the settings are a few images out of 288: do not
# read much into them without repeating the runs with other seeds.
#
# ## 5. Early stopping
#
# The validation curve of the unregularised run suggests the simplest regulariser of all: stop
# training when the validation loss stops improving, and keep the weights from the best epoch.
# "Stops improving" needs some **patience**: the curve is noisy, so we wait a few epochs for a
# new best before giving up. A copy of the best weights is kept with `state_dict()` (a dict
# from parameter names to tensors; `clone()` copies them, since later steps change the
# originals) and put back with `load_state_dict()`.

# %%
class EarlyStopping:
    """Say stop after `patience` epochs without a new best validation loss; keep the best weights."""

    def __init__(self, patience):
        self.patience, self.best_loss, self.best_epoch, self.epoch = patience, float("inf"), -1, -1
        self.best_state = None

    def should_stop(self, val_loss, model):
        self.epoch += 1
        if val_loss < self.best_loss:
            self.best_loss, self.best_epoch = val_loss, self.epoch
            self.best_state = {k: v.clone() for k, v in model.state_dict().items()}
        return self.epoch - self.best_epoch >= self.patience

    def restore_best(self, model):
        model.load_state_dict(self.best_state)


minitorch.manual_seed(1)
model = make_mlp()
stopper = EarlyStopping(patience=10)
history = fit(model, X_small, y_small, SMALL_EPOCHS, lr=SMALL_LR, stopper=stopper)
stopper.restore_best(model)
print(f"stopped after {len(history['val'])} of {SMALL_EPOCHS} epochs; best epoch {stopper.best_epoch + 1}, "
      f"validation loss {stopper.best_loss:.3f}")
assert len(history["val"]) == stopper.best_epoch + 1 + 10 < SMALL_EPOCHS   # it did stop early
assert np.isclose(loss_on(model, X_val, y_val), min(history["val"]))        # the best weights are back
assert history["val"] == base["val"][:len(history["val"])]   # same seed: the baseline's run, cut short
assert stopper.best_loss < base["val"][-1] / 1.1             # and better than training to the end

# %% [markdown]
# ## 6. The final model, and an honest evaluation
#
# Now we use all 1150 training images, with what worked: augmentation, a little weight decay and
# early stopping on the validation set. Only when training is finished do we touch the test set.

# %%
minitorch.manual_seed(0)
final = make_mlp()
stopper = EarlyStopping(patience=10)
history = fit(final, X_train, y_train, FINAL_EPOCHS, weight_decay=0.05, augment=augment,
              stopper=stopper, batch_size=64)
stopper.restore_best(final)
final.eval()
with minitorch.no_grad():
    test_scores = final(X_test)
test_pred = test_scores.argmax(dim=1)
print(f"trained {len(history['val'])} epochs, best at {stopper.best_epoch + 1}")
print(f"test accuracy {metrics.accuracy(test_pred, y_test):.1%}")
assert metrics.accuracy(test_pred, y_test) > (0.95 if FAST else 0.97)   # fewer epochs in fast mode

# %% [markdown]
# ### Beyond accuracy: precision, recall, F1 and the confusion matrix
#
# Accuracy is one number for all classes. To see *which* mistakes a classifier makes, count them
# in the **confusion matrix** $M$: $M_{ij}$ is the number of test images of true class $i$ that were
# predicted as class $j$. The diagonal holds the correct predictions. For one class $c$:
#
# - **true positives** $TP = M_{cc}$; **false positives** $FP$ = the rest of column $c$ (other digits
#   called $c$); **false negatives** $FN$ = the rest of row $c$ ($c$'s called something else);
# - **precision** $= \frac{TP}{TP + FP}$: when the model says "$c$", how often is it right?
# - **recall** $= \frac{TP}{TP + FN}$: of all the $c$'s, how many did it find?
# - **F1** $= \frac{2PR}{P + R}$, the harmonic mean: high only if both are high.
#
# Seed 003 gives accuracy as $\frac{TP + TN}{TP + TN + FP + FN}$, the two-class form; with many
# classes it is the diagonal's sum over the total, $\operatorname{tr}(M) / \sum_{ij} M_{ij}$.
# "Macro" averages give each class the same weight. `minitorch.metrics` computes all of them,
# with scikit-learn's definitions but **not its argument order**: minitorch's metrics take
# `(pred, target)`, scikit-learn's take `(y_true, y_pred)`. Swapping the two arguments swaps
# the roles of rows and columns (it transposes the confusion matrix, and turns precision
# into recall), so check the order when you move code between the two.

# %%
cm = metrics.confusion_matrix(test_pred, y_test, num_classes=10)
swapped = metrics.confusion_matrix(y_test, test_pred, num_classes=10)   # scikit-learn's order, by mistake
assert np.array_equal(swapped, cm.T) and not np.array_equal(swapped, cm)
assert np.allclose(metrics.precision(y_test, test_pred, average="none"),
                   metrics.recall(test_pred, y_test, average="none"))
precision = metrics.precision(test_pred, y_test, average="none")
recall = metrics.recall(test_pred, y_test, average="none")
f1 = metrics.f1_score(test_pred, y_test, average="none")
print(cm)
print(metrics.classification_report(test_pred, y_test))

# %% [markdown]
# Check the definitions against the matrix by hand:

# %%
tp = np.diag(cm)
assert np.allclose(precision, tp / cm.sum(axis=0))        # column sums: everything predicted as c
assert np.allclose(recall, tp / cm.sum(axis=1))           # row sums: everything truly c
assert np.allclose(f1, 2 * precision * recall / (precision + recall))
assert np.isclose(metrics.accuracy(test_pred, y_test), np.trace(cm) / cm.sum())
assert np.isclose(metrics.f1_score(test_pred, y_test, average="macro"), f1.mean())
# with one label per sample, the "micro" average (pool all counts, then divide) is the accuracy
assert np.isclose(metrics.f1_score(test_pred, y_test, average="micro"), metrics.accuracy(test_pred, y_test))
worst = int(np.argmin(f1))
print(f"hardest digit: {worst} (precision {precision[worst]:.2f}, recall {recall[worst]:.2f}, "
      f"F1 {f1[worst]:.2f})")
# plot_confusion_matrix draws cm as a grid of coloured, numbered cells
metrics.plot_confusion_matrix(cm, path=os.path.join(OUT, "confusion_matrix.png"),
                              title=f"test set: {metrics.accuracy(test_pred, y_test):.1%} correct")

# %% [markdown]
# ## Summary
#
# - Initialise so that $n \operatorname{Var}(W)$ times the activation's effect is about 1: He for
#   ReLU, Xavier for tanh. Fixed-std Gaussians explode or vanish in deep networks.
# - Train on the training set, make every decision on the validation set, report on the test set once.
# - A training loss near 0 with a rising validation loss is overfitting. Remedies: more (or
#   augmented) data, dropout, weight decay / L1, and early stopping.
# - Report precision, recall and F1 per class, and look at the confusion matrix, not just accuracy.
#
# ## Exercises
#
# Every exercise has a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("6.4", precision_recall)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **tanh's gain.** Rerun `activation_variances(..., F.tanh)` with
#    `nn.init.xavier_normal_(t, gain=nn.init.calculate_gain("tanh"))`. Does the variance still
#    shrink? *Hint:* the gain 5/3 makes up for tanh squashing its inputs.
# 2. **Depth without care.** Make the spiral MLP 10 hidden layers deep, once with the default
#    init and once with `kaiming_normal_` on every weight. Compare the training accuracy after
#    the same number of epochs. *Hint:* use `model.apply(fn)` to visit every layer, and check
#    `isinstance(m, nn.Linear)`. Check your `init(m)` with `check("6.2", init)`.
# 3. **Dropout on top.** Add `dropout=0.2` to the final model. Does the validation loss improve
#    on top of augmentation? Repeat with three seeds before you decide. *Hint:* compare
#    `stopper.best_loss`. Decide with a rule, as lesson 9 does: write `improves(with_dropout,
#    without)`, taking each seed's best validation loss with and without dropout, that is `True`
#    only when the mean of the per-seed gains exceeds two standard errors of them
#    (`std(ddof=1) / sqrt(n)`); check it with `check("6.3", improves)`.
# 4. **Precision against recall.** For the digit 9 alone, predict "9" only when its softmax
#    probability exceeds a threshold $t$. Plot precision and recall for $t$ from 0.1 to 0.99.
#    *Hint:* `F.softmax(test_scores, dim=1)[:, 9]`; a higher $t$ trades recall for precision.
# 5. **L1 versus L2 sparsity.** Plot histograms of the weights of the "L1 1e-4" and
#    "weight decay 0.5" models from section 4. Why does L1 pile weights up at 0 while L2 does
#    not? *Hint:* compare the size of the two penalties' gradients for a weight of 0.001.
#    Check that number: how many times larger is L1's gradient than L2's at $w = 0.001$, for the
#    same $\lambda$? `check("6.5", ratio)`.
