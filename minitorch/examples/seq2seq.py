"""An encoder-decoder Transformer learns to write numbers in words: "40517" -> "forty thousand five hundred seventeen".

    python -m minitorch.examples seq2seq [--steps 1500] [--device cpu|cuda] [--layers 2] [--width 64]
                                         [--heads 4] [--batch-size 64] [--lr 2e-3] [--max-digits 6]

The task is a small translation between two "languages": the source is a number
of 1 to 6 digits, read digit by digit; the target is its English name, read word
by word (American style, no "and"). It is a real sequence-to-sequence mapping:
the two sides have different lengths (``"700000"``: 6 tokens -> ``seven hundred
thousand``: 3 tokens), the meaning of a digit depends on where it stands, a "1"
followed by a digit becomes a single word ("13" -> "thirteen"), and zeros say
nothing at all. The data are generated in code from a seed: a test set of numbers
is held out, and training batches are drawn from the other numbers only, so the
exact-match accuracy measures translations of numbers the model never saw.

Model: ``nn.Transformer`` (pre-norm) between two token embeddings with sinusoidal
positions and a linear layer giving one logit per vocabulary token. Training uses
teacher forcing: the decoder reads ``<bos> w1 ... wn`` and must predict
``w1 ... wn <eos>`` at once, a causal mask hiding each position's future and key
padding masks hiding the ``<pad>`` tokens of shorter sequences; the loss is the
cross-entropy over the real (non-pad) target tokens. AdamW, a linear warm-up then
a cosine decay of the learning rate, gradient clipping. Evaluation decodes
greedily: start from ``<bos>`` and append the most likely next word until
``<eos>``. It saves the loss curve, a heatmap of the decoder's cross-attention for
one test number (which digit each word looks at), and a checkpoint.
"""
import math
import os
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from tqdm import trange  # noqa: E402

import minitorch  # noqa: E402
import minitorch.nn.functional as F  # noqa: E402
from minitorch import checks, nn  # noqa: E402
from minitorch.optim import lr_scheduler  # noqa: E402

# ------------------------------------------------------------------ the task
ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()  # TENS[k - 2] for k = 2..9
SPECIALS = ("<pad>", "<bos>", "<eos>")
PAD, BOS, EOS = 0, 1, 2
VOCAB = (*SPECIALS, *"0123456789", *ONES, *TENS, "hundred", "thousand")  # one vocabulary for both sides
TOKEN_ID = {token: i for i, token in enumerate(VOCAB)}
MAX_DIGITS = 6  # up to 999,999: the words need nothing beyond "thousand"


def _below_thousand(n):
    """Words for 1 <= n <= 999: [ones "hundred"] [tens] [ones or teen]."""
    words = []
    if n >= 100:
        words += [ONES[n // 100], "hundred"]
        n %= 100
    if n >= 20:
        words.append(TENS[n // 10 - 2])
        n %= 10
    if n:
        words.append(ONES[n])  # 1..19: "seven", "thirteen"
    return words


def number_to_words(n):
    """The English name of 0 <= n < 10^6 as a list of words: 40517 -> [forty, thousand, five, hundred, seventeen]."""
    if not 0 <= n < 10**MAX_DIGITS:
        raise ValueError(f"number_to_words: n must be in [0, {10**MAX_DIGITS}), got {n}.")
    if n == 0:
        return ["zero"]
    thousands, rest = divmod(int(n), 1000)
    return (_below_thousand(thousands) + ["thousand"] if thousands else []) + _below_thousand(rest)


def max_target_length(max_digits):
    """Most target tokens (words and <eos>) a number of at most ``max_digits`` digits needs.

    All nines is the longest: each group of three digits says at most 4 words ("nine hundred
    ninety nine"), and 10^k - 1 says that many in every group.
    """
    return len(number_to_words(10**max_digits - 1)) + 1


def _digit_range(k):
    """The k-digit numbers: [lo, hi) with lo = 0 for k = 1 (zero counts as a one-digit number)."""
    return (0 if k == 1 else 10 ** (k - 1)), 10**k


class NumberTask:
    """The data: a held-out test set of numbers, and training numbers that never come from it.

    Lengths are balanced: both sets draw the number of digits k uniformly from 1..max_digits,
    then a k-digit number, so short numbers are as common as long ones (uniform numbers
    would be 90% six-digit). The test set holds ``test_per_length`` distinct numbers of each
    length, but at most a tenth of all k-digit numbers (one of the ten 1-digit ones, nine of
    the 2-digit ones, ...); ``train_numbers`` redraws any number that is in the test set.
    Everything comes from ``seed``: the same seed gives the same test set and batches.
    """

    def __init__(self, max_digits=MAX_DIGITS, test_per_length=200, seed=0):
        self.max_digits = checks.integer("NumberTask", "max_digits", max_digits, minimum=1, maximum=MAX_DIGITS)
        checks.integer("NumberTask", "test_per_length", test_per_length, minimum=1)
        self.rng = np.random.default_rng(seed)
        test = []
        for k in range(1, max_digits + 1):
            lo, hi = _digit_range(k)
            count = min(test_per_length, (hi - lo) // 10)
            test.append(lo + self.rng.choice(hi - lo, size=count, replace=False))
        self.test = np.sort(np.concatenate(test))

    def train_numbers(self, n):
        """``n`` random numbers (balanced lengths), none of them in the test set."""
        k = self.rng.integers(1, self.max_digits + 1, size=n)
        lo = np.where(k == 1, 0, 10 ** (k - 1))
        numbers = self.rng.integers(lo, 10**k)
        held_out = np.isin(numbers, self.test)
        while held_out.any():  # redraw those, with the same lengths
            numbers[held_out] = self.rng.integers(lo[held_out], 10 ** k[held_out])
            held_out = np.isin(numbers, self.test)
        return numbers


def make_batch(numbers, device="cpu"):
    """Token ids for a batch of numbers: ``(src, tgt_in, tgt_out)``, int64 (N, S), (N, T), (N, T).

    ``src`` holds the digits, ``tgt_in`` is ``<bos> w1 .. wn`` (what the decoder reads) and
    ``tgt_out`` is ``w1 .. wn <eos>`` (what it must predict, one step ahead); shorter rows are
    filled with ``<pad>`` on the right.
    """
    sources = [[TOKEN_ID[d] for d in str(int(n))] for n in numbers]
    targets = [[TOKEN_ID[w] for w in number_to_words(int(n))] for n in numbers]
    S, T = max(map(len, sources)), max(map(len, targets)) + 1
    src = np.full((len(numbers), S), PAD, dtype=np.int64)
    tgt_in = np.full((len(numbers), T), PAD, dtype=np.int64)
    tgt_out = np.full((len(numbers), T), PAD, dtype=np.int64)
    for i, (source, target) in enumerate(zip(sources, targets)):
        src[i, : len(source)] = source
        tgt_in[i, : len(target) + 1] = [BOS, *target]
        tgt_out[i, : len(target) + 1] = [*target, EOS]
    return tuple(minitorch.from_numpy(a).to(device) for a in (src, tgt_in, tgt_out))


def to_words(ids):
    """Token ids -> text, up to the first <eos>, leaving out <pad> and <bos>."""
    words = []
    for i in ids:
        if i == EOS:
            break
        if i not in (PAD, BOS):
            words.append(VOCAB[i])
    return " ".join(words)


# ------------------------------------------------------------------ the model
def padding_mask(ids):
    """Bool (N, L), True at the <pad> tokens: the keys attention must ignore (nn.Transformer's convention)."""
    return ids == PAD


def causal_mask(size, device="cpu"):
    """Float (size, size): 0 where position i may look at j <= i, -inf at the future j > i."""
    return nn.Transformer.generate_square_subsequent_mask(size, device=device)


class Seq2SeqTransformer(nn.Module):
    """Token embeddings + sinusoidal positions -> ``nn.Transformer`` -> logits over the vocabulary.

    ``forward(src, tgt_in)``: ids (N, S) and (N, T) -> logits (N, T, vocab_size); the logits at
    position t depend on the whole source and on ``tgt_in[:, :t + 1]`` only. ``encode`` and
    ``decode`` are its two halves, used separately when decoding one token at a time.
    The transformer is pre-norm (``norm_first=True``): it trains without a long warm-up.
    """

    def __init__(self, vocab_size, width=64, layers=2, heads=4, dim_feedforward=None, dropout=0.0, max_len=32):
        super().__init__()
        self.config = {"vocab_size": vocab_size, "width": width, "layers": layers, "heads": heads,
                       "dim_feedforward": dim_feedforward or 2 * width, "dropout": dropout, "max_len": max_len}
        self.src_embedding = nn.Embedding(vocab_size, width)
        self.tgt_embedding = nn.Embedding(vocab_size, width)
        self.position = nn.SinusoidalPositionalEncoding(width, max_len, dropout, batch_first=True)
        self.transformer = nn.Transformer(width, heads, layers, layers, self.config["dim_feedforward"], dropout,
                                          batch_first=True, norm_first=True)
        self.head = nn.Linear(width, vocab_size)

    def encode(self, src):
        """The memory (N, S, width): every source token in the context of the whole source."""
        x = self.position(self.src_embedding(src))
        return self.transformer.encoder(x, src_key_padding_mask=padding_mask(src))

    def decode(self, tgt_in, memory, src_padding):
        """Logits (N, T, vocab_size) for the next token after each prefix of ``tgt_in``."""
        T = tgt_in.shape[1]
        x = self.position(self.tgt_embedding(tgt_in))
        x = self.transformer.decoder(x, memory, tgt_mask=causal_mask(T, tgt_in.device),
                                     tgt_key_padding_mask=padding_mask(tgt_in),
                                     memory_key_padding_mask=src_padding)
        return self.head(x)

    def forward(self, src, tgt_in):
        return self.decode(tgt_in, self.encode(src), padding_mask(src))


def greedy_decode(model, src, max_len):
    """Translate a batch one token at a time: lists of token ids, without <bos> and <eos>.

    Start every row with <bos>; at each step run the decoder on all tokens so far and append
    the most likely next token (argmax of the last position's logits). A row is finished at
    its first <eos>; decoding stops when every row is finished or after ``max_len`` tokens.
    The encoder runs once: the memory does not change while the target grows.
    """
    with minitorch.no_grad():
        memory, src_padding = model.encode(src), padding_mask(src)
        ys = minitorch.full((src.shape[0], 1), BOS, dtype=minitorch.int64, device=src.device)
        finished = np.zeros(src.shape[0], dtype=bool)
        for _ in range(max_len):
            next_ids = model.decode(ys, memory, src_padding)[:, -1].argmax(dim=-1)  # (N,)
            ys = minitorch.cat([ys, next_ids.unsqueeze(1)], dim=1)
            finished |= next_ids.cpu().numpy() == EOS
            if finished.all():
                break
    rows = ys[:, 1:].cpu().numpy().tolist()
    return [row[: row.index(EOS)] if EOS in row else row for row in rows]


def cross_attention_weights(model, src, tgt_in):
    """The last decoder layer's cross-attention (N, T, S), averaged over heads: row t says how
    much the word predicted at position t looks at each source digit (rows sum to 1).

    ``nn.TransformerDecoderLayer`` does not return its attention weights, so this runs the
    decoder itself: the layers before the last one whole, then the last one's first two steps
    (pre-norm: x + self_attn(norm1(x)), then multihead_attn(norm2(x), memory, memory)) with
    ``need_weights=True``. Call it in eval mode (no dropout).
    """
    with minitorch.no_grad():
        memory, src_padding = model.encode(src), padding_mask(src)
        causal, tgt_padding = causal_mask(tgt_in.shape[1], tgt_in.device), padding_mask(tgt_in)
        x = model.position(model.tgt_embedding(tgt_in))
        *first, last = model.transformer.decoder.layers
        for layer in first:
            x = layer(x, memory, tgt_mask=causal, tgt_key_padding_mask=tgt_padding,
                      memory_key_padding_mask=src_padding)
        h = last.norm1(x)
        x = x + last.self_attn(h, h, h, attn_mask=causal, key_padding_mask=tgt_padding, need_weights=False)[0]
        h = last.norm2(x)
        return last.multihead_attn(h, memory, memory, key_padding_mask=src_padding, need_weights=True)[1]


# ------------------------------------------------------------------ training
def exact_match(model, numbers, device, batch_size=500):
    """(fraction of ``numbers`` translated exactly right by greedy decoding, the translations)."""
    model.eval()
    predictions = []
    for start in range(0, len(numbers), batch_size):
        chunk = numbers[start : start + batch_size]
        src = make_batch(chunk, device)[0]
        max_len = max_target_length(len(str(int(max(chunk)))))
        predictions += [to_words(ids) for ids in greedy_decode(model, src, max_len)]
    model.train()
    correct = [p == " ".join(number_to_words(int(n))) for p, n in zip(predictions, numbers)]
    return float(np.mean(correct)), predictions


def warmup_cosine(steps, warmup):
    """lr factor at step s: s / warmup while warming up, then 0.5 (1 + cos(pi * progress)) down to 0."""
    def factor(step):
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1.0 + math.cos(math.pi * min(1.0, (step - warmup) / max(1, steps - warmup))))
    return factor


def save_loss_curve(path, history, title):
    """Training loss per step (and its running mean) beside the test exact-match per evaluation."""
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    loss = np.asarray(history["train_loss"])
    window = max(1, len(loss) // 50)
    ax_loss.plot(np.arange(1, len(loss) + 1), loss, alpha=0.3, label="train loss")
    ax_loss.plot(np.arange(window, len(loss) + 1), np.convolve(loss, np.ones(window) / window, "valid"),
                 label=f"mean of {window} steps")
    ax_loss.set(xlabel="step", ylabel="cross-entropy per token", yscale="log", title="loss")
    ax_loss.legend()
    ax_acc.plot(history["eval_step"], np.asarray(history["test_exact"]) * 100, marker="o")
    ax_acc.set(xlabel="step", ylabel="exact match (%)", title="held-out numbers, greedy decoding", ylim=(0, 100))
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def save_attention_heatmap(path, weights, source, output):
    """Heatmap of one example's cross-attention (T, S): output words down, source digits across."""
    fig, ax = plt.subplots(figsize=(1.5 + 0.6 * len(source), 1.5 + 0.45 * len(output)))
    ax.imshow(weights, cmap="viridis", vmin=0.0, vmax=1.0)
    ax.set_xticks(range(len(source)), source)
    ax.set_yticks(range(len(output)), output)
    ax.set(xlabel="source digit (key)", ylabel="predicted word (query)",
           title=f"cross-attention of the last decoder layer: {''.join(source)}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def attention_example(model, number, device):
    """The cross-attention heatmap data for one number: (weights (T, S), source tokens, output tokens).

    The decoder reads <bos> and its own greedy translation; row t belongs to the token it
    predicts at position t (the last row predicts <eos>, unless decoding was cut off first).
    """
    model.eval()
    src = make_batch([number], device)[0]
    max_len = max_target_length(len(str(number)))
    predicted = [*greedy_decode(model, src, max_len)[0], EOS][:max_len]
    tgt_in = minitorch.tensor([[BOS, *predicted[:-1]]], dtype=minitorch.int64, device=device)
    weights = cross_attention_weights(model, src, tgt_in)[0].cpu().numpy()
    model.train()
    return weights, list(str(number)), [VOCAB[i] for i in predicted]


def save_checkpoint(path, model):
    minitorch.save({"config": model.config, "model": model.state_dict()}, path)


def load_checkpoint(path, device="cpu"):
    """Rebuild the model saved by ``save_checkpoint`` (in eval mode)."""
    checkpoint = minitorch.load(path)
    model = Seq2SeqTransformer(**checkpoint["config"])
    model.load_state_dict(checkpoint["model"])
    return model.to(device).eval()


def train(steps=1500, batch_size=64, lr=2e-3, layers=2, width=64, heads=4, device="cpu", seed=0,
          out="outputs/seq2seq", max_digits=MAX_DIGITS, test_per_length=200, warmup=200, weight_decay=0.01, clip=1.0,
          eval_every=250, progress=True):
    """Train on numbers of up to ``max_digits`` digits; return the history, the final exact match and more.

    Returns a dict: ``history`` (``train_loss`` per step; ``eval_step`` and ``test_exact`` per
    evaluation), ``exact_match`` on the held-out numbers at the end, ``examples`` (number,
    prediction, reference) for a few test numbers, ``seconds`` of training (evaluations
    included), and ``files`` (the paths written).
    """
    checks.integer("seq2seq.train", "steps", steps, minimum=1)
    minitorch.manual_seed(seed)
    task = NumberTask(max_digits, test_per_length, seed)
    model = Seq2SeqTransformer(len(VOCAB), width, layers, heads, max_len=max_target_length(max_digits)).to(device)
    optimizer = minitorch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    scheduler = lr_scheduler.LambdaLR(optimizer, warmup_cosine(steps, warmup))
    history = {"train_loss": [], "eval_step": [], "test_exact": []}
    start = time.perf_counter()
    bar = trange(1, steps + 1, desc="training", unit="step", disable=not progress)
    for step in bar:
        src, tgt_in, tgt_out = make_batch(task.train_numbers(batch_size), device)
        logits = model(src, tgt_in)  # (N, T, V): teacher forcing, all positions at once
        loss = F.cross_entropy(logits.reshape(-1, len(VOCAB)), tgt_out.reshape(-1), ignore_index=PAD)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        scheduler.step()
        history["train_loss"].append(loss.item())
        if step % eval_every == 0 or step == steps:
            accuracy, predictions = exact_match(model, task.test, device)  # the last one is the result
            history["eval_step"].append(step)
            history["test_exact"].append(accuracy)
            if progress:
                bar.write(f"step {step:5d}  loss {np.mean(history['train_loss'][-eval_every:]):.4f}  "
                          f"held-out exact match {history['test_exact'][-1]:.2%}")
        if progress and step % 20 == 0:
            bar.set_postfix(loss=f"{loss.item():.4f}")
    seconds = time.perf_counter() - start
    shown = np.random.default_rng(seed).choice(len(task.test), size=min(6, len(task.test)), replace=False)
    examples = [(int(task.test[i]), predictions[i], " ".join(number_to_words(int(task.test[i])))) for i in shown]
    os.makedirs(out, exist_ok=True)
    files = {name: os.path.join(out, name) for name in ("loss.png", "cross_attention.png", "seq2seq.npz")}
    save_loss_curve(files["loss.png"], history, f"numbers to words, {layers}+{layers} layers, width {width}")
    save_attention_heatmap(files["cross_attention.png"], *attention_example(model, int(task.test[-1]), device))
    save_checkpoint(files["seq2seq.npz"], model)
    return {"history": history, "exact_match": accuracy, "examples": examples, "n_test": len(task.test),
            "seconds": seconds, "out": out, "files": files}


def add_arguments(parser):
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3, help="peak learning rate (after the warm-up)")
    parser.add_argument("--warmup", type=int, default=200, help="steps of linear learning-rate warm-up")
    parser.add_argument("--layers", type=int, default=2, help="encoder layers (and as many decoder layers)")
    parser.add_argument("--width", type=int, default=64, help="d_model")
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--max-digits", type=int, default=MAX_DIGITS, help=f"longest numbers (1 to {MAX_DIGITS})")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="outputs/seq2seq", help="folder for the plots and the checkpoint")


def main(args):
    result = train(args.steps, args.batch_size, args.lr, args.layers, args.width, args.heads, args.device,
                   args.seed, args.out, args.max_digits, warmup=args.warmup)
    print("\nexamples from the held-out numbers:")
    for number, predicted, reference in result["examples"]:
        mark = "ok" if predicted == reference else f"WRONG (expected {reference!r})"
        print(f"  {number:>7d} -> {predicted!r}  {mark}")
    print(
        f"\nexact match on {result['n_test']} held-out numbers: {result['exact_match']:.2%} "
        f"after {args.steps} steps ({result['seconds']:.0f} s)\n"
        f"saved loss.png, cross_attention.png and seq2seq.npz in {args.out}"
    )
