"""core.user_text: the one rule for names, checked against Python's own tokenizer and `str.splitlines`,
not against a list of characters; and the names that reach files and Markdown."""

from __future__ import annotations

import io
import re
import sys
import tokenize

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from core.user_text import FORMULA_SIGNS, WINDOWS_DEVICES, file_stem, markdown_code, one_line

EVERY_CHARACTER = "".join(f"a{chr(code)}" for code in range(sys.maxunicode + 1))
LINE_BREAKS = [chr(c) for c in range(sys.maxunicode + 1) if len(f"a{chr(c)}b".splitlines()) > 1]


def comment_tokens(text: str) -> list[int]:
    """The token types Python reads in `# text` as a line of a script."""
    return [token.type for token in tokenize.generate_tokens(io.StringIO(f"# {text}\n").readline)]


def test_every_character_stays_on_one_line_for_python_and_splitlines():
    """All 1,114,112 code points in one name: what is kept is one comment to the tokenizer, one line to splitlines."""
    cleaned = one_line(EVERY_CHARACTER, len(EVERY_CHARACTER))
    assert len(cleaned.splitlines()) == 1
    assert comment_tokens(cleaned) == [tokenize.COMMENT, tokenize.NL, tokenize.ENDMARKER]
    assert cleaned.isprintable() and "  " not in cleaned
    assert len(cleaned) > 250_000  # letters of every script are kept, not only ASCII


def test_line_breaks_of_every_kind_become_a_space():
    assert len(LINE_BREAKS) == 10  # \n \v \f \r \x1c \x1d \x1e \x85 \u2028 \u2029: nothing the rule names
    for ch in LINE_BREAKS:
        assert one_line(f"a{ch}b", 60) == "a b"
    assert one_line("cnn\rprint('RUN NAME CODE RAN');exit()#", 60) == "cnn print('RUN NAME CODE RAN');exit()#"


def test_names_are_kept_as_typed_when_they_are_already_one_line():
    for name in ("Kim's run", "민수 🙂", "dropout 0.5 # try", 'say "hi" \\ bye', "日本語のモデル"):
        assert one_line(name, 60) == name
    assert one_line("  two   spaces\t\tand tabs ", 60) == "two spaces and tabs"
    assert one_line("a\u202eb\u200bc\u00a0d\u3000e", 60) == "abc d e"  # bidi and zero-width dropped, spaces kept
    assert one_line(None, 60) == "" and one_line(42, 60) == "42"


def test_a_spreadsheet_reads_no_name_as_a_formula():
    assert one_line('=HYPERLINK("http://x","y")', 60) == 'HYPERLINK("http://x","y")'
    assert one_line(" +-@ = cmd", 60) == "cmd"
    assert one_line("a=b-c", 60) == "a=b-c"  # only at the start


@given(st.text(), st.integers(min_value=1, max_value=80))
def test_the_rule_for_any_text(text, limit):
    cleaned = one_line(text, limit)
    assert len(cleaned) <= limit and len(cleaned.splitlines()) <= 1
    assert cleaned == cleaned.strip() and "  " not in cleaned and cleaned.isprintable() or cleaned == ""
    assert not cleaned.startswith(tuple(FORMULA_SIGNS))
    assert one_line(cleaned, limit) == cleaned  # cleaning twice changes nothing
    assert comment_tokens(cleaned) == [tokenize.COMMENT, tokenize.NL, tokenize.ENDMARKER]


def test_file_stems():
    assert file_stem("../../etc/passwd", "x") == "etc-passwd"
    assert file_stem("a.b\\c:d", "x") == "a-b-c-d"
    assert file_stem("...", "cnn-run") == "cnn-run"
    assert file_stem("김의 모델", "x") == "김의-모델"
    for device in ("CON", "nul", "Com1", "LPT9", "com²"):
        assert file_stem(device, "x") == f"{device}-run"
    assert file_stem("console", "x") == "console"


@given(st.text())
def test_a_file_stem_is_one_plain_file_name(text):
    stem = file_stem(text, "cnn-run")
    assert re.fullmatch(r"[\w-]+", stem) and stem[0] not in "-_" and len(stem) <= 44
    assert stem.upper() not in WINDOWS_DEVICES


@given(st.text())
def test_a_code_span_shows_the_name_character_for_character(text):
    name = one_line(text, 60)
    if not name:
        return
    md = MarkdownIt("commonmark", {"html": True})
    (paragraph,) = [token for token in md.parse(f"# {markdown_code(name)}: a run") if token.type == "inline"]
    code = paragraph.children[0]
    assert code.type == "code_inline" and code.content == name
    assert [child.type for child in paragraph.children] == ["code_inline", "text"]
