"""Lab 6's milestone: a small MLP trained on the "cuda" device, where your kernels do the work.

On "cuda" every product of a ``Linear`` layer, forward and backward, runs the register-blocked
matmul kernel (tasks 6.5-6.7), and ``F.softmax`` runs the online-softmax kernel and its backward
kernel (tasks 6.2-6.4). Without a GPU, Numba's simulator runs them (``NUMBA_ENABLE_CUDASIM=1``), a
Python thread per CUDA thread, so the run is small: 16 points of the two moons, 15 full-batch
steps of Adam on

    loss = (1/n) sum_i -log softmax(model(x_i))[y_i]

The inputs are centred on the middle of the two moons, ``CENTER``: centred inputs train faster.
"""
import minitorch
import minitorch.nn.functional as F
from minitorch import nn
from minitorch.data import make_moons

CENTER = (0.5, 0.25)


def make_model(hidden=32):
    """Linear(2, hidden) -> ReLU -> Linear(hidden, 2): the logits of the two moons."""
    return nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 2))


def softmax_cross_entropy(logits, y):
    """The mean over rows of -log softmax(logits)_i,y_i (a 0-d tensor), for ``y`` a tensor of
    class indices (int64), through ``F.softmax``: the softmax kernels on "cuda"."""
    ### BEGIN SOLUTION 6.10: return the mean of -log of each row's softmax probability of its class, computed with F.softmax
    probabilities = F.softmax(logits, dim=1)
    return -probabilities.gather(1, y[:, None]).log().mean()
    ### END SOLUTION


def fit(model, X, y, steps=15, lr=0.1):
    """Full-batch Adam (learning rate ``lr``) on ``softmax_cross_entropy(model(X), y)``, ``steps``
    times, on the device of ``X``, ``y`` and the model. Returns the losses (floats), one per step."""
    ### BEGIN SOLUTION 6.10: run the Adam steps on the full batch (gradients cleared before each backward) and return the list of losses
    optimizer = minitorch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        loss = softmax_cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
    ### END SOLUTION


def centred(points, device):
    """``points`` (numpy or a tensor, shape (n, 2)) minus ``CENTER``, a float32 tensor on ``device``."""
    return (minitorch.as_tensor(points, dtype=minitorch.float32) - minitorch.tensor(CENTER)).to(device)


def logits(model, points, device="cuda"):
    """The model's logits (numpy, (n, 2)) for ``points`` (numpy, (n, 2)), without a graph."""
    with minitorch.no_grad():
        return model(centred(points, device)).cpu().numpy()


def train(n_points=16, steps=15, lr=0.1, seed=0, device="cuda"):
    """The milestone's run: ``make_model()`` (initialised from ``seed``) on ``device``, fitted on
    ``n_points`` noise-free moon points. Returns the model and the losses."""
    minitorch.manual_seed(seed)
    X, y = make_moons(n_points, noise=0.0)
    model = make_model().to(device)
    return model, fit(model, centred(X, device), y.to(device), steps, lr)

