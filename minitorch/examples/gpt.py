"""A character-level GPT learns to write like the shipped Shakespeare corpus.

    python -m minitorch.examples gpt [--steps 1200] [--device cpu|cuda] [--layers 4] [--heads 4]
                                     [--width 128] [--context 64] [--batch-size 16] [--lr 3e-3]
    python -m minitorch.distributed.run -n 2 -m minitorch.examples gpt --distributed [options]

The model reads a window of characters and predicts, at every position, the next
one: token embedding + learned position embedding, then ``layers`` pre-norm
transformer blocks whose self-attention is causal (position t sees positions
<= t only), a final LayerNorm and a linear head giving one logit per character.
It trains with AdamW, a linear warm-up followed by a cosine decay of the learning
rate, and gradient clipping, on the first 90% of the corpus; the last 10% is held
out for validation.

For scale, the same run fits a bigram model (character counts: p(b | a) from how
often b follows a in the training text, add-alpha smoothed) and prints its
validation cross-entropy next to the GPT's: the GPT must do far better, since it
sees 64 characters of context instead of one. It saves a generated sample
(``sample.txt``), the loss curves, one attention head as a heatmap, and a
checkpoint (``gpt.npz``: the configuration, the vocabulary and the weights).

With ``--distributed`` (started by the launcher, one process per rank) every rank trains a
replica on its share of the training windows (``DistributedSampler`` over every window, in a
new order each pass with ``set_epoch``) and ``DistributedDataParallel`` averages the gradients:
``--batch-size`` is per rank. The validation windows are split over the ranks, the losses
reported are over all ranks, and rank 0 alone prints, samples and saves the files.

A run of the defaults on a 2-core CPU (one BLAS thread) took 149 s to train and
ended at a validation loss of 1.59 nats per character, against 2.39 for the best
bigram model: its samples have the shape of the play (speaker names, line breaks,
mostly real words) without its sense.
"""
import itertools
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
from minitorch.data import CharLMDataset, CharTokenizer, DataLoader, load_corpus  # noqa: E402
from minitorch.data.distributed import DistributedSampler  # noqa: E402
from minitorch.optim import lr_scheduler  # noqa: E402

from .parallel import Ranks, process_group  # noqa: E402

HELD_OUT = 0.1  # the last 10% of the corpus is the validation text


class GPT(nn.Module):
    """A decoder-only transformer over character ids.

    ``forward(idx)``: ids (N, T) with T <= context -> logits (N, T, vocab_size), where the
    logits at position t depend on ``idx[:, :t + 1]`` only. ``features(idx)`` gives the
    (N, T, width) vectors under the head (the classifier in ``classify.py`` reuses them).

    Every block is ``nn.TransformerEncoderLayer(norm_first=True, activation="gelu")`` fed the
    causal mask; ``tie_weights=True`` makes the head share the token embedding's matrix.
    Weights start as in GPT-2: N(0, 0.02) for matrices and embeddings, zero biases.
    """

    def __init__(self, vocab_size, context=64, width=128, layers=4, heads=4, dropout=0.1, tie_weights=False):
        super().__init__()
        self.config = {"vocab_size": vocab_size, "context": context, "width": width, "layers": layers,
                       "heads": heads, "dropout": dropout, "tie_weights": tie_weights}
        self.context = context
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.position = nn.LearnedPositionalEncoding(context, width, dropout, batch_first=True)
        block = nn.TransformerEncoderLayer(width, heads, dim_feedforward=4 * width, dropout=dropout,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(block, layers, norm=nn.LayerNorm(width))
        self.head = nn.Linear(width, vocab_size)
        for name, p in self.named_parameters():
            if p.ndim >= 2:
                nn.init.normal_(p, 0.0, 0.02)
            elif name.endswith("bias"):
                nn.init.zeros_(p)
        if tie_weights:
            self.head.weight = self.token_embedding.weight

    def embed(self, idx):
        """Token plus position embeddings (N, T, width), after checking the ids' shape."""
        if idx.ndim != 2 or not 1 <= idx.shape[1] <= self.context:
            raise ValueError(
                f"GPT: expects ids of shape (batch, T) with 1 <= T <= context={self.context}, "
                f"got shape {tuple(idx.shape)}; cut longer sequences to their last {self.context} ids."
            )
        ### BEGIN SOLUTION 5.6: the token embeddings of idx plus their positions' encodings, (N, T, width)
        return self.position(self.token_embedding(idx))
        ### END SOLUTION

    def features(self, idx):
        """The blocks' output after the final LayerNorm, (N, T, width): what the head reads."""
        ### BEGIN SOLUTION 5.6: the embedded ids through the blocks, each position seeing itself and the past only
        T = idx.shape[-1]
        mask = nn.Transformer.generate_square_subsequent_mask(T, device=idx.device)
        return self.blocks(self.embed(idx), mask=mask, is_causal=True)
        ### END SOLUTION

    def forward(self, idx):
        ### BEGIN SOLUTION 5.6: the logits (N, T, vocab_size) of the next id at every position
        return self.head(self.features(idx))
        ### END SOLUTION


# ---------------------------------------------------------------------- baseline and evaluation
def bigram_loss(train_ids, val_ids, vocab_size, alpha=1.0):
    """Cross-entropy (nats per character) on ``val_ids`` of the bigram model counted on ``train_ids``.

    With c(a, b) the number of times b follows a in the training ids::

        p(b | a) = (c(a, b) + alpha) / (sum_b' c(a, b') + alpha * vocab_size)     (add-alpha smoothing)
        loss     = -1/(n-1) * sum_t log p(val[t+1] | val[t])
    """
    train_ids, val_ids = np.asarray(train_ids), np.asarray(val_ids)
    checks.positive("bigram_loss", "alpha", alpha)
    if len(train_ids) < 2 or len(val_ids) < 2:
        raise ValueError(
            f"bigram_loss: needs at least two training and two validation ids, got "
            f"{len(train_ids)} and {len(val_ids)}."
        )
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (train_ids[:-1], train_ids[1:]), 1.0)
    probs = (counts + alpha) / (counts.sum(axis=1, keepdims=True) + alpha * vocab_size)
    return float(-np.log(probs[val_ids[:-1], val_ids[1:]]).mean())


def best_bigram_loss(train_ids, val_ids, vocab_size, alphas=(0.01, 0.03, 0.1, 0.3, 1.0)):
    """(loss, alpha) of the best add-alpha bigram, alpha picked on the validation ids themselves.

    Picking alpha on the text it is scored on flatters the baseline: the GPT is compared with
    the strongest bigram model there is (add-one is a few hundredths of a nat worse)."""
    return min((bigram_loss(train_ids, val_ids, vocab_size, a), a) for a in alphas)


def evaluate_loss(model, ids, device, batch_size=64, ranks=None):
    """Mean next-character cross-entropy of ``model`` over non-overlapping windows of ``ids``.

    With ``ranks`` (``parallel.Ranks``), each rank scores its share of the windows and the
    result is the mean over all of them, the same on every rank."""
    ranks = ranks or Ranks(False)
    C = model.context
    n = (len(ids) - 1) // C
    if n < 1:
        raise ValueError(f"evaluate_loss: {len(ids)} ids are too few for one window of {C} plus a target.")
    ### BEGIN SOLUTION 5.7: return the mean loss over this rank's windows ranks.share(n) (window w: ids[w C : w C + C + 1]) in batches, in eval mode without a graph, back in train mode after; ranks.sum adds the ranks' totals
    rows = np.array(ranks.share(n), dtype=np.int64)[:, None] * C + np.arange(C + 1)[None, :]
    windows = np.asarray(ids)[rows]
    model.eval()
    total = 0.0
    with minitorch.no_grad():
        for start in range(0, len(windows), batch_size):
            chunk = windows[start:start + batch_size]
            x = minitorch.from_numpy(np.ascontiguousarray(chunk[:, :-1])).to(device)
            y = minitorch.from_numpy(np.ascontiguousarray(chunk[:, 1:])).to(device)
            logits = model(x)
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1)).item() * len(chunk)
    model.train()
    return ranks.sum(total) / n
    ### END SOLUTION


# ---------------------------------------------------------------------- sampling and attention
def generate(model, tokenizer, prompt, max_new_tokens, temperature=1.0, top_k=None, generator=None):
    """``prompt`` followed by ``max_new_tokens`` characters sampled one at a time from ``model``.

    Each step feeds the last ``context`` ids, takes the logits z of the last position and
    draws the next id from softmax(z / temperature): temperature < 1 sharpens the
    distribution, > 1 flattens it. ``top_k`` keeps only the k likeliest characters.
    Draws come from ``generator`` (default: the global one, seeded by ``manual_seed``).
    """
    if not prompt:
        raise ValueError("generate: the prompt must have at least one character to condition on, e.g. '\\n'.")
    checks.positive("generate", "temperature (small values approach greedy)", temperature)
    if top_k is not None:
        checks.integer("generate", "top_k (or None)", top_k, minimum=1)
    rng = minitorch.random.rng(generator)
    device = next(model.parameters()).device
    ids = list(tokenizer.encode(prompt))
    was_training = model.training
    model.eval()
    with minitorch.no_grad():
        ### BEGIN SOLUTION 5.6: append max_new_tokens ids to ids, each drawn with rng from the model's next-id distribution (temperature, top_k)
        for _ in range(max_new_tokens):
            x = minitorch.tensor([ids[-model.context:]]).to(device)
            logits = model(x)[0, -1].cpu().numpy().astype(np.float64) / temperature
            if top_k is not None and top_k < len(logits):
                logits[logits < np.sort(logits)[-top_k]] = -np.inf
            probs = np.exp(logits - logits.max())
            ids.append(int(rng.choice(len(probs), p=probs / probs.sum())))
        ### END SOLUTION
    model.train(was_training)
    return tokenizer.decode(ids)


def attention_map(model, ids, layer=0):
    """The attention weights (heads, T, T) of block ``layer`` for one sequence of ids (numpy)."""
    x = minitorch.tensor([ids]).to(next(model.parameters()).device)
    mask = nn.Transformer.generate_square_subsequent_mask(len(ids), device=x.device)
    was_training = model.training
    model.eval()
    with minitorch.no_grad():
        h = model.embed(x)
        for block in model.blocks.layers[:layer]:
            h = block(h, src_mask=mask, is_causal=True)
        block = model.blocks.layers[layer]
        normed = block.norm1(h) if block.norm_first else h
        _, weights = block.self_attn(normed, normed, normed, attn_mask=mask, need_weights=True,
                                     average_attn_weights=False)
    model.train(was_training)
    return weights[0].cpu().numpy()


def save_loss_curves(path, history, bigram):
    """Training and validation loss against the step, with the bigram baseline as a line."""
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(history["step"], history["train_loss"], marker="o", label="train")
    ax.plot(history["step"], history["val_loss"], marker="o", label="validation")
    ax.axhline(bigram, color="grey", linestyle="--", label=f"bigram baseline ({bigram:.2f})")
    ax.set(xlabel="step", ylabel="cross-entropy (nats per character)", title="character-level GPT")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def save_attention_heatmap(path, weights, text, title):
    """A (T, T) attention map: row i shows how much the character at i attends to each j <= i."""
    fig, ax = plt.subplots(figsize=(6, 5.5))
    image = ax.imshow(weights, cmap="viridis", vmin=0.0)
    labels = [repr(c)[1:-1] for c in text]
    ax.set_xticks(range(len(text)), labels)
    ax.set_yticks(range(len(text)), labels)
    ax.set(xlabel="key (attended to)", ylabel="query", title=title)
    fig.colorbar(image, ax=ax, fraction=0.046)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# ---------------------------------------------------------------------- training
def split_corpus(text):
    """(train text, validation text): the validation text is the last 10%."""
    cut = int(len(text) * (1 - HELD_OUT))
    return text[:cut], text[cut:]


def warmup_cosine(steps, warmup, floor=0.1):
    """The learning-rate factor f(t) of step t: a linear warm-up, then a cosine from 1 down to ``floor``::

        f(t) = (t + 1) / warmup                                                  t < warmup
        f(t) = floor + (1 - floor) * (1 + cos(pi * (t - warmup) / (steps - warmup))) / 2   later

    Small steps first, while Adam's moment estimates are still noisy; small steps at the end
    too, to settle into a minimum. For ``lr_scheduler.LambdaLR``, which sets lr_t = lr * f(t).
    """
    warmup = max(1, min(warmup, steps - 1))

    def factor(t):
        ### BEGIN SOLUTION 5.7: return f(t) of the docstring (after the last step, f stays at floor)
        if t < warmup:
            return (t + 1) / warmup
        progress = min(1.0, (t - warmup) / max(1, steps - warmup))
        return floor + (1 - floor) * (1 + math.cos(math.pi * progress)) / 2
        ### END SOLUTION

    return factor


def make_optimizer(modules_and_lrs, weight_decay, steps, warmup):
    """AdamW over ``[(module, lr), ...]`` and its warm-up + cosine schedule (``warmup_cosine``).

    Each module's matrices decay by ``weight_decay``; its biases and LayerNorm gains (1-D)
    do not: shrinking them towards 0 has no regularising purpose.
    """
    ### BEGIN SOLUTION 5.7: return AdamW (betas 0.9, 0.99) over two parameter groups per module (decayed matrices, undecayed 1-D parameters) and its LambdaLR schedule
    groups = []
    for module, lr in modules_and_lrs:
        params = list(module.parameters())
        groups.append({"params": [p for p in params if p.ndim >= 2], "lr": lr, "weight_decay": weight_decay})
        groups.append({"params": [p for p in params if p.ndim < 2], "lr": lr, "weight_decay": 0.0})
    optimizer = minitorch.optim.AdamW(groups, betas=(0.9, 0.99))
    return optimizer, lr_scheduler.LambdaLR(optimizer, warmup_cosine(steps, warmup))
    ### END SOLUTION


def batches(data, batch_size, ranks, seed=0):
    """Endless ``(x, y)`` batches of windows of ``data`` (a CharLMDataset): random windows
    (``get_batch``) in one process; with distributed ``ranks``, this rank's share of the windows
    (``DistributedSampler``), a new order on each pass over them (``set_epoch``)."""
    if not ranks.distributed:
        return (data.get_batch(batch_size) for _ in itertools.count())
    sampler = DistributedSampler(data, ranks.world, ranks.rank, seed=seed)
    loader = DataLoader(data, batch_size=batch_size, sampler=sampler, drop_last=True)

    def passes():
        for epoch in itertools.count():
            sampler.set_epoch(epoch)
            yield from loader

    return passes()


def train_lm(model, data, steps, batch_size, lr, device, warmup=100, weight_decay=0.1, clip=1.0,
             eval_every=None, val_ids=None, progress=True, desc="training", ranks=None):
    """Train ``model`` for ``steps`` steps on random windows of ``data`` (a CharLMDataset); return its history.

    Every ``eval_every`` steps (and at the end) the history records the mean training loss
    since the last record and, when ``val_ids`` are given, the validation loss. With distributed
    ``ranks`` (``parallel.Ranks``) ``model`` trains wrapped in ``DistributedDataParallel`` on this
    rank's share of the windows, and the losses recorded are over all ranks.
    """
    ranks = ranks or Ranks(False)
    net, model = model, ranks.wrap(model)
    optimizer, schedule = make_optimizer([(model, lr)], weight_decay, steps, warmup)
    history = {"step": [], "train_loss": [], "val_loss": []}
    eval_every = eval_every or steps
    losses = []
    bar = trange(1, steps + 1, desc=desc, unit="step", disable=not (progress and ranks.main))
    stream = batches(data, batch_size, ranks)
    for step in bar:
        ### BEGIN SOLUTION 5.7: one training step on the next batch: next-id cross-entropy, gradients clipped to norm clip, the optimiser's and the schedule's steps; record the loss in losses
        x, y = next(stream)
        logits = model(x.to(device))
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.to(device).reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
        ### END SOLUTION
        if step % eval_every == 0 or step == steps:
            history["step"].append(step)
            history["train_loss"].append(ranks.mean(np.mean(losses)))
            losses = []
            if val_ids is not None:
                history["val_loss"].append(evaluate_loss(net, val_ids, device, ranks=ranks))
                bar.set_postfix(train=f"{history['train_loss'][-1]:.3f}", val=f"{history['val_loss'][-1]:.3f}")
    return history


def save_checkpoint(path, model, tokenizer):
    """``minitorch.save`` of {"config": the GPT's arguments, "chars": the vocabulary, "model": weights}."""
    minitorch.save({"config": model.config, "chars": tokenizer.chars, "model": model.state_dict()}, path)


def load_checkpoint(path, device="cpu"):
    """(model, tokenizer) rebuilt from a ``save_checkpoint`` file."""
    checkpoint = minitorch.load(path)
    model = GPT(**checkpoint["config"])
    model.load_state_dict(checkpoint["model"])
    return model.to(device), CharTokenizer(checkpoint["chars"])


def train(steps=1200, epochs=None, layers=4, heads=4, width=128, context=64, batch_size=16, lr=3e-3,
          dropout=0.0, warmup=50, weight_decay=0.1, clip=1.0, eval_every=100, tie_weights=False,
          device="cpu", seed=0, out="outputs/gpt", corpus_chars=None, prompt="First Citizen:\n",
          sample_length=500, temperature=0.8, top_k=None, progress=True, distributed=False):
    """Train the GPT; return the history, the GPT's and the bigram's validation losses, the sample.

    ``epochs`` (if given) replaces ``steps``: one epoch is as many steps as it takes to draw
    as many characters as the training text has (all ranks together). ``corpus_chars`` uses
    only the start of the corpus (for quick tests). ``distributed=True``: this process is one
    rank of a launched group (``init_process_group`` first; see the module docstring); rank 0
    alone samples (the others' ``sample`` is None) and writes the files.
    """
    minitorch.manual_seed(seed)
    ranks = Ranks(distributed)
    text = load_corpus()[:corpus_chars]
    tokenizer = CharTokenizer(text)
    train_text, val_text = split_corpus(text)
    train_ids, val_ids = np.array(tokenizer.encode(train_text)), np.array(tokenizer.encode(val_text))
    if epochs is not None:
        steps = max(1, math.ceil(epochs * len(train_ids) / (ranks.world * batch_size * context)))
    bigram, alpha = best_bigram_loss(train_ids, val_ids, tokenizer.vocab_size)
    model = GPT(tokenizer.vocab_size, context, width, layers, heads, dropout, tie_weights).to(device)
    start = time.perf_counter()
    data = CharLMDataset(train_text, tokenizer, context)
    history = train_lm(model, data, steps, batch_size, lr, device, warmup, weight_decay, clip, eval_every, val_ids,
                       progress, ranks=ranks)
    seconds = time.perf_counter() - start
    sample = generate(model, tokenizer, prompt, sample_length, temperature, top_k) if ranks.main else None
    if ranks.main:
        save_outputs(out, model, tokenizer, history, bigram, prompt, sample)
    return {"history": history, "val_loss": history["val_loss"][-1], "bigram_loss": bigram,
            "bigram_alpha": alpha, "sample": sample, "steps": steps, "seconds": seconds, "out": out,
            "model": model, "tokenizer": tokenizer}


def save_outputs(out, model, tokenizer, history, bigram, prompt, sample):
    """The sample, the loss curves, block 0's first attention head and the checkpoint, in the folder ``out``."""
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "sample.txt"), "w") as f:
        f.write(sample)
    save_loss_curves(os.path.join(out, "loss.png"), history, bigram)
    shown = prompt[:min(len(prompt), model.context)]
    save_attention_heatmap(os.path.join(out, "attention.png"), attention_map(model, tokenizer.encode(shown))[0],
                           shown, "block 0, head 0: causal self-attention")
    save_checkpoint(os.path.join(out, "gpt.npz"), model, tokenizer)


def benchmark_step(device, layers=4, heads=4, width=128, batch_size=16, context=64):
    """A callable doing one training step (forward, loss, backward, AdamW step) of the benchmark GPT.

    The benchmark configuration: 4 blocks, 4 heads, width 128 (feed-forward 512), context 64,
    batch 16, the corpus' 61 characters, no dropout (so both sides of a comparison do the same work).
    """
    minitorch.manual_seed(0)
    vocab = len(set(load_corpus()))
    model = GPT(vocab, context, width, layers, heads, dropout=0.0).to(device)
    optimizer = minitorch.optim.AdamW(model.parameters(), lr=1e-3)
    x = minitorch.randint(0, vocab, (batch_size, context)).to(device)
    y = minitorch.randint(0, vocab, (batch_size, context)).to(device)

    def step():
        optimizer.zero_grad()
        F.cross_entropy(model(x).reshape(-1, vocab), y.reshape(-1)).backward()
        optimizer.step()

    return step


def add_arguments(parser):
    parser.add_argument("--steps", type=int, default=1200)
    parser.add_argument("--epochs", type=float, default=None,
                        help="train this many passes over the training text instead of --steps")
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--context", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-3, help="peak learning rate, after the warm-up")
    parser.add_argument("--dropout", type=float, default=0.0,
                        help="0 by default: a few minutes of training do not overfit the corpus")
    parser.add_argument("--tie-weights", action="store_true", help="the head shares the token embedding matrix")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--prompt", default="First Citizen:\n")
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--top-k", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="outputs/gpt", help="folder for the sample, plots and checkpoint")
    parser.add_argument("--eval-every", type=int, default=100, help="steps between validation losses")
    parser.add_argument("--corpus-chars", type=int, default=None, help="use only the corpus' first characters")
    parser.add_argument("--sample-length", type=int, default=500, help="characters to generate at the end")
    parser.add_argument("--distributed", action="store_true",
                        help="one rank of python -m minitorch.distributed.run -n N (data-parallel, DDP)")


def main(args):
    with process_group(args.distributed):
        result = train(args.steps, args.epochs, args.layers, args.heads, args.width, args.context, args.batch_size,
                       args.lr, args.dropout, eval_every=args.eval_every, tie_weights=args.tie_weights,
                       device=args.device, seed=args.seed, out=args.out, corpus_chars=args.corpus_chars,
                       prompt=args.prompt, sample_length=args.sample_length, temperature=args.temperature,
                       top_k=args.top_k, distributed=args.distributed)
        if not Ranks(args.distributed).main:
            return
    print(f"\n--- sample ---\n{result['sample']}\n--------------")
    print(
        f"validation loss: GPT {result['val_loss']:.3f} vs bigram {result['bigram_loss']:.3f} nats per "
        f"character (add-{result['bigram_alpha']:g} smoothing), after {result['steps']} steps "
        f"({result['seconds']:.0f} s)\nsaved sample.txt, loss.png, attention.png and gpt.npz in {args.out}"
    )
