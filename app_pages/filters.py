"""Filters: the same network's kernels before and after training, and what its conv layers see."""

import streamlit as st

from core.services import run_store
from ui import filters_view as view
from ui.classroom import plain
from ui.i18n import t
from ui.state import is_default, selected_run

run = selected_run()
info = run_store.read_run(run)
st.title(t("filters.title"))
st.write(t("filters.intro"))
st.caption(t("filters.run", name=t("filters.default_run") if is_default(run) else plain(info.name)))
snaps = view.load_snapshots(run)  # stops with a sentence when the run has no usable snapshots

# --- Choices ---------------------------------------------------------------------
layer, epoch, scale = view.choices(run, snaps, info.result.get("best_epoch"))
kernels = view.layer_kernels(run, snaps, layer, epoch, scale)

# --- Kernel grids ------------------------------------------------------------------
st.header(t("filters.kernels_title", layer=layer))
view.kernel_grids(run, kernels)

# --- One kernel, enlarged ---------------------------------------------------------------
st.subheader(t("filters.zoom_title"))
view.kernel_zoom(run, kernels)

# --- Statistics and histogram ------------------------------------------------------------
st.header(t("filters.stats_title", layer=layer))
view.weight_statistics(kernels)

# --- Feature maps --------------------------------------------------------------------------
st.header(t("filters.maps_title"))
st.write(t("filters.maps_intro"))
image, caption = view.maps_image()  # stops with a note when there is no picture to look through
view.feature_maps(run, snaps.cfg, image, caption)
st.caption(t("filters.maps_caption"))
