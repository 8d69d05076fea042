"""What a network finds most like a picture: its nearest training images, and why it hesitates between two classes.

The network's last hidden layer (the input of its softmax layer) is where it
has turned a picture into the numbers it decides on; two pictures close there
look alike to it. Showing a student the training images nearest to their
drawing shows what the network learned from: photos, with grey levels,
texture and sleeves hanging down, not flat drawings.
"""

from __future__ import annotations

import numpy as np

SEARCHED_IMAGES = 6_000
"""Training images searched: 600 per class on average, a second or two once per model on 2 cores."""

CONFUSED_BELOW = 0.5
"""Below this top probability the network is unsure (as `core.analysis.inference.UNSURE_BELOW`)."""

LONG_SLEEVED = (2, 4, 6)
"""Pullover, Coat and Shirt: drawn with a thick pen they become one silhouette, because the pen fills the space
between a sleeve and the body (a thinner pen named more of them right: docs/drawings.md, round 4)."""


def hidden_model(model):
    """A model from the same input to the last hidden layer: what the output layer reads."""
    import keras

    return keras.Model(model.inputs[0], model.get_layer("output").input)


def features(hidden, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Unit-length last-hidden-layer vectors `(n, d)` of images `(n, 28, 28[, 1])` in [0, 1]."""
    x = np.asarray(images, np.float32).reshape(len(images), 28, 28, 1)
    out = np.concatenate(
        [np.asarray(hidden(x[i : i + batch_size], training=False)) for i in range(0, len(x), batch_size)]
    )
    out = out.reshape(len(x), -1).astype(np.float32)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def nearest(train_features: np.ndarray, query: np.ndarray, k: int = 3) -> list[tuple[int, float]]:
    """The `k` training images most like `query` (one unit vector): `(index, cosine similarity)`, closest first."""
    similarity = train_features @ np.asarray(query, np.float32).reshape(-1)
    order = np.argsort(-similarity, kind="stable")[:k]
    return [(int(i), float(similarity[i])) for i in order]


def hesitation(probabilities: np.ndarray) -> tuple[int, int] | None:
    """The two classes the network hesitates between, `(first, second)`, or None when it is sure enough."""
    order = np.argsort(-np.asarray(probabilities), kind="stable")
    if probabilities[order[0]] >= CONFUSED_BELOW:
        return None
    return int(order[0]), int(order[1])
