"""The run store: one folder per training run, owned by the `Run` type.

A run folder is the contract between the server (which writes the request
and reads progress), the worker that trains it (which writes progress,
kernels, the checkpoint and the result) and every page (which reads it all).
Only `Run` knows its layout:

    config.json      the RunConfig (rebuilds and explains the model)
    meta.json        display name, owner token, creation time
    status.json      queued | running | finished | stopped | failed | interrupted, and why
    progress.json    live numbers for the Train page, rewritten a few times a second
    history.json     one row per finished epoch
    result.json      final validation and test metrics
    best.keras       the best checkpoint (the best value of the run's `monitor`: validation loss or accuracy)
    kernels/epoch_NNN.npz  conv weights before training (000) and after each epoch
    tensorboard/     Keras's TensorBoard logs, written while training
    evaluation-*.json/.npz  the Evaluate page's cached metrics, per data set
    stop             present when someone asked the run to stop
    worker.log, error.txt  what the worker printed, and a failed run's traceback

Every write goes to a temporary file in the same folder and is renamed over
the target, so a crash or a kill at any moment leaves the previous version
whole. The writers take values, never paths, so a worker on another machine
can fill a server's folder through the same type. Run ids are unique and
folders are created exclusively, so two runs never share a path.

Longer than most modules (about 500 lines) on purpose: since only `Run` joins
file names onto a run folder, every reader and writer of a run lives here.
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

from core import user_text
from core.lesson import saved_model
from core.lesson.config import ConfigError, RunConfig
from core.lesson.history import Progress
from core.messages import Message

APP_DIR = Path(__file__).resolve().parents[2]
DEFAULT_RUN_DIR = APP_DIR / "assets" / "default_run"
ACTIVE_STATES = ("queued", "running")
FINAL_STATES = ("finished", "stopped", "failed", "interrupted")
EVALUATION_PREFIX = "evaluation-"


def runs_dir() -> Path:
    """`$CNN_LAB_RUNS_DIR`, or `runs/` beside the app."""
    return Path(os.environ.get("CNN_LAB_RUNS_DIR") or APP_DIR / "runs")


# ---------------------------------------------------------------- atomic files


def atomic_write(path: Path, write: Callable[[str], None], mode: int = 0o644) -> None:
    """Write via `write(tmp_path)` into a temporary file, then rename it over `path` (given `mode`)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix or ".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, mode)  # mkstemp makes 0600; runs are meant to be copied and shared, keys are not
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


# ---------------------------------------------------------------- the run


@dataclass(frozen=True)
class Status:
    """Where a run stands and why, in `Message`s a page shows in the student's language."""

    state: str = "unknown"
    messages: tuple[Message, ...] = ()
    pid: int | None = None
    started: float | None = None
    ended: float | None = None
    updated: float | None = None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def text(self) -> str:
        """The English sentence (logs, the command line, tests)."""
        return " ".join(map(str, self.messages))

    @classmethod
    def from_json(cls, data) -> Status:
        if not isinstance(data, dict):
            return cls()
        try:
            parts = tuple(Message.from_json(item) for item in data.get("parts") or ())
        except (TypeError, ValueError):
            parts = ()
        return cls(
            state=str(data.get("state", "unknown")),
            messages=parts,
            pid=data.get("pid"),
            started=data.get("started"),
            ended=data.get("ended"),
            updated=data.get("updated"),
        )


class Run:
    """One run folder: typed readers that never raise for a missing file, and atomic writers.

    Args:
        path: the run folder.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)

    @classmethod
    def of(cls, run: Run | Path | str) -> Run:
        """The run itself, or the run in a folder: for functions that take either."""
        return run if isinstance(run, Run) else cls(run)

    def __repr__(self) -> str:
        return f"Run({str(self.path)!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Run) and other.path == self.path

    def __hash__(self) -> int:
        return hash(self.path)

    @property
    def id(self) -> str:
        return self.path.name

    # --- the request: config and meta
    def config(self) -> RunConfig:
        """The run's settings; settings added since the run was made take their defaults.

        Raises:
            ConfigError: when the file is missing or does not hold a valid config.
        """
        data = read_json(self.path / "config.json")
        if data is None:
            raise ConfigError("no_config", run=self.id)
        return RunConfig.from_dict(self._with_saved_batch_norm_place(data))

    def _with_saved_batch_norm_place(self, data):
        """A config saved before `batch_norm_at` existed, with batch norm on, gains the place its checkpoint has.

        Both places were saved without the setting (before the pooling first, then after it), so the
        checkpoint decides; without one, `Setting.missing` (before the pooling) stands.
        """
        model = data.get("model") if isinstance(data, dict) else None
        if not isinstance(model, dict) or model.get("batch_norm") is not True or "batch_norm_at" in model:
            return data
        place = saved_model.saved_batch_norm_place(self.checkpoint_path) if self.has_checkpoint() else None
        return {**data, "model": {**model, "batch_norm_at": place}} if place else data

    def write_config(self, config: dict) -> None:
        """Store the settings as `RunConfig.to_dict` gives them (a remote worker receives them as a dict)."""
        write_json(self.path / "config.json", config)

    def config_version(self) -> float:
        """Changes when the config file changes (a cache key)."""
        return (self.path / "config.json").stat().st_mtime

    def meta(self) -> dict | None:
        """`{"id", "name", "owner", "created"}`, or None when the file is missing or unreadable."""
        meta = read_json(self.path / "meta.json")
        return meta if isinstance(meta, dict) else None

    def write_meta(self, meta: dict) -> None:
        write_json(self.path / "meta.json", meta)

    def owner(self) -> str:
        return (self.meta() or {}).get("owner", "")

    def name(self) -> str:
        """The display name, the run id when it has none; see `shown_name`."""
        return shown_name(self.meta(), self.id)

    # --- state
    def status(self) -> Status:
        return Status.from_json(read_json(self.path / "status.json"))

    def set_status(self, state: str, messages: list[Message] | tuple = (), **extra) -> None:
        """Record the run's state and why; `extra` (pid, started, ended) is kept across updates."""
        messages = [m if isinstance(m, Message) else Message(*m) for m in messages]
        previous = read_json(self.path / "status.json", {}) or {}
        status = {
            **previous,
            **extra,
            "state": state,
            "message": " ".join(map(str, messages)),
            "parts": [m.to_json() for m in messages],
            "updated": time.time(),
        }
        write_json(self.path / "status.json", status)

    def request_stop(self) -> None:
        (self.path / "stop").touch()

    def stop_requested(self) -> bool:
        return (self.path / "stop").exists()

    def clear_stop(self) -> None:
        """Forget a Stop request (a finished run that is shipped with the app keeps none)."""
        (self.path / "stop").unlink(missing_ok=True)

    # --- what training writes
    def progress(self) -> Progress:
        """The live numbers of the epoch in progress (written by `core.lesson.callbacks.LiveProgress`)."""
        return Progress.from_json(read_json(self.path / "progress.json"))

    def write_progress(self, progress: Progress) -> None:
        write_json(self.path / "progress.json", progress.to_json())

    def clear_progress(self) -> None:
        (self.path / "progress.json").unlink(missing_ok=True)

    def history(self) -> list[dict]:
        """One row per finished epoch: epoch, seconds, loss, accuracy, val_loss, val_accuracy."""
        history = read_json(self.path / "history.json", [])
        return [row for row in history if isinstance(row, dict)] if isinstance(history, list) else []

    def write_history(self, rows: list[dict]) -> None:
        write_json(self.path / "history.json", rows)

    def result(self) -> dict:
        """Final metrics: val_accuracy, test_accuracy, epochs_run, best_epoch, seconds, fast_path..."""
        result = read_json(self.path / "result.json", {})
        return result if isinstance(result, dict) else {}

    def write_result(self, result: dict) -> None:
        write_json(self.path / "result.json", result)

    def has_result(self) -> bool:
        """Whether the run has recorded its final result (a bench reuses such a folder instead of training again)."""
        return (self.path / "result.json").exists()

    def error(self) -> str | None:
        """A failed run's traceback, or None when there is none (a remote worker sends it back as text)."""
        path = self.path / "error.txt"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def write_error(self, text: str) -> None:
        (self.path / "error.txt").write_text(text, encoding="utf-8")

    @property
    def worker_log_path(self) -> Path:
        return self.path / "worker.log"

    # --- the checkpoint
    @property
    def checkpoint_path(self) -> Path:
        return self.path / "best.keras"

    def has_checkpoint(self) -> bool:
        return self.checkpoint_path.is_file()

    def checkpoint_version(self) -> float:
        """Changes when a better checkpoint is saved (a cache key)."""
        return self.checkpoint_path.stat().st_mtime

    def save_checkpoint(self, model) -> None:
        """Save a Keras model as the run's best checkpoint, atomically."""
        atomic_write(self.checkpoint_path, model.save)

    def write_checkpoint_bytes(self, data: bytes) -> None:
        """Store a checkpoint that arrived as bytes (from a remote worker), atomically."""
        atomic_write(self.checkpoint_path, lambda tmp: Path(tmp).write_bytes(data))

    def load_model(self):
        """The best checkpoint, in float32 whatever it was trained in (`core.lesson.saved_model.load`)."""
        return saved_model.load(self.checkpoint_path)

    def portable_model_bytes(self) -> bytes:
        """The best checkpoint as a file that computes in float32 anywhere (`saved_model.portable_bytes`)."""
        return saved_model.portable_bytes(self.checkpoint_path)

    # --- kernels per epoch
    @property
    def _kernel_folder(self) -> Path:
        return self.path / "kernels"

    def save_kernels(self, epoch: int, weights: dict[str, np.ndarray]) -> None:
        """Store conv weights (`conv1.kernel`, `conv1.bias`, ...) for one epoch (0 = before training)."""
        self._kernel_folder.mkdir(exist_ok=True)
        atomic_write(self._kernel_path(epoch), lambda tmp: np.savez(tmp, **weights))

    def kernel_epochs(self) -> list[int]:
        """Epochs that have a kernel snapshot (0 = before training)."""
        folder = self._kernel_folder
        return sorted(int(p.stem.split("_")[1]) for p in folder.glob("epoch_*.npz")) if folder.is_dir() else []

    def kernels(self, epoch: int) -> dict[str, np.ndarray]:
        """The conv weights stored for `epoch`.

        Raises:
            OSError, ValueError: when the snapshot is missing or damaged.
        """
        with np.load(self._kernel_path(epoch)) as data:
            return {key: data[key] for key in data.files}

    def kernels_version(self, epoch: int) -> float:
        return self._kernel_path(epoch).stat().st_mtime

    def _kernel_path(self, epoch: int) -> Path:
        return self._kernel_folder / f"epoch_{epoch:03d}.npz"

    # --- logs and caches
    @property
    def log_dir(self) -> Path:
        """TensorBoard's folder for this run (`tensorboard --logdir runs` shows every run)."""
        return self.path / "tensorboard"

    def evaluation_paths(self, data_key: str) -> tuple[Path, Path]:
        """The JSON and NPZ files that cache the evaluation on one data set."""
        stem = self.path / f"{EVALUATION_PREFIX}{data_key}"
        return stem.with_suffix(".json"), stem.with_suffix(".npz")

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    def delete(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def worker_alive(self, pid: int | None = None) -> bool:
        """Whether the recorded worker process still trains this run (guards against pid reuse)."""
        pid = pid if pid is not None else self.status().pid
        if not pid:
            return False
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
        return self.id.encode() in cmdline

    def drop_optimizer_state(self) -> None:
        """Re-save the checkpoint without the optimizer's slots (`saved_model.without_optimizer_state`)."""
        self.save_checkpoint(saved_model.without_optimizer_state(self.load_model()))


# ---------------------------------------------------------------- creating and listing runs


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


def create_run(
    config: RunConfig, name: str = "", owner: str = "", root: Path | None = None, folder: Path | None = None
) -> Run:
    """Make a new run folder holding its config, meta and a `queued` status.

    Args:
        root: parent of a new uniquely named folder (default: the runs folder).
        folder: use this folder instead (it may exist but must not hold a run).
    """
    if folder is not None:
        run = Run(folder)
        run.path.mkdir(parents=True, exist_ok=True)
        if (run.path / "config.json").exists():
            raise ConfigError("run_folder_used", folder=str(run.path))
    else:
        run = Run(_new_run_folder(Path(root or runs_dir())))
    run.write_config(config.to_dict())
    name = user_text.one_line(name, user_text.RUN_NAME_LENGTH) or run.id
    run.write_meta({"id": run.id, "name": name, "owner": owner, "created": time.time()})
    run.set_status("queued")
    return run


def shown_name(meta: dict | None, run_id: str) -> str:
    """A run's display name from its meta data, cleaned by `user_text.one_line` as it is read.

    Runs made before names were cleaned at creation may hold any text (a carriage return, a line
    separator); they are shown, listed and exported as if they had been cleaned. The run id when empty.
    """
    return user_text.one_line((meta or {}).get("name"), user_text.RUN_NAME_LENGTH) or run_id


def _new_run_folder(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            run_dir = root / new_run_id()
            run_dir.mkdir()
            return run_dir
        except FileExistsError:
            continue


@dataclass
class RunInfo:
    """A snapshot of one run for the lists; `damaged` says what is wrong with a broken folder."""

    run: Run
    name: str = ""
    owner: str = ""
    created: float = 0.0
    status: Status = field(default_factory=Status)
    config: RunConfig | None = None
    history: list = field(default_factory=list)
    result: dict = field(default_factory=dict)
    damaged: Message | None = None

    @property
    def path(self) -> Path:
        return self.run.path

    @property
    def id(self) -> str:
        return self.run.id

    @property
    def state(self) -> str:
        return "damaged" if self.damaged else self.status.state

    @property
    def has_checkpoint(self) -> bool:
        return self.run.has_checkpoint()

    @property
    def best_val_accuracy(self) -> float | None:
        values = [row["val_accuracy"] for row in self.history if "val_accuracy" in row]
        return max(values) if values else None


def read_run(run: Run | Path) -> RunInfo:
    """Everything listed about one run; never raises for a damaged folder."""
    run = Run.of(run)
    info = RunInfo(run=run)
    meta = run.meta()
    if meta is None:
        info.damaged = Message("run_no_meta")
        info.name = run.id
        return info
    info.name, info.owner, info.created = shown_name(meta, run.id), meta.get("owner", ""), meta.get("created", 0)
    info.status, info.history, info.result = run.status(), run.history(), run.result()
    try:
        info.config = run.config()
    except ConfigError as err:
        info.damaged = err.message
    return info


def list_runs(root: Path | None = None) -> list[RunInfo]:
    """All runs under the runs folder, newest first."""
    root = Path(root or runs_dir())
    if not root.is_dir():
        return []
    infos = [read_run(p) for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted(infos, key=lambda r: (r.created, r.id), reverse=True)


def mark_orphans_interrupted(root: Path | None = None) -> list[str]:
    """Runs left `running` or `queued` by a server that died: mark them interrupted.

    Called once when the training queue starts; returns the ids it marked.
    """
    marked = []
    for info in list_runs(root):
        if info.state in ACTIVE_STATES and not info.run.worker_alive():
            note = [Message("server_stopped_queued" if info.state == "queued" else "server_stopped_running")]
            if info.has_checkpoint:
                note.append(Message("checkpoint_kept"))
            info.run.set_status("interrupted", note)
            marked.append(info.id)
    return marked
