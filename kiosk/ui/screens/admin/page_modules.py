"""The one place that wires each AdminPage to the module that draws it."""

from __future__ import annotations

from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.calls import CallsPage
from kiosk.ui.screens.admin.card_registration import RegisterPage
from kiosk.ui.screens.admin.contact_due import ContactDuePage
from kiosk.ui.screens.admin.damages import DamagesPage
from kiosk.ui.screens.admin.emergency import EmergencyPage
from kiosk.ui.screens.admin.health import HealthPage
from kiosk.ui.screens.admin.home import HomePage
from kiosk.ui.screens.admin.hotline import HotlinePage
from kiosk.ui.screens.admin.letters import LettersPage
from kiosk.ui.screens.admin.overdue import OverduePage
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.screens.admin.queue import QueuePage
from kiosk.ui.screens.admin.records import RecordsPage
from kiosk.ui.screens.admin.settings import SettingsPage
from kiosk.ui.screens.admin.showings import ShowingsPage
from kiosk.ui.screens.admin.stocktake import StocktakePage
from kiosk.ui.screens.admin.sync_status import SyncPage
from kiosk.ui.screens.admin.visits import VisitsPage

PAGES: dict[AdminPage, type[Page]] = {
    page.page: page
    for page in (
        HomePage,
        VisitsPage,
        CallsPage,
        OverduePage,
        ContactDuePage,
        RecordsPage,
        StocktakePage,
        RegisterPage,
        SyncPage,
        HealthPage,
        SettingsPage,
        EmergencyPage,
        HotlinePage,
        LettersPage,
        QueuePage,
        DamagesPage,
        ShowingsPage,
    )
}
assert set(PAGES) == set(AdminPage), f"pages without a module: {set(AdminPage) - set(PAGES)}"
