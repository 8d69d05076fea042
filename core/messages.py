"""What the core tells a student, as a key with values, so every page can say it in the student's language.

One type, `Message(key, values)`, is used for everything a student may read:
a run's status, a refused setting, a broken upload, a gallery or housekeeping
refusal. The English texts live in `locales/en/errors.json` with the app's
other translations; `str()` of a message (or of a `CoreMessage` exception) is
the English sentence, for logs, the command line and tests, and pages show
`t("errors." + key, **values)`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


@cache
def english() -> dict[str, str]:
    return json.loads((LOCALES_DIR / "en" / "errors.json").read_text(encoding="utf-8"))


@cache
def table(lang: str) -> dict[str, str]:
    """Every `area.key -> text` of one language: key `key` of `locales/<lang>/<area>.json`."""
    strings = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.json")):
        for key, text in json.loads(path.read_text(encoding="utf-8")).items():
            strings[f"{path.stem}.{key}"] = text
    return strings


def text(key: str, **values) -> str:
    """The English sentence for `key`, filled with `values`."""
    return english()[key].format(**values)


@dataclass(frozen=True)
class Message:
    """A translatable sentence: a key of `locales/*/errors.json` and the values it is filled with."""

    key: str
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return text(self.key, **self.values)

    def to_json(self) -> list:
        return [self.key, self.values]

    @classmethod
    def from_json(cls, item) -> Message:
        key, values = item
        return cls(str(key), dict(values))


class CoreMessage(Exception):
    """An exception that carries a `Message`: every error of the core that a student may read.

    Args:
        key: the message's key in `locales/*/errors.json`.
        **values: what the message is filled with.
    """

    def __init__(self, key: str, **values):
        self.message = Message(key, values)
        super().__init__(str(self.message))

    @property
    def key(self) -> str:
        return self.message.key

    @property
    def values(self) -> dict:
        return self.message.values
