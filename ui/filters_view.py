"""The Filters page's view: the run's kernel snapshots and feature maps, cached, and the widgets and charts.

The page script (`app_pages/filters.py`) calls these in lesson order. The numbers
come from `core.analysis.inspection`, the figures from `core.charts.kernels`;
here they are only read, cached, chosen and laid out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from core.analysis import inspection
from core.charts import kernels as charts
from core.lesson import data
from core.lesson.config import RunConfig
from core.services.run_store import Run
from ui.i18n import choice, language, t
from ui.state import last_input, load_model, load_splits, untrained_twin

CHART_CONFIG = {"displayModeBar": False}  # the toolbar would cover the kernel numbers


# ---------------------------------------------------------------- caches


@st.cache_data(show_spinner=False, max_entries=64)
def _snapshot(run_path: str, epoch: int, version: float) -> dict[str, np.ndarray]:
    return Run(run_path).kernels(epoch)


def snapshot(run: Run, epoch: int) -> dict[str, np.ndarray]:
    """One kernel snapshot, read once per file version."""
    return _snapshot(str(run.path), epoch, run.kernels_version(epoch))


@st.cache_resource(show_spinner=False, max_entries=8)
def _trained_extractor(run_path: str, version: float):
    return inspection.activation_model(load_model(Run(run_path)))


@st.cache_resource(show_spinner=False, max_entries=8)
def _untrained_extractor(run_path: str, version: float, cfg_json: str):
    return inspection.activation_model(untrained_twin(Run(run_path)))


@st.cache_data(show_spinner=False, max_entries=64)
def _maps(run_path: str, ckpt: float, init: float, cfg_json: str, image: np.ndarray) -> tuple[dict, dict]:
    trained = inspection.feature_maps(_trained_extractor(run_path, ckpt), image)
    untrained = inspection.feature_maps(_untrained_extractor(run_path, init, cfg_json), image)
    return untrained, trained


def maps(run: Run, cfg: RunConfig, image: np.ndarray) -> tuple[dict, dict]:
    """Feature maps of every conv layer, `(untrained, trained)`, computed once per run and picture."""
    ckpt, init = run.checkpoint_version(), run.kernels_version(0)
    return _maps(str(run.path), ckpt, init, cfg.to_json(), np.asarray(image, dtype=np.float32))


# ---------------------------------------------------------------- small helpers


def grid_labels() -> dict[str, str]:
    """The chart builders take their words from the page, so the charts speak the student's language."""
    keys = ("weight", "filter", "row", "col", "activation", "map", "count")
    return {key: t(f"filters.chart_{key}") for key in keys}


def side_titles(epoch: int) -> tuple[str, str]:
    """`(untrained, trained)` column titles: every comparison on the page names its two sides the same way."""
    return t("filters.untrained"), t("filters.trained", epoch=epoch)


def valid_drawing(value) -> np.ndarray | None:
    """The Classify page's last picture when it is a usable 28x28 array, else None."""
    try:
        array = np.asarray(value, dtype=np.float32).reshape(28, 28)
    except (TypeError, ValueError):
        return None
    return array if np.isfinite(array).all() else None


def pick_clicked_kernel(chart_key: str, kernel_key: str) -> None:
    """A click on a kernel of a grid chooses it for the enlarged view below."""
    try:
        custom = st.session_state[chart_key].selection.points[0]["customdata"]
        # numpy customdata reaches the browser as binary and comes back as {"0": number, "1": row, ...}
        number = int(custom["0"] if isinstance(custom, dict) else custom[0])
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return  # a click on empty space or on a number label: keep the current kernel
    if number > 0:
        st.session_state[kernel_key] = number


def random_test_image(count: int) -> None:
    """The dice button's callback: any test image, so students do not all look at image 0."""
    st.session_state.filters_image = int(np.random.default_rng().integers(count))


def kernel_key(run: Run, layer: str) -> str:
    """The chosen kernel is remembered per run and layer: the grids' clicks and the zoom's selectbox share it."""
    return f"filters_kernel_{run.id}_{layer}"


# ---------------------------------------------------------------- the run's snapshots and the student's choices


@dataclass(frozen=True)
class Snapshots:
    """What the page needs from the run folder before it can draw anything."""

    cfg: RunConfig
    first: dict[str, np.ndarray]  # the kernels before training (epoch 0)
    trained_epochs: list[int]


def load_snapshots(run: Run) -> Snapshots:
    """The run's config and kernel snapshots; stops the page with a sentence when they are damaged or missing."""
    try:
        cfg = run.config()
        epochs = run.kernel_epochs()
        first = snapshot(run, 0) if 0 in epochs else None
    except Exception:  # a damaged run folder is explained, never a traceback
        st.error(t("filters.damaged"))
        st.stop()
    trained_epochs = [e for e in epochs if e > 0]
    if first is None or not trained_epochs:
        st.warning(t("filters.no_snapshots"))
        st.stop()
    return Snapshots(cfg, first, trained_epochs)


def choices(run: Run, snaps: Snapshots, best_epoch: int | None) -> tuple[str, int, str]:
    """Layer, epoch and colour scale side by side: `(layer, epoch, scale)`; the epoch starts at the run's best."""
    first, trained_epochs = snaps.first, snaps.trained_epochs
    c1, c2, c3 = st.columns([2, 3, 2])
    layer = c1.selectbox(
        t("filters.layer"),
        inspection.conv_layers(first),
        key=f"filters_layer_{run.id}",
        format_func=lambda n: t("filters.layer_option", name=n, filters=first[f"{n}.kernel"].shape[3]),
    )
    with c2:
        if len(trained_epochs) > 1:
            epoch = st.select_slider(
                t("filters.epoch"),
                trained_epochs,
                value=best_epoch if best_epoch in trained_epochs else trained_epochs[-1],
                key=f"filters_epoch_{run.id}",
                help=t("filters.epoch_help"),
            )
        else:
            epoch = trained_epochs[0]
            st.caption(t("filters.one_epoch"))
    scale = choice("filters.scale", ("lesson", "fit"), "filters.scale_", key="filters_scale", where=c3)
    return layer, epoch, scale


def channel_choice(run: Run, layer: str, channels: int) -> int:
    """The input channel whose kernel slices are shown (0-based); asked only when the layer has more than one."""
    if channels <= 1:
        return 0
    number = st.number_input(
        t("filters.channel", count=channels),
        min_value=1,
        max_value=channels,
        value=1,
        key=f"filters_channel_{run.id}_{layer}",
        help=t("filters.channel_help"),
    )
    return number - 1


# ---------------------------------------------------------------- one layer's kernels


@dataclass(frozen=True)
class LayerKernels:
    """One layer's weights before and after training, and the 2-D slices the charts draw, on one colour scale."""

    layer: str
    epoch: int
    channel: int  # 0-based
    k_before: np.ndarray
    b_before: np.ndarray
    k_after: np.ndarray
    b_after: np.ndarray
    before_slices: np.ndarray
    after_slices: np.ndarray
    limits: tuple[float, float]


def layer_kernels(run: Run, snaps: Snapshots, layer: str, epoch: int, scale: str) -> LayerKernels:
    """Read the chosen epoch's weights of `layer` (stopping with a sentence if the snapshot is damaged),
    ask for the input channel, and slice both sides on the lesson's or a shared fitted scale."""
    try:
        after = snapshot(run, epoch)
        k_before, b_before = inspection.layer_weights(snaps.first, layer)
        k_after, b_after = inspection.layer_weights(after, layer)
    except Exception:
        st.error(t("filters.damaged"))
        st.stop()
    channel = channel_choice(run, layer, k_after.shape[2])
    before_slices = inspection.kernel_slices(k_before, channel)
    after_slices = inspection.kernel_slices(k_after, channel)
    if scale == "lesson":
        limits = inspection.LESSON_KERNEL_LIMITS
    else:
        limits = inspection.shared_limits(before_slices, after_slices)
    return LayerKernels(
        layer, epoch, channel, k_before, b_before, k_after, b_after, before_slices, after_slices, limits
    )


def kernel_grids(run: Run, lk: LayerKernels) -> None:
    """Untrained and trained kernels side by side; a click on one picks it for the enlarged view below."""
    n_filters, k = lk.after_slices.shape[0], lk.after_slices.shape[1]
    rows, cols = inspection.grid_shape(n_filters)
    chosen = kernel_key(run, lk.layer)
    st.session_state.setdefault(chosen, 1)
    st.session_state[chosen] = min(st.session_state[chosen], n_filters)
    labels = grid_labels()
    left, right = st.columns(2)
    untrained, trained = side_titles(lk.epoch)
    for column, title, slices, key in (
        (left, untrained, lk.before_slices, "kernels_before"),
        (right, trained, lk.after_slices, "kernels_after"),
    ):
        with column:
            st.subheader(title)
            st.plotly_chart(
                charts.kernel_grid(slices, lk.limits, labels),
                key=key,
                on_select=partial(pick_clicked_kernel, key, chosen),
                selection_mode="points",
                config=CHART_CONFIG,
            )
    st.caption(
        t(
            "filters.kernels_caption",
            n=n_filters,
            k=k,
            rows=rows,
            cols=cols,
            channel=lk.channel + 1,
            vmin=lk.limits[0],
            vmax=lk.limits[1],
        )
    )


def kernel_zoom(run: Run, lk: LayerKernels) -> None:
    """One kernel before and after training, large enough to read its numbers."""
    n_filters = lk.after_slices.shape[0]
    number = st.selectbox(
        t("filters.kernel_pick"), range(1, n_filters + 1), key=kernel_key(run, lk.layer), help=t("filters.kernel_help")
    )
    st.plotly_chart(
        charts.kernel_pair(
            lk.before_slices[number - 1],
            lk.after_slices[number - 1],
            lk.limits,
            side_titles(lk.epoch),
            grid_labels()["weight"],
        ),
        key="kernel_zoom",
        config=CHART_CONFIG,
    )
    st.caption(t("filters.zoom_caption", number=number, layer=lk.layer, channel=lk.channel + 1))


def _stats_column(stats: inspection.WeightStats) -> list[str]:
    """One side of the statistics table, in the order of its row names."""
    numbers = [f"{value:.4f}" for value in (stats.mean, stats.std, stats.min, stats.max)]
    return [*numbers, str(stats.kernel_shape), str(stats.bias_shape)]


def weight_statistics(lk: LayerKernels) -> None:
    """A table of the weights' statistics and a histogram of both sides: training spreads the weights out."""
    s_before = inspection.weight_stats(lk.k_before, lk.b_before)
    s_after = inspection.weight_stats(lk.k_after, lk.b_after)
    untrained, trained = side_titles(lk.epoch)
    left, right = st.columns([2, 3])
    with left:
        st.dataframe(
            pd.DataFrame(
                {
                    t("filters.stat"): [
                        t(f"filters.stat_{s}") for s in ("mean", "std", "min", "max", "kernel", "bias")
                    ],
                    untrained: _stats_column(s_before),
                    trained: _stats_column(s_after),
                }
            ),
            hide_index=True,
        )
        st.caption(t("filters.stats_caption", kernel=str(s_after.kernel_shape), bias=str(s_after.bias_shape)))
    with right:
        edges, counts = inspection.shared_histogram(lk.k_before, lk.k_after)
        st.plotly_chart(
            charts.weight_histogram(edges, counts, (untrained, trained), grid_labels()),
            key="weight_hist",
        )
        st.caption(t("filters.hist_caption", std_before=s_before.std, std_after=s_after.std))


# ---------------------------------------------------------------- feature maps


def maps_image() -> tuple[np.ndarray, str]:
    """The picture to look through, `(image, caption)`: a test image or the Classify page's last input.

    Stops the page with a note when there is neither (no dataset, nothing classified yet).
    """
    drawing = valid_drawing(last_input())
    splits = load_splits()
    has_test = not isinstance(splits, data.DatasetError)
    sources = (["test"] if has_test else []) + (["drawing"] if drawing is not None else [])
    if not sources:
        st.info(t("filters.maps_no_image"))
        st.stop()
    source = choice("filters.maps_source", sources, "filters.maps_source_", key="filters_source")
    if source == "test":
        return pick_test_image(splits)
    return drawing, t("filters.maps_drawing_caption")


def pick_test_image(splits: data.Splits) -> tuple[np.ndarray, str]:
    """A test image by number or by dice, `(image, caption)`; the number stays valid when the data set shrinks."""
    count = len(splits.x_test)
    st.session_state.setdefault("filters_image", 0)
    st.session_state.filters_image = min(st.session_state.filters_image, count - 1)
    pick, shuffle = st.columns([3, 1], vertical_alignment="bottom")
    index = pick.number_input(t("filters.maps_index", count=count - 1), 0, count - 1, key="filters_image")
    shuffle.button(t("filters.maps_random"), icon="🎲", on_click=random_test_image, args=(count,))
    names = data.class_names(language())
    caption = t("filters.maps_test_caption", index=index, name=names[int(splits.y_test[index])])
    return splits.x_test[index, :, :, 0], caption


def feature_maps(run: Run, cfg: RunConfig, image: np.ndarray, caption: str) -> None:
    """The picture, then what each conv layer of the untrained and the trained network makes of it."""
    st.image(np.clip(image, 0, 1), caption=caption, width=140)
    try:
        untrained_maps, trained_maps = maps(run, cfg, image)
    except Exception:
        st.error(t("filters.maps_failed"))
        st.stop()
    labels = grid_labels()
    for name, after_maps in trained_maps.items():
        before_maps = untrained_maps[name]
        h, w, c = after_maps.shape
        st.subheader(t("filters.maps_layer", layer=name, count=c, h=h, w=w))
        left, right = st.columns(2)
        for column, title, values, key in (
            (left, t("filters.untrained"), before_maps, f"maps_before_{name}"),
            (right, t("filters.trained_best"), after_maps, f"maps_after_{name}"),
        ):
            with column:
                st.markdown(f"**{title}**")
                st.plotly_chart(
                    charts.feature_map_grid(values, float(values.max()), labels), key=key, config=CHART_CONFIG
                )
