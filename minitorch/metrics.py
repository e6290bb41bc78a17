"""Classification metrics: accuracy, precision, recall, F1, the confusion matrix and a report.

Every function takes ``pred`` and ``target`` as tensors, numpy arrays or lists.
``target`` holds class indices (N,); ``pred`` holds class indices (N,) or scores
(N, C), logits or probabilities, of which the arg-max is taken.

For one class c, counting over the N samples:

    TP = #(pred == c and target == c)   FP = #(pred == c, target != c)   FN = #(pred != c, target == c)
    precision = TP / (TP + FP)    recall = TP / (TP + FN)    F1 = 2 P R / (P + R)

A ratio whose denominator is 0 (a class never predicted, say) counts as 0, like
scikit-learn's ``zero_division=0``. Averages over classes:

- ``"macro"``: the plain mean of the per-class values, over the classes that occur
  in ``target`` or ``pred`` (each class counts the same, however rare)
- ``"micro"``: the ratio of the summed counts; with one label per sample, micro
  precision = micro recall = micro F1 = accuracy
- ``"weighted"``: the per-class values weighted by each class's support (its count in ``target``)
- ``"none"`` (or ``None``): the per-class values, one per class 0..num_classes-1
"""
import os

import numpy as np

from . import checks
from .tensor import Tensor

AVERAGES = ("macro", "micro", "weighted", "none", None)


def _as_numpy(x):
    if isinstance(x, Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _labels(op, pred, target):
    """``pred`` and ``target`` as int64 class-index arrays of one length, after checking them."""
    pred, target = _as_numpy(pred), _as_numpy(target)
    if target.ndim != 1:
        raise ValueError(f"{op}: target must be a 1-D array of class indices, got shape {target.shape}.")
    if pred.ndim == 2:
        if len(pred) != len(target):
            raise ValueError(
                f"{op}: pred has scores for {len(pred)} samples (shape {pred.shape}) but target has "
                f"{len(target)} labels (shape {target.shape}); they must describe the same samples."
            )
        pred = pred.argmax(axis=1)
    elif pred.ndim != 1:
        raise ValueError(
            f"{op}: pred must be class indices (N,) or scores (N, C), got shape {pred.shape}."
        )
    if pred.shape != target.shape:
        raise ValueError(
            f"{op}: pred has shape {pred.shape} but target has shape {target.shape}; give one predicted "
            f"class (or one row of scores) per target label."
        )
    for name, values in (("pred", pred), ("target", target)):
        if values.dtype.kind not in "iufb":
            raise TypeError(f"{op}: {name} must hold class indices (integers), got dtype {values.dtype}.")
        if values.dtype.kind == "f" and not np.all(values == np.round(values)):
            raise ValueError(
                f"{op}: {name} holds non-integer values such as {values[values != np.round(values)][0]}; "
                f"give class indices, or (N, C) scores for pred."
            )
        if values.size and values.min() < 0:
            raise ValueError(f"{op}: {name} holds the negative class index {values.min()}.")
    return pred.astype(np.int64), target.astype(np.int64)


def _num_classes(op, pred, target, num_classes):
    seen = int(max(pred.max(initial=-1), target.max(initial=-1))) + 1
    if num_classes is None:
        return max(seen, 1)
    num_classes = checks.integer(op, "num_classes (or None)", num_classes, minimum=1)
    if seen > num_classes:
        raise ValueError(f"{op}: found class index {seen - 1}, but num_classes={num_classes}.")
    return num_classes


def accuracy(pred, target):
    """The fraction of samples whose predicted class equals the target: mean(pred == target)."""
    pred, target = _labels("accuracy", pred, target)
    if len(target) == 0:
        raise ValueError("accuracy: there are no samples (empty pred and target).")
    return float(np.mean(pred == target))


def confusion_matrix(pred, target, num_classes=None):
    """The (num_classes, num_classes) int64 matrix M with M[i, j] = #(target == i and pred == j).

    Rows are true classes and columns predicted classes, as in scikit-learn: the
    diagonal counts the correct predictions, row i sums to the support of class i.
    ``num_classes`` defaults to the largest index seen plus one.
    """
    return _confusion("confusion_matrix", pred, target, num_classes)


def _confusion(op, pred, target, num_classes):
    pred, target = _labels(op, pred, target)
    k = _num_classes(op, pred, target, num_classes)
    return np.bincount(target * k + pred, minlength=k * k).reshape(k, k).astype(np.int64)


def _divide(num, den):
    """num / den elementwise, 0 where den == 0 (the zero-division convention)."""
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den != 0)


def _scores(op, pred, target, num_classes, average):
    """Per-class (or averaged) precision, recall and F1 from the confusion matrix."""
    checks.choice(op, "average", average, AVERAGES)
    cm = _confusion(op, pred, target, num_classes)
    tp = np.diag(cm).astype(np.float64)
    predicted, support = cm.sum(axis=0), cm.sum(axis=1)
    if average == "micro":
        p = r = _divide(tp.sum(), predicted.sum())
        return float(p), float(r), float(_divide(2 * p * r, p + r))
    precision, recall = _divide(tp, predicted), _divide(tp, support)
    f1 = _divide(2 * precision * recall, precision + recall)
    if average in ("none", None):
        return precision, recall, f1
    if average == "weighted":
        weights = _divide(support, support.sum())
    else:  # macro: classes that occur in target or pred
        present = (predicted + support) > 0
        weights = present / max(present.sum(), 1)
    return tuple(float(np.sum(weights * values)) for values in (precision, recall, f1))


def precision(pred, target, num_classes=None, average="macro"):
    """Precision TP / (TP + FP): of the samples predicted as a class, the fraction that are it."""
    return _scores("precision", pred, target, num_classes, average)[0]


def recall(pred, target, num_classes=None, average="macro"):
    """Recall TP / (TP + FN): of the samples of a class, the fraction predicted as it."""
    return _scores("recall", pred, target, num_classes, average)[1]


def f1_score(pred, target, num_classes=None, average="macro"):
    """F1 = 2 P R / (P + R), the harmonic mean of precision and recall (per class, then averaged)."""
    return _scores("f1_score", pred, target, num_classes, average)[2]


def classification_report(pred, target, class_names=None, num_classes=None, digits=3):
    """A text table of per-class precision, recall, F1 and support, then accuracy and averages.

    The layout follows scikit-learn's ``classification_report``; ``print`` it.
    """
    pred, target = _labels("classification_report", pred, target)
    k = _num_classes("classification_report", pred, target, num_classes)
    if class_names is None:
        class_names = [str(c) for c in range(k)]
    class_names = [str(name) for name in class_names]
    if len(class_names) != k:
        raise ValueError(f"classification_report: {len(class_names)} class_names for {k} classes.")
    p, r, f = _scores("classification_report", pred, target, k, "none")
    support = np.bincount(target, minlength=k)
    width = max(len("weighted avg"), *(len(n) for n in class_names))
    header = f"{'':>{width}}  {'precision':>9}  {'recall':>9}  {'f1-score':>9}  {'support':>9}"

    def row(name, values, n):
        cells = "".join(f"  {v:>9.{digits}f}" if v is not None else f"  {'':>9}" for v in values)
        return f"{name:>{width}}{cells}  {n:>9}"

    lines = [header, ""]
    lines += [row(class_names[c], (p[c], r[c], f[c]), support[c]) for c in range(k)]
    lines.append("")
    lines.append(row("accuracy", (None, None, accuracy(pred, target)), len(target)))
    for name, average in (("macro avg", "macro"), ("weighted avg", "weighted")):
        lines.append(row(name, _scores("classification_report", pred, target, k, average), len(target)))
    return "\n".join(lines)


def plot_confusion_matrix(cm, class_names=None, path=None, normalize=False, title="confusion matrix"):
    """Draw ``cm`` (rows = true class) as a colour grid with the counts written in the cells.

    normalize: divide each row by its sum, showing the fraction of each true class
        that went to each prediction (each row's diagonal cell is that class's recall).
    path: save the figure there as a PNG. Returns the matplotlib ``Figure``. Uses
    matplotlib's Agg canvas directly, so it works without a display and leaves
    pyplot's state alone.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    cm = _as_numpy(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"plot_confusion_matrix: cm must be a square matrix, got shape {cm.shape}.")
    k = cm.shape[0]
    names = [str(c) for c in range(k)] if class_names is None else [str(n) for n in class_names]
    if len(names) != k:
        raise ValueError(f"plot_confusion_matrix: {len(names)} class_names for a {k}x{k} matrix.")
    values = _divide(cm, cm.sum(axis=1, keepdims=True)) if normalize else cm
    fig = Figure(figsize=(1.0 + 0.55 * k, 0.8 + 0.55 * k))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    image = ax.imshow(values, cmap="Blues")
    fig.colorbar(image, ax=ax)
    ax.set(xticks=range(k), yticks=range(k), xticklabels=names, yticklabels=names,
           xlabel="predicted class", ylabel="true class", title=title)
    threshold = values.max() / 2 if values.size else 0
    for i in range(k):
        for j in range(k):
            text = f"{values[i, j]:.2f}" if normalize else f"{int(values[i, j])}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="white" if values[i, j] > threshold else "black")
    fig.tight_layout()
    if path is not None:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        fig.savefig(path, dpi=100)
    return fig
