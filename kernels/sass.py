"""Rung 2.5 of the verification ladder: read a kernel's machine code (SASS) without a GPU.

PTX is what NVVM writes; SASS is what ptxas makes of it and what the GPU runs. ``nvdisasm``
prints it (``kernels.ptx`` runs ptxas and nvdisasm). Two questions matter for speed, and both
have answers in the SASS:

- **What does the hot loop spend its issue slots on?** Each SM sub-partition issues one warp
  instruction per clock. An FFMA (fused multiply-add, 2 flops) is the only instruction that
  does useful work in a float32 matmul; every address computation, shared load or branch
  takes a slot that an FFMA could have had. ``inner_loops`` finds the loops (a backward
  branch closes each) and counts, in each innermost one: instructions, FFMA and its share,
  128-bit shared loads (``LDS.128``: four operands for one slot) and the global loads issued
  before the first instruction that needs one of their results (how many round trips to
  memory overlap; 1 means every load waits for the previous one).
- **How many warps can an SM keep resident?** ``occupancy`` does the arithmetic of NVIDIA's
  occupancy calculator from a kernel's registers, shared memory and block size, with the
  per-architecture limits below as named constants. More warps hide more latency.

``estimate.py`` turns both into a static TFLOP/s estimate.
"""
import re
from collections import namedtuple

#: Per-SM limits of one architecture (CUDA C Programming Guide, "Compute capabilities").
SMLimits = namedtuple("SMLimits", "max_warps max_blocks registers register_unit max_registers "
                      "shared_bytes shared_reserved shared_unit partitions")

#: compute capability -> limits. Registers are allocated per warp in units of ``register_unit``
#: and a warp's registers come from one of ``partitions`` equal register files; shared memory
#: per block is rounded up to ``shared_unit`` bytes, plus ``shared_reserved`` bytes the system
#: keeps per block (CUDA 11+).
SM_LIMITS = {
    (8, 0): SMLimits(max_warps=64, max_blocks=32, registers=65536, register_unit=256,
                     max_registers=255, shared_bytes=164 * 1024, shared_reserved=1024,
                     shared_unit=128, partitions=4),
    (9, 0): SMLimits(max_warps=64, max_blocks=32, registers=65536, register_unit=256,
                     max_registers=255, shared_bytes=228 * 1024, shared_reserved=1024,
                     shared_unit=128, partitions=4),
}

#: One SASS instruction: its address, guard predicate ("" or "@P0"/"@!P0"), opcode with
#: modifiers ("LDS.U.128") and operand text.
Instruction = namedtuple("Instruction", "address guard opcode operands")

#: An innermost loop's statistics (see ``inner_loops``).
LoopStats = namedtuple("LoopStats", "start end instructions ffma ffma_share lds lds128 "
                       "global_loads loads_in_flight issue_to_use")

_INSTRUCTION = re.compile(r"/\*([0-9a-f]{4,})\*/\s+(@!?U?P\w+\s+)?([A-Z][\w.]*)\s*([^;]*);")
_LABEL = re.compile(r"^(\.L_\w+):", re.M)
_TARGET = re.compile(r"`\((\.L_\w+)\)")
_REGISTER = re.compile(r"\bR(\d+)\b")
_STORES = ("ST", "STS", "STG", "STL", "RED", "BRA", "EXIT", "BAR", "BSSY", "BSYNC")


def instructions(sass_text):
    """The ``Instruction`` list of nvdisasm's output (one kernel), in address order."""
    return [Instruction(int(m.group(1), 16), (m.group(2) or "").strip(), m.group(3),
                        m.group(4).strip())
            for m in _INSTRUCTION.finditer(sass_text)]


def _labels(sass_text):
    """{label: address of the first instruction after it}."""
    found = {}
    for match in _LABEL.finditer(sass_text):
        after = _INSTRUCTION.search(sass_text, match.end())
        if after:
            found[match.group(1)] = int(after.group(1), 16)
    return found


def loops(sass_text):
    """(start, end) addresses of every loop: a branch at ``end`` back to ``start`` <= end."""
    labels = _labels(sass_text)
    found = set()
    for ins in instructions(sass_text):
        target = _TARGET.search(ins.operands)
        start = labels.get(target.group(1)) if target else None
        if ins.opcode.startswith("BRA") and start is not None and start <= ins.address:
            found.add((start, ins.address))
    return sorted(found)


def is_global_load(opcode):
    """LDG (global) or LD (generic: what a strided 'A'-layout array compiles to)."""
    return opcode.split(".")[0] in ("LDG", "LD")


def _written(ins):
    """Registers an instruction writes (its first operand, widened by .64/.128)."""
    if ins.opcode.split(".")[0] in _STORES:
        return set()
    first = _REGISTER.match(ins.operands)
    if not first:
        return set()
    width = 4 if ".128" in ins.opcode else 2 if ".64" in ins.opcode else 1
    return {int(first.group(1)) + i for i in range(width)}


def _read(ins):
    """Registers an instruction reads: all but the written first operand; [Rn.64] reads two."""
    text = ins.operands
    if ins.opcode.split(".")[0] not in _STORES:
        text = text.split(",", 1)[1] if "," in text else ""
    regs = {int(r) for r in _REGISTER.findall(text)}
    regs |= {int(r) + 1 for r in re.findall(r"\bR(\d+)\.64", text)}
    return regs


def _loads_before_use(body):
    """(global loads issued before the first use of one of their results, instructions between
    the first such load and that use)."""
    pending, issued, first = set(), 0, None
    for index, ins in enumerate(body):
        if pending & _read(ins):
            return issued, index - first
        if is_global_load(ins.opcode):
            pending |= _written(ins)
            issued += 1
            first = index if first is None else first
    return issued, (len(body) - first if first is not None else 0)


def loop_stats(body, start, end):
    """``LoopStats`` of one loop body (a list of ``Instruction``)."""
    n = len(body)
    ffma = sum(ins.opcode.split(".")[0] == "FFMA" for ins in body)
    lds = [ins for ins in body if ins.opcode.split(".")[0] == "LDS"]
    in_flight, issue_to_use = _loads_before_use(body)
    return LoopStats(start=start, end=end, instructions=n, ffma=ffma,
                     ffma_share=round(ffma / n, 3) if n else 0.0, lds=len(lds),
                     lds128=sum(".128" in ins.opcode for ins in lds),
                     global_loads=sum(is_global_load(ins.opcode) for ins in body),
                     loads_in_flight=in_flight, issue_to_use=issue_to_use)


def inner_loops(sass_text):
    """``LoopStats`` of every innermost loop (one that holds no other loop), in address order.

    The statistics count static instructions of one trip through the loop body, from the
    loop's label to its backward branch: a fully unrolled K-step shows all its FFMA in one
    body; a rolled one shows one k's worth, and an inner loop of its own.
    """
    all_loops = loops(sass_text)
    code = instructions(sass_text)
    innermost = [(s, e) for s, e in all_loops
                 if not any((s2, e2) != (s, e) and s <= s2 and e2 <= e for s2, e2 in all_loops)]
    return [loop_stats([ins for ins in code if s <= ins.address <= e], s, e)
            for s, e in innermost]


def hot_loop(stats):
    """The loop with the most FFMA (the arithmetic loop), or None when no loop has one."""
    arithmetic = [loop for loop in stats if loop.ffma]
    return max(arithmetic, key=lambda loop: (loop.ffma, loop.ffma_share)) if arithmetic else None


def _round_up(value, unit):
    return -(-value // unit) * unit


def occupancy(registers, shared_bytes, threads, cc=(9, 0)):
    """Resident blocks and warps per SM for a kernel, and which resource limits them.

    Returns {"blocks", "warps", "limited_by"}, the limit being "warps", "blocks", "registers" or
    "shared". Registers: a warp needs ``registers * 32`` rounded up to the allocation unit, and
    sits in one of the SM's register-file partitions, so each partition holds
    ``registers_per_partition // per_warp`` warps. Shared memory: each block takes its
    static + dynamic bytes plus the reserved kilobyte, rounded up to the allocation unit.
    """
    limits = SM_LIMITS[tuple(cc)]
    if registers > limits.max_registers:
        raise ValueError(f"occupancy: {registers} registers exceed the {limits.max_registers} "
                         f"a thread may have")
    warps_per_block = -(-threads // 32)
    per_warp = _round_up(max(registers, 1) * 32, limits.register_unit)
    warps_by_registers = (limits.registers // limits.partitions // per_warp) * limits.partitions
    per_block = _round_up(shared_bytes + limits.shared_reserved, limits.shared_unit)
    by = {"warps": limits.max_warps // warps_per_block, "blocks": limits.max_blocks,
          "registers": warps_by_registers // warps_per_block,
          "shared": limits.shared_bytes // per_block}
    limited_by = min(by, key=by.get)
    blocks = by[limited_by]
    return {"blocks": blocks, "warps": blocks * warps_per_block, "limited_by": limited_by}
