"""Reading the care forms (a 谈心, a 家访, a contact with the family) and their photos into checked
values, every problem named by its field so the phone shows the form again with the rest as typed."""

from __future__ import annotations

from datetime import date

from starlette.datastructures import FormData, UploadFile

from sync.server.models import CareKind, ContactChannel, FamilyParty, TalkTopic
from sync.server.office import fields
from sync.server.office.care.photos import MAX_PHOTOS, MAX_UPLOAD_BYTES, StoredPhoto, stored_photo
from sync.server.office.care.records import CareDetails, check_details
from sync.server.office.fields import FieldProblem
from sync.server.web.forms import Problems, value

FIELD_OF = {
    "day_in_future": "on_day",
    "day_too_old": "on_day",
    "date_invalid": "on_day",
    "notes_too_long": "notes",
    "said_missing": "notes",
    "topics_missing": "topics",
    "minutes_invalid": "minutes",
    "met_missing": "met",
    "met_too_long": "met",
    "contact_missing": "party",
}


def care_details(form: FormData, kind: CareKind, today: date) -> tuple[CareDetails | None, Problems]:
    problems = Problems()
    day_text = value(form, "on_day")
    try:
        on_day = date.fromisoformat(day_text) if day_text else today
    except ValueError:
        problems.by_field["on_day"] = "date_invalid"
        return None, problems
    details = CareDetails(on_day=on_day, notes=fields.free_text(value(form, "notes")))
    try:
        details.topics = [TalkTopic(t) for t in form.getlist("topics") if isinstance(t, str)]
        minutes = value(form, "minutes").strip()
        details.minutes = int(minutes) if minutes else None
    except ValueError:
        problems.by_field["minutes"] = "minutes_invalid"
        return None, problems
    details.met = fields.text(value(form, "met")) or None
    party, channel = value(form, "party"), value(form, "channel")
    details.party = FamilyParty(party) if party in FamilyParty.__members__.values() else None
    details.channel = ContactChannel(channel) if channel in ContactChannel.__members__.values() else None
    try:
        check_details(kind, details, today)
    except FieldProblem as problem:
        problems.by_field[FIELD_OF.get(problem.code, "notes")] = problem.code
        return None, problems
    return details, problems


def uploaded_photos(form: FormData, name: str = "photos", caption: str | None = None) -> list[StoredPhoto]:
    """The photos chosen in the form (an empty file field is none), each stored as the school keeps
    photos (sync.server.office.care.photos); FieldProblem for a file that is not a picture."""
    files = [f for f in form.getlist(name) if isinstance(f, UploadFile) and f.filename]
    if len(files) > MAX_PHOTOS:
        raise FieldProblem("too_many_photos")
    found = []
    for upload in files:
        upload.file.seek(0)
        raw = upload.file.read(MAX_UPLOAD_BYTES + 1)
        found.append(stored_photo(raw, caption))
    return found
