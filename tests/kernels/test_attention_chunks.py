"""The fused attention forward with S accumulated over chunks of the head dimension (issue 14).

At d=128 in float32 Q^T and K^T do not fit in shared memory beside P^T and V, so the kernel
sums S = Q K^T over chunks of d (kernels/attention_forward.py). The production tiling (64 x
64, 256 threads) is too slow for the simulator, so these tests force small chunks on a small
tiling, through ``forward_kernel``'s ``chunk``, and compare with the unfused numpy composite
of tests/kernels/test_kernels.py.
"""
import functools

import numpy as np
import pytest

from kernels import attention
from kernels import attention_forward as forward
from tests.kernels.test_kernels import (DTYPES, assert_close, attention_reference, make_mask,
                                        random)

SMALL = attention.ForwardTiling(8, 8, 2, 2)      # 4 x 4 threads


@pytest.fixture
def chunked(monkeypatch):
    """Make attention_forward launch its kernel with S in chunks of the given size."""
    def use(chunk):
        monkeypatch.setattr(attention, "forward_kernel",
                            functools.partial(forward.forward_kernel, chunk=chunk))
    return use


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("nq, nk, d, chunk, causal, mask", [
    (11, 19, 20, 4, False, None),          # five chunks, three key tiles, two query blocks
    (13, 10, 17, 4, True, "full"),         # d padded to 20: the last chunk is part padding
    (9, 12, 24, 8, True, "padding"),       # three chunks of two VEC groups
])
def test_chunked_forward_matches_unfused(chunked, nq, nk, d, chunk, causal, mask, dtype):
    chunked(chunk)
    rng = np.random.default_rng(20)
    b, h = 2, 1
    q, k, v = (random(rng, (b, h, n, d), dtype) for n in (nq, nk, nk))
    keep = make_mask(rng, mask, b, h, nq, nk)
    o, lse = attention.attention_forward(q, k, v, mask=keep, causal=causal, tiling=SMALL)
    ro, rlse, _, _ = attention_reference(q, k, v, keep=keep, causal=causal)
    assert_close(o, ro.astype(dtype), dtype)
    assert_close(lse, rlse.astype(dtype), dtype)


def test_chunks_that_do_not_divide_d_into_load_slots_are_refused():
    with pytest.raises(ValueError, match="chunk of 6 columns"):
        forward.forward_kernel(np.dtype(np.float32), 24, False, False, SMALL, chunk=6)
    with pytest.raises(ValueError, match="chunk of 4 columns"):   # 4 x 8 groups, 64 threads
        forward.forward_kernel(np.dtype(np.float32), 24, False, False,
                               attention.ForwardTiling(16, 16, 2, 2), chunk=4)


def test_production_chunks():
    """d=64 in float32 stores Q^T once (one chunk); d=128 keeps the 64 x 64 tiles in chunks."""
    tiling = forward.forward_tiling(np.float32, 64, simulated=False)
    assert tiling == (64, 64, 4, 4) and forward.score_chunk(tiling, 64, 4) == 64
    tiling = forward.forward_tiling(np.float32, 128, simulated=False)
    assert tiling == (64, 64, 4, 4) and forward.score_chunk(tiling, 128, 4) == 16
    for dtype in DTYPES:
        size = np.dtype(dtype).itemsize
        for d in range(1, attention.MAX_HEAD_DIM + 1):
            tiling = forward.forward_tiling(dtype, d, simulated=False)
            chunk = forward.score_chunk(tiling, d, size)
            assert forward.chunk_fits(tiling, d, chunk)
            assert forward.forward_shared_bytes(tiling, d, size) <= 48 * 1024
            assert forward.staged_registers(tiling, d, chunk, size) <= forward.MAX_STAGED
