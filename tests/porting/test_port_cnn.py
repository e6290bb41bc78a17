"""An MNIST-style CNN (Conv2d, MaxPool2d, Dropout, Linear) trained with SGD + momentum and a StepLR
schedule under minitorch and PyTorch from the same weights, on the same synthetic digits."""
import numpy as np


def make_net(torch):
    """The model class, as in PyTorch's MNIST example, scaled down to 12x12 images."""
    nn = torch.nn
    F = torch.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 4, 3, 1)
            self.conv2 = nn.Conv2d(4, 8, 3, 1, padding=1)
            self.dropout = nn.Dropout(0.25)
            self.fc1 = nn.Linear(8 * 5 * 5, 16)
            self.fc2 = nn.Linear(16, 10)

        def forward(self, x):
            x = F.relu(self.conv1(x))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = self.dropout(torch.flatten(x, 1))
            x = F.relu(self.fc1(x))
            return F.log_softmax(self.fc2(x), dim=1)

    return Net


def train_cnn(torch, same_start):
    """Three epochs of two batches; dropout is random and the libraries draw differently, so the
    steps run in eval mode (dropout off) and train mode is only checked to drop something."""
    nn = torch.nn
    rng = np.random.default_rng(0)
    images = torch.from_numpy(rng.standard_normal((16, 1, 12, 12)))
    labels = torch.from_numpy(rng.integers(0, 10, 16))
    device = torch.device("cpu")
    torch.manual_seed(1)
    model = same_start(make_net(torch)().to(device))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    criterion = nn.NLLLoss()
    losses, lrs = [], []
    for epoch in range(3):
        for batch in range(2):
            data = images[8 * batch:8 * batch + 8].to(device)
            target = labels[8 * batch:8 * batch + 8].to(device)
            model.eval()
            optimizer.zero_grad()
            loss = criterion(model(data), target)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        scheduler.step()
        lrs.append(scheduler.get_last_lr()[0])
    model.train()
    assert model.training and model.dropout.training
    train_out = model(images)
    model.eval()
    with torch.no_grad():
        out = model(images)
        correct = out.argmax(dim=1, keepdim=True).eq(labels.view_as(out.argmax(dim=1, keepdim=True))).sum()
    assert not torch.allclose(train_out, out)
    return {"losses": losses, "lrs": lrs, "log_probs": out.numpy(), "correct": correct.item(),
            "conv1_grad": model.conv1.weight.grad.numpy()}


def test_cnn_trains_as_in_pytorch(run_both, same_numbers):
    ours, theirs = run_both(train_cnn)
    same_numbers(ours, theirs)
    assert ours["lrs"] == [0.025, 0.0125, 0.00625]
