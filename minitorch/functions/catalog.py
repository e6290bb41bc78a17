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
  families ``unary``, ``binary``, ``reduction`` and ``logical``; an op of family ``other``
  lists ``Case`` calls (one expression, run with ``minitorch`` and with ``torch``) that get
  the same tests, and ``tests/gpu/test_cupy_compat.py`` runs them on cupy-like arrays.

Adding an op is one line here; see the recipe in ``minitorch/functions/__init__.py``.
"""
from dataclasses import dataclass

import numpy as np

from . import arithmetic, attention, conv, conversion, embedding, indexing, linalg, logical, loss
from . import normalization, padding, pointwise, pool, reduction, shape, softmax


@dataclass(frozen=True)
class Case:
    """One call of an op for the shared tests of family "other": ``call(lib, *inputs)``.

    ``lib`` is ``minitorch`` or ``torch`` (so one expression runs in both); the inputs are
    float64 tensors of ``shapes`` with values from ``domain`` ("any": normal; "probability":
    in (0.05, 0.95)). The tests compare the outputs and gradients with PyTorch's, gradcheck
    them, and run them on the ``cuda`` device.
    """

    call: object
    shapes: tuple
    domain: str = "any"


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
    cases: tuple = ()          # family "other": Case calls that drive its shared tests


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
    OpSpec("matmul", (linalg.MatMul,), "input, other",
           cases=(Case(lambda m, a, b: a @ b + m.matmul(a, b), ((3,), (3,))),
           Case(lambda m, a, b: a @ b + m.matmul(a, b), ((2, 3), (3,))),
           Case(lambda m, a, b: a @ b + m.matmul(a, b), ((3,), (3, 4))),
           Case(lambda m, a, b: a @ b + m.matmul(a, b), ((2, 3), (3, 4))),
           Case(lambda m, a, b: a @ b + m.matmul(a, b), ((5, 2, 3), (3, 4))),
           Case(lambda m, a, b: a @ b + m.matmul(a, b), ((2, 1, 2, 3), (4, 3, 2))),)),
    # pointwise
    OpSpec("exp", (pointwise.Exp,), "input", "unary", numpy=np.exp),
    OpSpec("log", (pointwise.Log,), "input", "unary", "positive", numpy=np.log),
    OpSpec("sqrt", (pointwise.Sqrt,), "input", "unary", "positive", numpy=np.sqrt),
    OpSpec("sin", (pointwise.Sin,), "input", "unary", numpy=np.sin),
    OpSpec("abs", (pointwise.Abs,), "input", "unary", numpy=np.abs),
    OpSpec("tanh", (pointwise.Tanh,), "input", "unary", numpy=np.tanh, functional=True),
    OpSpec("sigmoid", (pointwise.Sigmoid,), "input", "unary", numpy=_sigmoid, functional=True),
    OpSpec("relu", (pointwise.ReLU,), "input", "unary", numpy=_relu, functional=True),
    OpSpec("clamp", (pointwise.Clamp,), "input, min=None, max=None",
           cases=(Case(lambda m, x: x.clamp(-0.5, 0.7) + m.clamp(x, min=0.1) + x.clamp(max=0.2), ((4, 5),)),)),
    OpSpec("clip", (pointwise.Clamp,), "input, min=None, max=None",
           cases=(Case(lambda m, x: m.clip(x, -0.5, 0.5), ((4, 5),)),)),
    OpSpec("gelu", (pointwise.GELU,), "input, approximate='none'", method=False, namespace=False,
           functional=True,
           cases=(Case(lambda m, x: m.nn.functional.gelu(x) + m.nn.functional.gelu(x, approximate='tanh'), ((3, 4),)),)),
    # reductions
    OpSpec("sum", (reduction.Sum,), "input, dim=None, keepdim=False, *, dtype=None", "reduction", numpy=np.sum),
    OpSpec("mean", (reduction.Mean,), "input, dim=None, keepdim=False, *, dtype=None", "reduction",
           numpy=np.mean),
    OpSpec("var", (reduction.Var,), "input, dim=None, keepdim=False, *, correction=1, unbiased=None",
           cases=(Case(lambda m, x: x.var(dim=1) + x.var(dim=(0, 2), keepdim=True).sum() + m.var(x), ((3, 4, 2),)),
           Case(lambda m, x: (x.var(dim=-1, correction=0), x.var(0, unbiased=False)), ((3, 4),)),)),
    OpSpec("std", (), "input, dim=None, keepdim=False, *, correction=1, unbiased=None",
           cases=(Case(lambda m, x: x.std(dim=0, keepdim=True) + m.std(x, 1, correction=0).sum(), ((3, 4),)),)),
    OpSpec("amax", (reduction.Max,), "input, dim=(), keepdim=False", "reduction", numpy=np.max),
    OpSpec("amin", (reduction.Min,), "input, dim=(), keepdim=False", "reduction", numpy=np.min),
    OpSpec("max", (reduction.Max, logical.ArgMax), "input, dim=None, keepdim=False",
           cases=(Case(lambda m, x: x.max() * m.max(x, 1).values.sum() + x.max(dim=-1, keepdim=True)[0], ((3, 4),)),)),
    OpSpec("min", (reduction.Min, logical.ArgMin), "input, dim=None, keepdim=False",
           cases=(Case(lambda m, x: x.min() * m.min(x, 0).values.sum() + x.min(dim=1, keepdim=True)[0], ((3, 4),)),)),
    OpSpec("logsumexp", (reduction.LogSumExp,), "input, dim, keepdim=False",
           cases=(Case(lambda m, x: x.logsumexp(1) + m.logsumexp(x, (0, 2), keepdim=True).sum(), ((2, 3, 4),)),)),
    OpSpec("argmax", (logical.ArgMax,), "input, dim=None, keepdim=False",
           cases=(Case(lambda m, x: (x.argmax(), m.argmax(x, 1), x.argmax(dim=0, keepdim=True)), ((3, 4),)),)),
    OpSpec("argmin", (logical.ArgMin,), "input, dim=None, keepdim=False",
           cases=(Case(lambda m, x: (x.argmin(), m.argmin(x, 1), x.argmin(dim=0, keepdim=True)), ((3, 4),)),)),
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
    OpSpec("isclose", (logical.IsClose,), "input, other, rtol=1e-05, atol=1e-08, equal_nan=False",
           cases=(Case(lambda m, a, b: m.isclose(a, a + b * 1e-6, rtol=1e-5, atol=0.0), ((3, 4), (4,))),)),
    OpSpec("allclose", (logical.IsClose, logical.All), "input, other, rtol=1e-05, atol=1e-08, equal_nan=False",
           cases=(Case(lambda m, a, b: m.tensor([m.allclose(a, a + b * 1e-9), m.allclose(a, a + b)], device=a.device), ((3, 4), (4,))),)),
    OpSpec("all", (logical.All,), "input", "logical", "bool", numpy=np.all),
    OpSpec("any", (logical.Any,), "input", "logical", "bool", numpy=np.any),
    # shape and indexing
    OpSpec("reshape", (shape.Reshape,), "input, shape",
           cases=(Case(lambda m, x: x.reshape(4, 6).view(2, -1) * m.reshape(x, (2, 12)), ((2, 3, 4),)),)),
    OpSpec("transpose", (shape.Permute,), "input, dim0, dim1",
           cases=(Case(lambda m, x: x.transpose(0, 2) * m.transpose(x, -1, 0), ((2, 3, 2),)),)),
    OpSpec("permute", (shape.Permute,), "input, dims",
           cases=(Case(lambda m, x: x.permute(2, 0, 1) + m.permute(x, (2, 0, 1)), ((2, 3, 4),)),)),
    OpSpec("flatten", (shape.Reshape,), "input, start_dim=0, end_dim=-1",
           cases=(Case(lambda m, x: x.flatten(1) * m.flatten(x, 0, 1).sum(), ((3, 2, 2),)),)),
    OpSpec("unsqueeze", (shape.Reshape,), "input, dim",
           cases=(Case(lambda m, x: x.unsqueeze(0) * m.unsqueeze(x, -1), ((3,),)),)),
    OpSpec("squeeze", (shape.Reshape,), "input, dim=None",
           cases=(Case(lambda m, x: x.squeeze() + m.squeeze(x, 1).sum(-1), ((3, 1, 4, 1),)),)),
    OpSpec("expand", (shape.Expand,), "input, *sizes", namespace=False,
           cases=(Case(lambda m, x: x.expand(2, 3, 4) * x.expand(-1, 4).sum(), ((3, 1),)),)),
    OpSpec("__getitem__", (indexing.GetItem,), "input, index", namespace=False,
           cases=(Case(lambda m, x: x[1:, ::2] + x[None, -1, ...].sum(), ((4, 5),)),
           Case(lambda m, x: x[m.tensor([0, 2, 0, -1], device=x.device)] * 2 + x[:, [1, 1]].sum(), ((4, 3),)),
           Case(lambda m, x: x[m.tensor([0, 3, 0], device=x.device), m.tensor([2, 1, 2], device=x.device)], ((4, 3),)),
           Case(lambda m, x: x[x > 0.1] * 3, ((4, 3),)),)),  # x[index]
    OpSpec("masked_fill", (indexing.MaskedFill,), "input, mask, value",
           cases=(Case(lambda m, x: x.masked_fill(x > 0.3, -1.0) * m.masked_fill(x, x < 0, 2.0), ((3, 4),)),)),
    OpSpec("cat", (indexing.Cat,), "tensors, dim=0", method=False,
           cases=(Case(lambda m, a, b: (m.cat([a, b, a], dim=1), m.cat((b, a), -1)), ((2, 3), (2, 1))),)),
    OpSpec("stack", (indexing.Stack,), "tensors, dim=0", method=False,
           cases=(Case(lambda m, a, b: m.stack([a, b], dim=-1) * m.stack((b, a)).sum(), ((2, 3), (2, 3))),)),
    OpSpec("where", (indexing.Where,), "condition, input, other", method=False,
           cases=(Case(lambda m, a, b: m.where(a > b, a, b * 2) + m.where(a > 0, a, 0.5), ((3, 4), (4,))),)),
    # copies, dtypes, devices
    OpSpec("clone", (conversion.Clone,), "input, *, memory_format=None",
           cases=(Case(lambda m, x: x.clone() * m.clone(x), ((3,),)),)),
    OpSpec("to", (conversion.Cast, conversion.ToDevice), "input, *args, dtype=None, device=None", namespace=False,
           cases=(Case(lambda m, x: x.to(m.float64) * x.to(dtype=m.float64, device=x.device), ((3,),)),)),
    # softmax and the nn ops
    OpSpec("softmax", (softmax.Softmax,), "input, dim, dtype=None", functional=True,
           cases=(Case(lambda m, x: m.softmax(x, -1) * x.softmax(0) + m.nn.functional.softmax(x, dim=1), ((2, 3, 4),)),)),
    OpSpec("log_softmax", (softmax.LogSoftmax,), "input, dim, dtype=None", functional=True,
           cases=(Case(lambda m, x: x.log_softmax(1) + m.log_softmax(x, 0) + m.nn.functional.log_softmax(x, -1), ((3, 4),)),)),
    OpSpec("linear", (linalg.Linear,), "input, weight, bias=None", method=False, namespace=False, functional=True,
           cases=(Case(lambda m, x, w, b: m.nn.functional.linear(x, w, b) + m.nn.functional.linear(x, w), ((5, 3), (4, 3), (4,))),)),
    OpSpec("conv2d", (conv.Im2Col, conv.ToNCHW),
           "input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1", method=False,
           namespace=False, functional=True,
           cases=(Case(lambda m, x, w, b: m.nn.functional.conv2d(x, w, b, stride=2, padding=1), ((2, 3, 5, 6), (4, 3, 3, 2), (4,))),
           Case(lambda m, x, w: m.nn.functional.conv2d(x, w, dilation=2, groups=2), ((1, 4, 6, 6), (2, 2, 2, 2))),)),
    OpSpec("unfold", (conv.Im2Col,), "input, kernel_size, dilation=1, padding=0, stride=1", method=False,
           namespace=False, functional=True,
           cases=(Case(lambda m, x: m.nn.functional.unfold(x, (2, 3), padding=1, stride=(1, 2)), ((2, 2, 4, 5),)),)),
    OpSpec("max_pool2d", (pool.MaxPool2d,),
           "input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False",
           method=False, namespace=False, functional=True,
           cases=(Case(lambda m, x: m.nn.functional.max_pool2d(x, 2) + m.nn.functional.max_pool2d(x, 3, 2, 1)[..., :2, :2], ((2, 3, 4, 5),)),)),
    OpSpec("avg_pool2d", (pool.AvgPool2d,),
           "input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, "
           "divisor_override=None", method=False, namespace=False, functional=True,
           cases=(Case(lambda m, x: m.nn.functional.avg_pool2d(x, 2, padding=1, count_include_pad=False), ((2, 3, 4, 5),)),)),
    OpSpec("adaptive_avg_pool2d", (pool.AdaptiveAvgPool2d,), "input, output_size", method=False,
           namespace=False, functional=True,
           cases=(Case(lambda m, x: m.nn.functional.adaptive_avg_pool2d(x, (2, 3)), ((2, 3, 4, 6),)),)),
    OpSpec("batch_norm", (normalization.BatchNorm,),
           "input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05",
           method=False, namespace=False, functional=True,
           cases=(Case(lambda m, x, w, b: m.nn.functional.batch_norm(x, None, None, w, b, training=True), ((4, 3, 2), (3,), (3,))),)),
    OpSpec("layer_norm", (normalization.LayerNorm,), "input, normalized_shape, weight=None, bias=None, eps=1e-05",
           method=False, namespace=False, functional=True,
           cases=(Case(lambda m, x, w, b: m.nn.functional.layer_norm(x, (4,), w, b), ((2, 3, 4), (4,), (4,))),)),
    OpSpec("embedding", (embedding.Embedding,),
           "input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False",
           method=False, namespace=False, functional=True,
           cases=(Case(lambda m, w: m.nn.functional.embedding(m.tensor([[0, 2], [4, 2]], device=w.device), w), ((5, 3),)),)),
    OpSpec("pad", (padding.Pad,), "input, pad, mode='constant', value=None", method=False, namespace=False,
           functional=True,
           cases=(Case(lambda m, x: m.nn.functional.pad(x, (1, 2, 0, 1)) + m.nn.functional.pad(x, (1, 2, 0, 1), value=0.5), ((2, 3, 4),)),)),
    OpSpec("binary_cross_entropy", (loss.BinaryCrossEntropy,),
           "input, target, weight=None, size_average=None, reduce=None, reduction='mean'", method=False,
           namespace=False, functional=True,
           cases=(Case(lambda m, p: m.nn.functional.binary_cross_entropy(p, (p.detach() > 0.5).to(p.dtype)), ((3, 4),), 'probability'),)),
    OpSpec("scaled_dot_product_attention", (attention.FusedAttention,),
           "query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False",
           method=False, namespace=False, functional=True,
           cases=(Case(lambda m, q, k, v: m.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True), ((2, 3, 4), (2, 3, 4), (2, 3, 4))),)),
)

BY_NAME = {op.name: op for op in OPS}


def case_inputs(case, seed=0):
    """The float64 arrays a ``Case`` is called with (the same for every library and device)."""
    rng = np.random.default_rng(seed)
    if case.domain == "probability":
        return [rng.uniform(0.05, 0.95, shape) for shape in case.shapes]
    return [rng.standard_normal(shape) for shape in case.shapes]
