"""'Get the code': a run's settings as a Keras script and a notebook to take home (`core.lesson.code_export`).

`get_code_buttons(cfg, name, key)` draws two download buttons, in the
session's language; the code is written only when a button is clicked.
The Train page offers it for the chosen settings, the Evaluate page for a
run, the Teacher page for the pinned class model.
"""

from __future__ import annotations

import streamlit as st

from core.lesson import code_export, sketches
from core.lesson.config import RunConfig
from ui.i18n import language, t


def get_code_buttons(cfg: RunConfig | None, name: str, key: str) -> None:
    """Two download buttons: the run as a Python script and as a Jupyter notebook (disabled without a config).

    Settings with training drawings get a third beside them, the file their script loads (`<key>_drawings`).

    Args:
        cfg: the settings to export; None disables both buttons.
        name: the run's display name (the header's title and the file name).
        key: prefix of the buttons' keys (`<key>_py`, `<key>_ipynb`).
    """
    lang = language()
    st.caption(t("export.get_code"))
    drawings = cfg is not None and cfg.train.training_drawings
    columns = st.columns(3 if drawings else 2)
    for column, fmt, make in (
        (columns[0], "py", code_export.script),
        (columns[1], "ipynb", code_export.notebook_text),
    ):
        column.download_button(
            t(f"export.button_{fmt}"),
            data=(lambda make=make: make(cfg, lang, name)) if cfg is not None else "",
            file_name=code_export.file_name(name, fmt),
            mime=code_export.MIME[fmt],
            help=t(f"export.help_{fmt}"),
            disabled=cfg is None,
            on_click="ignore",
            icon=":material/code:" if fmt == "py" else ":material/description:",
            key=f"{key}_{fmt}",
        )
    if drawings:
        columns[2].download_button(
            t("export.button_drawings"),
            data=sketches.SHIPPED.read_bytes,
            file_name=sketches.SHIPPED.name,
            mime="application/octet-stream",
            help=t("export.help_drawings", count=f"{sketches.COUNT:,}"),
            on_click="ignore",
            icon=":material/draw:",
            key=f"{key}_drawings",
        )
