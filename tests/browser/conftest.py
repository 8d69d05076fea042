"""Browser tests: the real app in a real Chromium, driven by Playwright.

One Streamlit server is started for the whole session (a free port, a
temporary runs folder, the tiny dataset of `tests/conftest.py`); the
helpers the tests call are in `tests/helpers_browser.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_browser import BROWSER_DIR, CHROMIUM, SKIP_REASON, Server, launch_server, new_context

from bench.servers import CHROMIUM_ARGS

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - SKIP_REASON says so, and the fixtures skip
    sync_playwright = None


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the running app in Chromium (tests/browser)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if SKIP_REASON:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, tiny_dataset_dir) -> Server:
    """One server for the session: a free port, a temporary runs folder, the tiny dataset."""
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    with launch_server(tmp_path_factory.mktemp("browser-server"), tiny_dataset_dir) as server:
        yield server


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, app_server):
    p = context.new_page()
    p.base_url = app_server.base_url  # remembered for goto()
    return p
