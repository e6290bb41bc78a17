"""The course labs: every lab, its tasks, their points, and which task builds on which.

This module is the one place labs are defined. A task id such as ``"1.3"`` ties together:

- its solution regions in the reference code (``### BEGIN SOLUTION 1.3: <instruction>`` ...
  ``### END SOLUTION``), which the student edition replaces by
  ``raise NotImplementedError("Task 1.3: <instruction>")``;
- its tests in ``tests/labs/``, selected by the mark ``@pytest.mark.task(id="1.3")``;
- its points, shared equally by its tests.

``depends_on`` names the tasks whose code this task's tests also run: stubbing one of them may
make this task's tests fail too. CI checks both directions (``tests/labs/test_lab_tooling.py``):
stubbing a task fails all of its own tests and no test of a task that does not depend on it,
and every declared dependency is real.

This module imports nothing from minitorch, so the grader can load it even when a student's
code does not import.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """One task: ``id`` "<lab>.<n>", a short ``title``, its ``points`` and the ids it ``depends_on``."""

    id: str
    title: str
    points: float
    depends_on: tuple = ()

    @property
    def lab(self):
        return int(self.id.split(".")[0])


@dataclass(frozen=True)
class Lab:
    """One lab: its ``number``, ``title``, and ``tasks`` in the order students do them."""

    number: int
    title: str
    tasks: tuple


LABS = (
    Lab(1, "Scalar autograd and a tiny MLP", (
        Task("1.1", "Add, subtract, negate, multiply: values and local derivatives", 3),
        Task("1.2", "Division and powers: values and local derivatives", 3, depends_on=("1.1",)),
        Task("1.3", "exp, log, tanh, relu, sigmoid: values and local derivatives", 4),
        Task("1.4", "Topological order without recursion", 5),
        Task("1.5", "Backward: the chain rule, accumulated", 5, depends_on=("1.1", "1.2", "1.3", "1.4")),
        Task("1.6", "Neuron, Layer, MLP: forward and parameters", 4, depends_on=("1.1", "1.3")),
        Task("1.7", "SGD (momentum, Nesterov, weight decay) and zero_grad", 3, depends_on=("1.6",)),
        Task("1.8", "Binary and multi-class cross-entropy on logits, without overflow", 4,
             depends_on=("1.1", "1.3", "1.4", "1.5")),
        Task("1.9", "Milestone: train an MLP on the two moons", 6,
             depends_on=("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8")),
        Task("1.10", "Central differences: a numerical derivative, its arguments checked", 3),
        Task("1.11", "derivative_check: backward's derivatives against central differences", 4,
             depends_on=("1.4", "1.5", "1.10")),
    )),
    Lab(2, "Tensor autograd: the engine, broadcasting's backward, the ops", (
        Task("2.6", "Op.apply: run forward and record the graph", 6),
        Task("2.7", "Topological order of the graph, without recursion", 4, depends_on=("2.6",)),
        Task("2.8", "Backward: the chain rule, accumulation, the shape check, freeing the graph", 6,
             depends_on=("2.6", "2.7")),
        Task("2.1", "unbroadcast: the backward of broadcasting", 4),
        Task("2.2", "Add, subtract, negate, multiply: forward and backward", 4,
             depends_on=("2.1", "2.6", "2.7", "2.8")),
        Task("2.3", "Divide, power, exp, log: forward and backward", 5, depends_on=("2.1", "2.2", "2.6", "2.7", "2.8")),
        Task("2.4", "Sum and mean: forward and backward", 3, depends_on=("2.6", "2.7", "2.8")),
        Task("2.9", "Max and min (ties), variance, log-sum-exp: forward and backward", 5, depends_on=("2.4",)),
        Task("2.10", "Reshape, permute, expand, flip, roll, repeat: backward", 4,
             depends_on=("2.1", "2.6", "2.7", "2.8")),
        Task("2.11", "Indexing (PyTorch's placement, repeated indices add up), index_put, cat, stack, where", 5,
             depends_on=("2.1", "2.6", "2.7", "2.8")),
        Task("2.5", "MatMul with batch broadcasting: forward and backward", 5,
             depends_on=("2.1", "2.6", "2.7", "2.8")),
        Task("2.12", "Milestone: a two-layer MLP of raw tensor ops trained on a spiral", 6,
             depends_on=("2.2", "2.4", "2.5", "2.9", "2.11")),
    )),
    Lab(3, "Activations, losses, optimisers and nn", (
        Task("3.1", "ReLU backward", 2, depends_on=("2.8",)),
        Task("3.2", "Sigmoid backward", 2, depends_on=("2.8",)),
        Task("3.3", "Softmax backward", 3, depends_on=("2.8",)),
        Task("3.4", "LogSoftmax backward", 2, depends_on=("2.8",)),
        Task("3.21", "GELU, exact and tanh-approximated: forward and backward", 3, depends_on=("2.8",)),
        Task("3.23", "Softplus and the ELU family without overflow: forward and backward", 3, depends_on=("2.8",)),
        Task("3.22", "Dropout: the training branch, element- and channel-wise", 3, depends_on=("2.2",)),
        Task("3.5", "Mean squared error", 2, depends_on=("2.2", "2.3", "2.4")),
        Task("3.6", "Cross-entropy: pick the target's log-probability", 3,
             depends_on=("2.2", "2.3", "2.4", "2.11", "3.4")),
        Task("3.7", "SGD: the optimiser's step and momentum", 4),
        Task("3.8", "Adam", 4, depends_on=("3.7",)),
        Task("3.17", "Module: registering parameters, buffers and children", 4),
        Task("3.18", "Module: walking the tree (named_modules, named_parameters, named_buffers)", 3,
             depends_on=("3.17",)),
        Task("3.19", "Initialisers: fans, gains, uniform, Glorot and He uniform, the default layer init", 3),
        Task("3.20", "Linear: its parameters and forward", 2, depends_on=("2.4", "2.8", "3.17", "3.19")),
        Task("3.9", "Module.state_dict and load_state_dict", 4, depends_on=("2.2", "3.17", "3.19", "3.20")),
        Task("3.10", "zero_grad, train/eval and freezing", 2, depends_on=("3.17", "3.18", "3.19", "3.20")),
        Task("3.11", "AdamW: decoupled weight decay", 2, depends_on=("3.7", "3.8")),
        Task("3.12", "Binary cross-entropy on logits, without overflow", 3, depends_on=("2.2", "2.4", "2.9", "2.11")),
        Task("3.13", "Learning-rate schedules: StepLR and cosine annealing", 3, depends_on=("3.7",)),
        Task("3.14", "Milestone: an MLP on the digits to 92% test accuracy", 8,
             depends_on=("2.2", "2.3", "2.4", "2.11", "3.1", "3.4", "3.6", "3.7", "3.8", "3.10", "3.13")),
        Task("3.15", "Binary cross-entropy on probabilities: a stable op", 3, depends_on=("2.8",)),
        Task("3.16", "Weight initialisation: Glorot and He normal, truncated normal, orthogonal", 3,
             depends_on=("3.19",)),
    )),
    Lab(4, "Convolution, pooling, batch norm and a CNN", (
        Task("4.1", "im2col: every window as a column", 6, depends_on=("2.6",)),
        Task("4.2", "col2im: the backward of im2col", 6, depends_on=("2.8", "2.10", "4.1")),
        Task("4.5", "Max pooling forward: window maxima and their winners", 5, depends_on=("2.2",)),
        Task("4.3", "Max pooling backward", 4, depends_on=("4.2", "4.5")),
        Task("4.6", "Average pooling forward: the divisors, padding and ceil_mode", 5, depends_on=("2.6",)),
        Task("4.4", "Average pooling backward", 4, depends_on=("4.2", "4.6")),
        Task("4.7", "conv2d: im2col, the weight's matmul, the result as images plus bias, and its backward", 5,
             depends_on=("2.5", "2.10", "2.11", "4.1", "4.2")),
        Task("4.8", "Batch norm forward: batch statistics, running estimates, evaluation", 6, depends_on=("2.6",)),
        Task("4.9", "Batch norm backward: the hand-derived gradients", 6, depends_on=("2.2", "2.4", "2.8", "4.8")),
        Task("4.10", "BatchNorm modules: modes, the batch count and a cumulative momentum", 3,
             depends_on=("2.2", "3.10", "3.17", "3.18", "4.8")),
        Task("4.11", "Milestone: SimpleCNN on the MNIST subset to 96% test accuracy", 8,
             depends_on=("2.3", "2.4", "2.11", "3.1", "3.4", "3.6", "3.7", "3.8", "3.13", "3.18", "3.19",
                         "3.20", "4.3", "4.7", "4.9", "4.10")),
        Task("4.12", "Adaptive pooling: average and max over PyTorch's windows, forward and backward", 5,
             depends_on=("2.2", "2.4", "2.8")),
    )),
    Lab(5, "Attention and a character GPT", (
        Task("5.2", "The causal mask", 3, depends_on=("2.6", "2.11")),
        Task("5.1", "Scaled dot-product attention: scores, masks and the softmax", 8,
             depends_on=("2.2", "2.5", "2.9", "2.11", "5.2")),
        Task("5.3", "Multi-head attention: projections, heads, masks and every layout", 8,
             depends_on=("2.2", "2.4", "2.5", "2.9", "2.11", "3.16", "3.17", "3.18", "3.19", "3.20", "5.1")),
        Task("5.8", "Layer normalisation: forward and its hand-derived backward", 5,
             depends_on=("2.2", "2.4", "2.8", "3.17", "4.8", "4.9")),
        Task("5.4", "Transformer encoder layer and the encoder stack", 6,
             depends_on=("2.2", "2.5", "2.9", "2.11", "3.17", "3.19", "3.20", "3.21", "5.1", "5.3", "5.8")),
        Task("5.9", "Transformer decoder layer: self-attention, cross-attention, feed-forward", 5,
             depends_on=("2.2", "2.5", "2.9", "2.11", "5.1", "5.3", "5.4", "5.8")),
        Task("5.10", "Embedding: the lookup and its scatter-add backward", 3, depends_on=("2.8", "3.17")),
        Task("5.5", "Positional encodings: sinusoidal and learned", 4,
             depends_on=("2.2", "2.11", "3.17", "3.18", "5.10")),
        Task("5.6", "A character GPT: forward and generation", 6,
             depends_on=("2.2", "2.5", "2.11", "3.10", "5.2", "5.4", "5.5", "5.8", "5.10")),
        Task("5.11", "Gradient clipping by the joint norm", 3, depends_on=("2.2",)),
        Task("5.7", "Milestone: a character GPT below 2.7 nats of validation loss", 8,
             depends_on=("2.1", "2.5", "2.10", "2.11", "3.3", "3.6", "3.7", "3.8", "3.10", "3.11", "3.13",
                         "5.1", "5.2", "5.3", "5.8", "5.4", "5.10", "5.5", "5.6", "5.11")),
    )),
    Lab(6, "CUDA kernels under the simulator", (
        Task("6.1", "Tiled matmul with shared memory", 6),
        Task("6.8", "Matmul backward on the GPU: both gradients, broadcast batches summed", 4),
        Task("6.4", "Block reductions in shared memory: sum, and (max, sum) pairs", 5),
        Task("6.2", "Online softmax: one pass for the max and the sum", 6, depends_on=("6.4",)),
        Task("6.3", "Softmax backward kernel", 4, depends_on=("6.4",)),
        Task("6.5", "Register-blocked matmul: staging slices of A and B (coalesced, edges)", 5),
        Task("6.6", "Register-blocked matmul: the unrolled K slice, an outer product per k", 6),
        Task("6.7", "Register-blocked matmul: the kernel, its prefetch pipeline and its machine code", 8,
             depends_on=("6.5", "6.6")),
        Task("6.9", "Flash-attention forward: the online softmax over key tiles, and the end", 8),
        Task("6.10", "Milestone: an MLP trained on \"cuda\", through your matmul and softmax kernels", 6,
             depends_on=("2.2", "2.3", "2.11", "3.1", "3.8", "3.10", "3.20", "6.2", "6.3", "6.7")),
    )),
)


def all_tasks():
    """Every task of every lab, in course order."""
    return [task for lab in LABS for task in lab.tasks]


def get_lab(number):
    """The lab with this number (a clear error naming the valid ones otherwise)."""
    for lab in LABS:
        if lab.number == number:
            return lab
    raise KeyError(f"no lab {number}: the labs are {', '.join(str(lab.number) for lab in LABS)}.")


def get_task(task_id):
    """The task with this id (a clear error naming the valid ones otherwise)."""
    for task in all_tasks():
        if task.id == task_id:
            return task
    raise KeyError(f"no task {task_id!r}: the tasks are {', '.join(t.id for t in all_tasks())}.")


def dependents(task_id):
    """The ids of every task that depends on ``task_id``, directly or through other tasks."""
    found, frontier = set(), {task_id}
    while frontier:
        frontier = {t.id for t in all_tasks() if set(t.depends_on) & frontier} - found
        found |= frontier
    return found


def select(labs=(), tasks=()):
    """The tasks chosen by lab numbers and task ids (every task when both are empty), in course order."""
    wanted = {get_task(t).id for t in tasks} | {t.id for n in labs for t in get_lab(n).tasks}
    return [t for t in all_tasks() if not wanted or t.id in wanted]


def check_catalog():
    """Raise ValueError if the catalog is inconsistent: duplicate or misplaced ids, unknown or
    later dependencies (a task may only build on tasks that come before it), bad points."""
    seen = []
    for lab in LABS:
        for task in lab.tasks:
            if task.id in seen:
                raise ValueError(f"labs catalog: task {task.id} is defined twice.")
            if task.lab != lab.number:
                raise ValueError(f"labs catalog: task {task.id} is listed under lab {lab.number}.")
            if not task.points > 0:
                raise ValueError(f"labs catalog: task {task.id} must be worth a positive number of points.")
            for dep in task.depends_on:
                if dep not in seen:
                    raise ValueError(
                        f"labs catalog: task {task.id} depends on {dep!r}, which is not a task listed "
                        f"before it."
                    )
            seen.append(task.id)
