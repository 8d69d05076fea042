"""A process-wide training queue (scheduler): each run trains in its own worker process.

The Streamlit server holds one `TrainingQueue` (via `st.cache_resource`).
`submit` only writes a queued run folder (and returns its `Run`); a single scheduler thread starts
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
from core.messages import Message
from core.services import housekeeping, run_store
from core.services.run_store import Run


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
        self._pending: list[Run] = []
        self._running: dict[Run, subprocess.Popen] = {}
        self._stop_asked: dict[Run, float] = {}
        self._closed = False
        run_store.mark_orphans_interrupted(self.root)
        self._thread = threading.Thread(target=self._schedule, name="training-queue", daemon=True)
        self._thread.start()

    # --- what pages call -------------------------------------------------
    def submit(self, config: RunConfig, name: str = "", owner: str = "") -> Run:
        """Queue a new run and return it.

        Raises:
            QueueFull: when `owner` already has `max_per_owner` active runs.
        """
        with self._lock:
            mine = [run for run in [*self._pending, *self._running] if owner and run.owner() == owner]
            if len(mine) >= self.max_per_owner:
                raise QueueFull(
                    f"You already have {len(mine)} run(s) waiting or training; "
                    "wait for one to finish or stop one first."
                )
            housekeeping.apply_retention(self.root)  # CNN_LAB_MAX_RUNS / CNN_LAB_MAX_RUNS_MB, oldest ended first
            run = run_store.create_run(config, name=name, owner=owner, root=self.root)
            self._pending.append(run)
        self._wake.set()
        return run

    def position(self, run: Run | Path) -> int | None:
        """1 for the next run to start, 2 after it, ...; None when not waiting."""
        run = _as_run(run)
        with self._lock:
            return self._pending.index(run) + 1 if run in self._pending else None

    def counts(self) -> dict:
        with self._lock:
            return {"waiting": len(self._pending), "training": len(self._running)}

    def stop(self, run: Run | Path) -> None:
        """Stop a waiting run now, or ask a training run to stop at its next batch."""
        run = _as_run(run)
        with self._lock:
            if run in self._pending:
                self._pending.remove(run)
                run.set_status("stopped", [Message("stopped_before_start")])
                return
            if run in self._running:
                self._stop_asked.setdefault(run, time.monotonic())
        run.request_stop()
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
            for run, proc in self._running.items():
                proc.kill()
                proc.wait()
                _settle(run, "interrupted", Message("server_shut_down"))
            self._running.clear()

    def _start_pending(self) -> None:
        with self._lock:
            while self._pending and len(self._running) < self.max_parallel:
                run = self._pending.pop(0)
                try:
                    self._running[run] = self._spawn(run)
                except OSError as err:
                    _settle(run, "failed", Message("worker_not_started", {"reason": err.strerror or str(err)}))

    def _spawn(self, run: Run) -> subprocess.Popen:
        log = open(run.worker_log_path, "ab")  # noqa: SIM115 - the child owns it
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "core.train", "--run-dir", str(run.path)],
                cwd=run_store.APP_DIR,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"},
                preexec_fn=_die_with_parent,
            )
        finally:
            log.close()
        run.set_status("running", [Message("status_starting")], pid=proc.pid)
        return proc

    def _reap(self) -> None:
        with self._lock:
            for run, proc in list(self._running.items()):
                asked = self._stop_asked.get(run)
                if proc.poll() is None:
                    if asked is not None and time.monotonic() - asked > self.stop_grace:
                        proc.kill()  # it did not answer the stop request
                    continue
                del self._running[run]
                self._stop_asked.pop(run, None)
                if proc.returncode < 0:
                    _settle(run, "interrupted" if asked else "failed", _signal_message(proc.returncode, asked))
                else:
                    _settle(run, "failed", Message("worker_exit_code", {"code": proc.returncode}))


def _as_run(run: Run | Path) -> Run:
    return run if isinstance(run, Run) else Run(run)


def _settle(run: Run, state: str, message: Message) -> None:
    """Record how a worker ended, unless the worker already recorded it."""
    if run.status().active:
        messages = [message]
        if run.has_checkpoint():
            messages.append(Message("checkpoint_kept"))
        try:
            run.set_status(state, messages, ended=time.time())
        except OSError:
            logging.getLogger(__name__).warning("could not record that run %s %s", run.id, state)


def _signal_message(returncode: int, stop_asked) -> Message:
    name = signal.Signals(-returncode).name
    if stop_asked:
        return Message("stop_timeout", {"signal": name})
    if -returncode == signal.SIGKILL:
        return Message("worker_killed")
    return Message("worker_signal", {"signal": name})
