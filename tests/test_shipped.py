"""core.services.shipped: the Best model beside the lesson's, pinning either, and "what each change added"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from core.services import run_store, shipped
from core.services.classroom import pinning
from core.services.run_store import Run


@pytest.fixture
def room(monkeypatch, tmp_path, tiny_run) -> Path:
    """Empty runs and classroom folders, and a tiny run standing in for the shipped Best model."""
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNN_LAB_CLASSROOM_DIR", str(tmp_path / "classroom"))
    (tmp_path / "runs").mkdir()
    best = tmp_path / "assets" / "best_run"
    shutil.copytree(tiny_run.path, best)
    monkeypatch.setattr(shipped, "BEST_RUN_DIR", best)
    return tmp_path / "classroom"


def test_shipped_keys_and_runs(room):
    assert shipped.shipped_key(run_store.DEFAULT_RUN_DIR) == "lesson"
    assert shipped.shipped_key(Run(shipped.BEST_RUN_DIR)) == "best"
    assert shipped.shipped_key(run_store.runs_dir() / "x") is None
    assert shipped.model_run("best") == Run(shipped.BEST_RUN_DIR)
    assert shipped.model_run("nope") is None


def test_the_teacher_can_pin_the_best_or_the_lesson_model(room):
    pinning.pin_run(Run(shipped.BEST_RUN_DIR))
    stored = json.loads((room / "pinned.json").read_text())
    assert stored["shipped"] == "best" and "run" not in stored  # a key, never a path
    assert pinning.pinned_run() == Run(shipped.BEST_RUN_DIR)
    pinning.pin_run(run_store.DEFAULT_RUN_DIR)
    assert pinning.pinned_run() == Run(run_store.DEFAULT_RUN_DIR)
    pinning.unpin()
    assert pinning.pinned_run() is None


def test_a_pinned_best_model_that_is_gone_pins_nothing(room):
    pinning.pin_run(Run(shipped.BEST_RUN_DIR))
    shutil.rmtree(shipped.BEST_RUN_DIR)
    assert pinning.pinned_run() is None
    with pytest.raises(ValueError):
        pinning.pin_run(Run(shipped.BEST_RUN_DIR))


@pytest.mark.parametrize("stored", [{"shipped": "../../etc"}, {"shipped": 3}, {"shipped": None}])
def test_a_tampered_shipped_pin_pins_nothing(room, stored):
    room.mkdir(parents=True, exist_ok=True)
    (room / "pinned.json").write_text(json.dumps(stored))
    assert pinning.pinned_run() is None


def test_step_rows_give_each_steps_gain_on_the_one_before(tiny_run, tmp_path):
    second = tmp_path / "second"
    shutil.copytree(tiny_run.path, second)
    result = json.loads((second / "result.json").read_text())
    result["test_accuracy"] = tiny_run.result()["test_accuracy"] + 0.02
    (second / "result.json").write_text(json.dumps(result))
    rows = shipped.step_rows([("lesson", tiny_run), ("batch_norm", Run(second))])
    assert [r["step"] for r in rows] == ["lesson", "batch_norm"]
    assert rows[0]["gain"] is None and rows[1]["gain"] == pytest.approx(0.02)
    assert rows[0]["epochs"] == 2 and rows[0]["params"] > 0
    assert 0 < rows[0]["best_val_accuracy"] <= 1


def test_the_steps_are_in_order_and_end_with_the_best_model():
    assert shipped.STEPS == ("lesson", "batch_norm", "augmentation", "schedule")
    assert shipped.step_dir("lesson") == run_store.DEFAULT_RUN_DIR
    assert shipped.step_dir("schedule") == shipped.BEST_RUN_DIR
    assert shipped.is_shipped(Run(shipped.STEPS_DIR / "batch_norm"))
    assert not shipped.is_shipped(Run(run_store.runs_dir() / "20260101-000000-abcdef"))


def test_the_shipped_runs_that_exist_load_with_their_settings():
    for step, run in shipped.step_runs():
        cfg = run.config()
        assert cfg.model.batch_norm == (step != "lesson"), step
        assert run.has_checkpoint() and run.history()


def test_the_shipped_models_are_drawn_in_the_order_they_were_trained():
    """The Model page and the exported code read `layer_specs(config)`; the saved model must agree with them."""
    from core.lesson.model import layer_specs

    for step, run in shipped.step_runs():
        saved = [layer.name for layer in run.load_model().layers]
        assert saved == [spec.name for spec in layer_specs(run.config().model)], step
