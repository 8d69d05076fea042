"""The class model: a run of the runs folder, or a model shipped with the app, that every session starts with.

`pinned.json` holds `{"run": "<run id>", "pinned": time}`, or `{"shipped":
"lesson" | "best", ...}` for a shipped model: never a path.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

from core.services import run_store, shipped
from core.services.classroom import classroom_dir, made_folder
from core.services.run_store import Run

_LOCK = threading.Lock()
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def pin_run(run: Run | Path, root: Path | None = None) -> None:
    """Make a run of the runs folder, or a model shipped with the app, the class model (every session's default).

    Only the run's id is stored, and it is resolved inside the runs folder when
    read, so pinned.json can never point a session at another folder.

    Raises:
        ValueError: when the run is not a run of the runs folder with a checkpoint.
    """
    run = Run.of(run)
    key = shipped.shipped_key(run)
    if key is not None:  # a model shipped with the app (lesson or best): stored by key, never by path
        if shipped.model_run(key) is None:
            raise ValueError(f"the shipped {key} model has no checkpoint.")
        with _LOCK:
            run_store.write_json(made_folder(root) / "pinned.json", {"shipped": key, "pinned": time.time()})
        return
    if not _RUN_ID.match(run.id) or run.path.resolve() != (run_store.runs_dir() / run.id).resolve():
        raise ValueError(f"{run.path} is not a run of the runs folder.")
    if not run.has_checkpoint():
        raise ValueError(f"{run.id} has no checkpoint to classify with.")
    with _LOCK:
        run_store.write_json(made_folder(root) / "pinned.json", {"run": run.id, "pinned": time.time()})


def unpin(root: Path | None = None) -> None:
    """Go back to the shipped model as the class default."""
    with _LOCK:
        (Path(root or classroom_dir()) / "pinned.json").unlink(missing_ok=True)


def pinned_run(root: Path | None = None) -> Run | None:
    """The class model's run, or None when nothing usable is pinned.

    A pinned run that was deleted, or whose checkpoint is gone, counts as
    nothing pinned.
    """
    pinned = run_store.read_json(Path(root or classroom_dir()) / "pinned.json")
    if isinstance(pinned, dict) and pinned.get("shipped") in shipped.MODELS:
        return shipped.model_run(pinned["shipped"])
    run_id = pinned.get("run") if isinstance(pinned, dict) else None
    if not isinstance(run_id, str) or not _RUN_ID.match(run_id):
        return None
    run = Run(run_store.runs_dir() / run_id)
    return run if run.has_checkpoint() else None
