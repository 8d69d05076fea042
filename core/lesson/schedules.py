"""Learning-rate schedules: constant (the lesson), cosine decay, reduce-on-plateau; optional linear warm-up.

`learning_rate_at` is the schedule as a pure function of the step, so the
Train page and the tests can draw and check it without Keras. During
training `ScheduleCallback` sets the optimizer's learning rate before each
batch (a float variable, so a saved model loads anywhere without custom
objects), and `ReduceLROnPlateau` does the plateau schedule after warm-up.
"""

from __future__ import annotations

import math

COSINE_FLOOR = 0.01
"""Cosine decay ends at 1% of the peak rate, not 0, so the last epoch still learns a little."""

PLATEAU_FACTOR = 0.5
PLATEAU_PATIENCE = 1
PLATEAU_MIN_LR = 1e-5
WARMUP_START = 0.1
"""Warm-up rises linearly from 10% of the rate to the full rate."""


def warmup_steps(cfg, steps_per_epoch: int) -> int:
    return int(cfg.warmup_epochs) * int(steps_per_epoch)


def initial_learning_rate(cfg) -> float:
    """The rate of the first batch."""
    return cfg.learning_rate * (WARMUP_START if cfg.warmup_epochs else 1.0)


def learning_rate_at(step: int, cfg, steps_per_epoch: int) -> float:
    """The scheduled rate of batch `step` (counted from 0 over the whole run).

    Cosine decays over the run's total steps (`epochs * steps_per_epoch`)
    after warm-up; plateau and constant hold the rate after warm-up (the
    plateau callback lowers it when validation loss stalls).
    """
    peak = cfg.learning_rate
    warm = warmup_steps(cfg, steps_per_epoch)
    if step < warm:
        return peak * (WARMUP_START + (1.0 - WARMUP_START) * step / warm)
    if cfg.lr_schedule != "cosine":
        return peak
    total = max(1, cfg.epochs * steps_per_epoch - warm)
    progress = min(1.0, (step - warm) / total)
    return peak * (COSINE_FLOOR + (1.0 - COSINE_FLOOR) * 0.5 * (1.0 + math.cos(math.pi * progress)))


def schedule_callbacks(cfg, steps_per_epoch: int) -> list:
    """The Keras callbacks that carry out the run's schedule ([] for the lesson's constant rate)."""
    callbacks = []
    if cfg.lr_schedule == "cosine" or cfg.warmup_epochs:
        callbacks.append(ScheduleCallback(cfg, steps_per_epoch))
    if cfg.lr_schedule == "plateau":
        callbacks.append(_plateau(cfg))
    return callbacks


def _plateau(cfg):
    import keras

    class WarmPlateau(keras.callbacks.ReduceLROnPlateau):
        """ReduceLROnPlateau that starts watching once warm-up is over."""

        def on_epoch_end(self, epoch, logs=None):
            if epoch + 1 > cfg.warmup_epochs:
                super().on_epoch_end(epoch, logs)

    return WarmPlateau(
        monitor="val_loss", factor=PLATEAU_FACTOR, patience=PLATEAU_PATIENCE, min_lr=PLATEAU_MIN_LR, verbose=0
    )


def ScheduleCallback(cfg, steps_per_epoch: int):  # noqa: N802 - a Keras callback, made lazily
    import keras

    class _Schedule(keras.callbacks.Callback):
        """Sets the optimizer's rate before every batch (or chunk of batches, with `steps_per_execution`)."""

        def __init__(self):
            super().__init__()
            self.epoch = 0

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_begin(self, batch, logs=None):
            # `batch` is the first step of the call: with several steps per execution
            # the callback runs once per chunk, and the chunk shares one rate
            step = self.epoch * steps_per_epoch + batch
            warm = warmup_steps(cfg, steps_per_epoch)
            # after warm-up the plateau schedule belongs to ReduceLROnPlateau, the constant one needs nothing
            if step <= warm or cfg.lr_schedule == "cosine":
                self.model.optimizer.learning_rate.assign(learning_rate_at(step, cfg, steps_per_epoch))

    return _Schedule()
