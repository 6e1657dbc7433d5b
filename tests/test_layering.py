"""Arrows run one way: lower packages never import higher ones, and no module imports itself in a loop.

db/ (models, event schemas, clocks) is at the bottom, beside configfile/ (reading a settings file a
person edits, with no other first-party import); hardware/ stands alone but for configfile/ and the
card-UID spelling it shares with the server (db.card_uid); sync/ builds on db/, and the kiosk sits on
top of them all. Inside the kiosk: platform/ (config, device key, watchdog, words) under services/
(the rules, no Kivy), under ui/, under commands/ (what a person or systemd starts). Inside the server:
core/ and models/ under everything, the office under its web pages, and the command line on top.

A lower package importing a higher one would drag Kivy or HTTP into the server, or the server into the
kiosk; what two packages both need moves down instead. Every import counts: inside functions, under
`TYPE_CHECKING` (a type-only import is still a dependency a reader must follow), and relative ones.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIRST_PARTY = ("configfile", "db", "hardware", "sync", "kiosk", "tests", "bench")
PRODUCTION = ("configfile", "db", "hardware", "sync", "kiosk")

# package (or sub-package) -> the first-party packages it may import; the longest key that fits applies
ALLOWED: dict[str, set[str]] = {
    "configfile": {"configfile"},
    "db": {"db"},
    "hardware": {"configfile", "db.card_uid", "db.limits", "hardware"},
    "sync": {"db", "sync"},
    "sync.client": {"db", "sync.wire", "sync.client"},
    "sync.wire": {"db", "sync.wire"},
    "sync.server": {"db", "sync.wire", "sync.server"},
    "sync.server.core": {"db", "sync.wire", "sync.server.core", "sync.server.models"},
    "sync.server.models": {"db", "sync.server.models"},
    "sync.server.intake": {
        "db",
        "sync.wire",
        "sync.server.core",
        "sync.server.models",
        "sync.server.intake",
        "sync.server.projections",
        "sync.server.api",
    },
    "sync.server.projections": {
        "db",
        "sync.wire",
        "sync.server.core",
        "sync.server.models",
        "sync.server.projections",
    },
    "sync.server.office": {
        "db",
        "sync.wire",
        "sync.server.core",
        "sync.server.models",
        "sync.server.office",
        "sync.server.devices",
        "sync.server.projections",
        "sync.server.reports",
        "sync.server.i18n",
    },
    "sync.server.reports": {
        "db",
        "sync.wire",
        "sync.server.core",
        "sync.server.models",
        "sync.server.reports",
        "sync.server.i18n",
    },
    "kiosk": {"configfile", "db", "hardware", "sync.wire", "sync.client", "kiosk"},
    "kiosk.platform": {"configfile", "db", "hardware", "kiosk.platform"},
    "kiosk.services": {"db", "hardware", "sync.wire", "sync.client", "kiosk.services"},
    "kiosk.ui": {
        "configfile",
        "db",
        "hardware",
        "sync.wire",
        "sync.client",
        "kiosk.platform",
        "kiosk.services",
        "kiosk.ui",
    },
}
# Third-party packages only some floors may use: the rules never see a screen.
KIVY_ONLY_IN = ("kiosk.ui", "kiosk.commands")
# Message catalogues are tables of sentences, and Alembic migrations are generated and then frozen:
# the length rule is for code a person reads to change it.
LENGTH_EXEMPT = ("/i18n/", "/words/", "/migrations/versions/")
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    found = {}
    for top in FIRST_PARTY:
        for path in sorted((REPO / top).rglob("*.py")):
            found[module_name(path)] = path
    return found


def imported_names(path: Path, name: str | None = None) -> Iterator[str]:
    """Every module named by an import in `path` (the module `name`), relative imports resolved;
    `from pkg import sub` names `pkg.sub` when that is a module."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            submodules = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in modules()]
            yield from submodules
            if len(submodules) < len(node.names):  # some names are the module's own, not submodules
                yield module


def first_party_imports(path: Path, name: str | None = None) -> set[str]:
    return {n for n in imported_names(path, name) if n.split(".")[0] in FIRST_PARTY}


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def rule_for(module: str) -> set[str]:
    key = max((k for k in ALLOWED if within(module, k)), key=len)
    return ALLOWED[key]


def production_modules() -> list[str]:
    return [m for m in modules() if m.split(".")[0] in PRODUCTION]


@pytest.mark.parametrize("top", PRODUCTION)
def test_a_package_imports_only_what_lies_below_it(top: str) -> None:
    wrong = sorted(
        f"{module} -> {name}"
        for module in production_modules()
        if within(module, top)
        for name in first_party_imports(modules()[module])
        if not within(name, module) and not any(within(name, allowed) for allowed in rule_for(module))
    )
    assert not wrong, f"these imports run against the arrows: {wrong}"


def test_production_never_imports_a_test_helper() -> None:
    wrong = sorted(
        f"{module} -> {name}"
        for module in production_modules()
        for name in first_party_imports(modules()[module])
        if name.split(".")[0] in ("tests", "bench")
    )
    assert not wrong, wrong


def test_only_the_touchscreen_imports_kivy() -> None:
    """The services, the console, the sync client and the server run with no screen (and the tests
    drive the rules without one)."""
    wrong = sorted(
        module
        for module in production_modules()
        if not any(within(module, floor) for floor in KIVY_ONLY_IN)
        and any(within(name, "kivy") for name in imported_names(modules()[module]))
    )
    assert not wrong, wrong


def test_the_import_graph_has_no_loop() -> None:
    graph = {m: {resolve(n) for n in first_party_imports(p)} - {None, m} for m, p in modules().items()}
    loops = [sorted(component) for component in strongly_connected(graph) if len(component) > 1]
    assert not loops, loops


def test_no_code_module_is_over_400_lines() -> None:
    long = sorted(
        f"{module} ({lines} lines)"
        for module in production_modules()
        if not any(part in modules()[module].as_posix() for part in LENGTH_EXEMPT)
        and (lines := len(modules()[module].read_text(encoding="utf-8").splitlines())) > MAX_LINES
    )
    assert not long, long


def resolve(name: str) -> str | None:
    """The module an import reaches (`from pkg import Name` reaches `pkg`)."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


def strongly_connected(graph: dict[str, set[str | None]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (the graph has a few hundred modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(n for n in graph[root] if n)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(n for n in graph.get(step, ()) if n))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def test_the_check_sees_imports_inside_functions_type_only_and_relative(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from kiosk.ui.app import KioskApp\n"
        "def f():\n    from kiosk.platform.config import load_config\n"
        "from . import calls\n"
        "from .. import ui\n",
        encoding="utf-8",
    )
    names = first_party_imports(probe, "kiosk.services.probe")
    assert {"kiosk.ui.app", "kiosk.platform.config", "kiosk.services.calls", "kiosk.ui"} <= names
    assert not any(within("kiosk.ui.app", allowed) for allowed in rule_for("kiosk.services.probe"))


def test_the_loop_check_finds_a_loop() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}, {"d"}]
