"""Train from the shell: `python -m core.train [--epochs 20] [--subset 3000] [--json]`.

The app's training workers run this same module with `--run-dir` on a
folder the queue prepared, so the shell and the app train identically.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from core.lesson.config import ConfigError, RunConfig
from core.lesson.presets import PRESETS
from core.services import run_store


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m core.train", description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="lesson", help="starting settings")
    parser.add_argument("--epochs", type=int, help="most epochs (lesson: 20)")
    parser.add_argument("--batch-size", type=int, help="images per step (lesson: 32)")
    parser.add_argument("--subset", type=int, help="train on this many images (default: all 48,000)")
    parser.add_argument("--seed", type=int, help="seed for split, subset and weights (lesson: 42)")
    parser.add_argument("--learning-rate", type=float, help="optimizer step size (adam: 0.001)")
    parser.add_argument("--optimizer", choices=("adam", "sgd", "rmsprop"))
    parser.add_argument("--patience", type=int, help="early-stopping patience (lesson: 2)")
    parser.add_argument("--name", default="", help="display name of the run")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, help="folder for the new run (default: a new folder under the runs folder)")
    where.add_argument("--run-dir", type=Path, help="train an existing queued run folder (used by the app's workers)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of results")
    return parser.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> RunConfig:
    base = PRESETS[args.preset]
    overrides = {
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "train_size": args.subset,
        "seed": args.seed,
        "learning_rate": args.learning_rate,
        "optimizer": args.optimizer,
        "patience": args.patience,
    }
    overrides = {key: value for key, value in overrides.items() if value is not None}
    return dataclasses.replace(base, train=dataclasses.replace(base.train, **overrides))


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from core.lesson.fit_loop import train_run

    try:
        if args.run_dir:
            run_dir = args.run_dir
        else:
            run_dir = run_store.create_run(config_from_args(args), name=args.name or "command line", folder=args.out)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"run folder: {run_dir}", flush=True)
    status = train_run(run_dir, print_fn=print)
    print(f"{status['state']}: {status['message']}", flush=True)
    result = run_store.read_json(Path(run_dir) / "result.json", {})
    if args.json:
        keys = ("val_accuracy", "test_accuracy", "epochs_run", "best_epoch", "seconds")
        print(json.dumps({"state": status["state"], "run_dir": str(run_dir), **{k: result.get(k) for k in keys}}))
    return 0 if status["state"] in ("finished", "stopped") else 1


if __name__ == "__main__":
    sys.exit(main())
