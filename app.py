"""CNN Lab: the router. Page config, navigation over pages/, and the sidebar."""

import streamlit as st

from core import runs
from ui.i18n import LANGUAGES, language, t
from ui.state import freeze_gc_once_keras_is_loaded, owner_token, selected_run

st.set_page_config(page_title="CNN Lab", page_icon="🧥", layout="wide")

lang = language()
owner_token()

pages = [
    st.Page("pages/home.py", title=t("nav.home"), icon="🏠", url_path="", default=True),
    st.Page("pages/data.py", title=t("nav.data"), icon="👕", url_path="data"),
    st.Page("pages/model.py", title=t("nav.model"), icon="🧱", url_path="model"),
    st.Page("pages/train.py", title=t("nav.train"), icon="🏋️", url_path="train"),
    st.Page("pages/filters.py", title=t("nav.filters"), icon="🔍", url_path="filters"),
    st.Page("pages/classify.py", title=t("nav.classify"), icon="✏️", url_path="classify"),
    st.Page("pages/evaluate.py", title=t("nav.evaluate"), icon="📊", url_path="evaluate"),
    st.Page("pages/teacher.py", title=t("nav.teacher"), icon="🧑‍🏫", url_path="teacher"),
]
page = st.navigation(pages)

with st.sidebar:
    st.selectbox(
        t("nav.language"),
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        index=list(LANGUAGES).index(lang),
        key="lang",
    )
    run = selected_run()
    name = t("nav.default_model") if run == runs.DEFAULT_RUN_DIR else runs.read_run(run).name
    st.caption(t("nav.active_model", name=name))

page.run()
freeze_gc_once_keras_is_loaded()
