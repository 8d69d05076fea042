"""The Classify page through AppTest: inputs, guards, every broken upload, the answer.

The canvas is a custom component that AppTest does not render (it stays empty);
drawing is covered by core tests here and by the browser tests.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers_core import page_texts
from helpers_pages import APP, answered, texts
from helpers_pictures import broken_uploads, jpeg_bytes, odd_but_valid_uploads, photo_of, png_bytes
from streamlit.testing.v1 import AppTest

from core.analysis import inference
from core.services import run_store
from ui import classify_view

EN, KO = page_texts("classify"), page_texts("classify", "ko")
ERRORS_EN, KO_ERRORS = page_texts("errors"), page_texts("errors", "ko")
MESSAGES = {
    "not_an_image": ERRORS_EN["image_not_an_image"],
    "truncated": ERRORS_EN["image_truncated"],
    "empty": ERRORS_EN["image_empty"],
    "too_small": ERRORS_EN["image_too_small"].format(side=8),
    "too_many_pixels": ERRORS_EN["image_too_many_pixels"],
    "too_large": ERRORS_EN["image_too_large"].format(limit=10),
}


@pytest.fixture
def app(monkeypatch, tmp_path, tiny_dataset_dir, tiny_run):
    """The app on the Classify page, with the tiny trained run selected."""
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["run"] = str(tiny_run.path)
    at.switch_page("app_pages/classify.py").run()
    assert not at.exception
    return at


def on_tab(at: AppTest, source: str) -> AppTest:
    at.session_state["source"] = EN[f"tab_{source}"]
    at.run()
    assert not at.exception
    return at


def upload(at: AppTest, name: str, payload: bytes, mime: str = "image/png") -> AppTest:
    at.file_uploader(key="upload").set_value((name, payload, mime)).run()
    assert not at.exception
    return at


def test_page_opens_on_the_canvas_and_asks_for_a_drawing(app):
    assert EN["draw_first"] in texts(app.info)
    assert not answered(app)
    assert app.slider(key="brush").value == classify_view.BRUSH_WIDTH
    assert "last_input" not in app.session_state


def test_upload_tab_asks_for_a_file(app):
    on_tab(app, "upload")
    assert EN["upload_first"] in texts(app.info)
    assert app.file_uploader(key="upload").allowed_type == [".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"]


@pytest.mark.parametrize(
    "case", ["text named .png", "truncated PNG", "zero bytes", "1x1 image", "20000x20000 bomb", "over 10 MB"]
)
def test_each_broken_upload_gets_its_message_and_nothing_else(app, real_raw, case):
    payload, code = broken_uploads(real_raw.test_images[0])[case]
    upload(on_tab(app, "upload"), "picture.png", payload)
    assert texts(app.error) == [MESSAGES[code]]
    assert not answered(app)
    assert not app.get("plotly_chart")
    assert "last_input" not in app.session_state


def test_a_plain_colour_picture_has_no_object(app):
    from PIL import Image

    upload(on_tab(app, "upload"), "wall.png", png_bytes(Image.new("RGB", (300, 300), (120, 200, 40))))
    assert texts(app.error) == [EN["no_object"]]
    assert not answered(app)


@pytest.mark.parametrize("case", ["16-bit PNG", "CMYK JPEG", "animated GIF"])
def test_unusual_encodings_are_classified(app, real_raw, case):
    payload = odd_but_valid_uploads(real_raw.test_images[0])[case]
    upload(
        on_tab(app, "upload"),
        "clothes." + {"16-bit PNG": "png", "CMYK JPEG": "jpg", "animated GIF": "gif"}[case],
        payload,
    )
    assert not app.error
    assert answered(app)
    assert (EN["animated_note"] in texts(app.info)) == (case == "animated GIF")


def test_a_photo_is_classified_with_steps_charts_and_last_input(app, real_raw, tiny_run):
    payload = jpeg_bytes(photo_of(real_raw.test_images[0]))
    upload(on_tab(app, "upload"), "boot.jpg", payload)
    model = tiny_run.load_model()
    pre = inference.read_picture(payload)
    expected = model.predict(pre.image[np.newaxis, :, :, np.newaxis], verbose=0)[0]
    top = int(np.argmax(expected))
    from core.lesson.data import CLASS_NAMES_EN, CLASS_NAMES_KO

    assert EN["answer"].format(label=f"{CLASS_NAMES_EN[top]} · {CLASS_NAMES_KO[top]}") in texts(app.markdown)
    assert app.metric[0].value == f"{expected[top]:.1%}"
    assert (EN["unsure"].format(percent="50%") in texts(app.warning)) == (expected[top] < 0.5)
    image_captions = [caption for image in app.get("image") for caption in image.captions]
    assert image_captions == [f"{EN[f'step_{code}']} · {a.shape[1]}×{a.shape[0]}" for code, a in pre.steps]
    assert EN["inverted_note"] in texts(app.caption)  # a dark-on-light photo is negated
    assert len(app.get("plotly_chart")) == 3  # probabilities, heatmap, trained vs untrained
    np.testing.assert_array_equal(app.session_state["last_input"], pre.image)
    assert app.session_state["last_input"].dtype == np.float32

    app.radio(key="explain_method").set_value("gradcam").run()
    assert not app.exception
    assert EN["method_gradcam_help"].format(layer="conv2") in texts(app.caption)


def test_a_test_image_is_classified_and_compared_with_its_label(app, tiny_splits):
    on_tab(app, "examples")
    assert EN["examples_first"] in texts(app.info)
    app.button(key="example_0").click().run()
    assert not app.exception
    assert answered(app)
    chosen = app.session_state["example"]
    assert any(text.startswith(EN["example_truth"].split("{")[0]) and f"#{chosen}" in text for text in texts(app.info))
    verdicts = {EN["example_right"], EN["example_wrong"]}
    assert len(verdicts & set(texts(app.markdown))) == 1
    assert app.session_state["last_input"].shape == (28, 28)


def test_webcam_photo_goes_through_the_same_checks(app, real_raw):
    on_tab(app, "camera")
    assert EN["camera_first"] in texts(app.info)
    app.camera_input(key="camera").set_value(("photo.jpg", jpeg_bytes(photo_of(real_raw.test_images[1])), "image/jpeg"))
    app.run()
    assert not app.exception and answered(app)
    app.camera_input(key="camera").set_value(("photo.jpg", b"\xff\xd8\xff broken", "image/jpeg"))
    app.run()
    assert not app.exception and not answered(app)
    assert texts(app.error) == [MESSAGES["not_an_image"]]


def test_without_any_model_the_page_explains_and_still_preprocesses(monkeypatch, tmp_path, tiny_dataset_dir, real_raw):
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    monkeypatch.setattr(run_store, "DEFAULT_RUN_DIR", tmp_path / "no_default_run")
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("app_pages/classify.py").run()
    upload(on_tab(at, "upload"), "shirt.jpg", jpeg_bytes(photo_of(real_raw.test_images[1])))
    assert EN["no_model"] in texts(at.warning)
    assert not answered(at)
    assert EN["step_centred"] + " · 28×28" in [c for image in at.get("image") for c in image.captions]


def test_the_page_speaks_korean(app, real_raw):
    app.session_state["lang"] = "ko"
    app.run()
    assert KO["draw_first"] in texts(app.info)
    app.session_state["source"] = KO["tab_upload"]
    app.run()
    assert KO["upload_first"] in texts(app.info)
    upload(app, "x.png", b"nope")
    assert texts(app.error) == [KO_ERRORS["image_not_an_image"]]
