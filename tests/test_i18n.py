"""Translations: both languages hold the same keys, every key a page asks for exists,
and no page hands a student a sentence that bypasses the tables."""

from __future__ import annotations

import ast
import json
import re
import string

import pytest

from core.services.run_store import APP_DIR

LOCALES = APP_DIR / "locales"
SOURCES = sorted([APP_DIR / "app.py", *(APP_DIR / "app_pages").glob("*.py"), *(APP_DIR / "ui").glob("*.py")])
# Streamlit calls whose text argument a student reads.
SHOWN = {
    "title",
    "header",
    "subheader",
    "markdown",
    "write",
    "caption",
    "text",
    "info",
    "warning",
    "error",
    "success",
    "button",
    "toggle",
    "checkbox",
    "radio",
    "selectbox",
    "multiselect",
    "slider",
    "select_slider",
    "number_input",
    "text_input",
    "file_uploader",
    "camera_input",
    "download_button",
    "metric",
    "expander",
    "tabs",
    "page_link",
    "form_submit_button",
    "spinner",
    "progress",
    "toast",
}


def tables() -> dict[str, dict[str, dict[str, str]]]:
    return {
        lang.name: {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(lang.glob("*.json"))}
        for lang in sorted(LOCALES.iterdir())
    }


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_hold_the_same_keys_and_placeholders():
    found = tables()
    assert set(found) == {"en", "ko"}
    assert set(found["en"]) == set(found["ko"]), "a page has a table in one language only"
    for area, english in found["en"].items():
        korean = found["ko"][area]
        assert set(english) == set(korean), f"{area}: keys only in one language: {set(english) ^ set(korean)}"
        for key, text in english.items():
            assert placeholders(text) == placeholders(korean[key]), f"{area}.{key}: placeholders differ"
            assert korean[key].strip(), f"{area}.{key} is empty in Korean"


def literal_keys(source: str) -> set[str]:
    return set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""", source))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_key_a_page_asks_for_exists(path):
    english = {f"{area}.{key}" for area, keys in tables()["en"].items() for key in keys}
    missing = literal_keys(path.read_text(encoding="utf-8")) - english
    assert not missing, f"{path.name} asks for keys that are in no table: {sorted(missing)}"


def prose(node: ast.AST) -> str | None:
    """A string literal with words in it (not a key, a format, a number or a technical name)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return None
    return text if re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", text) else None


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_page_shows_a_sentence_that_is_not_in_the_tables(path):
    leaks = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SHOWN):
            continue
        arguments = [*node.args[:1], *(k.value for k in node.keywords if k.arg in ("label", "body", "help", "text"))]
        leaks += [f"line {node.lineno}: {text!r}" for arg in arguments if (text := prose(arg))]
    assert not leaks, f"{path.name} shows untranslated text:\n" + "\n".join(leaks)
