# %% [markdown]
# # Lesson 5: Optimisers
#
# Backpropagation gives us the gradient; an **optimiser** decides what to do with it. In this
# lesson we watch optimisers walk across two-dimensional loss surfaces, where we can draw every
# step they take, and learn why the default choice in practice is Adam with a learning-rate
# schedule rather than plain gradient descent.
#
# **Learning goals**
#
# - run gradient descent, SGD, momentum, AdaGrad, RMSprop, Adam and AdamW with `minitorch.optim`
# - explain why an ill-conditioned loss makes gradient descent zigzag, and how momentum helps
# - know when a learning rate is too large (divergence) and what Adam's step size is
# - tell Adam's L2 penalty from AdamW's decoupled weight decay
# - set up learning-rate schedules (step, exponential, cosine, warm-up) with `lr_scheduler`
#
# **Time:** about 60 minutes.
#
# **Builds on:** lesson 1 (gradients with `backward`), lesson 3 (tensors and indexing),
# lesson 4 (losses such as `F.mse_loss`).

# %%
import os

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("05_optimizers")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt

# %%
import numpy as np

import minitorch
import minitorch.nn.functional as F
from minitorch.optim import SGD, Adagrad, Adam, AdamW, RMSprop
from minitorch.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, LinearLR, SequentialLR, StepLR

# %% [markdown]
# ## 1. An optimiser in one step
#
# An optimiser holds a list of parameter tensors. Each training step has three parts:
#
# 1. `opt.zero_grad()`: forget the previous gradients (remember that `backward` *adds* to `.grad`);
# 2. `loss.backward()`: compute fresh gradients;
# 3. `opt.step()`: change the parameters in place, using their `.grad`.
#
# The simplest rule is **gradient descent**, $\theta \leftarrow \theta - \eta\, \nabla f(\theta)$,
# with the **learning rate** $\eta$. In minitorch (as in PyTorch) it is called `SGD`. Our
# parameter is a tensor of just two numbers, $\theta = (x, y)$, so that we can draw the loss
# as a landscape. The first landscape is an elongated bowl,
#
# $$f(x, y) = \tfrac12\,(x^2 + 50\,y^2), \qquad \nabla f = (x,\; 50\,y),$$
#
# 50 times steeper across ($y$) than along ($x$). Its minimum is at $(0, 0)$.

# %%
def bowl(p):
    """f(x, y) = (x^2 + 50 y^2) / 2: an ill-conditioned quadratic."""
    return 0.5 * (p[0] ** 2 + 50 * p[1] ** 2)


theta = minitorch.tensor([-4.0, 1.0], dtype=minitorch.float64, requires_grad=True)
opt = SGD([theta], lr=0.01)
opt.zero_grad()
bowl(theta).backward()
print("gradient:", theta.grad.numpy())
opt.step()
print("after one step:", theta.detach().numpy())
assert np.allclose(theta.detach().numpy(), [-4 - 0.01 * -4, 1 - 0.01 * 50])   # theta - lr * grad

# %% [markdown]
# We will run many optimisers from the same start, so here is the loop once and for all. It
# records the path $\theta_0, \theta_1, \dots$ as a numpy array of shape (steps + 1, 2).

# %%
def optimise(f, start, make_optimizer, steps):
    """Minimise f from start with the optimiser make_optimizer([theta]); return the path."""
    theta = minitorch.tensor(start, dtype=minitorch.float64, requires_grad=True)
    opt = make_optimizer([theta])
    path = [theta.detach().numpy().copy()]
    for _ in range(steps):
        opt.zero_grad()
        f(theta).backward()
        opt.step()
        path.append(theta.detach().numpy().copy())
    return np.array(path)


def steps_to_reach(path, target, tol):
    """The first step at which the path is within tol of target (None if never)."""
    close = np.flatnonzero(np.linalg.norm(path - np.asarray(target), axis=1) < tol)
    return int(close[0]) if len(close) else None

# %% [markdown]
# And a plotting helper (plain matplotlib, nothing new): one panel per path, drawn over the
# contour lines of the loss.

# %%
def draw_paths(f, paths, xlim, ylim, filename, title, ncols=3):
    """One panel per path, each over the contour lines of f."""
    gx, gy = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 300))
    z = f(np.stack([gx, gy]))   # our loss functions work on numpy arrays too
    levels = np.logspace(np.log10(z.min() + 1e-3), np.log10(z.max()), 20)
    nrows = -(-len(paths) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.5 * ncols, 3.5 * nrows), squeeze=False)
    for ax, (name, path) in zip(axes.flat, paths.items()):
        ax.contour(gx, gy, z, levels=levels, colors="grey", linewidths=0.5)
        ax.plot(path[:, 0], path[:, 1], ".-", ms=3, lw=1, color="C3")
        ax.plot(*path[0], "ko")
        ax.set(title=name, xlim=xlim, ylim=ylim)
    for ax in list(axes.flat)[len(paths):]:
        ax.axis("off")
    fig.suptitle(title)
    fig.tight_layout()
    plt.savefig(os.path.join(OUT, filename))
    show()

# %% [markdown]
# ## 2. Gradient descent and the learning rate
#
# On this bowl gradient descent treats each coordinate separately:
#
# $$x_{t+1} = (1 - \eta)\, x_t, \qquad y_{t+1} = (1 - 50\eta)\, y_t .$$
#
# - $y$ converges only if $|1 - 50\eta| < 1$, that is $\eta < 2/50 = 0.04$. Above that, every
#   step overshoots further than the last and the iterates **diverge**.
# - $x$ shrinks by the factor $1 - \eta \ge 0.96$ per step: slowly, because $\eta$ had to be
#   small for the steep direction.
#
# In general the largest stable learning rate is $2/\lambda_\max$, where $\lambda_\max$ is the
# largest curvature (eigenvalue of the Hessian), and progress along the flattest direction goes
# like $(1 - \eta\lambda_\min)^t$. The ratio $\kappa = \lambda_\max/\lambda_\min$ (here 50) is the
# **condition number**: the larger it is, the slower gradient descent.

# %%
start = [-4.0, 1.0]
gd_paths = {f"lr = {lr}": optimise(bowl, start, lambda p, lr=lr: SGD(p, lr=lr), 100)
            for lr in (0.01, 0.038, 0.041)}
t = np.arange(101)
assert np.allclose(gd_paths["lr = 0.01"][:, 0], -4 * 0.99**t)   # x_t = (1 - lr)^t x_0
for name, path in gd_paths.items():
    print(f"{name:11s} loss after 100 steps: {bowl(path[-1]):.3g}")
assert bowl(gd_paths["lr = 0.041"][-1]) > 10 * bowl(np.array(start))   # too large: diverges
assert bowl(gd_paths["lr = 0.038"][-1]) < 0.1                           # just below 2/50: converges
draw_paths(bowl, gd_paths, (-5, 5), (-2.5, 2.5), "gd_learning_rates.png",
           "gradient descent on the bowl: small, nearly too large, too large")

# %% [markdown]
# With $\eta = 0.01$ the path is smooth but crawls; with $\eta = 0.038$ it zigzags across the
# valley (each $y$ step overshoots to the other side, $1 - 50\eta = -0.9$) yet converges; with
# $\eta = 0.041$ the zigzag grows, and the loss after 100 steps is far larger than at the start.
#
# ## 3. Momentum
#
# The zigzag points alternately up and down the valley while the useful direction, along the
# valley, stays the same from step to step. **Momentum** averages the steps: it keeps a running
# direction $b$ (a "velocity"),
#
# $$b_t = \mu\, b_{t-1} + \nabla f(\theta_{t-1}), \qquad \theta_t = \theta_{t-1} - \eta\, b_t ,$$
#
# with $\mu$ typically 0.9. Components that keep their sign pile up (up to a factor
# $1/(1-\mu) = 10$), components that flip sign partly cancel. `SGD(params, lr, momentum=0.9)`.
# We count the steps each needs to come within $10^{-3}$ of the minimum, and measure the
# zigzag: the largest $|y|$ (the distance across the valley) between steps 10 and 60.

# %%
plain = optimise(bowl, start, lambda p: SGD(p, lr=0.038), 500)
heavy = optimise(bowl, start, lambda p: SGD(p, lr=0.038, momentum=0.9), 500)
n_plain, n_heavy = steps_to_reach(plain, [0, 0], 1e-3), steps_to_reach(heavy, [0, 0], 1e-3)
print(f"steps to within 1e-3 of the minimum: gradient descent {n_plain}, momentum {n_heavy}")
swing_plain, swing_heavy = np.abs(plain[10:61, 1]).max(), np.abs(heavy[10:61, 1]).max()
print(f"largest |y| in steps 10-60: gradient descent {swing_plain:.2f}, momentum {swing_heavy:.2f}; "
      f"largest x: gradient descent {plain[:, 0].max():.1g}, momentum {heavy[:, 0].max():.2f}")
assert n_heavy < n_plain                          # momentum arrives sooner...
assert swing_heavy > swing_plain                  # ...though it zigzags wider across the valley
assert plain[:, 0].max() < 0 < heavy[:, 0].max()  # and overshoots the minimum along it too

# %% [markdown]
# Momentum arrives in fewer steps, but it does **not** cancel the zigzag here: across the
# valley it swings wider and for longer than gradient descent, and along the valley it
# overshoots $x = 0$, which gradient descent never does. The algebra of section 2 explains
# both. With momentum each coordinate follows $u_{t+1} = (1 + \mu - \eta\lambda)\,u_t - \mu\, u_{t-1}$
# (for $\lambda = 1$ along and $50$ across the valley); with $\mu = 0.9$ and $\eta = 0.038$ both
# directions oscillate and shrink by $\sqrt\mu \approx 0.949$ per step. That is faster than
# gradient descent's $1 - \eta = 0.962$ along the valley, where the remaining distance is, but
# slower than its $|1 - 50\eta| = 0.9$ across. The velocity carries every step past the
# valley floor; a smaller $\mu$ damps it (exercise 1).

# %% [markdown]
# ## 4. Stochastic gradient descent
#
# In real training the loss is an average over a data set, $f(\theta) = \frac1N \sum_i
# \ell(\theta; \text{sample}_i)$, and computing the full gradient costs a pass over all $N$
# samples. **Stochastic** gradient descent estimates it from a small random **mini-batch** of
# samples instead: each estimate is noisy, but costs a fraction of a pass, so we take many
# more steps for the same work.
#
# A problem with two parameters: fit a line $\hat y = w x + b$ to 200 noisy points of
# $y = 2x - 1$ with the mean squared error. Its loss surface over $(w, b)$ is again a bowl,
# and its minimum is the least-squares solution, which numpy computes directly.
#
# To draw mini-batches we use two tools from `minitorch.data` (the same names as PyTorch's
# `torch.utils.data`): `TensorDataset(X, Y)` pairs up the rows of two tensors, and
# `DataLoader(dataset, batch_size, shuffle=True)` walks through them in a fresh random order
# each epoch (one pass over the data), handing out batches `(xb, yb)`.

# %%
from minitorch.data import DataLoader, TensorDataset

minitorch.manual_seed(0)
N = 200
X = minitorch.randn(N, dtype=minitorch.float64)
Y = 2 * X - 1 + 0.5 * minitorch.randn(N, dtype=minitorch.float64)
best_wb = np.linalg.lstsq(np.stack([X.numpy(), np.ones(N)], axis=1), Y.numpy(), rcond=None)[0]
print("least-squares (w, b):", best_wb)

# %% [markdown]
# The training loop is section 1's, with the batches coming from the `DataLoader`. It records
# the parameters after every step, so that we can measure how far each one is from the optimum.

# %%
def line_loss(p, x, y):
    return F.mse_loss(p[0] * x + p[1], y)


def fit_line(batch_size, epochs, lr=0.1, schedule=None, seed=1):
    """SGD on the line fit; schedule(opt) makes an lr scheduler (section 7), stepped once per epoch."""
    minitorch.manual_seed(seed)
    p = minitorch.tensor([-2.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    opt = SGD([p], lr=lr)
    scheduler = schedule(opt) if schedule else None
    loader = DataLoader(TensorDataset(X, Y), batch_size=batch_size, shuffle=True)
    path = [p.detach().numpy().copy()]
    for _ in range(epochs):
        for xb, yb in loader:
            opt.zero_grad()
            line_loss(p, xb, yb).backward()
            opt.step()
            path.append(p.detach().numpy().copy())
        if scheduler:
            scheduler.step()
    return np.array(path)

# %% [markdown]
# The same 20 epochs, once with the full batch of 200 (one step per epoch) and once with
# mini-batches of 10 (20 steps per epoch):

# %%
EPOCHS = 20
full_batch = fit_line(batch_size=N, epochs=EPOCHS)
mini_batch = fit_line(batch_size=10, epochs=EPOCHS)
print(f"{EPOCHS} epochs: full-batch gradient descent took {len(full_batch) - 1} steps, "
      f"SGD with batches of 10 took {len(mini_batch) - 1}")


def distance(path):
    return np.linalg.norm(path - best_wb, axis=1)


print(f"distance to the optimum after 2 epochs: full batch {distance(full_batch)[2]:.3f}, "
      f"mini-batch {distance(mini_batch)[2 * N // 10]:.3f}")
print(f"mini-batch SGD, mean distance over epochs 10-20: {distance(mini_batch)[10 * N // 10:].mean():.3f}")
assert distance(mini_batch)[2 * N // 10] < distance(full_batch)[2] / 10   # far ahead after 2 passes
assert distance(mini_batch)[10 * N // 10:].mean() > 0.02                  # ...but it never settles

# %% [markdown]
# With the same learning rate and the same two passes over the data, SGD is already close to
# the optimum while full-batch gradient descent has taken just 2 steps. (On this tiny data set
# a full gradient is cheap; with millions of samples it is not, and SGD's advantage is huge.)
# But look at SGD's path in the figure below (middle panel): near the minimum it does not
# settle, it keeps jittering at a distance of about 0.05, because every mini-batch gradient is
# noisy and the steps stay the same size. Section 7 fixes that by shrinking the learning rate.
#
# ## 5. Adaptive step sizes: AdaGrad, RMSprop, Adam
#
# Gradient descent uses one learning rate for all coordinates, but the bowl wants a small step
# across the valley and a large one along it. Adaptive methods divide each coordinate's step by
# a running measure of that coordinate's gradient size ($g_t$ is the gradient at step $t$, all
# operations elementwise, $\epsilon$ a tiny number against division by zero):
#
# | optimiser | keeps | step |
# | --- | --- | --- |
# | AdaGrad | $s_t = s_{t-1} + g_t^2$ (sum of all past squares) | $\eta\, g_t / (\sqrt{s_t} + \epsilon)$ |
# | RMSprop | $v_t = \alpha v_{t-1} + (1-\alpha) g_t^2$ (recent mean square, $\alpha = 0.99$) | $\eta\, g_t / (\sqrt{v_t} + \epsilon)$ |
# | Adam | $m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t$, $\ v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2$ | $\eta\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)$ |
#
# Adam combines momentum (the running mean $m$ of the gradient) with RMSprop's scaling (the
# running mean $v$ of its square), with $\beta_1 = 0.9$, $\beta_2 = 0.999$. Both start at 0, so
# early on they are too small; Adam corrects that: $\hat m_t = m_t/(1 - \beta_1^t)$ and
# $\hat v_t = v_t/(1 - \beta_2^t)$.
#
# The clearest way to see the difference is a loss with a *constant* gradient, here
# $f(\theta) = \theta_1 + 100\,\theta_2$, gradient $(1, 100)$, and to measure how far each
# coordinate moves per step, with $\eta = 0.01$:

# %%
def tilted_plane(p):
    return p[0] + 100 * p[1]


step_sizes = {}
for name, make in {"AdaGrad": lambda p: Adagrad(p, lr=0.01), "RMSprop": lambda p: RMSprop(p, lr=0.01),
                   "Adam": lambda p: Adam(p, lr=0.01)}.items():
    path = optimise(tilted_plane, [0.0, 0.0], make, 100)
    step_sizes[name] = -np.diff(path, axis=0)      # (100, 2): how far each coordinate moved
    print(f"{name:8s} step sizes at t = 1, 10, 100 (both coordinates):",
          np.round(step_sizes[name][[0, 9, 99]], 5).tolist())

t = np.arange(1, 101)
for name in step_sizes:   # both coordinates move equally, although one gradient is 100 times larger
    assert np.allclose(step_sizes[name][:, 0], step_sizes[name][:, 1], rtol=1e-6)
assert np.allclose(step_sizes["Adam"], 0.01, rtol=1e-6)                               # always lr
assert np.allclose(step_sizes["AdaGrad"][:, 0], 0.01 / np.sqrt(t), rtol=1e-6)         # lr / sqrt(t)
assert np.allclose(step_sizes["RMSprop"][:, 0], 0.01 / np.sqrt(1 - 0.99**t), rtol=1e-6)

# %% [markdown]
# Three lessons in one table:
#
# - all three make each coordinate's step independent of that coordinate's gradient scale;
# - AdaGrad's sum only grows, so its steps shrink like $\eta/\sqrt t$ forever: fine for short
#   runs and sparse features, too cautious for long training;
# - RMSprop has no bias correction: $v_1 = 0.01\, g_1^2$, so its first step is
#   $\eta / \sqrt{0.01} = 10\eta$; Adam's step is exactly $\eta$ from the first step on.
#   **Adam's per-coordinate step size is about $\eta$** (as long as the gradient keeps its sign),
#   which makes its learning rate easy to choose: it is roughly how far a parameter may move per step.
#
# **The seed's Adam.** Seed 002 writes Adam without the bias correction:
# $\theta \leftarrow \theta - \alpha\, m_t / (\sqrt{v_t} + \epsilon)$. Its first step would be
# $\alpha\,(1-\beta_1)/\sqrt{1-\beta_2} = \alpha \cdot 0.1/0.0316 \approx 3.16\,\alpha$ rather than
# $\alpha$: the first updates would be three times the intended size.

# %%
g = 100.0                                              # any gradient gives the same ratio
m1, v1 = (1 - 0.9) * g, (1 - 0.999) * g**2
seed_first_step = m1 / np.sqrt(v1)                     # in units of the learning rate
print(f"first step without bias correction: {seed_first_step:.2f} lr;  with it (minitorch): "
      f"{step_sizes['Adam'][0, 0] / 0.01:.2f} lr")
assert abs(seed_first_step - 3.162) < 1e-3

# %% [markdown]
# Now all of them on the bowl, each with a learning rate that suits it (the last one, AdamW, is
# Adam plus a small pull of every parameter towards zero, called *weight decay*; section 6 explains
# it). Compare the shapes of the paths: the adaptive methods head much more directly for the
# minimum, since they do not let the steep $y$ direction dictate the step.

# %%
BOWL_OPTIMISERS = {
    "gradient descent (lr 0.038)": lambda p: SGD(p, lr=0.038),
    "momentum 0.9 (lr 0.038)": lambda p: SGD(p, lr=0.038, momentum=0.9),
    "AdaGrad (lr 0.5)": lambda p: Adagrad(p, lr=0.5),
    "RMSprop (lr 0.05)": lambda p: RMSprop(p, lr=0.05),
    "Adam (lr 0.3)": lambda p: Adam(p, lr=0.3),
    "AdamW (lr 0.3, wd 0.1)": lambda p: AdamW(p, lr=0.3, weight_decay=0.1),
}
bowl_paths = {name: optimise(bowl, start, make, 300) for name, make in BOWL_OPTIMISERS.items()}
for name, path in bowl_paths.items():
    print(f"{name:28s} steps to within 1e-3 of the minimum: {steps_to_reach(path, [0, 0], 1e-3)}")
    assert steps_to_reach(path, [0, 0], 1e-3) is not None
draw_paths(bowl, {k: v[:60] for k, v in bowl_paths.items()}, (-5, 5), (-2.5, 2.5),
           "bowl_trajectories.png", "the first 60 steps on f = (x² + 50y²)/2")

# %% [markdown]
# **The Rosenbrock function** is the classic hard case:
#
# $$f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2 ,$$
#
# a long, curved, narrow valley with its minimum at $(1, 1)$. The valley walls are steep
# (curvature up to about 2000 around our start $(-1.5, 2)$), so gradient descent must use
# $\eta \le 2/2000 = 10^{-3}$, and then the valley floor takes it forever to follow.

# %%
def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


ROSENBROCK_OPTIMISERS = {
    "gradient descent (lr 1e-3)": lambda p: SGD(p, lr=1e-3),
    "momentum 0.9 (lr 1e-3)": lambda p: SGD(p, lr=1e-3, momentum=0.9),
    "AdaGrad (lr 0.5)": lambda p: Adagrad(p, lr=0.5),
    "RMSprop (lr 0.01)": lambda p: RMSprop(p, lr=0.01),
    "Adam (lr 0.05)": lambda p: Adam(p, lr=0.05),
}
rosen_start, ROSEN_STEPS = [-1.5, 2.0], (1500 if FAST else 2000)   # fast mode: fewer steps, same claims
rosen_paths = {name: optimise(rosenbrock, rosen_start, make, ROSEN_STEPS)
               for name, make in ROSENBROCK_OPTIMISERS.items()}
reached = {}
for name, path in rosen_paths.items():
    reached[name] = steps_to_reach(path, [1, 1], 1e-2)
    print(f"{name:27s} ends at {np.round(path[-1], 3)}, within 0.01 of (1, 1) after {reached[name]} steps")
assert reached["Adam (lr 0.05)"] is not None and reached["momentum 0.9 (lr 1e-3)"] is not None
assert reached["gradient descent (lr 1e-3)"] is None   # still crawling along the valley floor
draw_paths(rosenbrock, rosen_paths, (-2, 2), (-1, 3), "rosenbrock_trajectories.png",
           f"{ROSEN_STEPS} steps on the Rosenbrock function (minimum at (1, 1))")

# %% [markdown]
# Momentum and Adam arrive; gradient descent, AdaGrad and RMSprop do not, and the two adaptive
# methods fail for different reasons:
#
# - **AdaGrad** never forgets. Its first steps, down the steep wall, add huge squared gradients
#   to its sum $s$, so every later step $\eta\, g_t/\sqrt{s_t}$ is tiny: it then crawls along
#   the valley floor like gradient descent.
# - **RMSprop** forgets, so its steps stay about $\eta$ per coordinate, but it has no momentum:
#   in the narrow curved valley each step lands on the opposite wall, and the next one jumps
#   back. It travels a long way and gets almost nowhere.
#
# We measure both: AdaGrad's step length early and late, and, over RMSprop's last 500 steps,
# the length of its path against the distance it actually moved.

# %%
def step_lengths(path):
    return np.linalg.norm(np.diff(path, axis=0), axis=1)


adagrad, rmsprop = rosen_paths["AdaGrad (lr 0.5)"], rosen_paths["RMSprop (lr 0.01)"]
early, late = step_lengths(adagrad)[:10].mean(), step_lengths(adagrad)[-500:].mean()
print(f"AdaGrad: mean step {early:.3f} in its first 10 steps, {late:.4f} in its last 500")
last_rms = rmsprop[-501:]
travelled, moved = step_lengths(last_rms).sum(), np.linalg.norm(last_rms[-1] - last_rms[0])
reversals = np.mean(np.sign(np.diff(last_rms[:, 0])[1:]) != np.sign(np.diff(last_rms[:, 0])[:-1]))
print(f"RMSprop, last 500 steps: path {travelled:.2f} long, net move {moved:.2f}; "
      f"{reversals:.0%} of its steps reverse the x direction of the one before")
assert late < early / 50 and np.linalg.norm(adagrad[-1] - [1, 1]) > 0.5   # tiny steps, still far away
assert travelled > 20 * moved and reversals > 0.95                        # bouncing between the walls

# %% [markdown]
# ## 6. Weight decay: Adam's L2 penalty versus AdamW
#
# **Weight decay** pulls parameters towards zero, to keep a model simple (lesson 6 shows why
# that helps). The classic way is an L2 penalty: minimise $f(\theta) + \frac{\lambda}{2}\|\theta\|^2$,
# whose gradient adds $\lambda\theta$ to $\nabla f$. With plain SGD this multiplies $\theta$ by
# $(1 - \eta\lambda)$ every step, hence the name "decay". `Adam(weight_decay=λ)` also adds
# $\lambda\theta$ to the gradient, but then Adam divides that sum by $\sqrt{\hat v}$, which
# distorts the decay: a coordinate with large gradients is hardly decayed, and one with no
# other gradient gets its decay normalised to steps of up to about $\eta$, *whatever* $\lambda$ is.
# **AdamW** decouples the two: it first shrinks $\theta \leftarrow (1 - \eta\lambda)\,\theta$, then
# takes a plain Adam step.
#
# Test: $f(\theta) = 50\,(\theta_1 - 1)^2$ does not depend on $\theta_2$ at all, so only the decay
# moves $\theta_2$. Start at $(1, 1)$, run 100 steps with $\eta = 0.01$ and two values of $\lambda$.

# %%
def steep_in_one(p):
    return 50 * (p[0] - 1) ** 2


decay_paths = {}
for lam in (0.1, 0.001):
    decay_paths[f"Adam, L2 {lam}"] = optimise(
        steep_in_one, [1.0, 1.0], lambda p: Adam(p, lr=0.01, weight_decay=lam), 100)
    decay_paths[f"AdamW, decay {lam}"] = optimise(
        steep_in_one, [1.0, 1.0], lambda p: AdamW(p, lr=0.01, weight_decay=lam), 100)
for name, path in decay_paths.items():
    print(f"{name:18s} theta_2 after 100 steps: {path[-1, 1]:.4f}")
for lam in (0.1, 0.001):   # AdamW: exactly (1 - lr * lambda)^100
    assert np.isclose(decay_paths[f"AdamW, decay {lam}"][-1, 1], (1 - 0.01 * lam) ** 100, rtol=1e-9)
# Adam's L2: theta_2 ends near 0.22 for lambda 0.1 and for 0.001 alike: the decay ignores lambda
assert abs(decay_paths["Adam, L2 0.1"][-1, 1] - decay_paths["Adam, L2 0.001"][-1, 1]) < 1e-3
assert decay_paths["Adam, L2 0.001"][-1, 1] < 0.5

plt.figure(figsize=(6, 4))
for name, path in decay_paths.items():
    plt.plot(path[:, 1], label=name, ls="-" if name.startswith("AdamW") else "--")
plt.xlabel("step")
plt.ylabel(r"$\theta_2$ (no gradient from the loss)")
plt.title("weight decay under Adam and AdamW")
plt.legend()
plt.tight_layout()
plt.savefig(os.path.join(OUT, "adam_vs_adamw_decay.png"))
show()

# %% [markdown]
# With AdamW, $\theta_2$ shrinks by exactly $(1 - \eta\lambda)$ per step, so $\lambda$ means what
# it says. With Adam's L2 penalty, $\lambda = 0.001$ pulls as hard as $\lambda = 0.1$ (in the
# figure the two dashed Adam curves lie exactly on top of each other). This is why
# transformers are trained with AdamW.
#
# ## 7. Learning-rate schedules
#
# A large learning rate makes fast progress early; a small one settles precisely at the end
# (remember SGD jittering around the minimum). A **schedule** changes $\eta$ during training.
# The schedulers in `minitorch.optim.lr_scheduler` take the optimiser and overwrite its
# learning rate each time you call `scheduler.step()`, normally once per epoch, after that
# epoch's `opt.step()` calls. With $\eta_0$ the initial learning rate and $t$ the epoch:
#
# - `StepLR(opt, step_size, gamma)`: $\eta_t = \eta_0\, \gamma^{\lfloor t / \text{step\_size}\rfloor}$
# - `ExponentialLR(opt, gamma)`: $\eta_t = \eta_0\, \gamma^t$
# - `CosineAnnealingLR(opt, T_max)`: $\eta_t = \tfrac12 \eta_0 \left(1 + \cos(\pi t / T_\max)\right)$
# - warm-up, `LinearLR(opt, start_factor, total_iters=T)`: $\eta_t$ grows linearly from
#   $\text{start\_factor}\cdot\eta_0$ to $\eta_0$ over $T$ epochs. Large models start with tiny
#   steps while Adam's running averages are still poor estimates.
#   `SequentialLR(opt, [warmup, cosine], milestones=[T])` runs one schedule after the other.
#
# We record the learning rate used in each of 100 epochs, with $\eta_0 = 0.1$ (no training
# needed to see a schedule; a dummy parameter is enough). An optimiser keeps its settings in
# `opt.param_groups`, a list with one dict per group of parameters (we have one group), so
# `opt.param_groups[0]["lr"]` is the learning rate its next `step()` will use.

# %%
def lr_curve(make_scheduler, epochs=100, lr=0.1):
    opt = SGD([minitorch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = make_scheduler(opt)
    lrs = []
    for _ in range(epochs):
        lrs.append(opt.param_groups[0]["lr"])   # the lr this epoch's steps use
        scheduler.step()
    return np.array(lrs)


schedules = {
    "StepLR(step_size=30, gamma=0.1)": lr_curve(lambda o: StepLR(o, step_size=30, gamma=0.1)),
    "ExponentialLR(gamma=0.95)": lr_curve(lambda o: ExponentialLR(o, gamma=0.95)),
    "CosineAnnealingLR(T_max=100)": lr_curve(lambda o: CosineAnnealingLR(o, T_max=100)),
    "warm-up 10 + cosine 90": lr_curve(lambda o: SequentialLR(
        o, [LinearLR(o, start_factor=0.1, total_iters=10), CosineAnnealingLR(o, T_max=90)], milestones=[10])),
}
step, expo, cosine, warm = schedules.values()
assert np.allclose(step[[0, 29, 30, 59, 60, 90]], [0.1, 0.1, 0.01, 0.01, 0.001, 0.0001])
assert np.allclose(expo, 0.1 * 0.95 ** np.arange(100))
assert np.isclose(cosine[0], 0.1) and np.isclose(cosine[50], 0.05) and cosine[99] < 1e-4
assert np.isclose(warm[0], 0.01) and np.isclose(warm[10], 0.1) and warm.argmax() == 10
assert np.all(np.diff(warm[:11]) > 0) and np.all(np.diff(warm[10:]) < 0)
print("lr at epochs 0, 5, 10, 50, 99:")
for name, lrs in schedules.items():
    print(f"  {name:32s}", np.round(lrs[[0, 5, 10, 50, 99]], 5).tolist())

# %% [markdown]
# The four schedules, on a linear and on a log scale:

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for name, lrs in schedules.items():
    axes[0].plot(lrs, label=name)
    axes[1].semilogy(lrs, label=name)
axes[0].set(xlabel="epoch", ylabel="learning rate", title="schedules")
axes[1].set(xlabel="epoch", ylabel="learning rate (log scale)", title="the same, log scale")
axes[0].legend(fontsize=8)
fig.tight_layout()
plt.savefig(os.path.join(OUT, "lr_schedules.png"))
show()

# %% [markdown]
# Back to the jittering SGD of section 4: the same 20 epochs, batches of 10, $\eta_0 = 0.1$,
# now with the learning rate annealed by a cosine over the 20 epochs. We compare the average
# distance to the optimum over the last 20 steps.

# %%
cosine_sgd = fit_line(batch_size=10, epochs=EPOCHS, schedule=lambda o: CosineAnnealingLR(o, T_max=EPOCHS))
end_constant, end_cosine = distance(mini_batch)[-20:].mean(), distance(cosine_sgd)[-20:].mean()
print(f"mean distance over the last 20 steps: constant lr {end_constant:.4f}, "
      f"cosine schedule {end_cosine:.4f}")
assert end_cosine < end_constant / 3

zoom = 0.3   # the panels show a small square around the optimum, where the jitter happens
gx, gy = np.meshgrid(np.linspace(best_wb[0] - zoom, best_wb[0] + zoom, 200),
                     np.linspace(best_wb[1] - zoom, best_wb[1] + zoom, 200))
z = ((gx[..., None] * X.numpy() + gy[..., None] - Y.numpy()) ** 2).mean(-1)   # the full-data loss
fig, axes = plt.subplots(1, 4, figsize=(18, 4))
line_paths = {"full batch, 20 steps": full_batch, "mini-batch SGD, constant lr": mini_batch,
              "mini-batch SGD, cosine lr": cosine_sgd}
for ax, (name, path) in zip(axes, line_paths.items()):
    ax.contour(gx, gy, z, levels=12, colors="grey", linewidths=0.5)
    ax.plot(path[:, 0], path[:, 1], ".-", ms=2, lw=0.7, color="C3")
    ax.plot(*best_wb, "k*", ms=10)
    ax.set(title=name + " (zoomed in)", xlabel="w", ylabel="b",
           xlim=(best_wb[0] - zoom, best_wb[0] + zoom), ylim=(best_wb[1] - zoom, best_wb[1] + zoom))
for name, path in line_paths.items():
    axes[3].semilogy(np.linspace(0, EPOCHS, len(path)), distance(path), label=name)
axes[3].set(xlabel="epoch", ylabel="distance to the optimum", title="distance to the optimum")
axes[3].legend(fontsize=8)
fig.tight_layout()
plt.savefig(os.path.join(OUT, "sgd_line_fit.png"))
show()

# %% [markdown]
# ## Summary
#
# - Gradient descent's learning rate is capped by the steepest direction ($\eta < 2/\lambda_\max$),
#   so an ill-conditioned loss makes it slow along the flat directions; above the cap it diverges.
# - Momentum accumulates the consistent part of the gradient and speeds up the flat directions;
#   with $\mu = 0.9$ it overshoots and zigzags *more* on the bowl, yet arrives sooner, and it is
#   what carries Adam (and SGD with momentum) along the curved Rosenbrock valley.
# - SGD trades exact gradients for many cheap, noisy steps; the noise makes it hover around the
#   minimum unless the learning rate decays.
# - AdaGrad, RMSprop and Adam scale each coordinate's step by its own gradient size; Adam's step
#   is about $\eta$ per coordinate, thanks to momentum plus bias correction. AdaGrad's steps
#   shrink for good after large early gradients, and RMSprop without momentum bounces between
#   the walls of a narrow valley: neither reaches the Rosenbrock minimum here.
# - Use AdamW for weight decay with Adam, and a schedule (often warm-up then cosine) for $\eta$.
#
# ## Exercises
#
# Every exercise has a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("5.4", adam_path)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **Tune momentum.** On the bowl, find the momentum $\mu$ (with $\eta = 0.038$) that reaches
#    the minimum in the fewest steps, then try theory's best pair. *Hint:* try $\mu$ from 0.3 to
#    0.95; for a quadratic with curvatures $\lambda_\min = 1$, $\lambda_\max = 50$ ($\kappa = 50$)
#    theory says the best is $\mu = \left(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\right)^2 \approx 0.566$
#    together with $\eta = 4/(\sqrt{\lambda_\max} + \sqrt{\lambda_\min})^2 \approx 0.061$ (not 0.038),
#    which makes both directions shrink by $\sqrt\mu \approx 0.75$ per step.
# 2. **Nesterov.** Repeat the Rosenbrock run with `SGD(p, lr=1e-3, momentum=0.9, nesterov=True)`.
#    Does it reach $(1, 1)$ sooner? *Hint:* use `steps_to_reach`. Check both counts (within 0.01, as
#    in section 5) with `check("5.2", (steps_momentum, steps_nesterov))`.
# 3. **Adam's learning rate.** Run Adam on Rosenbrock with lr 0.005, 0.05 and 0.5 for 2000 steps
#    and find for each when it gets within 0.01 of $(1, 1)$ (`steps_to_reach`). Explain the
#    paths using "each coordinate moves about lr per step". *Hint:* the first step moves each
#    coordinate by exactly lr; then watch `step_lengths` once the path is in the valley. Check the
#    counts with `check("5.3", {0.005: n1, 0.05: n2, 0.5: n3})` (`None` where it never arrives).
# 4. **Adam by hand.** Write Adam's update in numpy for the bowl (keep `m`, `v`, `t` yourself)
#    and check your path against `optimise(bowl, start, lambda p: Adam(p, lr=0.3), 50)`.
#    *Hint:* the gradient of the bowl is $(x, 50y)$.
# 5. **Warm-up for SGD.** Add a 3-epoch `LinearLR` warm-up (from `start_factor=0.1`) before a
#    cosine over the remaining 17 epochs in section 7, with `SequentialLR`, as a function
#    `schedule(opt)` for `fit_line(..., schedule=schedule)`. Does it change the final distance? Why
#    might warm-up matter more for Adam on a large model than here? *Hint:* Adam's $\hat v$ is
#    estimated from very few gradients at first. Check the schedule with `check("5.5", schedule)`.
