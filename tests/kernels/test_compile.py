"""Rung 2 of the kernel ladder: every kernel compiles to PTX for sm_80 and sm_90, no GPU needed.

The compilation runs in a subprocess (``python -m kernels.ptx``) without NUMBA_ENABLE_CUDASIM,
because this test process may have the simulator on, and numba cannot switch once imported.
It needs NVVM, which ``numba-cuda[cu12]`` (the dev extra) installs; without it the tests skip.
From the PTX (and ptxas's report, when ptxas is found) the tests check that the production
matmul and the attention forward keep their accumulators in registers: no local memory, no
spills.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KERNELS = ["matmul_naive", "matmul_tiled", "matmul_register_large", "matmul_register_small",
           "softmax_forward", "softmax_backward",
           "attention_forward_d64", "attention_forward_d128", "attention_forward_d64_causal_masked",
           "attention_backward_d64", "attention_backward_d128",
           "attention_backward_d64_causal_masked"]
NO_LOCAL_MEMORY = ["matmul_register_large", "matmul_register_small", "attention_forward_d64",
                   "attention_forward_d128", "attention_forward_d64_causal_masked"]
TARGETS = [(dtype, cc) for dtype in ("float32", "float64") for cc in ("sm_80", "sm_90")]


@pytest.fixture(scope="module")
def compiled():
    """The JSON report of ``python -m kernels.ptx``, compiled once for this module."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    result = subprocess.run([sys.executable, "-m", "kernels.ptx"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    if result.returncode == 3:
        pytest.skip(result.stderr.strip() + " -- pip install -e '.[dev]' brings NVVM")
    assert result.returncode == 0, result.stderr[-5000:]
    return json.loads(result.stdout)


def test_every_kernel_compiles_for_sm80_and_sm90(compiled):
    expected = {f"{name}[{dtype},{cc}]" for name in KERNELS for dtype, cc in TARGETS}
    assert set(compiled["kernels"]) == expected
    assert all(facts["entry"] for facts in compiled["kernels"].values())


@pytest.mark.parametrize("dtype, cc", TARGETS)
@pytest.mark.parametrize("name", NO_LOCAL_MEMORY)
def test_production_kernels_do_not_use_local_memory(compiled, name, dtype, cc):
    facts = compiled["kernels"][f"{name}[{dtype},{cc}]"]
    assert facts["local_memory_lines"] == [], "local arrays not kept in registers"
    if facts["ptxas"] is not None:                     # ptxas found: the real register verdict
        assert facts["ptxas"]["spill_stores"] == 0 and facts["ptxas"]["spill_loads"] == 0, facts
        assert facts["ptxas"]["registers"] <= 255


def test_register_matmul_unrolls_its_micro_tile(compiled):
    """64 independent FMAs (the 8 x 8 outer product of one k step) appear in the PTX."""
    for dtype, cc in TARGETS:
        facts = compiled["kernels"][f"matmul_register_large[{dtype},{cc}]"]
        assert facts["fma"] >= 64, facts


def test_local_memory_detection_sees_local_memory():
    """The check above can fail: PTX that spills is recognised."""
    from kernels.ptx import local_memory_lines
    ptx = """
    .local .align 4 .b8 __local_depot0[256];
    mov.u64 %SPL, __local_depot0;
    st.local.f32 [%rd1], %f1;
    ld.local.f32 %f2, [%rd1];
    fma.rn.f32 %f3, %f1, %f2, %f3;
    """
    assert len(local_memory_lines(ptx)) == 3
