"""Looking after the run store: rename, delete, and a retention limit.

A class of thirty trains many runs; the disk is not endless. A retention
limit (`CNN_LAB_MAX_RUNS` runs, `CNN_LAB_MAX_RUNS_MB` megabytes; unset means
no limit) removes the oldest finished runs first and never one that is
queued or running. `runs_to_remove` only chooses (pure, easy to test);
`apply_retention` removes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core import user_text
from core.messages import CoreMessage
from core.services import run_store
from core.services.run_store import Run

MAX_NAME_LENGTH = user_text.RUN_NAME_LENGTH


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
    run = Run.of(run)
    meta = run.meta()
    if meta is None:
        raise HousekeepingError("rename_meta", run=run.id)
    meta["name"] = clean_name(name)
    run.write_meta(meta)
    return meta["name"]


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
    run, root = Run.of(run), Path(root or run_store.runs_dir())
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
