"""core.lesson.callbacks driven hook by hook with made-up logs, without training (the Keras way)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from core.lesson.callbacks import (
    BestCheckpoint,
    EpochPrinter,
    KernelSnapshots,
    LiveProgress,
    StopConditions,
    conv_weights,
)
from core.lesson.config import ModelConfig
from core.lesson.history import Progress
from core.lesson.model import build_model
from core.services.run_store import Run


class FakeClock:
    def __init__(self, now: float = 100.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class RecordingRun(Run):
    """A real run folder that also remembers every progress write (as JSON would carry it)."""

    def __init__(self, path):
        super().__init__(path)
        self.progress_writes = []

    def write_progress(self, progress: Progress) -> None:
        self.progress_writes.append(Progress.from_json(json.loads(json.dumps(progress.to_json()))))
        super().write_progress(progress)


@pytest.fixture
def run(tmp_path) -> RecordingRun:
    return RecordingRun(tmp_path)


def files_in(run: Run) -> list[str]:
    """Every file of the run folder, relative to it (temporary files included)."""
    return sorted(str(p.relative_to(run.path)) for p in run.path.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def tiny_model():
    return build_model(ModelConfig(conv_filters=(2, 3), dense_units=0, dropout=0))


# --- LiveProgress ------------------------------------------------------------------------------


def test_live_progress_throttles_batch_writes(run):
    clock = FakeClock(100.0)
    cb = LiveProgress(run, min_interval=0.5, clock=clock)
    cb.set_params({"epochs": 3, "steps": 100})
    cb.on_train_begin()
    assert len(run.progress_writes) == 1  # the "starting" picture
    cb.on_epoch_begin(0)

    # 50 batches within 0.49 s of the first write: nothing more is written.
    for batch in range(50):
        clock.now = 100.0 + batch * 0.01
        cb.on_train_batch_end(batch, {"loss": 2.0 - batch * 0.01, "accuracy": 0.1})
    assert len(run.progress_writes) == 1

    # Once 0.5 s have passed: one write, then silence for another 0.5 s.
    for batch in range(50, 100):
        clock.now = 100.5 + (batch - 50) * 0.009  # 100.5 .. 100.941
        cb.on_train_batch_end(batch, {"loss": 1.0, "accuracy": 0.5 + batch / 1000})
    progress = run.progress_writes
    assert len(progress) == 2
    written = progress[-1]
    assert written.batch == 51 and written.epoch == 1
    assert written.running_accuracy == pytest.approx(0.55)
    assert written.elapsed == pytest.approx(0.5)
    # ETA: 0.5 s for 51 of 300 steps -> 0.5 / 51 * 249 s to go.
    assert written.eta == pytest.approx(round(0.5 / 51 * 249, 1))
    assert run.progress() == written  # and it really is in the run folder


def test_live_progress_epoch_end_writes_history_and_progress(run):
    clock = FakeClock(10.0)
    cb = LiveProgress(run, clock=clock)
    cb.set_params({"epochs": 2, "steps": 25})
    cb.on_train_begin()
    first = run.progress_writes[0]
    assert first.batch == 0 and first.epochs == 2 and first.eta is None
    assert first.running_loss is None

    for epoch in range(2):
        clock.now += 1.0
        cb.on_epoch_begin(epoch)
        clock.now += 2.5
        logs = {
            "loss": np.float32(0.5 - epoch / 10),  # Keras may hand numpy scalars: they must become JSON
            "accuracy": 0.8,
            "val_loss": np.float64(0.6),
            "val_accuracy": 0.75,
        }
        cb.on_epoch_end(epoch, logs)

    history = run.history()
    assert [row["epoch"] for row in history] == [1, 2]
    assert history[0]["seconds"] == pytest.approx(2.5)
    assert history[1]["loss"] == pytest.approx(0.4)
    assert set(history[0]) == {"epoch", "seconds", "loss", "accuracy", "val_loss", "val_accuracy"}
    last = run.progress()
    assert last.epoch_done is True
    assert (last.epoch, last.batch, last.steps) == (2, 25, 25)
    assert last.eta == 0.0 and last.fraction == 1.0
    assert last.elapsed == pytest.approx(7.0)

    # A new fit starts a new history (state is reset in on_train_begin).
    cb.on_train_begin()
    cb.on_epoch_begin(0)
    cb.on_epoch_end(0, {"loss": 1.0})
    assert [row["epoch"] for row in run.history()] == [1]


# --- BestCheckpoint ----------------------------------------------------------------------------


def _set_conv1(model, value: float) -> None:
    kernel, bias = model.get_layer("conv1").get_weights()
    model.get_layer("conv1").set_weights([np.full_like(kernel, value), bias])


def _saved_conv1(run: Run) -> np.ndarray:
    return run.load_model().get_layer("conv1").get_weights()[0]


def test_best_checkpoint_keeps_only_improvements(run, tiny_model):
    cb = BestCheckpoint(run)
    cb.set_model(tiny_model)
    cb.on_train_begin()
    assert not run.has_checkpoint()

    _set_conv1(tiny_model, 0.1)
    cb.on_epoch_end(0, {"loss": 1.0, "val_loss": 0.9})
    assert cb.best_epoch == 1 and cb.best == 0.9
    np.testing.assert_allclose(_saved_conv1(run), 0.1)

    _set_conv1(tiny_model, 0.2)
    cb.on_epoch_end(1, {"val_loss": 1.2})  # worse: not saved
    cb.on_epoch_end(2, {"loss": 0.1})  # no validation: not saved
    cb.on_epoch_end(3, {"val_loss": float("nan")})  # NaN is never "better"
    assert cb.best_epoch == 1
    np.testing.assert_allclose(_saved_conv1(run), 0.1)

    _set_conv1(tiny_model, 0.3)
    cb.on_epoch_end(4, {"val_loss": 0.5})
    assert (cb.best_epoch, cb.best) == (5, 0.5)
    loaded = run.load_model()
    np.testing.assert_allclose(loaded.get_layer("conv1").get_weights()[0], 0.3)
    for mine, theirs in zip(tiny_model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, theirs)
    # Only the checkpoint is left: no temporary file beside it.
    assert files_in(run) == [run.checkpoint_path.name]

    cb.on_train_begin()  # a new fit forgets the old best
    assert cb.best == math.inf and cb.best_epoch is None


# --- KernelSnapshots ---------------------------------------------------------------------------


def test_best_checkpoint_watching_accuracy_keeps_the_highest(run, tiny_model):
    cb = BestCheckpoint(run, "val_accuracy")
    cb.set_model(tiny_model)
    cb.on_train_begin()
    _set_conv1(tiny_model, 0.1)
    cb.on_epoch_end(0, {"val_loss": 0.30, "val_accuracy": 0.90})
    _set_conv1(tiny_model, 0.2)
    cb.on_epoch_end(1, {"val_loss": 0.25, "val_accuracy": 0.89})  # lower loss, lower accuracy: not saved
    cb.on_epoch_end(2, {"val_loss": 0.25, "val_accuracy": 0.90})  # a tie is no improvement
    assert cb.best_epoch == 1
    np.testing.assert_allclose(_saved_conv1(run), 0.1)
    _set_conv1(tiny_model, 0.3)
    cb.on_epoch_end(3, {"val_loss": 0.32, "val_accuracy": 0.91})  # higher loss, higher accuracy: saved
    assert cb.best_epoch == 4
    np.testing.assert_allclose(_saved_conv1(run), 0.3)


def test_kernel_snapshots_before_and_after_each_epoch(run, tiny_model):
    cb = KernelSnapshots(run)
    cb.set_model(tiny_model)
    _set_conv1(tiny_model, 0.0)
    cb.on_train_begin()
    _set_conv1(tiny_model, 1.5)
    cb.on_epoch_end(0, {"loss": 1.0})
    cb.on_epoch_end(1, {"loss": 0.9})
    assert run.kernel_epochs() == [0, 1, 2]
    before, after = run.kernels(0), run.kernels(2)
    assert set(before) == {"conv1.kernel", "conv1.bias", "conv2.kernel", "conv2.bias"}
    assert before["conv1.kernel"].shape == (3, 3, 1, 2)
    assert before["conv2.kernel"].shape == (3, 3, 2, 3)
    assert before["conv2.bias"].shape == (3,)
    assert np.all(before["conv1.kernel"] == 0) and np.all(after["conv1.kernel"] == 1.5)
    np.testing.assert_array_equal(after["conv2.kernel"], np.asarray(tiny_model.get_layer("conv2").kernel))
    files = files_in(run)  # one file per snapshot, no temporary file left beside them
    assert len(files) == 3 and all(name.endswith(".npz") for name in files), files
    assert not [name for name in files if name.rsplit("/", 1)[-1].startswith(".")], files


def test_conv_weights_reads_every_conv_layer(tiny_model):
    weights = conv_weights(tiny_model)
    assert list(weights) == ["conv1.kernel", "conv1.bias", "conv2.kernel", "conv2.bias"]
    np.testing.assert_array_equal(weights["conv2.bias"], np.asarray(tiny_model.get_layer("conv2").bias))


# --- StopConditions ----------------------------------------------------------------------------


@pytest.fixture
def stopper(run, tiny_model):
    clock = FakeClock(50.0)
    cb = StopConditions(run, check_interval=0.2, clock=clock)
    cb.set_model(tiny_model)
    tiny_model.stop_training = False
    cb.on_train_begin()
    yield cb, clock
    tiny_model.stop_training = False


def test_stop_file_stops_with_reason_requested(stopper, run, tiny_model):
    cb, clock = stopper
    cb.on_train_batch_end(0, {"loss": 2.3})
    assert tiny_model.stop_training is False and cb.reason is None

    run.request_stop()
    clock.now += 0.1  # within the check interval: not looked for yet
    cb.on_train_batch_end(1, {"loss": 2.2})
    assert tiny_model.stop_training is False

    clock.now += 0.15
    cb.on_train_batch_end(2, {"loss": 2.1})
    assert tiny_model.stop_training is True
    assert cb.reason == "requested"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), np.float32("nan")])
def test_non_finite_loss_stops_with_reason_nan(stopper, tiny_model, bad):
    cb, clock = stopper
    cb.on_train_batch_end(0, {"loss": 2.3, "accuracy": 0.1})
    assert tiny_model.stop_training is False
    cb.on_train_batch_end(1, {"loss": bad, "accuracy": 0.1})  # at once, whatever the clock says
    assert tiny_model.stop_training is True
    assert cb.reason == "nan"


def test_first_reason_wins_and_train_begin_resets(stopper, run, tiny_model):
    cb, clock = stopper
    run.request_stop()
    clock.now += 1
    cb.on_train_batch_end(0, {"loss": float("nan")})
    assert cb.reason == "nan"
    clock.now += 1
    cb.on_train_batch_end(1, {"loss": 1.0})
    assert cb.reason == "nan"
    cb.on_train_begin()
    assert cb.reason is None


def test_batch_without_loss_is_fine(stopper, tiny_model):
    cb, _ = stopper
    cb.on_train_batch_end(0, None)
    cb.on_train_batch_end(1, {})
    assert tiny_model.stop_training is False and cb.reason is None


# --- EpochPrinter ------------------------------------------------------------------------------


def test_epoch_printer_prints_one_line_per_epoch():
    lines = []
    cb = EpochPrinter(print_fn=lambda text, **kwargs: lines.append((text, kwargs)))
    cb.set_params({"epochs": 5})
    cb.on_epoch_end(0, {"loss": 0.56789, "accuracy": 0.8, "val_loss": 0.4, "val_accuracy": 0.85, "lr": 0.001})
    cb.on_epoch_end(1, {"loss": 0.5})
    assert lines == [
        ("epoch 1/5: loss 0.5679, accuracy 0.8000, val_loss 0.4000, val_accuracy 0.8500", {"flush": True}),
        ("epoch 2/5: loss 0.5000", {"flush": True}),
    ]


def test_epoch_printer_default_prints_to_stdout(capsys):
    cb = EpochPrinter()
    cb.set_params({"epochs": 1})
    cb.on_epoch_end(0, {"accuracy": 0.5})
    assert capsys.readouterr().out == "epoch 1/1: accuracy 0.5000\n"
