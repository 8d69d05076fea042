"""Helpers shared by the page tests that drive the app through AppTest."""

from __future__ import annotations

from helpers_core import APP_DIR, page_texts

APP = str(APP_DIR / "app.py")
ANSWER_PREFIX = page_texts("classify")["answer"].split("**")[0]
"""How the Classify page's answer begins (the English text before the class name)."""


def texts(elements) -> list[str]:
    """The values of AppTest elements (`at.markdown`, `at.info`, ...)."""
    return [element.value for element in elements]


def answered(at) -> bool:
    """Whether the Classify page shows the network's answer."""
    return any(text.startswith(ANSWER_PREFIX) for text in texts(at.markdown))
