"""The runs that ship with the app, under `assets/`: normal run folders, read-only.

- `assets/default_run`: the lesson's model, the lesson's reference (Classify's default);
- `assets/best_run`: the Best preset's model;
- `assets/drawings_run`: the Draw tab's model (`DRAW_CHANGES`);
- `assets/steps/<step>`: "what each change added": the lesson, then + batch
  normalisation, + augmentation, each a measured full-data run
  (`scripts/make_shipped_runs.py`). The first step is `assets/default_run`
  itself and the last one, + the cosine schedule with AdamW and 128-image
  batches, is the Best preset's run `assets/best_run`.

Each folder keeps its history, kernels, result and best checkpoint, with the
optimizer state dropped (`Run.drop_optimizer_state`).
"""

from __future__ import annotations

from pathlib import Path

from core.services import run_store
from core.services.run_store import Run

ASSETS_DIR = run_store.APP_DIR / "assets"
BEST_RUN_DIR = ASSETS_DIR / "best_run"
DRAW_RUN_DIR = ASSETS_DIR / "drawings_run"
"""The Draw tab's model while a student uses the lesson's: the Best preset with drawings among its training
images (docs/drawings.md says how it was chosen; `scripts/make_shipped_runs.py drawings` makes it)."""
DRAW_CHANGES = {"preset": "best", "drawing_style": "light", "ema": True, "training_drawings": True}
"""The drawings model's settings beyond the lesson: chosen on validation drawings from two hands it never saw
and on `scripts/drawings.py`'s, with a floor on validation accuracy (docs/drawings.md, rounds 5 to 8); its run
is the preset's default seed, not the best of several. The drawings of `core.lesson.sketches`, from twelve hands,
teach it what photos cannot: a pullover drawn with its arms out, a coat drawn long, a shirt's outline."""
DRAW_FILL_OUTLINES = False
"""Whether the Draw tab fills an outline before the drawings model sees it, at first (its "Fill an outline"
toggle, and `python -m core.classify --drawing`). Off since round 6 of docs/drawings.md: the model learned
outlines as outlines from its training drawings, and keeping a shirt's collar and buttons lets it tell the shirt
from a pullover. Today's model names 92.0% of two validation hands' drawings right that way, against 89.2% with
the fill (round 8)."""
STEPS_DIR = ASSETS_DIR / "steps"

MODELS = ("lesson", "best")
"""The shipped models a teacher may pin, by key."""

STEPS = ("lesson", "batch_norm", "augmentation", "schedule")
"""The steps of "what each change added", in order; each adds one change to the one before."""

STEP_CHANGES: dict[str, dict] = {
    "lesson": {},
    "batch_norm": {"batch_norm": True},
    "augmentation": {"batch_norm": True, "augmentation": "light"},
    "schedule": {"preset": "best"},
}
"""Each step's settings beyond the lesson (cumulative). The last step is the Best preset. The shipped
run (assets/best_run) was trained with its earlier settings: the cosine schedule decays over a fixed
15 epochs (patience 15, so early stopping cannot cut the decay short), with AdamW (weight decay
0.004), 128-image batches, a 128-unit dense layer and dropout 0.3, the checkpoint on validation loss,
no label smoothing.
It names drawn pullovers better than runs of the current settings (docs/drawings.md, "Earlier measurements")."""


def model_dir(key: str) -> Path:
    """The folder of a shipped model (`lesson` or `best`), read at call time (tests move the lesson's)."""
    return run_store.DEFAULT_RUN_DIR if key == "lesson" else BEST_RUN_DIR


def step_dir(step: str) -> Path:
    if step == "lesson":
        return run_store.DEFAULT_RUN_DIR
    return BEST_RUN_DIR if step == "schedule" else STEPS_DIR / step


def shipped_key(run: Run | Path) -> str | None:
    """`lesson` or `best` when the run is a shipped model, else None."""
    path = Run.of(run).path
    return next((key for key in MODELS if path == model_dir(key)), None)


def model_run(key: str) -> Run | None:
    """The shipped model's run, or None when its folder has no checkpoint."""
    run = Run(model_dir(key))
    return run if key in MODELS and run.has_checkpoint() else None


def draw_run() -> Run | None:
    """The Draw tab's shipped model, or None when its folder has no checkpoint."""
    run = Run(DRAW_RUN_DIR)
    return run if run.has_checkpoint() else None


def step_runs() -> list[tuple[str, Run]]:
    """The steps whose runs are present, in order."""
    return [(step, Run(step_dir(step))) for step in STEPS if Run(step_dir(step)).has_checkpoint()]


def is_shipped(run: Run | Path) -> bool:
    path = Run.of(run).path.resolve()
    return path == run_store.DEFAULT_RUN_DIR.resolve() or ASSETS_DIR.resolve() in path.parents


def step_rows(steps: list[tuple[str, Run]] | None = None) -> list[dict]:
    """One row per present step for the Evaluate page's table: its accuracy and what it gained on the step before.

    Keys: step, test_accuracy, best_val_accuracy, gain (test accuracy minus the
    previous step's, None for the first), epochs, seconds, params.
    """
    from core.lesson.model import count_params

    rows, previous = [], None
    for step, run in step_runs() if steps is None else steps:
        result, history = run.result(), run.history()
        test = result.get("test_accuracy")
        vals = [row.get("val_accuracy") for row in history if row.get("val_accuracy") is not None]
        rows.append(
            {
                "step": step,
                "test_accuracy": test,
                "best_val_accuracy": max(vals) if vals else result.get("val_accuracy"),
                "gain": None if previous is None or test is None else test - previous,
                "epochs": result.get("epochs_run", len(history)),
                "seconds": result.get("seconds"),
                "params": count_params(run.config().model),
            }
        )
        previous = test
    return rows
