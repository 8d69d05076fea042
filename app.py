"""CNN Lab: the router. Page config, navigation over app_pages/, and the sidebar.

The pages live in `app_pages/`, not `pages/`: Streamlit 1.67 treats a `pages/`
folder beside the entry script as its old automatic multipage mode whenever a
server's first visitor opens a page URL (say `/classify`), and then never runs
this router (no language switch, no navigation titles).
"""

import streamlit as st

from ui import warmup
from ui.classroom import plain
from ui.i18n import LANGUAGES, language, t
from ui.state import hosted_scheduler, is_default, owner_token, selected_run

st.set_page_config(page_title="CNN Lab", page_icon="🧥", layout="wide")
warmup.start()  # once per process: TensorFlow, the data and the model load before the class needs them
hosted_scheduler()  # with `run.sh --cluster`: the class's Dask scheduler starts with the first page view

lang = language()
owner_token()

pages = [
    st.Page("app_pages/home.py", title=t("nav.home"), icon="🏠", url_path="", default=True),
    st.Page("app_pages/data.py", title=t("nav.data"), icon="👕", url_path="data"),
    st.Page("app_pages/model.py", title=t("nav.model"), icon="🧱", url_path="model"),
    st.Page("app_pages/train.py", title=t("nav.train"), icon="🏋️", url_path="train"),
    st.Page("app_pages/filters.py", title=t("nav.filters"), icon="🔍", url_path="filters"),
    st.Page("app_pages/classify.py", title=t("nav.classify"), icon="✏️", url_path="classify"),
    st.Page("app_pages/evaluate.py", title=t("nav.evaluate"), icon="📊", url_path="evaluate"),
    st.Page("app_pages/teacher.py", title=t("nav.teacher"), icon="🧑‍🏫", url_path="teacher"),
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
    name = t("nav.default_model") if is_default(run) else plain(run.name())  # perhaps the class model: anyone's
    st.caption(t("nav.active_model", name=name))

warmup.wait_for_page(page.url_path)  # a "getting ready" note, not a frozen page, while it warms up
page.run()
