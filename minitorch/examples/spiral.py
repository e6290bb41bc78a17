"""An MLP separates the three arms of a 2-D spiral; the decision boundary is saved as a PNG.

    python -m minitorch.examples spiral [--epochs 1000] [--device cpu|cuda] [--out outputs/spiral]
"""
import os

import minitorch
import minitorch.nn.functional as F
from minitorch.data import make_spiral

from .mlp import make_mlp
from .plots import save_decision_boundary


def train(epochs=1000, hidden=(64, 64), lr=1e-2, n_samples=300, seed=0, out="outputs/spiral", progress=True,
          device="cpu", resolution=200):
    """Full-batch Adam on a 3-class spiral; returns the loss history and the training accuracy.

    The decision boundary is drawn from the model's class at ``resolution`` x ``resolution`` points.
    """
    minitorch.manual_seed(seed)
    X_cpu, y_cpu = make_spiral(n_samples=n_samples, n_classes=3)
    X, y = X_cpu.to(device), y_cpu.to(device)
    model = make_mlp(2, hidden, 3).to(device)
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
            return model(minitorch.tensor(points, device=device)).argmax(dim=1).cpu().numpy()

    path = os.path.join(out, "decision_boundary.png")
    save_decision_boundary(path, predict, X_cpu.numpy(), y_cpu.numpy(), f"spiral: {accuracy:.1%} train accuracy",
                           resolution)
    return {"losses": losses, "train_acc": accuracy, "plot": path}


def add_arguments(parser):
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="outputs/spiral")


def main(args):
    result = train(args.epochs, lr=args.lr, seed=args.seed, out=args.out, device=args.device)
    print(f"\ntrain accuracy: {result['train_acc']:.2%}\nsaved {result['plot']}")
