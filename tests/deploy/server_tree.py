"""Versions of the central server to install in a Debian root: this checkout, or one changed the way an
upgrade can go wrong (a migration that fails, a server that does not come up)."""

from __future__ import annotations

from pathlib import Path

from tests.deploy.roots import source_tree, tamper_hashes


def server_source_tree(
    root: Path,
    name: str,
    *,
    change: str = "",
    new_tables: tuple[str, ...] = (),
    broken_migration: bool = False,
    serve_fails: bool = False,
    tampered: str = "",
) -> str:
    """This checkout as version `name` inside the root; `change` makes it another version,
    `new_tables` one whose migrations add those tables (one migration each, in order: a later version
    carries an earlier one's migrations too, as real versions do), `broken_migration` one whose last
    migration adds a table and then fails, `serve_fails` one whose server stops as it starts (its
    migrate and backup still work), `tampered` one whose server lock holds wrong hashes for that
    package (a mirror or wheelhouse serving other files than the lock's)."""
    folder = source_tree(root, name)
    target = root / folder.lstrip("/")
    if change:
        with (target / "sync/server/__init__.py").open("a", encoding="utf-8") as file:
            file.write(f"# {change}\n")
    versions = target / "sync/server/migrations/versions"
    head = sorted(versions.glob("0*.py"))[-1].name[:4]
    steps = [(table, "") for table in new_tables]
    if broken_migration:
        steps.append(("half_made", "    raise RuntimeError('a migration that fails')\n"))
    for number, (table, after) in enumerate(steps):
        revision = f"test_{table}"
        (versions / f"{9000 + number}_{revision}.py").write_text(
            "import sqlalchemy as sa\nfrom alembic import op\n\n"
            f'revision = "{revision}"\ndown_revision = "{head}"\n'
            "branch_labels = None\ndepends_on = None\n\n\n"
            "def upgrade() -> None:\n"
            f"    op.create_table('{table}', sa.Column('id', sa.Integer, primary_key=True))\n{after}",
            encoding="utf-8",
        )
        head = revision
    if tampered:
        tamper_hashes(target / "requirements-server.lock", tampered)
    if serve_fails:
        with (target / "sync/server/app.py").open("a", encoding="utf-8") as file:
            file.write("raise SystemExit('this version of the server does not start')\n")
    return folder
