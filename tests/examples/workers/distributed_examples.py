"""One rank of tests/examples/test_distributed_examples.py: the cnn and gpt examples, distributed.

    mpiexec -n 2 python distributed_examples.py RESULTS_FOLDER

Each example writes into ``RESULTS_FOLDER/<example>-rank<R>`` (a folder per rank, so the test
sees which ranks wrote files); each rank then saves what it saw in ``rank<R>.json``: the
history, and a checksum of its final weights (the replicas must be equal).
"""
import json
import os
import sys

import minitorch.distributed as dist
from minitorch.examples import cnn, gpt

folder = sys.argv[1]
dist.init_process_group("mpi")
rank = dist.get_rank()
report = {"world": dist.get_world_size()}
result = cnn.train(epochs=2, batch_size=16, lr=3e-3, limit_train=128, limit_test=40, channels=(4, 8), hidden=16,
                   out=os.path.join(folder, f"cnn-rank{rank}"), progress=False, distributed=True)
report["cnn"] = {"history": result["history"], "test_acc": result["test_acc"]}
result = gpt.train(steps=12, layers=1, heads=2, width=16, context=8, batch_size=8, eval_every=4, warmup=2,
                   corpus_chars=3000, sample_length=5, out=os.path.join(folder, f"gpt-rank{rank}"), progress=False,
                   distributed=True)
weights = sum(float(p.detach().double().sum()) for p in result["model"].parameters())
report["gpt"] = {"history": result["history"], "weights": weights, "sample": result["sample"]}
with open(os.path.join(folder, f"rank{rank}.json"), "w") as f:
    json.dump(report, f)
dist.destroy_process_group()
