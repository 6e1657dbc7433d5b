"""What the kiosk remembers about syncing with its school's server (one row, once enrolled).

The device token is not here: it lives in a file readable only by the kiosk's user (see
sync.client.token_store), so a copy of this database made for support or backup cannot sync as the
kiosk. Times are the kiosk's wall clock; `clock_offset_ms` says how far off that clock was at the last
sync (server minus kiosk).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class SyncState(Base):
    __tablename__ = "sync_state"

    singleton: Mapped[int] = mapped_column(primary_key=True, default=1)
    server_url: Mapped[str] = mapped_column(String(200))
    school_id: Mapped[uuid.UUID]
    room_id: Mapped[uuid.UUID]
    enrolled_at: Mapped[datetime]
    # Highest central change applied; 0 until the first pull replaced the local roster (a snapshot).
    pull_cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    roster_adopted: Mapped[bool] = mapped_column(default=False)
    online: Mapped[bool] = mapped_column(default=False)  # the last attempt reached the server
    last_attempt_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    clock_offset_ms: Mapped[int | None] = mapped_column(BigInteger)
    clock_measured_at: Mapped[datetime | None]
    # The id of the PIN seal key agreed with the server (db.pin_seal.agreed_key): the server seals the
    # staff verifiers it sends with it. None: enrolled by an older version, to agree at the next sync.
    pin_seal_key_id: Mapped[str | None] = mapped_column(String(16))
