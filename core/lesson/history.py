"""Read a run's epoch history the way the lesson talks about it.

`events` turns the rows of `history.json` into what the checkpoint and
early-stopping callbacks did, so the Train page can say it in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """One thing a callback did at the end of an epoch.

    kind: "checkpoint" (best validation loss so far: saved), "no_improvement"
    (`waited` epochs without a better loss, of `patience`), or "early_stop"
    (patience ran out; the weights of `best_epoch` were restored).
    """

    epoch: int
    kind: str
    val_loss: float
    waited: int = 0
    best_epoch: int = 0


def best_epoch(history: list[dict]) -> int | None:
    """The 1-based epoch with the lowest validation loss, as the checkpoint sees it."""
    losses = [(row.get("val_loss", math.inf), row["epoch"]) for row in history]
    return min(losses)[1] if losses else None


def events(history: list[dict], patience: int) -> list[Event]:
    """Replay EarlyStopping(patience) and the best-only checkpoint over the history."""
    found, best, best_at, waited = [], math.inf, 0, 0
    for row in history:
        loss = row.get("val_loss", math.inf)
        if loss < best:
            best, best_at, waited = loss, row["epoch"], 0
            found.append(Event(row["epoch"], "checkpoint", loss, best_epoch=best_at))
            continue
        waited += 1
        found.append(Event(row["epoch"], "no_improvement", loss, waited=waited, best_epoch=best_at))
        if waited >= patience:
            found.append(Event(row["epoch"], "early_stop", loss, waited=waited, best_epoch=best_at))
            break
    return found
