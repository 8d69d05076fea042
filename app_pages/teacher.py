"""Teacher: the class on the projector (runs, leaderboard, gallery, game) and the class model, behind a passcode.

Every teacher action is drawn and handled only below the passcode check of
the same script run (plain `if st.button(...)`, no callbacks that would run
before it), so a student session can reach none of them.
"""

import streamlit as st

from ui import teacher_view as view
from ui.classroom import teacher_passcode, teacher_unlocked
from ui.cluster import backend_notice
from ui.i18n import language, t

language()
st.title(t("teacher.title"))
expected = teacher_passcode()
if not expected:
    view.no_passcode()  # says how to set one; there is nothing else on the page
    st.stop()
if not teacher_unlocked(expected):
    view.login(expected)
    st.stop()

# Below this line the session has typed the current passcode in this very run's check.
with view.friendly_errors():
    projector = view.top_bar()  # the projector toggle, the lock button, the intro and the last notice
    notice_slot = st.empty()  # filled below: the queue starts (and settles old runs) after the live view listed them
    tab_live, tab_cluster, tab_gallery, tab_game, tab_model = st.tabs(
        [
            t("teacher.tab_live"),
            t("teacher.tab_cluster"),
            t("teacher.tab_gallery"),
            t("teacher.tab_game"),
            t("teacher.tab_model"),
        ]
    )
    with tab_live:
        view.live(projector)
    with tab_cluster:
        view.cluster_tab()
    with notice_slot.container():
        backend_notice()
    with tab_gallery:
        view.gallery(projector)
    with tab_game:
        view.game()
    with tab_model:
        view.class_model()
