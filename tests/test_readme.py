"""The README tried as a new user would: its demo cheat sheet matches the demo generator, its
commands use the project's Python, it never suggests a password on a command line, and its one-machine
sync example works as written."""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
from pathlib import Path

from db.demo import DEMO_STAFF_PIN, DemoSummary
from tests.support.processes import ServerProcess

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_gives_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


def test_demo_cards_in_readme_are_real(demo: DemoSummary) -> None:
    for uid in demo.sample_child_cards + demo.sample_staff_cards + demo.sample_barcodes:
        assert f"`{uid}`" in README
    assert f"PIN `{DEMO_STAFF_PIN}`" in README
    assert f"{demo.books} books" in README


def test_no_database_password_on_a_command_line() -> None:
    """`ps` shows every process's arguments to every user: a URL with a password must not be suggested."""
    assert not re.search(r"postgresql[+a-z]*://[^@\s/]+:[^@\s/]+@", README)


def test_commands_use_the_projects_python() -> None:
    """A plain `python -m sync` fails outside the venv; the README says `.venv/bin/python`."""
    commands = [line.strip() for line in README.splitlines() if line.startswith(("    ", "python", "$"))]
    assert not [line for line in commands if re.match(r"(\$ )?python3? -m ", line)]


def test_tokens_keys_and_databases_are_never_committed() -> None:
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    for name in ("kiosk.sqlite3", "kiosk.sqlite3-wal", "kiosk.sqlite3.sync-token", "kiosk.sqlite3.pin-key"):
        assert any(fnmatch.fnmatch(name, pattern) for pattern in ignored), name


def test_the_one_machine_sync_example_works_as_written(tmp_path: Path) -> None:
    """The README's local example, against the server `make server` runs (same command, free port)."""
    block = README.split("### Trying sync on one machine", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if not line.startswith("make run")]
    server_db = f"sqlite:///{tmp_path / 'liushou-central.sqlite3'}"
    server = ServerProcess(server_db, tmp_path / "server.log").start()
    try:
        script = "\n".join(lines).replace("http://127.0.0.1:8700", server.url)
        script = script.replace("/tmp/try.sqlite3", str(tmp_path / "try.sqlite3"))
        env = {**os.environ, "SYNC_DATABASE_URL": server_db, "KIOSK_DATA_DIR": str(tmp_path)}
        done = subprocess.run(
            ["bash", "-euc", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
        )
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    assert "enrolled; roster taken" in done.stdout and "configured: True" in done.stdout
