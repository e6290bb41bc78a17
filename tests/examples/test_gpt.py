"""The character-level GPT example at tiny sizes: it learns, writes its files, samples, and runs on cuda.

The full-size claim (validation loss far below the bigram's after a few minutes) is too slow
for a test; the numbers of a real run are in the example's docstring.
"""
import math
import os

import numpy as np
import pytest

import minitorch
from minitorch.data import CharTokenizer
from minitorch.examples import gpt

needs_cuda = pytest.mark.skipif(
    not minitorch.cuda.is_available(), reason="needs a GPU or the CUDA simulator (NUMBA_ENABLE_CUDASIM=1)"
)

TINY = dict(layers=1, heads=2, width=16, context=8, lr=1e-2, warmup=1, progress=False)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """30 steps on the first 5,000 characters of the corpus (about a second)."""
    out = str(tmp_path_factory.mktemp("gpt"))
    return gpt.train(steps=30, batch_size=8, eval_every=10, corpus_chars=5000, sample_length=20, out=out, **TINY)


def test_bigram_loss_matches_a_hand_computation():
    # train "aab": a->a once, a->b once; vocabulary {a, b, c} (V = 3)
    # p(b | a) = (1 + 1) / (2 + 3) = 2/5 and p(c | b) = (0 + 1) / (0 + 3) = 1/3 (b never followed)
    expected = -(math.log(2 / 5) + math.log(1 / 3)) / 2
    assert gpt.bigram_loss([0, 0, 1], [0, 1, 2], 3, alpha=1.0) == pytest.approx(expected)
    # alpha = 0.5: p(b | a) = 1.5 / 3.5, p(c | b) = 0.5 / 1.5
    expected = -(math.log(1.5 / 3.5) + math.log(0.5 / 1.5)) / 2
    assert gpt.bigram_loss([0, 0, 1], [0, 1, 2], 3, alpha=0.5) == pytest.approx(expected)


def test_best_bigram_picks_the_smallest_loss():
    rng = np.random.default_rng(0)
    train_ids, val_ids = rng.integers(0, 5, 200), rng.integers(0, 5, 50)
    loss, alpha = gpt.best_bigram_loss(train_ids, val_ids, 5, alphas=(0.1, 1.0, 10.0))
    losses = {a: gpt.bigram_loss(train_ids, val_ids, 5, a) for a in (0.1, 1.0, 10.0)}
    assert alpha == min(losses, key=losses.get) and loss == losses[alpha]


def test_bigram_loss_refuses_a_text_too_short():
    with pytest.raises(ValueError, match="bigram_loss"):
        gpt.bigram_loss([0], [0, 1], 2)


def test_the_loss_falls_and_beats_a_uniform_guess(trained):
    history = trained["history"]
    assert history["step"] == [10, 20, 30]
    assert history["train_loss"][-1] < history["train_loss"][0] - 0.3
    assert history["val_loss"][-1] < history["val_loss"][0]
    assert trained["val_loss"] < math.log(trained["tokenizer"].vocab_size)  # better than uniform


def test_files_are_written_and_the_checkpoint_loads_back(trained):
    out = trained["out"]
    for name in ("sample.txt", "loss.png", "attention.png", "gpt.npz"):
        assert os.path.getsize(os.path.join(out, name)) > 0, name
    with open(os.path.join(out, "sample.txt")) as f:
        assert f.read() == trained["sample"]
    checkpoint = minitorch.load(os.path.join(out, "gpt.npz"))
    model = gpt.GPT(**checkpoint["config"])
    model.load_state_dict(checkpoint["model"])
    x = minitorch.tensor([trained["tokenizer"].encode("First Ci")])
    trained["model"].eval()
    with minitorch.no_grad():
        np.testing.assert_array_equal(model.eval()(x).numpy(), trained["model"](x).numpy())
    loaded, tokenizer = gpt.load_checkpoint(os.path.join(out, "gpt.npz"))
    assert tokenizer.chars == trained["tokenizer"].chars
    assert loaded.config == trained["model"].config


def test_generate_length_vocabulary_and_seed(trained):
    model, tokenizer = trained["model"], trained["tokenizer"]
    text = gpt.generate(model, tokenizer, "Fir", 25, temperature=1.0, generator=minitorch.Generator(1))
    assert len(text) == 3 + 25 and text.startswith("Fir")
    assert set(text) <= set(tokenizer.chars)
    again = gpt.generate(model, tokenizer, "Fir", 25, temperature=1.0, generator=minitorch.Generator(1))
    assert again == text  # prompts longer than the context (28 > 8) are cut to their last 8 ids


def test_generate_with_top_k_1_is_greedy(trained):
    model, tokenizer = trained["model"], trained["tokenizer"]
    ids = tokenizer.encode("First")
    model.eval()
    with minitorch.no_grad():
        for _ in range(4):
            logits = model(minitorch.tensor([ids[-model.context:]]))[0, -1].numpy()
            ids.append(int(np.argmax(logits)))
    assert gpt.generate(model, tokenizer, "First", 4, top_k=1) == tokenizer.decode(ids)


def test_generate_refuses_bad_arguments(trained):
    model, tokenizer = trained["model"], trained["tokenizer"]
    with pytest.raises(ValueError, match="generate: the prompt"):
        gpt.generate(model, tokenizer, "", 5)
    with pytest.raises(ValueError, match="temperature"):
        gpt.generate(model, tokenizer, "a", 5, temperature=0)


def test_the_model_is_causal_and_checks_its_input():
    minitorch.manual_seed(0)
    model = gpt.GPT(10, context=6, width=8, layers=2, heads=2, dropout=0.0)
    a = minitorch.tensor([[1, 2, 3, 4, 5, 6]])
    b = minitorch.tensor([[1, 2, 3, 9, 9, 9]])  # differs from position 3 on
    with minitorch.no_grad():
        out_a, out_b = model(a).numpy(), model(b).numpy()
    np.testing.assert_allclose(out_a[0, :3], out_b[0, :3], rtol=1e-5, atol=1e-6)
    assert not np.allclose(out_a[0, 3:], out_b[0, 3:])
    with pytest.raises(ValueError, match="context=6"):
        model(minitorch.zeros(1, 7, dtype=minitorch.int64))


def test_tied_weights_share_one_matrix():
    model = gpt.GPT(12, context=4, width=8, layers=1, heads=2, tie_weights=True)
    assert model.head.weight is model.token_embedding.weight
    assert len(list(model.parameters())) == len(list(gpt.GPT(12, 4, 8, 1, 2).parameters())) - 1


def test_attention_map_is_causal_and_normalised(trained):
    model, tokenizer = trained["model"], trained["tokenizer"]
    weights = gpt.attention_map(model, tokenizer.encode("First"))
    assert weights.shape == (2, 5, 5)  # heads, queries, keys
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-5)
    assert np.all(weights[:, np.triu_indices(5, 1)[0], np.triu_indices(5, 1)[1]] == 0)


def test_benchmark_step_trains():
    step = gpt.benchmark_step("cpu", layers=1, heads=2, width=16, batch_size=2, context=8)
    step()  # runs forward, backward and an AdamW step without error


def _cuda_and_cpu(tmp_path, device):
    return gpt.train(steps=2, batch_size=1, eval_every=1, corpus_chars=300, sample_length=2, device=device,
                     out=str(tmp_path / device), **TINY)


@needs_cuda
def test_train_on_cuda_matches_cpu(tmp_path):
    """Two steps under the simulator (slow: a Python thread per CUDA thread), checked against the CPU."""
    on_cuda, on_cpu = _cuda_and_cpu(tmp_path, "cuda"), _cuda_and_cpu(tmp_path, "cpu")
    assert on_cuda["history"]["val_loss"][1] < on_cuda["history"]["val_loss"][0]
    for key in ("train_loss", "val_loss"):
        np.testing.assert_allclose(on_cuda["history"][key], on_cpu["history"][key], rtol=1e-4)
    assert on_cuda["sample"] == on_cpu["sample"]
    assert os.path.getsize(tmp_path / "cuda" / "gpt.npz") > 0
    assert CharTokenizer(on_cuda["tokenizer"].chars).vocab_size == on_cuda["model"].config["vocab_size"]
