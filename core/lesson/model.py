"""Build the Keras model from a config, and describe it without Keras.

`layer_specs` derives every layer's name, output shape and parameter count
from the config alone, so the Model page (summary table, diagram,
parameters per layer) needs no TensorFlow; `build_model` turns the same
specs into Keras layers, and the tests check that Keras agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.lesson.schema import IMAGE_SIZE, NUM_CLASSES

if TYPE_CHECKING:  # the config validates itself with `count_params`, so it imports this module
    from core.lesson.config import ModelConfig, TrainConfig


@dataclass(frozen=True)
class LayerSpec:
    """One row of `model.summary()`: name, Keras class, output shape, parameters."""

    name: str
    kind: str
    output_shape: tuple
    params: int
    options: dict


def layer_specs(cfg: ModelConfig) -> list[LayerSpec]:
    """The layers the config builds, in order, with shapes and parameter counts."""
    sizes = cfg.feature_map_sizes()
    specs, channels, side = [], 1, IMAGE_SIZE
    pool_kind = {"max": "MaxPooling2D", "average": "AveragePooling2D"}.get(cfg.pooling)
    for block, filters in enumerate(cfg.conv_filters, start=1):
        if cfg.padding == "valid":
            side -= cfg.kernel_size - 1
        k = cfg.kernel_size
        specs.append(
            LayerSpec(
                f"conv{block}",
                "Conv2D",
                (None, side, side, filters),
                (k * k * channels + 1) * filters,
                {"filters": filters, "kernel_size": k, "padding": cfg.padding, "activation": "relu"},
            )
        )
        channels = filters
        bn_before_pool = cfg.batch_norm and cfg.batch_norm_at == "before_pool"
        if bn_before_pool:  # where the app first normalised (runs saved before `batch_norm_at` may have it)
            specs.append(_batch_norm_spec(block, side, filters))
        if pool_kind:
            side = sizes[block - 1]
            specs.append(LayerSpec(f"pool{block}", pool_kind, (None, side, side, filters), 0, {"pool_size": 2}))
        if cfg.batch_norm and not bn_before_pool:
            # at the end of the block (Conv2D -> ReLU -> pool -> BatchNormalization): the conv layer's
            # output stays the activation the Filters page and Grad-CAM show, and the pooled map is a
            # quarter of the numbers to normalise (docs/presets.md, "Beyond the lesson")
            specs.append(_batch_norm_spec(block, side, filters))
    if cfg.head == "flatten":
        width = side * side * channels
        specs.append(LayerSpec("flatten", "Flatten", (None, width), 0, {}))
    else:
        width = channels
        specs.append(LayerSpec("gap", "GlobalAveragePooling2D", (None, width), 0, {}))
    if cfg.dense_units:
        specs.append(
            LayerSpec(
                "dense",
                "Dense",
                (None, cfg.dense_units),
                (width + 1) * cfg.dense_units,
                {"units": cfg.dense_units, "activation": "relu"},
            )
        )
        width = cfg.dense_units
    if cfg.dropout:
        specs.append(LayerSpec("dropout", "Dropout", (None, width), 0, {"rate": cfg.dropout}))
    specs.append(
        LayerSpec(
            "output",
            "Dense",
            (None, NUM_CLASSES),
            (width + 1) * NUM_CLASSES,
            {"units": NUM_CLASSES, "activation": "softmax"},
        )
    )
    return specs


def _batch_norm_spec(block: int, side: int, filters: int) -> LayerSpec:
    """gamma, beta (trained) + moving mean, variance per filter."""
    return LayerSpec(f"bn{block}", "BatchNormalization", (None, side, side, filters), 4 * filters, {})


def count_params(cfg: ModelConfig) -> int:
    return sum(spec.params for spec in layer_specs(cfg))


def conv_layer_names(cfg: ModelConfig) -> list[str]:
    return [spec.name for spec in layer_specs(cfg) if spec.kind == "Conv2D"]


def diagram_dot(cfg: ModelConfig) -> str:
    """Graphviz DOT source like `plot_model(show_shapes=True)`, for `st.graphviz_chart`."""
    lines = [
        "digraph model {",
        '  rankdir=TB; node [shape=record, fontname="Helvetica", fontsize=11, style=filled, fillcolor="#eef3fb"];',
        f'  input [label="{{input | InputLayer | (None, {IMAGE_SIZE}, {IMAGE_SIZE}, 1)}}", fillcolor="#ffffff"];',
    ]
    previous = "input"
    for spec in layer_specs(cfg):
        lines.append(
            f'  {spec.name} [label="{{{spec.name} | {spec.kind} | {spec.output_shape} | {spec.params:,} params}}"];'
        )
        lines.append(f"  {previous} -> {spec.name};")
        previous = spec.name
    lines.append("}")
    return "\n".join(lines)


def build_model(cfg: ModelConfig):
    """A fresh, uncompiled Keras model for the config (imports Keras lazily)."""
    import keras

    layer_types = {
        "Conv2D": keras.layers.Conv2D,
        "MaxPooling2D": keras.layers.MaxPooling2D,
        "AveragePooling2D": keras.layers.AveragePooling2D,
        "Flatten": keras.layers.Flatten,
        "GlobalAveragePooling2D": keras.layers.GlobalAveragePooling2D,
        "Dense": keras.layers.Dense,
        "Dropout": keras.layers.Dropout,
        "BatchNormalization": keras.layers.BatchNormalization,
    }
    layers = [keras.Input((IMAGE_SIZE, IMAGE_SIZE, 1), name="input")]
    layers += [layer_types[spec.kind](name=spec.name, **spec.options, **_dtype(spec)) for spec in layer_specs(cfg)]
    return keras.Sequential(layers, name="cnn")


def _dtype(spec: LayerSpec) -> dict:
    """The output layer (and so its softmax) computes in float32 under any dtype policy (`core.lesson.numerics`)."""
    return {"dtype": "float32"} if spec.name == "output" else {}


def trainable_params(cfg: ModelConfig) -> int:
    """Parameters the optimizer changes: all but batch normalisation's moving mean and variance."""
    return sum(spec.params // 2 if spec.kind == "BatchNormalization" else spec.params for spec in layer_specs(cfg))


EMA_MOMENTUM = 0.99
"""Keras's default: each step the average moves 1% of the way to the weights (about the last 100 batches)."""


def make_optimizer(cfg: TrainConfig):
    """The chosen optimizer at the run's first learning rate (a schedule then sets it batch by batch)."""
    import keras

    from core.lesson.schedules import initial_learning_rate

    lr = initial_learning_rate(cfg)
    # `ema`: the optimizer also keeps a moving average of the weights (`SwapEMAWeights` validates and saves it)
    ema = {"use_ema": True, "ema_momentum": EMA_MOMENTUM} if cfg.ema else {}
    if cfg.optimizer == "adamw":
        optimizer = keras.optimizers.AdamW(lr, weight_decay=cfg.weight_decay, **ema)
        # decay the kernels only: shrinking biases and batch-norm scales toward 0 only hurts
        optimizer.exclude_from_weight_decay(var_names=["bias", "gamma", "beta"])
        return optimizer
    if cfg.optimizer == "sgd":
        return keras.optimizers.SGD(lr, momentum=cfg.momentum, **ema)
    if cfg.optimizer == "rmsprop":
        return keras.optimizers.RMSprop(lr, **ema)
    return keras.optimizers.Adam(lr, **ema)


def make_loss(cfg: TrainConfig):
    """The lesson's sparse categorical cross-entropy, or its label-smoothed form.

    Keras 3's `SparseCategoricalCrossentropy` has no `label_smoothing`, so a
    smoothed run one-hot encodes the integer labels and uses
    `CategoricalCrossentropy(label_smoothing=...)`: the target becomes
    `1 - s + s/10` for the true class and `s/10` for each other class.
    """
    if not cfg.label_smoothing:
        return "sparse_categorical_crossentropy"
    return SmoothedSparseCrossentropy(cfg.label_smoothing)


def compile_model(model, cfg: TrainConfig, steps_per_execution: int = 1) -> None:
    """Compile with the lesson's loss and metric and the chosen optimizer.

    `steps_per_execution`: batches per call into TensorFlow (`core.lesson.numerics`).

    The metric is `SparseCategoricalAccuracy` named `accuracy`, so the
    history keeps the lesson's `accuracy`/`val_accuracy` whatever the loss.
    """
    import keras

    model.compile(
        optimizer=make_optimizer(cfg),
        loss=make_loss(cfg),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
        steps_per_execution=steps_per_execution,
    )


def _smoothed_loss_class():
    import keras

    @keras.saving.register_keras_serializable(package="cnn_lab")
    class SmoothedSparseCrossentropy(keras.losses.Loss):
        """Cross-entropy of integer labels against label-smoothed one-hot targets."""

        def __init__(self, label_smoothing: float = 0.1, name: str = "smoothed_sparse_crossentropy", **kwargs):
            super().__init__(name=name, **kwargs)
            self.label_smoothing = float(label_smoothing)

        def call(self, y_true, y_pred):
            from keras import ops

            labels = ops.cast(ops.reshape(y_true, (-1,)), "int32")
            target = ops.one_hot(labels, ops.shape(y_pred)[-1], dtype=y_pred.dtype)
            return keras.losses.categorical_crossentropy(target, y_pred, label_smoothing=self.label_smoothing)

        def get_config(self):
            return {**super().get_config(), "label_smoothing": self.label_smoothing}

    return SmoothedSparseCrossentropy


def SmoothedSparseCrossentropy(label_smoothing: float):  # noqa: N802 - a class, made lazily (Keras imports late)
    global _SMOOTHED
    if _SMOOTHED is None:
        _SMOOTHED = _smoothed_loss_class()
    return _SMOOTHED(label_smoothing)


_SMOOTHED = None


def forward_flops(cfg: ModelConfig) -> int:
    """Floating-point operations of one image through the network (a multiply-add counts 2).

    Convolutions and dense layers only; pooling, activations and dropout are
    a rounding error beside them. Training costs about three times this per
    image (forward, gradient of the input, gradient of the weights).
    """
    flops, channels = 0, 1
    for spec in layer_specs(cfg):
        if spec.kind == "Conv2D":
            _, height, width, filters = spec.output_shape
            flops += 2 * height * width * filters * cfg.kernel_size**2 * channels
            channels = filters
        elif spec.kind == "Dense":
            flops += 2 * (spec.params - spec.output_shape[1])
    return flops
