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

Before the outline is traced, each silhouette is refitted the way the app's
preprocessing fits a drawing (longest side 28 pixels, centred): stretched
wider or narrower by up to `stretch` (a drawn pullover has its arms spread
and is wider than tall; a photographed one is taller than wide), and drawn
with a brush up to `brush` pixels wide around it (a thick brush rounds the
corners and closes narrow gaps, such as between a sleeve and the body). An
upright shape (at least as tall as wide: a garment, not a shoe) is first
spread at the bottom or the top, as a keystone, by up to `flare`: students
draw sleeves, legs and skirts spreading out, where photos show them hanging.

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


def drawing_style_tensor(images, share, seed, stretch=1.6, brush=2, flare=0.03):
    """Turn a random `share` of a batch `(n, 28, 28, 1)` float32 in [0, 1] into canvas-like drawings.

    Args:
        images: the batch (TensorFlow ops only: usable inside `tf.data`).
        share: the fraction of images changed, 0 to 1.
        seed: a stateless seed, shape `(2,)` int32/int64 (one per batch, so runs repeat).
        stretch: the largest change of a silhouette's width against its height, either way (1: none).
        brush: the most pixels a filled shape's brush adds around it (0: none).
        flare: the keystone's strength, per pixel down from the middle (0: none; 0.03 about doubles the
            bottom's width against the top's).
    """
    import tensorflow as tf

    count = tf.shape(images)[0]
    side = 28.0
    seeds = tf.random.experimental.stateless_split(tf.cast(seed, tf.int64), 10)

    def dilate(x):  # 3x3 max: a stroke grows one pixel each way
        return tf.nn.max_pool2d(x, 3, 1, "SAME")

    def erode(x, border=0.0):  # border 0: an edge on the image's border is traced too; 1: kept
        padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], constant_values=border)
        return -tf.nn.max_pool2d(-padded, 3, 1, "VALID")

    def noise_field(field_seed, cells):  # smooth random values in [0, 1]: coarse cells, bilinear
        coarse = tf.random.stateless_uniform([count, cells, cells, 1], field_seed)
        return tf.image.resize(coarse, tf.shape(images)[1:3], "bilinear")

    def extent(shapes, axis):  # first and last inked row (axis 1) or column (axis 2) of each image, and the size
        inked = tf.reduce_max(shapes, [3 - axis, 3]) > 0.5
        size = tf.cast(tf.shape(shapes)[axis], tf.float32)
        first = tf.cast(tf.argmax(tf.cast(inked, tf.int32), axis=1), tf.float32)
        last = size - 1 - tf.cast(tf.argmax(tf.cast(tf.reverse(inked, [1]), tf.int32), axis=1), tf.float32)
        return first, tf.maximum(last, first), size

    def spread(shapes, flare_seed):  # a keystone about the middle of a canvas twice as big, upright shapes only
        (top, bottom, _), (left, right, _) = extent(shapes, 1), extent(shapes, 2)
        strength = tf.random.stateless_uniform([count], flare_seed, -flare / 2, flare)  # mostly wider below (s > 0)
        strength = tf.where(bottom - top >= right - left, strength, 0.0)
        big = tf.pad(shapes, [[0, 0], [14, 14], [14, 14], [0, 0]])
        m, s, zeros = (2 * side - 1) / 2, strength, tf.zeros([count])
        # output (x, y) shows input ((x - m) / k + m, (y - m) / k + m) with k = 1 + s (y - m): a row's width is
        # multiplied by k. The op's k is c0 x + c1 y + 1, so every coefficient is divided by d = 1 - s m.
        d = 1 - s * m
        transforms = tf.stack(
            [1 / d, m * s / d, -m * m * s / d, zeros, (1 + m * s) / d, -m * m * s / d, zeros, s / d], 1
        )
        return tf.raw_ops.ImageProjectiveTransformV3(
            images=big,
            transforms=transforms,
            output_shape=[56, 56],
            fill_value=0.0,
            interpolation="BILINEAR",
            fill_mode="CONSTANT",
        )

    def refit(shapes, stretch_seed, brush_seed):  # stretched by a, then drawn with a brush of `margin` pixels
        (top, bottom, size), (left, right, _) = extent(shapes, 1), extent(shapes, 2)
        a = tf.exp(tf.random.stateless_uniform([count], stretch_seed, -1.0, 1.0) * tf.math.log(float(stretch)))
        margin = tf.random.stateless_uniform([count], brush_seed, 0, brush + 1, tf.int32)
        scale = (side - 2 * tf.cast(margin, tf.float32)) / tf.maximum(bottom - top + 1, a * (right - left + 1))
        reach_y, reach_x = (side - 1) / 2 / scale, (side - 1) / 2 / (a * scale)  # the box seen, from its middle
        middle_y, middle_x = (top + bottom) / 2, (left + right) / 2
        boxes = tf.stack([middle_y - reach_y, middle_x - reach_x, middle_y + reach_y, middle_x + reach_x], 1)
        resized = tf.image.crop_and_resize(shapes, boxes / (size - 1), tf.range(count), [28, 28])
        grown = tf.cast(resized > 0.5, tf.float32)
        margin, drawn = tf.reshape(margin, [-1, 1, 1, 1]), grown
        for pixels in range(1, brush + 1):  # the brush's margin, grown back one pixel each way per step
            grown = dilate(grown)
            drawn = tf.where(margin == pixels, grown, drawn)
        return drawn

    # the silhouette: threshold, close, fill the holes (a pixel with ink above, below, left and right of it)
    threshold = tf.random.stateless_uniform([count, 1, 1, 1], seeds[0], 0.04, 0.15)
    mask = erode(dilate(tf.cast(images > threshold, tf.float32)), border=1.0)
    enclosed = [tf.math.cumsum(mask, axis=axis, reverse=reverse) > 0.5 for axis in (1, 2) for reverse in (False, True)]
    filled = tf.maximum(mask, tf.cast(tf.reduce_all(tf.stack(enclosed), 0), tf.float32))

    if flare:
        filled = spread(filled, seeds[9])
    if stretch != 1 or brush or flare:  # refitted like the preprocessing fits a drawing: longest side 28, centred
        filled = refit(filled, seeds[7], seeds[8])

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
