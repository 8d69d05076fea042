"""A trained model's `.keras` file: loaded in float32, downloaded portable, shipped without optimizer state.

Whatever trained a model (bfloat16 mixed precision on a CPU that has it, or
float32), every model loaded for use is float32, so a checkpoint classifies
the same on every machine. The run store keeps the file; this module says
what is done with what is in it, and `saved_batch_norm_place` reads its layer
order without TensorFlow (for configs saved before `batch_norm_at`).
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

FLOAT32 = "float32"


def load(path: Path):
    """The model saved at `path`, loaded in Keras's safe mode, uncompiled, in float32 (`as_float32`)."""
    import keras

    return as_float32(keras.saving.load_model(path, compile=False, safe_mode=True))


def portable_bytes(path: Path) -> bytes:
    """The model saved at `path` as a `.keras` file that computes in float32 anywhere: what a student downloads.

    A bfloat16 run's checkpoint would load at home in bfloat16, which a CPU
    without bfloat16 instructions emulates slowly; its float32 copy is saved
    instead. A float32 checkpoint is served as is.
    """
    import keras

    saved = keras.saving.load_model(path, compile=False, safe_mode=True)
    if is_float32(saved):
        return Path(path).read_bytes()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "model.keras"
        as_float32(saved).save(copy)
        return copy.read_bytes()


def without_optimizer_state(model):
    """A copy with the same weights and no optimizer slots (a third of the file, same predictions).

    For the models shipped with the app, which are never trained further.
    """
    import keras

    bare = keras.models.clone_model(model)
    bare.set_weights(model.get_weights())
    return bare


def is_float32(model) -> bool:
    """Whether every layer of the model computes in float32."""
    return all(getattr(layer, "compute_dtype", FLOAT32) == FLOAT32 for layer in _all_layers(model))


def as_float32(model):
    """The model itself when it computes in float32; else a float32 copy with the same weights.

    A checkpoint saved from a `mixed_bfloat16` run stores that policy in every
    layer's config, and Keras 3 loads it as it was saved (bfloat16 compute,
    which is slow or unavailable elsewhere, and which the Classify page's
    traced functions do not expect). The weights themselves are float32 in
    either case, so the copy predicts what the trained model predicts, up to
    bfloat16's rounding of the activations.
    """
    import keras

    if is_float32(model):
        return model

    def float32_layer(layer):
        config = layer.get_config()
        if "dtype" in config and not isinstance(layer, keras.layers.InputLayer):
            config["dtype"] = FLOAT32
        return layer.__class__.from_config(config)

    copy = keras.models.clone_model(model, clone_function=float32_layer)
    copy.set_weights([weight.astype("float32") for weight in model.get_weights()])
    return copy


def _all_layers(model):
    for layer in getattr(model, "layers", []):
        yield layer
        yield from _all_layers(layer)


def saved_batch_norm_place(checkpoint: Path) -> str | None:
    """`before_pool` or `after_pool`: where a saved model's first block normalises (None: not known).

    Read from the layer list inside the `.keras` archive, without TensorFlow.
    """
    try:
        with zipfile.ZipFile(checkpoint) as archive:
            names = [layer["config"]["name"] for layer in json.loads(archive.read("config.json"))["config"]["layers"]]
    except (OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile):
        return None
    if "bn1" not in names or "pool1" not in names:
        return None
    return "before_pool" if names.index("bn1") < names.index("pool1") else "after_pool"
