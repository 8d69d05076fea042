"""Tests for core.analysis.evaluation and core.charts.evaluate: checked against Keras and scikit-learn."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from helpers_core import files_under
from sklearn import metrics as skm

from core.analysis import evaluation, inference
from core.charts.evaluate import CLICK_TRACE, cell_from_selection, confusion_figure, runs_curves_figure
from core.services import run_store

CLASSES = list(range(10))


@pytest.fixture(scope="module")
def tiny_model(tiny_run):
    return tiny_run.load_model()


@pytest.fixture(scope="module")
def tiny_probs(tiny_model, tiny_splits):
    return evaluation.predict_proba(tiny_model, tiny_splits.x_test, batch_size=64)


def copy_run(run: run_store.Run, tmp_path, name="run") -> run_store.Run:
    """A copy of the run without any stored evaluation (a page may have evaluated the original)."""
    target = tmp_path / name
    shutil.copytree(run.path, target, ignore=shutil.ignore_patterns(f"{run_store.EVALUATION_PREFIX}*"))
    return run_store.Run(target)


# ---------------------------------------------------------------- predictions and the lesson's numbers


def test_predictions_match_keras_predict(tiny_model, tiny_splits, tiny_probs):
    reference = tiny_model.predict(tiny_splits.x_test, batch_size=32, verbose=0)
    assert tiny_probs.shape == (len(tiny_splits.x_test), 10)
    assert tiny_probs.dtype == np.float32
    np.testing.assert_allclose(tiny_probs, reference, atol=1e-5)


def test_accuracy_and_loss_match_model_evaluate(tiny_model, tiny_splits, tiny_probs):
    tiny_model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    keras_loss, keras_accuracy = tiny_model.evaluate(tiny_splits.x_test, tiny_splits.y_test, verbose=0)
    assert evaluation.accuracy(tiny_probs, tiny_splits.y_test) == pytest.approx(keras_accuracy, abs=1e-6)
    assert evaluation.cross_entropy(tiny_probs, tiny_splits.y_test) == pytest.approx(keras_loss, rel=1e-4)


def test_loss_of_a_very_confident_mistake_is_not_clipped():
    # model.evaluate takes the loss from the logits: p = 1e-9 costs -log(1e-9), not -log(1e-7).
    probs = np.array([[1e-9, 1 - 1e-9]], np.float32)
    assert evaluation.cross_entropy(probs, np.array([0])) == pytest.approx(-np.log(1e-9), rel=1e-3)
    assert np.isfinite(evaluation.cross_entropy(np.array([[0.0, 1.0]], np.float32), np.array([0])))


# ---------------------------------------------------------------- confusion matrix and per-class metrics


def test_confusion_and_metrics_match_scikit_learn(tiny_splits, tiny_probs):
    y, pred = tiny_splits.y_test, np.argmax(tiny_probs, axis=1)
    cm = evaluation.confusion_matrix(y, pred)
    np.testing.assert_array_equal(cm, skm.confusion_matrix(y, pred, labels=CLASSES))
    np.testing.assert_allclose(
        evaluation.row_normalise(cm), skm.confusion_matrix(y, pred, labels=CLASSES, normalize="true"), atol=1e-12
    )
    scores = evaluation.per_class_metrics(cm)
    precision, recall, f1, support = skm.precision_recall_fscore_support(y, pred, labels=CLASSES, zero_division=0)
    np.testing.assert_allclose(scores.precision, precision, atol=1e-12)
    np.testing.assert_allclose(scores.recall, recall, atol=1e-12)
    np.testing.assert_allclose(scores.f1, f1, atol=1e-12)
    np.testing.assert_array_equal(scores.support, support)


def test_metrics_of_absent_and_never_predicted_classes_match_scikit_learn():
    y = np.array([0, 0, 1, 1, 2, 2, 2])
    pred = np.array([0, 1, 1, 1, 1, 0, 0])  # class 2 never predicted, classes 3-9 absent
    cm = evaluation.confusion_matrix(y, pred)
    scores = evaluation.per_class_metrics(cm)
    precision, recall, f1, _ = skm.precision_recall_fscore_support(y, pred, labels=CLASSES, zero_division=0)
    np.testing.assert_allclose(scores.precision, precision)
    np.testing.assert_allclose(scores.recall, recall)
    np.testing.assert_allclose(scores.f1, f1)
    assert not np.isnan(evaluation.row_normalise(cm)).any()
    assert evaluation.row_normalise(cm)[5].sum() == 0


def test_most_confused_pairs_in_the_lessons_words():
    cm = np.zeros((10, 10), int)
    cm[6, 6], cm[6, 0], cm[6, 2] = 72, 14, 14  # Shirt: 14% T-shirt/top, 14% Pullover
    cm[0, 0], cm[0, 6] = 90, 10
    cm[2, 2], cm[2, 4] = 490, 10  # 2%: a larger count but a smaller share
    pairs = evaluation.most_confused_pairs(cm, top=3)
    assert pairs == [(6, 0, pytest.approx(0.14)), (6, 2, pytest.approx(0.14)), (0, 6, pytest.approx(0.10))]
    assert all(t != p for t, p, _ in evaluation.most_confused_pairs(cm, top=100))
    assert len(evaluation.most_confused_pairs(cm, top=100)) == 4  # only the non-empty off-diagonal cells


def test_drill_down_returns_exactly_the_images_of_each_cell(tiny_splits, tiny_probs):
    y, pred = tiny_splits.y_test, np.argmax(tiny_probs, axis=1)
    cm = evaluation.confusion_matrix(y, pred)
    seen = []
    for t in CLASSES:
        for p in CLASSES:
            idx = evaluation.cell_indices(y, pred, t, p, tiny_probs)
            expected = {i for i in range(len(y)) if y[i] == t and pred[i] == p}  # a plain loop as reference
            assert set(idx.tolist()) == expected and len(idx) == cm[t, p]
            assert np.all(np.diff(tiny_probs[idx, p]) <= 0), "most confident first"
            seen.extend(idx.tolist())
    assert sorted(seen) == list(range(len(y)))  # every image in exactly one cell


def test_most_confident_mistakes(tiny_splits, tiny_probs):
    y = tiny_splits.y_test
    chosen = evaluation.most_confident_mistakes(tiny_probs, y, top=10)
    pred = np.argmax(tiny_probs, axis=1)
    wrong = [i for i in range(len(y)) if pred[i] != y[i]]
    reference = sorted(wrong, key=lambda i: -tiny_probs[i].max())[:10]
    assert np.all(pred[chosen] != y[chosen])
    np.testing.assert_allclose(tiny_probs[chosen].max(axis=1), tiny_probs[reference].max(axis=1))
    assert inference.top_k(np.array([0.1, 0.6, 0.3]), 2) == [(1, pytest.approx(0.6)), (2, pytest.approx(0.3))]


# ---------------------------------------------------------------- the on-disk cache of a run's evaluation


def test_evaluation_is_computed_once_and_then_read_from_the_run(tiny_run, tiny_splits, tmp_path):
    run = copy_run(tiny_run, tmp_path)
    s = tiny_splits
    loads = []

    def load():
        loads.append(1)
        return run.load_model()

    first = evaluation.evaluate_run(run, load, s.x_val, s.y_val, s.x_test, s.y_test)
    assert first.saved and len(loads) == 1
    json_path, npz_path = evaluation.cache_paths(run, evaluation.cache_key(run, s.y_val, s.y_test))
    assert json_path.is_file() and npz_path.is_file() and json_path.parent == npz_path.parent == run.path

    def must_not_load():
        raise AssertionError("the model was loaded although the evaluation is stored")

    second = evaluation.evaluate_run(run, must_not_load, s.x_val, s.y_val, s.x_test, s.y_test)
    np.testing.assert_array_equal(second.test_probs, first.test_probs)
    assert (second.val_loss, second.test_accuracy) == (first.val_loss, first.test_accuracy)
    result = run.result()  # what training's model.evaluate reported
    assert second.test_accuracy == pytest.approx(result["test_accuracy"], abs=1e-6)
    assert second.val_loss == pytest.approx(result["val_loss"], rel=1e-4)


def test_cache_is_refused_for_another_checkpoint_or_dataset(tiny_run, tiny_splits, tmp_path):
    run = copy_run(tiny_run, tmp_path)
    s = tiny_splits

    def load():
        return run.load_model()

    evaluation.evaluate_run(run, load, s.x_val, s.y_val, s.x_test, s.y_test)
    key = evaluation.cache_key(run, s.y_val, s.y_test)
    assert evaluation.load_cached(run, key) is not None
    other_key = evaluation.cache_key(run, s.y_val, s.y_test[:-1])
    assert evaluation.load_cached(run, other_key) is None
    # Another dataset's evaluation is kept beside this one, not over it.
    evaluation.evaluate_run(run, load, s.x_val, s.y_val, s.x_test[:-1], s.y_test[:-1])
    assert evaluation.load_cached(run, key) is not None and evaluation.load_cached(run, other_key) is not None
    with open(run.checkpoint_path, "ab") as f:  # a new checkpoint: other bytes
        f.write(b"\0")
    assert evaluation.load_cached(run, evaluation.cache_key(run, s.y_val, s.y_test)) is None


def test_damaged_cache_is_recomputed(tiny_run, tiny_splits, tmp_path):
    run = copy_run(tiny_run, tmp_path)
    s = tiny_splits
    first = evaluation.evaluate_run(run, run.load_model, s.x_val, s.y_val, s.x_test, s.y_test)
    key = evaluation.cache_key(run, s.y_val, s.y_test)
    evaluation.cache_paths(run, key)[1].write_bytes(b"half a file")
    again = evaluation.evaluate_run(run, run.load_model, s.x_val, s.y_val, s.x_test, s.y_test)
    np.testing.assert_allclose(again.test_probs, first.test_probs, atol=1e-6)
    assert evaluation.load_cached(run, evaluation.cache_key(run, s.y_val, s.y_test)) is not None


def test_read_only_run_still_evaluates(tiny_run, tiny_splits, tmp_path, monkeypatch):
    run = copy_run(tiny_run, tmp_path)
    before = {p: p.stat().st_mtime_ns for p in files_under(run.path)}

    def refuse(path, write):
        raise PermissionError(13, "Read-only file system", str(path))

    monkeypatch.setattr(run_store, "atomic_write", refuse)
    s = tiny_splits
    ev = evaluation.evaluate_run(run, run.load_model, s.x_val, s.y_val, s.x_test, s.y_test)
    assert not ev.saved
    assert {p: p.stat().st_mtime_ns for p in files_under(run.path)} == before  # nothing written, nothing left
    assert ev.test_accuracy == pytest.approx(evaluation.accuracy(ev.test_probs, s.y_test))


def test_copied_run_keeps_its_evaluation(tiny_run, tiny_splits, tmp_path):
    run = copy_run(tiny_run, tmp_path)
    s = tiny_splits
    evaluation.evaluate_run(run, run.load_model, s.x_val, s.y_val, s.x_test, s.y_test)
    elsewhere = run_store.Run(tmp_path / "other-machine" / "runs" / run.id)
    shutil.copytree(run.path, elsewhere.path, copy_function=shutil.copyfile)  # new modification times
    assert evaluation.load_cached(elsewhere, evaluation.cache_key(elsewhere, s.y_val, s.y_test)) is not None


# ---------------------------------------------------------------- figures


def test_confusion_figure_shows_numbers_and_has_a_clickable_point_per_cell():
    cm = np.arange(100).reshape(10, 10)
    names = [f"c{i}" for i in range(10)]
    labels = {k: k for k in ("true", "predicted", "images", "share", "colorbar_count", "colorbar_share")}
    fig = confusion_figure(cm, names, labels, normalised=False, highlight=(6, 0))
    heat, click = fig.data[0], fig.data[CLICK_TRACE]
    np.testing.assert_array_equal(np.array(heat.z), cm)
    assert heat.text[6][0] == "60" and heat.hoverinfo == "skip"
    assert click.hoverinfo != "skip", "hoverinfo='skip' also switches off clicks"
    assert len(click.x) == 100 and (click.x[60], click.y[60]) == (0, 6)
    assert "c6" in click.text[60] and "c0" in click.text[60]
    assert fig.layout.shapes[0].x0 == -0.5 and fig.layout.shapes[0].y0 == 5.5
    shares = confusion_figure(cm, names, labels, normalised=True)
    np.testing.assert_allclose(np.array(shares.data[0].z).sum(axis=1), 1)
    assert shares.data[0].text[1][0] == f"{10 / cm[1].sum():.0%}"


def test_cell_from_selection_reads_streamlits_selection_state():
    # The shape Streamlit 1.67 returned in a browser when cell (true 2, predicted 0) was clicked.
    clicked = {
        "points": [{"curve_number": 1, "point_number": 6, "point_index": 6, "x": 0, "y": 2, "customdata": {}}],
        "point_indices": [6],
        "box": [],
        "lasso": [],
    }
    assert cell_from_selection(clicked) == (2, 0)
    assert cell_from_selection({"points": [], "box": [], "lasso": []}) is None
    assert cell_from_selection(None) is None
    assert cell_from_selection({"points": [{"curve_number": 0, "x": 1, "y": 1}]}) is None


def test_runs_curves_figure_one_trace_per_run_and_split():
    history = [{"epoch": 1, "accuracy": 0.8, "val_accuracy": 0.85}, {"epoch": 2, "accuracy": 0.9, "val_accuracy": 0.88}]
    labels = {k: k for k in ("train", "validation", "epoch", "accuracy", "loss")}
    fig = runs_curves_figure([("a", history), ("b", history[:1])], "accuracy", labels)
    assert [trace.name for trace in fig.data] == ["a", "a", "b", "b"]
    assert list(fig.data[1].y) == [0.85, 0.88]
    assert fig.data[0].marker.symbol != fig.data[2].marker.symbol  # not told apart by colour alone
