"""The care network's calendar, by hand-counted cases: windows of each cadence, who is whose 代理家长
when a class pair and a child's own pair meet, what a teacher's figures count (windows met, not
records; the open window only once it has a record; visits up to the target per child), and what is
due and overdue for a child today."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from db.enums import GuardianType
from sync.server.core.school_settings import SchoolSettings
from sync.server.models import CareCadence, CareKind, CarePair
from sync.server.reports.basis import RosterChild
from sync.server.reports.care_progress import RecordDays, child_status, teacher_progress
from sync.server.reports.care_windows import pairings, school_year, window_of, windows_between

SETTINGS = SchoolSettings(talk_cadence=CareCadence.WEEKLY, family_contact_cadence=CareCadence.MONTHLY)
TEACHER, CLASS_TEACHER = uuid.uuid4(), uuid.uuid4()


def child(class_name: str = "三年级(1)班", joined: date | None = None) -> RosterChild:
    return RosterChild(
        uuid.uuid4(), "王𠈌", None, class_name, 3, GuardianType.GRANDPARENTS, None, None, True, True, False,
        None, joined, None,
    )  # fmt: skip


def pair(teacher: uuid.UUID, starts: date, ends: date | None = None, *, kid: RosterChild | None = None,
         klass: str | None = None) -> CarePair:  # fmt: skip
    return CarePair(
        id=uuid.uuid4(), school_id=uuid.uuid4(), teacher_id=teacher, child_id=kid.id if kid else None,
        class_name=klass, starts_on=starts, ends_on=ends, created_at=datetime.now(UTC),
    )  # fmt: skip


def test_windows_of_each_cadence() -> None:
    wednesday = date(2026, 11, 18)
    assert window_of(CareCadence.WEEKLY, wednesday) == (date(2026, 11, 16), date(2026, 11, 22))
    assert window_of(CareCadence.HALF_MONTHLY, wednesday) == (date(2026, 11, 16), date(2026, 11, 30))
    assert window_of(CareCadence.HALF_MONTHLY, date(2026, 2, 3)) == (date(2026, 2, 1), date(2026, 2, 15))
    assert window_of(CareCadence.MONTHLY, date(2028, 2, 29)) == (date(2028, 2, 1), date(2028, 2, 29))
    assert len(windows_between(CareCadence.WEEKLY, date(2026, 9, 1), date(2026, 9, 30))) == 5
    year = school_year(2026, SETTINGS)
    assert (year.start, year.end) == (date(2026, 9, 1), date(2027, 8, 31))


def test_a_childs_own_pair_takes_them_from_the_class_teacher_for_its_days() -> None:
    kid, other = child(), child()
    pairs = [
        pair(CLASS_TEACHER, date(2026, 9, 1), klass="三年级(1)班"),
        pair(TEACHER, date(2026, 10, 1), date(2026, 10, 31), kid=kid),
    ]
    found = {
        (p.teacher_id, p.child_id): p.spans
        for p in pairings(pairs, [kid, other], date(2026, 9, 1), date(2026, 12, 31))
    }
    assert found[(TEACHER, kid.id)] == ((date(2026, 10, 1), date(2026, 10, 31)),)
    assert found[(CLASS_TEACHER, kid.id)] == (
        (date(2026, 9, 1), date(2026, 9, 30)),
        (date(2026, 11, 1), date(2026, 12, 31)),
    )
    assert found[(CLASS_TEACHER, other.id)] == ((date(2026, 9, 1), date(2026, 12, 31)),)


def test_a_teachers_figures_count_windows_met() -> None:
    kid = child()
    found = pairings([pair(TEACHER, date(2026, 11, 2), kid=kid)], [kid], date(2026, 9, 1), date(2027, 2, 28))
    talks = [date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 5), date(2026, 11, 18), date(2026, 12, 2)]
    records = [RecordDays(TEACHER, kid.id, CareKind.TALK, tuple(talks))]
    records.append(RecordDays(TEACHER, kid.id, CareKind.VISIT, (date(2026, 11, 10), date(2026, 11, 20))))
    records.append(RecordDays(uuid.uuid4(), kid.id, CareKind.TALK, (date(2026, 11, 10),)))  # someone else's
    today = date(2026, 12, 2)  # a Wednesday: weeks of 2, 9, 16, 23 Nov are closed; 30 Nov is open
    progress = teacher_progress(found, records, SETTINGS, date(2026, 9, 1), date(2027, 2, 28), today)[TEACHER]
    assert (progress.talk.count, progress.talk.done, progress.talk.required) == (
        5,
        3,
        5,
    )  # 2 Nov, 16 Nov, open week
    assert (progress.visit.count, progress.visit.done, progress.visit.required) == (2, 1, 1)  # capped at one
    assert (progress.contact.done, progress.contact.required) == (0, 1)  # November closed without a contact
    assert progress.rate == round(100 * 4 / 7, 1)


def test_what_is_due_and_overdue_today() -> None:
    kid, other = child(), child()
    today = date(2026, 12, 2)
    records = [
        RecordDays(TEACHER, kid.id, CareKind.TALK, (date(2026, 12, 1),)),
        RecordDays(TEACHER, kid.id, CareKind.CONTACT, (date(2026, 11, 15),)),
        RecordDays(TEACHER, other.id, CareKind.VISIT, (date(2026, 9, 20),)),
    ]
    last = {(kid.id, CareKind.TALK): date(2026, 12, 1)}
    paired = {CareKind.TALK: {kid.id, other.id}, CareKind.CONTACT: {kid.id, other.id}}
    status = child_status([kid.id, other.id], last, records, paired, SETTINGS, today)
    assert not status[kid.id].talk_due and status[kid.id].talk_overdue  # nothing in the week of 23 Nov
    assert status[kid.id].contact_due and not status[kid.id].contact_overdue  # November had one
    assert status[kid.id].visits_missing == 1 and not status[kid.id].visits_overdue  # months of semester left
    assert (
        status[other.id].visits_missing == 0
        and status[other.id].talk_due
        and status[other.id].contact_overdue
    )
    late = child_status([kid.id], last, records, paired, SETTINGS, date(2027, 2, 10))
    assert late[kid.id].visits_overdue  # under 30 days before the spring semester
