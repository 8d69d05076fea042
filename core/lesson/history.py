"""Read a run's epoch history the way the lesson talks about it, and its live progress.

`events` turns the rows of `history.json` into what the checkpoint and
early-stopping callbacks did, so the Train page can say it in words. Both
callbacks watch one validation number, the run's `monitor` setting: the
loss (the lesson, lower is better) or the accuracy (higher is better).

`Progress` is the epoch in progress, as `LiveProgress` writes it and the
pages read it (through `Run.write_progress` and `Run.progress`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

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


@dataclass(frozen=True)
class Progress:
    """Where the epoch in progress stands; the empty value means nothing was written yet.

    epoch: 1-based (0: not started); batch: batches done of `steps` in this epoch.
    running_loss, running_accuracy: Keras's running means since the epoch began.
    batch_curve: `(batch, running loss)` points of this epoch, for the live chart.
    elapsed, eta: seconds since training began and the estimate of what is left.
    updated: when it was written (`time.time()`).
    """

    epoch: int = 0
    epochs: int = 0
    batch: int = 0
    steps: int = 0
    epoch_done: bool = False
    running_loss: float | None = None
    running_accuracy: float | None = None
    batch_curve: tuple[tuple[int, float], ...] = ()
    elapsed: float = 0.0
    eta: float | None = None
    updated: float | None = None

    @property
    def fraction(self) -> float:
        """The share of the run's batches done, in [0, 1]."""
        if not (self.epoch and self.epochs and self.steps):
            return 0.0
        return min(max(((self.epoch - 1) * self.steps + self.batch) / (self.epochs * self.steps), 0.0), 1.0)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data) -> Progress:
        """The progress in `data`; the empty value when it is not a progress (a missing or damaged file)."""
        if not isinstance(data, dict):
            return cls()
        try:
            return cls(
                **{key: int(data.get(key) or 0) for key in ("epoch", "epochs", "batch", "steps")},
                epoch_done=bool(data.get("epoch_done")),
                running_loss=_number(data.get("running_loss")),
                running_accuracy=_number(data.get("running_accuracy")),
                batch_curve=tuple((int(batch), float(loss)) for batch, loss in data.get("batch_curve") or ()),
                elapsed=float(data.get("elapsed") or 0.0),
                eta=_number(data.get("eta")),
                updated=_number(data.get("updated")),
            )
        except (TypeError, ValueError):
            return cls()


def _number(value) -> float | None:
    return None if value is None else float(value)


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
