"""The administrator's pages by name (an enum, never a string compared in several places) and the
menu that leads to them, in the order the tiles appear."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kiosk.ui import theme


class AdminPage(Enum):
    HOME = "home"
    EMERGENCY = "emergency"
    VISITS = "visits"
    CALLS = "calls"
    HOTLINE = "hotline"
    QUEUE = "queue"
    LETTERS = "letters"
    CONTACT_DUE = "contact_due"
    RECORDS = "records"
    OVERDUE = "overdue"
    DAMAGES = "damages"
    SHOWINGS = "showings"
    STOCKTAKE = "stocktake"
    REGISTER = "register"
    SYNC = "sync"
    HEALTH = "health"
    SETTINGS = "settings"


@dataclass(frozen=True, slots=True)
class MenuEntry:
    page: AdminPage
    icon: str
    title_key: str
    colour: theme.RGBA


MENU: tuple[MenuEntry, ...] = (
    MenuEntry(AdminPage.EMERGENCY, "‼", "admin.emergency", theme.BAD),
    MenuEntry(AdminPage.VISITS, "✔", "admin.visits_today", theme.PRIMARY),
    MenuEntry(AdminPage.CALLS, "☎", "admin.calls_today", theme.CALL),
    MenuEntry(AdminPage.HOTLINE, "☏", "admin.hotline", theme.CALL),
    MenuEntry(AdminPage.QUEUE, "▤", "admin.queue", theme.CALL),
    MenuEntry(AdminPage.LETTERS, "信", "admin.letters", theme.BOOKS),
    MenuEntry(AdminPage.CONTACT_DUE, "♥", "admin.contact_due_short", theme.BIRTHDAY),
    MenuEntry(AdminPage.RECORDS, "书", "admin.records", theme.BOOKS),
    MenuEntry(AdminPage.OVERDUE, "!", "admin.overdue", theme.BOOKS),
    MenuEntry(AdminPage.DAMAGES, "¥", "admin.damages", theme.WARN),
    MenuEntry(AdminPage.SHOWINGS, "影", "admin.showings", theme.PRIMARY),
    MenuEntry(AdminPage.STOCKTAKE, "▦", "admin.stocktake", theme.EQUIPMENT),
    MenuEntry(AdminPage.REGISTER, "◆", "admin.register_card", theme.PRIMARY),
    MenuEntry(AdminPage.SYNC, "↑↓", "admin.sync", theme.NEUTRAL),
    MenuEntry(AdminPage.HEALTH, "i", "admin.health", theme.NEUTRAL),
    MenuEntry(AdminPage.SETTINGS, "≡", "admin.settings", theme.NEUTRAL),
)
