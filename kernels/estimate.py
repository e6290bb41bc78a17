"""A static TFLOP/s estimate of a kernel from its machine code: an issue-slot and latency model.

No GPU has run these kernels; this is what the SASS says they should reach. The model, for
float32 without tensor cores, per SM (four partitions, each issuing one warp instruction per
clock):

1. **Issue.** Only FFMA does useful work (2 flops a lane). A warp's FFMA keeps its partition's
   FP32 pipe busy for ``32 / lanes`` clocks (1 on an H100, 2 on an A100, whose partitions have
   16 FP32 lanes); every instruction takes one issue slot. So one trip of the hot loop costs
   ``max(instructions, ffma * 32 / lanes)`` clocks a warp, and runs at
   ``ffma * 32 / lanes / that`` of the FP32 peak.
2. **Latency.** A trip ends at a barrier, where the block waits for its slowest warp: about
   ``SHARED_LATENCY`` clocks a barrier, plus the global loads' round trips not covered by
   arithmetic. A load issued ``issue_to_use`` instructions before its first use is covered by
   that many instructions of each of the block's warps in a partition; loads issued one after
   the other (one in flight) each cost a full ``GLOBAL_LATENCY``. Other resident blocks issue
   while one waits, so the exposed latency divides by the blocks per SM.
3. **Memory.** Optionally capped by ``bytes_per_flop`` at the L2 bandwidth (a tiled matmul
   reads ``(1/BM + 1/BN) * itemsize / 2`` bytes a flop; at 128 x 128 this never binds).

Assumptions: sustained boost clock, large problems (every SM busy for many waves, the last
partial wave ignored), no bank conflicts (true of LDS.128 reads of contiguous fragments), the
instruction cache holds the hot loop, and a latency figure per architecture for a loaded GPU.
It is an estimate to compare kernels and versions, not a measurement: read it as +-25%.
"""
import math
from collections import namedtuple

#: One GPU: SM count, boost clock (GHz), FP32 lanes per SM, the cuBLAS SGEMM rate it reaches at
#: 4096^3 (TF32 off; TFLOP/s), L2 bandwidth (TB/s) and a loaded global-load latency (clocks).
GPU = namedtuple("GPU", "name sms clock_ghz fp32_lanes cublas_tflops l2_tb_s global_latency")

GPUS = {
    (8, 0): GPU("A100-SXM4", sms=108, clock_ghz=1.41, fp32_lanes=64, cublas_tflops=18.5,
                l2_tb_s=4.0, global_latency=600),
    (9, 0): GPU("H100-SXM5", sms=132, clock_ghz=1.98, fp32_lanes=128, cublas_tflops=50.0,
                l2_tb_s=7.0, global_latency=600),
}

PARTITIONS = 4          # warp schedulers per SM, each issuing one instruction a clock
SHARED_LATENCY = 30     # clocks from a barrier to the first shared load's result


def peak_tflops(cc):
    """The FP32 peak of the GPU for compute capability ``cc``: SMs * lanes * 2 flops * clock."""
    gpu = GPUS[tuple(cc)]
    return gpu.sms * gpu.fp32_lanes * 2 * gpu.clock_ghz / 1e3


def tflops(loop, occupancy, cc=(9, 0), threads=256, barriers=2, round_trips=None,
           trips_per_step=1, bytes_per_flop=None):
    """Estimated TFLOP/s of a kernel whose time goes to ``loop`` (a ``sass.LoopStats``).

    ``occupancy`` is ``sass.occupancy``'s dict. A "step" is the stretch between barriers that
    the global loads serve: ``trips_per_step`` trips of ``loop`` (1 when the loop body is the
    whole unrolled K-step), ``barriers`` barriers and ``round_trips`` serial round trips to
    memory (default: the loop's own global loads over the loads in flight). Returns
    {"tflops", "issue", "latency_hiding", "peak", "cublas_share"}.
    """
    gpu = GPUS[tuple(cc)]
    pipe = 32 / (gpu.fp32_lanes / PARTITIONS)            # clocks of FP32 pipe per warp FFMA
    per_trip = max(loop.instructions, loop.ffma * pipe)
    issue = loop.ffma * pipe / per_trip if per_trip else 0.0
    if round_trips is None:
        round_trips = math.ceil(loop.global_loads / max(loop.loads_in_flight, 1))
    warps = math.ceil(threads / 32) / PARTITIONS        # a block's warps on one partition
    step = per_trip * trips_per_step * warps             # clocks a block issues per step
    covered = loop.issue_to_use * warps if round_trips == 1 else 0
    exposed = barriers * SHARED_LATENCY + max(0, round_trips * gpu.global_latency - covered)
    hiding = step / (step + exposed / max(occupancy["blocks"], 1)) if step else 0.0
    rate = peak_tflops(cc) * issue * hiding
    if bytes_per_flop:
        rate = min(rate, gpu.l2_tb_s * 1e12 / bytes_per_flop / 1e12)
    return {"tflops": round(rate, 1), "issue": round(issue, 3),
            "latency_hiding": round(hiding, 3), "peak": round(peak_tflops(cc), 1),
            "cublas_share": round(rate / gpu.cublas_tflops, 2)}


# ----------------------------------------------------------------------------- fused vs composite

#: HBM bandwidth (TB/s) of the GPUS: what the composite attention's N x N passes stream at.
HBM_TB_S = {(8, 0): 2.0, (9, 0): 3.35}
#: Sequence lengths and head dims of the fused vs composite table (issue 14: N >= 1024).
ATTENTION_NS, ATTENTION_DS = (1024, 2048, 4096, 8192), (64, 128)
#: The share of the flops each arithmetic loop of a fused kernel does, in code order: forward
#: S = Q K^T and O += P V; backward S and dP, dV and dK, dQ (five equal products).
FORWARD_FLOP_SHARES, BACKWARD_FLOP_SHARES = (0.5, 0.5), (0.4, 0.4, 0.2)


def merged_loop(loops, flop_shares):
    """One ``sass.LoopStats`` standing for a kernel's arithmetic ``loops`` (in code order), each
    doing its share of the flops: instructions are weighted by the trips that share takes, so
    ``tflops`` of the result rates the whole kernel rather than its best loop."""
    total = sum(loop.ffma for loop in loops)
    weights = [share * total / loop.ffma for loop, share in zip(loops, flop_shares)]
    instructions = sum(w * loop.instructions for w, loop in zip(weights, loops))
    return loops[0]._replace(
        instructions=round(instructions), ffma=total, ffma_share=round(total / instructions, 3),
        lds=round(sum(w * loop.lds for w, loop in zip(weights, loops))),
        lds128=round(sum(w * loop.lds128 for w, loop in zip(weights, loops))),
        global_loads=0, loads_in_flight=0, issue_to_use=0)


def attention_times(n, d, rates, cc=(9, 0), itemsize=4):
    """Estimated microseconds of attention over one (batch, head), n queries and n keys of head
    dim d: {"forward": (fused, composite), "backward": (fused, composite)}.

    ``rates``: estimated TFLOP/s of {"matmul", "forward", "backward"} (``tflops``: the production
    matmul, the fused kernels at this d). The model:

    * fused forward: 4 n^2 d flops (S = Q K^T, P V) at the fused forward's rate; fused backward:
      10 n^2 d (S recomputed, dP, dV, dK, dQ) at the fused backward's rate. Their global
      traffic, O(n d) a block and served mostly by L2, is taken as covered by that rate (the
      loads are staged behind the arithmetic).
    * composite forward: Q K^T and P V (4 n^2 d flops) at the matmul's rate, plus four passes
      over an n x n float matrix at HBM bandwidth: the matmul writes S, softmax reads S and
      writes P, the second matmul reads P. Composite backward: four matmuls (dV = P^T dO,
      dP = dO V^T, dQ = dS K, dK = dS^T Q: 8 n^2 d flops) plus seven passes: dP written, P read
      for dV, softmax's backward reads P and dP and writes dS, two matmuls read dS.
    * Generous to the composite: its matmuls run at the production kernel's 4096^3 rate (a
      64- or 128-wide side runs slower), the scale and mask passes are left out, every pass
      runs at full HBM bandwidth, launches cost nothing. Enough (batch, head) pairs fill the
      GPU; the timings are per pair.
    """
    hbm = HBM_TB_S[tuple(cc)] * 1e12
    square = n * n * itemsize / hbm
    matmul = 2 * n * n * d / (rates["matmul"] * 1e12)
    us = 1e6
    return {"forward": (4 * n * n * d / (rates["forward"] * 1e12) * us,
                        (2 * matmul + 4 * square) * us),
            "backward": (10 * n * n * d / (rates["backward"] * 1e12) * us,
                         (4 * matmul + 7 * square) * us)}


def attention_table(rates_by_d, cc=(9, 0)):
    """Lines of the fused vs composite table: for each d in ``rates_by_d`` ({d: rates}, see
    ``attention_times``) and N in ATTENTION_NS, the microseconds a (batch, head) pair takes."""
    lines = [f"{'N':>5} {'d':>4}  {'fwd fused':>9} {'composite':>9} {'x':>5}  "
             f"{'bwd fused':>9} {'composite':>9} {'x':>5}   (us a (batch, head), {GPUS[cc].name})"]
    for d, rates in rates_by_d.items():
        for n in ATTENTION_NS:
            t = attention_times(n, d, rates, cc)
            (ff, fc), (bf, bc) = t["forward"], t["backward"]
            lines.append(f"{n:>5} {d:>4}  {ff:>9.1f} {fc:>9.1f} {fc / ff:>5.2f}  "
                         f"{bf:>9.1f} {bc:>9.1f} {bc / bf:>5.2f}")
    return lines


def fused_rate(facts, flop_shares, threads, cc=(9, 0)):
    """Estimated TFLOP/s of a fused attention kernel from ``kernels.ptx``'s facts of it (its
    arithmetic loops merged by ``merged_loop``, a barrier a loop)."""
    from kernels.sass import LoopStats
    loops = [LoopStats(**loop) for loop in facts["loops"] if loop["ffma"]]
    return tflops(merged_loop(loops, flop_shares), facts["occupancy"], cc, threads,
                  barriers=len(loops))["tflops"]


def main():
    """``python -m kernels.estimate``: the fused vs composite table (float32, sm_90, C layout),
    from the machine code of the production matmul and the fused kernels at d = 64 and 128."""
    from kernels import ptx
    names = ["matmul_register_large"] + [f"attention_{kind}_d{d}" for d in ATTENTION_DS
                                         for kind in ("forward", "backward")]
    facts = {ptx.parse_key(key)[0]: fact for key, fact in
             ptx.report(ptx.compile_all([(9, 0)], ["float32"], ["C"], names)).items()}
    threads = {name: kernel.threads for name, kernel in ptx.kernels("float32", "C").items()}
    rates = {d: {"matmul": facts["matmul_register_large"]["estimate"]["tflops"],
                 "forward": fused_rate(facts[f"attention_forward_d{d}"], FORWARD_FLOP_SHARES,
                                       threads[f"attention_forward_d{d}"]),
                 "backward": fused_rate(facts[f"attention_backward_d{d}"], BACKWARD_FLOP_SHARES,
                                        threads[f"attention_backward_d{d}"])}
             for d in ATTENTION_DS}
    for d, rate in rates.items():
        print(f"d={d}: estimated TFLOP/s {rate}")
    print("\n".join(attention_table(rates)))


if __name__ == "__main__":
    main()
