"""What a class shares, in one folder: the pinned class model, a gallery of pictures, the guessing game's totals.

Thirty sessions of one server read and write these files at once, so every
write goes through `core.services.run_store.atomic_write` (a reader never sees
half a file) and every read-modify-write holds its module's process-wide lock.
The folder is `$CNN_LAB_CLASSROOM_DIR`, or `.classroom` inside the runs folder
(the run list skips names that start with a dot):

    pinned.json           the class model (`pinning`)
    game.json             per class: people right/total, model right/total (`guess_game`)
    gallery/<item id>/    one shared picture (`sharing`)

Pure Python, numpy and Pillow: no Streamlit, no TensorFlow.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.services import run_store


def classroom_dir() -> Path:
    """`$CNN_LAB_CLASSROOM_DIR`, or `.classroom` inside the runs folder."""
    return Path(os.environ.get("CNN_LAB_CLASSROOM_DIR") or run_store.runs_dir() / ".classroom")


def made_folder(root: Path | None) -> Path:
    """`root` (default `classroom_dir()`), created if missing: where a writer puts its file."""
    folder = Path(root or classroom_dir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder
