"""`make run` starts `python -m kiosk`; with --console a child's card number can sign in, log a call and
borrow a book. This drives the real process through its stdin, as a keyboard-wedge reader would."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from db.models import Child, FamilyCall, Loan, OutboxEvent, SyncState, Visit
from kiosk.services.database_open import open_database

REPO = Path(__file__).resolve().parent.parent


def run_kiosk(db: Path, keys: list[str], *extra: str) -> str:
    env = {**os.environ, "KIOSK_DATA_DIR": str(db.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--console", "--db", str(db), *extra],
        input="\n".join(keys) + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def demo_cards(output: str) -> tuple[str, str]:
    child = (
        next(line for line in output.splitlines() if "child cards" in line)
        .split(":")[1]
        .split(",")[0]
        .strip()
    )
    staff = next(line for line in output.splitlines() if "staff card" in line).split(":")[1].split()[0]
    return child, staff


def test_first_start_loads_demo_data_and_a_child_signs_in_calls_and_borrows(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    first = run_kiosk(db, ["q"])
    child_card, _ = demo_cards(first)
    output = run_kiosk(
        db,
        [
            child_card,  # tap: 签到
            "1",
            "1",
            "1",
            "1",
            "",  # 亲情电话 -> first callee -> phone -> 想家了 -> (talk) Enter ends it
            "2",
            "TS000001",  # 借书 -> scan
            "4",  # 完成
            "q",
        ],
    )
    assert "签到成功" in output
    assert "已经记好了。现在请拨打：1380000" in output  # logged first, then the number
    assert "通话结束" in output
    assert "借到了《西游记（青少版）》" in output
    assert "演示数据" not in output  # demo data only on the first start
    uow = open_database(db)
    with uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 1
        assert (
            session.scalar(
                select(func.count()).select_from(FamilyCall).where(FamilyCall.ended_at.is_not(None))
            )
            == 1
        )
        assert session.scalar(select(func.count()).select_from(Loan)) == 1
        assert session.scalar(select(func.count()).select_from(OutboxEvent)) == 4


def test_an_enrolled_kiosk_never_gets_the_demo_roster(tmp_path: Path) -> None:
    """Enrolled while the school's roster on the server was still empty: the kiosk's roster is the
    school's (empty until the next pull), never the demo's, which would mix with it for good."""
    db = tmp_path / "kiosk.sqlite3"
    uow = open_database(db)
    with uow:
        uow.session.add(
            SyncState(
                server_url="http://127.0.0.1:9",
                school_id=uuid.uuid4(),
                room_id=uuid.uuid4(),
                enrolled_at=datetime.now(UTC),
                roster_adopted=True,
            )
        )
        uow.commit()
    uow.engine.dispose()

    output = run_kiosk(db, ["q"])
    assert "演示数据" not in output
    uow = open_database(db)
    with uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Child)) == 0
    uow.engine.dispose()


def test_refusals_are_explained_in_chinese(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    child_card, staff_card = demo_cards(run_kiosk(db, ["q"]))
    output = run_kiosk(
        db,
        [
            "FFFFFFFF",  # unknown card
            child_card,
            "3",
            "TS000001",
            "1",  # return something that is not on loan
            "2",
            "NOPE-1",  # not in the catalogue
            "4",
            staff_card,
            "0000",  # wrong PIN
            "q",
        ],
    )
    assert "这张卡还没有登记" in output
    assert "没有被借出，不用还" in output
    assert "条码 NOPE-1 不在目录里" in output
    assert "密码不对，还可以试 4 次" in output


def test_administrator_sees_overdue_and_opens_the_room(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    _, staff_card = demo_cards(run_kiosk(db, ["q"]))
    output = run_kiosk(db, [staff_card, "2468", "5", "3", "8", "q"], "--locale", "en")
    assert "Hello, 王丽." in output
    assert "The room is open." in output
    assert "(none)" in output  # nothing overdue yet


def test_bad_config_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text("[kiosk\nlocale = 'fr'\n")
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--console", "--config", str(bad)],
        input="q\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2
    assert "kiosk.toml" in done.stderr


def test_console_times_are_the_schools_not_the_machines(uow, room, monkeypatch) -> None:
    """The school's zone (Asia/Shanghai in the demo) even on a machine set to another zone: 15:30 at
    the school is 07:30 UTC and 02:30 in New York."""
    import time

    from db.demo import DEMO_STAFF_PIN
    from kiosk.commands.console import Console

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        # 亲情电话 → first callee → phone → no reason → Enter ends it → leave; PIN → 今日签到 → leave
        answers = iter(["1", "1", "1", "0", "", "", DEMO_STAFF_PIN, "1", ""])
        lines: list[str] = []
        console = Console(uow, "zh_CN", read=lambda _prompt: next(answers), write=lines.append)
        console.tap(room.card_of(0))
        console.tap(room.staff_card(0))
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    output = "\n".join(lines)
    assert "通话请在 15:40 前结束" in output  # START is 15:30 at the school, the limit 10 minutes
    assert "15:30 " in output and "02:30" not in output and "07:30" not in output
