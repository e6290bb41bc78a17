"""Ranks that disagree on shapes, skip a collective or die: errors within seconds, never a hang."""
import re


def test_disagreeing_models_and_a_missed_collective_raise(run_ranks):
    done = run_ranks("failures", "disagree")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(re.findall(r"FAILURES OK rank \d+", done.stdout)) == [
        "FAILURES OK rank 0", "FAILURES OK rank 1"]


def test_a_rank_that_dies_ends_the_launch(run_ranks):
    done = run_ranks("failures", "dies", launcher=True, timeout=60)
    assert done.returncode != 0
    assert "ValueError: rank 1 gives up" in done.stderr
    assert "must not get past" not in done.stdout + done.stderr
