"""Rung 2 of the kernel ladder: every kernel compiles to PTX for sm_80 and sm_90, no GPU needed.

Here in the strided ('A') layout, float32 and float64; ``test_machine_code.py`` compiles the
C-contiguous layout that contiguous cupy arrays launch with and reads the machine code.

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
# the compile (about 44 kernels, the unrolled matmuls over ten seconds each) runs in the first
# test's setup: minutes on two shared cores
pytestmark = pytest.mark.timeout(1200)


@pytest.fixture(scope="module")
def compiled():
    """The JSON report of ``python -m kernels.ptx``, compiled once for this module."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    result = subprocess.run([sys.executable, "-m", "kernels.ptx", "--layouts", "A"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=900)
    if result.returncode == 3:
        pytest.skip(result.stderr.strip() + " -- pip install -e '.[dev]' brings NVVM")
    assert result.returncode == 0, result.stderr[-5000:]
    return json.loads(result.stdout)


def launched(name, dtype):
    """Whether matmul ever launches kernel ``name`` for ``dtype`` (float64: never LARGE)."""
    return not (name == "matmul_register_large" and dtype == "float64")


def test_every_kernel_compiles_for_sm80_and_sm90(compiled):
    expected = {f"{name}[{dtype},{cc},A]" for name in KERNELS for dtype, cc in TARGETS
                if launched(name, dtype)}
    assert set(compiled["kernels"]) == expected
    assert all(facts["entry"] for facts in compiled["kernels"].values())


@pytest.mark.parametrize("dtype, cc", TARGETS)
@pytest.mark.parametrize("name", NO_LOCAL_MEMORY)
def test_production_kernels_do_not_use_local_memory(compiled, name, dtype, cc):
    if not launched(name, dtype):
        pytest.skip(f"{name} is not built for {dtype}")
    facts = compiled["kernels"][f"{name}[{dtype},{cc},A]"]
    assert facts["local_memory_lines"] == [], "local arrays not kept in registers"
    if facts["ptxas"] is not None:                     # ptxas found: the real register verdict
        assert facts["ptxas"]["spill_stores"] == 0 and facts["ptxas"]["spill_loads"] == 0, facts
        assert facts["ptxas"]["registers"] <= 255


def test_register_matmul_unrolls_its_k_slice(compiled):
    """BK x TM x TN = 512 FMAs (the 8 outer products of 8 x 8 of one K slice) in each of the
    interior and edge loops: the slice is unrolled, not just the micro-tile."""
    for cc in ("sm_80", "sm_90"):
        facts = compiled["kernels"][f"matmul_register_large[float32,{cc},A]"]
        assert facts["fma"] >= 2 * 512, facts["fma"]


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


def test_a_source_change_invalidates_the_ptx_cache(tmp_path, monkeypatch):
    """The cache (kernels/ptx.py) is keyed by a hash of kernels/*.py: edit one, get a new folder."""
    from kernels import ptx
    monkeypatch.setenv("MINITORCH_PTX_CACHE", str(tmp_path / "cache"))
    sources = tmp_path / "kernels"
    sources.mkdir()
    for path in (ROOT / "kernels").glob("*.py"):
        (sources / path.name).write_bytes(path.read_bytes())
    build = ("matmul_tiled", "float32", (9, 0), "C")
    before = ptx.cache_file(build, ptx.source_hash(str(sources)))
    assert before.startswith(str(tmp_path / "cache")) and before.endswith("matmul_tiled_float32_sm_90_C.ptx")
    with open(sources / "matmul.py", "a") as f:
        f.write("# an edit\n")
    ptx.source_hash.cache_clear()
    assert ptx.cache_file(build, ptx.source_hash(str(sources))) != before
    assert ptx.cache_file(("matmul_tiled", "float32", (8, 0), "C"), "x") != ptx.cache_file(build, "x")
