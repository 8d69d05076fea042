"""Every page opens in Chromium without an exception element, in English and in Korean."""

from __future__ import annotations

import pytest
from helpers_browser import (
    assert_no_exception,
    goto,
    has_hangul,
    main_text,
    nav_to,
    new_context,
    screenshot,
    switch_language,
)

pytestmark = pytest.mark.browser

PAGES = ["", "data", "model", "train", "filters", "classify", "evaluate", "teacher"]


def _name(path: str) -> str:
    return path or "home"


@pytest.mark.parametrize("path", PAGES, ids=_name)
def test_page_opens_in_english(page, path):
    goto(page, "/" + path)
    assert_no_exception(page)
    text = main_text(page)
    screenshot(page, f"en-{_name(path)}")
    assert text.strip(), f"/{path} shows no text"
    assert not has_hangul(page.locator('[data-testid="stSidebarNav"]').inner_text()), "English session, Korean menu"
    # the page's own title is the active entry of the sidebar navigation
    current = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
    assert current.count() == 1
    assert current.get_attribute("href").rstrip("/").endswith("/" + path if path else "")


def test_every_page_in_korean(page):
    """Switch the sidebar language to 한국어 once, then visit each page in the same session."""
    goto(page, "/")
    switch_language(page, "한국어")
    assert_no_exception(page)
    assert page.locator('[data-testid="stSidebarNav"]').inner_text().count("홈") == 1
    for path in PAGES:
        if path:
            nav_to(page, path)
        assert_no_exception(page)
        text = main_text(page)
        screenshot(page, f"ko-{_name(path)}")
        hangul = sum("\uac00" <= ch <= "\ud7a3" for ch in text)
        assert hangul >= 10, f"/{path} in Korean shows only {hangul} Hangul syllables:\n{text[:500]}"
    # and back to English in the same session
    switch_language(page, "English")
    assert_no_exception(page)
    assert not has_hangul(page.locator('[data-testid="stSidebarNav"]').inner_text())


def test_korean_browser_gets_korean(browser, app_server):
    """A browser whose language is Korean opens the lab in Korean without touching the selectbox."""
    ctx = new_context(browser, locale="ko-KR")
    try:
        page = ctx.new_page()
        page.base_url = app_server.base_url
        goto(page, "/")
        assert_no_exception(page)
        assert has_hangul(main_text(page))
        box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first
        assert box.input_value() == "한국어"
    finally:
        ctx.close()
