"""AppTest of the Evaluate page: metrics, drill-down, runs compared, rename and delete, damaged folders.

Plotly charts are opaque to AppTest; the figures are tested in test_evaluation.py,
and clicking a heatmap cell needs a browser (see core/charts/evaluate.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from helpers_core import copy_run, damage, files_under, page_texts
from sklearn.metrics import confusion_matrix
from streamlit.testing.v1 import AppTest

from core.analysis import evaluation, inference
from core.lesson import data
from core.lesson.model import count_params
from core.services import run_store
from core.services.run_store import Run

MINE, THEIRS = "tok1mine", "tok2theirs"
APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture
def lab(tmp_path, monkeypatch, tiny_run, tiny_dataset_dir):
    """A runs folder with one run of mine and one of a classmate, and a stand-in for the shipped model."""
    root = tmp_path / "runs"
    made = {}
    for created, (key, owner, name) in enumerate((("mine", MINE, "My first CNN"), ("theirs", THEIRS, "Kim's run"))):
        run = copy_run(tiny_run, root / f"2026010{created}-120000-abcdef")
        run.write_meta({**run.meta(), "id": run.id, "owner": owner, "name": name, "created": 1e9 + created})
        made[key] = run
    shipped = copy_run(tiny_run, tmp_path / "default_run")
    monkeypatch.setattr(run_store, "DEFAULT_RUN_DIR", shipped.path)  # never write into the repository's assets
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(root))
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    from ui import state

    for cached in (state.load_raw, state.load_splits, state._load_model):
        cached.clear()
    st.cache_data.clear()
    made.update(root=root, shipped=shipped)
    return made


def open_page(run: Run | None = None, lang="en") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["me"] = MINE
    at.session_state["lang"] = lang
    if run is not None:
        at.session_state["run"] = str(run.path)
    return at.switch_page("app_pages/evaluate.py").run()


def page_text(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "title", "subheader", "info", "warning", "error", "success")
        for e in getattr(at, kind)
    ]
    parts += [e.label for e in at.metric] + [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def choose_run(at: AppTest, name: str) -> None:
    """Pick a run in the "One run" box by its display name (the options are labels)."""
    box = at.selectbox(key="manage_run")
    box.select_index(next(i for i, label in enumerate(box.options) if label.startswith(name))).run()


def frame_with(at: AppTest, column: str):
    """The table that has this column (AppTest gives tables no keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def reference(run: Run, splits):
    """The lesson's numbers for the run, from Keras itself."""
    model = run.load_model()
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    test_loss, test_accuracy = model.evaluate(splits.x_test, splits.y_test, verbose=0)
    val_loss, val_accuracy = model.evaluate(splits.x_val, splits.y_val, verbose=0)
    pred = np.argmax(model.predict(splits.x_test, verbose=0), axis=1)
    return {"test_accuracy": test_accuracy, "val_accuracy": val_accuracy, "test_loss": test_loss, "pred": pred}


def test_page_shows_the_lessons_numbers_and_caches_them(lab, tiny_splits, monkeypatch):
    at = open_page(run=lab["mine"])
    assert not at.exception
    ref = reference(lab["mine"], tiny_splits)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Test accuracy"] == f"{ref['test_accuracy']:.2%}"
    assert shown["Validation accuracy"] == f"{ref['val_accuracy']:.2%}"
    assert shown["Test loss"] == f"{ref['test_loss']:.4f}"
    wrong = int(np.sum(ref["pred"] != tiny_splits.y_test))
    assert f"wrong on **{wrong}** of the **{len(tiny_splits.y_test)}** test images" in page_text(at)
    key = evaluation.cache_key(lab["mine"], tiny_splits.y_val, tiny_splits.y_test)
    assert evaluation.load_cached(lab["mine"], key) is not None
    # A second visit reads the stored evaluation: the model is not loaded again.
    st.cache_data.clear()

    def no_model(run):
        raise AssertionError("the model was loaded again")

    monkeypatch.setattr(Run, "load_model", no_model)
    again = open_page(run=lab["mine"])
    assert not again.exception and {m.label: m.value for m in again.metric}["Test accuracy"] == shown["Test accuracy"]


def test_choosing_a_cell_shows_exactly_its_images(lab, tiny_splits):
    at = open_page(run=lab["mine"])
    pred = reference(lab["mine"], tiny_splits)["pred"]
    cm = confusion_matrix(tiny_splits.y_test, pred, labels=range(10))
    shares = confusion_matrix(tiny_splits.y_test, pred, labels=range(10), normalize="true")
    np.fill_diagonal(shares, -1)
    # The page opens on the most confused pair: the largest share of a true class, as scikit-learn says.
    true_c, pred_c = at.selectbox(key="eval_true").value, at.selectbox(key="eval_pred").value
    assert true_c != pred_c and shares[true_c, pred_c] == pytest.approx(shares.max())
    for t, p in ((true_c, pred_c), (3, 3), (9, 1)):
        at.selectbox(key="eval_true").set_value(int(t))
        at.selectbox(key="eval_pred").set_value(int(p))
        at.run()
        assert not at.exception
        n = int(cm[t, p])
        names = data.CLASS_NAMES_EN
        sentence = "were recognised correctly" if t == p else f"but were predicted as **{names[p]}**"
        assert f"**{n}** test images" in page_text(at) and sentence in page_text(at)
        cell_images = at.get("image")[0].proto.imgs if n else []
        assert len(cell_images) == min(n, 24)
        probs = evaluation.load_cached(
            lab["mine"], evaluation.cache_key(lab["mine"], tiny_splits.y_val, tiny_splits.y_test)
        ).test_probs
        expected = evaluation.cell_indices(tiny_splits.y_test, pred, t, p, probs)[:24]
        top = [inference.top_k(probs[i], 1)[0] for i in expected]
        assert [img.caption.split(" · ")[0] for img in cell_images] == [f"{names[c]} {q:.0%}" for c, q in top]


def test_read_only_default_run_is_evaluated_in_memory(lab, monkeypatch):
    def read_only(path, write):
        raise PermissionError(13, "Read-only file system", str(path))

    before = {p: p.stat().st_mtime_ns for p in files_under(lab["shipped"].path)}
    monkeypatch.setattr(run_store, "atomic_write", read_only)
    at = open_page()  # no run chosen: the shipped model
    assert not at.exception
    assert r"Lesson model \(shipped with the app\)" in page_text(at)  # names are Markdown-escaped
    assert "read-only" in page_text(at)
    assert {p: p.stat().st_mtime_ns for p in files_under(lab["shipped"].path)} == before  # nothing written


def test_runs_tab_compares_and_ranks_by_name_only(lab):
    at = open_page(run=lab["mine"])
    at.radio(key="runs_scope").set_value("class").run()
    assert not at.exception
    at.multiselect(key="compare_runs").set_value([str(lab["mine"].path), str(lab["theirs"].path)]).run()
    assert not at.exception
    table = frame_with(at, "conv_filters")
    assert len(table) == 2

    assert set(table["params"]) == {count_params(lab["mine"].config().model)}
    board = frame_with(at, "rank")
    assert set(board["name"]) == {"My first CNN", "Kim's run"}
    text = page_text(at) + json.dumps(
        [list(map(str, d.value.columns)) + d.value.astype(str).values.ravel().tolist() for d in at.dataframe]
    )
    assert THEIRS not in text and MINE not in text  # owner tokens are never shown
    # Only training writes TensorBoard logs: listing, comparing and ranking runs writes none.
    assert not [run.id for run in (lab["mine"], lab["theirs"], lab["shipped"]) if run.log_dir.exists()]
    assert "tensorboard --logdir runs" in page_text(at)  # the page still says how to open them


def test_rename_and_delete_my_run(lab):
    at = open_page(run=lab["mine"])
    at.radio(key="runs_scope").set_value("class").run()
    choose_run(at, "Kim's run")
    assert "Only the student who trained a run" in page_text(at)
    assert not [b for b in at.button if b.key == "delete_button"]
    choose_run(at, "My first CNN")
    run_id = lab["mine"].id
    at.text_input(key=f"rename_{run_id}").set_value("Dropout 0.5")
    at.button(key="rename_button").click().run()
    assert not at.exception
    assert lab["mine"].meta()["name"] == "Dropout 0.5"
    assert r"Renamed to **Dropout 0\.5**" in page_text(at)  # the name Markdown-escaped
    assert at.button(key="delete_button").disabled  # not before confirming
    at.checkbox(key=f"confirm_delete_{run_id}").check().run()
    at.button(key="delete_button").click().run()
    assert not at.exception
    assert not lab["mine"].path.exists() and lab["theirs"].path.exists()
    assert "The run was deleted." in page_text(at)
    at.run()  # the page still works with the run gone (and it was the selected model)
    assert not at.exception


def test_damaged_folder_is_listed_and_the_rest_works(lab):
    (lab["root"] / "20260109-000000-broken").mkdir()
    half = copy_run(lab["theirs"], lab["root"] / "20260109-000001-halfwr")
    damage(half, "config.json", '{"model": {"conv_fil')
    at = open_page(run=lab["mine"])
    assert not at.exception
    text = page_text(at)
    assert "2 run folder(s) are damaged" in text
    assert "20260109-000000-broken" in text and "meta.json is missing or unreadable" in text
    assert "My first CNN" in {r for r in frame_with(at, "rank")["name"]}


def test_without_the_dataset_the_page_explains(lab, monkeypatch, tmp_path):
    monkeypatch.setattr(data, "candidate_dirs", lambda: [tmp_path / "nothing-here"])
    at = open_page(run=lab["mine"])
    assert not at.exception
    assert "Fashion-MNIST was not found" in page_text(at)
    assert frame_with(at, "rank") is not None  # the Runs tab needs no data


def test_page_in_korean(lab):
    at = open_page(run=lab["mine"], lang="ko")
    assert not at.exception
    assert at.title[0].value == "평가"
    assert any("테스트 정확도" == m.label for m in at.metric)
    assert data.CLASS_NAMES_KO[at.selectbox(key="eval_true").value] in page_text(at)


def test_runs_tab_shows_what_each_change_added(lab, tmp_path, monkeypatch, tiny_run):
    from core.services import shipped

    monkeypatch.setattr(shipped, "STEPS_DIR", tmp_path / "steps")
    monkeypatch.setattr(shipped, "BEST_RUN_DIR", tmp_path / "best_run")
    copy_run(tiny_run, tmp_path / "steps" / "batch_norm")
    copy_run(tiny_run, tmp_path / "best_run")
    at = open_page()
    table = frame_with(at, "gain")
    en = page_texts("evaluate")
    assert list(table["step"]) == [en["step_lesson"], en["step_batch_norm"], en["step_schedule"]]
    assert table["gain"].iloc[0] != table["gain"].iloc[0]  # NaN: the lesson is the baseline
    assert table["gain"].iloc[1] == pytest.approx(0.0)
    figure = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "steps_curves" in c.proto.id)
    assert len(figure["data"]) == 6  # three steps, training and validation each
    picks = at.multiselect(key="compare_runs").options  # the Best model can be compared and chosen too
    assert any("tiny" in option for option in picks)


def test_the_evaluate_page_offers_flips_as_a_visible_setting(lab):
    at = open_page(lab["mine"])
    assert not at.exception
    plain = [m.value for m in at.metric]
    at.toggle(key="eval_flips").set_value(True).run()
    assert not at.exception and at.toggle(key="eval_flips").value
    assert [m.value for m in at.metric] != plain
