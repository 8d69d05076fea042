"""Fast math (`core.lesson.numerics`): CPU detection, the path a run records, float32 models (`saved_model`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import keras
import numpy as np
import pytest
from PIL import Image

from core.analysis import inference
from core.lesson import numerics, saved_model
from core.lesson.config import RunConfig
from core.lesson.fit_loop import train_run
from core.lesson.model import build_model
from core.lesson.presets import PRESETS
from core.services import run_store
from core.services.run_store import APP_DIR

AMD_AVX2 = "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu sse2 avx avx2 fma\n"
XEON_BF16 = "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_vnni avx512_bf16\n"
SAPPHIRE_AMX = "processor\t: 0\nflags\t\t: avx512f avx512_bf16 amx_tile amx_bf16 amx_int8\n"
TINY = RunConfig.from_dict(
    {
        "model": {"conv_filters": [8, 16], "dense_units": 32, "dropout": 0.2},
        "train": {"epochs": 2, "batch_size": 32, "train_size": 320},
    }
)


@pytest.fixture
def cpu(monkeypatch):
    """Pretend to run on a CPU whose /proc/cpuinfo holds the given text (TensorFlow's oneDNN on)."""

    def pretend(text: str, onednn: bool | None = True) -> None:
        monkeypatch.setattr(numerics, "read_cpuinfo", lambda: text)
        monkeypatch.setattr(numerics, "onednn_enabled", lambda: onednn)
        monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)

    return pretend


# ---------------------------------------------------------------- detection


def test_flags_are_read_from_cpuinfo_and_must_hold_on_every_core():
    assert numerics.bf16_flag(numerics.cpu_flags(XEON_BF16)) == "avx512_bf16"
    assert numerics.bf16_flag(numerics.cpu_flags(SAPPHIRE_AMX)) == "amx_bf16"
    assert numerics.bf16_flag(numerics.cpu_flags(AMD_AVX2)) is None
    mixed_cores = XEON_BF16 + "processor\t: 1\nflags\t\t: fpu avx2\n"
    assert numerics.bf16_flag(numerics.cpu_flags(mixed_cores)) is None
    assert numerics.cpu_flags("") == frozenset()
    assert numerics.cpu_flags("Features\t: fp asimd bf16\n") == frozenset()  # ARM: not detected, not assumed


def test_without_cpuinfo_or_flags_the_fast_path_stays_float32(cpu, monkeypatch, tmp_path):
    monkeypatch.setattr(numerics, "CPUINFO", tmp_path / "missing")  # macOS, Windows, a sandbox
    assert numerics.read_cpuinfo() == ""
    assert numerics.plan(RunConfig())["precision"] == "float32"
    for text in ("", AMD_AVX2, "garbage without colons\n\n"):
        cpu(text)
        path = numerics.plan(RunConfig())
        assert path["precision"] == "float32" and path["cpu_bf16"] is None
        assert path["fast_math"] is True and path["steps_per_execution"] == 8


def test_bf16_is_chosen_only_with_the_flag_and_onednn(cpu, monkeypatch):
    cpu(XEON_BF16)
    assert numerics.plan(RunConfig())["precision"] == "mixed_bfloat16"
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")  # TensorFlow would emulate bfloat16: slower, not faster
    assert numerics.plan(RunConfig())["precision"] == "float32"
    cpu(XEON_BF16, onednn=False)  # TensorFlow loaded without oneDNN
    assert numerics.plan(RunConfig())["precision"] == "float32"
    cpu(XEON_BF16, onednn=None)  # not loaded yet: a worker turns oneDNN on first (prepare_process)
    assert numerics.plan(RunConfig())["precision"] == "mixed_bfloat16"


def test_onednn_is_asked_for_only_before_tensorflow_loads_and_with_fast_math(monkeypatch):
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    numerics.prepare_process(RunConfig())  # TensorFlow is loaded in this process: too late, nothing changes
    assert "TF_ENABLE_ONEDNN_OPTS" not in os.environ
    monkeypatch.delitem(sys.modules, "tensorflow")  # as in a fresh worker
    numerics.prepare_process(RunConfig().with_values(fast_math=False))
    assert "TF_ENABLE_ONEDNN_OPTS" not in os.environ
    numerics.prepare_process(RunConfig())
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "1"
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")  # a user's choice wins
    numerics.prepare_process(RunConfig())
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"


def test_fast_math_off_is_the_lesson_exactly(cpu):
    cpu(SAPPHIRE_AMX)
    path = numerics.plan(RunConfig().with_values(fast_math=False))
    assert path == {
        "fast_math": False,
        "precision": "float32",
        "steps_per_execution": 1,
        "validation_batch_size": None,
        "intra_op_threads": 0,
        "inter_op_threads": 0,
        "onednn": True,
        "cpu_bf16": "amx_bf16",
    }


def test_steps_per_execution_keeps_chunks_small_and_schedules_per_batch():
    assert numerics.steps_per_execution(PRESETS["lesson"]) == 8
    batch_128 = RunConfig().with_values(batch_size=128)
    assert numerics.steps_per_execution(batch_128) == 2  # about as much work per chunk
    assert numerics.steps_per_execution(PRESETS["quick"]) == 15  # a smaller network
    assert numerics.steps_per_execution(PRESETS["best"]) == 1  # its cosine rate changes every batch
    tiny = RunConfig().with_values(train_size=100, batch_size=32)
    assert numerics.steps_per_execution(tiny) == 4  # never more than an epoch's batches
    big = RunConfig().with_values(conv_filters=(128, 256), head="gap", dense_units=256, batch_size=512)
    assert numerics.steps_per_execution(big) == 1
    for changing_rate in ({"lr_schedule": "cosine"}, {"warmup_epochs": 1}):
        assert numerics.steps_per_execution(RunConfig().with_values(**changing_rate)) == 1
    assert numerics.steps_per_execution(RunConfig().with_values(lr_schedule="plateau")) == 8  # set per epoch


# ---------------------------------------------------------------- the dtype policy


def test_policy_holds_only_inside_fast_path_and_the_output_stays_float32(cpu):
    cpu(XEON_BF16)
    assert keras.config.dtype_policy().name == "float32"
    with numerics.fast_path(TINY) as path:
        assert path["precision"] == "mixed_bfloat16" == keras.config.dtype_policy().name
        model = build_model(TINY.model)
    assert keras.config.dtype_policy().name == "float32"
    policies = {layer.name: layer.dtype_policy.name for layer in model.layers}
    assert policies.pop("output") == "float32"
    assert set(policies.values()) == {"mixed_bfloat16"}
    assert all(w.dtype == "float32" for w in model.weights)  # mixed precision keeps float32 weights
    assert model(np.zeros((1, 28, 28, 1), np.float32)).dtype == "float32"
    with pytest.raises(RuntimeError), numerics.fast_path(TINY):
        raise RuntimeError("a failed build")
    assert keras.config.dtype_policy().name == "float32"
    assert saved_model.is_float32(build_model(TINY.model))


# ---------------------------------------------------------------- a run trained with mixed precision


@pytest.fixture(scope="module")
def bf16_run(tmp_path_factory, tiny_splits):
    """A tiny run trained with `mixed_bfloat16` (the CPU is made to report AVX512_BF16)."""
    patch = pytest.MonkeyPatch()
    patch.setattr(numerics, "read_cpuinfo", lambda: XEON_BF16)
    patch.setattr(numerics, "onednn_enabled", lambda: True)
    patch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    try:
        run = run_store.create_run(TINY, name="bf16", root=tmp_path_factory.mktemp("bf16"))
        state, messages = train_run(run, splits=tiny_splits)
    finally:
        patch.undo()
    assert state == "finished", " ".join(map(str, messages))
    return run


def _saved_policies(run) -> dict:
    config = json.loads(zipfile.ZipFile(run.checkpoint_path).read("config.json"))
    layers = [layer for layer in config["config"]["layers"] if layer["class_name"] != "InputLayer"]
    return {layer["config"]["name"]: layer["config"]["dtype"]["config"]["name"] for layer in layers}


def test_the_result_records_the_mixed_path(bf16_run):
    path = bf16_run.result()["numerics"]
    assert path["fast_math"] is True and path["precision"] == "mixed_bfloat16" and path["cpu_bf16"] == "avx512_bf16"
    assert path["steps_per_execution"] == numerics.steps_per_execution(TINY) > 1
    assert path["intra_op_threads"] >= 0 and path["inter_op_threads"] >= 0
    saved = _saved_policies(bf16_run)
    assert saved.pop("output") == "float32" and set(saved.values()) == {"mixed_bfloat16"}
    assert keras.config.dtype_policy().name == "float32"  # nothing leaked out of training


def test_a_mixed_precision_checkpoint_loads_as_float32(bf16_run, tiny_splits):
    model = bf16_run.load_model()
    assert saved_model.is_float32(model)
    assert [w.dtype for w in model.weights] == ["float32"] * len(model.weights)
    x = tiny_splits.x_val[:200]
    loaded = np.asarray(model(x, training=False))
    rebuilt = build_model(TINY.model)  # the same network built in float32, the trained weights put in
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(loaded, np.asarray(rebuilt(x, training=False)), atol=1e-6)
    as_saved = keras.saving.load_model(bf16_run.checkpoint_path, compile=False)  # still bfloat16 inside
    assert not saved_model.is_float32(as_saved)
    in_bf16 = np.asarray(as_saved(x, training=False))
    assert np.abs(in_bf16 - loaded).max() < 0.05  # bfloat16 rounds activations to ~3 significant digits
    assert np.mean(in_bf16.argmax(1) == loaded.argmax(1)) >= 0.97
    # the run's own evaluation is the float32 model's
    accuracy = np.mean(np.asarray(model(tiny_splits.x_val, training=False)).argmax(1) == tiny_splits.y_val)
    assert accuracy == pytest.approx(bf16_run.result()["val_accuracy"], abs=1e-6)


def test_a_mixed_precision_run_downloads_as_a_float32_model(bf16_run, tiny_splits, tmp_path):
    downloaded = tmp_path / "download.keras"
    downloaded.write_bytes(bf16_run.portable_model_bytes())  # what the download button serves
    at_home = keras.saving.load_model(downloaded, compile=False, safe_mode=True)  # a student's own Keras
    assert saved_model.is_float32(at_home)
    x = tiny_splits.x_val[:200]
    np.testing.assert_allclose(at_home(x, training=False), bf16_run.load_model()(x, training=False), atol=1e-6)
    assert set(_saved_policies(bf16_run).values()) == {"mixed_bfloat16", "float32"}  # the run's own file is untouched


def test_a_mixed_precision_run_classifies_through_the_page_and_the_cli(bf16_run, tiny_splits, tmp_path):
    model = bf16_run.load_model()
    image = tiny_splits.x_test[0, :, :, 0]
    probabilities = inference.predict_probabilities(model, image)
    assert probabilities.dtype == np.float32 and probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    explained = inference.explain(model, image)
    np.testing.assert_allclose(explained.probabilities, probabilities, atol=1e-6)
    assert explained.gradcam is not None and explained.saliency.max() == pytest.approx(1.0)

    picture = tmp_path / "coat.png"
    Image.fromarray((image * 255).astype(np.uint8)).save(picture)
    done = subprocess.run(  # a fresh process that never trained: as on a machine without BF16
        [sys.executable, "-m", "core.classify", str(picture), "--run", str(bf16_run.path), "--json"],
        cwd=APP_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout.strip().splitlines()[-1])
    pre = inference.read_picture(picture.read_bytes())
    np.testing.assert_allclose(row["probabilities"], inference.predict_probabilities(model, pre.image), atol=1e-5)


# ---------------------------------------------------------------- float32 runs record their path too


def test_a_float32_run_records_its_path(tiny_run, tiny_splits, tmp_path):
    recorded = tiny_run.result()["numerics"]
    expected = numerics.plan(tiny_run.config())
    keys = ("fast_math", "precision", "steps_per_execution", "validation_batch_size", "onednn", "cpu_bf16")
    assert {k: recorded[k] for k in keys} == {k: expected[k] for k in keys}
    assert saved_model.is_float32(tiny_run.load_model())

    lesson = run_store.create_run(TINY.with_values(fast_math=False, epochs=1), root=tmp_path)
    state, _ = train_run(lesson, splits=tiny_splits)
    assert state == "finished"
    path = lesson.result()["numerics"]
    assert (path["fast_math"], path["precision"], path["steps_per_execution"]) == (False, "float32", 1)
    assert set(_saved_policies(lesson).values()) == {"float32"}


# ---------------------------------------------------------------- live progress with several batches per call


class _Progress(run_store.Run):
    def __init__(self, path):
        super().__init__(path)
        self.writes = []

    def write_progress(self, progress) -> None:
        self.writes.append(progress)


def test_live_progress_follows_chunks_and_never_counts_past_the_epoch(tmp_path):
    from core.lesson.callbacks import LiveProgress

    run = _Progress(tmp_path)
    steps, chunk = 25, 16  # Keras reports batches 15 and 31 (the second chunk holds only 9)
    model = build_model(TINY.model)
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"], steps_per_execution=chunk)
    seen = []

    class Seen(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    x = np.random.default_rng(0).random((steps * 8, 28, 28, 1)).astype(np.float32)
    y = np.arange(steps * 8) % 10
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[LiveProgress(run, min_interval=0.0), Seen()])
    assert seen == [15, 31]
    batches = [w.batch for w in run.writes]
    assert batches == [0, 16, 25, 25]  # start, two chunks, epoch end
    assert all(w.batch <= w.steps == steps for w in run.writes)
    assert [point[0] for point in run.writes[-2].batch_curve] == [16, 25]
