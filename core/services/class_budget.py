"""The class budget the teacher sets: the most epochs and training images per student run, and the presets allowed.

It applies to every new run (`TrainingQueue.submit` trims the config) and
each student's Train page shows it. Stored as `budget.json` in the classroom
folder (`core.services.classroom.classroom_dir`), written atomically like the
rest of the classroom's files. Pure Python: no Streamlit, no TensorFlow.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from core.lesson.config import RunConfig
from core.lesson.presets import PRESETS
from core.lesson.schema import BY_NAME
from core.services import classroom, run_store

FILE = "budget.json"
TRAIN_SIZE_LOW = BY_NAME["train_size"].low


@dataclass(frozen=True)
class Budget:
    """`None` means "no limit"; `presets` empty means every preset."""

    max_epochs: int | None = None
    max_train_size: int | None = None
    presets: tuple[str, ...] = ()

    @property
    def limited(self) -> bool:
        return bool(self.max_epochs or self.max_train_size or self.presets)

    def allowed_presets(self) -> list[str]:
        return [name for name in PRESETS if not self.presets or name in self.presets]

    def apply(self, cfg: RunConfig) -> tuple[RunConfig, list[str]]:
        """The config trimmed to the budget, and the names of the settings that were trimmed."""
        changes = {}
        if self.max_epochs and cfg.train.epochs > self.max_epochs:
            changes["epochs"] = self.max_epochs
        if self.max_train_size and cfg.train.effective_train_size() > self.max_train_size:
            drawings = cfg.train.drawings_added()  # the added drawings count too
            photos = self.max_train_size - drawings
            if photos < max(TRAIN_SIZE_LOW, drawings):  # the photos come first, and stay the most of what it learns
                changes["training_drawings"], photos = False, self.max_train_size
            changes["train_size"] = photos
            if cfg.train.batch_size > self.max_train_size:
                changes["batch_size"] = self.max_train_size
        return (cfg.with_values(**changes) if changes else cfg), sorted(changes)


def _path():
    return classroom.classroom_dir() / FILE


def read() -> Budget:
    data = run_store.read_json(_path(), {}) or {}
    try:
        presets = tuple(p for p in data.get("presets") or () if p in PRESETS)
        return Budget(
            max_epochs=int(data["max_epochs"]) if data.get("max_epochs") else None,
            max_train_size=int(data["max_train_size"]) if data.get("max_train_size") else None,
            presets=presets,
        )
    except (TypeError, ValueError, AttributeError):
        return Budget()


def write(budget: Budget) -> None:
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = asdict(budget)
    data["presets"] = list(budget.presets)
    run_store.write_json(path, data)
