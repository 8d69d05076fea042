"""The hyperparameter controls of the Train page, drawn from `core.lesson.schema`.

`config_form()` draws one control per setting (each with a help text that
says what it does to learning) and returns their plain values;
`to_config(values)` turns them into a validated RunConfig. Presets write
their values into the widgets' session-state keys before the widgets exist.
Nothing here names a setting: a new schema entry appears by itself.
"""

from __future__ import annotations

import streamlit as st

from core.lesson.config import RunConfig
from core.lesson.presets import PRESETS
from core.lesson.schema import ALL_IMAGES, SETTINGS, Setting
from ui.i18n import language

PREFIX = "cfg_"
MAX_BLOCKS = 3
COLUMNS = (("architecture", "regularise"), ("learning", "data"))


def preset_values(cfg: RunConfig) -> dict:
    """Widget values (without the key prefix) that show `cfg`."""
    values = {}
    for setting, value in zip(SETTINGS, cfg.values().values(), strict=True):
        if setting.kind == "filters":
            values["blocks"] = len(value)
            for i in range(MAX_BLOCKS):  # unused blocks keep a sensible number for when they are switched on
                values[f"filters_{i + 1}"] = value[i] if i < len(value) else value[-1] * 2
        elif setting.kind == "subset":
            values[setting.name] = value or ALL_IMAGES
        else:
            values[setting.name] = value
    return values


def apply_preset(name: str) -> None:
    """on_change of the preset picker: fill every control with the preset's values."""
    for key, value in preset_values(PRESETS[name]).items():
        st.session_state[PREFIX + key] = value


def to_config(values: dict) -> RunConfig:
    """Validated config from the form's values (raises ConfigError with a message)."""
    sections = {"model": {}, "train": {}}
    for setting in SETTINGS:
        if setting.kind == "filters":
            value = [values[f"filters_{i + 1}"] for i in range(values["blocks"])]
        elif setting.kind == "subset":
            value = None if values[setting.name] >= ALL_IMAGES else values[setting.name]
        else:
            value = values[setting.name]
        sections[setting.section][setting.name] = value
    return RunConfig.from_dict(sections)


def config_form(t, presets: list[str] | None = None) -> dict:
    """Draw the controls; return their values keyed without the prefix.

    Args:
        presets: the presets offered (the class budget's); default all.
    """
    presets = presets or list(PRESETS)
    if st.session_state.get("preset") not in (None, *presets):
        del st.session_state["preset"]  # the teacher no longer allows it
        apply_preset(presets[0])
    if PREFIX + "blocks" not in st.session_state:
        apply_preset(presets[0])
    st.selectbox(
        t("train.preset"),
        presets,
        format_func=lambda name: t(f"train.preset_{name}"),
        key="preset",
        on_change=lambda: apply_preset(st.session_state.preset),
        help=t("train.help_preset"),
    )
    for column, groups in zip(st.columns(len(COLUMNS)), COLUMNS, strict=True):
        with column:
            for group in groups:
                st.markdown(f"**{t(f'train.group_{group}')}**")
                for setting in SETTINGS:
                    if setting.group == group and setting.widget != "hidden":
                        _control(setting, t)
    return {key: st.session_state[PREFIX + key] for key in preset_values(PRESETS["lesson"])}


def _control(setting: Setting, t) -> None:
    """The widget the schema names for one setting."""
    key, label, help_text = PREFIX + setting.name, t(setting.label_key), t(setting.help_key)
    other, values = setting.only_with or (None, ())
    disabled = other is not None and st.session_state.get(PREFIX + other) not in values
    if setting.widget == "filters":
        _filters_control(setting, t)
    elif setting.widget == "select_slider":
        fmt = _shown(setting)
        st.select_slider(label, setting.steps, format_func=fmt, key=key, help=help_text, disabled=disabled)
    elif setting.widget == "radio":
        fmt = _shown(setting)
        st.radio(label, setting.choices, format_func=fmt, key=key, horizontal=True, help=help_text, disabled=disabled)
    elif setting.widget == "toggle":
        st.toggle(label, key=key, help=help_text, disabled=disabled)
    elif setting.widget == "number":
        st.number_input(label, setting.low, setting.high, key=key, help=help_text, disabled=disabled)
    else:
        number = int if setting.kind == "int" else float
        low, high, step = number(setting.low), number(setting.high), number(setting.step or 1)
        st.slider(label, low, high, step=step, key=key, help=help_text, disabled=disabled)


def _filters_control(setting: Setting, t) -> None:
    """How many conv blocks, and the filters of each (unused ones disabled, so they keep their values)."""
    blocks = st.slider(t("train.blocks"), 1, MAX_BLOCKS, key=PREFIX + "blocks", help=t("train.help_blocks"))
    for i, column in enumerate(st.columns(MAX_BLOCKS)):
        column.number_input(
            t(setting.label_key, n=i + 1),
            int(setting.low),
            int(setting.high),
            key=f"{PREFIX}filters_{i + 1}",
            help=t(setting.help_key),
            disabled=i >= blocks,
        )


def _shown(setting: Setting):
    """How a control names each value: as the rest of the app shows it (`Setting.format`).

    The image subset's last step stands for all of them (the config's None).
    """
    lang = language()
    if setting.kind == "subset":
        return lambda n: setting.format(None if n >= ALL_IMAGES else n, lang)
    return lambda value: setting.format(value, lang)
