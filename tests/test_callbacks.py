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
from core.lesson.model import build_model
from core.services import run_store


class FakeClock:
    def __init__(self, now: float = 100.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def writes(monkeypatch):
    """Every run_store.write_json call, as (file name, data), still really written."""
    calls = []
    real = run_store.write_json

    def recording(path, data):
        calls.append((path.name, json.loads(json.dumps(data))))
        real(path, data)

    monkeypatch.setattr(run_store, "write_json", recording)
    return calls


@pytest.fixture(scope="module")
def tiny_model():
    return build_model(ModelConfig(conv_filters=(2, 3), dense_units=0, dropout=0))


def _progress_writes(calls):
    return [d for name, d in calls if name == "progress.json"]


# --- LiveProgress ------------------------------------------------------------------------------


def test_live_progress_throttles_batch_writes(tmp_path, writes):
    clock = FakeClock(100.0)
    cb = LiveProgress(tmp_path, min_interval=0.5, clock=clock)
    cb.set_params({"epochs": 3, "steps": 100})
    cb.on_train_begin()
    assert len(_progress_writes(writes)) == 1  # the "starting" picture
    cb.on_epoch_begin(0)

    # 50 batches within 0.49 s of the first write: nothing more is written.
    for batch in range(50):
        clock.now = 100.0 + batch * 0.01
        cb.on_train_batch_end(batch, {"loss": 2.0 - batch * 0.01, "accuracy": 0.1})
    assert len(_progress_writes(writes)) == 1

    # Once 0.5 s have passed: one write, then silence for another 0.5 s.
    for batch in range(50, 100):
        clock.now = 100.5 + (batch - 50) * 0.009  # 100.5 .. 100.941
        cb.on_train_batch_end(batch, {"loss": 1.0, "accuracy": 0.5 + batch / 1000})
    progress = _progress_writes(writes)
    assert len(progress) == 2
    written = progress[-1]
    assert written["batch"] == 51 and written["epoch"] == 1
    assert written["running_accuracy"] == pytest.approx(0.55)
    assert written["elapsed"] == pytest.approx(0.5)
    # ETA: 0.5 s for 51 of 300 steps -> 0.5 / 51 * 249 s to go.
    assert written["eta"] == pytest.approx(round(0.5 / 51 * 249, 1))
    assert (tmp_path / "progress.json").is_file()
    assert run_store.read_json(tmp_path / "progress.json")["batch"] == 51


def test_live_progress_epoch_end_writes_history_and_progress(tmp_path, writes):
    clock = FakeClock(10.0)
    cb = LiveProgress(tmp_path, clock=clock)
    cb.set_params({"epochs": 2, "steps": 25})
    cb.on_train_begin()
    first = _progress_writes(writes)[0]
    assert first["batch"] == 0 and first["epochs"] == 2 and first["eta"] is None
    assert first["running_loss"] is None

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

    history = run_store.read_json(tmp_path / "history.json")
    assert [row["epoch"] for row in history] == [1, 2]
    assert history[0]["seconds"] == pytest.approx(2.5)
    assert history[1]["loss"] == pytest.approx(0.4)
    assert set(history[0]) == {"epoch", "seconds", "loss", "accuracy", "val_loss", "val_accuracy"}
    last = run_store.read_json(tmp_path / "progress.json")
    assert last["epoch_done"] is True
    assert (last["epoch"], last["batch"], last["steps"]) == (2, 25, 25)
    assert last["eta"] == 0.0
    assert last["elapsed"] == pytest.approx(7.0)

    # A new fit starts a new history (state is reset in on_train_begin).
    cb.on_train_begin()
    cb.on_epoch_begin(0)
    cb.on_epoch_end(0, {"loss": 1.0})
    assert [row["epoch"] for row in run_store.read_json(tmp_path / "history.json")] == [1]


# --- BestCheckpoint ----------------------------------------------------------------------------


def _set_conv1(model, value: float) -> None:
    kernel, bias = model.get_layer("conv1").get_weights()
    model.get_layer("conv1").set_weights([np.full_like(kernel, value), bias])


def _saved_conv1(run_dir) -> np.ndarray:
    return run_store.load_model(run_dir).get_layer("conv1").get_weights()[0]


def test_best_checkpoint_keeps_only_improvements(tmp_path, tiny_model):
    cb = BestCheckpoint(tmp_path)
    cb.set_model(tiny_model)
    cb.on_train_begin()
    assert not run_store.checkpoint_path(tmp_path).exists()

    _set_conv1(tiny_model, 0.1)
    cb.on_epoch_end(0, {"loss": 1.0, "val_loss": 0.9})
    assert cb.best_epoch == 1 and cb.best == 0.9
    np.testing.assert_allclose(_saved_conv1(tmp_path), 0.1)

    _set_conv1(tiny_model, 0.2)
    cb.on_epoch_end(1, {"val_loss": 1.2})  # worse: not saved
    cb.on_epoch_end(2, {"loss": 0.1})  # no validation: not saved
    cb.on_epoch_end(3, {"val_loss": float("nan")})  # NaN is never "better"
    assert cb.best_epoch == 1
    np.testing.assert_allclose(_saved_conv1(tmp_path), 0.1)

    _set_conv1(tiny_model, 0.3)
    cb.on_epoch_end(4, {"val_loss": 0.5})
    assert (cb.best_epoch, cb.best) == (5, 0.5)
    loaded = run_store.load_model(tmp_path)
    np.testing.assert_allclose(loaded.get_layer("conv1").get_weights()[0], 0.3)
    for mine, theirs in zip(tiny_model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, theirs)
    # Only the checkpoint is left: no temporary file beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["best.keras"]

    cb.on_train_begin()  # a new fit forgets the old best
    assert cb.best == math.inf and cb.best_epoch is None


# --- KernelSnapshots ---------------------------------------------------------------------------


def test_kernel_snapshots_before_and_after_each_epoch(tmp_path, tiny_model):
    cb = KernelSnapshots(tmp_path)
    cb.set_model(tiny_model)
    _set_conv1(tiny_model, 0.0)
    cb.on_train_begin()
    _set_conv1(tiny_model, 1.5)
    cb.on_epoch_end(0, {"loss": 1.0})
    cb.on_epoch_end(1, {"loss": 0.9})
    assert run_store.kernel_epochs(tmp_path) == [0, 1, 2]
    before, after = run_store.load_kernels(tmp_path, 0), run_store.load_kernels(tmp_path, 2)
    assert set(before) == {"conv1.kernel", "conv1.bias", "conv2.kernel", "conv2.bias"}
    assert before["conv1.kernel"].shape == (3, 3, 1, 2)
    assert before["conv2.kernel"].shape == (3, 3, 2, 3)
    assert before["conv2.bias"].shape == (3,)
    assert np.all(before["conv1.kernel"] == 0) and np.all(after["conv1.kernel"] == 1.5)
    np.testing.assert_array_equal(after["conv2.kernel"], np.asarray(tiny_model.get_layer("conv2").kernel))
    assert sorted(p.name for p in (tmp_path / "kernels").iterdir()) == [
        "epoch_000.npz",
        "epoch_001.npz",
        "epoch_002.npz",
    ]


def test_conv_weights_reads_every_conv_layer(tiny_model):
    weights = conv_weights(tiny_model)
    assert list(weights) == ["conv1.kernel", "conv1.bias", "conv2.kernel", "conv2.bias"]
    np.testing.assert_array_equal(weights["conv2.bias"], np.asarray(tiny_model.get_layer("conv2").bias))


# --- StopConditions ----------------------------------------------------------------------------


@pytest.fixture
def stopper(tmp_path, tiny_model):
    clock = FakeClock(50.0)
    cb = StopConditions(tmp_path, check_interval=0.2, clock=clock)
    cb.set_model(tiny_model)
    tiny_model.stop_training = False
    cb.on_train_begin()
    yield cb, clock
    tiny_model.stop_training = False


def test_stop_file_stops_with_reason_requested(stopper, tmp_path, tiny_model):
    cb, clock = stopper
    cb.on_train_batch_end(0, {"loss": 2.3})
    assert tiny_model.stop_training is False and cb.reason is None

    run_store.request_stop(tmp_path)
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


def test_first_reason_wins_and_train_begin_resets(stopper, tmp_path, tiny_model):
    cb, clock = stopper
    run_store.request_stop(tmp_path)
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
