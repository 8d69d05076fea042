"""core.analysis.inspection against values computed independently with plain numpy loops."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from core.analysis import inspection
from core.lesson import data
from core.lesson.config import ModelConfig


def random_snapshot(rng, filters=(4, 6), k=3) -> dict[str, np.ndarray]:
    snap, channels = {}, 1
    for i, n in enumerate(filters, start=1):
        snap[f"conv{i}.kernel"] = rng.normal(0, 0.2, (k, k, channels, n)).astype(np.float32)
        snap[f"conv{i}.bias"] = rng.normal(0, 0.1, n).astype(np.float32)
        channels = n
    return snap


# --- Kernels ---------------------------------------------------------------------------


def test_kernel_extraction_matches_indexing_filter_by_filter():
    rng = np.random.default_rng(1)
    snap = random_snapshot(rng)
    assert inspection.conv_layers(snap) == ["conv1", "conv2"]
    kernel, bias = inspection.layer_weights(snap, "conv2")
    assert kernel.shape == (3, 3, 4, 6) and bias.shape == (6,)
    for channel in range(4):
        slices = inspection.kernel_slices(kernel, channel)
        assert slices.shape == (6, 3, 3)
        for f in range(6):
            for r in range(3):
                for c in range(3):
                    assert slices[f, r, c] == kernel[r, c, channel, f]
    with pytest.raises(IndexError):
        inspection.kernel_slices(kernel, 4)


def test_conv_layers_sorts_by_network_order_not_text():
    snap = {f"conv{i}.kernel": np.zeros((1, 1, 1, 1)) for i in (10, 2, 1)}
    assert inspection.conv_layers(snap) == ["conv1", "conv2", "conv10"]


@pytest.mark.parametrize(
    "count, expected",
    [
        (1, (1, 1)),
        (7, (1, 7)),
        (16, (1, 16)),
        (17, (2, 9)),
        (20, (2, 10)),
        (32, (2, 16)),
        (64, (4, 16)),
        (256, (16, 16)),
    ],
)
def test_grid_shape(count, expected):
    assert inspection.grid_shape(count) == expected


def test_grid_shape_holds_everything_in_the_fewest_rows():
    for count in range(1, 300):
        rows, cols = inspection.grid_shape(count)
        assert cols <= 16 and rows * cols >= count
        assert rows == -(-count // 16)  # no grid with fewer rows of at most 16 fits
        assert rows * (cols - 1) < count  # one column fewer would not fit: no empty column


def test_grid_shape_with_eight_columns_is_the_lessons_feature_map_grid():
    assert inspection.grid_shape(32, 8) == (4, 8)
    assert inspection.grid_shape(64, 8) == (8, 8)
    with pytest.raises(ValueError):
        inspection.grid_shape(0)


@pytest.mark.parametrize("count", [1, 7, 32, 64, 256])
def test_tile_places_every_picture_and_leaves_nan_elsewhere(count):
    rng = np.random.default_rng(count)
    pictures = rng.normal(size=(count, 3, 3))
    rows, cols = inspection.grid_shape(count)
    out = inspection.tile(pictures, rows, cols, gap=1, row_gap=2)
    assert out.shape == (rows * 5 - 2, cols * 4 - 1)
    index = inspection.tile_index(pictures.shape, rows, cols, gap=1, row_gap=2)
    for i in range(count):
        r, c = i // cols, i % cols
        np.testing.assert_array_equal(out[r * 5 : r * 5 + 3, c * 4 : c * 4 + 3], pictures[i])
        assert (index[r * 5 : r * 5 + 3, c * 4 : c * 4 + 3] == i).all()
    assert np.isnan(out).sum() == out.size - 9 * count
    assert (index == -1).sum() == out.size - 9 * count


def test_shared_limits_are_symmetric_and_cover_both_arrays():
    a = np.array([[-0.3, 0.1], [0.2, 0.05]])
    b = np.array([0.7, -0.1])
    assert inspection.shared_limits(a, b) == (-0.7, 0.7)
    assert inspection.shared_limits(np.array([-2.0]), b) == (-2.0, 2.0)
    low, high = inspection.shared_limits(np.zeros(3))
    assert low < 0 < high  # a colour scale never collapses to one value


def test_weight_stats_against_hand_computed_mean_and_std():
    rng = np.random.default_rng(3)
    kernel = rng.normal(0.1, 0.3, (3, 3, 1, 32)).astype(np.float32)
    bias = np.zeros(32, np.float32)
    values = [float(v) for v in kernel.ravel()]
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    stats = inspection.weight_stats(kernel, bias)
    assert stats.mean == pytest.approx(mean, abs=1e-7)
    assert stats.std == pytest.approx(std, abs=1e-7)
    assert stats.min == min(values) and stats.max == max(values)
    assert stats.kernel_shape == (3, 3, 1, 32)
    assert stats.bias_shape == (32,)


def test_shared_histogram_uses_the_same_bins_for_both():
    before = np.array([-0.1, 0.0, 0.1, 0.1])
    after = np.array([-1.0, 0.5, 1.0])
    edges, (c_before, c_after) = inspection.shared_histogram(before, after, bins=4)
    np.testing.assert_allclose(edges, [-1.0, -0.5, 0.0, 0.5, 1.0])
    # counted by hand: numpy's last bin includes its right edge
    assert list(c_before) == [0, 1, 3, 0]
    assert list(c_after) == [1, 0, 0, 2]


# --- Data ---------------------------------------------------------------------------------


def test_class_counts_and_mean_images_against_loops():
    rng = np.random.default_rng(4)
    labels = rng.integers(0, 9, 200)  # class 9 is missing on purpose
    images = rng.random((200, 28, 28, 1), dtype=np.float32)
    counts = inspection.class_counts(labels)
    expected = Counter(int(v) for v in labels)
    assert list(counts) == [expected.get(c, 0) for c in range(10)]
    means = inspection.class_mean_images(images, labels)
    assert means.shape == (10, 28, 28)
    for c in range(9):
        total = np.zeros((28, 28))
        for image, label in zip(images, labels, strict=True):
            if label == c:
                total += image[:, :, 0]
        np.testing.assert_allclose(means[c], total / expected[c], rtol=1e-5)
    assert np.isnan(means[9]).all()


def test_sample_indices_pick_distinct_images_of_the_right_class():
    labels = np.repeat(np.arange(10), 12)
    picks = inspection.sample_indices(labels, 5, seed=7)
    for c, idx in enumerate(picks):
        assert len(idx) == len(set(idx)) == 5
        assert (labels[idx] == c).all()
    again = inspection.sample_indices(labels, 5, seed=7)
    other = inspection.sample_indices(labels, 5, seed=8)
    assert all((a == b).all() for a, b in zip(picks, again, strict=True))
    assert any((a != b).any() for a, b in zip(picks, other, strict=True))
    few = inspection.sample_indices(np.array([0, 0, 1]), 5, seed=0)
    assert [len(p) for p in few[:2]] == [2, 1] and len(few[2]) == 0


def test_pixel_histograms_recover_the_uint8_counts_after_scaling():
    rng = np.random.default_rng(5)
    raw = rng.integers(0, 256, (20, 28, 28), dtype=np.uint8)
    levels, counts = inspection.pixel_histograms(data.scale(raw))
    assert list(levels) == list(range(256))
    expected = Counter(int(v) for v in raw.ravel())
    assert list(counts) == [expected.get(v, 0) for v in range(256)]


def test_montage_lays_out_zoomed_uint8_pictures():
    pictures = np.stack([np.full((28, 28), v, np.float32) for v in (0.0, 0.5, 1.0)])
    out = inspection.montage(pictures, cols=2, gap=2, zoom=2)
    assert out.dtype == np.uint8 and out.shape == (2 * 56 + 2, 2 * 56 + 2)
    assert out[0, 0] == 0 and out[0, 58] == 128 and out[58, 0] == 255
    assert out[0, 56] == 255 and out[58, 58] == 255  # gap and empty cell


# --- Feature maps ---------------------------------------------------------------------------


def conv_same_relu(image: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Keras's Conv2D(padding="same", activation="relu") written out with loops over the kernel."""
    h, w, channels = image.shape
    k = kernel.shape[0]
    pad = (k - 1) // 2
    padded = np.zeros((h + k - 1, w + k - 1, channels))
    padded[pad : pad + h, pad : pad + w] = image
    out = np.zeros((h, w, kernel.shape[3]))
    for f in range(kernel.shape[3]):
        acc = np.full((h, w), float(bias[f]))
        for dy in range(k):
            for dx in range(k):
                for ch in range(channels):
                    acc += kernel[dy, dx, ch, f] * padded[dy : dy + h, dx : dx + w, ch]
        out[:, :, f] = acc
    return np.maximum(out, 0)


def max_pool(maps: np.ndarray) -> np.ndarray:
    h, w, c = maps.shape
    return maps[: h // 2 * 2, : w // 2 * 2].reshape(h // 2, 2, w // 2, 2, c).max(axis=(1, 3))


@pytest.fixture(scope="module")
def small_model():
    from core.lesson.model import build_model

    cfg = ModelConfig(conv_filters=(4, 6), dense_units=8, dropout=0.0)
    model = build_model(cfg)
    snap = random_snapshot(np.random.default_rng(6))
    for name in ("conv1", "conv2"):
        model.get_layer(name).set_weights(list(inspection.layer_weights(snap, name)))
    return cfg, model, snap


def test_feature_maps_match_a_numpy_convolution_and_relu(small_model):
    _, model, snap = small_model
    image = np.random.default_rng(7).random((28, 28), dtype=np.float32)
    maps = inspection.feature_maps(model, image)
    assert list(maps) == ["conv1", "conv2"]
    conv1 = conv_same_relu(image[:, :, None], *inspection.layer_weights(snap, "conv1"))
    np.testing.assert_allclose(maps["conv1"], conv1, atol=1e-5)
    conv2 = conv_same_relu(max_pool(conv1), *inspection.layer_weights(snap, "conv2"))
    np.testing.assert_allclose(maps["conv2"], conv2, atol=1e-4)


def test_feature_maps_accept_every_picture_shape_and_a_prebuilt_extractor(small_model):
    _, model, _ = small_model
    image = np.random.default_rng(8).random((28, 28), dtype=np.float32)
    reference = inspection.feature_maps(model, image, ["conv1"])["conv1"]
    extractor = inspection.activation_model(model, ["conv1"])
    for shape in ((28, 28), (28, 28, 1), (1, 28, 28, 1)):
        np.testing.assert_allclose(
            inspection.feature_maps(extractor, image.reshape(shape), ["conv1"])["conv1"], reference
        )
    with pytest.raises(ValueError):
        inspection.as_batch(np.zeros((2, 28, 28, 1)))


def test_untrained_twin_carries_the_recorded_initial_weights(tiny_run):
    cfg = tiny_run.config()
    initial = tiny_run.kernels(0)
    twin = inspection.untrained_twin(cfg, initial)
    for name in inspection.conv_layers(initial):
        kernel, bias = twin.get_layer(name).get_weights()
        np.testing.assert_array_equal(kernel, initial[f"{name}.kernel"])
        np.testing.assert_array_equal(bias, initial[f"{name}.bias"])
    image = np.random.default_rng(9).random((28, 28), dtype=np.float32)
    expected = conv_same_relu(image[:, :, None], initial["conv1.kernel"], initial["conv1.bias"])
    np.testing.assert_allclose(inspection.feature_maps(twin, image)["conv1"], expected, atol=1e-5)


def test_trained_checkpoint_maps_use_its_own_weights_not_the_initial_ones(tiny_run):
    model = tiny_run.load_model()
    trained = {layer.name: layer.get_weights() for layer in model.layers if layer.name.startswith("conv")}
    image = np.random.default_rng(10).random((28, 28), dtype=np.float32)
    maps = inspection.feature_maps(model, image)
    np.testing.assert_allclose(maps["conv1"], conv_same_relu(image[:, :, None], *trained["conv1"]), atol=1e-5)
    initial = tiny_run.kernels(0)
    assert not np.allclose(trained["conv1"][0], initial["conv1.kernel"])  # training changed the kernels


# --- Figures built from these arrays ----------------------------------------------------------


@pytest.mark.parametrize("count, k", [(1, 3), (7, 5), (32, 3), (256, 3)])
def test_kernel_grid_hover_and_click_data_point_at_the_right_weights(count, k):
    from core.charts.kernels import kernel_grid

    slices = np.random.default_rng(count).normal(0, 0.2, (count, k, k))
    labels = {key: key for key in ("weight", "filter", "row", "col")}
    fig = kernel_grid(slices, (-0.5, 0.5), labels)
    heatmap, markers = fig.data[0], fig.data[1]
    assert (heatmap.zmin, heatmap.zmax) == (-0.5, 0.5)
    assert len(markers.x) == count * k * k  # one clickable marker per kernel cell
    for number, row, col, value in np.asarray(markers.customdata)[:: max(1, count // 7)]:
        assert value == pytest.approx(slices[int(number) - 1, int(row) - 1, int(col) - 1], abs=1e-6)
    numbered = [trace for trace in fig.data if trace.type == "scatter" and trace.mode == "text"]
    assert len(numbered) == (1 if count <= 64 else 0)


def test_feature_map_grid_uses_the_lessons_eight_columns():
    from core.charts.kernels import feature_map_grid

    labels = {"activation": "a", "map": "m"}
    maps = np.random.default_rng(0).random((14, 14, 64))
    z = np.asarray(feature_map_grid(maps, 1.0, labels).data[0].z)
    assert z.shape[1] == 8 * 15 - 1  # 8 maps of 14 pixels and 7 gaps per row
    assert np.isfinite(z).sum() == 64 * 14 * 14
