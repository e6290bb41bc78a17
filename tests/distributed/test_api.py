"""minitorch.distributed without starting MPI: errors before init_process_group, without mpi4py,
for wrong arguments; the launcher's command line; PyTorch's names and signatures."""
import doctest
import importlib
import inspect
import os
import subprocess
import sys

import pytest

import minitorch
import minitorch.distributed as dist
from minitorch.distributed import bootstrap, process_group, run
from minitorch.nn.parallel import DataParallel, DistributedDataParallel

CALLS = {
    "get_rank": lambda: dist.get_rank(),
    "get_world_size": lambda: dist.get_world_size(),
    "barrier": lambda: dist.barrier(),
    "all_reduce": lambda: dist.all_reduce(minitorch.ones(2)),
    "broadcast": lambda: dist.broadcast(minitorch.ones(2), src=0),
    "all_gather": lambda: dist.all_gather([minitorch.ones(2)], minitorch.ones(2)),
    "reduce_scatter_tensor": lambda: dist.reduce_scatter_tensor(minitorch.ones(1), minitorch.ones(2)),
    "send": lambda: dist.send(minitorch.ones(2), dst=1),
    "irecv": lambda: dist.irecv(minitorch.ones(2), src=1),
    "all_gather_object": lambda: dist.all_gather_object([None], 1),
    "destroy_process_group": lambda: dist.destroy_process_group(),
    "DistributedDataParallel": lambda: DistributedDataParallel(minitorch.nn.Linear(2, 2)),
}


@pytest.mark.parametrize("name", CALLS)
def test_calls_before_init_process_group_say_so(name):
    assert not dist.is_initialized()
    with pytest.raises(RuntimeError, match=rf"^{name}: .*call minitorch\.distributed\.init_process_group\(\) first"):
        CALLS[name]()
    with pytest.raises(ValueError):  # what PyTorch raises there
        CALLS[name]()


def test_without_mpi4py_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setattr(process_group, "is_mpi_available", lambda: False)
    assert not dist.is_available()
    with pytest.raises(RuntimeError, match=r'needs mpi4py.*pip install -e "\.\[distributed\]"'):
        dist.init_process_group("mpi")


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(backend="ucc"), ValueError, "backend 'ucc' is not available in minitorch; the backend here is 'mpi'"),
    (dict(init_method="redis://x"), ValueError, "init_method must be 'env://'"),
    (dict(timeout=30), TypeError, "timeout must be a positive datetime.timedelta, got 30"),
])
def test_init_process_group_refuses_what_cannot_run_here(kwargs, error, words):
    with pytest.raises(error, match=words):
        dist.init_process_group(**kwargs)
    assert not dist.is_initialized()


def test_importing_minitorch_does_not_start_mpi():
    code = "import sys, minitorch, minitorch.distributed, minitorch.nn.parallel; print('mpi4py' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_the_launcher_runs_mpiexec_with_the_bootstrap(tmp_path, monkeypatch):
    hostfile = tmp_path / "hosts"
    hostfile.write_text("# our cluster\nnode1:4\nnode2:4\n")
    command = run.command(["--nproc-per-node", "8", "--hostfile", str(hostfile), "--mpiexec", "/opt/mpiexec",
                           "train.py", "--epochs", "3"])
    assert command == ["/opt/mpiexec", "-n", "8", "-hostfile", str(hostfile), sys.executable, "-m",
                       "minitorch.distributed.bootstrap", "--master-addr", "node1", "--master-port", "29500",
                       "train.py", "--epochs", "3"]
    assert run.command(["-n", "2", "--mpiexec", "m", "-m", "pkg.train"])[-2:] == ["-m", "pkg.train"]
    with pytest.raises(ValueError, match="-n must be at least 1, got 0"):
        run.command(["-n", "0", "--mpiexec", "m", "train.py"])
    monkeypatch.setattr(run, "find_mpiexec", lambda: None)
    with pytest.raises(RuntimeError, match=r'mpiexec was not found; pip install -e "\.\[distributed\]"'):
        run.command(["-n", "2", "train.py"])


@pytest.mark.parametrize("environ", [
    {"PMI_RANK": "3", "PMI_SIZE": "4", "MPI_LOCALRANKID": "1", "MPI_LOCALNRANKS": "2"},  # MPICH, Intel MPI
    {"OMPI_COMM_WORLD_RANK": "3", "OMPI_COMM_WORLD_SIZE": "4", "OMPI_COMM_WORLD_LOCAL_RANK": "1",
     "OMPI_COMM_WORLD_LOCAL_SIZE": "2"},  # Open MPI
])
def test_the_bootstrap_gives_torchruns_variables(environ):
    assert bootstrap.torchrun_environment(environ, "node1", "1234") == {
        "RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1", "LOCAL_WORLD_SIZE": "2", "MASTER_ADDR": "node1",
        "MASTER_PORT": "1234"}


def test_data_parallel_calls_the_module():
    torch = pytest.importorskip("torch")
    model = minitorch.nn.Linear(3, 2)
    assert minitorch.nn.DataParallel is DataParallel
    wrapped = DataParallel(model)
    x = minitorch.randn(4, 3)
    assert wrapped.module is model and minitorch.equal(wrapped(x), model(x))
    assert list(wrapped.state_dict()) == list(torch.nn.DataParallel(torch.nn.Linear(3, 2)).state_dict())


def _parameters(function):
    return [name for name in inspect.signature(function).parameters if not name.startswith("_")]


@pytest.mark.parametrize("name", [
    "init_process_group", "is_available", "is_initialized", "get_rank", "get_world_size", "get_backend", "barrier",
    "destroy_process_group", "all_reduce", "broadcast", "all_gather", "all_gather_into_tensor", "reduce",
    "reduce_scatter", "reduce_scatter_tensor", "gather", "scatter", "send", "recv", "isend", "irecv",
    "all_gather_object", "broadcast_object_list",
])
def test_names_and_arguments_are_pytorchs(name):
    torch_dist = pytest.importorskip("torch.distributed")
    assert _parameters(getattr(dist, name)) == _parameters(getattr(torch_dist, name))


def test_reduce_ops_and_ddp_arguments_are_pytorchs():
    torch = pytest.importorskip("torch")
    assert {op.name: op.value for op in dist.ReduceOp.RedOpType} == {
        name: int(op) for name, op in torch.distributed.ReduceOp.RedOpType.__members__.items() if name != "PREMUL_SUM"}
    ours = _parameters(DistributedDataParallel.__init__)
    assert ours == _parameters(torch.nn.parallel.DistributedDataParallel.__init__)[:len(ours)]
    assert dist.all_reduce.__defaults__[0] is dist.ReduceOp.SUM


def test_environment_that_disagrees_with_mpi_is_refused(monkeypatch):
    """A script started by torchrun (WORLD_SIZE=2) but not by mpiexec is a world of one for MPI."""
    pytest.importorskip("mpi4py")
    code = ("import minitorch.distributed as d\ntry:\n    d.init_process_group('mpi')\nexcept ValueError as e:\n"
            "    print(e)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, WORLD_SIZE="2", RANK="1"))
    assert "WORLD_SIZE=2 (environment variable) but MPI says 1" in done.stdout, done.stderr
    assert "python -m minitorch.distributed.run -n N" in done.stdout


@pytest.mark.parametrize("name", ["minitorch.distributed.bootstrap", "minitorch.nn.parallel.data_parallel",
                                  "minitorch.data.distributed"])
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("backend", ["mpi", "gloo", "nccl", "NCCL"])
def test_the_backends_scripts_pass_all_run_on_mpi(backend):
    """GPU scripts pass "nccl", CPU ones "gloo": both run on MPI here (a world of one without mpiexec)."""
    pytest.importorskip("mpi4py")
    code = (f"import minitorch.distributed as d\nd.init_process_group({backend!r})\n"
            "print(d.get_backend(), d.get_world_size(), d.get_rank())\nd.destroy_process_group()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["mpi", "1", "0"], done.stderr
