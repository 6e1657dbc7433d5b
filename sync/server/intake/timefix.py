"""Turning a kiosk's times into real times. The Pi has no real-time clock.

At every push the server notes, for the kiosk's current boot, the anchor `server unix ns − kiosk
monotonic ns`. The monotonic clock never jumps within a boot, so `anchor + monotonic_ns` is the real
time of any event of that boot, even one recorded while the wall clock was hours off or before NTP
stepped it. A boot that never reached the server has no anchor: its events keep the kiosk's wall time,
marked as unverified. Order within a device is always its sequence number, never a clock.

The anchor includes the request's one-way network delay (milliseconds on a school LAN): it errs late,
and a corrected time is never later than the moment the event reached the server.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.models import DeviceBoot
from sync.server.models.facts import TimeBasis
from sync.wire import PushBatch, WireEvent

_EARLIEST_NS = 946_684_800 * 1_000_000_000  # 2000-01-01: no kiosk fact is older; bounds a bogus anchor


def unix_ns(moment: datetime) -> int:
    return int(moment.timestamp()) * 1_000_000_000 + moment.microsecond * 1000


def from_unix_ns(ns: int) -> datetime:
    return datetime.fromtimestamp(ns // 1000 / 1_000_000, UTC)


def clock_offset_ms(batch: PushBatch, received_at: datetime) -> int:
    """Server time minus kiosk wall time, as this batch arrived (positive: the kiosk is behind)."""
    return round((received_at - batch.sent_at).total_seconds() * 1000)


def record_anchor(session: Session, device_id: uuid.UUID, batch: PushBatch, received_at: datetime) -> None:
    anchor = unix_ns(received_at) - batch.monotonic_ns
    boot = session.get(DeviceBoot, (device_id, batch.boot_id))
    if boot is None:
        session.add(
            DeviceBoot(device_id=device_id, boot_id=batch.boot_id, anchor_ns=anchor, measured_at=received_at)
        )
    else:
        boot.anchor_ns, boot.measured_at = anchor, received_at


def anchors_for(session: Session, device_id: uuid.UUID, boot_ids: set[str]) -> dict[str, int]:
    rows = session.execute(
        select(DeviceBoot.boot_id, DeviceBoot.anchor_ns).where(
            DeviceBoot.device_id == device_id, DeviceBoot.boot_id.in_(boot_ids)
        )
    )
    return {boot_id: anchor for boot_id, anchor in rows}


def corrected_time(
    event: WireEvent, anchors: dict[str, int], received_at: datetime
) -> tuple[datetime, TimeBasis]:
    anchor = anchors.get(event.boot_id)
    if anchor is None:
        return event.occurred_at, TimeBasis.KIOSK_CLOCK
    estimate = min(max(anchor + event.monotonic_ns, _EARLIEST_NS), unix_ns(received_at))
    return from_unix_ns(estimate), TimeBasis.BOOT_ANCHOR
