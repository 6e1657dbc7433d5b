"""盘点: scan everything on the shelf, then compare with what should be there (帐物相符).

What should be on the shelf: every copy in service that is not out on loan. Missing = expected but not
scanned; unexpected = scanned but the records say it is on loan, lost, withdrawn, or unknown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import CopyStatus
from db.events import StocktakeFinished
from db.ids import time_ordered_id
from db.limits import BARCODE_MAX
from db.models import CatalogueItem, Copy, Stocktake, StocktakeScan
from kiosk.services.errors import StocktakeAlreadyOpen, StocktakeNotOpen, UnusableBarcode
from kiosk.services.lookups import copies_on_loan, is_on_loan, require_staff
from kiosk.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    barcode: str
    title: str | None  # None: not in the catalogue
    expected: bool  # should be on the shelf according to the records
    already_scanned: bool
    scanned_count: int


@dataclass(frozen=True, slots=True)
class StockLine:
    barcode: str
    title: str
    note: str  # why it is listed: "not scanned", "on loan", "lost", "withdrawn", "unknown"


@dataclass(frozen=True, slots=True)
class StocktakeReport:
    stocktake_id: uuid.UUID
    scanned_count: int
    expected_count: int
    missing: list[StockLine]
    unexpected: list[StockLine]


def start_stocktake(uow: UnitOfWork, staff_id: uuid.UUID) -> uuid.UUID:
    with uow:
        require_staff(uow.session, staff_id)
        if uow.session.scalar(select(Stocktake.id).where(Stocktake.finished_at.is_(None))):
            raise StocktakeAlreadyOpen()
        stocktake = Stocktake(id=time_ordered_id(), started_at=uow.clock.now(), started_by=staff_id)
        uow.session.add(stocktake)
        uow.commit()
        return stocktake.id


def open_stocktake(uow: UnitOfWork) -> uuid.UUID | None:
    """The stocktake left open (e.g. before a power cut), so the administrator can carry on."""
    with uow.read() as session:
        return session.scalar(select(Stocktake.id).where(Stocktake.finished_at.is_(None)))


def scans_so_far(uow: UnitOfWork, stocktake_id: uuid.UUID) -> int:
    """How many labels this stocktake has seen: the counter carries on after a power cut."""
    with uow.read() as session:
        return _scanned(session, stocktake_id)


def _scanned(session: Session, stocktake_id: uuid.UUID) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(StocktakeScan).where(StocktakeScan.stocktake_id == stocktake_id)
        )
        or 0
    )


def record_scan(uow: UnitOfWork, stocktake_id: uuid.UUID, barcode: str) -> ScanOutcome:
    """A code that no label can have (empty, or longer than the barcode columns) is refused: it would
    end up in the stocktake's event, which the school's server must be able to store."""
    code = barcode.strip()
    if not 1 <= len(code) <= BARCODE_MAX:
        raise UnusableBarcode(limit=BARCODE_MAX)
    with uow:
        session = uow.session
        _require_open(uow, stocktake_id)
        already = session.scalar(
            select(StocktakeScan.id).where(
                StocktakeScan.stocktake_id == stocktake_id, StocktakeScan.barcode == code
            )
        )
        if already is None:
            session.add(
                StocktakeScan(
                    id=uuid.uuid4(), stocktake_id=stocktake_id, barcode=code, scanned_at=uow.clock.now()
                )
            )
            session.flush()
        copy = session.scalar(select(Copy).where(Copy.barcode == code))
        count = _scanned(session, stocktake_id)
        expected = (
            copy is not None and copy.status is CopyStatus.IN_SERVICE and not is_on_loan(session, copy.id)
        )
        uow.commit()
        return ScanOutcome(code, copy.item.title if copy else None, expected, already is not None, count)


def finish_stocktake(uow: UnitOfWork, stocktake_id: uuid.UUID, staff_id: uuid.UUID) -> StocktakeReport:
    with uow:
        session = uow.session
        require_staff(session, staff_id)
        stocktake = _require_open(uow, stocktake_id)
        scanned = set(
            session.scalars(select(StocktakeScan.barcode).where(StocktakeScan.stocktake_id == stocktake_id))
        )
        expected_ids = _expected_copy_ids(uow)
        copies = {
            copy.barcode: (copy, title)
            for copy, title in session.execute(
                select(Copy, CatalogueItem.title).join(CatalogueItem, Copy.item_id == CatalogueItem.id)
            )
        }
        on_loan = set(session.scalars(copies_on_loan()))
        missing = [
            StockLine(code, title, "not scanned")
            for code, (copy, title) in sorted(copies.items())
            if copy.id in expected_ids and code not in scanned
        ]
        unexpected = []
        for code in sorted(scanned):
            if code not in copies:
                unexpected.append(StockLine(code, "", "unknown"))
                continue
            copy, title = copies[code]
            if copy.id in on_loan:
                unexpected.append(StockLine(code, title, "on loan"))
            elif copy.status is not CopyStatus.IN_SERVICE:
                unexpected.append(StockLine(code, title, copy.status.value))
        stocktake.finished_at = uow.clock.now()
        uow.record(
            StocktakeFinished(
                stocktake_id=stocktake_id,
                staff_id=staff_id,
                started_at=stocktake.started_at,
                scanned_count=len(scanned),
                missing_copy_ids=[copies[line.barcode][0].id for line in missing],
                unexpected_barcodes=[line.barcode for line in unexpected],
            )
        )
        uow.commit()
        return StocktakeReport(stocktake_id, len(scanned), len(expected_ids), missing, unexpected)


def _require_open(uow: UnitOfWork, stocktake_id: uuid.UUID) -> Stocktake:
    stocktake = uow.session.get(Stocktake, stocktake_id)
    if stocktake is None or stocktake.finished_at is not None:
        raise StocktakeNotOpen()
    return stocktake


def _expected_copy_ids(uow: UnitOfWork) -> set[uuid.UUID]:
    on_loan = copies_on_loan()
    return set(
        uow.session.scalars(
            select(Copy.id).where(Copy.status == CopyStatus.IN_SERVICE, Copy.id.not_in(on_loan))
        )
    )
