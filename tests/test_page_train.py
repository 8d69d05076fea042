"""AppTest of the Train page: controls, presets, refusals, and a real (tiny) run to the end."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from core.lesson.presets import PRESETS
from core.services import run_store
from core.services.run_store import APP_DIR
from ui.config_form import PREFIX, preset_values


@pytest.fixture
def app(monkeypatch, tmp_path, tiny_dataset_dir):
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    at = AppTest.from_file(str(APP_DIR / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/train.py").run()
    assert not at.exception
    return at


def texts(at) -> str:
    return "\n".join(e.value for kind in ("markdown", "info", "error", "success", "warning") for e in at.get(kind))


def test_page_shows_the_lesson_and_its_parameter_count(app):
    assert "333,526" in texts(app)
    for key, value in preset_values(PRESETS["lesson"]).items():
        assert app.session_state[PREFIX + key] == value


@pytest.mark.parametrize("preset", ["quick", "best", "lesson"])
def test_presets_fill_the_controls(app, preset):
    app.selectbox(key="preset").set_value(preset).run()
    assert not app.exception
    for key, value in preset_values(PRESETS[preset]).items():
        assert app.session_state[PREFIX + key] == value, key


def test_invalid_combination_is_refused_and_starts_nothing(app, tmp_path):
    app.slider(key=PREFIX + "blocks").set_value(3).run()
    app.select_slider(key=PREFIX + "kernel_size").set_value(9).run()
    app.radio(key=PREFIX + "padding").set_value("valid").run()
    assert not app.exception
    assert any("kernel does not fit" in e.value for e in app.error)
    assert app.button(key="start").disabled  # a browser user cannot press it
    assert run_store.list_runs(tmp_path / "runs") == []


def test_start_trains_a_run_whose_curves_appear(app, tmp_path):
    app.selectbox(key="preset").set_value("quick").run()
    app.select_slider(key=PREFIX + "train_size").set_value(500).run()
    app.slider(key=PREFIX + "epochs").set_value(2).run()
    app.radio(key=PREFIX + "monitor").set_value("val_accuracy").run()
    app.text_input(key="run_name").set_value("tiny test run").run()
    app.button(key="start").click().run()
    assert not app.exception
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        time.sleep(1)
        app.run()  # AppTest never fires run_every timers: rerun by hand
        (run,) = run_store.list_runs(tmp_path / "runs")
        if run.state not in run_store.ACTIVE_STATES:
            break
    app.run()  # the run may have ended after the last rerun drew the page
    assert run.state == "finished", run.status.text
    assert run.name == "tiny test run" and len(run.history) == 2
    assert run.has_checkpoint
    assert not app.exception
    assert len(app.get("plotly_chart")) >= 1  # the loss/accuracy curves
    assert [m.label for m in app.metric][:2] == ["Validation accuracy (best checkpoint)", "Test accuracy"]
    assert "Finished all 2 epochs." in texts(app)
    # the checkpoint watched the accuracy it was asked to, and the events say so in words
    accuracies = [row["val_accuracy"] for row in run.history]
    assert run.config.train.monitor == "val_accuracy"
    assert run.result["best_epoch"] == accuracies.index(max(accuracies)) + 1
    assert f"Epoch 1: best validation accuracy so far ({accuracies[0]:.2%}) — checkpoint saved." in texts(app)
    # The run can be chosen for the other pages.
    app.button(key="use_run").click().run()
    assert app.session_state["run"] == str(run.path)
