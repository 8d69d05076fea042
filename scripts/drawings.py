"""Drawings like the Classify canvas makes, and how well models name them.

The canvas is 280x280 pixels, black ink on white, drawn with a round brush
(18 pixels at first; 22 before round 4 of docs/drawings.md). A student who
draws a garment draws its outline and colours it in: a filled silhouette.
This script makes such drawings for each of the ten classes: a silhouette
from a hand-made outline per class (a few variants each: longer or shorter
sleeves, a higher or lower boot shaft...), placed at a random size and
position, turned a little, mirrored half of the time (a boot drawn facing
right as often as left), filled black and traced with the brush, as RGBA
like the canvas returns. Each drawing then goes through the app's own
preprocessing (`core.lesson.preprocess`) and the model, exactly as on the
Classify page.

    python scripts/drawings.py                            # lesson and Best models, 6 drawings per class
    python scripts/drawings.py --runs assets/default_run assets/best_run --per-class 6 --png docs/drawings.png
    python scripts/drawings.py --json

Two named sets measure models without tuning on what is reported (`SETS`):
`validation`, to choose settings on, and `test`, made once with its own seed
and looked at only to report a model already chosen. Each holds, per class,
filled shapes and outlines (the polygon traced with the brush, nothing
filled: what many students draw first), with brushes of 14, 22 and 30 pixels
and a hand that wobbles a little. Drawings made by someone else are a third
set, and stay outside this repository.

    python scripts/drawings.py --set validation --runs RUN...    # filled, outline, per class
    python scripts/drawings.py --set validation_large --brush 18 --runs RUN...   # every drawing with one pen
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from core.lesson import preprocess as prep  # noqa: E402
from core.lesson.data import CLASS_NAMES_EN  # noqa: E402

CANVAS = 280
BRUSH = 22  # the canvas's pen before round 4: `drawing`'s default, so `make_drawings` repeats earlier figures


def _tshirt(r):
    s = r.uniform(0.12, 0.2)  # sleeve length
    return [
        (0.3, 0.1),
        (0.42, 0.14),
        (0.58, 0.14),
        (0.7, 0.1),
        (0.7 + s, 0.25),
        (0.66 + s * 0.6, 0.33),
        (0.7, 0.28),
        (0.7, 0.9),
        (0.3, 0.9),
        (0.3, 0.28),
        (0.34 - s * 0.6, 0.33),
        (0.3 - s, 0.25),
    ]


def _trouser(r):
    gap = r.uniform(0.06, 0.1)  # half the gap between the legs, wider than the brush
    return [(0.28, 0.05), (0.72, 0.05), (0.78, 0.95), (0.5 + gap, 0.95), (0.5, 0.3), (0.5 - gap, 0.95), (0.22, 0.95)]


def _pullover(r):
    w = r.uniform(0.0, 0.05)  # how far the sleeves hang out
    return [
        (0.34, 0.1),
        (0.44, 0.13),
        (0.56, 0.13),
        (0.66, 0.1),
        (0.84 + w, 0.25),
        (0.97 + w, 0.88),
        (0.86 + w, 0.9),
        (0.7, 0.42),
        (0.7, 0.9),
        (0.3, 0.9),
        (0.3, 0.42),
        (0.14 - w, 0.9),
        (0.03 - w, 0.88),
        (0.16 - w, 0.25),
    ]


def _dress(r):
    flare = r.uniform(0.18, 0.3)
    return [
        (0.4, 0.05),
        (0.45, 0.08),
        (0.55, 0.08),
        (0.6, 0.05),
        (0.62, 0.3),
        (0.58, 0.42),
        (0.5 + flare, 0.95),
        (0.5 - flare, 0.95),
        (0.42, 0.42),
        (0.38, 0.3),
    ]


def _coat(r):
    return [
        (0.32, 0.05),
        (0.44, 0.08),
        (0.56, 0.08),
        (0.68, 0.05),
        (0.84, 0.25),
        (0.92, 0.9),
        (0.8, 0.92),
        (0.73, 0.45),
        (0.74, 0.97),
        (0.26, 0.97),
        (0.27, 0.45),
        (0.2, 0.92),
        (0.08, 0.9),
        (0.16, 0.25),
    ]


def _sandal(r):
    h = r.uniform(0.3, 0.42)  # strap height
    return [
        (0.05, 0.72),
        (0.95, 0.68),
        (0.95, 0.78),
        (0.05, 0.8),
        (0.05, 0.72),
        (0.3, 0.72),
        (0.45, 1 - h),
        (0.55, 0.72),
        (0.7, 0.7),
        (0.82, 1 - h - 0.05),
        (0.9, 0.68),
    ]


def _shirt(r):
    return [
        (0.34, 0.08),
        (0.5, 0.16),
        (0.66, 0.08),
        (0.82, 0.2),
        (0.9, 0.85),
        (0.8, 0.87),
        (0.72, 0.38),
        (0.72, 0.92),
        (0.28, 0.92),
        (0.28, 0.38),
        (0.2, 0.87),
        (0.1, 0.85),
        (0.18, 0.2),
    ]


def _sneaker(r):
    top = r.uniform(0.35, 0.45)
    return [
        (0.03, 0.78),
        (0.1, 0.62),
        (0.45, 0.5),
        (0.62, top),
        (0.9, top - 0.03),
        (0.97, 0.55),
        (0.97, 0.8),
        (0.03, 0.8),
    ]


def _bag(r):
    return [(0.1, 0.35), (0.9, 0.35), (0.92, 0.9), (0.08, 0.9)]


def _boot(r):
    shaft = r.uniform(0.05, 0.2)  # top of the shaft
    return [(0.5, shaft), (0.9, shaft), (0.92, 0.9), (0.05, 0.9), (0.06, 0.72), (0.2, 0.62), (0.46, 0.55)]


SHAPES = (_tshirt, _trouser, _pullover, _dress, _coat, _sandal, _shirt, _sneaker, _bag, _boot)
"""One outline maker per class, in label order (0 T-shirt/top ... 9 Ankle boot), in unit coordinates."""


STYLES = ("filled", "outline")
BRUSHES = (14, 22, 30)
"""The brush widths of the named sets: the canvas's first pen of 22 pixels, and a thinner and a thicker pen."""

SETS: dict[str, dict] = {
    "validation": {"seed": 5_101, "per_class": 12},  # choose settings here
    "validation_large": {"seed": 5_101, "per_class": 48},  # the same generator and seed, four times as many: less noise
    "test": {"seed": 20_261_205, "per_class": 12},  # made once; report a chosen model here, never tune on it
}
"""The named drawing sets: per class, `per_class` filled shapes and as many outlines. `validation_large` starts
with the same drawings of T-shirts as `validation` and goes on with others: both are for choosing, never reporting."""


def drawing(
    label: int, rng: np.random.Generator, style: str = "filled", brush: int = BRUSH, wobble: float = 0.0
) -> np.ndarray:
    """One canvas drawing of the class: `(280, 280, 4)` uint8 RGBA, black ink on white.

    Args:
        style: `filled` (the shape coloured in and traced) or `outline` (traced only).
        brush: the round brush's width in canvas pixels.
        wobble: how far a hand strays from each corner, as a fraction of the drawing's size.
    """
    points = np.asarray(SHAPES[label](rng), float)
    points += rng.normal(0, wobble, points.shape)
    if rng.random() < 0.5:
        points[:, 0] = 1 - points[:, 0]
    angle = math.radians(rng.uniform(-8, 8))
    scale = rng.uniform(0.55, 0.8) * CANVAS
    centre = CANVAS / 2 + rng.uniform(-0.1, 0.1, 2) * CANVAS
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    xy = (points - 0.5) @ rotation.T * scale + centre
    image = Image.new("RGBA", (CANVAS, CANVAS), (255, 255, 255, 255))
    pen = ImageDraw.Draw(image)
    outline = [tuple(p) for p in xy]
    ink = (0, 0, 0, 255)
    if style == "filled":
        pen.polygon(outline, fill=ink)
    pen.line(outline + [outline[0]], fill=ink, width=brush, joint="curve")
    if label == 8:  # the bag's handle: one thick stroke
        a, b = xy[0] + (xy[1] - xy[0]) * 0.3, xy[0] + (xy[1] - xy[0]) * 0.7
        top = (a + b) / 2 - np.array([0, 0.22 * scale])
        pen.line([tuple(a), tuple(top), tuple(b)], fill=ink, width=brush, joint="curve")
    if label == 4:  # the coat's opening down the front: a white gap in a filled coat, a drawn line in an outline
        x = (xy[1][0] + xy[2][0]) / 2
        gap = [(x, xy[1][1] + 10), (x, xy[8][1] - 4)]
        pen.line(gap, fill=(255, 255, 255, 255) if style == "filled" else ink, width=3 if style == "filled" else brush)
    return np.asarray(image)


def make_drawings(per_class: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`(n, 280, 280, 4)` drawings and their labels, `per_class` of each class."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), per_class)
    return np.stack([drawing(int(label), rng) for label in labels]), labels


def make_set(name: str, brushes: tuple[int, ...] = BRUSHES) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A named set (`SETS`): `(drawings, labels, styles)`, per class half filled shapes, half outlines.

    The brush cycles through `brushes`; the hand wobbles by up to 2% of the drawing's size. With one brush,
    the same shapes, sizes and turns are drawn with that pen alone (the Draw tab's pen width was chosen so).
    """
    spec = SETS[name]
    rng = np.random.default_rng(spec["seed"])
    drawings, labels, styles = [], [], []
    for label in range(10):
        for i in range(2 * spec["per_class"]):
            style = STYLES[i % 2]
            brush = brushes[(i // 2) % len(brushes)]
            drawings.append(drawing(label, rng, style, brush, wobble=rng.uniform(0, 0.02)))
            labels.append(label)
            styles.append(style)
    return np.stack(drawings), np.asarray(labels), np.asarray(styles)


def model_inputs(drawings: np.ndarray, **options) -> np.ndarray:
    """The app's preprocessing of each drawing: `(n, 28, 28, 1)` float32 (`options` go to `preprocess`)."""
    return np.stack([prep.preprocess(d, **options).image for d in drawings])[..., None]


@functools.cache
def _model(run_path: str):
    """The run's best checkpoint, loaded once however many sets and ways it is scored on."""
    from core.services.run_store import Run

    return Run(run_path).load_model()


def predictions(run_path: str, inputs: np.ndarray, mirrored: bool = False) -> np.ndarray:
    """The class each input gets from the run's best checkpoint (`mirrored`: averaged with its mirror image's
    answer, the Draw tab's test-time flips)."""
    from core.analysis.evaluation import predict_proba

    return predict_proba(_model(run_path), inputs, batch_size=256, flips=mirrored).argmax(axis=1)


def breakdown(predicted: np.ndarray, labels: np.ndarray, styles: np.ndarray) -> dict:
    """Accuracy over all drawings, per style (`filled`, `outline`) and per class within each style."""
    right = predicted == labels
    out = {"accuracy": float(right.mean())}
    for style in STYLES:
        chosen = styles == style
        out[style] = float(right[chosen].mean())
        present = np.unique(labels[chosen])
        out[f"{style}_per_class"] = {CLASS_NAMES_EN[c]: float(right[chosen & (labels == c)].mean()) for c in present}
    return out


def score(run_path: str, inputs: np.ndarray, labels: np.ndarray) -> dict:
    predicted = predictions(run_path, inputs)
    per_class = {CLASS_NAMES_EN[c]: float((predicted[labels == c] == c).mean()) for c in range(10)}
    return {
        "run": run_path,
        "accuracy": float((predicted == labels).mean()),
        "per_class": per_class,
        "predicted": [CLASS_NAMES_EN[p] for p in predicted],
    }


def save_sheet(drawings: np.ndarray, inputs: np.ndarray, path: Path, per_class: int) -> None:
    """A PNG: each drawing at 1/5 size beside what the model sees, one class per row."""
    cell = 56
    sheet = Image.new("L", (per_class * 2 * (cell + 4), 10 * (cell + 4)), 128)
    for i, (d, x) in enumerate(zip(drawings, inputs, strict=True)):
        row, col = divmod(i, per_class)
        small = Image.fromarray(d).convert("L").resize((cell, cell))
        seen = Image.fromarray((x[..., 0] * 255).astype(np.uint8)).resize((cell, cell), Image.NEAREST)
        sheet.paste(small, (col * 2 * (cell + 4), row * (cell + 4)))
        sheet.paste(seen, (col * 2 * (cell + 4) + cell + 2, row * (cell + 4)))
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", nargs="+", default=["assets/default_run", "assets/best_run"])
    parser.add_argument("--per-class", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--png", help="save the drawings and what the model sees to this PNG")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--set", choices=sorted(SETS), help="score a named set: filled, outline and per class")
    parser.add_argument("--brush", type=int, help="with --set: draw every drawing with this pen width (canvas pixels)")
    args = parser.parse_args(argv)
    if args.set:
        return score_set(args.set, args.runs, args.json, (args.brush,) if args.brush else BRUSHES)
    drawings, labels = make_drawings(args.per_class, args.seed)
    inputs = model_inputs(drawings)
    if args.png:
        save_sheet(drawings, inputs, Path(args.png), args.per_class)
    results = [score(run, inputs, labels) for run in args.runs if Path(run).exists()]
    for r in results:
        if args.json:
            print(json.dumps(r))
            continue
        print(f"{r['run']}: {r['accuracy']:.0%} of {len(labels)} drawings")
        for name, accuracy in r["per_class"].items():
            wrong = sorted(
                {p for p, y in zip(r["predicted"], labels, strict=True) if CLASS_NAMES_EN[y] == name} - {name}
            )
            print(f"  {name:<12}{accuracy:>5.0%}  {'(also named: ' + ', '.join(wrong) + ')' if wrong else ''}")
    return results


def score_set(name: str, runs: list[str], as_json: bool = False, brushes: tuple[int, ...] = BRUSHES) -> list[dict]:
    """Each run on a named set, with and without filling outlines before the network (`preprocess`'s option)."""
    drawings, labels, styles = make_set(name, brushes)
    inputs = {fill: model_inputs(drawings, fill_outlines=fill) for fill in (False, True)}
    results = []
    for run in runs:
        if not Path(run).exists():
            continue
        for fill, x in inputs.items():
            row = {"set": name, "run": run, "fill_outlines": fill, **breakdown(predictions(run, x), labels, styles)}
            results.append(row)
            if as_json:
                print(json.dumps(row))
            else:
                print(f"{name} {run} fill_outlines={fill}: filled {row['filled']:.0%}, outline {row['outline']:.0%}")
    return results


if __name__ == "__main__":
    main()
