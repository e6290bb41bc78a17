"""The op catalog: every public op once, with its surfaces and how to test it.

One ``OpSpec`` per op says which ``Op`` classes compute it (none for a composition of
other ops, such as ``std``), where users reach it (``Tensor.<name>``, ``minitorch.<name>``,
``minitorch.nn.functional.<name>``), PyTorch's signature for it, the values its tests draw
(``domain``) and, for the families that share tests, a numpy reference. It is to ops what
``minitorch/labs/catalog.py`` is to lab tasks:

- ``minitorch/namespace.py`` builds the function forms that only delegate to the method
  (``minitorch.exp(x)`` is ``x.exp()``) from it;
- ``tests/test_catalog.py`` proves that every surface exists with PyTorch's parameter names,
  that every ``Op`` subclass is listed, and drives the shared tests (forward against
  numpy, gradcheck in float64, against PyTorch, on the ``cuda`` device) for every entry of the
  families ``unary``, ``binary``, ``reduction`` and ``logical``.

Adding an op is one line here; see the recipe in ``minitorch/functions/__init__.py``.
"""
from dataclasses import dataclass

import numpy as np

from . import arithmetic, attention, conv, conversion, embedding, indexing, linalg, logical, loss
from . import normalization, padding, pointwise, pool, reduction, shape, softmax


@dataclass(frozen=True)
class OpSpec:
    """One op. ``signature`` is PyTorch's for the function form (``input`` first), from its docs."""

    name: str
    functions: tuple = ()      # the Op classes that compute it; () for a composition
    signature: str = "input"
    family: str = "other"      # shared tests: unary, binary, reduction, logical; "other" has its own
    domain: str = "any"        # test values: any, positive, away_from_zero (denominators), bool
    numpy: object = None       # numpy reference for the shared forward test (same arguments)
    method: bool = True        # Tensor.<name> exists
    namespace: bool = True     # minitorch.<name> exists
    functional: bool = False   # minitorch.nn.functional.<name> exists (and PyTorch's F has it)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _relu(x):
    return np.maximum(x, 0)


OPS = (
    # arithmetic (binary, broadcasting)
    OpSpec("add", (arithmetic.Add,), "input, other, *, alpha=1", "binary", numpy=np.add),
    OpSpec("sub", (arithmetic.Sub,), "input, other, *, alpha=1", "binary", numpy=np.subtract),
    OpSpec("mul", (arithmetic.Mul,), "input, other", "binary", numpy=np.multiply),
    OpSpec("div", (arithmetic.Div,), "input, other, *, rounding_mode=None", "binary", "away_from_zero",
           numpy=np.divide),
    OpSpec("pow", (arithmetic.Pow,), "input, exponent", "binary", "positive", numpy=np.power),
    OpSpec("neg", (arithmetic.Neg,), "input", "unary", numpy=np.negative),
    OpSpec("matmul", (linalg.MatMul,), "input, other"),
    # pointwise
    OpSpec("exp", (pointwise.Exp,), "input", "unary", numpy=np.exp),
    OpSpec("log", (pointwise.Log,), "input", "unary", "positive", numpy=np.log),
    OpSpec("sqrt", (pointwise.Sqrt,), "input", "unary", "positive", numpy=np.sqrt),
    OpSpec("sin", (pointwise.Sin,), "input", "unary", numpy=np.sin),
    OpSpec("abs", (pointwise.Abs,), "input", "unary", numpy=np.abs),
    OpSpec("tanh", (pointwise.Tanh,), "input", "unary", numpy=np.tanh, functional=True),
    OpSpec("sigmoid", (pointwise.Sigmoid,), "input", "unary", numpy=_sigmoid, functional=True),
    OpSpec("relu", (pointwise.ReLU,), "input", "unary", numpy=_relu, functional=True),
    OpSpec("clamp", (pointwise.Clamp,), "input, min=None, max=None"),
    OpSpec("clip", (pointwise.Clamp,), "input, min=None, max=None"),
    OpSpec("gelu", (pointwise.GELU,), "input, approximate='none'", method=False, namespace=False,
           functional=True),
    # reductions
    OpSpec("sum", (reduction.Sum,), "input, dim=None, keepdim=False, *, dtype=None", "reduction", numpy=np.sum),
    OpSpec("mean", (reduction.Mean,), "input, dim=None, keepdim=False, *, dtype=None", "reduction",
           numpy=np.mean),
    OpSpec("var", (reduction.Var,), "input, dim=None, keepdim=False, *, correction=1, unbiased=None"),
    OpSpec("std", (), "input, dim=None, keepdim=False, *, correction=1, unbiased=None"),
    OpSpec("amax", (reduction.Max,), "input, dim=(), keepdim=False", "reduction", numpy=np.max),
    OpSpec("amin", (reduction.Min,), "input, dim=(), keepdim=False", "reduction", numpy=np.min),
    OpSpec("max", (reduction.Max, logical.ArgMax), "input, dim=None, keepdim=False"),
    OpSpec("min", (reduction.Min, logical.ArgMin), "input, dim=None, keepdim=False"),
    OpSpec("logsumexp", (reduction.LogSumExp,), "input, dim, keepdim=False"),
    OpSpec("argmax", (logical.ArgMax,), "input, dim=None, keepdim=False"),
    OpSpec("argmin", (logical.ArgMin,), "input, dim=None, keepdim=False"),
    # comparisons and logic (no gradient)
    OpSpec("eq", (logical.Eq,), "input, other", "logical", numpy=np.equal),
    OpSpec("ne", (logical.Ne,), "input, other", "logical", numpy=np.not_equal),
    OpSpec("lt", (logical.Lt,), "input, other", "logical", numpy=np.less),
    OpSpec("le", (logical.Le,), "input, other", "logical", numpy=np.less_equal),
    OpSpec("gt", (logical.Gt,), "input, other", "logical", numpy=np.greater),
    OpSpec("ge", (logical.Ge,), "input, other", "logical", numpy=np.greater_equal),
    OpSpec("logical_and", (logical.LogicalAnd,), "input, other", "logical", "bool", numpy=np.logical_and),
    OpSpec("logical_or", (logical.LogicalOr,), "input, other", "logical", "bool", numpy=np.logical_or),
    OpSpec("logical_not", (logical.LogicalNot,), "input", "logical", "bool", numpy=np.logical_not),
    OpSpec("isnan", (logical.IsNan,), "input", "logical", numpy=np.isnan),
    OpSpec("isfinite", (logical.IsFinite,), "input", "logical", numpy=np.isfinite),
    OpSpec("isclose", (logical.IsClose,), "input, other, rtol=1e-05, atol=1e-08, equal_nan=False"),
    OpSpec("allclose", (logical.IsClose, logical.All), "input, other, rtol=1e-05, atol=1e-08, equal_nan=False"),
    OpSpec("all", (logical.All,), "input", "logical", "bool", numpy=np.all),
    OpSpec("any", (logical.Any,), "input", "logical", "bool", numpy=np.any),
    # shape and indexing
    OpSpec("reshape", (shape.Reshape,), "input, shape"),
    OpSpec("transpose", (shape.Permute,), "input, dim0, dim1"),
    OpSpec("permute", (shape.Permute,), "input, dims"),
    OpSpec("flatten", (shape.Reshape,), "input, start_dim=0, end_dim=-1"),
    OpSpec("unsqueeze", (shape.Reshape,), "input, dim"),
    OpSpec("squeeze", (shape.Reshape,), "input, dim=None"),
    OpSpec("expand", (shape.Expand,), "input, *sizes", namespace=False),
    OpSpec("__getitem__", (indexing.GetItem,), "input, index", namespace=False),  # x[index]
    OpSpec("masked_fill", (indexing.MaskedFill,), "input, mask, value"),
    OpSpec("cat", (indexing.Cat,), "tensors, dim=0", method=False),
    OpSpec("stack", (indexing.Stack,), "tensors, dim=0", method=False),
    OpSpec("where", (indexing.Where,), "condition, input, other", method=False),
    # copies, dtypes, devices
    OpSpec("clone", (conversion.Clone,), "input, *, memory_format=None"),
    OpSpec("to", (conversion.Cast, conversion.ToDevice), "input, *args, dtype=None, device=None", namespace=False),
    # softmax and the nn ops
    OpSpec("softmax", (softmax.Softmax,), "input, dim, dtype=None", functional=True),
    OpSpec("log_softmax", (softmax.LogSoftmax,), "input, dim, dtype=None", functional=True),
    OpSpec("linear", (linalg.Linear,), "input, weight, bias=None", method=False, namespace=False, functional=True),
    OpSpec("conv2d", (conv.Im2Col, conv.ToNCHW),
           "input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1", method=False,
           namespace=False, functional=True),
    OpSpec("unfold", (conv.Im2Col,), "input, kernel_size, dilation=1, padding=0, stride=1", method=False,
           namespace=False, functional=True),
    OpSpec("max_pool2d", (pool.MaxPool2d,),
           "input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False",
           method=False, namespace=False, functional=True),
    OpSpec("avg_pool2d", (pool.AvgPool2d,),
           "input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, "
           "divisor_override=None", method=False, namespace=False, functional=True),
    OpSpec("adaptive_avg_pool2d", (pool.AdaptiveAvgPool2d,), "input, output_size", method=False,
           namespace=False, functional=True),
    OpSpec("batch_norm", (normalization.BatchNorm,),
           "input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05",
           method=False, namespace=False, functional=True),
    OpSpec("layer_norm", (normalization.LayerNorm,), "input, normalized_shape, weight=None, bias=None, eps=1e-05",
           method=False, namespace=False, functional=True),
    OpSpec("embedding", (embedding.Embedding,),
           "input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False",
           method=False, namespace=False, functional=True),
    OpSpec("pad", (padding.Pad,), "input, pad, mode='constant', value=None", method=False, namespace=False,
           functional=True),
    OpSpec("binary_cross_entropy", (loss.BinaryCrossEntropy,),
           "input, target, weight=None, size_average=None, reduce=None, reduction='mean'", method=False,
           namespace=False, functional=True),
    OpSpec("scaled_dot_product_attention", (attention.FusedAttention,),
           "query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False",
           method=False, namespace=False, functional=True),
)

BY_NAME = {op.name: op for op in OPS}
