"""``minitorch.multiprocessing``: shared-memory tensors (Hogwild training across fork and spawn
children), ``spawn``/``start_processes`` with PyTorch's failure semantics, and the module's surface."""
import copy
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import textwrap
from multiprocessing.reduction import ForkingPickler

import numpy as np
import pytest

import minitorch
import minitorch.multiprocessing as mp

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="the 'fork' start method exists on Linux and macOS only")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEPS, LR = 5, 0.1
SIGKILL = getattr(signal, "SIGKILL", 9)  # Windows has no SIGKILL (nor fork: the tests that use it skip there)


def hogwild_train(rank, model, lock):
    """One Hogwild worker: SGD steps on the shared model, with a gradient that is ``rank + 1`` everywhere
    (so the parent can tell that both workers' updates landed). The lock only keeps the test exact."""
    optimizer = minitorch.optim.SGD(model.parameters(), lr=LR)
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = sum((p * (rank + 1)).sum() for p in model.parameters())
        loss.backward()
        with lock:
            optimizer.step()


def expected_after_two_workers(before):
    return before - LR * STEPS * (1 + 2)


# ----------------------------------------------------------------------------------- sharing in one process
def test_share_memory_keeps_values_and_later_views_share_the_new_memory():
    x = minitorch.arange(6.0).reshape(2, 3)
    assert not x.is_shared()
    assert x.share_memory_() is x and x.is_shared()
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    pointer = x.data_ptr()
    assert x.share_memory_().data_ptr() == pointer  # already shared: nothing moves
    column = x[:, 1]
    assert column.is_shared()
    column.add_(10)
    assert x.tolist() == [[0.0, 11.0, 2.0], [3.0, 14.0, 5.0]]


def test_a_shared_view_takes_its_base_along():
    base = minitorch.arange(4.0)
    view = base[1:]
    view.share_memory_()
    assert base.is_shared() and view.is_shared()
    view.mul_(2)
    assert base.tolist() == [0.0, 2.0, 4.0, 6.0]
    assert view.untyped_storage().data_ptr() == base.untyped_storage().data_ptr()


def test_module_share_memory_shares_parameters_and_buffers_not_later_grads():
    model = minitorch.nn.BatchNorm1d(3)
    assert model.share_memory() is model
    assert all(t.is_shared() for t in [*model.parameters(), *model.buffers()])
    model(minitorch.randn(4, 3)).sum().backward()
    assert not model.weight.grad.is_shared()  # each process accumulates its own gradient


def test_empty_and_integer_tensors_share_too():
    assert minitorch.zeros(0).share_memory_().is_shared()
    n = minitorch.tensor([[1, 2], [3, 4]]).t()  # a transposed integer view
    assert n.share_memory_().tolist() == [[1, 3], [2, 4]] and n.dtype == minitorch.int64


def test_a_cuda_tensor_cannot_be_shared_and_says_so():
    x = minitorch.zeros(2, device="cuda")
    with pytest.raises(RuntimeError, match="cuda tensor.*CUDA IPC"):
        x.share_memory_()
    assert not x.is_shared()


def test_multiprocessing_pickles_a_shared_tensor_by_name_other_pickles_copy():
    x = minitorch.zeros(10_000).share_memory_()
    message = ForkingPickler.dumps(x)
    assert len(message) < 1000  # the block's name, not 40 kB of values
    received = pickle.loads(message)
    received[0] = 7.0
    assert x[0].item() == 7.0
    for copied in (pickle.loads(pickle.dumps(x)), copy.deepcopy(x)):
        assert not copied.is_shared()
        copied[1] = 1.0
        assert x[1].item() == 0.0
    plain = minitorch.ones(3)
    assert not pickle.loads(ForkingPickler.dumps(plain)).is_shared()


def test_a_received_parameter_or_buffer_keeps_its_class():
    weight = minitorch.nn.Parameter(minitorch.ones(2)).share_memory_()
    received = pickle.loads(ForkingPickler.dumps(weight))
    assert type(received) is minitorch.nn.Parameter and received.requires_grad and received.grad is None
    buffer = minitorch.nn.Buffer(minitorch.zeros(2), persistent=False).share_memory_()
    received = pickle.loads(ForkingPickler.dumps(buffer))
    assert type(received) is minitorch.nn.Buffer and received.persistent is False and received.is_shared()


def test_a_non_leaf_that_requires_grad_is_refused_as_pytorch_does():
    y = minitorch.ones(2, requires_grad=True).share_memory_() * 2
    y.share_memory_()
    with pytest.raises(RuntimeError, match="Cowardly refusing to serialize non-leaf"):
        ForkingPickler.dumps(y)


@pytest.mark.skipif(not os.path.isdir("/dev/shm"), reason="looks for the block's file under /dev/shm (Linux)")
def test_a_block_is_removed_when_its_last_tensor_goes():
    from minitorch.multiprocessing.shared import block_of

    x = minitorch.zeros(3).share_memory_()
    path = "/dev/shm/" + block_of(x._array).name.lstrip("/")
    assert os.path.exists(path)
    del x
    assert not os.path.exists(path)


# ----------------------------------------------------------------------------------------- other processes
@needs_fork
def test_hogwild_with_fork_children_updates_the_parents_parameters():
    context = mp.get_context("fork")
    model = minitorch.nn.Linear(3, 2)
    before = [p.detach().clone() for p in model.parameters()]
    model.share_memory()
    lock = context.Lock()
    workers = [context.Process(target=hogwild_train, args=(rank, model, lock)) for rank in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert [w.exitcode for w in workers] == [0, 0]
    for p, b in zip(model.parameters(), before):
        np.testing.assert_allclose(p.detach().numpy(), expected_after_two_workers(b.numpy()), rtol=1e-6)
    assert all(p.grad is None for p in model.parameters())  # the children's gradients stayed there


HOGWILD_SPAWN_SCRIPT = """
import minitorch, numpy as np
import minitorch.multiprocessing as mp
from test_multiprocessing import hogwild_train, expected_after_two_workers

if __name__ == "__main__":
    model = minitorch.nn.Linear(3, 2)
    before = [p.detach().clone().numpy() for p in model.parameters()]
    model.share_memory()
    assert mp.spawn(hogwild_train, args=(model, mp.get_context("spawn").Lock()), nprocs=2) is None
    for p, b in zip(model.parameters(), before):
        np.testing.assert_allclose(p.detach().numpy(), expected_after_two_workers(b), rtol=1e-6)
    print("trained", flush=True)
"""


def test_hogwild_with_spawn_updates_the_parents_parameters_and_leaks_no_shared_memory(tmp_path):
    """A whole program, as mnist_hogwild runs: spawn children receive the shared model by name, and at exit
    no block is left behind (Python's resource tracker would warn about a leaked one)."""
    script = tmp_path / "hogwild.py"
    script.write_text(HOGWILD_SPAWN_SCRIPT)
    paths = [ROOT, os.path.join(ROOT, "tests"), os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, paths)))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "trained" in done.stdout
    assert "leaked" not in done.stderr and "resource_tracker" not in done.stderr, done.stderr


def raise_value_error(rank, word):
    if rank == 1:
        raise ValueError(f"boom from {word} {rank}")


def kill_myself(rank):
    os.kill(os.getpid(), SIGKILL)


def exit_with_3(rank):
    sys.exit(3)


@needs_fork
def test_a_childs_exception_is_raised_again_in_the_parent_with_its_traceback():
    with pytest.raises(mp.ProcessRaisedException) as caught:
        mp.start_processes(raise_value_error, args=("child",), nprocs=2, start_method="fork")
    error = caught.value
    assert error.error_index == 1 and isinstance(error.error_pid, int)
    assert "-- Process 1 terminated with the following error:" in str(error)
    assert "Traceback" in str(error) and "ValueError: boom from child 1" in str(error)


@needs_fork
@pytest.mark.parametrize("fn, words, code", [(kill_myself, "terminated with signal SIGKILL", -SIGKILL),
                                             (exit_with_3, "terminated with exit code 3", 3)])
def test_a_child_that_dies_or_exits_nonzero_raises_process_exited(fn, words, code):
    with pytest.raises(mp.ProcessExitedException, match=words) as caught:
        mp.start_processes(fn, nprocs=1, start_method="fork")
    assert caught.value.exit_code == code and caught.value.error_index == 0


@needs_fork
def test_failures_match_pytorchs():
    torch_mp = pytest.importorskip("torch.multiprocessing")
    for runner in (mp, torch_mp):
        with pytest.raises(runner.ProcessRaisedException) as caught:
            runner.start_processes(raise_value_error, args=("child",), nprocs=2, start_method="fork")
        assert "ValueError: boom from child 1" in str(caught.value)
        assert [c.__name__ for c in runner.ProcessExitedException.__mro__[1:3]] == ["ProcessException", "Exception"]
        with pytest.raises(runner.ProcessExitedException) as caught:
            runner.start_processes(kill_myself, nprocs=1, start_method="fork")
        assert (caught.value.signal_name, caught.value.exit_code) == ("SIGKILL", -SIGKILL)


@needs_fork
def test_join_false_returns_a_process_context():
    context = mp.start_processes(raise_value_error, args=("x",), nprocs=1, join=False, start_method="fork")
    assert isinstance(context, mp.ProcessContext) and len(context.processes) == 1
    assert context.pids() == [context.processes[0].pid]
    while not context.join(timeout=10):
        pass
    assert context.join() is True  # joining again is fine


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(TypeError, match="args must be a tuple"):
        mp.start_processes(raise_value_error, args=["x"])
    with pytest.raises(ValueError, match="start_method"):
        mp.start_processes(raise_value_error, start_method="thread")
    with pytest.raises(ValueError, match="nprocs"):
        mp.start_processes(raise_value_error, nprocs=0)


@needs_fork
def test_a_shared_tensor_sent_over_a_queue_is_the_same_memory():
    context = mp.get_context("fork")
    queue, x = context.Queue(), minitorch.zeros(4).share_memory_()
    child = context.Process(target=_fill_from_queue, args=(queue,))
    child.start()
    queue.put(x[2:])
    child.join()
    assert x.tolist() == [0.0, 0.0, 5.0, 5.0]


def _fill_from_queue(queue):
    queue.get().fill_(5.0)


@needs_fork
def test_dataloader_workers_read_shared_tensors():
    x = minitorch.arange(12.0).reshape(6, 2).share_memory_()
    data = minitorch.utils.data.TensorDataset(x, minitorch.arange(6))
    with_workers = minitorch.utils.data.DataLoader(data, batch_size=4, num_workers=2, multiprocessing_context="fork")
    in_process = minitorch.utils.data.DataLoader(data, batch_size=4)
    for (a, b), (c, d) in zip(with_workers, in_process, strict=True):
        assert a.tolist() == c.tolist() and b.tolist() == d.tolist()


# -------------------------------------------------------------------------------------------- the surface
def test_pythons_multiprocessing_names_are_the_same_objects():
    for name in ("Process", "Queue", "Pool", "Event", "Lock", "Manager", "cpu_count", "get_context",
                 "set_start_method", "get_start_method", "current_process", "SimpleQueue", "Barrier"):
        assert getattr(mp, name) is getattr(multiprocessing, name), name
    assert minitorch.multiprocessing is mp


def test_the_surface_is_pytorchs():
    torch_mp = pytest.importorskip("torch.multiprocessing")
    missing = {n for n in dir(torch_mp) if not n.startswith("_")} - set(dir(mp))
    assert missing <= {"ENV_VAR_PARALLEL_START", "init_reductions", "reductions", "torch"}, missing
    assert set(torch_mp.__all__) <= set(mp.__all__)
    assert mp.get_all_sharing_strategies() == torch_mp.get_all_sharing_strategies()
    assert mp.get_sharing_strategy() == torch_mp.get_sharing_strategy()


def test_sharing_strategies_are_accepted_and_remembered():
    first = mp.get_sharing_strategy()
    try:
        for strategy in mp.get_all_sharing_strategies():
            mp.set_sharing_strategy(strategy)
            assert mp.get_sharing_strategy() == strategy
        with pytest.raises(ValueError, match="new_strategy"):
            mp.set_sharing_strategy("telepathy")
    finally:
        mp.set_sharing_strategy(first)
