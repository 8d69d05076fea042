"""The layers hold: core/ has no import cycles, never imports Streamlit, and lesson code never imports services."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from core.services.run_store import APP_DIR

CORE = APP_DIR / "core"


def module_name(path: Path) -> str:
    parts = path.relative_to(APP_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> set[str]:
    """Modules a file imports when it runs (anywhere in it, functions included; `if TYPE_CHECKING:` excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def core_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in CORE.rglob("*.py")}
    return {name: {m for m in runtime_imports(path) if m in files and m != name} for name, path in files.items()}


def test_core_has_no_import_cycles():
    graph, state, cycles = core_graph(), {}, []

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, cycles


def test_core_never_imports_streamlit_or_the_pages():
    for path in CORE.rglob("*.py"):
        bad = {m for m in runtime_imports(path) if m.split(".")[0] in ("streamlit", "ui", "app_pages")}
        assert not bad, (path, bad)


def test_lesson_code_does_not_depend_on_services():
    """The lesson (data, config, model, training) runs anywhere, e.g. on a remote worker, without the services."""
    for path in (CORE / "lesson").rglob("*.py"):
        bad = {m for m in runtime_imports(path) if m.startswith(("core.services", "core.analysis"))}
        assert not bad, (path, bad)


def test_no_module_shadows_the_standard_library():
    names = {p.stem for p in APP_DIR.glob("[!.]*/**/*.py") if ".venv" not in p.parts}
    assert not names & set(sys.stdlib_module_names) - {"__init__"}
