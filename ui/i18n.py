"""Translations: one folder per language under `locales/`, one JSON file per page.

`t("train.start")` looks up key `start` in `locales/<lang>/train.json` for
the session's language, falls back to English, and formats `{placeholders}`.
"""

from __future__ import annotations

import streamlit as st

from core.messages import Message, table

LANGUAGES = {"en": "English", "ko": "한국어"}


def language() -> str:
    """The session's language: chosen in the sidebar, else the browser's, else English."""
    if "lang" not in st.session_state:
        locale = (getattr(st.context, "locale", None) or "en").lower()
        st.session_state.lang = "ko" if locale.startswith("ko") else "en"
    return st.session_state.lang


def has_text(key: str) -> bool:
    """Whether the English table (which every language mirrors) has `key`."""
    return key in table("en")


def t(key: str, **values) -> str:
    text = table(language()).get(key) or table("en").get(key, key)
    return text.format(**values) if values else text


def choice(label: str, options, prefix: str, key: str, where=None):
    """A horizontal radio whose label is `t(label)` and whose options read `t(prefix + option)`.

    Args:
        where: the container to draw it in (a column, say); default the page.
    """
    return (where or st).radio(t(label), options, format_func=lambda o: t(prefix + o), horizontal=True, key=key)


def t_message(message) -> str:
    """A `core.messages.Message` in the session's language."""
    return t(f"errors.{message.key}", **message.values)


def t_error(err: Exception) -> str:
    """An error in the session's language: a `CoreMessage`'s `message` (or any error's `key` and
    `values`) translated, followed by its `suffix` when it has one; else the error's own text."""
    message = getattr(err, "message", None)
    if not isinstance(message, Message):
        key = getattr(err, "key", None)
        message = Message(key, dict(getattr(err, "values", None) or {})) if isinstance(key, str) and key else None
    if message is None:
        return str(err)
    suffix = getattr(err, "suffix", None)
    return t_message(message) + (" " + t(f"errors.{suffix}") if suffix else "")


def t_damaged(info) -> str:
    """Why a run folder is damaged (`RunInfo.damaged`), in the session's language."""
    return t_message(info.damaged) if info.damaged else ""


def t_status(status) -> str:
    """Why a run is in its state (`core.services.run_store.Status`), in the session's language."""
    return " ".join(t_message(message) for message in status.messages)
