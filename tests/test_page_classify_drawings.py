"""The Classify page's Draw tab (#28): an outline filled as a step when asked, the drawings model, and why the network
hesitates.

AppTest does not render the canvas, so `draw_input` is replaced by a drawing made the canvas's way.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers_core import page_texts
from helpers_pages import APP, answered, texts
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from core.analysis import neighbours
from core.services import shipped
from ui import classify_view

EN, KO = page_texts("classify"), page_texts("classify", "ko")


def outline_drawing() -> np.ndarray:
    """A T-shirt's outline, black ink on white, 280x280 RGBA like the canvas's image data."""
    img = Image.new("RGBA", (280, 280), (255, 255, 255, 255))
    shape = [(90, 60), (190, 60), (240, 110), (210, 140), (190, 120), (190, 230), (90, 230), (90, 120)]
    shape += [(70, 140), (40, 110), (90, 60)]
    ImageDraw.Draw(img).line(shape, fill=(0, 0, 0, 255), width=22, joint="curve")
    return np.asarray(img)


@pytest.fixture
def drawing_app(monkeypatch, tmp_path, tiny_dataset_dir, tiny_run):
    """The Classify page on the Draw tab with a drawn outline; the tiny run stands in for the shipped drawings model."""
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    monkeypatch.setattr("ui.classify_view.draw_input", outline_drawing)
    monkeypatch.setattr("core.services.shipped.DRAW_RUN_DIR", tiny_run.path)
    return AppTest.from_file(APP, default_timeout=60)


def captions(at: AppTest) -> list[str]:
    return [caption for image in at.get("image") for caption in image.captions]


def test_an_outline_is_answered_by_the_drawings_model_and_filled_as_a_step_when_asked(drawing_app):
    """The drawings model learned outlines as outlines (docs/drawings.md, round 6): the fill is off at first."""
    assert classify_view.FILL_OUTLINES is shipped.DRAW_FILL_OUTLINES is False
    at = drawing_app
    at.switch_page("app_pages/classify.py").run()
    assert not at.exception and answered(at)
    assert not at.toggle(key="fill_outlines").value
    assert not any(caption.startswith(EN["step_filled"]) for caption in captions(at))
    assert any("**tiny**" in text for text in texts(at.info))  # the page says which model answers drawings
    at.toggle(key="fill_outlines").set_value(True).run()
    assert not at.exception and answered(at)
    assert any(caption.startswith(EN["step_filled"]) for caption in captions(at))


def test_drawings_are_also_asked_mirrored_unless_the_student_turns_it_off(drawing_app, monkeypatch):
    from core.analysis import inference

    asked = []

    def spy(model, image):  # the real mirrored answer, counted
        asked.append(image)
        return explain_mirrored(model, image)

    explain_mirrored = inference.explain_mirrored
    monkeypatch.setattr(inference, "explain_mirrored", spy)
    at = drawing_app
    at.switch_page("app_pages/classify.py").run()
    assert not at.exception and answered(at) and len(asked) == 1
    assert at.toggle(key="draw_mirror").value  # on at first
    at.toggle(key="draw_mirror").set_value(False).run()
    assert not at.exception and answered(at) and len(asked) == 1  # answered without the mirror


def test_a_students_own_model_answers_their_drawings(drawing_app, tiny_run):
    drawing_app.session_state["run"] = str(tiny_run.path)
    drawing_app.switch_page("app_pages/classify.py").run()
    assert not any("**tiny**" in text and "Drawings" in text for text in texts(drawing_app.info))


def test_an_unsure_answer_says_why_and_shows_the_nearest_training_images(drawing_app, monkeypatch):
    monkeypatch.setattr(neighbours, "CONFUSED_BELOW", 1.01)  # the tiny network is never sure enough
    at = drawing_app
    at.switch_page("app_pages/classify.py").run()
    assert not at.exception
    why = [text for text in texts(at.info) if EN["unsure_why"].split("{")[0] in text]
    assert len(why) == 1 and "{" not in why[0]
    similar = [c for c in captions(at) if EN["nearest_caption"].split("·")[1].split("{")[0].strip() in c]
    assert len(similar) == 3
    at.session_state["lang"] = "ko"
    at.run()
    assert any(KO["unsure_why"].split("{")[0] in text for text in texts(at.info))


def test_a_hesitation_between_long_sleeved_classes_suggests_a_thinner_pen(drawing_app, monkeypatch):
    at = drawing_app
    monkeypatch.setattr(neighbours, "hesitation", lambda probabilities: (2, 3))  # Pullover or Dress: no pen tip
    at.switch_page("app_pages/classify.py").run()
    assert not at.exception and any(EN["unsure_why"].split("{")[0] in text for text in texts(at.info))
    assert EN["unsure_pen"] not in texts(at.caption)
    monkeypatch.setattr(neighbours, "hesitation", lambda probabilities: (2, 4))  # Pullover or Coat
    at.run()
    assert not at.exception and EN["unsure_pen"] in texts(at.caption)
    at.session_state["lang"] = "ko"
    at.run()
    assert KO["unsure_pen"] in texts(at.caption)


def test_nearest_and_hesitation_are_plain_arithmetic():
    train = np.eye(4, dtype=np.float32)
    assert neighbours.nearest(train, np.array([0.1, 0.9, 0.3, 0.0]), k=2) == [
        (1, pytest.approx(0.9)),
        (2, pytest.approx(0.3)),
    ]
    assert neighbours.hesitation(np.array([0.45, 0.4, 0.15])) == (0, 1)
    assert neighbours.hesitation(np.array([0.8, 0.1, 0.1])) is None


def test_the_drawings_model_is_shipped_only_with_a_checkpoint(monkeypatch, tmp_path, tiny_run):
    from core.services import shipped

    monkeypatch.setattr(shipped, "DRAW_RUN_DIR", tmp_path / "missing")
    assert shipped.draw_run() is None
    monkeypatch.setattr(shipped, "DRAW_RUN_DIR", tiny_run.path)
    assert shipped.draw_run().path == tiny_run.path


def test_the_shipped_drawings_model_has_the_settings_it_is_made_with():
    import importlib.util
    from pathlib import Path

    from core.services import shipped
    from core.train import config_from_args, parse_args

    script = Path(__file__).resolve().parent.parent / "scripts" / "make_shipped_runs.py"
    spec = importlib.util.spec_from_file_location("make_shipped_runs", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = config_from_args(parse_args(module.flags(shipped.DRAW_CHANGES)))
    run = shipped.draw_run()
    assert run is not None and run.config() == made and made.train.drawing_style != "none"
