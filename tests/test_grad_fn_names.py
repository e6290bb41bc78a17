"""grad_fn as PyTorch shows it: each op's node has PyTorch's name (``type(out.grad_fn).__name__`` and
``out.grad_fn.name()``: ``MulBackward0``, ``SumBackward1``, ``MseLossBackward0``...), and its
``next_functions`` list what PyTorch's do (one entry per tensor input, ``AccumulateGrad`` for a leaf,
None where no gradient flows; numbers, shapes and indices not listed). Composed ops (losses,
activations, conv) show one node whose backward is their composition's graph
(``minitorch/autograd/composite.py``). The table runs each call under minitorch and under PyTorch."""
import numpy as np
import pytest

import minitorch
from minitorch.autograd.composite import composite
from minitorch.testing import gradcheck

#: (label, call(lib, *inputs), input shapes): one op each, on float64 inputs that require grad.
TABLE = [
    # arithmetic
    ("add", lambda m, x, y: x + y, [(3, 4), (3, 4)]),
    ("add_scalar", lambda m, x: x + 2, [(3, 4)]),
    ("radd", lambda m, x: 2 + x, [(3, 4)]),
    ("add_alpha", lambda m, x, y: m.add(x, y, alpha=2), [(3, 4), (4,)]),
    ("sub", lambda m, x, y: x - y, [(3, 4), (3, 4)]),
    ("sub_scalar", lambda m, x: x - 2, [(3, 4)]),
    ("rsub", lambda m, x: 2 - x, [(3, 4)]),
    ("rsub_fn", lambda m, x, y: m.rsub(x, y), [(3, 4), (3, 4)]),
    ("mul", lambda m, x, y: x * y, [(3, 4), (3, 4)]),
    ("mul_scalar", lambda m, x: x * 2, [(3, 4)]),
    ("div", lambda m, x, y: x / y, [(3, 4), (3, 4)]),
    ("div_scalar", lambda m, x: x / 2, [(3, 4)]),
    ("rdiv", lambda m, x: 2 / x, [(3, 4)]),
    ("pow_scalar", lambda m, x: x ** 2.5, [(3, 4)]),
    ("pow_int", lambda m, x: x ** 2, [(3, 4)]),
    ("pow_tensor", lambda m, x, y: x ** y, [(3, 4), (3, 4)]),
    ("rpow", lambda m, x: 2 ** x, [(3, 4)]),
    ("neg", lambda m, x: -x, [(3, 4)]),
    ("matmul", lambda m, x, y: x @ y, [(3, 4), (4, 2)]),
    ("matmul_vec", lambda m, x, y: x @ y, [(3, 4), (4,)]),
    ("matmul_batched", lambda m, x, y: x @ y, [(2, 3, 4), (2, 4, 2)]),
    ("mm", lambda m, x, y: m.mm(x, y), [(3, 4), (4, 2)]),
    ("bmm", lambda m, x, y: m.bmm(x, y), [(2, 3, 4), (2, 4, 2)]),
    ("mv", lambda m, x, y: m.mv(x, y), [(3, 4), (4,)]),
    ("dot", lambda m, x, y: m.dot(x, y), [(4,), (4,)]),
    ("outer", lambda m, x, y: m.outer(x, y), [(4,), (3,)]),
    ("addmm", lambda m, b, x, y: m.addmm(b, x, y), [(2,), (3, 4), (4, 2)]),
    ("einsum", lambda m, x, y: m.einsum("ij,jk->ik", x, y), [(3, 4), (4, 2)]),
    ("addcmul", lambda m, x, y, z: m.addcmul(x, y, z, value=2), [(3,), (3,), (3,)]),
    ("addcdiv", lambda m, x, y, z: m.addcdiv(x, y, z), [(3,), (3,), (3,)]),
    ("lerp", lambda m, x, y: m.lerp(x, y, 0.3), [(3,), (3,)]),
    ("lerp_tensor", lambda m, x, y, w: m.lerp(x, y, w), [(3,), (3,), (3,)]),
    ("maximum", lambda m, x, y: m.maximum(x, y), [(3,), (3,)]),
    ("minimum", lambda m, x, y: m.minimum(x, y), [(3,), (3,)]),
    ("fmax", lambda m, x, y: m.fmax(x, y), [(3,), (3,)]),
    ("atan2", lambda m, x, y: m.atan2(x, y), [(3,), (3,)]),
    ("hypot", lambda m, x, y: m.hypot(x, y), [(3,), (3,)]),
    ("logaddexp", lambda m, x, y: m.logaddexp(x, y), [(3,), (3,)]),
    ("xlogy", lambda m, x, y: m.xlogy(x, y), [(3,), (3,)]),
    ("copysign", lambda m, x, y: m.copysign(x, y), [(3,), (3,)]),
    ("float_power", lambda m, x: m.float_power(x, 2), [(3,)]),
    ("fmod", lambda m, x: m.fmod(x, 0.3), [(3,)]),
    ("remainder", lambda m, x: m.remainder(x, 0.3), [(3,)]),
    ("square", lambda m, x: x.square(), [(3,)]),
    ("sqrt", lambda m, x: x.sqrt(), [(3,)]),
    ("rsqrt", lambda m, x: x.rsqrt(), [(3,)]),
    ("reciprocal", lambda m, x: x.reciprocal(), [(3,)]),
    ("exp", lambda m, x: x.exp(), [(3,)]),
    ("exp2", lambda m, x: x.exp2(), [(3,)]),
    ("expm1", lambda m, x: x.expm1(), [(3,)]),
    ("log", lambda m, x: x.log(), [(3,)]),
    ("log2", lambda m, x: x.log2(), [(3,)]),
    ("log10", lambda m, x: x.log10(), [(3,)]),
    ("log1p", lambda m, x: x.log1p(), [(3,)]),
    ("sin", lambda m, x: x.sin(), [(3,)]),
    ("cos", lambda m, x: x.cos(), [(3,)]),
    ("tan", lambda m, x: x.tan(), [(3,)]),
    ("asin", lambda m, x: x.asin(), [(3,)]),
    ("arcsin", lambda m, x: m.arcsin(x), [(3,)]),
    ("acos", lambda m, x: x.acos(), [(3,)]),
    ("atan", lambda m, x: x.atan(), [(3,)]),
    ("sinh", lambda m, x: x.sinh(), [(3,)]),
    ("cosh", lambda m, x: x.cosh(), [(3,)]),
    ("asinh", lambda m, x: x.asinh(), [(3,)]),
    ("acosh", lambda m, x: (x + 1).acosh(), [(3,)]),
    ("atanh", lambda m, x: x.atanh(), [(3,)]),
    ("sinc", lambda m, x: x.sinc(), [(3,)]),
    ("deg2rad", lambda m, x: x.deg2rad(), [(3,)]),
    ("erf", lambda m, x: x.erf(), [(3,)]),
    ("erfc", lambda m, x: x.erfc(), [(3,)]),
    ("erfinv", lambda m, x: x.erfinv(), [(3,)]),
    ("abs", lambda m, x: x.abs(), [(3,)]),
    ("sign", lambda m, x: x.sign(), [(3,)]),
    ("sgn", lambda m, x: x.sgn(), [(3,)]),
    ("floor", lambda m, x: x.floor(), [(3,)]),
    ("ceil", lambda m, x: x.ceil(), [(3,)]),
    ("round", lambda m, x: x.round(), [(3,)]),
    ("trunc", lambda m, x: x.trunc(), [(3,)]),
    ("frac", lambda m, x: x.frac(), [(3,)]),
    ("nan_to_num", lambda m, x: x.nan_to_num(), [(3,)]),
    ("tanh", lambda m, x: x.tanh(), [(3,)]),
    ("sigmoid", lambda m, x: x.sigmoid(), [(3,)]),
    ("relu", lambda m, x: x.relu(), [(3,)]),
    ("clamp", lambda m, x: x.clamp(0.2, 0.5), [(3,)]),
    ("clamp_min", lambda m, x: x.clamp(min=0.2), [(3,)]),
    ("clamp_max", lambda m, x: x.clamp(max=0.5), [(3,)]),
    ("clamp_tensor", lambda m, x, lo: x.clamp(min=lo), [(3,), (3,)]),
    # reductions
    ("sum", lambda m, x: x.sum(), [(3, 4)]),
    ("sum_dim", lambda m, x: x.sum(1), [(3, 4)]),
    ("mean", lambda m, x: x.mean(), [(3, 4)]),
    ("mean_dim", lambda m, x: x.mean(0, keepdim=True), [(3, 4)]),
    ("nansum", lambda m, x: x.nansum(), [(3, 4)]),
    ("var", lambda m, x: x.var(), [(3, 4)]),
    ("var_dim", lambda m, x: x.var(1), [(3, 4)]),
    ("std", lambda m, x: x.std(), [(3, 4)]),
    ("std_dim", lambda m, x: x.std(1), [(3, 4)]),
    ("max", lambda m, x: x.max(), [(3, 4)]),
    ("max_dim", lambda m, x: x.max(1)[0], [(3, 4)]),
    ("min", lambda m, x: x.min(), [(3, 4)]),
    ("amax", lambda m, x: x.amax(1), [(3, 4)]),
    ("amin", lambda m, x: x.amin(1), [(3, 4)]),
    ("logsumexp", lambda m, x: x.logsumexp(1), [(3, 4)]),
    ("prod", lambda m, x: x.prod(), [(3, 4)]),
    ("prod_dim", lambda m, x: x.prod(1), [(3, 4)]),
    ("norm", lambda m, x: x.norm(), [(3, 4)]),
    ("norm_dim", lambda m, x: x.norm(dim=1), [(3, 4)]),
    ("dist", lambda m, x, y: m.dist(x, y), [(3,), (3,)]),
    ("cumsum", lambda m, x: x.cumsum(1), [(3, 4)]),
    ("cumprod", lambda m, x: x.cumprod(1), [(3, 4)]),
    ("logcumsumexp", lambda m, x: x.logcumsumexp(1), [(3, 4)]),
    ("cummax", lambda m, x: x.cummax(1)[0], [(3, 4)]),
    ("sort", lambda m, x: x.sort(1)[0], [(3, 4)]),
    ("topk", lambda m, x: x.topk(2)[0], [(3, 4)]),
    ("kthvalue", lambda m, x: x.kthvalue(2)[0], [(3, 4)]),
    ("median", lambda m, x: x.median(), [(3, 4)]),
    ("median_dim", lambda m, x: x.median(1)[0], [(3, 4)]),
    ("quantile", lambda m, x: x.quantile(0.3), [(3, 4)]),
    ("diff", lambda m, x: x.diff(), [(3, 4)]),
    ("trace", lambda m, x: x.trace(), [(3, 4)]),
    # shapes
    ("reshape", lambda m, x: x.reshape(4, 3), [(3, 4)]),
    ("view", lambda m, x: x.view(4, 3), [(3, 4)]),
    ("view_as", lambda m, x, y: x.view_as(y), [(3, 4), (4, 3)]),
    ("flatten", lambda m, x: x.flatten(), [(3, 4)]),
    ("unflatten", lambda m, x: x.unflatten(1, (2, 2)), [(3, 4)]),
    ("transpose", lambda m, x: x.transpose(0, 1), [(3, 4)]),
    ("t", lambda m, x: x.t(), [(3, 4)]),
    ("T", lambda m, x: x.T, [(3, 4)]),
    ("mT", lambda m, x: x.mT, [(3, 4)]),
    ("permute", lambda m, x: x.permute(1, 0), [(3, 4)]),
    ("movedim", lambda m, x: x.movedim(0, 1), [(3, 4)]),
    ("unsqueeze", lambda m, x: x.unsqueeze(0), [(3, 4)]),
    ("squeeze", lambda m, x: x.unsqueeze(0).squeeze(0), [(3, 4)]),
    ("squeeze_all", lambda m, x: x.squeeze(), [(3, 1)]),
    ("expand", lambda m, x: x.expand(2, 3, 4), [(3, 4)]),
    ("expand_as", lambda m, x, y: x.expand_as(y), [(4,), (3, 4)]),
    ("broadcast_to", lambda m, x: x.broadcast_to((2, 3, 4)), [(3, 4)]),
    ("getitem_int", lambda m, x: x[0], [(3, 4)]),
    ("getitem_slice", lambda m, x: x[1:], [(3, 4)]),
    ("getitem_index", lambda m, x: x[m.tensor([0, 2])], [(3, 4)]),
    ("getitem_mask", lambda m, x: x[x > 0], [(3, 4)]),
    ("select", lambda m, x: x.select(1, 0), [(3, 4)]),
    ("narrow", lambda m, x: x.narrow(1, 1, 2), [(3, 4)]),
    ("split", lambda m, x: x.split(2, 1)[1], [(3, 4)]),
    ("chunk", lambda m, x: x.chunk(2)[0], [(4, 4)]),
    ("unbind", lambda m, x: x.unbind()[1], [(3, 4)]),
    ("split_pieces", lambda m, x: m.add(*x.split(2)), [(4, 3)]),
    ("unbind_pieces", lambda m, x: m.add(*x.unbind()[1:]), [(3, 4)]),
    ("tensor_split", lambda m, x: x.tensor_split(2)[1], [(3, 4)]),
    ("cat", lambda m, x, y: m.cat([x, y]), [(3, 4), (2, 4)]),
    ("stack", lambda m, x, y: m.stack([x, y]), [(3, 4), (3, 4)]),
    ("hstack", lambda m, x, y: m.hstack([x, y]), [(3, 4), (3, 4)]),
    ("where", lambda m, x, y: m.where(x > 0, x, y), [(3, 4), (3, 4)]),
    ("where_scalar", lambda m, x: m.where(x > 0, x, 0.0), [(3, 4)]),
    ("masked_fill", lambda m, x: x.masked_fill(x > 0, 0.0), [(3, 4)]),
    ("repeat", lambda m, x: x.repeat(2, 1), [(3, 4)]),
    ("tile", lambda m, x: x.tile(2), [(3, 4)]),
    ("repeat_interleave", lambda m, x: x.repeat_interleave(2), [(3, 4)]),
    ("roll", lambda m, x: x.roll(1, 0), [(3, 4)]),
    ("flip", lambda m, x: x.flip(0), [(3, 4)]),
    ("rot90", lambda m, x: x.rot90(), [(3, 4)]),
    ("tril", lambda m, x: x.tril(), [(3, 4)]),
    ("triu", lambda m, x: x.triu(), [(3, 4)]),
    ("diagonal", lambda m, x: x.diagonal(), [(3, 4)]),
    ("diag", lambda m, x: x.diag(), [(3, 4)]),
    ("diag_embed", lambda m, x: m.diag_embed(x), [(3, 4)]),
    ("gather", lambda m, x: x.gather(1, m.tensor([[0], [1], [2]])), [(3, 4)]),
    ("take_along_dim", lambda m, x: m.take_along_dim(x, m.tensor([[0], [1], [2]]), 1), [(3, 4)]),
    ("index_select", lambda m, x: x.index_select(0, m.tensor([0, 2])), [(3, 4)]),
    ("masked_select", lambda m, x: x.masked_select(x > 0), [(3, 4)]),
    ("scatter", lambda m, x, s: x.scatter(1, m.tensor([[0], [1], [2]]), s), [(3, 4), (3, 1)]),
    ("scatter_add", lambda m, x, s: x.scatter_add(1, m.tensor([[0], [1], [2]]), s), [(3, 4), (3, 1)]),
    ("index_add", lambda m, x, s: x.index_add(0, m.tensor([0, 2]), s), [(3, 4), (2, 4)]),
    ("clone", lambda m, x: x.clone(), [(3, 4)]),
    ("to_float32", lambda m, x: x.float(), [(3, 4)]),
    ("contiguous", lambda m, x: x.t().contiguous(), [(3, 4)]),
    ("kron", lambda m, x, y: m.kron(x, y), [(2, 2), (2, 2)]),
    ("cross", lambda m, x, y: m.cross(x, y, dim=0), [(3,), (3,)]),
    ("det", lambda m, x: m.det(x), [(3, 3)]),
    ("inverse", lambda m, x: m.inverse(x), [(3, 3)]),
    ("cdist", lambda m, x, y: m.cdist(x, y), [(3, 4), (2, 4)]),
    # nn.functional
    ("softmax", lambda m, x: m.softmax(x, 1), [(3, 4)]),
    ("log_softmax", lambda m, x: x.log_softmax(1), [(3, 4)]),
    ("F.softmin", lambda m, x: m.nn.functional.softmin(x, 1), [(3, 4)]),
    ("F.linear", lambda m, x, w, b: m.nn.functional.linear(x, w, b), [(3, 4), (2, 4), (2,)]),
    ("F.linear_nobias", lambda m, x, w: m.nn.functional.linear(x, w), [(3, 4), (2, 4)]),
    ("F.bilinear", lambda m, x, y, w: m.nn.functional.bilinear(x, y, w), [(3, 2), (3, 2), (2, 2, 2)]),
    ("F.relu", lambda m, x: m.nn.functional.relu(x), [(3, 4)]),
    ("F.relu6", lambda m, x: m.nn.functional.relu6(x), [(3, 4)]),
    ("F.gelu", lambda m, x: m.nn.functional.gelu(x), [(3, 4)]),
    ("F.gelu_tanh", lambda m, x: m.nn.functional.gelu(x, approximate="tanh"), [(3, 4)]),
    ("F.silu", lambda m, x: m.nn.functional.silu(x), [(3, 4)]),
    ("F.mish", lambda m, x: m.nn.functional.mish(x), [(3, 4)]),
    ("F.elu", lambda m, x: m.nn.functional.elu(x), [(3, 4)]),
    ("F.selu", lambda m, x: m.nn.functional.selu(x), [(3, 4)]),
    ("F.celu", lambda m, x: m.nn.functional.celu(x), [(3, 4)]),
    ("F.leaky_relu", lambda m, x: m.nn.functional.leaky_relu(x, 0.1), [(3, 4)]),
    ("F.prelu", lambda m, x, w: m.nn.functional.prelu(x, w), [(3, 4), (1,)]),
    ("F.softplus", lambda m, x: m.nn.functional.softplus(x), [(3, 4)]),
    ("F.softsign", lambda m, x: m.nn.functional.softsign(x), [(3, 4)]),
    ("F.hardtanh", lambda m, x: m.nn.functional.hardtanh(x), [(3, 4)]),
    ("F.hardsigmoid", lambda m, x: m.nn.functional.hardsigmoid(x), [(3, 4)]),
    ("F.hardswish", lambda m, x: m.nn.functional.hardswish(x), [(3, 4)]),
    ("F.hardshrink", lambda m, x: m.nn.functional.hardshrink(x, 0.3), [(3, 4)]),
    ("F.softshrink", lambda m, x: m.nn.functional.softshrink(x, 0.3), [(3, 4)]),
    ("F.tanhshrink", lambda m, x: m.nn.functional.tanhshrink(x), [(3, 4)]),
    ("F.threshold", lambda m, x: m.nn.functional.threshold(x, 0.3, 0.0), [(3, 4)]),
    ("F.logsigmoid", lambda m, x: m.nn.functional.logsigmoid(x), [(3, 4)]),
    ("F.glu", lambda m, x: m.nn.functional.glu(x), [(3, 4)]),
    ("F.sigmoid", lambda m, x: m.nn.functional.sigmoid(x), [(3, 4)]),
    ("F.tanh", lambda m, x: m.nn.functional.tanh(x), [(3, 4)]),
    ("F.normalize", lambda m, x: m.nn.functional.normalize(x), [(3, 4)]),
    ("F.dropout_eval", lambda m, x: m.nn.functional.dropout(x, training=False) * 1, [(3, 4)]),
    ("F.layer_norm", lambda m, x, w, b: m.nn.functional.layer_norm(x, (4,), w, b), [(3, 4), (4,), (4,)]),
    ("F.layer_norm_plain", lambda m, x: m.nn.functional.layer_norm(x, (4,)), [(3, 4)]),
    ("F.rms_norm", lambda m, x, w: m.nn.functional.rms_norm(x, (4,), w), [(3, 4), (4,)]),
    ("F.batch_norm", lambda m, x, w, b: m.nn.functional.batch_norm(x, None, None, w, b, training=True), [(3, 4), (4,), (4,)]),
    ("F.group_norm", lambda m, x: m.nn.functional.group_norm(x, 2), [(3, 4, 2)]),
    ("F.instance_norm", lambda m, x: m.nn.functional.instance_norm(x), [(3, 4, 2)]),
    ("F.embedding", lambda m, w: m.nn.functional.embedding(m.tensor([1, 0]), w), [(3, 4)]),
    ("F.one_hot_mul", lambda m, x: m.nn.functional.one_hot(m.tensor([1, 0]), 4) * x, [(2, 4)]),
    ("F.pad", lambda m, x: m.nn.functional.pad(x, (1, 1)), [(3, 4)]),
    ("F.pad_reflect", lambda m, x: m.nn.functional.pad(x, (1, 1), mode="reflect"), [(1, 3, 4)]),
    ("F.conv1d", lambda m, x, w, b: m.nn.functional.conv1d(x, w, b), [(2, 3, 7), (4, 3, 3), (4,)]),
    ("F.conv2d", lambda m, x, w, b: m.nn.functional.conv2d(x, w, b), [(2, 3, 5, 5), (4, 3, 3, 3), (4,)]),
    ("F.conv_transpose2d", lambda m, x, w: m.nn.functional.conv_transpose2d(x, w), [(2, 3, 4, 4), (3, 2, 3, 3)]),
    ("F.max_pool1d", lambda m, x: m.nn.functional.max_pool1d(x, 2), [(2, 3, 8)]),
    ("F.max_pool2d", lambda m, x: m.nn.functional.max_pool2d(x, 2), [(2, 3, 4, 4)]),
    ("F.avg_pool1d", lambda m, x: m.nn.functional.avg_pool1d(x, 2), [(2, 3, 8)]),
    ("F.avg_pool2d", lambda m, x: m.nn.functional.avg_pool2d(x, 2), [(2, 3, 4, 4)]),
    ("F.adaptive_avg_pool2d", lambda m, x: m.nn.functional.adaptive_avg_pool2d(x, 1), [(2, 3, 4, 4)]),
    ("F.adaptive_max_pool2d", lambda m, x: m.nn.functional.adaptive_max_pool2d(x, 2), [(2, 3, 4, 4)]),
    ("F.interpolate_nearest", lambda m, x: m.nn.functional.interpolate(x, scale_factor=2), [(1, 2, 3, 3)]),
    ("F.interpolate_bilinear", lambda m, x: m.nn.functional.interpolate(x, scale_factor=2, mode="bilinear"), [(1, 2, 3, 3)]),
    ("F.unfold", lambda m, x: m.nn.functional.unfold(x, 2), [(1, 2, 3, 3)]),
    ("F.fold", lambda m, x: m.nn.functional.fold(x, (3, 3), 2), [(1, 8, 4)]),
    ("F.pixel_shuffle", lambda m, x: m.nn.functional.pixel_shuffle(x, 2), [(1, 4, 2, 2)]),
    ("F.sdpa", lambda m, q, k, v: m.nn.functional.scaled_dot_product_attention(q, k, v), [(1, 3, 4), (1, 3, 4), (1, 3, 4)]),
    ("F.cosine_similarity", lambda m, x, y: m.nn.functional.cosine_similarity(x, y), [(3, 4), (3, 4)]),
    ("F.pairwise_distance", lambda m, x, y: m.nn.functional.pairwise_distance(x, y), [(3, 4), (3, 4)]),
    # losses
    ("F.mse_loss", lambda m, x, y: m.nn.functional.mse_loss(x, y), [(3, 4), (3, 4)]),
    ("F.mse_loss_sum", lambda m, x, y: m.nn.functional.mse_loss(x, y, reduction="sum"), [(3, 4), (3, 4)]),
    ("F.mse_loss_none", lambda m, x, y: m.nn.functional.mse_loss(x, y, reduction="none"), [(3, 4), (3, 4)]),
    ("F.l1_loss", lambda m, x, y: m.nn.functional.l1_loss(x, y), [(3, 4), (3, 4)]),
    ("F.smooth_l1_loss", lambda m, x, y: m.nn.functional.smooth_l1_loss(x, y), [(3, 4), (3, 4)]),
    ("F.huber_loss", lambda m, x, y: m.nn.functional.huber_loss(x, y), [(3, 4), (3, 4)]),
    ("F.cross_entropy", lambda m, x: m.nn.functional.cross_entropy(x, m.tensor([0, 3, 1])), [(3, 4)]),
    ("F.cross_entropy_probs", lambda m, x, p: m.nn.functional.cross_entropy(x, p.softmax(1).detach()), [(3, 4), (3, 4)]),
    ("F.nll_loss", lambda m, x: m.nn.functional.nll_loss(x, m.tensor([0, 3, 1])), [(3, 4)]),
    ("F.binary_cross_entropy", lambda m, x, y: m.nn.functional.binary_cross_entropy(x, y.detach()), [(3, 4), (3, 4)]),
    ("F.bce_with_logits", lambda m, x, y: m.nn.functional.binary_cross_entropy_with_logits(x, y.detach()), [(3, 4), (3, 4)]),
    ("F.kl_div", lambda m, x, y: m.nn.functional.kl_div(x, y, reduction="batchmean"), [(3, 4), (3, 4)]),
    ("F.margin_ranking_loss", lambda m, x, y, t: m.nn.functional.margin_ranking_loss(x, y, t.sign().detach()), [(3,), (3,), (3,)]),
    ("F.hinge_embedding_loss", lambda m, x, t: m.nn.functional.hinge_embedding_loss(x, t.sign().detach()), [(3,), (3,)]),
    ("F.cosine_embedding_loss", lambda m, x, y: m.nn.functional.cosine_embedding_loss(x, y, m.tensor([1, -1, 1])), [(3, 4), (3, 4)]),
    ("F.triplet_margin_loss", lambda m, a, p, n: m.nn.functional.triplet_margin_loss(a, p, n), [(3, 4), (3, 4), (3, 4)]),
    ("F.poisson_nll_loss", lambda m, x, y: m.nn.functional.poisson_nll_loss(x, y.detach()), [(3, 4), (3, 4)]),
    ("F.gaussian_nll_loss", lambda m, x, y, v: m.nn.functional.gaussian_nll_loss(x, y, v), [(3, 4), (3, 4), (3, 4)]),
    ("F.multi_margin_loss", lambda m, x: m.nn.functional.multi_margin_loss(x, m.tensor([0, 3, 1])), [(3, 4)]),
    ("F.multilabel_soft_margin_loss", lambda m, x, y: m.nn.functional.multilabel_soft_margin_loss(x, y.detach()), [(3, 4), (3, 4)]),
]

#: Calls whose node still differs from PyTorch's (name, or what next_functions lists): PyTorch
#: builds them from other ATen ops than minitorch does (chains of views around bmm/mm, einsum's
#: permutes), where matching would add nodes to the hot paths
#: (F.linear is one Linear op here; PyTorch's is addmm of a transposed weight).
DIFFERENT = {"matmul_batched", "einsum", "F.linear", "F.linear_nobias", "F.sdpa"}


def _run(lib, call, shapes):
    rng = np.random.default_rng(0)
    inputs = [lib.tensor(rng.uniform(0.2, 0.8, shape), requires_grad=True) for shape in shapes]
    return call(lib, *inputs), inputs


def _node(node, inputs):
    """What a test compares of a node: its type's name, name(), and per next_functions entry the
    node's type name, AccumulateGrad with the index of its leaf among ``inputs``, or None; and the index."""
    def entry(fn, index):
        if fn is None:
            return None
        if type(fn).__name__ == "AccumulateGrad":
            return "AccumulateGrad", [k for k, t in enumerate(inputs) if t is fn.variable], index
        return type(fn).__name__, index
    return type(node).__name__, node.name(), [entry(*pair) for pair in node.next_functions]


@pytest.mark.parametrize("label, call, shapes", [
    pytest.param(*row, id=row[0], marks=[pytest.mark.xfail(strict=True, reason="PyTorch decomposes it otherwise")]
                 if row[0] in DIFFERENT else []) for row in TABLE])
def test_grad_fn_as_pytorch(label, call, shapes):
    torch = pytest.importorskip("torch")
    ours, theirs = (_node(out.grad_fn, inputs) for out, inputs in (_run(lib, call, shapes) for lib in (minitorch, torch)))
    assert ours == theirs


# ----------------------------------------------------------------- without PyTorch
def leaf(*shape):
    return minitorch.tensor(np.random.default_rng(1).uniform(0.2, 0.8, shape), requires_grad=True)


def test_a_node_is_its_op_under_pytorchs_name():
    x = leaf(3)
    node = (x * x).grad_fn
    assert type(node).__name__ == node.name() == "MulBackward0" and repr(node) == f"<MulBackward0 object at {id(node):#x}>"
    assert isinstance(node, minitorch.functions.Mul)  # the op's class still: its backward, its checks
    assert x.sum(0).grad_fn.name() == "SumBackward1" and x.sum().grad_fn.name() == "SumBackward0"
    y = x.exp()
    y.sum().backward()
    assert y.grad_fn.name() == "ExpBackward0" and y.grad_fn.next_functions == ()  # freed: no links, same name


def test_next_functions_list_tensor_inputs_only():
    x, w = leaf(2, 2), leaf(2, 2)
    for out in (x ** 2.5, x.pow(3), x.view(4), x.reshape(4), x.sum(1), x.clamp(min=0.3), x.transpose(0, 1), x[0]):
        (fn, index), = out.grad_fn.next_functions
        assert type(fn).__name__ == "AccumulateGrad" and fn.variable is x and index == 0
        assert fn.name() == "torch::autograd::AccumulateGrad" and fn.next_functions == ()
    (a, _), (b, _) = (x * 2).grad_fn.next_functions  # PyTorch makes a tensor of the 2: listed as None
    assert a.variable is x and b is None
    (a, _), (b, _) = (x @ w).grad_fn.next_functions
    assert (a.variable, b.variable) == (x, w)
    (a, _), = (x * w).sum().grad_fn.next_functions
    assert a.name() == "MulBackward0" and type(a).__name__ == "MulBackward0"


def test_a_composed_op_is_one_node_with_its_compositions_gradient():
    x, target = leaf(3, 4), minitorch.tensor(np.ones((3, 4)))
    loss = minitorch.nn.functional.mse_loss(x, target)
    assert loss.grad_fn.name() == "MseLossBackward0"
    (a, _), (b, _) = loss.grad_fn.next_functions
    assert a.variable is x and b is None
    loss.backward(retain_graph=True)
    expected = 2 * (x.detach().numpy() - 1) / 12
    np.testing.assert_allclose(x.grad.numpy(), expected)
    loss.backward()  # the composition's graph lives as long as the node
    np.testing.assert_allclose(x.grad.numpy(), 2 * expected)
    with pytest.raises(RuntimeError, match="second time"):
        loss.backward()
    with minitorch.no_grad():
        assert minitorch.nn.functional.mse_loss(x, target).grad_fn is None


def test_a_composed_op_passes_gradients_to_every_argument_that_requires_grad():
    x, t, w = leaf(2, 3), leaf(2, 3), leaf(2, 3)  # huber_loss lists input and target; weight gets its gradient too
    assert gradcheck(lambda x, t, w: minitorch.nn.functional.huber_loss(x, t, weight=w, delta=0.1), [x, t, w])
    x, weight, bias = leaf(1, 2, 4, 4), leaf(3, 2, 2, 2), leaf(3)
    out = minitorch.nn.functional.conv2d(x, weight, bias)
    assert out.grad_fn.name() == "ConvolutionBackward0" and len(out.grad_fn.next_functions) == 3
    assert gradcheck(lambda x, w, b: minitorch.nn.functional.conv2d(x, w, b, padding=1), [x, weight, bias])


def test_a_composed_op_sees_an_input_changed_in_place():
    x = leaf(3)
    y = x * 1
    loss = minitorch.nn.functional.silu(y).sum()
    y.add_(1)  # silu saved y for its gradient
    with pytest.raises(RuntimeError, match="modified in place"):
        loss.backward()


def test_composite_falls_back_when_nothing_is_recorded_or_written_in_place():
    x = leaf(3)
    assert composite("TwiceBackward0", lambda t: t * 2, x).grad_fn.name() == "TwiceBackward0"
    assert composite("TwiceBackward0", lambda t: t * 2, x.detach()).grad_fn is None
    y = x * 1
    out = minitorch.nn.functional.leaky_relu(y, 0.1, inplace=True)  # in place: the op's own node
    assert out is y and out.grad_fn.name() != "LeakyReluBackward0"


def test_a_custom_functions_node_is_named_after_it():
    class Spy(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k, y):
            return x * k + y, x * 2

        @staticmethod
        def backward(ctx, g, h):
            return g * 2 + h * 2, None, g

    x, y = leaf(3), minitorch.tensor([1.0, 2.0, 3.0])
    a, b = Spy.apply(x, 2.0, y)
    assert type(a.grad_fn).__name__ == a.grad_fn.name() == "SpyBackward" == b.grad_fn.name()
    (first, _), (second, _) = a.grad_fn.next_functions  # x and y, not the number: as PyTorch
    assert first.variable is x and second is None


def test_the_blitz_tutorials_walk_through_the_graph():
    nn = minitorch.nn
    net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    loss = nn.MSELoss()(net(minitorch.ones(5, 4)), minitorch.zeros(5, 2))
    assert loss.grad_fn.name() == "MseLossBackward0"
    linear = loss.grad_fn.next_functions[0][0]
    assert linear.name() == "AddmmBackward0"
    assert any(fn is not None and fn.name() == "ReluBackward0" for fn, _ in linear.next_functions)


def test_pieces_of_split_and_unbind_say_which_output_they_are():
    x = leaf(4, 2)
    y = x * 1
    first, second = y.split(2)
    assert [(fn.name(), number) for fn, number in (first + second).grad_fn.next_functions] == [
        ("SplitBackward0", 0), ("SplitBackward0", 1)]
    pieces = y.unbind()
    assert [number for _, number in (pieces[3] * pieces[1]).grad_fn.next_functions] == [3, 1]
    assert first.grad_fn.next_functions[0][0] is y.grad_fn


def test_named_nodes_pickle_and_copy():
    import copy
    import pickle
    x = leaf(3)
    loss = minitorch.nn.functional.mse_loss(x * 2, minitorch.zeros(3))
    assert loss.grad_fn.name() == "MseLossBackward0"
    for again in (pickle.loads(pickle.dumps(loss)), copy.deepcopy(loss)):
        assert type(again.grad_fn).__name__ == "MseLossBackward0"
        assert again.grad_fn.next_functions[0][0].name() == "MulBackward0"


# ----------------------------------------------------------------- the calls made to show PyTorch's nodes
#: Calls rewritten (or re-wrapped) to show PyTorch's nodes: the same values and gradients as PyTorch's.
REWRITTEN = [
    ("radd_rmul", lambda m, x: 2 + x * 3 + 2 * x, [(3, 4)]),
    ("rdiv", lambda m, x: 3 / x + 1 / x, [(3, 4)]),
    ("add_sub_alpha", lambda m, x, y: m.add(x, y, alpha=2) + x.sub(y, alpha=0.5) + x.add(1, alpha=3), [(3, 4), (4,)]),
    ("rsub", lambda m, x, y: m.rsub(x, y) + m.rsub(x, y, alpha=3) + m.rsub(x, 2.0), [(3, 4), (3, 4)]),
    ("clamp_tensors", lambda m, x, lo: x.clamp(min=lo) + x.clamp_min(lo) + x.clamp_max(lo) + x.clamp_min(0.4), [(3,), (3,)]),
    ("outer_kron_cross", lambda m, x, y, z: (m.outer(x, y).sum() + m.kron(x, y).sum(), m.cross(x, z, dim=0)), [(3,), (2,), (3,)]),
    ("diag", lambda m, x, v: (x.diag(), x.diag(-1), x.diagonal(0, 1, 0), v.diag(1), m.diag_embed(x)), [(3, 4), (3,)]),
    ("take_scatter", lambda m, x, s: (m.take_along_dim(x, x.new_tensor([[0], [1], [2]], dtype=m.int64), 1),
                                      x.scatter(1, x.new_tensor([[0], [3]], dtype=m.int64), s[:2, :1]), x.scatter_add(0, x.new_tensor([[1, 0], [2, 2]], dtype=m.int64), s[:2])), [(3, 4), (3, 2)]),
    ("distances", lambda m, x, y: (m.cdist(x, y[:2]), m.dist(x, y), x.dist(y, 1),
                                   m.nn.functional.pairwise_distance(x, y), m.nn.functional.normalize(x, dim=0)), [(3, 4), (3, 4)]),
    ("medians", lambda m, x: (x.median(), x.nanmedian(), x.median(1)[0], x.nanmedian(0)[0], x.kthvalue(2, 0)[0]), [(3, 4)]),
    ("bilinear", lambda m, x, y, w, b: (m.nn.functional.bilinear(x, y, w, b), m.nn.functional.bilinear(x[0], y[0], w)),
     [(3, 2), (3, 2), (4, 2, 2), (4,)]),
    ("quantiles", lambda m, x: (x.quantile(0.3), x.quantile(0.6, 1, True), x.nanquantile(0.5, 0)), [(3, 4)]),
    ("repeat_interleave", lambda m, x: (x.repeat_interleave(2), x.repeat_interleave(3, 1), x.repeat_interleave(1, 0)), [(3, 4)]),
    ("margin_losses", lambda m, x, y, t: (
        m.nn.functional.margin_ranking_loss(x[0], y[0], x.new_tensor([1.0, -1.0, 1.0, -1.0]), margin=0.1),
        m.nn.functional.hinge_embedding_loss(x, x.new_tensor([[1.0, -1.0, -1.0, 1.0]] * 3), margin=0.7),
        m.nn.functional.cosine_embedding_loss(x, y, x.new_tensor([1, -1, 1]), margin=0.2),
        m.nn.functional.triplet_margin_loss(x, y, t, margin=0.3),
        m.nn.functional.multilabel_soft_margin_loss(x, (y > 0.5).double()),
        m.nn.functional.cross_entropy(x, y.softmax(1), label_smoothing=0.1)), [(3, 4), (3, 4), (3, 4)]),
    ("pads_pools", lambda m, x: (
        m.nn.functional.pad(x, (1, 2), mode="reflect"), m.nn.functional.pad(x, (2, 1), mode="replicate"),
        m.nn.functional.pad(x.unsqueeze(0), (1, 1, 1, 1), mode="reflect"), m.nn.functional.pad(x, (1, -1), mode="reflect"),
        m.nn.functional.max_pool1d(x, 2), m.nn.functional.avg_pool1d(x.unsqueeze(0), 2),
        m.nn.functional.adaptive_avg_pool2d(x.unsqueeze(0).unsqueeze(0), 1),
        m.nn.functional.adaptive_avg_pool2d(x.unsqueeze(0), 1)), [(3, 4)]),
    ("prelu_group_norm", lambda m, x, w, b: (
        m.nn.functional.prelu(x, w[:1]), m.nn.functional.prelu(x.reshape(1, 3, 4), w[:3]),
        m.nn.functional.group_norm(x.reshape(1, 4, 3), 2, w, b), m.nn.functional.group_norm(x.reshape(2, 2, 3), 1, w[:2], b[:2])),
     [(3, 4), (4,), (4,)]),
]


def _outputs(result):
    return list(result) if isinstance(result, tuple) else [result]


@pytest.mark.parametrize("label, call, shapes", REWRITTEN, ids=[row[0] for row in REWRITTEN])
def test_rewritten_calls_give_pytorchs_values_and_gradients(label, call, shapes):
    torch = pytest.importorskip("torch")
    values, grads = [], []
    for lib in (minitorch, torch):
        outs, inputs = _run(lib, lambda m, *t: _outputs(call(m, *t)), shapes)
        weights = np.random.default_rng(2)
        sum((o * lib.tensor(weights.standard_normal(tuple(o.shape)))).sum() for o in outs).backward()
        values.append([o.detach().numpy() for o in outs])
        grads.append([t.grad.numpy() if t.grad is not None else np.zeros(t.shape) for t in inputs])
    for ours, theirs in zip(values[0] + grads[0], values[1] + grads[1]):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("label, call, shapes", REWRITTEN, ids=[row[0] for row in REWRITTEN])
def test_rewritten_calls_pass_gradcheck(label, call, shapes):
    _, inputs = _run(minitorch, lambda m, *t: None, shapes)
    assert gradcheck(lambda *t: tuple(_outputs(call(minitorch, *t))), inputs)


def test_reflected_operators_list_the_tensor_first():
    x = leaf(3)
    for out in (2 + x, 2 * x):
        (a, _), (b, _) = out.grad_fn.next_functions
        assert a.variable is x and b is None
    (a, _), = (2 - x).grad_fn.next_functions
    assert (2 - x).grad_fn.name() == "RsubBackward1" and a.variable is x
    y = x.detach().float()
    np.testing.assert_array_equal((3 / y).numpy(), (y.reciprocal() * 3).numpy())  # PyTorch's rounding
    assert (3 / y).dtype == minitorch.float32 and (2 / minitorch.tensor([1, 4])).tolist() == [2.0, 0.5]


def test_a_matrix_diag_is_a_copy_as_pytorchs():
    x = minitorch.ones(2, 2)
    x.diag().fill_(0)
    assert x.tolist() == [[1.0, 1.0], [1.0, 1.0]]
    x.diagonal().fill_(0)  # diagonal stays the view
    assert x.tolist() == [[0.0, 1.0], [1.0, 0.0]]


def test_a_composed_op_with_values_and_indices_names_the_values():
    x = leaf(3, 4)
    result = x.kthvalue(2, dim=1)
    assert type(result).__name__ == "kthvalue" and result.indices.dtype == minitorch.int64
    assert result.values.grad_fn.name() == "KthvalueBackward0" and result.indices.grad_fn is None
    (a, _), = result.values.grad_fn.next_functions
    assert a.variable is x


def test_shown_as_lists_the_parameters_it_names():
    x, w = leaf(1, 4, 3), leaf(4)
    node = minitorch.nn.functional.group_norm(x, 2, w).grad_fn
    (a, _), (b, _), (c, _) = node.next_functions
    assert node.name() == "NativeGroupNormBackward0" and a.variable is x and b.variable is w and c is None


def test_clamp_bounds_name_their_node_as_pytorch():
    x, lo = leaf(3), leaf(3)
    assert x.clamp_min(0.1).grad_fn.name() == "ClampMinBackward0" and x.clamp_max(0.1).grad_fn.name() == "ClampMaxBackward0"
    assert [fn.variable for fn, _ in x.clamp_min(lo).grad_fn.next_functions] == [x, lo]
    (a, _), (b, _) = x.clamp_max(lo).grad_fn.next_functions
    assert x.clamp_max(lo).grad_fn.name() == "ClampMaxBackward1" and (a.variable, b.variable) == (x, lo)


@pytest.mark.parametrize("label, call, shapes", REWRITTEN, ids=[row[0] for row in REWRITTEN])
def test_rewritten_calls_on_cuda(label, call, shapes):
    _, inputs = _run(minitorch, lambda m, *t: None, shapes)
    on_cpu = _outputs(call(minitorch, *inputs))
    on_cuda = _outputs(call(minitorch, *(t.detach().to("cuda").requires_grad_() for t in inputs)))
    for ours, theirs in zip(on_cuda, on_cpu):
        assert ours.device == "cuda" and ours.grad_fn.name() == theirs.grad_fn.name()
        np.testing.assert_allclose(ours.detach().cpu().numpy(), theirs.detach().numpy(), rtol=1e-12, atol=1e-14)
