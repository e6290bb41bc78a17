"""minitorch.metrics against hand-computed values (and scikit-learn when it is installed)."""
import numpy as np
import pytest

import minitorch
from minitorch import metrics

# 7 samples, 3 classes. Confusion matrix (rows true, columns predicted):
#   true 0: [1, 0, 0]     class 0: TP 1, FP 1, FN 0 -> P 1/2, R 1,   F1 2/3
#   true 1: [1, 2, 0]     class 1: TP 2, FP 1, FN 1 -> P 2/3, R 2/3, F1 2/3
#   true 2: [0, 1, 2]     class 2: TP 2, FP 0, FN 1 -> P 1,   R 2/3, F1 4/5
PRED = [0, 1, 2, 2, 1, 0, 1]
TARGET = [0, 2, 2, 2, 1, 1, 1]
P, R, F = [1 / 2, 2 / 3, 1.0], [1.0, 2 / 3, 2 / 3], [2 / 3, 2 / 3, 4 / 5]
SUPPORT = [1, 3, 3]


def test_confusion_matrix_rows_are_true_classes():
    cm = metrics.confusion_matrix(PRED, TARGET)
    np.testing.assert_array_equal(cm, [[1, 0, 0], [1, 2, 0], [0, 1, 2]])
    assert cm.dtype == np.int64
    big = metrics.confusion_matrix(PRED, TARGET, num_classes=5)
    assert big.shape == (5, 5) and big[3:].sum() == 0 and big.sum() == 7


def test_accuracy():
    assert metrics.accuracy(PRED, TARGET) == pytest.approx(5 / 7)
    assert metrics.accuracy(minitorch.tensor(PRED), np.array(TARGET)) == pytest.approx(5 / 7)


def test_per_class_scores():
    np.testing.assert_allclose(metrics.precision(PRED, TARGET, average="none"), P)
    np.testing.assert_allclose(metrics.recall(PRED, TARGET, average=None), R)
    np.testing.assert_allclose(metrics.f1_score(PRED, TARGET, average="none"), F)


def test_averages():
    assert metrics.precision(PRED, TARGET) == pytest.approx(np.mean(P))
    assert metrics.recall(PRED, TARGET, average="macro") == pytest.approx(np.mean(R))
    assert metrics.f1_score(PRED, TARGET) == pytest.approx(np.mean(F))
    for fn in (metrics.precision, metrics.recall, metrics.f1_score):
        assert fn(PRED, TARGET, average="micro") == pytest.approx(5 / 7)  # = accuracy
    assert metrics.f1_score(PRED, TARGET, average="weighted") == pytest.approx(np.dot(F, SUPPORT) / 7)
    with pytest.raises(ValueError, match="average must be 'macro', 'micro', 'weighted', 'none' or None, got 'samples'"):
        metrics.f1_score(PRED, TARGET, average="samples")


def test_logits_take_the_argmax():
    logits = np.full((7, 3), -1.0)
    logits[np.arange(7), PRED] = 2.0
    t = minitorch.tensor(logits, requires_grad=True)
    assert metrics.accuracy(t, minitorch.tensor(TARGET)) == pytest.approx(5 / 7)
    np.testing.assert_array_equal(metrics.confusion_matrix(logits, TARGET),
                                  metrics.confusion_matrix(PRED, TARGET))


def test_zero_division_gives_zero():
    pred, target = [0, 0, 1, 1], [0, 1, 1, 2]  # class 2 is never predicted
    np.testing.assert_allclose(metrics.precision(pred, target, average="none"), [1 / 2, 1 / 2, 0.0])
    np.testing.assert_allclose(metrics.recall(pred, target, average="none"), [1.0, 1 / 2, 0.0])
    np.testing.assert_allclose(metrics.f1_score(pred, target, average="none"), [2 / 3, 1 / 2, 0.0])


def test_macro_skips_classes_absent_from_both():
    # with num_classes=5, classes 3 and 4 never occur: they score 0 but do not count in the average
    per_class = metrics.f1_score(PRED, TARGET, num_classes=5, average="none")
    np.testing.assert_allclose(per_class, F + [0.0, 0.0])
    assert metrics.f1_score(PRED, TARGET, num_classes=5) == pytest.approx(np.mean(F))


def test_binary_case():
    pred, target = [1, 1, 0, 1, 0, 0], [1, 0, 0, 1, 1, 0]
    # class 1: TP 2, FP 1, FN 1
    assert metrics.precision(pred, target, average="none")[1] == pytest.approx(2 / 3)
    assert metrics.recall(pred, target, average="none")[1] == pytest.approx(2 / 3)
    assert metrics.accuracy(pred, target) == pytest.approx(4 / 6)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match=r"accuracy: pred has shape \(3,\) but target has shape \(2,\)"):
        metrics.accuracy([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match=r"scores for 4 samples \(shape \(4, 3\)\).*3 labels"):
        metrics.f1_score(np.zeros((4, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match="target must be a 1-D array"):
        metrics.recall([0, 1], [[0, 1]])
    with pytest.raises(ValueError, match="non-integer values such as 0.7"):
        metrics.precision([0.7, 1.0], [0, 1])
    with pytest.raises(ValueError, match="class index 2, but num_classes=2"):
        metrics.confusion_matrix([0, 2], [0, 1], num_classes=2)
    with pytest.raises(ValueError, match="negative class index -1"):
        metrics.accuracy([0, -1], [0, 1])
    with pytest.raises(ValueError, match="no samples"):
        metrics.accuracy([], [])


def test_classification_report_table():
    report = metrics.classification_report(PRED, TARGET, class_names=["cat", "dog", "bird"])
    lines = report.splitlines()
    assert lines[0].split() == ["precision", "recall", "f1-score", "support"]
    assert lines[2].split() == ["cat", "0.500", "1.000", "0.667", "1"]
    assert lines[4].split() == ["bird", "1.000", "0.667", "0.800", "3"]
    accuracy_rows = [line.split() for line in lines if line.strip().startswith("accuracy")]
    assert accuracy_rows == [["accuracy", "0.714", "7"]]
    macro = next(line for line in lines if "macro" in line).split()
    assert macro[2:5] == [f"{np.mean(P):.3f}", f"{np.mean(R):.3f}", f"{np.mean(F):.3f}"]
    with pytest.raises(ValueError, match="2 class_names for 3 classes"):
        metrics.classification_report(PRED, TARGET, class_names=["a", "b"])


def test_plot_confusion_matrix(tmp_path):
    cm = metrics.confusion_matrix(PRED, TARGET)
    path = tmp_path / "plots" / "cm.png"
    fig = metrics.plot_confusion_matrix(cm, class_names=["cat", "dog", "bird"], path=str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["1", "0", "0", "1", "2", "0", "0", "1", "2"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "bird"]
    fig = metrics.plot_confusion_matrix(cm, normalize=True)
    assert fig.axes[0].texts[3].get_text() == "0.33"  # true 1 predicted 0: 1 of 3
    with pytest.raises(ValueError, match="square matrix"):
        metrics.plot_confusion_matrix(np.zeros((2, 3)))


def test_against_sklearn():
    sk = pytest.importorskip("sklearn.metrics")
    rs = np.random.RandomState(0)
    target = rs.randint(0, 5, size=300)
    pred = np.where(rs.rand(300) < 0.6, target, rs.randint(0, 5, size=300))
    np.testing.assert_array_equal(metrics.confusion_matrix(pred, target), sk.confusion_matrix(target, pred))
    for average in ("macro", "micro", "weighted", None):
        for ours, theirs in ((metrics.precision, sk.precision_score), (metrics.recall, sk.recall_score),
                             (metrics.f1_score, sk.f1_score)):
            np.testing.assert_allclose(ours(pred, target, average=average),
                                       theirs(target, pred, average=average, zero_division=0))
