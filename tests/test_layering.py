"""Arrows run one way: lower packages never import higher ones.

db/ (models, event schemas, clocks) is at the bottom, beside configfile/ (reading a settings file a
person edits, with no other first-party import); hardware/ stands alone but for configfile/ and the
card-UID spelling it shares with the server (db.card_uid); sync/
builds on db/, and the kiosk (services, UI, its commands) sits on top of them all. A lower package
importing a higher one would drag Kivy or HTTP into the server, or the server into the kiosk; what two
packages both need moves down instead. Imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIRST_PARTY = ("configfile", "db", "hardware", "sync", "kiosk")

# package (or sub-package) -> the first-party packages it may import
ALLOWED: dict[str, set[str]] = {
    "configfile": {"configfile"},
    "db": {"db"},
    "hardware": {"configfile", "db", "hardware"},
    "sync": {"db", "sync"},
    "kiosk": {"configfile", "db", "hardware", "sync", "kiosk"},
}
# Of db/, hardware uses only the pure card-UID spelling it shares with the server: never models, never
# SQLAlchemy.
ONLY_MODULES = {"hardware": {"db.card_uid", "db.limits"}}
# Inside sync/, the kiosk's side and the school's side share only the wire schema.
SEPARATE = [("sync.client", "sync.server"), ("sync.server", "sync.client")]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {n for n in names if n.split(".")[0] in FIRST_PARTY}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts)


def sources(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_what_lies_below_it(package: str) -> None:
    wrong = {
        f"{module_name(path)} -> {name}"
        for path in sources(package)
        for name in imported_modules(path)
        if name.split(".")[0] not in ALLOWED[package]
    }
    assert not wrong, f"{package}/ must not import these: {sorted(wrong)}"


@pytest.mark.parametrize("package", sorted(ONLY_MODULES))
def test_hardware_takes_only_the_card_spelling_from_db(package: str) -> None:
    wrong = {
        f"{module_name(path)} -> {name}"
        for path in sources(package)
        for name in imported_modules(path)
        if name.split(".")[0] == "db" and name not in ONLY_MODULES[package]
    }
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize(("importer", "imported"), SEPARATE)
def test_the_sync_client_and_server_share_only_the_wire(importer: str, imported: str) -> None:
    folder = REPO.joinpath(*importer.split("."))
    wrong = {
        f"{module_name(path)} -> {name}"
        for path in sorted(folder.rglob("*.py"))
        for name in imported_modules(path)
        if name == imported or name.startswith(imported + ".")
    }
    assert not wrong, sorted(wrong)


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from kiosk.platform.config import load_config\n", encoding="utf-8")
    assert imported_modules(module) == {"kiosk.platform.config"}
