"""The deterministic demo school on the server, with the very ids a demo kiosk has.

It runs the kiosk's own generator (db.demo.load_demo_data) into a throw-away in-memory kiosk database
and copies the rows across: one generator, so a demo kiosk and a demo server cannot drift apart. Staff
PIN hashes are salted, so they differ between two loads; the PIN itself (db.demo.DEMO_STAFF_PIN) is
the same, and after its first pull the kiosk holds the server's hashes.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from db.demo import DemoSummary, load_demo_data
from db.models import Base, Card, CatalogueItem, Child, Contact, Copy, Staff
from sync.server.admin import AdminError
from sync.server.models import CENTRAL_MODELS, CentralChild, CentralRow, School

# Kiosk table -> the central table of the same name, parents first.
_COPIES: list[tuple[type[Base], type[CentralRow]]] = [
    (kiosk_model, CENTRAL_MODELS[kiosk_model.__tablename__])
    for kiosk_model in (Staff, Child, Contact, CatalogueItem, Copy, Card)
]


def import_demo_school(
    session: Session, school_id: uuid.UUID, now: datetime, seed: int = 2026
) -> DemoSummary:
    if session.get(School, school_id) is None:
        raise AdminError(f"no school {school_id}")
    scratch = create_engine("sqlite://")
    Base.metadata.create_all(scratch)
    with Session(scratch) as kiosk:
        summary = load_demo_data(kiosk, now, seed, pin_key=None)  # the server keeps scrypt hashes
        kiosk.flush()
        if session.get(CentralChild, kiosk.scalars(select(Child.id)).first()) is not None:
            raise AdminError(
                f"the demo with seed {seed} is already loaded on this server; pick another --seed"
            )
        for kiosk_model, central_model in _COPIES:
            columns = [c.key for c in kiosk_model.__table__.columns]
            session.add_all(
                central_model(school_id=school_id, **{name: getattr(row, name) for name in columns})
                for row in kiosk.scalars(select(kiosk_model))
            )
            session.flush()
    scratch.dispose()
    return summary
