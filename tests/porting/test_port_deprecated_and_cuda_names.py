"""Names older tutorials and training scripts call: nn.init's deprecated spellings
(``nn.init.xavier_uniform``), ``nn.utils.clip_grad_norm``, and torch.cuda's queries
(``get_device_properties``, ``current_stream().synchronize()``, the rng state)."""

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn

DEPRECATED_INIT = ["uniform", "normal", "constant", "eye", "dirac", "xavier_uniform", "xavier_normal",
                   "kaiming_uniform", "kaiming_normal", "orthogonal", "sparse"]
ARGS = {"constant": (0.5,), "sparse": (0.5,)}


@pytest.mark.parametrize("name", DEPRECATED_INIT)
def test_deprecated_init_names_warn_and_do_what_the_new_one_does(name):
    shape = (2, 3, 3) if name == "dirac" else (4, 4)
    old, new = minitorch.zeros(*shape), minitorch.zeros(*shape)
    minitorch.manual_seed(0)
    with pytest.warns(FutureWarning, match=f"nn.init.{name}` is now deprecated in favor of `nn.init.{name}_"):
        getattr(nn.init, name)(old, *ARGS.get(name, ()))
    minitorch.manual_seed(0)
    getattr(nn.init, name + "_")(new, *ARGS.get(name, ()))
    np.testing.assert_array_equal(old.numpy(), new.numpy())


def test_deprecated_init_names_exist_in_torch():
    torch = pytest.importorskip("torch")
    assert [n for n in DEPRECATED_INIT if not hasattr(torch.nn.init, n)] == []


def test_clip_grad_norm_is_the_in_place_one_with_a_warning():
    layer = nn.Linear(3, 3)
    layer(minitorch.ones(1, 3)).sum().backward()
    expected = minitorch.cat([p.grad.flatten() for p in layer.parameters()]).norm()
    with pytest.warns(FutureWarning, match="clip_grad_norm_"):
        total = nn.utils.clip_grad_norm(layer.parameters(), 0.5)
    assert total.item() == pytest.approx(expected.item())
    assert minitorch.cat([p.grad.flatten() for p in layer.parameters()]).norm().item() == pytest.approx(0.5, rel=1e-4)


def test_cuda_rng_state_round_trips_and_seeds_are_the_generators():
    state = minitorch.cuda.get_rng_state()
    first = minitorch.rand(3)
    minitorch.cuda.set_rng_state(state)
    assert minitorch.equal(minitorch.rand(3), first)
    minitorch.manual_seed(7)
    assert minitorch.cuda.initial_seed() == minitorch.initial_seed() == 7


def test_cuda_memory_stats_has_the_keys_programs_read():
    stats = minitorch.cuda.memory_stats()
    assert {"allocated_bytes.all.current", "allocated_bytes.all.peak", "reserved_bytes.all.current"} <= set(stats)
    assert minitorch.cuda.max_memory_reserved() >= 0


@pytest.mark.skipif(not minitorch.cuda.is_available(), reason="needs a GPU or the CUDA simulator")
def test_cuda_device_queries_under_the_simulator_or_a_gpu():
    props = minitorch.cuda.get_device_properties(0)
    assert isinstance(props.name, str) and props.major >= 5
    assert minitorch.cuda.get_device_capability() == (props.major, props.minor)
    assert minitorch.cuda.current_stream().synchronize() is None and minitorch.cuda.default_stream().query()
    assert minitorch.cuda.is_initialized()
    with pytest.raises(RuntimeError, match="one GPU"):
        minitorch.cuda.get_device_properties("cuda:1")
