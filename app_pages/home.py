"""Home: what the lab is, whether the data is there, and the path through the lesson."""

import streamlit as st

from core.lesson import data
from ui.i18n import t, t_error
from ui.state import load_raw

st.title(t("home.title"))
st.write(t("home.intro"))

raw = load_raw()
if isinstance(raw, data.DatasetError):
    st.error(t("home.data_missing"))
    st.code(t_error(raw), language=None, wrap_lines=True)
    st.markdown(t("home.data_howto"))
else:
    st.success(t("home.data_found", source=raw.source, train=len(raw.train_images), test=len(raw.test_images)))

st.subheader(t("home.path_title"))
for step, page in enumerate(("data", "model", "train", "filters", "classify", "evaluate"), start=1):
    st.page_link(f"app_pages/{page}.py", label=f"{step}. {t(f'nav.{page}')} — {t(f'home.step_{page}')}")
