"""Who may open which school, and do what there.

- 学校管理员 (school_admin): everything for one school: reports, children's records, exports with
  personal data, the roster, the catalogue, kiosks, conflicts, users, settings, the audit log.
- 学校工作人员 (school_staff): the reports of one school and their aggregate exports; the room's
  catalogue (books and equipment, with their barcodes); children's names and records only if an
  administrator allowed it; never an export with personal data, never a change.
- 教育局 (bureau_viewer): read-only aggregates of every school of its county; no child by name, and no
  school's shelf list (the asset register report gives the bureau the stock in figures); the schools'
  activity news (活动信息) and anonymous counts of counselling.
- Every school account may be a 代理家长 (CARE): the children paired with them, and as 班主任 their
  class, are theirs to see and to record for (sync.server.office.care.scope), whatever else they may.
- 心理咨询老师 (a school account marked counsellor): counselling records' content (COUNSEL), which no
  other account reads, the administrator included.

A school the user may not open is "not found" to them (a 404, whether or not it exists), so ids cannot
be probed; a school they may open but an action they may not take is "forbidden" (a 403).
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.models import OfficeRole, OfficeUser, School


class Right(StrEnum):
    READ_REPORTS = "read_reports"  # figures and aggregates
    SEE_CHILDREN = "see_children"  # names, per-child rows, a child's timeline (each view audited)
    EXPORT = "export"  # downloads without personal data
    EXPORT_PERSONAL = "export_personal"  # downloads with names or phone numbers
    SEE_CATALOGUE = "see_catalogue"  # the school's books and equipment, copy by copy
    MANAGE = "manage"  # any change: roster, catalogue, children, cards, kiosks, conflicts, users, settings
    READ_AUDIT = "read_audit"
    CARE = "care"  # 我的孩子: the children paired with one, their records, recording 谈心 / 家访 / contact
    COUNSEL = "counsel"  # counselling records' content: counsellors only


_ADMIN = frozenset(Right) - {Right.COUNSEL}
_STAFF = frozenset({Right.READ_REPORTS, Right.EXPORT, Right.SEE_CATALOGUE, Right.CARE})
_BUREAU = frozenset({Right.READ_REPORTS, Right.EXPORT})


def rights_in(session: Session, user: OfficeUser, school_id: uuid.UUID) -> frozenset[Right] | None:
    """The user's rights in that school, or None when they may not open it at all."""
    if not user.active:
        return None
    if user.role is OfficeRole.BUREAU_VIEWER:
        school = session.get(School, school_id)
        if school is None or user.county_id is None or school.county_id != user.county_id:
            return None
        return _BUREAU
    if user.school_id != school_id:
        return None
    counsel = {Right.COUNSEL} if user.counsellor else set()
    if user.role is OfficeRole.SCHOOL_ADMIN:
        return _ADMIN | counsel
    return _STAFF | counsel | ({Right.SEE_CHILDREN} if user.may_view_children else set())


def schools_of(session: Session, user: OfficeUser) -> list[School]:
    """The schools the user may open, by name."""
    if user.role is OfficeRole.BUREAU_VIEWER:
        if user.county_id is None:
            return []
        query = select(School).where(School.county_id == user.county_id)
    else:
        query = select(School).where(School.id == user.school_id)
    return list(session.scalars(query.order_by(School.name)))
