"""The layers of `lake/` (README, "Layout"): imports only go downwards, and no module imports itself in a circle.

    lake.core      settings, secrets, accounts, zones, contracts, Delta, run records   imports: core
    lake.domain    plain-Python rules (documents, OCR, ingest, silver, localities)     imports: core, domain
    lake.platform  the managed processes and the Spark runtime                         imports: core, domain, platform
    lake.apps      the CLI, metadata publishing, reports, web apps                     imports: everything
    lakehouse_sample  the sample generator and synthetic volumes: a tool on top, like the tests; imports: everything

Only `lake.apps` may import `lakehouse_sample` (the `sample` and `demo` commands); the rest of production never does.

Every import counts, at module level or inside a function. Parsed with `ast`: no Spark, nothing imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lake", "lakehouse_sample")
ORDER = {"core": 0, "domain": 1, "platform": 2, "apps": 3}
SAMPLE = "lakehouse_sample"


def module_files(root: Path = ROOT) -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules that `module` imports anywhere in its file (a name imported from a package counts as
    the submodule when it is one, else as the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                target = _resolve(name, modules)
                if target and target != module:
                    found.add(target)
    return found


def layer_of(module: str) -> str | None:
    """'core' / 'domain' / 'platform' / 'apps' for lake modules, 'sample' for lakehouse_sample, None elsewhere."""
    parts = module.split(".")
    if parts[0] == SAMPLE:
        return "sample"
    return parts[1] if len(parts) > 1 and parts[1] in ORDER else None


def allowed(source: str, target: str) -> bool:
    src, dst = layer_of(source), layer_of(target)
    if target == "lake" or dst is None:
        return False
    if src == "sample":
        return True
    if dst == "sample":
        return src == "apps"
    return ORDER[dst] <= ORDER[src]


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = module_files(root)
    return {m: imports_of(m, p, modules) for m, p in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_every_lake_module_sits_in_a_layer():
    outside = [m for m in module_files() if m != "lake" and layer_of(m) is None]
    assert not outside, f"modules outside lake/core, lake/domain, lake/platform, lake/apps: {outside}"


def test_imports_only_go_downwards():
    upward = sorted(f"{src} ({layer_of(src)}) imports {dst} ({layer_of(dst)})"
                    for src, targets in graph().items() if src != "lake" for dst in targets
                    if not allowed(src, dst))
    assert not upward, "imports against the layer order:\n" + "\n".join(upward)


def test_no_import_cycles():
    found = cycles(graph())
    assert not found, "modules that import each other in a circle:\n" + "\n".join(" <-> ".join(c) for c in found)


@pytest.mark.parametrize("source, imported, expected_upward", [
    ("def f():\n    from lake.apps import cli\n", "lake.apps.cli", True),   # inside a function counts
    ("from lake.core.settings import Settings\n", "lake.core.settings", False),
    ("import lake.platform.services as s\n", "lake.platform.services", True),
])
def test_checker_sees_imports_in_functions_and_upward_ones(tmp_path, source, imported, expected_upward):
    for rel in ("lake/__init__.py", "lake/core/__init__.py", "lake/core/settings.py", "lake/apps/__init__.py",
                "lake/apps/cli.py", "lake/platform/__init__.py", "lake/platform/services.py",
                "lakehouse_sample/__init__.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    (tmp_path / "lake/core/zones.py").write_text(source)
    edges = graph(tmp_path)
    assert imported in edges["lake.core.zones"]
    assert (not allowed("lake.core.zones", imported)) is expected_upward


def test_checker_finds_a_cycle_through_a_function_import(tmp_path):
    for rel, text in {"lake/__init__.py": "", "lake/domain/__init__.py": "",
                      "lake/domain/a.py": "from lake.domain import b\n",
                      "lake/domain/b.py": "def late():\n    from lake.domain.a import x\n",
                      "lakehouse_sample/__init__.py": ""}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    assert cycles(graph(tmp_path)) == [["lake.domain.a", "lake.domain.b"]]
