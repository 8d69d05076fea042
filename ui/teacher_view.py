"""The Teacher page's view: the passcode form, the live class, the cluster, the gallery, the game and the class model.

The page script (`app_pages/teacher.py`) checks the passcode and only then
calls the teacher's sections, so every teacher action here is drawn and
handled below that check in the same script run (plain `if st.button(...)`,
no callbacks that would run before it). The fragments rerun on their own,
skipping the page's check, so each checks the passcode again itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core.lesson import data
from core.services import run_store, run_tables, shipped
from core.services.classroom import guess_game, pinning, sharing
from ui.classroom import lock, passcode_wait, plain, teacher_passcode, teacher_unlocked, unlock
from ui.cluster import teacher_budget, teacher_cluster, teacher_cluster_access
from ui.get_code import get_code_buttons
from ui.i18n import choice, language, t
from ui.pictures import enlarge
from ui.state import training_queue

log = logging.getLogger(__name__)

REFRESH_SECONDS = 5
PER_PAGE = 48
LEADERBOARD_ROWS = 10
PROJECTOR_CSS = """<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.6rem !important; line-height: 1.4; }
[data-testid="stMain"] h1 { font-size: 3.6rem !important; }
[data-testid="stMain"] h2 { font-size: 2.8rem !important; }
[data-testid="stMain"] h3 { font-size: 2.2rem !important; }
[data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 4.5rem !important; line-height: 1.15; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.8rem !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p,
[data-testid="stMain"] [data-testid="stImageCaption"] { font-size: 1.3rem !important; }
[data-testid="stMain"] button p, [data-testid="stMain"] [data-baseweb="tab"] p { font-size: 1.4rem !important; }
</style>"""


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Last line of defence: a sentence on the page, the traceback only in the server log.

    `st.rerun()` and `st.stop()` are BaseExceptions and pass through.
    """
    try:
        yield
    except Exception:
        log.exception("teacher page")
        st.error(t("teacher.unexpected"))


def percent(value) -> str:
    """A share as a percentage, or a dash when there is none yet."""
    return "–" if value is None else f"{value:.1%}"


def run_title(info: run_store.RunInfo) -> str:
    """A run's name as students typed it, safe to put in Markdown."""
    return plain(info.name or info.id)


# ---------------------------------------------------------------- above the passcode check: nothing to act on


def no_passcode() -> None:
    """Without a configured passcode the page only says how to set one."""
    st.warning(t("teacher.no_passcode"))
    st.caption(t("teacher.no_passcode_secrets"))
    st.code('teacher_passcode = "choose-a-passcode"', language="toml")
    st.caption(t("teacher.no_passcode_env"))
    st.code("CNN_LAB_TEACHER_PASSCODE=choose-a-passcode streamlit run app.py", language="bash")


def login(expected: str) -> None:
    """The passcode form; the typed passcode is cleared with the form and never shown or logged.

    Wrong tries are counted per client address for every session of the
    server (`ui.classroom.unlock`), so reloading the page does not reset
    them; the page says how long to wait before the next try.
    """
    st.caption(t("teacher.locked_note"))
    with st.form("teacher_login", clear_on_submit=True):
        given = st.text_input(t("teacher.passcode"), type="password", key="teacher_passcode_input")
        submitted = st.form_submit_button(t("teacher.unlock"))
    attempt = unlock(given, expected) if submitted else passcode_wait()
    if attempt.ok and submitted:
        st.rerun()
    if attempt.outcome == "wrong":
        st.error(t("teacher.wrong_passcode"))
    if attempt.wait > 0:
        st.warning(t("teacher.wait_before_trying", seconds=attempt.wait_whole_seconds))


# ---------------------------------------------------------------- below the check: the top of the page


def top_bar() -> bool:
    """The projector toggle and the lock button, then the intro and the last action's notice; returns `projector`."""
    top_left, top_right = st.columns([4, 1])
    with top_left:
        projector = st.toggle(t("teacher.projector"), key="teacher_projector", help=t("teacher.projector_help"))
    with top_right:
        if st.button(t("teacher.lock"), key="teacher_lock"):
            lock()
            st.rerun()
    if projector:
        st.html(PROJECTOR_CSS)
    st.caption(t("teacher.intro"))
    notice = st.session_state.pop("teacher_notice", None)
    if notice:
        st.success(notice)
    return projector


# ---------------------------------------------------------------- live


@st.fragment(run_every=REFRESH_SECONDS)
def live(projector: bool) -> None:
    """Who trains, the queue and the leaderboard, refreshed every few seconds (read only).

    A fragment's rerun skips the page's passcode check, so it checks again itself.
    """
    if not teacher_unlocked(teacher_passcode()):
        return
    infos = run_store.list_runs()
    counts = training_queue().counts()
    board = run_tables.leaderboard(infos)
    pinned = pinning.pinned_run()
    c1, c2, c3, c4 = [*st.columns(2), *st.columns(2)] if projector else st.columns(4)  # large type: two a row
    c1.metric(t("teacher.training_now"), counts["training"])
    c2.metric(t("teacher.waiting"), counts["waiting"])
    c3.metric(t("teacher.finished_runs"), len(board))
    c4.metric(t("teacher.shared_pictures"), len(sharing.list_gallery(include_hidden=False)))
    who_trains(infos)
    live_leaderboard(board, pinned.id if pinned else None)
    st.caption(t("teacher.refresh_note", seconds=REFRESH_SECONDS))


def who_trains(infos: list[run_store.RunInfo]) -> None:
    """The runs training or waiting, the running ones first, with their epoch when known."""
    st.subheader(t("teacher.who_title"))
    active = sorted((i for i in infos if i.state in run_store.ACTIVE_STATES), key=lambda i: i.state != "running")
    if not active:
        st.caption(t("teacher.who_none"))
    for info in active:
        progress = info.run.progress() if info.state == "running" else run_store.Progress()
        if progress.epoch and progress.epochs:
            sentence = t("teacher.who_epoch", name=run_title(info), epoch=progress.epoch, epochs=progress.epochs)
            st.markdown("- " + sentence)
        else:
            st.markdown("- " + t("teacher.who_row", name=run_title(info), state=t(f"teacher.state_{info.state}")))


def live_leaderboard(board: list[dict], pinned_id: str | None) -> None:
    """The class's top runs, the class model marked, for the projector."""
    st.subheader(t("teacher.leaderboard_title"))
    if not board:
        st.caption(t("teacher.leaderboard_empty"))
        return
    rows = [
        {
            "rank": row["rank"],
            "name": row["name"] + (f"  {t('teacher.pinned_mark')}" if row["id"] == pinned_id else ""),
            "test_accuracy": row["test_accuracy"],
            "params": row["params"],
            "epochs": row["epochs"],
        }
        for row in board[:LEADERBOARD_ROWS]
    ]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn(t("teacher.col_rank"), format="%d"),
            "name": st.column_config.TextColumn(t("teacher.col_name")),
            "test_accuracy": st.column_config.ProgressColumn(
                t("teacher.col_test_accuracy"), format="percent", min_value=0.0, max_value=1.0
            ),
            "params": st.column_config.NumberColumn(t("teacher.col_params"), format="localized"),
            "epochs": st.column_config.NumberColumn(t("teacher.col_epochs"), format="%d"),
        },
        key="teacher_leaderboard",
    )


# ---------------------------------------------------------------- the cluster and the class budget


@st.fragment(run_every=REFRESH_SECONDS)
def cluster_view() -> None:
    """Workers, cores, what each trains, the queue and its estimated end (read only, refreshed)."""
    if not teacher_unlocked(teacher_passcode()):
        return
    st.subheader(t("teacher.cluster_title"))
    teacher_cluster()


def cluster_tab() -> None:
    """The cluster, refreshed, then how lab PCs join it, then the class's training budget."""
    cluster_view()
    teacher_cluster_access()
    teacher_budget()


# ---------------------------------------------------------------- the class model


def pin_label(by_id: dict[str, run_store.RunInfo], run_id: str) -> str:
    """A choice for the class model: the shipped ones by name, the others with their test accuracy."""
    info = by_id[run_id]
    accuracy = info.result.get("test_accuracy")
    if run_id.startswith("shipped:"):
        return t(f"teacher.shipped_{run_id.split(':')[1]}", accuracy=percent(accuracy or 0.0))
    if accuracy is None:
        return t("teacher.model_pick_label_no_test", name=info.name or info.id)  # plain text here
    return t("teacher.model_pick_label", name=info.name or info.id, accuracy=percent(accuracy))


def pin_choices() -> dict[str, run_store.RunInfo]:
    """The models that can become the class model: the shipped ones first (Best, then the lesson's), then the best."""
    usable = [i for i in run_store.list_runs() if not i.damaged and i.has_checkpoint]
    usable.sort(key=lambda i: -(i.result.get("test_accuracy") or 0.0))
    ships = [(key, run) for key in ("best", "lesson") if (run := shipped.model_run(key)) is not None]
    by_id = {f"shipped:{key}": run_store.read_run(run) for key, run in ships}
    return by_id | {info.id: info for info in usable}


def class_model() -> None:
    """The model every student's Classify page uses: shown with its code, pinned or unpinned here."""
    st.subheader(t("teacher.model_title"))
    st.caption(t("teacher.model_help"))
    pinned = pinning.pinned_run()
    if pinned is None:
        st.markdown(t("teacher.model_now_default"))
    else:
        st.markdown(t("teacher.model_now", name=run_title(run_store.read_run(pinned))))
        pinned_info = run_store.read_run(pinned)  # its code, to hand out as the lesson's worked example
        get_code_buttons(pinned_info.config, pinned_info.name or pinned_info.id, key="teacher_code")
    by_id = pin_choices()
    if not by_id:
        st.info(t("teacher.model_none"))
    else:
        choice = st.selectbox(
            t("teacher.model_pick"), list(by_id), format_func=lambda i: pin_label(by_id, i), key="teacher_pin_choice"
        )
        if st.button(t("teacher.pin"), key="teacher_pin", type="primary") and choice in by_id:
            try:
                pinning.pin_run(by_id[choice].run)
            except (OSError, ValueError):
                log.exception("pinning %s", choice)
                st.error(t("teacher.pin_failed"))
            else:
                st.session_state.teacher_notice = t("teacher.pinned", name=run_title(by_id[choice]))
                st.rerun()
    if pinned is not None and st.button(t("teacher.unpin"), key="teacher_unpin"):
        pinning.unpin()
        st.session_state.teacher_notice = t("teacher.unpinned")
        st.rerun()


# ---------------------------------------------------------------- the gallery


def caption(item: sharing.GalleryItem, names) -> str:
    """Who shared the picture (safe for Markdown), what the model said and, when known, whether it was right."""
    name = plain(item.name) if item.name else t("classroom.anonymous")
    values = {"name": name, "label": names[item.prediction], "percent": f"{item.confidence:.0%}"}
    if item.truth is None:
        return t("teacher.gallery_caption", **values)
    verdict = "❌" if item.wrong else "✅"
    return t("teacher.gallery_caption_truth", truth=names[item.truth], verdict=verdict, **values)


def gallery_filter(everything: list[sharing.GalleryItem]) -> list[sharing.GalleryItem]:
    """The pictures to show: the visible ones, only the model's mistakes, or the hidden ones."""
    view = choice(
        "teacher.gallery_filter", ["visible", "wrong", "hidden"], "teacher.gallery_", key="teacher_gallery_filter"
    )
    if view == "hidden":
        return [i for i in everything if i.hidden]
    return [i for i in everything if not i.hidden and (view == "visible" or i.wrong)]


def gallery(projector: bool) -> None:
    """The pictures students shared, a page at a time, each with a hide button; and clearing them all."""
    st.subheader(t("teacher.gallery_title"))
    names = data.class_names(language())
    everything = sharing.list_gallery()
    items = gallery_filter(everything)
    inputs = st.toggle(t("teacher.gallery_inputs"), key="teacher_gallery_inputs")
    st.caption(t("teacher.gallery_count", shown=len(items), total=len(everything), cap=sharing.MAX_GALLERY))
    if not items:
        st.info(t("teacher.gallery_empty"))
    else:
        pages = (len(items) + PER_PAGE - 1) // PER_PAGE
        page = 1
        if pages > 1:
            page = int(st.number_input(t("teacher.gallery_page"), 1, pages, 1, key="teacher_gallery_page"))
        per_row = 4 if projector else 6
        shown = items[(page - 1) * PER_PAGE : page * PER_PAGE]
        for start in range(0, len(shown), per_row):
            for column, item in zip(st.columns(per_row), shown[start : start + per_row], strict=False):
                with column:
                    gallery_item(item, names, inputs)
    if everything:
        clear_gallery(len(everything))


def clear_gallery(count: int) -> None:
    """Empty the gallery, behind a confirmation in a popover."""
    with st.popover(t("teacher.clear")):
        if st.button(t("teacher.clear_confirm", count=count), key="teacher_clear", type="primary"):
            try:
                cleared = sharing.clear_gallery()
            except OSError:
                log.exception("clearing the gallery")
                st.error(t("teacher.gallery_error"))
            else:
                st.session_state.teacher_notice = t("teacher.cleared", count=cleared)
                st.rerun()


def gallery_item(item: sharing.GalleryItem, names, inputs: bool) -> None:
    """One shared picture (as shared, or as the model saw it) and its hide or show button."""
    try:
        picture = enlarge(item.input_image(), 112) if inputs else str(item.small_png)
        st.image(picture, caption=caption(item, names), width="stretch")
    except (OSError, ValueError):
        log.exception("gallery item %s", item.id)
        return
    label = t("teacher.show") if item.hidden else t("teacher.hide")
    if st.button(label, key=f"teacher_hide_{item.id}"):
        try:
            sharing.set_hidden(item.id, not item.hidden)
        except (OSError, sharing.GalleryError):
            log.exception("hiding %s", item.id)
            st.error(t("teacher.gallery_error"))
        else:
            st.rerun()


# ---------------------------------------------------------------- the game


def game() -> None:
    """People against the network in the guessing game, and resetting its totals."""
    st.subheader(t("teacher.game_title"))
    st.caption(t("teacher.game_help", human=f"{guess_game.HUMAN_ACCURACY:.1%}"))
    game_totals()
    with st.popover(t("teacher.game_reset")):
        if st.button(t("teacher.game_reset_confirm"), key="teacher_game_reset", type="primary"):
            guess_game.reset_totals()
            st.session_state.teacher_notice = t("teacher.game_was_reset")
            st.rerun()


@st.fragment(run_every=REFRESH_SECONDS)
def game_totals() -> None:
    """People vs the network, per class, refreshed while the class plays (read only)."""
    if not teacher_unlocked(teacher_passcode()):
        return
    human = guess_game.HUMAN_ACCURACY
    totals = guess_game.read_totals()
    rounds = sum(totals["people_total"])
    c1, c2, c3 = st.columns(3)
    c1.metric(
        t("teacher.game_people"),
        percent(guess_game.accuracy(totals["people_right"], totals["people_total"])),
        help=t("teacher.game_rounds", rounds=rounds),
    )
    c2.metric(
        t("teacher.game_model"),
        percent(guess_game.accuracy(totals["model_right"], totals["model_total"])),
        help=t("teacher.game_rounds", rounds=rounds),
    )
    c3.metric(t("teacher.game_human_reference"), f"{human:.1%}")
    if not rounds:
        st.info(t("teacher.game_empty"))
        return
    st.markdown(t("teacher.game_rounds", rounds=rounds))
    percent_column = {"format": "percent", "min_value": 0.0, "max_value": 1.0}
    st.dataframe(
        guess_game.totals_rows(totals, data.class_names(language())),
        hide_index=True,
        width="stretch",
        column_config={
            "class": st.column_config.TextColumn(t("teacher.col_class")),
            "rounds": st.column_config.NumberColumn(t("teacher.col_rounds"), format="%d"),
            "people": st.column_config.ProgressColumn(t("teacher.col_people"), **percent_column),
            "model": st.column_config.ProgressColumn(t("teacher.col_model"), **percent_column),
        },
        key="teacher_game_table",
    )
