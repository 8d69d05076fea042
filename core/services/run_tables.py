"""The runs table, the class leaderboard and a run's history as CSV, built from `run_store.RunInfo` values.

Pure: rows in, rows (or text) out; the Evaluate and Teacher pages draw them.
"""

from __future__ import annotations

import csv
import io
import time

from core.lesson.config import RunConfig
from core.lesson.model import count_params
from core.lesson.schema import SETTINGS
from core.services import run_store

HISTORY_COLUMNS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds")


def run_seconds(info: run_store.RunInfo) -> float | None:
    """Training time: the result's when the run ended, else the sum of its epochs."""
    if info.result.get("seconds") is not None:
        return float(info.result["seconds"])
    seconds = [row.get("seconds") for row in info.history if isinstance(row.get("seconds"), (int, float))]
    return round(sum(seconds), 1) if seconds else None


def settings_columns(cfg: RunConfig, lang: str = "en") -> dict:
    """Every setting of the schema as a table cell: numbers as numbers (the table sorts them), the
    subset as its image count, the others as `Setting.format` shows them (filters `32 → 64`)."""
    cells = {}
    for setting, value in zip(SETTINGS, cfg.values().values(), strict=True):
        if setting.kind == "subset":
            value = cfg.train.effective_train_size()
        elif setting.kind not in ("int", "float"):
            value = setting.format(value, lang)
        cells[setting.name] = value
    return cells


def summary_row(info: run_store.RunInfo, lang: str = "en") -> dict:
    """One row of the runs table: settings (shown in `lang`), size, time and accuracies of a run.

    Keys are stable identifiers; the page gives them translated headings.
    Owner tokens are deliberately not included.
    """
    row = {
        "id": info.id,
        "name": info.name or info.id,
        "state": info.state,
        "created": time.strftime("%Y-%m-%d %H:%M", time.localtime(info.created)) if info.created else "",
        "epochs": info.result.get("epochs_run", len(info.history)),
        "seconds": run_seconds(info),
        "best_val_accuracy": info.best_val_accuracy,
        "test_accuracy": info.result.get("test_accuracy"),
    }
    if info.config is not None:  # the run's own columns win over a setting of the same name (epochs)
        row = {**settings_columns(info.config, lang), "params": count_params(info.config.model), **row}
    return row


def leaderboard(infos: list[run_store.RunInfo]) -> list[dict]:
    """The class's runs with a test accuracy, best first, ranked 1, 2, ...

    Only the display name a student gave the run is shown, never the owner
    token. Equal accuracies share a rank.
    """
    scored = [i for i in infos if not i.damaged and isinstance(i.result.get("test_accuracy"), (int, float))]
    scored.sort(key=lambda i: (-i.result["test_accuracy"], i.created))
    rows, rank, previous = [], 0, None
    for position, info in enumerate(scored, start=1):
        accuracy = info.result["test_accuracy"]
        if accuracy != previous:
            rank, previous = position, accuracy
        rows.append(
            {
                "rank": rank,
                "name": info.name or info.id,
                "test_accuracy": accuracy,
                "params": count_params(info.config.model) if info.config else None,
                "epochs": info.result.get("epochs_run", len(info.history)),
                "id": info.id,
            }
        )
    return rows


def history_csv(history: list[dict]) -> str:
    """The run's history as CSV: one row per epoch, the usual columns first."""
    rows = [row for row in history if isinstance(row, dict)]
    extra = sorted({key for row in rows for key in row} - set(HISTORY_COLUMNS))
    columns = [c for c in HISTORY_COLUMNS if any(c in row for row in rows)] + extra
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
