"""All tables of the kiosk's local database; import from here."""

from db.models.base import Base
from db.models.catalogue import CatalogueItem, Copy, Loan, Stocktake, StocktakeScan
from db.models.outbox import DeviceIdentity, OutboxEvent, Setting
from db.models.people import Card, Child, Contact, PinAttempts, Staff
from db.models.room import FamilyCall, FamilyLetter, RoomSession, Visit
from db.models.sync_state import SyncState

__all__ = [
    "Base",
    "CatalogueItem",
    "Card",
    "Child",
    "Contact",
    "Copy",
    "DeviceIdentity",
    "FamilyCall",
    "FamilyLetter",
    "Loan",
    "OutboxEvent",
    "PinAttempts",
    "RoomSession",
    "Setting",
    "Staff",
    "Stocktake",
    "StocktakeScan",
    "SyncState",
    "Visit",
]
