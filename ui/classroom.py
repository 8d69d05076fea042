"""Classroom helpers for the pages: the teacher's passcode, sharing to the class gallery, the guessing game.

`share_ui` and `guess_game_ui` are components for the Classify page: each
takes a `key` that prefixes its widget keys, and returns a plain value.
The passcode check lives in `core.services.passcode_guard`; the storage and the scoring in `core.services.classroom`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import string

import numpy as np
import streamlit as st

from core.analysis import inference
from core.lesson import data
from core.lesson import preprocess as prep
from core.services import passcode_guard
from core.services.classroom import guess_game, sharing
from ui.i18n import language, t, t_error
from ui.pictures import enlarge
from ui.state import load_model, load_raw, owner_token, selected_run

log = logging.getLogger(__name__)

PASSCODE_ENV = "CNN_LAB_TEACHER_PASSCODE"
PASSCODE_SECRET = "teacher_passcode"
UNLOCK_KEY = "teacher_unlock"
GAME_SIDE = 168  # the game's 28x28 test image is shown six screen pixels per pixel


# ---------------------------------------------------------------- the teacher's passcode


def teacher_passcode() -> str:
    """The passcode from `$CNN_LAB_TEACHER_PASSCODE`, else `teacher_passcode` in
    `.streamlit/secrets.toml`; "" when neither is set (the teacher view stays locked)."""
    from_env = os.environ.get(PASSCODE_ENV, "")
    if from_env.strip():
        return from_env
    try:
        value = st.secrets.get(PASSCODE_SECRET, "")
    except Exception:  # no secrets.toml, or one that does not parse: no passcode
        return ""
    return value if isinstance(value, str) and value.strip() else ""


def teacher_unlocked(expected: str) -> bool:
    """Whether this session typed the current passcode (checked anew on every script run)."""
    return passcode_guard.token_matches(st.session_state.get(UNLOCK_KEY), expected)


def client_address() -> str | None:
    """The student's address as Streamlit saw it (None for the teacher's own machine, `localhost`)."""
    try:
        return st.context.ip_address
    except Exception:  # no connection to ask (a bare script run): the server-wide count applies
        return None


def passcode_wait() -> passcode_guard.Attempt:
    """How long this client must wait before its next passcode try (outcome "wait", or "ok" with 0)."""
    wait = passcode_guard.GUARD.wait_seconds(client_address())
    return passcode_guard.Attempt("wait" if wait > 0 else "ok", wait)


def unlock(given: str, expected: str) -> passcode_guard.Attempt:
    """Check a typed passcode, counted per client address across sessions (`core.services.passcode_guard`).

    Compared in constant time; on a match the session keeps a token (never the passcode).
    While the address must wait, the passcode is not even compared.
    """
    attempt = passcode_guard.GUARD.attempt(client_address(), lambda: passcode_guard.passcode_matches(given, expected))
    if attempt.ok:
        st.session_state[UNLOCK_KEY] = passcode_guard.unlock_token(expected)
    else:
        st.session_state.pop(UNLOCK_KEY, None)
    return attempt


def lock() -> None:
    st.session_state.pop(UNLOCK_KEY, None)


# ---------------------------------------------------------------- small helpers


_MARKDOWN = re.compile("([" + re.escape(string.punctuation) + "])")


def plain(text: str) -> str:
    """Text a student typed, made safe for Markdown (captions, headings): every ASCII punctuation
    mark is escaped, so a name like `[x](http://...)` or `**big**` shows as typed, never as a link."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def class_options(lang: str) -> tuple[str, ...]:
    return data.class_names(lang)


# ---------------------------------------------------------------- sharing a picture


def share_ui(key: str, preprocessed: prep.Preprocessed, probabilities, run: str = "") -> sharing.GalleryItem | None:
    """An opt-in form that shares the picture and the model's answer with the class gallery.

    Args:
        key: prefix of every widget key.
        preprocessed: the Classify page's picture (already through its checks).
        probabilities: the model's ten probabilities for it.
        run: id of the run whose model answered ("" for the shipped model).

    Returns:
        The new gallery item in the run where the student shared, else None.
    """
    lang = language()
    me = owner_token()
    limit = sharing.MAX_PER_OWNER
    digest = hashlib.sha256(np.ascontiguousarray(preprocessed.image).tobytes()).hexdigest()
    done = st.session_state.setdefault(f"{key}_shared", [])
    with st.expander(t("classroom.share_title")):
        if digest in done:
            st.success(t("classroom.share_already"), icon="✅")
            return None
        try:
            used = sharing.count_shared(me)
        except OSError:
            log.exception("counting shared pictures")
            used = 0
        if used >= limit:
            st.info(t("classroom.share_limit", limit=limit))
            return None
        st.caption(t("classroom.share_help", limit=limit))
        name = st.text_input(
            t("classroom.share_name"),
            max_chars=sharing.MAX_NAME_LENGTH,
            key=f"{key}_name",
            help=t("classroom.share_name_help"),
        )
        names = class_options(lang)
        truth = st.selectbox(
            t("classroom.share_truth"),
            [None, *range(len(names))],
            format_func=lambda c: t("classroom.share_truth_none") if c is None else names[c],
            key=f"{key}_truth",
            help=t("classroom.share_truth_help"),
        )
        if not st.button(t("classroom.share_button"), key=f"{key}_button"):
            return None
        try:
            item = sharing.share(preprocessed, probabilities, name, owner=me, truth=truth, run=run)
        except sharing.GalleryError as err:
            st.warning(t_error(err))
            return None
        except Exception:
            log.exception("sharing a picture")
            st.error(t("classroom.share_failed"))
            return None
        done.append(digest)
        st.success(t("classroom.share_done", left=max(limit - used - 1, 0)), icon="✅")
        return item


# ---------------------------------------------------------------- guess before reveal


def _new_round(key: str, count: int) -> None:
    st.session_state[f"{key}_round"] = st.session_state.get(f"{key}_round", 0) + 1
    st.session_state[f"{key}_index"] = int(np.random.default_rng().integers(count))
    st.session_state[f"{key}_revealed"] = None


def _reveal(key: str, round_no: int, truth: int, answer: int, confidence: float) -> None:
    """Score the round once: a second click, or a replayed one, changes nothing."""
    guess = st.session_state.get(f"{key}_guess_{round_no}")
    if guess is None or st.session_state.get(f"{key}_revealed") is not None:
        return
    played = guess_game.Round(truth=truth, guess=int(guess), answer=answer)
    st.session_state[f"{key}_revealed"] = {"round": played, "confidence": confidence}
    st.session_state[f"{key}_score"] = st.session_state.get(f"{key}_score", guess_game.Score()).add(played)
    try:
        guess_game.record_round(played)
        st.session_state[f"{key}_unrecorded"] = False
    except Exception:
        log.exception("recording a game round")
        st.session_state[f"{key}_unrecorded"] = True


def guess_game_ui(key: str) -> guess_game.Score:
    """Guess before reveal: a test image, the student's pick, then the model's answer and the truth.

    Returns:
        The session's score so far (student vs model).
    """
    lang = language()
    score_key = f"{key}_score"
    if score_key not in st.session_state:
        st.session_state[score_key] = guess_game.Score()
    st.subheader(t("classroom.game_title"))
    st.caption(t("classroom.game_help", human=f"{guess_game.HUMAN_ACCURACY:.1%}"))
    ready = _game_inputs()
    if ready is None:
        return st.session_state[score_key]
    raw, model = ready

    index = st.session_state.get(f"{key}_index")
    if not isinstance(index, int) or not 0 <= index < len(raw.test_images):
        _new_round(key, len(raw.test_images))
        index = st.session_state[f"{key}_index"]
    round_no = st.session_state[f"{key}_round"]
    truth = int(raw.test_labels[index])
    image = raw.test_images[index]
    probabilities = inference.predict_probabilities(model, prep.preprocess_dataset_image(image).image)
    answer = int(np.argmax(probabilities))
    revealed = st.session_state.get(f"{key}_revealed")
    names = class_options(lang)

    left, right = st.columns([1, 2])
    with left:
        st.image(enlarge(image, GAME_SIDE), caption=t("classroom.game_caption", number=index))
    with right:
        guess = st.radio(
            t("classroom.game_pick"),
            list(range(len(names))),
            format_func=lambda c: names[c],
            index=None,
            horizontal=True,
            key=f"{key}_guess_{round_no}",
            disabled=revealed is not None,
        )
        if revealed is None:
            _reveal_button(key, round_no, guess, (truth, answer, float(probabilities[answer])))
        else:
            _show_answers(key, revealed, names, len(raw.test_images))
    score: guess_game.Score = st.session_state[score_key]
    _show_score(score)
    return score


def _game_inputs() -> tuple[data.RawData, object] | None:
    """The test images and the selected run's model; None when one is missing, after a sentence that says which.

    The student learns what to do (install the data, train a model) instead of seeing an empty tab.
    """
    raw = load_raw()
    if isinstance(raw, data.DatasetError) or not len(raw.test_images):
        st.info(t("classroom.game_no_data"))
        return None
    run = selected_run()
    if not run.has_checkpoint():
        st.warning(t("classroom.game_no_model"))
        return None
    try:
        model = load_model(run)
    except Exception:
        log.exception("loading %s for the game", run.path)
        st.error(t("classroom.game_model_error"))
        return None
    return raw, model


def _reveal_button(key: str, round_no: int, guess: int | None, outcome: tuple[int, int, float]) -> None:
    """The Reveal button, usable once the student has picked.

    It scores the round in its callback (`_reveal`), so the rerun that follows already shows the answers.

    Args:
        outcome: the truth, the model's answer and its confidence.
    """
    st.button(
        t("classroom.game_reveal"),
        key=f"{key}_reveal",
        type="primary",
        disabled=guess is None,
        on_click=_reveal,
        args=(key, round_no, *outcome),
    )
    if guess is None:
        st.caption(t("classroom.game_pick_first"))


def _show_answers(key: str, revealed: dict, names: tuple[str, ...], count: int) -> None:
    """The student's pick, the model's answer and the truth, each judged, then the button to the next round.

    Shown from the round stored at reveal time, never recomputed, so a rerun cannot change a scored round.
    """
    played: guess_game.Round = revealed["round"]

    def verdict(right_: bool) -> str:
        return t("classroom.game_right" if right_ else "classroom.game_wrong")

    st.markdown(t("classroom.game_you", label=names[played.guess], verdict=verdict(played.person_right)))
    st.markdown(
        t(
            "classroom.game_model",
            label=names[played.answer],
            percent=f"{revealed['confidence']:.0%}",
            verdict=verdict(played.model_right),
        )
    )
    st.markdown(t("classroom.game_truth", label=names[played.truth]))
    if st.session_state.get(f"{key}_unrecorded"):
        st.caption(t("classroom.game_not_recorded"))
    st.button(t("classroom.game_next"), key=f"{key}_next", on_click=_new_round, args=(key, count))


def _show_score(score: guess_game.Score) -> None:
    """The session's score, the student's beside the model's, so the two are compared at a glance."""
    you, network = st.columns(2)
    rounds = t("classroom.game_rounds", rounds=score.rounds)
    you.metric(t("classroom.game_score_you"), f"{score.person} / {score.rounds}", help=rounds)
    network.metric(t("classroom.game_score_model"), f"{score.model} / {score.rounds}", help=rounds)
