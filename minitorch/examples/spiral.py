"""An MLP separates the three arms of a 2-D spiral; the decision boundary is saved as a PNG.

    python -m minitorch.examples spiral [--epochs 1000] [--out outputs/spiral]
"""
import os

import minitorch
import minitorch.nn.functional as F
from minitorch.data import make_spiral

from .mlp import make_mlp
from .plots import save_decision_boundary


def train(epochs=1000, hidden=(64, 64), lr=1e-2, n_samples=300, seed=0, out="outputs/spiral", progress=True):
    """Full-batch Adam on a 3-class spiral; returns the loss history and the training accuracy."""
    minitorch.manual_seed(seed)
    X, y = make_spiral(n_samples=n_samples, n_classes=3)
    model = make_mlp(2, hidden, 3)
    optimizer = minitorch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for epoch in range(1, epochs + 1):
        loss = F.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if progress and epoch % max(epochs // 10, 1) == 0:
            print(f"epoch {epoch:4d}  loss {losses[-1]:.4f}")
    with minitorch.no_grad():
        accuracy = (model(X).argmax(dim=1) == y).float().mean().item()

    def predict(points):
        with minitorch.no_grad():
            return model(minitorch.tensor(points)).argmax(dim=1).numpy()

    path = os.path.join(out, "decision_boundary.png")
    save_decision_boundary(path, predict, X.numpy(), y.numpy(), f"spiral: {accuracy:.1%} train accuracy")
    return {"losses": losses, "train_acc": accuracy, "plot": path}


def add_arguments(parser):
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="outputs/spiral")


def main(args):
    result = train(args.epochs, lr=args.lr, seed=args.seed, out=args.out)
    print(f"\ntrain accuracy: {result['train_acc']:.2%}\nsaved {result['plot']}")
