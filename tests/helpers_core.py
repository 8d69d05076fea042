"""Small helpers shared by the core tests (plain functions, not fixtures)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from core.lesson import data
from core.services import run_store

APP_DIR = run_store.APP_DIR

# A model that trains in about a second per epoch on the tiny data (800 training images).
TINY_MODEL = {"conv_filters": [8, 16], "dense_units": 32, "dropout": 0.2}


def assert_sentence(message: str) -> None:
    """A message a student can read: a non-empty sentence, no traceback."""
    assert isinstance(message, str)
    text = message.strip()
    assert text, "the message is empty"
    assert "Traceback" not in text, text
    assert text[0].isupper() or text[0].isdigit(), f"does not start like a sentence: {text!r}"
    assert text.endswith((".", ")")), f"does not end like a sentence: {text!r}"


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    """Poll `predicate()` until it returns something truthy; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def synthetic_raw(n_train: int = 40, n_test: int = 20, seed: int = 0) -> dict[str, np.ndarray]:
    """Random uint8 images and labels 0-9, keyed like `data.FILES`."""
    rng = np.random.default_rng(seed)
    return {
        "train_images": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, n_train, dtype=np.uint8),
        "test_images": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, n_test, dtype=np.uint8),
    }


def as_raw(arrays: dict[str, np.ndarray], source: str = "synthetic") -> data.RawData:
    return data.RawData(**arrays, source=source)


def python(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python args...` in the app folder and capture its output as text."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=APP_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def files_under(folder: Path) -> set[Path]:
    return {p for p in Path(folder).rglob("*") if p.is_file()}


def damage(run: run_store.Run, name: str, content: str | bytes) -> None:
    """Overwrite one file of a run folder, as a crash, a full disk or a bad copy would leave it.

    `run_store.Run` owns a run's files; the tests that break one on purpose, to show that
    every reader copes, do it through here.
    """
    path = run.path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
