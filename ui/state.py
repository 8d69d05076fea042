"""What the pages share: process-wide cached resources and per-session state.

Process-wide (`st.cache_resource`, one copy for every student): the dataset
arrays (read-only), the training queue, loaded models (read-only, keyed by
run folder and checkpoint version). Per session (`st.session_state`):
the owner token that marks a student's runs, and the run they look at.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import streamlit as st

from core.analysis import inspection
from core.lesson import data
from core.services import run_store
from core.services.backends import class_key
from core.services.backends.hosted_scheduler import HostedScheduler
from core.services.backends.hosted_scheduler import settings_from_env as hosted_settings_from_env
from core.services.classroom import pinning
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
    """`CNN_LAB_MAX_PARALLEL` runs train at once locally (default 1, for 2 cores). With
    `CNN_LAB_CLUSTER=host` runs go to the Dask scheduler this app hosts; with `CNN_LAB_DASK_SCHEDULER`
    (or `dask_scheduler` in `.streamlit/secrets.toml`) to the school's own. A `tls://` address uses the class key."""
    hosted = hosted_scheduler()
    address = hosted.address if hosted else dask_scheduler()
    security = class_key.security(class_key.ensure()) if address.startswith("tls://") else None
    return TrainingQueue(
        Path(root),
        max_parallel=int(os.environ.get("CNN_LAB_MAX_PARALLEL", "1")),
        dask_scheduler=address,
        dask_security=security,
    )


def hosted_scheduler() -> HostedScheduler | None:
    """The scheduler this app hosts for the class (`CNN_LAB_CLUSTER=host`), else None."""
    settings = hosted_settings_from_env()
    if settings is None:
        return None
    return _hosted_scheduler(str(class_key.key_path()), settings["port"], settings["host"])


@st.cache_resource(show_spinner=False)
def _hosted_scheduler(key: str, port: int, host: str) -> HostedScheduler:
    scheduler = HostedScheduler(class_key.ensure(Path(key)), Path(key).parent, port, host)
    scheduler.ready(30)  # the queue's first connection follows at once
    return scheduler


def dask_scheduler() -> str:
    """`$CNN_LAB_DASK_SCHEDULER`, else `dask_scheduler` in `.streamlit/secrets.toml`; "" trains locally."""
    address = os.environ.get("CNN_LAB_DASK_SCHEDULER", "").strip()
    if address:
        return address
    try:
        value = st.secrets.get("dask_scheduler", "")
    except Exception:  # no secrets.toml, or one that does not parse
        return ""
    return value.strip() if isinstance(value, str) else ""


@st.cache_resource(show_spinner=False, max_entries=16)
def _load_model(run_path: str, version: float):
    return Run(run_path).load_model()


def load_model(run: Run):
    """The run's best checkpoint, shared by every session; reloaded when the file changes."""
    return _load_model(str(run.path), run.checkpoint_version())


# ---------------------------------------------------------------- keys that pages share
# Each page keeps its own widgets' keys to itself; these are the only session
# keys one page writes and another reads, declared here with their accessors.
TRAIN_CONFIG = "train_config"
"""The Train page's valid settings (a RunConfig); the Model page draws that network."""
LAST_INPUT = "last_input"
"""Classify's last 28x28 input (float32 in [0, 1]); the Filters page shows its feature maps."""
SELECTED_RUN = "run"
"""The run whose model Filters, Classify and Evaluate use (see `selected_run`)."""
OWNER = "owner"
"""This student's owner token (see `owner_token`)."""


def remember_train_config(cfg) -> None:
    st.session_state[TRAIN_CONFIG] = cfg


def train_config():
    """The settings last chosen on the Train page, or None."""
    return st.session_state.get(TRAIN_CONFIG)


def remember_last_input(image28) -> None:
    st.session_state[LAST_INPUT] = image28


def last_input():
    """The picture last classified on the Classify page (28x28), or None."""
    return st.session_state.get(LAST_INPUT)


@st.cache_resource(show_spinner=False, max_entries=8)
def _untrained_twin(run_path: str, config_version: float, kernels_version: float):
    run = Run(run_path)
    initial = run.kernels(0) if kernels_version else {}
    return inspection.untrained_twin(run.config(), initial)


def untrained_twin(run: Run):
    """The run's network before training, shared by every session (Filters and Classify).

    Raises:
        ConfigError, OSError: when the run's config or first kernel snapshot cannot be read.
    """
    kernels_version = run.kernels_version(0) if 0 in run.kernel_epochs() else 0.0
    return _untrained_twin(str(run.path), run.config_version(), kernels_version)


def owner_token() -> str:
    """A random token that marks this student's runs.

    It is kept in the URL (`?me=...`) so that reloading the tab, which starts
    a new Streamlit session, still finds the student's runs.
    """
    if OWNER not in st.session_state:
        token = st.query_params.get("me", "")
        st.session_state[OWNER] = token if token.isalnum() and len(token) <= 32 else secrets.token_hex(6)
    if st.query_params.get("me") != st.session_state[OWNER]:
        st.query_params["me"] = st.session_state[OWNER]
    return st.session_state[OWNER]


def selected_run() -> Run:
    """The run whose model the Filters, Classify and Evaluate pages show.

    The student's own choice; else the class model the teacher pinned; else the shipped model.
    """
    chosen = st.session_state.get(SELECTED_RUN)
    if chosen and Run(chosen).has_checkpoint():
        return Run(chosen)
    return pinning.pinned_run() or default_run()


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
