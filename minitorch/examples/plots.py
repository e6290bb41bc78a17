"""Figures the examples save: training curves and 2-D decision boundaries (matplotlib, Agg backend)."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def save_curves(path, history, title):
    """Plot per-epoch ``history`` (a dict of lists: train_loss, and any *_acc) to a PNG at ``path``."""
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    epochs = np.arange(1, len(history["train_loss"]) + 1)
    ax_loss.plot(epochs, history["train_loss"], marker="o", label="train loss")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy", title="loss")
    ax_loss.legend()
    for key, values in history.items():
        if key.endswith("_acc"):
            ax_acc.plot(epochs, np.asarray(values) * 100, marker="o", label=key.replace("_", " "))
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy")
    ax_acc.legend()
    fig.suptitle(title)
    fig.tight_layout()
    _save(fig, path)


def save_decision_boundary(path, predict, X, y, title, resolution=200):
    """Colour the plane by ``predict(points) -> class`` (on a ``resolution`` x ``resolution`` grid)
    and scatter the data ``X`` (n, 2) by label ``y``."""
    pad = 0.5
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, resolution)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, resolution)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
    classes = predict(grid).reshape(gx.shape)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.contourf(gx, gy, classes, alpha=0.3, cmap="brg")
    ax.scatter(X[:, 0], X[:, 1], c=y, s=8, cmap="brg")
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$")
    _save(fig, path)


def _save(fig, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def save_filters(path, weights, title="first-layer filters"):
    """Show each (1, kH, kW) filter of a conv weight (C_out, 1, kH, kW) as a small grey image."""
    n = weights.shape[0]
    cols = min(n, 8)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(cols, rows + 0.4))
    for i, ax in enumerate(np.atleast_1d(axes).ravel()):
        ax.axis("off")
        if i < n:
            ax.imshow(weights[i, 0], cmap="gray")
    fig.suptitle(title)
    _save(fig, path)
