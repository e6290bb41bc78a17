"""Run by tests/distributed/test_ddp.py through the launcher (``python -m minitorch.distributed.run -n 2``):
DistributedDataParallel on 2 ranks against one process on the full batch (float64, 1e-12), no_sync,
find_unused_parameters, buffers, state_dict. Prints ``DDP OK`` at the end.
"""
import os

import numpy as np

import minitorch
import minitorch.distributed as dist
from minitorch import nn
from minitorch.nn.parallel import DistributedDataParallel as DDP

dist.init_process_group("mpi")
rank, size = dist.get_rank(), dist.get_world_size()
assert (os.environ["RANK"], os.environ["WORLD_SIZE"], os.environ["LOCAL_RANK"]) == (str(rank), "2", str(rank))
assert os.environ["LOCAL_WORLD_SIZE"] == "2" and os.environ["MASTER_ADDR"] and os.environ["MASTER_PORT"]
rng = np.random.default_rng(0)
X, Y = rng.normal(size=(12, 3)), rng.normal(size=(12, 2))


def model():
    return nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 5), nn.Tanh(), nn.Linear(5, 2)).double()


def loss(net, rows):
    return ((net(minitorch.tensor(X[rows])) - minitorch.tensor(Y[rows])) ** 2).mean()


def same_everywhere(array):
    everyone = [None] * size
    dist.all_gather_object(everyone, array)
    return all(np.array_equal(a, everyone[0]) for a in everyone)


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


# 1. construction takes rank 0's parameters; training equals one process on the full batch
for cap in (None, 0.0001):  # one bucket; a bucket per parameter or two
    minitorch.manual_seed(rank)  # different weights per rank, until DDP broadcasts rank 0's
    local = model()
    ddp = DDP(local, bucket_cap_mb=cap)
    assert ddp.module is local and list(ddp.state_dict())[:2] == ["module.0.weight", "module.0.bias"]
    assert all(same_everywhere(p.detach().numpy()) for p in local.parameters())
    full = model()
    full.load_state_dict(local.state_dict())
    optimizers = [minitorch.optim.Adam(net.parameters(), lr=0.01) for net in (ddp, full)]
    for step in range(3):
        for opt in optimizers:
            opt.zero_grad()
        mine = slice(6 * rank + step % 2, 6 * rank + 6)  # uneven shards would weigh differently: keep 5 rows
        loss(ddp, mine).backward()
        ((loss(full, slice(step % 2, 6)) + loss(full, slice(6 + step % 2, 12))) / 2).backward()
        for p, q in zip(local.parameters(), full.parameters()):
            close(p.grad.numpy(), q.grad.numpy())
        for opt in optimizers:
            opt.step()
    for p, q in zip(local.parameters(), full.parameters()):
        close(p.detach().numpy(), q.detach().numpy())

# 2. no_sync: gradients stay local, then the next synced backward averages the accumulated sum
minitorch.manual_seed(0)
local, full = model(), model()
ddp = DDP(local)
full.load_state_dict(local.state_dict())
halves = [slice(6 * rank, 6 * rank + 3), slice(6 * rank + 3, 6 * rank + 6)]
with ddp.no_sync():
    loss(ddp, halves[0]).backward()
assert not same_everywhere(local[0].weight.grad.numpy())
loss(ddp, halves[1]).backward()
for part in (slice(0, 3), slice(3, 6), slice(6, 9), slice(9, 12)):
    (loss(full, part) / size).backward()
for p, q in zip(local.parameters(), full.parameters()):
    close(p.grad.numpy(), q.grad.numpy())


# 3. find_unused_parameters: a branch only rank 0 takes, and a layer no rank uses
class Branchy(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk, self.branch, self.spare = nn.Linear(3, 2), nn.Linear(2, 2), nn.Linear(2, 2)

    def forward(self, x, take_branch):
        h = self.trunk(x)
        return self.branch(h) if take_branch else h


minitorch.manual_seed(0)
net, ranks_alone = Branchy().double(), [Branchy().double() for _ in range(size)]
ddp = DDP(net, find_unused_parameters=True)
ddp(minitorch.tensor(X[:4]), take_branch=rank == 0).sum().backward()
for r, alone in enumerate(ranks_alone):  # what each rank computes by itself
    alone.load_state_dict(net.state_dict())
    alone(minitorch.tensor(X[:4]), take_branch=r == 0).sum().backward()
close(net.trunk.weight.grad.numpy(), sum(alone.trunk.weight.grad.numpy() for alone in ranks_alone) / size)
close(net.branch.weight.grad.numpy(), ranks_alone[0].branch.weight.grad.numpy() / size)
assert net.spare.weight.grad is None  # used by no rank: untouched
ddp(minitorch.tensor(X[:4]), take_branch=True).sum().backward()  # the next iteration runs

# ... and without it, the unfinished reduction is reported at the next forward
ddp = DDP(Branchy().double())
ddp(minitorch.tensor(X[:4]), take_branch=True).sum().backward()
try:
    ddp(minitorch.tensor(X[:4]), take_branch=True)
except RuntimeError as error:
    assert "find_unused_parameters=True" in str(error) and "spare.weight" in str(error), error
else:
    raise AssertionError("an unused parameter without find_unused_parameters must raise")

# 4. buffers: rank 0's are copied to every rank at each forward
norm = nn.BatchNorm1d(3).double()
ddp = DDP(norm)
norm.running_mean.fill_(float(rank))
ddp.eval()
with minitorch.no_grad():
    ddp(minitorch.tensor(X[:4]))
assert norm.running_mean.tolist() == [0.0, 0.0, 0.0]
# 5. a model on the cuda device (the simulator in CI) gets the cpu's averaged gradients
grads = {}
for device in ("cpu", "cuda"):
    minitorch.manual_seed(0)
    net = nn.Linear(3, 2).double().to(device)
    ddp = DDP(net, bucket_cap_mb=0.00001)
    x, y = minitorch.tensor(X[4 * rank:4 * rank + 4], device=device), minitorch.tensor(Y[:4], device=device)
    ((ddp(x) - y) ** 2).mean().backward()
    assert net.weight.grad.device.type == device
    grads[device] = [p.grad.cpu().numpy() for p in net.parameters()]
for on_cpu, on_cuda in zip(grads["cpu"], grads["cuda"]):
    close(on_cuda, on_cpu)
print(f"DDP OK rank {rank}", flush=True)
