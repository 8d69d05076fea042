"""Classify: draw, upload, photograph or pick a piece of clothing; see what the model sees and why it decides."""

import streamlit as st

from ui import classify_answer
from ui import classify_view as view
from ui.i18n import language, t
from ui.state import selected_run

lang = language()
st.title(t("classify.title"))
st.write(t("classify.intro"))

run = selected_run()
st.caption(t("classify.model_in_use", name=view.model_name(run)))

# --- The picture: four ways to give one, and a game -------------------------------
tabs, active = view.source_tabs()
picked = view.pick_input(tabs, active, lang)  # also on the game's tab, so a drawing or an upload is kept
if active == view.GAME:
    view.guess_game(tabs)
    st.stop()
run, for_drawings = view.answering_run(run, active)
if for_drawings:
    st.info(t("classify.draw_model", name=view.model_name(run)))

# --- What the model says, and why ----------------------------------------------------
st.divider()
classify_answer.show_result(run, picked, active, lang)
