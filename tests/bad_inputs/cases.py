"""The battery of bad inputs: each case is a snippet that must raise a clear error.

A ``Bad`` case holds the code (run with ``T`` bound to minitorch, or to torch where ``torch`` is
True: PyTorch has the same call and raises the same class of error), the error type expected
(PyTorch's), the op the message must name and the offending value it must show. The snippets
see ``T``, ``nn``, ``F``, ``optim``, ``sched``, ``data`` (``T.utils.data``), ``x`` (a fresh
2x3 float tensor), ``params()`` (two fresh parameters), ``opt()`` (an SGD over them), ``files``
(minitorch only: paths of broken files, see ``files.py``) and ``mt`` (minitorch itself).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Bad:
    """One bad input: ``code`` must raise ``error`` with a message naming ``op`` and ``value``."""

    area: str
    code: str
    error: type
    op: str
    value: str
    torch: bool = True

    @property
    def id(self):
        return f"{self.area}: {self.code}"


CASES = []


def add(area, error, op, value, *codes, torch=True):
    """Register one ``Bad`` per snippet in ``codes``, all expecting the same error, op and value."""
    CASES.extend(Bad(area, code, error, op, value, torch) for code in codes)


# --- creation ---------------------------------------------------------------------------------
for _f in ("zeros", "ones", "empty", "rand", "randn"):
    add("creation", RuntimeError, _f, "-1", f"T.{_f}(-1, 2)", f"T.{_f}((2, -1))")
    add("creation", TypeError, _f, "2.5", f"T.{_f}(2.5)")
    add("creation", TypeError, _f, "'a'", f"T.{_f}('a')")
add("creation", RuntimeError, "full", "-3", "T.full((-3,), 1.0)")
add("creation", RuntimeError, "tensor", "nan", "T.tensor([float('nan')], dtype=T.int64)",
    "T.tensor([float('nan')], dtype=T.int32)")
add("creation", RuntimeError, "tensor", "inf", "T.tensor([float('inf')], dtype=T.int64)")
add("creation", RuntimeError, "tensor", "300", "T.tensor([300], dtype=T.uint8)",
    "T.tensor([1, 300], dtype=T.uint8)")
add("creation", RuntimeError, "tensor", "-256", "T.tensor([-256], dtype=T.uint8)")
add("creation", RuntimeError, "tensor", "200", "T.tensor([200], dtype=T.int8)")
add("creation", RuntimeError, "tensor", "40000", "T.tensor([40000], dtype=T.int16)")
add("creation", RuntimeError, "tensor", "3000000000", "T.tensor([3000000000], dtype=T.int32)")
add("creation", ValueError, "tensor", str(2 ** 70), f"T.tensor([{2 ** 70}])", f"T.tensor({2 ** 70})")
add("creation", ValueError, "tensor", "length", "T.tensor([[1, 2], [3]])", "T.tensor([[1], [2, 3]])")
add("creation", TypeError, "tensor", "str", "T.tensor('abc')", "T.tensor([1, 'a'])")
add("creation", TypeError, "tensor", "numeric", "T.tensor([1, None])", torch=False)
add("creation", RuntimeError, "arange", "step", "T.arange(0, 10, 0)")
add("creation", RuntimeError, "arange", "step", "T.arange(10, 0, 1)", "T.arange(0, 10, -1)")
add("creation", RuntimeError, "linspace", "-1", "T.linspace(0, 1, -1)")
add("creation", RuntimeError, "eye", "-1", "T.eye(-1)", "T.eye(2, -1)")
add("creation", TypeError, "full", "'a'", "T.full((2,), 'a')")
add("creation", RuntimeError, "randint", "5", "T.randint(5, 2, (3,))")
add("creation", RuntimeError, "rand", "int64", "T.rand(2, dtype=T.int64)")
add("creation", RuntimeError, "randn", "int64", "T.randn(2, dtype=T.int64)")
add("creation", TypeError, "ones", "float32", "T.ones(2, dtype='float32')")
add("creation", RuntimeError, "ones", "tpu", "T.ones(2, device='tpu')")
add("creation", TypeError, "from_numpy", "list", "T.from_numpy([1, 2])")
add("creation", RuntimeError, "multinomial", "3", "T.multinomial(T.ones(2), 3)")
add("creation", RuntimeError, "multinomial", "-1", "T.multinomial(T.tensor([1., -1.]), 1)")
add("creation", RuntimeError, "bernoulli", "2", "T.bernoulli(T.tensor([2.]))")
add("creation", RuntimeError, "normal", "-1", "T.normal(0., -1., (2,))")

# --- arithmetic -------------------------------------------------------------------------------
for _sym in ("+", "-", "*", "/"):
    add("arithmetic", TypeError, _sym, "NoneType", f"T.ones(2) {_sym} None", f"None {_sym} T.ones(2)")
    add("arithmetic", TypeError, _sym, "str", f"T.ones(2) {_sym} 'x'")
    add("arithmetic", RuntimeError, "(3,)", "(2,)", f"T.ones(2) {_sym} T.ones(3)")
add("arithmetic", TypeError, "+", "complex", "T.ones(2) + 1j", torch=False)
add("arithmetic", TypeError, "add", "complex", "T.add(T.ones(2), 2j)", torch=False)
add("arithmetic", TypeError, "mul", "list", "T.ones(2).mul([1, 'a'])")
for _m in ("add_", "sub_", "mul_", "div_"):
    add("arithmetic", RuntimeError, _m, "(3,)", f"T.ones(2).{_m}(T.ones(3))")
    add("arithmetic", RuntimeError, _m, "(2, 2)", f"T.ones(2).{_m}(T.ones(2, 2))")
add("arithmetic", RuntimeError, "add_", "int64", "T.tensor([1, 2]).add_(0.7)", "T.tensor([1, 2]).add_(T.ones(2))")
add("arithmetic", RuntimeError, "mul_", "int64", "T.tensor([1, 2]).mul_(1.5)")
add("arithmetic", RuntimeError, "div_", "int64", "T.tensor([1, 2]).div_(2)")
add("arithmetic", RuntimeError, "sub", "bool", "T.tensor([True]) - T.tensor([False])")
add("arithmetic", RuntimeError, "neg", "bool", "-T.tensor([True])")
add("arithmetic", TypeError, "bitwise_not", "float", "~T.ones(2)")
add("arithmetic", RuntimeError, "bitwise_and", "float", "T.ones(2) & T.ones(2)")
add("arithmetic", RuntimeError, "matmul", "(2, 3)", "T.ones(2, 3) @ T.ones(2, 3)")
add("arithmetic", RuntimeError, "matmul", "0", "T.ones(()) @ T.ones(2)")
add("arithmetic", RuntimeError, "mm", "(3,)", "T.mm(T.ones(2, 3), T.ones(3))")
add("arithmetic", RuntimeError, "bmm", "(2, 3)", "T.bmm(T.ones(2, 3), T.ones(2, 3))")
add("arithmetic", RuntimeError, "dot", "(3,)", "T.dot(T.ones(2), T.ones(3))")
add("arithmetic", TypeError, "pow", "str", "T.ones(2).pow('a')")
add("arithmetic", RuntimeError, "Integers to negative integer powers", "-1", "T.tensor([2]) ** -1")
add("arithmetic", RuntimeError, "clamp", "None", "T.ones(2).clamp()")
add("arithmetic", RuntimeError, "sigmoid", "int64", "T.tensor([1, 2]).sigmoid_()")
add("arithmetic", RuntimeError, "div", "rounding_mode", "T.div(T.ones(2), 2, rounding_mode='round')")
add("arithmetic", RuntimeError, "lerp", "int64", "T.lerp(T.ones(2), T.tensor([1, 2]), 0.5)")

# --- indexing ---------------------------------------------------------------------------------
add("indexing", IndexError, "index", "5", "x[5]", "x[-5]", "x[0, 5]")
add("indexing", IndexError, "index", "3", "x[0, 0, 0]")
add("indexing", IndexError, "index", "float", "x[T.ones(2)]")
add("indexing", IndexError, "index", "5", "x[T.tensor([5])]", "x[T.tensor([0, 5])]")
add("indexing", IndexError, "mask", "(3,)", "x[T.tensor([True, False, True])]")
add("indexing", ValueError, "step", "-1", "x[::-1]")
add("indexing", IndexError, "index", "1.5", "x[1.5]")
add("indexing", TypeError, "index", "str", "x['a']")
add("indexing", RuntimeError, "gather", "5", "T.gather(x, 1, T.tensor([[5]]))")
add("indexing", RuntimeError, "gather", "float", "T.gather(x, 1, T.ones(2, 1))")
add("indexing", RuntimeError, "gather", "dimensions", "T.gather(x, 1, T.tensor([0]))")
add("indexing", IndexError, "gather", "5", "T.gather(x, 5, T.tensor([[0]]))")
add("indexing", RuntimeError, "scatter", "7", "T.zeros(2, 3).scatter(1, T.tensor([[7]]), 1.0)")
add("indexing", RuntimeError, "scatter", "float", "T.zeros(2, 3).scatter(1, T.ones(1, 1), 1.0)")
add("indexing", RuntimeError, "index_select", "9", "T.index_select(x, 1, T.tensor([9]))")
add("indexing", RuntimeError, "index_select", "float", "T.index_select(x, 1, T.ones(1))")
add("indexing", RuntimeError, "masked_fill", "float", "x.masked_fill(T.ones(2, 3), 0.)")
add("indexing", RuntimeError, "masked_fill", "(4,)", "x.masked_fill(T.ones(4) > 0, 0.)")
add("indexing", RuntimeError, "masked_select", "int64", "T.masked_select(x, T.ones(2, 3).long())")
add("indexing", RuntimeError, "where", "float", "T.where(T.ones(2), T.ones(2), T.ones(2))")
add("indexing", RuntimeError, "where", "(3,)", "T.where(T.ones(2) > 0, T.ones(3), T.ones(2))")
add("indexing", IndexError, "index", "(2, 3)", "x[T.ones(3, 2) > 0]")
add("indexing", RuntimeError, "setitem", "(4,)", "x[0] = T.ones(4)")
add("indexing", RuntimeError, "setitem", "(5,)", "x[T.tensor([0, 1])] = T.ones(5)")
add("indexing", IndexError, "take", "9", "T.take(x, T.tensor([9]))")
add("indexing", RuntimeError, "narrow", "5", "x.narrow(1, 2, 5)")
add("indexing", IndexError, "select", "7", "x.select(1, 7)")

# --- reductions -------------------------------------------------------------------------------
for _r in ("sum", "mean", "prod", "amax", "amin", "std", "var", "logsumexp", "softmax", "log_softmax",
           "cumsum", "argmax", "argmin", "max", "min", "norm", "all", "any", "nansum", "median"):
    _dim = "dim=5" if _r not in ("softmax", "log_softmax", "cumsum", "logsumexp") else "5"
    add("reductions", IndexError, _r, "5", f"x.{_r}({_dim})")
    add("reductions", TypeError, _r, "'a'", f"x.{_r}('a')" if _r != "norm" else "x.norm(dim='a')")
add("reductions", RuntimeError, "sum", "dim", "x.sum(dim=(0, 0))", "x.sum(dim=(1, -1))")
add("reductions", TypeError, "sum", "1.5", "x.sum(dim=1.5)")
add("reductions", TypeError, "sum", "True", "x.sum(dim=True)")
add("reductions", TypeError, "mean", "True", "x.mean(dim=True)", torch=False)
for _r in ("mean", "std", "var"):
    add("reductions", RuntimeError, _r, "int64", f"T.tensor([1, 2]).{_r}()")
add("reductions", RuntimeError, "softmax", "int64", "T.tensor([1, 2]).softmax(0)")
for _r in ("max", "min", "amax", "amin"):
    add("reductions", RuntimeError, _r, "empty", f"T.ones(0).{_r}()")
add("reductions", IndexError, "max", "0", "T.ones(0, 3).max(dim=0)")
add("reductions", IndexError, "argmax", "empty", "T.ones(0).argmax()")
add("reductions", IndexError, "argmin", "empty", "T.ones(0).argmin()")
add("reductions", RuntimeError, "topk", "5", "x.topk(5)")
add("reductions", RuntimeError, "kthvalue", "9", "x.kthvalue(9)")
add("reductions", RuntimeError, "quantile", "1.5", "T.quantile(x, 1.5)")
add("reductions", RuntimeError, "quantile", "int64", "T.quantile(T.tensor([1, 2]), 0.5)")

# --- shape ops --------------------------------------------------------------------------------
add("shape", RuntimeError, "reshape", "5", "x.reshape(5)")
add("shape", RuntimeError, "view", "5", "x.view(5)")
add("shape", RuntimeError, "view", "(-1, 4)", "x.view(-1, 4)")
add("shape", RuntimeError, "reshape", "-1", "x.reshape(-1, -1)")
add("shape", IndexError, "permute", "2", "x.permute(1, 2)")
add("shape", RuntimeError, "permute", "(0, 0)", "x.permute(0, 0)")
add("shape", RuntimeError, "permute", "(0,)", "x.permute(0)")
add("shape", RuntimeError, "flatten", "2", "T.ones(2, 3, 4).flatten(2, 1)")
add("shape", IndexError, "transpose", "5", "x.transpose(0, 5)")
add("shape", IndexError, "squeeze", "5", "x.squeeze(5)")
add("shape", IndexError, "unsqueeze", "5", "x.unsqueeze(5)")
add("shape", RuntimeError, "expand", "(4,)", "x.expand(4)")
add("shape", RuntimeError, "expand", "(2, 4)", "x.expand(2, 4)")
add("shape", RuntimeError, "cat", "(2, 4)", "T.cat([x, T.ones(2, 4)])")
add("shape", ValueError, "cat", "non-empty", "T.cat([])")
add("shape", TypeError, "cat", "int", "T.cat([x, 1])")
add("shape", IndexError, "cat", "5", "T.cat([x, x], dim=5)")
add("shape", RuntimeError, "stack", "(2, 4)", "T.stack([x, T.ones(2, 4)])")
add("shape", RuntimeError, "stack", "non-empty", "T.stack([])")
add("shape", RuntimeError, "split", "0", "x.split(0)")
add("shape", RuntimeError, "split", "4", "x.split([1, 4], dim=1)")
add("shape", RuntimeError, "chunk", "0", "x.chunk(0)")
add("shape", RuntimeError, "repeat", "(2,)", "x.repeat(2)")
add("shape", RuntimeError, "roll", "(1, 2)", "x.roll((1, 2), (0,))")
add("shape", IndexError, "flip", "5", "x.flip(5)")
add("shape", RuntimeError, "unflatten", "(4,)", "x.unflatten(1, (4,))")
add("shape", RuntimeError, "movedim", "(0, 0)", "x.movedim((0, 0), (0, 1))")
add("shape", RuntimeError, "broadcast_to", "(4,)", "T.broadcast_to(x, (4,))")
add("shape", RuntimeError, "tril", "1", "T.ones(3).tril()")

# --- autograd ---------------------------------------------------------------------------------
add("autograd", RuntimeError, "backward", "scalar", "T.ones(2, requires_grad=True).mul(2).backward()")
add("autograd", RuntimeError, "backward", "grad", "T.ones(2).sum().backward()")
add("autograd", RuntimeError, "requires_grad", "int64", "T.tensor([1]).requires_grad_()",
    "T.tensor([1], requires_grad=True)")
add("autograd", RuntimeError, "item", "2", "T.ones(2).item()")
add("autograd", RuntimeError, "leaf", "in-place", "T.ones(2, requires_grad=True).add_(1)")
add("autograd", RuntimeError, "grad", "(3,)", "a = T.ones(2, requires_grad=True); a.grad = T.ones(3)")
add("autograd", RuntimeError, "grad", "int64", "a = T.ones(2, requires_grad=True); a.grad = T.ones(2).long()")
add("autograd", TypeError, "grad", "list", "a = T.ones(2, requires_grad=True); a.grad = [1., 1.]")
add("autograd", RuntimeError, "backward", "(3,)",
    "a = T.ones(2, requires_grad=True); (a * 2).backward(T.ones(3))")
add("autograd", RuntimeError, "requires_grad", "non-leaf",
    "a = T.ones(2, requires_grad=True); (a * 2).requires_grad_(False)")
_VERSIONS = {
    "exp": "a = T.ones(2, requires_grad=True); y = a.exp(); y.add_(1)",
    "embedding": "w = T.ones(4, 2, requires_grad=True); i = T.tensor([0, 1]); y = F.embedding(i, w); i.add_(1)",
    "index": "w = T.ones(4, requires_grad=True); i = T.tensor([0, 1]); y = w[i]; i.add_(1)",
    "where": "w = T.ones(2, requires_grad=True); c = T.tensor([True, False]); "
             "y = T.where(c, w, T.zeros(2)); c.copy_(T.tensor([False, True]))",
    "masked_fill": "w = T.ones(2, requires_grad=True); m = T.tensor([True, False]); "
                   "y = w.masked_fill(m, 0.); m.copy_(T.tensor([False, True]))",
    "gather": "w = T.ones(2, 3, requires_grad=True); i = T.tensor([[0], [1]]); "
              "y = w.gather(1, i); i.add_(1)",
    "index_select": "w = T.ones(4, requires_grad=True); i = T.tensor([0, 1]); "
                    "y = w.index_select(0, i); i.add_(1)",
    "scatter": "w = T.ones(2, 3, requires_grad=True); i = T.tensor([[0], [1]]); "
               "y = T.zeros(2, 3).scatter(1, i, w[:, :1]); i.add_(1)",
    "masked_select": "w = T.ones(2, requires_grad=True); m = T.tensor([True, False]); "
                     "y = T.masked_select(w, m); m.copy_(T.tensor([False, True]))",
}
for _op, _code in _VERSIONS.items():
    add("autograd", RuntimeError, "modified in place", "version", _code + "; y.sum().backward()")

# --- layers -----------------------------------------------------------------------------------
add("layers", RuntimeError, "Linear", "-1", "nn.Linear(-1, 2)", "nn.Linear(2, -1)")
add("layers", TypeError, "Linear", "2.5", "nn.Linear(2.5, 2)")
add("layers", RuntimeError, "Linear", "(4,)", "nn.Linear(3, 2)(T.ones(4))")
add("layers", RuntimeError, "Linear", "(5, 4)", "nn.Linear(3, 2)(T.ones(5, 4))")
add("layers", RuntimeError, "Linear", "int64", "nn.Linear(2, 2)(T.ones(2, 2).long())")
add("layers", RuntimeError, "linear", "int64", "F.linear(T.ones(2, 2).long(), T.ones(2, 2))")
add("layers", RuntimeError, "Conv2d", "2", "nn.Conv2d(3, 4, 3)(T.ones(1, 2, 5, 5))")
add("layers", RuntimeError, "Conv2d", "(1, 3, 2, 2)", "nn.Conv2d(3, 4, 3)(T.ones(1, 3, 2, 2))")
add("layers", RuntimeError, "Conv2d", "int64", "nn.Conv2d(3, 4, 3)(T.ones(1, 3, 5, 5).long())")
add("layers", ValueError, "Conv2d", "groups", "nn.Conv2d(3, 4, 3, groups=2)")
add("layers", ValueError, "Conv2d", "'bad'", "nn.Conv2d(3, 4, 3, padding_mode='bad')")
add("layers", ValueError, "Conv2d", "same", "nn.Conv2d(3, 4, 3, stride=2, padding='same')")
add("layers", RuntimeError, "conv2d", "(1, 3, 5)", "F.conv2d(T.ones(1, 3, 5), T.ones(4, 3, 3, 3))")
add("layers", RuntimeError, "conv1d", "2", "nn.Conv1d(3, 4, 3)(T.ones(1, 2, 5))")
add("layers", RuntimeError, "BatchNorm1d", "4", "nn.BatchNorm1d(3)(T.ones(2, 4))")
add("layers", ValueError, "BatchNorm1d", "(2,)", "nn.BatchNorm1d(3)(T.ones(2))")
add("layers", ValueError, "BatchNorm2d", "(2, 3)", "nn.BatchNorm2d(3)(T.ones(2, 3))")
add("layers", ValueError, "batch_norm", "(1, 3)", "nn.BatchNorm1d(3)(T.ones(1, 3))")
add("layers", ValueError, "BatchNorm1d", "-1", "nn.BatchNorm1d(3, eps=-1)", torch=False)
add("layers", ValueError, "BatchNorm1d", "-1", "nn.BatchNorm1d(-1)", torch=False)
add("layers", ValueError, "Dropout", "1.5", "nn.Dropout(1.5)")
add("layers", ValueError, "Dropout", "-0.1", "nn.Dropout(-0.1)")
add("layers", ValueError, "dropout", "1.5", "F.dropout(x, 1.5)")
add("layers", IndexError, "embedding", "10", "nn.Embedding(10, 3)(T.tensor([10]))")
add("layers", IndexError, "embedding", "-11", "nn.Embedding(10, 3)(T.tensor([-11]))")
add("layers", RuntimeError, "embedding", "float", "nn.Embedding(10, 3)(T.ones(2))")
add("layers", RuntimeError, "layer_norm", "(2, 3)", "nn.LayerNorm(4)(T.ones(2, 3))")
add("layers", RuntimeError, "layer_norm", "(4,)", "F.layer_norm(T.ones(2, 3), (4,))")
add("layers", RuntimeError, "max_pool2d", "(1, 1, 2, 2)", "F.max_pool2d(T.ones(1, 1, 2, 2), 3)")
add("layers", RuntimeError, "max_pool2d", "0", "F.max_pool2d(T.ones(1, 1, 4, 4), 2, stride=0)")
add("layers", RuntimeError, "avg_pool2d", "(1, 1, 2, 2)", "F.avg_pool2d(T.ones(1, 1, 2, 2), 3)")
add("layers", TypeError, "Sequential", "int", "nn.Sequential(1)")
add("layers", TypeError, "ModuleList", "int", "nn.ModuleList([1])")
add("layers", ValueError, "LSTM", "(5,)", "nn.LSTM(3, 4)(T.ones(5))")
add("layers", RuntimeError, "LSTM", "5", "nn.LSTM(3, 4)(T.ones(2, 1, 5))")
add("layers", RuntimeError, "GRU", "5", "nn.GRU(3, 4)(T.ones(2, 1, 5))")
add("layers", ValueError, "MultiheadAttention", "5", "nn.MultiheadAttention(5, 2)", torch=False)
add("layers", RuntimeError, "softmax", "int64", "F.softmax(T.tensor([1, 2]), 0)")
add("layers", RuntimeError, "one_hot", "3", "F.one_hot(T.tensor([3]), 3)")
add("layers", RuntimeError, "one_hot", "float", "F.one_hot(T.ones(2), 3)")
add("layers", RuntimeError, "pad", "(1, 1, 1)", "F.pad(x, (1, 1, 1))")
add("layers", RuntimeError, "interpolate", "4", "F.interpolate(x, scale_factor=2)")
add("layers", NotImplementedError, "interpolate", "'bad'",
    "F.interpolate(T.ones(1, 1, 4), scale_factor=2, mode='bad')")

# --- losses -----------------------------------------------------------------------------------
add("losses", IndexError, "cross_entropy", "5", "F.cross_entropy(x, T.tensor([0, 5]))")
add("losses", IndexError, "cross_entropy", "-2", "F.cross_entropy(x, T.tensor([0, -2]))")
add("losses", ValueError, "cross_entropy", "3", "F.cross_entropy(x, T.tensor([0, 1, 2]))")
add("losses", RuntimeError, "cross_entropy", "float", "F.cross_entropy(x, T.ones(2))")
add("losses", RuntimeError, "cross_entropy", "(2, 4)", "F.cross_entropy(x, T.ones(2, 4))")
add("losses", ValueError, "cross_entropy", "'bad'", "F.cross_entropy(x, T.tensor([0, 1]), reduction='bad')")
add("losses", RuntimeError, "cross_entropy", "2.0", "F.cross_entropy(x, T.tensor([0, 1]), label_smoothing=2.0)")
add("losses", RuntimeError, "cross_entropy", "int64", "F.cross_entropy(x.long(), T.tensor([0, 1]))")
add("losses", RuntimeError, "cross_entropy", "(3,)", "F.cross_entropy(x, T.tensor([0, 1]), weight=T.ones(2))")
add("losses", ValueError, "nll_loss", "3", "F.nll_loss(x, T.tensor([0, 1, 2]))")
add("losses", IndexError, "nll_loss", "5", "F.nll_loss(x, T.tensor([0, 5]))")
add("losses", RuntimeError, "binary_cross_entropy", "1.5",
    "F.binary_cross_entropy(T.tensor([1.5]), T.tensor([1.]))")
add("losses", ValueError, "binary_cross_entropy", "(3,)",
    "F.binary_cross_entropy(T.tensor([0.5, 0.5]), T.ones(3))")
add("losses", ValueError, "binary_cross_entropy_with_logits", "(3,)",
    "F.binary_cross_entropy_with_logits(T.ones(2), T.ones(3))")
add("losses", RuntimeError, "mse_loss", "(3,)", "F.mse_loss(T.ones(2), T.ones(3))")
add("losses", RuntimeError, "l1_loss", "(3,)", "F.l1_loss(T.ones(2), T.ones(3))")
add("losses", ValueError, "mse_loss", "'bad'", "F.mse_loss(T.ones(2), T.ones(2), reduction='bad')")
add("losses", ValueError, "l1_loss", "'bad'", "F.l1_loss(T.ones(2), T.ones(2), reduction='bad')")
add("losses", ValueError, "CrossEntropyLoss", "'bad'", "nn.CrossEntropyLoss(reduction='bad')(x, T.tensor([0, 1]))")
add("losses", ValueError, "MSELoss", "'bad'", "nn.MSELoss(reduction='bad')(x, x)")
add("losses", RuntimeError, "kl_div", "(3,)", "F.kl_div(T.ones(2), T.ones(3))")
add("losses", RuntimeError, "smooth_l1_loss", "-1", "F.smooth_l1_loss(T.ones(2), T.ones(2), beta=-1.)")
add("losses", RuntimeError, "huber_loss", "-1", "F.huber_loss(T.ones(2), T.ones(2), delta=-1.)")
add("losses", RuntimeError, "cross_entropy", "cpu",
    "F.cross_entropy(x.to('cuda'), T.tensor([0, 1]))", torch=False)
add("losses", RuntimeError, "mse_loss", "cpu", "F.mse_loss(T.ones(2).to('cuda'), T.ones(2))", torch=False)
add("losses", RuntimeError, "nll_loss", "cpu", "F.nll_loss(x.to('cuda'), T.tensor([0, 1]))", torch=False)

# --- devices (minitorch only: the "cuda" device runs under the simulator) ----------------------
add("devices", RuntimeError, "masked_fill", "cpu",
    "x.to('cuda').masked_fill(T.ones(2, 3) > 0, 0.)", torch=False)
add("devices", RuntimeError, "add", "cpu", "x.to('cuda') + x", torch=False)
add("devices", RuntimeError, "where", "cpu", "T.where(x > 0, x.to('cuda'), x)", torch=False)
add("devices", RuntimeError, "cat", "cpu", "T.cat([x.to('cuda'), x])", torch=False)
add("devices", RuntimeError, "gather", "cpu", "x.to('cuda').gather(1, T.tensor([[0], [1]]))", torch=False)
add("devices", RuntimeError, "index", "cuda", "x[T.tensor([0]).to('cuda')]", torch=False)  # (a cpu index into cuda is fine)
add("devices", RuntimeError, "embedding", "cpu", "nn.Embedding(4, 2).to('cuda')(T.tensor([0]))", torch=False)
add("devices", RuntimeError, "Linear", "cpu", "nn.Linear(3, 2)(x.to('cuda'))", torch=False)
add("devices", RuntimeError, "grad", "cpu",
    "p = nn.Parameter(T.ones(2).to('cuda')); p.grad = T.ones(2)", torch=False)
add("devices", RuntimeError, "backward", "cpu",
    "a = T.ones(2, requires_grad=True).to('cuda'); (a * 2).backward(T.ones(2))", torch=False)

# --- optimisers -------------------------------------------------------------------------------
add("optimisers", ValueError, "lr", "-0.1", "optim.SGD(params(), lr=-0.1)", "optim.Adam(params(), lr=-0.1)",
    "optim.AdamW(params(), lr=-0.1)", "optim.RMSprop(params(), lr=-0.1)", "optim.Adagrad(params(), lr=-0.1)")
add("optimisers", ValueError, "momentum", "-1", "optim.SGD(params(), lr=0.1, momentum=-1)",
    "optim.RMSprop(params(), momentum=-1)")
add("optimisers", ValueError, "weight_decay", "-1", "optim.SGD(params(), lr=0.1, weight_decay=-1)",
    "optim.Adam(params(), weight_decay=-1)", "optim.AdamW(params(), weight_decay=-1)")
add("optimisers", ValueError, "Nesterov", "momentum", "optim.SGD(params(), lr=0.1, nesterov=True)")
add("optimisers", ValueError, "beta", "1.5", "optim.Adam(params(), betas=(1.5, 0.9))",
    "optim.Adam(params(), betas=(0.9, 1.5))", "optim.AdamW(params(), betas=(1.5, 0.9))")
add("optimisers", ValueError, "epsilon", "-1", "optim.Adam(params(), eps=-1)", "optim.Adagrad(params(), eps=-1)")
add("optimisers", ValueError, "alpha", "-1", "optim.RMSprop(params(), alpha=-1)")
add("optimisers", ValueError, "lr_decay", "-1", "optim.Adagrad(params(), lr_decay=-1)")
add("optimisers", ValueError, "empty", "parameter list", "optim.SGD([], lr=0.1)", "optim.Adam([])")
add("optimisers", TypeError, "iterable", "Tensor", "optim.SGD(T.ones(2), lr=0.1)")
add("optimisers", TypeError, "optimize", "int", "optim.SGD([1, 2], lr=0.1)")
add("optimisers", ValueError, "non-leaf", "leaf", "optim.SGD([T.ones(2, requires_grad=True) * 2], lr=0.1)")
add("optimisers", ValueError, "load_state_dict", "groups",
    "o = opt(); o.load_state_dict({'state': {}, 'param_groups': []})")
add("optimisers", ValueError, "lr", "-1", "optim.SGD([{'params': params(), 'lr': -1}], lr=0.1)", torch=False)
add("optimisers", TypeError, "lr", "str", "optim.SGD(params(), lr='a')", torch=False)
add("optimisers", RuntimeError, "clip_grad_norm_", "nan",
    "p = params(); p[0].grad = T.tensor([float('nan'), 1.]); "
    "nn.utils.clip_grad_norm_(p, 1.0, error_if_nonfinite=True)")

# --- schedulers -------------------------------------------------------------------------------
add("schedulers", TypeError, "Optimizer", "NoneType", "sched.StepLR(None, 1)", "sched.ExponentialLR(None, 0.9)")
add("schedulers", ValueError, "StepLR", "0", "sched.StepLR(opt(), 0)", torch=False)
add("schedulers", ValueError, "lr_lambda", "3", "sched.LambdaLR(opt(), [lambda e: 1.] * 3)")
add("schedulers", ValueError, "total_steps", "None", "sched.OneCycleLR(opt(), 0.1)")
add("schedulers", ValueError, "total_steps", "-1", "sched.OneCycleLR(opt(), 0.1, total_steps=-1)")
add("schedulers", ValueError, "pct_start", "1.5", "sched.OneCycleLR(opt(), 0.1, total_steps=10, pct_start=1.5)")
add("schedulers", ValueError, "anneal_strategy", "'bad'",
    "sched.OneCycleLR(opt(), 0.1, total_steps=10, anneal_strategy='bad')")
add("schedulers", ValueError, "mode", "'bad'", "sched.CyclicLR(opt(), 0.01, 0.1, mode='bad')")
add("schedulers", ValueError, "mode", "'bad'", "sched.ReduceLROnPlateau(opt(), mode='bad')")
add("schedulers", ValueError, "threshold_mode", "'bad'", "sched.ReduceLROnPlateau(opt(), threshold_mode='bad')")
add("schedulers", ValueError, "Factor", "1.5", "sched.ReduceLROnPlateau(opt(), factor=1.5)")
add("schedulers", ValueError, "T_0", "0", "sched.CosineAnnealingWarmRestarts(opt(), 0)")
add("schedulers", ValueError, "T_mult", "0", "sched.CosineAnnealingWarmRestarts(opt(), 2, T_mult=0)")
add("schedulers", ValueError, "start_factor", "0", "sched.LinearLR(opt(), start_factor=0)")
add("schedulers", ValueError, "end_factor", "2", "sched.LinearLR(opt(), end_factor=2)")
add("schedulers", ValueError, "factor", "2", "sched.ConstantLR(opt(), factor=2)")
add("schedulers", ValueError, "CosineAnnealingLR", "0", "sched.CosineAnnealingLR(opt(), T_max=0)", torch=False)

# --- data loading -----------------------------------------------------------------------------
_DS = "data.TensorDataset(T.ones(4, 2))"
add("data", ValueError, "batch_size", "0", f"data.DataLoader({_DS}, batch_size=0)")
add("data", ValueError, "batch_size", "-1", f"data.DataLoader({_DS}, batch_size=-1)")
add("data", ValueError, "batch_size", "1.5", f"data.DataLoader({_DS}, batch_size=1.5)", torch=False)
add("data", ValueError, "num_workers", "-1", f"data.DataLoader({_DS}, num_workers=-1)")
add("data", ValueError, "sampler", "shuffle", f"data.DataLoader({_DS}, shuffle=True, sampler=[0, 1])")
add("data", ValueError, "batch_sampler", "batch_size", f"data.DataLoader({_DS}, batch_size=2, batch_sampler=[[0]])")
add("data", ValueError, "timeout", "-1", f"data.DataLoader({_DS}, timeout=-1)")
add("data", ValueError, "prefetch_factor", "num_workers", f"data.DataLoader({_DS}, prefetch_factor=2)")
add("data", ValueError, "TensorDataset", "3", "data.TensorDataset(T.ones(4), T.ones(3))", torch=False)
add("data", ValueError, "random_split", "5", f"data.random_split({_DS}, [2, 3])")
add("data", IndexError, "index", "9", f"{_DS}[9]")
add("data", IndexError, "Subset", "9", f"data.Subset({_DS}, [9])[0]")
add("data", RuntimeError, "default_collate", "(3,)", "data.default_collate([T.ones(2), T.ones(3)])")
add("data", TypeError, "default_collate", "object", "data.default_collate([object(), object()])")
add("data", ValueError, "num_samples", "0", "data.RandomSampler(range(3), num_samples=0)",
    "data.WeightedRandomSampler([1., 2.], 0)")
add("data", ValueError, "batch_size", "0", "data.BatchSampler(range(3), 0, False)")
add("data", RuntimeError, "weights", "-1", "list(data.WeightedRandomSampler([1., -1.], 2))", torch=False)
add("data", TypeError, "generator", "int", f"data.DataLoader({_DS}, shuffle=True, generator=1)", torch=False)

# --- state_dict -------------------------------------------------------------------------------
add("state_dict", RuntimeError, "load_state_dict", "bias", "nn.Linear(2, 2).load_state_dict({'weight': T.ones(2, 2)})")
add("state_dict", RuntimeError, "load_state_dict", "extra",
    "m = nn.Linear(2, 2); s = m.state_dict(); s['extra'] = T.ones(1); m.load_state_dict(s)")
add("state_dict", RuntimeError, "load_state_dict", "(3, 2)",
    "m = nn.Linear(2, 2); s = m.state_dict(); s['weight'] = T.ones(3, 2); m.load_state_dict(s)")
add("state_dict", TypeError, "state_dict", "NoneType", "nn.Linear(2, 2).load_state_dict(None)")
add("state_dict", TypeError, "parameter", "Tensor", "m = nn.Linear(2, 2); m.weight = T.ones(2, 2)")
add("state_dict", TypeError, "register_parameter", "int", "nn.Linear(2, 2).register_parameter('p', 1)")
add("state_dict", KeyError, "parameter", ".", "nn.Linear(2, 2).register_parameter('a.b', None)")
add("state_dict", KeyError, "buffer", ".", "nn.Linear(2, 2).register_buffer('a.b', None)")
add("state_dict", KeyError, "empty", "\"\"", "nn.Linear(2, 2).register_buffer('', None)")
add("state_dict", AttributeError, "Linear", "nope", "nn.Linear(2, 2).get_parameter('nope')")
add("state_dict", RuntimeError, "load_state_dict", "weight", "nn.Linear(2, 2).load_state_dict({})")
add("state_dict", KeyError, "param_groups", "param_groups", "opt().load_state_dict({'state': {}})")

# --- checkpoints and file readers (minitorch only: torch reads pickles) ------------------------
for _kind in ("text", "random", "pickle", "pickle0", "truncated", "foreign", "empty", "npy", "badjson"):
    add("checkpoints", ValueError, "load", _kind, f"mt.load(files['{_kind}'])", torch=False)
add("checkpoints", ValueError, "load", "bomb", "mt.load(files['bomb'])", torch=False)
add("checkpoints", TypeError, "save", "function", "mt.save(lambda: 1, files['out'])", torch=False)
add("checkpoints", RuntimeError, "load", "tpu", "mt.save(T.ones(2), files['out']); mt.load(files['out'], "
    "map_location='tpu')", torch=False)
add("checkpoints", FileNotFoundError, "load", "missing", "mt.load(files['missing'])", torch=False)
for _kind in ("idx_magic", "idx_truncated", "idx_overflow", "idx_gzbomb", "idx_notgz", "idx_empty", "idx_long"):
    add("file readers", ValueError, "load_mnist_idx", _kind.split("_")[1],
        f"mt.data.mnist.read_idx(files['{_kind}'], 2051)", torch=False)
add("file readers", FileNotFoundError, "load_mnist_idx", "nowhere",
    "mt.data.mnist.load_mnist_idx(files['missing'] + '/nowhere')", torch=False)
add("file readers", ValueError, "load_mnist_idx", "'bad'", "mt.data.mnist.load_mnist_idx(files['dir'], 'bad')",
    torch=False)

# --- round 2 (issue 13): areas the first battery covered thinly --------------------------------
# optimisers: parameter groups and hyper-parameters
add("optimisers", ValueError, "SGD", "twice", "p = params(); optim.SGD([{'params': p}, {'params': p}], lr=0.1)",
    "o = opt(); o.add_param_group({'params': o.param_groups[0]['params']})")
add("optimisers", ValueError, "lr", "-1", "optim.RMSprop(params(), lr=-1)")
add("optimisers", ValueError, "initial_accumulator_value", "-1", "optim.Adagrad(params(), initial_accumulator_value=-1)")
add("optimisers", ValueError, "eps", "-1", "optim.AdamW(params(), eps=-1)")
add("optimisers", ValueError, "nesterov", "dampening",
    "optim.SGD(params(), lr=0.1, momentum=0.9, dampening=0.5, nesterov=True)")
add("optimisers", TypeError, "momentum", "'a'", "optim.SGD(params(), lr=0.1, momentum='a')")
add("optimisers", TypeError, "betas", "(0.9,)", "optim.Adam(params(), betas=(0.9,))", torch=False)  # torch: IndexError
add("optimisers", ValueError, "clip_grad_norm_", "'a'", "nn.utils.clip_grad_norm_(params(), max_norm='a')")

# schedulers
add("schedulers", TypeError, "LambdaLR", "3", "sched.LambdaLR(opt(), lr_lambda=3)")
add("schedulers", ValueError, "epochs", "0", "sched.OneCycleLR(opt(), max_lr=0.1, epochs=0, steps_per_epoch=10)")
add("schedulers", ValueError, "steps_per_epoch", "0", "sched.OneCycleLR(opt(), max_lr=0.1, epochs=10, steps_per_epoch=0)")
add("schedulers", ValueError, "max_lr", "3", "sched.OneCycleLR(opt(), max_lr=[0.1, 0.2, 0.3], total_steps=10)")
add("schedulers", ValueError, "base_lr", "2", "sched.CyclicLR(opt(), base_lr=[0.1, 0.2], max_lr=0.2)")
add("schedulers", ValueError, "min_lr", "2", "sched.ReduceLROnPlateau(opt(), min_lr=[0.1, 0.2])")
add("schedulers", ValueError, "SequentialLR", "schedulers[0]",
    "sched.SequentialLR(opt(), [sched.StepLR(opt(), 1)], milestones=[1])")
add("schedulers", ValueError, "ChainedScheduler", "none", "sched.ChainedScheduler([])")

# data loading
add("data", ValueError, "batch_size", "'2'", f"data.DataLoader({_DS}, batch_size='2')")
add("data", ValueError, "drop_last", "batch_size=None", f"data.DataLoader({_DS}, batch_size=None, drop_last=True)")
add("data", ValueError, "batch_sampler", "shuffle", f"data.DataLoader({_DS}, shuffle=True, batch_sampler=[[0]])")
add("data", ValueError, "persistent_workers", "num_workers", f"data.DataLoader({_DS}, persistent_workers=True)")
add("data", TypeError, "collate_fn", "3", f"list(data.DataLoader({_DS}, collate_fn=3))")
add("data", ValueError, "random_split", "0.6", f"data.random_split({_DS}, [0.5, 0.6])")
add("data", ValueError, "drop_last", "'no'", "data.BatchSampler(range(3), 2, 'no')")
add("data", TypeError, "replacement", "'no'", "data.RandomSampler(range(3), replacement='no')")
add("data", ValueError, "ConcatDataset", "empty", "data.ConcatDataset([])", torch=False)  # torch: AssertionError

# layers: constructor arguments and call shapes
add("layers", ValueError, "groups", "0", "nn.Conv2d(3, 4, 3, groups=0)")
add("layers", ValueError, "Conv1d", "'bad'", "nn.Conv1d(3, 4, 3, padding='bad')")
add("layers", RuntimeError, "max_pool2d", "padding 2", "nn.MaxPool2d(2, padding=2)(T.ones(1, 1, 4, 4))")
add("layers", RuntimeError, "avg_pool2d", "padding 2", "F.avg_pool2d(T.ones(1, 1, 4, 4), 2, padding=2)")
add("layers", RuntimeError, "avg_pool2d", "0", "nn.AvgPool2d(2, stride=0)(T.ones(1, 1, 4, 4))")
add("layers", RuntimeError, "BatchNorm2d", "(2, 4, 5, 5)", "nn.BatchNorm2d(3)(T.ones(2, 4, 5, 5))")
add("layers", RuntimeError, "layer_norm", "(2, 4)", "nn.LayerNorm([2, 3])(T.ones(2, 4))")
add("layers", ValueError, "GroupNorm", "num_groups (3)", "nn.GroupNorm(3, 4)")
add("layers", RuntimeError, "group_norm", "(6,)", "nn.GroupNorm(2, 4)(T.ones(2, 6))")
add("layers", ValueError, "num_layers", "0", "nn.RNN(3, 4, num_layers=0)")
add("layers", ValueError, "hidden_size", "0", "nn.LSTM(3, 0)")
add("layers", ValueError, "dropout", "1.5", "nn.GRU(3, 4, dropout=1.5)")
add("layers", ValueError, "nonlinearity", "'bad'", "nn.RNN(3, 4, nonlinearity='bad')")
add("layers", ValueError, "proj_size", "5", "nn.LSTM(3, 4, proj_size=5)")
add("layers", RuntimeError, "LSTM", "(1, 1, 5)", "nn.LSTM(3, 4)(T.ones(2, 1, 3), (T.ones(1, 1, 5), T.ones(1, 1, 4)))")
add("layers", RuntimeError, "GRU", "(2, 1, 4)", "nn.GRU(3, 4)(T.ones(2, 1, 3), T.ones(2, 1, 4))")
add("layers", ValueError, "num_heads", "0", "nn.MultiheadAttention(4, 0)")
add("layers", ValueError, "MultiheadAttention", "(3, 2, 5)",
    "nn.MultiheadAttention(4, 2)(T.ones(3, 2, 5), T.ones(3, 2, 5), T.ones(3, 2, 5))", torch=False)  # torch: assert
add("layers", IndexError, "flatten", "5", "nn.Flatten(0, 5)(T.ones(2, 3))")
add("layers", RuntimeError, "unflatten", "(2, 2)", "nn.Unflatten(1, (2, 2))(T.ones(2, 3))")
add("layers", RuntimeError, "interpolate", "-4", "nn.Upsample(scale_factor=-1)(T.ones(1, 1, 4))")
add("layers", IndexError, "softmax", "5", "nn.Softmax(dim=5)(T.ones(2, 3))")
add("layers", RuntimeError, "bilinear", "(1, 4)", "nn.Bilinear(2, 3, 4)(T.ones(1, 2), T.ones(1, 4))")
add("layers", IndexError, "Sequential", "5", "nn.Sequential(nn.Linear(2, 2))[5]")
add("layers", IndexError, "ModuleList", "3", "nn.ModuleList([nn.Linear(2, 2)])[3]")
add("layers", TypeError, "Sequential", "str", "nn.Sequential(nn.Linear(2, 2), 'relu')")
add("layers", TypeError, "ModuleDict", "int", "nn.ModuleDict({'a': 1})")
add("layers", ValueError, "train", "'yes'", "nn.Linear(2, 2).train('yes')")
add("layers", TypeError, "requires_grad_", "'yes'", "nn.Linear(2, 2).requires_grad_('yes')")
add("state_dict", KeyError, "register_buffer", "weight", "nn.Linear(2, 2).register_buffer('weight', T.ones(1))")
add("state_dict", KeyError, "add_module", "weight", "nn.Linear(2, 2).add_module('weight', nn.Linear(1, 1))")

# nn.functional keyword values
add("functional", IndexError, "log_softmax", "5", "F.log_softmax(x, dim=5)")
add("functional", TypeError, "leaky_relu", "'a'", "F.leaky_relu(x, negative_slope='a')")
add("functional", TypeError, "elu", "'a'", "F.elu(x, alpha='a')")
add("functional", ValueError, "hardtanh", "1.0", "F.hardtanh(x, min_val=1., max_val=0.)")
add("functional", IndexError, "normalize", "5", "F.normalize(x, p=2, dim=5)")
add("functional", IndexError, "cosine_similarity", "5", "F.cosine_similarity(x, x, dim=5)")
add("functional", TypeError, "dropout", "'yes'", "F.dropout(x, p=0.5, training='yes')")
add("functional", ValueError, "interpolate", "scale_factor", "F.interpolate(T.ones(1, 1, 4), size=4, scale_factor=2)")
add("functional", NotImplementedError, "interpolate", "bilinear", "F.interpolate(T.ones(1, 1, 4), mode='bilinear', size=8)")
add("functional", NotImplementedError, "pad", "'bad'", "F.pad(x, (1, 1), mode='bad')")
add("functional", RuntimeError, "one_hot", "-2", "F.one_hot(T.tensor([1]), -2)")
add("functional", TypeError, "cross_entropy", "'a'", "F.cross_entropy(x, T.tensor([0, 1]), ignore_index='a')")
add("functional", ValueError, "nll_loss", "'sum2'", "F.nll_loss(x, T.tensor([0, 1]), reduction='sum2')")
add("functional", ValueError, "mse_loss", "None", "F.mse_loss(x, x, reduction=None)")
add("functional", RuntimeError, "embedding", "(3,)", "F.embedding(T.tensor([1]), T.ones(3))")
add("functional", RuntimeError, "grid_sample", "(1, 2, 2, 3)", "F.grid_sample(T.ones(1, 1, 4, 4), T.ones(1, 2, 2, 3))")
add("functional", RuntimeError, "unfold", "5", "F.unfold(T.ones(1, 1, 4, 4), kernel_size=5)")
add("functional", RuntimeError, "triplet_margin_loss", "(3, 3)", "F.triplet_margin_loss(x, x, T.ones(3, 3))")
add("functional", RuntimeError, "margin_ranking_loss", "(3,)", "F.margin_ranking_loss(T.ones(2), T.ones(2), T.ones(3))")

# Tensor methods with dim and size arguments
for _call in ("cumprod(dim=-3)", "topk(2, dim=2)", "sort(dim=2)", "argsort(dim=-3)", "unbind(2)", "chunk(2, dim=2)",
              "split(1, dim=2)", "narrow(2, 0, 1)", "index_select(2, T.tensor([0]))", "gather(2, T.tensor([[0]]))",
              "diagonal(dim1=0, dim2=2)", "roll(1, dims=2)", "mode(dim=2)", "cummax(2)", "count_nonzero(dim=2)"):
    add("shape", IndexError, _call.split("(")[0], "-3" if "-3" in _call else "2", f"x.{_call}")
add("reductions", IndexError, "sum", "5", "x.sum(dim=[0, 5])")
add("reductions", RuntimeError, "mean", "(0, 0)", "x.mean(dim=(0, 0))")
add("reductions", RuntimeError, "kthvalue", "0", "x.kthvalue(0)")
add("reductions", TypeError, "std", "'a'", "x.std(correction='a')")
add("shape", RuntimeError, "unfold", "4", "x.unfold(1, 4, 1)")
add("shape", RuntimeError, "unfold", "0", "x.unfold(1, 2, 0)")
add("shape", RuntimeError, "repeat", "(-1, 1)", "x.repeat(-1, 1)")
add("shape", RuntimeError, "tile", "-1", "x.tile((-1,))")
add("shape", RuntimeError, "view", "(3, 3)", "x.view(3, 3)")
add("shape", RuntimeError, "reshape", "(2, -1, -1)", "x.reshape(2, -1, -1)")
add("shape", RuntimeError, "expand", "(-2, 3)", "x.expand(-2, 3)")
add("shape", TypeError, "tril", "0.5", "x.tril(diagonal=0.5)")

# in-place ops that would change the dtype
for _code, _op, _dtype in (("T.tensor([1, 2]).add_(T.ones(2))", "add_", "int64"),
                           ("T.tensor([1, 2]).mul_(T.tensor([0.5, 0.5]))", "mul_", "int64"),
                           ("T.tensor([True]).add_(1)", "add_", "bool"), ("T.tensor([1, 2]).sqrt_()", "sqrt_", "int64"),
                           ("T.tensor([1, 2]).exp_()", "exp_", "int64"),
                           ("T.tensor([1, 2]).div_(T.tensor([2, 2]))", "div_", "int64"),
                           ("T.tensor([1, 2], dtype=T.uint8).sub_(1.5)", "sub_", "uint8"),
                           ("T.tensor([True]).mul_(2)", "mul_", "bool"), ("T.tensor([1, 2]).clamp_(0.5)", "clamp_", "int64"),
                           ("T.tensor([1, 2]).pow_(0.5)", "pow_", "int64"),
                           ("T.tensor([1, 2]).floor_divide_(0.5)", "floor_divide_", "int64")):
    add("arithmetic", RuntimeError, _op, _dtype, _code)

# autograd misuse
_A = "a = T.ones(2, requires_grad=True); "
add("autograd", RuntimeError, "backward", "second time", _A + "b = (a * 2).sum(); b.backward(); b.backward()")
add("autograd", RuntimeError, "autograd", "(2,)", _A + "T.autograd.grad(a * 2, a)")
add("autograd", RuntimeError, "grad", "does not require", _A + "T.autograd.grad((a * 2).sum(), T.ones(2))")
add("autograd", RuntimeError, "autograd", "(3,)", _A + "T.autograd.grad((a * 2).sum(), a, grad_outputs=T.ones(3))")
add("autograd", RuntimeError, "allow_unused", "index 1",
    _A + "b = T.ones(2, requires_grad=True); T.autograd.grad((a * 2).sum(), [a, b])")
add("autograd", RuntimeError, "grad", "(3,)", _A + "y = a * 2; y.retain_grad(); y.grad = T.ones(3)")
add("autograd", RuntimeError, "backward", "(2,)", _A + "a.backward()")
add("autograd", RuntimeError, "backward", "inputs", _A + "(a * 2).sum().backward(inputs=[T.ones(2)])")
add("autograd", RuntimeError, "autograd", "(2,)", _A + "T.autograd.backward([(a * 2).sum()], grad_tensors=[T.ones(2)])")
add("autograd", RuntimeError, "register_hook", "require", "T.ones(2).register_hook(lambda g: g)")
add("autograd", RuntimeError, "numpy", "detach", "T.ones(2, requires_grad=True).numpy()")
add("autograd", RuntimeError, "requires_grad", "int64", "T.zeros(2, dtype=T.int64, requires_grad=True)")

# creation and initialisers
add("creation", RuntimeError, "arange", "step", "T.arange(0, 3, 0.0)")
add("creation", RuntimeError, "randint", "-1", "T.randint(0, 5, (-1,))")
add("creation", RuntimeError, "randperm", "-1", "T.randperm(-1)")
add("creation", TypeError, "empty", "'float'", "T.empty((2, 3), dtype='float')")
add("init", ValueError, "kaiming", "'bad'", "nn.init.kaiming_normal_(T.ones(2, 2), mode='bad')")
add("init", ValueError, "fan in", "(2,)", "nn.init.xavier_uniform_(T.ones(2))")
add("init", ValueError, "orthogonal_", "(2,)", "nn.init.orthogonal_(T.ones(2))")
add("init", ValueError, "calculate_gain", "'bad'", "nn.init.calculate_gain('bad')")
add("init", RuntimeError, "normal_", "-1", "nn.init.normal_(T.ones(2), std=-1)")
add("init", TypeError, "constant_", "'a'", "nn.init.constant_(T.ones(2), 'a')")

# issue 13's remainder: unknown devices, PyTorch's classes, tensor-only operands, the ops added
add("devices", RuntimeError, "to", "'tpu'", "T.ones(2).to('tpu')", "T.ones(2).to(device='tpu')",
    "nn.Linear(2, 2).to('tpu')")
add("shape", IndexError, "narrow", "-5", "T.ones(2, 3).narrow(1, -5, 1)")
add("state_dict", RuntimeError, "load_state_dict", "'bias'",
    "nn.Linear(2, 2).load_state_dict({'weight': T.ones(2, 2), 'bias': [1.0, 2.0]})")
add("layers", RuntimeError, "Embedding", "-1", "nn.Embedding(-1, 2)", "nn.Embedding(2, -1)")
for _op in ("maximum", "minimum", "fmax", "fmin", "atan2", "hypot", "logaddexp", "logaddexp2", "ldexp", "nextafter"):
    add("arithmetic", TypeError, _op, "2", f"T.{_op}(T.ones(2), 2)")
add("arithmetic", TypeError, "gcd", "2", "T.gcd(T.tensor([4]), 2)")
add("indexing", IndexError, "index_put", "5", "T.zeros(3).index_put((T.tensor([5]),), T.tensor(1.0))")
add("indexing", TypeError, "index_put", "Tensor", "T.zeros(3).index_put(T.tensor([0]), T.tensor(1.0))")
add("reductions", RuntimeError, "renorm", "-1", "T.ones(2, 2).renorm(2, 0, -1.0)")
add("reductions", RuntimeError, "renorm", "1", "T.ones(3).renorm(2, 0, 1.0)")
