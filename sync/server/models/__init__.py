"""Every table of the central server; import from here (Alembic's env does, too)."""

from sync.server.models.base import CentralBase, CentralRow
from sync.server.models.central import (
    CENTRAL_MODELS,
    CentralCard,
    CentralCatalogueItem,
    CentralChild,
    CentralContact,
    CentralCopy,
    CentralStaff,
)
from sync.server.models.facts import Conflict, LoanFact, ReceivedEvent, SetAsideEvent
from sync.server.models.org import Device, DeviceBoot, EnrolmentCode, Room, School

__all__ = [
    "CENTRAL_MODELS",
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
