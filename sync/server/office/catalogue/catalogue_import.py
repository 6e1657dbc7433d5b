"""Importing the room's book and equipment register: read, check every row (catalogue_check), show what
would happen, and only on the administrator's confirmation write it — the way the roster is imported
(roster_import), through the same file reading (sheet_files) and staging (staging).

A row is one copy, known by its barcode, so importing the same file twice adds nothing (what each row
means — new, update, unchanged, rejected — is catalogue_check's). A new copy of an item the school has
brings that item's details too: the price a new purchase was bought at is the price a lost copy is
compensated at.

`confirm` writes the staged new and changed rows in one transaction, into the very tables and change
sequence the kiosks pull (the before-flush hook of sync.server.core.change_sequence stamps every row), so an
imported book reaches every kiosk of the school at its next sync as import-demo's do. The shelf state
of a copy (damaged, lost) is never written here: the kiosks report it. If the catalogue changed
between preview and confirmation so that a row no longer holds, nothing at all is written.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import CopyStatus, ItemKind
from sync.server.models import CentralCatalogueItem, CentralCopy, RosterImport
from sync.server.office.catalogue.catalogue_check import check_rows, item_changes
from sync.server.office.catalogue.catalogue_columns import CATALOGUE, REQUIRED_FIELDS
from sync.server.office.sheets.sheet_files import Sheet, read_sheet
from sync.server.office.sheets.staging import ImportRefused, stage, to_write

WHAT = "catalogue"


def read_file(filename: str, content: bytes) -> Sheet:
    """The register's rows, read with no transaction open (sync.server.office.sheets.sheet_grids
    bounds what a file may cost); refuses a file without the columns every row needs."""
    sheet = read_sheet(filename, content, CATALOGUE)
    missing = [f for f in REQUIRED_FIELDS if f not in sheet.fields]
    if missing:
        raise ImportRefused("missing_columns:" + ",".join(missing))
    return sheet


def preview(
    session: Session,
    school_id: uuid.UUID,
    user_id: uuid.UUID,
    filename: str,
    sheet: Sheet,
    *,
    today: date,
) -> RosterImport:
    """Check the rows read and stage them; nothing reaches the catalogue."""
    rows = check_rows(session, school_id, sheet, today=today)
    return stage(
        session,
        what=WHAT,
        school_id=school_id,
        user_id=user_id,
        filename=filename,
        rows=rows,
        summary={"ignored": sheet.ignored, "unknown": sheet.unknown},
    )


def confirm(session: Session, staged: RosterImport) -> dict[str, int]:
    """Write the staged new and changed rows, all or nothing, and drop the staging row. Raises
    ImportRefused("preview_stale") — and the caller's transaction writes nothing — when a row no
    longer holds (its barcode was taken, or its copy moved, since the preview)."""
    school_id = staged.school_id
    held = {
        copy.barcode: copy
        for copy in session.scalars(select(CentralCopy).where(CentralCopy.school_id == school_id))
    }
    done: Counter[str] = Counter()
    made: dict[str, CentralCatalogueItem] = {}
    for row in to_write(staged):
        values = row["values"]
        copy = held.get(values["barcode"])
        if "copy_id" in values:
            if copy is None or (str(copy.id), str(copy.item_id)) != (values["copy_id"], values["item_id"]):
                raise ImportRefused("preview_stale")
            item = session.get(CentralCatalogueItem, copy.item_id)
            done["update"] += 1
        else:
            if copy is not None:
                raise ImportRefused("preview_stale")
            item = _item_of_new_copy(session, school_id, values, made, done)
            copy = CentralCopy(
                id=uuid.uuid4(),
                school_id=school_id,
                item_id=item.id,
                barcode=values["barcode"],
                status=CopyStatus.IN_SERVICE,
            )
            session.add(copy)
            held[copy.barcode] = copy
            done["new"] += 1
        assert item is not None
        for name, value in item_changes(item, values).items():
            setattr(item, name, ItemKind(value) if name == "kind" else value)
        if values.get("acquired_on"):
            copy.acquired_on = date.fromisoformat(values["acquired_on"])
    session.delete(staged)
    session.flush()
    return dict(done)


def _item_of_new_copy(
    session: Session,
    school_id: uuid.UUID,
    values: dict[str, Any],
    made: dict[str, CentralCatalogueItem],
    done: Counter[str],
) -> CentralCatalogueItem:
    if "item_id" in values:
        item = session.get(CentralCatalogueItem, uuid.UUID(values["item_id"]))
        if item is None or item.school_id != school_id:
            raise ImportRefused("preview_stale")
        return item
    key = values["new_item"]
    if key not in made:
        item = CentralCatalogueItem(
            id=uuid.uuid4(),
            school_id=school_id,
            kind=ItemKind(values["kind"]),
            title=values["title"],
            author=values.get("author"),
            isbn=values.get("isbn"),
            price_fen=values.get("price_fen"),
            active=True,
        )
        session.add(item)
        session.flush()  # the item's change number comes before its copies': a kiosk's pull page
        made[key] = item  # never carries a copy whose item it has not yet been sent
        done["items"] += 1
    return made[key]
