"""The seq2seq example (numbers -> English words): its data, masks, decoding, and tiny training runs.

The 99% exact-match claim needs minutes of training, so it is not asserted here; these tests
check each piece on values, and that ``train`` runs end to end on "cpu" and "cuda".
"""
import math
import os

import numpy as np
import pytest

import minitorch
from minitorch.examples import seq2seq as s2s
from minitorch.examples.seq2seq import BOS, EOS, PAD, TOKEN_ID

needs_cuda = pytest.mark.skipif(
    not minitorch.cuda.is_available(), reason="needs a GPU or the CUDA simulator (NUMBA_ENABLE_CUDASIM=1)"
)


def host(t):
    return t.detach().cpu().numpy()


def ids(words):
    return [TOKEN_ID[w] for w in words.split()]


# ------------------------------------------------------------------ the data
@pytest.mark.parametrize("n, words", [
    (0, "zero"), (7, "seven"), (10, "ten"), (13, "thirteen"), (20, "twenty"), (45, "forty five"),
    (100, "one hundred"), (115, "one hundred fifteen"), (1000, "one thousand"),
    (2019, "two thousand nineteen"), (40517, "forty thousand five hundred seventeen"),
    (700000, "seven hundred thousand"), (101010, "one hundred one thousand ten"),
    (110011, "one hundred ten thousand eleven"),
    (999999, "nine hundred ninety nine thousand nine hundred ninety nine"),
])
def test_number_to_words(n, words):
    assert " ".join(s2s.number_to_words(n)) == words


@pytest.mark.parametrize("n", [-1, 10**6])
def test_number_to_words_refuses_numbers_out_of_range(n):
    with pytest.raises(ValueError, match="number_to_words"):
        s2s.number_to_words(n)


def test_max_target_length_is_the_longest_translation_plus_eos():
    longest = {}
    for n in range(10**4):
        k = len(str(n))
        longest[k] = max(longest.get(k, 0), len(s2s.number_to_words(n)))
    for k in range(1, 5):
        assert s2s.max_target_length(k) == max(longest[j] for j in range(1, k + 1)) + 1
    assert s2s.max_target_length(6) == 10  # 999999: 9 words and <eos>


def test_task_test_set_is_stratified_by_length_and_distinct():
    task = s2s.NumberTask(max_digits=4, test_per_length=50, seed=3)
    lengths = [len(str(n)) for n in task.test]
    # at most a tenth of the k-digit numbers: 1 of 10, 9 of 90, then 50 each
    assert [lengths.count(k) for k in (1, 2, 3, 4)] == [1, 9, 50, 50]
    assert len(set(task.test.tolist())) == len(task.test)


def test_task_is_deterministic_per_seed():
    a, b, c = s2s.NumberTask(5, 20, seed=1), s2s.NumberTask(5, 20, seed=1), s2s.NumberTask(5, 20, seed=2)
    np.testing.assert_array_equal(a.test, b.test)
    np.testing.assert_array_equal(a.train_numbers(100), b.train_numbers(100))
    assert not np.array_equal(a.test, c.test)


def test_training_numbers_never_come_from_the_test_set():
    task = s2s.NumberTask(max_digits=3, test_per_length=50, seed=0)
    train = task.train_numbers(30000)
    assert not np.isin(train, task.test).any()
    lengths = np.array([len(str(n)) for n in train])
    counts = np.bincount(lengths, minlength=4)[1:]
    assert np.all(np.abs(counts / len(train) - 1 / 3) < 0.02)  # lengths balanced
    # every number outside the test set can be drawn: the 1- and 2-digit ones all appear
    assert set(range(100)) - set(task.test.tolist()) <= set(train.tolist())


def test_make_batch_pads_and_shifts_the_target():
    src, tgt_in, tgt_out = s2s.make_batch([7, 40517])
    assert src.dtype == tgt_in.dtype == minitorch.int64
    words = ids("forty thousand five hundred seventeen")
    np.testing.assert_array_equal(src.numpy(), [[TOKEN_ID["7"]] + [PAD] * 4, [TOKEN_ID[d] for d in "40517"]])
    np.testing.assert_array_equal(tgt_in.numpy(), [[BOS, TOKEN_ID["seven"]] + [PAD] * 4, [BOS] + words])
    np.testing.assert_array_equal(tgt_out.numpy(), [[TOKEN_ID["seven"], EOS] + [PAD] * 4, words + [EOS]])
    assert s2s.to_words(tgt_out.numpy()[1]) == "forty thousand five hundred seventeen"
    assert s2s.to_words(tgt_in.numpy()[0]) == "seven"


# ------------------------------------------------------------------ masks and the model
def test_padding_mask_marks_exactly_the_pads():
    src, tgt_in, _ = s2s.make_batch([5, 123])
    np.testing.assert_array_equal(s2s.padding_mask(src).numpy(), [[False, True, True], [False, False, False]])
    np.testing.assert_array_equal(s2s.padding_mask(tgt_in).numpy(), tgt_in.numpy() == PAD)


def test_causal_mask_hides_the_future():
    mask = s2s.causal_mask(4).numpy()
    np.testing.assert_array_equal(np.isneginf(mask), np.triu(np.ones((4, 4), bool), k=1))
    np.testing.assert_array_equal(mask[np.tril_indices(4)], 0.0)


@pytest.fixture
def model():
    minitorch.manual_seed(0)
    return s2s.Seq2SeqTransformer(len(s2s.VOCAB), width=16, layers=2, heads=2, max_len=12).eval()


def test_logits_depend_on_the_past_only(model):
    src, tgt_in, _ = s2s.make_batch([40517, 38])
    logits = host(model(src, tgt_in))
    assert logits.shape == (2, tgt_in.shape[1], len(s2s.VOCAB))
    changed = tgt_in.numpy().copy()
    changed[:, 3:] = TOKEN_ID["nine"]  # rewrite the future of position 2
    logits_changed = host(model(src, minitorch.from_numpy(changed)))
    np.testing.assert_allclose(logits_changed[:, :3], logits[:, :3], rtol=1e-5, atol=1e-5)
    assert not np.allclose(logits_changed[:, 3:], logits[:, 3:])


def test_padding_does_not_change_a_translation(model):
    """A short number alone, and padded beside a long one, gets the same logits: the masks work."""
    src_alone, tgt_alone, _ = s2s.make_batch([38])
    src, tgt_in, _ = s2s.make_batch([38, 123456])  # 38's source and target rows get <pad>s
    alone = host(model(src_alone, tgt_alone))[0]
    padded = host(model(src, tgt_in))[0, : alone.shape[0]]
    np.testing.assert_allclose(padded, alone, rtol=1e-5, atol=1e-5)


def scripted_decoder(script, calls):
    """A stand-in for model.decode whose argmax at step t is script[row][t]; it records its inputs."""
    def decode(tgt_in, memory, src_padding):
        calls.append(tgt_in.numpy().copy())
        n, t = tgt_in.shape
        logits = np.zeros((n, t, len(s2s.VOCAB)), np.float32)
        for row in range(n):
            logits[row, -1, script[row][t - 1]] = 1.0
        return minitorch.from_numpy(logits)
    return decode


def test_greedy_decode_follows_the_argmax_and_stops_at_eos(model, monkeypatch):
    script = [ids("forty two") + [EOS, TOKEN_ID["nine"], TOKEN_ID["nine"]],
              ids("seven") + [EOS, TOKEN_ID["one"], TOKEN_ID["one"], TOKEN_ID["one"]]]
    calls = []
    monkeypatch.setattr(model, "decode", scripted_decoder(script, calls))
    src = s2s.make_batch([42, 7])[0]
    assert s2s.greedy_decode(model, src, max_len=6) == [ids("forty two"), ids("seven")]
    assert len(calls) == 3  # both rows said <eos> by the third token: no fourth step
    # each step reads <bos> and the tokens chosen so far
    np.testing.assert_array_equal(calls[-1], [[BOS] + script[0][:2], [BOS] + script[1][:2]])


def test_greedy_decode_stops_after_max_len_without_eos(model, monkeypatch):
    calls = []
    monkeypatch.setattr(model, "decode", scripted_decoder([[TOKEN_ID["one"]] * 10], calls))
    assert s2s.greedy_decode(model, s2s.make_batch([1])[0], max_len=4) == [[TOKEN_ID["one"]] * 4]
    assert len(calls) == 4


def test_cross_attention_weights_are_the_decoders_own(model, monkeypatch):
    """The weights rebuilt outside the layer equal those the layer's multihead_attn computes."""
    src, tgt_in, _ = s2s.make_batch([38, 123456])
    weights = host(s2s.cross_attention_weights(model, src, tgt_in))
    attn = model.transformer.decoder.layers[-1].multihead_attn
    recorded, forward = [], attn.forward

    def recording(*args, **kwargs):
        kwargs["need_weights"] = True
        out, w = forward(*args, **kwargs)
        recorded.append(host(w))
        return out, w

    monkeypatch.setattr(attn, "forward", recording)
    model(src, tgt_in)
    np.testing.assert_allclose(weights, recorded[0], rtol=1e-5, atol=1e-6)
    assert weights.shape == (2, tgt_in.shape[1], src.shape[1])
    np.testing.assert_allclose(weights.sum(-1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(weights[0, :, 2:], 0.0)  # 38's padded source positions


def test_attention_example_labels_each_row_with_its_prediction(model):
    weights, source, labels = s2s.attention_example(model, 40517, "cpu")
    assert source == list("40517")
    assert weights.shape == (len(labels), 5) and len(labels) <= s2s.max_target_length(5)
    # the untrained model's own greedy translation, then <eos> unless it was cut off at max_len
    predicted = s2s.greedy_decode(model.eval(), s2s.make_batch([40517])[0], s2s.max_target_length(5))[0]
    assert labels == ([s2s.VOCAB[i] for i in predicted] + ["<eos>"])[: s2s.max_target_length(5)]
    np.testing.assert_allclose(weights.sum(-1), 1.0, rtol=1e-5)


# ------------------------------------------------------------------ training end to end
def check_run(result, device, max_digits, test_per_length):
    files = result["files"]
    assert all(os.path.getsize(path) > 0 for path in files.values())
    model = s2s.load_checkpoint(files["seq2seq.npz"], device)
    task = s2s.NumberTask(max_digits, test_per_length, seed=0)
    # the reloaded model reproduces the accuracy train() reported
    assert s2s.exact_match(model, task.test, device)[0] == result["exact_match"]


def test_train_tiny_on_cpu(tmp_path):
    result = s2s.train(steps=40, batch_size=16, lr=1e-2, layers=1, width=16, heads=2, max_digits=2,
                       test_per_length=4, warmup=5, out=str(tmp_path), progress=False)
    loss = result["history"]["train_loss"]
    assert len(loss) == 40 and np.mean(loss[-5:]) < 0.6 * np.mean(loss[:5])
    assert loss[0] == pytest.approx(math.log(len(s2s.VOCAB)), rel=0.3)  # starts near a uniform guess
    assert result["history"]["eval_step"] == [40]
    assert len(result["examples"]) == result["n_test"] == 1 + 4
    check_run(result, "cpu", max_digits=2, test_per_length=4)


def test_train_refuses_zero_steps(tmp_path):
    with pytest.raises(ValueError, match="steps"):
        s2s.train(steps=0, out=str(tmp_path), progress=False)


@needs_cuda
def test_train_tiny_on_cuda(tmp_path):
    """Two steps on one-digit numbers: the simulator runs every kernel thread in Python, slowly."""
    result = s2s.train(steps=2, batch_size=4, lr=2e-2, layers=1, width=16, heads=1, device="cuda",
                       max_digits=1, test_per_length=1, warmup=1, out=str(tmp_path), progress=False)
    loss = result["history"]["train_loss"]
    assert loss[1] < 0.95 * loss[0]
    check_run(result, "cuda", max_digits=1, test_per_length=1)
