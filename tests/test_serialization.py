"""minitorch.save / minitorch.load: round trips, the file format, and hostile or broken files."""
import io
import json
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
from minitorch.serialization import load, save

UNPICKLED = []  # set by _record_unpickling if a loader ever unpickles the hostile file


def _record_unpickling():
    UNPICKLED.append(True)
    return "pwned"


class Hostile:
    """Unpickling this object calls _record_unpickling (a stand-in for os.system)."""

    def __reduce__(self):
        return (_record_unpickling, ())


def make_model():
    return nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Sequential(nn.Linear(5, 2)))


def optimizer_like_state():
    return {
        "state": {
            0: {"step": 3, "exp_avg": minitorch.randn(5, 3), "momentum": np.arange(4, dtype=np.int32)},
            1: {"step": 3, "exp_avg": minitorch.randn(5, dtype=minitorch.float64), "flag": np.float32(2.5)},
        },
        "param_groups": [
            {"lr": 1e-3, "betas": (0.9, 0.999), "eps": float("inf"), "params": [0, 1], "amsgrad": False,
             "foreach": None, "name": "encoder", "nested": [[1, 2], ("a", {"b": minitorch.ones(1)})]}
        ],
    }


def assert_same(a, b):
    """Structural equality that also compares types, dtypes and key order."""
    assert type(a) is type(b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            assert_same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    elif isinstance(a, minitorch.Tensor):
        assert a.dtype == b.dtype and a.requires_grad == b.requires_grad
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    elif isinstance(a, (np.ndarray, np.generic)):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b


def test_exported_at_top_level():
    assert minitorch.save is save and minitorch.load is load


def test_module_state_dict_round_trip_restores_the_model(tmp_path):
    minitorch.manual_seed(0)
    model = make_model()
    path = tmp_path / "model.pt"
    save(model.state_dict(), path)
    assert path.exists() and not (tmp_path / "model.pt.npz").exists()  # the name is used as given
    loaded = load(path)
    assert_same(loaded, model.state_dict())
    fresh = make_model()
    fresh.load_state_dict(loaded)
    x = minitorch.randn(4, 3)
    np.testing.assert_array_equal(fresh(x).detach().numpy(), model(x).detach().numpy())


def test_the_file_is_a_readable_npz(tmp_path):
    path = tmp_path / "model.npz"
    model = make_model()
    save(model.state_dict(), str(path))
    with np.load(path, allow_pickle=False) as archive:
        assert {"0.weight", "0.bias", "2.0.weight", "2.0.bias"} <= set(archive.files)
        np.testing.assert_array_equal(archive["2.0.weight"], model[2][0].weight.detach().numpy())


def test_nested_optimizer_like_state_round_trips(tmp_path):
    state = optimizer_like_state()
    save(state, tmp_path / "opt.ckpt")
    assert_same(load(tmp_path / "opt.ckpt"), state)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int32", "int64", "uint8", "bool"])
def test_dtypes_and_requires_grad_are_preserved(dtype):
    t = minitorch.tensor(np.arange(6).reshape(2, 3) % 2, dtype=dtype)
    buffer = io.BytesIO()
    save({"t": t, "p": nn.Parameter(minitorch.ones(2)), "s": minitorch.tensor(3.5)}, buffer)
    buffer.seek(0)
    loaded = load(buffer)
    assert_same(loaded["t"], t)
    assert loaded["p"].requires_grad and loaded["s"].shape == () and loaded["s"].item() == 3.5


def test_awkward_keys_do_not_collide(tmp_path):
    state = OrderedDict([
        ("a.b", minitorch.ones(1)), ("a", {"b": minitorch.zeros(1), 0: minitorch.full((1,), 2.0)}),
        ("0", minitorch.full((1,), 3.0)), ("~minitorch", minitorch.full((1,), 4.0)),
        ("", minitorch.full((1,), 5.0)), ("x/y\\z", minitorch.full((2,), 6.0)),
    ])
    save(state, tmp_path / "keys.npz")
    assert_same(load(tmp_path / "keys.npz"), state)


def test_a_bare_tensor_and_transposed_arrays_round_trip(tmp_path):
    t = minitorch.randn(3, 4).T
    save(t, tmp_path / "t.npz")
    assert_same(load(tmp_path / "t.npz"), t)


@pytest.mark.parametrize("obj, match", [
    (make_model(), "state_dict"), ({"f": print}, "builtin_function"), ({1.5: 2}, "keys"),
    ({"s": {1, 2}}, "set"), ({"o": np.array([object()], dtype=object)}, "dtype object"),
])
def test_unsupported_objects_are_refused_on_save(obj, match, tmp_path):
    with pytest.raises(TypeError, match=match):
        save(obj, tmp_path / "bad.npz")


# ------------------------------------------------------------ hostile / broken files
def _write_npz(path, members):
    with zipfile.ZipFile(path, "w") as zf:
        for name, array in members.items():
            with zf.open(name + ".npy", "w") as f:
                np.lib.format.write_array(f, array, allow_pickle=True)


def _header(tree):
    return np.array(json.dumps({"format": "minitorch.save", "version": 1, "tree": tree}))


def test_a_pickled_object_array_is_refused_without_unpickling(tmp_path):
    path = tmp_path / "evil.npz"
    tree = {"kind": "dict", "items": [["w", {"kind": "ndarray", "array": "w"}]]}
    _write_npz(path, {"~minitorch": _header(tree), "w": np.array([Hostile()], dtype=object)})
    assert pickle.loads(pickle.dumps(Hostile())) == "pwned" and UNPICKLED == [True]  # the trap works
    UNPICKLED.clear()
    with pytest.raises(ValueError, match="evil.npz.*(?i:pickle)"):
        load(path)
    assert UNPICKLED == []


def test_a_pickled_header_is_refused_without_unpickling(tmp_path):
    path = tmp_path / "evil_header.npz"
    _write_npz(path, {"~minitorch": np.array([Hostile()], dtype=object)})
    UNPICKLED.clear()
    with pytest.raises(ValueError, match="evil_header.npz"):
        load(path)
    assert UNPICKLED == []


def test_a_pickle_file_is_refused(tmp_path):
    path = tmp_path / "torch_style.pt"
    path.write_bytes(pickle.dumps({"w": Hostile()}))
    UNPICKLED.clear()
    with pytest.raises(ValueError, match="torch_style.pt.*not a checkpoint"):
        load(path)
    assert UNPICKLED == []


@pytest.mark.parametrize("content", [b"hello, this is a text file\n", b""])
def test_text_and_empty_files_are_refused(tmp_path, content):
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="notes.txt"):
        load(path)


def test_foreign_npz_and_npy_are_refused(tmp_path):
    np.savez(tmp_path / "foreign.npz", x=np.ones(3))
    with pytest.raises(ValueError, match="foreign.npz.*not written by minitorch.save.*x"):
        load(tmp_path / "foreign.npz")
    np.save(tmp_path / "single.npy", np.ones(3))
    with pytest.raises(ValueError, match="single.npy.*single numpy array"):
        load(tmp_path / "single.npy")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_files_are_refused(tmp_path, keep):
    buffer = io.BytesIO()
    save(make_model().state_dict(), buffer)
    data = buffer.getvalue()
    path = tmp_path / "cut.npz"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ValueError, match="cut.npz"):
        load(path)


@pytest.mark.parametrize("header, match", [
    (np.array("{not json"), "not valid JSON"),
    (np.array(json.dumps({"format": "other", "version": 1, "tree": None})), "format tag"),
    (np.array(json.dumps({"format": "minitorch.save", "version": 99, "tree": None})), "version 99"),
    (_header({"kind": "tensor", "array": "missing"}), "missing array"),
    (_header({"kind": "exec", "code": "print(1)"}), "unknown node kind"),
    (_header({"kind": "dict", "items": [[1.5, 2]]}), "bad dict key"),
    (np.arange(3), "not a JSON string"),
])
def test_corrupt_headers_are_refused(tmp_path, header, match):
    path = tmp_path / "corrupt.npz"
    _write_npz(path, {"~minitorch": header})
    with pytest.raises(ValueError, match=f"corrupt.npz.*{match}"):
        load(path)


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.npz")


def test_missing_file_names_the_op_and_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="minitorch.load.*nope.npz") as info:
        load(tmp_path / "nope.npz")
    assert info.value.errno == 2 and info.value.filename.endswith("nope.npz")


@pytest.mark.parametrize("content, what", [
    (b"hello, this is a text file\n", "a text file"),
    (b"", "empty"),
    (bytes(range(256)) * 4, "neither a zip archive nor a .npy file"),
    (pickle.dumps({"a": 1}, protocol=0), "a Python pickle"),
    (pickle.dumps({"a": 1}, protocol=1), "a Python pickle"),
])
def test_foreign_files_say_what_they_are_without_numpy_advice(tmp_path, content, what):
    path = tmp_path / "thing.pt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=f"minitorch.load: .*thing.pt' is {what}") as info:
        load(path)
    assert "allow_pickle" not in str(info.value)


def test_a_truncated_checkpoint_says_so(tmp_path):
    buffer = io.BytesIO()
    save(make_model().state_dict(), buffer)
    path = tmp_path / "cut.npz"
    path.write_bytes(buffer.getvalue()[:-30])
    with pytest.raises(ValueError, match="cut.npz' starts like a checkpoint but is truncated or corrupt"):
        load(path)


def _deflated(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _npy_bytes(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_inflating(tmp_path):
    path = tmp_path / "bomb.npz"  # 1 MB of zeros in about 1 KB: far beyond what a checkpoint inflates
    tree = {"kind": "tensor", "array": "a"}
    _deflated(path, {"~minitorch.npy": _npy_bytes(_header(tree)), "a.npy": _npy_bytes(np.zeros(2 ** 17))})
    assert path.stat().st_size < 10_000
    with pytest.raises(ValueError, match="bomb.npz.*would inflate to .*zip bomb.*re-save"):
        load(path)


def test_a_member_larger_than_its_header_declares_is_refused(tmp_path):
    path = tmp_path / "padded.npz"
    tree = {"kind": "tensor", "array": "a"}
    _write_npz(path, {"~minitorch": _header(tree)})
    with zipfile.ZipFile(path, "a") as zf:  # a 3-element header followed by 64 more bytes of data
        zf.writestr("a.npy", _npy_bytes(np.zeros(3)) + bytes(64))
    with pytest.raises(ValueError, match=r"padded.npz.*'a.npy' declares \d+ bytes.*shape \(3,\) of float64"):
        load(path)


def test_a_bad_map_location_fails_like_pytorch(tmp_path):
    path = tmp_path / "w.npz"
    save(minitorch.ones(2), path)
    with pytest.raises(RuntimeError, match="minitorch.load: map_location='tpu'"):
        load(path, map_location="tpu")
    with pytest.raises(RuntimeError, match="'tpu'"):
        load(path, map_location={"cpu": "tpu"})
    with pytest.raises(TypeError, match="map_location must be a device.*int 5"):
        load(path, map_location=5)


def test_bad_map_locations_match_pytorch_error_types(tmp_path):
    torch = pytest.importorskip("torch")
    buffer = io.BytesIO()
    torch.save(torch.ones(2), buffer)
    for bad, error in (("tpu", RuntimeError), (5, TypeError)):
        buffer.seek(0)
        with pytest.raises(error):
            torch.load(buffer, map_location=bad)
