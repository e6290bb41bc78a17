"""Rung 2.5 for the fused attention kernels: what their machine code (SASS) says, with no GPU.

``python -m kernels.ptx`` compiles the kernel with NVVM for sm_90 in the C layout (what
contiguous cupy arrays launch with), assembles it with ptxas and disassembles it with nvdisasm;
``kernels/sass.py`` reads its innermost loops. The production forward at d=64 (64 x 64 tiles,
256 threads) must keep its two arithmetic loops, S = Q K^T and O += P V, at least 55% FFMA with
128-bit shared loads (kernels/attention_forward.py), and no forward kernel may spill (d=64
uses over 200 registers: little to spare). The forward at d=128 keeps the same tiles and loops,
S accumulated over chunks of d (kernels/attention_forward.py). The backward at d=64 and d=128
(64 keys a block, 256 threads; at d=128 88 KiB of dynamic shared memory, which the occupancy
must count: ptxas reports static shared memory only) keeps its three arithmetic loops (S and
dP; dV and dK; dQ) at 55% FFMA too. And from the same machine code, ``kernels.estimate``'s
model says whether the fused kernels beat the composite (matmul, softmax, matmul) at N >= 1024,
forward and backward, at d=64 and d=128. One compilation a module (seven kernels, about 30-60 s
on two cores); without NVVM, ptxas or nvdisasm (the dev extra brings them) the tests skip.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kernels import attention, estimate

ROOT = Path(__file__).resolve().parents[2]
FAST = ["attention_forward_d64", "attention_forward_d64_causal_masked",   # 64 x 64, 256 threads
        "attention_forward_d128"]                                        # ... S in chunks of d
BACKWARD = ["attention_backward_d64", "attention_backward_d64_causal_masked",   # 64 keys, 256 thr
            "attention_backward_d128"]                                     # ... 88 KiB dynamic
KERNELS = FAST + BACKWARD + ["matmul_register_large"]
FFMA_SHARE = 0.55          # issue 14: the attention inner loops
LDS128_PER_LOOP = 8        # S loop: VEC rows of Q^T and K^T; P V loop: VEC rows of P^T and V


@pytest.fixture(scope="module")
def machine_code():
    """{kernel name: facts} of ``python -m kernels.ptx`` for KERNELS (float32, sm_90, C layout)."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    command = [sys.executable, "-m", "kernels.ptx", "--dtypes", "float32", "--ccs", "90",
               "--layouts", "C", "--kernels", *KERNELS]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=900)
    if result.returncode == 3:
        pytest.skip(result.stderr.strip() + " -- pip install -e '.[dev]' brings NVVM")
    assert result.returncode == 0, result.stderr[-5000:]
    report = json.loads(result.stdout)
    if report["ptxas"] is None or report["nvdisasm"] is None:
        pytest.skip("ptxas or nvdisasm not found: pip install -e '.[dev]' brings both")
    return {key.split("[")[0]: facts for key, facts in report["kernels"].items()}


@pytest.mark.parametrize("name", FAST)
def test_attention_forward_inner_loops_are_mostly_ffma_with_wide_shared_loads(machine_code, name):
    arithmetic = [loop for loop in machine_code[name]["loops"] if loop["ffma"]]
    assert len(arithmetic) == 2, arithmetic                  # S = Q K^T, then O += P V
    for loop in arithmetic:
        assert loop["ffma_share"] >= FFMA_SHARE, loop
        assert loop["lds128"] >= LDS128_PER_LOOP, loop
        assert loop["global_loads"] == 0, loop               # K, V staged outside the loops


@pytest.mark.parametrize("name", BACKWARD)
def test_attention_backward_inner_loops_are_mostly_ffma_with_wide_shared_loads(machine_code, name):
    arithmetic = [loop for loop in machine_code[name]["loops"] if loop["ffma"]]
    assert len(arithmetic) == 3, arithmetic                  # S and dP; dV and dK; dQ
    for loop in arithmetic:
        assert loop["ffma_share"] >= FFMA_SHARE, loop
        assert loop["global_loads"] == 0, loop               # Q, dO staged outside the loops
    scores, weights, queries = arithmetic
    assert scores["lds128"] == scores["lds"] >= 2 * LDS128_PER_LOOP, scores   # K^T, V^T, Q, dO
    assert queries["lds128"] == queries["lds"] >= 2 * LDS128_PER_LOOP, queries  # dS, K^T
    assert weights["lds128"] >= 2, weights                   # the Q and dO rows


@pytest.mark.parametrize("name", [name for name in KERNELS if name.startswith("attention")])
def test_attention_kernels_do_not_spill(machine_code, name):
    ptxas = machine_code[name]["ptxas"]
    assert ptxas["spill_stores"] == ptxas["spill_loads"] == 0, ptxas


def fused_and_composite(machine_code, d):
    """{N: {"forward": (fused, composite), "backward": ...}} microseconds (kernels.estimate)."""
    br, bc, tr, tc = attention.forward_tiling("float32", d, simulated=False)
    threads = {"forward": bc // tc * br // tr,
               "backward": attention.backward_threads(attention.backward_tiling("float32", d,
                                                                                simulated=False))}
    rates = {"matmul": machine_code["matmul_register_large"]["estimate"]["tflops"]}
    for kind, shares in (("forward", estimate.FORWARD_FLOP_SHARES),
                         ("backward", estimate.BACKWARD_FLOP_SHARES)):
        rates[kind] = estimate.fused_rate(machine_code[f"attention_{kind}_d{d}"], shares,
                                          threads[kind])
    return {n: estimate.attention_times(n, d, rates) for n in estimate.ATTENTION_NS}


def test_occupancy_counts_the_backwards_dynamic_shared_memory(machine_code):
    facts = machine_code["attention_backward_d128"]
    assert facts["ptxas"]["shared_bytes"] == 0                     # no static shared memory
    assert facts["ptxas"]["dynamic_shared_bytes"] == 88 * 1024
    assert facts["occupancy"]["blocks"] <= 228 // (88 + 1)         # an H100's 228 KiB a SM


@pytest.mark.parametrize("d, kind", [(64, "forward"), (64, "backward"), (128, "forward"),
                                     (128, "backward")])
def test_fused_attention_beats_the_composite(machine_code, d, kind):
    for n, times in fused_and_composite(machine_code, d).items():
        fused, composite = times[kind]
        assert fused < composite, (n, fused, composite)
