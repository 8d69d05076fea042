"""The hyperparameter controls of the Train page.

`config_form()` draws one control per setting (each with a help text that
says what it does to learning) and returns their plain values;
`to_config(values)` turns them into a validated RunConfig. Presets write
their values into the widgets' session-state keys before the widgets exist.
"""

from __future__ import annotations

import streamlit as st

from core.lesson.config import RunConfig
from core.lesson.presets import PRESETS

LEARNING_RATES = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 2e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
BATCH_SIZES = (8, 16, 32, 64, 128, 256, 512)
ALL_IMAGES = 48_000  # the training split at the lesson's 80/20
TRAIN_SIZES = (500, 1_000, 2_000, 3_000, 5_000, 10_000, 20_000, 30_000, ALL_IMAGES)
PREFIX = "cfg_"


def preset_values(cfg: RunConfig) -> dict:
    """Widget values (without the key prefix) that show `cfg`."""
    m, tr = cfg.model, cfg.train
    values = {
        "blocks": len(m.conv_filters),
        "kernel": m.kernel_size,
        "padding": m.padding,
        "pooling": m.pooling,
        "head": m.head,
        "dense": m.dense_units,
        "dropout": m.dropout,
        "optimizer": tr.optimizer,
        "lr": tr.learning_rate,
        "momentum": tr.momentum,
        "batch": tr.batch_size,
        "epochs": tr.epochs,
        "patience": tr.patience,
        "train_size": tr.train_size or ALL_IMAGES,
        "seed": tr.seed,
    }
    for i in range(3):
        values[f"filters_{i + 1}"] = m.conv_filters[i] if i < len(m.conv_filters) else m.conv_filters[-1] * 2
    return values


def apply_preset(name: str) -> None:
    """on_change of the preset picker: fill every control with the preset's values."""
    for key, value in preset_values(PRESETS[name]).items():
        st.session_state[PREFIX + key] = value


def to_config(values: dict) -> RunConfig:
    """Validated config from the form's values (raises ConfigError with a message)."""
    return RunConfig.from_dict(
        {
            "model": {
                "conv_filters": [values[f"filters_{i + 1}"] for i in range(values["blocks"])],
                "kernel_size": values["kernel"],
                "padding": values["padding"],
                "pooling": values["pooling"],
                "head": values["head"],
                "dense_units": values["dense"],
                "dropout": values["dropout"],
            },
            "train": {
                "optimizer": values["optimizer"],
                "learning_rate": values["lr"],
                "momentum": values["momentum"],
                "batch_size": values["batch"],
                "epochs": values["epochs"],
                "patience": values["patience"],
                "train_size": None if values["train_size"] >= ALL_IMAGES else values["train_size"],
                "seed": values["seed"],
            },
        }
    )


def config_form(t) -> dict:
    """Draw the controls; return their values keyed without the prefix."""
    if PREFIX + "blocks" not in st.session_state:
        apply_preset("lesson")
    st.selectbox(
        t("train.preset"),
        list(PRESETS),
        format_func=lambda name: t(f"train.preset_{name}"),
        key="preset",
        on_change=lambda: apply_preset(st.session_state.preset),
        help=t("train.help_preset"),
    )
    arch, learn = st.columns(2)
    with arch:
        st.markdown(f"**{t('train.architecture')}**")
        blocks = st.slider(t("train.blocks"), 1, 3, key=PREFIX + "blocks", help=t("train.help_blocks"))
        cols = st.columns(3)
        for i in range(3):  # all drawn, unused ones disabled, so they keep their values
            cols[i].number_input(
                t("train.filters", n=i + 1),
                1,
                256,
                key=f"{PREFIX}filters_{i + 1}",
                help=t("train.help_filters"),
                disabled=i >= blocks,
            )
        st.select_slider(t("train.kernel"), [1, 3, 5, 7, 9], key=PREFIX + "kernel", help=t("train.help_kernel"))
        st.radio(
            t("train.padding"), ["same", "valid"], key=PREFIX + "padding", horizontal=True, help=t("train.help_padding")
        )
        st.radio(
            t("train.pooling"),
            ["max", "average", "none"],
            key=PREFIX + "pooling",
            horizontal=True,
            help=t("train.help_pooling"),
        )
        st.radio(
            t("train.head"),
            ["flatten", "gap"],
            format_func=lambda h: t(f"train.head_{h}"),
            key=PREFIX + "head",
            horizontal=True,
            help=t("train.help_head"),
        )
        st.slider(t("train.dense"), 0, 512, step=4, key=PREFIX + "dense", help=t("train.help_dense"))
        st.slider(t("train.dropout"), 0.0, 0.9, step=0.05, key=PREFIX + "dropout", help=t("train.help_dropout"))
    with learn:
        st.markdown(f"**{t('train.learning')}**")
        optimizer = st.radio(
            t("train.optimizer"),
            ["adam", "sgd", "rmsprop"],
            key=PREFIX + "optimizer",
            horizontal=True,
            help=t("train.help_optimizer"),
        )
        st.select_slider(t("train.lr"), LEARNING_RATES, key=PREFIX + "lr", help=t("train.help_lr"))
        st.slider(
            t("train.momentum"),
            0.0,
            0.99,
            step=0.01,
            key=PREFIX + "momentum",
            help=t("train.help_momentum"),
            disabled=optimizer != "sgd",
        )
        st.select_slider(t("train.batch"), BATCH_SIZES, key=PREFIX + "batch", help=t("train.help_batch"))
        st.slider(t("train.epochs"), 1, 100, key=PREFIX + "epochs", help=t("train.help_epochs"))
        st.slider(t("train.patience"), 0, 20, key=PREFIX + "patience", help=t("train.help_patience"))
        st.select_slider(
            t("train.train_size"),
            TRAIN_SIZES,
            format_func=lambda n: t("train.all_images") if n >= ALL_IMAGES else f"{n:,}",
            key=PREFIX + "train_size",
            help=t("train.help_train_size"),
        )
        st.number_input(t("train.seed"), 0, 2**31 - 1, key=PREFIX + "seed", help=t("train.help_seed"))
    return {name: st.session_state[PREFIX + name] for name in preset_values(PRESETS["lesson"])}
