"""Server: cold start to the first rendered page, and memory with 1 and 10 sessions.

A real `streamlit run app.py` (127.0.0.1, a free port, a temporary runs
folder, the real Fashion-MNIST) is timed from the process start until the
home page has rendered in headless Chromium (connected, script not running,
the title visible). Then one session visits Data (which loads the dataset
as float32 splits) and Classify (which loads the model and classifies one
drawn stroke), and the server's memory is read from /proc (VmRSS, and
VmHWM, its peak); then nine more sessions do the same at once, and the
memory is read again. The dataset is cached once per process when the growth
from 1 to 10 sessions is far below one more copy of its float32 arrays.

    python bench/bench_server.py [--sessions 10]

The server is stopped by its process group and the browser closed even when
something fails. The last line printed is a one-line summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bench.servers import CHROMIUM, CHROMIUM_ARGS, healthy, memory_mb, start_app, stop_group  # noqa: E402
from core.lesson import data  # noqa: E402

IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
TIMEOUT = 180_000  # ms for one page while ten sessions share 2 cores
START_TIMEOUT = 120  # s until /_stcore/health answers


def _english(area: str) -> dict:
    return json.loads((ROOT / "locales" / "en" / f"{area}.json").read_text(encoding="utf-8"))


TITLES = {path: _english(path or "home")["title"] for path in ("", "data", "classify")}  # each page's h1
ANSWER = _english("classify")["answer"].split("{")[0].replace("*", "").strip()  # "The network says:"
# Fashion-MNIST's 70,000 images as float32 (the Data page's splits), in MiB like /proc's kB / 1024
DATASET_MB = 70_000 * 28 * 28 * 4 / 2**20


# ---------------------------------------------------------------- one student in the browser


async def settle(page) -> None:
    """Connected and idle, twice ~300 ms apart (a rerun may not have begun yet)."""
    await page.wait_for_selector(IDLE, timeout=TIMEOUT)
    await page.wait_for_timeout(300)
    await page.wait_for_selector(IDLE, timeout=TIMEOUT)


async def shows_page(page, path: str) -> None:
    """Wait until the page's own heading is visible and the script is idle; refuse an exception."""
    heading = page.locator('[data-testid="stMain"] h1', has_text=TITLES[path]).first
    await heading.wait_for(state="visible", timeout=TIMEOUT)
    await page.wait_for_selector(IDLE, timeout=TIMEOUT)
    await settle(page)
    if await page.locator(EXCEPTION).count():
        raise RuntimeError(f"exception element on /{path}: {await page.locator(EXCEPTION).first.inner_text()}")


async def open_home(page, base_url: str) -> float:
    """Open "/" in a new session; seconds until its heading is shown and the script is idle."""
    started = time.monotonic()
    await page.goto(base_url + "/", timeout=TIMEOUT)
    heading = page.locator('[data-testid="stMain"] h1', has_text=TITLES[""]).first
    await heading.wait_for(state="visible", timeout=TIMEOUT)
    await page.wait_for_selector(IDLE, timeout=TIMEOUT)
    seconds = time.monotonic() - started
    await shows_page(page, "")
    return seconds


async def visit(page, path: str) -> None:
    """Switch page with the sidebar (same session) and wait for it."""
    await page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first.click()
    await page.wait_for_url(f"**/{path}*", timeout=TIMEOUT)
    await shows_page(page, path)


async def classify_a_stroke(page) -> None:
    """One horizontal stroke on the Classify canvas; wait for the network's answer."""
    canvas = page.locator("canvas.upper-canvas").first
    await canvas.wait_for(timeout=TIMEOUT)
    box = await canvas.bounding_box()
    x, y = box["x"] + 40, box["y"] + 140
    await page.mouse.move(x, y)
    await page.mouse.down()
    for i in range(1, 21):
        await page.mouse.move(x + i * 10, y)
    await page.mouse.up()
    await page.wait_for_function(
        "t => document.querySelector('[data-testid=\"stMain\"]')?.innerText.includes(t)", arg=ANSWER, timeout=TIMEOUT
    )
    await settle(page)


async def student(browser, base_url: str) -> float:
    """A new session: "/", Data, Classify with one stroke; returns its seconds."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(TIMEOUT)
    page = await context.new_page()
    started = time.monotonic()
    await open_home(page, base_url)
    await visit(page, "data")
    await visit(page, "classify")
    await classify_a_stroke(page)
    return time.monotonic() - started  # the context stays open: its session stays alive on the server


# ---------------------------------------------------------------- the benchmark


async def measure(proc: subprocess.Popen, base_url: str, started: float, sessions: int, log_path: Path) -> dict:
    from playwright.async_api import async_playwright

    rows = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            while not healthy(base_url):
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited ({proc.returncode}):\n{log_path.read_text()[-2000:]}")
                if time.monotonic() - started > START_TIMEOUT:
                    raise RuntimeError(f"streamlit not healthy after {START_TIMEOUT} s")
                await asyncio.sleep(0.1)
            health = time.monotonic() - started
            rows["server answering /_stcore/health"] = (health, memory_mb(proc.pid))

            # cold start: the first session's home page (it imports the app and loads the uint8 dataset)
            context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
            context.set_default_timeout(TIMEOUT)
            page = await context.new_page()
            await page.goto(base_url + "/", timeout=TIMEOUT)
            heading = page.locator('[data-testid="stMain"] h1', has_text=TITLES[""]).first
            await heading.wait_for(state="visible", timeout=TIMEOUT)
            await page.wait_for_selector(IDLE, timeout=TIMEOUT)
            cold = time.monotonic() - started
            await shows_page(page, "")
            rows["home page rendered (cold start)"] = (cold, memory_mb(proc.pid))

            first = time.monotonic()
            await visit(page, "data")
            await visit(page, "classify")
            await classify_a_stroke(page)
            rows["1 session: /data + /classify"] = (time.monotonic() - first, memory_mb(proc.pid))

            more = time.monotonic()
            await asyncio.gather(*(student(browser, base_url) for _ in range(sessions - 1)))
            rows[f"{sessions} sessions: /data + /classify"] = (time.monotonic() - more, memory_mb(proc.pid))
        finally:
            await browser.close()
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="sessions in the last step (default 10)")
    args = parser.parse_args(argv)
    dataset = data.find_dataset_dir()
    if dataset is None:
        print("Fashion-MNIST is not installed: nothing to measure")
        return 1
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium): nothing to measure")
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        tmp = Path(tmp)
        log_path = tmp / "server.log"
        started = time.monotonic()
        env = {"CNN_LAB_RUNS_DIR": str(tmp / "runs"), "FASHION_MNIST_DIR": str(dataset)}
        proc, base_url = start_app(log_path, env)
        try:
            rows = asyncio.run(measure(proc, base_url, started, args.sessions, log_path))
        finally:
            stop_group(proc)

    print(f"server on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; dataset {dataset}")
    print(f"{'step':<36}{'seconds':>9}{'VmRSS MB':>10}{'VmHWM MB':>10}")
    for step, (seconds, mem) in rows.items():
        print(f"{step:<36}{seconds:>9.1f}{mem['VmRSS']:>10.0f}{mem['VmHWM']:>10.0f}")
    cold = rows["home page rendered (cold start)"][0]
    one = rows["1 session: /data + /classify"][1]
    many = rows[f"{args.sessions} sessions: /data + /classify"][1]
    growth = many["VmRSS"] - one["VmRSS"]
    once = growth < DATASET_MB
    print(
        f"1 -> {args.sessions} sessions: RSS {growth:+.0f} MB, against {DATASET_MB:.0f} MB for one more float32 "
        f"copy of the dataset ({(args.sessions - 1) * DATASET_MB:.0f} MB if each session held its own): "
        + ("the dataset is held once per process" if once else "the dataset is NOT shared between sessions")
    )
    print(
        f"cold start {cold:.1f} s to the first rendered page; server RSS {one['VmRSS']:.0f} MB with 1 session, "
        f"{many['VmRSS']:.0f} MB with {args.sessions} ({growth:+.0f} MB, peak {many['VmHWM']:.0f} MB); "
        f"dataset held {'once' if once else 'per session'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
