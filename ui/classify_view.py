"""The Classify page's view: the input tabs, the guards around the model, and the answer with its explanations.

The page script (`app_pages/classify.py`) calls these in lesson order. Reading
and preprocessing pictures, predicting and explaining live in
`core.analysis.inference` and `core.lesson.preprocess`, the figures in
`core.charts.classify`; here they are only asked for, guarded and laid out.
Every failure reaches the student as a sentence, never a traceback.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.analysis import inference
from core.lesson import data
from core.lesson import preprocess as prep
from core.services import shipped
from core.services.run_store import Run
from ui.classroom import guess_game_ui, plain
from ui.i18n import t, t_error
from ui.pictures import enlarge
from ui.state import is_default, load_model, load_raw, untrained_twin

log = logging.getLogger(__name__)

SOURCES = ("draw", "upload", "camera", "examples")
GAME = "guess"  # the last tab: guess before reveal, a game against the model
SHAREABLE = ("draw", "upload")  # what a student may share with the class (no webcam photos, no test images)
CANVAS_SIDE = 280  # ten canvas pixels per model pixel
BRUSH_WIDTH = 18
"""The canvas's pen at first, in canvas pixels: a thinner pen keeps the gap between a sleeve and the body, which
tells a pullover from a coat. Chosen in round 4 of docs/drawings.md, when the drawings model of the time named
89.2% of the large validation set right with 18 pixels, against 85.6% with the earlier 22. Today's model names
a little more with 18 pixels (83.1% against 82.4%), and more of the filled pullovers (96% against 94%)."""
UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp"]
FILL_OUTLINES = shipped.DRAW_FILL_OUTLINES
"""Whether the Draw tab fills an outline before the network sees it, at first: off (`shipped.DRAW_FILL_OUTLINES`)."""
MIRROR_DRAWINGS = True
"""Whether the Draw tab also asks about the drawing's mirror image (test-time flips), at first: the drawings
model names 82.0% of the large validation set right that way, against 81.5% (docs/bench_drawings.json)."""


# ---------------------------------------------------------------- models


def model_name(run: Run) -> str:
    """The name the student knows the model in use by ("the lesson's model" for the shipped one), safe for Markdown."""
    return t("classify.default_model") if is_default(run) else plain(run.name())


def answering_run(run: Run, active: str) -> tuple[Run, bool]:
    """The run that answers the open tab, and whether it is the drawings model standing in for the lesson's.

    Drawings are another domain than the lesson's photos: while the student uses the lesson's model, the
    Draw tab asks the shipped model that also learned from drawing-style images (`shipped.draw_run`).
    """
    if active == "draw" and is_default(run) and (drawn := shipped.draw_run()) is not None:
        return drawn, True
    return run, False


def untrained_or_none(run: Run):
    """The run's network before training (shared by every session), or None if it cannot be built."""
    try:
        return untrained_twin(run)
    except Exception:  # the comparison is a bonus: never let it break the page
        log.exception("untrained twin of %s", run.path)
        return None


def trained_model(run: Run):
    """The run's best checkpoint, or None after telling the student why there is none."""
    if not run.has_checkpoint():
        st.warning(t("classify.no_model"))
        return None
    try:
        return load_model(run)
    except Exception:
        log.exception("loading %s", run.path)
        st.error(t("classify.model_error"))
        return None


def class_label(index: int, lang: str) -> str:
    """'Sneaker · 스니커즈': the class in both languages, the page's own first."""
    first, second = data.class_names(lang), data.class_names("en" if lang == "ko" else "ko")
    return f"{first[index]} · {second[index]}"


# ---------------------------------------------------------------- inputs


@dataclass
class Picked:
    """What the active tab delivered: a preprocessed picture, or a message saying why not."""

    pre: prep.Preprocessed | None = None
    message: str = ""
    error: bool = False
    note: str = ""
    truth: int | None = None
    seconds: float = 0.0  # preprocessing and inference only (not loading the model), shown to the student
    mirrored: bool = False  # answer with the picture's and its mirror image's average (the Draw tab's setting)

    def timed(self, fn, *args):
        start = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.seconds += time.perf_counter() - start

    def take(self, pre: prep.Preprocessed | None, message: str | None) -> None:
        self.pre, self.message, self.error = pre, message or "", message is not None


def source_tabs() -> tuple[list, str]:
    """The input tabs and the game's, `(tabs, active)`: only the open tab's input is processed."""
    labels = [t(f"classify.tab_{source}") for source in SOURCES] + [t("classroom.tab_guess")]
    tabs = st.tabs(labels, key="source", on_change="rerun")
    active = next((source for source, tab in zip((*SOURCES, GAME), tabs, strict=True) if tab.open), "draw")
    return tabs, active


def max_upload_bytes() -> int:
    """Streamlit's own upload limit (`server.maxUploadSize`, MB), checked again after upload."""
    return int(st.get_option("server.maxUploadSize")) * 2**20


def read_bytes(data_bytes: bytes) -> tuple[prep.Preprocessed | None, str | None]:
    """Uploaded or photographed bytes -> `(preprocessed, None)` or `(None, message)` for the student."""
    limit = max_upload_bytes()
    try:
        pre = inference.read_picture(data_bytes, max_bytes=limit)
    except prep.ImageError as err:
        return None, t_error(err)
    if pre.blank:
        return None, t("classify.no_object")
    return pre, None


def draw_input() -> np.ndarray | None:
    """The canvas (black ink on white, like a pen on paper); its RGBA pixels, or None before any stroke."""
    st.caption(t("classify.draw_help"))
    brush = st.slider(t("classify.brush"), 10, 40, BRUSH_WIDTH, key="brush", help=t("classify.brush_help"))
    try:
        from streamlit_drawable_canvas import st_canvas

        result = st_canvas(
            stroke_width=brush,
            stroke_color="#000000",
            background_color="#FFFFFF",
            width=CANVAS_SIDE,
            height=CANVAS_SIDE,
            drawing_mode="freedraw",
            return_image_data=True,
            key="canvas",
        )
        return result.image_data
    except Exception:
        log.exception("drawing canvas")
        st.warning(t("classify.canvas_unavailable"))
        return None


def example_indices(labels: np.ndarray, round_: int) -> list[int]:
    """One test image of each class, in a shuffled order; a new set for each round."""
    rng = np.random.default_rng(round_)
    picks = [int(rng.choice(found)) for c in range(10) if len(found := np.flatnonzero(labels == c))]
    return [picks[i] for i in rng.permutation(len(picks))]


def pick_example(index: int) -> None:
    """A button's callback: the chosen test image survives the rerun the click causes."""
    st.session_state.example = index


def shuffle_examples() -> None:
    """Another round: a fresh set of ten, so the class does not see the same pictures every time."""
    st.session_state.example_round = st.session_state.get("example_round", 0) + 1


def examples_input(raw) -> None:
    """A row of test images, each with a button that classifies it."""
    st.caption(t("classify.examples_help"))
    indices = example_indices(raw.test_labels, st.session_state.get("example_round", 0))
    for slot, (column, index) in enumerate(zip(st.columns(10), indices, strict=False)):
        with column:
            st.image(
                enlarge(raw.test_images[index]), caption=t("classify.example_caption", number=index), width="stretch"
            )
            st.button(
                t("classify.example_pick"), key=f"example_{slot}", on_click=pick_example, args=(index,), width="stretch"
            )
    st.button(t("classify.example_shuffle"), key="example_shuffle", on_click=shuffle_examples)


def _draw_tab(picked: Picked, active: str) -> None:
    """The canvas; a few specks of ink are not a drawing yet."""
    drawing = draw_input()
    fill = st.toggle(
        t("classify.fill_outlines"), value=FILL_OUTLINES, key="fill_outlines", help=t("classify.fill_help")
    )
    mirrored = st.toggle(t("classify.mirror"), value=MIRROR_DRAWINGS, key="draw_mirror", help=t("classify.mirror_help"))
    if active == "draw":
        picked.mirrored = mirrored
        pre = picked.timed(prep.preprocess, drawing, fill) if drawing is not None else None
        if pre is None or inference.drawn_fraction(pre) < inference.MIN_DRAWN_FRACTION:
            picked.message = t("classify.draw_first")
        else:
            picked.pre = pre


def _upload_tab(picked: Picked, active: str) -> None:
    """A file from the student's computer; an animated picture is classified by its first frame, and says so."""
    upload = st.file_uploader(
        t("classify.upload_label"), type=UPLOAD_TYPES, key="upload", help=t("classify.upload_help")
    )
    if active == "upload":
        if upload is None:
            picked.message = t("classify.upload_first")
        else:
            payload = upload.getvalue()
            picked.take(*picked.timed(read_bytes, payload))
            if picked.pre is not None and inference.is_animated(payload):
                picked.note = t("classify.animated_note")


def _camera_tab(picked: Picked, active: str) -> None:
    """A webcam photo, checked like an upload."""
    if active == "camera":  # only on its tab: the browser asks for the webcam as soon as it is shown
        st.caption(t("classify.camera_help"))
        photo = st.camera_input(t("classify.camera_label"), key="camera")
        if photo is None:
            picked.message = t("classify.camera_first")
        else:
            picked.take(*picked.timed(read_bytes, photo.getvalue()))


def _examples_tab(picked: Picked, active: str, lang: str) -> None:
    """Test images with known labels, so the student can see the model be right or wrong."""
    if active != "examples":
        return
    raw = load_raw()
    if isinstance(raw, data.DatasetError):
        picked.message = t("classify.examples_missing")
        return
    examples_input(raw)
    chosen = st.session_state.get("example")
    if chosen is None or not 0 <= chosen < len(raw.test_images):
        picked.message = t("classify.examples_first")
    else:
        picked.pre = picked.timed(prep.preprocess_dataset_image, raw.test_images[chosen])
        picked.truth = int(raw.test_labels[chosen])
        picked.note = t("classify.example_truth", number=chosen, label=class_label(picked.truth, lang))


def pick_input(tabs, active: str, lang: str) -> Picked:
    """Draw every tab's widgets, also on the game's tab, so a drawing or an upload is kept;
    preprocess only the input of the open tab. An unforeseen failure becomes the page's message."""
    picked = Picked()
    try:
        with tabs[0]:
            _draw_tab(picked, active)
        with tabs[1]:
            _upload_tab(picked, active)
        with tabs[2]:
            _camera_tab(picked, active)
        with tabs[3]:
            _examples_tab(picked, active, lang)
    except Exception:  # a widget or a decoder failing in an unforeseen way: a sentence, not a traceback
        log.exception("classify page input")
        return Picked(message=t("classify.unexpected"), error=True)
    return picked


def guess_game(tabs) -> None:
    """The guessing game in its tab; a failure there is a sentence, and never touches the other tabs."""
    with tabs[len(SOURCES)]:
        try:
            guess_game_ui("guess")
        except Exception:
            log.exception("guessing game")
            st.error(t("classify.unexpected"))
