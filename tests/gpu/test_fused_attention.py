"""F.scaled_dot_product_attention on "cuda" runs the fused kernel, and agrees with the CPU composite."""
import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F

pytestmark = pytest.mark.skipif(
    not minitorch.cuda.is_available(), reason="needs a GPU or the CUDA simulator (NUMBA_ENABLE_CUDASIM=1)"
)


@pytest.fixture
def fused_calls(monkeypatch):
    kernels = minitorch.cuda.kernels().attention
    calls = {"forward": 0, "backward": 0}
    for name, key in (("attention_forward", "forward"), ("attention_backward", "backward")):
        original = getattr(kernels, name)

        def wrapper(*args, _original=original, _key=key, **kwargs):
            calls[_key] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(kernels, name, wrapper)
    return calls


def _inputs(shape_q, shape_kv, dtype=minitorch.float64, seed=0):
    minitorch.manual_seed(seed)
    q = minitorch.randn(*shape_q, dtype=dtype)
    k, v = minitorch.randn(*shape_kv, dtype=dtype), minitorch.randn(*shape_kv, dtype=dtype)
    return q, k, v


def _run(q, k, v, device, **kwargs):
    leaves = [t.detach().to(device).requires_grad_() for t in (q, k, v)]
    out = F.scaled_dot_product_attention(*leaves, **kwargs)
    weights = minitorch.randn(*out.shape, dtype=out.dtype, generator=minitorch.Generator(7)).to(device)
    (out * weights).sum().backward()
    return out.detach().cpu().numpy(), [t.grad.cpu().numpy() for t in leaves]


@pytest.mark.parametrize("shapes", [((2, 3, 7, 5), (2, 3, 9, 5)), ((1, 2, 17, 3), (1, 2, 17, 3)), ((2, 5, 4), (2, 6, 4))])
@pytest.mark.parametrize("causal", [False, True])
def test_fused_matches_the_composite(shapes, causal, fused_calls):
    q, k, v = _inputs(*shapes)
    out_gpu, grads_gpu = _run(q, k, v, "cuda", is_causal=causal)
    out_cpu, grads_cpu = _run(q, k, v, "cpu", is_causal=causal)
    assert fused_calls == {"forward": 1, "backward": 1}
    np.testing.assert_allclose(out_gpu, out_cpu, rtol=1e-9, atol=1e-11)
    for g_gpu, g_cpu in zip(grads_gpu, grads_cpu):
        np.testing.assert_allclose(g_gpu, g_cpu, rtol=1e-9, atol=1e-11)


def test_fused_with_a_key_padding_mask_and_a_fully_masked_row(fused_calls):
    q, k, v = _inputs((2, 2, 5, 4), (2, 2, 6, 4))
    keep = minitorch.tensor([[True, True, False, True, False, True], [False] * 6])  # batch 1: nothing
    mask = keep[:, None, None, :]
    out_gpu, grads_gpu = _run(q, k, v, "cuda", attn_mask=mask.cuda())
    out_cpu, grads_cpu = _run(q, k, v, "cpu", attn_mask=mask)
    assert fused_calls["forward"] == 1
    np.testing.assert_allclose(out_gpu, out_cpu, rtol=1e-9, atol=1e-11)
    assert np.all(out_gpu[1] == 0) and all(np.isfinite(g).all() for g in grads_gpu)
    for g_gpu, g_cpu in zip(grads_gpu, grads_cpu):
        np.testing.assert_allclose(g_gpu, g_cpu, rtol=1e-9, atol=1e-11)


def test_float32_and_large_logits_stay_finite(fused_calls):
    q, k, v = _inputs((1, 2, 9, 8), (1, 2, 9, 8), dtype=minitorch.float32)
    q = q * 1e3  # scores of order 1e3: an unstable softmax would overflow
    out_gpu, grads_gpu = _run(q, k, v, "cuda")
    out_cpu, _ = _run(q, k, v, "cpu")
    assert np.isfinite(out_gpu).all() and all(np.isfinite(g).all() for g in grads_gpu)
    np.testing.assert_allclose(out_gpu, out_cpu, rtol=1e-4, atol=1e-4)


def test_cases_the_kernel_does_not_cover_use_the_composite_on_cuda(fused_calls):
    q, k, v = _inputs((2, 3, 4), (2, 5, 4))
    float_mask = minitorch.zeros(3, 5, dtype=minitorch.float64)
    out_gpu, _ = _run(q, k, v, "cuda", attn_mask=float_mask.cuda())  # a float mask: composite
    out_cpu, _ = _run(q, k, v, "cpu", attn_mask=float_mask)
    assert fused_calls["forward"] == 0
    np.testing.assert_allclose(out_gpu, out_cpu, rtol=1e-9)


def test_multihead_attention_module_on_cuda_matches_cpu():
    minitorch.manual_seed(0)
    mha = minitorch.nn.MultiheadAttention(8, 2, batch_first=True).double()
    x = minitorch.randn(2, 5, 8, dtype=minitorch.float64)
    out_cpu, _ = mha(x, x, x, need_weights=False)
    mha.to("cuda")
    out_gpu, _ = mha(x.cuda(), x.cuda(), x.cuda(), need_weights=False)
    np.testing.assert_allclose(out_gpu.detach().cpu().numpy(), out_cpu.detach().numpy(), rtol=1e-9, atol=1e-12)
