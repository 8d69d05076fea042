"""Take the code home: a run as a Keras script and a notebook (`core.lesson.code_export`, `python -m core.export`).

The proof that an export is right is to run it: every architecture setting
value the schema accepts is exported, the script runs in a subprocess on the
tests' tiny dataset (`FASHION_MNIST_DIR`, `FASHION_MNIST_SUBSET`), and the
layers, output shapes and parameter count it reports (`MODEL_SUMMARY_JSON`)
must equal the app's own `build_model`. The cases come from
`core.lesson.schema`, so a new setting or value is tested without editing
this file.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from helpers_core import needs_data

from core import export as export_cli
from core.lesson import augment, code_export, numerics, schedules, schema, sketches
from core.lesson.config import ConfigError, RunConfig
from core.lesson.model import layer_specs
from core.services import run_store
from core.services.run_store import APP_DIR

ALLOWED_IMPORTS = {"gzip", "json", "math", "os", "keras", "matplotlib", "numpy", "tensorflow", "sklearn"}
LESSON_NAMES = (
    "train_scaled",
    "val_scaled",
    "train_target",
    "val_target",
    "model",
    "checkpoint_cb",
    "early_stopping_cb",
)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
SUBSET = "64"  # images the exported scripts train on in these tests


# ---------------------------------------------------------------- cases from the schema


def candidate_values(setting: schema.Setting) -> list:
    """The values of one setting worth exporting: every choice, or the ends, the default and the slider's steps."""
    if setting.kind == "bool":
        return [False, True]
    if setting.kind == "choice":
        return list(setting.choices)
    if setting.kind == "filters":
        low, high = int(setting.low), int(setting.high)
        return [tuple([n] * blocks) for blocks in (1, 2, 3) for n in (low, high)]
    number = int if setting.kind in ("int", "subset") else float
    values = {number(setting.low), number(setting.high), *map(number, setting.steps)}
    if setting.default is not None:
        values.add(setting.default)
    return sorted(values)


def valid_config(base: RunConfig, name: str, value, others: tuple[schema.Setting, ...]) -> RunConfig:
    """`base` with `name=value`; when that alone is refused (a pool on a 1x1 map, too many parameters),
    the first single change of another setting that makes it valid."""
    try:
        return base.with_values(**{name: value})
    except ConfigError:
        pass
    for other in others:
        if other.name == name:
            continue
        for other_value in candidate_values(other):
            try:
                return base.with_values(**{name: value, other.name: other_value})
            except ConfigError:
                continue
    raise AssertionError(f"no valid config has {name}={value!r}")


def architecture_cases() -> list:
    """Configs that together hold every value of every architecture setting (a covering set, from the schema).

    Greedy: start from the lesson (one epoch) and add each value not yet covered
    whenever the config stays valid; start a new config until none is left. A value
    that is refused in every such config (too many parameters, a pool on a 1x1 map)
    gets a config of its own, made valid by one other change (`valid_config`).
    Each case's id lists what it changes.
    """
    base = RunConfig().with_values(epochs=1)
    settings = schema.architecture_settings()
    uncovered = [(s.name, v) for s in settings for v in candidate_values(s) if v != s.default]
    cases = [pytest.param(base, id="lesson")]
    while uncovered:
        cfg, changed = base, {}
        for name, value in list(uncovered):
            if name in changed:
                continue
            try:
                cfg = cfg.with_values(**{name: value})
            except ConfigError:
                continue
            changed[name] = value
            uncovered.remove((name, value))
        if not changed:  # what is left fits no growing config: one config each
            name, value = uncovered.pop(0)
            cfg = valid_config(base, name, value, settings)
            changed = {name: value}
        cases.append(pytest.param(cfg, id=",".join(f"{k}={v}" for k, v in changed.items()).replace(" ", "")))
    return cases


def training_cases() -> list:
    """Configs that together give every choice and switch of the training settings (a covering set):
    row i takes choice i of each (cycling), and odd rows also turn on warm-up, label smoothing and a subset."""
    choices = [s for s in schema.section("train") if s.kind in ("choice", "bool")]
    rows = max(len(candidate_values(s)) for s in choices)
    cases = []
    for i in range(rows):
        values = {s.name: candidate_values(s)[i % len(candidate_values(s))] for s in choices}
        if i % 2:
            values |= {
                "warmup_epochs": 1,
                "label_smoothing": schema.BY_NAME["label_smoothing"].high,
                "train_size": schema.BY_NAME["train_size"].low,
            }
        cfg = RunConfig().with_values(epochs=2, conv_filters=(8, 16), dense_units=32, **values)
        cases.append(pytest.param(cfg, id="-".join(str(v) for v in values.values())))
    return cases


ARCHITECTURE = architecture_cases()
TRAINING = training_cases()
ALL = [*ARCHITECTURE, *TRAINING]


def test_the_cases_cover_every_value_of_every_setting():
    architecture = [p.values[0] for p in ARCHITECTURE]
    for setting in schema.architecture_settings():
        found = {_hashable(getattr(cfg.model, setting.name)) for cfg in architecture}
        assert {_hashable(v) for v in candidate_values(setting)} <= found, setting.name
    training = [p.values[0] for p in TRAINING]
    for setting in schema.section("train"):
        if setting.kind in ("choice", "bool"):
            assert {getattr(cfg.train, setting.name) for cfg in training} == set(candidate_values(setting))


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


# ---------------------------------------------------------------- the code itself (no Keras)


def imported_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add((node.module or "").split(".")[0])
    return modules


@pytest.mark.parametrize("cfg", ALL)
def test_script_is_python_that_imports_nothing_from_the_app(cfg):
    for lang in code_export.LANGUAGES:
        source = code_export.script(cfg, lang, "test run")
        assert imported_modules(source) <= ALLOWED_IMPORTS
        assert not re.search(r"\b(core|ui|app_pages|streamlit)\b\.", source)
        assert compile(source, "exported.py", "exec")


def test_every_export_passes_pyflakes(tmp_path):
    """No undefined name, no unused import, in any case, in either language (ruff's F rules)."""
    for i, param in enumerate(ALL):
        for lang in code_export.LANGUAGES:
            (tmp_path / f"case{i}_{lang}.py").write_text(code_export.script(param.values[0], lang), encoding="utf-8")
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff is not installed")
    checked = subprocess.run(
        [str(ruff), "check", "--no-cache", "--isolated", "--select", "F", str(tmp_path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout


def test_the_lesson_reads_like_the_lesson():
    source = code_export.script(RunConfig().with_values(fast_math=False), "en")
    for line in (
        "train_scaled = train_input.reshape(-1, 28, 28, 1) / 255.0",
        "train_scaled, val_scaled, train_target, val_target = train_test_split("
        "train_scaled, train_target, test_size=0.2, random_state=42)",
        "(train_input, train_target), (test_input, test_target) = keras.datasets.fashion_mnist.load_data()",
        "model.add(keras.layers.Conv2D(32, kernel_size=3, activation='relu', padding='same', name='conv1'))",
        "model.add(keras.layers.MaxPooling2D(2, name='pool1'))",
        "model.add(keras.layers.Dropout(0.4, name='dropout'))",
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])",
        "checkpoint_cb = keras.callbacks.ModelCheckpoint('best-cnn-model.keras', save_best_only=True)",
        "early_stopping_cb = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)",
        "history = model.fit(train_scaled, train_target, epochs=20, batch_size=32, "
        "validation_data=(val_scaled, val_target), callbacks=[checkpoint_cb, early_stopping_cb])",
        "model.evaluate(val_scaled, val_target)",
        "model.evaluate(test_scaled, test_target)",
        "fig, axs = plt.subplots(2, 16, figsize=(15, 2))",
        "        axs[i, j].imshow(conv_weights[:, :, 0, i * 16 + j], vmin=-0.5, vmax=0.5)",
        "keras.utils.set_random_seed(42)",
        "data_dir = os.environ.get('FASHION_MNIST_DIR', '/usr/share/datasets/fashion-mnist')",
    ):
        assert line.strip() in {code.strip() for code in source.splitlines()}, line
    assigned = {
        target.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign)
        for target in ast.walk(node.targets[0])
        if isinstance(target, ast.Name)
    }
    assert set(LESSON_NAMES) <= assigned
    assert "train_data" not in source and "schedule_cbs" not in source and "import tensorflow" not in source


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_run_watching_accuracy_exports_callbacks_watching_accuracy(lang):
    source = code_export.script(RunConfig().with_values(monitor="val_accuracy", patience=5), lang)
    lines = {code.strip() for code in source.splitlines()}
    assert (
        "checkpoint_cb = keras.callbacks.ModelCheckpoint('best-cnn-model.keras', "
        "monitor='val_accuracy', save_best_only=True)" in lines
    )
    assert (
        "early_stopping_cb = keras.callbacks.EarlyStopping(monitor='val_accuracy', "
        "patience=5, restore_best_weights=True)" in lines
    )
    assert code_export.text("step_fit_val_accuracy", lang, patience=5).split("\n")[0] in source


@pytest.mark.parametrize("cfg", ARCHITECTURE)
def test_the_layers_are_the_apps_in_order(cfg):
    source = code_export.script(cfg, "en")
    added = re.findall(r"^model\.add\(keras\.layers\.(\w+)\(.*name='(\w+)'\)\)$", source, re.M)
    assert added == [(spec.kind, spec.name) for spec in layer_specs(cfg.model)]


def test_comments_speak_the_students_language_and_the_code_is_the_same():
    cfg = RunConfig().with_values(batch_norm=True, augmentation="medium", lr_schedule="plateau", warmup_epochs=2)
    english, korean = code_export.script(cfg, "en"), code_export.script(cfg, "ko")
    comments = [line for line in korean.splitlines() if line.lstrip().startswith("#")]
    assert all(HANGUL.search(line) for line in comments if re.search("[A-Za-z가-힣]{3}", line) and "=" not in line)
    assert not HANGUL.search(english)

    def code(source: str) -> list[str]:
        return [line for line in source.splitlines() if not line.lstrip().startswith("#")]

    assert code(english) == code(korean)
    assert code_export.script(cfg, "fr") == english  # an unknown language falls back to English


def test_header_documents_the_environment_variables_and_every_setting():
    cfg = RunConfig().with_values(train_size=3000, optimizer="sgd")
    for lang in code_export.LANGUAGES:
        head = code_export.header(cfg, lang, "Kim's run")
        assert head.startswith("# Kim's run")
        for variable in (code_export.ENV_DATA_DIR, code_export.ENV_SUBSET, code_export.ENV_SUMMARY):
            assert variable in head
        assert "/usr/share/datasets/fashion-mnist" in head
        for setting in schema.SETTINGS:
            assert re.search(rf"^#   {setting.name} +=", head, re.M), setting.name
        assert re.search(r"train_size += 3,000$", head, re.M) and re.search(r"optimizer += sgd$", head, re.M)


@pytest.mark.parametrize("cfg", ALL[:3] + TRAINING)
def test_notebook_is_valid_and_its_code_cells_are_the_script(cfg):
    for lang in code_export.LANGUAGES:
        text = code_export.notebook_text(cfg, lang, "a run")
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ` a run `")  # a code span
        code_cells = [cell.source for cell in nb.cells if cell.cell_type == "code"]
        assert [cell.cell_type for cell in nb.cells[1:]] == ["code"] * len(code_cells)
        script = code_export.script(cfg, lang, "a run")
        head = code_export.header(cfg, lang, "a run")
        assert script == head + code_export.CELL_SEPARATOR + code_export.CELL_SEPARATOR.join(code_cells) + "\n"
        assert all(line.startswith("#") for line in head.splitlines())
        # the steps are numbered in order, in each cell's first line
        assert [int(re.match(r"# (\d+)\. ", cell).group(1)) for cell in code_cells] == list(
            range(1, len(code_cells) + 1)
        )


@pytest.mark.parametrize("level", schema.AUGMENTATIONS)
def test_augmentation_follows_the_levels_table(level):
    source = code_export.script(RunConfig().with_values(augmentation=level), "en")
    spec = augment.LEVELS[level]
    assert ("RandomFlip('horizontal')" in source) == spec.flip
    assert (f"RandomRotation({spec.rotation!r} / 360" in source) == bool(spec.rotation)
    assert (f"RandomZoom({spec.zoom!r}," in source) == bool(spec.zoom)
    assert (f"RandomTranslation({spec.shift!r}, {spec.shift!r}," in source) == bool(spec.shift)
    assert ("history = model.fit(train_data," in source) == (spec != augment.LEVELS["none"])


def exported_schedule(source: str, steps_per_epoch: int):
    """`learning_rate_at` as the script defines it, run with the script's own `warmup_steps`."""
    tree = ast.parse(source)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "learning_rate_at")
    warmup = next(
        n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "warmup_steps"
    )
    namespace = {"math": math, "steps_per_epoch": steps_per_epoch}
    exec(compile(ast.Module([warmup, function], []), "schedule", "exec"), namespace)  # noqa: S102 - our own export
    return namespace["learning_rate_at"]


@pytest.mark.parametrize(
    "values",
    [
        {"lr_schedule": "cosine"},
        {"lr_schedule": "cosine", "warmup_epochs": 2, "learning_rate": 0.003},
        {"lr_schedule": "constant", "warmup_epochs": 3},
        {"lr_schedule": "plateau", "warmup_epochs": 1, "optimizer": "sgd"},
    ],
    ids=str,
)
def test_learning_rate_schedule_is_the_apps_batch_by_batch(values):
    cfg = RunConfig().with_values(epochs=6, **values)
    steps = 7
    learning_rate_at = exported_schedule(code_export.script(cfg, "en"), steps)
    for step in range(cfg.train.epochs * steps + 3):
        assert learning_rate_at(step) == pytest.approx(schedules.learning_rate_at(step, cfg.train, steps), rel=1e-9)


def test_plateau_without_warmup_is_keras_reduce_on_plateau():
    source = code_export.script(RunConfig().with_values(lr_schedule="plateau"), "en")
    assert (
        "schedule_cbs = [keras.callbacks.ReduceLROnPlateau(monitor='val_loss', "
        f"factor={schedules.PLATEAU_FACTOR}, patience={schedules.PLATEAU_PATIENCE}, "
        f"min_lr={schedules.PLATEAU_MIN_LR})]" in source
    )
    assert "learning_rate_at" not in source


def exported_function(source: str, name: str):
    tree = ast.parse(source)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    namespace = {"os": os}
    exec(compile(ast.Module([function], []), name, "exec"), namespace)  # noqa: S102 - our own export
    return namespace[name]


@pytest.mark.parametrize(
    "flags, has",
    [
        ({"sse2 avx2 avx512f", "sse2 avx2"}, False),
        ({"avx512f avx512_bf16"}, True),
        ({"amx_bf16 amx_tile", "amx_bf16"}, True),
        ({"avx512_bf16", "avx2"}, False),  # every core must have it
        (set(), False),
    ],
)
def test_fast_math_uses_bfloat16_exactly_where_the_app_does(flags, has, tmp_path, monkeypatch):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("".join(f"processor\t: {i}\nflags\t\t: {f}\n\n" for i, f in enumerate(sorted(flags))))
    cpu_has_bfloat16 = exported_function(code_export.script(RunConfig(), "en"), "cpu_has_bfloat16")
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    # As in a training worker, where `prepare_process` turned oneDNN on before TensorFlow loaded.
    monkeypatch.setattr(numerics, "onednn_enabled", lambda: True)
    app = numerics.plan(RunConfig(), numerics.cpu_flags(cpuinfo.read_text()))["precision"] == numerics.MIXED
    assert cpu_has_bfloat16(str(cpuinfo)) == app == has
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    assert cpu_has_bfloat16(str(cpuinfo)) is False
    assert cpu_has_bfloat16(str(tmp_path / "missing")) is False


@pytest.mark.parametrize("cfg", ALL, ids=lambda c: f"{c.train.fast_math}")
def test_fast_math_batches_per_call_and_validation_batch_are_the_apps(cfg):
    source = code_export.script(cfg, "en")
    plan = numerics.plan(cfg, frozenset())
    chunk = f"steps_per_execution={plan['steps_per_execution']})"
    assert (chunk in source) == (plan["steps_per_execution"] > 1)
    validation = plan["validation_batch_size"]
    assert (f"validation_batch_size={validation}," in source) == bool(validation)
    assert ("keras.config.set_dtype_policy(precision)" in source) == cfg.train.fast_math


def test_file_names_are_safe():
    assert code_export.file_name("My first CNN!", "py") == "My-first-CNN.py"
    assert code_export.file_name("../../etc/passwd", "ipynb") == "etc-passwd.ipynb"
    assert code_export.file_name("", "py") == "cnn-run.py"
    assert code_export.file_name("김의 모델", "py") == "김의-모델.py"


# ---------------------------------------------------------------- running it


def run_exported(cfg: RunConfig, folder: Path, data_dir: Path, lang: str = "en") -> dict:
    """Export `cfg`, run the script in a fresh Python on 64 images, and return the summary it wrote."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "cnn_run.py"
    script.write_text(code_export.script(cfg, lang, "test"), encoding="utf-8")
    if cfg.train.training_drawings:  # downloaded beside the script, as its comment asks
        shutil.copy(sketches.SHIPPED, folder)
    summary = folder / "summary.json"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        code_export.ENV_DATA_DIR: str(data_dir),
        code_export.ENV_SUBSET: SUBSET,
        code_export.ENV_SUMMARY: str(summary),
        "MPLBACKEND": "Agg",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONPATH": "",  # the script must not need the app
    }
    done = subprocess.run(
        [sys.executable, script.name], cwd=folder, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (folder / code_export.CHECKPOINT).is_file()  # it trained, kept the best model and evaluated it
    return json.loads(summary.read_text())


HOST_CPUINFO = numerics.CPUINFO  # taken at import, before `tests/conftest.py` points it at the reference CPU


def host_cpu_flags() -> frozenset[str]:
    """The host's real CPU flags, which the exported script reads in its own process.

    (The tests themselves see the reference CPU.)"""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numerics, "CPUINFO", HOST_CPUINFO)
        return numerics.cpu_flags()


def app_summary(cfg: RunConfig) -> dict:
    """What the app's own model looks like on this host, built as a training worker builds it (`numerics.fast_path`)."""
    from core.lesson.model import build_model

    with numerics.fast_path(cfg, host_cpu_flags()) as path:
        model = build_model(cfg.model)
    layers = [
        {
            "name": layer.name,
            "class": type(layer).__name__,
            "output_shape": list(layer.output.shape),
            "params": layer.count_params(),
            "dtype": layer.dtype_policy.name,
        }
        for layer in model.layers
    ]
    return {"layers": layers, "params": model.count_params(), "steps_per_execution": path["steps_per_execution"]}


@needs_data
@pytest.mark.parametrize("cfg", ARCHITECTURE)
def test_exported_script_builds_the_apps_model_exactly(cfg, tmp_path, tiny_dataset_dir):
    lang = "ko" if len(str(cfg)) % 2 else "en"
    summary = run_exported(cfg, tmp_path, tiny_dataset_dir, lang)
    expected = app_summary(cfg)
    assert summary["layers"] == expected["layers"]
    assert summary["params"] == expected["params"]
    assert summary["steps_per_execution"] == expected["steps_per_execution"]


def saved_optimizer_state(checkpoint: Path) -> tuple[int, float]:
    """`(iterations, learning_rate)` saved in a checkpoint (the optimizer's first two variables in Keras 3)."""
    import io
    import zipfile

    import h5py

    with zipfile.ZipFile(checkpoint) as archive, h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as f:
        return int(f["optimizer/vars/0"][()]), float(f["optimizer/vars/1"][()])


@needs_data
@pytest.mark.parametrize("cfg", TRAINING)
def test_exported_script_trains_with_the_apps_optimizer_and_loss(cfg, tmp_path, tiny_dataset_dir, tiny_splits):
    import keras

    from core.lesson.model import make_optimizer

    summary = run_exported(cfg, tmp_path, tiny_dataset_dir)
    assert summary["layers"] == app_summary(cfg)["layers"]
    ours = keras.optimizers.serialize(make_optimizer(cfg.train))
    assert summary["optimizer"]["class_name"] == ours["class_name"]
    theirs = {k: v for k, v in summary["optimizer"]["config"].items() if k != "name"}
    assert theirs == pytest.approx({k: v for k, v in ours["config"].items() if k != "name"}, rel=1e-6)
    expected_loss = "smoothed_crossentropy" if cfg.train.label_smoothing else "sparse_categorical_crossentropy"
    assert summary["loss"] == expected_loss
    # the learning rate the script had reached when it saved its best model is the app's schedule at that batch
    if cfg.train.lr_schedule != "plateau":  # (ReduceLROnPlateau depends on the validation losses)
        images = min(int(SUBSET), cfg.train.train_size or len(tiny_splits.x_train))
        steps = math.ceil(images / cfg.train.batch_size)
        iterations, rate = saved_optimizer_state(tmp_path / code_export.CHECKPOINT)
        assert iterations >= steps
        assert rate == pytest.approx(schedules.learning_rate_at(iterations - 1, cfg.train, steps), rel=1e-5)


# ---------------------------------------------------------------- the command line


@pytest.fixture
def saved_run(tmp_path) -> run_store.Run:
    cfg = RunConfig().with_values(batch_norm=True, optimizer="adamw", augmentation="light")
    return run_store.create_run(cfg, name="Kim's run", root=tmp_path / "runs")


@pytest.mark.parametrize("fmt", code_export.FORMATS)
def test_cli_writes_the_runs_code(saved_run, tmp_path, capsys, fmt):
    out = tmp_path / f"code.{fmt}"
    assert export_cli.main([str(saved_run.path), "--format", fmt, "--lang", "ko", "--out", str(out)]) == 0
    written = out.read_text(encoding="utf-8")
    if fmt == "py":
        assert written == code_export.script(saved_run.config(), "ko", "Kim's run")
    else:  # a notebook's cell ids are new each time: compare its cells
        nb = nbformat.reads(written, as_version=4)
        nbformat.validate(nb)
        expected = code_export.notebook(saved_run.config(), "ko", "Kim's run")
        assert [c.source for c in nb.cells] == [c.source for c in expected.cells]
    assert export_cli.main([str(saved_run.path), "--format", fmt]) == 0
    printed = capsys.readouterr().out
    assert "BatchNormalization" in printed and "AdamW" in printed


def test_cli_refuses_a_missing_or_damaged_folder_with_exit_1(tmp_path, saved_run, capsys):
    assert export_cli.main([str(tmp_path / "nowhere"), "--format", "py"]) == 1
    assert "not a run folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert export_cli.main([str(empty), "--format", "py"]) == 1
    assert "meta.json is missing" in capsys.readouterr().err
    (saved_run.path / "config.json").write_text("{not json", encoding="utf-8")
    assert export_cli.main([str(saved_run.path), "--format", "ipynb"]) == 1
    assert "no readable config.json" in capsys.readouterr().err
    (saved_run.path / "config.json").write_text(json.dumps({"model": {"kernel_size": 99}}), encoding="utf-8")
    assert export_cli.main([str(saved_run.path)]) == 1
    assert "not a usable run" in capsys.readouterr().err


def test_cli_refuses_an_unwritable_out_file(saved_run, tmp_path, capsys):
    assert export_cli.main([str(saved_run.path), "--out", str(tmp_path / "no" / "such" / "dir" / "x.py")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_cli_runs_as_a_module(saved_run, tmp_path):
    """`python -m core.export` from the app's folder, as the README shows; errors exit 1 with one line."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    good = subprocess.run(
        [sys.executable, "-m", "core.export", str(saved_run.path), "--format", "py"],
        cwd=APP_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert good.returncode == 0 and good.stdout == code_export.script(saved_run.config(), "en", "Kim's run")
    bad = subprocess.run(
        [sys.executable, "-m", "core.export", str(tmp_path / "missing"), "--format", "py"],
        cwd=APP_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1 and bad.stdout == "" and bad.stderr.count("\n") == 1
