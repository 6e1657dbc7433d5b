"""Pull the plug (well, kill -9) in the middle of a burst of sign-ins: nothing promised may be lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [23, 260])
def test_every_reported_sign_in_survives_kill_9(db_path: Path, kill_after: int) -> None:
    promised: dict[str, set[str]] = {"SignedIn": set(), "SignedOut": set()}
    # Three rounds on the same file: each restart continues where the killed process left off.
    for round_no in range(3):
        worker = subprocess.Popen(
            [sys.executable, "-m", "tests.crash_worker", str(db_path), str(round_no * 24 * 60)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready"
        for _ in range(kill_after):
            kind, visit_id = worker.stdout.readline().split()
            promised[kind].add(visit_id)
        os.kill(worker.pid, signal.SIGKILL)  # mid-burst: the worker is busy committing the next tap
        worker.wait(timeout=10)
        assert worker.returncode == -signal.SIGKILL

        with sqlite3.connect(db_path) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
            visits = dict(raw.execute("SELECT id, end_reason FROM visits").fetchall())
            signed_in_events = _event_visit_ids(raw, "visit.signed_in")
            signed_out_events = _event_visit_ids(raw, "visit.signed_out", reason="signed_out")
            seqs = [row[0] for row in raw.execute("SELECT seq FROM outbox_events ORDER BY seq")]

        stored = {vid.replace("-", "") for vid in promised["SignedIn"]}
        assert stored <= set(visits), "a sign-in the child was told about is missing"
        out = {vid.replace("-", "") for vid in promised["SignedOut"]}
        assert all(visits[vid] is not None for vid in out), "a reported sign-out was undone"
        # Rows and events were committed together: every visit has its event and vice versa.
        assert {v.replace("-", "") for v in signed_in_events} == set(visits)
        assert {v.replace("-", "") for v in signed_out_events} == {
            vid for vid, reason in visits.items() if reason == "signed_out"
        }
        assert seqs == list(range(1, len(seqs) + 1)), "outbox sequence has a gap or a repeat"


def _event_visit_ids(raw: sqlite3.Connection, event_type: str, reason: str | None = None) -> set[str]:
    query = "SELECT json_extract(payload, '$.visit_id') FROM outbox_events WHERE type = ?"
    params: tuple[str, ...] = (event_type,)
    if reason is not None:
        query += " AND json_extract(payload, '$.reason') = ?"
        params += (reason,)
    return {row[0] for row in raw.execute(query, params)}
