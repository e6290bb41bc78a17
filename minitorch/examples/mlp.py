"""An MLP classifies the shipped handwritten digits (8x8 images, 10 classes), trained with Adam.

    python -m minitorch.examples mlp [--epochs 30] [--hidden 128 64] [--device cpu|cuda] [--out outputs/mlp]

It prints a progress bar per epoch and the final test accuracy, saves the loss
and accuracy curves as a PNG and the trained weights with ``minitorch.save``.
"""
import os
import time

import numpy as np
from tqdm import trange

import minitorch
import minitorch.nn.functional as F
from minitorch import nn
from minitorch.data import DataLoader, TensorDataset, load_digits

from .plots import save_curves


def make_mlp(n_in, hidden, n_out):
    """Linear -> ReLU -> ... -> Linear: the hidden layer sizes are ``hidden``."""
    layers, width = [], n_in
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, n_out))
    return nn.Sequential(*layers)


def evaluate(model, dataset, device="cpu"):
    """Fraction of ``dataset`` that ``model`` classifies correctly (eval mode, no graph)."""
    ### BEGIN SOLUTION 3.14: the accuracy (a float) of the model's most likely class on every sample, in eval mode without a graph, back in train mode after
    X, y = (t.to(device) for t in dataset.tensors)
    model.eval()
    with minitorch.no_grad():
        predicted = model(X).argmax(dim=1)
    model.train()
    return (predicted == y).float().mean().item()
    ### END SOLUTION


def train_epoch(model, loader, optimizer, device="cpu"):
    """One pass over ``loader``'s batches (X, y): a step of ``optimizer`` on the cross-entropy of
    each; returns the batches' mean loss (a float)."""
    ### BEGIN SOLUTION 3.14: one optimiser step per batch on the cross-entropy loss; return the mean of the batches' losses
    losses = []
    for X, y in loader:
        loss = F.cross_entropy(model(X.to(device)), y.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return float(np.mean(losses))
    ### END SOLUTION


def train(epochs=30, hidden=(128, 64), lr=1e-3, batch_size=32, seed=0, out="outputs/mlp", progress=True,
          device="cpu", limit_train=None, limit_test=None):
    """Train on the digits' training split and return a dict with the history and test accuracy."""
    minitorch.manual_seed(seed)
    # a TensorDataset sliced gives its tensors' first rows: the first limit_train (or limit_test) digits
    train_set = TensorDataset(*load_digits("train")[:limit_train])
    test_set = TensorDataset(*load_digits("test")[:limit_test])
    loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    model = make_mlp(train_set.tensors[0].shape[1], hidden, 10).to(device)
    optimizer = minitorch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "train_acc": [], "test_acc": []}
    start = time.perf_counter()
    epoch_bar = trange(1, epochs + 1, desc="training", unit="epoch", disable=not progress)
    for epoch in epoch_bar:
        history["train_loss"].append(train_epoch(model, loader, optimizer, device))
        history["train_acc"].append(evaluate(model, train_set, device))
        history["test_acc"].append(evaluate(model, test_set, device))
        epoch_bar.set_postfix(loss=f"{history['train_loss'][-1]:.4f}", test_acc=f"{history['test_acc'][-1]:.2%}")
        if progress and (epoch % 5 == 0 or epoch == epochs):
            epoch_bar.write(
                f"epoch {epoch:3d}  loss {history['train_loss'][-1]:.4f}  "
                f"train acc {history['train_acc'][-1]:.2%}  test acc {history['test_acc'][-1]:.2%}"
            )
    seconds = time.perf_counter() - start
    os.makedirs(out, exist_ok=True)
    save_curves(os.path.join(out, "curves.png"), history, "MLP on handwritten digits")
    minitorch.save(model.state_dict(), os.path.join(out, "mlp.npz"))
    return {"history": history, "test_acc": history["test_acc"][-1], "seconds": seconds, "out": out}


def add_arguments(parser):
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--hidden", type=int, nargs="+", default=[128, 64], help="hidden layer sizes")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--limit-train", type=int, default=None, help="use only this many training digits")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="outputs/mlp", help="folder for the plot and the checkpoint")


def main(args):
    result = train(args.epochs, tuple(args.hidden), args.lr, args.batch_size, args.seed, args.out,
                   device=args.device, limit_train=args.limit_train)
    print(
        f"\nfinal test accuracy: {result['test_acc']:.2%} after {args.epochs} epochs "
        f"({result['seconds']:.1f} s)\nsaved {args.out}/curves.png and {args.out}/mlp.npz"
    )
