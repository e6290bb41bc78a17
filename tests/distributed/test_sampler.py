"""DistributedSampler's shards (no MPI needed: num_replicas and rank are given)."""
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch.distributed as dist
from minitorch.utils.data import DataLoader
from minitorch.utils.data.distributed import DistributedSampler


@given(st.integers(1, 40), st.integers(1, 6), st.booleans(), st.integers(0, 9), st.integers(0, 3))
def test_the_shards_cover_the_dataset_exactly_once(n, replicas, shuffle, seed, epoch):
    """Without drop_last every index is read once, plus the fewest repeats that even out the shards;
    with it, each index at most once and only the tail (fewer than num_replicas) is left out."""
    shards = []
    for rank in range(replicas):
        sampler = DistributedSampler(range(n), num_replicas=replicas, rank=rank, shuffle=shuffle, seed=seed)
        sampler.set_epoch(epoch)
        shards.append(list(sampler))
    counts = Counter(i for shard in shards for i in shard)
    assert len({len(shard) for shard in shards}) == 1 and set(counts) == set(range(n))
    total = -(-n // replicas) * replicas  # padded up to a multiple of num_replicas, by repeating the order
    assert sum(counts.values()) == total and max(counts.values()) == -(-total // n)
    assert min(counts.values()) == total // n
    kept = [list(DistributedSampler(range(n), replicas, rank, shuffle=shuffle, seed=seed, drop_last=True))
            for rank in range(replicas)]
    flat = [i for shard in kept for i in shard]
    assert len(flat) == len(set(flat)) == n - n % replicas


def test_the_shards_feed_a_dataloader_and_change_with_the_epoch():
    sampler = DistributedSampler(list(range(10)), num_replicas=2, rank=1, seed=3)
    first = [batch.tolist() for batch in DataLoader(list(range(10)), batch_size=5, sampler=sampler)]
    sampler.set_epoch(1)
    second = [batch.tolist() for batch in DataLoader(list(range(10)), batch_size=5, sampler=sampler)]
    assert len(first) == 1 and len(first[0]) == 5 and first != second


def test_without_a_process_group_num_replicas_and_rank_must_be_given():
    assert not dist.is_initialized()
    with pytest.raises(RuntimeError, match=r"DistributedSampler: .*init_process_group\(\) first, or pass both"):
        DistributedSampler(range(4))
