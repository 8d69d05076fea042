"""AppTest: "Get the code" offers a script and a notebook on the Train page (the chosen settings, before
training), the Evaluate page (a run) and the Teacher page (the pinned class model).

What the downloads hold is tested in test_code_export.py; here, that the buttons are there, in the
student's language, and disabled when there is nothing to export.
"""

from __future__ import annotations

import json
import shutil

import pytest
from helpers_core import page_texts
from streamlit.testing.v1 import AppTest

from core.lesson.config import RunConfig
from core.services import run_store
from core.services.classroom import pinning
from core.services.run_store import APP_DIR, Run
from ui.config_form import PREFIX

APP = str(APP_DIR / "app.py")
ME = "tok1mine"
TEXTS = {lang: page_texts("export", lang) for lang in ("en", "ko")}
PASSCODE = "correct horse 42"


@pytest.fixture
def lab(tmp_path, monkeypatch, tiny_dataset_dir):
    """Empty runs and classroom folders, the tiny dataset, and a copy of the shipped model (assets stay untouched)."""
    shipped = tmp_path / "default_run"
    shutil.copytree(run_store.DEFAULT_RUN_DIR, shipped, ignore=shutil.ignore_patterns("tensorboard"))
    monkeypatch.setattr(run_store, "DEFAULT_RUN_DIR", shipped)
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNN_LAB_CLASSROOM_DIR", str(tmp_path / "classroom"))
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    monkeypatch.setenv("CNN_LAB_TEACHER_PASSCODE", PASSCODE)
    (tmp_path / "runs").mkdir()
    return tmp_path


def open_page(page: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["me"] = ME
    at.session_state["lang"] = lang
    at.switch_page(page).run()
    assert not at.exception
    return at


def code_buttons(at: AppTest, key: str) -> dict:
    """The page's 'get the code' buttons by format, e.g. `{"py": <DownloadButton>, "ipynb": ...}`, and `drawings`."""
    found = {b.key.rsplit("_", 1)[1]: b for b in at.get("download_button") if b.key and b.key.startswith(key + "_")}
    assert set(found) <= {"py", "ipynb", "drawings"}
    return found


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_train_page_offers_the_chosen_settings_as_code(lab, lang):
    at = open_page("app_pages/train.py", lang)
    buttons = code_buttons(at, "train_code")
    assert set(buttons) == {"py", "ipynb"}
    assert [buttons[f].label for f in ("py", "ipynb")] == [TEXTS[lang]["button_py"], TEXTS[lang]["button_ipynb"]]
    assert not any(b.proto.disabled for b in buttons.values())


def test_training_drawings_come_with_the_file_the_script_loads(lab):
    at = open_page("app_pages/train.py")
    assert "drawings" not in code_buttons(at, "train_code")
    at.toggle(key=PREFIX + "training_drawings").set_value(True).run()
    assert not at.exception
    button = code_buttons(at, "train_code")["drawings"]
    assert button.label == TEXTS["en"]["button_drawings"] and not button.proto.disabled


def test_settings_that_cannot_be_trained_cannot_be_exported(lab):
    at = open_page("app_pages/train.py")
    at.slider(key=PREFIX + "blocks").set_value(3).run()
    at.select_slider(key=PREFIX + "kernel_size").set_value(9).run()
    at.radio(key=PREFIX + "padding").set_value("valid").run()
    assert not at.exception
    assert all(b.proto.disabled for b in code_buttons(at, "train_code").values())


def test_evaluate_page_offers_a_runs_code(lab):
    cfg = RunConfig().with_values(batch_norm=True, epochs=3)
    run = run_store.create_run(cfg, name="My first CNN", owner=ME, root=lab / "runs")
    at = open_page("app_pages/evaluate.py")
    buttons = code_buttons(at, "manage_code")
    assert set(buttons) == {"py", "ipynb"} and not any(b.proto.disabled for b in buttons.values())
    at.selectbox(key="manage_run").set_value(str(run.path)).run()
    assert not at.exception
    buttons = code_buttons(at, "manage_code")
    assert set(buttons) == {"py", "ipynb"} and not any(b.proto.disabled for b in buttons.values())


def unlocked_teacher() -> AppTest:
    at = open_page("app_pages/teacher.py")
    at.text_input(key="teacher_passcode_input").input(PASSCODE)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    return at


def test_teacher_page_offers_the_pinned_class_models_code(lab):
    assert code_buttons(unlocked_teacher(), "teacher_code") == {}  # nothing pinned: nothing to hand out
    pinning.pin_run(Run(run_store.DEFAULT_RUN_DIR))
    buttons = code_buttons(unlocked_teacher(), "teacher_code")
    assert set(buttons) == {"py", "ipynb"} and not any(b.proto.disabled for b in buttons.values())


def test_the_buttons_stay_behind_the_teachers_passcode(lab):
    pinning.pin_run(Run(run_store.DEFAULT_RUN_DIR))
    assert code_buttons(open_page("app_pages/teacher.py"), "teacher_code") == {}


def _record_downloads(lang: str, drawings: bool = False) -> None:
    """An app that draws `get_code_buttons` and shows what each button would download (as JSON; a file's bytes
    as their SHA-256)."""
    import hashlib

    import streamlit as st

    from core.lesson.config import RunConfig
    from ui.get_code import get_code_buttons
    from ui.streamlit_internals import DeltaGenerator

    st.session_state.lang = lang
    calls, real = [], DeltaGenerator.download_button

    def recording(self, label, data, **kwargs):
        made = data()
        made = made if isinstance(made, str) else hashlib.sha256(made).hexdigest()
        calls.append({"label": label, "file_name": kwargs["file_name"], "mime": kwargs["mime"], "data": made})
        return real(self, label, data, **kwargs)

    DeltaGenerator.download_button = recording
    try:
        get_code_buttons(RunConfig().with_values(dropout=0.25, training_drawings=drawings), "Kim's run", key="code")
    finally:
        DeltaGenerator.download_button = real
    st.json(calls)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_buttons_download_the_script_and_notebook_in_the_students_language(lang):
    import nbformat

    from core.lesson import code_export

    at = AppTest.from_function(_record_downloads, args=(lang,), default_timeout=60).run()
    assert not at.exception
    shown = at.json[0].value
    script_call, notebook_call = shown if isinstance(shown, list) else json.loads(shown)
    cfg = RunConfig().with_values(dropout=0.25)
    assert script_call["file_name"] == "Kim-s-run.py" and notebook_call["file_name"] == "Kim-s-run.ipynb"
    assert script_call["data"] == code_export.script(cfg, lang, "Kim's run")
    nb = nbformat.reads(notebook_call["data"], as_version=4)
    nbformat.validate(nb)
    assert [c.source for c in nb.cells] == [c.source for c in code_export.notebook(cfg, lang, "Kim's run").cells]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_with_training_drawings_a_third_button_downloads_the_file_the_script_loads(lang):
    import hashlib

    from core.lesson import sketches

    at = AppTest.from_function(_record_downloads, args=(lang, True), default_timeout=60).run()
    assert not at.exception
    shown = at.json[0].value
    calls = shown if isinstance(shown, list) else json.loads(shown)
    assert len(calls) == 3
    assert calls[2]["label"] == TEXTS[lang]["button_drawings"] and calls[2]["file_name"] == sketches.SHIPPED.name
    assert calls[2]["data"] == hashlib.sha256(sketches.SHIPPED.read_bytes()).hexdigest()
    assert f"np.load({sketches.SHIPPED.name!r})" in calls[0]["data"]  # the script loads that very file
