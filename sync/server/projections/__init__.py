"""From received events to the record tables the reports count (sync.server.models.reporting).

Called once per pushed batch with the events newly stored, in the device's sequence order, inside the
push's transaction: the records and the events they come from are committed together or not at all.
Set-based: the batch's starts are inserted in one statement per table (a start already recorded is
left alone, so a replay is harmless), then its ends update their rows in one statement per table. A
device's end always comes after its start in sequence; an end whose start never arrived is left out of
the records (its event is still stored).

Times: every time in a record is the server's corrected time. A time a payload carries (a sign-out
time, a call's end) was read from the kiosk's wall clock; it is shifted by the same correction as its
event. `day` and `hour` are local to the school.
"""

from sync.server.projections.apply import project
from sync.server.projections.event_rows import VERSION, StoredEvent
from sync.server.projections.rebuild import rebuild_if_outdated, replay_school

__all__ = ["VERSION", "StoredEvent", "project", "rebuild_if_outdated", "replay_school"]
