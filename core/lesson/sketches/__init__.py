"""Training drawings for the Draw tab's model, made by hands of their own.

Each hand (a module of this package) emulates students at the 280x280 canvas
with a mouse in its own way: its own idea of how each Fashion-MNIST class is
drawn, filled in or as an outline, and its own wobbles, gaps and overshoots.
The hands were written apart, so that no single way of drawing a coat or a
pullover decides what the model learns (docs/drawings.md, rounds 5 to 8).
Each shape is drawn once with each pen of `PENS` and goes through the Draw
tab's own preprocessing (`core.lesson.preprocess`), outlines left as outlines
as the Draw tab leaves them at first (`shipped.DRAW_FILL_OUTLINES`).

These drawings are only ever trained on. The app's measuring sets
(`scripts/drawings.py`, and drawings from other hands) never come from this
package, so what the model is measured on is never what it trained on.

Pure numpy + Pillow: no Streamlit, no TensorFlow.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.lesson import preprocess as prep
from core.lesson.sketches import (
    hand_b,
    hand_d,
    hand_e,
    hand_f,
    hand_i,
    hand_j,
    hand_k,
    hand_m,
    hand_n,
    hand_o,
    hand_p,
    hand_q,
)

SHIPPED = Path(__file__).resolve().parents[3] / "assets" / "training_drawings.npz"
"""The drawings training uses: `sketch_set(COUNT, SEED)` as uint8, written by `python -m core.lesson.sketches`
(making them takes about a minute; reading them, a few milliseconds)."""

COUNT = 16800
"""1,400 from each of the twelve hands, beside the 48,000 photos (docs/drawings.md, rounds 6 to 8)."""

SEED = 0

HANDS = (hand_b, hand_d, hand_e, hand_f, hand_i, hand_j, hand_k, hand_m, hand_n, hand_o, hand_p, hand_q)
"""The hands, each a module with `canvases(label, style, pens, rng)`; shape `index` comes from
`HANDS[index % len(HANDS)]`."""

PENS = (18, 22)
"""Each shape is drawn once with each pen: the Draw tab's first pen and the one before it."""

STYLES = ("filled", "outline")
"""A filled shape is coloured in; an outline is not, and shows inner details such as a collar or buttons."""

CLASSES = 10


def canvases(label: int, style: str, index: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shape `index` of class `label` in `style`, by its hand (`HANDS[index % len(HANDS)]`), with each pen of `PENS`.

    Returns:
        One RGB uint8 (280, 280, 3) canvas per pen, black ink on white.

    Raises:
        ValueError: for an unknown label or style.
    """
    return HANDS[index % len(HANDS)].canvases(label, style, PENS, rng)


def sketch_set(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`count` drawings after the Draw tab's preprocessing, and their labels.

    Every class has as many drawings, half of them filled and half outlines, each shape drawn with every pen,
    in that order (class, style, shape, pen): shuffle before training. Shape `index` of a class and style is
    drawn by `canvases(label, style, index, np.random.default_rng([seed, label, style_index, index]))`, so the
    hands take turns, a seed always gives the same drawings, and a larger count adds drawings to those of a
    smaller one.

    Args:
        count: how many drawings; a positive multiple of 40 (10 classes x 2 styles x 2 pens).
        seed: a non-negative integer; different seeds give different drawings.

    Returns:
        `(images, labels)`: images (count, 28, 28, 1) float32 in [0, 1], labels (count,) uint8.

    Raises:
        ValueError: when `count` is not a positive multiple of 40.
    """
    step = CLASSES * len(STYLES) * len(PENS)  # a shape of each class and style, with each pen
    if count <= 0 or count % step:
        raise ValueError(f"count must be a positive multiple of {step} (classes x styles x pens), not {count}")
    images, labels = [], []
    for label in range(CLASSES):
        for style_index, style in enumerate(STYLES):
            for index in range(count // step):
                rng = np.random.default_rng([seed, label, style_index, index])
                images += [_model_input(canvas, label) for canvas in canvases(label, style, index, rng)]
                labels += [label] * len(PENS)
    return np.stack(images)[..., np.newaxis], np.array(labels, np.uint8)


def _model_input(canvas, label):
    """The canvas after the Draw tab's preprocessing, an outline not filled: 28x28 float32 in [0, 1]."""
    result = prep.preprocess(canvas)
    if result.blank:
        raise RuntimeError(f"a drawing of class {label} came out blank: the hand lost its ink")
    return result.image


def load(path: Path = SHIPPED) -> tuple[np.ndarray, np.ndarray]:
    """The shipped training drawings: images (n, 28, 28, 1) float32 in [0, 1], labels (n,) uint8."""
    with np.load(path) as saved:
        return (saved["images"].astype(np.float32) / 255)[..., np.newaxis], saved["labels"]


def write(path: Path = SHIPPED, count: int = COUNT, seed: int = SEED) -> None:
    """Make `sketch_set(count, seed)` and save it as uint8, the way `load` reads it."""
    images, labels = sketch_set(count, seed)
    levels = np.round(images[..., 0] * 255).astype(np.uint8)
    np.savez_compressed(path, images=levels, labels=labels, seed=seed)
