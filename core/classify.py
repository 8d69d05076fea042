"""Classify pictures from the shell with the app's own pipeline and model.

    python -m core.classify IMAGE... [--run DIR] [--drawing] [--fill] [--json]

Prints the top class and the ten probabilities per file, or an error line,
and carries on; exits 1 if any file could not be classified, 2 without a model.
`--drawing` asks as the Classify page's Draw tab does at first: the answer
averages the picture's and its mirror image's, and the model is the Draw
tab's drawings model unless `--run` names another. `--fill` fills an outline
first, as the Draw tab's "Fill an outline" toggle does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

from core.analysis import inference
from core.lesson import preprocess as prep
from core.lesson.data import CLASS_NAMES_EN
from core.services import run_store, shipped


def classify_file(model, path: Path, drawing: bool = False, fill: bool | None = None) -> dict:
    """One file through the page's pipeline (`drawing`: the Draw tab's): a result row for the command line.

    `fill` fills an outline first; left out, it is what the Draw tab does at first for a drawing
    (`shipped.DRAW_FILL_OUTLINES`) and off for anything else.

    Returns:
        `{"file", "label", "index", "confidence", "probabilities"}`, or
        `{"file", "error"}` when the file cannot be read or shows no object.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return {"file": str(path), "error": f"cannot open the file ({exc.strerror or type(exc).__name__})"}
    try:
        if fill is None:
            fill = drawing and shipped.DRAW_FILL_OUTLINES
        pre = inference.read_picture(data, fill_outlines=fill)
    except prep.ImageError as exc:
        return {"file": str(path), "error": str(exc)}
    if pre.blank:
        return {"file": str(path), "error": "no object found: the picture is (nearly) one plain colour"}
    ask = inference.predict_mirrored if drawing else inference.predict_probabilities
    probabilities = ask(model, pre.image)
    index = int(np.argmax(probabilities))
    return {
        "file": str(path),
        "label": CLASS_NAMES_EN[index],
        "index": index,
        "confidence": float(probabilities[index]),
        "probabilities": [float(p) for p in probabilities],
    }


def _format_row(row: dict) -> str:
    probabilities = "  ".join(f"{name} {p:.1%}" for name, p in zip(CLASS_NAMES_EN, row["probabilities"], strict=True))
    return f"{row['file']}: {row['label']} (class {row['index']}, {row['confidence']:.1%})\n  {probabilities}"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m core.classify", description=__doc__.splitlines()[0])
    parser.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help="PNG, JPEG, WebP, GIF or BMP files")
    parser.add_argument(
        "--run",
        type=Path,
        help=f"run folder whose best checkpoint to use (default: {run_store.DEFAULT_RUN_DIR}, "
        f"with --drawing {shipped.DRAW_RUN_DIR})",
    )
    parser.add_argument(
        "--drawing",
        action="store_true",
        help="ask as the Draw tab does at first: the drawings model, averaged with the mirror image's answer",
    )
    parser.add_argument("--fill", action="store_true", help="fill an outline first (the Draw tab's fill toggle)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per line per file")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Classify files; exit 0 when every file was classified, 1 when any was not, 2 without a model."""
    args = parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if args.run is None:
        args.run = shipped.DRAW_RUN_DIR if args.drawing else run_store.DEFAULT_RUN_DIR
    run = run_store.Run(args.run)
    if not run.has_checkpoint():
        print(
            f"error: {args.run} has no trained model ({run.checkpoint_path.name}). Train one or pass --run DIR.",
            file=sys.stderr,
        )
        return 2
    try:
        model = run.load_model()
    except Exception as exc:  # a damaged checkpoint is reported, not raised
        print(f"error: the model in {args.run} could not be loaded ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return 2
    failed = 0
    for path in args.images:
        row = classify_file(model, path, args.drawing, args.fill or None)
        failed += "error" in row
        if args.json:
            print(json.dumps(row), flush=True)
        elif "error" in row:
            print(f"{row['file']}: error: {row['error']}", file=sys.stderr, flush=True)
        else:
            print(_format_row(row), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
