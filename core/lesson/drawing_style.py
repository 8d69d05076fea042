"""Drawing-style training images: Fashion-MNIST photos turned into what the Classify canvas makes.

A drawing on the canvas, after the app's preprocessing, is a flat, full-ink
silhouette or an outline a few pixels wide; a Fashion-MNIST image is a photo
with grey levels and texture. A network that saw only photos names drawings
badly. The `drawing_style` setting turns a share of each training batch into:

- filled silhouettes: the garment's pixels above a threshold, closed (dilate,
  then erode) and with their holes filled;
- outlines of those silhouettes, traced with a brush of random width (1 to 4
  pixels at 28x28: the canvas's 10-40 pixel brush at 280x280), sometimes with
  a rough hand (the stroke thickens in places) or gaps (the pen lifted).

The variants are made from the training images themselves, batch by batch,
never from a drawing generator (`scripts/drawings.py` measures with those).
Like the augmentation (`core.lesson.augment`) it is a stateless, seeded
`tf.data` map that runs while training only; the saved model is unchanged.

`drawing_style_tensor` uses TensorFlow alone, so the exported code copies its
source (`core.lesson.code_export`), and the Data page shows its own output.
"""

from __future__ import annotations

import numpy as np

SHARES: dict[str, float] = {"none": 0.0, "light": 0.25, "strong": 0.5}
"""The levels of the `drawing_style` setting (`core.lesson.schema.DRAWING_STYLES`): the share of each
training batch made drawing-style; half of those become outlines, half filled silhouettes."""


def drawing_style_tensor(images, share, seed):
    """Turn a random `share` of a batch `(n, 28, 28, 1)` float32 in [0, 1] into canvas-like drawings.

    Args:
        images: the batch (TensorFlow ops only: usable inside `tf.data`).
        share: the fraction of images changed, 0 to 1.
        seed: a stateless seed, shape `(2,)` int32/int64 (one per batch, so runs repeat).
    """
    import tensorflow as tf

    count = tf.shape(images)[0]
    seeds = tf.random.experimental.stateless_split(tf.cast(seed, tf.int64), 7)

    def dilate(x):  # 3x3 max: a stroke grows one pixel each way
        return tf.nn.max_pool2d(x, 3, 1, "SAME")

    def erode(x, border=0.0):  # border 0: an edge on the image's border is traced too; 1: kept
        padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], constant_values=border)
        return -tf.nn.max_pool2d(-padded, 3, 1, "VALID")

    def noise_field(field_seed, cells):  # smooth random values in [0, 1]: coarse cells, bilinear
        coarse = tf.random.stateless_uniform([count, cells, cells, 1], field_seed)
        return tf.image.resize(coarse, tf.shape(images)[1:3], "bilinear")

    # the silhouette: threshold, close, fill the holes (a pixel with ink above, below, left and right of it)
    threshold = tf.random.stateless_uniform([count, 1, 1, 1], seeds[0], 0.04, 0.15)
    mask = erode(dilate(tf.cast(images > threshold, tf.float32)), border=1.0)
    enclosed = [tf.math.cumsum(mask, axis=axis, reverse=reverse) > 0.5 for axis in (1, 2) for reverse in (False, True)]
    filled = tf.maximum(mask, tf.cast(tf.reduce_all(tf.stack(enclosed), 0), tf.float32))

    # the outline: the silhouette minus itself eroded by the brush's width
    width = tf.random.stateless_uniform([count, 1, 1, 1], seeds[1], 1, 5, tf.int32)
    inner, outline = filled, tf.zeros_like(filled)
    for w in range(1, 5):
        inner = erode(inner)
        outline = tf.where(width == w, filled - inner, outline)
    # a rough hand thickens the stroke in places; a lifted pen leaves gaps
    rough = tf.random.stateless_uniform([count, 1, 1, 1], seeds[2]) < 0.5
    thick = tf.maximum(outline, dilate(outline) * tf.cast(noise_field(seeds[3], 5) > 0.65, tf.float32))
    outline = tf.where(rough, thick, outline)
    gaps = tf.random.stateless_uniform([count, 1, 1, 1], seeds[4]) < 0.3
    outline = tf.where(gaps, outline * tf.cast(noise_field(seeds[5], 6) > 0.2, tf.float32), outline)

    # soft edges, like the canvas's strokes resized to 28x28
    pick = tf.random.stateless_uniform([count, 1, 1, 1], seeds[6])
    ink = tf.where(pick < share / 2, outline, filled)
    ink = 0.6 * ink + 0.4 * tf.nn.avg_pool2d(ink, 3, 1, "SAME")
    ink = ink / tf.maximum(tf.reduce_max(ink, axis=[1, 2, 3], keepdims=True), 1e-6)
    return tf.where(pick < share, ink, images)


def styled_versions(image: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """`count` drawing-style versions `(count, 28, 28)` of one image `(28, 28)` in [0, 1]: what the Data page shows.

    Each is changed (share 1): half outlines, half silhouettes, by the very map the fit loop applies.
    """
    import tensorflow as tf

    batch = np.repeat(np.asarray(image, np.float32)[None, ..., None], count, axis=0)
    out = drawing_style_tensor(tf.constant(batch), 1.0, tf.constant([seed, 1], tf.int64)).numpy()
    return out[..., 0]
