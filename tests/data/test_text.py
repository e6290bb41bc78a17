"""Text: the shipped corpus, the char / word / BPE tokenizers, LM windows and the sentiment set."""
import collections
import re

import numpy as np
import pytest

import minitorch
from minitorch.data import (
    BPETokenizer, CharLMDataset, CharTokenizer, DataLoader, WordTokenizer, load_corpus,
    load_text_classification, pad_sequences, text_classification_dataset,
)
from minitorch.data.text import _ADJECTIVES, _NEGATED_OPINIONS, _OPINIONS


# ------------------------------------------------------------------ corpus
def test_corpus_is_the_shipped_play():
    text = load_corpus()
    assert len(text) == 127991
    assert text.startswith("First Citizen:\nBefore we proceed any further, hear me speak.\n")
    assert text.endswith("With his unkindness? say't be so?\n")
    assert len(set(text)) == 61 and text.isascii()
    words = collections.Counter(re.findall(r"[A-Za-z']+", text))
    assert words["the"] > 500 and words["Coriolanus"] > 10 and words["MENENIUS"] > 100


# ------------------------------------------------------------------ characters
def test_char_tokenizer_ids_are_sorted_characters():
    tok = CharTokenizer("hello world")
    assert tok.chars == " dehlorw" and tok.vocab_size == len(tok) == 8
    assert tok.encode("hold") == [3, 5, 4, 1]
    assert tok.decode([3, 5, 4, 1]) == "hold"
    assert tok.decode(minitorch.tensor([7, 5])) == "wo"
    assert tok.decode(np.array([2])) == "e"


def test_char_tokenizer_round_trip_and_rebuild():
    text = load_corpus()[:5000]
    tok = CharTokenizer(text)
    assert tok.decode(tok.encode(text)) == text
    again = CharTokenizer(tok.chars)
    assert again.encode(text) == tok.encode(text)


def test_char_tokenizer_unknown_characters():
    tok = CharTokenizer("abc")
    with pytest.raises(ValueError, match=r"\['x', 'z'\] are not in the vocabulary.*unk_token"):
        tok.encode("azbx")
    tok = CharTokenizer("abc", unk_token="?")
    assert tok.chars == "?abc" and tok.unk_id == 0
    assert tok.encode("azbx") == [1, 0, 2, 0]
    assert tok.decode(tok.encode("azbx")) == "a?b?"
    with pytest.raises(ValueError, match="id 9 is out of range for a vocabulary of 4"):
        tok.decode([1, 9])
    with pytest.raises(ValueError, match="one character"):
        CharTokenizer("abc", unk_token="<unk>")
    with pytest.raises(ValueError, match="1-D sequence"):
        tok.decode([[1, 2]])


# ------------------------------------------------------------------ words
TEXTS = ["The cat sat on the mat.", "The dog sat, then the dog ran!", "A cat can't run."]


def test_word_tokenize_lowercases_and_splits_punctuation():
    assert WordTokenizer.tokenize("Don't STOP, me now!") == ["don't", "stop", ",", "me", "now", "!"]


def test_word_vocabulary_by_frequency():
    tok = WordTokenizer(TEXTS)
    assert tok.itos[:4] == ["<pad>", "<unk>", "<bos>", "<eos>"]
    # the: 4, then cat, dog, sat and "." twice (alphabetical among equals), then the rest once
    assert tok.itos[4:9] == ["the", ".", "cat", "dog", "sat"]
    small = WordTokenizer(TEXTS, vocab_size=6)
    assert small.itos == ["<pad>", "<unk>", "<bos>", "<eos>", "the", "."]
    assert small.encode("the cat.") == [2, 4, 1, 5, 3]
    assert WordTokenizer(TEXTS, min_freq=2).vocab_size == 4 + 5
    with pytest.raises(ValueError, match=r"vocab_size \(the 4 special tokens count\) must be at least 5, got 3"):
        WordTokenizer(TEXTS, vocab_size=3)


def test_word_encode_truncation_keeps_special_tokens():
    tok = WordTokenizer(TEXTS)
    ids = tok.encode("the cat sat on the mat", max_length=4, truncation=True)
    assert ids == [tok.bos_id, tok.stoi["the"], tok.stoi["cat"], tok.eos_id]
    assert tok.encode("the cat", add_special_tokens=False) == [tok.stoi["the"], tok.stoi["cat"]]
    with pytest.raises(ValueError, match="truncation=True needs max_length"):
        tok.encode("the cat", truncation=True)
    with pytest.raises(ValueError, match="4 tokens, more than max_length=3"):
        tok.encode("the cat", max_length=3)


def test_word_batch_padding_and_attention_mask():
    tok = WordTokenizer(TEXTS)
    out = tok(["the cat", "the dog sat on the mat"], padding="longest")
    assert [len(r) for r in out["input_ids"]] == [8, 8]
    assert out["attention_mask"] == [[1, 1, 1, 1, 0, 0, 0, 0], [1] * 8]
    assert out["input_ids"][0][4:] == [tok.pad_id] * 4
    out = tok(["the cat", "the dog sat on the mat"], padding="max_length", max_length=5, truncation=True,
              return_tensors=True)
    ids, mask = out["input_ids"], out["attention_mask"]
    assert ids.shape == (2, 5) and ids.dtype == minitorch.int64 and mask.dtype == minitorch.int64
    np.testing.assert_array_equal(mask.numpy(), [[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]])
    assert ids.numpy()[1, -1] == tok.eos_id
    single = tok("the cat", padding="max_length", max_length=6)
    assert single["input_ids"] == [2, 4, 6, 3, 0, 0] and single["attention_mask"] == [1, 1, 1, 1, 0, 0]
    assert tok(["the cat", "the"])["attention_mask"] == [[1, 1, 1, 1], [1, 1, 1]]


def test_word_batch_errors():
    tok = WordTokenizer(TEXTS)
    with pytest.raises(ValueError, match="6 tokens, more than max_length=4; pass truncation=True"):
        tok(["the cat sat on"], max_length=4)
    with pytest.raises(ValueError, match="padding='max_length' needs max_length"):
        tok(["the cat"], padding="max_length")
    with pytest.raises(ValueError, match="padding must be"):
        tok(["the cat"], padding=True)
    with pytest.raises(ValueError, match="return_tensors=True needs sequences of one length"):
        tok(["the cat", "the"], return_tensors=True)


def test_word_decode():
    tok = WordTokenizer(TEXTS)
    ids = tok("The dog ran, then the cat sat!", padding="max_length", max_length=14)["input_ids"]
    assert tok.decode(ids) == "the dog ran, then the cat sat!"
    assert tok.decode(ids, skip_special_tokens=False).startswith("<bos> the dog")
    assert tok.decode(tok.encode("the zebra")) == "the <unk>"


def test_pad_sequences():
    ids, mask = pad_sequences([[5, 6, 7], [8]], pad_id=-1)
    np.testing.assert_array_equal(ids, [[5, 6, 7], [8, -1, -1]])
    np.testing.assert_array_equal(mask, [[1, 1, 1], [1, 0, 0]])
    ids, mask = pad_sequences([[5, 6, 7], [8]], max_length=2, truncation=True)
    np.testing.assert_array_equal(ids, [[5, 6], [8, 0]])
    with pytest.raises(ValueError, match="3 tokens, more than max_length=2"):
        pad_sequences([[5, 6, 7]], max_length=2)


# ------------------------------------------------------------------ byte-pair encoding
def test_bpe_merges_most_frequent_pair_first():
    tok = BPETokenizer.train("aaab aaab aac", vocab_size=6)
    # chunks: "aaab" (1), " aaab" (1), " aac" (1): (a, a) occurs 5 times, the most
    assert tok.chars == " abc"
    assert tok.merges[0] == ("a", "a")
    assert tok.vocab_size == 6 and tok.itos[4] == "aa"


def test_bpe_round_trip_and_compression():
    text = load_corpus()[:20000]
    tok = BPETokenizer.train(text, vocab_size=200)
    assert tok.vocab_size == 200
    ids = tok.encode(text)
    assert tok.decode(ids) == text
    assert len(ids) < 0.6 * len(text)  # merges shorten the sequence
    rebuilt = BPETokenizer(tok.chars, tok.merges)
    sample = load_corpus()[50000:51000]
    assert rebuilt.encode(sample) == tok.encode(sample) and tok.decode(tok.encode(sample)) == sample
    with pytest.raises(ValueError, match=r"\['~'\] did not occur"):
        tok.encode("a~b")
    with pytest.raises(ValueError, match=r"vocab_size \(the text has 3 distinct characters\) must be at least 3"):
        BPETokenizer.train("abc", vocab_size=2)


# ------------------------------------------------------------------ language-model windows
def test_char_lm_dataset_windows():
    text = "abcdefghij"
    tok = CharTokenizer(text)
    ds = CharLMDataset(text, tok, block_size=4)
    assert len(ds) == 6
    x, y = ds[2]
    assert tok.decode(x) == "cdef" and tok.decode(y) == "defg"
    assert x.dtype == minitorch.int64
    assert tok.decode(ds[-1][1]) == "ghij"
    with pytest.raises(IndexError, match="index 6 is out of range for 6"):
        ds[6]
    with pytest.raises(ValueError, match="too few for windows"):
        CharLMDataset("abc", CharTokenizer("abc"), block_size=3)
    xs, ys = next(iter(DataLoader(ds, batch_size=6)))
    assert xs.shape == (6, 4) and tok.decode(ys[5]) == "ghij"


def test_char_lm_get_batch_is_random_and_reproducible():
    text = load_corpus()[:3000]
    ds = CharLMDataset(text, CharTokenizer(text), block_size=16)
    minitorch.manual_seed(3)
    x1, y1 = ds.get_batch(32)
    minitorch.manual_seed(3)
    x2, y2 = ds.get_batch(32)
    assert x1.shape == y1.shape == (32, 16)
    np.testing.assert_array_equal(x1.numpy(), x2.numpy())
    np.testing.assert_array_equal(x1.numpy()[:, 1:], y1.numpy()[:, :-1])  # y is x moved by one
    data = ds.data
    for row in x1.numpy()[:5]:  # every row is a real window of the text
        starts = np.flatnonzero(np.all(np.lib.stride_tricks.sliding_window_view(data, 16) == row, axis=1))
        assert len(starts) >= 1
    assert len({tuple(r) for r in x1.numpy()}) > 25


# ------------------------------------------------------------------ sentiment set
def test_sentiment_splits_sizes_balance_and_determinism():
    sizes = {"train": 2000, "val": 500, "test": 1000}
    seen = set()
    for split, n in sizes.items():
        texts, labels = load_text_classification(split)
        assert len(texts) == len(labels) == n and labels.dtype == np.int64
        assert set(labels.tolist()) == {0, 1} and 0.4 < labels.mean() < 0.6
        assert not seen & set(texts)  # no sentence in two splits
        seen |= set(texts)
    assert len(seen) == 3500
    texts, labels = load_text_classification("train")
    assert texts[:2] == ["in my opinion the acting seemed really dull overall.",
                         "in my opinion the story did not look charming."]
    assert labels[:2].tolist() == [0, 0]
    texts[0] = "changed"  # callers get copies
    assert load_text_classification("train")[0][0] != "changed"
    with pytest.raises(ValueError, match="split must be 'train', 'val' or 'test'"):
        load_text_classification("dev")


def _clause_label(clause):
    """The sentiment of one clause: its adjective's list, flipped by a negation."""
    negative = any(w in clause for w in (" not ", "n't ", " never "))
    for label, opinions in ((1, _OPINIONS[1]), (0, _OPINIONS[0])):
        if any(f"i {v} " in clause for v in opinions):
            return label
    for label, opinions in ((1, _NEGATED_OPINIONS[1]), (0, _NEGATED_OPINIONS[0])):
        if any(f"i {v} " in clause for v in opinions):
            return label
    words = re.findall(r"[a-z]+", clause)
    polarity = 1 if any(w in _ADJECTIVES[1] for w in words) else 0
    return 1 - polarity if negative else polarity


def _rule_label(text):
    """The labelling rule of the docstring, written independently: who decides in each pattern."""
    prefixes = r"^(honestly, |overall, |to be fair, |in my opinion |frankly, |i think |i have to say )"
    text = re.sub(prefixes, "", text)
    if " but " in text:
        return _clause_label(" " + text.split(" but ")[1] + " ")
    if text.startswith("although "):
        return _clause_label(" " + text.split(", ", 1)[1] + " ")
    if ", although " in text:
        return _clause_label(" " + text.split(", although ")[0] + " ")
    return _clause_label(" " + text.split(" and ")[0] + " ")


def test_sentiment_labels_follow_the_documented_rules():
    texts, labels = load_text_classification("test")
    rule = np.array([_rule_label(t) for t in texts])
    np.testing.assert_array_equal(rule, labels)
    patterns = collections.Counter(
        "but" if " but " in t else "although" if "although" in t else "and" if " and " in t else "single"
        for t in texts
    )
    assert min(patterns.values()) > 50  # every sentence pattern occurs


def test_sentiment_texts_use_only_corpus_characters():
    corpus_chars = set(load_corpus())
    for split in ("train", "val", "test"):
        assert set("".join(load_text_classification(split)[0])) <= corpus_chars


def test_text_classification_dataset():
    tok = CharTokenizer(load_corpus())
    ds = text_classification_dataset("val", tok, max_length=60)
    ids, mask, labels = ds.tensors
    texts, expected = load_text_classification("val")
    assert ids.shape == mask.shape == (500, 60) and labels.shape == (500,)
    np.testing.assert_array_equal(mask.numpy().sum(1), [min(len(t), 60) for t in texts])
    assert tok.decode(ids.numpy()[0][: mask.numpy()[0].sum()]) == texts[0][:60]
    np.testing.assert_array_equal(labels.numpy(), expected)
    words = WordTokenizer(load_text_classification("train")[0])
    ids = text_classification_dataset("test", words).tensors[0].numpy()
    assert ids[:, 0].tolist() == [words.bos_id] * 1000 and (ids == words.pad_id).any()
