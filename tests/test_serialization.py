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
