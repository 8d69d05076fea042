"""The Classify page's answer: the preprocessing steps, the probabilities, why, and what the untrained network says.

Split from `ui.classify_view` (the inputs and the model guards), which the
page calls first; the figures come from `core.charts.classify`. Every failure
reaches the student as a sentence, never a traceback.
"""

from __future__ import annotations

import logging

import numpy as np
import streamlit as st

from core.analysis import inference, neighbours
from core.charts.classify import comparison_figure, heatmap_figure, probability_figure
from core.lesson import data
from core.lesson import preprocess as prep
from core.services.run_store import Run
from ui.classify_view import SHAREABLE, Picked, class_label, trained_model, untrained_or_none
from ui.classroom import share_ui
from ui.i18n import choice, t
from ui.pictures import enlarge
from ui.state import is_default, load_model, load_splits, remember_last_input

log = logging.getLogger(__name__)


def show_steps(pre: prep.Preprocessed) -> None:
    """Every preprocessing step as a picture: the student sees how a photo becomes the 28x28 the model reads."""
    st.subheader(t("classify.steps_title"))
    st.caption(t("classify.steps_help"))
    columns = st.columns(max(len(pre.steps), 4))
    for column, (code, image) in zip(columns, pre.steps, strict=False):
        height, width = image.shape[:2]
        with column:
            st.image(enlarge(image), caption=f"{t(f'classify.step_{code}')} · {width}×{height}", width="stretch")
    if pre.inverted:
        st.caption(t("classify.inverted_note"))


def show_answer(explanation: inference.Explanation, lang: str) -> None:
    """The top class with its confidence and the top three, beside all ten probabilities; a weak answer is flagged."""
    probabilities = explanation.probabilities
    index = explanation.index
    confidence = float(probabilities[index])
    left, right = st.columns([2, 3])
    with left:
        st.subheader(t("classify.answer_title"))
        st.markdown(t("classify.answer", label=class_label(index, lang)))
        st.metric(t("classify.confidence"), f"{confidence:.1%}")
        if confidence < inference.UNSURE_BELOW:
            st.warning(t("classify.unsure", percent=f"{inference.UNSURE_BELOW:.0%}"))
        st.markdown(t("classify.top3_title"))
        st.markdown(
            "\n".join(
                f"{rank}. {class_label(i, lang)} — {p:.1%}"
                for rank, (i, p) in enumerate(inference.top_k(probabilities, 3), start=1)
            )
        )
    with right:
        labels = {
            "title": t("classify.bars_title"),
            "axis": t("classify.probability"),
            "unsure": t("classify.unsure_line"),
        }
        st.plotly_chart(
            probability_figure(probabilities, list(data.class_names(lang)), labels, inference.UNSURE_BELOW),
            key="probability_chart",
            width="stretch",
        )


@st.cache_resource(show_spinner=False, max_entries=4)
def _searched_features(run_path: str, version: float):
    """The last hidden layer of the run's network, and its vectors for the first training images (shared)."""
    splits = load_splits()
    if isinstance(splits, data.DatasetError):
        return None
    hidden = neighbours.hidden_model(load_model(Run(run_path)))
    images = splits.x_train[: neighbours.SEARCHED_IMAGES]
    return hidden, neighbours.features(hidden, images), images, splits.y_train[: neighbours.SEARCHED_IMAGES]


def show_unsure_why(run: Run, pre: prep.Preprocessed, explanation: inference.Explanation, lang: str) -> None:
    """When the network hesitates over a drawing: why, in one sentence, and the training images nearest to it."""
    pair = neighbours.hesitation(explanation.probabilities)
    if pair is None:
        return
    names = data.class_names(lang)
    first, second = pair
    st.info(
        t(
            "classify.unsure_why",
            first=names[first],
            second=names[second],
            cue_first=t(f"classify.cue_{first}"),
            cue_second=t(f"classify.cue_{second}"),
        )
    )
    if {first, second} <= set(neighbours.LONG_SLEEVED):
        st.caption(t("classify.unsure_pen"))
    searched = _searched_features(str(run.path), run.checkpoint_version())
    if searched is None:
        return
    hidden, train_features, images, labels = searched
    query = neighbours.features(hidden, pre.image[None])[0]
    st.markdown(t("classify.nearest_title"))
    for column, (index, similarity) in zip(st.columns(4), neighbours.nearest(train_features, query, 3), strict=False):
        with column:
            caption = t("classify.nearest_caption", label=names[int(labels[index])], similarity=f"{similarity:.2f}")
            st.image(enlarge(images[index, :, :, 0]), caption=caption, width="stretch")


def show_why(pre: prep.Preprocessed, explanation: inference.Explanation, lang: str) -> None:
    """Where the model looked (saliency, or Grad-CAM when the model has a conv layer to explain)."""
    st.subheader(t("classify.why_title"))
    methods = ["saliency", "gradcam"] if explanation.gradcam is not None else ["saliency"]
    method = choice("classify.method", methods, "classify.method_", key="explain_method")
    heat = explanation.gradcam if method == "gradcam" else explanation.saliency
    labels = {
        "input": t("classify.heat_input"),
        "overlay": t("classify.heat_overlay", label=data.class_names(lang)[explanation.index]),
        "colorbar": t("classify.heat_colorbar"),
    }
    st.plotly_chart(heatmap_figure(pre.image, heat, labels), key="heatmap_chart", width="stretch")
    st.caption(t(f"classify.method_{method}_help", layer=explanation.gradcam_layer))


def show_untrained(run: Run, pre: prep.Preprocessed, trained: np.ndarray, lang: str) -> None:
    """The same network before training, answering the same picture: what training changed, side by side."""
    st.subheader(t("classify.untrained_title"))
    twin = untrained_or_none(run)
    if twin is None:
        st.info(t("classify.untrained_missing"))
        return
    untrained = inference.predict_probabilities(twin, pre.image)
    index = int(np.argmax(untrained))
    st.write(
        t(
            "classify.untrained_answer",
            label=class_label(index, lang),
            percent=f"{untrained[index]:.1%}",
            spread=f"{untrained.min():.0%}–{untrained.max():.0%}",
        )
    )
    labels = {
        "title": t("classify.compare_title"),
        "axis": t("classify.probability"),
        "trained": t("classify.trained"),
        "untrained": t("classify.untrained"),
    }
    st.plotly_chart(
        comparison_figure(trained, untrained, list(data.class_names(lang)), labels),
        key="compare_chart",
        width="stretch",
    )


def show_result(run: Run, picked: Picked, active: str, lang: str) -> None:
    """The picture's preprocessing steps, then (with a model) the answer, why, and the untrained network's guess.

    Without a picture, the tab's message; without a model, the steps still show.
    """
    if picked.pre is None:
        (st.error if picked.error else st.info)(picked.message)
        return
    pre = picked.pre
    try:
        model = trained_model(run)
        if model is not None:
            explain = inference.explain_mirrored if picked.mirrored else inference.explain
            explanation = picked.timed(explain, model, pre.image)
            remember_last_input(pre.image)
        show_steps(pre)
        if picked.note:
            st.info(picked.note)
        if model is not None:
            st.divider()
            show_answer(explanation, lang)
            if picked.truth is not None:
                verdict = "example_right" if picked.truth == explanation.index else "example_wrong"
                st.write(t(f"classify.{verdict}"))
            st.caption(t("classify.timing", ms=f"{picked.seconds * 1000:.0f}"))
            if active == "draw":
                show_unsure_why(run, pre, explanation, lang)
            if active in SHAREABLE:
                share_ui("share", pre, explanation.probabilities, run="" if is_default(run) else run.id)
            st.divider()
            show_why(pre, explanation, lang)
            st.divider()
            show_untrained(run, pre, explanation.probabilities, lang)
    except Exception:  # whatever went wrong, the student reads a sentence, not a traceback
        log.exception("classify page")
        st.error(t("classify.unexpected"))
