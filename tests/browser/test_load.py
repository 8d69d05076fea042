"""Load: ten students at once, every page, a drawing each, two training runs.

Ten browser contexts (ten Streamlit sessions) on one Chromium, driven
concurrently with Playwright's async API (`asyncio.gather` in a thread of
its own, so it cannot clash with the sync `browser` fixture of the other
browser tests). Each session opens "/", then walks the sidebar through
every page, draws on the Classify canvas (half a horizontal bar, half a
vertical one) and waits for the answer; sessions 0 and 1 also start a
small training run on the Train page and wait for it at the end.

What is asserted: every page answers with its heading and no exception
element within a bounded time; each session classifies its own drawing
(the "Cropped" step is wide for a horizontal bar, tall for a vertical one;
same drawing, same answer; the two drawings get different answers); each
training session lists only its own run, and the two runs live in separate
folders, each with its own config and checkpoint.

What is measured and printed (`pytest -s`), never asserted: per page, the
seconds from the sidebar click to the server's "script finished" message
and to the page being rendered and idle; the same from the stroke to the
answer; and the server's peak memory (VmHWM). The server is a fresh one of
its own (the tiny dataset of `tests/conftest.py`), so its memory is this
test's alone.

These times are browser plus server on one machine: the ten Chromium
renderers run on the same cores as the server and cost far more than it, so
they say little about the server. What the server alone does for a class
is measured without browsers by `bench/bench_sessions.py`; this test is the
proof that ten real sessions do not mix.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from helpers_browser import CHROMIUM, EXCEPTION, IDLE, SCREENSHOTS, launch_server
from helpers_core import page_texts

from bench.servers import CHROMIUM_ARGS
from core.lesson.presets import PRESETS
from core.services import run_store
from ui.streamlit_internals import STREAM_PATH, ForwardMsg

pytestmark = pytest.mark.browser

SESSIONS = 10
TRAINERS = (0, 1)  # these sessions also start a training run
EPOCHS = 2
STEP_TIMEOUT = 120_000  # ms for one page or one action while ten sessions share 2 cores
RUN_TIMEOUT = 200_000  # ms for a queued 2-epoch run on 500 images to finish (worker start included)
SESSION_TIMEOUT = 330  # s for one whole session, a hard stop so that a hang fails instead of blocking

FULL_RUN_DONE = ForwardMsg.FINISHED_SUCCESSFULLY  # a whole-page run, not a fragment's refresh
PAGES = ["", "data", "model", "train", "filters", "classify", "evaluate"]


TITLES = {path: page_texts(path or "home")["title"] for path in PAGES}
TRAIN = page_texts("train")
CLASSIFY = page_texts("classify")
ANSWER = CLASSIFY["answer"].split("{")[0].replace("*", "").strip()  # "The network says:"
STROKE = "classify: stroke to answer"
CROPPED = CLASSIFY["step_trimmed"]  # "Cropped", captioned "Cropped · WxH"


@dataclass
class Session:
    index: int
    page: object
    base_url: str
    stroke: str  # "horizontal" or "vertical"
    times: dict = field(default_factory=dict)  # page path -> (seconds to script finished, to rendered and idle)
    answer: str = ""
    top3: str = ""
    cropped: tuple[int, int] | None = None  # (width, height) of the "Cropped" step
    token: str = ""
    run_name: str = ""
    run_options: list = field(default_factory=list)
    whole_class: list = field(default_factory=list)
    picker_tries: int = 0  # failed attempts to open the Run picker's list
    step: str = "not started"  # what the session is doing, for a timeout's message
    finished: int = 0  # full script runs the server reported finished for this session
    finished_at: float = 0.0  # time.monotonic() when the last one was reported

    @property
    def trains(self) -> bool:
        return self.index in TRAINERS

    def watch(self, websocket) -> None:
        """Count the server's "script finished" messages on this page's Streamlit connection.

        The server's own word that a rerun is over. The page's script-state
        attribute is not enough here: with ten renderers starved of CPU, the
        browser may handle "running" and "finished" in one go and never show
        `running`, so a wait for the flip can miss the rerun altogether.
        """
        if websocket.url.endswith(STREAM_PATH):
            websocket.on("framereceived", self.frame)

    def frame(self, payload) -> None:
        if not isinstance(payload, bytes):
            return
        message = ForwardMsg.FromString(payload)
        if message.WhichOneof("type") == "script_finished" and message.script_finished == FULL_RUN_DONE:
            self.finished += 1
            self.finished_at = time.monotonic()


# ---------------------------------------------------------------- async helpers


async def shot(page, name: str) -> str:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    try:
        await page.screenshot(path=str(path), full_page=True)
    except Exception as err:  # the page may be gone; the failure message still says what happened
        return f"(no screenshot: {err})"
    return str(path)


async def main_text(page) -> str:
    return await page.locator('[data-testid="stMain"]').inner_text()


async def settle(page, timeout: float = STEP_TIMEOUT) -> float:
    """Connected and idle, twice ~300 ms apart; return when idle was first seen (time.monotonic)."""
    await page.wait_for_selector(IDLE, timeout=timeout)
    seen = time.monotonic()
    await page.wait_for_timeout(300)
    await page.wait_for_selector(IDLE, timeout=timeout)
    return seen


async def after_action(s: Session, action, path: str | None = None, timeout: float = STEP_TIMEOUT):
    """Run `action` (a coroutine function), wait for the full rerun it causes and for the page to be idle.

    Every action here causes a rerun. On a loaded server it may start seconds
    after the action, so the wait is for the server's "finished" message of a
    new run, not for an idle page (which may be seen before the run began).
    With `path`, also wait for that page's heading. Returns the seconds from
    the action to the script finished (the server's answer) and to the page
    being rendered and idle (what the student sees).
    """
    before = s.finished
    started = time.monotonic()
    await action()
    deadline = started + timeout / 1000
    while s.finished == before:
        if time.monotonic() > deadline:
            where = await shot(s.page, f"load-{s.index}-no-rerun")
            raise AssertionError(f"no rerun finished within {timeout / 1000:.0f} s (screenshot {where})")
        await asyncio.sleep(0.05)
    answered = s.finished_at - started
    if path is not None:
        await check_page(s, path, timeout)
    rendered = await settle(s.page, timeout) - started
    return answered, rendered


async def check_page(s: Session, path: str, timeout: float = STEP_TIMEOUT) -> None:
    """The page's own heading is visible and no exception element is shown."""
    page = s.page
    heading = page.locator('[data-testid="stMain"] h1', has_text=TITLES[path]).first
    try:
        await heading.wait_for(state="visible", timeout=timeout)
    except Exception:
        where = await shot(page, f"load-{s.index}-{path or 'home'}-no-heading")
        raise AssertionError(
            f"session {s.index}: /{path} did not show {TITLES[path]!r} within {timeout / 1000:.0f} s "
            f"(screenshot {where}):\n{(await main_text(page))[-800:]}"
        ) from None
    if await page.locator(EXCEPTION).count():
        where = await shot(page, f"load-{s.index}-{path or 'home'}-exception")
        text = await page.locator(EXCEPTION).first.inner_text()
        raise AssertionError(f"session {s.index}: exception on /{path} (screenshot {where}):\n{text}")


async def open_home(s: Session) -> None:
    """Open "/", the address a student is given, in a new session (its own `?me=` token)."""

    async def load():
        await s.page.goto(s.base_url + "/", timeout=STEP_TIMEOUT)

    s.times[""] = await after_action(s, load, "")
    await check_page(s, "")
    s.token = parse_qs(urlparse(s.page.url).query)["me"][0]


async def visit(s: Session, path: str, measure: bool = True) -> None:
    """Switch page with the sidebar (same session), as a student does; time it."""
    page = s.page
    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first

    async def click():
        await link.click(timeout=STEP_TIMEOUT)

    seconds = await after_action(s, click, path)
    assert page.url.split("?")[0].endswith("/" + path), (s.index, path, page.url)
    await check_page(s, path)
    if measure:
        s.times[path] = seconds


async def wait_for_text(s: Session, text: str, timeout: float) -> None:
    try:
        await s.page.wait_for_function(
            "t => document.querySelector('[data-testid=\"stMain\"]')?.innerText.includes(t)", arg=text, timeout=timeout
        )
    except Exception:
        where = await shot(s.page, f"load-{s.index}-timeout")
        raise AssertionError(
            f"session {s.index}: {text!r} did not appear within {timeout / 1000:.0f} s on {s.page.url} "
            f"(screenshot {where}):\n{(await main_text(s.page))[-800:]}"
        ) from None


# ---------------------------------------------------------------- what a student does


async def set_up_and_start(s: Session) -> None:
    """Quick preset, 500 training images, 2 epochs, a name; press Start."""
    page = s.page

    async def pick_quick():
        await page.locator(".st-key-preset").locator('[role="combobox"], input').first.click()
        await page.locator('[role="option"]', has_text=TRAIN["preset_quick"].split(" (")[0]).first.click()

    await after_action(s, pick_quick)

    async def keys(label: str, *presses: str):
        slider = page.locator(f'input[type="range"][aria-label="{label}"]')
        await slider.focus()
        for key in presses:
            await page.keyboard.press(key)

    await after_action(s, lambda: keys(TRAIN["train_size"], "Home"))
    await after_action(s, lambda: keys(TRAIN["epochs"], "Home", *["ArrowRight"] * (EPOCHS - 1)))
    images = await page.locator(f'input[type="range"][aria-label="{TRAIN["train_size"]}"]').get_attribute(
        "aria-valuetext"
    )
    epochs = await page.locator(f'input[type="range"][aria-label="{TRAIN["epochs"]}"]').get_attribute("aria-valuetext")
    assert (images, epochs) == ("500", str(EPOCHS)), (s.index, images, epochs)

    s.run_name = f"load{s.index}"
    field_ = page.locator(".st-key-run_name input")

    async def name():
        await field_.fill(s.run_name)
        await field_.press("Enter")

    await after_action(s, name)
    assert await field_.input_value() == s.run_name, s.index
    await after_action(s, page.locator(".st-key-start button").click)
    await wait_for_text(s, s.run_name + " — ", STEP_TIMEOUT)
    await check_page(s, "train")


async def draw_and_classify(s: Session) -> None:
    """One straight stroke across the canvas; wait for the answer; read it and the cropped size."""
    page = s.page
    canvas = page.locator("canvas.upper-canvas").first
    await canvas.wait_for(timeout=STEP_TIMEOUT)
    box = await canvas.bounding_box()
    x, y = box["x"], box["y"]
    if s.stroke == "horizontal":
        start, end = (x + 40, y + 140), (x + 240, y + 140)
    else:
        start, end = (x + 140, y + 40), (x + 140, y + 240)

    async def stroke():
        await page.mouse.move(*start)
        await page.mouse.down()
        for i in range(1, 21):
            await page.mouse.move(start[0] + (end[0] - start[0]) * i / 20, start[1] + (end[1] - start[1]) * i / 20)
        await page.mouse.up()

    s.times[STROKE] = await after_action(s, stroke)
    await wait_for_text(s, ANSWER, STEP_TIMEOUT)
    await check_page(s, "classify")
    lines = (await main_text(page)).splitlines()
    s.answer = next(line for line in lines if line.startswith(ANSWER))
    top = lines.index("Top 3")
    s.top3 = " | ".join([line for line in lines[top + 1 :] if line.strip()][:3])
    captions = await page.locator('[data-testid="stImageCaption"]').all_inner_texts()
    for caption in captions:
        match = re.search(rf"{CROPPED} · (\d+)×(\d+)", caption)
        if match:
            s.cropped = (int(match[1]), int(match[2]))


async def runs_listed(s: Session) -> list[str]:
    """The entries of the Train page's Run picker (opened, read, closed again).

    Streamlit 1.67's selectbox is a react-aria ComboBox: a click in its text
    field does not open the list; its "Open" button or ArrowDown does. A
    rerun landing just then may close the list again, even between seeing
    the first option and reading them all, hence a few tries.
    """
    page = s.page
    field_ = page.locator(".st-key-watch input").first
    options = page.locator('[role="option"]')
    for attempt in range(6):
        if attempt % 2 == 0:
            await page.locator('.st-key-watch button[aria-haspopup="listbox"]').first.click()
        else:
            await field_.focus()
            await page.keyboard.press("ArrowDown")
        try:
            await options.first.wait_for(timeout=5_000)
        except Exception:
            s.picker_tries += 1
            await page.keyboard.press("Escape")
            await settle(page)
            continue
        texts = await options.all_inner_texts()
        await page.keyboard.press("Escape")
        await options.first.wait_for(state="detached", timeout=STEP_TIMEOUT)
        if texts:
            return texts
        s.picker_tries += 1  # the list closed between opening and reading: read it again
        await settle(page)
    where = await shot(page, f"load-{s.index}-run-picker")
    raise AssertionError(f"session {s.index}: the Run picker's list never opened (screenshot {where})")


async def student(s: Session) -> None:
    s.step = "opening /"
    await open_home(s)
    for path in PAGES[1:]:
        s.step = f"opening /{path}"
        await visit(s, path)
        if path == "train" and s.trains:
            s.step = "starting a run"
            await set_up_and_start(s)
        elif path == "classify":
            s.step = "classifying a drawing"
            await draw_and_classify(s)
    if s.trains:
        # back to Train: the run (queued behind the other one, training, or done) is still there
        s.step = "waiting for the run to finish"
        await visit(s, "train", measure=False)
        await wait_for_text(s, s.run_name + " — " + TRAIN["state_finished"], RUN_TIMEOUT)
        # the run has ended: no Stop button, no fragment refreshes any more
        await s.page.locator(".st-key-stop button").wait_for(state="detached", timeout=STEP_TIMEOUT)
        await settle(s.page)
        await check_page(s, "train")
        s.run_options = await runs_listed(s)


async def bounded(s: Session) -> None:
    try:
        await asyncio.wait_for(student(s), SESSION_TIMEOUT)
    except TimeoutError:
        where = await shot(s.page, f"load-{s.index}-session-timeout")
        raise AssertionError(
            f"session {s.index} was still {s.step} after {SESSION_TIMEOUT} s (screenshot {where})"
        ) from None
    except AssertionError:
        raise
    except Exception as err:  # a Playwright timeout: say what the session was doing
        where = await shot(s.page, f"load-{s.index}-error")
        raise AssertionError(f"while {s.step}: {err} (screenshot {where})") from err


async def drive(base_url: str) -> tuple[list[Session], list[BaseException | None], float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            sessions = []
            for i in range(SESSIONS):
                context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
                context.set_default_timeout(STEP_TIMEOUT)
                page = await context.new_page()
                session = Session(i, page, base_url, "horizontal" if i % 2 == 0 else "vertical")
                page.on("websocket", session.watch)
                sessions.append(session)
            started = time.monotonic()
            outcomes = await asyncio.gather(*(bounded(s) for s in sessions), return_exceptions=True)
            wall = time.monotonic() - started
            errors = [o if isinstance(o, BaseException) else None for o in outcomes]
            if not any(errors):
                # with the whole class's runs shown, session 0 sees session 1's run too
                s = sessions[0]
                toggle = s.page.locator(".st-key-show_class label").first
                await after_action(s, toggle.click)
                s.whole_class = await runs_listed(s)
            return sessions, errors, wall
        finally:
            await browser.close()


def run_in_thread(coroutine):
    """asyncio.run in a thread of its own: the sync Playwright of other tests may own this thread's loop."""
    box = {}

    def target():
        try:
            box["value"] = asyncio.run(coroutine)
        except BaseException as err:  # handed back to the test below
            box["error"] = err

    thread = threading.Thread(target=target, name="load-test")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def peak_memory_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak resident set) and VmRSS of process `pid`, in MB, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M)[1]) / 1024 for key in ("VmHWM", "VmRSS")}


def summary(sessions: list[Session]) -> str:
    """p50/p95/max per page: seconds from the click to the server's "finished", and to the page idle."""
    head = f"{'browser + server, one machine':<32}{'script finished (s)':^27}{'rendered and idle (s)':^27}"
    rows = [head, f"{'page':<28}{'n':>4}" + f"{'p50':>9}{'p95':>9}{'max':>9}" * 2]
    switches = [v for s in sessions for k, v in s.times.items() if k in PAGES and k]
    groups = [(name, [s.times[name] for s in sessions if name in s.times]) for name in [*PAGES, STROKE]]
    for name, values in [*groups, ("all sidebar page switches", switches)]:
        if not values:
            continue
        label = "/" + name if name in PAGES else name
        cells = ""
        for column in np.array(values).T:
            p50, p95 = np.percentile(column, [50, 95])
            cells += f"{p50:>9.2f}{p95:>9.2f}{column.max():>9.2f}"
        rows.append(f"{label:<28}{len(values):>4}{cells}")
    return "\n".join(rows)


def run_folders(runs_dir: Path, owner: str) -> list[run_store.Run]:
    runs = (run_store.Run(p) for p in sorted(runs_dir.iterdir()) if p.is_dir())
    return [run for run in runs if run.owner() == owner]


def test_ten_sessions_at_once(tmp_path, tiny_dataset_dir):
    if not run_store.Run(run_store.DEFAULT_RUN_DIR).has_checkpoint():
        pytest.skip("the shipped lesson model (assets/default_run) is needed to classify")
    with launch_server(tmp_path, tiny_dataset_dir) as server:
        sessions, errors, wall = run_in_thread(drive(server.base_url))
        memory = peak_memory_mb(server.proc.pid)
        folders = {s.index: run_folders(server.runs_dir, s.token) for s in sessions if s.trains and s.token}
        statuses = {i: [run.status() for run in runs] for i, runs in folders.items()}
        log = server.log_tail(3000)

    print(f"\n{SESSIONS} sessions at once ({len(TRAINERS)} of them training), {wall:.0f} s in all")
    print(
        f"These are browser plus server on one machine ({os.cpu_count()} cores shared by {SESSIONS} Chromium "
        "renderers and the server), mostly Chromium's time: for the server alone see bench/bench_sessions.py."
    )
    print(summary(sessions))
    print(
        f"server peak memory (VmHWM): {memory['VmHWM']:.0f} MB; resident at the end (VmRSS): {memory['VmRSS']:.0f} MB"
    )
    for s in sessions:
        print(f"session {s.index} ({s.stroke}): cropped {s.cropped}; {s.answer}; {s.top3}")
        if s.trains:
            print(f"  runs listed: {s.run_options} (list opened after {s.picker_tries} failed tries)")

    print(f"session 0 with the whole class's runs shown: {sessions[0].whole_class}")
    problems = [f"session {i}: {type(e).__name__}: {e}" for i, e in enumerate(errors) if e is not None]
    assert not problems, "\n\n".join(problems) + f"\n\nthe server's log ends with:\n{log}"

    # each session classified its own drawing
    for s in sessions:
        assert s.cropped is not None, f"session {s.index}: no 'Cropped' step shown"
        wide = s.cropped[0] > 3 * s.cropped[1]
        tall = s.cropped[1] > 3 * s.cropped[0]
        assert wide if s.stroke == "horizontal" else tall, (s.index, s.stroke, s.cropped)
    by_stroke = {
        kind: {(s.answer, s.top3) for s in sessions if s.stroke == kind} for kind in ("horizontal", "vertical")
    }
    for kind, answers in by_stroke.items():
        assert len({answer for answer, _ in answers}) == 1, f"the same {kind} bar got different answers: {answers}"
    assert by_stroke["horizontal"].isdisjoint(by_stroke["vertical"]), by_stroke

    # each training session lists only its own run; the two runs are separate, complete folders
    trainers = [s for s in sessions if s.trains]
    for s in trainers:
        assert len(s.run_options) == 1 and s.run_options[0].startswith(s.run_name + " · "), (s.index, s.run_options)
    assert all(any(o.startswith(t.run_name + " · ") for o in sessions[0].whole_class) for t in trainers), sessions[
        0
    ].whole_class
    assert len({s.token for s in trainers}) == len(trainers)
    for s in trainers:
        assert len(folders[s.index]) == 1, (s.index, folders[s.index])
        (run,) = folders[s.index]
        assert run.meta()["name"] == s.run_name
        assert run.has_checkpoint(), sorted(p.name for p in run.path.iterdir())
        assert statuses[s.index][0].state == "finished", statuses[s.index]
        config = run.config()  # what the page was set to
        assert (config.train.train_size, config.train.epochs) == (500, EPOCHS), config
        assert tuple(config.model.conv_filters) == PRESETS["quick"].model.conv_filters, config
    assert len({folders[s.index][0] for s in trainers}) == len(trainers)
