"""The settings beyond the lesson: batch norm, augmentation, LR schedules, AdamW, label smoothing.

Pure units first (no training); then one tiny run on the tiny data fixture
with every new setting on, checked through every inference view.
"""

from __future__ import annotations

import json
import math

import keras
import numpy as np
import pytest

from core.lesson import augment, saved_model, schedules
from core.lesson.config import ModelConfig, RunConfig, TrainConfig
from core.lesson.model import build_model, compile_model, count_params, layer_specs, trainable_params

# --- augmentation -------------------------------------------------------------


def test_levels_cover_the_schema_choices_and_grow():
    from core.lesson.schema import AUGMENTATIONS

    assert tuple(augment.LEVELS) == AUGMENTATIONS
    assert augment.LEVELS["none"] == augment.Level(False, 0.0, 0.0, 0.0)
    order = [augment.LEVELS[name] for name in AUGMENTATIONS]
    for weaker, stronger in zip(order, order[1:], strict=False):
        for key in ("shift", "rotation", "zoom"):
            assert getattr(weaker, key) <= getattr(stronger, key)
    assert json.loads(json.dumps({k: v.as_dict() for k, v in augment.LEVELS.items()}))["strong"]["flip"] is True


def _image() -> np.ndarray:
    image = np.zeros((28, 28), np.float32)
    image[6:22, 4:12] = 1.0  # a bar left of centre
    return image


def test_none_is_the_identity_and_light_only_mirrors():
    batch = np.repeat(_image()[None], 16, axis=0)
    np.testing.assert_array_equal(augment.augment_batch(batch, "none"), batch)
    light = augment.augment_batch(batch, "light", seed=3)
    mirrored = batch[:, :, ::-1]
    for original, out, flipped in zip(batch, light, mirrored, strict=True):
        assert np.array_equal(out, original) or np.array_equal(out, flipped)
    assert any(np.array_equal(out, m) for out, m in zip(light, mirrored, strict=True))  # some are flipped
    assert any(np.array_equal(out, o) for out, o in zip(light, batch, strict=True))  # some are not


def test_stronger_levels_move_pixels_but_keep_range_shape_and_repeat_by_seed():
    batch = np.repeat(_image()[None, :, :, None], 8, axis=0)
    for level in ("medium", "strong"):
        out = augment.augment_batch(batch, level, seed=7)
        assert out.shape == batch.shape and out.dtype == np.float32
        assert out.min() >= 0.0 and out.max() <= 1.0 + 1e-6
        assert not np.allclose(out, batch)
        np.testing.assert_array_equal(out, augment.augment_batch(batch, level, seed=7))
        assert not np.array_equal(out, augment.augment_batch(batch, level, seed=8))
        # small moves: most of the garment stays on the canvas
        assert out.sum(axis=(1, 2, 3)).min() > 0.5 * batch[0].sum()


def test_training_dataset_is_none_for_the_lesson_and_batches_otherwise():
    x = np.random.default_rng(0).random((70, 28, 28, 1), dtype=np.float32)
    y = np.arange(70) % 10
    assert augment.training_dataset(x, y, 32, "none", 1) is None
    batches = list(augment.training_dataset(x, y, 32, "medium", 1))
    assert [len(b[1]) for b in batches] == [32, 32, 6]
    assert sorted(np.concatenate([b[1].numpy() for b in batches]).tolist()) == sorted(y.tolist())


def test_keras_layers_match_the_level():
    assert augment.keras_layers("none") == []
    kinds = [type(layer).__name__ for layer in augment.keras_layers("strong")]
    assert kinds == ["RandomFlip", "RandomTranslation", "RandomRotation", "RandomZoom"]


# --- schedules ------------------------------------------------------------------


def test_constant_is_the_lesson():
    cfg = TrainConfig()
    assert schedules.schedule_callbacks(cfg, 100) == []
    assert schedules.initial_learning_rate(cfg) == cfg.learning_rate
    assert schedules.learning_rate_at(0, cfg, 100) == schedules.learning_rate_at(999, cfg, 100) == cfg.learning_rate


def test_cosine_decays_over_the_whole_run_after_warmup():
    cfg = TrainConfig(lr_schedule="cosine", learning_rate=0.002, epochs=10, warmup_epochs=1)
    steps = 50
    rates = [schedules.learning_rate_at(s, cfg, steps) for s in range(cfg.epochs * steps)]
    assert rates[0] == pytest.approx(0.002 * schedules.WARMUP_START)
    assert all(a < b for a, b in zip(rates[:steps], rates[1:steps], strict=False))  # warm-up rises
    assert rates[steps] == pytest.approx(0.002)
    assert all(a >= b for a, b in zip(rates[steps:], rates[steps + 1 :], strict=False))  # then only falls
    assert rates[-1] == pytest.approx(0.002 * schedules.COSINE_FLOOR, rel=0.01)
    middle = steps + (len(rates) - steps) // 2
    assert rates[middle] == pytest.approx(0.002 * (0.5 + 0.5 * schedules.COSINE_FLOOR), rel=0.02)


def test_plateau_holds_after_warmup_and_uses_reduce_lr_on_plateau():
    cfg = TrainConfig(lr_schedule="plateau", warmup_epochs=2)
    assert schedules.learning_rate_at(10_000, cfg, 10) == cfg.learning_rate
    kinds = [type(c).__mro__[1].__name__ for c in schedules.schedule_callbacks(cfg, 10)]
    assert "ReduceLROnPlateau" in kinds and len(kinds) == 2
    no_warmup = schedules.schedule_callbacks(TrainConfig(lr_schedule="plateau"), 10)
    assert len(no_warmup) == 1 and isinstance(no_warmup[0], keras.callbacks.ReduceLROnPlateau)


def test_schedule_callback_sets_the_optimizer_rate_batch_by_batch():
    cfg = TrainConfig(lr_schedule="cosine", learning_rate=0.01, epochs=2, warmup_epochs=1)
    model = build_model(ModelConfig(conv_filters=(2,), dense_units=0, dropout=0))
    compile_model(model, cfg)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.001)
    seen = []

    class Spy(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(float(self.model.optimizer.learning_rate))

    x = np.zeros((40, 28, 28, 1), np.float32)
    y = np.zeros(40, int)
    model.fit(x, y, batch_size=10, epochs=2, verbose=0, callbacks=[*schedules.schedule_callbacks(cfg, 4), Spy()])
    expected = [schedules.learning_rate_at(s, cfg, 4) for s in range(8)]
    np.testing.assert_allclose(seen, expected, rtol=1e-5)


# --- model and compile ----------------------------------------------------------


def test_batch_norm_adds_one_layer_per_conv_with_four_numbers_per_filter():
    plain, normed = ModelConfig(), ModelConfig(batch_norm=True)
    specs = layer_specs(normed)
    assert [s.name for s in specs][:4] == ["conv1", "pool1", "bn1", "conv2"]
    assert count_params(normed) - count_params(plain) == 4 * (32 + 64)
    assert trainable_params(normed) == count_params(normed) - 2 * (32 + 64)
    model = build_model(normed)
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert trainable == trainable_params(normed) and model.count_params() == count_params(normed)
    # the conv layer keeps its ReLU and its bias: Filters and Grad-CAM see what they always saw
    assert model.get_layer("conv1").activation.__name__ == "relu" and model.get_layer("conv1").use_bias


def test_a_run_saved_with_batch_norm_before_the_pooling_is_drawn_as_it_was_trained():
    """Runs saved before `batch_norm_at` existed normalised on the full-size map, before the pooling."""
    old = RunConfig.from_dict({"model": {"batch_norm": True}})
    assert old.model.batch_norm_at == "before_pool"
    assert RunConfig.from_dict({"model": {"batch_norm": True, "batch_norm_at": "after_pool"}}).model == ModelConfig(
        batch_norm=True
    )
    specs = layer_specs(old.model)
    assert [s.name for s in specs][:4] == ["conv1", "bn1", "pool1", "conv2"]
    assert specs[1].output_shape == (None, 28, 28, 32) and specs[1].params == 4 * 32
    assert count_params(old.model) == count_params(ModelConfig(batch_norm=True))
    # the saved model's own layer order (what `build_model` made then) is what the Model page now lists
    model = build_model(old.model)
    assert [layer.name for layer in model.layers] == [s.name for s in specs]
    assert [tuple(layer.output.shape) for layer in model.layers] == [s.output_shape for s in specs]


@pytest.mark.parametrize("trained_at", ["before_pool", "after_pool"])
def test_a_saved_run_without_the_place_takes_it_from_its_checkpoint(tmp_path, trained_at):
    """Both places were once saved without `batch_norm_at`: the saved model says which a run has."""
    import shutil

    from core.services import run_store

    small = {"conv_filters": [4, 8], "batch_norm": True, "dense_units": 0, "dropout": 0}
    trained = RunConfig.from_dict({"model": {**small, "batch_norm_at": trained_at}})
    run = run_store.create_run(trained, name="old", root=tmp_path)
    run.write_config({"model": small, "train": {}})  # as the app wrote it then
    assert run.config().model.batch_norm_at == "before_pool"  # no checkpoint yet: Setting.missing
    run.save_checkpoint(build_model(trained.model))
    assert saved_model.saved_batch_norm_place(run.checkpoint_path) == trained_at
    assert run.config().model == trained.model
    assert [layer.name for layer in run.load_model().layers] == [s.name for s in layer_specs(run.config().model)]
    damaged = tmp_path / "damaged"
    shutil.copytree(run.path, damaged)
    (damaged / "best.keras").write_bytes(b"not a zip")
    assert run_store.Run(damaged).config().model.batch_norm_at == "before_pool"


def test_adamw_carries_weight_decay_but_spares_biases_and_norms():
    model = build_model(ModelConfig(conv_filters=(4,), batch_norm=True, dense_units=0, dropout=0))
    compile_model(model, TrainConfig(optimizer="adamw", weight_decay=0.01, learning_rate=0.003))
    assert isinstance(model.optimizer, keras.optimizers.AdamW)
    assert model.optimizer.weight_decay == pytest.approx(0.01)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.003)
    model.optimizer.build(model.trainable_variables)
    decayed = {v.name for v in model.trainable_variables if model.optimizer._use_weight_decay(v)}
    assert decayed == {"kernel"}


def test_label_smoothing_loss_matches_the_formula_and_accuracy_stays_meaningful():
    model = build_model(ModelConfig(conv_filters=(2,), dense_units=0, dropout=0))
    compile_model(model, TrainConfig(label_smoothing=0.2))
    probs = np.full((1, 10), 0.05, np.float32)
    probs[0, 3] = 0.55
    loss = float(model.loss(np.array([3]), probs))
    target = np.full(10, 0.02)
    target[3] = 0.82
    assert loss == pytest.approx(-(target * np.log(probs[0])).sum(), rel=1e-4)
    x = np.random.default_rng(0).random((20, 28, 28, 1), dtype=np.float32)
    y = np.arange(20) % 10
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    predicted = model.predict(x, verbose=0).argmax(axis=1)
    assert logs["accuracy"] == pytest.approx((predicted == y).mean())
    compile_model(model, TrainConfig())
    assert model.loss == "sparse_categorical_crossentropy"


# --- configs --------------------------------------------------------------------


NEW_SETTINGS = {
    "batch_norm": False,
    "batch_norm_at": "after_pool",
    "optimizer": "adam",
    "weight_decay": 0.004,
    "lr_schedule": "constant",
    "warmup_epochs": 0,
    "label_smoothing": 0.0,
    "augmentation": "none",
}


def test_a_config_saved_before_the_new_settings_loads_at_their_defaults():
    old = {
        "model": {
            "conv_filters": [32, 64],
            "kernel_size": 3,
            "padding": "same",
            "pooling": "max",
            "head": "flatten",
            "dense_units": 100,
            "dropout": 0.4,
        },
        "train": {
            "optimizer": "adam",
            "learning_rate": 0.001,
            "momentum": 0.9,
            "batch_size": 32,
            "epochs": 20,
            "patience": 2,
            "train_size": None,
            "val_fraction": 0.2,
            "seed": 42,
        },
    }
    cfg = RunConfig.from_dict(old)
    values = cfg.values()
    for name, default in NEW_SETTINGS.items():
        assert values[name] == default, name
    assert cfg == RunConfig()


def test_the_shipped_lesson_run_still_loads():
    from core.services.run_store import Run

    run = Run("assets/default_run")
    assert run.config().model.batch_norm is False and run.config().train.augmentation == "none"


@pytest.mark.parametrize(
    "values",
    [
        {"augmentation": "sometimes"},
        {"lr_schedule": "step"},
        {"label_smoothing": 0.5},
        {"warmup_epochs": 9},
        {"weight_decay": -1.0},
        {"batch_norm": "yes"},
    ],
    ids=lambda v: next(iter(v)),
)
def test_bad_values_of_the_new_settings_are_refused(values):
    from core.lesson.config import ConfigError

    with pytest.raises(ConfigError):
        RunConfig.from_dict({"train" if next(iter(values)) != "batch_norm" else "model": values})


# --- one tiny run with everything on, through every view ------------------------

EVERYTHING = {
    "model": {"conv_filters": [8, 16], "dense_units": 32, "dropout": 0.2, "batch_norm": True},
    "train": {
        "epochs": 2,
        "batch_size": 32,
        "train_size": 800,
        "optimizer": "adamw",
        "weight_decay": 0.01,
        "lr_schedule": "cosine",
        "warmup_epochs": 1,
        "label_smoothing": 0.1,
        "augmentation": "medium",
        "patience": 5,
        "learning_rate": 0.003,
    },
}


@pytest.fixture(scope="module")
def everything_run(tmp_path_factory, tiny_splits):
    from core.lesson.fit_loop import train_run
    from core.services import run_store

    run = run_store.create_run(RunConfig.from_dict(EVERYTHING), name="all-new", root=tmp_path_factory.mktemp("runs"))
    state, messages = train_run(run, splits=tiny_splits)
    assert state == "finished", (state, [str(m) for m in messages])
    return run


def test_a_run_with_every_new_setting_trains_and_reloads(everything_run, tiny_splits):
    result = everything_run.result()
    assert result["epochs_run"] == 2 and 0.1 < result["test_accuracy"] <= 1
    saved = json.loads((everything_run.path / "config.json").read_text())
    assert saved["model"]["batch_norm"] is True and saved["train"]["augmentation"] == "medium"
    model = everything_run.load_model()
    kinds = [type(layer).__name__ for layer in model.layers]
    assert "BatchNormalization" in kinds
    assert not any(kind.startswith("Random") for kind in kinds)  # augmentation never enters the saved model
    assert math.isfinite(float(np.asarray(model(tiny_splits.x_test[:2], training=False)).sum()))


def test_every_inference_view_works_on_a_batch_norm_model(everything_run, tiny_splits):
    from core.analysis import inference, inspection

    model = everything_run.load_model()
    image = tiny_splits.x_test[0, :, :, 0]
    maps = inspection.feature_maps(inspection.activation_model(model), image)
    assert set(maps) == {"conv1", "conv2"} and maps["conv1"].shape == (28, 28, 8)
    explained = inference.explain(model, image)
    assert explained.gradcam is not None and explained.gradcam_layer == "conv2"
    assert np.isclose(explained.probabilities.sum(), 1.0, atol=1e-4)
    twin = inspection.untrained_twin(everything_run.config(), everything_run.kernels(0))
    assert [layer.name for layer in twin.layers] == [layer.name for layer in model.layers]
    np.testing.assert_allclose(twin.get_layer("conv1").kernel.numpy(), everything_run.kernels(0)["conv1.kernel"])
    assert inspection.conv_layers(everything_run.kernels(1)) == ["conv1", "conv2"]


def test_schedule_follows_the_step_with_several_steps_per_execution():
    """The fast path runs 4 batches per call: the rate still follows the run's step, chunk by chunk."""
    cfg = TrainConfig(lr_schedule="cosine", learning_rate=0.01, epochs=2)
    model = build_model(ModelConfig(conv_filters=(2,), dense_units=0, dropout=0))
    compile_model(model, cfg, steps_per_execution=4)
    seen = []

    class Spy(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append((batch, float(self.model.optimizer.learning_rate)))

    x = np.zeros((80, 28, 28, 1), np.float32)
    y = np.zeros(80, int)
    model.fit(x, y, batch_size=10, epochs=2, verbose=0, callbacks=[*schedules.schedule_callbacks(cfg, 8), Spy()])
    rates = [rate for _, rate in seen]
    assert len(rates) == 4  # two chunks per epoch
    expected = [schedules.learning_rate_at(s, cfg, 8) for s in (0, 4, 8, 12)]
    np.testing.assert_allclose(rates, expected, rtol=1e-5)
