"""Training drawings for the Draw tab's model (`core.lesson.sketches`): the set's make-up and each hand's ink."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.lesson import preprocess as prep
from core.lesson import sketches
from core.services.run_store import APP_DIR

CLASSES = 10


@pytest.fixture(scope="module")
def sketch_set_80():
    return sketches.sketch_set(80, 0)


@pytest.fixture(scope="module", params=sketches.HANDS, ids=lambda hand: hand.__name__.rsplit(".", 1)[-1])
def drawn(request):
    """Two shapes of each class in each style by one hand, as canvases: `{style: [(label, [canvas per pen]), ...]}`."""
    hand = request.param
    return {
        style: [
            (label, hand.canvases(label, style, sketches.PENS, np.random.default_rng([11, label, index])))
            for label in range(CLASSES)
            for index in range(2)
        ]
        for style in sketches.STYLES
    }


def ink(canvas: np.ndarray) -> np.ndarray:
    return canvas[..., 0] == 0


def test_sketch_set_gives_model_inputs_with_balanced_labels(sketch_set_80):
    images, labels = sketch_set_80
    assert images.shape == (80, 28, 28, 1) and images.dtype == np.float32
    assert labels.shape == (80,) and labels.dtype == np.uint8
    assert images.min() == 0.0 and np.all(images.max(axis=(1, 2, 3)) == 1.0)  # every drawing stretched to full ink
    assert np.bincount(labels, minlength=CLASSES).tolist() == [8] * CLASSES


def test_sketch_set_is_canvases_after_the_draw_tabs_preprocessing_in_order(sketch_set_80):
    """Class by class: filled shapes, then outlines, each shape with every pen; so half of each class are outlines."""
    images, labels = sketch_set_80
    per_class = 80 // CLASSES
    for label, style_index, index in [(0, 0, 0), (3, 1, 1), (9, 1, 0)]:
        style = sketches.STYLES[style_index]
        drawn = sketches.canvases(label, style, index, np.random.default_rng([0, label, style_index, index]))
        for pen_index, canvas in enumerate(drawn):
            at = label * per_class + style_index * per_class // 2 + index * len(sketches.PENS) + pen_index
            assert labels[at] == label
            np.testing.assert_array_equal(images[at, ..., 0], prep.preprocess(canvas).image)


def test_same_seed_same_drawings_and_a_larger_count_adds_to_them(sketch_set_80):
    images, labels = sketches.sketch_set(40, 0)
    np.testing.assert_array_equal(images, sketches.sketch_set(40, 0)[0])
    layout = (CLASSES, len(sketches.STYLES), -1, len(sketches.PENS))  # class, style, shape, pen
    first_shapes = sketch_set_80[0].reshape(*layout, 28, 28)[:, :, :1]
    np.testing.assert_array_equal(images.reshape(*layout, 28, 28), first_shapes)
    np.testing.assert_array_equal(labels, sketch_set_80[1].reshape(layout)[:, :, :1].ravel())


def test_another_seed_draws_every_drawing_differently():
    one, other = sketches.sketch_set(40, 0)[0], sketches.sketch_set(40, 1)[0]
    assert all(not np.array_equal(a, b) for a, b in zip(one, other, strict=True))


@pytest.mark.parametrize("count", [0, -40, 20, 50, 4810])
def test_count_must_be_a_positive_multiple_of_40(count):
    with pytest.raises(ValueError, match="multiple of 40"):
        sketches.sketch_set(count, 0)


def test_a_blank_drawing_is_an_error_not_a_skip(monkeypatch):
    white = np.full((280, 280, 3), 255, np.uint8)
    monkeypatch.setattr(sketches, "canvases", lambda label, style, index, rng: [white] * len(sketches.PENS))
    with pytest.raises(RuntimeError, match="blank"):
        sketches.sketch_set(40, 0)


def test_canvases_are_black_ink_on_white_one_per_pen(drawn):
    for _, canvases in drawn["filled"] + drawn["outline"]:
        assert len(canvases) == len(sketches.PENS) == 2
        for canvas in canvases:
            assert canvas.shape == (280, 280, 3) and canvas.dtype == np.uint8
            assert set(np.unique(canvas)) == {0, 255}
            assert (canvas == canvas[..., :1]).all()  # grey: R = G = B


def test_the_thicker_pen_covers_the_thinner_ones_ink_and_more(drawn):
    """The same shape with each pen: the thin pen's ink lies under the thick pen's (a scribbled fill may stray by a
    pixel or two), and the thick pen inks more."""
    assert sketches.PENS[0] < sketches.PENS[1]
    for label, (thin, thick) in drawn["filled"] + drawn["outline"]:
        assert (ink(thick) & ink(thin)).sum() >= 0.995 * ink(thin).sum(), label
        assert ink(thick).sum() > ink(thin).sum(), label


def test_outlines_use_less_ink_and_the_fill_toggle_finds_many_of_them(drawn):
    """Outlines enclose space: the Draw tab's fill toggle finds many (a hand's gaps can let the space out), and never
    takes a filled shape for one."""
    mean_ink = {style: np.mean([ink(canvases[0]).mean() for _, canvases in drawn[style]]) for style in drawn}
    assert mean_ink["outline"] < 0.85 * mean_ink["filled"]
    found = {
        style: np.mean([prep.preprocess(canvases[0], fill_outlines=True).filled for _, canvases in drawn[style]])
        for style in drawn
    }
    assert found["outline"] >= 0.4 and found["filled"] <= 0.1


@pytest.mark.parametrize("hand", sketches.HANDS)
@pytest.mark.parametrize(("label", "style"), [(10, "filled"), (-1, "outline"), (0, "dotted")])
def test_every_hand_refuses_an_unknown_class_or_style(hand, label, style):
    with pytest.raises(ValueError):
        hand.canvases(label, style, sketches.PENS, np.random.default_rng(0))


def test_the_hands_take_turns():
    """Shape `index` is drawn by hand `index % len(HANDS)`: every hand has its share of every class and style."""
    for index, hand in enumerate(sketches.HANDS * 2):
        rng = np.random.default_rng([5, 2, 1, index])
        expected = hand.canvases(2, "outline", sketches.PENS, np.random.default_rng([5, 2, 1, index]))
        for made, canvas in zip(sketches.canvases(2, "outline", index, rng), expected, strict=True):
            np.testing.assert_array_equal(made, canvas)


def test_the_shipped_file_is_the_generators_set():
    """`assets/training_drawings.npz` is `sketch_set(COUNT, SEED)`: one shape of each class, checked in full, by
    every hand in turn."""
    images, labels = sketches.load()
    assert images.shape == (sketches.COUNT, 28, 28, 1) and images.dtype == np.float32
    assert np.bincount(labels).tolist() == [sketches.COUNT // CLASSES] * CLASSES
    shapes = sketches.COUNT // (CLASSES * len(sketches.STYLES) * len(sketches.PENS))
    for label in range(CLASSES):
        style_index, index = label % 2, (len(sketches.HANDS) + 1) * label % shapes  # hands 0, 1, 2, ... in turn
        rng = np.random.default_rng([sketches.SEED, label, style_index, index])
        expected = [
            prep.preprocess(c).image for c in sketches.canvases(label, sketches.STYLES[style_index], index, rng)
        ]
        first = ((label * len(sketches.STYLES) + style_index) * shapes + index) * len(sketches.PENS)
        for pen, image in enumerate(expected):
            np.testing.assert_allclose(images[first + pen, ..., 0], image, atol=0.5 / 255)
            assert labels[first + pen] == label


def test_write_and_load_keep_the_drawings(tmp_path):
    path = tmp_path / "drawings.npz"
    sketches.write(path, count=40, seed=3)
    images, labels = sketches.load(path)
    made, made_labels = sketches.sketch_set(40, 3)
    np.testing.assert_allclose(images, made, atol=0.5 / 255)
    assert (labels == made_labels).all()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_texts_name_as_many_drawings_as_ship(lang):
    """The setting's help on the Train page and the Draw tab's model sentence say how many drawings `COUNT` adds."""
    table = {
        name: json.loads((APP_DIR / "locales" / lang / f"{name}.json").read_text()) for name in ("train", "classify")
    }
    for text in (table["train"]["help_training_drawings"], table["classify"]["draw_model"]):
        assert f"{sketches.COUNT:,}" in text
