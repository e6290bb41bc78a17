"""Random and creation functions: PyTorch's call forms, dtypes, ranges, distributions (seeded), seeding."""
import numpy as np
import pytest

import minitorch


def test_factory_call_forms_and_dtypes():
    assert minitorch.zeros(size=(2, 3)).shape == (2, 3)
    assert minitorch.ones(2, 3, dtype=minitorch.int64).dtype == minitorch.int64
    out = minitorch.empty(1)
    assert minitorch.rand(2, 2, out=out) is out and out.shape == (2, 2)
    assert minitorch.randint(10, (3,)).dtype == minitorch.int64
    low_high = minitorch.randint(3, 5, (100,))
    assert 3 <= int(low_high.min()) and int(low_high.max()) < 5
    assert minitorch.randint(low=2, high=4, size=(5,)).min().item() >= 2
    x = minitorch.zeros(2, 3, dtype=minitorch.float64)
    for like in (minitorch.zeros_like, minitorch.ones_like, minitorch.empty_like, minitorch.rand_like,
                 minitorch.randn_like):
        y = like(x, requires_grad=True)
        assert y.shape == (2, 3) and y.dtype == minitorch.float64 and y.requires_grad
    assert minitorch.randint_like(x, 4).dtype == minitorch.float64
    assert minitorch.logspace(0, 2, 3).tolist() == [1.0, 10.0, 100.0]
    assert minitorch.eye(2, 3).shape == (2, 3)
    with pytest.raises(RuntimeError, match="negative"):
        minitorch.zeros(-1)
    with pytest.raises(RuntimeError, match="floating"):
        minitorch.rand(2, dtype=minitorch.int64)


def test_factories_match_torch():
    torch = pytest.importorskip("torch")
    for f in (lambda t: t.randint(10, (3,)).dtype, lambda t: t.logspace(0, 1, 5, base=2.0).tolist(),
              lambda t: t.arange(5).dtype, lambda t: t.full((2,), 1.5).dtype, lambda t: t.eye(3, 2).tolist(),
              lambda t: t.randperm(4).dtype, lambda t: t.empty_like(t.ones(2, dtype=t.int32)).dtype,
              lambda t: tuple(t.normal(0.0, 1.0, size=(2, 3)).shape), lambda t: t.poisson(t.ones(3)).dtype,
              lambda t: tuple(t.multinomial(t.ones(2, 5), 3).shape), lambda t: t.bernoulli(t.ones(2, dtype=t.float64)).dtype,
              lambda t: tuple(t.normal(t.zeros(3), t.ones(2, 1)).shape)):
        assert str(f(minitorch)).replace("minitorch.", "") == str(f(torch)).replace("torch.", "")
    for f in (lambda t: t.randint(5, 3, (2,)), lambda t: t.multinomial(t.ones(3), 4),
              lambda t: t.multinomial(t.tensor([1.0, -1.0]), 1), lambda t: t.normal(t.zeros(2), -1.0),
              lambda t: t.bernoulli(t.tensor([2.0]))):
        for lib in (minitorch, torch):
            with pytest.raises(RuntimeError):
                f(lib)


def test_asarray_shares_or_copies():
    a = np.arange(3.0)
    assert np.shares_memory(minitorch.asarray(a).numpy(), a)
    assert not np.shares_memory(minitorch.asarray(a, copy=True).numpy(), a)
    with pytest.raises(RuntimeError, match="copy=False"):
        minitorch.asarray(a, dtype=minitorch.float32, copy=False)


def test_distributions_are_statistically_right():
    minitorch.manual_seed(0)
    p = minitorch.full((20000,), 0.3)
    assert abs(minitorch.bernoulli(p).mean().item() - 0.3) < 0.02
    assert abs(minitorch.zeros(20000).bernoulli_(0.7).mean().item() - 0.7) < 0.02
    draws = minitorch.normal(minitorch.full((20000,), 2.0), 3.0).numpy()
    assert abs(draws.mean() - 2.0) < 0.1 and abs(draws.std() - 3.0) < 0.1
    assert abs(minitorch.poisson(minitorch.full((20000,), 4.0)).mean().item() - 4.0) < 0.1
    assert abs(minitorch.zeros(20000).exponential_(2.0).mean().item() - 0.5) < 0.02
    assert abs(minitorch.zeros(20000).geometric_(0.25).mean().item() - 4.0) < 0.15
    counts = np.bincount(minitorch.multinomial(minitorch.tensor([1.0, 3.0]), 20000, True).numpy())
    assert abs(counts[1] / 20000 - 0.75) < 0.02
    rows = minitorch.multinomial(minitorch.ones(4, 6), 6).numpy()
    assert all(sorted(r) == list(range(6)) for r in rows)
    ints = minitorch.zeros(1000, dtype=minitorch.int64).random_(7)
    assert int(ints.min()) == 0 and int(ints.max()) == 6
    assert 0 <= minitorch.zeros(100).random_().min().item() and minitorch.zeros(10).random_().max().item() <= 2**24


def test_seeding_states_and_generators():
    g = minitorch.manual_seed(5)
    assert isinstance(g, minitorch.Generator) and minitorch.initial_seed() == 5
    state = minitorch.get_rng_state()
    assert state.dtype == minitorch.uint8 and state.ndim == 1
    a = minitorch.rand(4).tolist()
    minitorch.set_rng_state(state)
    assert minitorch.rand(4).tolist() == a
    gen = minitorch.Generator("cpu")
    assert gen.manual_seed(3) is gen and gen.device == minitorch.device("cpu") and gen.initial_seed() == 3
    saved = gen.get_state()
    b = minitorch.randn(3, generator=gen).tolist()
    assert minitorch.randn(3, generator=gen.set_state(saved)).tolist() == b
    s = minitorch.seed()
    assert isinstance(s, int) and minitorch.initial_seed() == s
    assert isinstance(gen.seed(), int)


def test_random_ops_follow_the_device():
    pytest.importorskip("numba")
    if not minitorch.cuda.is_available():
        pytest.skip("no cuda device (set NUMBA_ENABLE_CUDASIM=1 to use the simulator)")
    minitorch.manual_seed(1)
    cpu = minitorch.bernoulli(minitorch.full((5,), 0.5)).tolist()
    minitorch.manual_seed(1)
    cuda = minitorch.bernoulli(minitorch.full((5,), 0.5, device="cuda"))
    assert cuda.device == "cuda" and cuda.tolist() == cpu
