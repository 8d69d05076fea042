"""The class gallery: pictures students share with the model's answer, which the teacher may hide or clear.

    gallery/<item id>/    one shared picture:
        meta.json         display name, owner token, prediction, truth, hidden flag
        small.png         the original picture, at most 128 px a side
        input.npy         the 28x28 model input, uint8

An item is written in a hidden temporary folder and renamed into place, so
it appears whole or not at all. The gallery keeps at most `MAX_GALLERY`
items (the oldest are dropped) and one owner may share at most
`MAX_PER_OWNER`; only pictures that came through `core.lesson.preprocess`
with an object in them are accepted.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from core import user_text
from core.lesson import preprocess as prep
from core.lesson.schema import NUM_CLASSES
from core.messages import CoreMessage
from core.services import run_store
from core.services.classroom import classroom_dir

MAX_GALLERY = 300
"""Items the gallery keeps; sharing one more drops the oldest."""

MAX_PER_OWNER = 5
"""Pictures one session (one owner token) may have in the gallery."""

SMALL_SIDE = 128
"""The shared original is shrunk to at most this many pixels a side."""

MAX_SMALL_BYTES = 100_000
"""A stored small.png larger than this is refused (a 128x128 RGB PNG needs at most ~50 KB)."""

MAX_NAME_LENGTH = 24
"""Characters kept of a display name."""

_LOCK = threading.Lock()
_ITEM_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{8}$")


class GalleryError(CoreMessage, ValueError):
    """A picture that cannot be shared; its message (`gallery_<code>`) says why.

    Codes: "blank" (no object, or not a preprocessed picture), "name" (no
    display name), "limit" (this owner already shared `MAX_PER_OWNER`),
    "too_large" (the small picture is still too big), "missing" (no such item).
    """

    def __init__(self, code: str, **values):
        super().__init__(f"gallery_{code}", **values)
        self.code = code


@dataclass
class GalleryItem:
    """One shared picture as listed.

    Attributes:
        path: the item's folder (small.png and input.npy are inside).
        id: the folder's name.
        name: the display name the student chose.
        owner: the sharing session's owner token (never shown).
        created: when it was shared (seconds since the epoch).
        prediction: the model's class.
        confidence: the model's probability for that class.
        truth: what the student said it really is, or None.
        hidden: hidden by the teacher.
        run: id of the run whose model answered ("" for the shipped model).
    """

    path: Path
    id: str
    name: str = ""
    owner: str = ""
    created: float = 0.0
    prediction: int = 0
    confidence: float = 0.0
    truth: int | None = None
    hidden: bool = False
    run: str = ""
    probabilities: list = field(default_factory=list)

    @property
    def wrong(self) -> bool:
        """The student said what it really is, and the model said something else."""
        return self.truth is not None and self.truth != self.prediction

    @property
    def small_png(self) -> Path:
        return self.path / "small.png"

    def input_image(self) -> np.ndarray:
        """The 28x28 model input as uint8 (never unpickles anything)."""
        return np.load(self.path / "input.npy", allow_pickle=False)


def gallery_dir(root: Path | None = None) -> Path:
    return Path(root or classroom_dir()) / "gallery"


def clean_display_name(name: str) -> str:
    """The name runs follow too (`user_text.one_line`), at most `MAX_NAME_LENGTH`; "" when nothing is left."""
    return user_text.one_line(name, MAX_NAME_LENGTH)


def small_picture(original: np.ndarray) -> bytes:
    """The original picture as a PNG at most `SMALL_SIDE` pixels a side, on white where transparent.

    Args:
        original: uint8 array, HxW, HxWx2 (LA), HxWx3 or HxWx4 (RGBA), as in
            `Preprocessed.steps[0]`.
    """
    img = Image.fromarray(np.ascontiguousarray(original))
    if img.mode in ("LA", "RGBA", "PA", "P"):
        img = img.convert("RGBA")
        flat = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(flat, img).convert("RGB")
    elif img.mode not in ("L", "RGB"):
        img = img.convert("RGB")
    img.thumbnail((SMALL_SIDE, SMALL_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    img.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _check_picture(pre) -> np.ndarray:
    """The preprocessed 28x28 as uint8, or GalleryError("blank") for anything that is not a real picture."""
    if not isinstance(pre, prep.Preprocessed) or pre.blank or not pre.steps:
        raise GalleryError("blank")
    image = np.asarray(pre.image, dtype=np.float32)
    if image.shape != (prep.SIZE, prep.SIZE) or not np.isfinite(image).all():
        raise GalleryError("blank")
    levels = np.clip(np.rint(image * 255), 0, 255).astype(np.uint8)
    if int(levels.max()) < prep.MIN_CONTRAST:
        raise GalleryError("blank")
    return levels


def share(
    pre: prep.Preprocessed,
    probabilities,
    name: str,
    owner: str,
    truth: int | None = None,
    run: str = "",
    root: Path | None = None,
    max_items: int = MAX_GALLERY,
    max_per_owner: int = MAX_PER_OWNER,
) -> GalleryItem:
    """Add a picture and the model's answer to the class gallery.

    Args:
        pre: the picture as `core.lesson.preprocess.preprocess` made it (the Classify
            page's checks: decoded, not blank).
        probabilities: the model's ten probabilities for `pre.image`.
        name: the display name the student chose (required).
        owner: the session's owner token, for the per-session limit.
        truth: what the student says it really is (a class index), or None.
        run: id of the run whose model answered ("" for the shipped model).
        max_items: the gallery's size; the oldest items beyond it are dropped.
        max_per_owner: pictures one owner may have in the gallery.

    Returns:
        The new item.

    Raises:
        GalleryError: see its codes.
    """
    levels = _check_picture(pre)
    display = clean_display_name(name)
    if not display:
        raise GalleryError("name")
    probabilities = _checked_answer(probabilities, truth)
    png = small_picture(pre.steps[0][1])
    if len(png) > MAX_SMALL_BYTES:
        raise GalleryError("too_large")
    meta = _item_meta(display, owner, probabilities, truth, run)
    folder = gallery_dir(root)
    with _LOCK:
        folder.mkdir(parents=True, exist_ok=True)
        if owner and sum(1 for item in _items(folder) if item.owner == owner) >= max_per_owner:
            raise GalleryError("limit", limit=max_per_owner)
        item_id = time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(4)
        meta["id"] = item_id
        _write_item(folder, item_id, png, levels, meta)
        items = _items(folder)
        for old in items[max_items:]:
            shutil.rmtree(old.path, ignore_errors=True)
    return _read_item(folder / item_id)


def _checked_answer(probabilities, truth: int | None) -> np.ndarray:
    """The model's ten probabilities as float64, refused (ValueError) when they or `truth` make no sense.

    Unlike a `GalleryError`, these are the page's mistakes, never the student's: nothing to translate.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64).reshape(-1)
    if probabilities.shape != (NUM_CLASSES,) or not np.isfinite(probabilities).all():
        raise ValueError(f"Expected {NUM_CLASSES} probabilities, got shape {probabilities.shape}.")
    if truth is not None and not (isinstance(truth, (int, np.integer)) and 0 <= int(truth) < NUM_CLASSES):
        raise ValueError(f"truth must be a class from 0 to {NUM_CLASSES - 1} or None, got {truth!r}.")
    return probabilities


def _item_meta(display: str, owner: str, probabilities: np.ndarray, truth: int | None, run: str) -> dict:
    """An item's meta.json, without its id; strings are cut and numbers rounded so that every file stays small."""
    prediction = int(np.argmax(probabilities))
    return {
        "name": display,
        "owner": str(owner)[:64],
        "created": time.time(),
        "prediction": prediction,
        "confidence": round(float(probabilities[prediction]), 4),
        "probabilities": [round(float(p), 4) for p in probabilities],
        "truth": None if truth is None else int(truth),
        "hidden": False,
        "run": str(run)[:100],
    }


def _write_item(folder: Path, item_id: str, png: bytes, levels: np.ndarray, meta: dict) -> None:
    """Write an item in a hidden folder and rename it into place, so that a reader sees all of it or none of it."""
    staging = folder / f".new-{item_id}"
    staging.mkdir()
    try:
        (staging / "small.png").write_bytes(png)
        np.save(staging / "input.npy", levels, allow_pickle=False)
        run_store.write_json(staging / "meta.json", meta)
        os.replace(staging, folder / item_id)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _read_item(path: Path) -> GalleryItem | None:
    meta = run_store.read_json(path / "meta.json")
    if not isinstance(meta, dict):
        return None
    try:
        truth = meta.get("truth")
        return GalleryItem(
            path=path,
            id=path.name,
            name=clean_display_name(meta.get("name")),  # an item shared before the rule is shown cleaned
            owner=str(meta.get("owner", "")),
            created=float(meta.get("created", 0)),
            prediction=int(meta.get("prediction", 0)),
            confidence=float(meta.get("confidence", 0)),
            truth=None if truth is None else int(truth),
            hidden=bool(meta.get("hidden", False)),
            run=str(meta.get("run", "")),
            probabilities=list(meta.get("probabilities", [])),
        )
    except (TypeError, ValueError):
        return None


def _items(folder: Path) -> list[GalleryItem]:
    """Every readable item, newest first."""
    if not folder.is_dir():
        return []
    found = [_read_item(p) for p in folder.iterdir() if _ITEM_ID.match(p.name) and p.is_dir()]
    return sorted((i for i in found if i is not None), key=lambda i: (i.created, i.id), reverse=True)


def list_gallery(root: Path | None = None, include_hidden: bool = True, wrong_only: bool = False) -> list[GalleryItem]:
    """The shared pictures, newest first.

    Args:
        include_hidden: also the ones the teacher hid.
        wrong_only: only those whose true class (as the student said) the model missed.
    """
    items = _items(gallery_dir(root))
    return [i for i in items if (include_hidden or not i.hidden) and (not wrong_only or i.wrong)]


def count_shared(owner: str, root: Path | None = None) -> int:
    """How many pictures of this owner are in the gallery (hidden ones included)."""
    return sum(1 for item in _items(gallery_dir(root)) if owner and item.owner == owner)


def set_hidden(item_id: str, hidden: bool = True, root: Path | None = None) -> None:
    """Hide an item from the class view, or show it again.

    Raises:
        GalleryError("missing"): no such item (or a malformed id).
    """
    path = gallery_dir(root) / str(item_id)
    with _LOCK:
        meta = run_store.read_json(path / "meta.json") if _ITEM_ID.match(str(item_id)) else None
        if not isinstance(meta, dict):
            raise GalleryError("missing")
        meta["hidden"] = bool(hidden)
        run_store.write_json(path / "meta.json", meta)


def clear_gallery(root: Path | None = None) -> int:
    """Delete every shared picture; returns how many there were.

    The folder is first renamed away, so a session listing the gallery at the
    same moment sees all of it or none of it.
    """
    folder = gallery_dir(root)
    with _LOCK:
        if not folder.is_dir():
            return 0
        count = len(_items(folder))
        trash = folder.with_name(f".trash-{secrets.token_hex(4)}")
        os.replace(folder, trash)
    shutil.rmtree(trash, ignore_errors=True)
    return count
