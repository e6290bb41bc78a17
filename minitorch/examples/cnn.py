"""The seed's SimpleCNN classifies MNIST digits: two 3x3 convolutions, max-pooling, two dense layers.

    python -m minitorch.examples cnn [--epochs 10] [--device cpu|cuda] [--data-dir FOLDER]
                                     [--augment] [--early-stopping PATIENCE]
    python -m minitorch.distributed.run -n 2 -m minitorch.examples cnn --distributed [options]

Without ``--data-dir`` it trains on the 5,000 real MNIST digits that ship with
minitorch (4,000 to train, 1,000 held out to test); with a folder holding the
four IDX files it uses the full 60,000/10,000 set (measured: 98.99% test accuracy after
10 epochs, 300 s on a 2-core CPU; the shipped subset: 96.8%). It prints a progress bar per
epoch and the test accuracy, and saves loss/accuracy curves, the confusion
matrix, the first layer's filters and a checkpoint (``minitorch.save``).

With ``--distributed`` (started by the launcher, one process per rank) every rank trains a
replica on its share of the training set (``DistributedSampler``, reshuffled each epoch with
``set_epoch``), ``DistributedDataParallel`` averages the gradients, so ``--batch-size`` is per
rank and the global batch is ranks x batch size; the test set is split over the ranks too. The
losses and accuracies printed are over all ranks, and rank 0 alone prints and saves the files.

The seed's code flattens to 64 * 6 * 6, which does not fit 28x28 inputs:
28 -conv3-> 26 -pool2-> 13 -conv3-> 11 -pool2-> 5, so the flattened size is 64 * 5 * 5.
"""
import functools
import os
import time

import numpy as np
from tqdm import tqdm

import minitorch
import minitorch.nn.functional as F
from minitorch import metrics, nn
from minitorch.data import MNIST, DataLoader, Subset, random_split
from minitorch.data.distributed import DistributedSampler
from minitorch.data.transforms import Compose, RandomAffine, RandomCrop

from .parallel import Ranks, process_group
from .plots import save_curves, save_filters


class SimpleCNN(nn.Module):
    """conv(1->32, 3x3) ReLU maxpool(2) -> conv(32->64, 3x3) ReLU maxpool(2) -> 128 -> 10.

    Those are the seed's sizes; ``channels`` (the two convolutions' output channels) and
    ``hidden`` (the dense layer's width) change them, for example to try a smaller network.
    ``batch_norm=True`` puts a ``BatchNorm2d`` between each convolution and its ReLU (attributes
    ``bn1``, ``bn2``): it trains faster (lab 4's milestone uses it).
    Submodules: ``conv1``, ``conv2``, ``fc1``, ``fc2`` (and ``bn1``, ``bn2``), ``relu``, ``pool``.
    """

    def __init__(self, channels=(32, 64), hidden=128, batch_norm=False):
        super().__init__()
        ### BEGIN SOLUTION 4.11: the layers of the docstring, in its order (bn1, bn2 only with batch_norm)
        c1, c2 = channels
        self.conv1 = nn.Conv2d(1, c1, 3, 1)
        if batch_norm:
            self.bn1 = nn.BatchNorm2d(c1)
        self.conv2 = nn.Conv2d(c1, c2, 3, 1)
        if batch_norm:
            self.bn2 = nn.BatchNorm2d(c2)
        self.fc1 = nn.Linear(c2 * 5 * 5, hidden)
        self.fc2 = nn.Linear(hidden, 10)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2, 2)
        self.batch_norm = batch_norm
        ### END SOLUTION

    def forward(self, x):
        """(N, 1, 28, 28) images -> (N, 10) logits."""
        ### BEGIN SOLUTION 4.11: the (N, 10) logits of the docstring's network
        x = self.conv1(x)
        x = self.pool(self.relu(self.bn1(x) if self.batch_norm else x))
        x = self.conv2(x)
        x = self.pool(self.relu(self.bn2(x) if self.batch_norm else x))
        x = x.flatten(1)
        x = self.relu(self.fc1(x))
        return self.fc2(x)
        ### END SOLUTION


def predict(model, dataset, device, batch_size=500):
    """Predicted classes for every sample of ``dataset`` (eval mode, no graph), as one numpy array;
    the model is back in training mode afterwards."""
    ### BEGIN SOLUTION 4.11: the predicted class of every sample, batch by batch (eval mode, no graph), then train mode again
    model.eval()
    predictions = []
    with minitorch.no_grad():
        for X, _ in DataLoader(dataset, batch_size=batch_size):
            predictions.append(model(X.to(device)).argmax(dim=1).cpu().numpy())
    model.train()
    return np.concatenate(predictions)
    ### END SOLUTION


def train_epoch(model, batches, optimizer, device, augment_batch=None, progress=None):
    """One pass of mini-batch training over ``batches`` ((X, y) pairs, e.g. a DataLoader): for each,
    the cross-entropy of the model's logits, its gradients and one optimizer step. ``augment_batch``
    transforms each X first; ``progress`` wraps ``batches`` (a progress bar). Returns the batches' losses.
    """
    ### BEGIN SOLUTION 4.11: train on every batch (augmented if asked) and return the list of loss values
    losses = []
    for X, y in batches if progress is None else progress(batches):
        if augment_batch is not None:
            X = augment_batch(X)
        loss = F.cross_entropy(model(X.to(device)), y.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
    ### END SOLUTION


def labels_of(dataset):
    """The labels of every sample of ``dataset`` (numpy)."""
    return np.concatenate([y.numpy() for _, y in DataLoader(dataset, batch_size=1000)])


def evaluate(model, dataset, device, ranks):
    """(predicted, true) classes of every sample of ``dataset``; each of the ``ranks`` predicts its share."""
    share = Subset(dataset, ranks.share(len(dataset)))
    return ranks.concatenate(predict(model, share, device)), ranks.concatenate(labels_of(share))


def augmentation():
    """Small random crops (after padding by 2) and rotations/shifts: digits stay readable."""
    return Compose([RandomCrop(28, padding=2), RandomAffine(degrees=10, translate=(0.1, 0.1))])


def load_data(data_dir, limit_train=None, limit_test=None, validation=0):
    """(train, validation or None, test) datasets: the shipped subset, or full MNIST from data_dir."""
    train, test = MNIST(root=data_dir, train=True), MNIST(root=data_dir, train=False)
    if limit_train:  # a random subset: the files are not shuffled
        train = Subset(train, minitorch.randperm(len(train), generator=minitorch.Generator(0))[:limit_train].tolist())
    if limit_test:
        test = Subset(test, minitorch.randperm(len(test), generator=minitorch.Generator(1))[:limit_test].tolist())
    val = None
    if validation:
        n_val = int(len(train) * validation)
        train, val = random_split(train, [len(train) - n_val, n_val], generator=minitorch.Generator(0))
    return train, val, test


def train(epochs=10, batch_size=64, lr=1e-3, device="cpu", data_dir=None, augment=False,
          early_stopping=None, seed=0, out="outputs/cnn", limit_train=None, limit_test=None,
          progress=True, channels=(32, 64), hidden=128, distributed=False):
    """Train SimpleCNN with Adam; return the history, the test accuracy and where files went.

    ``distributed=True``: this process is one rank of a launched group (``init_process_group``
    first; see the module docstring); every rank returns the same result, rank 0 writes the files.
    """
    minitorch.manual_seed(seed)
    ranks = Ranks(distributed)
    progress = progress and ranks.main
    train_set, val_set, test_set = load_data(data_dir, limit_train, limit_test, 0.1 if early_stopping else 0)
    sampler = DistributedSampler(train_set, ranks.world, ranks.rank, seed=seed) if distributed else None
    loader = DataLoader(train_set, batch_size=batch_size, shuffle=sampler is None, sampler=sampler)
    net = SimpleCNN(channels, hidden).to(device)
    model = ranks.wrap(net)
    optimizer = minitorch.optim.Adam(model.parameters(), lr=lr)
    augment_batch = augmentation() if augment else None
    history = {"train_loss": [], "test_acc": []}
    if val_set is not None:
        history["val_acc"] = []
    best, best_state, waited = -1.0, None, 0
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        if sampler is not None:
            sampler.set_epoch(epoch)
        bar = functools.partial(tqdm, desc=f"epoch {epoch}/{epochs}", leave=False, disable=not progress)
        losses = train_epoch(model, loader, optimizer, device, augment_batch, bar)
        history["train_loss"].append(ranks.mean(np.mean(losses)))
        predicted, target = evaluate(net, test_set, device, ranks)
        history["test_acc"].append(float(np.mean(predicted == target)))
        line = f"epoch {epoch:3d}  loss {history['train_loss'][-1]:.4f}  test acc {history['test_acc'][-1]:.2%}"
        if val_set is not None:
            predicted, target = evaluate(net, val_set, device, ranks)
            val_acc = float(np.mean(predicted == target))
            history["val_acc"].append(val_acc)
            line += f"  val acc {val_acc:.2%}"
            if val_acc > best:
                best, waited = val_acc, 0
                best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
            else:
                waited += 1
        if progress:
            print(line)
        if early_stopping is not None and waited >= early_stopping:
            if progress:
                print(f"early stopping: no better validation accuracy for {early_stopping} epochs")
            break
    if best_state is not None:
        net.load_state_dict(best_state)
    seconds = time.perf_counter() - start
    predicted, target = evaluate(net, test_set, device, ranks)
    result = {"history": history, "test_acc": float(np.mean(predicted == target)), "seconds": seconds,
              "epochs_run": len(history["train_loss"]), "out": out}
    if ranks.main:
        save_outputs(out, net, history, predicted, target)
    return result


def save_outputs(out, net, history, predicted, target):
    """Curves, confusion matrix, first-layer filters and the checkpoint of ``net``, in the folder ``out``."""
    os.makedirs(out, exist_ok=True)
    save_curves(os.path.join(out, "curves.png"), history, "SimpleCNN on MNIST")
    metrics.plot_confusion_matrix(metrics.confusion_matrix(predicted, target, 10),
                                  path=os.path.join(out, "confusion_matrix.png"))
    save_filters(os.path.join(out, "filters.png"), net.conv1.weight.detach().cpu().numpy())
    minitorch.save(net.state_dict(), os.path.join(out, "cnn.npz"))


def benchmark_step(device, batch_size=64):
    """A callable doing one training step of SimpleCNN on random 28x28 data (for benchmarks)."""
    minitorch.manual_seed(0)
    model = SimpleCNN().to(device)
    optimizer = minitorch.optim.Adam(model.parameters(), lr=1e-3)
    X = minitorch.randn(batch_size, 1, 28, 28, device=device)
    y = minitorch.randint(0, 10, (batch_size,)).to(device)

    def step():
        optimizer.zero_grad()
        F.cross_entropy(model(X), y).backward()
        optimizer.step()

    return step


def add_arguments(parser):
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--data-dir", default=None, help="folder with the four MNIST IDX files (full set)")
    parser.add_argument("--augment", action="store_true", help="random crops and small rotations/shifts")
    parser.add_argument("--early-stopping", type=int, default=None, metavar="PATIENCE",
                        help="hold out 10%% of the training set; stop after PATIENCE epochs without improvement")
    parser.add_argument("--limit-train", type=int, default=None, help="use only this many training images")
    parser.add_argument("--limit-test", type=int, default=None, help="test on only this many images")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--channels", type=int, nargs=2, default=[32, 64], metavar=("C1", "C2"),
                        help="output channels of the two convolutions (the seed's: 32 64)")
    parser.add_argument("--hidden", type=int, default=128, help="width of the dense layer (the seed's: 128)")
    parser.add_argument("--out", default="outputs/cnn")
    parser.add_argument("--distributed", action="store_true",
                        help="one rank of python -m minitorch.distributed.run -n N (data-parallel, DDP)")


def main(args):
    with process_group(args.distributed):
        result = train(args.epochs, args.batch_size, args.lr, args.device, args.data_dir, args.augment,
                       args.early_stopping, args.seed, args.out, args.limit_train, args.limit_test,
                       channels=tuple(args.channels), hidden=args.hidden, distributed=args.distributed)
        if not Ranks(args.distributed).main:
            return
    print(
        f"\nfinal test accuracy: {result['test_acc']:.2%} after {result['epochs_run']} epochs "
        f"({result['seconds']:.0f} s)\nsaved curves.png, confusion_matrix.png, filters.png and cnn.npz in {args.out}"
    )
