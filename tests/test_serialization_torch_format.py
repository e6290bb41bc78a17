"""PyTorch's checkpoint format: files exchanged with torch both ways, whole modules, hostile files."""
import io
import os
import pickle
import sys
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
from minitorch import torch_format
from minitorch.serialization import load, save

SIDE_EFFECTS = []  # what a hostile file would leave here (or on disk) if the loader ran it


class Recorded(nn.Module):
    """A user's model: an LSTM, a shared head, a buffer and plain attributes; counts __init__ calls."""

    inits = 0

    def __init__(self):
        super().__init__()
        Recorded.inits += 1
        self.lstm = nn.LSTM(3, 4, batch_first=True)
        self.head = nn.Linear(4, 2)
        self.tied = self.head
        self.register_buffer("scale", minitorch.full((2,), 0.5))
        self.name, self.sizes = "recorded", (3, 4)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1]) * self.scale


def mlp():
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def trained(model, opt_class=minitorch.optim.Adam):
    opt = opt_class(model.parameters(), lr=0.01)
    for _ in range(2):
        opt.zero_grad()
        model(minitorch.randn(5, 3)).sum().backward()
        opt.step()
    return opt


def saved(obj):
    buffer = io.BytesIO()
    save(obj, buffer)
    buffer.seek(0)
    return buffer


def archive_with(pickled, storages=()):
    """A PyTorch-format file whose data.pkl is ``pickled``, with the given (key, bytes) storages."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("x/data.pkl", pickled)
        zf.writestr("x/byteorder", "little")
        for key, data in storages:
            zf.writestr(f"x/data/{key}", data)
    buffer.seek(0)
    return buffer


def same(a, b):
    np.testing.assert_array_equal(np.asarray(a.detach().numpy()), np.asarray(b.detach().numpy()))


# ------------------------------------------------------------------- minitorch <-> minitorch
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"])
def test_every_dtype_round_trips(dtype):
    t = minitorch.tensor(np.arange(6).reshape(2, 3) % 3, dtype=dtype)
    loaded = load(saved({"t": t, "T": t.T, "s": t[0, 1]}))
    for key, want in (("t", t), ("T", t.T), ("s", t[0, 1])):
        assert loaded[key].dtype == want.dtype and loaded[key].shape == want.shape
        same(loaded[key], want)


def test_state_dicts_round_trip_and_restore_the_model():
    minitorch.manual_seed(0)
    model = mlp()
    opt = trained(model)
    loaded = load(saved({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 3, "note": b"\x00\xff"}))
    assert type(loaded["model"]) is OrderedDict and list(loaded["model"]) == list(model.state_dict())
    assert loaded["epoch"] == 3 and loaded["note"] == b"\x00\xff"
    fresh = mlp()
    fresh.load_state_dict(loaded["model"])
    fresh_opt = minitorch.optim.Adam(fresh.parameters(), lr=0.01)
    fresh_opt.load_state_dict(loaded["opt"])
    x = minitorch.randn(2, 3)
    same(fresh(x), model(x))


def test_numpy_values_and_parameters_keep_their_types():
    state = {"a": np.arange(4, dtype=np.int32).reshape(2, 2).T, "f": np.float32(2.5), "s": {1, 2},
             "p": nn.Parameter(minitorch.ones(2)), "g": minitorch.ones(2, requires_grad=True), "c": 1 + 2j}
    loaded = load(saved(state))
    np.testing.assert_array_equal(loaded["a"], state["a"])
    assert loaded["a"].dtype == np.int32 and loaded["f"] == np.float32(2.5) and type(loaded["f"]) is np.float32
    assert type(loaded["p"]) is nn.Parameter and loaded["p"].requires_grad and loaded["g"].requires_grad
    assert loaded["s"] == {1, 2} and loaded["c"] == 1 + 2j


def test_a_path_ending_in_npz_keeps_minitorchs_numpy_format(tmp_path):
    save({"w": minitorch.ones(2)}, tmp_path / "w.npz")
    save({"w": minitorch.ones(2)}, tmp_path / "w.pt")
    with np.load(tmp_path / "w.npz", allow_pickle=False) as archive:
        assert "w" in archive.files
    assert torch_format.prefix_of(zipfile.ZipFile(tmp_path / "w.pt")) == "archive/"
    assert load(tmp_path / "w.npz")["w"].tolist() == load(tmp_path / "w.pt")["w"].tolist() == [1.0, 1.0]


def test_what_cannot_be_saved_is_refused_before_a_file_is_made(tmp_path):
    with pytest.raises(TypeError, match="minitorch.save: cannot save function.*lambda"):
        save(lambda: 1, tmp_path / "f.pt")
    assert not (tmp_path / "f.pt").exists()


def test_map_location_sends_tensors_where_they_belong():
    on_cuda = load(saved({"w": minitorch.ones(2).to("cuda")}))["w"]
    assert on_cuda.device == "cuda"  # restored where it was saved, as PyTorch does
    buffer = saved({"w": on_cuda})
    assert load(buffer, map_location="cpu")["w"].device == "cpu"
    buffer.seek(0)
    assert load(buffer, map_location={"cuda:0": "cpu"})["w"].device == "cpu"
    buffer.seek(0)
    seen = []
    load(buffer, map_location=lambda t, where: seen.append(where) or t)
    assert seen == ["cuda:0"]


# ------------------------------------------------------------------- minitorch <-> torch
def test_torch_reads_what_minitorch_saved_and_gets_the_same_model():
    torch = pytest.importorskip("torch")
    minitorch.manual_seed(1)
    model = mlp()
    opt = trained(model)
    extra = {"h": minitorch.ones(2, dtype=minitorch.float16), "b": minitorch.tensor([True, False]),
             "s": minitorch.tensor(3), "T": minitorch.arange(6.0).reshape(2, 3).T}
    got = torch.load(saved({"model": model.state_dict(), "opt": opt.state_dict(), **extra}), weights_only=True)
    for key, value in extra.items():
        assert str(got[key].dtype) == str(value.dtype).replace("minitorch", "torch") and got[key].tolist() == value.tolist()
    twin = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    twin.load_state_dict(got["model"])
    twin_opt = torch.optim.Adam(twin.parameters(), lr=0.01)
    twin_opt.load_state_dict(got["opt"])
    assert set(got["opt"]["state"][0]) == {"step", "exp_avg", "exp_avg_sq"}
    x = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
    np.testing.assert_array_equal(twin(torch.tensor(x)).detach().numpy(), model(minitorch.tensor(x)).detach().numpy())


def test_minitorch_reads_what_torch_saved_and_gets_the_same_model():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    twin = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    twin_opt = torch.optim.Adam(twin.parameters(), lr=0.01)
    twin(torch.randn(5, 3)).sum().backward()
    twin_opt.step()
    base = torch.arange(12.0)
    buffer = io.BytesIO()
    torch.save({"model": twin.state_dict(), "opt": twin_opt.state_dict(), "views": [base[2:8:2], base.view(3, 4).t()],
                "p": torch.nn.Parameter(torch.ones(2)), "size": torch.Size([2, 3]), "dtype": torch.int64,
                "device": torch.device("cpu"), "i": torch.tensor([1, -2], dtype=torch.int16)}, buffer)
    buffer.seek(0)
    got = load(buffer)
    assert got["views"][0].tolist() == [2.0, 4.0, 6.0] and got["views"][1].tolist() == base.view(3, 4).t().tolist()
    assert type(got["p"]) is nn.Parameter and got["size"] == (2, 3) and got["dtype"] is minitorch.int64
    assert got["device"] == "cpu" and got["i"].dtype == minitorch.int16 and got["i"].tolist() == [1, -2]
    model = mlp()
    model.load_state_dict(got["model"])
    opt = minitorch.optim.Adam(model.parameters(), lr=0.01)
    opt.load_state_dict(got["opt"])
    x = np.random.default_rng(1).standard_normal((2, 3)).astype(np.float32)
    np.testing.assert_array_equal(model(minitorch.tensor(x)).detach().numpy(), twin(torch.tensor(x)).detach().numpy())


@pytest.mark.parametrize("name, options", [("SGD", {"lr": 0.1, "momentum": 0.9}), ("AdamW", {"lr": 0.01}),
                                           ("RMSprop", {"lr": 0.01})])
def test_optimizer_state_crosses_both_ways_and_training_goes_on_alike(name, options):
    torch = pytest.importorskip("torch")
    minitorch.manual_seed(4)
    model = nn.Linear(3, 2)
    opt = trained(model, lambda params, lr: getattr(minitorch.optim, name)(params, **options))
    got = torch.load(saved({"model": model.state_dict(), "opt": opt.state_dict()}), weights_only=True)
    twin = torch.nn.Linear(3, 2)
    twin.load_state_dict(got["model"])
    twin_opt = getattr(torch.optim, name)(twin.parameters(), **options)
    twin_opt.load_state_dict(got["opt"])
    x = np.random.default_rng(2).standard_normal((4, 3)).astype(np.float32)
    for _ in range(2):  # a step in each, then back from torch's file into a fresh minitorch pair
        opt.zero_grad()
        model(minitorch.tensor(x)).sum().backward()
        opt.step()
        twin_opt.zero_grad()
        twin(torch.tensor(x)).sum().backward()
        twin_opt.step()
        np.testing.assert_allclose(model.weight.detach().numpy(), twin.weight.detach().numpy(), atol=1e-6)
        buffer = io.BytesIO()
        torch.save({"model": twin.state_dict(), "opt": twin_opt.state_dict()}, buffer)
        buffer.seek(0)
        back = load(buffer)
        model = nn.Linear(3, 2)
        model.load_state_dict(back["model"])
        opt = getattr(minitorch.optim, name)(model.parameters(), **options)
        opt.load_state_dict(back["opt"])


def test_torch_files_minitorch_cannot_read_say_why():
    torch = pytest.importorskip("torch")
    whole = io.BytesIO()
    torch.save(torch.nn.Linear(2, 2), whole)
    whole.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="torch.nn.modules.linear.Linear, a PyTorch class.*state_dict"):
        load(whole, weights_only=False)
    half = io.BytesIO()
    torch.save({"w": torch.ones(2, dtype=torch.bfloat16)}, half)
    half.seek(0)
    with pytest.raises(ValueError, match="BFloat16Storage.*numpy"):
        load(half)


# ------------------------------------------------------------------- whole modules
def test_a_whole_user_module_round_trips_without_running_init():
    minitorch.manual_seed(2)
    model = Recorded()
    buffer = saved(model)
    inits = Recorded.inits
    loaded = load(buffer, weights_only=False)
    assert Recorded.inits == inits  # rebuilt with __new__ and its state, not __init__
    assert type(loaded) is Recorded and type(loaded.lstm) is nn.LSTM and loaded.tied is loaded.head
    assert type(loaded.head.weight) is nn.Parameter and loaded.name == "recorded" and loaded.sizes == (3, 4)
    assert [n for n, _ in loaded.named_parameters()] == [n for n, _ in model.named_parameters()]
    x = minitorch.randn(2, 5, 3)
    same(loaded(x), model(x))
    loaded(x).sum().backward()
    assert loaded.lstm.weight_ih_l0.grad.shape == (16, 3)


@pytest.mark.parametrize("make, shape", [
    (lambda: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation="gelu"), (2, 3, 8)),
    (lambda: nn.GRU(3, 4, num_layers=2), (5, 2, 3)),
    (lambda: nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten()), (2, 1, 5, 5)),
])
def test_whole_built_in_modules_round_trip(make, shape):
    minitorch.manual_seed(3)
    model = make().eval()
    loaded = load(saved(model), weights_only=False)
    assert type(loaded) is type(model) and not loaded.training
    x = minitorch.randn(*shape)
    first = lambda out: out[0] if isinstance(out, tuple) else out  # noqa: E731
    same(first(loaded(x)), first(model(x)))


def test_an_activation_function_is_a_value_never_called_while_loading():
    relu = f"{minitorch.nn.functional.relu.__module__}\nrelu\n".encode()
    with pytest.raises(pickle.UnpicklingError, match="the file calls .*relu"):
        load(archive_with(b"\x80\x02c" + relu + b"K\x01\x85R."), weights_only=False)
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL .*relu.*not an allowed global"):
        load(archive_with(b"\x80\x02c" + relu + b"."))


def test_a_whole_module_needs_weights_only_false_as_in_pytorch():
    buffer = saved(Recorded())
    with pytest.raises(pickle.UnpicklingError, match=r"Weights only load failed.*GLOBAL .*Recorded.*weights_only=False"):
        load(buffer)
    torch = pytest.importorskip("torch")
    buffer.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        torch.load(buffer, weights_only=True)


# ------------------------------------------------------------------- hostile and broken files
def _side_effect(tag):
    SIDE_EFFECTS.append(tag)


class Reduces:
    """Pickles as a call of ``func(*args)``: what a hostile file asks the loader to run."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def hostile_pickles(marker):
    import subprocess
    command = f"touch {marker}"
    return {
        "os.system": pickle.dumps({"w": Reduces(os.system, command)}, protocol=2),
        "builtins.eval": pickle.dumps(Reduces(eval, "__import__('os').system('x')"), protocol=2),
        "builtins.exec": pickle.dumps([1, {"a": Reduces(exec, "import os")}], protocol=2),
        "subprocess.call": pickle.dumps(OrderedDict(w=[Reduces(subprocess.call, ["touch", str(marker)])]), protocol=2),
        "_side_effect": pickle.dumps({"nested": (Reduces(OrderedDict, [("k", Reduces(_side_effect, "ran"))]),)}, protocol=2),
        "json.decoder.JSONDecoder": pickle.dumps(Reduces(__import__("json").decoder.JSONDecoder), protocol=2),
    }


@pytest.mark.parametrize("weights_only", [True, False])
@pytest.mark.parametrize("name", list(hostile_pickles("m")))
def test_hostile_pickles_are_refused_without_running_anything(tmp_path, name, weights_only):
    marker = tmp_path / "ran"
    SIDE_EFFECTS.clear()
    with pytest.raises(pickle.UnpicklingError, match=f"GLOBAL .*{name.split('.')[-1]}"):
        load(archive_with(hostile_pickles(marker)[name]), weights_only=weights_only)
    assert not marker.exists() and SIDE_EFFECTS == []


def test_a_module_class_from_an_unimported_module_is_not_imported():
    data = b"\x80\x02cnot_imported_pkg.models\nNet\nq\x00)\x81q\x01}q\x02b."
    with pytest.raises(pickle.UnpicklingError, match="not_imported_pkg.models.Net.*never loads"):
        load(archive_with(data), weights_only=False)
    assert "not_imported_pkg" not in sys.modules


def test_a_module_class_is_never_called_and_allowed_names_take_no_state():
    name = f"{Recorded.__module__}\nRecorded\n".encode()
    inits = Recorded.inits
    calls_init = b"\x80\x02c" + name + b"K\x01\x85R."  # Recorded(1): REDUCE would run __init__
    with pytest.raises(pickle.UnpicklingError, match="passes arguments to .*Recorded.__new__"):
        load(archive_with(calls_init), weights_only=False)
    assert Recorded.inits == inits
    sets_state = b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n}X\x01\x00\x00\x00aK\x01sb."  # BUILD on an allowed name
    with pytest.raises(pickle.UnpicklingError, match="sets the state of torch._utils._rebuild_tensor_v2"):
        load(archive_with(sets_state))


def _tensor_pickle(size, numel, key="0"):
    """A pickle of one float32 tensor of ``size`` viewing storage ``key`` of ``numel`` elements."""
    class Storage:
        pass

    class Writer(torch_format._Pickler):
        def persistent_id(self, obj):
            return ("storage", torch_format._torch("torch", "FloatStorage"), key, "cpu", numel) if obj is store else None

    store = Storage()
    buffer = io.BytesIO()
    stride = tuple(int(np.prod(size[i + 1:])) for i in range(len(size)))
    Writer(buffer).dump(Reduces(torch_format._torch("torch._utils", "_rebuild_tensor_v2"),
                                store, 0, size, stride, False, OrderedDict()))
    return buffer.getvalue()


@pytest.mark.parametrize("size, numel, nbytes, match", [
    ((3,), 3, 8, "holds 8 bytes, but is declared as 3 elements of float32"),
    ((3,), 3, 400, "holds 400 bytes, but is declared as 3 elements"),
    ((100,), 3, 12, r"size \(100,\).*reaches past its storage of 3 elements"),
    ((2 ** 40, 2 ** 40), 1, 4, "reaches past its storage of 1 elements"),
])
def test_storages_are_read_only_as_declared(size, numel, nbytes, match):
    with pytest.raises(ValueError, match=match):
        load(archive_with(_tensor_pickle(size, numel), [("0", bytes(nbytes))]))


def test_a_missing_storage_a_truncated_file_and_a_zip_bomb_are_refused(tmp_path):
    with pytest.raises(ValueError, match="missing storage 'x/data/0'"):
        load(archive_with(_tensor_pickle((3,), 3)))
    data = saved(mlp().state_dict()).getvalue()
    for keep in (0.3, 0.9):
        with pytest.raises(ValueError, match="corrupt|truncated"):
            load(io.BytesIO(data[: int(len(data) * keep)]))
    for garbage in (b"\x80\x02}q\x00(X", b"not a pickle", b"\x80\x02]q\x00(" * 3000 + b"."):
        with pytest.raises(ValueError, match="corrupt or truncated"):
            load(archive_with(garbage))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("x/data.pkl", _tensor_pickle((2 ** 18,), 2 ** 18))
        zf.writestr("x/data/0", bytes(2 ** 20))
    bomb.seek(0)
    with pytest.raises(ValueError, match="would inflate to .*zip bomb"):
        load(bomb)


def test_the_hostile_pickles_are_real_traps():
    SIDE_EFFECTS.clear()
    pickle.loads(hostile_pickles("m")["_side_effect"])
    assert SIDE_EFFECTS == ["ran"]
    SIDE_EFFECTS.clear()


def test_a_bare_storage_loads_as_a_flat_tensor():
    torch = pytest.importorskip("torch")
    buffer = io.BytesIO()
    torch.save({"s": torch.arange(3, dtype=torch.int32).untyped_storage()}, buffer)
    buffer.seek(0)
    assert load(buffer)["s"].tolist() == [0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0]
