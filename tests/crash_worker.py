"""A kiosk process that signs children in and out as fast as it can, for the kill -9 test.

It prints a line for every action only after the service has returned, i.e. after the commit: each
printed line is a promise ("签到成功" was shown) that must survive the process being killed.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from sqlalchemy import select

from db.clock import ManualClock
from db.models import Card
from kiosk.services import signin, signout
from kiosk.services.database_open import open_database


def main(db_path: str, start_offset_minutes: int) -> None:
    clock = ManualClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    clock.advance(minutes=start_offset_minutes)
    uow = open_database(db_path, clock)
    with uow.read() as session:
        uids = list(session.scalars(select(Card.uid).where(Card.child_id.is_not(None)).order_by(Card.uid)))
    print("ready", flush=True)
    while True:
        for uid in uids:
            clock.advance(seconds=11)  # past the repeat-tap window: every tap is a real sign-in or -out
            result = signin.tap_card(uow, uid)
            if isinstance(result, signin.AskSignOut):  # 要签退吗？ — 是
                result = signout.sign_out(uow, result.child.id)
            if isinstance(result, signin.SignedIn | signin.SignedOut):
                print(type(result).__name__, result.visit_id, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
