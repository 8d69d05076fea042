"""Warm the server up in the background, once per process, so the class's first page views pay nothing for it.

Why: a fresh server has imported neither TensorFlow nor the dataset. When a
class arrived at once, 30 sessions waited while the first of them imported
TensorFlow (about 6 CPU seconds), split the dataset (3 s), loaded the
model and traced its classify functions: page p95 was 7-22 s, all of it in
the first views (measured with `bench/bench_sessions.py` on the 2-core
development machine, 2026-12-02).

What: `start()` (called by app.py on every script run; only the first call
does anything) starts one daemon thread that fills the same process-wide
caches the pages use, in the order the pages need them: the dataset (Home),
its splits (Data), TensorFlow and Keras (Model), then the model in use (the
pinned class model and the shipped one) with its classify functions traced
(Filters, Classify, Evaluate). After TensorFlow and after the models it
takes what is loaded out of later garbage collections (`_freeze_gc`).

The same first call also stops Streamlit from clearing Keras's session
after every script run (`streamlit_internals.keep_keras_session`), which
threw away TensorFlow's compiled kernels for every student after each page view.

A student who arrives sooner gets a "getting ready" note instead of a page
that looks frozen: `wait_for_page(url_path)` shows it while the step that
page needs is still being prepared (see `NEEDS`), then removes it.

Only sessions with a real connection start it. AppTest sessions have none,
and their tests swap datasets and clear caches between tests, which a
background loader would race.
"""

from __future__ import annotations

import gc
import logging
import threading
import time

import numpy as np
import streamlit as st

from ui import streamlit_internals
from ui.i18n import t

log = logging.getLogger(__name__)

STEPS = ("dataset", "splits", "keras", "model")
NEEDS = {
    "": "dataset",
    "data": "splits",
    "model": "keras",
    "filters": "model",
    "classify": "model",
    "evaluate": "model",
}
"""What each page (by URL path) needs before it can render without waiting; other pages need nothing."""

WAIT_LIMIT = 300.0
"""Seconds a page waits for the warm-up at most; after that it renders anyway (and loads what it needs itself)."""

_ready = {step: threading.Event() for step in STEPS}
_started = threading.Lock()


def start() -> None:
    """Start the warm-up thread, once per process, when a real client is connected."""
    if not st.context.headers or not _started.acquire(blocking=False):
        return
    streamlit_internals.keep_keras_session()
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()


def started() -> bool:
    return _started.locked()


def wait_for_page(url_path: str) -> None:
    """Before a page runs: if what it needs is still warming up, say so, wait, then clear the note."""
    step = NEEDS.get(url_path)
    if step is None or not started() or _ready[step].is_set():
        return
    note = st.empty()
    note.info(t("nav.getting_ready"), icon="⏳")
    _ready[step].wait(WAIT_LIMIT)
    note.empty()


def _warm_up() -> None:
    """Each step in order; a step that fails (no dataset, say) still releases the pages waiting for it."""
    for step in STEPS:
        started_at = time.perf_counter()
        try:
            _STEP_WORK[step]()
            if step in ("keras", "model"):
                _freeze_gc()
        except Exception:  # the page itself will meet the same problem and explain it
            log.exception("warm-up: %s failed", step)
        finally:
            _ready[step].set()
        log.debug("warm-up: %s ready in %.1f s", step, time.perf_counter() - started_at)


def _freeze_gc() -> None:
    """Collect once, then take every object alive now out of all later garbage collections (`gc.freeze`).

    Streamlit runs a full collection after every script run, a live panel's
    refresh included (the `runner.postScriptGC` option). Over TensorFlow's
    hundreds of thousands of objects each one held the GIL for 0.4-1.2 s, and
    meanwhile the server's event loop answered nobody: with one Train page
    refreshing every second, opening the app took minutes. Frozen, those
    objects are never scanned again: reruns took 0.02-0.07 s (both measured
    on the 2-core development machine, 2026-11-28). The
    warm-up calls it right after importing TensorFlow and again after
    loading the models; what is loaded later is collected as usual.
    """
    gc.collect()
    gc.freeze()


def _dataset() -> None:
    from ui.state import load_raw

    load_raw()


def _splits() -> None:
    from ui.state import load_splits

    load_splits()


def _keras() -> None:
    import keras  # noqa: F401 - importing it (and TensorFlow) is the work


def _models() -> None:
    """The models a page shows first (the pinned class model, the shipped one), with classify traced."""
    from core.analysis import inference
    from core.services.classroom import pinning
    from ui.state import default_run, load_model

    blank = np.zeros((28, 28), np.float32)
    for run in dict.fromkeys(filter(None, (pinning.pinned_run(), default_run()))):
        model = load_model(run)
        inference.explain(model, blank)
        inference.predict_probabilities(model, blank)


_STEP_WORK = {"dataset": _dataset, "splits": _splits, "keras": _keras, "model": _models}
