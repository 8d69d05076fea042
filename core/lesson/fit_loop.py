"""The fit loop of one run: what a worker process (or `python -m core.train`) executes.

It follows the lesson: build, compile with adam and sparse categorical
cross-entropy, `fit` with a best-only checkpoint and EarlyStopping
(restore_best_weights), then reload the best checkpoint and evaluate it.
Everything it learns goes into the run it is given (`core.services.run_store.Run`,
or a remote worker's stand-in with the same writers); it never raises for a
failed run but records why in the run's status.
"""

from __future__ import annotations

import errno
import os
import time
import traceback

import numpy as np

from core.lesson import data, numerics
from core.lesson.config import RunConfig
from core.messages import Message

NEAR_CHANCE = 0.2
"""Ten classes: guessing gets 10%. A run whose validation accuracy stays
below twice that learned next to nothing, and the student is told why."""


def describe_failure(err: BaseException) -> list[Message]:
    """Messages a student can act on, for an exception that ended a run."""
    if isinstance(err, MemoryError):
        return [Message("out_of_memory")]
    if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT):
        return [Message("disk_full")]
    if isinstance(err, data.DatasetError):
        return [err.message, Message(err.suffix)]
    return [Message("unexpected_error", {"error": f"{type(err).__name__}: {err}"})]


def _evaluate(model, x, y, batch_size: int = 500) -> tuple[float, float]:
    loss, accuracy = model.evaluate(x, y, batch_size=batch_size, verbose=0)
    return float(loss), float(accuracy)


def train_run(run, splits: data.Splits | None = None, print_fn=None) -> tuple[str, list[Message]]:
    """Train a queued run to the end and record the outcome in it.

    Args:
        run: a `core.services.run_store.Run` made by `create_run` (or a
            stand-in with the same readers and writers).
        splits: the data; loaded (and split by the run's seed) when None.
        print_fn: prints one line per epoch when given.

    Returns:
        `(state, messages)`: state is finished, stopped or failed.
    """
    started = time.time()
    try:
        run.set_status("running", [Message("status_preparing")], pid=os.getpid(), started=started)
        result = _fit(run, run.config(), splits, print_fn)
        state, messages = result.pop("state"), result.pop("message")
        result["seconds"] = round(time.time() - started, 1)
        run.write_result(result)
        run.set_status(state, messages, ended=time.time())
        return state, messages
    except BaseException as err:  # a failed run is recorded, never raised to the caller
        messages = describe_failure(err)
        try:
            run.write_error(traceback.format_exc())
            run.set_status("failed", messages, ended=time.time())
        except OSError:
            pass  # disk full: the queue records the failure when this process exits non-zero
        if isinstance(err, KeyboardInterrupt):
            raise
        return "failed", messages


def _fit(run, cfg: RunConfig, splits: data.Splits | None, print_fn) -> dict:
    """The lesson's build, compile and fit; the run's result with its `state` and `message` (see `train_run`)."""
    numerics.prepare_process(cfg)  # before TensorFlow loads (a worker is a fresh process)
    import keras

    from core.lesson import sketches
    from core.lesson.augment import training_dataset
    from core.lesson.callbacks import BestCheckpoint, KernelSnapshots, LiveProgress, StopConditions
    from core.lesson.history import MONITOR_MODES
    from core.lesson.model import build_model, compile_model

    keras.utils.set_random_seed(cfg.train.seed)
    if splits is None:
        splits = data.split(data.load_raw(), cfg.train.val_fraction, cfg.train.seed)
    x_train, y_train = data.subset(splits.x_train, splits.y_train, cfg.train.train_size, cfg.train.seed)
    if cfg.train.training_drawings:  # drawings from a hand never used to measure (core.lesson.sketches)
        drawings, labels = sketches.load()
        x_train = np.concatenate([x_train, drawings.astype(x_train.dtype)])
        y_train = np.concatenate([y_train, labels.astype(y_train.dtype)])
    # fast math: batches per call, bfloat16 where the CPU has it (the policy holds only inside this block)
    with numerics.fast_path(cfg) as path:
        model = build_model(cfg.model)
        compile_model(model, cfg.train, steps_per_execution=path["steps_per_execution"])
    monitor = cfg.train.monitor  # what the checkpoint and early stopping watch (core.lesson.history)
    checkpoint = BestCheckpoint(run, monitor)
    early = keras.callbacks.EarlyStopping(
        monitor=monitor, mode=MONITOR_MODES[monitor], patience=cfg.train.patience, restore_best_weights=True
    )
    stop = StopConditions(run)
    callbacks = [KernelSnapshots(run), checkpoint, early, LiveProgress(run), stop]
    if cfg.train.ema:  # first: every callback after it (the checkpoint too) sees the averaged weights
        callbacks.insert(0, keras.callbacks.SwapEMAWeights(swap_on_epoch=True))
    callbacks += _extra_callbacks(run, cfg, len(x_train), print_fn)
    # augmentation and drawing-style images while training only (core.lesson.augment, core.lesson.drawing_style)
    batches = training_dataset(
        x_train, y_train, cfg.train.batch_size, cfg.train.augmentation, cfg.train.seed, cfg.train.drawing_style
    )
    run.set_status("running", [Message("status_training")])
    history = model.fit(
        x_train if batches is None else batches,
        y_train if batches is None else None,
        batch_size=cfg.train.batch_size if batches is None else None,
        shuffle=batches is None,  # the augmented dataset shuffles itself
        epochs=cfg.train.epochs,
        validation_data=(splits.x_val, splits.y_val),
        validation_batch_size=path["validation_batch_size"],
        callbacks=callbacks,
        verbose=0,
    )
    epochs_run = len(history.history.get("loss", []))
    if stop.reason == "nan":
        return {**_failed_nan(epochs_run), "numerics": path}
    if not run.has_checkpoint():
        stopped = [Message("stopped_no_checkpoint")]
        return {"state": "stopped", "message": stopped, "epochs_run": epochs_run, "numerics": path}
    scores = _evaluate_best(run, splits)
    state, message = _ending(stop.reason, early.stopped_epoch, epochs_run, cfg.train.patience, checkpoint.best_epoch)
    if scores["val_accuracy"] < NEAR_CHANCE:
        message.append(Message("chance_level", {"accuracy": scores["val_accuracy"]}))
    return {
        "state": state,
        "message": message,
        **scores,
        "epochs_run": epochs_run,
        "best_epoch": checkpoint.best_epoch,
        "early_stopped": bool(early.stopped_epoch),
        "numerics": path,  # which arithmetic trained this run (core.lesson.numerics.plan)
    }


def _extra_callbacks(run, cfg: RunConfig, train_images: int, print_fn) -> list:
    """TensorBoard, the epoch printer and the learning-rate schedule: callbacks `_fit` never asks anything after."""
    import keras

    from core.lesson.callbacks import EpochPrinter
    from core.lesson.schedules import schedule_callbacks

    # `tensorboard --logdir runs` shows every run: the curves, and the kernels' histograms epoch by epoch.
    callbacks = [keras.callbacks.TensorBoard(run.log_dir, histogram_freq=1, write_graph=False)]
    if print_fn:
        callbacks.append(EpochPrinter(print_fn))
    # learning-rate schedule (core.lesson.schedules)
    return callbacks + schedule_callbacks(cfg.train, -(-train_images // cfg.train.batch_size))


def _evaluate_best(run, splits: data.Splits) -> dict:
    """Validation and test scores of the best checkpoint: the model every page loads, not the last epoch's.

    The lesson, too, reloads the best checkpoint before evaluating.
    """
    best = run.load_model()
    best.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    val_loss, val_accuracy = _evaluate(best, splits.x_val, splits.y_val)
    test_loss, test_accuracy = _evaluate(best, splits.x_test, splits.y_test)
    return {"val_loss": val_loss, "val_accuracy": val_accuracy, "test_loss": test_loss, "test_accuracy": test_accuracy}


def _ending(
    stop_reason: str | None, stopped_epoch: int, epochs_run: int, patience: int, best_epoch: int | None
) -> tuple[str, list[Message]]:
    """How a run that kept a checkpoint ended: the state, and messages that tell the student why it stopped."""
    if stop_reason == "requested":
        return "stopped", [Message("stopped_on_request", {"epochs": epochs_run})]
    if stopped_epoch:
        values = {"epochs": epochs_run, "patience": patience, "best": best_epoch}
        return "finished", [Message("early_stopped", values)]
    return "finished", [Message("finished_all", {"epochs": epochs_run})]


def _failed_nan(epochs_run: int) -> dict:
    return {
        "state": "failed",
        "message": [Message("nan_loss")],
        "epochs_run": epochs_run,
    }
