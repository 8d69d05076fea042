"""EarlyStopping and checkpoint replayed over a history, checked against Keras's own EarlyStopping."""

import keras
import numpy as np

from core.charts.training import batch_loss_figure, curves_figure
from core.lesson import schema
from core.lesson.history import MONITOR_MODES, best_epoch, events

LABELS = {k: k for k in ("loss", "accuracy", "epoch", "train", "validation", "best", "running_loss", "batch")}


def history(val_losses):
    return [
        {"epoch": i + 1, "loss": 1.0 / (i + 1), "accuracy": 0.5, "val_loss": v, "val_accuracy": 0.6}
        for i, v in enumerate(val_losses)
    ]


def accuracy_history(val_accuracies):
    return [
        {"epoch": i + 1, "loss": 0.3, "accuracy": 0.9, "val_loss": 0.25, "val_accuracy": v}
        for i, v in enumerate(val_accuracies)
    ]


def keras_stop_epoch(values, patience, monitor="val_loss"):
    """Where Keras's EarlyStopping stops (1-based), fed the same values of `monitor`."""
    callback = keras.callbacks.EarlyStopping(monitor=monitor, mode=MONITOR_MODES[monitor], patience=patience)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.stop_training = False
    callback.set_model(model)
    callback.on_train_begin()
    for epoch, value in enumerate(values):
        callback.on_epoch_end(epoch, {monitor: value})
        if callback.model.stop_training:
            return epoch + 1
    return None


def test_events_match_keras_early_stopping():
    rng = np.random.default_rng(0)
    for _ in range(50):
        losses = list(rng.uniform(0.2, 0.6, size=rng.integers(1, 12)))
        patience = int(rng.integers(0, 4))
        found = events(history(losses), patience)
        stops = [e.epoch for e in found if e.kind == "early_stop"]
        assert (stops[0] if stops else None) == keras_stop_epoch(losses, patience)
        checkpoints = [e.epoch for e in found if e.kind == "checkpoint"]
        assert checkpoints[-1] == best_epoch(history(losses[: found[-1].epoch]))


def test_watching_accuracy_matches_keras_and_keeps_the_highest():
    rng = np.random.default_rng(1)
    for _ in range(50):
        accuracies = list(np.round(rng.uniform(0.85, 0.93, size=rng.integers(1, 12)), 3))  # ties happen
        patience = int(rng.integers(0, 4))
        found = events(accuracy_history(accuracies), patience, "val_accuracy")
        stops = [e.epoch for e in found if e.kind == "early_stop"]
        assert (stops[0] if stops else None) == keras_stop_epoch(accuracies, patience, "val_accuracy")
        seen = accuracies[: found[-1].epoch]
        assert best_epoch(accuracy_history(seen), "val_accuracy") == seen.index(max(seen)) + 1  # the first of a tie
        assert [e.epoch for e in found if e.kind == "checkpoint"][-1] == seen.index(max(seen)) + 1


def test_a_cosine_run_ends_on_its_most_accurate_epoch_though_its_loss_rose():
    # the last epochs of a Best-preset run (seed 1): loss lowest at epoch 3, accuracy highest at epoch 6
    rows = [
        {"epoch": i + 1, "val_loss": loss, "val_accuracy": acc}
        for i, (loss, acc) in enumerate(
            [(0.281, 0.9032), (0.211, 0.9268), (0.198, 0.9317), (0.207, 0.9309), (0.199, 0.9322), (0.200, 0.9337)]
        )
    ]
    assert best_epoch(rows) == 3
    assert best_epoch(rows, "val_accuracy") == 6
    assert events(rows, patience=2)[-1].kind == "early_stop"  # the lesson's patience would stop it at epoch 5
    assert events(rows, patience=15, monitor="val_accuracy")[-1].kind == "checkpoint"


def test_every_monitor_the_schema_offers_has_a_direction():
    assert set(MONITOR_MODES) == set(schema.MONITORS) == set(schema.BY_NAME["monitor"].choices)


def test_lesson_shaped_history_reads_as_words():
    found = events(history([0.33, 0.28, 0.26, 0.24, 0.238, 0.232, 0.240, 0.2404]), patience=2)
    assert [e.kind for e in found][-3:] == ["no_improvement", "no_improvement", "early_stop"]
    assert found[-1].best_epoch == 6 and found[-1].epoch == 8


def test_curve_figures_hold_the_history():
    rows = history([0.5, 0.4, 0.45])
    fig = curves_figure(rows, LABELS, best_epoch=2)
    assert len(fig.data) == 4  # loss and accuracy, training and validation
    assert list(fig.data[1].y) == [0.5, 0.4, 0.45]
    assert list(fig.data[0].marker.symbol for _ in [0])[0] != fig.data[1].marker.symbol  # not colour alone
    fig = batch_loss_figure([[10, 0.9], [20, 0.8]], steps=100, labels=LABELS)
    assert list(fig.data[0].x) == [10, 20] and fig.layout.xaxis.range == (0, 100)
