"""A process-wide training queue (scheduler): each run trains in its own worker process.

The Streamlit server holds one `TrainingQueue` (via `st.cache_resource`).
`submit` only writes a queued run folder; a single scheduler thread starts
workers (`python -m core.train --run-dir ...`) while fewer than
`max_parallel` are training, and notices when they end. Training never
happens in the server process: Streamlit clears the Keras session after
every script run, which slows an in-process trainer by up to 60x, and a
separate process can always be stopped for sure.

Workers get SIGKILL when the scheduler thread that started them dies
(Linux `PR_SET_PDEATHSIG`), so a killed server leaves no orphan training;
on the next start their runs are marked interrupted.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from core.lesson.config import RunConfig
from core.services import housekeeping, run_store


class QueueFull(Exception):
    """A student already has as many runs waiting or training as allowed."""


def _die_with_parent() -> None:
    """Runs in the child before exec: ask Linux to kill it when its parent thread ends."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass  # not Linux: the worker then outlives a killed server and finishes alone
    os.nice(5)  # pages and classification stay responsive while a run trains


class TrainingQueue:
    """Runs training jobs in worker processes, at most `max_parallel` at once.

    Args:
        root: the runs folder (default `run_store.runs_dir()`).
        max_parallel: runs training at the same time. Default 1 (2 cores).
        max_per_owner: runs one owner may have queued or training. Default 2.
        stop_grace: seconds a worker has to stop after a stop request
            before it is killed. Default 30.
        poll: seconds between two looks at the workers. Default 0.3.
    """

    def __init__(
        self,
        root: Path | None = None,
        max_parallel: int = 1,
        max_per_owner: int = 2,
        stop_grace: float = 30.0,
        poll: float = 0.3,
    ):
        self.root = Path(root or run_store.runs_dir())
        self.max_parallel = max_parallel
        self.max_per_owner = max_per_owner
        self.stop_grace = stop_grace
        self.poll = poll
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pending: list[Path] = []
        self._running: dict[Path, subprocess.Popen] = {}
        self._stop_asked: dict[Path, float] = {}
        self._closed = False
        run_store.mark_orphans_interrupted(self.root)
        self._thread = threading.Thread(target=self._schedule, name="training-queue", daemon=True)
        self._thread.start()

    # --- what pages call -------------------------------------------------
    def submit(self, config: RunConfig, name: str = "", owner: str = "") -> Path:
        """Queue a new run and return its folder.

        Raises:
            QueueFull: when `owner` already has `max_per_owner` active runs.
        """
        with self._lock:
            mine = [p for p in [*self._pending, *self._running] if owner and _owner(p) == owner]
            if len(mine) >= self.max_per_owner:
                raise QueueFull(
                    f"You already have {len(mine)} run(s) waiting or training; "
                    "wait for one to finish or stop one first."
                )
            housekeeping.apply_retention(self.root)  # CNN_LAB_MAX_RUNS / CNN_LAB_MAX_RUNS_MB, oldest ended first
            run_dir = run_store.create_run(config, name=name, owner=owner, root=self.root)
            self._pending.append(run_dir)
        self._wake.set()
        return run_dir

    def position(self, run_dir: Path) -> int | None:
        """1 for the next run to start, 2 after it, ...; None when not waiting."""
        with self._lock:
            return self._pending.index(Path(run_dir)) + 1 if Path(run_dir) in self._pending else None

    def counts(self) -> dict:
        with self._lock:
            return {"waiting": len(self._pending), "training": len(self._running)}

    def stop(self, run_dir: Path) -> None:
        """Stop a waiting run now, or ask a training run to stop at its next batch."""
        run_dir = Path(run_dir)
        with self._lock:
            if run_dir in self._pending:
                self._pending.remove(run_dir)
                run_store.set_status(run_dir, "stopped", [("stopped_before_start", {})])
                return
            if run_dir in self._running:
                self._stop_asked.setdefault(run_dir, time.monotonic())
        run_store.request_stop(run_dir)
        self._wake.set()

    def close(self, timeout: float = 10.0) -> None:
        """End the scheduler and every worker (tests and shutdown)."""
        self._closed = True
        self._wake.set()
        self._thread.join(timeout)

    # --- the scheduler thread ---------------------------------------------
    def _schedule(self) -> None:
        while not self._closed:
            try:
                self._reap()
                self._start_pending()
            except Exception:  # a full disk or a vanished folder must not stop the queue for everyone
                logging.getLogger(__name__).exception("training queue: a pass failed; carrying on")
            self._wake.wait(self.poll)
            self._wake.clear()
        with self._lock:
            for run_dir, proc in self._running.items():
                proc.kill()
                proc.wait()
                _settle(run_dir, "interrupted", ("server_shut_down", {}))
            self._running.clear()

    def _start_pending(self) -> None:
        with self._lock:
            while self._pending and len(self._running) < self.max_parallel:
                run_dir = self._pending.pop(0)
                try:
                    self._running[run_dir] = self._spawn(run_dir)
                except OSError as err:
                    _settle(run_dir, "failed", ("worker_not_started", {"reason": err.strerror or str(err)}))

    def _spawn(self, run_dir: Path) -> subprocess.Popen:
        log = open(run_dir / "worker.log", "ab")  # noqa: SIM115 - the child owns it
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "core.train", "--run-dir", str(run_dir)],
                cwd=run_store.APP_DIR,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"},
                preexec_fn=_die_with_parent,
            )
        finally:
            log.close()
        run_store.set_status(run_dir, "running", [("status_starting", {})], pid=proc.pid)
        return proc

    def _reap(self) -> None:
        with self._lock:
            for run_dir, proc in list(self._running.items()):
                asked = self._stop_asked.get(run_dir)
                if proc.poll() is None:
                    if asked is not None and time.monotonic() - asked > self.stop_grace:
                        proc.kill()  # it did not answer the stop request
                    continue
                del self._running[run_dir]
                self._stop_asked.pop(run_dir, None)
                if proc.returncode < 0:
                    _settle(run_dir, "interrupted" if asked else "failed", _signal_message(proc.returncode, asked))
                else:
                    _settle(run_dir, "failed", ("worker_exit_code", {"code": proc.returncode}))


def _owner(run_dir: Path) -> str:
    return (run_store.read_json(run_dir / "meta.json") or {}).get("owner", "")


def _settle(run_dir: Path, state: str, part: tuple[str, dict]) -> None:
    """Record how a worker ended, unless the worker already recorded it."""
    if run_store.read_status(run_dir).get("state") in run_store.ACTIVE_STATES:
        message = [part]
        if run_store.checkpoint_path(run_dir).is_file():
            message.append(("checkpoint_kept", {}))
        try:
            run_store.set_status(run_dir, state, message, ended=time.time())
        except OSError:
            logging.getLogger(__name__).warning("could not record that run %s %s", run_dir.name, state)


def _signal_message(returncode: int, stop_asked) -> tuple[str, dict]:
    name = signal.Signals(-returncode).name
    if stop_asked:
        return "stop_timeout", {"signal": name}
    if -returncode == signal.SIGKILL:
        return "worker_killed", {}
    return "worker_signal", {"signal": name}
