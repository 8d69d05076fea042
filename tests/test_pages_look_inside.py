"""The Data, Model and Filters pages run headless on tiny data and a tiny trained run.

Expected numbers come from elsewhere: the IDX files read with gzip and numpy,
parameter counts worked out by hand, Keras's own summary, the kernel
snapshots read back from the run.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from helpers_core import page_texts
from streamlit.testing.v1 import AppTest

from core.analysis import inspection
from core.lesson import model as lesson_model
from core.lesson import sketches
from core.lesson.config import ModelConfig, RunConfig
from core.services import run_store
from core.services.run_store import Run

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = "app_pages"  # the page folder, relative to app.py


@pytest.fixture
def app(monkeypatch, tmp_path, tiny_dataset_dir):
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    st.cache_data.clear()  # another test may have cached the full dataset in this process
    st.cache_resource.clear()
    return AppTest.from_file(APP, default_timeout=90)


def open_page(at: AppTest, page: str) -> AppTest:
    at.run()
    at.switch_page(f"{PAGES}/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def array(value) -> np.ndarray:
    """A plotly spec array: a plain list, or numpy's bytes as `{"dtype", "bdata", "shape"}`."""
    if isinstance(value, dict):
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = [int(n) for n in str(value.get("shape", len(flat))).split(",")]
        return flat.reshape(shape)
    return np.asarray(value)


def page_text(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.code, *at.info, *at.warning, *at.error)]
    return "\n".join(str(p) for p in parts)


def idx_labels(path: Path) -> np.ndarray:
    return np.frombuffer(gzip.decompress(path.read_bytes()), np.uint8, offset=8)


# --- Data -----------------------------------------------------------------------------------


def test_data_page_shows_samples_balance_means_histograms_and_shapes(app, tiny_dataset_dir):
    at = open_page(app, "data")
    samples = at.get("image")[:10]  # one row of samples per class, each with a caption
    assert all(image.proto.imgs[0].caption for image in samples)
    figures = charts(at)
    assert len(figures) == 5  # class balance, mean images, pixel histograms, augmented and drawing-style versions
    # class balance: the test split's bars are labelled with counts read straight from the IDX file
    test_labels = idx_labels(tiny_dataset_dir / "t10k-labels-idx1-ubyte.gz")
    test_trace = figures[0]["data"][2]
    assert test_trace["text"] == [f"{n:,}" for n in np.bincount(test_labels, minlength=10)]
    assert len(figures[1]["data"]) == 10  # one mean image per class
    # 1,000 training images: 800 train, 200 validation (test_size=0.2)
    assert "(800, 28, 28, 1) (800,)" in page_text(at)
    assert "train_scaled.shape" in page_text(at)


def test_data_page_switches_split_and_shuffles(app):
    at = open_page(app, "data")
    seed = at.session_state["data_seed"]
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["data_seed"] != seed
    at.button_group(key="data_split").set_value("test").run()
    assert not at.exception
    assert "(300, 28, 28, 1) (300,)" in page_text(at)
    at.button_group(key="data_split").set_value("val").run()
    assert "(200, 28, 28, 1) (200,)" in page_text(at)


def test_data_page_shows_one_image_and_eight_augmented_versions_at_the_chosen_level(app):
    at = open_page(app, "data")
    figure = charts(at)[3]
    images = [array(trace["z"]) for trace in figure["data"]]
    assert len(images) == 9 and all(image.shape == (28, 28) for image in images)
    assert at.button_group(key="data_augment_level").value == "medium"
    assert any(not np.allclose(images[0], other) for other in images[1:])
    at.button_group(key="data_augment_level").set_value("none").run()
    assert not at.exception
    images = [array(trace["z"]) for trace in charts(at)[3]["data"]]
    assert all(np.allclose(images[0], other) for other in images[1:])  # level none changes nothing
    seed = at.session_state["data_augment_seed"]
    at.button(key="data_augment_again").click().run()
    assert at.session_state["data_augment_seed"] == seed + 1


def test_data_page_shows_the_same_image_beside_eight_drawing_style_versions(app):
    at = open_page(app, "data")
    augmented, drawn = (charts(at)[i]["data"] for i in (3, 4))
    images = [array(trace["z"]) for trace in drawn]
    assert len(images) == 9 and np.allclose(images[0], array(augmented[0]["z"]))  # the augmentation's original
    assert all(not np.allclose(images[0], other) for other in images[1:])
    inked = [np.mean(image > 0.5) for image in images[1:]]
    assert max(inked) > min(inked)  # filled silhouettes and thinner outlines


def test_data_page_shows_the_drawings_the_setting_adds_one_row_per_class(app):
    at = open_page(app, "data")
    rows = at.get("image")[10:]
    assert len(rows) == 10 and not any(image.proto.imgs[0].caption for image in rows)
    assert f"{sketches.COUNT:,}" in page_text(at)  # how many the setting adds
    first = [image.proto.imgs[0].url for image in rows]
    at.button(key="data_augment_again").click().run()  # the same button draws other drawings
    assert not at.exception
    assert [image.proto.imgs[0].url for image in at.get("image")[10:]] != first


def test_data_page_augmentation_defaults_to_the_train_forms_level(app):
    app.session_state["cfg_augmentation"] = "strong"
    at = open_page(app, "data")
    assert at.button_group(key="data_augment_level").value == "strong"


def test_data_page_explains_a_missing_dataset(app, monkeypatch, tmp_path):
    monkeypatch.setattr("core.lesson.data.candidate_dirs", lambda: [tmp_path / "nowhere"])
    at = open_page(app, "data")
    assert len(at.error) == 1 and not at.get("plotly_chart")


# --- Model ----------------------------------------------------------------------------------


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_model_page_lesson_totals_and_gap_savings(app):
    at = open_page(app, "model")
    # by hand: conv1 (9*1+1)*32 = 320, conv2 (9*32+1)*64 = 18,496, dense (7*7*64+1)*100 = 313,700, output 1,010
    assert metrics(at)["Parameters of this model"] == "333,526"
    # with GlobalAveragePooling2D: dense (64+1)*100 = 6,500 -> 26,326, saving 307,200
    assert metrics(at)["With GlobalAveragePooling2D"] == "26,326"
    assert "307,200" in page_text(at)
    assert len(at.get("plotly_chart")) == 1 and len(at.get("graphviz_chart")) == 1
    table = at.dataframe[0].value
    assert len(table) == 8 and table.iloc[:, 2].sum() == 333_526
    params_chart = charts(at)[0]["data"][0]
    assert array(params_chart["x"]).max() == 313_700  # Flatten -> Dense holds most parameters
    assert "Total params: 333,526" in at.code[0].value  # Keras's own count agrees

    at.toggle(key="model_gap").set_value(True).run()
    assert not at.exception
    assert metrics(at)["Parameters of this model"] == "26,326"
    assert "Total params: 26,326" in at.code[0].value
    assert "GlobalAveragePooling2D" in at.dataframe[0].value.iloc[4, 0]


def test_model_page_shows_my_train_settings_when_chosen(app):
    app.session_state["train_config"] = RunConfig(model=ModelConfig(conv_filters=(8, 16), dense_units=32, dropout=0.2))
    at = open_page(app, "model")
    assert metrics(at)["Parameters of this model"] == "333,526"  # the lesson's stays the default
    at.button_group(key="model_source").set_value("mine").run()
    assert not at.exception
    # by hand: conv1 (9+1)*8 = 80, conv2 (72+1)*16 = 1,168, dense (7*7*16+1)*32 = 25,120, output (32+1)*10 = 330
    assert metrics(at)["Parameters of this model"] == "26,698"
    assert "Total params: 26,698" in at.code[0].value


# --- Filters --------------------------------------------------------------------------------


def kernel_stats(run: Run, epoch: int, layer: str) -> tuple[float, float]:
    kernel = run.kernels(epoch)[f"{layer}.kernel"].astype(np.float64)
    return kernel.mean(), kernel.std()


def stats_column(at: AppTest, column: int) -> list[str]:
    return list(at.dataframe[0].value.iloc[:, column])


def test_filters_page_compares_the_runs_own_initial_and_trained_kernels(app, tiny_run):
    app.session_state["run"] = str(tiny_run.path)
    at = open_page(app, "filters")
    figures = charts(at)
    # two kernel grids, the enlarged kernel, the histogram, untrained + trained maps of conv1 and conv2
    assert len(figures) == 8
    best = tiny_run.result()["best_epoch"]
    before, after = stats_column(at, 1), stats_column(at, 2)
    mean0, std0 = kernel_stats(tiny_run, 0, "conv1")
    mean_b, std_b = kernel_stats(tiny_run, best, "conv1")
    assert before[:2] == [f"{mean0:.4f}", f"{std0:.4f}"]
    assert after[:2] == [f"{mean_b:.4f}", f"{std_b:.4f}"]
    assert before[4:] == after[4:] == ["(3, 3, 1, 8)", "(8,)"]
    # both grids on one colour scale: the lesson's -0.5 .. 0.5
    for grid in figures[:2]:
        assert (grid["data"][0]["zmin"], grid["data"][0]["zmax"]) == (-0.5, 0.5)
    # the histogram's two traces share their bins
    hist = figures[3]["data"]
    np.testing.assert_array_equal(array(hist[0]["x"]), array(hist[1]["x"]))

    at.radio(key="filters_scale").set_value("fit").run()
    zmax = charts(at)[0]["data"][0]["zmax"]
    s0, s1 = tiny_run.kernels(0), tiny_run.kernels(best)
    expected = max(np.abs(s0["conv1.kernel"]).max(), np.abs(s1["conv1.kernel"]).max())
    assert zmax == pytest.approx(float(expected), rel=1e-6)


def test_filters_page_layer_channel_epoch_and_kernel_choices(app, tiny_run):
    app.session_state["run"] = str(tiny_run.path)
    at = open_page(app, "filters")
    at.select_slider(key=f"filters_epoch_{tiny_run.id}").set_value(1).run()
    assert not at.exception
    mean1, _ = kernel_stats(tiny_run, 1, "conv1")
    assert stats_column(at, 2)[0] == f"{mean1:.4f}"

    at.selectbox(key=f"filters_kernel_{tiny_run.id}_conv1").set_value(5).run()
    assert "Kernel 5 of conv1" in page_text(at)
    kernel5 = tiny_run.kernels(1)["conv1.kernel"][:, :, 0, 4]
    np.testing.assert_allclose(array(charts(at)[2]["data"][1]["z"]), kernel5, atol=1e-6)

    at.selectbox(key=f"filters_layer_{tiny_run.id}").set_value("conv2").run()
    assert not at.exception
    assert stats_column(at, 2)[4:] == ["(3, 3, 8, 16)", "(16,)"]
    at.number_input(key=f"filters_channel_{tiny_run.id}_conv2").set_value(3).run()
    assert not at.exception
    assert "input channel 3" in page_text(at)


def test_filters_page_feature_maps_of_a_drawing(app, tiny_run):
    app.session_state["run"] = str(tiny_run.path)
    drawing = np.zeros((28, 28), np.float32)
    drawing[6:22, 10:18] = 1.0
    app.session_state["last_input"] = drawing
    at = open_page(app, "filters")
    assert at.radio(key="filters_source").options == ["A test image", "My picture from the Classify page"]
    at.radio(key="filters_source").set_value("drawing").run()
    assert not at.exception
    assert "Classify page" in at.get("image")[0].proto.imgs[0].caption
    # conv1 maps of the trained model: 8 maps of 28x28 in a 1x8 grid
    trained_conv1 = charts(at)[5]["data"][0]
    assert trained_conv1["zmin"] == 0


def test_filters_page_without_snapshots_explains_instead_of_failing(app, tiny_run, tmp_path):
    # The tiny run's model, result and history, in a run that never stored kernel snapshots.
    run = run_store.create_run(tiny_run.config(), name="no kernels", root=tmp_path / "runs")
    run.write_checkpoint_bytes(tiny_run.checkpoint_path.read_bytes())
    run.write_history(tiny_run.history())
    run.write_result(tiny_run.result())
    run.set_status("finished")
    assert run.kernel_epochs() == [] and run.has_checkpoint()
    app.session_state["run"] = str(run.path)
    at = open_page(app, "filters")
    assert len(at.warning) == 1 and not at.get("plotly_chart")


# --- Both languages ------------------------------------------------------------------------


@pytest.mark.parametrize("area", ["data", "model", "filters"])
def test_english_and_korean_have_the_same_keys_and_placeholders(area):
    en, ko = page_texts(area), page_texts(area, "ko")
    assert en.keys() == ko.keys()
    for key in en:
        assert set(re.findall(r"{(\w+)", en[key])) == set(re.findall(r"{(\w+)", ko[key])), key
        assert ko[key], key


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_text_of_the_three_pages_is_translated(app, tiny_run, lang):
    app.session_state["run"] = str(tiny_run.path)
    app.session_state["lang"] = lang
    app.run()
    for page in ("data", "model", "filters"):
        at = app.switch_page(f"{PAGES}/{page}.py").run()
        assert not at.exception
        texts = [page_text(at), *(str(h.value) for h in (*at.title, *at.header, *at.subheader))]
        texts += [w.label for w in (*at.selectbox, *at.radio, *at.toggle, *at.button, *at.number_input)]
        # a key without a translation shows up as its name, e.g. "filters.kernel_pick"
        names = {name for text in texts for name in re.findall(r"\b(?:data|model|filters)\.[a-z_]+", text)}
        assert names <= {"model.summary", "model.inputs"}, names  # the lesson's code may stay
        if lang == "ko":
            assert any("\uac00" <= ch <= "\ud7a3" for ch in texts[1])  # the title is in Hangul


# --- Speed ---------------------------------------------------------------------------------------


# The heavy work behind these pages: a rerun after the first visit must find all of it in the caches.
HEAVY = [
    (inspection, "pixel_histograms"),
    (inspection, "class_mean_images"),
    (inspection, "activation_model"),
    (lesson_model, "build_model"),
    (Run, "load_model"),
    (Run, "kernels"),
]


def test_pages_rerender_from_the_caches_after_the_first_visit(app, tiny_run, monkeypatch):
    """What makes a rerun quick, checked without a stopwatch (a loaded CI machine has none to trust).

    How quick it is, is measured by `bench/bench_sessions.py` (pages for a
    class of 30, warm and cold).
    """
    calls = []
    for owner, name in HEAVY:
        original = getattr(owner, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, name, spy)
    app.session_state["run"] = str(tiny_run.path)
    app.run()
    for page in ("data", "model", "filters"):
        calls.clear()
        app.switch_page(f"{PAGES}/{page}.py").run()  # first visit: fills the caches
        assert not app.exception
        assert calls, f"/{page}: the spies saw none of its work on the first visit"
        calls.clear()
        app.run()
        assert not app.exception
        assert not calls, f"/{page} redid {calls} on a rerun"
