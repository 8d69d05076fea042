"""The run store: one folder per training run, every file written atomically.

A run folder holds:

    config.json      the RunConfig (rebuilds and explains the model)
    meta.json        display name, owner token, creation time
    status.json      queued | running | finished | stopped | failed | interrupted
    progress.json    live numbers for the Train page, rewritten a few times a second
    history.json     one row per finished epoch
    result.json      final validation and test metrics
    best.keras       the best checkpoint (lowest validation loss)
    kernels/epoch_NNN.npz  conv weights before training (000) and after each epoch
    stop             present when someone asked the run to stop
    worker.log       what the worker process printed

Every write goes to a temporary file in the same folder and is renamed over
the target, so a crash or a kill at any moment leaves the previous version
whole. Run ids are unique and folders are created exclusively, so two runs
never share a path.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core import messages
from core.lesson.config import ConfigError, RunConfig

APP_DIR = Path(__file__).resolve().parents[2]
DEFAULT_RUN_DIR = APP_DIR / "assets" / "default_run"
ACTIVE_STATES = ("queued", "running")
FINAL_STATES = ("finished", "stopped", "failed", "interrupted")


def runs_dir() -> Path:
    """`$CNN_LAB_RUNS_DIR`, or `runs/` beside the app."""
    return Path(os.environ.get("CNN_LAB_RUNS_DIR") or APP_DIR / "runs")


def atomic_write(path: Path, write: Callable[[str], None]) -> None:
    """Write via `write(tmp_path)` into a temporary file, then rename it over `path`."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix or ".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; runs are meant to be copied and shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data) -> None:
    atomic_write(path, lambda tmp: Path(tmp).write_text(json.dumps(data), encoding="utf-8"))


def read_json(path: Path, default=None):
    """The file's JSON, or `default` when it is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


def create_run(
    config: RunConfig, name: str = "", owner: str = "", root: Path | None = None, folder: Path | None = None
) -> Path:
    """Make a new run folder holding its config, meta and a `queued` status.

    Args:
        root: parent of a new uniquely named folder (default: the runs folder).
        folder: use this folder instead (it may exist but must not hold a run).
    """
    if folder is not None:
        run_dir = Path(folder)
        run_dir.mkdir(parents=True, exist_ok=True)
        if (run_dir / "config.json").exists():
            raise ConfigError("run_folder_used", folder=str(run_dir))
    else:
        run_dir = _new_run_folder(Path(root or runs_dir()))
    write_json(run_dir / "config.json", config.to_dict())
    write_json(
        run_dir / "meta.json",
        {"id": run_dir.name, "name": name.strip()[:60] or run_dir.name, "owner": owner, "created": time.time()},
    )
    set_status(run_dir, "queued")
    return run_dir


def _new_run_folder(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            run_dir = root / new_run_id()
            run_dir.mkdir()
            return run_dir
        except FileExistsError:
            continue


def set_status(run_dir: Path, state: str, message: str | list = "", **extra) -> None:
    """Record the run's state and why.

    Args:
        message: an English sentence, or a list of `(key, values)` parts from
            `locales/en/errors.json`, which pages then show in the student's language.
    """
    parts = [] if isinstance(message, str) else [[key, values] for key, values in message]
    if parts:
        message = " ".join(messages.text(key, **values) for key, values in parts)
    previous = read_json(Path(run_dir) / "status.json", {})
    status = {**previous, **extra, "state": state, "message": message, "parts": parts, "updated": time.time()}
    write_json(Path(run_dir) / "status.json", status)


def read_status(run_dir: Path) -> dict:
    return read_json(Path(run_dir) / "status.json", {"state": "unknown", "message": ""})


def read_config(run_dir: Path) -> RunConfig:
    data = read_json(Path(run_dir) / "config.json")
    if data is None:
        raise ConfigError("no_config", run=Path(run_dir).name)
    return RunConfig.from_dict(data)


def request_stop(run_dir: Path) -> None:
    Path(run_dir, "stop").touch()


def stop_requested(run_dir: Path) -> bool:
    return Path(run_dir, "stop").exists()


def save_kernels(run_dir: Path, epoch: int, weights: dict[str, np.ndarray]) -> None:
    """Store conv weights (`conv1.kernel`, `conv1.bias`, ...) for one epoch."""
    folder = Path(run_dir) / "kernels"
    folder.mkdir(exist_ok=True)
    atomic_write(folder / f"epoch_{epoch:03d}.npz", lambda tmp: np.savez(tmp, **weights))


def kernel_epochs(run_dir: Path) -> list[int]:
    """Epochs that have a kernel snapshot (0 = before training)."""
    folder = Path(run_dir) / "kernels"
    return sorted(int(p.stem.split("_")[1]) for p in folder.glob("epoch_*.npz")) if folder.is_dir() else []


def load_kernels(run_dir: Path, epoch: int) -> dict[str, np.ndarray]:
    with np.load(Path(run_dir) / "kernels" / f"epoch_{epoch:03d}.npz") as data:
        return {key: data[key] for key in data.files}


def checkpoint_path(run_dir: Path) -> Path:
    return Path(run_dir) / "best.keras"


def load_model(run_dir: Path):
    """The run's best checkpoint, loaded in Keras's safe mode, uncompiled."""
    import keras

    return keras.saving.load_model(checkpoint_path(run_dir), compile=False, safe_mode=True)


def process_alive(pid: int | None, run_dir: Path) -> bool:
    """Whether `pid` is still the worker of this run (guards against pid reuse)."""
    if not pid:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return Path(run_dir).name.encode() in cmdline


@dataclass
class RunInfo:
    """What the run lists show; `damaged` names what is wrong with a broken folder."""

    path: Path
    id: str
    name: str = ""
    owner: str = ""
    created: float = 0.0
    status: dict = field(default_factory=dict)
    config: RunConfig | None = None
    history: list = field(default_factory=list)
    result: dict = field(default_factory=dict)
    damaged: str = ""
    damaged_reason: tuple = ()  # (key, values) of `damaged` in locales/*/errors.json

    @property
    def state(self) -> str:
        return "damaged" if self.damaged else self.status.get("state", "unknown")

    @property
    def has_checkpoint(self) -> bool:
        return checkpoint_path(self.path).is_file()

    @property
    def best_val_accuracy(self) -> float | None:
        values = [row["val_accuracy"] for row in self.history if "val_accuracy" in row]
        return max(values) if values else None


def read_run(run_dir: Path) -> RunInfo:
    """Everything listed about one run; never raises for a damaged folder."""
    run_dir = Path(run_dir)
    info = RunInfo(path=run_dir, id=run_dir.name)
    meta = read_json(run_dir / "meta.json")
    if not isinstance(meta, dict):
        info.damaged_reason = ("run_no_meta", {})
        info.damaged = messages.text("run_no_meta")
        return info
    info.name, info.owner, info.created = meta.get("name", run_dir.name), meta.get("owner", ""), meta.get("created", 0)
    info.status = read_status(run_dir)
    info.history = read_json(run_dir / "history.json", [])
    info.result = read_json(run_dir / "result.json", {})
    try:
        info.config = read_config(run_dir)
    except ConfigError as err:
        info.damaged_reason = (err.key, err.values)
        info.damaged = str(err)
    return info


def list_runs(root: Path | None = None) -> list[RunInfo]:
    """All runs under the runs folder, newest first."""
    root = Path(root or runs_dir())
    if not root.is_dir():
        return []
    runs = [read_run(p) for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted(runs, key=lambda r: (r.created, r.id), reverse=True)


def mark_orphans_interrupted(root: Path | None = None) -> list[str]:
    """Runs left `running` or `queued` by a server that died: mark them interrupted.

    Called once when the training queue starts; returns the ids it marked.
    """
    marked = []
    for run in list_runs(root):
        if run.state in ACTIVE_STATES and not process_alive(run.status.get("pid"), run.path):
            note = [("server_stopped_queued" if run.state == "queued" else "server_stopped_running", {})]
            if run.has_checkpoint:
                note.append(("checkpoint_kept", {}))
            set_status(run.path, "interrupted", note)
            marked.append(run.id)
    return marked


def delete_run(run_dir: Path) -> None:
    shutil.rmtree(run_dir, ignore_errors=True)


def drop_optimizer_state(run_dir: Path) -> None:
    """Re-save `best.keras` without the optimizer's slots (a third of the size, same predictions).

    Used for the model shipped with the app, which is never trained further.
    """
    import keras

    model = load_model(run_dir)
    bare = keras.models.clone_model(model)
    bare.set_weights(model.get_weights())
    atomic_write(checkpoint_path(run_dir), bare.save)
