"""The Teacher page's Cluster tab through AppTest: how lab PCs join, the class key, and an open cluster's warning.

With `CNN_LAB_CLUSTER=host` the app hosts a real `dask scheduler` (on
127.0.0.1 and a free port here), exactly as `bash scripts/run.sh --cluster` does.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.services.backends import class_key
from ui import state
from ui.cluster import KEY_FILE_NAME
from ui.i18n import table

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EN = {key.removeprefix("teacher."): text for key, text in table("en").items() if key.startswith("teacher.")}
PASSCODE = "lab key 7"


@pytest.fixture(autouse=True)
def passcode(env, monkeypatch):
    monkeypatch.setenv("CNN_LAB_TEACHER_PASSCODE", PASSCODE)


@pytest.fixture
def hosted(env, monkeypatch):
    """`run.sh --cluster` on 127.0.0.1; the scheduler is stopped at the end."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("CNN_LAB_CLUSTER", "host")
    monkeypatch.setenv("CNN_LAB_CLUSTER_HOST", "127.0.0.1")
    monkeypatch.setenv("CNN_LAB_CLUSTER_PORT", str(port))
    yield port
    scheduler = state.hosted_scheduler()
    state.training_queue().close()
    scheduler.close()


def teacher(unlock: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("app_pages/teacher.py").run()
    if unlock:
        at.text_input(key="teacher_passcode_input").input(PASSCODE)
        at.get("form_submit_button")[0].click().run()
    assert not at.exception
    return at


def texts(elements) -> list[str]:
    return [str(element.value) for element in elements]


def test_hosted_cluster_tab_gives_the_command_and_the_key_behind_the_passcode(hosted, downloads):
    locked = teacher(unlock=False)
    assert "teacher_key_download" not in downloads and not any("labpc" in code for code in texts(locked.code))

    at = teacher()
    key = class_key.key_path()
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert EN["cluster_encrypted"].format(key_id=class_key.short_id(key)) in texts(at.success)
    assert f"bash scripts/labpc.sh 127.0.0.1:{hosted} {KEY_FILE_NAME}" in texts(at.code)
    assert downloads["teacher_key_download"] == (KEY_FILE_NAME, key.read_bytes())
    assert state.training_queue().backend_name == "dask"  # the app's own client got in with the key

    old = class_key.short_id(key)
    at.checkbox(key="teacher_key_renew_sure").check()
    next(b for b in at.button if b.label == EN["key_renew"]).click().run()
    assert not at.exception
    assert class_key.short_id(key) != old
    assert EN["key_renewed"] in texts(at.success)
    assert state.hosted_scheduler().ready(30)


def test_an_external_scheduler_without_tls_is_named_open(env, monkeypatch):
    monkeypatch.setenv("CNN_LAB_DASK_SCHEDULER", "tcp://127.0.0.1:9")  # nothing listens there
    at = teacher()
    assert EN["cluster_open"].format(address="tcp://127.0.0.1:9") in texts(at.warning)
    assert not any("labpc" in code for code in texts(at.code))
    state.training_queue().close()


def test_without_a_cluster_the_tab_says_how_to_start_one(env, monkeypatch):
    monkeypatch.delenv("CNN_LAB_DASK_SCHEDULER", raising=False)
    monkeypatch.delenv("CNN_LAB_CLUSTER", raising=False)
    at = teacher()
    assert EN["cluster_off"] in texts(at.info)
    assert "bash scripts/run.sh --cluster" in texts(at.code)
