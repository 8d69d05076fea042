"""Hyperparameters as frozen, validated dataclasses, built from `core.lesson.schema`.

The fields, their defaults (the lesson's values) and their ranges all come
from the schema; this module adds only the rules that tie settings together.
Every refusal is a `ConfigError` whose message a student can read: configs
are checked here, before TensorFlow ever sees them, so a bad slider
combination never becomes a traceback deep inside Keras. A config saved
before a setting existed loads with that setting at its default.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

from core.lesson import schema
from core.lesson.model import count_params
from core.lesson.schema import FULL_TRAIN_SIZE, IMAGE_SIZE, MAX_PARAMS
from core.messages import CoreMessage


class ConfigError(CoreMessage, ValueError):
    """A setting or a combination of settings that cannot be trained."""


def _check(condition: bool, key: str, **values) -> None:
    if not condition:
        raise ConfigError(key, **values)


def _check_settings(config) -> None:
    """Each value on its own, against its schema entry."""
    for setting in schema.section(config.SECTION):
        value = getattr(config, setting.name)
        if setting.kind == "subset":
            continue  # its upper end depends on the validation share: `_TrainRules`
        if setting.kind == "filters":
            _check(isinstance(value, (list, tuple)), "filters_not_list", got=value)
            _check(1 <= len(value) <= 3, "blocks_range")
            for n in value:  # name the block that is off
                _check(setting.accepts((n,)), setting.error_key, got=n)
        _check(
            setting.accepts(value),
            setting.error_key,
            setting=setting.name,
            got=value,
            low=setting.low,
            high=setting.high,
            choices=", ".join(map(str, setting.choices or (True, False))),
        )


class _ModelRules:
    """What ties the network's settings together: maps large enough for each kernel and pool, a parameter cap."""

    SECTION = "model"

    def __post_init__(self):
        if isinstance(self.conv_filters, list):
            object.__setattr__(self, "conv_filters", tuple(self.conv_filters))
        _check_settings(self)
        self.feature_map_sizes()  # refuses kernels larger than the map they meet
        params = count_params(self)
        _check(params <= MAX_PARAMS, "too_many_params", params=params, limit=MAX_PARAMS)

    def feature_map_sizes(self) -> list[int]:
        """Side length of the feature map after each conv block.

        Raises:
            ConfigError: when a kernel or a pool meets a map smaller than itself.
        """
        size, sizes = IMAGE_SIZE, []
        for block, _ in enumerate(self.conv_filters, start=1):
            _check(self.kernel_size <= size, "kernel_too_big", block=block, kernel=self.kernel_size, size=size)
            if self.padding == "valid":
                size -= self.kernel_size - 1
            if self.pooling != "none":
                _check(size >= 2, "pool_too_small", block=block, size=size)
                size //= 2
            sizes.append(size)
        return sizes


class _TrainRules:
    """What ties the training settings together: the subset and the batch fit the training split."""

    SECTION = "train"

    def __post_init__(self):
        _check_settings(self)
        available = self.available_train_images()
        subset = schema.BY_NAME["train_size"]
        _check(
            subset.accepts(self.train_size) and (self.train_size or 0) <= available,
            subset.error_key,
            available=available,
            got=self.train_size,
        )
        _check(
            self.batch_size <= self.effective_train_size(),
            "batch_over_train",
            batch=self.batch_size,
            images=self.effective_train_size(),
        )

    def available_train_images(self) -> int:
        """Images left for training after the validation split."""
        return FULL_TRAIN_SIZE - round(FULL_TRAIN_SIZE * self.val_fraction)

    def drawings_added(self) -> int:
        """How many drawings `training_drawings` adds to the photos (core.lesson.sketches)."""
        from core.lesson.sketches import COUNT

        return COUNT if self.training_drawings else 0

    def effective_train_size(self) -> int:
        """How many images one epoch goes through: the photos, and the training drawings when they are on."""
        return (self.train_size or self.available_train_images()) + self.drawings_added()

    def steps_per_epoch(self) -> int:
        return -(-self.effective_train_size() // self.batch_size)


def _dataclass(name: str, rules: type, doc: str) -> type:
    fields = [(s.name, object, field(default=s.default)) for s in schema.section(rules.SECTION)]
    cls = dataclasses.make_dataclass(name, fields, bases=(rules,), frozen=True)
    cls.__module__ = __name__  # pickling and reprs find it here
    cls.__doc__ = doc + "\n\nFields, defaults and ranges: `core.lesson.schema.SETTINGS`."
    return cls


ModelConfig = _dataclass(
    "ModelConfig",
    _ModelRules,
    "The architecture: conv blocks (each optionally batch-normalised, then pooled), a head, then 10 softmax outputs.",
)
TrainConfig = _dataclass(
    "TrainConfig",
    _TrainRules,
    "How the model learns: optimizer, schedule, batches, early stopping, regularisation, data and numerics.",
)


@dataclass(frozen=True)
class RunConfig:
    """Everything needed to rebuild and explain a run: stored in its folder."""

    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, data: dict) -> RunConfig:
        """Rebuild a config; unknown or missing sections are refused kindly, missing settings take defaults
        (or, for a setting that names a changed behaviour, the value that config was made under: `Setting.missing`)."""
        _check(isinstance(data, dict), "config_not_object")
        unknown = sorted(set(data) - {"model", "train"})
        _check(not unknown, "unknown_sections", names=", ".join(map(str, unknown)))
        return cls(
            model=_build(ModelConfig, data.get("model", {})),
            train=_build(TrainConfig, data.get("train", {})),
        )

    @classmethod
    def from_json(cls, text: str) -> RunConfig:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ConfigError("config_not_json", reason=err.msg) from None
        return cls.from_dict(data)

    def with_values(self, **values) -> RunConfig:
        """A copy with some settings changed, by name, whatever their section (the CLI and presets use this)."""
        parts = {"model": {}, "train": {}}
        for name, value in values.items():
            parts[schema.BY_NAME[name].section][name] = value
        return RunConfig(
            model=dataclasses.replace(self.model, **parts["model"]),
            train=dataclasses.replace(self.train, **parts["train"]),
        )

    def values(self) -> dict:
        """Every setting by name (names are unique across sections)."""
        return {s.name: getattr(getattr(self, s.section), s.name) for s in schema.SETTINGS}


def _build(kind: type, values: dict):
    _check(isinstance(values, dict), "section_not_object", section=kind.__name__)
    known = {f.name for f in dataclasses.fields(kind)}
    unknown = sorted(set(values) - known)
    _check(not unknown, "unknown_settings", names=", ".join(unknown))
    return kind(**{**_saved_before(known, values), **values})


def _saved_before(names: set, values: dict) -> dict:
    """The old behaviour for each setting that names a changed one (`Setting.missing`), where it matters.

    A config saved without such a setting was made under the old behaviour; where the setting does not
    matter (its `only_with` does not hold), the default keeps old and new configs equal.
    """
    old = {}
    for setting in schema.SETTINGS:
        if setting.missing is None or setting.name not in names or setting.name in values:
            continue
        if setting.only_with:
            other, wanted = setting.only_with
            if values.get(other, schema.BY_NAME[other].default) not in wanted:
                continue
        old[setting.name] = setting.missing
    return old
