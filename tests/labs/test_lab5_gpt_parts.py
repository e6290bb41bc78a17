"""Lab 5: what a GPT needs besides attention: layer norm, embeddings, the decoder layer, gradient
clipping and the milestone's optimiser and schedule.

Expected values are data (worked out by hand, or PyTorch's numbers for the same inputs),
invariants, and gradients against finite differences (``gradcheck``, float64).
"""
import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import minitorch
import minitorch.nn.functional as F
from minitorch import nn
from minitorch.testing import gradcheck
from minitorch.testing import strategies as mst
from tests.labs.lab_helpers import fill, wave

f64 = minitorch.float64


def t(data, requires_grad=False):
    return minitorch.tensor(np.asarray(data, dtype=np.float64), dtype=f64, requires_grad=requires_grad)


# ----------------------------------------------------------------------------- 5.8 layer norm

@pytest.mark.task(id="5.8")
def test_layer_norm_by_hand():
    x = t([[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 2.0, 6.0]])
    # row 0: mean 2.5, variance 1.25; row 1: mean 3, variance 3
    a, b = 1.5 / math.sqrt(1.25), 0.5 / math.sqrt(1.25)
    y = F.layer_norm(x, (4,), eps=0.0).numpy()
    np.testing.assert_allclose(y, [[-a, -b, b, a], [-1 / math.sqrt(3)] * 3 + [3 / math.sqrt(3)]], rtol=1e-12)
    gamma, beta = t([1.0, 2.0, 1.0, -1.0]), t([0.0, 0.0, 0.5, 1.0])
    y = F.layer_norm(x, (4,), gamma, beta, eps=0.0).numpy()
    np.testing.assert_allclose(y[0], [-a, -2 * b, b + 0.5, 1 - a], rtol=1e-12)


@pytest.mark.task(id="5.8")
def test_layer_norm_standardises_each_row_over_the_last_dims():
    x = wave((2, 3, 2, 5), 0.3) * 4 + 7
    y = F.layer_norm(x, (2, 5)).numpy()
    np.testing.assert_allclose(y.mean(axis=(2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(2, 3)), 1, rtol=1e-4)  # eps = 1e-5 keeps it just below 1
    module = nn.LayerNorm(5, dtype=f64)
    np.testing.assert_allclose(module(x).detach().numpy().mean(-1), 0, atol=1e-12)


@pytest.mark.task(id="5.8")
def test_layer_norm_backward_by_hand():
    # y sums to sum(beta) whatever x is, so d(sum y)/dx = 0; dL/dbeta = dL/dy summed over the rows
    x = t([[1.0, 2.0, 4.0], [0.0, -1.0, 3.0]], requires_grad=True)
    gamma, beta = t([1.0, 1.0, 1.0], True), t([0.0, 0.0, 0.0], True)
    F.layer_norm(x, (3,), gamma, beta).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 0, atol=1e-12)
    np.testing.assert_allclose(beta.grad.numpy(), [2, 2, 2])
    np.testing.assert_allclose(gamma.grad.numpy(), F.layer_norm(x, (3,)).detach().numpy().sum(0), rtol=1e-12)


@pytest.mark.task(id="5.8")
@given(x=mst.tensors(shape=(2, 3, 4)), g=mst.tensors(shape=(4,), elements=mst.grid(0.25, 2)),
       b=mst.tensors(shape=(4,)), affine=st.booleans())
@example(x=t(np.arange(24.0).reshape(2, 3, 4) % 5, True), g=t([1.0, 2.0, 0.5, 1.5], True), b=t([0.0] * 4, True),
         affine=True)
def test_layer_norm_gradcheck(x, g, b, affine):
    if affine:
        assert gradcheck(lambda x, g, b: F.layer_norm(x, (4,), g, b), (x, g, b))
    else:
        assert gradcheck(lambda x: F.layer_norm(x, (3, 4)), (x,))


# ----------------------------------------------------------------------------- 5.9 decoder layer

DECODER = {  # PyTorch's outputs for the same parameters and inputs (``fill``, ``wave``), causal target
    False: [[0.0024727052, 0.1717110104, 0.3657187337, 0.0679527148],
            [-0.0858115628, 0.2046707734, 0.6228591509, 0.0150887769],
            [-0.0107020538, 0.1214228962, 0.4733865461, 0.0538827413]],
    True: [[-0.2812590484, 1.9716553976, -1.2631590284, -0.6274631087],
           [-2.2515872592, 1.0467215894, -0.2351360681, 1.2198127518],
           [-0.6352483055, 1.0635269847, -1.9199604217, -0.5897854525]],
}


def _decoder_layer(norm_first):
    layer = nn.TransformerDecoderLayer(4, 2, dim_feedforward=6, dropout=0.0, batch_first=True,
                                       norm_first=norm_first, dtype=f64)
    fill(layer)
    return layer


@pytest.mark.task(id="5.9")
@pytest.mark.parametrize("norm_first", [False, True])
def test_decoder_layer_values(norm_first):
    layer = _decoder_layer(norm_first)
    mask = nn.Transformer.generate_square_subsequent_mask(3, dtype=f64)
    out = layer(wave((1, 3, 4), 0.0), wave((1, 2, 4), 1.0), tgt_mask=mask).detach().numpy()
    np.testing.assert_allclose(out[0], DECODER[norm_first], rtol=1e-8, atol=1e-9)


@pytest.mark.task(id="5.9")
def test_pre_norm_decoder_layer_is_the_identity_plus_its_sub_blocks():
    layer = _decoder_layer(True)
    with minitorch.no_grad():
        for linear in (layer.self_attn.out_proj, layer.multihead_attn.out_proj, layer.linear2):
            linear.weight.zero_()
            linear.bias.zero_()
    tgt = wave((2, 3, 4), 0.5)
    np.testing.assert_allclose(layer(tgt, wave((2, 5, 4), 2.0)).detach().numpy(), tgt.numpy(), atol=1e-15)


@pytest.mark.task(id="5.9")
def test_decoder_masks_and_memory():
    layer = _decoder_layer(False)
    tgt, memory = wave((1, 3, 4), 0.0), wave((1, 2, 4), 1.0)
    mask = nn.Transformer.generate_square_subsequent_mask(3, dtype=f64)
    out = layer(tgt, memory, tgt_mask=mask).detach().numpy()
    later = tgt.numpy().copy()
    later[0, 2] += 1.0  # the last target position must not change the first two outputs
    np.testing.assert_allclose(layer(t(later), memory, tgt_mask=mask).detach().numpy()[0, :2], out[0, :2],
                               rtol=1e-12, atol=1e-14)
    other = memory.numpy().copy()
    other[0, 1] += 1.0
    assert not np.allclose(layer(tgt, t(other), tgt_mask=mask).detach().numpy(), out)  # cross-attention reads memory
    pad = minitorch.tensor([[False, True]])  # memory position 1 is padding: changing it changes nothing
    np.testing.assert_allclose(layer(tgt, t(other), memory_key_padding_mask=pad).detach().numpy(),
                               layer(tgt, memory, memory_key_padding_mask=pad).detach().numpy(), rtol=1e-12)


@pytest.mark.task(id="5.9")
def test_decoder_stack_runs_every_layer_then_the_norm():
    layer = _decoder_layer(True)
    stack = nn.TransformerDecoder(layer, 2, norm=nn.LayerNorm(4, dtype=f64))
    fill(stack.layers[1], 1.0)
    tgt, memory = wave((1, 3, 4), 0.0), wave((1, 2, 4), 1.0)
    by_layer = stack.norm(stack.layers[1](stack.layers[0](tgt, memory), memory))
    np.testing.assert_allclose(stack(tgt, memory).detach().numpy(), by_layer.detach().numpy(), rtol=1e-12)


# ----------------------------------------------------------------------------- 5.10 embedding

@pytest.mark.task(id="5.10")
def test_embedding_lookup_and_scatter_add_backward():
    weight = t(np.arange(12.0).reshape(4, 3), requires_grad=True)
    ids = minitorch.tensor([[1, 3], [1, 0]])
    y = F.embedding(ids, weight)
    np.testing.assert_array_equal(y.detach().numpy(), [[[3, 4, 5], [9, 10, 11]], [[3, 4, 5], [0, 1, 2]]])
    upstream = t([[[1, 2, 3], [4, 5, 6]], [[10, 20, 30], [0.5, 0.5, 0.5]]])
    y.backward(upstream)
    # id 1 appears twice: its row gets both gradients; id 2 never appears: zeros
    np.testing.assert_array_equal(weight.grad.numpy(), [[0.5, 0.5, 0.5], [11, 22, 33], [0, 0, 0], [4, 5, 6]])


@pytest.mark.task(id="5.10")
def test_embedding_padding_idx_and_scale_grad_by_freq():
    weight = t(np.ones((3, 2)), requires_grad=True)
    ids = minitorch.tensor([0, 2, 2, 2, 1])
    upstream = t([[1, 1], [1, 2], [3, 4], [5, 6], [7, 8]])
    F.embedding(ids, weight, padding_idx=1).backward(upstream)
    np.testing.assert_array_equal(weight.grad.numpy(), [[1, 1], [0, 0], [9, 12]])
    weight.grad = None
    F.embedding(ids, weight, scale_grad_by_freq=True).backward(upstream)
    np.testing.assert_allclose(weight.grad.numpy(), [[1, 1], [7, 8], [3, 4]])  # row 2: (9, 12) / 3


@pytest.mark.task(id="5.10")
def test_embedding_module_gradcheck():
    module = nn.Embedding(5, 3, dtype=f64)
    ids = minitorch.tensor([[4, 0, 4], [2, 2, 1]])
    assert gradcheck(lambda w: F.embedding(ids, w), (module.weight,))
    assert tuple(module(ids).shape) == (2, 3, 3)


# ----------------------------------------------------------------------------- 5.11 gradient clipping

def _with_grads(*grads):
    params = [nn.Parameter(minitorch.zeros(len(g), dtype=f64)) for g in grads]
    for p, g in zip(params, grads):
        p.grad = t(g)
    return params


@pytest.mark.task(id="5.11")
def test_clip_grad_norm_by_hand():
    params = _with_grads([3.0, 4.0], [12.0])  # joint 2-norm sqrt(9 + 16 + 144) = 13
    total = nn.utils.clip_grad_norm_(params, 6.5)
    assert total.item() == pytest.approx(13.0)
    np.testing.assert_allclose(params[0].grad.numpy(), [1.5, 2.0], rtol=1e-6)  # every gradient halved
    np.testing.assert_allclose(params[1].grad.numpy(), [6.0], rtol=1e-6)
    params = _with_grads([3.0, 4.0], [12.0])
    assert nn.utils.clip_grad_norm_(params, 100.0).item() == pytest.approx(13.0)
    np.testing.assert_array_equal(params[0].grad.numpy(), [3.0, 4.0])  # short enough: unchanged


@pytest.mark.task(id="5.11")
@pytest.mark.parametrize("norm_type, expected", [(1, 19.0), (math.inf, 12.0), (3, (27 + 64 + 1728) ** (1 / 3))])
def test_total_norm_of_every_order(norm_type, expected):
    params = _with_grads([3.0, -4.0], [12.0, 0.0])
    assert nn.utils.get_total_norm([p.grad for p in params], norm_type).item() == pytest.approx(expected)
    assert nn.utils.clip_grad_norm_(params, 1.0, norm_type=norm_type).item() == pytest.approx(expected)
    assert nn.utils.get_total_norm([p.grad for p in params], norm_type).item() == pytest.approx(1.0, rel=1e-5)


@pytest.mark.task(id="5.11")
def test_norm_of_order_zero_counts_the_tensors_with_a_nonzero_count():
    # as PyTorch: the norm of the per-tensor norms; order 0 counts nonzero values at both levels
    grads = [t([3.0, -4.0]), t([12.0, 0.0]), t([0.0])]
    assert nn.utils.get_total_norm(grads, 0).item() == 2.0


@pytest.mark.task(id="5.11")
def test_clip_grad_norm_refuses_a_non_finite_norm_when_asked():
    params = _with_grads([1.0, math.inf])
    with pytest.raises(RuntimeError):
        nn.utils.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    assert math.isinf(nn.utils.get_total_norm([p.grad for p in params]).item())  # without the flag: inf


# ----------------------------------------------------------------------------- 5.7 the schedule and the groups

@pytest.mark.task(id="5.7")
def test_warmup_cosine_by_hand():
    from minitorch.examples.gpt import warmup_cosine

    f = warmup_cosine(10, 2)  # warm-up over steps 0, 1; cosine from 1 at step 2 to 0.1 at step 10
    assert [f(0), f(1), f(2)] == pytest.approx([0.5, 1.0, 1.0])
    assert f(6) == pytest.approx(0.1 + 0.9 * 0.5)  # half-way: cos(pi / 2) = 0
    assert f(10) == pytest.approx(0.1) and f(50) == pytest.approx(0.1)


@pytest.mark.task(id="5.7")
def test_make_optimizer_decays_matrices_only():
    from minitorch.examples.gpt import make_optimizer

    a, b = nn.Linear(3, 2), nn.LayerNorm(2)
    optimizer, schedule = make_optimizer([(a, 0.1), (b, 0.01)], 0.2, steps=10, warmup=2)
    groups = [(len(g["params"]), g["weight_decay"]) for g in optimizer.param_groups]
    assert groups == [(1, 0.2), (1, 0.0), (0, 0.2), (2, 0.0)]
    assert isinstance(optimizer, minitorch.optim.AdamW) and optimizer.defaults["betas"] == (0.9, 0.99)
    assert [g["lr"] for g in optimizer.param_groups] == pytest.approx([0.05, 0.05, 0.005, 0.005])  # f(0) = 0.5
    optimizer.step()
    schedule.step()
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1)


@pytest.mark.task(id="5.7")
def test_evaluate_loss_by_hand():
    from minitorch.examples.gpt import GPT, evaluate_loss

    model = GPT(3, context=4, width=8, layers=1, heads=2, dropout=0.0)
    with minitorch.no_grad():  # every position predicts p = (1/2, 1/4, 1/4), whatever it reads
        model.head.weight.zero_()
        model.head.bias.copy_(minitorch.tensor([math.log(0.5), math.log(0.25), math.log(0.25)]))
    ids = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]  # windows ids[0:5] and ids[4:9]; the last id is left over
    # the targets are 1, 2, 0, 1 and 2, 0, 1, 2: class 0 twice, classes 1 and 2 three times each
    expected = -(2 * math.log(0.5) + 6 * math.log(0.25)) / 8
    assert evaluate_loss(model, ids, "cpu") == pytest.approx(expected, rel=1e-6)
    assert evaluate_loss(model, ids, "cpu", batch_size=1) == pytest.approx(expected, rel=1e-6)
    assert model.training  # back in training mode
    with pytest.raises(ValueError):
        evaluate_loss(model, ids[:4], "cpu")
