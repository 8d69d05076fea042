"""Data: sample images per class, class balance, mean images, pixel values, array shapes."""

import numpy as np
import streamlit as st

from core.analysis import inspection
from core.charts import data as charts
from core.lesson import augment, data, drawing_style, sketches
from ui.i18n import language, t, t_error
from ui.state import load_splits

SPLITS = ("train", "val", "test")
PER_CLASS = 10
AUGMENTED = 8
DRAWINGS_SHOWN = 8


def arrays(splits: data.Splits, split: str) -> tuple[np.ndarray, np.ndarray]:
    return {
        "train": (splits.x_train, splits.y_train),
        "val": (splits.x_val, splits.y_val),
        "test": (splits.x_test, splits.y_test),
    }[split]


@st.cache_data(show_spinner=False, max_entries=8)
def split_summary(source: str, split: str) -> dict:
    """Counts, mean images and pixel histogram of one split; keyed by dataset folder, computed once."""
    x, y = arrays(load_splits(), split)
    levels, counts = inspection.pixel_histograms(x)
    return {
        "class_counts": inspection.class_counts(y),
        "means": inspection.class_mean_images(x, y),
        "levels": levels,
        "pixel_counts": counts,
        "x_shape": x.shape,
        "y_shape": y.shape,
        "dtype": str(x.dtype),
        "range": (float(x.min()), float(x.max())),
    }


@st.cache_data(show_spinner=False, max_entries=32)
def sample_rows(source: str, split: str, seed: int) -> list[np.ndarray]:
    """One montage picture per class, `PER_CLASS` random images side by side."""
    x, y = arrays(load_splits(), split)
    return [inspection.montage(x[idx], cols=PER_CLASS) for idx in inspection.sample_indices(y, PER_CLASS, seed)]


@st.cache_data(show_spinner=False, max_entries=32)
def augmented(source: str, index: int, level: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One training image and `AUGMENTED` random versions of it, by the fit loop's own transform."""
    image = load_splits().x_train[index, :, :, 0]
    return image, augment.augment_batch(np.repeat(image[None], AUGMENTED, axis=0), level, seed)


@st.cache_data(show_spinner=False, max_entries=32)
def drawn(source: str, index: int, seed: int) -> np.ndarray:
    """`AUGMENTED` drawing-style versions of one training image, by the fit loop's own map."""
    return drawing_style.styled_versions(load_splits().x_train[index, :, :, 0], AUGMENTED, seed)


@st.cache_data(show_spinner=False, max_entries=8)
def training_drawing_rows(seed: int) -> list[np.ndarray]:
    """Per class, `DRAWINGS_SHOWN` of the drawings the Training drawings setting adds, side by side."""
    images, labels = sketches.load()
    picks = inspection.sample_indices(labels, DRAWINGS_SHOWN, seed)
    return [inspection.montage(images[idx], cols=DRAWINGS_SHOWN) for idx in picks]


def shuffle() -> None:
    st.session_state.data_seed = int(np.random.default_rng().integers(2**31))


st.title(t("data.title"))
st.write(t("data.intro"))

splits = load_splits()
if isinstance(splits, data.DatasetError):
    st.error(t("data.missing"))
    st.code(t_error(splits), language=None, wrap_lines=True)
    st.stop()

split = st.segmented_control(
    t("data.split"), SPLITS, default="train", format_func=lambda s: t(f"data.split_{s}"), key="data_split"
)
split = split or "train"
summary = split_summary(splits.source, split)
names_en, names_ko = data.CLASS_NAMES_EN, data.CLASS_NAMES_KO
names = list(data.class_names(language()))

# --- Samples -------------------------------------------------------------------
st.header(t("data.samples_title"))
st.caption(t("data.samples_caption", n=PER_CLASS, split=t(f"data.split_{split}")))
st.session_state.setdefault("data_seed", 0)
st.button(t("data.shuffle"), icon="🔀", on_click=shuffle)
try:
    rows = sample_rows(splits.source, split, st.session_state.data_seed)
    for label, picture in enumerate(rows):
        left, right = st.columns([1, 5], vertical_alignment="center")
        left.markdown(f"**{label}** · {names_en[label]}  \n{names_ko[label]}")
        right.image(picture, caption=t("data.sample_caption", label=label, en=names_en[label], ko=names_ko[label]))
except Exception:  # a drawing problem must not hide the rest of the page
    st.warning(t("data.samples_failed"))

# --- Class balance ---------------------------------------------------------------
st.header(t("data.balance_title"))
counts = {t(f"data.split_{s}"): split_summary(splits.source, s)["class_counts"] for s in SPLITS}
st.plotly_chart(
    charts.class_balance(
        counts, names, {"share": t("data.chart_share"), "count": t("data.chart_count"), "class": t("data.chart_class")}
    ),
    key="balance_chart",
)
st.caption(t("data.balance_caption"))

# --- Mean images -------------------------------------------------------------------
st.header(t("data.means_title"))
st.plotly_chart(charts.mean_images(summary["means"], names, t("data.chart_pixel")), key="means_chart")
st.caption(t("data.means_caption", split=t(f"data.split_{split}")))

# --- Pixel values --------------------------------------------------------------------
st.header(t("data.pixels_title"))
log_y = st.toggle(t("data.log_scale"), value=True, key="data_log")
labels = {
    "before": t("data.hist_before"),
    "after": t("data.hist_after"),
    "value": t("data.chart_value"),
    "pixels": t("data.chart_pixels"),
}
st.plotly_chart(charts.pixel_histograms(summary["levels"], summary["pixel_counts"], labels, log_y), key="pixels_chart")
zero_share = 100 * summary["pixel_counts"][0] / max(int(summary["pixel_counts"].sum()), 1)
st.caption(t("data.pixels_caption", zero=zero_share))

# --- Shapes ----------------------------------------------------------------------------
st.header(t("data.shapes_title"))
prefix = {"train": "train", "val": "val", "test": "test"}[split]
low, high = summary["range"]
st.code(
    f"print({prefix}_scaled.shape, {prefix}_target.shape)\n"
    f"{tuple(summary['x_shape'])} {tuple(summary['y_shape'])}\n\n"
    f"print({prefix}_scaled.dtype, {prefix}_scaled.min(), {prefix}_scaled.max())\n"
    f"{summary['dtype']} {low:g} {high:g}",
    language="python",
)
st.write(t("data.shapes_explain", n=summary["x_shape"][0]))

# --- Augmentation --------------------------------------------------------------------
st.header(t("data.augment_title"))
st.caption(t("data.augment_caption"))
form_level = st.session_state.get("cfg_augmentation")
level = (
    st.segmented_control(
        t("data.augment_level"),
        tuple(augment.LEVELS),
        default=form_level if form_level in augment.LEVELS else "medium",
        format_func=lambda name: t(f"train.augmentation_{name}"),
        key="data_augment_level",
    )
    or "medium"
)
spec = augment.LEVELS[level]
st.session_state.setdefault("data_augment_seed", 0)
st.button(
    t("data.augment_again"),
    key="data_augment_again",
    icon="🎲",
    on_click=lambda: st.session_state.update(data_augment_seed=st.session_state.data_augment_seed + 1),
)
try:
    draw = st.session_state.data_augment_seed
    index = int(np.random.default_rng(draw).integers(len(splits.x_train)))
    original, versions = augmented(splits.source, index, level, draw)
    titles = [t("data.augment_original", label=names[int(splits.y_train[index])])]
    titles += [t("data.augment_version", n=i) for i in range(1, AUGMENTED + 1)]
    st.plotly_chart(charts.augmented_versions(original, versions, titles), key="augment_chart")
    st.caption(
        t(
            "data.augment_level_caption",
            flip=t("data.augment_yes") if spec.flip else t("data.augment_no"),
            shift=round(spec.shift * 28, 1),
            rotation=spec.rotation,
            zoom=round(spec.zoom * 100),
        )
    )
except Exception:  # a drawing problem must not hide the rest of the page
    st.warning(t("data.samples_failed"))

# --- Drawing-style images -------------------------------------------------------------
st.header(t("data.drawing_title"))
st.caption(t("data.drawing_caption"))
try:
    styled = drawn(splits.source, index, draw)
    titles = [t("data.augment_original", label=names[int(splits.y_train[index])])]
    titles += [t("data.drawing_version", n=i) for i in range(1, AUGMENTED + 1)]
    st.plotly_chart(charts.augmented_versions(original, styled, titles), key="drawing_chart")
except Exception:  # as above: the rest of the page stays
    st.warning(t("data.samples_failed"))

# --- Drawings among the training images ------------------------------------------------
st.header(t("data.training_drawings_title"))
st.caption(t("data.training_drawings_caption", count=f"{sketches.COUNT:,}"))
try:
    for label, picture in enumerate(training_drawing_rows(draw)):
        left, right = st.columns([1, 5], vertical_alignment="center")
        left.markdown(f"**{label}** · {names_en[label]}  \n{names_ko[label]}")
        right.image(picture)
except Exception:  # as above: the rest of the page stays
    st.warning(t("data.samples_failed"))
