"""PyTorch's names for the graph's nodes: what ``type(loss.grad_fn).__name__`` and
``loss.grad_fn.name()`` say (``MulBackward0``, ``MseLossBackward0``, ``AccumulateGrad``...).

A node is an instance of its op's class (``Mul``). PyTorch programs print and inspect
``grad_fn`` by its name, so a node shows PyTorch's name, made from the op's class name
(``Mul`` -> ``MulBackward0``) unless ``TORCH_NAMES`` says otherwise, or set for one call by
``rename``, which stores it on the node (``x.sum(1)`` is PyTorch's ``SumBackward1``, ``x.sum()``
its ``SumBackward0``; ``Op.name()`` reads it).
The node is shown under that name by ``present``: its class becomes a subclass of the op's
class with PyTorch's name (made once, ``_named_class``), so that ``isinstance(node, Mul)``,
its backward and everything else stay as they were.
"""
import functools

#: PyTorch's node names where they are not the class name followed by ``Backward0``.
TORCH_NAMES = {
    "ReLU": "ReluBackward0", "ELU": "EluBackward0", "GELU": "GeluBackward0", "Log1p": "Log1PBackward0",
    "LogAddExp": "LogaddexpBackward0", "LogAddExp2": "Logaddexp2Backward0", "XLogY": "XlogyBackward0",
    "CopySign": "CopysignBackward0", "NextAfter": "NextafterBackward0", "Erfinv": "ErfinvBackward0",
    "LogSumExp": "LogsumexpBackward0", "CumSum": "CumsumBackward0", "CumProd": "CumprodBackward0",
    "LogCumSumExp": "LogcumsumexpBackward0", "Norm": "LinalgVectorNormBackward0",
    "Max": "MaxBackward1", "Min": "MinBackward1", "Clamp": "ClampBackward1",
    "MatMul": "MmBackward0", "Linear": "AddmmBackward0", "Reshape": "ViewBackward0",
    "GetItem": "IndexBackward0", "Cast": "ToCopyBackward0", "ToDevice": "ToCopyBackward0",
    "Det": "LinalgDetBackward0", "Inverse": "LinalgInvExBackward0",
    "MaxPool2d": "MaxPool2DWithIndicesBackward0", "AvgPool2d": "AvgPool2DBackward0",
    "AdaptiveAvgPool2d": "AdaptiveAvgPool2DBackward0", "AdaptiveMaxPool2d": "AdaptiveMaxPool2DBackward0",
    "LayerNorm": "NativeLayerNormBackward0", "BatchNorm": "NativeBatchNormBackward0",
    "ToNCHW": "ConvolutionBackward0", "Col2Im": "Col2ImBackward0", "Pad": "ConstantPadNdBackward0",
    "CTCLoss": "CtcLossBackward0", "Interpolate": "UpsampleNearest2DBackward0",
    "TakeAlong": "GatherBackward0", "TakeTied": "MedianBackward0",
}

#: The arguments of forward that ``next_functions`` lists, for the ops where they are not the
#: floating-point tensors: PyTorch makes a tensor of ``x * 2``'s 2 and lists it, lists
#: ``layer_norm``'s missing weight, and not ``where``'s condition. Keyed by the op's class name, or
#: by the PyTorch name that ``rename`` gives a node for one call: ``clamp(x, min_tensor)`` lists the
#: missing max too, ``rsub(x, y)`` (``Sub`` of y and x) lists x first, ``2 - x`` lists x alone.
SHOWN = {"Add": (0, 1), "Sub": (0, 1), "Mul": (0, 1), "Div": (0, 1), "Where": (1, 2),
         "LayerNorm": (0, 1, 2), "BatchNorm": (0, 1, 2),
         "ClampBackward0": (0, 1, 2), "RsubBackward0": (1, 0), "RsubBackward1": (1,), "AddBackward1": (0,),
         "ClampMinBackward1": (0, 1), "ClampMaxBackward1": (0, 2)}

_NAMED = {}  # (op class, name) -> the subclass that shows it


def torch_name(cls):
    """PyTorch's name for a node of op class ``cls`` (its own, or its op's for a named subclass)."""
    return vars(cls).get("grad_fn_name") or TORCH_NAMES.get(cls.__name__) or f"{cls.__name__}Backward0"


def _named_class(cls, name):
    """The subclass of ``cls`` (an op class, not itself a named one) called ``name``."""
    named = _NAMED.get((cls, name))
    if named is None:
        named = _NAMED[cls, name] = type(name, (cls,), {
            "grad_fn_name": name, "op_name": cls.public(), "_op_class": cls, "__reduce_ex__": _reduce,
            "__module__": cls.__module__, "__doc__": cls.__doc__})
    return named


def _reduce(node, protocol):
    """How a named node pickles (its class is made at run time): as its op's class, named again."""
    return _named_node, (vars(type(node))["_op_class"], node.name()), node.__dict__


def _named_node(cls, name):
    """A node of op class ``cls`` shown as ``name`` (for ``pickle``; see ``_reduce``)."""
    node = cls.__new__(cls)
    node.__class__ = _named_class(cls, name)
    return node


def present(node):
    """``node``, its class now showing PyTorch's name (see the module docstring); None stays None."""
    if node is not None and type(node).__name__ != node.name():
        node.__class__ = _named_class(vars(type(node)).get("_op_class", type(node)), node.name())
    return node


def rename(result, name):
    """Give the node that made ``result`` (a tensor, or a tuple whose tensors share one op) PyTorch's
    ``name`` for this call (``SumBackward1``), and the inputs that ``SHOWN`` lists for that name;
    returns ``result``. Nothing happens for a tensor with no node."""
    for tensor in result if isinstance(result, tuple) else (result,):
        node = tensor._node
        if node is not None:
            node.shown_name = name  # read by Op.name(); the class changes only when shown (present)
            if name in SHOWN:
                node.shown = SHOWN[name]
    return result


def renamed(name):
    """Decorator for a method (or function) whose result's node its last op made: that node shows
    PyTorch's ``name`` for the call, a string, or a function of the call's arguments that returns one
    (or None: the op's own name stays)::

        @renamed(lambda self, dim=None, *args, **kwargs: "SumBackward0" if dim is None else "SumBackward1")
        def sum(self, dim=None, keepdim=False): ...
    """
    def decorate(function):
        @functools.wraps(function)
        def named(self, *args, **kwargs):
            result = function(self, *args, **kwargs)
            if result is self or (not isinstance(result, tuple) and getattr(result, "_node", None) is None):
                return result  # no node to name (no gradient recorded): nothing to do
            chosen = name(self, *args, **kwargs) if callable(name) else name
            return result if chosen is None else rename(result, chosen)
        return named
    return decorate
