"""Evaluate: where the test accuracy goes (confusion matrix, mistakes), and runs compared, exported and tidied."""

import streamlit as st

from ui import evaluate_model, evaluate_runs
from ui.evaluate_view import friendly_errors
from ui.i18n import t
from ui.state import selected_run

st.title(t("evaluate.title"))
st.caption(t("evaluate.intro"))
tab_model, tab_runs = st.tabs([t("evaluate.tab_model"), t("evaluate.tab_runs")])

# --- One model: its scores, where its mistakes fall, and which ones it was surest of ----------
with tab_model, friendly_errors("the Evaluate page failed"):
    # test-time flips: each image answered as itself and mirrored, the two answers averaged (a setting, not hidden)
    flips = st.toggle(t("evaluate.flips"), key="eval_flips", help=t("evaluate.flips_help"))
    model = evaluate_model.evaluated(selected_run(), flips)  # None after a sentence saying why there is nothing to show
    if model is not None:
        evaluate_model.scores(model)

        st.subheader(t("evaluate.cm_title"))
        st.caption(t("evaluate.cm_help"))
        cm, pairs = evaluate_model.confusion_chart(model)
        evaluate_model.cell_images(model)

        st.subheader(t("evaluate.classes_title"))
        st.caption(t("evaluate.classes_help"))
        evaluate_model.class_scores(model, cm, pairs)

        st.subheader(t("evaluate.mistakes_title"))
        st.caption(t("evaluate.mistakes_help"))
        evaluate_model.mistakes(model)

# --- Runs: what each change added, runs compared, the class leaderboard, one run managed ------
with tab_runs, friendly_errors("the Runs tab failed"):
    runs = evaluate_runs.run_list()  # damaged runs explained first, then "mine or the class"
    evaluate_runs.steps_section()

    st.subheader(t("evaluate.compare_title"))
    evaluate_runs.compare_runs(runs)

    st.subheader(t("evaluate.board_title"))
    evaluate_runs.leaderboard(runs.healthy)

    st.subheader(t("evaluate.manage_title"))
    evaluate_runs.manage(runs)
