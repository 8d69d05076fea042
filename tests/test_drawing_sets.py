"""The drawing sets of `scripts/drawings.py` and the preprocessing's outline filling (`fill_outlines`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from scipy import ndimage

from core.lesson import preprocess as prep

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "drawings.py"


@pytest.fixture(scope="module")
def drawings():
    spec = importlib.util.spec_from_file_location("drawings", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _outline(width: int = 22) -> np.ndarray:
    """A T-shirt's outline on the canvas, black on white, as the Draw tab returns it."""
    img = Image.new("RGBA", (280, 280), (255, 255, 255, 255))
    shape = [(90, 60), (190, 60), (240, 110), (210, 140), (190, 120), (190, 230), (90, 230), (90, 120)]
    shape += [(70, 140), (40, 110), (90, 60)]
    ImageDraw.Draw(img).line(shape, fill=(0, 0, 0, 255), width=width, joint="curve")
    return np.asarray(img)


def test_the_validation_and_test_sets_differ_and_repeat(drawings, monkeypatch):
    assert drawings.SETS["validation"]["seed"] != drawings.SETS["test"]["seed"]
    validation, labels, styles = drawings.make_set("validation")
    per_class = drawings.SETS["validation"]["per_class"]
    assert validation.shape == (20 * per_class, 280, 280, 4)
    assert (np.bincount(labels) == 2 * per_class).all()
    assert (styles == "outline").sum() == (styles == "filled").sum()
    np.testing.assert_array_equal(drawings.make_set("validation")[0][:5], validation[:5])
    assert not np.array_equal(drawings.make_set("test")[0][:5], validation[:5])
    # the large validation set: the same generator and seed, so its first T-shirts are these; never the test's seed
    sets = drawings.SETS
    assert sets["validation_large"]["seed"] == sets["validation"]["seed"] != sets["test"]["seed"]
    monkeypatch.setitem(sets["validation_large"], "per_class", per_class + 1)  # enough to check how it starts
    start = drawings.make_set("validation_large")[0][: 2 * per_class]
    np.testing.assert_array_equal(start, validation[: 2 * per_class])


def test_a_set_redrawn_with_one_pen_keeps_its_shapes(drawings, monkeypatch):
    monkeypatch.setitem(drawings.SETS["validation"], "per_class", 2)
    mixed, labels, styles = drawings.make_set("validation")
    thin, thin_labels, thin_styles = drawings.make_set("validation", (14,))
    thick = drawings.make_set("validation", (30,))[0]
    np.testing.assert_array_equal(thin_labels, labels)
    np.testing.assert_array_equal(thin_styles, styles)
    np.testing.assert_array_equal(thin[0], mixed[0])  # the first drawing of each pair has the 14-pixel pen anyway
    ink = [(images[..., 0] < 128).sum(axis=(1, 2)) for images in (thin, thick)]
    assert (ink[0] < ink[1]).all()


def test_an_outline_has_less_ink_than_its_filled_twin(drawings):
    filled = drawings.drawing(1, np.random.default_rng(3), "filled")
    outline = drawings.drawing(1, np.random.default_rng(3), "outline")
    assert (outline[..., 0] < 128).sum() < 0.8 * (filled[..., 0] < 128).sum()


def test_breakdown_counts_per_style_and_class(drawings):
    labels = np.array([0, 0, 1, 1])
    styles = np.array(["filled", "outline", "filled", "outline"])
    out = drawings.breakdown(np.array([0, 1, 1, 1]), labels, styles)
    assert (out["accuracy"], out["filled"], out["outline"]) == (0.75, 1.0, 0.5)
    assert out["outline_per_class"]["T-shirt/top"] == 0.0


def test_enclosed_space_is_what_scipy_fills():
    mask = np.asarray(Image.fromarray(_outline()).convert("L")) < 128
    holes = prep.enclosed_space(mask)
    reference = ndimage.binary_fill_holes(mask) & ~mask
    assert not (holes & ~ndimage.binary_dilation(reference, iterations=4)).any()  # within a cell of the reference
    assert holes.sum() >= 0.95 * reference.sum()


def test_an_outline_is_filled_as_one_more_step_and_a_filled_shape_is_not():
    outline = prep.preprocess(_outline(), fill_outlines=True)
    codes = [code for code, _ in outline.steps]
    assert outline.filled and codes.index("filled") == codes.index("contrast") + 1
    assert outline.image.mean() > prep.preprocess(_outline()).image.mean() + 0.1
    solid = np.asarray(Image.fromarray(_outline()).convert("L"))
    solid = np.where(ndimage.binary_fill_holes(solid < 128), 0, 255).astype(np.uint8)
    kept = prep.preprocess(solid, fill_outlines=True)
    assert not kept.filled and "filled" not in [code for code, _ in kept.steps]
    assert not prep.preprocess(_outline()).filled  # only when asked
