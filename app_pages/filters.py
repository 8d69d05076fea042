"""Filters: the same network's kernels before and after training, and what its conv layers see."""

from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from core.analysis import inspection
from core.charts import kernels as charts
from core.lesson import data
from core.lesson.config import RunConfig
from core.services import run_store
from core.services.run_store import Run
from ui.i18n import language, t
from ui.state import is_default, last_input, load_model, load_splits, selected_run, untrained_twin

CHART_CONFIG = {"displayModeBar": False}  # the toolbar would cover the kernel numbers


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


def grid_labels() -> dict[str, str]:
    keys = ("weight", "filter", "row", "col", "activation", "map", "count")
    return {key: t(f"filters.chart_{key}") for key in keys}


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
    st.session_state.filters_image = int(np.random.default_rng().integers(count))


run = selected_run()
info = run_store.read_run(run)
st.title(t("filters.title"))
st.write(t("filters.intro"))
name = t("filters.default_run") if is_default(run) else info.name
st.caption(t("filters.run", name=name))

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

# --- Choices ---------------------------------------------------------------------
best = info.result.get("best_epoch")
default_epoch = best if best in trained_epochs else trained_epochs[-1]
c1, c2, c3 = st.columns([2, 3, 2])
layers = inspection.conv_layers(first)
layer = c1.selectbox(
    t("filters.layer"),
    layers,
    key=f"filters_layer_{run.id}",
    format_func=lambda n: t("filters.layer_option", name=n, filters=first[f"{n}.kernel"].shape[3]),
)
with c2:
    if len(trained_epochs) > 1:
        epoch = st.select_slider(
            t("filters.epoch"),
            trained_epochs,
            value=default_epoch,
            key=f"filters_epoch_{run.id}",
            help=t("filters.epoch_help"),
        )
    else:
        epoch = trained_epochs[0]
        st.caption(t("filters.one_epoch"))
scale = c3.radio(
    t("filters.scale"),
    ("lesson", "fit"),
    format_func=lambda s: t(f"filters.scale_{s}"),
    key="filters_scale",
    horizontal=True,
)
try:
    after = snapshot(run, epoch)
    k_before, b_before = inspection.layer_weights(first, layer)
    k_after, b_after = inspection.layer_weights(after, layer)
except Exception:
    st.error(t("filters.damaged"))
    st.stop()

channel = 0
if k_after.shape[2] > 1:
    channel = (
        st.number_input(
            t("filters.channel", count=k_after.shape[2]),
            min_value=1,
            max_value=k_after.shape[2],
            value=1,
            key=f"filters_channel_{run.id}_{layer}",
            help=t("filters.channel_help"),
        )
        - 1
    )
before_slices = inspection.kernel_slices(k_before, channel)
after_slices = inspection.kernel_slices(k_after, channel)
limits = inspection.LESSON_KERNEL_LIMITS if scale == "lesson" else inspection.shared_limits(before_slices, after_slices)
labels = grid_labels()
n_filters, k = after_slices.shape[0], after_slices.shape[1]
rows, cols = inspection.grid_shape(n_filters)

# --- Kernel grids ------------------------------------------------------------------
kernel_key = f"filters_kernel_{run.id}_{layer}"
st.session_state.setdefault(kernel_key, 1)
st.session_state[kernel_key] = min(st.session_state[kernel_key], n_filters)
st.header(t("filters.kernels_title", layer=layer))
left, right = st.columns(2)
for column, title, slices, key in (
    (left, t("filters.untrained"), before_slices, "kernels_before"),
    (right, t("filters.trained", epoch=epoch), after_slices, "kernels_after"),
):
    with column:
        st.subheader(title)
        st.plotly_chart(
            charts.kernel_grid(slices, limits, labels),
            key=key,
            on_select=partial(pick_clicked_kernel, key, kernel_key),
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
        channel=channel + 1,
        vmin=limits[0],
        vmax=limits[1],
    )
)

# --- One kernel, enlarged ---------------------------------------------------------------
st.subheader(t("filters.zoom_title"))
number = st.selectbox(t("filters.kernel_pick"), range(1, n_filters + 1), key=kernel_key, help=t("filters.kernel_help"))
st.plotly_chart(
    charts.kernel_pair(
        before_slices[number - 1],
        after_slices[number - 1],
        limits,
        (t("filters.untrained"), t("filters.trained", epoch=epoch)),
        labels["weight"],
    ),
    key="kernel_zoom",
    config=CHART_CONFIG,
)
st.caption(t("filters.zoom_caption", number=number, layer=layer, channel=channel + 1))

# --- Statistics and histogram ------------------------------------------------------------
st.header(t("filters.stats_title", layer=layer))
s_before, s_after = inspection.weight_stats(k_before, b_before), inspection.weight_stats(k_after, b_after)
left, right = st.columns([2, 3])
with left:
    st.dataframe(
        pd.DataFrame(
            {
                t("filters.stat"): [t(f"filters.stat_{s}") for s in ("mean", "std", "min", "max", "kernel", "bias")],
                t("filters.untrained"): [
                    f"{s_before.mean:.4f}",
                    f"{s_before.std:.4f}",
                    f"{s_before.min:.4f}",
                    f"{s_before.max:.4f}",
                    str(s_before.kernel_shape),
                    str(s_before.bias_shape),
                ],
                t("filters.trained", epoch=epoch): [
                    f"{s_after.mean:.4f}",
                    f"{s_after.std:.4f}",
                    f"{s_after.min:.4f}",
                    f"{s_after.max:.4f}",
                    str(s_after.kernel_shape),
                    str(s_after.bias_shape),
                ],
            }
        ),
        hide_index=True,
    )
    st.caption(t("filters.stats_caption", kernel=str(s_after.kernel_shape), bias=str(s_after.bias_shape)))
with right:
    edges, counts = inspection.shared_histogram(k_before, k_after)
    st.plotly_chart(
        charts.weight_histogram(edges, counts, (t("filters.untrained"), t("filters.trained", epoch=epoch)), labels),
        key="weight_hist",
    )
    st.caption(t("filters.hist_caption", std_before=s_before.std, std_after=s_after.std))

# --- Feature maps --------------------------------------------------------------------------
st.header(t("filters.maps_title"))
st.write(t("filters.maps_intro"))
drawing = valid_drawing(last_input())
splits = load_splits()
sources = (["test"] if not isinstance(splits, data.DatasetError) else []) + (["drawing"] if drawing is not None else [])
if not sources:
    st.info(t("filters.maps_no_image"))
    st.stop()
source = st.radio(
    t("filters.maps_source"),
    sources,
    format_func=lambda s: t(f"filters.maps_source_{s}"),
    key="filters_source",
    horizontal=True,
)
if source == "test":
    count = len(splits.x_test)
    st.session_state.setdefault("filters_image", 0)
    st.session_state.filters_image = min(st.session_state.filters_image, count - 1)
    pick, shuffle = st.columns([3, 1], vertical_alignment="bottom")
    index = pick.number_input(t("filters.maps_index", count=count - 1), 0, count - 1, key="filters_image")
    shuffle.button(t("filters.maps_random"), icon="🎲", on_click=random_test_image, args=(count,))
    image = splits.x_test[index, :, :, 0]
    names = data.class_names(language())
    caption = t("filters.maps_test_caption", index=index, name=names[int(splits.y_test[index])])
else:
    image, caption = drawing, t("filters.maps_drawing_caption")

st.image(np.clip(image, 0, 1), caption=caption, width=140)
try:
    untrained_maps, trained_maps = maps(run, cfg, image)
except Exception:
    st.error(t("filters.maps_failed"))
    st.stop()
for name_, after_maps in trained_maps.items():
    before_maps = untrained_maps[name_]
    h, w, c = after_maps.shape
    st.subheader(t("filters.maps_layer", layer=name_, count=c, h=h, w=w))
    left, right = st.columns(2)
    for column, title, values, key in (
        (left, t("filters.untrained"), before_maps, f"maps_before_{name_}"),
        (right, t("filters.trained_best"), after_maps, f"maps_after_{name_}"),
    ):
        with column:
            st.markdown(f"**{title}**")
            st.plotly_chart(charts.feature_map_grid(values, float(values.max()), labels), key=key, config=CHART_CONFIG)
st.caption(t("filters.maps_caption"))
