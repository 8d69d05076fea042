"""The fit loop of one run: what a worker process (or `python -m core.train`) executes.

It follows the lesson: build, compile with adam and sparse categorical
cross-entropy, `fit` with a best-only checkpoint and EarlyStopping
(restore_best_weights), then reload the best checkpoint and evaluate it.
Everything it learns goes into the run folder; it never raises for a
failed run but records why in `status.json`.
"""

from __future__ import annotations

import errno
import os
import time
import traceback
from pathlib import Path

from core import messages
from core.lesson import data
from core.lesson.config import RunConfig
from core.services import run_store
from core.services.tensorboard import write_tensorboard_logs

CHANCE_LEVEL = 0.2  # ten classes: guessing gets 10%


def describe_failure(err: BaseException) -> list[tuple[str, dict]]:
    """Message parts a student can act on, for an exception that ended a run."""
    if isinstance(err, MemoryError):
        return [("out_of_memory", {})]
    if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT):
        return [("disk_full", {})]
    if isinstance(err, data.DatasetError):
        return [(err.key, err.values), (err.suffix, {})]
    return [("unexpected_error", {"error": f"{type(err).__name__}: {err}"})]


def _evaluate(model, x, y, batch_size: int = 500) -> tuple[float, float]:
    loss, accuracy = model.evaluate(x, y, batch_size=batch_size, verbose=0)
    return float(loss), float(accuracy)


def train_run(run_dir: Path, splits: data.Splits | None = None, print_fn=None) -> dict:
    """Train the run in `run_dir` to the end and record the outcome.

    Args:
        run_dir: a folder made by `run_store.create_run`.
        splits: the data; loaded (and split by the run's seed) when None.
        print_fn: prints one line per epoch when given.

    Returns:
        the run's status dict (`state` is finished, stopped or failed).
    """
    run_dir = Path(run_dir)
    started = time.time()
    try:
        run_store.set_status(run_dir, "running", [("status_preparing", {})], pid=os.getpid(), started=started)
        result = _fit(run_dir, run_store.read_config(run_dir), splits, print_fn)
        state, message = result.pop("state"), result.pop("message")
        result["seconds"] = round(time.time() - started, 1)
        run_store.write_json(run_dir / "result.json", result)
        write_tensorboard_logs(run_dir)  # `tensorboard --logdir runs` shows every run
        run_store.set_status(run_dir, state, message, ended=time.time())
        return run_store.read_status(run_dir)
    except BaseException as err:  # a failed run is recorded, never raised to the caller
        message = describe_failure(err)
        try:
            (run_dir / "error.txt").write_text(traceback.format_exc(), encoding="utf-8")
            run_store.set_status(run_dir, "failed", message, ended=time.time())
        except OSError:
            pass  # disk full: the queue records the failure when this process exits non-zero
        if isinstance(err, KeyboardInterrupt):
            raise
        return {"state": "failed", "message": " ".join(messages.text(k, **v) for k, v in message)}


def _fit(run_dir: Path, cfg: RunConfig, splits: data.Splits | None, print_fn) -> dict:
    import keras

    from core.lesson.callbacks import BestCheckpoint, EpochPrinter, KernelSnapshots, LiveProgress, StopConditions
    from core.lesson.model import build_model, compile_model

    keras.utils.set_random_seed(cfg.train.seed)
    if splits is None:
        splits = data.split(data.load_raw(), cfg.train.val_fraction, cfg.train.seed)
    x_train, y_train = data.subset(splits.x_train, splits.y_train, cfg.train.train_size, cfg.train.seed)
    model = build_model(cfg.model)
    compile_model(model, cfg.train)
    checkpoint = BestCheckpoint(run_dir)
    early = keras.callbacks.EarlyStopping(patience=cfg.train.patience, restore_best_weights=True)
    stop = StopConditions(run_dir)
    callbacks = [KernelSnapshots(run_dir), checkpoint, early, LiveProgress(run_dir), stop]
    if print_fn:
        callbacks.append(EpochPrinter(print_fn))
    run_store.set_status(run_dir, "running", [("status_training", {})])
    history = model.fit(
        x_train,
        y_train,
        batch_size=cfg.train.batch_size,
        epochs=cfg.train.epochs,
        validation_data=(splits.x_val, splits.y_val),
        callbacks=callbacks,
        verbose=0,
    )
    epochs_run = len(history.history.get("loss", []))
    if stop.reason == "nan":
        return _failed_nan(epochs_run)
    if not run_store.checkpoint_path(run_dir).is_file():
        return {
            "state": "stopped",
            "message": [("stopped_no_checkpoint", {})],
            "epochs_run": epochs_run,
        }
    best = run_store.load_model(run_dir)  # the lesson reloads the best checkpoint before evaluating
    best.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    val_loss, val_accuracy = _evaluate(best, splits.x_val, splits.y_val)
    test_loss, test_accuracy = _evaluate(best, splits.x_test, splits.y_test)
    if stop.reason == "requested":
        state, message = "stopped", [("stopped_on_request", {"epochs": epochs_run})]
    elif early.stopped_epoch:
        values = {"epochs": epochs_run, "patience": cfg.train.patience, "best": checkpoint.best_epoch}
        state, message = "finished", [("early_stopped", values)]
    else:
        state, message = "finished", [("finished_all", {"epochs": epochs_run})]
    if val_accuracy < CHANCE_LEVEL:
        message.append(("chance_level", {"accuracy": val_accuracy}))
    return {
        "state": state,
        "message": message,
        "val_loss": val_loss,
        "val_accuracy": val_accuracy,
        "test_loss": test_loss,
        "test_accuracy": test_accuracy,
        "epochs_run": epochs_run,
        "best_epoch": checkpoint.best_epoch,
        "early_stopped": bool(early.stopped_epoch),
    }


def _failed_nan(epochs_run: int) -> dict:
    return {
        "state": "failed",
        "message": [("nan_loss", {})],
        "epochs_run": epochs_run,
    }
