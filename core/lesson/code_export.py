"""A run as Keras code a student can take home: a Python script and a Jupyter notebook, in the lesson's style.

`script(cfg, lang)` writes the whole run, data to evaluation, with the
lesson's variable names (`train_scaled`, `val_target`, `checkpoint_cb`, ...)
and short comments in the student's language (`locales/<lang>/export.json`);
`notebook(cfg, lang)` holds the same code, one step per code cell, after a
Markdown cell with the script's header.

Everything the code reproduces is derived from the app's own definitions,
so a new setting cannot be forgotten silently:

- the layers come from `core.lesson.model.layer_specs` (the names, order and
  options `build_model` uses, so parameter counts and output shapes agree);
- the header lists every setting of `core.lesson.schema.SETTINGS`;
- the augmentation layers come from `core.lesson.augment.LEVELS`, the
  learning-rate schedule's constants from `core.lesson.schedules`, the fast
  path (threads, bfloat16 where the CPU has it, batches per call, the
  validation batch) from `core.lesson.numerics`, the data files' names from
  `core.lesson.data.FILES`.

The exported code imports nothing from the app: numpy, Keras (TensorFlow
for augmentation and fast math), scikit-learn and matplotlib only. It honours three
environment variables, documented in its header: `FASHION_MNIST_DIR` (a
folder of the four IDX files; else the Debian package's folder, else
Keras's downloader), `FASHION_MNIST_SUBSET` (a quick check on a few images)
and `MODEL_SUMMARY_JSON` (the layers, parameters and compile settings as
JSON, which the tests compare with the app's model).

Pure Python: no Keras, no Streamlit (nbformat only for the notebook).

Longer than most modules (about 650 lines) on purpose: one `_step_*`
function per section of the exported script, in the script's order, each
holding the code it writes; split up, one script would be spread over files.
"""

from __future__ import annotations

import inspect
import json
from functools import cache

from core import user_text
from core.lesson import augment, data, drawing_style, numerics, schedules, schema, sketches
from core.lesson.config import RunConfig
from core.lesson.model import EMA_MOMENTUM, layer_specs
from core.messages import LOCALES_DIR

LANGUAGES = ("en", "ko")
FORMATS = ("py", "ipynb")
MIME = {"py": "text/x-python", "ipynb": "application/x-ipynb+json"}
ENV_DATA_DIR = "FASHION_MNIST_DIR"
ENV_SUBSET = "FASHION_MNIST_SUBSET"
ENV_SUMMARY = "MODEL_SUMMARY_JSON"
CHECKPOINT = "best-cnn-model.keras"
CELL_SEPARATOR = "\n\n\n"
"""Between two steps of the script; the notebook's code cells joined with it are the script's code."""

# What a layer's first argument is, as the lesson writes it: Conv2D(32, ...), Dense(100, ...), Dropout(0.4).
_POSITIONAL = {
    "Conv2D": "filters",
    "Dense": "units",
    "Dropout": "rate",
    "MaxPooling2D": "pool_size",
    "AveragePooling2D": "pool_size",
}
_KEYWORD_ORDER = ("kernel_size", "activation", "padding")  # the lesson's order


@cache
def _table(lang: str) -> dict[str, str]:
    return json.loads((LOCALES_DIR / lang / "export.json").read_text(encoding="utf-8"))


def text(key: str, lang: str = "en", **values) -> str:
    """One comment of the exported code in `lang` (English when the language is unknown)."""
    table = _table(lang if lang in LANGUAGES else "en")
    return table[key].format(**values) if values else table[key]


def _comment(key: str, lang: str, **values) -> str:
    return "\n".join(f"# {line}" if line else "#" for line in text(key, lang, **values).split("\n"))


# ---------------------------------------------------------------- the header


def header_lines(cfg: RunConfig, lang: str = "en", name: str = "", markdown: bool = False) -> list[str]:
    """The header as plain lines: what the code is, how to run it, its environment variables, every setting.

    The run's name is the only text a student typed, so it is cleaned by `user_text.one_line` (a name
    holding a line break would end its comment and start a statement); with `markdown`, it and the
    file name are code spans, shown as typed by any renderer, never as HTML or a link.
    """
    name = user_text.one_line(name, user_text.RUN_NAME_LENGTH)
    title, file = name or text("unnamed", lang), file_name(name, "py")
    if markdown:
        title, file = user_text.markdown_code(title), user_text.markdown_code(file)
    lines = text("header_title", lang, name=title).split("\n")
    lines += [""] + text("header_run", lang, file=file).split("\n")
    lines += [""] + text("header_env", lang, dir_var=ENV_DATA_DIR, debian=str(data.DEBIAN_DIR)).split("\n")
    lines += text("header_subset", lang, var=ENV_SUBSET).split("\n")
    lines += text("header_summary", lang, var=ENV_SUMMARY).split("\n")
    lines += ["", text("header_settings", lang)]
    values = cfg.values()
    width = max(len(s.name) for s in schema.SETTINGS)
    lines += [f"  {s.name.ljust(width)} = {s.format(values[s.name], lang)}" for s in schema.SETTINGS]
    return lines


def header(cfg: RunConfig, lang: str = "en", name: str = "") -> str:
    """The script's header: `header_lines` as comments."""
    return "\n".join(f"# {line}".rstrip() for line in header_lines(cfg, lang, name))


# ---------------------------------------------------------------- the steps


def _literal(value) -> str:
    """A Python literal in the lesson's style: 'relu', 0.4, (28, 28, 1)."""
    if isinstance(value, float):
        return repr(float(f"{value:.10g}"))  # 0.30000000000000004 -> 0.3
    return repr(value)


def _layer_call(spec) -> str:
    options = dict(spec.options)
    args = []
    first = _POSITIONAL.get(spec.kind)
    if first in options:
        args.append(_literal(options.pop(first)))
    ordered = [k for k in _KEYWORD_ORDER if k in options] + sorted(k for k in options if k not in _KEYWORD_ORDER)
    args += [f"{key}={_literal(options[key])}" for key in ordered]
    args.append(f"name={spec.name!r}")
    return f"keras.layers.{spec.kind}({', '.join(args)})"


def _indent(code: str, spaces: int = 4) -> str:
    return "\n".join(" " * spaces + line for line in code.split("\n"))


def _uses_schedule(train) -> bool:
    return train.lr_schedule != "constant" or bool(train.warmup_epochs)


def _uses_rate_function(train) -> bool:
    """Whether the script sets the rate batch by batch (cosine or warm-up) rather than leaving it to Keras."""
    return train.lr_schedule == "cosine" or bool(train.warmup_epochs)


def _step_imports(cfg: RunConfig, lang: str) -> str:
    train = cfg.train
    modules = ["gzip", "json"] + (["math"] if _uses_rate_function(train) else []) + ["os"]
    lines = [_comment("step_imports", lang)]
    lines += [f"import {m}" for m in modules]
    lines += ["", "import keras", "import matplotlib.pyplot as plt", "import numpy as np"]
    if _uses_dataset(train) or train.fast_math:
        lines.append("import tensorflow as tf")
    lines += ["from sklearn.model_selection import train_test_split", ""]
    lines += [_comment("seed", lang), f"keras.utils.set_random_seed({train.seed})"]
    return "\n".join(lines)


def _step_data(cfg: RunConfig, lang: str) -> str:
    files = data.FILES
    return "\n".join(
        [
            _comment("step_data", lang, var=ENV_DATA_DIR),
            f"data_dir = os.environ.get({ENV_DATA_DIR!r}, {str(data.DEBIAN_DIR)!r})",
            f"idx_files = {[files[k] for k in ('train_images', 'train_labels', 'test_images', 'test_labels')]!r}",
            "",
            "",
            "def read_idx(name, header_bytes):",
            "    with gzip.open(os.path.join(data_dir, name)) as f:",
            "        return np.frombuffer(f.read(), np.uint8, offset=header_bytes)",
            "",
            "",
            "if all(os.path.exists(os.path.join(data_dir, name)) for name in idx_files):",
            f"    train_input = read_idx({files['train_images']!r}, 16).reshape(-1, 28, 28)",
            f"    train_target = read_idx({files['train_labels']!r}, 8)",
            f"    test_input = read_idx({files['test_images']!r}, 16).reshape(-1, 28, 28)",
            f"    test_target = read_idx({files['test_labels']!r}, 8)",
            "else:",
            "    (train_input, train_target), (test_input, test_target) = keras.datasets.fashion_mnist.load_data()",
            "print(train_input.shape, train_target.shape, test_input.shape, test_target.shape)",
        ]
    )


def _step_split(cfg: RunConfig, lang: str) -> str:
    train = cfg.train
    split = (
        "train_scaled, val_scaled, train_target, val_target = train_test_split("
        f"train_scaled, train_target, test_size={_literal(train.val_fraction)}, random_state={train.seed})"
    )
    lines = [
        _comment("step_split", lang, percent=round(train.val_fraction * 100)),
        "train_scaled = train_input.reshape(-1, 28, 28, 1) / 255.0",
        split,
    ]
    if train.train_size:
        size = train.train_size
        lines += [
            "",
            _comment("train_size", lang, images=f"{size:,}"),
            f"if len(train_scaled) > {size}:",
            f"    rng = np.random.default_rng({train.seed})",
            f"    index = np.sort(rng.choice(len(train_scaled), {size}, replace=False))",
            "    train_scaled, train_target = train_scaled[index], train_target[index]",
        ]
    if train.training_drawings:  # the app's own file: the generator behind it needs the app (core.lesson.sketches)
        lines += [
            "",
            _comment("training_drawings", lang, count=f"{sketches.COUNT:,}", file=sketches.SHIPPED.name),
            f"drawings = np.load({sketches.SHIPPED.name!r})",
            "train_scaled = np.concatenate([train_scaled, drawings['images'].reshape(-1, 28, 28, 1) / 255.0])",
            "train_target = np.concatenate([train_target, drawings['labels']])",
        ]
    lines += [
        "",
        _comment("quick_check", lang, var=ENV_SUBSET),
        f"quick_check = int(os.environ.get({ENV_SUBSET!r}) or 0)",
        "if quick_check:",
        "    train_scaled, train_target = train_scaled[:quick_check], train_target[:quick_check]",
        "    val_scaled, val_target = val_scaled[:quick_check], val_target[:quick_check]",
        "print(train_scaled.shape, val_scaled.shape)",
    ]
    return "\n".join(lines)


def _uses_dataset(train) -> bool:
    """Whether training reads a `tf.data` pipeline (augmentation or drawing-style images) rather than the arrays."""
    return train.augmentation != "none" or train.drawing_style != "none"


def _step_augment(cfg: RunConfig, lang: str) -> str | None:
    train = cfg.train
    if not _uses_dataset(train):
        return None
    level = augment.LEVELS[train.augmentation]
    layers = []
    # the app flips, then rotates and zooms about the centre, then shifts; empty space is filled with 0 (black)
    if level.flip:
        layers.append("keras.layers.RandomFlip('horizontal')")
    if level.rotation:
        layers.append(f"keras.layers.RandomRotation({_literal(level.rotation)} / 360, fill_mode='constant')")
    if level.zoom:
        layers.append(f"keras.layers.RandomZoom({_literal(level.zoom)}, fill_mode='constant')")
    if level.shift:
        shift = _literal(level.shift)
        layers.append(f"keras.layers.RandomTranslation({shift}, {shift}, fill_mode='constant')")
    lines = []
    if layers:
        lines += [
            _comment("step_augment", lang, level=train.augmentation),
            "augment = keras.Sequential(name='augment')",
            *(f"augment.add({layer})" for layer in layers),
            "",
        ]
    if train.drawing_style != "none":
        lines += [*_drawing_style_code(train, lang), "", ""]
    lines += [
        _comment("augment_batches", lang),
        "train_data = tf.data.Dataset.from_tensor_slices((train_scaled.astype('float32'), train_target))",
        f"train_data = train_data.shuffle(len(train_scaled), seed={train.seed}).batch({train.batch_size})",
    ]
    if train.drawing_style != "none":
        share = _literal(drawing_style.SHARES[train.drawing_style])
        lines += [
            f"styles = tf.data.Dataset.random(seed={train.seed}, rerandomize_each_iteration=True)",
            "train_data = tf.data.Dataset.zip((train_data, styles)).map(",
            f"    lambda batch, draw: (drawing_style_tensor(batch[0], {share}, tf.stack([draw, tf.constant("
            f"{train.seed}, tf.int64)])), batch[1])",
            ")",
        ]
    if layers:
        lines.append("train_data = train_data.map(lambda images, labels: (augment(images, training=True), labels))")
    return "\n".join(lines)


def _drawing_style_code(train, lang: str) -> list[str]:
    """The app's own drawing-style map (`core.lesson.drawing_style`), copied as it is: it needs TensorFlow only."""
    source = inspect.getsource(drawing_style.drawing_style_tensor)
    code = [line for line in source.splitlines() if line.strip() != "import tensorflow as tf"]
    return [_comment("step_drawing_style", lang, level=train.drawing_style), *code]


def _step_fast_math(cfg: RunConfig, lang: str) -> str | None:
    """CNN Lab's `fast_math` (`core.lesson.numerics`): its threads, and bfloat16 where the processor has it."""
    if not cfg.train.fast_math:
        return None
    flags = _literal(numerics.BF16_FLAGS)
    inter = numerics.thread_settings(1)[1]
    return "\n".join(
        [
            _comment("step_fast_math", lang),
            _comment("fast_threads", lang),
            "try:",
            "    tf.config.threading.set_intra_op_parallelism_threads(os.cpu_count() or 1)",
            f"    tf.config.threading.set_inter_op_parallelism_threads({inter})",
            "except RuntimeError:",
            _indent(_comment("fast_threads_late", lang)),
            "    pass",
            "",
            "",
            _comment("fast_bfloat16", lang),
            "def cpu_has_bfloat16(cpuinfo='/proc/cpuinfo'):",
            "    if os.environ.get('TF_ENABLE_ONEDNN_OPTS', '').strip().lower() in ('0', 'false', 'off'):",
            "        return False",
            "    try:",
            "        with open(cpuinfo) as f:",
            "            cores = [set(line.split(':', 1)[1].split()) for line in f",
            "                     if ':' in line and line.split(':', 1)[0].strip() == 'flags']",
            "    except OSError:",
            "        return False",
            f"    return bool(cores) and any(all(flag in core for core in cores) for flag in {flags})",
            "",
            "",
            f"precision = {numerics.MIXED!r} if cpu_has_bfloat16() else {numerics.FLOAT32!r}",
            "print('precision:', precision)",
        ]
    )


def _step_model(cfg: RunConfig, lang: str) -> str:
    lines = [_comment("step_model", lang)]
    if cfg.train.fast_math:
        lines += [_comment("fast_policy", lang), "keras.config.set_dtype_policy(precision)"]
    lines += [
        "model = keras.Sequential(name='cnn')",
        "model.add(keras.Input(shape=(28, 28, 1), name='input'))",
    ]
    explained = set()
    for spec in layer_specs(cfg.model):
        key = "layer_output" if spec.name == "output" else f"layer_{spec.kind}"
        if key not in explained and key in _table("en"):
            explained.add(key)
            lines.append(_comment(key, lang))
        call = _layer_call(spec)
        if spec.name == "output" and cfg.train.fast_math:  # as build_model: softmax in float32 under any policy
            call = call.replace(f"name={spec.name!r})", f"dtype='float32', name={spec.name!r})")
        lines.append(f"model.add({call})")
    lines.append("model.summary()")
    return "\n".join(lines)


def _optimizer_code(train) -> tuple[list[str], str]:
    """Lines that make the optimizer, and what `compile` gets (the lesson's `'adam'` when nothing differs)."""
    lr = _literal(schedules.initial_learning_rate(train))
    if train.optimizer == "adam" and lr == _literal(0.001) and not train.ema:
        return [], "'adam'"
    ema = f", use_ema=True, ema_momentum={_literal(EMA_MOMENTUM)}" if train.ema else ""
    if train.optimizer == "adamw":
        return [
            f"optimizer = keras.optimizers.AdamW(learning_rate={lr}, weight_decay={_literal(train.weight_decay)}{ema})",
            "optimizer.exclude_from_weight_decay(var_names=['bias', 'gamma', 'beta'])",
        ], "optimizer"
    if train.optimizer == "sgd":
        return [f"optimizer = keras.optimizers.SGD(learning_rate={lr}, momentum={_literal(train.momentum)}{ema})"], (
            "optimizer"
        )
    name = {"adam": "Adam", "rmsprop": "RMSprop"}[train.optimizer]
    return [f"optimizer = keras.optimizers.{name}(learning_rate={lr}{ema})"], "optimizer"


def _step_compile(cfg: RunConfig, lang: str) -> str:
    train = cfg.train
    make, optimizer = _optimizer_code(train)
    lines = [_comment(f"optimizer_{train.optimizer}", lang)]
    if _uses_schedule(train):
        lines.append(_comment("optimizer_warmup" if train.warmup_epochs else "optimizer_scheduled", lang))
    lines += make
    loss = "'sparse_categorical_crossentropy'"
    if train.label_smoothing:
        loss = "smoothed_crossentropy"
        lines += [
            "",
            "",
            _comment("label_smoothing", lang, smoothing=_literal(train.label_smoothing)),
            "@keras.saving.register_keras_serializable()",
            "def smoothed_crossentropy(y_true, y_pred):",
            "    target = keras.ops.one_hot(keras.ops.cast(keras.ops.reshape(y_true, (-1,)), 'int32'), 10)",
            "    return keras.losses.categorical_crossentropy("
            f"target, y_pred, label_smoothing={_literal(train.label_smoothing)})",
            "",
            "",
        ]
    chunk = numerics.steps_per_execution(cfg) if cfg.train.fast_math else 1
    if chunk > 1:
        lines += [
            _comment("fast_chunk", lang, steps=chunk),
            f"model.compile(optimizer={optimizer}, loss={loss}, metrics=['accuracy'], steps_per_execution={chunk})",
        ]
    else:
        lines.append(f"model.compile(optimizer={optimizer}, loss={loss}, metrics=['accuracy'])")
    lines += [
        "",
        _comment("summary_json", lang, var=ENV_SUMMARY),
        f"if os.environ.get({ENV_SUMMARY!r}):",
        "    layers = [",
        "        {'name': layer.name, 'class': type(layer).__name__,",
        "         'output_shape': list(layer.output.shape), 'params': layer.count_params(),",
        "         'dtype': layer.dtype_policy.name}",
        "        for layer in model.layers",
        "    ]",
        "    summary = {'layers': layers, 'params': model.count_params(),",
        "               'steps_per_execution': model.steps_per_execution,",
        "               'optimizer': keras.optimizers.serialize(model.optimizer),",
        "               'loss': getattr(model.loss, '__name__', model.loss)}",
        f"    with open(os.environ[{ENV_SUMMARY!r}], 'w') as f:",
        "        json.dump(summary, f, default=str)",
    ]
    return "\n".join([_comment("step_compile", lang), *lines])


def _step_schedule(cfg: RunConfig, lang: str) -> str | None:
    """The app's schedule (`core.lesson.schedules`) as a function of the batch and the callbacks that apply it."""
    train = cfg.train
    if not _uses_schedule(train):
        return None
    lines = [_comment(f"schedule_{train.lr_schedule}", lang)]
    callbacks = []
    if _uses_rate_function(train):
        lines += _rate_function_code(train) + _rate_callback_code(train)
        callbacks.append("LearningRateSchedule()")
    if train.lr_schedule == "plateau":
        plateau_lines, callback = _plateau_code(train, lang)
        lines += plateau_lines
        callbacks.append(callback)
    if len(lines) > 1:
        lines += ["", ""]
    lines.append(f"schedule_cbs = [{', '.join(callbacks)}]")
    return "\n".join(lines)


def _rate_function_code(train) -> list[str]:
    """`learning_rate_at(step)`: warm-up, then cosine decay or the peak, per batch as `schedules` computes it.

    A plain function of the step, so the student can print or plot the schedule without training.
    """
    start = _literal(schedules.WARMUP_START)
    lines = [
        f"steps_per_epoch = math.ceil(len(train_scaled) / {train.batch_size})",
        f"warmup_steps = {int(train.warmup_epochs)} * steps_per_epoch",
        "",
        "",
        "def learning_rate_at(step):",
        f"    peak = {_literal(train.learning_rate)}",
        "    if step < warmup_steps:",
        f"        return peak * ({start} + (1 - {start}) * step / warmup_steps)",
    ]
    if train.lr_schedule == "cosine":
        floor = _literal(schedules.COSINE_FLOOR)
        lines += [
            f"    total = max(1, {train.epochs} * steps_per_epoch - warmup_steps)",
            "    progress = min(1.0, (step - warmup_steps) / total)",
            f"    return peak * ({floor} + (1 - {floor}) * 0.5 * (1 + math.cos(math.pi * progress)))",
        ]
    else:
        lines.append("    return peak")
    return lines


def _rate_callback_code(train) -> list[str]:
    """The callback that sets `learning_rate_at` before every batch, as `schedules.ScheduleCallback` does.

    Without cosine it stops after the warm-up: the plateau schedule then belongs to ReduceLROnPlateau, and
    the constant one needs nothing.
    """
    lines = [
        "",
        "",
        "class LearningRateSchedule(keras.callbacks.Callback):",
        "    def on_epoch_begin(self, epoch, logs=None):",
        "        self.epoch = epoch",
        "",
        "    def on_train_batch_begin(self, batch, logs=None):",
        "        step = self.epoch * steps_per_epoch + batch",
    ]
    if train.lr_schedule == "cosine":
        lines.append("        self.model.optimizer.learning_rate.assign(learning_rate_at(step))")
    else:
        lines += [
            "        if step <= warmup_steps:",
            "            self.model.optimizer.learning_rate.assign(learning_rate_at(step))",
        ]
    return lines


def _plateau_code(train, lang: str) -> tuple[list[str], str]:
    """Lines that define the plateau callback, and the call that makes it (as `_optimizer_code` returns).

    Keras's `ReduceLROnPlateau` as is without a warm-up; after one, a subclass that starts watching once the
    warm-up is over, as `core.lesson.schedules` does.
    """
    plateau = (
        f"monitor='val_loss', factor={_literal(schedules.PLATEAU_FACTOR)}, "
        f"patience={schedules.PLATEAU_PATIENCE}, min_lr={_literal(schedules.PLATEAU_MIN_LR)}"
    )
    if not train.warmup_epochs:
        return [], f"keras.callbacks.ReduceLROnPlateau({plateau})"
    lines = [
        "",
        "",
        _comment("plateau_after_warmup", lang, epochs=train.warmup_epochs),
        "class PlateauAfterWarmup(keras.callbacks.ReduceLROnPlateau):",
        "    def on_epoch_end(self, epoch, logs=None):",
        f"        if epoch + 1 > {int(train.warmup_epochs)}:",
        "            super().on_epoch_end(epoch, logs)",
    ]
    return lines, f"PlateauAfterWarmup({plateau})"


def _step_fit(cfg: RunConfig, lang: str) -> str:
    train = cfg.train
    callbacks = "[checkpoint_cb, early_stopping_cb]"
    if _uses_schedule(train):
        callbacks = "[checkpoint_cb, early_stopping_cb, *schedule_cbs]"
    if train.ema:  # first, so the checkpoint saves the averaged weights
        callbacks = "[keras.callbacks.SwapEMAWeights(swap_on_epoch=True), " + callbacks[1:]
    if not _uses_dataset(train):
        data_args = f"train_scaled, train_target, epochs={train.epochs}, batch_size={train.batch_size}"
    else:
        data_args = f"train_data, epochs={train.epochs}"
    if train.fast_math:  # the validation pass in larger batches: the same means, sooner
        data_args += f", validation_batch_size={max(numerics.VALIDATION_BATCH, train.batch_size)}"
    # the lesson's callbacks watch val_loss, Keras's default; any other number is named
    watch = "" if train.monitor == "val_loss" else f"monitor={train.monitor!r}, "
    comment = "step_fit" if train.monitor == "val_loss" else f"step_fit_{train.monitor}"
    return "\n".join(
        [
            _comment(comment, lang, patience=train.patience),
            f"checkpoint_cb = keras.callbacks.ModelCheckpoint({CHECKPOINT!r}, {watch}save_best_only=True)",
            f"early_stopping_cb = keras.callbacks.EarlyStopping({watch}patience={train.patience}, "
            "restore_best_weights=True)",
            f"history = model.fit({data_args}, validation_data=(val_scaled, val_target), callbacks={callbacks})",
        ]
    )


def _step_plot(cfg: RunConfig, lang: str) -> str:
    return "\n".join(
        [
            _comment("step_plot", lang),
            "plt.plot(history.history['loss'])",
            "plt.plot(history.history['val_loss'])",
            "plt.xlabel('epoch')",
            "plt.ylabel('loss')",
            "plt.legend(['train', 'val'])",
            "plt.show()",
        ]
    )


def _step_evaluate(cfg: RunConfig, lang: str) -> str:
    return "\n".join(
        [
            _comment("step_evaluate", lang),
            f"model = keras.models.load_model({CHECKPOINT!r})",
            "model.evaluate(val_scaled, val_target)",
            "",
            _comment("test_set", lang),
            "test_scaled = test_input.reshape(-1, 28, 28, 1) / 255.0",
            "if quick_check:",
            "    test_scaled, test_target = test_scaled[:quick_check], test_target[:quick_check]",
            "model.evaluate(test_scaled, test_target)",
        ]
    )


def _step_kernels(cfg: RunConfig, lang: str) -> str:
    filters = cfg.model.conv_filters[0]
    columns = min(filters, 16)
    rows = -(-filters // 16)
    squeeze = ", squeeze=False" if rows == 1 else ""
    lines = [
        _comment("step_kernels", lang, filters=filters),
        "conv = model.get_layer('conv1')",
        "conv_weights = conv.weights[0].numpy()",
        "print(conv_weights.shape, conv_weights.mean(), conv_weights.std())",
        "",
        f"fig, axs = plt.subplots({rows}, {columns}, figsize=(15, {rows}){squeeze})",
        f"for i in range({rows}):",
        f"    for j in range({columns}):",
    ]
    show = "axs[i, j].imshow(conv_weights[:, :, 0, i * 16 + j], vmin=-0.5, vmax=0.5)"
    if rows * columns == filters:
        lines += [f"        {show}", "        axs[i, j].axis('off')"]
    else:  # the last row is not full: its empty places stay blank
        lines += [f"        if i * 16 + j < {filters}:", f"            {show}", "        axs[i, j].axis('off')"]
    lines.append("plt.show()")
    return "\n".join(lines)


_STEPS = (
    _step_imports,
    _step_data,
    _step_split,
    _step_fast_math,  # before the first TensorFlow operation (augmentation's), which fixes the threads
    _step_augment,
    _step_model,
    _step_compile,
    _step_schedule,
    _step_fit,
    _step_plot,
    _step_evaluate,
    _step_kernels,
)


def code_cells(cfg: RunConfig, lang: str = "en") -> list[str]:
    """The code, one step per cell: what the notebook's code cells hold and the script joins."""
    lang = lang if lang in LANGUAGES else "en"
    cells = [code for step in _STEPS if (code := step(cfg, lang))]
    return [f"# {number}. {code[2:]}" for number, code in enumerate(cells, start=1)]  # each begins with its title


# ---------------------------------------------------------------- script and notebook


def script(cfg: RunConfig, lang: str = "en", name: str = "") -> str:
    """The run as one Python file: the header, then every step."""
    return header(cfg, lang, name) + CELL_SEPARATOR + CELL_SEPARATOR.join(code_cells(cfg, lang)) + "\n"


def notebook(cfg: RunConfig, lang: str = "en", name: str = ""):
    """The run as a Jupyter notebook (nbformat 4): the header in Markdown, then one code cell per step."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(header_markdown(cfg, lang, name))]
    nb.cells += [nbformat.v4.new_code_cell(code) for code in code_cells(cfg, lang)]
    return nb


def header_markdown(cfg: RunConfig, lang: str = "en", name: str = "") -> str:
    """The header for the notebook: a title, its lines with hard breaks, the settings as a code block."""
    title, *rest = header_lines(cfg, lang, name, markdown=True)
    parts, settings = [f"# {title}"], []
    for line in rest:
        if line.startswith("  "):
            settings.append(line.strip())
        else:
            parts.append(f"{line}  " if line else "")
    return "\n".join(parts).rstrip() + "\n\n```\n" + "\n".join(settings) + "\n```"


def notebook_text(cfg: RunConfig, lang: str = "en", name: str = "") -> str:
    import nbformat

    return nbformat.writes(notebook(cfg, lang, name))


def export(cfg: RunConfig, fmt: str, lang: str = "en", name: str = "") -> str:
    """The script (`py`) or the notebook's JSON (`ipynb`)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return script(cfg, lang, name) if fmt == "py" else notebook_text(cfg, lang, name)


def file_name(name: str, fmt: str) -> str:
    """A safe file name for a run's code, e.g. `my-first-cnn.py` (`cnn-run.py` when the name has no letters)."""
    return f"{user_text.file_stem(name, 'cnn-run')}.{fmt}"
