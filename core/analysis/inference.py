"""Classify one picture with a trained model, and explain the answer.

The Classify page and the command line share this module: bytes or a drawing
go through `core.lesson.preprocess` (the dataset's own steps), the 28x28 result goes
through the model, and the answer comes with the evidence for it.

- `predict_probabilities` calls the model directly, `model(x, training=False)`,
  inside a `tf.function` traced once per model: ~1 ms per image (2-core development machine, 2026-11-28),
  against ~7 ms for the eager call and 80-250 ms for `model.predict`, which
  sets up a whole dataset pipeline on every call.
- `explain` computes, in one forward and backward pass, the probabilities, a
  saliency map (Simonyan et al. 2014: the gradient of the class score with
  respect to each input pixel) and a Grad-CAM map (Selvaraju et al. 2017: the last conv layer's feature maps,
  weighted by how much the class score depends on each).
- The untrained network's answer comes from `core.analysis.inspection.untrained_twin`:
  the same input gives a meaningless answer there.

The command line `python -m core.classify` uses this same pipeline.

Keras models may be called from many threads at once for inference: nothing
here changes a model's weights or Keras's global state (no global seed, no
`clear_session`).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, replace

import numpy as np

from core.lesson import preprocess as prep
from core.lesson.schema import IMAGE_SIZE, NUM_CLASSES

UNSURE_BELOW = 0.5
"""Below this top probability the page says that the model is unsure."""

MIN_DRAWN_FRACTION = 0.005
"""A drawing whose strokes cover less of the canvas than this (a dot, a short
dash) counts as blank: the model would only guess."""

INK_LEVEL = 64
"""A pixel of the "contrast" step counts as drawn when it is at least this bright (of 255)."""


def as_batch(image28: np.ndarray) -> np.ndarray:
    """A 28x28 image in [0, 1] as the model's input: float32, shape (1, 28, 28, 1).

    Args:
        image28: (28, 28) or (28, 28, 1), light object on dark ground, like
            `Preprocessed.image` or a scaled dataset image.
    """
    image = np.asarray(image28, dtype=np.float32)
    if image.size != IMAGE_SIZE * IMAGE_SIZE:
        raise ValueError(f"Expected a {IMAGE_SIZE}x{IMAGE_SIZE} image, got shape {image.shape}.")
    return image.reshape(1, IMAGE_SIZE, IMAGE_SIZE, 1)


def predict_probabilities(model, image28: np.ndarray) -> np.ndarray:
    """The model's ten class probabilities for one image.

    The model is called directly, `model(x, training=False)`, inside a
    `tf.function` traced once per model (see `_compiled`).

    Args:
        model: a Keras model ending in a 10-way softmax.
        image28: see `as_batch`.

    Returns:
        float32 array of shape (10,), summing to 1.
    """
    return _compiled(model).predict(as_batch(image28)).numpy()


def top_k(probabilities: np.ndarray, k: int = 3) -> list[tuple[int, float]]:
    """The `k` most probable classes as `(index, probability)`, most probable first.

    Ties go to the lower class index, so the order is reproducible.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    order = np.argsort(-probabilities, kind="stable")[:k]
    return [(int(i), float(probabilities[i])) for i in order]


@dataclass(frozen=True, eq=False)
class Explanation:
    """One forward and backward pass over one image.

    Attributes:
        probabilities: (10,) float32, the model's softmax output.
        index: the predicted class.
        gradient: (28, 28) float32, d(score of `index`) / d(pixel), signed.
        saliency: (28, 28) float32 in [0, 1]: |gradient| scaled so its maximum is 1.
        gradcam: (28, 28) float32 in [0, 1], or None when the model has no conv layer.
        gradcam_layer: name of the conv layer Grad-CAM looked at ("" when None).
    """

    probabilities: np.ndarray
    index: int
    gradient: np.ndarray
    saliency: np.ndarray
    gradcam: np.ndarray | None
    gradcam_layer: str


def _softmax_head(model):
    """`(body, last)` when the model is a Sequential ending in a softmax Dense layer, else None.

    The class *score* is then `body(x) @ last.kernel + last.bias`, the value
    before the softmax: its gradient does not vanish when the model is sure,
    unlike the probability's.
    """
    import keras

    layers = list(getattr(model, "layers", []))
    if not isinstance(model, keras.Sequential) or not layers:
        return None
    last = layers[-1]
    if not isinstance(last, keras.layers.Dense) or getattr(last.activation, "__name__", "") != "softmax":
        return None
    return layers[:-1], last


def explain(model, image28: np.ndarray, index: int | None = None) -> Explanation:
    """Predict and explain one image in a single forward and backward pass.

    Args:
        model: a Keras model ending in a 10-way softmax (any Sequential the app
            builds; other models get a saliency from the probability instead
            of the score, and no Grad-CAM).
        image28: see `as_batch`.
        index: the class to explain; default the predicted one.

    Returns:
        An `Explanation`.
    """
    compiled = _compiled(model)
    chosen = -1 if index is None else int(index)
    if not -1 <= chosen < NUM_CLASSES:
        raise ValueError(f"index must be a class from 0 to {NUM_CLASSES - 1}, got {index}.")
    probs, chosen, gradient, maps, map_grads = (t.numpy() for t in compiled.explain(as_batch(image28), chosen))
    return Explanation(
        probabilities=probs,
        index=int(chosen),
        gradient=gradient,
        saliency=_unit(np.abs(gradient)),
        gradcam=_gradcam(maps, map_grads) if compiled.conv_layer else None,
        gradcam_layer=compiled.conv_layer,
    )


def predict_mirrored(model, image28: np.ndarray) -> np.ndarray:
    """The average of the picture's and its mirror image's ten probabilities: the Draw tab's answer."""
    image = np.asarray(image28, dtype=np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
    return _with_mirror(model, image, predict_probabilities(model, image))


def _with_mirror(model, image: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """`probabilities` (the picture's own) averaged with its left-right mirror image's."""
    return ((probabilities + predict_probabilities(model, image[:, ::-1])) / 2).astype(np.float32)


def explain_mirrored(model, image28: np.ndarray) -> Explanation:
    """`explain`, answering with the average of the picture's and its mirror image's probabilities.

    Test-time flips for one picture, as Evaluate's setting does for the test set: a drawing faces either
    way, and a network trained with flips knows both. The saliency and Grad-CAM explain that answer on the
    picture itself.
    """
    image = np.asarray(image28, dtype=np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
    explained = explain(model, image)
    averaged = _with_mirror(model, image, explained.probabilities)
    if int(np.argmax(averaged)) != explained.index:  # the mirror changed the answer: explain that class instead
        explained = explain(model, image, int(np.argmax(averaged)))
    return replace(explained, probabilities=averaged)


class _Compiled:
    """A model's inference and explanation as `tf.function`s, traced once.

    For one 28x28 image, Keras's eager `model(x)` spends most of its time in
    Python, layer by layer; the traced graph runs the same layers several
    times faster. The functions hold a weak reference to the model, so a model
    dropped from the app's cache is freed together with them.
    """

    def __init__(self, model):
        import keras
        import tensorflow as tf

        ref = weakref.ref(model)
        split = _softmax_head(model)
        has_head = split is not None
        convs = [layer for layer in (split[0] if has_head else []) if isinstance(layer, keras.layers.Conv2D)]
        del split  # the traced functions must not hold the layers: the model is looked up through `ref`
        self.conv_layer = convs[-1].name if convs else ""
        image_spec = tf.TensorSpec((1, IMAGE_SIZE, IMAGE_SIZE, 1), tf.float32)

        @tf.function(input_signature=[image_spec])
        def predict(x):
            return ref()(x, training=False)[0]

        @tf.function(input_signature=[image_spec, tf.TensorSpec((), tf.int32)])
        def explain(x, index):
            maps = tf.zeros((1, 1, 1, 1))
            with tf.GradientTape() as tape:
                tape.watch(x)
                if not has_head:
                    probabilities = ref()(x, training=False)
                    scores = probabilities
                else:
                    body, last = _softmax_head(ref())
                    h = x
                    for layer in body:
                        h = layer(h, training=False)
                        if layer.name == self.conv_layer:
                            maps = h
                    scores = tf.matmul(h, last.kernel) + last.bias
                    probabilities = tf.nn.softmax(scores)
                chosen = tf.where(index < 0, tf.argmax(probabilities[0], output_type=tf.int32), index)
                score = tf.gather(scores[0], chosen)
            if self.conv_layer:
                grad_x, grad_maps = tape.gradient(score, [x, maps])
            else:
                grad_x, grad_maps = tape.gradient(score, x), tf.zeros_like(maps)
            return probabilities[0], chosen, grad_x[0, :, :, 0], maps[0], grad_maps[0]

        self.predict, self.explain = predict, explain


_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_COMPILED_LOCK = threading.Lock()


def _compiled(model) -> _Compiled:
    """The `_Compiled` functions of a model, made on first use (thread-safe)."""
    with _COMPILED_LOCK:
        compiled = _COMPILED.get(model)
        if compiled is None:
            compiled = _COMPILED[model] = _Compiled(model)
    return compiled


def saliency(model, image28: np.ndarray, index: int | None = None) -> np.ndarray:
    """Which pixels the class score is most sensitive to: (28, 28) float32 in [0, 1].

    Args:
        model, image28, index: as for `explain`.
    """
    return explain(model, image28, index).saliency


def _gradcam(maps: np.ndarray, grads: np.ndarray) -> np.ndarray:
    """Grad-CAM: ReLU of the feature maps weighted by their mean gradient, enlarged to 28x28.

    Args:
        maps: (h, w, channels) activations of the last conv layer.
        grads: (h, w, channels) gradient of the class score with respect to them.
    """
    from PIL import Image

    weights = grads.mean(axis=(0, 1))
    cam = np.maximum((maps * weights).sum(axis=-1), 0).astype(np.float32)
    if cam.shape != (IMAGE_SIZE, IMAGE_SIZE):
        cam = np.asarray(Image.fromarray(cam).resize((IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.BILINEAR))
    return _unit(np.maximum(cam, 0))


def _unit(values: np.ndarray) -> np.ndarray:
    """Scale non-negative values so the largest is 1 (all zeros stay zeros)."""
    top = float(values.max()) if values.size else 0.0
    return (values / top if top > 0 else np.zeros_like(values)).astype(np.float32)


def drawn_fraction(pre: prep.Preprocessed) -> float:
    """Share of the picture covered by the object, from the "contrast" step (0 when blank).

    The canvas guard uses it: a single dot or a short dash is not a drawing
    of clothes, and after trimming it would fill the whole 28x28 frame.
    """
    if pre.blank:
        return 0.0
    levels = dict(pre.steps).get("contrast")
    return 0.0 if levels is None else float((levels >= INK_LEVEL).mean())


def read_picture(data: bytes, max_bytes: int = prep.MAX_BYTES, fill_outlines: bool = False) -> prep.Preprocessed:
    """Uploaded bytes -> `Preprocessed`, every failure as an `ImageError`.

    Args:
        data: the file's bytes.
        max_bytes: largest accepted file size (the page passes Streamlit's
            `server.maxUploadSize`, so this is a second check behind the browser's).
        fill_outlines: fill an outline first, as the Draw tab does (`preprocess`).

    Raises:
        ImageError: with the codes of `preprocess.decode_image`, or "unreadable"
            for anything else Pillow could not make sense of.
    """
    try:
        return prep.preprocess(prep.decode_image(data, max_bytes=max_bytes), fill_outlines)
    except prep.ImageError:
        raise
    except MemoryError as exc:
        raise prep.ImageError("too_many_pixels") from exc
    except Exception as exc:  # a decoder quirk must become a message, never a traceback
        raise prep.ImageError("unreadable") from exc


def is_animated(data: bytes) -> bool:
    """Whether the bytes hold an animation (only its first frame is classified)."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=prep.FORMATS) as img:
            return bool(getattr(img, "is_animated", False))
    except Exception:
        return False
