"""``SummaryWriter.add_pr_curve``: the PR-curve tensor (true/false positives/negatives, precision,
recall per threshold) and its plugin data, as tensorboard's EventAccumulator reads them from
PyTorch's writer where torch and tensorboard are installed; the counts checked by hand without."""
import importlib.util

import numpy as np
import pytest

import minitorch
from minitorch.utils.tensorboard import SummaryWriter, summary

RNG = np.random.default_rng(0)
LABELS, PREDICTIONS, WEIGHTS = RNG.integers(0, 2, 60), RNG.random(60), RNG.random(60)
PREDICTIONS[:4] = [0.0, 1.0, 0.5, 1.5]  # the ends, a threshold exactly, and one outside [0, 1]


def _log(lib, writer):
    writer.add_pr_curve("pr", LABELS, PREDICTIONS, 1)
    writer.add_pr_curve("weighted", lib.tensor(LABELS), lib.tensor(PREDICTIONS), 2, num_thresholds=10,
                        weights=WEIGHTS)
    writer.add_pr_curve("capped", lib.tensor(LABELS).bool(), lib.tensor(PREDICTIONS).float(), 3, num_thresholds=500)


def _read(log_dir):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(log_dir), size_guidance={"tensors": 0})
    accumulator.Reload()
    return {tag: ([(e.step, str(e.tensor_proto)) for e in accumulator.Tensors(tag)],
                  accumulator.SummaryMetadata(tag).plugin_data.plugin_name,
                  accumulator.SummaryMetadata(tag).plugin_data.content) for tag in accumulator.Tags()["tensors"]}


def test_tensorboard_reads_what_pytorch_writes(tmp_path):
    torch = pytest.importorskip("torch")
    if importlib.util.find_spec("tensorboard") is None:
        pytest.skip("needs the tensorboard package: pip install tensorboard")
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    with SummaryWriter(tmp_path / "ours") as ours, TorchWriter(str(tmp_path / "theirs")) as theirs:
        _log(minitorch, ours)
        _log(torch, theirs)
    mine, its = _read(tmp_path / "ours"), _read(tmp_path / "theirs")
    assert sorted(mine) == ["capped", "pr", "weighted"] and mine == its


def test_the_counts_by_hand():
    labels, predictions = np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.3, 0.1])
    tp, fp, tn, fn, precision, recall = summary.pr_curve_data(labels, predictions, 3)  # thresholds 0, 0.5, 1
    assert tp.tolist() == [2, 1, 0] and fp.tolist() == [2, 1, 0] and tn.tolist() == [0, 1, 2]
    assert fn.tolist() == [0, 1, 2] and precision.tolist() == [0.5, 0.5, 0.0] and recall.tolist() == [1.0, 0.5, 0.0]


def test_bad_arguments_say_what_is_wrong(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        with pytest.raises(ValueError, match="add_pr_curve: labels of shape \\(3,\\) and predictions of shape \\(2,\\)"):
            writer.add_pr_curve("pr", [1, 0, 1], [0.5, 0.2])
        with pytest.raises(ValueError, match="num_thresholds"):
            writer.add_pr_curve("pr", [1, 0], [0.5, 0.2], num_thresholds=1)
