"""Tensors that share memory are saved as one storage and load sharing it again, in both of PyTorch's
formats, for files written by minitorch and by torch."""
import io
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.nn as nn
from minitorch.serialization import load, save
from minitorch.testing import strategies as S

FORMATS = pytest.mark.parametrize("zip_format", [True, False], ids=["zip", "legacy"])


def saved(obj, zip_format):
    buffer = io.BytesIO()
    save(obj, buffer, _use_new_zipfile_serialization=zip_format)
    buffer.seek(0)
    return buffer


def torch_saved(torch, obj, zip_format):
    buffer = io.BytesIO()
    torch.save(obj, buffer, _use_new_zipfile_serialization=zip_format)
    buffer.seek(0)
    return buffer


def storage_sizes(buffer):
    """The byte size of each storage in a zip-format file."""
    with zipfile.ZipFile(buffer) as archive:
        sizes = [i.file_size for i in archive.infolist() if "/data/" in i.filename]
    buffer.seek(0)
    return sizes


def views_of(base):
    return {"base": base, "row": base[1], "T": base.T, "view": base.view(4, 3), "step": base[::2, 1::2],
            "col": base[:, 2], "unsq": base[1:].unsqueeze(0), "expand": base[0, :1].expand(3, 2)}


def shares(a, b):
    return np.shares_memory(np.asarray(a._array), np.asarray(b._array))


# ------------------------------------------------------------------- minitorch -> minitorch
@FORMATS
def test_a_tensor_and_its_views_are_one_storage_and_load_sharing_it(zip_format):
    base = minitorch.arange(12.0).reshape(3, 4)
    cases = views_of(base)
    buffer = saved(cases, zip_format)
    if zip_format:
        assert storage_sizes(buffer) == [12 * 4]
    loaded = load(buffer)
    for key, want in cases.items():
        assert loaded[key].shape == want.shape and loaded[key].tolist() == want.tolist(), key
        assert shares(loaded[key], loaded["base"]), key
    loaded["base"][1, 2] = 100.0  # seen through every view of that element
    assert loaded["row"][2].item() == loaded["T"][2, 1].item() == loaded["view"][2, 0].item() == 100.0
    assert loaded["col"][1].item() == loaded["unsq"][0, 0, 2].item() == 100.0
    loaded["row"].mul_(2)  # and the other way round
    assert loaded["base"][1].tolist() == [8.0, 10.0, 200.0, 14.0]


@st.composite
def base_and_views(draw):
    """A tensor and views of it: basic indexing, then perhaps a transpose."""
    shape = draw(S.shapes(min_dims=1, max_dims=3))
    base = minitorch.arange(float(np.prod(shape))).reshape(*shape)
    views = []
    for _ in range(2):
        view = base[draw(S.basic_indices(shape))]
        views.append(view.transpose(0, -1) if view.ndim > 1 and draw(st.booleans()) else view)
    return base, views


@FORMATS
@given(case=base_and_views())
def test_any_views_load_sharing_their_base(zip_format, case):
    base, views = case
    loaded = load(saved({"base": base, "views": views}, zip_format))
    for view, got in zip(views, loaded["views"]):
        assert got.shape == view.shape and got.tolist() == view.tolist()
        assert got.numel() == 0 or shares(got, loaded["base"])
    loaded["base"].mul_(-1)
    for view, got in zip(views, loaded["views"]):
        assert got.tolist() == (-view).tolist()


@FORMATS
def test_views_without_their_base_keep_only_the_span_they_reach(zip_format):
    big = minitorch.arange(1000.0)
    part = {"a": big[10:20], "b": big[15:30:5]}
    buffer = saved(part, zip_format)
    if zip_format:
        assert storage_sizes(buffer) == [16 * 4]  # elements 10..25, not the whole 1000
    loaded = load(buffer)
    assert loaded["a"].tolist() == list(range(10, 20)) and loaded["b"].tolist() == [15.0, 20.0, 25.0]
    loaded["a"][5] = -1.0
    assert loaded["b"][0].item() == -1.0


@FORMATS
def test_tied_weights_are_one_storage(zip_format):
    model = nn.Sequential(nn.Embedding(5, 3), nn.Linear(3, 5, bias=False))
    model[1].weight = model[0].weight
    state = model.state_dict()
    assert list(state) == ["0.weight", "1.weight"]
    buffer = saved(state, zip_format)
    if zip_format:
        assert storage_sizes(buffer) == [15 * 4]
    loaded = load(buffer)
    assert shares(loaded["0.weight"], loaded["1.weight"])
    whole = load(saved(model, zip_format), weights_only=False)
    assert whole[1].weight is whole[0].weight


@FORMATS
def test_separate_tensors_stay_separate_and_unshareable_ones_are_copied(zip_format):
    a, b = minitorch.ones(3), minitorch.ones(3)
    raw = np.arange(8, dtype=np.float32)
    odd = {"a": a, "b": b, "flip": a.flip(0), "bits": minitorch.from_numpy(raw.view(np.int32)),
           "floats": minitorch.from_numpy(raw), "empty": a[:0], "zero_d": a[0]}
    loaded = load(saved(odd, zip_format))
    assert not shares(loaded["a"], loaded["b"]) and not shares(loaded["a"], loaded["flip"])
    np.testing.assert_array_equal(loaded["bits"].numpy(), raw.view(np.int32))
    np.testing.assert_array_equal(loaded["floats"].numpy(), raw)
    assert loaded["empty"].shape == (0,) and loaded["zero_d"].item() == 1.0


@FORMATS
def test_shared_tensors_share_a_version_counter(zip_format):
    base = minitorch.arange(6.0).reshape(2, 3)
    loaded = load(saved({"base": base, "row": base[1]}, zip_format))
    w = minitorch.ones(3, requires_grad=True)
    y = (loaded["row"] * w).sum()
    loaded["base"].add_(1)  # changes what mul saved for backward
    with pytest.raises(RuntimeError, match="modified in place"):
        y.backward()


@FORMATS
def test_reloaded_views_are_saved_sharing_again(zip_format):
    base = minitorch.arange(6.0).reshape(2, 3)
    again = load(saved(load(saved({"base": base, "T": base.T}, zip_format)), zip_format))
    assert again["T"].tolist() == base.T.tolist() and shares(again["base"], again["T"])


@FORMATS
def test_views_moved_by_map_location_still_share(zip_format):
    base = minitorch.arange(6.0).reshape(2, 3)
    calls = []
    to_cuda = lambda storage, where: calls.append(storage.shape) or storage.cuda()  # noqa: E731
    loaded = load(saved({"base": base, "row": base[1]}, zip_format), map_location=to_cuda)
    assert calls == [(6,)]  # once per storage, as PyTorch calls it
    assert loaded["row"].device == "cuda" and loaded["row"].tolist() == [3.0, 4.0, 5.0]
    loaded["base"][1, 0] = 9.0
    assert loaded["row"][0].item() == 9.0
    on_cuda = load(saved({"base": base, "row": base[1]}, zip_format), map_location="cuda")
    on_cuda["row"].zero_()
    assert on_cuda["base"].tolist() == [[0.0, 1.0, 2.0], [0.0, 0.0, 0.0]]


def test_a_map_location_function_must_return_the_storage():
    with pytest.raises(TypeError, match="map_location's function returned list for a storage"):
        load(saved({"w": minitorch.ones(2)}, True), map_location=lambda s, where: [s])


# ------------------------------------------------------------------- minitorch <-> torch
@FORMATS
def test_torch_loads_minitorchs_views_sharing_one_storage(zip_format):
    torch = pytest.importorskip("torch")
    base = minitorch.arange(12.0).reshape(3, 4)
    cases = views_of(base)
    got = torch.load(saved(cases, zip_format), weights_only=True)
    for key, want in cases.items():
        assert tuple(got[key].shape) == want.shape and got[key].tolist() == want.tolist(), key
        assert got[key].untyped_storage().data_ptr() == got["base"].untyped_storage().data_ptr(), key
    got["base"][1, 2] = 100.0
    assert got["row"][2].item() == got["T"][2, 1].item() == got["view"][2, 0].item() == 100.0


@FORMATS
def test_minitorch_loads_torchs_views_sharing_memory(zip_format):
    torch = pytest.importorskip("torch")
    base = torch.arange(12.0).reshape(3, 4)
    cases = views_of(base)
    linear = torch.nn.Sequential(torch.nn.Embedding(5, 3), torch.nn.Linear(3, 5, bias=False))
    linear[1].weight = linear[0].weight
    loaded = load(torch_saved(torch, {"views": cases, "tied": linear.state_dict()}, zip_format))
    for key, want in cases.items():
        assert loaded["views"][key].shape == tuple(want.shape) and loaded["views"][key].tolist() == want.tolist()
        assert shares(loaded["views"][key], loaded["views"]["base"]), key
    loaded["views"]["base"][1, 2] = 100.0
    assert loaded["views"]["row"][2].item() == loaded["views"]["T"][2, 1].item() == 100.0
    assert shares(loaded["tied"]["0.weight"], loaded["tied"]["1.weight"])
