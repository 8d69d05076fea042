"""Every private Streamlit name CNN Lab uses, in one place, checked against the pinned Streamlit.

Streamlit's public API leaves three needs uncovered. Each is below with why
it is needed and which public API would replace it. The app, the benches and
the tests reach these names only through this module, and
`tests/test_streamlit_internals.py` fails, saying which one, when a name
vanishes or behaves differently in the installed Streamlit: an upgrade
cannot break them silently.

Checked in Streamlit 1.67 and found not to do these jobs: `st.cache_resource`
(its `on_release` runs when a cached value is dropped, not after a script
run), the config options (`runner.postScriptGC` turns off only the full
garbage collection after each run, not the Keras clean-up), and the server,
which has no hook around a script run.
"""

from __future__ import annotations

import logging
import sys

from streamlit.delta_generator import DeltaGenerator
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from streamlit.runtime.scriptrunner import script_runner

log = logging.getLogger(__name__)

PINNED = "1.67.0"
"""The Streamlit version (requirements.txt) these names were checked against."""

# ---------------------------------------------------------------- 1. Keras's session after each script run


def keep_keras_session() -> bool:
    """Stop Streamlit from calling `keras.backend.clear_session()` after every script run of this server.

    Why: Streamlit's private `script_runner._clean_problem_modules` does it
    after each run of each session, a live panel's refresh included, and with
    TensorFlow that clears the kernel cache the whole process shares: the next
    classification, whichever student asks, builds its kernels again (measured
    on a warm server on the 2-core development machine, 2026-12-02: 42 ms per
    model call instead of 4 ms). The app needs no
    clearing: its layers have explicit names, Keras's name counters are per
    thread, and models live in the caches, not in Keras's global state.
    Matplotlib's figures, the other thing Streamlit tidies, are still closed.

    Public replacement: none in 1.67; a config option to skip the per-run
    module clean-up would be one.

    Returns:
        whether the clean-up was found and replaced.
    """
    if not hasattr(script_runner, "_clean_problem_modules"):
        log.log(logging.WARNING, "Streamlit's per-run Keras clearing was not found; nothing changed")  # a log line
        return False
    script_runner._clean_problem_modules = _close_pyplot_figures
    return True


def _close_pyplot_figures() -> None:
    """What Streamlit's per-run clean-up does besides Keras: close Matplotlib's figures (if it was imported)."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")


# ---------------------------------------------------------------- 2. the browser's side of the server
# `bench/bench_sessions.py` plays thirty students without browsers, and the browser load
# test (`tests/browser/test_load.py`) reads what the server sends: both speak the frontend's
# websocket protocol, Streamlit's protobuf messages at STREAM_PATH. Public replacement: none
# (`AppTest` runs a script without the server, which is what these measure).

STREAM_PATH = "/_stcore/stream"
"""The websocket the frontend opens (with the `streamlit` subprotocol)."""
HEALTH_PATH = "/_stcore/health"
"""Answers "ok" once the server runs: named by Streamlit's deployment guide, under the private prefix."""
PROTOCOL = (BackMsg, ClientState, ContextInfo, ForwardMsg, WidgetState, WidgetStates)
"""The messages spoken at STREAM_PATH (the guard test checks the fields the bench uses)."""

# ---------------------------------------------------------------- 3. what a download button would serve
# `AppTest` gives no access to a download button's data, so `tests/test_page_get_code.py`
# records the calls of `DeltaGenerator.download_button`, the class behind every `st.*` call.
# Public replacement: a download button element in `streamlit.testing.v1`.

__all__ = [
    "BackMsg",
    "ClientState",
    "ContextInfo",
    "DeltaGenerator",
    "ForwardMsg",
    "HEALTH_PATH",
    "PINNED",
    "PROTOCOL",
    "STREAM_PATH",
    "WidgetState",
    "WidgetStates",
    "keep_keras_session",
]
