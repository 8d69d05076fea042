"""The process that trains one Dask run on a worker PC: `python -m core.services.backends.remote_child`.

The Dask task (`dask_task.train_task`) starts it, so every run gets a fresh
Python with fresh Keras state, exactly like a local worker process. It
trains into a scratch run folder on the worker PC through `RelayRun`, a
`Run` whose writers also send each update as a frame on the process's
stdout; the task forwards the frames to the server through Dask. A "stop"
frame on stdin asks the run to stop at its next batch.

Frames, both ways: a 4-byte big-endian length, then a pickle.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import sys
import threading

import numpy as np

from core.lesson.history import Progress
from core.services.run_store import Run

HEADER = struct.Struct(">I")


def write_frame(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream):
    """The next frame, or None at the end of the stream."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    size = HEADER.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # noqa: S301 - frames come only from our own parent process


class RelayRun(Run):
    """A scratch run folder on the worker PC whose updates are also sent to the server.

    Progress is only sent (the server's folder is the one pages read); the
    checkpoint and kernels are written here and sent as bytes.
    """

    def __init__(self, path, send):
        super().__init__(path)
        self.send = send
        self.stop_flag = threading.Event()
        self._send_lock = threading.Lock()

    def _emit(self, kind: str, data) -> None:
        with self._send_lock:  # Keras calls the async-safe callbacks from other threads
            self.send({"kind": kind, "data": data})

    def set_status(self, state, messages=(), **extra) -> None:
        extra.pop("pid", None)  # a pid on another machine means nothing to the server
        super().set_status(state, messages, **extra)
        self._emit("status", {"state": state, "messages": [m.to_json() for m in messages], "extra": extra})

    def write_progress(self, progress: Progress) -> None:
        self._emit("progress", progress.to_json())

    def write_history(self, rows: list[dict]) -> None:
        super().write_history(rows)
        self._emit("history", rows)

    def write_result(self, result: dict) -> None:
        super().write_result(result)
        self._emit("result", result)

    def write_error(self, text: str) -> None:
        super().write_error(text)
        self._emit("error", text)

    def save_checkpoint(self, model) -> None:
        super().save_checkpoint(model)
        self._emit("checkpoint", self.checkpoint_path.read_bytes())

    def save_kernels(self, epoch: int, weights: dict[str, np.ndarray]) -> None:
        super().save_kernels(epoch, weights)
        buffer = io.BytesIO()
        np.savez(buffer, **weights)
        self._emit("kernels", {"epoch": epoch, "npz": buffer.getvalue()})

    def request_stop(self) -> None:
        self.stop_flag.set()

    def stop_requested(self) -> bool:
        return self.stop_flag.is_set()


def raw_from_bytes(blob: bytes):
    """The dataset the server scattered (an uncompressed .npz of the four uint8 arrays)."""
    from core.lesson.data import RawData

    with np.load(io.BytesIO(blob)) as arrays:
        return RawData(
            arrays["train_images"], arrays["train_labels"], arrays["test_images"], arrays["test_labels"], "server"
        )


def raw_to_bytes(raw) -> bytes:
    buffer = io.BytesIO()
    np.savez(
        buffer,
        train_images=raw.train_images,
        train_labels=raw.train_labels,
        test_images=raw.test_images,
        test_labels=raw.test_labels,
    )
    return buffer.getvalue()


def main() -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    frames_out = os.fdopen(os.dup(1), "wb")  # the frame channel; anything printed goes to stderr instead
    os.dup2(2, 1)
    frames_in = sys.stdin.buffer
    init = read_frame(frames_in)
    lock = threading.Lock()

    def send(obj) -> None:
        with lock:
            write_frame(frames_out, obj)

    run = RelayRun(init["folder"], send)
    run.write_config(init["config"])

    def listen() -> None:
        while (frame := read_frame(frames_in)) is not None:
            if frame == "stop":
                run.request_stop()

    threading.Thread(target=listen, daemon=True).start()

    from core.lesson import data
    from core.lesson.fit_loop import train_run

    splits = None
    if init.get("raw") is not None:
        cfg = run.config()
        splits = data.split(raw_from_bytes(init["raw"]), cfg.train.val_fraction, cfg.train.seed)
    state, messages = train_run(run, splits=splits)
    send({"kind": "done", "data": {"state": state, "messages": [m.to_json() for m in messages]}})
    frames_out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
