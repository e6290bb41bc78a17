"""``SummaryWriter.add_tensor``, ``add_pr_curve_raw`` and the custom scalars layouts, byte for byte
as PyTorch's writer logs them (where torch is installed), and read back with the wire-format
decoder without."""
import glob
import os

import numpy as np
import pytest

import minitorch
from minitorch.utils.tensorboard import SummaryWriter, proto, record

LAYOUT = {"Taiwan": {"twse": ["Multiline", ["twse/0050", "twse/2330"]]},
          "USA": {"dow": ["Margin", ["dow/aaa", "dow/bbb", "dow/ccc"]], "nasdaq": ["Margin", ["n/a", "n/b", "n/c"]]}}


def _log(lib, writer):
    dtypes = [lib.float32, lib.float64, lib.int64, lib.int32, lib.int16, lib.int8, lib.uint8, lib.bool, lib.float16]
    for step, dtype in enumerate(dtypes, 1):
        writer.add_tensor(f"t{step}", lib.tensor([[1.5, -2, 0], [3, 0, 7]]).to(dtype), step, walltime=1.0)
    writer.add_tensor("empty", lib.zeros(0, 3), 1, walltime=1.0)
    writer.add_tensor("scalar", lib.tensor(3.25), 1, walltime=1.0)
    writer.add_pr_curve_raw("pr", [5, 4, 3], [3, 2, 1], [0, 1, 2], [0, 1, 2], [.6, .6, .7], [1, .8, .6], 2,
                            num_thresholds=3, walltime=2.0)
    writer.add_custom_scalars(LAYOUT)
    writer.add_custom_scalars_multilinechart(["a", "b"])
    writer.add_custom_scalars_marginchart(["a", "b", "c"], category="c", title="t")


def _records(log_dir):
    """The records after the file-version one; the custom scalars' (logged "now") without their
    wall time (the first field, 9 bytes)."""
    (path,) = glob.glob(os.path.join(log_dir, "events.out.tfevents.*"))
    with open(path, "rb") as file:
        records = record.unframe(file.read())[1:]
    return records[:-3] + [data[9:] for data in records[-3:]]


def test_the_summaries_are_pytorchs_byte_for_byte(tmp_path):
    torch = pytest.importorskip("torch")
    pytest.importorskip("tensorboard", reason="PyTorch's SummaryWriter needs tensorboard")
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    with SummaryWriter(tmp_path / "ours") as ours, TorchWriter(str(tmp_path / "theirs")) as theirs:
        _log(minitorch, ours)
        _log(torch, theirs)
    assert _records(tmp_path / "ours") == _records(tmp_path / "theirs")


def test_tensors_and_layouts_read_back(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        _log(minitorch, writer)
    values = [proto.parse(proto.parse(proto.parse(r)[5][0])[1][0]) for r in _records(tmp_path)[:9]]
    first = proto.parse(values[0][8][0])
    assert np.frombuffer(first[5][0], "<f4").tolist() == [1.5, -2, 0, 3, 0, 7] and first[1] == [1]
    assert proto.parse(proto.parse(values[0][9][0])[1][0]) == {1: [b"tensor"]}
    int64 = proto.parse(values[2][8][0])
    assert int64[1] == [9] and int64[10][0] == b"".join(proto.varint(v) for v in [1, -2, 0, 3, 0, 7])
    layout = proto.parse(proto.parse(proto.parse(proto.parse(_records(tmp_path)[-3])[5][0])[1][0])[8][0])
    tensor_layout = proto.parse(layout[8][0])
    titles = [proto.parse(category)[1][0] for category in tensor_layout[2]]
    assert titles == [b"Taiwan", b"USA"] and layout[1] == [7]


@pytest.mark.parametrize("call, error, message", [
    (lambda w: w.add_tensor("t", "abc"), TypeError, "add_tensor: tensor must be a tensor"),
    (lambda w: w.add_tensor("t", np.zeros(2, np.uint16)), ValueError, "add_tensor: t has unsupported tensor dtype uint16"),
    (lambda w: w.add_pr_curve_raw("p", [1], [1], [1], [1], [1], [1, 2]), ValueError, "the six sequences must have the same length"),
    (lambda w: w.add_custom_scalars(["a"]), TypeError, "add_custom_scalars: layout must map each category"),
    (lambda w: w.add_custom_scalars_marginchart(["a", "b"]), ValueError, "needs 3 tags"),
])
def test_bad_arguments(tmp_path, call, error, message):
    with SummaryWriter(tmp_path) as writer, pytest.raises(error, match=message):
        call(writer)
