"""Text for language models and classifiers: a shipped corpus, tokenizers, and two datasets.

- ``load_corpus()``: 128 KB of Shakespeare (public domain), shipped, no download
- ``CharTokenizer``: one id per character; ``WordTokenizer``: lower-cased words and
  punctuation, the most frequent ones, with ``<pad> <unk> <bos> <eos>``, padding,
  truncation and an attention mask; ``BPETokenizer``: byte-pair encoding learned
  from a text
- ``CharLMDataset``: (x, y) windows where y is x shifted by one character
- ``load_text_classification()``: a generated sentiment set (see its docstring)
"""
import collections
import functools
import gzip
import os
import re

import numpy as np

from .. import checks
from ..creation import from_numpy
from ..tensor import Tensor
from .dataset import Dataset, TensorDataset, _rng

CORPUS_PATH = os.path.join(os.path.dirname(__file__), "files", "shakespeare.txt.gz")


def load_corpus():
    """The shipped corpus as one string: the opening 127,991 characters of Shakespeare's
    *Coriolanus* as found in the "tiny Shakespeare" text (61 distinct characters, plain ASCII).
    See files/README.md for its source."""
    with gzip.open(CORPUS_PATH, "rt", encoding="ascii", newline="") as f:
        return f.read()


def _ids_list(op, ids):
    """``ids`` (list, numpy array or Tensor of ints) as a list of Python ints."""
    if isinstance(ids, Tensor):
        ids = ids.detach().cpu().numpy()
    array = np.asarray(ids)
    if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
        raise ValueError(
            f"{op}: expects a 1-D sequence of integer ids, got an array of shape {array.shape} "
            f"and dtype {array.dtype}; decode one sequence at a time."
        )
    return array.tolist()


def _check_ids(op, ids, size):
    bad = [i for i in ids if not 0 <= i < size]
    if bad:
        raise ValueError(f"{op}: id {bad[0]} is out of range for a vocabulary of {size} tokens.")


class CharTokenizer:
    """One token per character: the ids are the positions of the text's distinct characters, sorted.

    ``CharTokenizer(text)`` learns the vocabulary from ``text``; ``tok.chars`` (a string)
    rebuilds the same tokenizer: ``CharTokenizer(tok.chars)``.

    unk_token: ``None`` (the default) makes ``encode`` refuse characters it has
        not seen, naming them; a single character (e.g. ``"?"``) is added to the
        vocabulary and stands in for every unseen character.
    """

    def __init__(self, text, unk_token=None):
        if not isinstance(text, str):
            raise TypeError(f"CharTokenizer: text must be a str, got {type(text).__name__}.")
        if unk_token is not None and (not isinstance(unk_token, str) or len(unk_token) != 1):
            raise ValueError(f"CharTokenizer: unk_token must be one character or None, got {unk_token!r}.")
        chars = set(text) | ({unk_token} if unk_token is not None else set())
        if not chars:
            raise ValueError("CharTokenizer: the text is empty; there are no characters to learn.")
        self.chars = "".join(sorted(chars))
        self.unk_token = unk_token
        self.stoi = {c: i for i, c in enumerate(self.chars)}

    @property
    def vocab_size(self):
        return len(self.chars)

    def __len__(self):
        return len(self.chars)

    @property
    def unk_id(self):
        return None if self.unk_token is None else self.stoi[self.unk_token]

    def encode(self, text):
        """The list of ids of the characters of ``text``."""
        if self.unk_token is None:
            unknown = sorted(set(text) - self.stoi.keys())
            if unknown:
                raise ValueError(
                    f"CharTokenizer.encode: characters {unknown!r} are not in the vocabulary of "
                    f"{self.vocab_size} characters; build the tokenizer from a text that has them, or "
                    f"pass unk_token='?' to map unseen characters to one token."
                )
        return [self.stoi.get(c, self.unk_id) for c in text]

    def decode(self, ids):
        """The text of a sequence of ids (list, numpy array or 1-D tensor)."""
        ids = _ids_list("CharTokenizer.decode", ids)
        _check_ids("CharTokenizer.decode", ids, self.vocab_size)
        return "".join(self.chars[i] for i in ids)


# ---------------------------------------------------------------------- padding
def pad_sequences(sequences, max_length=None, pad_id=0, truncation=False):
    """Pad (and optionally cut) lists of ids into one rectangular batch.

    Every sequence is padded on the right with ``pad_id`` to ``max_length`` (by
    default the longest sequence). A longer sequence is cut to ``max_length`` when
    ``truncation=True`` and is an error otherwise.

    Returns ``(ids, mask)``: int64 arrays of shape (len(sequences), max_length);
    ``mask`` is 1 on real tokens and 0 on padding (the "attention mask").
    """
    sequences = [list(s) for s in sequences]
    longest = max((len(s) for s in sequences), default=0)
    if max_length is None:
        max_length = longest
    else:
        max_length = checks.integer("pad_sequences", "max_length (or None)", max_length, minimum=1)
    if longest > max_length and not truncation:
        raise ValueError(
            f"pad_sequences: a sequence has {longest} tokens, more than max_length={max_length}; "
            f"pass truncation=True to cut it, or a larger max_length."
        )
    ids = np.full((len(sequences), max_length), pad_id, dtype=np.int64)
    mask = np.zeros((len(sequences), max_length), dtype=np.int64)
    for row, seq in enumerate(sequences):
        seq = seq[:max_length]
        ids[row, :len(seq)] = seq
        mask[row, :len(seq)] = 1
    return ids, mask


# ---------------------------------------------------------------------- words
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[^\sa-z0-9]")


class WordTokenizer:
    """Lower-cased words and punctuation marks, the ``vocab_size`` most frequent of a training text.

    ``tokenize("Don't stop!") == ["don't", "stop", "!"]``: a word is a run of
    letters and digits (with inner apostrophes), every other non-space character
    is a token of its own. The vocabulary starts with the special tokens
    ``<pad>`` (id 0), ``<unk>`` (1), ``<bos>`` (2), ``<eos>`` (3), followed by the
    words seen at least ``min_freq`` times, most frequent first (ties in
    alphabetical order), up to ``vocab_size`` tokens in all. Words outside the
    vocabulary become ``<unk>``.

    ``tok.encode(text)`` gives one list of ids; ``tok(texts, padding=..., truncation=...,
    max_length=...)`` encodes a batch (or one text) and returns ``input_ids`` and
    ``attention_mask``, as Hugging Face tokenizers do.
    """

    pad_token, unk_token, bos_token, eos_token = "<pad>", "<unk>", "<bos>", "<eos>"
    special_tokens = (pad_token, unk_token, bos_token, eos_token)
    pad_id, unk_id, bos_id, eos_id = 0, 1, 2, 3

    def __init__(self, texts, vocab_size=10000, min_freq=1):
        if isinstance(texts, str):
            texts = [texts]
        checks.integer("WordTokenizer", "vocab_size (the 4 special tokens count)", vocab_size, minimum=5)
        counts = collections.Counter(token for text in texts for token in self.tokenize(text))
        words = sorted((w for w, c in counts.items() if c >= min_freq), key=lambda w: (-counts[w], w))
        self.itos = list(self.special_tokens) + words[: vocab_size - len(self.special_tokens)]
        self.stoi = {w: i for i, w in enumerate(self.itos)}

    @staticmethod
    def tokenize(text):
        """Split ``text`` into lower-cased words and single punctuation marks."""
        if not isinstance(text, str):
            raise TypeError(f"WordTokenizer: texts must be strings, got {type(text).__name__}.")
        return _WORD.findall(text.lower())

    @property
    def vocab_size(self):
        return len(self.itos)

    def __len__(self):
        return len(self.itos)

    def encode(self, text, add_special_tokens=True, max_length=None, truncation=False):
        """The ids of ``text``, wrapped in ``<bos> ... <eos>`` when ``add_special_tokens``.

        With ``truncation=True`` the words are cut so that the whole sequence
        (special tokens included) has at most ``max_length`` ids; without it, a
        longer sequence is an error.
        """
        ids = [self.stoi.get(w, self.unk_id) for w in self.tokenize(text)]
        if truncation:
            if max_length is None:
                raise ValueError("WordTokenizer.encode: truncation=True needs max_length.")
            room = max_length - (2 if add_special_tokens else 0)
            if room < 0:
                raise ValueError(
                    f"WordTokenizer.encode: max_length={max_length} leaves no room for <bos> and <eos>."
                )
            ids = ids[:room]
        ids = [self.bos_id] + ids + [self.eos_id] if add_special_tokens else ids
        if max_length is not None and len(ids) > max_length:
            raise ValueError(
                f"WordTokenizer: a text has {len(ids)} tokens, more than max_length={max_length}; "
                f"pass truncation=True to cut it."
            )
        return ids

    def __call__(self, texts, padding=False, truncation=False, max_length=None, add_special_tokens=True,
                 return_tensors=False):
        """Encode one text or a list of texts: ``{"input_ids": ..., "attention_mask": ...}``.

        padding: ``False`` (sequences keep their own lengths), ``"longest"`` (pad to
            the longest in the batch) or ``"max_length"`` (pad to ``max_length``).
            Padding uses ``<pad>`` (id 0) on the right; the attention mask is 1 on
            real tokens and 0 on padding.
        truncation: cut sequences longer than ``max_length`` (special tokens kept).
            Without it, a sequence longer than a ``max_length`` is an error.
        return_tensors: give int64 tensors of shape (batch, length) instead of lists
            (needs equal lengths, i.e. some padding, for a batch).

        For a single string the lists (or tensors) have one dimension less.
        """
        single = isinstance(texts, str)
        batch = [texts] if single else list(texts)
        checks.choice("WordTokenizer", "padding", padding, (False, "longest", "max_length"))
        if padding == "max_length" and max_length is None:
            raise ValueError("WordTokenizer: padding='max_length' needs max_length.")
        seqs = [self.encode(t, add_special_tokens, max_length, truncation) for t in batch]
        if padding:
            width = max_length if padding == "max_length" else None
            ids, mask = pad_sequences(seqs, width, self.pad_id)
            ids, mask = ids.tolist(), mask.tolist()
        else:
            ids, mask = seqs, [[1] * len(s) for s in seqs]
        if return_tensors:
            if len({len(s) for s in ids}) > 1:
                raise ValueError(
                    "WordTokenizer: return_tensors=True needs sequences of one length; pass "
                    "padding='longest' or padding='max_length'."
                )
            ids = from_numpy(np.array(ids, dtype=np.int64).reshape(len(ids), -1))
            mask = from_numpy(np.array(mask, dtype=np.int64).reshape(len(mask), -1))
        if single:
            ids, mask = ids[0], mask[0]
        return {"input_ids": ids, "attention_mask": mask}

    def decode(self, ids, skip_special_tokens=True):
        """The words of ``ids`` joined by spaces (no space before punctuation)."""
        ids = _ids_list("WordTokenizer.decode", ids)
        _check_ids("WordTokenizer.decode", ids, self.vocab_size)
        skip = {self.pad_id, self.bos_id, self.eos_id} if skip_special_tokens else set()
        text = " ".join(self.itos[i] for i in ids if i not in skip)
        return re.sub(r" ([,.!?;:)])", r"\1", text)


# ---------------------------------------------------------------------- byte-pair encoding
_CHUNK = re.compile(r" ?[A-Za-z]+| ?[0-9]+| ?[^A-Za-z0-9\s]+|\s+")


def _merge_pair(symbols, pair, merged):
    """``symbols`` with every adjacent ``pair`` replaced by the single symbol ``merged``."""
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(merged)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


class BPETokenizer:
    """Byte-pair encoding (Sennrich et al., 2016) over characters.

    Training starts from the text's characters and repeatedly merges the most
    frequent adjacent pair of symbols into a new symbol, until the vocabulary has
    ``vocab_size`` symbols (or no pair is left). Pairs never cross chunk
    boundaries: the text is first cut into chunks (a word with its leading space,
    a number, a run of punctuation, a run of white space), as GPT-2 does.
    Encoding replays the merges in the order they were learned.

    ``BPETokenizer.train(text, vocab_size)`` learns a tokenizer; ``tok.chars`` and
    ``tok.merges`` rebuild it: ``BPETokenizer(tok.chars, tok.merges)``.
    """

    def __init__(self, chars, merges=()):
        self.chars = "".join(sorted(set(chars)))
        self.merges = [tuple(pair) for pair in merges]
        self.itos = list(self.chars) + [a + b for a, b in self.merges]
        self.stoi = {s: i for i, s in enumerate(self.itos)}
        self.ranks = {pair: rank for rank, pair in enumerate(self.merges)}
        self._cache = {}

    @classmethod
    def train(cls, text, vocab_size):
        """Learn merges from ``text`` until the vocabulary has ``vocab_size`` symbols."""
        if not isinstance(text, str) or not text:
            raise ValueError("BPETokenizer.train: text must be a non-empty string.")
        alphabet = sorted(set(text))
        checks.integer("BPETokenizer.train", f"vocab_size (the text has {len(alphabet)} distinct characters)",
                       vocab_size, minimum=len(alphabet))
        freq = collections.Counter(_CHUNK.findall(text))
        words = {chunk: list(chunk) for chunk in freq}
        merges = []
        while len(alphabet) + len(merges) < vocab_size:
            pairs = collections.Counter()
            for chunk, symbols in words.items():
                for pair in zip(symbols, symbols[1:]):
                    pairs[pair] += freq[chunk]
            if not pairs:
                break
            best = min(pairs, key=lambda p: (-pairs[p], p))  # most frequent; ties alphabetical
            merges.append(best)
            for chunk, symbols in words.items():
                if len(symbols) > 1:
                    words[chunk] = _merge_pair(symbols, best, best[0] + best[1])
        return cls(alphabet, merges)

    @property
    def vocab_size(self):
        return len(self.itos)

    def __len__(self):
        return len(self.itos)

    def _encode_chunk(self, chunk):
        if chunk not in self._cache:
            symbols = list(chunk)
            while len(symbols) > 1:
                pair = min(zip(symbols, symbols[1:]), key=lambda p: self.ranks.get(p, len(self.ranks)))
                if pair not in self.ranks:
                    break
                symbols = _merge_pair(symbols, pair, pair[0] + pair[1])
            self._cache[chunk] = [self.stoi[s] for s in symbols]
        return self._cache[chunk]

    def encode(self, text):
        """The ids of ``text``; characters missing from the training text are an error."""
        unknown = sorted(set(text) - set(self.chars))
        if unknown:
            raise ValueError(
                f"BPETokenizer.encode: characters {unknown!r} did not occur in the training text; "
                f"train on a text that has them."
            )
        return [i for chunk in _CHUNK.findall(text) for i in self._encode_chunk(chunk)]

    def decode(self, ids):
        ids = _ids_list("BPETokenizer.decode", ids)
        _check_ids("BPETokenizer.decode", ids, self.vocab_size)
        return "".join(self.itos[i] for i in ids)


# ---------------------------------------------------------------------- language modelling
class CharLMDataset(Dataset):
    """Next-token prediction windows over one long text.

    Sample ``i`` is ``(x, y)`` with ``x = ids[i : i + block_size]`` and
    ``y = ids[i + 1 : i + block_size + 1]``: at every position the target is the
    token that follows, so a model learns p(token t+1 | tokens up to t).
    ``ids = tokenizer.encode(text)``, so any tokenizer with ``encode`` works.

    ``get_batch(batch_size)`` draws ``batch_size`` random windows at once (two int64
    tensors of shape (batch_size, block_size)), the usual way to feed a small GPT.
    """

    def __init__(self, text, tokenizer, block_size):
        self.block_size = checks.integer("CharLMDataset", "block_size", block_size, minimum=1)
        self.data = np.asarray(tokenizer.encode(text), dtype=np.int64)
        if len(self.data) <= self.block_size:
            raise ValueError(
                f"CharLMDataset: the text has {len(self.data)} tokens, too few for windows of "
                f"block_size={block_size} plus one target; use a longer text or a smaller block_size."
            )

    def __len__(self):
        return len(self.data) - self.block_size

    def __getitem__(self, index):
        index = checks.integer("CharLMDataset", "index", index)
        n = len(self)
        if not -n <= index < n:
            raise IndexError(f"CharLMDataset: index {index} is out of range for {n} windows.")
        start = index % n
        window = self.data[start:start + self.block_size + 1]
        return from_numpy(window[:-1].copy()), from_numpy(window[1:].copy())

    def get_batch(self, batch_size, generator=None):
        """``(x, y)`` for ``batch_size`` windows starting at random positions (drawn from ``generator``)."""
        starts = _rng("CharLMDataset.get_batch", generator).integers(0, len(self), size=batch_size)
        rows = starts[:, None] + np.arange(self.block_size + 1)[None, :]
        windows = self.data[rows]
        x, y = np.ascontiguousarray(windows[:, :-1]), np.ascontiguousarray(windows[:, 1:])
        return from_numpy(x), from_numpy(y)


# ---------------------------------------------------------------------- text classification
SENTIMENT_CLASSES = ["negative", "positive"]
SPLIT_SIZES = {"train": 2000, "val": 500, "test": 1000}

_SUBJECTS = ["the film", "the movie", "the show", "the play", "the book", "the story", "the plot",
             "the acting", "the music", "the ending", "the dialogue", "the cast", "the script",
             "the soundtrack", "the camera work", "the pacing", "the lead actor", "the villain",
             "the direction", "the finale"]
_ADJECTIVES = (
    ["bad", "awful", "terrible", "boring", "dull", "weak", "clumsy", "tedious", "bland", "poor",
     "silly", "messy", "forgettable", "painful", "flat", "lifeless", "shallow", "predictable"],
    ["good", "great", "wonderful", "brilliant", "superb", "charming", "delightful", "moving", "clever",
     "excellent", "lovely", "funny", "beautiful", "gripping", "fresh", "inspired", "touching", "smart"],
)
_INTENSIFIERS = ["", "", "very ", "really ", "truly ", "quite ", "rather ", "so ", "incredibly "]
_VERBS = ["was", "is", "felt", "seemed", "looked"]
_NEGATED_VERBS = ["was not", "is not", "wasn't", "isn't", "never felt", "did not seem", "did not look"]
_OPINIONS = (["hated", "disliked", "regretted watching", "could not stand", "was bored by"],
             ["loved", "enjoyed", "liked", "adored", "admired"])
_NEGATED_OPINIONS = (["did not like", "did not enjoy", "did not love", "never liked"],
                     ["did not hate", "did not dislike", "never regretted watching"])
_PREFIXES = ["", "", "", "honestly, ", "overall, ", "to be fair, ", "in my opinion ", "frankly, ",
             "i think ", "i have to say "]
_SUFFIXES = ["", "", ".", ".", "!", " overall.", " in the end."]


def _clause(rs, label):
    """A clause whose sentiment is ``label``: an adjective, possibly negated (which flips it)."""
    negated = rs.rand() < 0.35
    subject = _SUBJECTS[rs.randint(len(_SUBJECTS))]
    polarity = 1 - label if negated else label
    adjective = _INTENSIFIERS[rs.randint(len(_INTENSIFIERS))] + \
        _ADJECTIVES[polarity][rs.randint(len(_ADJECTIVES[polarity]))]
    verb = _NEGATED_VERBS[rs.randint(len(_NEGATED_VERBS))] if negated else _VERBS[rs.randint(len(_VERBS))]
    return f"{subject} {verb} {adjective}"


def _opinion(rs, label):
    """``i <verb> <subject>``, where a negated verb of the opposite sentiment gives ``label``."""
    subject = _SUBJECTS[rs.randint(len(_SUBJECTS))]
    if rs.rand() < 0.35:
        verbs = _NEGATED_OPINIONS[label]
    else:
        verbs = _OPINIONS[label]
    return f"i {verbs[rs.randint(len(verbs))]} {subject}"


def _sentence(rs, label):
    """One sentence of sentiment ``label``, built from clauses by one of six patterns."""
    other = 1 - label if rs.rand() < 0.8 else label  # the clause that does not decide
    pattern = rs.choice(6, p=[0.25, 0.2, 0.15, 0.1, 0.1, 0.2])
    if pattern == 0:
        body = _clause(rs, label)
    elif pattern == 1:  # "A but B": B decides
        body = f"{_clause(rs, other)} but {_clause(rs, label)}"
    elif pattern == 2:  # "A, although B": the main clause A decides
        body = f"{_clause(rs, label)}, although {_clause(rs, other)}"
    elif pattern == 3:  # "although A, B": B decides
        body = f"although {_clause(rs, other)}, {_clause(rs, label)}"
    elif pattern == 4:  # "A and B": both agree
        body = f"{_clause(rs, label)} and {_clause(rs, label)}"
    else:
        body = _opinion(rs, label)
    return _PREFIXES[rs.randint(len(_PREFIXES))] + body + _SUFFIXES[rs.randint(len(_SUFFIXES))]


@functools.lru_cache(maxsize=1)
def _sentiment_sets(seed=2024):
    """All splits at once: distinct sentences, half of each label, shuffled, cut into the splits."""
    rs = np.random.RandomState(seed)
    total = sum(SPLIT_SIZES.values())
    seen, texts, labels = set(), [], []
    while len(texts) < total:
        label = len(texts) % 2
        text = _sentence(rs, label)
        if text not in seen:
            seen.add(text)
            texts.append(text)
            labels.append(label)
    order = rs.permutation(total)
    sets, start = {}, 0
    for split, size in SPLIT_SIZES.items():
        rows = order[start:start + size]
        sets[split] = ([texts[i] for i in rows], np.array([labels[i] for i in rows], dtype=np.int64))
        start += size
    return sets


def load_text_classification(split="train"):
    """A small sentiment set: ``(texts, labels)``, labels 0 = negative, 1 = positive.

    The sentences are generated (deterministically, the same on every machine)
    from templates about films and books: an adjective from a positive or a
    negative list, often with an intensifier ("really dull"), negated a third of
    the time ("was not brilliant" is negative, "did not hate" positive), and
    joined into sentences where word order matters:

    - "A but B": B decides ("the plot was dull but the acting was superb" is positive)
    - "A, although B": A decides; "although A, B": B decides
    - "A and B": both clauses agree; "i loved / did not enjoy ..." opinions

    So a bag of words cannot get every sentence right; a model that reads the
    sequence can. All characters occur in the shipped corpus, so a character model
    pretrained on ``load_corpus()`` can read them.

    split: ``"train"`` (2,000 sentences), ``"val"`` (500) or ``"test"`` (1,000);
    the splits share no sentence, and each is close to half positive.
    """
    checks.choice("load_text_classification", "split", split, tuple(SPLIT_SIZES))
    texts, labels = _sentiment_sets()[split]
    return list(texts), labels.copy()


def text_classification_dataset(split, tokenizer, max_length=None, pad_id=None):
    """The sentiment split as a ``TensorDataset`` of ``(input_ids, attention_mask, label)``.

    Each text is ``tokenizer.encode``-d and padded on the right with ``pad_id``
    (default: ``tokenizer.pad_id``, else 0) to ``max_length`` (default: the
    longest text of the split; longer texts are cut). ``input_ids`` and
    ``attention_mask`` are int64 (N, max_length), labels int64 (N,).
    """
    texts, labels = load_text_classification(split)
    if pad_id is None:
        pad_id = getattr(tokenizer, "pad_id", 0)
    ids, mask = pad_sequences([tokenizer.encode(t) for t in texts], max_length, pad_id, truncation=True)
    return TensorDataset(from_numpy(ids), from_numpy(mask), from_numpy(labels))
