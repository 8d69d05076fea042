"""What the pages share: process-wide cached resources and per-session state.

Process-wide (`st.cache_resource`, one copy for every student): the dataset
arrays (read-only), the training queue, loaded models (read-only, keyed by
run folder and checkpoint version). Per session (`st.session_state`):
the owner token that marks a student's runs, and the run they look at.
"""

from __future__ import annotations

import gc
import os
import secrets
import sys
import threading
from pathlib import Path

import streamlit as st

from core.lesson import data
from core.services import classroom, run_store
from core.services.run_store import Run
from core.services.training_queue import TrainingQueue
from ui.i18n import t


@st.cache_resource(show_spinner=False)
def load_raw() -> data.RawData | data.DatasetError:
    """The dataset once per process; a DatasetError is returned, not raised, so pages can explain it."""
    try:
        return data.load_raw(download=False)
    except data.DatasetError as err:
        return err


@st.cache_resource(show_spinner=False, max_entries=4)
def load_splits(val_fraction: float = 0.2, seed: int = 42) -> data.Splits | data.DatasetError:
    raw = load_raw()
    return raw if isinstance(raw, data.DatasetError) else data.split(raw, val_fraction, seed)


def training_queue() -> TrainingQueue:
    """The one queue of this server for its runs folder."""
    return _training_queue(str(run_store.runs_dir()))


@st.cache_resource(show_spinner=False)
def _training_queue(root: str) -> TrainingQueue:
    """`CNN_LAB_MAX_PARALLEL` runs train at once (default 1, for 2 cores)."""
    return TrainingQueue(Path(root), max_parallel=int(os.environ.get("CNN_LAB_MAX_PARALLEL", "1")))


@st.cache_resource(show_spinner=False, max_entries=16)
def _load_model(run_path: str, version: float):
    return Run(run_path).load_model()


def load_model(run: Run):
    """The run's best checkpoint, shared by every session; reloaded when the file changes."""
    return _load_model(str(run.path), run.checkpoint_version())


def owner_token() -> str:
    """A random token that marks this student's runs.

    It is kept in the URL (`?me=...`) so that reloading the tab, which starts
    a new Streamlit session, still finds the student's runs.
    """
    if "owner" not in st.session_state:
        token = st.query_params.get("me", "")
        st.session_state.owner = token if token.isalnum() and len(token) <= 32 else secrets.token_hex(6)
    if st.query_params.get("me") != st.session_state.owner:
        st.query_params["me"] = st.session_state.owner
    return st.session_state.owner


def selected_run() -> Run:
    """The run whose model the Filters, Classify and Evaluate pages show.

    The student's own choice; else the class model the teacher pinned; else the shipped model.
    """
    chosen = st.session_state.get("run")
    if chosen and Run(chosen).has_checkpoint():
        return Run(chosen)
    return classroom.pinned_run() or default_run()


def default_run() -> Run:
    """The model shipped with the app."""
    return Run(run_store.DEFAULT_RUN_DIR)


def is_default(run: Run) -> bool:
    return run.path == run_store.DEFAULT_RUN_DIR


def select_run(run: Run) -> None:
    st.session_state.run = str(run.path)


def use_run_button(run: Run, key: str) -> None:
    """A button that makes `run` the model of the Filters, Classify and Evaluate pages."""
    in_use = selected_run() == run
    label = t("nav.in_use") if in_use else t("nav.use_run")
    st.button(label, on_click=select_run, args=(run,), disabled=in_use, key=key)


_gc_frozen = threading.Lock()


def freeze_gc_once_keras_is_loaded() -> None:
    """Make Streamlit's per-run `gc.collect()` cheap once TensorFlow is in memory.

    Streamlit calls `keras.backend.clear_session()` after every script run of
    every session, and that runs a full garbage collection over TensorFlow's
    hundreds of thousands of objects: 0.4-1.2 s per rerun here. Freezing the
    objects that exist once Keras is loaded (after a collection) takes them
    out of every later collection: reruns measured 0.02-0.07 s.
    """
    if "keras" in sys.modules and _gc_frozen.acquire(blocking=False):
        gc.collect()
        gc.freeze()
