"""``DistributedDataParallel``: one model replica per rank, gradients averaged over the ranks.

How it works, as PyTorch's:

1. At construction every rank checks that all ranks hold the same parameters (names, shapes,
   dtypes), then takes rank 0's parameter and buffer values (``broadcast``), so all replicas start
   equal.
2. Parameters are grouped into buckets of about ``bucket_cap_mb`` megabytes, in reverse order of
   ``module.parameters()`` (the order backward tends to produce their gradients in).
3. A gradient hook on each parameter copies its gradient into its bucket; when a bucket is full it
   starts a non-blocking ``all_reduce(..., ReduceOp.AVG, async_op=True)`` (buckets start in order, on
   every rank alike), so communication runs while backward goes on. (The engine runs a leaf's hooks
   as soon as its last gradient contribution arrives: the last layer's bucket travels while the
   first layers' gradients are still being computed.)
4. When the last parameter's gradient has arrived, every bucket is waited on and each
   parameter's ``.grad`` becomes the average over ranks of its gradient. Ranks that each trained
   on their own batch then hold the gradient of the mean loss over all batches, and an optimizer
   step keeps the replicas equal.

The buckets live in host memory: cuda gradients are copied there and back.
"""
import contextlib
import weakref

import numpy as np

from ... import distributed as dist
from ...autograd.engine import topological_order
from ...autograd.function import Op
from ...autograd.grad_mode import is_grad_enabled, no_grad
from ...device import array_module
from ...tensor import Tensor
from ..module import Module

__all__ = ["DistributedDataParallel"]

_OP = "DistributedDataParallel"


def _tensors_in(value):
    """The tensors in a forward's output (a tensor, or tuples/lists/dicts of them)."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _tensors_in(item)]
    return []


class _Bucket:
    """Parameters whose gradients travel in one allreduce: their flat gradients side by side."""

    def __init__(self, indices, params):
        self.indices = indices
        sizes = [params[i].numel() for i in indices]
        self.offsets = dict(zip(indices, np.cumsum([0, *sizes[:-1]]).tolist()))
        self.size = sum(sizes)
        self.dtype = params[indices[0]]._array.dtype
        self.flat, self.ready, self.work = None, set(), None

    def reset(self):
        self.flat, self.ready, self.work = np.zeros(self.size, dtype=self.dtype), set(), None

    def put(self, index, param, values):
        start = self.offsets[index]
        self.flat[start:start + param.numel()] = values.ravel()
        self.ready.add(index)

    def get(self, index, param):
        start = self.offsets[index]
        return self.flat[start:start + param.numel()].reshape(param.shape)


class _GradHook:
    """The hook on one parameter (it refers to the wrapper weakly, so the wrapper can be freed)."""

    def __init__(self, ddp, index):
        self.ddp, self.index = weakref.ref(ddp), index

    def __call__(self, grad):
        ddp = self.ddp()
        return None if ddp is None else ddp._grad_ready(self.index, grad)


def _host(array):
    return array_module(array).asnumpy(array) if array_module(array) is not np else array


class DistributedDataParallel(Module):
    """Wrap ``module`` for data-parallel training: call it as the module; after ``backward()`` every
    parameter's ``.grad`` is the average over ranks (see the module docstring for how).

    - ``device_ids``, ``output_device``, ``dim``: accepted for PyTorch's sake; each rank's module and
      inputs stay on the device where you put them (one device per process).
    - ``broadcast_buffers`` (default None, meaning True; ``forward_sync_buffers``, when given, decides
      instead): rank 0's buffers (BatchNorm's running statistics) are copied to every rank at the
      start of each forward.
    - ``init_sync`` (default True): take rank 0's parameters and buffers at construction.
    - ``bucket_cap_mb`` (default 25): the size of a bucket of gradients, in megabytes.
    - ``find_unused_parameters`` (default False): True when some parameters may get no gradient in an
      iteration (a branch not taken); their part of the bucket is their gradient so far (zeros if
      none), so every rank's buckets still fill, and a parameter that no rank used keeps its ``.grad``.
      With False, a parameter without a gradient leaves the reduction unfinished: the next forward
      raises an error that says so.
    - ``process_group``: only the default group (None) exists; ``mixed_precision`` and ``device_mesh``
      must be None. ``check_reduction``, ``gradient_as_bucket_view``, ``static_graph``,
      ``delay_all_reduce_named_params``, ``param_to_hook_all_reduce``, ``skip_all_reduce_unused_params``,
      ``bucket_cap_mb_list``, ``batched_grad_copy``: accepted for PyTorch's sake; no effect here.

    ``no_sync()`` skips the averaging (gradients accumulate locally) until the first backward after
    it. ``state_dict`` keys start with ``module.``, as PyTorch's.
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0, broadcast_buffers=None, init_sync=True,
                 process_group=None, bucket_cap_mb=None, find_unused_parameters=False, check_reduction=False,
                 gradient_as_bucket_view=False, static_graph=False, delay_all_reduce_named_params=None,
                 param_to_hook_all_reduce=None, mixed_precision=None, device_mesh=None,
                 skip_all_reduce_unused_params=False, bucket_cap_mb_list=None, batched_grad_copy=False,
                 forward_sync_buffers=None):
        super().__init__()
        dist.process_group.world(_OP)
        dist.process_group.check_group(_OP, process_group)
        for name, value in (("mixed_precision", mixed_precision), ("device_mesh", device_mesh)):
            if value is not None:
                raise ValueError(f"{_OP}: {name} is not implemented in minitorch; leave it None, got {value!r}.")
        if not isinstance(module, Module):
            raise TypeError(f"{_OP}: module must be a minitorch.nn.Module, got {type(module).__name__}.")
        cap = 25 if bucket_cap_mb is None else bucket_cap_mb
        if isinstance(cap, bool) or not isinstance(cap, (int, float)) or not cap > 0:
            raise ValueError(f"{_OP}: bucket_cap_mb must be a positive number of megabytes, got {bucket_cap_mb!r}.")
        self.module = module
        self.device_ids, self.output_device, self.dim = device_ids, output_device, dim
        sync = broadcast_buffers if forward_sync_buffers is None else forward_sync_buffers
        self.broadcast_buffers = sync is None or bool(sync)
        self.find_unused_parameters = bool(find_unused_parameters)
        self.require_backward_grad_sync = True
        named = [(name, p) for name, p in module.named_parameters() if p.requires_grad]
        self._names, self._params = [name for name, _ in named], [p for _, p in named]
        self._check_same_model()
        if init_sync:
            self._broadcast([t for _, t in module.named_parameters()] + list(module.buffers()))
        self._buckets = self._make_buckets(cap * 1024 * 1024)
        self._bucket_of = {i: bucket for bucket in self._buckets for i in bucket.indices}
        self._hooks = [p.register_hook(_GradHook(self, i)) for i, p in enumerate(self._params)]
        self._armed, self._started, self._used = False, False, None

    # ------------------------------------------------------------------ construction
    def _check_same_model(self):
        """Every rank must hold the same parameters and buffers (names, shapes, dtypes): else an error on every rank."""
        mine = [(name, tuple(t.shape), str(t.dtype)) for name, t in
                [*self.module.named_parameters(), *self.module.named_buffers()]]
        everyone = [None] * dist.get_world_size()
        dist.all_gather_object(everyone, mine)
        for rank, theirs in enumerate(everyone):
            if theirs == everyone[0]:
                continue
            for index in range(max(len(theirs), len(everyone[0]))):
                a, b = (entries[index] if index < len(entries) else None for entries in (everyone[0], theirs))
                if a != b:
                    break
            raise RuntimeError(
                f"{_OP}: the ranks' models differ: rank 0 has {_describe(a)} where rank {rank} has {_describe(b)} "
                f"(parameter/buffer number {index}); every rank must build the same model before wrapping it."
            )

    @staticmethod
    def _broadcast(tensors):
        with no_grad():
            for t in tensors:
                dist.broadcast(t, src=0)

    def _make_buckets(self, cap_bytes):
        buckets, current, size = [], [], 0
        for i in reversed(range(len(self._params))):
            p = self._params[i]
            other_dtype = current and p._array.dtype != self._params[current[0]]._array.dtype
            if current and (size + p._array.nbytes > cap_bytes or other_dtype):
                buckets.append(_Bucket(current, self._params))
                current, size = [], 0
            current.append(i)
            size += p._array.nbytes
        if current:
            buckets.append(_Bucket(current, self._params))
        return buckets

    # ------------------------------------------------------------------ forward
    def forward(self, *inputs, **kwargs):
        """``module(*inputs, **kwargs)``, after preparing this iteration's gradient averaging."""
        if self._started:
            raise RuntimeError(
                f"{_OP}: expected to have finished reduction in the prior iteration before starting a new one: "
                f"some parameters received no gradient in the last backward. Pass find_unused_parameters=True to "
                f"DistributedDataParallel, or make every parameter take part in the loss. Parameters without a "
                f"gradient here: {[n for i, n in enumerate(self._names) if not self._is_ready(i)]}."
            )
        if self.broadcast_buffers and dist.get_world_size() > 1:
            self._broadcast(list(self.module.buffers()))
        output = self.module(*inputs, **kwargs)
        self._armed = is_grad_enabled() and self.require_backward_grad_sync and bool(self._params)
        if self._armed:
            for bucket in self._buckets:
                bucket.reset()
            self._used = np.ones(len(self._params), dtype=np.int32)
            if self.find_unused_parameters:
                self._mark_unused(_tensors_in(output))
        return output

    def _is_ready(self, index):
        return index in self._bucket_of[index].ready

    def _mark_unused(self, outputs):
        """Parameters the output does not depend on count as ready now, with their gradient so far."""
        reached = {id(t) for t in outputs if t._node is None}
        for node in topological_order(*[t._node for t in outputs if t._node is not None]):
            reached.update(id(edge) for edge in node.edges or () if edge is not None and not isinstance(edge, Op))
        for i, p in enumerate(self._params):
            if id(p) not in reached:
                self._used[i] = 0
                self._grad_ready(i, None)

    # ------------------------------------------------------------------ backward
    def _grad_ready(self, index, grad):
        """The hook: put the parameter's gradient (after accumulation) in its bucket, start the buckets
        that are full, and after the last one set every ``.grad`` to the average."""
        if not self._armed:
            return None
        p, bucket = self._params[index], self._bucket_of[index]
        if index in bucket.ready:  # already counted (as unused, by find_unused_parameters)
            return None
        total = None if p._grad is None else p._grad._array
        if grad is not None:  # (None: a parameter find_unused_parameters found unused, during forward)
            self._started = True
            total = grad._array if total is None else total + grad._array
        bucket.put(index, p, _host(total) if total is not None else np.zeros(p.shape, dtype=bucket.dtype))
        for b in self._buckets:
            if b.work is None and len(b.ready) == len(b.indices):
                b.work = dist.all_reduce(Tensor._make(b.flat, False, None, "cpu"), dist.ReduceOp.AVG, async_op=True)
            elif b.work is None:
                break  # buckets start in order, the same on every rank
        if self._buckets[-1].work is None:
            return None
        return self._finish(index if grad is not None else None)

    def _finish(self, current):
        """Wait for every bucket and write the averages into ``.grad``. The parameter whose hook is
        running (``current``) gets its average as the hook's result, which backward then stores."""
        for bucket in self._buckets:
            bucket.work.wait()
        used = self._used
        if self.find_unused_parameters:
            dist.all_reduce(Tensor._make(used, False, None, "cpu"), dist.ReduceOp.MAX)
        self._armed = self._started = False
        result = None
        for i, p in enumerate(self._params):
            if not used[i]:
                continue
            average = array_module(p._array).asarray(self._bucket_of[i].get(i, p))
            if i == current:
                p._grad, result = None, Tensor._make(average, False, None, p._device)
            elif p._grad is None:
                p._grad = Tensor._make(average.copy(), False, None, p._device)
            else:
                p._grad._array[...] = average
        return result

    @contextlib.contextmanager
    def no_sync(self):
        """Within this block, backward leaves each rank's gradients local (they accumulate in ``.grad``);
        the first backward after it averages the accumulated gradients."""
        previous, self.require_backward_grad_sync = self.require_backward_grad_sync, False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous


def _describe(entry):
    if entry is None:
        return "nothing"
    name, shape, dtype = entry
    return f"{name!r} of shape {shape} ({dtype})"
