"""Messages the core gives students, as keys with values, so every page can show them in its language.

The English texts live in `locales/en/errors.json` with the app's other
translations; `str()` of a `CoreMessage` exception is the English sentence
(for logs, the command line and tests), and pages show
`t("errors." + err.key, **err.values)`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


@cache
def english() -> dict[str, str]:
    return json.loads((LOCALES_DIR / "en" / "errors.json").read_text(encoding="utf-8"))


def text(key: str, **values) -> str:
    """The English sentence for `key`, filled with `values`."""
    return english()[key].format(**values)


class CoreMessage(Exception):
    """An exception whose message is a translatable key and its values."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(text(key, **values))
