"""Train in a real browser: live curves, leaving and reloading the page, Stop, two students at once.

While a run trains, the page's fragment refreshes every second and flips the
script state to `running` each time, so these tests wait for content (a
state text, a number of plotted points) with bounded polling, never for idle.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest
from helpers_browser import (
    PlaywrightTimeout,
    assert_no_exception,
    choose_option,
    goto,
    nav_to,
    new_context,
    rerun,
    screenshot,
    timeout_report,
    wait_for_text,
    wait_idle,
)
from helpers_core import page_texts

from core.services import run_store

pytestmark = pytest.mark.browser

EN = page_texts("train")
# ms for a tiny run to finish: worker start ~4 s, ~1 s per epoch, far more on a busy machine
RUN_TIMEOUT = 180_000
# long enough for the chart to be read twice while training even on an idle machine (~0.5 s an epoch)
LIVE_EPOCHS = 12

# number of points in the curves chart (every trace of the plotly figure)
CURVE_POINTS = """() => {
  const plot = document.querySelector('.st-key-curves_chart .js-plotly-plot');
  if (!plot || !plot.data) return 0;
  return plot.data.reduce((n, trace) => n + (trace.x ? trace.x.length : 0), 0);
}"""


def state_text(state: str) -> str:
    """' — finished': the end of the live panel's heading for a run in `state`."""
    return " — " + EN[f"state_{state}"]


def token_of(page) -> str:
    return parse_qs(urlparse(page.url).query)["me"][0]


def curve_points(page) -> int:
    return page.evaluate(CURVE_POINTS)


def wait_points_above(page, count: int, timeout: float = RUN_TIMEOUT) -> int:
    try:
        page.wait_for_function(f"() => ({CURVE_POINTS})() > {count}", timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(timeout_report(page, f"the curves never had more than {count} points")) from None
    return curve_points(page)


@pytest.fixture(autouse=True)
def report_runs(app_server):
    """On failure, print every run's status and the end of its worker log (pytest shows it)."""
    yield
    for folder in sorted(app_server.runs_dir.iterdir()):
        run = run_store.Run(folder)
        log = run.worker_log_path
        tail = log.read_text(errors="replace")[-800:] if log.is_file() else ""
        print(f"--- {run.id}: {run.status()}\n{tail}")


def set_slider(page, key: str, *keys: str) -> str:
    """Press keys on the slider with widget key `key`; return its new value text."""
    thumb = page.locator(f".st-key-{key} input[type=range]")
    with rerun(page):
        thumb.focus()
        for k in keys:
            page.keyboard.press(k)
    return thumb.get_attribute("aria-valuetext")


def set_up_run(page, name: str, epochs_keys: tuple[str, ...], no_early_stop: bool = True) -> None:
    """Quick preset, 500 training images, patience 20 (no early stop), a name; Start is not pressed."""
    choose_option(page, page.locator(".st-key-preset"), EN["preset_quick"].split(" (")[0])
    assert set_slider(page, "cfg_train_size", "Home") == "500"
    if no_early_stop:
        assert set_slider(page, "cfg_patience", "End") == "20"
    set_slider(page, "cfg_epochs", *epochs_keys)
    field = page.locator(".st-key-run_name input")
    with rerun(page):
        field.fill(name)
        field.press("Enter")
    assert_no_exception(page)


def start(page, name: str) -> None:
    """Press Start; wait for the run's panel (not for idle: its fragment refreshes every second)."""
    page.locator(".st-key-start button").click()
    wait_for_text(page, name + " — ", timeout=30_000)
    assert_no_exception(page)


def run_folders(app_server, owner: str) -> list[run_store.Run]:
    runs = (run_store.Run(p) for p in sorted(app_server.runs_dir.iterdir()) if p.is_dir())
    return [run for run in runs if run.owner() == owner]


def test_live_curves_survive_page_change_and_reload(page, app_server):
    goto(page, "/train")
    set_up_run(page, "curves", ("Home", *["ArrowRight"] * (LIVE_EPOCHS - 1)))
    assert page.locator(".st-key-cfg_epochs input[type=range]").get_attribute("aria-valuetext") == str(LIVE_EPOCHS)
    token = token_of(page)
    started = time.monotonic()
    start(page, "curves")

    first = wait_points_above(page, 0)
    second = wait_points_above(page, first)  # the chart grows while the run trains
    assert second > first
    screenshot(page, "train-live")

    # leave for the Model page and come back in the same session: the run (training or,
    # on a fast machine, already finished) and its curves are still there
    nav_to(page, "model")
    assert_no_exception(page)
    nav_to(page, "train")
    wait_for_text(page, "curves — ")
    after_return = wait_points_above(page, 0)
    assert after_return >= second, (after_return, second)

    # reload: a new Streamlit session; the ?me= token finds the run again
    page.reload()
    page.wait_for_selector('[data-testid="stApp"]')
    assert token_of(page) == token
    wait_for_text(page, "curves — ", timeout=30_000)
    after_reload = wait_points_above(page, 0)
    assert after_reload >= second, (after_reload, second)
    screenshot(page, "train-after-reload")

    wait_for_text(page, "curves" + state_text("finished"), timeout=RUN_TIMEOUT)
    wait_for_text(page, EN["test_accuracy"])
    assert_no_exception(page)
    screenshot(page, "train-finished")
    (run,) = run_folders(app_server, token)
    history = run.history()
    assert len(history) == LIVE_EPOCHS, history
    assert run.status().state == "finished"
    # the chart holds every epoch: as many points per trace as history rows
    plot = page.evaluate(
        "() => document.querySelector('.st-key-curves_chart .js-plotly-plot').data.map(t => (t.x || []).length)"
    )
    assert max(plot) == LIVE_EPOCHS, plot
    print(f"{LIVE_EPOCHS}-epoch run finished {time.monotonic() - started:.1f} s after Start")


def test_stop_button_stops_the_run(page, app_server):
    goto(page, "/train")
    set_up_run(page, "stopper", ("End",))  # 100 epochs: it will not end by itself during the test
    token = token_of(page)
    start(page, "stopper")
    wait_points_above(page, 0)  # at least one epoch done
    stop = page.locator(".st-key-stop button")
    stop.click()
    wait_for_text(page, "stopper" + state_text("stopped"), timeout=60_000)
    assert_no_exception(page)
    (run,) = run_folders(app_server, token)
    status = run.status()
    assert status.state == "stopped", status
    assert len(run.history()) < 100
    assert run.has_checkpoint()  # what it learned so far is kept
    page.locator(".st-key-stop button").wait_for(state="detached", timeout=30_000)  # nothing left to stop
    wait_idle(page)  # the run has ended: no fragment refreshes any more
    assert_no_exception(page)
    screenshot(page, "train-stopped")


def test_two_students_train_at_once(browser, app_server):
    contexts = [new_context(browser), new_context(browser)]
    try:
        pages = []
        for ctx, name in zip(contexts, ("alice", "bob"), strict=True):
            p = ctx.new_page()
            p.base_url = app_server.base_url
            goto(p, "/train")
            set_up_run(p, name, ("Home", "ArrowRight"), no_early_stop=False)  # 2 epochs: patience 2 cannot stop it
            pages.append(p)
        tokens = [token_of(p) for p in pages]
        assert tokens[0] != tokens[1]
        for p, name in zip(pages, ("alice", "bob"), strict=True):
            start(p, name)
        screenshot(pages[1], "train-second-student")
        for p, name in zip(pages, ("alice", "bob"), strict=True):
            wait_for_text(p, name + state_text("finished"), timeout=RUN_TIMEOUT)
            assert_no_exception(p)
            screenshot(p, f"train-{name}-finished")
            # each student sees only their own run by default
            other = "bob" if name == "alice" else "alice"
            assert other not in p.locator('[data-testid="stMain"]').inner_text()
        folders = [run_folders(app_server, token) for token in tokens]
        assert [len(f) for f in folders] == [1, 1], folders
        (a,), (b,) = folders
        assert a != b
        # they really were at the server at the same time: bob's run was queued before alice's ended
        assert b.meta()["created"] < a.status().ended
        for run, name in ((a, "alice"), (b, "bob")):
            assert run.has_checkpoint()
            assert run.config() is not None  # readable, or it raises
            assert run.meta()["name"] == name
            assert run.status().state == "finished"
            assert len(run.history()) == 2
        # the Run picker must not go on saying "waiting" about a finished run
        for p, name in zip(pages, ("alice", "bob"), strict=True):
            wait_idle(p)
            label = p.locator(".st-key-watch input").input_value()
            assert label.startswith(name) and EN["state_queued"] not in label, (
                f"{name}'s Run picker shows {label!r} although the run finished "
                f"(screenshot {screenshot(p, f'train-{name}-picker')})"
            )
    finally:
        for ctx in contexts:
            ctx.close()
