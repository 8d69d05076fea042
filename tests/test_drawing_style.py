"""Drawing-style training images (`core.lesson.drawing_style`) and the weight average (`ema`): units, no training."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from scipy import ndimage

from core.lesson import augment, drawing_style, schema
from core.lesson.config import RunConfig


def _ring() -> np.ndarray:
    """A 'garment' with a dark hole in it (a printed logo): grey body, black window."""
    image = np.zeros((28, 28), np.float32)
    image[4:24, 6:22] = 0.6
    image[10:16, 11:17] = 0.0
    return image


def _styled(images: np.ndarray, share: float, seed=(3, 1), **options) -> np.ndarray:
    batch = tf.constant(np.asarray(images, np.float32)[..., None])
    return drawing_style_tensor(batch, share, seed, **options)[..., 0]


def drawing_style_tensor(batch, share, seed, **options):
    return drawing_style.drawing_style_tensor(batch, share, tf.constant(seed, tf.int64), **options).numpy()


def test_levels_are_the_schemas_choices_and_grow():
    assert tuple(drawing_style.SHARES) == schema.DRAWING_STYLES
    shares = [drawing_style.SHARES[name] for name in schema.DRAWING_STYLES]
    assert shares[0] == 0 and shares == sorted(shares) and shares[-1] <= 1


def test_share_zero_changes_nothing_and_share_one_changes_every_image():
    batch = np.stack([_ring()] * 6)
    np.testing.assert_array_equal(_styled(batch, 0.0), batch)
    out = _styled(batch, 1.0)
    assert out.shape == batch.shape and out.min() >= 0 and out.max() <= 1
    assert all(not np.allclose(o, batch[0]) for o in out)


def test_silhouettes_fill_holes_like_scipy_and_outlines_are_thin():
    """Not refitted, each output is the filled silhouette (as scipy fills the thresholded ring) or a ring along it."""
    batch = np.stack([_ring()] * 32)
    out = _styled(batch, 1.0, stretch=1, brush=0, flare=0)
    reference = ndimage.binary_fill_holes(_ring() > 0.1)
    inked = out > 0.5
    filled = [bool(np.array_equal(ink, reference)) for ink in inked]
    assert any(filled) and not all(filled)  # about half silhouettes, half outlines
    near = ndimage.binary_dilation(reference, np.ones((3, 3)))  # a shaky hand strays one pixel at most
    for ink, whole in zip(inked, filled, strict=True):
        assert not (ink & ~near).any()
        if not whole:
            assert ink.sum() < reference.sum() and not ink[14, 14]  # an outline: the middle stays empty


def test_refitted_like_the_preprocessing_fits_a_drawing_wider_or_narrower():
    """Longest side 28 pixels and centred, as `core.lesson.preprocess` fits a drawing; the width against the height
    varies (a drawn pullover is wider than a photographed one), within the stretch either way."""
    batch = np.stack([_ring()] * 64)  # 16 wide, 20 tall
    silhouettes = _styled(batch, 1.0, stretch=1.6, brush=2, flare=0) > 0.5
    ratios = []
    for ink in silhouettes:
        rows, cols = np.flatnonzero(ink.any(1)), np.flatnonzero(ink.any(0))
        height, width = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
        assert max(height, width) >= 27  # the longest side spans the image (an outline's soft edge may lose one)
        assert abs((rows[0] + rows[-1]) - 27) <= 2 and abs((cols[0] + cols[-1]) - 27) <= 2  # centred
        ratios.append(width / height)
    assert min(ratios) < 0.7 < 0.9 < max(ratios)  # the ring alone is 0.8
    assert 0.8 / 1.6 - 0.1 <= min(ratios) and max(ratios) <= 0.8 * 1.6 + 0.15


def _widths(ink: np.ndarray) -> tuple[int, int]:
    """How wide the ink is in the top and in the bottom quarter of its rows (outlines included)."""
    rows = np.flatnonzero(ink.any(1))
    quarter = max(1, len(rows) // 4)

    def width(part):
        cols = np.flatnonzero(ink[part].any(0))
        return cols[-1] - cols[0] + 1

    return width(rows[:quarter]), width(rows[-quarter:])


def test_upright_shapes_spread_like_drawn_sleeves_and_wide_ones_stay_square():
    """A garment (taller than wide) becomes a keystone, mostly wider at the bottom; a shoe (wider than tall) not."""
    upright, wide = np.zeros((28, 28), np.float32), np.zeros((28, 28), np.float32)
    upright[2:26, 8:20] = 0.7
    wide[10:18, 2:26] = 0.7
    spread = [_widths(ink) for ink in _styled(np.stack([upright] * 48), 1.0, stretch=1, brush=0, flare=0.03) > 0.5]
    assert sum(bottom > top for top, bottom in spread) > len(spread) / 2
    assert any(bottom >= top + 4 for top, bottom in spread) and any(top > bottom for top, bottom in spread)
    inked = _styled(np.stack([wide] * 48), 1.0, stretch=1, brush=0, flare=0.03) > 0.5
    kept = [_widths(ink) for ink in inked if ink[14, 14]]  # the silhouettes (an outline may have gaps)
    assert kept and all(top == bottom for top, bottom in kept)


def test_the_same_seed_repeats_and_another_seed_differs():
    batch = np.stack([_ring()] * 16)
    np.testing.assert_array_equal(_styled(batch, 0.5, (7, 2)), _styled(batch, 0.5, (7, 2)))
    assert not np.array_equal(_styled(batch, 0.5, (7, 2)), _styled(batch, 0.5, (8, 2)))


def test_the_data_pages_versions_are_all_drawings():
    versions = drawing_style.styled_versions(_ring(), 8, seed=1)
    assert versions.shape == (8, 28, 28)
    assert all(not np.allclose(v, _ring()) for v in versions)


def test_training_dataset_makes_drawings_without_augmentation_and_keeps_the_lesson_without_either():
    x = np.stack([_ring()] * 40)[..., None]
    y = np.arange(40) % 10
    assert augment.training_dataset(x, y, 8, "none", 1, "none") is None
    batches = list(augment.training_dataset(x, y, 8, "none", 1, "strong"))
    images = np.concatenate([b[0].numpy() for b in batches])
    assert images.shape == x.shape
    changed = [not np.allclose(image, x[0]) for image in images]
    assert 0 < sum(changed) < len(changed)  # a share, not all


def test_old_configs_load_without_drawings_or_the_weight_average():
    cfg = RunConfig.from_dict({"model": {}, "train": {"augmentation": "light"}})
    assert (cfg.train.drawing_style, cfg.train.ema) == ("none", False)
    assert RunConfig().train.drawing_style == "none"


def test_command_line_flags():
    from core.train import config_from_args, parse_args

    cfg = config_from_args(parse_args(["--preset", "best", "--drawing-style", "light", "--ema"]))
    assert (cfg.train.drawing_style, cfg.train.ema, cfg.train.augmentation) == ("light", True, "light")
    with pytest.raises(SystemExit):
        parse_args(["--drawing-style", "heavy"])


def test_the_weight_average_is_on_the_optimizer_and_validated_first():
    from core.lesson.model import make_optimizer

    assert make_optimizer(RunConfig().with_values(ema=True).train).use_ema
    assert not make_optimizer(RunConfig().train).use_ema


def test_exported_code_holds_the_apps_own_map_and_runs_it_alike():
    from core.lesson import code_export

    cfg = RunConfig().with_values(drawing_style="strong", ema=True)
    code = code_export.script(cfg, "en")
    assert "drawing_style_tensor(batch[0], 0.5" in code and "SwapEMAWeights(swap_on_epoch=True)" in code
    assert "use_ema=True" in code
    start = code.index("def drawing_style_tensor")
    end = code.index("\n\n\n", start)
    scope = {"tf": tf}
    exec(code[start:end], scope)  # the exported function, without the app
    batch = tf.constant(np.stack([_ring()] * 8)[..., None])
    seed = tf.constant([5, 42], tf.int64)
    np.testing.assert_array_equal(
        scope["drawing_style_tensor"](batch, 0.5, seed).numpy(),
        drawing_style.drawing_style_tensor(batch, 0.5, seed).numpy(),
    )
    assert "drawing_style_tensor" not in code_export.script(RunConfig(), "en")
