"""Pretraining helps: a GPT pretrained on Shakespeare, fine-tuned to classify sentiment from 200 examples.

    python -m minitorch.examples classify [--checkpoint outputs/gpt/gpt.npz] [--device cpu|cuda]
                                          [--pretrain-steps 600] [--train-size 200] [--epochs 15]

Three stages, one run:

1. pretraining: a small character-level GPT (``gpt.py``) learns to predict the next
   character of the shipped corpus; no labels. With ``--checkpoint`` the weights of
   a GPT saved by ``python -m minitorch.examples gpt`` are loaded instead.
2. fine-tuning: the pretrained GPT plus a new linear head on its features (averaged over
   the sentence's characters, or the last character's) learn the labels of a small subset
   of the sentiment set (``minitorch.data.load_text_classification``).
3. the control: the same architecture, randomly initialised, trained on the same
   examples with the same optimiser, schedule and number of steps.

Both are scored on the 1,000 test sentences. The pretrained model has already
learned from unlabelled text what characters make up words and how words follow each
other, so the few labels only need to teach it which words carry sentiment; the
model from scratch must learn all of it from 200 sentences. The run saves the
accuracy curves of both runs (``accuracy.png``) and the fine-tuned weights.
"""
import os
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from tqdm import trange  # noqa: E402

import minitorch  # noqa: E402
import minitorch.nn.functional as F  # noqa: E402
from minitorch import nn  # noqa: E402
from minitorch.data import (  # noqa: E402
    CharLMDataset, CharTokenizer, DataLoader, TensorDataset, load_corpus, text_classification_dataset,
)

from . import gpt  # noqa: E402


class GPTClassifier(nn.Module):
    """A GPT backbone and a linear head: ``forward(ids, mask)`` -> logits (N, num_classes).

    ``pooling="mean"`` averages the features of the real characters (``mask`` 1, padding 0)::

        pooled_n = sum_t mask_nt h_nt / sum_t mask_nt

    ``pooling="last"`` takes the features of the last real character, the only position whose
    causal attention has seen the whole sentence. Padding sits on the right, so causal
    attention never lets a real character see it: no padding mask is needed inside the GPT.
    """

    def __init__(self, backbone, num_classes=2, pooling="mean"):
        super().__init__()
        if pooling not in ("mean", "last"):
            raise ValueError(f"GPTClassifier: pooling must be 'mean' or 'last', got {pooling!r}.")
        self.backbone = backbone
        self.pooling = pooling
        self.classifier = nn.Linear(backbone.config["width"], num_classes)

    def forward(self, ids, mask):
        h = self.backbone.features(ids)  # (N, T, width)
        if self.pooling == "mean":
            weights = mask.to(h.dtype).unsqueeze(-1)  # (N, T, 1)
            pooled = (h * weights).sum(dim=1) / weights.sum(dim=1)
        else:
            last = mask.sum(dim=1) - 1  # index of the last real character
            pooled = h[minitorch.arange(len(ids), device=ids.device), last]
        return self.classifier(pooled)


def trimmed(ids, mask):
    """Drop the columns that are padding in every row of the batch (less work, same result)."""
    T = int(mask.sum(dim=1).max().item())
    return ids[:, :T], mask[:, :T]


def accuracy(model, dataset, device, batch_size=250):
    """Fraction of ``dataset`` (ids, mask, label) that ``model`` classifies correctly."""
    model.eval()
    correct = 0
    with minitorch.no_grad():
        for ids, mask, y in DataLoader(dataset, batch_size=batch_size):
            ids, mask = trimmed(ids, mask)
            predicted = model(ids.to(device), mask.to(device)).argmax(dim=1).cpu()
            correct += int((predicted == y).sum().item())
    model.train()
    return correct / len(dataset)


def fine_tune(model, train_set, test_set, epochs, batch_size, lr, device, desc, progress=True):
    """Train ``model`` (AdamW, warm-up then cosine, clipping) on ``train_set``; per-epoch history.

    The training accuracy of an epoch counts the predictions made on its batches while the
    model was learning (no second pass over the data); the test accuracy is measured after it.
    """
    loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    steps = epochs * len(loader)
    optimizer, schedule = gpt.make_optimizer(model, lr, weight_decay=0.1, steps=steps, warmup=steps // 10)
    history = {"train_loss": [], "train_acc": [], "test_acc": []}
    bar = trange(1, epochs + 1, desc=desc, unit="epoch", disable=not progress)
    for _ in bar:
        losses, correct = [], 0
        for ids, mask, y in loader:
            ids, mask = trimmed(ids, mask)
            logits = model(ids.to(device), mask.to(device))
            loss = F.cross_entropy(logits, y.to(device))
            correct += int((logits.argmax(dim=1).cpu() == y).sum().item())
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            losses.append(loss.item())
        history["train_loss"].append(float(np.mean(losses)))
        history["train_acc"].append(correct / len(train_set))
        history["test_acc"].append(accuracy(model, test_set, device))
        bar.set_postfix(loss=f"{history['train_loss'][-1]:.3f}", test_acc=f"{history['test_acc'][-1]:.1%}")
    return history


def save_accuracy_curves(path, pretrained, scratch):
    """Test (solid) and training (dashed) accuracy per epoch of both runs."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, history, colour in (("pretrained", pretrained, "tab:blue"), ("from scratch", scratch, "tab:orange")):
        epochs = np.arange(1, len(history["test_acc"]) + 1)
        ax.plot(epochs, np.array(history["test_acc"]) * 100, marker="o", color=colour, label=f"{name}: test")
        ax.plot(epochs, np.array(history["train_acc"]) * 100, linestyle="--", color=colour,
                label=f"{name}: train")
    ax.set(xlabel="epoch", ylabel="accuracy (%)", title="sentiment from few labels: pretrained vs from scratch")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def pretrain(steps, layers, heads, width, context, batch_size, lr, device, progress=True):
    """A GPT trained for ``steps`` steps on the whole corpus (next-character prediction); and its tokenizer."""
    text = load_corpus()
    tokenizer = CharTokenizer(text)
    model = gpt.GPT(tokenizer.vocab_size, context, width, layers, heads, dropout=0.0).to(device)
    data = CharLMDataset(text, tokenizer, context)
    history = gpt.train_lm(model, data, steps, batch_size, lr, device, warmup=steps // 10, progress=progress,
                           desc="pretraining")
    return model, tokenizer, history["train_loss"][-1]


def train(checkpoint=None, pretrain_steps=600, layers=2, heads=4, width=64, context=128, pretrain_lr=3e-3,
          train_size=200, epochs=15, batch_size=16, lr=1e-3, pooling="mean", device="cpu", seed=0,
          out="outputs/classify", test_size=None, progress=True):
    """Pretrain (or load) a GPT, fine-tune it and a from-scratch twin on ``train_size`` labelled
    sentences; return both test accuracies, their histories and the time taken.

    ``test_size`` scores on only the first sentences of the test split (for quick tests)."""
    minitorch.manual_seed(seed)
    start = time.perf_counter()
    if checkpoint is not None:
        backbone, tokenizer = gpt.load_checkpoint(checkpoint, device)
        pretrain_loss = None
    else:
        backbone, tokenizer, pretrain_loss = pretrain(pretrain_steps, layers, heads, width, context, batch_size,
                                                      pretrain_lr, device, progress)
    pretrain_seconds = time.perf_counter() - start
    context = backbone.context
    ids, mask, labels = text_classification_dataset("train", tokenizer, max_length=context).tensors
    train_set = TensorDataset(ids[:train_size], mask[:train_size], labels[:train_size])
    ids, mask, labels = text_classification_dataset("test", tokenizer, max_length=context).tensors
    test_set = TensorDataset(ids[:test_size], mask[:test_size], labels[:test_size])

    minitorch.manual_seed(seed + 1)  # the same head initialisation and batch order for both runs
    pretrained = GPTClassifier(backbone, pooling=pooling).to(device)
    history_pretrained = fine_tune(pretrained, train_set, test_set, epochs, batch_size, lr, device,
                                   "fine-tuning", progress)
    minitorch.manual_seed(seed + 1)
    scratch_backbone = gpt.GPT(**backbone.config)
    scratch = GPTClassifier(scratch_backbone.to(device), pooling=pooling).to(device)
    history_scratch = fine_tune(scratch, train_set, test_set, epochs, batch_size, lr, device,
                                "from scratch", progress)
    seconds = time.perf_counter() - start

    os.makedirs(out, exist_ok=True)
    save_accuracy_curves(os.path.join(out, "accuracy.png"), history_pretrained, history_scratch)
    minitorch.save({"config": backbone.config, "chars": tokenizer.chars, "pooling": pooling,
                    "model": pretrained.state_dict()}, os.path.join(out, "classifier.npz"))
    return {"pretrained_acc": history_pretrained["test_acc"][-1], "scratch_acc": history_scratch["test_acc"][-1],
            "history_pretrained": history_pretrained, "history_scratch": history_scratch,
            "pretrain_loss": pretrain_loss, "pretrain_seconds": pretrain_seconds, "seconds": seconds,
            "train_size": len(train_set), "model": pretrained, "tokenizer": tokenizer, "out": out}


def add_arguments(parser):
    parser.add_argument("--checkpoint", default=None,
                        help="a gpt.npz saved by the gpt example, used instead of pretraining here")
    parser.add_argument("--pretrain-steps", type=int, default=600)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--context", type=int, default=128,
                        help="longest sentence read (the longest test sentence has 112 characters)")
    parser.add_argument("--train-size", type=int, default=200, help="labelled sentences to learn from")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3, help="learning rate of both fine-tuning runs")
    parser.add_argument("--pooling", default="mean", choices=["mean", "last"])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="outputs/classify")


def main(args):
    result = train(args.checkpoint, args.pretrain_steps, args.layers, args.heads, args.width, args.context,
                   train_size=args.train_size, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                   pooling=args.pooling, device=args.device, seed=args.seed, out=args.out)
    source = args.checkpoint or f"{args.pretrain_steps} steps on the corpus ({result['pretrain_seconds']:.0f} s)"
    print(
        f"\ntest accuracy after training on {result['train_size']} labelled sentences:\n"
        f"  pretrained ({source}): {result['pretrained_acc']:.1%}\n"
        f"  from scratch:          {result['scratch_acc']:.1%}\n"
        f"total {result['seconds']:.0f} s; saved accuracy.png and classifier.npz in {args.out}"
    )
