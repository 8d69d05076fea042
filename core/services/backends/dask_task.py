"""The `dask` backend's task, as it runs on a lab PC: train one run in a child process and relay what it writes.

`train_task` is what the server submits (through `by_value`, so that a stock
scheduler can unpickle it); `worker_facts` is what the server asks of each
worker before it trains there. Everything travels back as Dask events
(`TOPIC`), a `distributed.Variable` for each better checkpoint, and the
task's result; `dask_cluster` is the server's side.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from core.services import run_store
from core.services.backends import versions
from core.services.run_store import Run

TOPIC = "cnn-lab"
STOP_CHECK = 0.4  # seconds between two looks at the Stop event (each is a call to the scheduler)
STOP_GRACE = 30.0  # seconds the training process has to stop before it is killed
ACTIVE = ("queued", "running")


def stop_event_name(run_id: str) -> str:
    return f"cnn-lab-stop-{run_id}"


def checkpoint_variable_name(run_id: str) -> str:
    return f"cnn-lab-checkpoint-{run_id}"


def by_value(module: str, name: str):
    """`module.name` as a task that a scheduler without CNN Lab's code can unpickle.

    A module-level function is pickled by reference (`core....train_task`),
    which a stock scheduler cannot import. The function made here is local:
    the standard pickler refuses it, so Dask's cloudpickle sends its code by
    value, and it imports the real function on the worker, where the code is.
    (`cloudpickle.register_pickle_by_value` would not help: Dask tries the
    standard pickler first.)
    """

    def call(*args):
        import importlib

        return getattr(importlib.import_module(module), name)(*args)

    return call


def worker_facts() -> dict:
    """What the server needs to know about a worker before it trains there (runs via `Client.run`)."""
    from core.lesson import data

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # CNN_LAB_WORKER_DATA=server makes a worker use the server's copy even when it has one of its own.
    own = os.environ.get("CNN_LAB_WORKER_DATA", "own") != "server" and data.find_dataset_dir() is not None
    return {"fingerprint": versions.fingerprint(), "has_data": own, "cores": cores}


def _zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def train_task(run_id: str, config: dict, expected: dict, raw_blob: bytes | None = None) -> dict:
    """The Dask task: train one run in a child process and relay everything it writes.

    Returns:
        `{"state", "messages", "history", "result", "checkpoint", "tensorboard", "worker", "error"}`;
        `{"refused": [differences as Message JSON]}` when this worker's code or packages are not the server's.
    """
    from distributed import Event, Variable, get_worker

    from core.services.backends.remote_child import write_frame

    found = versions.differences(expected, versions.fingerprint())
    if found:
        return {"refused": [message.to_json() for message in found]}
    worker = get_worker()
    stop = Event(stop_event_name(run_id))
    checkpoint_var = Variable(checkpoint_variable_name(run_id))

    def emit(kind: str, data) -> None:
        worker.log_event(TOPIC, {"run": run_id, "kind": kind, "data": data})

    with tempfile.TemporaryDirectory(prefix=f"cnn-lab-{run_id}-") as scratch:
        run = Run(Path(scratch) / run_id)
        run.path.mkdir()
        child = _start_child(run)
        emit("status", {"state": "running", "messages": [["status_starting", {}]], "extra": {}})
        write_frame(child.stdin, {"folder": str(run.path), "config": config, "raw": raw_blob})
        final = {}
        history = []
        reader = threading.Thread(
            target=_relay, args=(child, emit, checkpoint_var, final, history), name=f"relay-{run_id}", daemon=True
        )
        reader.start()
        _wait_for(child, stop)
        reader.join(30)
        return _task_result(run, child, final, history, worker.address)


def _start_child(run: Run) -> subprocess.Popen:
    """The process that trains `run`: a fresh Python per run, so Keras's global state never carries over.

    It dies with the task's process, and what it prints goes to the run's worker log (sent back at the end).
    """
    from core.services.backends.local import die_with_parent

    return subprocess.Popen(
        [sys.executable, "-m", "core.services.backends.remote_child"],
        cwd=run_store.APP_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=open(run.worker_log_path, "ab"),  # noqa: SIM115 - the child owns it
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"},
        preexec_fn=die_with_parent,
    )


def _relay(child: subprocess.Popen, emit, checkpoint_var, final: dict, history: list) -> None:
    """Forward the child's frames to the server as they come (a thread), keeping what the task returns.

    Each better checkpoint is stored in the run's `Variable` at once (an event
    says "fetch it"), so a lost worker costs only the epoch in progress.
    """
    from core.services.backends.remote_child import read_frame

    while (frame := read_frame(child.stdout)) is not None:
        kind, data = frame["kind"], frame["data"]
        if kind == "checkpoint":
            checkpoint_var.set(data)
            emit("checkpoint", {"size": len(data)})
        elif kind == "done":
            final.update(data)
        elif kind == "status" and data["state"] not in ACTIVE:
            continue  # the end is recorded from the task's result, after the artifacts
        else:
            if kind == "history":
                history[:] = data
            emit(kind, data)


def _wait_for(child: subprocess.Popen, stop) -> None:
    """Wait for the child to end, passing on a Stop, and kill it if it has not stopped `STOP_GRACE` seconds later.

    Each look at the Stop event is a call to the scheduler: hence one every `STOP_CHECK` seconds.
    """
    from core.services.backends.remote_child import write_frame

    stop_asked = None
    while child.poll() is None:
        if stop_asked is None and stop.is_set():
            stop_asked = time.monotonic()
            try:
                write_frame(child.stdin, "stop")
            except OSError:
                pass
        elif stop_asked is not None and time.monotonic() - stop_asked > STOP_GRACE:
            child.kill()
        time.sleep(STOP_CHECK)


def _task_result(run: Run, child: subprocess.Popen, final: dict, history: list, worker: str) -> dict:
    """What the task returns: how the run ended, and the artifacts read before its scratch folder is deleted.

    Only the worker log's last 20 kB travel: enough for a traceback.
    """
    return {
        "state": final.get("state"),
        "messages": final.get("messages") or [],
        "returncode": child.returncode,
        "history": history,
        "result": run.result(),
        "checkpoint": run.checkpoint_path.read_bytes() if run.has_checkpoint() else None,
        "tensorboard": _zip_folder(run.log_dir),
        "error": run.error(),
        "log": run.worker_log_path.read_bytes()[-20_000:],
        "worker": worker,
    }
