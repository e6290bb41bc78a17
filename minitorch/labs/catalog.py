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
    )),
    Lab(2, "Tensor ops and broadcasting gradients", (
        Task("2.1", "unbroadcast: the backward of broadcasting", 5),
        Task("2.2", "Mul backward", 3, depends_on=("2.1",)),
        Task("2.3", "Div backward", 3, depends_on=("2.1",)),
        Task("2.4", "Sum backward", 4),
        Task("2.5", "MatMul backward", 5, depends_on=("2.1",)),
    )),
    Lab(3, "Activations, losses, optimisers and nn", (
        Task("3.1", "ReLU backward", 2),
        Task("3.2", "Sigmoid backward", 2),
        Task("3.3", "Softmax backward", 3),
        Task("3.4", "LogSoftmax backward", 2),
        Task("3.5", "Mean squared error", 2),
        Task("3.6", "Cross-entropy: pick the target's log-probability", 3,
             depends_on=("2.2", "2.3", "2.4", "3.4")),
        Task("3.7", "SGD: the optimiser's step and momentum", 4),
        Task("3.8", "Adam", 4, depends_on=("3.7",)),
        Task("3.9", "Module.state_dict and load_state_dict", 4),
        Task("3.10", "zero_grad, train/eval and freezing", 2),
        Task("3.11", "AdamW: decoupled weight decay", 2, depends_on=("3.7", "3.8")),
        Task("3.12", "Binary cross-entropy on logits, without overflow", 3, depends_on=("2.2",)),
        Task("3.13", "Learning-rate schedules: StepLR and cosine annealing", 3, depends_on=("3.7",)),
        Task("3.14", "Milestone: an MLP on the digits to 92% test accuracy", 8,
             depends_on=("2.2", "2.3", "2.4", "3.1", "3.4", "3.6", "3.7", "3.8", "3.10", "3.13")),
        Task("3.15", "Binary cross-entropy on probabilities: a stable op", 3),
        Task("3.16", "Weight initialisation: Glorot and He normal, truncated normal, orthogonal", 3),
    )),
    Lab(4, "Convolution and pooling", (
        Task("4.1", "im2col: every window as a column", 6),
        Task("4.2", "col2im: the backward of im2col", 6, depends_on=("4.1",)),
        Task("4.5", "Max pooling forward: window maxima and their winners", 5),
        Task("4.3", "Max pooling backward", 4, depends_on=("4.2", "4.5")),
        Task("4.6", "Average pooling forward: the divisors, padding and ceil_mode", 5),
        Task("4.4", "Average pooling backward", 4, depends_on=("4.2", "4.6")),
        Task("4.7", "conv2d: the matmul's result as images plus bias, and its backward", 4,
             depends_on=("2.5", "4.1", "4.2")),
    )),
    Lab(5, "Attention and a character GPT", (
        Task("5.2", "The causal mask", 3),
        Task("5.1", "Scaled dot-product attention: scores, masks and the softmax", 8, depends_on=("5.2",)),
        Task("5.3", "Multi-head attention: projections, split and merge heads", 6, depends_on=("5.1",)),
        Task("5.4", "Transformer encoder layer", 6, depends_on=("5.1", "5.3")),
        Task("5.5", "Positional encodings: sinusoidal and learned", 4),
        Task("5.6", "A character GPT: forward and generation", 6, depends_on=("3.10", "5.2", "5.4", "5.5")),
        Task("5.7", "Milestone: a character GPT below 2.7 nats of validation loss", 8,
             depends_on=("2.5", "3.3", "3.6", "3.7", "3.8", "3.10", "3.11", "3.13",
                         "5.1", "5.2", "5.3", "5.4", "5.5", "5.6")),
    )),
    Lab(6, "CUDA kernels under the simulator", (
        Task("6.1", "Tiled matmul with shared memory", 8),
        Task("6.2", "Online softmax: one pass for the max and the sum", 7),
        Task("6.3", "Softmax backward kernel", 5),
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
