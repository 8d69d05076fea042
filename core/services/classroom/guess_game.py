"""Guess before reveal: a student and the model name the same test image; the class's totals per class.

`game.json` holds, per true class, people right/total and model right/total.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.lesson.schema import NUM_CLASSES
from core.services import run_store
from core.services.classroom import classroom_dir, made_folder

HUMAN_ACCURACY = 0.835
"""People's accuracy on Fashion-MNIST as measured by the dataset's authors (Xiao et al.
2017, the dataset's README: Amazon Mechanical Turk workers labelling test images)."""

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Round:
    """One round of the game: a test image, the student's guess, the model's answer."""

    truth: int
    guess: int
    answer: int

    @property
    def person_right(self) -> bool:
        return self.guess == self.truth

    @property
    def model_right(self) -> bool:
        return self.answer == self.truth


@dataclass
class Score:
    """A session's running score of the student against the model."""

    rounds: int = 0
    person: int = 0
    model: int = 0

    def add(self, round_: Round) -> Score:
        """The score after one more round (a new value; the old one is unchanged)."""
        return Score(self.rounds + 1, self.person + int(round_.person_right), self.model + int(round_.model_right))


def _empty_totals() -> dict:
    return {
        "people_right": [0] * NUM_CLASSES,
        "people_total": [0] * NUM_CLASSES,
        "model_right": [0] * NUM_CLASSES,
        "model_total": [0] * NUM_CLASSES,
    }


def read_totals(root: Path | None = None) -> dict:
    """The class's game totals, per true class: lists of ten counts under
    "people_right", "people_total", "model_right", "model_total"."""
    stored = run_store.read_json(Path(root or classroom_dir()) / "game.json", {})
    totals = _empty_totals()
    if isinstance(stored, dict):
        for key in list(totals):
            values = stored.get(key)
            if isinstance(values, list) and len(values) == NUM_CLASSES:
                totals[key] = [int(v) if isinstance(v, (int, float)) and v >= 0 else 0 for v in values]
    return totals


def record_round(round_: Round, root: Path | None = None) -> dict:
    """Add one round to the class totals (under the process-wide lock) and return them.

    Raises:
        ValueError: when a class index is out of range.
    """
    for value in (round_.truth, round_.guess, round_.answer):
        if not 0 <= int(value) < NUM_CLASSES:
            raise ValueError(f"Class indices go from 0 to {NUM_CLASSES - 1}, got {value}.")
    with _LOCK:
        folder = made_folder(root)
        totals = read_totals(folder)
        c = int(round_.truth)
        totals["people_total"][c] += 1
        totals["model_total"][c] += 1
        totals["people_right"][c] += int(round_.person_right)
        totals["model_right"][c] += int(round_.model_right)
        run_store.write_json(folder / "game.json", {**totals, "updated": time.time()})
    return totals


def reset_totals(root: Path | None = None) -> None:
    with _LOCK:
        (Path(root or classroom_dir()) / "game.json").unlink(missing_ok=True)


def accuracy(right, total) -> float | None:
    """right / total summed over classes, or None when nothing was played."""
    total = int(np.sum(total))
    return int(np.sum(right)) / total if total else None


def totals_rows(totals: dict, class_names) -> list[dict]:
    """One row per class (and none for classes not yet played): the game's table.

    Returns:
        Dicts with "class", "rounds", "people" and "model" (accuracies in [0, 1]).
    """
    rows = []
    for c, label in enumerate(class_names):
        played = totals["people_total"][c]
        if played:
            rows.append(
                {
                    "class": label,
                    "rounds": played,
                    "people": totals["people_right"][c] / played,
                    "model": totals["model_right"][c] / max(totals["model_total"][c], 1),
                }
            )
    return rows
