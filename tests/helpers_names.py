"""A run name crafted to become code, and how the tests tell that it did not (issue #30)."""

from __future__ import annotations

import ast

CRAFTED = "cnn\rprint('RUN NAME CODE RAN');exit()#"
"""A name whose carriage return would end a comment in exported code and start a statement."""


class _Blank(ast.NodeTransformer):
    def visit_Constant(self, node):
        return ast.Constant("") if isinstance(node.value, str) else node


def code_shape(source: str) -> str:
    """What Python runs: the source's AST with every string constant blanked."""
    return ast.dump(_Blank().visit(ast.parse(source)))


def assert_no_trace(source: str) -> None:
    """No statement of the name's: no `exit()` call, no string it printed, anywhere Python would run it."""
    tree = ast.parse(source)
    calls = [node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    assert "exit" not in calls and "print" in calls  # the lesson's own prints stay
    strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    assert not [s for s in strings if "RUN NAME CODE RAN" in s]
