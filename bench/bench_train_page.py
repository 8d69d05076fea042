"""Epoch time of a run started from the Train page, with the page open and refreshing, vs plain `model.fit`.

A real `streamlit run app.py` serves the page to headless Chromium on the
same 2 cores; the bench presses Start with the lesson's settings and two
epochs, and the page keeps redrawing its live curves every second while the
worker trains. Steady-state epochs are compared: the second epoch of the
run (the first also pays for a fresh process's graph tracing) against the
second epoch of the lesson's plain `fit` in this process, timed before and
after (best of each). Target: ratio <= 1.05.

    python bench/bench_train_page.py [--subset N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bench.bench_training import plain_fit  # noqa: E402
from bench.servers import CHROMIUM_ARGS, free_port, healthy, start_app, stop_group  # noqa: E402
from core.lesson import data  # noqa: E402
from core.lesson.config import RunConfig, TrainConfig  # noqa: E402
from core.services import run_store  # noqa: E402


def start_server(runs_dir: Path, port: int) -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1 in its own process group, once it answers its health check."""
    proc, url = start_app(runs_dir.parent / "server.log", {"CNN_LAB_RUNS_DIR": str(runs_dir)}, port)
    deadline = time.monotonic() + 60
    while not healthy(url):
        if time.monotonic() > deadline:
            stop_group(proc)
            raise RuntimeError("the app did not start")
        time.sleep(0.3)
    return proc


def set_slider(page, label: str, key: str) -> None:
    """Move a Streamlit slider with the keyboard (Home = its minimum, End = its maximum)."""
    page.locator(f'input[type="range"][aria-label="{label}"]').press(key)


def train_from_page(port: int, runs_dir: Path, subset: bool) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/train")
        page.get_by_role("button", name="Start training").wait_for(timeout=60_000)
        set_slider(page, "Epochs (at most)", "Home")
        set_slider(page, "Epochs (at most)", "ArrowRight")  # 2 epochs
        if subset:
            set_slider(page, "Training images", "Home")  # 500 images
        page.wait_for_timeout(1500)
        page.get_by_role("button", name="Start training").click()
        deadline = time.monotonic() + 1800
        while time.monotonic() < deadline:
            page.wait_for_timeout(2000)
            listed = run_store.list_runs(runs_dir)
            if listed and listed[0].state not in run_store.ACTIVE_STATES:
                break
        points = page.locator(".js-plotly-plot").count()
        browser.close()
    (run,) = run_store.list_runs(runs_dir)
    assert run.state == "finished", (run.state, run.status.text)
    print(f"page showed {points} live chart(s) while training")
    return run.history[-1]["seconds"]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", action="store_true", help="500 images instead of 48,000 (a smoke test)")
    args = parser.parse_args(argv)
    size = 500 if args.subset else None
    cfg = RunConfig(train=TrainConfig(epochs=2, train_size=size))
    splits = data.split(data.load_raw(download=False))
    x, y = data.subset(splits.x_train, splits.y_train, size, cfg.train.seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain_fit(cfg, splits, x[:2000], y[:2000], tmp)  # warm-up
        before = plain_fit(cfg, splits, x, y, tmp, epochs=2)
        port = free_port()
        server = start_server(tmp / "runs", port)
        try:
            page_epoch = train_from_page(port, tmp / "runs", args.subset)
        finally:
            stop_group(server)
        after = plain_fit(cfg, splits, x, y, tmp, epochs=2)
    plain = min(before, after)
    print(f"(a) plain model.fit, 2nd epoch: {before:.2f} s before, {after:.2f} s after -> {plain:.2f} s")
    print(f"(b) 2nd epoch trained from the open Train page: {page_epoch:.2f} s")
    print(f"ratio b/a = {page_epoch / plain:.3f} (target <= 1.05) on {len(x):,} images")
    return {"plain": plain, "page": page_epoch, "ratio": page_epoch / plain, "images": len(x)}


if __name__ == "__main__":
    main()
