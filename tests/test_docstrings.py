"""Every public function of the core and domain layers says what it does: module-level functions and the methods
(properties included) of public classes in lake/core and lake/domain, whose names do not start with "_", carry a
docstring. Parsed with `ast`: nothing imported."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("lake/core", "lake/domain")


def undocumented(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, qualified name) of every public function or method of a public class without a docstring."""
    found = []

    def visit(body, prefix):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
                if not ast.get_docstring(node):
                    found.append((node.lineno, prefix + node.name))
            elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                visit(node.body, f"{prefix}{node.name}.")

    visit(tree.body, "")
    return found


def test_public_functions_of_core_and_domain_have_docstrings():
    missing = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
            missing += [f"{rel}:{line} {name}" for line, name in undocumented(tree)]
    assert not missing, "public functions without a docstring (one to three lines: what it does, returns, "\
        "raises):\n" + "\n".join(missing)


def test_the_checker_sees_functions_methods_and_properties():
    tree = ast.parse(
        'def f():\n    pass\n'
        'def g():\n    """Documented."""\n'
        'def _private():\n    pass\n'
        'class K:\n'
        '    @property\n    def p(self):\n        return 1\n'
        '    def __init__(self):\n        pass\n'
        '    def m(self):\n        """Documented."""\n'
        'class _Hidden:\n    def m(self):\n        pass\n'
    )
    assert undocumented(tree) == [(1, "f"), (9, "K.p")]
