"""ui.warmup: the background warm-up fills the pages' caches; pages wait for it behind a note, never break.

The warm-up's state is process-wide; each test gets a fresh one (`fresh`),
and the caches and the garbage collector's frozen objects are given back.
How much the warm-up saves a class is measured by `bench/bench_sessions.py`.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
import streamlit as st
from helpers_core import page_texts
from streamlit.testing.v1 import AppTest

from core.analysis import inference
from ui import state, warmup

APP = str(Path(__file__).resolve().parent.parent / "app.py")
NAV = page_texts("nav")


@pytest.fixture
def fresh(monkeypatch, tmp_path, tiny_dataset_dir):
    """A warm-up that has not run in this process, on the tiny data; caches and gc left as found."""
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNN_LAB_CLASSROOM_DIR", str(tmp_path / "classroom"))
    monkeypatch.setattr(warmup, "_ready", {step: threading.Event() for step in warmup.STEPS})
    monkeypatch.setattr(warmup, "_started", threading.Lock())
    st.cache_resource.clear()
    yield warmup
    gc.unfreeze()
    st.cache_resource.clear()


def test_the_warm_up_fills_the_caches_the_pages_use(fresh):
    fresh._warm_up()  # what the thread runs, here in the test's own thread
    assert all(fresh._ready[step].is_set() for step in fresh.STEPS)
    raw = state.load_raw()
    assert state.load_raw() is raw and len(raw.train_images) == 1000  # the tiny data, loaded once
    assert state.load_splits() is state.load_splits()
    model = state.load_model(state.default_run())
    assert model in inference._COMPILED  # the classify functions are traced for the model the pages get
    assert gc.get_freeze_count() > 0  # TensorFlow's objects are out of every later collection


def test_a_step_that_fails_still_lets_the_pages_through(fresh, monkeypatch):
    def broken():
        raise OSError("disk gone")

    monkeypatch.setitem(fresh._STEP_WORK, "dataset", broken)
    fresh._warm_up()
    assert all(fresh._ready[step].is_set() for step in fresh.STEPS)
    assert state.default_run().load_model() is not None  # the later steps ran


def test_an_apptest_session_starts_no_warm_up(fresh):
    """AppTest sessions have no connection; their tests swap datasets, which a background loader would race."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not fresh.started()


def test_a_page_waits_for_its_step_then_renders_in_full(fresh, monkeypatch):
    """A student who arrives while the server warms up: the page renders once the warm-up has its data ready."""
    assert fresh._started.acquire()  # as if a real connection had started the warm-up
    shown, warming = [], []

    def note_then_warm_up():
        """The page has found its step not ready and is about to wait: only now does the warm-up run."""
        warming.append(threading.Thread(target=fresh._warm_up))
        warming[-1].start()
        return Note(shown)

    monkeypatch.setattr(fresh.st, "empty", note_then_warm_up)
    at = AppTest.from_file(APP, default_timeout=120).run()
    for thread in warming:
        thread.join()
    assert len(warming) == 1
    assert not at.exception
    assert shown == [NAV["getting_ready"], None]  # the note was shown, then removed
    assert at.title[0].value == page_texts("home")["title"]
    assert not [e for e in at.info if e.value == NAV["getting_ready"]]

    shown.clear()
    at.switch_page("app_pages/data.py").run()  # ready now: no note, no wait
    assert not at.exception and not shown


class Note:
    """Stands in for `st.empty()`: records what the warm-up note showed (None when it was removed)."""

    def __init__(self, shown: list):
        self.shown = shown

    def info(self, body, **kwargs):
        self.shown.append(body)

    def empty(self):
        self.shown.append(None)
