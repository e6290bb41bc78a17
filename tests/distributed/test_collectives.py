"""Collectives on real MPI ranks (the worker checks each against numpy); see workers/collectives.py."""


def test_every_collective_matches_numpy_on_two_ranks(run_ranks):
    done = run_ranks("collectives")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(line for line in done.stdout.splitlines() if "OK" in line) == [
        "COLLECTIVES OK rank 0", "COLLECTIVES OK rank 1"]
