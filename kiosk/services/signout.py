"""签退 by button: the child taps 签退 on her own screen, or 是 when a later tap of her card asked
要签退吗？ (tap_card never signs out by itself: a tap meant for the menu must not end her visit).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from db.models import Visit
from kiosk.services.days import local_date
from kiosk.services.lookups import require_child
from kiosk.services.signin import ChildSummary, SignedOut, sign_out_visit
from kiosk.services.uow import UnitOfWork


def sign_out(uow: UnitOfWork, child_id: uuid.UUID) -> SignedOut | None:
    """Close today's open visit of this child; None when the child is not signed in today.

    A visit left open on an earlier day is not this button's business: tap_card and close_room close
    those as "not signed out", because when the child left is unknown.
    """
    with uow:
        session = uow.session
        child = require_child(session, child_id)
        visit = session.scalar(select(Visit).where(Visit.child_id == child_id, Visit.end_reason.is_(None)))
        now = uow.clock.now()
        zone = uow.settings.zone
        if visit is None or local_date(visit.signed_in_at, zone) != local_date(now, zone):
            return None
        sign_out_visit(uow, visit, now)
        uow.commit()
        minutes = int((now - visit.signed_in_at).total_seconds() // 60)
        return SignedOut(ChildSummary(child.id, child.name, child.class_name), visit.id, minutes)
