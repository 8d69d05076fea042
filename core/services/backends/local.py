"""The `local` backend: each run trains in its own worker process on this machine.

`python -m core.train --run-dir ...`, at most `max_parallel` at once
(`CNN_LAB_MAX_PARALLEL`). Workers get SIGKILL when the queue's thread that
started them dies (Linux `PR_SET_PDEATHSIG`), so a killed server leaves no
orphan training; on the next start their runs are marked interrupted.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time

from core.messages import Message
from core.services import run_store
from core.services.run_store import Run


def die_with_parent() -> None:
    """Runs in the child before exec: ask Linux to kill it when its parent thread ends; lower its priority."""
    exit_with_parent()
    train_only_on_idle_cpu()


def exit_with_parent() -> None:
    """Runs in the child before exec: ask Linux to kill it when the thread that started it ends."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass  # not Linux: the child then outlives a killed server


def train_only_on_idle_cpu() -> None:
    """Make this process (and the threads it starts) yield the CPU to the server at once.

    Linux's `SCHED_IDLE` runs a process only when nothing else wants the CPU,
    and a page's script waking up preempts it immediately; on an otherwise
    idle laptop the run still gets every spare cycle. Measured on the 2-core
    development machine (2026-12-02) with 10
    sessions (~3 page views/s) while a Lesson run trained
    (`bench/bench_sessions.py` has the full class): page p95 0.9-1.1 s with
    SCHED_IDLE, against 1.6-3.4 s at nice 5, 1.4-2.5 s at nice 19 and 1.9 s
    with SCHED_BATCH. Where there is no SCHED_IDLE (not Linux), nice 19.
    """
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(19)


class LocalBackend:
    """Worker processes on this machine.

    Args:
        max_parallel: runs training at the same time. Default 1: one run keeps two cores busy.
        stop_grace: seconds a worker has to stop after a stop request before it is killed.
    """

    name = "local"

    def __init__(self, max_parallel: int = 1, stop_grace: float = 30.0):
        self.max_parallel = max_parallel
        self.stop_grace = stop_grace
        self._running: dict[Run, subprocess.Popen] = {}
        self._stop_asked: dict[Run, float] = {}
        self.lost = None  # a local backend is never lost

    # every method below is called by the queue's thread, or under the queue's lock
    def free_slots(self) -> int:
        return max(0, self.max_parallel - len(self._running))

    def running(self) -> list[Run]:
        return list(self._running)

    def slots(self) -> list[dict]:
        """One row per place a run can train: for the Teacher page's cluster view."""
        runs = list(self._running)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        return [
            {"worker": f"this computer #{i + 1}", "cores": cores, "run": runs[i] if i < len(runs) else None}
            for i in range(self.max_parallel)
        ]

    def start(self, run: Run) -> None:
        log = open(run.worker_log_path, "ab")  # noqa: SIM115 - the child owns it
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "core.train", "--run-dir", str(run.path)],
                cwd=run_store.APP_DIR,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"},
                preexec_fn=die_with_parent,
            )
        finally:
            log.close()
        run.set_status("running", [Message("status_starting")], pid=proc.pid, backend="local")
        self._running[run] = proc

    def stop(self, run: Run) -> None:
        if run in self._running:
            self._stop_asked.setdefault(run, time.monotonic())
            run.request_stop()

    def reap(self) -> list[tuple[Run, str, Message]]:
        """Runs whose worker ended: `(run, state, message)` to record unless the worker recorded its end."""
        ended = []
        for run, proc in list(self._running.items()):
            asked = self._stop_asked.get(run)
            if proc.poll() is None:
                if asked is not None and time.monotonic() - asked > self.stop_grace:
                    proc.kill()  # it did not answer the stop request
                continue
            del self._running[run]
            self._stop_asked.pop(run, None)
            if proc.returncode < 0:
                ended.append((run, "interrupted" if asked else "failed", _signal_message(proc.returncode, asked)))
            else:
                ended.append((run, "failed", Message("worker_exit_code", {"code": proc.returncode})))
        return ended

    def close(self) -> list[tuple[Run, str, Message]]:
        ended = []
        for run, proc in self._running.items():
            proc.kill()
            proc.wait()
            ended.append((run, "interrupted", Message("server_shut_down")))
        self._running.clear()
        return ended


def _signal_message(returncode: int, stop_asked) -> Message:
    name = signal.Signals(-returncode).name
    if stop_asked:
        return Message("stop_timeout", {"signal": name})
    if -returncode == signal.SIGKILL:
        return Message("worker_killed")
    return Message("worker_signal", {"signal": name})
