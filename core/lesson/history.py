"""Read a run's epoch history the way the lesson talks about it.

`events` turns the rows of `history.json` into what the checkpoint and
early-stopping callbacks did, so the Train page can say it in words. Both
callbacks watch one validation number, the run's `monitor` setting: the
loss (the lesson, lower is better) or the accuracy (higher is better).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MONITOR_MODES = {"val_loss": "min", "val_accuracy": "max"}
"""Each number a run may watch, and which way is better (Keras's `mode`)."""


@dataclass(frozen=True)
class Event:
    """One thing a callback did at the end of an epoch.

    kind: "checkpoint" (best watched value so far: saved), "no_improvement"
    (`waited` epochs without a better value, of `patience`), or "early_stop"
    (patience ran out; the weights of `best_epoch` were restored).
    value: the epoch's watched value (`monitor`).
    """

    epoch: int
    kind: str
    value: float
    waited: int = 0
    best_epoch: int = 0


def badness(value: float | None, monitor: str = "val_loss") -> float:
    """The watched value turned so that lower is better; a missing value is the worst."""
    if value is None:
        return math.inf
    return value if MONITOR_MODES[monitor] == "min" else -value


def best_epoch(history: list[dict], monitor: str = "val_loss") -> int | None:
    """The 1-based epoch the checkpoint keeps: the best watched value, the earliest on a tie."""
    scores = [(badness(row.get(monitor), monitor), row["epoch"]) for row in history]
    return min(scores)[1] if scores else None


def events(history: list[dict], patience: int, monitor: str = "val_loss") -> list[Event]:
    """Replay EarlyStopping(patience, monitor) and the best-only checkpoint over the history."""
    found, best, best_at, waited = [], math.inf, 0, 0
    for row in history:
        value = row.get(monitor, math.nan)
        score = badness(row.get(monitor), monitor)
        if score < best:
            best, best_at, waited = score, row["epoch"], 0
            found.append(Event(row["epoch"], "checkpoint", value, best_epoch=best_at))
            continue
        waited += 1
        found.append(Event(row["epoch"], "no_improvement", value, waited=waited, best_epoch=best_at))
        if waited >= patience:
            found.append(Event(row["epoch"], "early_stop", value, waited=waited, best_epoch=best_at))
            break
    return found
