"""A student's text never becomes code (issue #30): a run's name in the exported script and notebook, in the
command lines, in the run folder, and everywhere else it is stored or shown to the class.

The script is compared with the export of a plainly named run as Python reads it (its AST), the
notebook's Markdown as a renderer draws it (its HTML tags), never against a list of characters.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser

import nbformat
import pytest
from helpers_names import CRAFTED, assert_no_trace, code_shape
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from core import export as export_cli
from core import train as train_cli
from core import user_text
from core.charts.evaluate import plotly_text, runs_curves_figure
from core.lesson import code_export
from core.lesson.config import RunConfig
from core.services import housekeeping, run_store, run_tables
from core.services.run_store import APP_DIR

"""The name of the issue: Python's tokenizer ends the comment at the carriage return."""
PAYLOADS = [CRAFTED, CRAFTED.replace("\r", "\u2028"), CRAFTED.replace("\r", "\f")]
LINE_BREAKS = [chr(c) for c in range(sys.maxunicode + 1) if len(f"a{chr(c)}b".splitlines()) > 1]
TRICKY = [*LINE_BREAKS, "#", "'", '"', "\\", "'''", '"""', "\x00", "\t", "\u202e", "`", "{", "}", "%"]
TRICKY += ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "![i](http://x/i)"]
TRICKY += ["www.example.com", "http://example.com", "a@example.com", "**bold**", "<!--", "&lt;", "=cmd()"]
TRICKY += ["\n# ", "\\\n"]
NAMES = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=5)), max_size=12).map("".join),
    st.text(min_size=200, max_size=3000),
)
CONFIGS = [RunConfig(), RunConfig().with_values(augmentation="light", lr_schedule="cosine", batch_norm=True)]


def markdown_tags(source: str) -> list[str]:
    """The HTML tags a Markdown renderer that passes raw HTML (as Jupyter's does) makes of `source`."""
    tags = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

        def handle_comment(self, data):
            tags.append("<!--")

    Tags().feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(source))
    return tags


@settings(max_examples=150, deadline=None)
@given(name=NAMES, cfg=st.sampled_from(CONFIGS), lang=st.sampled_from(code_export.LANGUAGES))
def test_any_name_leaves_the_script_and_the_notebook_as_they_are_for_a_plain_name(name, cfg, lang):
    script, plain = code_export.script(cfg, lang, name), code_export.script(cfg, lang, "plain")
    assert code_shape(script) == code_shape(plain)
    assert len(script.splitlines()) == len(plain.splitlines())  # the name adds no line, of any kind
    header = code_export.header(cfg, lang, name)
    assert all(line.startswith("#") for line in header.splitlines())

    notebook, plain_notebook = code_export.notebook(cfg, lang, name), code_export.notebook(cfg, lang, "plain")
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert code == [cell.source for cell in plain_notebook.cells if cell.cell_type == "code"]
    assert code == code_export.code_cells(cfg, lang)
    (markdown,) = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    assert markdown_tags(markdown) == markdown_tags(plain_notebook.cells[0].source)  # no HTML, link or image
    cleaned = user_text.one_line(name, user_text.RUN_NAME_LENGTH)
    if cleaned:  # shown as one code span that holds exactly the cleaned name
        title = MarkdownIt("commonmark").parseInline(markdown.splitlines()[0][2:])[0].children
        assert title[0].type == "code_inline" and title[0].content == cleaned


@pytest.mark.parametrize("name", PAYLOADS)
def test_a_run_folder_that_holds_such_a_name_is_shown_and_exported_cleaned(tmp_path, name):
    """A run made before the rule: its meta.json holds the raw name."""
    run = run_store.create_run(RunConfig(), name="x", root=tmp_path)
    run.write_meta({**run.meta(), "name": name})
    shown = "cnn print('RUN NAME CODE RAN');exit()#"
    assert run.name() == shown and run_store.read_run(run).name == shown
    assert run_tables.summary_row(run_store.read_run(run))["name"] == shown
    assert code_export.script(RunConfig(), "en", run.name()) == code_export.script(RunConfig(), "en", name)


@pytest.mark.parametrize("name", PAYLOADS)
def test_core_export_writes_a_script_that_runs_none_of_the_name(tmp_path, name):
    """`python -m core.export` on such a folder, as the issue reproduced it; the script compiles."""
    run = run_store.create_run(RunConfig(), name="x", root=tmp_path / "runs")
    run.write_meta({**run.meta(), "name": name})
    out = tmp_path / "code.py"
    done = subprocess.run(
        [sys.executable, "-m", "core.export", str(run.path), "--format", "py", "--out", str(out)],
        cwd=APP_DIR,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    script = out.read_text(encoding="utf-8")
    compile(script, str(out), "exec")
    assert_no_trace(script)
    assert code_shape(script) == code_shape(code_export.script(RunConfig(), "en", "plain"))


@pytest.mark.parametrize("fmt", code_export.FORMATS)
def test_core_export_of_every_format(tmp_path, capsys, fmt):
    run = run_store.create_run(RunConfig(), name="x", root=tmp_path)
    run.write_meta({**run.meta(), "name": CRAFTED})
    assert export_cli.main([str(run.path), "--format", fmt]) == 0
    written = capsys.readouterr().out
    if fmt == "ipynb":
        notebook = nbformat.reads(written, as_version=4)
        written = "\n\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert_no_trace(written)


def test_core_train_stores_one_clean_line(tmp_path, monkeypatch):
    """`python -m core.train --name ...` makes its run through `create_run`; training itself is not needed here."""
    from core.lesson import fit_loop

    monkeypatch.setattr(fit_loop, "train_run", lambda run, print_fn=print: ("finished", []))
    assert train_cli.main(["--preset", "quick", "--name", CRAFTED, "--out", str(tmp_path / "run")]) == 0
    meta = json.loads((tmp_path / "run" / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "cnn print('RUN NAME CODE RAN');exit()#"


@pytest.mark.parametrize("name", PAYLOADS)
def test_creation_and_rename_store_the_same_clean_line(tmp_path, name):
    run = run_store.create_run(RunConfig(), name=name, root=tmp_path)
    stored = run_store.read_json(run.path / "meta.json")["name"]
    assert len(stored.splitlines()) == 1 and stored == user_text.one_line(name, 60)
    assert housekeeping.rename_run(run, f"new {name}") == f"new {stored}"
    for nothing in ("", " \u2028\r\n ", "\u200b\u202e", "=+-@"):
        with pytest.raises(housekeeping.HousekeepingError):
            housekeeping.rename_run(run, nothing)
    assert run_store.create_run(RunConfig(), name="\r\n", root=tmp_path).name().startswith("20")  # its id


def test_tables_that_can_be_downloaded_as_csv_hold_no_formula(tmp_path):
    """A leaderboard or runs table downloaded from the page (Streamlit writes its CSV as is) opens as text."""
    run = run_store.create_run(RunConfig(), name='=HYPERLINK("http://x","prize")', root=tmp_path)
    run.write_result({"test_accuracy": 0.9})
    info = run_store.read_run(run)
    for row in (run_tables.summary_row(info), *run_tables.leaderboard([info])):
        assert row["name"] == 'HYPERLINK("http://x","prize")'


def test_a_name_in_a_chart_is_text_not_markup():
    history = [{"epoch": 1, "accuracy": 0.8, "val_accuracy": 0.85}]
    labels = {k: k for k in ("train", "validation", "epoch", "accuracy", "loss")}
    name = "<a href='http://x'>click</a> %{y} &amp;"
    fig = runs_curves_figure([(name, history)], "accuracy", labels)
    assert fig.data[0].name == plotly_text(name) == "&lt;a href='http://x'&gt;click&lt;/a&gt; %&#123;y} &amp;amp;"
    assert "<a" not in fig.data[0].hovertemplate and "%{y}" not in fig.data[0].hovertemplate.split("<br>")[0]


def test_download_file_names():
    assert code_export.file_name(CRAFTED, "py") == "cnn-print-RUN-NAME-CODE-RAN-exit.py"
    assert code_export.file_name("NUL", "ipynb") == "NUL-run.ipynb"
    assert code_export.file_name("..\\..\\x", "py") == "x.py"
