"""ui.streamlit_internals: the private Streamlit names CNN Lab uses still exist and still behave as it says.

Each failure names what changed in the installed Streamlit. Then re-check
that part of `ui/streamlit_internals.py` (its docstrings say why each name
is used and which public API would replace it) and update `PINNED` and
requirements.txt together.
"""

from __future__ import annotations

import re
from pathlib import Path

import keras
import streamlit
from streamlit.testing.v1 import AppTest

from ui import streamlit_internals as internals

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"
RECHECK = f"re-check ui/streamlit_internals.py (written for Streamlit {internals.PINNED})"

SPOKEN = {  # what bench/bench_sessions.py and tests/browser/test_load.py set or read, field by field
    "BackMsg": ["rerun_script"],
    "ClientState": ["query_string", "widget_states", "fragment_id", "is_auto_rerun", "context_info",
                    "page_script_hash", "page_name"],
    "ContextInfo": ["locale", "timezone", "timezone_offset"],
    "WidgetStates": ["widgets"],
    "WidgetState": ["id", "json_value", "trigger_value"],
    "ForwardMsg": ["metadata.run.script_run_id", "metadata.run.fragment_ids", "new_session.initialize.session_id",
                   "new_session.app_pages.page_script_hash", "new_session.app_pages.url_pathname",
                   "navigation.app_pages", "navigation.page_script_hash", "page_info_changed.query_string",
                   "delta.new_element.exception.type", "delta.new_element.exception.message",
                   "delta.new_element.heading.tag", "delta.new_element.heading.body",
                   "delta.new_element.markdown.body", "delta.new_element.alert.body",
                   "delta.new_element.button.id", "delta.new_element.bidi_component.id",
                   "page_not_found.page_name", "auto_rerun.fragment_id", "auto_rerun.interval",
                   "stop_auto_rerun.fragment_ids", "script_finished"],
}  # fmt: skip


def test_the_installed_streamlit_is_the_pinned_one():
    required = re.search(r"^streamlit==(\S+)$", REQUIREMENTS.read_text(encoding="utf-8"), re.M).group(1)
    assert streamlit.__version__ == required == internals.PINNED, (
        f"Streamlit {streamlit.__version__} is installed and {required} required: {RECHECK}"
    )


def test_streamlit_clears_keras_after_each_run_until_keep_keras_session(monkeypatch):
    runner = internals.script_runner
    monkeypatch.setattr(runner, "_clean_problem_modules", runner._clean_problem_modules)  # restored afterwards
    cleared = []
    monkeypatch.setattr(keras.backend, "clear_session", lambda *args, **kwargs: cleared.append(1))
    AppTest.from_string("import keras").run()
    assert cleared, f"Streamlit no longer clears Keras's session after a script run (keep_keras_session): {RECHECK}"

    cleared.clear()
    assert internals.keep_keras_session(), f"script_runner._clean_problem_modules is gone: {RECHECK}"
    import matplotlib.pyplot as plt

    plt.figure()
    assert not AppTest.from_string("import keras").run().exception
    assert not cleared  # the shared TensorFlow kernels survive the run
    assert plt.get_fignums() == []  # and Matplotlib is still tidied


def test_the_websocket_protocol_still_has_what_the_bench_speaks():
    for message in internals.PROTOCOL:
        for path in SPOKEN[message.__name__]:
            assert _has_field(message.DESCRIPTOR, path), f"{message.__name__}.{path} is gone: {RECHECK}"
    for outcome in ("FINISHED_SUCCESSFULLY", "FINISHED_WITH_COMPILE_ERROR", "FINISHED_EARLY_FOR_RERUN"):
        assert hasattr(internals.ForwardMsg, outcome), f"ForwardMsg.{outcome} is gone: {RECHECK}"


def test_the_server_still_serves_the_stream_and_the_health_check_where_we_look():
    from streamlit.web.server.starlette import starlette_routes, starlette_websocket

    assert "/" + starlette_websocket._ROUTE_WEBSOCKET_STREAM == internals.STREAM_PATH, RECHECK
    assert "/" + starlette_routes.ROUTE_HEALTH == internals.HEALTH_PATH, RECHECK


def test_st_calls_still_go_through_delta_generator():
    assert callable(getattr(internals.DeltaGenerator, "download_button", None)), RECHECK


def _has_field(descriptor, path: str) -> bool:
    """Whether a protobuf message has the field `a.b.c` (each step a message field, the last any field)."""
    for name in path.split("."):
        if descriptor is None or name not in descriptor.fields_by_name:
            return False
        descriptor = descriptor.fields_by_name[name].message_type
    return True
