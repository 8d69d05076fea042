"""Small helpers shared by the tests (plain functions and values, not fixtures).

Tests import shared helpers one way, `from helpers_<area> import ...`, never
from `conftest` or from another test module.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core.lesson import data
from core.services import run_store
from ui.i18n import table

APP_DIR = run_store.APP_DIR
HAVE_REAL_DATA = data.find_dataset_dir() is not None
needs_data = pytest.mark.skipif(not HAVE_REAL_DATA, reason="Fashion-MNIST is not installed")

# A model that trains in about a second per epoch on the tiny data (800 training images).
TINY_MODEL = {"conv_filters": [8, 16], "dense_units": 32, "dropout": 0.2}
TINY_CONFIG_JSON = {"model": TINY_MODEL, "train": {"epochs": 2, "batch_size": 32, "train_size": 800}}
"""The shared tiny run's config (`tiny_run` in conftest.py)."""


def page_texts(area: str, lang: str = "en") -> dict[str, str]:
    """One area's texts (`locales/<lang>/<area>.json`) by key, as the app loads them (`ui.i18n.table`)."""
    prefix = f"{area}."
    return {key.removeprefix(prefix): text for key, text in table(lang).items() if key.startswith(prefix)}


def write_idx(path: Path, array: np.ndarray) -> None:
    """Write `array` (uint8) as a gzipped IDX file, the dataset's own format."""
    magic = data.IMAGES_MAGIC if array.ndim == 3 else data.LABELS_MAGIC
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    path.write_bytes(gzip.compress(header + array.astype(np.uint8).tobytes(), compresslevel=1))


def write_dataset(folder: Path, train_images, train_labels, test_images, test_labels) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {
        "train_images": train_images,
        "train_labels": train_labels,
        "test_images": test_images,
        "test_labels": test_labels,
    }
    for key, name in data.FILES.items():
        write_idx(folder / name, arrays[key])
    return folder


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


def copy_run(run: run_store.Run, folder: Path) -> run_store.Run:
    """A copy of a run without its TensorBoard logs (so that a test sees any log written later)."""
    shutil.copytree(run.path, folder, ignore=shutil.ignore_patterns(run.log_dir.name))
    return run_store.Run(folder)


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
