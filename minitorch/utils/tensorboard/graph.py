"""``SummaryWriter.add_graph``: a model's graph as a TensorBoard ``GraphDef``, recorded by running
its forward once.

PyTorch traces the model with its JIT; here ``record`` runs the model (in eval mode, under
``no_grad``) while every call of an op (``Op.apply``) and every module call is noted:

- each op call becomes a node ``<scope>/<n>`` (n counts the nodes) whose op is
  ``minitorch::<its Op class>``, whose inputs are the nodes that made its tensor arguments, whose
  ``attr`` lists its other arguments (``{ arg1 : (0, 1)}``) and whose ``_output_shapes`` is its
  output's shape. An op called inside another op's call (a view replayed) is not a node of its own;
- the scope is the module running at the time, named as PyTorch names it: the model's class at
  the root, then ``<Class>[<attribute>]`` per module down to it (``Net/Block[block]/Linear[fc]``),
  so that TensorBoard draws the module hierarchy as nested boxes;
- a parameter or buffer that an op reads is a ``prim::GetAttr`` node ``<its module's scope>/<name>``;
  a tensor made without an op (``minitorch.zeros`` inside forward) a ``prim::Constant`` node;
- the model's tensor arguments are ``IO Node`` nodes ``input/<argument name>`` (``.<i>`` for
  those inside lists, tuples and dicts), and each tensor it returns an ``IO Node``
  ``output/output.<k>``, as in PyTorch.

Ops that make no tensor from tensors (creation functions, ``.item()``) leave no node, and a
tensor changed in place keeps the node that made it.

    >>> import minitorch
    >>> nodes = record(minitorch.nn.Linear(3, 2), minitorch.zeros(4, 3))[0]
    >>> [proto.parse(node)[1][0].decode() for node in nodes]
    ['input/input', 'Linear/weight', 'Linear/bias', 'Linear/0', 'output/output.1']
"""
import contextlib
import inspect
import itertools

import numpy as np

from . import proto
from ...autograd.function import Op, tensor_class
from ...autograd.grad_mode import no_grad

_PRODUCER = 22  # GraphDef.versions.producer, as PyTorch's writer sets it


def node_def(name, op, inputs=(), output_shape=None, attr=""):
    """A ``NodeDef`` as PyTorch's writer fills it: name (1), op (2), one input (3) per input node,
    and in its ``attr`` map (5; entries: key 1, value 2) the ``AttrValue``s "attr" (``s``, 2: the
    attributes as text) and, for a node with an output, "_output_shapes" (``list`` (1) of one
    ``shape`` (7))."""
    attrs = [("attr", proto.message((2, "bytes", attr)))]
    if output_shape is not None:
        shapes = proto.message((7, "bytes", proto.tensor_shape(output_shape)))
        attrs.append(("_output_shapes", proto.message((1, "bytes", shapes))))
    return proto.message((1, "bytes", name), (2, "bytes", op), *[(3, "bytes", source) for source in inputs],
                         *[(5, "bytes", proto.message((1, "bytes", key), (2, "bytes", value))) for key, value in attrs])


def graph_def(nodes):
    """A ``GraphDef``: its nodes (1) and ``versions`` (4) with producer 22, as PyTorch writes it."""
    return proto.message(*[(1, "bytes", node) for node in nodes], (4, "bytes", proto.message((1, "varint", _PRODUCER))))


def run_metadata(device):
    """A ``TaggedRunMetadata`` "step1" (tag 1, run_metadata 2) whose ``RunMetadata.step_stats``
    names the device the graph ran on (one ``DeviceStepStats``, as PyTorch writes it)."""
    device_stats = proto.message((1, "bytes", proto.message((1, "bytes", device))))
    return proto.message((1, "bytes", "step1"), (2, "bytes", proto.message((1, "bytes", device_stats))))


def _describe(value):
    """A non-tensor argument of an op for its node's ``attr``: itself, or an array's shape."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}"
    return value


def _attributes(pairs):
    """``{ key : value, ...}``: PyTorch's text of a node's attributes (a dict's str with its quotes
    turned into spaces, which TensorBoard shows badly)."""
    return str(dict(pairs)).replace("'", " ")


def _tensors(value, name):
    """``(name, tensor)`` for each tensor in ``value``: a tensor, or lists, tuples and dicts of them."""
    if isinstance(value, tensor_class()):
        yield name, value
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _tensors(item, f"{name}.{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _tensors(item, f"{name}.{key}")


def _argument_names(function, count):
    """The names of ``function``'s first ``count`` positional parameters (``input.<i>`` past them)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        parameters = ()
    names = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return [names[i] if i < len(names) else f"input.{i}" for i in range(count)]


class _Recorder:
    """The nodes of one forward run, with the scope stack of the module calls under way."""

    def __init__(self, root, attributes):
        self.nodes, self.lines = [], []
        self.scopes = [root]
        self.attributes = attributes  # id(parameter or buffer) -> (its module's scope, its name)
        self.names, self.kept = {}, []  # id(tensor or array) -> node name; the objects, kept alive
        self.counter = itertools.count()
        self.depth = 0  # > 0 while an op runs: ops it calls in turn are part of it
        self.device = "cpu"

    def add(self, name, op, inputs=(), tensor=None, attr=""):
        """Append a node whose output is ``tensor`` (and, for later look-ups, its array)."""
        dims = None if tensor is None else tuple(tensor.shape)
        self.nodes.append(node_def(name, op, inputs, dims, attr))
        self.lines.append(f"{name} = {op}({', '.join(inputs)}) {list(dims) if dims is not None else ''} {attr}")
        if tensor is not None:
            self.kept.append((tensor, tensor._array))
            self.names[id(tensor)] = self.names[id(tensor._array)] = name
            if str(tensor.device).startswith("cuda"):
                self.device = "cuda"
        return name

    def source(self, tensor):
        """The node that made ``tensor``: known, a parameter's GetAttr, or a new Constant."""
        for key in (id(tensor), id(tensor._array)):
            if key in self.names:
                return self.names[key]
        if id(tensor) in self.attributes:
            scope, attribute = self.attributes[id(tensor)]
            return self.add(f"{scope}/{attribute}", "prim::GetAttr", tensor=tensor,
                            attr=_attributes([("name", attribute)]))
        value = [("value", tensor._array.reshape(-1)[0].item())] if tensor._array.size == 1 else []
        return self.add(f"{self.scopes[-1]}/{next(self.counter)}", "prim::Constant", tensor=tensor,
                        attr=_attributes(value))

    def op(self, op, args, result):
        """Note one op call: ``op`` (an ``Op`` class) on ``args`` gave the tensor ``result``."""
        Tensor = tensor_class()
        inputs = [self.source(a) for a in args if isinstance(a, Tensor)]
        others = [(f"arg{i}", _describe(a)) for i, a in enumerate(args) if not isinstance(a, Tensor)]
        self.add(f"{self.scopes[-1]}/{next(self.counter)}", f"minitorch::{op.__name__}", inputs, result,
                 _attributes(others))


@contextlib.contextmanager
def _recording(recorder):
    """While the block runs, every outermost ``Op.apply`` call is noted by ``recorder``: ``Op.apply``
    is replaced by a wrapper, and put back afterwards (whatever happens)."""
    original = Op.__dict__["apply"]

    def apply(cls, *args):
        recorder.depth += 1
        try:
            result = original.__func__(cls, *args)
        finally:
            recorder.depth -= 1
        if not recorder.depth:
            recorder.op(cls, args, result)
        return result

    Op.apply = classmethod(apply)
    try:
        yield
    finally:
        Op.apply = original


def _module_paths(model, root):
    """``(module, scope)`` for ``model`` (scope ``root``) and each module below it, named as
    PyTorch's graph names them: ``<parent's scope>/<Class>[<attribute>]``."""
    paths = {}
    for name, module in model.named_modules():
        parent, _, attribute = name.rpartition(".")
        paths[name] = root if not name else f"{paths[parent]}/{type(module).__name__}[{attribute}]"
        yield module, paths[name]


def _owners(model, root):
    """id(parameter or buffer) -> (the scope of the module that owns it, its name there)."""
    owners = {}
    for module, scope in _module_paths(model, root):
        for name, tensor in [*module.named_parameters(recurse=False), *module.named_buffers(recurse=False)]:
            owners.setdefault(id(tensor), (scope, name))
    return owners


@contextlib.contextmanager
def _module_scopes(model, recorder):
    """While the block runs, each call of one of ``model``'s modules pushes its scope on
    ``recorder.scopes`` (forward hooks, removed afterwards), and ``model`` is in eval mode."""
    def leave(module, args, output):
        recorder.scopes.pop()  # returns None: the output stays as it is

    handles = []
    for module, scope in _module_paths(model, recorder.scopes[0]):
        handles.append(module.register_forward_pre_hook(
            lambda module, args, scope=scope: recorder.scopes.append(scope), prepend=True))
        handles.append(module.register_forward_hook(leave, always_call=True))
    training = model.training
    model.train(False)
    try:
        yield
    finally:
        model.train(training)
        for handle in handles:
            handle.remove()


def record(model, input_to_model=None, verbose=False):
    """Run ``model`` once on ``input_to_model`` (a tuple: the arguments; anything else: the one
    argument; None: none) and return its graph's ``NodeDef``s and the device it ran on ("cpu" or
    "cuda"). ``verbose`` prints one line per node."""
    is_module = hasattr(model, "named_modules")
    root = type(model).__name__ if is_module else getattr(model, "__name__", type(model).__name__)
    recorder = _Recorder(root, _owners(model, root) if is_module else {})
    args = input_to_model if isinstance(input_to_model, tuple) else (
        () if input_to_model is None else (input_to_model,))
    for name, value in zip(_argument_names(model.forward if is_module else model, len(args)), args):
        for label, tensor in _tensors(value, name):
            recorder.add(f"input/{label}", "IO Node", tensor=tensor)
    with _module_scopes(model, recorder) if is_module else contextlib.nullcontext(), no_grad(), _recording(recorder):
        output = model(*args)
    for k, (_, tensor) in enumerate(_tensors(output, "output"), 1):
        recorder.add(f"output/output.{k}", "IO Node", [recorder.source(tensor)], tensor)
    if verbose:
        print("\n".join(line.rstrip() for line in recorder.lines))
    return recorder.nodes, recorder.device
