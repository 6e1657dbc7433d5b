"""How the administrator's screens scale: the same queries on one semester and on five years of history.

Run: python -m bench.admin_queries   (first run builds ~1 M events into artifacts/bench-cache/, minutes)

The baseline is one semester of realistic use; the ratio column shows what five years of a much busier
room cost on top. Indexed queries should stay near 1x; anything that grows with history shows up here.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from bench.history_db import FIVE_YEARS, NOW, ONE_SEMESTER, HistorySpec, history_db
from bench.timing import median_seconds, print_table
from db.clock import ManualClock
from db.models import Child
from kiosk.services import reports
from kiosk.services.database_open import open_database
from kiosk.services.uow import UnitOfWork

QUERIES = {
    "overdue list": lambda uow, child: reports.overdue_loans(uow),
    "due for a family call": lambda uow, child: reports.contact_due_list(uow),
    "one child's history (50)": lambda uow, child: reports.child_history(uow, child, 50),
    "borrow records (latest 200)": lambda uow, child: reports.borrow_records(uow),
    "open loans only": lambda uow, child: reports.borrow_records(uow, open_only=True),
    "today's visits": lambda uow, child: reports.visits_on(uow),
    "stock summary": lambda uow, child: reports.stock_summary(uow),
}


def _open(spec: HistorySpec, folder: Path) -> tuple[UnitOfWork, object, int]:
    path = history_db(spec, folder / f"{spec.key}.sqlite3")
    with sqlite3.connect(path) as raw:
        events = raw.execute("SELECT count(*) FROM outbox_events").fetchone()[0]
    uow = open_database(path, ManualClock(NOW))
    with uow.read() as session:
        child = session.query(Child.id).order_by(Child.name).first()[0]
    return uow, child, events


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        base_uow, base_child, base_events = _open(ONE_SEMESTER, Path(folder))
        big_uow, big_child, big_events = _open(FIVE_YEARS, Path(folder))
        print(
            f"baseline: one semester, {base_events:,} events; measured: five years, {big_events:,} events\n"
        )
        rows = []
        for name, query in QUERIES.items():
            base = median_seconds(lambda q=query: q(base_uow, base_child))
            big = median_seconds(lambda q=query: q(big_uow, big_child))
            rows.append((name, base, big, f"{big / base:.1f}x"))
        print_table(("query (median of 7)", "1 semester", "5 years", "ratio"), rows)


if __name__ == "__main__":
    main()
