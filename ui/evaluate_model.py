"""The Evaluate page's first tab, one model: its scores, its confusion matrix, the images of a cell, its mistakes.

The page script (`app_pages/evaluate.py`) calls these in lesson order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.analysis import evaluation, inference
from core.charts.evaluate import cell_from_selection, class_metrics_figure, confusion_figure
from core.lesson import data
from core.lesson.config import RunConfig
from core.services import run_store
from core.services.run_store import Run
from ui.classroom import plain
from ui.evaluate_view import chart_labels, percent_column, run_name
from ui.i18n import choice, language, t
from ui.pictures import as_uint8, enlarge
from ui.state import load_model, load_splits

CELL_IMAGES = 24  # images shown for one confusion-matrix cell
MISTAKES = 16  # most confidently wrong images shown
ZOOM = 4  # 28 px -> 112 px by repeating pixels: crisp, not blurred
log = logging.getLogger(__name__)


@st.cache_data(show_spinner=False, max_entries=32)
def run_evaluation(
    run_path: str, checkpoint_version: float, val_fraction: float, seed: int, source: str, flips: bool = False
):
    """The run's evaluation: read from its folder, else computed and stored there.

    Cached per process by value (run, checkpoint version, split, data source), so
    a read-only run such as the shipped one is computed once per server.
    """
    splits = load_splits(val_fraction, seed)
    run = Run(run_path)
    return evaluation.evaluate_run(
        run, lambda: load_model(run), splits.x_val, splits.y_val, splits.x_test, splits.y_test, flips
    )


def picture(x: np.ndarray, index: int) -> np.ndarray:
    """One test image, enlarged by repeating pixels so students see what the model saw."""
    return as_uint8(enlarge(x[index, :, :, 0], 28 * ZOOM))


def show_pictures(x: np.ndarray, indices, captions: list[str]) -> None:
    """A row of enlarged test images with their captions (nothing when there are none)."""
    if len(indices):
        st.image([picture(x, i) for i in indices], caption=captions, width=28 * ZOOM)


def probability_caption(probs_row: np.ndarray, names) -> str:
    """The model's two likeliest classes, so a mistake shows what it hesitated between."""
    return " · ".join(f"{names[c]} {p:.0%}" for c, p in inference.top_k(probs_row, 2))


@dataclass(frozen=True)
class Evaluated:
    """One run's evaluation and what every section of the tab reads from it."""

    info: run_store.RunInfo
    ev: evaluation.Evaluation
    splits: data.Splits
    names: list[str]


def evaluated(run: Run, flips: bool = False) -> Evaluated | None:
    """The run's heading and evaluation; None after a sentence saying why there is none (no data, no model, failure)."""
    info = run_store.read_run(run)
    st.markdown(t("evaluate.model_heading", name=plain(run_name(info))))
    cfg = info.config or RunConfig()
    splits = load_splits(cfg.train.val_fraction, cfg.train.seed)
    if isinstance(splits, data.DatasetError):
        st.warning(t("evaluate.no_data"))
        return None
    if not run.has_checkpoint():
        st.info(t("evaluate.no_checkpoint"))
        return None
    try:
        with st.spinner(t("evaluate.computing")):
            ev = run_evaluation(
                str(run.path), run.checkpoint_version(), cfg.train.val_fraction, cfg.train.seed, splits.source, flips
            )
    except Exception:  # a damaged checkpoint, memory, ...: explained, never shown as a traceback
        log.exception("evaluating %s failed", run.path)
        st.error(t("evaluate.failed"))
        return None
    return Evaluated(info, ev, splits, data.class_names(language()))


def scores(e: Evaluated) -> None:
    """Validation and test accuracy and loss, and how many test images are wrong."""
    ev = e.ev
    n_test, wrong = len(ev.y_test), int(np.sum(ev.test_pred != ev.y_test))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("evaluate.val_accuracy"), f"{ev.val_accuracy:.2%}")
    c2.metric(t("evaluate.val_loss"), f"{ev.val_loss:.4f}")
    c3.metric(t("evaluate.test_accuracy"), f"{ev.test_accuracy:.2%}")
    c4.metric(t("evaluate.test_loss"), f"{ev.test_loss:.4f}")
    st.write(t("evaluate.summary", wrong=wrong, total=n_test, share=wrong / max(n_test, 1)))
    if not ev.saved:
        st.caption(t("evaluate.not_saved"))
    if e.info.state in run_store.ACTIVE_STATES:
        st.caption(t("evaluate.still_training"))


def on_cell_click() -> None:
    """A click on the heatmap chooses the cell whose images are shown (runs before the rerun)."""
    cell = cell_from_selection((st.session_state.get("eval_cm") or {}).get("selection"))
    if cell is not None:
        st.session_state.eval_true, st.session_state.eval_pred = cell


def confusion_chart(e: Evaluated) -> tuple[np.ndarray, list[tuple]]:
    """The clickable confusion matrix, `(matrix, most confused pairs)`; the top pair is the first cell shown."""
    cm = e.ev.confusion()
    pairs = evaluation.most_confused_pairs(cm, top=5)
    if "eval_true" not in st.session_state:
        st.session_state.eval_true, st.session_state.eval_pred = pairs[0][:2] if pairs else (0, 0)
    view = choice("evaluate.cm_view", ["counts", "shares"], "evaluate.cm_", key="eval_cm_view")
    labels = chart_labels("true", "predicted", "images", "share")
    labels |= {"colorbar_count": t("evaluate.chart_count"), "colorbar_share": t("evaluate.chart_share_bar")}
    figure = confusion_figure(
        cm,
        e.names,
        labels,
        normalised=view == "shares",
        highlight=(st.session_state.eval_true, st.session_state.eval_pred),
    )
    st.plotly_chart(figure, key="eval_cm", on_select=on_cell_click, selection_mode="points", width="stretch")
    return cm, pairs


def cell_images(e: Evaluated) -> None:
    """The test images of one cell, true class by predicted class, chosen by a click or two selectboxes."""
    ev, names = e.ev, e.names
    left, right = st.columns(2)
    true_class = left.selectbox(
        t("evaluate.pick_true"), range(len(names)), format_func=names.__getitem__, key="eval_true"
    )
    pred_class = right.selectbox(
        t("evaluate.pick_pred"), range(len(names)), format_func=names.__getitem__, key="eval_pred"
    )
    indices = evaluation.cell_indices(ev.y_test, ev.test_pred, true_class, pred_class, ev.test_probs)
    key = "cell_correct" if true_class == pred_class else "cell_wrong"
    st.write(t(f"evaluate.{key}", n=len(indices), true=names[true_class], pred=names[pred_class]))
    shown = indices[:CELL_IMAGES]
    show_pictures(e.splits.x_test, shown, [probability_caption(ev.test_probs[i], names) for i in shown])
    if len(indices) > CELL_IMAGES:
        st.caption(t("evaluate.cell_more", shown=CELL_IMAGES, n=len(indices)))


def class_scores(e: Evaluated, cm: np.ndarray, pairs: list[tuple]) -> None:
    """Precision, recall and F1 per class as bars and a sortable table, then the mix-ups in words."""
    names, metrics = e.names, evaluation.per_class_metrics(cm)
    st.plotly_chart(
        class_metrics_figure(
            metrics.precision, metrics.recall, metrics.f1, names, chart_labels("precision", "recall", "f1", "score")
        ),
        key="eval_classes",
        width="stretch",
    )
    st.dataframe(
        [
            {"class": names[c], "support": int(metrics.support[c])}
            | {key: 100 * getattr(metrics, key)[c] for key in ("precision", "recall", "f1")}
            for c in range(len(names))
        ],
        hide_index=True,
        column_order=("class", "precision", "recall", "f1", "support"),
        column_config={
            "class": t("evaluate.col_class"),
            "precision": percent_column(t("evaluate.chart_precision")),
            "recall": percent_column(t("evaluate.chart_recall")),
            "f1": percent_column(t("evaluate.chart_f1")),
            "support": st.column_config.NumberColumn(t("evaluate.col_support")),
        },
        key="eval_class_table",
    )
    if pairs:
        st.markdown(t("evaluate.pairs_title"))
        for true_c, pred_c, share in pairs:
            st.markdown("- " + t("evaluate.pair_sentence", true=names[true_c], pred=names[pred_c], share=share))


def mistakes(e: Evaluated) -> None:
    """The test images the model was surest of and still got wrong."""
    ev, names, pred = e.ev, e.names, e.ev.test_pred
    wrong = evaluation.most_confident_mistakes(ev.test_probs, ev.y_test, top=MISTAKES)
    if not len(wrong):
        st.success(t("evaluate.no_mistakes"))
    captions = [
        t(
            "evaluate.mistake_caption",
            true=names[ev.y_test[i]],
            pred=names[pred[i]],
            p=float(ev.test_probs[i, pred[i]]),
        )
        for i in wrong
    ]
    show_pictures(e.splits.x_test, wrong, captions)
