"""Every command a technician types over SSH, on every kind of storage trouble a kiosk meets: a full
card, a data folder mounted read-only, a data folder that is not there, a database another program
holds locked, a damaged database. Each answers in words, with an exit code a script can test, and
never with a Python traceback. Real processes, real files: the card is a tmpfs."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from db.backups import make_backup
from db.pin_key_file import pin_key_path_for
from tests.db.test_backups import damage
from tests.support.full_card import fill, tmpfs

REPO = Path(__file__).resolve().parents[1]
STATES = ("full card", "read-only folder", "missing folder", "locked database", "damaged database")
COMMANDS = {
    "console": ["--console"],
    "backup": ["backup"],
    "backups": ["backups"],
    "restore-backup": ["restore-backup", "BACKUP"],
    "health": ["health"],
    "migrate": ["migrate"],
    "sync enrol": ["sync", "enrol", "--server", "https://127.0.0.1:9", "--code", "ABCD-EFGH"],
    "sync now": ["sync", "now"],
    "sync status": ["sync", "status"],
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root"),
]


@contextlib.contextmanager
def storage_in_state(state: str, template: Path, tmp_path: Path) -> Iterator[Path]:
    """A data folder holding a copy of the demo kiosk's database (and its key), in `state`."""
    card = tmp_path / "card"
    with tmpfs(card, "8m"):
        data = card / "data"
        data.mkdir(mode=0o700)
        database = data / "kiosk.sqlite3"
        shutil.copyfile(template, database)
        shutil.copy(pin_key_path_for(template), pin_key_path_for(database))
        if state == "missing folder":
            shutil.rmtree(data)
        elif state == "damaged database":
            damage(database)
        elif state == "full card":
            fill(card)
        elif state == "read-only folder":
            subprocess.run(["mount", "-o", "remount,ro", str(card)], check=True)
        if state != "locked database":
            yield data
            return
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sqlite3, sys, time\n"
                "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                "c.execute('BEGIN EXCLUSIVE'); print('held', flush=True); time.sleep(600)\n",
                str(database),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            yield data
        finally:
            holder.kill()
            holder.wait()


def run(command: list[str], data: Path, backup: Path) -> subprocess.CompletedProcess[str]:
    argv = [str(backup) if word == "BACKUP" else word for word in command]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env |= {"KIOSK_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *argv],
        input="q\n",
        env=env,
        cwd=data.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("state", STATES)
def test_no_command_answers_storage_trouble_with_a_traceback(
    state: str, db_path: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copyfile(db_path, outside / "kiosk.sqlite3")
    backup = make_backup(outside / "kiosk.sqlite3", "manual").path  # a good backup to restore from

    with storage_in_state(state, db_path, tmp_path) as data, ThreadPoolExecutor(3) as pool:
        done = dict(zip(COMMANDS, pool.map(lambda c: run(c, data, backup), COMMANDS.values()), strict=True))

    for name, finished in done.items():
        said = finished.stdout + finished.stderr
        assert "Traceback" not in said, f"{state}: {name} printed a traceback:\n{said}"
        if finished.returncode != 0:
            assert finished.stderr.strip(), f"{state}: {name} failed ({finished.returncode}) without a word"
            assert finished.returncode in (1, 2, 4), f"{state}: {name} exited {finished.returncode}:\n{said}"
