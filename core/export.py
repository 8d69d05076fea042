"""A run as Keras code from the shell: `python -m core.export RUN_DIR --format py|ipynb [--lang en|ko] [--out FILE]`.

Writes the run's script (`py`) or notebook (`ipynb`), made by
`core.lesson.code_export`, to FILE, or to standard output without `--out`.
A folder that is not a run, or whose config or meta is damaged, gets one
line saying why on standard error and exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.lesson import code_export
from core.services import run_store


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core.export", description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path, metavar="RUN_DIR", help="a run folder (e.g. runs/20260101-090000-abc123)")
    parser.add_argument("--format", choices=code_export.FORMATS, default="py", help="a Python script or a notebook")
    parser.add_argument("--lang", choices=code_export.LANGUAGES, default="en", help="the comments' language")
    parser.add_argument("--out", type=Path, help="the file to write (default: standard output)")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    folder = args.run_dir
    if not folder.is_dir():
        print(f"error: {folder} is not a run folder (no such folder)", file=sys.stderr)
        return 1
    info = run_store.read_run(folder)
    if info.damaged or info.config is None:
        reason = info.damaged or "no config"
        print(f"error: {folder} is not a usable run: {reason}", file=sys.stderr)
        return 1
    name = info.name if info.name != info.id else ""
    code = code_export.export(info.config, args.format, args.lang, name)
    if args.out is None:
        sys.stdout.write(code)
        return 0
    try:
        args.out.write_text(code, encoding="utf-8")
    except OSError as err:
        print(f"error: cannot write {args.out}: {err.strerror or err}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
