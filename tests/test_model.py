"""core.lesson.model: the config's layers, shapes and parameter counts, checked against Keras itself."""

from __future__ import annotations

import re

import keras
import numpy as np
import pytest

from core.lesson.config import ModelConfig, TrainConfig
from core.lesson.model import build_model, compile_model, conv_layer_names, count_params, diagram_dot, layer_specs


def lesson_model_by_hand() -> keras.Model:
    """The lesson's model written out as the tutorial does, independent of core.lesson.model."""
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(100, activation="relu"),
            keras.layers.Dropout(0.4),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def reference_model(cfg: ModelConfig) -> keras.Model:
    """Keras layers straight from the config's fields (not from layer_specs)."""
    layers = [keras.Input((28, 28, 1))]
    for filters in cfg.conv_filters:
        layers.append(keras.layers.Conv2D(filters, cfg.kernel_size, padding=cfg.padding, activation="relu"))
        if cfg.pooling == "max":
            layers.append(keras.layers.MaxPooling2D(2))
        elif cfg.pooling == "average":
            layers.append(keras.layers.AveragePooling2D(2))
        if cfg.batch_norm:
            layers.append(keras.layers.BatchNormalization())
    layers.append(keras.layers.Flatten() if cfg.head == "flatten" else keras.layers.GlobalAveragePooling2D())
    if cfg.dense_units:
        layers.append(keras.layers.Dense(cfg.dense_units, activation="relu"))
    if cfg.dropout:
        layers.append(keras.layers.Dropout(cfg.dropout))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    return keras.Sequential(layers)


def test_default_model_has_333526_parameters():
    cfg = ModelConfig()
    # 320 + 18,496 (conv) + 313,700 (dense 3,136 -> 100) + 1,010 (output)
    assert count_params(cfg) == 333_526
    assert build_model(cfg).count_params() == 333_526
    assert lesson_model_by_hand().count_params() == 333_526
    assert conv_layer_names(cfg) == ["conv1", "conv2"]


def test_default_model_matches_the_lesson_layer_by_layer():
    built, by_hand = build_model(ModelConfig()), lesson_model_by_hand()
    assert [type(layer).__name__ for layer in built.layers] == [type(layer).__name__ for layer in by_hand.layers]
    assert [layer.count_params() for layer in built.layers] == [layer.count_params() for layer in by_hand.layers]
    assert [tuple(layer.output.shape) for layer in built.layers] == [
        tuple(layer.output.shape) for layer in by_hand.layers
    ]
    assert [layer.name for layer in built.layers] == [
        "conv1",
        "pool1",
        "conv2",
        "pool2",
        "flatten",
        "dense",
        "dropout",
        "output",
    ]


CONFIGS = [
    ModelConfig(),
    ModelConfig(conv_filters=(16,)),
    ModelConfig(conv_filters=(8, 16, 32)),
    ModelConfig(conv_filters=(8, 16, 32), padding="valid"),
    ModelConfig(conv_filters=(4, 8), kernel_size=5, padding="valid", pooling="average"),
    ModelConfig(conv_filters=(4, 8, 8), kernel_size=7, padding="valid", pooling="none"),
    ModelConfig(conv_filters=(6,), kernel_size=1, pooling="none"),
    ModelConfig(conv_filters=(6, 12), kernel_size=9, padding="same", pooling="max"),
    ModelConfig(conv_filters=(3, 5, 7), kernel_size=3, padding="valid", pooling="average"),
    ModelConfig(conv_filters=(32, 64), head="gap"),
    ModelConfig(conv_filters=(8, 16, 32), head="gap", pooling="none", padding="valid"),
    ModelConfig(dense_units=0),
    ModelConfig(dense_units=0, dropout=0),
    ModelConfig(conv_filters=(8,), dropout=0, dense_units=17),
    ModelConfig(conv_filters=(1,), head="gap", dense_units=0, dropout=0.9, pooling="none"),
    ModelConfig(conv_filters=(5, 7), kernel_size=4, padding="valid", pooling="max"),
    ModelConfig(batch_norm=True),
    ModelConfig(conv_filters=(4, 8, 8), kernel_size=5, padding="valid", pooling="none", batch_norm=True, head="gap"),
]


def _describe(cfg: ModelConfig) -> str:
    blocks = "-".join(map(str, cfg.conv_filters))
    bn = "-bn" if cfg.batch_norm else ""
    return f"{blocks}-k{cfg.kernel_size}-{cfg.padding}-{cfg.pooling}-{cfg.head}-d{cfg.dense_units}-p{cfg.dropout}{bn}"


@pytest.mark.parametrize("cfg", CONFIGS, ids=_describe)
def test_layer_specs_agree_with_keras(cfg):
    specs = layer_specs(cfg)
    reference = reference_model(cfg)
    built = build_model(cfg)
    assert count_params(cfg) == reference.count_params() == built.count_params()
    assert len(specs) == len(reference.layers) == len(built.layers)
    for spec, ref, layer in zip(specs, reference.layers, built.layers, strict=True):
        assert spec.kind == type(ref).__name__ == type(layer).__name__
        assert spec.params == ref.count_params() == layer.count_params(), spec.name
        assert spec.output_shape == tuple(ref.output.shape) == tuple(layer.output.shape), spec.name
        assert spec.name == layer.name
    # Same computation: copy the reference's weights into the built model and compare outputs.
    built.set_weights(reference.get_weights())
    x = np.random.default_rng(0).random((3, 28, 28, 1), dtype=np.float32)
    np.testing.assert_allclose(
        np.asarray(built(x, training=False)), np.asarray(reference(x, training=False)), rtol=1e-5, atol=1e-6
    )
    assert conv_layer_names(cfg) == [f"conv{i}" for i in range(1, len(cfg.conv_filters) + 1)]


def test_feature_map_sizes_match_keras():
    pools = (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)
    for cfg in CONFIGS:
        layers = reference_model(cfg).layers
        sizes = []
        for i, layer in enumerate(layers):
            if isinstance(layer, keras.layers.Conv2D):  # a block ends after its pool, if it has one
                after = [x for x in layers[i + 1 :] if not isinstance(x, keras.layers.BatchNormalization)]
                block_end = after[0] if isinstance(after[0], pools) else layer
                sizes.append(block_end.output.shape[1])
        assert cfg.feature_map_sizes() == sizes, _describe(cfg)


def test_diagram_dot_is_a_chain_of_one_node_per_layer():
    cfg = ModelConfig(conv_filters=(8, 16, 32), pooling="average", head="gap", dense_units=0)
    specs = layer_specs(cfg)
    dot = diagram_dot(cfg)
    lines = dot.splitlines()
    assert dot.startswith("digraph ")
    assert lines[-1] == "}"
    assert dot.count("{") == dot.count("}")
    assert dot.count('"') % 2 == 0
    nodes = re.findall(r"^\s+(\w+) \[label=\"\{(.+?)\}\"", dot, flags=re.M)
    assert [name for name, _ in nodes] == ["input"] + [s.name for s in specs]
    for (_, label), spec in zip(nodes[1:], specs, strict=True):
        fields = [f.strip() for f in label.split("|")]
        assert fields == [spec.name, spec.kind, str(spec.output_shape), f"{spec.params:,} params"]
    edges = re.findall(r"^\s+(\w+) -> (\w+);$", dot, flags=re.M)
    chain = ["input"] + [s.name for s in specs]
    assert edges == list(zip(chain, chain[1:], strict=False))


def test_diagram_dot_of_the_lesson_shows_its_parameter_counts():
    dot = diagram_dot(ModelConfig())
    assert "313,700 params" in dot and "18,496 params" in dot and "(None, 28, 28, 1)" in dot


@pytest.mark.parametrize(
    "train, kind, extra",
    [
        (TrainConfig(), keras.optimizers.Adam, {}),
        (TrainConfig(optimizer="adam", learning_rate=0.0005), keras.optimizers.Adam, {}),
        (TrainConfig(optimizer="sgd", learning_rate=0.05), keras.optimizers.SGD, {"momentum": 0.9}),
        (TrainConfig(optimizer="sgd", learning_rate=0.05, momentum=0.0), keras.optimizers.SGD, {"momentum": 0.0}),
        (TrainConfig(optimizer="rmsprop", learning_rate=0.002), keras.optimizers.RMSprop, {}),
    ],
    ids=["adam-default", "adam-0.0005", "sgd-momentum", "sgd-plain", "rmsprop"],
)
def test_compile_model_for_each_optimizer(train, kind, extra):
    model = build_model(ModelConfig(conv_filters=(4,), dense_units=0, dropout=0))
    compile_model(model, train)
    assert type(model.optimizer) is kind
    assert float(model.optimizer.learning_rate) == pytest.approx(train.learning_rate)
    for key, value in extra.items():
        assert getattr(model.optimizer, key) == pytest.approx(value)
    assert model.loss == "sparse_categorical_crossentropy"
    x = np.random.default_rng(1).random((8, 28, 28, 1), dtype=np.float32)
    y = np.arange(8) % 10
    logs = model.train_on_batch(x, y, return_dict=True)
    assert set(logs) >= {"loss", "accuracy"}
    assert np.isfinite(logs["loss"]) and 0 <= logs["accuracy"] <= 1
    # A fresh, untrained model guesses: its loss is close to ln(10) per image.
    assert abs(float(logs["loss"]) - np.log(10)) < 1.0
