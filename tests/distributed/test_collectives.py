"""Collectives on real MPI ranks (the worker checks each against numpy); see workers/collectives.py."""
import re


def test_every_collective_matches_numpy_on_two_ranks(run_ranks):
    done = run_ranks("collectives")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(re.findall(r"COLLECTIVES OK rank \d+", done.stdout)) == [
        "COLLECTIVES OK rank 0", "COLLECTIVES OK rank 1"]
