"""PyTorch's legacy (non-zip) checkpoint format: read and written, both ways with torch, hostile files refused."""
import io
import os
import pickle
import struct
import tarfile
from collections import OrderedDict

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
from minitorch import torch_format, torch_legacy_format
from minitorch.serialization import load, save

DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]
SIDE_EFFECTS = []  # what a hostile file would leave here if the loader ran it


def saved(obj, **options):
    buffer = io.BytesIO()
    save(obj, buffer, _use_new_zipfile_serialization=False, **options)
    buffer.seek(0)
    return buffer


def torch_saved(torch, obj, **options):
    buffer = io.BytesIO()
    torch.save(obj, buffer, _use_new_zipfile_serialization=False, **options)
    buffer.seek(0)
    return buffer


def stream(*parts, data=b""):
    """A legacy file: each part pickled (bytes are taken as an already pickled part), then ``data``."""
    return io.BytesIO(b"".join(p if isinstance(p, bytes) else pickle.dumps(p, protocol=2) for p in parts) + data)


HEADER = (torch_legacy_format.MAGIC_NUMBER, torch_legacy_format.PROTOCOL_VERSION, {"little_endian": True})


def storage_data(values, dtype="<f4"):
    array = np.asarray(values, dtype)
    return struct.pack("<q", array.size) + array.tobytes()


class Reduces:
    """Pickles as a call of ``func(*args)``: what a hostile file asks the loader to run."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


class _Writer(torch_format._Pickler):
    """Writes ``Ref`` objects as the persistent ids they carry (storage references, module classes)."""

    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, Ref) else None


class Ref:
    def __init__(self, *pid):
        self.pid = pid


def pickled(obj):
    buffer = io.BytesIO()
    _Writer(buffer).dump(obj)
    return buffer.getvalue()


def tensor_of(pid, offset, size, stride):
    """What torch's pickle holds for a float tensor: _rebuild_tensor_v2(storage, offset, size, stride, ...)."""
    return Reduces(torch_format._torch("torch._utils", "_rebuild_tensor_v2"), Ref(*pid), offset, size, stride,
                   False, OrderedDict())


def float_storage(key, numel, view=None):
    return ("storage", torch_format._torch("torch", "FloatStorage"), key, "cpu", numel, view)


def same(a, b):
    np.testing.assert_array_equal(np.asarray(a.detach().numpy()), np.asarray(b.detach().numpy()))


def mlp():
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def trained(model):
    opt = minitorch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(2):
        opt.zero_grad()
        model(minitorch.randn(5, 3)).sum().backward()
        opt.step()
    return opt


# ------------------------------------------------------------------- minitorch <-> minitorch
@pytest.mark.parametrize("dtype", DTYPES)
def test_every_dtype_round_trips_with_0d_empty_and_strided_tensors(dtype):
    t = minitorch.tensor(np.arange(12).reshape(3, 4) % 3, dtype=dtype)
    cases = {"t": t, "T": t.T, "s": t[1, 2], "e": t[:0], "step": t[::2, 1::2], "flip": t.flip(0),
             "z": minitorch.zeros(0, 2, dtype=getattr(minitorch, dtype))}
    loaded = load(saved(cases))
    for key, want in cases.items():
        assert loaded[key].dtype == want.dtype and loaded[key].shape == want.shape, key
        same(loaded[key], want)


def test_containers_numbers_and_numpy_values_round_trip():
    state = OrderedDict(a=[1, 2.5, "x", None, True, b"\x00\xff"], b=(np.arange(4, dtype=np.int32).reshape(2, 2).T,),
                        c={1, 2}, d={"n": {"deep": [minitorch.ones(2, requires_grad=True)]}}, f=np.float32(2.5),
                        p=nn.Parameter(minitorch.ones(2)), c2=1 + 2j)
    loaded = load(saved(state))
    assert type(loaded) is OrderedDict and list(loaded) == list(state)
    assert loaded["a"] == state["a"] and loaded["c"] == {1, 2} and loaded["c2"] == 1 + 2j
    np.testing.assert_array_equal(loaded["b"][0], state["b"][0])
    assert type(loaded["f"]) is np.float32 and type(loaded["p"]) is nn.Parameter
    assert loaded["d"]["n"]["deep"][0].requires_grad


def test_model_and_optimizer_state_dicts_round_trip():
    minitorch.manual_seed(0)
    model = mlp()
    opt = trained(model)
    loaded = load(saved({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 3}))
    fresh = mlp()
    fresh.load_state_dict(loaded["model"])
    fresh_opt = minitorch.optim.Adam(fresh.parameters(), lr=0.01)
    fresh_opt.load_state_dict(loaded["opt"])
    assert loaded["epoch"] == 3
    x = minitorch.randn(2, 3)
    same(fresh(x), model(x))


def test_a_whole_module_round_trips_with_weights_only_false():
    minitorch.manual_seed(1)
    model = mlp()
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        load(saved(model))
    loaded = load(saved(model), weights_only=False)
    x = minitorch.randn(2, 3)
    assert type(loaded) is nn.Sequential
    same(loaded(x), model(x))


def test_a_path_is_written_and_read(tmp_path):
    save({"w": minitorch.arange(3.0)}, tmp_path / "w.pt", _use_new_zipfile_serialization=False)
    assert (tmp_path / "w.pt").read_bytes().startswith(b"\x80\x02\x8a\x0a")
    assert load(tmp_path / "w.pt")["w"].tolist() == [0.0, 1.0, 2.0]


def test_torch_reads_a_legacy_file_from_a_path(tmp_path):
    torch = pytest.importorskip("torch")  # torch first tries a path as a tar archive, then reads the stream
    base = minitorch.arange(6.0).reshape(2, 3)
    save({"base": base, "T": base.T}, tmp_path / "w.pt", _use_new_zipfile_serialization=False)
    got = torch.load(tmp_path / "w.pt")
    assert got["T"].tolist() == base.T.tolist()
    assert got["T"].untyped_storage().data_ptr() == got["base"].untyped_storage().data_ptr()


def test_map_location_works_as_for_the_zip_format():
    on_cuda = load(saved({"w": minitorch.ones(2).to("cuda")}))["w"]
    assert on_cuda.device == "cuda"
    assert load(saved({"w": on_cuda}), map_location="cpu")["w"].device == "cpu"
    assert load(saved({"w": on_cuda}), map_location={"cuda:0": "cpu"})["w"].device == "cpu"
    assert load(saved({"w": minitorch.ones(2)}), map_location=minitorch.device("cuda"))["w"].device == "cuda"
    seen = []
    load(saved({"w": on_cuda}), map_location=lambda s, where: seen.append(where) or s)
    assert seen == ["cuda:0"]


# ------------------------------------------------------------------- minitorch <-> torch
@pytest.mark.parametrize("weights_only", [True, False])
def test_torch_reads_minitorchs_legacy_files(weights_only):
    torch = pytest.importorskip("torch")
    minitorch.manual_seed(2)
    model = mlp()
    opt = trained(model)
    base = minitorch.arange(12.0).reshape(3, 4)
    extra = {dtype: minitorch.tensor(np.arange(6).reshape(2, 3) % 3, dtype=dtype) for dtype in DTYPES}
    extra.update(T=base.T, step=base[::2, 1:], zero_d=minitorch.tensor(7), empty=minitorch.zeros(0, 3),
                 flip=base.flip(1))
    got = torch.load(saved({"model": model.state_dict(), "opt": opt.state_dict(), "nested": [(extra,)]}),
                     weights_only=weights_only)
    for key, value in extra.items():
        mine = got["nested"][0][0][key]
        assert str(mine.dtype) == str(value.dtype).replace("minitorch", "torch") and mine.tolist() == value.tolist()
    twin = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    twin.load_state_dict(got["model"])
    twin_opt = torch.optim.Adam(twin.parameters(), lr=0.01)
    twin_opt.load_state_dict(got["opt"])
    x = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
    np.testing.assert_array_equal(twin(torch.tensor(x)).detach().numpy(), model(minitorch.tensor(x)).detach().numpy())


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_minitorch_reads_torchs_legacy_files(protocol):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    twin = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    twin_opt = torch.optim.Adam(twin.parameters(), lr=0.01)
    twin(torch.randn(5, 3)).sum().backward()
    twin_opt.step()
    base = torch.arange(12.0).reshape(3, 4)
    extra = {dtype: torch.tensor(np.arange(6).reshape(2, 3) % 3).to(getattr(torch, dtype)) for dtype in DTYPES}
    extra.update(T=base.t(), step=base[::2, 1:], zero_d=torch.tensor(7), empty=torch.zeros(0, 3),
                 p=torch.nn.Parameter(torch.ones(2)), size=torch.Size([2, 3]), dt=torch.int16, dev=torch.device("cpu"))
    got = load(torch_saved(torch, {"model": twin.state_dict(), "opt": twin_opt.state_dict(), "nested": [(extra,)]},
                           pickle_protocol=protocol))
    mine = got["nested"][0][0]
    for key in [*DTYPES, "T", "step", "zero_d", "empty"]:
        assert str(mine[key].dtype) == str(extra[key].dtype).replace("torch", "minitorch"), key
        assert mine[key].shape == tuple(extra[key].shape) and mine[key].tolist() == extra[key].tolist(), key
    assert type(mine["p"]) is nn.Parameter and mine["size"] == (2, 3) and mine["dt"] is minitorch.int16
    assert mine["dev"] == "cpu"
    model = mlp()
    model.load_state_dict(got["model"])
    opt = minitorch.optim.Adam(model.parameters(), lr=0.01)
    opt.load_state_dict(got["opt"])
    x = np.random.default_rng(1).standard_normal((2, 3)).astype(np.float32)
    np.testing.assert_array_equal(model(minitorch.tensor(x)).detach().numpy(), twin(torch.tensor(x)).detach().numpy())


def test_a_whole_torch_model_in_the_legacy_format_is_refused_as_in_the_zip_format():
    torch = pytest.importorskip("torch")
    whole = torch_saved(torch, torch.nn.Linear(2, 2))
    with pytest.raises(pickle.UnpicklingError, match="torch.nn.modules.linear.Linear, a PyTorch class.*state_dict"):
        load(whole, weights_only=False)
    whole.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        load(whole)
    half = torch_saved(torch, {"w": torch.ones(2, dtype=torch.bfloat16)})
    with pytest.raises(ValueError, match="BFloat16Storage.*numpy"):
        load(half)


def test_a_module_reference_gives_its_class_and_nothing_else():
    """PyTorch's legacy save writes a whole model's classes as ("module", cls, file, source)."""
    relu = nn.ReLU()
    data = pickled(Reduces(torch_format._torch("copyreg", "_reconstructor"), Ref("module", nn.ReLU, "f.py", "src"),
                           object, None))
    with pytest.raises(pickle.UnpicklingError, match="copyreg._reconstructor"):
        load(stream(*HEADER, data, []), weights_only=False)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed.*ReLU"):
        load(stream(*HEADER, pickled([Ref("module", type(relu), None, None)]), []))
    assert load(stream(*HEADER, pickled([Ref("module", nn.ReLU, None, None)]), []), weights_only=False) == [nn.ReLU]
    with pytest.raises(pickle.UnpicklingError, match="module class in a malformed way"):
        load(stream(*HEADER, pickled([Ref("module", 1, None, None)]), []), weights_only=False)


def test_a_storage_view_of_pytorch_0x_files_is_read():
    root = float_storage("r", 6, None)
    part = float_storage("r", 6, ("v", 2, 3))  # elements 2..4 of storage r
    data = pickled({"whole": tensor_of(root, 0, (6,), (1,)), "part": tensor_of(part, 1, (2,), (1,))})
    got = load(stream(*HEADER, data, ["r"], data=storage_data(range(6))))
    assert got["whole"].tolist() == [0, 1, 2, 3, 4, 5] and got["part"].tolist() == [3.0, 4.0]
    got["whole"][3] = 30
    assert got["part"].tolist() == [30.0, 4.0]
    with pytest.raises(ValueError, match="reaches past its storage of 6"):
        load(stream(*HEADER, pickled(tensor_of(float_storage("r", 6, ("v", 5, 3)), 0, (1,), (1,))), ["r"],
                    data=storage_data(range(6))))


# ------------------------------------------------------------------- hostile and broken files
def _side_effect(tag):
    SIDE_EFFECTS.append(tag)


HOSTILE = Reduces(_side_effect, "ran")
HOSTILE_SYSTEM = Reduces(os.system, "true")


@pytest.mark.parametrize("section", range(5))
@pytest.mark.parametrize("weights_only", [True, False])
def test_a_hostile_pickle_in_any_section_is_refused_without_running(section, weights_only):
    parts = [*HEADER, pickled({"w": tensor_of(float_storage("0", 2), 0, (2,), (1,))}), ["0"]]
    parts[section] = pickle.dumps([HOSTILE, HOSTILE_SYSTEM][section % 2], protocol=2)
    SIDE_EFFECTS.clear()
    file = stream(*parts, data=storage_data([1, 2]))
    if section == 0:  # not even the magic number: not taken for a checkpoint at all
        with pytest.raises(ValueError, match="a Python pickle.*never unpickles"):
            load(file, weights_only=weights_only)
    else:
        with pytest.raises(pickle.UnpicklingError, match="GLOBAL .*(_side_effect|system)"):
            load(file, weights_only=weights_only)
    assert SIDE_EFFECTS == []


def test_a_storage_reference_cannot_smuggle_a_call():
    pid = ("storage", Reduces(_side_effect, "ran"), "0", "cpu", 2, None)
    SIDE_EFFECTS.clear()
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL .*_side_effect"):
        load(stream(*HEADER, pickled(Ref(*pid)), ["0"], data=storage_data([1, 2])), weights_only=False)
    assert SIDE_EFFECTS == []


GOOD = pickled({"w": tensor_of(float_storage("0", 2), 0, (2,), (1,))})


@pytest.mark.parametrize("parts, data, match", [
    ((*HEADER, GOOD, ["0"]), storage_data([1]), "declared as 2 elements, but its data says otherwise"),
    ((*HEADER, GOOD, ["0"]), storage_data([1, 2])[:-2], "storage '0' is truncated"),
    ((*HEADER, GOOD, ["0", "1"]), storage_data([1, 2]), "list of storage keys does not match"),
    ((*HEADER, GOOD, "0"), storage_data([1, 2]), "list of storage keys does not match"),
    ((*HEADER, GOOD), b"", "list of storage keys is missing or damaged"),
    ((HEADER[0], 1000, HEADER[2], GOOD, ["0"]), storage_data([1, 2]), "legacy protocol version 1000"),
    ((*HEADER[:2], [1], GOOD, ["0"]), storage_data([1, 2]), "sys_info record is not a dict"),
    ((*HEADER, GOOD[:-5]), b"", "corrupt or truncated"),
    ((*HEADER, pickled({"w": Ref("tensor", 1)}), []), b"", "unknown reference"),
    ((*HEADER, pickled(Ref(*float_storage("0", 2)[:5])), ["0"]), storage_data([1, 2]), "malformed storage reference"),
])
def test_broken_files_are_refused_with_a_clear_error(parts, data, match):
    with pytest.raises(ValueError, match=match):
        load(stream(*parts, data=data))


def test_the_correct_file_of_those_loads():
    assert load(stream(*HEADER, GOOD, ["0"], data=storage_data([1, 2])))["w"].tolist() == [1.0, 2.0]


def test_pytorchs_pre_0_4_tar_format_is_refused_saying_what_it_is(tmp_path):
    path = tmp_path / "old.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("storages")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    with pytest.raises(ValueError, match="a tar archive.*torch.save it again"):
        load(path)
