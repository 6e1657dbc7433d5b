"""The README's server commands work as written: the first administrator made with the README's own
create-user lines (the password typed into a pipe, with and without --password-stdin), and
`make server ARGS="--database …"` — the option after `serve`, where make puts it — serving that
database."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.support.processes import REPO, free_port
from tests.sync.office.officeclient import OfficeClient

pytestmark = pytest.mark.slow
README = (REPO / "README.md").read_text(encoding="utf-8")
PASSWORD = "夜来风雨声-花落知多少"


def readme_line(pattern: str) -> str:
    found = re.search(rf"^\s+(\.venv/bin/python -m sync\.server admin {pattern}[^\n]*)$", README, re.M)
    assert found, pattern
    return found.group(1).split("  #")[0].strip()


def run(command: list[str], *, stdin: str = "") -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, cwd=REPO, env=environment, timeout=180
    )


def words(line: str, **ids: str) -> list[str]:
    """The README's line as the shell would split it, with the ids it says to fill in."""
    line = line.split(" < ")[0]
    for name, value in ids.items():
        line = line.replace(name, value)
    parts = shlex.split(line)
    return [sys.executable, *parts[1:]]


def test_the_first_users_made_with_the_readmes_lines_and_a_piped_password(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    county = run([*words(readme_line("create-county")), "--database", database])
    assert county.returncode == 0, county.stderr
    county_id = county.stdout.strip().split()[-1]
    school = run([*words(readme_line("create-school"), COUNTY_ID=county_id), "--database", database])
    assert school.returncode == 0, school.stderr
    school_id = school.stdout.strip().split()[-1]
    admin = run(
        [*words(readme_line("create-user wangli"), SCHOOL_ID=school_id), "--database", database],
        stdin=PASSWORD + "\n",
    )
    assert admin.returncode == 0 and "Traceback" not in admin.stderr, admin.stderr
    bureau = run(
        [*words(readme_line("create-user jyj"), COUNTY_ID=county_id), "--database", database],
        stdin=PASSWORD + "\n",
    )
    assert bureau.returncode == 0, bureau.stderr
    nothing = run([*words(readme_line("create-user wangli"), SCHOOL_ID=school_id), "--database", database])
    assert nothing.returncode != 0 and "Traceback" not in nothing.stderr  # no password piped: said so
    assert "standard input" in nothing.stderr

    port = free_port()
    server = subprocess.Popen(
        ["make", "--no-print-directory", "server", f"ARGS=--database {database} --port {port}"],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/office/login", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        for username in ("wangli", "jyj"):
            OfficeClient(base).login(username, PASSWORD)  # fails the test unless signed in
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
