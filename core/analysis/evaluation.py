"""Where a trained model goes wrong: the lesson's `model.evaluate`, taken apart.

The lesson ends with `model.evaluate(val_scaled, val_target)` and about 92%
accuracy. Everything here starts from one array, the model's probabilities
for every test image, and answers the questions a teacher asks next: which
classes are mixed up (confusion matrix), how often, which images exactly,
and which mistakes the model was surest of.

The probabilities are computed once per checkpoint and stored in the run
folder (`Run.evaluation_paths`: an NPZ file with the test probabilities, a
JSON file with the metrics and the key they belong to), so a page that shows
them reads two small files instead of running the network again. The key is
the checkpoint's content hash, not its modification time, so a run folder
copied to another machine keeps its evaluation; the files are named after
the validation and test sets, so an evaluation on a test's small dataset
never replaces the one on the real dataset (a shipped model can carry the
latter).

Metrics are computed with numpy from the confusion matrix; the tests check
them against scikit-learn.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.lesson.schema import NUM_CLASSES
from core.services import run_store
from core.services.run_store import Run

CACHE_VERSION = 1
# Smallest positive float32: only keeps log(0) away (see `cross_entropy`).
TINY = float(np.finfo(np.float32).tiny)


# ---------------------------------------------------------------- predictions


def predict_proba(model, x: np.ndarray, batch_size: int = 500, flips: bool = False) -> np.ndarray:
    """Class probabilities of `model` for every image of `x`.

    Calls the model directly in batches (`model(batch, training=False)`)
    rather than `model.predict`, which builds a tf.data pipeline and a
    traced function on every call: slower for a page that runs it once.

    Args:
        model: a Keras model whose output is softmax probabilities (N, 10).
        x: images, float32 (N, 28, 28, 1) in [0, 1].
        batch_size: images per call; 500 keeps the peak memory small.
            Default 500.
        flips: test-time flips: average each image's probabilities with its
            mirror image's (a model trained with flips knows both). Default False.

    Returns:
        float32 array (N, 10).
    """
    parts = [
        np.asarray(model(x[start : start + batch_size], training=False), dtype=np.float32)
        for start in range(0, len(x), batch_size)
    ]
    probs = np.concatenate(parts) if parts else np.zeros((0, NUM_CLASSES), np.float32)
    if flips:
        probs = (probs + predict_proba(model, np.ascontiguousarray(x[:, :, ::-1]), batch_size)) / 2
    return probs


def accuracy(probs: np.ndarray, y_true: np.ndarray) -> float:
    """Share of images whose most probable class is the true one (Keras's "accuracy")."""
    return float(np.mean(np.argmax(probs, axis=1) == y_true)) if len(y_true) else float("nan")


def cross_entropy(probs: np.ndarray, y_true: np.ndarray) -> float:
    """Mean sparse categorical cross-entropy, the loss `model.evaluate` reports.

    `model.evaluate` takes this loss from the logits behind the softmax, so
    a very confident mistake (true-class probability below 1e-7) counts in
    full; applying the loss function to probabilities would clip it at
    -log(1e-7) and report a slightly smaller loss (0.2547 vs 0.2548 for the
    lesson model). Here only log(0) is guarded against.
    """
    if not len(y_true):
        return float("nan")
    p = probs[np.arange(len(y_true)), y_true].astype(np.float64)
    return float(-np.mean(np.log(np.maximum(p, TINY))))


# ---------------------------------------------------------------- confusion matrix and metrics


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Counts (num_classes, num_classes): row = true class, column = predicted class."""
    flat = np.asarray(y_true, np.int64) * num_classes + np.asarray(y_pred, np.int64)
    return np.bincount(flat, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def row_normalise(cm: np.ndarray) -> np.ndarray:
    """Each row divided by its sum: "of all true Shirts, which share went where".

    A class without any image keeps a row of zeros instead of NaN.
    """
    totals = cm.sum(axis=1, keepdims=True)
    return np.divide(cm, totals, out=np.zeros(cm.shape, np.float64), where=totals > 0)


@dataclass(frozen=True)
class ClassMetrics:
    """Per-class precision, recall, F1 and support (arrays of length num_classes)."""

    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    support: np.ndarray


def per_class_metrics(cm: np.ndarray) -> ClassMetrics:
    """Precision, recall and F1 of every class from the confusion matrix.

    Precision: of the images predicted as the class, the share that are it.
    Recall: of the images of the class, the share found. A class never
    predicted (or never present) gets 0, as scikit-learn's
    `zero_division=0` does.
    """
    tp = np.diag(cm).astype(np.float64)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros_like(tp), where=both > 0)
    return ClassMetrics(precision, recall, f1, actual.astype(np.int64))


def most_confused_pairs(cm: np.ndarray, top: int = 5, min_count: int = 1) -> list[tuple[int, int, float]]:
    """The largest off-diagonal cells, as (true, predicted, share of the true class).

    "Shirt is taken for T-shirt/top 14% of the time" is `(6, 0, 0.14)`. The
    share is of the true class's images, so classes of any size compare
    fairly; ties are broken by the count, then by class order.

    Args:
        cm: confusion matrix (counts).
        top: how many pairs at most. Default 5.
        min_count: leave out cells with fewer images. Default 1.
    """
    shares = row_normalise(cm)
    cells = [
        (int(t), int(p), float(shares[t, p]), int(cm[t, p]))
        for t in range(cm.shape[0])
        for p in range(cm.shape[1])
        if t != p and cm[t, p] >= min_count
    ]
    cells.sort(key=lambda c: (-c[2], -c[3], c[0], c[1]))
    return [(t, p, share) for t, p, share, _ in cells[:top]]


def cell_indices(
    y_true: np.ndarray, y_pred: np.ndarray, true_class: int, pred_class: int, probs: np.ndarray | None = None
) -> np.ndarray:
    """Indices of the images in one confusion-matrix cell.

    Args:
        true_class: the row. pred_class: the column.
        probs: when given, the images come most confident first (by the
            probability of `pred_class`), else in dataset order.
    """
    idx = np.flatnonzero((y_true == true_class) & (y_pred == pred_class))
    if probs is not None and len(idx):
        idx = idx[np.argsort(-probs[idx, pred_class], kind="stable")]
    return idx


def most_confident_mistakes(probs: np.ndarray, y_true: np.ndarray, top: int = 16) -> np.ndarray:
    """Indices of the wrongly classified images the model was surest of, surest first."""
    pred = np.argmax(probs, axis=1)
    wrong = np.flatnonzero(pred != y_true)
    confidence = probs[wrong, pred[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")][:top]


# ---------------------------------------------------------------- one run's evaluation, cached on disk


@dataclass(frozen=True)
class Evaluation:
    """A checkpoint's evaluation: the lesson's numbers plus the test probabilities.

    Attributes:
        val_loss, val_accuracy, test_loss, test_accuracy: as `model.evaluate`.
        test_probs: float32 (N_test, 10); everything else on the page derives from it.
        y_test: the true test labels the probabilities belong to.
        seconds: time the predictions took (0 when read from disk).
        saved: whether the evaluation is (now) stored in the run folder;
            False for a read-only folder such as a shipped default run.
    """

    val_loss: float
    val_accuracy: float
    test_loss: float
    test_accuracy: float
    test_probs: np.ndarray
    y_test: np.ndarray
    seconds: float = 0.0
    saved: bool = False

    @property
    def test_pred(self) -> np.ndarray:
        return np.argmax(self.test_probs, axis=1)

    def confusion(self) -> np.ndarray:
        return confusion_matrix(self.y_test, self.test_pred)


def file_digest(path: Path) -> str:
    """SHA-256 of a file (a 4 MB checkpoint takes a few milliseconds)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_fingerprint(y_val: np.ndarray, y_test: np.ndarray) -> str:
    """Identifies the validation and test sets by their labels (cheap, and enough
    to tell the full dataset from a test's small one or another split)."""
    digest = hashlib.sha256()
    for labels in (y_val, y_test):
        digest.update(np.ascontiguousarray(labels, dtype=np.uint8).tobytes())
        digest.update(str(len(labels)).encode())
    return digest.hexdigest()[:16]


def cache_key(run: Run, y_val: np.ndarray, y_test: np.ndarray, flips: bool = False) -> dict:
    """What a stored evaluation must match to be reused (with test-time flips, another file)."""
    key = {
        "version": CACHE_VERSION,
        "checkpoint_sha256": file_digest(run.checkpoint_path),
        "data": data_fingerprint(y_val, y_test) + ("-flips" if flips else ""),
    }
    return key | {"flips": True} if flips else key


def cache_paths(run: Run, key: dict) -> tuple[Path, Path]:
    """The JSON and NPZ files that hold the evaluation of `key`'s data in the run folder."""
    return run.evaluation_paths(key["data"])


def load_cached(run: Run, key: dict) -> Evaluation | None:
    """The stored evaluation when it belongs to this checkpoint and data, else None."""
    json_path, npz_path = cache_paths(run, key)
    meta = run_store.read_json(json_path)
    if not isinstance(meta, dict) or meta.get("key") != key:
        return None
    try:
        with np.load(npz_path) as stored:
            probs, y_test = stored["test_probs"], stored["y_test"]
    except (OSError, ValueError, KeyError):
        return None
    if probs.shape != (len(y_test), NUM_CLASSES):
        return None
    try:
        return Evaluation(
            val_loss=float(meta["val_loss"]),
            val_accuracy=float(meta["val_accuracy"]),
            test_loss=float(meta["test_loss"]),
            test_accuracy=float(meta["test_accuracy"]),
            test_probs=probs.astype(np.float32, copy=False),
            y_test=y_test,
            saved=True,
        )
    except (KeyError, TypeError, ValueError):
        return None


def save(run: Run, key: dict, evaluation: Evaluation) -> bool:
    """Store the evaluation in the run folder; False (not an error) when the folder is read-only.

    The arrays are written first and the JSON last, each atomically, so a
    reader that finds a matching JSON file also finds its arrays.
    """
    json_path, npz_path = cache_paths(run, key)
    meta = {
        "key": key,
        "val_loss": evaluation.val_loss,
        "val_accuracy": evaluation.val_accuracy,
        "test_loss": evaluation.test_loss,
        "test_accuracy": evaluation.test_accuracy,
        "n_test": int(len(evaluation.y_test)),
        "seconds": round(evaluation.seconds, 2),
        "created": time.time(),
    }

    def write_npz(tmp: str) -> None:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, test_probs=evaluation.test_probs, y_test=evaluation.y_test)
        Path(tmp).write_bytes(buffer.getvalue())

    try:
        run_store.atomic_write(npz_path, write_npz)
        run_store.write_json(json_path, meta)
    except OSError:
        return False
    return True


def evaluate(model, x_val, y_val, x_test, y_test, batch_size: int = 500, flips: bool = False) -> Evaluation:
    """Run the model on the validation and test sets (the lesson's `model.evaluate`; `flips`: see `predict_proba`)."""
    started = time.perf_counter()
    val_probs = predict_proba(model, x_val, batch_size, flips)
    test_probs = predict_proba(model, x_test, batch_size, flips)
    return Evaluation(
        val_loss=cross_entropy(val_probs, y_val),
        val_accuracy=accuracy(val_probs, y_val),
        test_loss=cross_entropy(test_probs, y_test),
        test_accuracy=accuracy(test_probs, y_test),
        test_probs=test_probs,
        y_test=np.asarray(y_test).copy(),
        seconds=time.perf_counter() - started,
    )


def evaluate_run(
    run: Run, load_model: Callable[[], object], x_val, y_val, x_test, y_test, flips: bool = False
) -> Evaluation:
    """The run's evaluation: from its folder when stored, else computed and stored.

    Args:
        run: a run with a checkpoint.
        load_model: returns the run's model; called only when nothing is
            stored yet (loading a model costs more than reading the cache).
        x_val, y_val, x_test, y_test: the data of the run's split.
        flips: test-time flips (`predict_proba`), stored apart from the plain evaluation.

    Returns:
        an `Evaluation`; its `saved` is False when the folder could not be
        written (the caller may then keep it in memory for the process).
    """
    key = cache_key(run, y_val, y_test, flips)
    cached = load_cached(run, key)
    if cached is not None:
        return cached
    fresh = evaluate(load_model(), x_val, y_val, x_test, y_test, flips=flips)
    saved = save(run, key, fresh)
    return dataclasses.replace(fresh, saved=saved)
