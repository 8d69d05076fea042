"""How well each shipped model names drawings: `python bench/bench_drawings.py [--sets ...] [--json PATH]`.

For every shipped model (the lesson's, Best, and the Draw tab's drawings
model), on the drawing sets of `scripts/drawings.py` (canvas drawings through
the app's own preprocessing): accuracy on filled shapes and on outlines, per
class, with the model alone, with outlines filled first, with each drawing's
mirror image asked, and with both (the Draw tab's two toggles: at first the
mirror on and the fill off, `shipped.DRAW_FILL_OUTLINES`); and the drawings
model with every drawing redrawn with one pen width at a time (`PENS`), the
Draw tab's way.
Settings were chosen on the validation sets (`validation`, and
`validation_large`: four times as many drawings from the same generator and
seed); the test set was made once and is only reported (docs/drawings.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.lesson.data import CLASS_NAMES_EN  # noqa: E402
from core.services import run_store, shipped  # noqa: E402

WAYS = ((False, False), (True, False), (False, True), (True, True))
"""How each drawing is asked: (outline filled, mirror image asked), every way the Draw tab's toggles allow."""
DRAW_TAB = (shipped.DRAW_FILL_OUTLINES, True)
"""The Draw tab's way at first: the fill as `shipped.DRAW_FILL_OUTLINES`, the mirror on (`ui.classify_view`)."""
PENS = (10, 14, 18, 22)
"""Pen widths (canvas pixels): each redraws every drawing of a set, asked of the drawings model the Draw tab's way.
The Draw tab's first pen (`ui.classify_view.BRUSH_WIDTH`) was chosen among them on `validation_large`."""


def drawings_module():
    spec = importlib.util.spec_from_file_location("drawings", ROOT / "scripts" / "drawings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shipped_models() -> dict[str, Path]:
    models = {"lesson": run_store.DEFAULT_RUN_DIR, "best": shipped.BEST_RUN_DIR, "drawings": shipped.DRAW_RUN_DIR}
    return {name: path for name, path in models.items() if run_store.Run(path).has_checkpoint()}


def pen_rows(drawings, name: str, path: Path) -> list[dict]:
    """The set's drawings redrawn with one pen width at a time (same shapes, sizes and turns), Draw tab's way."""
    rows = []
    for pen in PENS:
        images, labels, styles = drawings.make_set(name, (pen,))
        fill, mirrored = DRAW_TAB
        inputs = drawings.model_inputs(images, fill_outlines=fill)
        row = {"set": name, "model": "drawings", "fill_outlines": fill, "mirrored": mirrored, "pen": pen}
        row |= drawings.breakdown(drawings.predictions(str(path), inputs, mirrored), labels, styles)
        rows.append(row)
        pullovers = f"{row['filled_per_class']['Pullover']:.0%} / {row['outline_per_class']['Pullover']:.0%}"
        print(
            f"{name:<17}drawings, every drawing with a {pen}-pixel pen: filled {row['filled']:.0%}, "
            f"outline {row['outline']:.0%}, pullovers {pullovers}"
        )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sets = ["validation", "validation_large", "test"]
    parser.add_argument("--sets", nargs="+", default=sets, choices=sets)
    parser.add_argument("--json", type=Path, help="also write every row here")
    args = parser.parse_args(argv)
    drawings = drawings_module()
    models = shipped_models()
    rows, pens = [], []
    short = [name.split("/")[0][:5] for name in CLASS_NAMES_EN]
    head = f"{'set':<17}{'model':<9}{'fill':<6}{'mirror':<8}{'filled':>7}{'outline':>8}"
    print(f"{head}   per class, filled | outline ({' '.join(short)})")
    for name in args.sets:
        started = time.perf_counter()
        images, labels, styles = drawings.make_set(name)
        inputs = {fill: drawings.model_inputs(images, fill_outlines=fill) for fill in (False, True)}
        for model, path in models.items():
            for fill, mirrored in WAYS:
                row = {"set": name, "model": model, "fill_outlines": fill, "mirrored": mirrored}
                row |= drawings.breakdown(drawings.predictions(str(path), inputs[fill], mirrored), labels, styles)
                rows.append(row)
                per_class = " ".join(f"{v:.0%}" for v in row["filled_per_class"].values())
                per_class += " | " + " ".join(f"{v:.0%}" for v in row["outline_per_class"].values())
                scores = f"{row['filled']:>7.0%}{row['outline']:>8.0%}"
                ways = f"{'yes' if fill else 'no':<6}{'yes' if mirrored else 'no':<8}"
                print(f"{name:<17}{model:<9}{ways}{scores}   {per_class}")
        if "drawings" in models:
            pens += pen_rows(drawings, name, models["drawings"])
        print(f"({name}: {len(labels)} drawings, {time.perf_counter() - started:.0f} s)", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "rows": rows + pens}, indent=1) + "\n")
    draw_tab = [r for r in rows if r["model"] == "drawings" and r["set"] == "test" and r["mirrored"]]
    for row in draw_tab:
        scores = f"filled {row['filled']:.0%}, outline {row['outline']:.0%}"
        way = f"outlines {'filled' if row['fill_outlines'] else 'as drawn'}"
        way += " (the Draw tab's way)" if (row["fill_outlines"], row["mirrored"]) == DRAW_TAB else ""
        print(f"drawings model, test drawings, mirrored, {way}: {scores}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
