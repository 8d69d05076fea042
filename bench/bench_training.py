"""Epoch time through CNN Lab's training path vs the lesson's plain `model.fit`, and fast math's accuracy.

Speed (always):
(a) the seed script: build, compile (adam, float32), `fit` batch 32 with
    ModelCheckpoint(save_best_only) and EarlyStopping(patience=2, restore_best_weights=True);
(b) `core.lesson.fit_loop.train_run` on a run folder with the Lesson preset and
    fast math on (`core.lesson.numerics`): the same fit plus live progress,
    atomic checkpoint, kernel snapshots, stop checks and TensorBoard logs;
(c) the same for the Best preset, with fast math on and off.
Each measurement is a fresh Python process, as a training worker is
(TensorFlow's thread pools are fixed when it starts), training `--epochs`
epochs; the last epoch's time is compared (the first also traces the graph).
Plain and app alternate a, b, a, b so that a busy machine slows both alike;
the best of each is compared. Goal: b / a <= 0.70. The longest gap between
two batch-level callbacks of (b) bounds how often live progress and Stop can
react (goal: well under 1 s).

Accuracy (`--accuracy`, long: six full Lesson runs with early stopping):
the Lesson preset on the full data with fast math on and off, for each of
3 seeds; the best validation accuracy of each run, the means and their
difference. Goal: within 0.3 points.

    python bench/bench_training.py [--subset N] [--epochs 2] [--repeats 2] [--no-best]
    python bench/bench_training.py --accuracy [--seeds 42 43 44] [--keep DIR] [--save FILE]

Run it alone: other heavy work on the machine skews the times.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from core.lesson.config import RunConfig  # noqa: E402
from core.lesson.presets import PRESETS  # noqa: E402


def _epoch_timer():
    import keras

    class EpochTimer(keras.callbacks.Callback):
        """Times each epoch as LiveProgress does: from epoch begin to epoch end (validation included)."""

        def on_train_begin(self, logs=None):
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.monotonic()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.monotonic() - self.started)

    return EpochTimer()


def plain_fit(cfg: RunConfig, splits, x, y, folder: Path, epochs: int = 1) -> float:
    """Seconds of the last of `epochs` epochs of the lesson's plain `fit` (other benchmarks use it)."""
    return plain_fit_epochs(cfg, splits, x, y, folder, epochs)[-1]


def plain_fit_epochs(cfg: RunConfig, splits, x, y, folder: Path, epochs: int = 1) -> list[float]:
    """Seconds of each epoch of the lesson's plain `fit` (float32, one batch per step)."""
    import keras

    from core.lesson.model import build_model, compile_model

    keras.utils.set_random_seed(cfg.train.seed)
    model = build_model(cfg.model)
    compile_model(model, cfg.train)
    timer = _epoch_timer()
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
    return timer.seconds


def _watch_batch_hooks() -> list[float]:
    """Record the gaps between two batch-level callbacks (of StopConditions) within the latest epoch.

    The first epoch's first gap also holds the graph's tracing, so only the
    last epoch of a measurement counts (steady state, as in a long run).
    """
    from core.lesson.callbacks import StopConditions

    gaps: list[float] = []
    last = {"t": None}
    original = StopConditions.on_train_batch_end

    def on_epoch_begin(self, epoch, logs=None):
        last["t"] = time.monotonic()
        gaps.clear()

    def on_train_batch_end(self, batch, logs=None):
        now = time.monotonic()
        if last["t"] is not None:
            gaps.append(now - last["t"])
        last["t"] = now
        original(self, batch, logs)

    StopConditions.on_epoch_begin = on_epoch_begin
    StopConditions.on_train_batch_end = on_train_batch_end
    return gaps


def app_path(cfg: RunConfig, splits, folder: Path) -> dict:
    """Epoch seconds, the numerics used and the longest callback gap of `train_run` on a new run folder."""
    from core.lesson import numerics
    from core.lesson.fit_loop import train_run
    from core.services import run_store

    numerics.prepare_process(cfg)  # what train_run does first; the hooks below load TensorFlow
    gaps = _watch_batch_hooks()
    run = run_store.create_run(cfg, name="bench", root=folder)
    state, messages = train_run(run, splits=splits)
    assert state in ("finished", "stopped"), (state, [str(m) for m in messages])
    return {
        "seconds": [row["seconds"] for row in run.history()],
        "numerics": run.result().get("numerics"),
        "longest_gap": max(gaps, default=None),
    }


def child(args) -> dict:
    """One measurement, in this fresh process."""
    from core.lesson import data

    cfg = PRESETS[args.preset].with_values(epochs=args.epochs, train_size=args.subset, fast_math=args.child == "fast")
    splits = data.split(data.load_raw(download=False))
    with tempfile.TemporaryDirectory() as tmp:
        if args.child == "plain":
            x, y = data.subset(splits.x_train, splits.y_train, cfg.train.train_size, cfg.train.seed)
            return {"seconds": plain_fit_epochs(cfg, splits, x, y, Path(tmp), args.epochs)}
        return app_path(cfg, splits, Path(tmp))


def measure(kind: str, preset: str, args) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--preset", preset, "--epochs", str(args.epochs)]
    if args.subset:
        command += ["--subset", str(args.subset)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{kind} {preset} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def describe(path: dict | None) -> str:
    if not path:
        return "?"
    if not path["fast_math"]:
        return "fast math off: float32, 1 batch per call"
    threads = f"threads {path['intra_op_threads']}/{path['inter_op_threads']}"
    kernels = "oneDNN" if path.get("onednn") else "Eigen"
    return f"{path['precision']}, {kernels}, {path['steps_per_execution']} batches per call, {threads}"


def _seconds(samples: list[dict]) -> list[float]:
    return [s["seconds"][-1] for s in samples]


def speed(args) -> dict:
    load_before = os.getloadavg()
    plain, fast = [], []
    for _ in range(args.repeats):
        plain.append(measure("plain", "lesson", args))
        fast.append(measure("fast", "lesson", args))
    a, b = min(_seconds(plain)), min(_seconds(fast))
    images = args.subset or RunConfig().train.effective_train_size()
    print(f"{images:,} training images, epoch {args.epochs} of {args.epochs}; each process trains from scratch")
    print(f"{'path':<58}{'epoch seconds (each)':<24}{'best':>7}")
    print(f"{'(a) plain model.fit, seed script (float32, batch 32)':<58}{_each(plain):<24}{a:>7.2f}")
    print(f"{'(b) app, Lesson preset, fast math':<58}{_each(fast):<24}{b:>7.2f}")
    gap = max(s["longest_gap"] or 0 for s in fast)
    print(f"    path: {describe(fast[-1]['numerics'])}; longest gap between batch callbacks {gap:.2f} s (last epoch)")
    print(f"ratio b/a = {b / a:.3f} (goal <= 0.70)")
    out = {"plain": a, "app": b, "ratio": b / a, "images": images, "longest_gap": gap, "path": fast[-1]["numerics"]}
    if args.best:
        best_fast = [measure("fast", "best", args) for _ in range(args.repeats)]
        best_f32 = [measure("float32", "best", args) for _ in range(args.repeats)]
        c, d = min(_seconds(best_fast)), min(_seconds(best_f32))
        print(f"{'(c) app, Best preset, fast math':<58}{_each(best_fast):<24}{c:>7.2f}")
        print(f"{'(d) app, Best preset, fast math off':<58}{_each(best_f32):<24}{d:>7.2f}")
        print(f"    path: {describe(best_fast[-1]['numerics'])}")
        print(f"Best preset: c/d = {c / d:.3f} (fast math vs off), c/a = {c / a:.3f} (vs the seed script)")
        out.update({"best_fast": c, "best_float32": d, "best_ratio": c / d})
    load_after = os.getloadavg()
    print(f"load average (1 min) before {load_before[0]:.1f}, after {load_after[0]:.1f} on {os.cpu_count()} cores")
    return out


def _each(samples: list[dict]) -> str:
    return ", ".join(f"{s:.2f}" for s in _seconds(samples))


# ---------------------------------------------------------------- accuracy over seeds


def full_run(seed: int, fast: bool, folder: Path) -> dict:
    """One Lesson-preset run on the full data through `python -m core.train`, as the app's workers train."""
    from core.services import run_store

    run = run_store.Run(folder / f"{'fast' if fast else 'float32'}-seed{seed}")
    if not run.has_result():  # a kept folder from an earlier bench run is reused
        command = [sys.executable, "-m", "core.train", "--seed", str(seed), "--json", "--out", str(run.path)]
        command.append("--fast-math" if fast else "--no-fast-math")
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"seed {seed} fast={fast} failed:\n{done.stderr[-3000:]}")
    history, result = run.history(), run.result()
    reached = [row for row in history if row.get("val_accuracy", 0) >= 0.91]
    return {
        "seed": seed,
        "fast": fast,
        "best_val_accuracy": max(row["val_accuracy"] for row in history),
        "val_accuracy": result["val_accuracy"],
        "test_accuracy": result["test_accuracy"],
        "epochs_run": result["epochs_run"],
        "best_epoch": result["best_epoch"],
        "seconds": result["seconds"],
        "epoch_seconds": sum(row["seconds"] for row in history) / len(history),
        "to_91": (sum(r["seconds"] for r in history[: reached[0]["epoch"]]), reached[0]["epoch"]) if reached else None,
        "numerics": result.get("numerics"),
    }


def accuracy(args) -> dict:
    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for seed in args.seeds:
            for fast in (True, False):
                rows.append(full_run(seed, fast, folder))
                r = rows[-1]
                print(
                    f"seed {seed:>3} {'fast   ' if fast else 'float32'}: best val {r['best_val_accuracy']:.2%}, "
                    f"test {r['test_accuracy']:.2%}, best epoch {r['best_epoch']} of {r['epochs_run']}, "
                    f"{r['epoch_seconds']:.1f} s/epoch, {r['seconds']:.0f} s in all "
                    f"({describe(r['numerics'])})",
                    flush=True,
                )
    fast_mean = sum(r["best_val_accuracy"] for r in rows if r["fast"]) / len(args.seeds)
    f32_mean = sum(r["best_val_accuracy"] for r in rows if not r["fast"]) / len(args.seeds)
    diff = (fast_mean - f32_mean) * 100
    print(
        f"best validation accuracy over seeds {', '.join(map(str, args.seeds))}: fast {fast_mean:.2%}, "
        f"float32 {f32_mean:.2%}, difference {diff:+.2f} points (goal within 0.3)"
    )
    load_after = os.getloadavg()
    print(f"load average (1 min) before {load_before[0]:.1f}, after {load_after[0]:.1f} on {os.cpu_count()} cores")
    if args.save:
        Path(args.save).write_text(json.dumps(rows, indent=1) + "\n")
    return {"fast_mean": fast_mean, "float32_mean": f32_mean, "difference_points": diff, "runs": rows}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", type=int, help="train on this many images (default: all 48,000)")
    parser.add_argument("--epochs", type=int, default=2, help="epochs per measurement; the last is timed")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-best", dest="best", action="store_false", help="skip the Best preset's lines")
    parser.add_argument("--accuracy", action="store_true", help="also the 3-seed accuracy check (long)")
    parser.add_argument("--seeds", nargs="+", type=int, default=[42, 43, 44])
    parser.add_argument("--keep", help="with --accuracy: keep the run folders here (runs already there are reused)")
    parser.add_argument("--save", help="with --accuracy: write every run's numbers to this JSON file")
    parser.add_argument("--child", choices=("plain", "fast", "float32"), help=argparse.SUPPRESS)
    parser.add_argument("--preset", default="lesson", choices=sorted(PRESETS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return {}
    out = speed(args)
    if args.accuracy:
        out["accuracy"] = accuracy(args)
    return out


if __name__ == "__main__":
    main()
