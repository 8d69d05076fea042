"""One rule for text a student types (a run's name, a gallery name): it stays one line of data, never code.

Such text is stored in `meta.json`, shown to the class, written into the
comments and Markdown of exported code and into file and table cells.
Python's tokenizer ends a line at a carriage return or a form feed, and
`str.splitlines` at eight more separators (`\\v`, `\\x1c`-`\\x1e`, `\\x85`,
`\\u2028`, `\\u2029`), so a name holding one of them could start a
statement of its own in an exported script. Rather than listing such
characters, `one_line` keeps only what `str.isprintable` accepts, every one
of which both of them see as part of a line. Every place that takes a name,
and every place that reads one back from a run folder, uses it.
"""

from __future__ import annotations

import re
import unicodedata

RUN_NAME_LENGTH = 60
"""Characters kept of a run's name."""

_BLANKS = ("Cc", "Zs", "Zl", "Zp")
"""Categories of the unprintable characters that stand between words (controls, spaces, line separators)."""

FORMULA_SIGNS = "=+-@"
"""A spreadsheet opening a CSV file reads a cell that starts with one of these as a formula."""

WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{port}{n}" for port in ("COM", "LPT") for n in "123456789¹²³"]
)
"""File stems Windows keeps for devices, whatever follows the dot (`CON.py` cannot be saved)."""


def one_line(text, limit: int) -> str:
    """`text` as a name is stored, shown and exported: one line of printable characters.

    Unprintable characters between words (controls, line and paragraph
    separators, spaces other than ' ') become a space, the others (format
    characters such as bidi overrides, surrogates, private and unassigned
    code points) are dropped; runs of spaces become one; formula signs
    (`FORMULA_SIGNS`) at the start are dropped, so a table of names
    downloaded as CSV opens in a spreadsheet as text.

    Args:
        text: what was typed (any object; None counts as empty).
        limit: the most characters kept.

    Returns:
        the cleaned text, at most `limit` characters, "" when nothing is left.
    """
    kept = "".join(
        ch if ch.isprintable() else " " if unicodedata.category(ch) in _BLANKS else ""
        for ch in ("" if text is None else str(text))
    )
    return " ".join(kept.split()).lstrip(FORMULA_SIGNS + " ")[:limit].rstrip()


def file_stem(text, fallback: str, limit: int = 40) -> str:
    """A file name's stem made from a name: letters, digits, `_` and `-` only, never a Windows device name.

    No path separator, dot, space or control character survives, so the
    stem plus a suffix is one file in the folder it is saved to.

    Args:
        text: the name.
        fallback: the stem when the name has no letter or digit.
        limit: the most characters kept.
    """
    stem = re.sub(r"[^\w-]+", "-", one_line(text, 10 * limit)).strip("-_")[:limit].strip("-_") or fallback
    return f"{stem}-run" if stem.upper() in WINDOWS_DEVICES else stem


def markdown_code(text: str) -> str:
    """One line of text as a Markdown code span: shown character for character, never as HTML, a link or emphasis.

    The fence is one backtick longer than the longest run of backticks in
    `text`, and a space on each side (which Markdown removes) lets the text
    start or end with a backtick.
    """
    fence = "`" * (1 + max(map(len, re.findall("`+", text)), default=0))
    return f"{fence} {text} {fence}"
