"""Hyperparameters as frozen, validated dataclasses.

The defaults reproduce the lesson exactly. Every refusal is a `ConfigError`
whose message a student can read: configs are checked here, before
TensorFlow ever sees them, so a bad slider combination never becomes a
traceback deep inside Keras.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

from core.messages import CoreMessage

IMAGE_SIZE = 28
NUM_CLASSES = 10
FULL_TRAIN_SIZE = 60_000
MAX_PARAMS = 3_000_000  # beyond this an epoch takes far too long on a classroom laptop

PADDINGS = ("same", "valid")
POOLINGS = ("max", "average", "none")
HEADS = ("flatten", "gap")
OPTIMIZERS = ("adam", "sgd", "rmsprop")


class ConfigError(CoreMessage, ValueError):
    """A setting or a combination of settings that cannot be trained."""


def _check(condition: bool, key: str, **values) -> None:
    if not condition:
        raise ConfigError(key, **values)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class ModelConfig:
    """The architecture: conv blocks, then a head, then 10 softmax outputs.

    Args:
        conv_filters: filters of each conv block; its length (1-3) is the
            number of blocks. Default `(32, 64)` as in the lesson.
        kernel_size: side of every square kernel. Default 3.
        padding: "same" keeps the feature map size, "valid" shrinks it by
            `kernel_size - 1`. Default "same".
        pooling: "max", "average" or "none" (a 2x2 pool after each conv).
        head: "flatten" (the lesson) or "gap" (GlobalAveragePooling2D,
            far fewer parameters).
        dense_units: units of the hidden dense layer; 0 leaves it out.
        dropout: rate of the dropout before the output layer, in [0, 0.9].
    """

    conv_filters: tuple[int, ...] = (32, 64)
    kernel_size: int = 3
    padding: str = "same"
    pooling: str = "max"
    head: str = "flatten"
    dense_units: int = 100
    dropout: float = 0.4

    def __post_init__(self):
        _check(isinstance(self.conv_filters, (list, tuple)), "filters_not_list", got=self.conv_filters)
        object.__setattr__(self, "conv_filters", tuple(self.conv_filters))
        _check(1 <= len(self.conv_filters) <= 3, "blocks_range")
        for n in self.conv_filters:
            _check(_is_int(n) and 1 <= n <= 256, "filters_range", got=n)
        _check(_is_int(self.kernel_size) and 1 <= self.kernel_size <= 9, "kernel_range", got=self.kernel_size)
        _check(self.padding in PADDINGS, "padding_value", got=self.padding)
        _check(self.pooling in POOLINGS, "pooling_value", got=self.pooling)
        _check(self.head in HEADS, "head_value", got=self.head)
        _check(_is_int(self.dense_units) and 0 <= self.dense_units <= 1024, "dense_range", got=self.dense_units)
        _check(_is_number(self.dropout) and 0 <= self.dropout <= 0.9, "dropout_range", got=self.dropout)
        self.feature_map_sizes()  # refuses kernels larger than the map they meet
        from core.lesson.model import count_params  # the model module builds on this one

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


@dataclass(frozen=True)
class TrainConfig:
    """How the model learns.

    Args:
        optimizer: "adam" (the lesson), "sgd" (with `momentum`) or "rmsprop".
        learning_rate: step size; Keras's adam default is 0.001.
        momentum: used by sgd only. Default 0.9.
        batch_size: images per gradient step. Default 32.
        epochs: most passes over the training set. Default 20.
        patience: epochs without a better validation loss before early
            stopping. Default 2.
        train_size: train on this many images of the training split
            (a subset for quick classroom runs); None uses all 48,000.
        val_fraction: share of the 60,000 training images held out for
            validation. Default 0.2.
        seed: seeds the split, the subset and the initial weights. Default 42.
    """

    optimizer: str = "adam"
    learning_rate: float = 0.001
    momentum: float = 0.9
    batch_size: int = 32
    epochs: int = 20
    patience: int = 2
    train_size: int | None = None
    val_fraction: float = 0.2
    seed: int = 42

    def __post_init__(self):
        _check(self.optimizer in OPTIMIZERS, "optimizer_value", got=self.optimizer)
        _check(_is_number(self.learning_rate) and 1e-6 <= self.learning_rate <= 1.0, "lr_range", got=self.learning_rate)
        _check(_is_number(self.momentum) and 0 <= self.momentum < 1, "momentum_range", got=self.momentum)
        _check(_is_int(self.batch_size) and 1 <= self.batch_size <= 1024, "batch_range", got=self.batch_size)
        _check(_is_int(self.epochs) and 1 <= self.epochs <= 100, "epochs_range", got=self.epochs)
        _check(_is_int(self.patience) and 0 <= self.patience <= 20, "patience_range", got=self.patience)
        _check(
            _is_number(self.val_fraction) and 0.05 <= self.val_fraction <= 0.5,
            "val_fraction_range",
            got=self.val_fraction,
        )
        _check(_is_int(self.seed) and 0 <= self.seed < 2**31, "seed_range", got=self.seed)
        available = self.available_train_images()
        if self.train_size is not None:
            _check(
                _is_int(self.train_size) and 100 <= self.train_size <= available,
                "train_size_range",
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

    def effective_train_size(self) -> int:
        """How many images one epoch goes through."""
        return self.train_size or self.available_train_images()

    def steps_per_epoch(self) -> int:
        return -(-self.effective_train_size() // self.batch_size)


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
        """Rebuild a config; unknown or missing sections are refused kindly."""
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


def _build(kind: type, values: dict):
    _check(isinstance(values, dict), "section_not_object", section=kind.__name__)
    known = {f.name for f in dataclasses.fields(kind)}
    unknown = sorted(set(values) - known)
    _check(not unknown, "unknown_settings", names=", ".join(unknown))
    return kind(**values)
