"""Data augmentation: random flips, shifts, rotations and zooms of training images.

`LEVELS` describes each level of the `augmentation` setting once; the fit
loop (`training_dataset`), the Data page's figure (`augment_batch`) and
exported Keras scripts (`keras_layers`) all read it, so they cannot drift.

Augmentation happens only while training, as a `tf.data` map over each
batch, outside the model: the saved model holds no augmentation layers, so
every inference view (Filters, feature maps, saliency, Grad-CAM, the Model
page, the untrained twin) sees exactly the lesson's layers. Measured on the
2-core development machine on 2026-12-02 (README, "Augmentation"): the map
costs a few percent of an epoch.

Each transform is one projective warp per image (rotation, zoom and shift
combined, nearest-neighbour would alias the thin garments, so bilinear),
with the background filled with 0 (black, like Fashion-MNIST's).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Level:
    """What one augmentation level does to a training image.

    Attributes:
        flip: mirror left-right with probability 1/2 (garments are symmetric enough).
        shift: largest shift, as a fraction of the image side, in x and in y.
        rotation: largest rotation, in degrees, either way.
        zoom: largest zoom, as a fraction: the scale is drawn from [1 - zoom, 1 + zoom].
    """

    flip: bool
    shift: float
    rotation: float
    zoom: float

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def warps(self) -> bool:
        return bool(self.shift or self.rotation or self.zoom)


LEVELS: dict[str, Level] = {
    "none": Level(flip=False, shift=0.0, rotation=0.0, zoom=0.0),
    "light": Level(flip=True, shift=0.0, rotation=0.0, zoom=0.0),
    "medium": Level(flip=True, shift=0.08, rotation=8.0, zoom=0.08),
    "strong": Level(flip=True, shift=0.15, rotation=15.0, zoom=0.2),
}
"""The levels of the `augmentation` setting (`core.lesson.schema.AUGMENTATIONS`)."""


def _transforms(tf, count, level: Level, side: int, seed):
    """`count` random projective transforms (the 8-number rows `ImageProjectiveTransformV3` takes).

    Each row maps an output pixel back to the input pixel it reads: rotate
    and scale about the image centre, then shift.
    """
    seeds = tf.random.experimental.stateless_split(seed, 4)
    angle = tf.random.stateless_uniform([count], seeds[0], -1.0, 1.0) * (level.rotation * math.pi / 180.0)
    scale = 1.0 + tf.random.stateless_uniform([count], seeds[1], -1.0, 1.0) * level.zoom
    shift = tf.random.stateless_uniform([count, 2], seeds[2], -1.0, 1.0) * (level.shift * side)
    centre = (side - 1) / 2.0
    # inverse map: input = R(-angle) / scale * (output - centre - shift) + centre
    cos, sin = tf.cos(angle) / scale, tf.sin(angle) / scale
    dx, dy = shift[:, 0], shift[:, 1]
    ox, oy = centre + dx, centre + dy
    a0, a1 = cos, sin
    b0, b1 = -sin, cos
    a2 = centre - a0 * ox - a1 * oy
    b2 = centre - b0 * ox - b1 * oy
    zeros = tf.zeros([count])
    return tf.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)


def augment_tensor(images, level: str | Level, seed):
    """Augment a batch tensor `(n, h, w, c)` float32 (TensorFlow ops; usable inside `tf.data`).

    Args:
        images: the batch.
        level: a name in `LEVELS` or a `Level`.
        seed: a stateless seed, shape `(2,)` int32/int64 (one per batch, so runs repeat).
    """
    import tensorflow as tf

    spec = LEVELS[level] if isinstance(level, str) else level
    count = tf.shape(images)[0]
    side = images.shape[1]
    seed = tf.cast(seed, tf.int64)
    flip_seed, warp_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    if spec.flip:
        mirror = tf.random.stateless_uniform([count, 1, 1, 1], flip_seed) < 0.5
        images = tf.where(mirror, tf.reverse(images, axis=[2]), images)
    if spec.warps:
        images = tf.raw_ops.ImageProjectiveTransformV3(
            images=images,
            transforms=_transforms(tf, count, spec, side, warp_seed),
            output_shape=tf.shape(images)[1:3],
            fill_value=0.0,
            interpolation="BILINEAR",
            fill_mode="CONSTANT",
        )
    return images


def augment_batch(images: np.ndarray, level: str, seed: int = 0) -> np.ndarray:
    """Augment a numpy batch `(n, 28, 28)` or `(n, 28, 28, 1)` in [0, 1]; returns the same shape.

    What the Data page shows: the very transform the fit loop applies.
    """
    import tensorflow as tf

    array = np.asarray(images, np.float32)
    batch = array[..., None] if array.ndim == 3 else array
    out = augment_tensor(tf.constant(batch), level, tf.constant([seed, 0], tf.int64)).numpy()
    return out[..., 0] if array.ndim == 3 else out


def training_dataset(x: np.ndarray, y: np.ndarray, batch_size: int, level: str, seed: int, drawing_style="none"):
    """The training batches for `fit`: shuffled each epoch, then made drawing-style in part, then augmented.

    `drawing_style` is a level of `core.lesson.drawing_style.SHARES`. Returns None when both are `none`,
    so the lesson keeps `fit(x, y)` exactly.
    """
    from core.lesson.drawing_style import SHARES, drawing_style_tensor

    share = SHARES[drawing_style]
    if LEVELS[level] == LEVELS["none"] and not share:
        return None
    import tensorflow as tf

    count = len(x)
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    dataset = dataset.shuffle(count, seed=seed, reshuffle_each_iteration=True).batch(batch_size)
    # one seed per batch, new each epoch and repeatable from the run's seed
    seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)
    dataset = tf.data.Dataset.zip((dataset, seeds))

    def _map(batch, draw):
        images, labels = batch
        batch_seed = tf.stack([tf.cast(seed, tf.int64), draw])
        if share:  # drawings first, from the photo; then flipped and warped like any image
            images = drawing_style_tensor(images, share, tf.stack([draw, tf.cast(seed, tf.int64)]))
        return augment_tensor(images, level, batch_seed), labels

    return dataset.map(_map, num_parallel_calls=1, deterministic=True).prefetch(2)


def keras_layers(level: str) -> list:
    """The same level as Keras preprocessing layers (for exported scripts; inactive at inference)."""
    import keras

    spec = LEVELS[level]
    layers = []
    if spec.flip:
        layers.append(keras.layers.RandomFlip("horizontal"))
    if spec.shift:
        layers.append(keras.layers.RandomTranslation(spec.shift, spec.shift, fill_mode="constant"))
    if spec.rotation:
        layers.append(keras.layers.RandomRotation(spec.rotation / 360.0, fill_mode="constant"))
    if spec.zoom:
        layers.append(keras.layers.RandomZoom(spec.zoom, spec.zoom, fill_mode="constant"))
    return layers
