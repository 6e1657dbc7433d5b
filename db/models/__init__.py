"""All tables of the kiosk's local database; import from here."""

from db.models.base import Base
from db.models.catalogue import CatalogueItem, Copy, Loan, Stocktake, StocktakeScan
from db.models.damages import Damage
from db.models.incidents import Incident, IncidentNotice
from db.models.outbox import SET_BY_SCHOOL, DeviceIdentity, OutboxEvent, Setting
from db.models.people import Card, Child, Contact, PinAttempts, Staff
from db.models.queue import QueueEntry
from db.models.room import FamilyCall, FamilyLetter, RoomSession, Visit
from db.models.showings import Showing, ShowingViewer
from db.models.sync_state import SyncState

__all__ = [
    "Base",
    "CatalogueItem",
    "Card",
    "Child",
    "Contact",
    "Copy",
    "Damage",
    "DeviceIdentity",
    "FamilyCall",
    "FamilyLetter",
    "Incident",
    "IncidentNotice",
    "Loan",
    "OutboxEvent",
    "PinAttempts",
    "QueueEntry",
    "RoomSession",
    "SET_BY_SCHOOL",
    "Setting",
    "Showing",
    "ShowingViewer",
    "Staff",
    "Stocktake",
    "StocktakeScan",
    "SyncState",
    "Visit",
]
