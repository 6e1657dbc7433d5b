"""电视、VCD放映登记: the administrator opens a showing (when, what), children join it with a tap, and
the register lists who watched. The paper register asks for 人员签名; a tap is the signature.

The room has one television, so one showing is open at a time; closing the room closes it. A child
joins a showing once (the viewers' key is showing and child).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import ShowingMedium
from db.ids import time_ordered_id
from db.limits import SHOWING_CONTENT_MAX
from db.models import Child, Showing, ShowingViewer
from kiosk.services.days import day_bounds, local_date
from kiosk.services.errors import AlreadyWatching, InvalidShowing, NoShowingOpen, ShowingAlreadyOpen
from kiosk.services.lookups import require_child, require_staff
from kiosk.services.room_settings import load_settings
from kiosk.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class OpenShowing:
    showing_id: uuid.UUID
    medium: ShowingMedium
    content: str
    starts_at: datetime
    viewers: int


@dataclass(frozen=True, slots=True)
class Viewer:
    child_id: uuid.UUID
    name: str
    class_name: str
    joined_at: datetime


@dataclass(frozen=True, slots=True)
class ShowingRecord:
    """One line of the register: time, content, who watched."""

    showing_id: uuid.UUID
    medium: ShowingMedium
    content: str
    starts_at: datetime
    closed_at: datetime | None
    viewers: list[Viewer]


def open_showing(
    uow: UnitOfWork,
    staff_id: uuid.UUID,
    medium: ShowingMedium,
    content: str,
    starts_at: datetime | None = None,
) -> uuid.UUID:
    """`starts_at` defaults to now; a showing announced for later in the afternoon may be opened early."""
    title = content.strip()
    if not 1 <= len(title) <= SHOWING_CONTENT_MAX:
        raise InvalidShowing(limit=SHOWING_CONTENT_MAX)
    with uow:
        require_staff(uow.session, staff_id)
        if current(uow) is not None:
            raise ShowingAlreadyOpen()
        now = uow.clock.now()
        showing = Showing(
            id=time_ordered_id(),
            medium=medium,
            content=title,
            starts_at=starts_at or now,
            opened_at=now,
            opened_by=staff_id,
        )
        uow.session.add(showing)
        uow.record(showing.opened_event())
        uow.commit()
        return showing.id


def join_showing(uow: UnitOfWork, child_id: uuid.UUID, showing_id: uuid.UUID) -> OpenShowing:
    """A child joins the showing they were offered (by id: never one that replaced it meanwhile)."""
    with uow:
        session = uow.session
        require_child(session, child_id)
        showing = session.get(Showing, showing_id)
        if showing is None or showing.closed_at is not None:
            raise NoShowingOpen()
        if session.get(ShowingViewer, (showing_id, child_id)) is not None:
            raise AlreadyWatching()
        viewer = ShowingViewer(showing_id=showing_id, child_id=child_id, joined_at=uow.clock.now())
        session.add(viewer)
        uow.record(viewer.joined_event())
        session.flush()
        seen = _summary(session, showing)
        uow.commit()
        return seen


def close_showing(uow: UnitOfWork, staff_id: uuid.UUID) -> int:
    """结束放映; returns how many watched. Refused when no showing is open."""
    with uow:
        require_staff(uow.session, staff_id)
        showing = current(uow)
        if showing is None:
            raise NoShowingOpen()
        close(uow, showing, staff_id, uow.clock.now())
        watched = _viewer_count(uow.session, showing.id)
        uow.commit()
        return watched


def close(uow: UnitOfWork, showing: Showing, staff_id: uuid.UUID, now: datetime) -> None:
    """Within the caller's transaction (closing the room closes the showing too)."""
    showing.closed_at = now
    showing.closed_by = staff_id
    uow.record(showing.closed_event())


def current(uow: UnitOfWork) -> Showing | None:
    """Within the caller's transaction: the open showing, if any."""
    return _open(uow.session)


def showing_now(uow: UnitOfWork) -> OpenShowing | None:
    """What a child's menu offers, and the administrator's page shows."""
    with uow.read() as session:
        showing = _open(session)
        return None if showing is None else _summary(session, showing)


def watching(uow: UnitOfWork, child_id: uuid.UUID, showing_id: uuid.UUID) -> bool:
    with uow.read() as session:
        return session.get(ShowingViewer, (showing_id, child_id)) is not None


def register(uow: UnitOfWork, first: date, last: date) -> list[ShowingRecord]:
    """The showings that started on local days first..last, newest first, each with who watched."""
    with uow.read() as session:
        zone = load_settings(session).zone
        start, _ = day_bounds(first, zone)
        _, end = day_bounds(last, zone)
        showings = session.scalars(
            select(Showing)
            .where(Showing.starts_at >= start, Showing.starts_at < end)
            .order_by(Showing.starts_at.desc())
        ).all()
        viewers: dict[uuid.UUID, list[Viewer]] = {s.id: [] for s in showings}
        for showing_id, child_id, name, class_name, joined_at in session.execute(
            select(ShowingViewer.showing_id, Child.id, Child.name, Child.class_name, ShowingViewer.joined_at)
            .join(Child, Child.id == ShowingViewer.child_id)
            .where(ShowingViewer.showing_id.in_(viewers))
            .order_by(ShowingViewer.joined_at, Child.grade, Child.class_name, Child.name)
        ):
            viewers[showing_id].append(Viewer(child_id, name, class_name, joined_at))
        return [
            ShowingRecord(s.id, s.medium, s.content, s.starts_at, s.closed_at, viewers[s.id])
            for s in showings
        ]


def todays_register(uow: UnitOfWork) -> list[ShowingRecord]:
    with uow.read() as session:
        today = local_date(uow.clock.now(), load_settings(session).zone)
    return register(uow, today, today)


def _open(session: Session) -> Showing | None:
    return session.scalar(select(Showing).where(Showing.closed_at.is_(None)))


def _summary(session: Session, showing: Showing) -> OpenShowing:
    return OpenShowing(
        showing.id, showing.medium, showing.content, showing.starts_at, _viewer_count(session, showing.id)
    )


def _viewer_count(session: Session, showing_id: uuid.UUID) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(ShowingViewer).where(ShowingViewer.showing_id == showing_id)
        )
        or 0
    )
