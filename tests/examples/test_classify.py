"""The fine-tuning example at tiny sizes: both runs train, the pretrained weights are really used,
pooling ignores padding, files are written, and it runs on cuda.

The full-size claim (pretrained beats from-scratch on the 1,000 test sentences) is too slow for a
test; the numbers of a real run are in the example's docstring.
"""
import os

import numpy as np
import pytest

import minitorch
from minitorch.examples import classify, gpt

needs_cuda = pytest.mark.skipif(
    not minitorch.cuda.is_available(), reason="needs a GPU or the CUDA simulator (NUMBA_ENABLE_CUDASIM=1)"
)

TINY = dict(layers=1, heads=2, width=16, context=8, progress=False)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("classify"))
    return classify.train(pretrain_steps=10, train_size=32, eval_size=64, epochs=4, batch_size=8, lr=1e-2,
                          backbone_lr=1e-2, out=out, **TINY)


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """A tiny GPT saved by the gpt example (5 steps)."""
    out = str(tmp_path_factory.mktemp("gpt"))
    gpt.train(steps=5, batch_size=4, corpus_chars=None, sample_length=1, out=out, lr=1e-2, warmup=1, **TINY)
    return os.path.join(out, "gpt.npz")


def test_both_runs_train_and_report_accuracies(result):
    for name in ("history_pretrained", "history_scratch"):
        history = result[name]
        assert len(history["val_acc"]) == len(history["train_acc"]) == len(history["train_loss"]) == 4
        assert history["train_loss"][-1] < history["train_loss"][0], name
        assert all(0.0 <= a <= 1.0 for a in history["val_acc"] + history["train_acc"])
    _, _, test_set = classify.sentiment_splits(result["tokenizer"], 8, 32, eval_size=64)
    assert len(test_set) == 64
    assert result["pretrained_acc"] == classify.accuracy(result["model"], test_set, "cpu")
    assert 0.0 <= result["scratch_acc"] <= 1.0
    assert result["train_size"] == 32
    assert result["pretrain_loss"] < np.log(result["tokenizer"].vocab_size)  # pretraining learned something


def test_files_are_written_and_the_classifier_loads_back(result):
    assert os.path.getsize(os.path.join(result["out"], "accuracy.png")) > 0
    saved = minitorch.load(os.path.join(result["out"], "classifier.npz"))
    model = classify.GPTClassifier(gpt.GPT(**saved["config"]), pooling=saved["pooling"])
    model.load_state_dict(saved["model"])
    ids = minitorch.tensor([result["tokenizer"].encode("the film was good")[:8]])
    mask = minitorch.ones(*ids.shape, dtype=minitorch.int64)
    result["model"].eval()
    model.eval()
    with minitorch.no_grad():
        np.testing.assert_array_equal(model(ids, mask).numpy(), result["model"](ids, mask).numpy())


def test_the_pretrained_weights_are_the_starting_point(checkpoint, tmp_path):
    """With lr=0 nothing moves: the fine-tuned backbone is the checkpoint's, the scratch one is not."""
    run = classify.train(checkpoint=checkpoint, train_size=8, eval_size=8, epochs=1, batch_size=8, lr=0.0,
                         backbone_lr=0.0, out=str(tmp_path), progress=False)
    backbone = minitorch.load(checkpoint)["model"]
    tuned = {k[len("backbone."):]: v for k, v in run["model"].state_dict().items() if k.startswith("backbone.")}
    assert tuned.keys() == backbone.keys()
    for key, value in backbone.items():
        np.testing.assert_array_equal(tuned[key].numpy(), value.numpy(), err_msg=key)
    assert run["pretrain_loss"] is None
    assert run["model"].backbone.config == minitorch.load(checkpoint)["config"]


@pytest.mark.parametrize("pooling", ["mean", "last"])
def test_pooling_ignores_padding(pooling):
    minitorch.manual_seed(0)
    model = classify.GPTClassifier(gpt.GPT(20, context=8, width=8, layers=1, heads=2, dropout=0.0), pooling=pooling)
    model.eval()
    ids = minitorch.tensor([[3, 4, 5, 0, 0, 0], [3, 4, 5, 9, 9, 9]])  # same sentence, different padding
    mask = minitorch.tensor([[1, 1, 1, 0, 0, 0], [1, 1, 1, 0, 0, 0]])
    with minitorch.no_grad():
        logits = model(ids, mask).numpy()
        alone = model(ids[:1, :3], mask[:1, :3]).numpy()  # no padding at all
        h = model.backbone.features(ids[:1, :3])[0].numpy()
    np.testing.assert_allclose(logits[0], logits[1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(logits[0], alone[0], rtol=1e-5, atol=1e-6)
    pooled = h.mean(axis=0) if pooling == "mean" else h[-1]
    w, b = model.classifier.weight.detach().numpy(), model.classifier.bias.detach().numpy()
    np.testing.assert_allclose(alone[0], pooled @ w.T + b, rtol=1e-4, atol=1e-5)


def test_bad_pooling_is_refused():
    with pytest.raises(ValueError, match="pooling"):
        classify.GPTClassifier(gpt.GPT(10, 4, 8, 1, 2), pooling="max")


def _tiny_run(checkpoint, out, device):
    return classify.train(checkpoint=checkpoint, train_size=1, eval_size=1, epochs=2, batch_size=1, lr=1e-2,
                          backbone_lr=1e-2, device=device, out=out, progress=False)


@needs_cuda
def test_fine_tuning_on_cuda_matches_cpu(checkpoint, tmp_path):
    """Two steps of each run on one sentence under the simulator (slow: a Python thread per CUDA thread)."""
    on_cuda = _tiny_run(checkpoint, str(tmp_path / "cuda"), "cuda")
    on_cpu = _tiny_run(checkpoint, str(tmp_path / "cpu"), "cpu")
    for name in ("history_pretrained", "history_scratch"):
        assert on_cuda[name]["train_loss"][1] < on_cuda[name]["train_loss"][0]
        np.testing.assert_allclose(on_cuda[name]["train_loss"], on_cpu[name]["train_loss"], rtol=1e-4)
        assert on_cuda[name]["val_acc"] == on_cpu[name]["val_acc"]
    assert on_cuda["pretrained_acc"] == on_cpu["pretrained_acc"]
    assert os.path.getsize(tmp_path / "cuda" / "classifier.npz") > 0
