"""Train from the shell: `python -m core.train [--preset best] [--epochs 20] [--subset 3000] [--json]`.

Every setting of the Train page is a flag (`--help` lists them), derived from
`core.lesson.schema`.

The app's training workers run this same module with `--run-dir` on a
folder the queue prepared, so the shell and the app train identically.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from core.lesson.config import ConfigError, RunConfig
from core.lesson.presets import PRESETS
from core.lesson.schema import SETTINGS, Setting
from core.services import run_store


def _filters(text: str) -> tuple[int, ...]:
    """`32,64` -> (32, 64): one number of filters per conv block."""
    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, got {text!r}") from None


def _add_setting(parser: argparse.ArgumentParser, setting: Setting) -> None:
    """One flag per schema setting; its default stays None so only what was typed overrides the preset."""
    lesson = f"lesson: {setting.default}"
    if setting.kind == "bool":
        parser.add_argument(setting.flag, action=argparse.BooleanOptionalAction, help=lesson)
    elif setting.kind == "choice":
        parser.add_argument(setting.flag, choices=setting.choices, help=lesson)
    elif setting.kind == "filters":
        parser.add_argument(setting.flag, type=_filters, metavar="N,N", help="filters per conv block (lesson: 32,64)")
    elif setting.kind == "subset":
        parser.add_argument(setting.flag, "--subset", type=int, help="train on this many images (default: all)")
    else:
        number = int if setting.kind == "int" else float
        parser.add_argument(setting.flag, type=number, help=f"{setting.low:g} to {setting.high:g} ({lesson})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core.train", description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="lesson", help="starting settings")
    settings = parser.add_argument_group("settings (each overrides the preset; see the Train page for what they do)")
    for setting in SETTINGS:
        _add_setting(settings, setting)
    parser.add_argument("--name", default="", help="display name of the run")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, help="folder for the new run (default: a new folder under the runs folder)")
    where.add_argument("--run-dir", type=Path, help="train an existing queued run folder (used by the app's workers)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of results")
    return parser


def parse_args(argv=None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """The preset with every setting given on the command line applied (validated)."""
    overrides = {s.name: getattr(args, s.name) for s in SETTINGS if getattr(args, s.name) is not None}
    return PRESETS[args.preset].with_values(**overrides)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from core.lesson.fit_loop import train_run

    try:
        if args.run_dir:
            run = run_store.Run(args.run_dir)
        else:
            run = run_store.create_run(config_from_args(args), name=args.name or "command line", folder=args.out)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"run folder: {run.path}", flush=True)
    state, messages = train_run(run, print_fn=print)
    print(f"{state}: {' '.join(map(str, messages))}", flush=True)
    result = run.result()
    if args.json:
        keys = ("val_accuracy", "test_accuracy", "epochs_run", "best_epoch", "seconds", "numerics")
        print(json.dumps({"state": state, "run_dir": str(run.path), **{k: result.get(k) for k in keys}}))
    return 0 if state in ("finished", "stopped") else 1


if __name__ == "__main__":
    sys.exit(main())
