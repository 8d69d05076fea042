"""core.lesson.schema: one declaration drives the config, the CLI, the form's texts and the run tables."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from core import train as train_cli
from core.lesson import code_export
from core.lesson.config import ModelConfig, RunConfig, TrainConfig
from core.lesson.schema import BY_NAME, SETTINGS, section
from core.services.run_tables import settings_columns
from ui.i18n import table


def test_config_fields_are_the_schema():
    assert [f.name for f in dataclasses.fields(ModelConfig)] == [s.name for s in section("model")]
    assert [f.name for f in dataclasses.fields(TrainConfig)] == [s.name for s in section("train")]
    assert RunConfig().values() == {s.name: s.default for s in SETTINGS}


def test_defaults_are_valid_and_within_their_own_range():
    for setting in SETTINGS:
        assert setting.accepts(setting.default), setting.name
        for step in setting.steps:
            assert setting.accepts(step), (setting.name, step)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_setting_has_its_texts(lang):
    texts = table(lang)
    for setting in SETTINGS:
        assert setting.column_key in texts, setting.column_key
        if setting.widget != "hidden":
            assert setting.label_key in texts and setting.help_key in texts, setting.name
        if (
            setting.kind == "choice"
            and setting.widget == "radio"
            and f"{setting.label_key}_{setting.choices[0]}" in texts
        ):
            for choice in setting.choices:  # translated choices: all of them or none
                assert f"{setting.label_key}_{choice}" in texts, (setting.name, choice)


def test_a_run_saved_before_new_settings_existed_loads_with_their_defaults():
    old = {  # a config.json written before batch norm, schedules, augmentation and fast math
        "model": {"conv_filters": [32, 64], "kernel_size": 3, "padding": "same", "pooling": "max",
                  "head": "flatten", "dense_units": 100, "dropout": 0.4},
        "train": {"optimizer": "adam", "learning_rate": 0.001, "momentum": 0.9, "batch_size": 32, "epochs": 20,
                  "patience": 2, "train_size": None, "val_fraction": 0.2, "seed": 42},
    }  # fmt: skip
    cfg = RunConfig.from_json(json.dumps(old))
    assert cfg == RunConfig()


def test_every_setting_is_a_flag_of_the_command_line():
    flags = {s.name: s for s in SETTINGS}
    argv = ["--conv-filters", "8,16", "--batch-norm", "--lr-schedule", "cosine", "--optimizer", "adamw",
            "--weight-decay", "0.01", "--label-smoothing", "0.1", "--augmentation", "light", "--no-fast-math",
            "--warmup-epochs", "1", "--subset", "500"]  # fmt: skip
    cfg = train_cli.config_from_args(train_cli.parse_args(argv))
    assert cfg.model.conv_filters == (8, 16) and cfg.model.batch_norm is True
    assert (cfg.train.lr_schedule, cfg.train.optimizer, cfg.train.weight_decay) == ("cosine", "adamw", 0.01)
    assert (cfg.train.label_smoothing, cfg.train.augmentation, cfg.train.fast_math) == (0.1, "light", False)
    assert (cfg.train.warmup_epochs, cfg.train.train_size) == (1, 500)
    parser_flags = {a.dest for a in train_cli.build_parser()._actions}
    assert set(flags) <= parser_flags


def test_run_tables_have_a_column_per_setting():
    cells = settings_columns(RunConfig())
    assert list(cells) == [s.name for s in SETTINGS]
    assert cells["conv_filters"] == "32 → 64" and cells["train_size"] == 48_000


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_setting_is_shown_one_way_in_the_tables_and_the_exported_code(lang):
    cfg = RunConfig().with_values(conv_filters=(8, 16, 32), lr_schedule="cosine", batch_norm=True, train_size=3000)
    shown = {s.name: s.format(value, lang) for s, value in zip(SETTINGS, cfg.values().values(), strict=True)}
    assert shown["conv_filters"] == "8 → 16 → 32" and shown["batch_norm"] == "✓" and shown["train_size"] == "3,000"
    assert shown["lr_schedule"] == table(lang)["train.lr_schedule_cosine"]
    assert BY_NAME["train_size"].format(None, lang) == table(lang)["train.all_images"]
    cells = settings_columns(cfg, lang)
    assert all(cells[name] == text for name, text in shown.items() if isinstance(cells[name], str))
    header = code_export.header(cfg, lang)
    assert all(re.search(rf"^#   {name} += {re.escape(text)}$", header, re.M) for name, text in shown.items())
