"""The project's wheel is a whole server: built here, installed into a fresh virtual environment from a
wheelhouse (no checkout on the path), it migrates a new database and serves the office's sign-in page
with its styles — what a county installs when it installs from the wheel, not from a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import requests

from tests.deploy.roots import CLEAN_ENV
from tests.support.processes import free_port

pytestmark = pytest.mark.slow


def test_the_wheel_carries_the_office_and_serves_it_from_a_fresh_venv(
    server_wheels: Path, tmp_path: Path
) -> None:
    wheel = next(server_wheels.glob("liushou_kiosk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for carried in (
        "sync/server/web/templates/login.html",
        "sync/server/web/templates/base.html",
        "sync/server/web/static/office.css",
        "sync/server/web/static/office.js",
        "sync/server/migrations/env.py",
        "sync/server/migrations/versions/0001_central_schema.py",
        "db/migrations/env.py",
    ):
        assert carried in names, carried

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin/pip"), "install", "--quiet", "--no-index", "--find-links", str(server_wheels),
         f"{wheel}[server]"],
        check=True, timeout=600, env=CLEAN_ENV,
    )  # fmt: skip
    where = subprocess.run(
        [str(venv / "bin/python"), "-c", "import sync.server; print(sync.server.__file__)"],
        cwd=tmp_path, env=CLEAN_ENV, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert where.startswith(str(venv)), where  # the installed copy, not this checkout

    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    database = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    server = subprocess.Popen(
        [str(venv / "bin/python"), "-m", "sync.server", "--database", database, "serve", "--port", str(port)],
        cwd=tmp_path, env={**CLEAN_ENV, "HOME": str(tmp_path)}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        page = _first_answer(f"http://127.0.0.1:{port}/office/login", server, tmp_path / "server.log")
        assert page.status_code == 200 and "登录" in page.text
        stylesheet = next(part.split('"')[0] for part in page.text.split('href="')[1:] if ".css" in part)
        styles = requests.get(f"http://127.0.0.1:{port}{stylesheet}", timeout=10)
        assert styles.status_code == 200 and styles.headers["content-type"].startswith("text/css")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert os.path.getsize(tmp_path / "central.sqlite3") > 0  # migrated from the wheel's own migrations


def _first_answer(url: str, server: subprocess.Popen[bytes], log: Path) -> requests.Response:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the installed server stopped: {log.read_text(errors='replace')[-3000:]}")
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            time.sleep(0.3)
    raise AssertionError(f"the installed server did not answer: {log.read_text(errors='replace')[-3000:]}")
