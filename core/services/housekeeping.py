"""Looking after the run store: rename, delete, a retention limit, and exports.

A class of thirty trains many runs; the disk is not endless. A retention
limit (`CNN_LAB_MAX_RUNS` runs, `CNN_LAB_MAX_RUNS_MB` megabytes; unset means
no limit) removes the oldest finished runs first and never one that is
queued or running. `runs_to_remove` only chooses (pure, easy to test);
`apply_retention` removes.

Also here: the rows of the runs table and the class leaderboard, and a
run's history as CSV, built from `core.services.run_store.RunInfo` values.
"""

from __future__ import annotations

import csv
import io
import os
import time
from dataclasses import dataclass
from pathlib import Path

from core import user_text
from core.lesson.config import RunConfig
from core.lesson.model import count_params
from core.lesson.schema import SETTINGS
from core.messages import CoreMessage
from core.services import run_store
from core.services.run_store import Run

MAX_NAME_LENGTH = user_text.RUN_NAME_LENGTH
HISTORY_COLUMNS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds")


class HousekeepingError(CoreMessage, ValueError):
    """A rename or delete that cannot be done; its message says why.

    Keys: `rename_name` (empty name), `rename_meta` (no readable meta data),
    `delete_outside` (not a run of the runs folder), `delete_active` (queued
    or still training), `delete_incomplete` (some files could not be removed).
    """


# ---------------------------------------------------------------- rename and delete


def clean_name(name: str) -> str:
    """A new display name as stored: `user_text.one_line`, as when the run was made.

    Raises:
        HousekeepingError: when nothing is left.
    """
    cleaned = user_text.one_line(name, MAX_NAME_LENGTH)
    if not cleaned:
        raise HousekeepingError("rename_name")
    return cleaned


def rename_run(run: Run | Path, name: str) -> str:
    """Give the run a new display name (rewrites its meta data atomically).

    Returns:
        the name as stored.

    Raises:
        HousekeepingError: empty name, or a folder without readable meta data.
    """
    run = _as_run(run)
    meta = run.meta()
    if meta is None:
        raise HousekeepingError("rename_meta", run=run.id)
    meta["name"] = clean_name(name)
    run.write_meta(meta)
    return meta["name"]


def _as_run(run: Run | Path) -> Run:
    return run if isinstance(run, Run) else Run(run)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().parent == root.resolve()
    except OSError:
        return False


def delete_run(run: Run | Path, root: Path | None = None) -> None:
    """Delete a run folder, refusing runs that still train and folders outside the runs folder.

    Args:
        run: the run (or its folder).
        root: the runs folder it must sit directly in (default: `run_store.runs_dir()`),
            so that a wrong path can never remove the shipped model or anything else.

    Raises:
        HousekeepingError: with the reason, when the run is not deleted.
    """
    run, root = _as_run(run), Path(root or run_store.runs_dir())
    if not _inside(run.path, root) or not run.path.is_dir():
        raise HousekeepingError("delete_outside", run=run.id)
    status = run.status()
    if status.state == "running" and run.worker_alive(status.pid):
        raise HousekeepingError("delete_active")
    if status.state == "queued":
        raise HousekeepingError("delete_active")
    run.delete()
    if run.path.exists():
        raise HousekeepingError("delete_incomplete", run=run.id)


# ---------------------------------------------------------------- retention


@dataclass(frozen=True)
class Retention:
    """How much the runs folder may hold; None means no limit."""

    max_runs: int | None = None
    max_bytes: int | None = None

    @property
    def active(self) -> bool:
        return self.max_runs is not None or self.max_bytes is not None


def retention_from_env(environ=None) -> Retention:
    """`CNN_LAB_MAX_RUNS` (a count) and `CNN_LAB_MAX_RUNS_MB` (megabytes); unset, empty,
    zero or unreadable values mean no limit."""
    environ = os.environ if environ is None else environ

    def positive(name: str, kind):
        try:
            value = kind(environ.get(name, "") or 0)
        except ValueError:
            return None
        return value if value > 0 else None

    megabytes = positive("CNN_LAB_MAX_RUNS_MB", float)
    return Retention(
        max_runs=positive("CNN_LAB_MAX_RUNS", int),
        max_bytes=None if megabytes is None else int(megabytes * 1024 * 1024),
    )


def folder_size(path: Path) -> int:
    """Bytes of all files under `path`."""
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total


def runs_to_remove(infos: list[run_store.RunInfo], policy: Retention, sizes: dict[str, int] | None = None) -> list:
    """Choose the runs to delete so that the folder fits the policy (pure: deletes nothing).

    Only runs in a final state (finished, stopped, failed, interrupted) can
    be chosen, oldest first; queued and running runs still count towards
    the limits but are never chosen, and neither are damaged folders (a
    run being created looks damaged for a moment). When the limit cannot
    be met by removing finished runs, as many as possible are chosen.

    Args:
        infos: every run of the folder (`run_store.list_runs()`).
        policy: the limits.
        sizes: bytes per run id; needed only for a size limit.

    Returns:
        the chosen `RunInfo`s, oldest first.
    """
    if not policy.active:
        return []
    sizes = sizes or {}
    count = len(infos)
    total = sum(sizes.get(info.id, 0) for info in infos)
    removable = sorted((i for i in infos if i.state in run_store.FINAL_STATES), key=lambda i: (i.created, i.id))
    chosen = []
    for info in removable:
        too_many = policy.max_runs is not None and count > policy.max_runs
        too_big = policy.max_bytes is not None and total > policy.max_bytes
        if not (too_many or too_big):
            break
        chosen.append(info)
        count -= 1
        total -= sizes.get(info.id, 0)
    return chosen


def apply_retention(root: Path | None = None, policy: Retention | None = None) -> list[str]:
    """Delete the runs `runs_to_remove` chooses; returns their ids.

    Meant to be called when a run is submitted or has ended (by the training
    queue), and safe to call at any time.
    """
    root = Path(root or run_store.runs_dir())
    policy = policy or retention_from_env()
    if not policy.active:
        return []
    infos = run_store.list_runs(root)
    sizes = {info.id: folder_size(info.path) for info in infos} if policy.max_bytes is not None else {}
    removed = []
    for info in runs_to_remove(infos, policy, sizes):
        try:
            delete_run(info.run, root)
        except HousekeepingError:
            continue
        removed.append(info.id)
    return removed


# ---------------------------------------------------------------- tables and exports


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
