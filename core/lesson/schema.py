"""Every hyperparameter, declared once.

Each `Setting` holds what the rest of the app derives from it:

- its section (`model` or `train`), name and default (the lesson's value);
- its range or choices, which `core.lesson.config` validates against;
- the Train page's widget (`ui.config_form`) and its label and help texts
  (`locales/*/train.json`: `<label>` and `help_<label>`);
- its flag of `python -m core.train` (`--` + the name with dashes);
- its column title in the run tables (`locales/*/evaluate.json`: `col_<name>`);
- whether it shapes the network (`architecture`), which decides what the
  exported code and the Model page must show.

Adding a setting means one entry here and its texts in both languages, for
example a label-smoothing slider:

    Setting("label_smoothing", "train", 0.0, "float", low=0.0, high=0.3, step=0.05,
            label="label_smoothing", group="regularise")

plus `"label_smoothing"` and `"help_label_smoothing"` in `locales/{en,ko}/train.json`
and `"col_label_smoothing"` in `locales/{en,ko}/evaluate.json`. The config
gains the field, the form its slider, the CLI `--label-smoothing`, and the
runs table its column; the code that uses the value (here `compile_model`)
is the only other place to touch. Rules that tie settings together (a kernel
larger than the map it meets, a pool on a 1x1 map, the parameter cap) stay as
code in `core.lesson.config`.

This module imports only `core.messages` (the translations), so every other module may import it.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.messages import table

IMAGE_SIZE = 28
NUM_CLASSES = 10
FULL_TRAIN_SIZE = 60_000
ALL_IMAGES = 48_000  # the training split at the lesson's 80/20
MAX_PARAMS = 3_000_000  # beyond this an epoch takes far too long on a classroom laptop

KINDS = ("int", "float", "choice", "bool", "filters", "subset")
WIDGETS = ("slider", "select_slider", "radio", "number", "toggle", "filters", "hidden")
GROUPS = ("architecture", "learning", "regularise", "data")


@dataclass(frozen=True)
class Setting:
    """One hyperparameter.

    Args:
        name: the config field, e.g. `kernel_size`.
        section: `model` (the network) or `train` (how it learns).
        default: the lesson's value.
        kind: `int`, `float`, `choice`, `bool`, `filters` (1-3 ints, one per
            conv block) or `subset` (an int, or None for all images).
        low, high: the accepted range (inclusive) for numbers.
        choices: the accepted values of a `choice`.
        steps: the values a `select_slider` offers (validation still accepts
            any value in `[low, high]`).
        step: a slider's step.
        widget: how the Train page asks for it (see `WIDGETS`).
        label: its text key in `locales/*/train.json`; the help is `help_<label>`.
        group: where the form shows it (see `GROUPS`).
        only_with: `(other setting, values)`: the setting matters only when
            the other one has one of these values (the form disables it otherwise).
        missing: what a saved config without this setting means, when that is
            not `default`: a setting added to name a behaviour the app changed
            (None: the default). Used only where `only_with` holds.
        error: the key in `locales/*/errors.json` of its refusal; by default
            a sentence made from the label and the range or choices.
    """

    name: str
    section: str
    default: object
    kind: str
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    steps: tuple = ()
    step: float | None = None
    widget: str = "slider"
    label: str = ""
    group: str = "learning"
    only_with: tuple = ()
    missing: object = None
    error: str = ""

    @property
    def error_key(self) -> str:
        return self.error or ("setting_choice" if self.kind in ("choice", "bool") else "setting_range")

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def help_key(self) -> str:
        return f"train.help_{self.label or self.name}"

    @property
    def label_key(self) -> str:
        return f"train.{self.label or self.name}"

    @property
    def column_key(self) -> str:
        return f"evaluate.col_{self.name}"

    def format(self, value, lang: str = "en") -> str:
        """The value as the app shows it everywhere (Train, the runs tables, Teacher, the exported code).

        Filters `32 → 64`; a choice by its translated label when it has one
        (`train.<label>_<value>`), else as it is; a switch ✓ or ✗; the image
        subset with thousands separated, and all of them as `train.all_images`.
        """
        if self.kind == "filters":
            return " → ".join(map(str, value))
        if self.kind == "bool":
            return "✓" if value else "✗"
        if self.kind == "subset":
            return _text("train.all_images", lang) if value is None else f"{value:,}"
        label = _text(f"{self.label_key}_{value}", lang)
        if label is not None:
            return label
        return f"{value:g}" if isinstance(value, float) else str(value)

    def accepts(self, value) -> bool:
        """Whether `value` is a valid value of this setting on its own."""
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "choice":
            return value in self.choices
        if self.kind == "filters":
            return (
                isinstance(value, (list, tuple))
                and 1 <= len(value) <= 3
                and all(_is_int(n) and self.low <= n <= self.high for n in value)
            )
        if self.kind == "subset" and value is None:
            return True
        number = _is_int(value) if self.kind in ("int", "subset") else _is_number(value)
        return number and self.low <= value <= self.high


def _text(key: str, lang: str) -> str | None:
    """The text of `key` in `lang`, else in English; None when there is none."""
    return table(lang).get(key) or table("en").get(key)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


LEARNING_RATES = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 2e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
BATCH_SIZES = (8, 16, 32, 64, 128, 256, 512)
TRAIN_SIZES = (500, 1_000, 2_000, 3_000, 5_000, 10_000, 20_000, 30_000, ALL_IMAGES)
KERNEL_SIZES = (1, 3, 5, 7, 9)
AUGMENTATIONS = ("none", "light", "medium", "strong")
DRAWING_STYLES = ("none", "light", "strong")  # share of training images made canvas-like (core.lesson.drawing_style)
SCHEDULES = ("constant", "cosine", "plateau")
BATCH_NORM_PLACES = ("after_pool", "before_pool")
MONITORS = ("val_loss", "val_accuracy")  # what picks the checkpoint (core.lesson.history)

SETTINGS: tuple[Setting, ...] = (
    # --- the network
    Setting(
        "conv_filters",
        "model",
        (32, 64),
        "filters",
        low=1,
        high=256,
        widget="filters",
        label="filters",
        group="architecture",
        error="filters_range",
    ),
    Setting(
        "kernel_size",
        "model",
        3,
        "int",
        low=1,
        high=9,
        steps=KERNEL_SIZES,
        widget="select_slider",
        label="kernel",
        group="architecture",
        error="kernel_range",
    ),
    Setting(
        "padding",
        "model",
        "same",
        "choice",
        choices=("same", "valid"),
        widget="radio",
        group="architecture",
        error="padding_value",
    ),
    Setting(
        "pooling",
        "model",
        "max",
        "choice",
        choices=("max", "average", "none"),
        widget="radio",
        group="architecture",
        error="pooling_value",
    ),
    Setting("batch_norm", "model", False, "bool", widget="toggle", group="architecture"),
    # Where each block's BatchNormalization sits: new runs normalise after the pooling, at a fraction of the cost
    # (docs/presets.md). Runs saved before this setting existed had either place; `Run.config` reads
    # it from their checkpoint, and `missing` (the first place) stands where there is none. Not on the Train page.
    Setting(
        "batch_norm_at",
        "model",
        "after_pool",
        "choice",
        choices=BATCH_NORM_PLACES,
        widget="hidden",
        group="architecture",
        only_with=("batch_norm", (True,)),
        missing="before_pool",
    ),
    Setting(
        "head",
        "model",
        "flatten",
        "choice",
        choices=("flatten", "gap"),
        widget="radio",
        group="architecture",
        error="head_value",
    ),
    Setting(
        "dense_units",
        "model",
        100,
        "int",
        low=0,
        high=1024,
        step=4,
        label="dense",
        group="architecture",
        error="dense_range",
    ),
    Setting("dropout", "model", 0.4, "float", low=0.0, high=0.9, step=0.05, group="regularise", error="dropout_range"),
    # --- how it learns
    Setting(
        "optimizer",
        "train",
        "adam",
        "choice",
        choices=("adam", "adamw", "sgd", "rmsprop"),
        widget="radio",
        error="optimizer_value",
    ),
    Setting(
        "learning_rate",
        "train",
        0.001,
        "float",
        low=1e-6,
        high=1.0,
        steps=LEARNING_RATES,
        widget="select_slider",
        label="lr",
        error="lr_range",
    ),
    Setting(
        "momentum",
        "train",
        0.9,
        "float",
        low=0.0,
        high=0.99,
        step=0.01,
        only_with=("optimizer", ("sgd",)),
        error="momentum_range",
    ),
    Setting(
        "weight_decay",
        "train",
        0.004,
        "float",
        low=0.0,
        high=0.1,
        step=0.001,
        group="regularise",
        only_with=("optimizer", ("adamw",)),
    ),
    Setting("lr_schedule", "train", "constant", "choice", choices=SCHEDULES, widget="radio"),
    Setting("ema", "train", False, "bool", widget="toggle"),  # validate and keep an average of the weights
    Setting("warmup_epochs", "train", 0, "int", low=0, high=5),
    Setting(
        "batch_size",
        "train",
        32,
        "int",
        low=1,
        high=1024,
        steps=BATCH_SIZES,
        widget="select_slider",
        label="batch",
        error="batch_range",
    ),
    Setting("epochs", "train", 20, "int", low=1, high=100, error="epochs_range"),
    Setting("patience", "train", 2, "int", low=0, high=20, error="patience_range"),
    Setting("monitor", "train", "val_loss", "choice", choices=MONITORS, widget="radio"),
    Setting("label_smoothing", "train", 0.0, "float", low=0.0, high=0.3, step=0.05, group="regularise"),
    Setting("augmentation", "train", "none", "choice", choices=AUGMENTATIONS, widget="radio", group="data"),
    Setting("drawing_style", "train", "none", "choice", choices=DRAWING_STYLES, widget="radio", group="data"),
    Setting("training_drawings", "train", False, "bool", widget="toggle", group="data"),  # core.lesson.sketches
    Setting(
        "train_size",
        "train",
        None,
        "subset",
        low=100,
        high=ALL_IMAGES,
        steps=TRAIN_SIZES,
        widget="select_slider",
        group="data",
        error="train_size_range",
    ),
    Setting(
        "val_fraction",
        "train",
        0.2,
        "float",
        low=0.05,
        high=0.5,
        widget="hidden",
        group="data",
        error="val_fraction_range",
    ),
    Setting("seed", "train", 42, "int", low=0, high=2**31 - 1, widget="number", group="data", error="seed_range"),
    Setting("fast_math", "train", True, "bool", widget="toggle"),
)

BY_NAME = {s.name: s for s in SETTINGS}


def section(name: str) -> tuple[Setting, ...]:
    """The settings of `model` or `train`, in declaration order."""
    return tuple(s for s in SETTINGS if s.section == name)


def architecture_settings() -> tuple[Setting, ...]:
    """The settings that change the network's layers (what an exported model must reproduce)."""
    return section("model")
