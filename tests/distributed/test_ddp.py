"""DistributedDataParallel on 2 real ranks, started through the launcher; see workers/ddp.py."""
import re


def test_ddp_equals_one_process_on_the_full_batch(run_ranks):
    done = run_ranks("ddp", launcher=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(re.findall(r"DDP OK rank \d+", done.stdout)) == ["DDP OK rank 0", "DDP OK rank 1"]
