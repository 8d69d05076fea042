"""Helpers for the browser tests (tests/browser): the app's server, a browser profile, and waiting on a page.

The Streamlit server runs in its own process group, so that stopping it also
stops the training workers it started and nothing else. Chromium is
Debian's (`/usr/bin/chromium`); Playwright is only the driver (never
`playwright install`). Each helper says why it waits the way it does.

For the tests: `goto`, `wait_idle`, `rerun` (an action followed by the rerun
it triggers), `wait_for_text`, `assert_no_exception`, `screenshot`,
`switch_language`, `nav_to`, `choose_option`; and `launch_server(workdir,
dataset_dir, extra_env)` for a test module that needs a server of its own
(e.g. with a teacher passcode). The fixtures are in tests/browser/conftest.py.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from pathlib import Path

import pytest

from bench.servers import healthy, start_app, stop_group

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
BROWSER_DIR = REPO / "tests" / "browser"
SERVER_START_TIMEOUT = 90  # seconds: importing TensorFlow alone takes several on 2 cores
PAGE_TIMEOUT = 60_000  # ms: the first visit of a page loads TensorFlow and the dataset

IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    HAVE_PLAYWRIGHT = True
except ImportError:  # pragma: no cover - the dev requirements install it
    HAVE_PLAYWRIGHT = False
    PlaywrightTimeout = TimeoutError

SKIP_REASON = (
    None
    if CHROMIUM.exists() and HAVE_PLAYWRIGHT
    else "browser tests need Debian's Chromium at /usr/bin/chromium and the playwright package "
    "(scripts/setup.sh installs both; never run `playwright install`)"
)


# ---------------------------------------------------------------- the server


class Server:
    def __init__(self, base_url: str, runs_dir: Path, log_path: Path, proc: subprocess.Popen):
        self.base_url = base_url
        self.runs_dir = runs_dir
        self.log_path = log_path
        self.proc = proc

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


@contextlib.contextmanager
def launch_server(workdir: Path, dataset_dir: Path, extra_env: dict | None = None):
    """Start `streamlit run app.py` in its own process group; yield a healthy `Server`; stop it.

    Args:
        workdir: an empty temporary folder for the runs folder (`workdir/runs`) and `server.log`.
        dataset_dir: the Fashion-MNIST folder the server and its workers read (`FASHION_MNIST_DIR`).
        extra_env: more environment variables (e.g. a teacher passcode) for this server only.
    """
    runs_dir = workdir / "runs"
    runs_dir.mkdir(exist_ok=True)
    env = {"CNN_LAB_RUNS_DIR": str(runs_dir), "FASHION_MNIST_DIR": str(dataset_dir), **(extra_env or {})}
    log_path = workdir / "server.log"
    proc, base_url = start_app(log_path, env)
    server = Server(base_url, runs_dir, log_path, proc)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not healthy(base_url):
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with code {proc.returncode}:\n{server.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit was not healthy after {SERVER_START_TIMEOUT} s:\n{server.log_tail()}")
            time.sleep(0.25)
        yield server
    finally:
        stop_group(proc)


def new_context(browser, **options):
    """A fresh browser profile (a new student), 1280x900, English unless told otherwise."""
    options = {"viewport": {"width": 1280, "height": 900}, "locale": "en-US", **options}
    context = browser.new_context(**options)
    context.set_default_timeout(PAGE_TIMEOUT)
    return context


# ---------------------------------------------------------------- helpers


def wait_idle(page, timeout: float = PAGE_TIMEOUT) -> None:
    """Connected and no script running, twice ~300 ms apart (a rerun may not have begun yet)."""
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)


_OBSERVE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__cnnRerunSeen = false;
  if (window.__cnnObserver) window.__cnnObserver.disconnect();
  window.__cnnObserver = new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') window.__cnnRerunSeen = true;
  });
  window.__cnnObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


@contextlib.contextmanager
def rerun(page, timeout: float = PAGE_TIMEOUT, start_within: float = 3_000):
    """Run the body (an action), then wait until the rerun it caused has started and ended.

    A MutationObserver installed before the action records the flip to
    `running`, so a fast rerun that is already over is not missed; if no
    rerun starts within `start_within` ms, waiting for idle is enough.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.evaluate(_OBSERVE)
    yield
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("window.__cnnRerunSeen === true", timeout=start_within)
    wait_idle(page, timeout)


def goto(page, path: str = "/", timeout: float = PAGE_TIMEOUT) -> None:
    """Open `path` of the app (a new Streamlit session) and wait until its script has run."""
    page.goto(page.base_url + path, timeout=timeout)
    wait_idle(page, timeout)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def wait_for_text(page, text: str, timeout: float = PAGE_TIMEOUT, where: str = '[data-testid="stApp"]') -> None:
    """Bounded wait until `text` appears in the app (for fragments, where idle means little)."""
    try:
        page.wait_for_function(
            "([sel, text]) => { const el = document.querySelector(sel); return !!el && el.innerText.includes(text); }",
            arg=[where, text],
            timeout=timeout,
        )
    except PlaywrightTimeout:
        raise AssertionError(timeout_report(page, f"{text!r} did not appear within {timeout / 1000:.0f} s")) from None


def timeout_report(page, what: str) -> str:
    """What the page showed when a bounded wait ran out, with a screenshot to look at."""
    try:
        shot = screenshot(page, "timeout-" + time.strftime("%H%M%S"))
        shown = main_text(page)[-1500:]
    except Exception as err:  # the page may be gone; the message still says what was awaited
        shot, shown = None, f"(page unreadable: {err})"
    return f"{what} on {page.url} (screenshot {shot}); the page shows:\n{shown}"


def stroke_on_canvas(page, path) -> dict:
    """One mouse stroke on the Classify canvas through `path(left, top)`'s `(x, y, steps)` points.

    `left, top` are the canvas's corner on the page. Returns the canvas's bounding box; the stroke's rerun
    has ended when this returns.
    """
    canvas = page.locator("canvas.upper-canvas").first
    canvas.wait_for()
    box = canvas.bounding_box()
    (x, y, _), *rest = path(box["x"], box["y"])
    with rerun(page):
        page.mouse.move(x, y)
        page.mouse.down()
        for x, y, steps in rest:
            page.mouse.move(x, y, steps=steps)
        page.mouse.up()
    return box


def draw_filled_rectangle(page) -> dict:
    """A zigzag stroke that fills a rectangle, like a solid T-shirt body (see `stroke_on_canvas`)."""

    def zigzag(left, top):
        x0, y0, points = left + 80, top + 50, [(left + 80, top + 50, 1)]
        for row in range(10):
            x = x0 + (120 if row % 2 == 0 else 0)
            points += [(x, y0 + row * 18, 8), (x, y0 + row * 18 + 18, 2)]
        return points

    return stroke_on_canvas(page, zigzag)


def draw_outline(page) -> dict:
    """A stroke around a box, closing on itself: an outline with empty space inside (see `stroke_on_canvas`)."""

    def around(left, top):
        x0, y0 = left + 70, top + 50
        corners = [(x0, y0), (x0 + 140, y0), (x0 + 140, y0 + 180), (x0, y0 + 180), (x0, y0)]
        return [(x, y, 12) for x, y in corners]

    return stroke_on_canvas(page, around)


def assert_no_exception(page) -> None:
    count = page.locator(EXCEPTION).count()
    if count:
        shot = screenshot(page, "exception-" + time.strftime("%H%M%S"))
        text = page.locator(EXCEPTION).first.inner_text()
        raise AssertionError(f"{count} exception element(s) on {page.url} (screenshot {shot}):\n{text}")


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save `artifacts/screenshots/<name>.png` at the repository root and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    # Streamlit scrolls inside its main section, not the document: to get the whole page,
    # make the viewport as tall as the main section's content for the time of the shot.
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollHeight : 0; }"
    )
    tall = full_page and size and height > size["height"]
    if tall:
        page.set_viewport_size({"width": size["width"], "height": min(height, 8000)})
        page.wait_for_timeout(200)
    try:
        page.screenshot(path=str(path), full_page=full_page)
    finally:
        if tall:
            page.set_viewport_size(size)
    return path


def nav_to(page, url_path: str, timeout: float = PAGE_TIMEOUT) -> None:
    """Switch page with the sidebar navigation (same Streamlit session, unlike `goto`)."""
    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{url_path}"]').first
    with rerun(page, timeout):
        link.click()
    page.wait_for_url(f"**/{url_path}*", timeout=timeout)
    wait_idle(page, timeout)


def choose_option(page, selectbox, option_text: str, timeout: float = PAGE_TIMEOUT) -> None:
    """Pick `option_text` in a Streamlit selectbox (a BaseWeb combobox) and wait for the rerun."""
    selectbox.locator('[role="combobox"], input').first.click()
    option = page.locator('[role="option"]', has_text=option_text).first
    option.wait_for(timeout=timeout)
    with rerun(page, timeout):
        option.click()


def switch_language(page, label: str = "한국어") -> None:
    """Choose a language in the sidebar's selectbox (the first selectbox of the sidebar)."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    choose_option(page, box, label)


def has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)
