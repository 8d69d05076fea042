"""Translations: one folder per language under `locales/`, one JSON file per page.

`t("train.start")` looks up key `start` in `locales/<lang>/train.json` for
the session's language, falls back to English, and formats `{placeholders}`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = {"en": "English", "ko": "한국어"}


@cache
def table(lang: str) -> dict[str, str]:
    """Every `area.key -> text` of one language."""
    strings = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.json")):
        for key, text in json.loads(path.read_text(encoding="utf-8")).items():
            strings[f"{path.stem}.{key}"] = text
    return strings


def language() -> str:
    """The session's language: chosen in the sidebar, else the browser's, else English."""
    if "lang" not in st.session_state:
        locale = (getattr(st.context, "locale", None) or "en").lower()
        st.session_state.lang = "ko" if locale.startswith("ko") else "en"
    return st.session_state.lang


def t(key: str, **values) -> str:
    text = table(language()).get(key) or table("en").get(key, key)
    return text.format(**values) if values else text


def t_error(err: Exception) -> str:
    """A core error in the session's language (`CoreMessage` keys), else its own text."""
    key = getattr(err, "key", None)
    if not key:
        return str(err)
    suffix = getattr(err, "suffix", None)
    return t(f"errors.{key}", **err.values) + (" " + t(f"errors.{suffix}") if suffix else "")


def t_damaged(info) -> str:
    """Why a run folder is damaged, in the session's language."""
    key, values = info.damaged_reason or ("", {})
    return t(f"errors.{key}", **values) if key else info.damaged


def t_status(status: dict) -> str:
    """Why a run is in its state, in the session's language (see `core.services.run_store.set_status`)."""
    parts = status.get("parts") or []
    return " ".join(t(f"errors.{key}", **values) for key, values in parts) or status.get("message", "")
