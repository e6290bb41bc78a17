"""nn.Module's state-dict protocol against PyTorch: _save_to_state_dict/_load_from_state_dict, metadata
versions, extra state, the state-dict hooks; and the last Module methods (to_empty, compile, ...)."""
import re
import warnings

import numpy as np
import pytest

import minitorch
from minitorch import nn


def _classes(lib):
    """The same custom modules, written against ``lib`` (minitorch or torch)."""

    class Counter(lib.nn.Module):
        """Saves a plain Python object as extra state."""

        def __init__(self):
            super().__init__()
            self.lin = lib.nn.Linear(2, 2)
            self.calls = 0

        def get_extra_state(self):
            return {"calls": self.calls}

        def set_extra_state(self, state):
            self.calls = state["calls"]

    class Renamed(lib.nn.Module):
        """Version 2 renamed "w_old" to "w": old checkpoints are migrated while loading."""

        _version = 2

        def __init__(self):
            super().__init__()
            self.w = lib.nn.Parameter(lib.zeros(3))

        def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing, unexpected, errors):
            if local_metadata.get("version", 1) < 2 and prefix + "w_old" in state_dict:
                state_dict[prefix + "w"] = state_dict.pop(prefix + "w_old")
            super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing, unexpected, errors)

    return Counter, Renamed


def _net(lib):
    Counter, Renamed = _classes(lib)
    lib.manual_seed(0)
    return lib.nn.Sequential(Counter(), Renamed())


def _arrays(sd):
    return {k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in sd.items()}


def _state_dict_record(lib):
    net, log = _net(lib), []
    for name, m in net.named_modules():
        m.register_state_dict_pre_hook(lambda mod, prefix, keep_vars, n=name: log.append(("pre", n, prefix, keep_vars)))
        m.register_state_dict_post_hook(
            lambda mod, sd, prefix, meta, n=name: log.append(("post", n, prefix, list(sd), dict(meta))))
    sd = net.state_dict(prefix="top.", keep_vars=True)
    sd2 = net.state_dict()
    return log, list(sd), {k: dict(v) for k, v in sd2._metadata.items()}, sd2["0._extra_state"]


def test_state_dict_hooks_metadata_and_extra_state_match_torch():
    torch = pytest.importorskip("torch")
    assert _state_dict_record(minitorch) == _state_dict_record(torch)


def _load_record(lib, strict, edit_missing):
    net, log = _net(lib), []
    for name, m in net.named_modules():
        m.register_load_state_dict_pre_hook(
            lambda mod, sd, prefix, meta, strict, missing, unexpected, errors, n=name:
            log.append(("pre", n, prefix, sorted(sd), dict(meta), strict, list(missing), list(unexpected))))

        def post(mod, keys, n=name):
            log.append(("post", n, list(keys.missing_keys), list(keys.unexpected_keys)))
            if edit_missing:
                keys.missing_keys.clear()
        m.register_load_state_dict_post_hook(post)
    net._register_load_state_dict_pre_hook(lambda sd, prefix, *rest: log.append(("private", prefix, len(rest))))
    sd = net.state_dict()
    sd["0._extra_state"] = {"calls": 7}
    sd["1.w_old"] = sd.pop("1.w") + 2.0
    sd._metadata["1"]["version"] = 1  # an old checkpoint: Renamed migrates its key
    del sd["0.lin.bias"]
    sd["0.extra"] = sd["0.lin.weight"]
    try:
        result = net.load_state_dict(sd, strict=strict)
    except RuntimeError as error:
        # minitorch names the op first and adds a hint after: the rest is PyTorch's text
        result = str(error).replace("torch", "minitorch").removeprefix("load_state_dict: ").split("\n(")[0]
    return log, result if isinstance(result, str) else tuple(result), net[0].calls, net[1].w.tolist()


@pytest.mark.parametrize("strict, edit_missing", [(True, False), (False, False), (True, True)])
def test_load_state_dict_hooks_keys_and_errors_match_torch(strict, edit_missing):
    torch = pytest.importorskip("torch")
    ours, theirs = _load_record(minitorch, strict, edit_missing), _load_record(torch, strict, edit_missing)
    assert ours[0] == theirs[0] and ours[1] == theirs[1]
    if not isinstance(ours[1], str):  # loaded: the migrated key and the extra state arrived
        assert ours[2:] == theirs[2:] == (7, [2.0, 2.0, 2.0])


def _post_hook_results(lib):
    m = lib.nn.Linear(2, 1)
    handle = m._register_state_dict_hook(lambda mod, sd, prefix, meta: {"replaced": 1})
    replaced = dict(m.state_dict())
    handle.remove()
    m.register_state_dict_post_hook(lambda mod, sd, prefix, meta: {"replaced": 1})
    with pytest.raises(RuntimeError, match="must return None"):
        m.state_dict()
    return replaced, sorted(lib.nn.Linear(2, 1).state_dict())


def test_post_hook_return_values_match_torch():
    torch = pytest.importorskip("torch")
    assert _post_hook_results(minitorch) == _post_hook_results(torch)


def test_size_mismatch_text_matches_torch():
    torch = pytest.importorskip("torch")
    texts = []
    for lib in (minitorch, torch):
        m = lib.nn.Linear(3, 2)
        with pytest.raises(RuntimeError) as info:
            m.load_state_dict({"weight": lib.zeros(3, 3), "bias": lib.zeros(2)})
        texts.append(str(info.value).removeprefix("load_state_dict: ").split("\n(")[0])  # minitorch names the op first
    assert texts[0] == re.sub(r"torch\.Size\(\[(\d+), (\d+)\]\)", r"(\1, \2)", texts[1])  # shapes as tuples


# ------------------------------------------------------------------ torch-free
def test_a_failed_load_changes_nothing_even_after_copies_and_assignments():
    for assign in (False, True):
        net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
        before = {k: v.clone() for k, v in net.state_dict().items()}
        params = list(net.parameters())
        bad = {k: v + 1.0 for k, v in before.items()}
        bad["1.weight"] = minitorch.zeros(5)  # after "0.*" were loaded
        with pytest.raises(RuntimeError, match=r"size mismatch for 1.weight.*\n\(Nothing was loaded.\)"):
            net.load_state_dict(bad, assign=assign)
        assert all(a is b for a, b in zip(net.parameters(), params, strict=True))
        for k, v in net.state_dict().items():
            np.testing.assert_array_equal(v.numpy(), before[k].numpy())


def test_extra_state_is_unexpected_without_set_extra_state_and_the_defaults_raise():
    m = nn.Linear(2, 1)
    sd = m.state_dict()
    sd["_extra_state"] = 1
    with pytest.raises(RuntimeError, match='Unexpected key\\(s\\) in state_dict: "_extra_state"'):
        m.load_state_dict(sd)
    with pytest.raises(RuntimeError, match="override it"):
        m.get_extra_state()
    with pytest.raises(RuntimeError, match="override it"):
        m.set_extra_state(1)


def test_handles_remove_every_kind_of_state_dict_hook():
    m, log = nn.Linear(2, 1), []
    handles = [m.register_state_dict_pre_hook(lambda *a: log.append(1)),
               m.register_state_dict_post_hook(lambda *a: log.append(2)),
               m._register_state_dict_hook(lambda *a: log.append(3)),
               m.register_load_state_dict_pre_hook(lambda *a: log.append(4)),
               m._register_load_state_dict_pre_hook(lambda *a: log.append(5)),
               m.register_load_state_dict_post_hook(lambda *a: log.append(6))]
    m.load_state_dict(m.state_dict())
    assert log == [1, 2, 3, 4, 5, 6]
    for handle in handles:
        handle.remove()
    m.load_state_dict(m.state_dict())
    assert log == [1, 2, 3, 4, 5, 6]


def test_last_module_methods():
    m = nn.Sequential(nn.Linear(2, 3))
    weight = m[0].weight
    assert m.to_empty(device="cpu") is m and m[0].weight is weight and weight.shape == (3, 2)
    assert m.share_memory() is m
    assert m.compile(fullgraph=True) is None and m(minitorch.ones(1, 2)).shape == (1, 3)
    assert nn.Module.call_super_init is False and nn.Module.dump_patches is False and nn.Module._version == 1
    assert nn.Module.T_destination.__name__ == "T_destination"
    for name in ("ipu", "xpu", "mtia"):
        with pytest.raises(RuntimeError, match=f"no {name.upper()} devices"):
            getattr(m, name)()


def test_register_backward_hook_warns_and_acts_as_the_full_hook():
    m, seen = nn.Linear(2, 1), []
    with pytest.warns(FutureWarning, match="register_full_backward_hook"):
        handle = m.register_backward_hook(lambda mod, gi, go: seen.append((len(gi), len(go))))
    x = minitorch.ones(1, 2, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m(x).sum().backward()
    handle.remove()
    assert seen == [(1, 1)]


def test_parametrized_weight_norm_loads_the_old_weight_g_and_weight_v_keys():
    old = nn.utils.weight_norm(nn.Linear(3, 2))
    with minitorch.no_grad():
        old.weight_g.mul_(2.0)
    new = nn.utils.parametrizations.weight_norm(nn.Linear(3, 2))
    assert new.load_state_dict(old.state_dict()) == ([], [])
    x = minitorch.randn(4, 3)
    np.testing.assert_allclose(new(x).detach().numpy(), old(x).detach().numpy(), rtol=1e-6)
