"""A kiosk trades a one-time enrolment code for a device token of its own.

The code says which school and room the kiosk belongs to; the token then scopes everything the kiosk
reads and writes to that school. The kiosk's device id is kept as the server's device id. Enrolling
an id that is already enrolled is refused until an administrator revokes it: device ids are not
secrets, and a code alone must not let anyone take over a working kiosk's token and sequence. After a
revocation (the kiosk lost its token, or moved room) a fresh code enrols it again under the same id, so
its history continues; moving a kiosk to another school is refused: its facts belong to the first one.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.api.errors import ApiError
from sync.server.core.clock import now_of
from sync.server.devices import credentials
from sync.server.models import Device, EnrolmentCode
from sync.wire import EnrolRequest, EnrolResponse

MAX_CODE_LIFETIME = timedelta(days=7)
"""However long a code was issued for, it stops working a week after it was made: a code written on a
note and forgotten must not enrol a kiosk months later."""
WRONG_CODE = frozenset({"enrolment_code_unknown", "enrolment_code_used", "enrolment_code_expired"})
"""Refusals that mean "not a working code": the ones sync.server.devices.enrolment_throttle counts."""


def enrol(session: Session, request: EnrolRequest) -> EnrolResponse:
    now = now_of(session)
    code_hash = credentials.digest(credentials.normalise_code(request.code))
    code = session.scalar(select(EnrolmentCode).where(EnrolmentCode.code_hash == code_hash).with_for_update())
    if code is None:
        raise ApiError(
            403, "enrolment_code_unknown", "This enrolment code does not exist; ask for a new one."
        )
    if code.used_at is not None:
        raise ApiError(403, "enrolment_code_used", "This enrolment code has already been used.")
    if min(code.expires_at, code.created_at + MAX_CODE_LIFETIME) <= now:
        raise ApiError(403, "enrolment_code_expired", "This enrolment code has expired; ask for a new one.")

    token_id, secret, token = credentials.new_device_token()
    device = session.get(Device, request.device_id, with_for_update=True)
    if device is None:
        device = Device(id=request.device_id, school_id=code.school_id, enrolled_at=now)
        session.add(device)
    elif device.school_id != code.school_id:
        raise ApiError(
            409,
            "device_enrolled_elsewhere",
            "This kiosk is enrolled with another school; its records stay there. Use a new kiosk database.",
        )
    elif device.revoked_at is None:
        raise ApiError(
            409,
            "device_already_enrolled",
            "This kiosk is already enrolled. To enrol it again, revoke it on the server first "
            "(admin revoke DEVICE_ID); the code was not used.",
        )
    device.room_id = code.room_id
    device.label = request.label
    device.token_id = token_id
    device.token_hash = credentials.digest(secret)
    device.pin_seal_key = request.pin_seal_key  # a code is what lets a key be set anew
    device.pin_seal_agreed_at = now if request.pin_seal_key else None
    device.revoked_at = None
    code.used_at = now
    code.used_by_device_id = device.id
    session.flush()
    return EnrolResponse(
        device_id=device.id,
        device_token=token,
        school_id=code.school_id,
        room_id=code.room_id,
        server_time=now,
    )
