"""Pretraining helps: a GPT pretrained on unlabelled text, fine-tuned to classify sentiment from few labels.

    python -m minitorch.examples classify [--device cpu|cuda] [--pretrain-steps 600] [--corpus-only]
                                          [--checkpoint outputs/gpt/gpt.npz] [--train-size 1000] [--epochs 10]

Three stages, one run:

1. pretraining, no labels: a character-level GPT (``gpt.py``, 4 blocks, width 128, context
   128) learns to predict the next character of the Shakespeare corpus followed by the
   2,000 sentences of the sentiment set's training split with their labels thrown away
   (``--corpus-only``: Shakespeare alone). With ``--checkpoint`` the weights of a GPT saved
   by ``python -m minitorch.examples gpt`` are loaded instead (its context is 64, so longer
   sentences are cut).
2. fine-tuning: the pretrained GPT plus a new linear head on its features (averaged over
   the sentence's characters, or the last character's) learn the labels of the first
   1,000 training sentences.
3. the control: the same architecture, randomly initialised, trained on the same
   sentences with the same optimiser, learning rates, batches and number of steps.

Both are scored on the 1,000 test sentences (curves: on the 500 validation sentences).
The pretrained model already knows from unlabelled text which characters make words and
how the words follow each other, so the labels only have to tie words to sentiment; the
model from scratch must learn all of it from those sentences, and mostly memorises them.

The set is hard on purpose (see ``load_text_classification``): negations flip the
adjectives and "A but B" / "although" sentences pit two clauses against each other, so a
bag-of-words logistic regression gets only about 60% of the test set right, from 200 or
from 2,000 labels. Runs of the defaults on a 2-core CPU (one BLAS thread, about 450 s
each) scored 60.2% pretrained against 51.4% from scratch (``--seed 0``) and 58.1% against
52.9% (``--seed 1``); with 4 epochs the pretrained model led by 6.8, 2.5 and 4.0 points
over seeds 0-2 (57.3/50.5, 52.2/49.7, 54.9/50.9), and with fewer labels the gap shrinks
towards noise. One test accuracy has a standard error of about 1.6 points. The run saves
both runs' accuracy curves (``accuracy.png``) and the fine-tuned classifier
(``classifier.npz``).
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
from minitorch import checks, nn  # noqa: E402
from minitorch.data import (  # noqa: E402
    CharLMDataset, CharTokenizer, DataLoader, TensorDataset, load_corpus, load_text_classification,
    text_classification_dataset,
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
        self.pooling = checks.choice("GPTClassifier", "pooling", pooling, ("mean", "last"))
        self.backbone = backbone
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


def fine_tune(model, train_set, val_set, epochs, batch_size, lr, backbone_lr, device, desc, progress=True):
    """Train ``model`` (AdamW, warm-up then cosine, clipping) on ``train_set``; per-epoch history.

    The head learns at ``lr``, the backbone at ``backbone_lr``: a smaller rate for pretrained
    layers keeps what they know from being overwritten by the first noisy gradients of the new
    head ("discriminative fine-tuning", Howard & Ruder, 2018).

    The training accuracy of an epoch counts the predictions made on its batches while the
    model was learning (no second pass over the data); the validation accuracy is measured after it.
    """
    loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    steps = epochs * len(loader)
    optimizer, schedule = gpt.make_optimizer([(model.backbone, backbone_lr), (model.classifier, lr)],
                                             weight_decay=0.01, steps=steps, warmup=steps // 10)
    history = {"train_loss": [], "train_acc": [], "val_acc": []}
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
        history["val_acc"].append(accuracy(model, val_set, device))
        bar.set_postfix(loss=f"{history['train_loss'][-1]:.3f}", val_acc=f"{history['val_acc'][-1]:.1%}")
    return history


def save_accuracy_curves(path, pretrained, scratch):
    """Validation (solid) and training (dashed) accuracy per epoch of both runs."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, history, colour in (("pretrained", pretrained, "tab:blue"), ("from scratch", scratch, "tab:orange")):
        epochs = np.arange(1, len(history["val_acc"]) + 1)
        ax.plot(epochs, np.array(history["val_acc"]) * 100, marker="o", color=colour, label=f"{name}: validation")
        ax.plot(epochs, np.array(history["train_acc"]) * 100, linestyle="--", color=colour,
                label=f"{name}: train")
    ax.set(xlabel="epoch", ylabel="accuracy (%)", title="sentiment from few labels: pretrained vs from scratch")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def pretraining_text(reviews=True):
    """The corpus, followed (``reviews=True``) by the training split's sentences without their labels."""
    text = load_corpus()
    if reviews:
        sentences, _ = load_text_classification("train")  # the labels are thrown away
        text += "\n" + "\n".join(sentences)
    return text


def pretrain(steps, layers, heads, width, context, batch_size, lr, device, reviews=True, progress=True):
    """A GPT trained for ``steps`` steps to predict the next character of ``pretraining_text``.

    Returns the model, the tokenizer (the corpus' characters, as in ``gpt.py``) and the mean
    loss of the last tenth of the steps."""
    tokenizer = CharTokenizer(load_corpus())
    model = gpt.GPT(tokenizer.vocab_size, context, width, layers, heads, dropout=0.0).to(device)
    data = CharLMDataset(pretraining_text(reviews), tokenizer, context)
    history = gpt.train_lm(model, data, steps, batch_size, lr, device, warmup=steps // 10,
                           eval_every=max(1, steps // 10), progress=progress, desc="pretraining")
    return model, tokenizer, history["train_loss"][-1]


def sentiment_splits(tokenizer, context, train_size, eval_size=None):
    """The first ``train_size`` labelled training sentences, and the validation and test splits (cut
    to ``eval_size`` sentences if given), as (ids, mask, label) datasets of at most ``context`` ids."""
    splits = []
    for split, size in (("train", train_size), ("val", eval_size), ("test", eval_size)):
        ids, mask, labels = text_classification_dataset(split, tokenizer, max_length=context).tensors
        splits.append(TensorDataset(ids[:size], mask[:size], labels[:size]))
    return splits


def train(checkpoint=None, pretrain_steps=600, layers=4, heads=4, width=128, context=128, pretrain_lr=3e-3,
          reviews=True, train_size=1000, epochs=10, batch_size=16, lr=1e-3, backbone_lr=1e-4, pooling="mean",
          device="cpu", seed=0, out="outputs/classify", eval_size=None, progress=True):
    """Pretrain (or load) a GPT, fine-tune it and a from-scratch twin on ``train_size`` labelled
    sentences; return both test accuracies, their histories and the time taken.

    Both runs use the same optimiser and learning rates (``lr`` for the head, ``backbone_lr``
    for the GPT), batches and number of steps; only the GPT's starting weights differ. The
    curves follow the validation split; the test split is scored once, at the end.
    ``eval_size`` uses only the first sentences of those two splits (for quick tests).
    """
    minitorch.manual_seed(seed)
    start = time.perf_counter()
    if checkpoint is not None:
        backbone, tokenizer = gpt.load_checkpoint(checkpoint, device)
        pretrain_loss = None
    else:
        backbone, tokenizer, pretrain_loss = pretrain(pretrain_steps, layers, heads, width, context, batch_size,
                                                      pretrain_lr, device, reviews, progress)
    pretrain_seconds = time.perf_counter() - start
    # sentences longer than the backbone's context are cut
    train_set, val_set, test_set = sentiment_splits(tokenizer, backbone.context, train_size, eval_size)
    runs = {}
    for name in ("pretrained", "scratch"):
        if name == "scratch":
            backbone = gpt.GPT(**backbone.config).to(device)
        minitorch.manual_seed(seed + 1)  # the same head initialisation and batch order for both runs
        model = GPTClassifier(backbone, pooling=pooling).to(device)
        history = fine_tune(model, train_set, val_set, epochs, batch_size, lr, backbone_lr, device,
                            "fine-tuning" if name == "pretrained" else "from scratch", progress)
        runs[name] = (model, history, accuracy(model, test_set, device))
    seconds = time.perf_counter() - start

    model = runs["pretrained"][0]
    os.makedirs(out, exist_ok=True)
    save_accuracy_curves(os.path.join(out, "accuracy.png"), runs["pretrained"][1], runs["scratch"][1])
    minitorch.save({"config": model.backbone.config, "chars": tokenizer.chars, "pooling": pooling,
                    "model": model.state_dict()}, os.path.join(out, "classifier.npz"))
    return {"pretrained_acc": runs["pretrained"][2], "scratch_acc": runs["scratch"][2],
            "history_pretrained": runs["pretrained"][1], "history_scratch": runs["scratch"][1],
            "pretrain_loss": pretrain_loss, "pretrain_seconds": pretrain_seconds, "seconds": seconds,
            "train_size": len(train_set), "model": model, "tokenizer": tokenizer, "out": out}


def add_arguments(parser):
    parser.add_argument("--checkpoint", default=None,
                        help="a gpt.npz saved by the gpt example, used instead of pretraining here "
                             "(sentences are cut to its context)")
    parser.add_argument("--pretrain-steps", type=int, default=600)
    parser.add_argument("--corpus-only", action="store_true",
                        help="pretrain on Shakespeare only, without the unlabelled sentences")
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--context", type=int, default=128,
                        help="longest sentence read (the longest test sentence has 112 characters)")
    parser.add_argument("--train-size", type=int, default=1000, help="labelled sentences to learn from")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3, help="learning rate of the classification head")
    parser.add_argument("--backbone-lr", type=float, default=1e-4, help="learning rate of the GPT's layers")
    parser.add_argument("--pooling", default="mean", choices=["mean", "last"])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="outputs/classify")


def main(args):
    result = train(args.checkpoint, args.pretrain_steps, args.layers, args.heads, args.width, args.context,
                   reviews=not args.corpus_only, train_size=args.train_size, epochs=args.epochs,
                   batch_size=args.batch_size, lr=args.lr, backbone_lr=args.backbone_lr, pooling=args.pooling,
                   device=args.device, seed=args.seed, out=args.out)
    source = args.checkpoint or f"{args.pretrain_steps} steps ({result['pretrain_seconds']:.0f} s)"
    print(
        f"\ntest accuracy after fine-tuning on {result['train_size']} labelled sentences:\n"
        f"  pretrained ({source}): {result['pretrained_acc']:.1%}\n"
        f"  from scratch: {result['scratch_acc']:.1%}\n"
        f"total {result['seconds']:.0f} s; saved accuracy.png and classifier.npz in {args.out}"
    )
