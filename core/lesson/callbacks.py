"""The Keras callbacks a training run uses besides EarlyStopping.

Each is small, resets its state in `on_train_begin`, and talks to the world
only through a run (`core.services.run_store.Run`, or anything with the same
writers, such as a remote worker's sender), so the Streamlit page can follow
a run that trains in another process or on another machine. Batch-level hooks are marked
`async_safe`: Keras then calls them off the training thread, which keeps
the per-batch cost of live progress near zero.
"""

from __future__ import annotations

import math
import time

import keras
import numpy as np

from core.lesson.history import Progress, badness


def conv_weights(model) -> dict[str, np.ndarray]:
    """`{"conv1.kernel": (k, k, in, out), "conv1.bias": (out,), ...}` of every Conv2D layer."""
    weights = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            kernel, bias = layer.get_weights()
            weights[f"{layer.name}.kernel"] = kernel
            weights[f"{layer.name}.bias"] = bias
    return weights


class LiveProgress(keras.callbacks.Callback):
    """Writes `progress.json` (at most every `min_interval` s) and `history.json` (every epoch).

    Args:
        run: where progress goes (`write_progress`, `write_history`).
        min_interval: seconds between two progress writes within an epoch.
            Default 0.5: the page refreshes about once a second.
        clock: time source, replaceable in tests.
    """

    async_safe = True
    max_curve_points = 600  # 5 minutes of one epoch at two points a second

    def __init__(self, run, min_interval: float = 0.5, clock=time.monotonic):
        super().__init__()
        self.run = run
        self.min_interval = min_interval
        self.clock = clock

    def on_train_begin(self, logs=None):
        self.history = []
        self.started = self.clock()
        self.last_write = -math.inf
        self.epoch = 0
        self.epoch_started = self.started
        self.batch_logs = {}
        self.batch_curve = []
        self._write(batch=0)

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self.epoch_started = self.clock()
        self.batch_logs = {}
        self.batch_curve = []

    def on_train_batch_end(self, batch, logs=None):
        now = self.clock()
        if now - self.last_write >= self.min_interval:
            # With steps_per_execution N (fast math) Keras calls this after every N-th batch and numbers
            # the epoch's last, shorter chunk as if it were full: never count past the epoch's end.
            done = min(batch + 1, self.params.get("steps") or batch + 1)
            self.batch_logs = dict(logs or {})
            if "loss" in self.batch_logs and len(self.batch_curve) < self.max_curve_points:
                self.batch_curve.append((done, float(self.batch_logs["loss"])))
            self._write(batch=done, now=now)

    def on_epoch_end(self, epoch, logs=None):
        now = self.clock()
        row = {"epoch": epoch + 1, "seconds": round(now - self.epoch_started, 3)}
        row.update({key: float(value) for key, value in (logs or {}).items()})
        self.history.append(row)
        self.run.write_history(self.history)
        self.batch_logs = {}
        self.batch_curve = []
        self._write(batch=self.params.get("steps") or 0, now=now, epoch_done=True)

    def _write(self, batch: int, now: float | None = None, epoch_done: bool = False) -> None:
        now = self.clock() if now is None else now
        self.last_write = now
        steps = self.params.get("steps") or 0
        epochs = self.params.get("epochs") or 0
        done = self.epoch * steps + batch
        elapsed = now - self.started
        eta = elapsed / done * (epochs * steps - done) if done else None
        self.run.write_progress(
            Progress(
                epoch=self.epoch + 1,
                epochs=epochs,
                batch=batch,
                steps=steps,
                epoch_done=epoch_done,
                # Keras's per-batch loss is the running mean since the epoch began.
                running_loss=_float(self.batch_logs.get("loss")),
                running_accuracy=_float(self.batch_logs.get("accuracy")),
                batch_curve=tuple(self.batch_curve),
                elapsed=round(elapsed, 2),
                eta=None if eta is None else round(eta, 1),
                updated=time.time(),
            )
        )


def _float(value) -> float | None:
    """A Keras log value (a Python or NumPy number) as a plain float, which JSON can hold."""
    return None if value is None else float(value)


class BestCheckpoint(keras.callbacks.Callback):
    """Saves the model with the best `monitor` value (the lesson: lowest `val_loss`) as the checkpoint, atomically.

    Keras's ModelCheckpoint writes straight onto the target, so a kill while
    saving would leave a broken file; `run.save_checkpoint` writes a temporary
    file that replaces the old checkpoint only once it is complete.
    """

    def __init__(self, run, monitor: str = "val_loss"):
        super().__init__()
        self.run = run
        self.monitor = monitor

    def on_train_begin(self, logs=None):
        self.best = math.inf
        self.best_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        score = badness((logs or {}).get(self.monitor), self.monitor)
        if score < self.best:
            self.best, self.best_epoch = score, epoch + 1
            self.run.save_checkpoint(self.model)


class KernelSnapshots(keras.callbacks.Callback):
    """Stores the conv kernels before training (epoch 0) and after every epoch."""

    def __init__(self, run):
        super().__init__()
        self.run = run

    def on_train_begin(self, logs=None):
        self.run.save_kernels(0, conv_weights(self.model))

    def on_epoch_end(self, epoch, logs=None):
        self.run.save_kernels(epoch + 1, conv_weights(self.model))


class StopConditions(keras.callbacks.Callback):
    """Stops at the next batch when a stop is requested or the loss is not finite.

    `reason` is then "requested" or "nan" (None while training goes on).

    Args:
        run: asked with `stop_requested()` whether someone wants the run to stop.
        check_interval: seconds between two looks for the stop file. Default 0.2.
    """

    async_safe = True

    def __init__(self, run, check_interval: float = 0.2, clock=time.monotonic):
        super().__init__()
        self.run = run
        self.check_interval = check_interval
        self.clock = clock

    def on_train_begin(self, logs=None):
        self.reason = None
        self.last_check = -math.inf

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            self._stop("nan")
        now = self.clock()
        if now - self.last_check >= self.check_interval:
            self.last_check = now
            if self.run.stop_requested():
                self._stop("requested")

    def _stop(self, reason: str) -> None:
        self.reason = self.reason or reason
        self.model.stop_training = True


class EpochPrinter(keras.callbacks.Callback):
    """One line per epoch, for the command line and the worker's log."""

    def __init__(self, print_fn=print):
        super().__init__()
        self.print_fn = print_fn

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        parts = [f"{key} {logs[key]:.4f}" for key in ("loss", "accuracy", "val_loss", "val_accuracy") if key in logs]
        self.print_fn(f"epoch {epoch + 1}/{self.params.get('epochs')}: " + ", ".join(parts), flush=True)
