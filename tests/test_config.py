"""core.lesson.config: the lesson's defaults, every refusal explained, JSON round trips, immutability."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
from helpers_core import assert_sentence

from core.lesson.config import ConfigError, ModelConfig, RunConfig, TrainConfig
from core.lesson.presets import PRESETS


def test_defaults_reproduce_the_lesson():
    cfg = RunConfig()
    m, t = cfg.model, cfg.train
    # Conv2D(32, 3, same, relu) -> MaxPool -> Conv2D(64, 3, same, relu) -> MaxPool -> Flatten
    # -> Dense(100, relu) -> Dropout(0.4) -> Dense(10, softmax)
    assert m.conv_filters == (32, 64)
    assert (m.kernel_size, m.padding, m.pooling, m.head) == (3, "same", "max", "flatten")
    assert (m.dense_units, m.dropout) == (100, 0.4)
    assert m.feature_map_sizes() == [14, 7]
    # adam(0.001), batch 32, 20 epochs, EarlyStopping(patience=2), train_test_split(test_size=0.2, random_state=42)
    assert (t.optimizer, t.learning_rate, t.batch_size, t.epochs, t.patience) == ("adam", 0.001, 32, 20, 2)
    assert (t.train_size, t.val_fraction, t.seed) == (None, 0.2, 42)
    assert t.effective_train_size() == 48_000
    assert t.steps_per_epoch() == 1_500
    assert PRESETS["lesson"] == cfg


def test_derived_sizes():
    t = TrainConfig(train_size=1000, batch_size=64)
    assert t.effective_train_size() == 1000
    assert t.steps_per_epoch() == 16  # ceil(1000 / 64)
    assert TrainConfig(val_fraction=0.1).available_train_images() == 54_000
    assert ModelConfig(padding="valid", conv_filters=(8, 8, 8)).feature_map_sizes() == [13, 5, 1]
    assert ModelConfig(kernel_size=5, padding="valid", pooling="none", conv_filters=(4, 4)).feature_map_sizes() == [
        24,
        20,
    ]


MODEL_REFUSALS = [
    ({"conv_filters": ()}, "0 blocks"),
    ({"conv_filters": (8, 8, 8, 8)}, "4 blocks"),
    ({"conv_filters": (0,)}, "0 filters"),
    ({"conv_filters": (32, 300)}, "300 filters"),
    ({"conv_filters": ("32",)}, "filters as text"),
    ({"conv_filters": (True, 8)}, "filters as bool"),
    ({"conv_filters": (8.0,)}, "filters as float"),
    ({"conv_filters": (-4,)}, "negative filters"),
    ({"kernel_size": 0}, "kernel 0"),
    ({"kernel_size": 10}, "kernel 10"),
    ({"kernel_size": 3.0}, "kernel as float"),
    ({"kernel_size": True}, "kernel as bool"),
    ({"kernel_size": 9, "padding": "valid", "conv_filters": (8, 8, 8)}, "9x9 kernel meets a 1x1 map"),
    ({"kernel_size": 7, "padding": "valid", "conv_filters": (8, 8, 8)}, "7x7 kernel meets a 2x2 map"),
    ({"kernel_size": 4, "padding": "valid", "conv_filters": (8, 8, 8)}, "1x1 map too small to pool"),
    ({"kernel_size": 4, "padding": "valid", "pooling": "average", "conv_filters": (8, 8, 8)}, "average pool too small"),
    ({"padding": "full"}, "bad padding"),
    ({"padding": "SAME"}, "padding in capitals"),
    ({"pooling": "min"}, "bad pooling"),
    ({"pooling": None}, "pooling None"),
    ({"head": "dense"}, "bad head"),
    ({"dense_units": -1}, "negative dense"),
    ({"dense_units": 2048}, "dense too big"),
    ({"dense_units": 64.5}, "dense float"),
    ({"dropout": 1.0}, "dropout 1"),
    ({"dropout": -0.1}, "dropout negative"),
    ({"dropout": "0.2"}, "dropout as text"),
    ({"dropout": float("nan")}, "dropout nan"),
]

TRAIN_REFUSALS = [
    ({"optimizer": "nadam"}, "bad optimizer"),
    ({"optimizer": "Adam"}, "optimizer in capitals"),
    ({"learning_rate": 0}, "lr 0"),
    ({"learning_rate": 10}, "lr 10"),
    ({"learning_rate": -0.001}, "lr negative"),
    ({"learning_rate": float("inf")}, "lr inf"),
    ({"learning_rate": "0.001"}, "lr as text"),
    ({"momentum": 1.0}, "momentum 1"),
    ({"batch_size": 0}, "batch 0"),
    ({"batch_size": 2000}, "batch 2000"),
    ({"batch_size": 32.0}, "batch float"),
    ({"epochs": 0}, "epochs 0"),
    ({"epochs": 101}, "epochs 101"),
    ({"patience": -1}, "patience -1"),
    ({"train_size": 50}, "train_size 50"),
    ({"train_size": 60_000}, "train_size 60000 (only 48,000 left after validation)"),
    ({"train_size": 1000.0}, "train_size float"),
    ({"train_size": "1000"}, "train_size text"),
    ({"train_size": 100, "batch_size": 200}, "batch larger than train_size"),
    ({"train_size": 40_000, "val_fraction": 0.5}, "train_size larger than what a 50% split leaves"),
    ({"val_fraction": 0.9}, "val_fraction 0.9"),
    ({"val_fraction": 0.0}, "val_fraction 0"),
    ({"seed": -1}, "seed -1"),
    ({"seed": 2**31}, "seed too big"),
    ({"seed": 4.2}, "seed float"),
]


def _ids(cases):
    return [why for _, why in cases]


@pytest.mark.parametrize("kwargs", [k for k, _ in MODEL_REFUSALS], ids=_ids(MODEL_REFUSALS))
def test_model_refusals_are_sentences(kwargs):
    with pytest.raises(ConfigError) as err:
        ModelConfig(**kwargs)
    assert_sentence(str(err.value))
    # The same refusal when the settings arrive as JSON (the Train page and the run store).
    data = {"model": {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()}}
    with pytest.raises(ConfigError) as err:
        RunConfig.from_json(json.dumps(data))
    assert_sentence(str(err.value))


@pytest.mark.parametrize("kwargs", [k for k, _ in TRAIN_REFUSALS], ids=_ids(TRAIN_REFUSALS))
def test_train_refusals_are_sentences(kwargs):
    with pytest.raises(ConfigError) as err:
        TrainConfig(**kwargs)
    assert_sentence(str(err.value))
    with pytest.raises(ConfigError) as err:
        RunConfig.from_json(json.dumps({"train": kwargs}))
    assert_sentence(str(err.value))


def test_refusals_name_the_offending_value():
    with pytest.raises(ConfigError, match=r"\(got 300\)"):
        ModelConfig(conv_filters=(32, 300))
    with pytest.raises(ConfigError, match="Block 3: a 9x9 kernel does not fit on the 1x1 feature map"):
        ModelConfig(kernel_size=9, padding="valid", conv_filters=(8, 8, 8))
    with pytest.raises(ConfigError, match="too small to pool"):
        ModelConfig(kernel_size=4, padding="valid", conv_filters=(8, 8, 8))
    with pytest.raises(ConfigError, match=r"batch size \(200\) is larger than the training set \(100 images\)"):
        TrainConfig(train_size=100, batch_size=200)
    with pytest.raises(ConfigError, match="between 100 and 48,000"):
        TrainConfig(train_size=60_000)


JSON_REFUSALS = [
    ('{"model": {"kernel": 3}}', "unknown model key"),
    ('{"train": {"epoch": 3, "lr": 0.1}}', "unknown train keys"),
    ("[1, 2, 3]", "a list"),
    ('"lesson"', "a string"),
    ("42", "a number"),
    ("null", "null"),
    ('{"model": [32, 64]}', "model section not an object"),
    ('{"train": "fast"}', "train section not an object"),
    ("{model: {}}", "invalid JSON: unquoted key"),
    ('{"model": {"conv_filters": [32, 64],}}', "invalid JSON: trailing comma"),
    ("", "invalid JSON: empty"),
    ('{"model": {"conv_filters": [32, 64]}', "invalid JSON: cut short"),
]

MORE_JSON_REFUSALS = [
    ('{"modle": {"dropout": 0.9}}', "unknown top-level section"),
    ('{"model": {"conv_filters": 32}}', "conv_filters a number"),
    ('{"model": {"conv_filters": null}}', "conv_filters null"),
]


@pytest.mark.parametrize("text", [pytest.param(text, id=why) for text, why in JSON_REFUSALS + MORE_JSON_REFUSALS])
def test_bad_json_is_refused_with_a_sentence(text):
    with pytest.raises(ConfigError) as err:
        RunConfig.from_json(text)
    assert_sentence(str(err.value))


def test_unknown_keys_are_named():
    with pytest.raises(ConfigError, match="Unknown setting\\(s\\): epoch, lr."):
        RunConfig.from_dict({"train": {"epoch": 3, "lr": 0.1}})


def test_missing_sections_and_keys_take_the_defaults():
    cfg = RunConfig.from_json('{"train": {"epochs": 5}}')
    assert cfg.model == ModelConfig()
    assert cfg.train == dataclasses.replace(TrainConfig(), epochs=5)
    assert RunConfig.from_json("{}") == RunConfig()


def _round_trip(cfg: RunConfig) -> RunConfig:
    text = cfg.to_json()
    parsed = json.loads(text)
    assert set(parsed) == {"model", "train"}
    assert parsed["model"]["conv_filters"] == list(cfg.model.conv_filters)
    return RunConfig.from_json(text)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_round_trip_through_json(name):
    cfg = PRESETS[name]
    assert _round_trip(cfg) == cfg
    assert RunConfig.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg


def test_default_round_trip_through_json():
    cfg = RunConfig()
    back = _round_trip(cfg)
    assert back == cfg
    assert back.model.conv_filters == (32, 64)  # a tuple again, not the JSON list
    assert back.train.train_size is None


def _random_config(rng: random.Random) -> RunConfig | None:
    model = {
        "conv_filters": [rng.choice([1, 4, 8, 16, 32, 64, 128, 256]) for _ in range(rng.randint(1, 3))],
        "kernel_size": rng.randint(1, 9),
        "padding": rng.choice(["same", "valid"]),
        "pooling": rng.choice(["max", "average", "none"]),
        "head": rng.choice(["flatten", "gap"]),
        "dense_units": rng.choice([0, 1, 32, 100, 1024]),
        "dropout": rng.choice([0, 0.0, 0.25, 0.5, 0.9]),
    }
    train = {
        "optimizer": rng.choice(["adam", "sgd", "rmsprop"]),
        "learning_rate": rng.choice([1e-6, 1e-4, 0.001, 0.0123, 1.0]),
        "momentum": rng.choice([0.0, 0.5, 0.99]),
        "batch_size": rng.choice([1, 16, 32, 128, 1024]),
        "epochs": rng.randint(1, 100),
        "patience": rng.randint(0, 20),
        "train_size": rng.choice([None, 100, 1000, 30_000]),
        "val_fraction": rng.choice([0.05, 0.2, 0.5]),
        "seed": rng.randint(0, 2**31 - 1),
    }
    try:
        return RunConfig.from_dict({"model": model, "train": train})
    except ConfigError:
        return None  # e.g. a 9x9 kernel on a small valid-padded map


def test_random_valid_configs_round_trip_through_json():
    rng = random.Random(2024)
    configs = [c for c in (_random_config(rng) for _ in range(200)) if c is not None]
    assert len(configs) >= 50
    for cfg in configs:
        assert _round_trip(cfg) == cfg


def test_configs_are_frozen_and_hashable():
    cfg = RunConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.model = ModelConfig(conv_filters=(8,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.model.kernel_size = 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.train.epochs = 3
    listed = ModelConfig(conv_filters=[8, 16])
    assert listed.conv_filters == (8, 16)  # a list is stored as a tuple, so nothing inside can change
    assert hash(listed) == hash(ModelConfig(conv_filters=(8, 16)))
    assert len({RunConfig(), RunConfig.from_json(RunConfig().to_json())}) == 1
