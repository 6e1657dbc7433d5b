"""Every table of the central server; import from here (Alembic's env does, too)."""

from sync.server.models.base import CentralBase, CentralRow
from sync.server.models.central import (
    CENTRAL_MODELS,
    CareAssessment,
    CentralCard,
    CentralCatalogueItem,
    CentralChild,
    CentralContact,
    CentralCopy,
    CentralStaff,
    ClassPlacement,
    Gender,
    SchoolClass,
)
from sync.server.models.facts import Conflict, LoanFact, ReceivedEvent, SetAsideEvent
from sync.server.models.office import (
    AuditEntry,
    County,
    EnrolmentFailure,
    LoginThrottle,
    OfficeRole,
    OfficeSession,
    OfficeUser,
    RosterImport,
)
from sync.server.models.org import Device, DeviceBoot, EnrolmentCode, Room, School
from sync.server.models.register_records import (
    REGISTER_RECORD_MODELS,
    DamageRecord,
    IncidentNoticeRecord,
    IncidentRecord,
    ShowingRecord,
    ShowingViewerRecord,
)
from sync.server.models.reporting import RECORD_MODELS as _REPORT_RECORDS
from sync.server.models.reporting import (
    CallRecord,
    LetterRecord,
    LoanRecord,
    ProjectionState,
    RoomSessionRecord,
    StocktakeRecord,
    VisitRecord,
)

# Every record table, rebuilt together from the received events (sync.server.projections).
RECORD_MODELS = (*_REPORT_RECORDS, *REGISTER_RECORD_MODELS)

__all__ = [
    "CENTRAL_MODELS",
    "RECORD_MODELS",
    "CallRecord",
    "LetterRecord",
    "LoanRecord",
    "ProjectionState",
    "RoomSessionRecord",
    "StocktakeRecord",
    "VisitRecord",
    "DamageRecord",
    "IncidentNoticeRecord",
    "IncidentRecord",
    "ShowingRecord",
    "ShowingViewerRecord",
    "AuditEntry",
    "CareAssessment",
    "ClassPlacement",
    "County",
    "Gender",
    "EnrolmentFailure",
    "LoginThrottle",
    "OfficeRole",
    "OfficeSession",
    "OfficeUser",
    "RosterImport",
    "SchoolClass",
    "CentralBase",
    "CentralCard",
    "CentralCatalogueItem",
    "CentralChild",
    "CentralContact",
    "CentralCopy",
    "CentralRow",
    "CentralStaff",
    "Conflict",
    "Device",
    "DeviceBoot",
    "EnrolmentCode",
    "LoanFact",
    "ReceivedEvent",
    "Room",
    "School",
    "SetAsideEvent",
]
