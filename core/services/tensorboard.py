"""A run's history as TensorBoard event files, so `tensorboard --logdir runs` shows every run.

TensorBoard reads folders of event files; Keras's own TensorBoard callback
writes `train/` and `validation/` folders with the scalars `epoch_loss` and
`epoch_accuracy`. This module writes the same layout from `history.json`
after the fact, so training needs no extra callback and a run trained before
this existed gets its logs too:

    run_dir/tensorboard/train/events.out.tfevents.<time>.cnn-lab.v2
    run_dir/tensorboard/validation/events.out.tfevents.<time>.cnn-lab.v2

Steps are the app's epoch numbers (1, 2, ...), as on the Train page.

The files are encoded here in plain Python (an event file is a TFRecord
file of `Event` protocol buffers; both formats are small and stable), so
writing them costs milliseconds and needs neither TensorFlow nor the
`tensorboard` package: a page can call this without importing TensorFlow
(about 5 s), and the worker can call it after training. Viewing the logs
needs `pip install tensorboard`, on any machine. The tests read the files
back with TensorFlow's own reader, which checks every CRC.
"""

from __future__ import annotations

import math
import shutil
import struct
import time
from pathlib import Path

from core.services import run_store

LOG_FOLDER = "tensorboard"
SPLITS = ("train", "validation")


def log_dir(run_dir: Path) -> Path:
    return Path(run_dir) / LOG_FOLDER


def scalars_by_split(history: list[dict]) -> dict[str, dict[str, list[tuple[int, float]]]]:
    """`{"train": {"epoch_loss": [(1, 0.52), ...]}, "validation": {...}}` from history rows.

    `val_loss` goes to validation as `epoch_loss`, `loss` to train as
    `epoch_loss`, as Keras names them; non-numeric and non-finite values
    are left out.
    """
    out: dict[str, dict[str, list[tuple[int, float]]]] = {split: {} for split in SPLITS}
    for position, row in enumerate(history, start=1):
        step = int(row.get("epoch", position))
        for name, value in row.items():
            if name == "epoch" or isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            if not math.isfinite(value):
                continue
            split, metric = ("validation", name[4:]) if name.startswith("val_") else ("train", name)
            out[split].setdefault(f"epoch_{metric}", []).append((step, float(value)))
    return out


# ---------------------------------------------------------------- protocol buffer and TFRecord encoding
# Field numbers from tensorflow/core/util/event.proto, framework/summary.proto and tensor.proto.


def _varint(value: int) -> bytes:
    out = bytearray()
    value &= (1 << 64) - 1
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, wire_type: int, payload: bytes) -> bytes:
    return _varint(number << 3 | wire_type) + payload


def _message(number: int, payload: bytes) -> bytes:
    return _field(number, 2, _varint(len(payload)) + payload)


def scalar_event(tag: str, value: float, step: int, wall_time: float) -> bytes:
    """A serialized `Event` holding one TF2-style scalar: a rank-0 float32 tensor
    whose metadata names the scalars plugin, as `tf.summary.scalar` writes it."""
    tensor = _field(1, 0, _varint(1)) + _message(2, b"") + _message(5, struct.pack("<f", value))  # DT_FLOAT
    metadata = _message(1, _message(1, b"scalars"))  # plugin_data { plugin_name: "scalars" }
    summary_value = _message(1, tag.encode()) + _message(8, tensor) + _message(9, metadata)
    return (
        _field(1, 1, struct.pack("<d", wall_time))
        + _field(2, 0, _varint(step))
        + _message(5, _message(1, summary_value))
    )


def version_event(wall_time: float) -> bytes:
    """The first event of every file: `file_version: "brain.Event:2"`."""
    return _field(1, 1, struct.pack("<d", wall_time)) + _message(3, b"brain.Event:2")


def _crc32c_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli), the checksum of TFRecord files."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _masked_crc(data: bytes) -> bytes:
    crc = crc32c(data)
    return struct.pack("<I", (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF)


def tfrecord(data: bytes) -> bytes:
    """One TFRecord: length, CRC of the length, data, CRC of the data."""
    length = struct.pack("<Q", len(data))
    return length + _masked_crc(length) + data + _masked_crc(data)


# ---------------------------------------------------------------- run folders


def _write_events(folder: Path, scalars: dict[str, list[tuple[int, float]]], times: dict[int, float]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*tfevents*"):
        old.unlink(missing_ok=True)
    start = min(times.values(), default=time.time())
    path = folder / f"events.out.tfevents.{int(start)}.cnn-lab.v2"
    points = sorted((step, tag, value) for tag, values in scalars.items() for step, value in values)
    records = [tfrecord(version_event(start))]
    records += [tfrecord(scalar_event(tag, value, step, times.get(step, start))) for step, tag, value in points]
    run_store.atomic_write(path, lambda tmp: Path(tmp).write_bytes(b"".join(records)))
    return path


def _epoch_times(run_dir: Path, history: list[dict]) -> dict[int, float]:
    """Wall-clock time at the end of each epoch: the run's start plus the epoch durations."""
    status = run_store.read_status(run_dir)
    meta = run_store.read_json(Path(run_dir) / "meta.json", {}) or {}
    clock = float(status.get("started") or meta.get("created") or time.time())
    times = {}
    for position, row in enumerate(history, start=1):
        clock += float(row.get("seconds") or 0)
        times[int(row.get("epoch", position))] = clock
    return times


def write_tensorboard_logs(run_dir: Path) -> list[Path]:
    """Convert the run's `history.json` into TensorBoard event files.

    Replaces earlier logs of the run, so it can be called again after more
    epochs (or by two pages) without TensorBoard showing a curve twice.

    Args:
        run_dir: the run folder.

    Returns:
        the event files written (one per split that has values); empty when
        the run has no history yet.

    Raises:
        OSError: when the run folder cannot be written (e.g. read-only).
    """
    run_dir = Path(run_dir)
    history = run_store.read_json(run_dir / "history.json", [])
    if not isinstance(history, list) or not history:
        return []
    history = [row for row in history if isinstance(row, dict)]
    times = _epoch_times(run_dir, history)
    written = []
    for split, scalars in scalars_by_split(history).items():
        if scalars:
            written.append(_write_events(log_dir(run_dir) / split, scalars, times))
        else:
            shutil.rmtree(log_dir(run_dir) / split, ignore_errors=True)
    return written


def logs_up_to_date(run_dir: Path) -> bool:
    """Whether the event files are at least as new as `history.json` (nothing to rewrite)."""
    history = Path(run_dir) / "history.json"
    files = list(log_dir(run_dir).glob("*/*tfevents*"))
    if not history.is_file():
        return True
    return bool(files) and min(f.stat().st_mtime for f in files) >= history.stat().st_mtime


def update_logs(run_dirs) -> list[Path]:
    """Write the logs of every run whose logs are missing or older than its history.

    Checking a run costs a directory listing and two `stat`s, so a page can
    call this for the whole class; folders that cannot be written are skipped.

    Returns:
        the run folders whose logs were (re)written.
    """
    updated = []
    for run_dir in run_dirs:
        try:
            if not logs_up_to_date(run_dir) and write_tensorboard_logs(run_dir):
                updated.append(Path(run_dir))
        except OSError:
            continue
    return updated
