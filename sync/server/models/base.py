"""The central server's own declarative base: its schema is not the kiosk's and migrates on its own.

It shares the kiosk's naming convention and column types (aware UTC datetimes, UUIDs), so a value means
the same on both sides of the wire.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, MetaData, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from db.models.base import NAMING_CONVENTION
from db.types import UTCDateTime


class CentralBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


class CentralRow:
    """A row the centre is the authority for and the kiosks pull.

    `change_seq` is stamped from the school's counter on every insert or update (see
    sync.server.core.change_sequence), so "everything after cursor N" never misses a change; `changed_at`
    is the
    server time of that change, which the conflict rules compare with the corrected time of kiosk facts.
    """

    @declared_attr
    def school_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(ForeignKey("schools.id"), index=True)

    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[datetime]
