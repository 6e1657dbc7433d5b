"""What the centre does when rooms were offline: both facts kept and flagged, never one dropped; and
times corrected from the kiosk's monotonic clock, because the Pi has no real-time clock."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from db.enums import CardStatus
from db.models import Card, Copy
from kiosk.services import loans
from sync.server.models import CentralCard, CentralCatalogueItem, CentralCopy
from sync.server.models.facts import ConflictKind, ConflictStatus, TimeBasis
from tests.sync.conftest import Central, Kiosk, SchoolRef


def two_kiosks(new_kiosk, central: Central, school: SchoolRef, url: str) -> tuple[Kiosk, Kiosk]:
    library, reading_room = new_kiosk("library"), new_kiosk("reading-room")
    for kiosk in (library, reading_room):
        kiosk.enrol(url, central.code(school))
    return library, reading_room


def test_one_copy_lent_at_two_offline_kiosks_keeps_both_loans_and_flags_it(
    central: Central, school: SchoolRef, new_kiosk, server
) -> None:
    library, reading_room = two_kiosks(new_kiosk, central, school, server.url)
    barcode = library.room.barcodes("book", 1)[0]
    first = loans.borrow_copy(library.uow, library.room.child(0), barcode)
    second = loans.borrow_copy(reading_room.uow, reading_room.room.child(1), barcode)

    library.sync()
    assert central.open_conflicts(school, ConflictKind.COPY_LENT_TWICE) == []
    reading_room.sync()

    [conflict] = central.open_conflicts(school, ConflictKind.COPY_LENT_TWICE)
    stored_loans = {
        e.payload["loan_id"]
        for kiosk in (library, reading_room)
        for e in central.events_of(kiosk.device_id)
        if e.type == "loan.borrowed"
    }
    assert stored_loans == {str(first.loan_id), str(second.loan_id)}
    assert {loan["loan_id"] for loan in conflict.detail["loans"]} == stored_loans
    assert len(conflict.event_ids) == 2

    reading_room.sync()  # a resend or a later sync does not flag the same thing again
    assert len(central.conflicts(school, ConflictKind.COPY_LENT_TWICE)) == 1


def test_loans_of_one_copy_at_different_times_are_no_conflict(
    central: Central, school: SchoolRef, new_kiosk, server
) -> None:
    library, reading_room = two_kiosks(new_kiosk, central, school, server.url)
    barcode = library.room.barcodes("book", 1)[0]
    loans.borrow_copy(library.uow, library.room.child(0), barcode)
    library.clock.advance(days=3)
    loans.return_copy(library.uow, barcode)
    library.clock.advance(days=1)
    # the reading room lends it only now (both kiosks share one boot's worth of monotonic time)
    reading_room.clock.advance(days=4)
    loans.borrow_copy(reading_room.uow, reading_room.room.child(1), barcode)
    library.sync()
    reading_room.sync()
    assert central.conflicts(school, ConflictKind.COPY_LENT_TWICE) == []


def test_a_late_return_showing_the_loans_did_not_overlap_clears_the_conflict(
    central: Central, school: SchoolRef, new_kiosk, server
) -> None:
    """The library's return reaches the server after the reading room's loan: until then the library's
    loan looks open and the two overlap. Each kiosk's events are from boots that never reached the
    server, so their times are the kiosks' own and the test does not depend on today's date."""
    library, reading_room = two_kiosks(new_kiosk, central, school, server.url)
    barcode = library.room.barcodes("book", 1)[0]
    library.clock.reboot("library-offline")
    loans.borrow_copy(library.uow, library.room.child(0), barcode)
    library.clock.reboot("library-online")
    library.sync()
    library.clock.reboot("library-offline-again")
    library.clock.advance(days=1)
    loans.return_copy(library.uow, barcode)  # not synced yet
    reading_room.clock.reboot("reading-room-offline")
    reading_room.clock.advance(days=2)
    loans.borrow_copy(reading_room.uow, reading_room.room.child(1), barcode)
    reading_room.clock.reboot("reading-room-online")
    reading_room.sync()
    [conflict] = central.open_conflicts(school, ConflictKind.COPY_LENT_TWICE)

    library.clock.reboot("library-online-again")
    library.sync()

    assert central.open_conflicts(school, ConflictKind.COPY_LENT_TWICE) == []
    [cleared] = central.conflicts(school, ConflictKind.COPY_LENT_TWICE)
    assert cleared.id == conflict.id and cleared.status is ConflictStatus.CLEARED


def reassign_centrally(central: Central, school: SchoolRef, uid: str, **changes: object) -> None:
    with central.edit() as session:
        card = session.get(CentralCard, (school.id, uid))
        assert card is not None
        for name, value in changes.items():
            setattr(card, name, value)


def test_a_card_reported_lost_centrally_but_used_offline_keeps_the_visit_and_the_loss(
    central: Central, school: SchoolRef, new_kiosk, server
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    uid = kiosk.room.card_of(0)
    reassign_centrally(central, school, uid, status=CardStatus.LOST)

    kiosk.room.tap(0)  # the kiosk has not heard yet: the child signs in
    kiosk.sync()

    [conflict] = central.open_conflicts(school, ConflictKind.CARD_USED_AFTER_CENTRAL_CHANGE)
    assert conflict.detail["card_uid"] == uid and conflict.detail["centre_card_status"] == "lost"
    [visit] = [e for e in central.events_of(kiosk.device_id) if e.type == "visit.signed_in"]
    assert [str(visit.id)] == conflict.event_ids
    with central.db.reads() as session:
        assert session.get(CentralCard, (school.id, uid)).status is CardStatus.LOST  # the centre's stays
    with kiosk.uow.read() as session:
        assert session.get(Card, uid).status is CardStatus.LOST  # and the room now knows


def test_a_card_reassigned_centrally_after_it_was_used_is_no_conflict(
    central: Central, school: SchoolRef, new_kiosk, server
) -> None:
    """Order by real time, not by arrival: the tap happened two hours before the centre's change,
    although it reaches the server after it."""
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    kiosk.room.tap(0)
    kiosk.clock.advance(hours=2)  # the kiosk stays offline for two hours after the tap
    reassign_centrally(central, school, kiosk.room.card_of(0), child_id=kiosk.room.child(5))
    kiosk.sync()
    assert central.conflicts(school, ConflictKind.CARD_USED_AFTER_CENTRAL_CHANGE) == []


def test_lost_cards_and_new_books_reach_every_kiosk(
    central: Central, school: SchoolRef, new_kiosk, server
) -> None:
    library, reading_room = two_kiosks(new_kiosk, central, school, server.url)
    uid = library.room.card_of(3)
    reassign_centrally(central, school, uid, status=CardStatus.LOST)
    with central.edit() as session:
        item = CentralCatalogueItem(
            school_id=school.id,
            kind="book",
            title="草房子",
            author="曹文轩",
            isbn=None,
            price_fen=2800,
            active=True,
        )
        session.add(item)
        session.flush()
        session.add(CentralCopy(school_id=school.id, item_id=item.id, barcode="NEW-0001", acquired_on=None))

    for kiosk in (library, reading_room):
        assert kiosk.sync().pulled == 3
        with kiosk.uow.read() as session:
            assert session.get(Card, uid).status is CardStatus.LOST
            assert session.scalar(select(Copy).where(Copy.barcode == "NEW-0001")) is not None


def test_times_are_corrected_from_the_monotonic_clock_and_order_is_by_sequence(
    central: Central, school: SchoolRef, new_kiosk, server
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    kiosk.room.tap(0)
    kiosk.clock.advance(minutes=10)
    kiosk.clock.set_wall(datetime(2001, 1, 1, tzinfo=UTC))  # the wall clock jumps back: a bad NTP step
    kiosk.room.tap(1)
    kiosk.clock.advance(minutes=10)

    before = datetime.now(UTC)
    kiosk.sync()
    first, second = central.events_of(kiosk.device_id)[-2:]

    assert (first.seq, second.seq) == (first.seq, first.seq + 1)
    assert second.occurred_at < first.occurred_at  # the kiosk's clock says otherwise…
    assert first.time_basis is second.time_basis is TimeBasis.BOOT_ANCHOR
    assert second.corrected_at - first.corrected_at == timedelta(minutes=10)  # …the monotonic clock knows
    assert abs(second.corrected_at - (before - timedelta(minutes=10))) < timedelta(seconds=30)
    # both times are kept: what the kiosk said, and the corrected one
    assert second.occurred_at.year == 2001

    offset = kiosk.client.status().clock_offset_ms
    assert offset is not None and abs(offset - (before - kiosk.clock.now()).total_seconds() * 1000) < 30_000
    assert abs(central.device(kiosk.device_id).clock_offset_ms - offset) < 30_000


def test_a_pi_that_boots_a_year_back_keeps_the_order_and_the_server_corrects_every_time(
    central: Central, school: SchoolRef, new_kiosk, server
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    kiosk.clock.reboot("no-clock-battery")  # no RTC and no saved time: the Pi starts a year back
    kiosk.clock.set_wall(kiosk.clock.now() - timedelta(days=365))
    for child in range(12):  # an afternoon of sign-ins and sign-outs, three minutes apart
        kiosk.room.come_or_go(child % 6)
        kiosk.clock.advance(minutes=3)

    before = datetime.now(UTC)
    kiosk.sync()
    afternoon = central.events_of(kiosk.device_id)[-12:]

    assert [e.seq for e in afternoon] == list(range(afternoon[0].seq, afternoon[0].seq + 12))
    assert all(e.time_basis is TimeBasis.BOOT_ANCHOR for e in afternoon)
    corrected = [e.corrected_at for e in afternoon]
    assert corrected == sorted(corrected)  # the order the children came in, by sequence and by time
    assert all(later - earlier == timedelta(minutes=3) for earlier, later in itertools.pairwise(corrected))
    assert abs(corrected[-1] - (before - timedelta(minutes=3))) < timedelta(seconds=30)
    assert all(before - e.occurred_at > timedelta(days=364) for e in afternoon)  # what the kiosk said, kept


def test_a_boot_that_never_reached_the_server_keeps_the_kiosk_time_marked_unverified(
    central: Central, school: SchoolRef, new_kiosk, server
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    kiosk.clock.reboot("morning")  # the Pi is switched on; the network is down all morning
    kiosk.room.tap(0)
    kiosk.clock.advance(minutes=5)
    kiosk.clock.reboot("afternoon")  # a power cut, then the network is back
    kiosk.room.tap(1)
    kiosk.sync()
    before_reboot, after_reboot = central.events_of(kiosk.device_id)[-2:]
    assert before_reboot.time_basis is TimeBasis.KIOSK_CLOCK
    assert before_reboot.corrected_at == before_reboot.occurred_at
    assert after_reboot.time_basis is TimeBasis.BOOT_ANCHOR


def test_conflicts_are_listed_for_the_administrator(central, school, new_kiosk, server) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    reassign_centrally(central, school, kiosk.room.card_of(0), status=CardStatus.LOST)
    kiosk.room.tap(0)
    kiosk.sync()
    [conflict] = central.conflicts(school)
    assert (
        conflict.status is ConflictStatus.OPEN
        and conflict.kind is ConflictKind.CARD_USED_AFTER_CENTRAL_CHANGE
    )
