"""AppTest: a crafted run name submitted through the Train page, as a client can send any string for a
text box, never becomes code in the Evaluate page's download or the Teacher page's (issue #30).

Nothing trains here (`CNN_LAB_MAX_PARALLEL=0` keeps the run queued); the tiny trained run's files are
then copied into its folder, so that it has a checkpoint and the teacher can pin it.
"""

from __future__ import annotations

import json
import shutil

import pytest
from helpers_names import CRAFTED, assert_no_trace, code_shape
from streamlit.testing.v1 import AppTest

from core.lesson import code_export
from core.services import run_store
from core.services.classroom import pinning
from core.services.run_store import APP_DIR

APP = str(APP_DIR / "app.py")
ME = "tok1crafty"
PASSCODE = "correct horse 42"
SHOWN = "cnn print('RUN NAME CODE RAN');exit()#"


@pytest.fixture
def lab(tmp_path, monkeypatch, tiny_dataset_dir):
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNN_LAB_CLASSROOM_DIR", str(tmp_path / "classroom"))
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    monkeypatch.setenv("CNN_LAB_TEACHER_PASSCODE", PASSCODE)
    monkeypatch.setenv("CNN_LAB_MAX_PARALLEL", "0")
    (tmp_path / "runs").mkdir()
    return tmp_path


def open_page(page: str, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["me"] = ME
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(page).run()
    assert not at.exception
    return at


def assert_code_holds_no_trace(downloads: dict, key: str, cfg) -> None:
    (script_name, script), (notebook_name, notebook) = downloads[f"{key}_py"], downloads[f"{key}_ipynb"]
    assert_no_trace(script)
    assert code_shape(script) == code_shape(code_export.script(cfg, "en", "plain"))
    cells = json.loads(notebook)["cells"]
    assert_no_trace("\n\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code"))
    title = "".join(cells[0]["source"]).splitlines()[0]
    assert title.startswith(f"# ` {SHOWN} `: ")  # the name as one code span on the title's line
    for file_name in (script_name, notebook_name):
        assert "/" not in file_name and "\\" not in file_name and file_name.count(".") == 1


@pytest.mark.parametrize("crafted", [CRAFTED, CRAFTED.replace("\r", "\u2028")], ids=["cr", "u2028"])
def test_a_crafted_name_from_the_train_page_is_data_in_every_download(lab, tiny_run, downloads, crafted):
    train = open_page("app_pages/train.py")
    train.text_input(key="run_name").set_value(crafted).run()
    assert not train.exception
    assert_no_trace(downloads["train_code_py"][1])  # the settings' code before training, with the typed name
    train.button(key="start").click().run()
    assert not train.exception

    (info,) = run_store.list_runs(lab / "runs")
    stored = json.loads((info.path / "meta.json").read_text(encoding="utf-8"))["name"]
    assert stored == SHOWN and len(stored.splitlines()) == 1 and info.name == SHOWN

    # the run becomes the tiny trained run (same settings, checkpoint, history, result), its name kept
    for name in ("config.json", "best.keras", "history.json", "result.json"):
        shutil.copy(tiny_run.path / name, info.path / name)
    info.run.set_status("finished")
    cfg = info.run.config()

    evaluate = open_page("app_pages/evaluate.py")
    evaluate.selectbox(key="manage_run").set_value(str(info.path)).run()
    assert not evaluate.exception
    assert_code_holds_no_trace(downloads, "manage_code", cfg)

    pinning.pin_run(info.run)
    downloads.clear()
    teacher = open_page("app_pages/teacher.py")
    teacher.text_input(key="teacher_passcode_input").input(PASSCODE)
    teacher.get("form_submit_button")[0].click().run()
    assert not teacher.exception
    assert_code_holds_no_trace(downloads, "teacher_code", cfg)
    shown = [str(e.value) for kind in ("markdown", "caption") for e in getattr(teacher, kind)]
    assert not [text for text in shown if "\r" in text or "\u2028" in text]
