"""The Evaluate page's view, one module per tab: `ui.evaluate_model` (one model), `ui.evaluate_runs` (runs).

Here are the pieces both tabs use: the last line of defence against a
traceback, a run's name, percentage columns and the charts' words. The
numbers come from `core.analysis.evaluation` and `core.services.run_tables`,
the figures from `core.charts.evaluate`; the views only cache, guard, choose
and lay them out. Every failure reaches the student as a sentence, never a
traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core.services import run_store
from ui.i18n import t
from ui.state import is_default

log = logging.getLogger(__name__)


@contextmanager
def friendly_errors(what: str) -> Iterator[None]:
    """Last line of defence: a friendly message, the traceback only in the server log.

    `st.stop()` and `st.rerun()` are BaseExceptions and pass through.
    """
    try:
        yield
    except Exception:
        log.exception(what)
        st.error(t("evaluate.unexpected"))


def run_name(info: run_store.RunInfo) -> str:
    """The name students know a run by ("the lesson's model" for the shipped one)."""
    return t("evaluate.default_name") if is_default(info.run) else (info.name or info.id)


def percent_column(label: str, decimals: int = 1):
    """A sortable number column shown as a percentage (the values are 0-100)."""
    return st.column_config.NumberColumn(label, format=f"%.{decimals}f%%")


def chart_labels(*keys: str) -> dict[str, str]:
    """The chart builders take their words from the page, so the charts speak the student's language."""
    return {key: t(f"evaluate.chart_{key}") for key in keys}
