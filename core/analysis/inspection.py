"""Look inside the data and the network: kernels, statistics, feature maps.

Everything here is numpy in, numpy out, except the two functions that take
or build a Keras model (`feature_maps`, `untrained_twin`), which import
Keras lazily. The Data and Filters pages draw what these return; the tests
check them against independent numpy computations.

Kernel snapshots are the dicts `core.services.run_store.Run.kernels` returns:
`{"conv1.kernel": (k, k, in, out), "conv1.bias": (out,), "conv2.kernel": ...}`,
with epoch 0 recorded before training, so "untrained" always means this run's
own initial weights and the comparison is the same network before and after.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.lesson.config import RunConfig
from core.lesson.schema import NUM_CLASSES

MAX_GRID_COLUMNS = 16
"""Kernel and feature-map grids are at most this wide: the lesson's 2x16 grid for 32 filters."""

LESSON_KERNEL_LIMITS = (-0.5, 0.5)
"""The lesson draws kernels with `imshow(..., vmin=-0.5, vmax=0.5)`."""


# --- Kernels -----------------------------------------------------------------


def conv_layers(snapshot: dict[str, np.ndarray]) -> list[str]:
    """Conv layer names of a snapshot, in network order (`["conv1", "conv2"]`).

    Args:
        snapshot: a dict from `core.services.run_store.Run.kernels`.
    """
    names = {key.rsplit(".", 1)[0] for key in snapshot if key.endswith(".kernel")}
    return sorted(names, key=lambda name: (len(name), name))  # conv2 before conv10


def layer_weights(snapshot: dict[str, np.ndarray], layer: str) -> tuple[np.ndarray, np.ndarray]:
    """The kernel `(k, k, in, out)` and bias `(out,)` of one conv layer.

    Raises:
        KeyError: when the snapshot has no such layer.
    """
    return snapshot[f"{layer}.kernel"], snapshot[f"{layer}.bias"]


def kernel_slices(kernel: np.ndarray, channel: int = 0) -> np.ndarray:
    """The filters of one input channel as `(out, k, k)`: filter i is `kernel[:, :, channel, i]`.

    The lesson draws `conv_weights[:, :, 0, i]` for the first layer, whose only
    input channel is the grey image; a deeper layer has one 2-D kernel per
    input channel and filter, so a channel must be chosen.

    Args:
        kernel: a Conv2D kernel `(k, k, in, out)`.
        channel: which input channel (0 to in - 1). Default 0.
    """
    if not 0 <= channel < kernel.shape[2]:
        raise IndexError(f"Input channel {channel} does not exist; this layer has {kernel.shape[2]}.")
    return np.moveaxis(kernel[:, :, channel, :], -1, 0)


def grid_shape(count: int, max_columns: int = MAX_GRID_COLUMNS) -> tuple[int, int]:
    """Rows and columns of a grid that holds `count` small pictures.

    The fewest rows with at most `max_columns` per row, then the fewest
    columns for those rows, so the grid is as full as it can be:
    32 -> (2, 16) as in the lesson, 64 -> (4, 16), 7 -> (1, 7), 20 -> (2, 10).

    Args:
        count: how many pictures (at least 1).
        max_columns: widest row. Default 16.
    """
    if count < 1:
        raise ValueError("A grid needs at least one picture.")
    rows = math.ceil(count / max_columns)
    return rows, math.ceil(count / rows)


def tile(
    pictures: np.ndarray, rows: int | None = None, cols: int | None = None, gap: int = 1, row_gap: int | None = None
) -> np.ndarray:
    """Lay `(n, h, w)` pictures out row by row in one 2-D array, NaN between them and in empty cells.

    One array makes one heatmap trace, which plotly draws far faster than
    one subplot per filter (256 subplots take seconds; one trace does not).

    Args:
        pictures: `(n, h, w)` array.
        rows, cols: grid size; `grid_shape(n)` when not given.
        gap: NaN columns between neighbours in a row. Default 1.
        row_gap: NaN rows between grid rows (room for labels); default `gap`.

    Returns:
        a float array of shape `(rows*(h+row_gap)-row_gap, cols*(w+gap)-gap)`.
    """
    n, h, w = pictures.shape
    if rows is None or cols is None:
        rows, cols = grid_shape(n)
    if rows * cols < n:
        raise ValueError(f"A {rows}x{cols} grid cannot hold {n} pictures.")
    row_gap = gap if row_gap is None else row_gap
    out = np.full((rows * (h + row_gap) - row_gap, cols * (w + gap) - gap), np.nan)
    for i in range(n):
        r, c = divmod(i, cols)
        out[r * (h + row_gap) : r * (h + row_gap) + h, c * (w + gap) : c * (w + gap) + w] = pictures[i]
    return out


def tile_index(
    pictures_shape: tuple[int, int, int], rows: int, cols: int, gap: int = 1, row_gap: int | None = None
) -> np.ndarray:
    """For each pixel of `tile(...)`, the number of the picture it belongs to (-1 in gaps).

    Lets a hover label say which filter a kernel cell belongs to.
    """
    n, h, w = pictures_shape
    ids = np.broadcast_to(np.arange(n)[:, None, None], (n, h, w)).astype(float)
    index = tile(ids, rows, cols, gap, row_gap)
    return np.where(np.isnan(index), -1, index).astype(int)


def shared_limits(*arrays: np.ndarray) -> tuple[float, float]:
    """One colour range, symmetric around 0, that covers every array.

    Kernels drawn before and after training on this one scale can be
    compared by colour: the same shade means the same weight.

    Returns:
        `(-m, m)` with `m` the largest absolute value (at least 1e-6).
    """
    m = max(float(np.nanmax(np.abs(a))) if np.size(a) else 0.0 for a in arrays)
    m = max(m, 1e-6)
    return -m, m


@dataclass(frozen=True)
class WeightStats:
    """What the lesson prints about a conv layer's weights."""

    mean: float
    std: float
    min: float
    max: float
    kernel_shape: tuple[int, ...]
    bias_shape: tuple[int, ...]


def weight_stats(kernel: np.ndarray, bias: np.ndarray) -> WeightStats:
    """Mean and standard deviation of the kernel, and both shapes.

    Like the lesson's `conv_weights.mean(), conv_weights.std()`, over the
    kernel only (the bias is separate): after training the spread grows as
    the filters specialise.
    """
    k = np.asarray(kernel, dtype=np.float64)
    return WeightStats(
        mean=float(k.mean()),
        std=float(k.std()),
        min=float(k.min()),
        max=float(k.max()),
        kernel_shape=tuple(int(n) for n in kernel.shape),
        bias_shape=tuple(int(n) for n in bias.shape),
    )


def shared_histogram(*arrays: np.ndarray, bins: int = 40) -> tuple[np.ndarray, list[np.ndarray]]:
    """Histograms of several arrays over the same bins, so their bars line up.

    Args:
        arrays: any shapes; flattened.
        bins: number of equal bins spanning all values together. Default 40.

    Returns:
        `(edges, [counts of each array])`, `edges` has `bins + 1` values.
    """
    flat = [np.asarray(a, dtype=np.float64).ravel() for a in arrays]
    edges = np.histogram_bin_edges(np.concatenate(flat), bins=bins)
    return edges, [np.histogram(a, bins=edges)[0] for a in flat]


# --- Data ----------------------------------------------------------------------


def class_counts(labels: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """How many images of each class: `(num_classes,)` ints."""
    return np.bincount(np.asarray(labels, dtype=np.int64), minlength=num_classes)[:num_classes]


def class_mean_images(images: np.ndarray, labels: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """The average picture of each class, `(num_classes, 28, 28)` float32 (NaN for an empty class).

    Averaging thousands of images shows the shape a class has in common:
    what a filter could learn to look for.

    Args:
        images: `(N, 28, 28)` or `(N, 28, 28, 1)`.
        labels: `(N,)` ints.
    """
    images = images.reshape(len(images), *images.shape[1:3])
    means = np.full((num_classes, *images.shape[1:]), np.nan, dtype=np.float32)
    for c in range(num_classes):
        chosen = images[labels == c]
        if len(chosen):
            means[c] = chosen.mean(axis=0, dtype=np.float64)
    return means


def sample_indices(labels: np.ndarray, per_class: int, seed: int, num_classes: int = NUM_CLASSES) -> list[np.ndarray]:
    """`per_class` random image indices of every class (fewer when a class has fewer).

    Args:
        seed: a new seed draws new samples (the page's shuffle button).
    """
    rng = np.random.default_rng(seed)
    picks = []
    for c in range(num_classes):
        members = np.flatnonzero(labels == c)
        picks.append(np.sort(rng.choice(members, min(per_class, len(members)), replace=False)))
    return picks


def pixel_histograms(scaled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-value counts before scaling (0-255) and after (0-1), from the scaled images.

    Each of the 256 grey levels is one bin in both, so the two histograms are
    the same bars on a different axis: scaling by 1/255 changes the numbers,
    not the picture.

    Args:
        scaled: float images in [0, 1] (the lesson's `train_scaled`).

    Returns:
        `(levels, counts)`: `levels` 0..255 (divide by 255 for the scaled axis)
        and how many pixels have each level.
    """
    levels = np.rint(np.asarray(scaled, dtype=np.float32).ravel() * 255).astype(np.int64)
    return np.arange(256), np.bincount(levels, minlength=256)


def montage(images: np.ndarray, cols: int, gap: int = 2, zoom: int = 2, background: int = 255) -> np.ndarray:
    """Images side by side in a uint8 picture for `st.image`, enlarged by `zoom`.

    Args:
        images: `(n, 28, 28)` or `(n, 28, 28, 1)` floats in [0, 1] or uint8.
        cols: pictures per row.
        gap: pixels between pictures (after zooming). Default 2.
        zoom: each pixel becomes `zoom x zoom` pixels (nearest neighbour). Default 2.
        background: grey level of the gaps. Default 255 (white).
    """
    pics = np.asarray(images)
    pics = pics.reshape(len(pics), *pics.shape[1:3])
    if pics.dtype != np.uint8:
        pics = np.clip(np.rint(pics * 255), 0, 255).astype(np.uint8)
    pics = pics.repeat(zoom, axis=1).repeat(zoom, axis=2)
    rows = max(1, math.ceil(len(pics) / cols))
    n, h, w = pics.shape
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), background, dtype=np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = pics[i]
    return out


# --- Feature maps --------------------------------------------------------------


def as_batch(image: np.ndarray) -> np.ndarray:
    """One picture `(28, 28)`, `(28, 28, 1)` or `(1, 28, 28, 1)` as a float32 batch `(1, 28, 28, 1)`."""
    x = np.squeeze(np.asarray(image, dtype=np.float32))
    if x.ndim != 2:
        raise ValueError(f"Expected one grey picture, got an array of shape {np.shape(image)}.")
    return x.reshape(1, *x.shape, 1)


def conv_layer_names(model) -> list[str]:
    """Names of the model's Conv2D layers, in order."""
    import keras

    return [layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]


def activation_model(model, layers: list[str] | None = None):
    """A model from the same input to the outputs of `layers` (default: every Conv2D layer).

    The lesson's `keras.Model(model.inputs, model.layers[0].output)`, for
    several layers at once; it shares the weights of `model`.
    """
    import keras

    names = layers or conv_layer_names(model)
    outputs = [model.get_layer(name).output for name in names]
    return keras.Model(model.inputs[0], outputs, name="activations")


def feature_maps(model, image: np.ndarray, layers: list[str] | None = None) -> dict[str, np.ndarray]:
    """What each conv layer makes of one picture: `{"conv1": (h, w, filters), ...}`.

    Calls the model directly (`training=False`), not `predict`: for a single
    picture that is many times faster.

    Args:
        model: a Keras model, or an `activation_model` already built from one.
        image: the 28x28 picture, values in [0, 1].
        layers: conv layer names; default every Conv2D layer.
    """
    names = layers or conv_layer_names(model)
    extractor = model if model.name == "activations" else activation_model(model, names)
    outputs = extractor(as_batch(image), training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return {name: np.asarray(out)[0] for name, out in zip(names, outputs, strict=True)}


def untrained_twin(cfg: RunConfig, initial: dict[str, np.ndarray]):
    """The run's network as it was before training, for comparison (Filters and Classify).

    The conv kernels are the ones recorded before the first epoch (`initial`,
    `run.kernels(0)` of a `core.services.run_store.Run`) when they fit; every
    other kernel is drawn afresh from Keras's default initializer
    (Glorot-uniform), seeded with the run's seed, so the twin is the same on
    every call and in every process; biases and normalisation weights keep
    their initial values. No global seed is touched: other students' work is
    unaffected.

    Args:
        cfg: the run's config.
        initial: the epoch-0 snapshot, or {} when the run has none.

    Returns:
        an uncompiled Keras model.
    """
    import keras

    from core.lesson.model import build_model

    model = build_model(cfg.model)
    for number, layer in enumerate(model.layers):
        kernel, bias = initial.get(f"{layer.name}.kernel"), initial.get(f"{layer.name}.bias")
        if kernel is not None and len(layer.weights) == 2 and kernel.shape == tuple(layer.weights[0].shape):
            layer.set_weights([kernel, bias])
            continue
        init = keras.initializers.GlorotUniform(seed=cfg.train.seed + number)
        layer.set_weights(
            [np.asarray(init(tuple(w.shape))) if w.path.endswith("kernel") else np.asarray(w) for w in layer.weights]
        )
    return model
