"""Epoch time through CNN Lab's training path vs the lesson's plain `model.fit`.

(a) the lesson: build, compile, `fit` one epoch with ModelCheckpoint(save_best_only)
    and EarlyStopping(patience=2, restore_best_weights=True);
(b) `core.lesson.fit_loop.train_run` on a run folder: the same fit plus live progress,
    atomic checkpoint, kernel snapshots and stop checks.
Both train the default model one epoch on the same data in this process,
alternating a, b, a, b so that a busy machine slows both alike; the best of
each is compared. The target is b / a <= 1.05.

    python bench/bench_training.py [--subset N] [--repeats 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from core.lesson import data  # noqa: E402
from core.lesson.config import RunConfig, TrainConfig  # noqa: E402
from core.lesson.fit_loop import train_run  # noqa: E402
from core.lesson.model import build_model, compile_model  # noqa: E402
from core.services import run_store  # noqa: E402


class EpochTimer(keras.callbacks.Callback):
    """Times each epoch as LiveProgress does: from epoch begin to epoch end (validation included)."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.monotonic()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.monotonic() - self.started)


def plain_fit(cfg: RunConfig, splits: data.Splits, x, y, folder: Path, epochs: int = 1) -> float:
    """Seconds of the last of `epochs` epochs of the lesson's plain `fit`."""
    keras.utils.set_random_seed(cfg.train.seed)
    model = build_model(cfg.model)
    compile_model(model, cfg.train)
    timer = EpochTimer()
    model.fit(
        x,
        y,
        batch_size=cfg.train.batch_size,
        epochs=epochs,
        validation_data=(splits.x_val, splits.y_val),
        callbacks=[
            keras.callbacks.ModelCheckpoint(str(folder / "best-cnn-model.keras"), save_best_only=True),
            keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True),
            timer,
        ],
        verbose=0,
    )
    return timer.seconds[-1]


def app_path(cfg: RunConfig, splits: data.Splits, folder: Path) -> float:
    run = run_store.create_run(cfg, name="bench", root=folder)
    state, messages = train_run(run, splits=splits)
    assert state == "finished", (state, [str(m) for m in messages])
    return run.history()[0]["seconds"]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", type=int, help="train on this many images (default: all 48,000)")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    cfg = RunConfig(train=TrainConfig(epochs=1, train_size=args.subset))
    splits = data.split(data.load_raw(download=False))
    x, y = data.subset(splits.x_train, splits.y_train, cfg.train.train_size, cfg.train.seed)
    plain, app = [], []
    with tempfile.TemporaryDirectory() as tmp:
        plain_fit(cfg, splits, x[:2000], y[:2000], Path(tmp))  # warm-up: graph tracing, oneDNN kernels
        for _ in range(args.repeats):
            plain.append(plain_fit(cfg, splits, x, y, Path(tmp)))
            app.append(app_path(cfg, splits, Path(tmp)))
    a, b = min(plain), min(app)
    print(f"{'path':<34}{'epoch seconds (each)':<28}{'best':>8}")
    print(f"{'(a) plain model.fit (lesson)':<34}{', '.join(f'{s:.2f}' for s in plain):<28}{a:>8.2f}")
    print(f"{'(b) core.lesson.fit_loop.train_run':<34}{', '.join(f'{s:.2f}' for s in app):<28}{b:>8.2f}")
    print(f"ratio b/a = {b / a:.3f} (target <= 1.05) on {len(x):,} images")
    return {"plain": a, "app": b, "ratio": b / a, "images": len(x)}


if __name__ == "__main__":
    main()
